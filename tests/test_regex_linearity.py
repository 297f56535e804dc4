"""Every compiled regex in `app` runs in linear time on hostile input (issue 9, item 1).

The harness lives in `tests/regex_linearity.py`; this file runs it over the whole package, proves
the harness can fail, and keeps the exact inputs of issue 9 as regressions through the extractive
engine. Every pattern is held to the bound: there is no list of known exceptions.
"""

from __future__ import annotations

import math
import re
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from app.engines.extractive.engine import extract_report
from app.engines.extractive.text import tidy
from app.models import Message, Transcript
from tests.regex_linearity import (
    MAX_RATIO,
    SCALE,
    _guard,
    _Unbounded,
    adversarial_shapes,
    assert_linear,
    collect_patterns,
)

SITES = collect_patterns("app")


@pytest.mark.parametrize("site_name", [site.name for site in SITES])
def test_every_pattern_is_linear(site_name: str) -> None:
    site = next(s for s in SITES if s.name == site_name)
    assert_linear(site.pattern, name=site.name)


def test_the_whole_package_is_collected() -> None:
    names = {site.name for site in SITES}
    assert len(SITES) > 200
    for expected in (
        "app.engines.extractive.text:_TRAILING_CHATTER",
        "app.engines.extractive.text:_MARKUP[3][0]",
        "app.engines.extractive.cues:MITIGATION_FAMILIES['rollback']",
        "app.engines.extractive.impact:COUNT",
        "app.engines.extractive.service:_SERVICE",
        "app.llm.answer:_FENCE",
        "app.models:_CLOCK",
        "app.render.scrub:_CITATION",
    ):
        assert expected in names
    # Imported patterns are reported once, under the module that defines them.
    assert not any(name.startswith("app.engines.extractive.timeline:TRIGGER") for name in names)


# ---------------------------------------------------------------------------------------------
# The harness itself
# ---------------------------------------------------------------------------------------------


