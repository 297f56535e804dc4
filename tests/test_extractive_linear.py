"""The offline engine stays linear on hostile input and on long channels (issues 9 and 11).

Each case drafts the same shape at two sizes and compares the times in one run (a ratio, never
an absolute time, so a slow machine does not change the verdict): a linear engine grows by about
the size ratio, a quadratic one by its square. The hostile shapes are issue 9's (an emoji run, digit
runs, tab runs, hyphen runs, punctuation after an impact line); the long channel is many
corrections, retractions and action lists, which made candidate filtering and owner walks
quadratic. Thread CPU time is measured, best of a few runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from app.engines.extractive import extract_report
from app.models import Message, Transcript

SCALE = 4
MAX_GROWTH = SCALE * 2.5  # linear ~4, quadratic ~16


def _transcript(texts: list[str]) -> Transcript:
    messages = [
        Message(
            id=n,
            time=f"{(n // 60) % 24:02d}:{n % 60:02d}",
            author=("ana", "bo", "cy")[n % 3],
            text=text,
            line_start=n,
            line_end=n,
        )
        for n, text in enumerate(texts, start=1)
    ]
    return Transcript(format="test", messages=messages)


def _cpu(step: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.thread_time()
        step()
        best = min(best, time.thread_time() - start)
    return max(best, 1e-4)


def _growth(build: Callable[[int], Transcript], small: int) -> float:
    short, long = build(small), build(small * SCALE)
    extract_report(short)  # warm caches and imports
    return _cpu(lambda: extract_report(long)) / _cpu(lambda: extract_report(short))


_ALERT = "alert: checkout-api 5xx at 40%"

HOSTILE: dict[str, Callable[[int], Transcript]] = {
    "emoji run then a letter": lambda n: _transcript([_ALERT, "ok " + "😀" * n + "x"]),
    "digit-comma run": lambda n: _transcript([_ALERT, "1," * n]),
    "digit-dot run": lambda n: _transcript([_ALERT, "1." * n]),
    "add, tabs, x": lambda n: _transcript([_ALERT, "add " + "\t" * n + "x"]),
    "hyphen run": lambda n: _transcript([_ALERT, "a-" * n]),
    "bangs after an impact line": lambda n: _transcript([_ALERT, "!" * n + "x"]),
    "spaces in a list line": lambda n: _transcript(
        ["action items:\n- add alert" + " " * n + "(ana" + " " * n]
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_is_linear(name: str) -> None:
    growth = _growth(HOSTILE[name], 2000)
    assert growth < MAX_GROWTH, f"{name}: {SCALE}x longer took {growth:.1f}x the time"


def _channel(rounds: int) -> Transcript:
    """A long channel: guesses, corrections, retractions, confirmations, action lists, figures
    and their corrections, situation reports and instructions, again and again (each correction
    and list must cost the same however much came before)."""
    texts: list[str] = []
    for r in range(rounds):
        texts += [
            f"alert: svc{r}-api 5xx at {r % 90 + 5}%",
            f"maybe it's the cache on node{r}, looks like it's broken",
            f"not the cache, node{r} cache is fine",
            "scratch that",
            f"found it: the svc{r} config points at the old queue",
            "yep that's it",
            f"rolling back svc{r}",
            "rollback complete, errors back to normal",
            f"action items:\n1. add a queue alert for svc{r}\n2. test config for svc{r}",
            "I'll take #1",
            "bo can you do 2?",
            "sure",
            f"{r + 100} customers saw errors, {r * 10 + 500} orders failed",
            f"correction: the real figure is {r + 90} customers, not {r + 100}",
            f"where we are: svc{r} failed because the config points at the old queue",
            f"ana roll back svc{r} again",
        ]
    return _transcript(texts)


def test_a_long_channel_drafts_in_the_same_time_per_message() -> None:
    growth = _growth(_channel, 60)
    assert growth < MAX_GROWTH, f"{SCALE}x the messages took {growth:.1f}x the time"


def test_the_growth_check_can_fail() -> None:
    """A quadratic step really shows as quadratic growth in this measurement."""

    def quadratic(n: int) -> Transcript:
        # Every text compared with every earlier one: pure nested work, no list copies (slices
        # of a growing list made the measured ratio depend on the allocator, 9.3 once).
        texts = [f"m{i}" for i in range(n)]
        same = sum(1 for i in range(n) for j in range(i) if texts[i] == texts[j])
        return _transcript([*texts[:2], str(same)])

    short, long = 1000, 1000 * SCALE
    ratio = _cpu(lambda: quadratic(long), 5) / _cpu(lambda: quadratic(short), 5)
    assert ratio > MAX_GROWTH
