"""Every regular expression under app/ingest runs in linear time on any input.

Each compiled pattern is searched in adversarial strings built for it (runs of separators,
digits, clock fragments, emoji, whitespace, words, after the openers header shapes start with)
at two sizes; a pattern whose time grows faster than linearly fails. The check is a ratio within
one run (8x the input may cost at most 24x the time; quadratic growth costs 64x), never an
absolute time, and only inputs slow enough to measure are compared.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time

import pytest

import app.ingest

SMALL, LARGE = 500, 4000
MEASURABLE = 0.001  # seconds at the large size below which timing noise dominates
MAX_RATIO = 24.0

UNITS = [
    " ", "\t", "a", "A", "1", "1:", "12:00 ", ":", "-", ".", ",", "/", "[", "]", "<", ">", "@",
    "*", "#", "a ", "Ab ", "1,", "1.", "👍", "👍 1 ", ":+1: 1 ", "From a to ", " by A", " to ",
    "> ", "```", "Jan 1 ", "\u00a0", "a-", "_", "=", "'", "<@U1|", "<a", "a:", "A by ", "—",
    " - ", "1/1/25, ", "User ", "@a ", "a.b", "0", ".0",
]  # fmt: skip
OPENERS = ["", "[", "12:00 ", "[1/2/25, 10:02:33] ", "1/2/25, 10:02 - ", "From ", "Jan 15 ",
           "Jan 15, 2025 10:02 AM  ", "<", "#", "> ", "10:02:33 From ", "2025-01-15T10:02:33",
           "Priya ", "A a "]  # fmt: skip


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    found = []
    for info in pkgutil.walk_packages(app.ingest.__path__, "app.ingest."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found.append((f"{info.name}.{name}", value))
    return found


PATTERNS = _patterns()


def _seconds(pattern: re.Pattern[str], text: str) -> float:
    best = float("inf")
    for _ in range(5):
        started = time.thread_time()
        pattern.search(text)
        best = min(best, time.thread_time() - started)
    return best


def test_the_patterns_were_found() -> None:
    assert len(PATTERNS) >= 40


def _superlinear(
    pattern: re.Pattern[str], openers: list[str], units: list[str]
) -> list[tuple[str, str, float]]:
    slow = []
    for opener in openers:
        for unit in units:
            large = opener + unit * LARGE + "\x00"
            started = time.thread_time()
            pattern.search(large)
            if time.thread_time() - started < MEASURABLE:
                continue
            ratio = 0.0
            for _attempt in range(2):  # a second measurement rules out a noisy first one
                small_time = _seconds(pattern, opener + unit * SMALL + "\x00")
                large_time = _seconds(pattern, large)
                ratio = large_time / max(small_time, 1e-9) if large_time >= MEASURABLE else 0.0
                if ratio <= MAX_RATIO:
                    break
            if ratio > MAX_RATIO:
                slow.append((opener, unit, round(ratio, 1)))
    return slow


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[n for n, _ in PATTERNS])
def test_pattern_is_linear_on_adversarial_input(name: str, pattern: re.Pattern[str]) -> None:
    slow = _superlinear(pattern, OPENERS, UNITS)
    assert not slow, f"{name} grows faster than linearly on {slow[:5]}"


def test_the_check_catches_a_quadratic_pattern() -> None:
    quadratic = re.compile(r"\A[-= \t]*+(?P<core>.*?)[-= \t]*+\Z")  # lazy core, greedy tail
    assert _superlinear(quadratic, ["[", "a"], [" ", "-"])
    assert not _superlinear(re.compile(r"\A[-= \t]*+\S"), ["[", "a"], [" ", "-"])
