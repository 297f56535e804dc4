"""Every regex the redaction step runs is linear on any input, and so is the step itself.

Each compiled pattern under `app/redact` (and each detect-secrets pattern it runs) is matched
against adversarial strings built for it: repeated separators, emoji, digit/comma and
whitespace runs, and runs of its own literal parts and character classes (`password` +
spaces, `-----BEGIN` repeated, `a://b:` repeated). Time is measured at two sizes, four times
apart, and compared as a ratio in the same run: linear work grows about 4x, quadratic 16x.
A shape that grows faster than 6x is measured again over two larger size steps, and the test
fails if it grows faster than 8x over both. No absolute time is asserted.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import app.redact
from app.models import Message, Transcript
from app.redact import library, redact_text, redact_transcript

SMALL = 500
FACTOR = 4
SCREEN_RATIO = 6.0
FAIL_RATIO = 8.0

GENERIC = (
    " ", "\t", "\n", "a", "Z", "1", "1,", "1.", "a-", "a_", "a.", "-", "_", ".", ":", "=", "/",
    "@", "#", "?", "&", ";", ",", "'", '"', "`", "\\", "%", "+", "*", "~", "(", "[", "{", "<",
    "\U0001f600", "\U0001f600a", "é", "ab1", "A1b2", "a ", "a\t", "x=", "x:", "x@", "x/", "a:/",
    "a://", "$", "a=b&", "a:b@", "1:", "A",
)  # fmt: skip
_JOINERS = (" ", "=", ":", "a")


def _patterns() -> dict[str, re.Pattern[str]]:
    """Every compiled pattern in the app.redact modules, by where it lives."""
    found: dict[str, re.Pattern[str]] = {}

    def walk(name: str, value: object, depth: int = 0) -> None:
        if isinstance(value, re.Pattern):
            if isinstance(value.pattern, str):
                found.setdefault(name, value)
        elif depth < 4 and isinstance(value, tuple | list | frozenset | set):
            for i, item in enumerate(value):
                walk(f"{name}[{i}]", item, depth + 1)
        elif depth < 4 and isinstance(value, dict):
            for key, item in value.items():
                walk(f"{name}[{key!r}]", item, depth + 1)
        elif depth < 4 and hasattr(value, "denylist") and not isinstance(value, type):
            walk(f"{name}.denylist", value.denylist, depth + 1)

    for module_info in pkgutil.iter_modules(app.redact.__path__):
        module = importlib.import_module(f"app.redact.{module_info.name}")
        for attr, value in vars(module).items():
            walk(f"{module_info.name}.{attr}", value)
    walk("library._PRIVATE_KEY", library._PRIVATE_KEY)
    return found


PATTERNS = _patterns()


def _literals(pattern: re.Pattern[str]) -> set[str]:
    """Literal runs of the pattern, and one sample character per character class."""
    parser = re._parser  # type: ignore[attr-defined]
    constants = re._constants  # type: ignore[attr-defined]
    out: set[str] = set()

    def walk(items: object) -> None:
        run: list[str] = []
        for op, av in items:  # type: ignore[attr-defined]
            if op is constants.LITERAL:
                run.append(chr(av))
                continue
            if run:
                out.add("".join(run))
                run = []
            if op is constants.IN:
                for kind, value in av:
                    if kind is constants.LITERAL:
                        out.add(chr(value))
                    elif kind is constants.RANGE:
                        out.add(chr(value[0]))
            elif op is constants.SUBPATTERN:
                walk(av[-1])
            elif op is constants.BRANCH:
                for branch in av[1]:
                    walk(branch)
            elif op in (
                constants.MAX_REPEAT,
                constants.MIN_REPEAT,
                constants.POSSESSIVE_REPEAT,
            ):
                walk(av[2])
            elif op in (constants.ASSERT, constants.ASSERT_NOT, constants.ATOMIC_GROUP):
                walk(av[-1])
        if run:
            out.add("".join(run))

    walk(parser.parse(pattern.pattern, pattern.flags))
    return {literal for literal in out if literal} | {o.lower() for o in out if o}


def _shapes(pattern: re.Pattern[str]) -> Iterator[Callable[[int], str]]:
    """Adversarial inputs of about `size` characters."""

    def repeat(unit: str, head: str = "", tail: str = "") -> Callable[[int], str]:
        return lambda size: head + unit * max(1, size // len(unit)) + tail

    literals = _literals(pattern)
    for unit in sorted({*GENERIC, *(c for c in literals if len(c) == 1)}):
        yield repeat(unit)
        yield repeat(unit, tail="\x00")
    for literal in sorted(c for c in literals if len(c) > 1):
        yield repeat(literal)
        for joiner in _JOINERS:
            yield repeat(literal + joiner)
            yield repeat(joiner, head=literal)


def _seconds(action: Callable[[], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.thread_time()  # CPU time: other processes on the machine do not count
        action()
        best = min(best, time.thread_time() - start)
    return best


def _growth(
    run: Callable[[str], object], build: Callable[[int], str], size: int, runs: int
) -> float:
    small, large = build(size), build(size * FACTOR)
    return _seconds(lambda: run(large), runs) / max(_seconds(lambda: run(small), runs), 1e-9)


def _superlinear(run: Callable[[str], object], build: Callable[[int], str]) -> float | None:
    """The growth ratio if it stays above FAIL_RATIO over two further size steps, else None.

    Two steps, because a bounded repeat (`{1,4096}`) can make one step look steep: the cost per
    character changes once the bound is reached, and then growth is linear again."""
    screened = _growth(run, build, SMALL, 1)
    if screened <= SCREEN_RATIO:
        return None
    screened = _growth(run, build, SMALL, 3)
    if screened <= SCREEN_RATIO:
        return None  # a hiccup of the machine, not the pattern
    if screened > FAIL_RATIO**2 / 2:
        return screened  # cubic or worse: larger sizes would take hours
    ratios = []
    for size in (SMALL * FACTOR, SMALL * FACTOR**2):
        ratio = min(_growth(run, build, size, 2) for _ in range(2))
        if ratio <= FAIL_RATIO:
            return None
        ratios.append(ratio)
    return min(ratios)


def test_patterns_are_found() -> None:
    """The walk sees the patterns of every detector module (and detect-secrets' own)."""
    modules = {name.split(".")[0] for name in PATTERNS}
    assert {"urls", "prose", "assignments", "commands", "vendors", "headers", "cloud"} <= modules
    assert {"private_keys", "config_files", "echo", "values", "library"} <= modules
    assert len(PATTERNS) > 150


def test_no_regex_is_built_inline() -> None:
    """Patterns live in module constants, so the walk above sees every one of them."""
    inline = re.compile(r"\bre\.(?:match|search|sub|subn|split|findall|finditer|fullmatch)\(")
    sources = Path(app.redact.__file__).parent.glob("*.py")
    offenders = [f"{p.name}: {m.group()}" for p in sources for m in inline.finditer(p.read_text())]
    assert offenders == []


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_pattern_is_linear_on_adversarial_input(name: str) -> None:
    pattern = PATTERNS[name]

    def run(text: str) -> object:
        return list(pattern.finditer(text))

    slow = {}
    for build in _shapes(pattern):
        ratio = _superlinear(run, build)
        if ratio is not None:
            slow[build(40)[:40]] = round(ratio, 1)
    assert slow == {}, f"{name} grows faster than linear on: {slow}"


def _all_literals() -> list[str]:
    """The patterns' literal parts of three characters or more (shorter ones are pieces of
    these, or among GENERIC)."""
    return sorted(
        {literal for p in PATTERNS.values() for literal in _literals(p) if len(literal) > 2}
    )


@pytest.mark.parametrize("chunk", range(4))
def test_redact_text_is_linear_on_adversarial_input(chunk: int) -> None:
    """The detectors' own loops (merging, value checks, context look-backs) stay linear too."""
    units = [*GENERIC, *_all_literals()]
    slow = {}
    for unit in units[chunk::4]:
        builds: dict[str, Callable[[int], str]] = {}
        for shape in (unit, unit + " ", unit + "=a1B2c3D4e5 "):
            builds[shape] = lambda size, shape=shape: shape * max(1, size // len(shape))
        for run in (" ", "a", "="):
            builds[unit + run * 3] = lambda size, unit=unit, run=run: unit + run * size
        for label, build in builds.items():
            ratio = _superlinear(redact_text, build)
            if ratio is not None:
                slow[label[:40]] = round(ratio, 1)
    assert slow == {}, f"redact_text grows faster than linear on: {slow}"


def test_echo_pass_is_linear_in_messages_times_secrets() -> None:
    """Every message pastes its own secret: the echo pass must not compare every known secret
    with every message (that was quadratic in the number of messages)."""

    def transcript(count: int) -> Transcript:
        messages = [
            Message(
                id=i,
                time="14:00",
                author="ravi",
                text=f"PGPASSWORD=Xk9#pq{i:06d}vR psql -h db-{i}.internal, retried Xk9#pq{i:06d}vR",
                line_start=i,
                line_end=i,
            )
            for i in range(1, count + 1)
        ]
        return Transcript(format="plain", messages=messages)

    small, large = transcript(500), transcript(500 * FACTOR)
    ratio = min(
        _seconds(lambda: redact_transcript(large), 1)
        / _seconds(lambda: redact_transcript(small), 1)
        for _ in range(2)
    )
    assert ratio < FAIL_RATIO, f"redact_transcript grew {ratio:.1f}x for {FACTOR}x the messages"