def test_collector_finds_patterns_at_module_and_class_level_and_in_containers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "rxpkg"
    package.mkdir()
    (package / "__init__.py").write_text("import re\nTOP = re.compile('top')\n")
    (package / "rules.py").write_text(
        textwrap.dedent(
            """
            import re
            from rxpkg import TOP
            PAIRS = [(re.compile('in-list'), 1)]
            TABLE = {'k': re.compile('in-dict')}
            CHOICES = frozenset({re.compile('in-set')})
            BYTES = re.compile(b'bytes are skipped')

            class Rule:
                PATTERN = re.compile('class-level')

            class Holder:
                def __init__(self):
                    self.pattern = re.compile('instance-attribute')

            HOLDER = Holder()

            def built_per_call():
                return re.compile('out of reach')
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        found = {site.name: site.pattern.pattern for site in collect_patterns("rxpkg")}
    finally:
        for name in [m for m in sys.modules if m.startswith("rxpkg")]:
            del sys.modules[name]
    assert found == {
        "rxpkg:TOP": "top",
        "rxpkg.rules:PAIRS[0][0]": "in-list",
        "rxpkg.rules:TABLE['k']": "in-dict",
        "rxpkg.rules:CHOICES{0}": "in-set",
        "rxpkg.rules:Rule.PATTERN": "class-level",
        "rxpkg.rules:HOLDER.pattern": "instance-attribute",
    }


@pytest.mark.parametrize(
    ("pattern", "kind"),
    [
        (re.compile(r"\s+$"), "quadratic: every start scans the run of spaces"),
        (re.compile(r"\d[\d,]*\s+users"), "quadratic: the issue's '1,' * n"),
        (re.compile(r"(?:\w+\s?)+!"), "exponential: nested quantifiers"),
        (re.compile(r"(?:y|[\U0001F300-\U0001FAFF]+)+(?=\s*$)"), "exponential: emoji run"),
    ],
)
def test_the_harness_flags_backtracking_patterns(pattern: re.Pattern[str], kind: str) -> None:
    with pytest.raises(AssertionError, match="superlinear on"):
        assert_linear(pattern)
    assert kind


@pytest.mark.parametrize(
    "pattern",
    [
        re.compile(r"(?<!\s)\s++$"),
        re.compile(r"(?<!\d)(?<!\d,)\d++(?:,\d++)*+\s++users"),
        re.compile(r"\b(?:alert|paged)\b"),
    ],
)
def test_the_harness_passes_linear_patterns(pattern: re.Pattern[str]) -> None:
    assert_linear(pattern)


def test_shapes_include_the_patterns_own_words_and_the_issue_shapes() -> None:
    shapes = adversarial_shapes(re.compile(r"\badd\s+(?P<what>.+)"))
    samples = {label: build(40) for label, build in shapes.items()}
    assert any(s.startswith("add \t\t") and s.endswith("x") for s in samples.values())
    assert any(set(s) == {"1", ","} for s in samples.values())
    assert any(set(s) == {"1", "."} for s in samples.values())
    assert any(s.startswith("😀😀") and s.endswith("x") for s in samples.values())
    assert any(set(s) == {"a", "-"} for s in samples.values())
    assert any(set(s) == {"["} for s in samples.values())


# ---------------------------------------------------------------------------------------------
# Issue 9's inputs, through the extractive engine (time ratio at two sizes, one run)
# ---------------------------------------------------------------------------------------------


def _transcript(payload: str) -> Transcript:
    texts = [
        "checkout errors at 45% for users since the deploy",
        payload,
        "rollback complete, error rate back to normal",
    ]
    return Transcript(
        format="bracket-inline",
        messages=[
            Message(id=i, time=f"09:{10 + i}", author=a, text=t, line_start=i, line_end=i)
            for i, (a, t) in enumerate(zip(("Priya", "Ravi", "Priya"), texts, strict=True), 1)
        ],
    )


def _engine_growth(build: Callable[[int], str], small: int = 600) -> float:
    """time(extract, 8x the payload) / time(extract, payload); inf past the guard."""
    import time

    times = []
    try:
        with _guard(20.0):
            for size in (small, small * SCALE):
                transcript = _transcript(build(size))
                best = math.inf
                for _ in range(2):
                    start = time.thread_time()
                    extract_report(transcript)
                    best = min(best, time.thread_time() - start)
                times.append(best)
    except _Unbounded:
        return math.inf
    return times[1] / times[0]


ISSUE_9_PAYLOADS: dict[str, Callable[[int], str]] = {
    "message ending in an emoji run and a letter": lambda n: "it broke " + "😀" * n + "a",
    "'1,' * n (impact count/figure/money)": lambda n: "1," * n,
    "'1.' * n": lambda n: "1." * n,
    "'add ' + tabs + 'x' (action items)": lambda n: "add " + "\t" * n + "x",
    "'a-' * n (service names)": lambda n: "a-" * n,
    "'!' * n + 'x' after an impact message": lambda n: "45% of users see errors " + "!" * n + "x",
    "spaces then a letter": lambda n: "x " + " " * n + "x",
    "'[' * n": lambda n: "[" * n,
}


@pytest.mark.parametrize("build", ISSUE_9_PAYLOADS.values(), ids=ISSUE_9_PAYLOADS.keys())
def test_issue_9_inputs_keep_the_extractive_engine_linear(build: Callable[[int], str]) -> None:
    ratio = _engine_growth(build)
    assert ratio <= MAX_RATIO, f"{SCALE}x longer message took {ratio:.0f}x longer"


def test_the_275_byte_emoji_message_is_tidied_at_once() -> None:
    """26 emoji and a letter took 34 s (exponential); 30 about 9 minutes."""
    message = "checkout is failing again after the deploy, looking " + "😀" * 26 + "a"
    with _guard(5.0):
        assert tidy(message) == "C" + message[1:]  # a trailing letter: not chatter, kept
        assert tidy(message[:-1]) == "Checkout is failing again after the deploy, looking"
        assert tidy("Fixed it, lol 😀😀😀.") == "Fixed it."
        assert tidy("rolled back btw 🔥🔥") == "Rolled back"


# ---------------------------------------------------------------------------------------------
# Patterns built per call, out of the collector's reach
# ---------------------------------------------------------------------------------------------

PARTICIPANTS = ["Priya Sharma", "Ravi", "Al", "o'brien", "ops-bot", "Zoë Müller", "a.b-c"]


def test_the_stakeholder_scrubber_name_pattern_is_linear() -> None:
    from app.render.scrub import _names_pattern

    pattern = _names_pattern(tuple(PARTICIPANTS), ignore_case=True)
    assert pattern is not None
    assert_linear(pattern, name="render.scrub._name_pattern", extra=["Priya ", "Ravi's ", "Al-"])


def test_the_roster_name_pattern_is_linear() -> None:
    from app.engines.extractive.people import Roster

    roster = Roster(PARTICIPANTS)
    pattern = roster.name_pattern()
    assert pattern is not None
    assert_linear(pattern, name="Roster.name_pattern", extra=["@priya ", "Ravi,", "Al."])
