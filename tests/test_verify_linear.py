"""Every regular expression of the checker is linear on any input, and so is the checker.

Each compiled pattern in `app/verify` is run over adversarial strings (runs of one character or
of a short unit, with and without a character that makes a match fail at the end) at two sizes;
the time may grow with the size, not with its square. A ratio within one run, not an absolute
time, so the test holds on a slow machine. A pattern written inline in a function would escape
this sweep, so the source is checked to hold none.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import app.verify
from app.ingest import parse_transcript
from app.verify import split_claims, verify_draft

SMALL, LARGE = 1_000, 4_000  # 4x the size: linear is ~4x the time, quadratic ~16x
MAX_RATIO = 9.0
UNITS = [
    " ",
    "\t",
    "\n",
    "a",
    "A",
    "1",
    ",",
    ".",
    ":",
    "-",
    "_",
    "*",
    "#",
    "[",
    "]",
    "(",
    "{",
    "@",
    "🙂",
    "1,",
    "1.",
    "a-",
    "[m",
    "m1,",
    "1:",
    "**",
    " a",
    "1 ",
    "- ",
    "<a",
    "? ",
    "I'll ",
]
ENDINGS = ["", "!", "x"]


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    found: list[tuple[str, re.Pattern[str]]] = []
    for info in pkgutil.iter_modules(app.verify.__path__):
        module = importlib.import_module(f"app.verify.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found.append((f"{info.name}.{name}", value))
    return found


PATTERNS = _patterns()


def _timed(action: Callable[[], object], budget: float) -> float:
    """Seconds per call, calling `action` until `budget` seconds have passed (at least once)."""
    calls, start = 0, time.thread_time()
    while True:
        action()
        calls += 1
        spent = time.thread_time() - start
        if spent >= budget:
            return spent / calls


def _ratio(run: Callable[[str], object], small: str, large: str, budget: float) -> float:
    """Time for the large input over time for the small one (best of three each)."""
    large_time = min(_timed(lambda: run(large), budget * 4) for _ in range(3))
    small_time = min(_timed(lambda: run(small), budget) for _ in range(3))
    return large_time / max(small_time, 1e-7)


def _settled_ratio(run: Callable[[str], object], small: str, large: str, budget: float) -> float:
    """`_ratio`, measured again (up to three times in all) while it looks too high: other tests
    running in parallel can slow one measurement, never all of them."""
    ratio = _ratio(run, small, large, budget)
    for _ in range(2):
        if ratio < MAX_RATIO:
            break
        ratio = min(ratio, _ratio(run, small, large, budget * 2))
    return ratio


def _worst_ratio(run: Callable[[str], object]) -> tuple[float, str]:
    """The worst growth over every shape: a quick pass over all of them, then a careful one
    (best of three, each timed over several milliseconds) for the shapes that looked bad."""
    worst = (0.0, "")
    for unit in UNITS:
        for ending in ENDINGS:
            small = unit * (SMALL // len(unit)) + ending
            large = unit * (LARGE // len(unit)) + ending
            ratio = _ratio(run, small, large, 0.0)
            if ratio >= MAX_RATIO:
                ratio = _settled_ratio(run, small, large, 0.003)
            if ratio > worst[0]:
                worst = (ratio, f"{unit!r} * n + {ending!r}")
    return worst


def test_the_sweep_finds_the_patterns() -> None:
    assert len(PATTERNS) >= 60
    names = {name for name, _ in PATTERNS}
    assert {"citations.MARKER", "splitting._LINK", "times.CLOCK", "quantities._FIGURE"} <= names


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[n for n, _ in PATTERNS])
def test_every_pattern_is_linear(name: str, pattern: re.Pattern[str]) -> None:
    def run(text: str) -> object:
        pattern.search(text)
        pattern.match(text)
        return sum(1 for _ in pattern.finditer(text))

    ratio, shape = _worst_ratio(run)
    assert ratio < MAX_RATIO, f"{name} grows {ratio:.1f}x for 4x input on {shape}"


def test_a_quadratic_pattern_fails_the_sweep() -> None:
    """The sweep itself works: a pattern known to backtrack is caught."""
    quadratic = re.compile(r"\[([^\]]+)\]\(")
    ratio, _ = _worst_ratio(lambda text: sum(1 for _ in quadratic.finditer(text)))
    assert ratio >= MAX_RATIO


def test_no_pattern_is_written_inline() -> None:
    calls = {"compile", "search", "match", "fullmatch", "sub", "split", "findall", "finditer"}
    inline: list[str] = []
    for path in Path(app.verify.__path__[0]).glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and isinstance(call.func.value, ast.Name)
                    and call.func.value.id == "re"
                    and call.func.attr in calls
                ):
                    inline.append(f"{path.name}:{call.lineno}")
    assert inline == []


TRANSCRIPT = parse_transcript(
    "\n".join(
        f"[09:{i % 60:02d}] Priya: checkout-service errors at {i}% after deploy" for i in range(200)
    )
)


@pytest.mark.parametrize(
    "unit", ["[", "]", "(", "*", "|", "1,", "a-", "- ", "\n", "**x** ", "[m1]"]
)
def test_splitting_a_draft_is_linear(unit: str) -> None:
    small, large = unit * (SMALL // len(unit)), unit * (LARGE // len(unit))
    ratio = _settled_ratio(split_claims, small, large, 0.002)
    assert ratio < MAX_RATIO, f"split_claims grows {ratio:.1f}x on {unit!r}"


@pytest.mark.parametrize("unit", ["[", "a ", "1, ", "**Date:** 2025-02-30\n"])
def test_checking_a_one_claim_draft_is_linear(unit: str) -> None:
    small, large = unit * (SMALL // len(unit)), unit * (LARGE // len(unit))

    def check(text: str) -> object:
        return verify_draft(text, TRANSCRIPT, max_claims=10_000)

    ratio = _settled_ratio(check, small, large, 0.002)
    assert ratio < MAX_RATIO, f"verify_draft grows {ratio:.1f}x on {unit!r}"
