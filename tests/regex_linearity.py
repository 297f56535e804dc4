"""A shared harness that proves compiled regexes run in linear time on hostile input.

Any test can use it:

    from tests.regex_linearity import assert_linear, collect_patterns

    for site in collect_patterns("app.ingest"):
        assert_linear(site.pattern, name=site.name)

`collect_patterns` imports every module of a package and finds each `re.Pattern` held at module or
class level, also inside tuples, lists, dicts, sets and the attributes of objects defined in the
package. `adversarial_inputs` builds strings aimed at the usual backtracking traps (runs of one
separator, emoji, digit/comma and digit/dot runs, whitespace and tab runs, `a-` and `[` runs, a
trailing letter that makes the match fail at the very end) plus shapes made of the pattern's own
literal words. `growth` times a pattern at two sizes and returns the ratio of the times: about
`SCALE` for a linear pattern, `SCALE**2` for a quadratic one; an exponential one runs past the
guard and counts as infinite. The verdict is a ratio measured in one run, never an absolute time,
so a slow CI machine does not change it.
"""

from __future__ import annotations

import importlib
import math
import pkgutil
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any

try:  # the parser behind re.compile, to find the literals a pattern spells out
    import re._parser as _sre_parser
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_parse as _sre_parser  # type: ignore[no-redef]

SMALL = 400  # characters of the smaller input
SCALE = 8  # the larger input is SCALE times longer
MAX_RATIO = SCALE * 3  # a growth exponent above ~1.5 fails (linear ~8, quadratic ~64)
GUARD_SECONDS = 1.0  # a measurement longer than this counts as unbounded
_MIN_SAMPLE = 2e-4  # repeat tiny timings until a sample lasts this long (timer noise)

# Units whose runs break naive patterns; each is repeated, with and without a trailing letter.
UNITS = (
    " ",
    "\t",
    "\n",
    " \t",
    "\r\n",
    ",",
    ".",
    ";",
    ":",
    "-",
    "_",
    "!",
    "?",
    "[",
    "]",
    "(",
    "*",
    "#",
    "@",
    "/",
    "'",
    '"',
    "`",
    "<",
    "=",
    "|",
    "\\",
    "a",
    "A",
    "1",
    "1,",
    "1.",
    "1:",
    "1 ",
    "12",
    "a-",
    "a ",
    "a.",
    "a,",
    "a1",
    "a_",
    "aA",
    "- ",
    ". ",
    ", ",
    ": ",
    "1, ",
    "$1",
    "1%",
    "😀",
    "😀 ",
    "🔥",
    "☀",
    "—",
    "– ",
    "…",
    "’",
    "é",
    "[a",
    "[1",
    "**",
    "a:",
    "a=",
    "x@",
)
_TAILS = ("", "x")
_WORD_SEPARATORS = (" ", "\t", ",", "-", "1,", "😀")
_WORD_IN_PATTERN = re.compile(r"(?<![\\?(<])\b[A-Za-z][a-z']{1,15}\b")
_MAX_WORDS = 8


@dataclass(frozen=True)
class PatternSite:
    """A compiled pattern and where it lives (`module.NAME`, `module.NAME[2][0]`, ...)."""

    name: str
    pattern: re.Pattern[str]

    @property
    def module(self) -> str:
        return self.name.split(":", 1)[0]


# ---------------------------------------------------------------------------------------------
# Collecting the patterns of a package
# ---------------------------------------------------------------------------------------------


def iter_modules(package: str) -> Iterator[ModuleType]:
    """The package and every module below it, imported."""
    root = importlib.import_module(package)
    yield root
    path = getattr(root, "__path__", None)
    if path is None:
        return
    for info in pkgutil.walk_packages(path, prefix=f"{package}."):
        yield importlib.import_module(info.name)


def _walk(value: Any, label: str, owner: str, depth: int) -> Iterator[tuple[str, Any]]:
    if isinstance(value, re.Pattern):
        yield label, value
        return
    if depth > 4:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{label}[{key!r}]", owner, depth + 1)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _walk(item, f"{label}[{index}]", owner, depth + 1)
    elif isinstance(value, (set, frozenset)):
        for index, item in enumerate(sorted(value, key=repr)):
            yield from _walk(item, f"{label}{{{index}}}", owner, depth + 1)
    elif isinstance(value, type):
        if value.__module__.startswith(owner):
            for key, item in vars(value).items():
                yield from _walk(item, f"{label}.{key}", owner, depth + 1)
    elif type(value).__module__.startswith(owner) and hasattr(value, "__dict__"):
        for key, item in vars(value).items():
            yield from _walk(item, f"{label}.{key}", owner, depth + 1)
    elif hasattr(value, "__slots__") and type(value).__module__.startswith(owner):
        for key in value.__slots__:
            yield from _walk(getattr(value, key, None), f"{label}.{key}", owner, depth + 1)


def _defined_here(module: ModuleType, top_name: str) -> bool:
    """True when the module's source assigns `top_name` (not just imports it)."""
    try:
        source = open(module.__file__ or "", encoding="utf-8").read()  # noqa: SIM115
    except OSError:
        return False
    return re.search(rf"^(?:class\s+)?{re.escape(top_name)}\b\s*[:=(]", source, re.M) is not None


def collect_patterns(package: str = "app") -> list[PatternSite]:
    """Every distinct compiled pattern held at module or class level in `package`.

    A pattern imported into several modules is reported once, under the module that defines it.
    Patterns compiled inside functions (per call, from user data) are out of reach here; test
    those where they are built.
    """
    owner = package.split(".")[0]
    sites: dict[int, tuple[bool, str, re.Pattern[str]]] = {}
    for module in iter_modules(package):
        for top_name, value in vars(module).items():
            if top_name.startswith("__"):
                continue
            for label, pattern in _walk(value, top_name, owner, 0):
                if not isinstance(pattern.pattern, str):
                    continue
                home = _defined_here(module, top_name)
                name = f"{module.__name__}:{label}"
                known = sites.get(id(pattern))
                if known is None or (home and not known[0]):
                    sites[id(pattern)] = (home, name, pattern)
    return sorted(
        (PatternSite(name, pattern) for _, name, pattern in sites.values()),
        key=lambda site: site.name,
    )


# ---------------------------------------------------------------------------------------------
# Hostile inputs
# ---------------------------------------------------------------------------------------------


def pattern_literals(pattern: re.Pattern[str]) -> list[str]:
    """Literal pieces the pattern spells out ("btw", "owner", "```"), longest first, a few.

    A hostile input that starts with the pattern's own words reaches the backtracking parts
    behind them, which runs of generic characters alone never do.
    """
    try:
        tree = _sre_parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # an internal API; fall back to the words of the source
        found = dict.fromkeys(w.lower() for w in _WORD_IN_PATTERN.findall(pattern.pattern))
    else:
        found = dict.fromkeys(_literal_runs(list(tree)))
    useful = [f for f in found if len(f.strip()) >= 2 or (f.strip() and not f.isalnum())]
    return sorted(useful, key=lambda f: (-len(f), f))[:_MAX_WORDS]


_CATEGORY_SAMPLE = {"CATEGORY_DIGIT": "1", "CATEGORY_SPACE": " ", "CATEGORY_WORD": "a"}


def _class_sample(items: list[tuple[Any, Any]]) -> str | None:
    """One character a character class accepts, or None for a negated or odd class."""
    for op, value in items:
        name = str(op)
        if name == "NEGATE":
            return None
        if name == "LITERAL":
            return chr(value)
        if name == "RANGE":
            return chr(value[0])
        if name == "CATEGORY" and str(value) in _CATEGORY_SAMPLE:
            return _CATEGORY_SAMPLE[str(value)]
    return None


def _literal_runs(items: list[tuple[Any, Any]]) -> Iterator[str]:
    run = ""
    for op, value in items:
        name = str(op)
        char = None
        if name == "LITERAL":
            char = chr(value)
        elif name == "IN":
            char = _class_sample(value)
        if char is not None:
            run += char
            continue
        if run:
            yield run
            run = ""
        if name == "BRANCH":
            for branch in value[1]:
                yield from _literal_runs(list(branch))
        elif name == "SUBPATTERN":
            yield from _literal_runs(list(value[-1]))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            yield from _literal_runs(list(value[2]))
        elif name in ("ASSERT", "ASSERT_NOT", "ATOMIC_GROUP"):
            body = value[1] if name != "ATOMIC_GROUP" else value
            yield from _literal_runs(list(body))
    if run:
        yield run


Shape = Callable[[int], str]


def _repeat(head: str, unit: str, tail: str) -> Shape:
    def build(length: int) -> str:
        count = max(1, (length - len(head) - len(tail)) // len(unit))
        return head + unit * count + tail

    return build


def adversarial_shapes(pattern: re.Pattern[str]) -> dict[str, Shape]:
    """Named builders of hostile strings for `pattern`; each takes a target length."""
    shapes: dict[str, Shape] = {}
    for unit in UNITS:
        for tail in _TAILS:
            shapes[f"{unit!r}*n+{tail!r}"] = _repeat("", unit, tail)
        shapes[f"'x '+{unit!r}*n+'x'"] = _repeat("x ", unit, "x")
    for word in pattern_literals(pattern):
        for separator in _WORD_SEPARATORS:
            shapes[f"{word!r}+{separator!r}*n+'x'"] = _repeat(f"{word} ", separator, "x")
        shapes[f"({word!r}+' ')*n+'x'"] = _repeat("", f"{word} ", "x")
        shapes[f"({word!r}+',')*n+'x'"] = _repeat("", f"{word},", "x")
    return shapes


# ---------------------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------------------


class _Unbounded(Exception):
    """A measurement ran past the guard."""


def _exhaust(pattern: re.Pattern[str], text: str) -> None:
    for _ in pattern.finditer(text):
        pass


@contextmanager
def _guard(seconds: float) -> Iterator[None]:
    """Raise `_Unbounded` after `seconds` (sre checks for signals while it backtracks).

    Off the main thread (or without SIGVTALRM) there is no guard: an exponential pattern then
    simply takes long, which still fails the test, only later.
    """
    usable = threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGVTALRM")
    if not usable:
        yield
        return

    def stop(*_: object) -> None:
        raise _Unbounded

    previous = signal.signal(signal.SIGVTALRM, stop)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)  # CPU seconds: a busy machine is no excuse
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


def _per_call(pattern: re.Pattern[str], text: str, samples: int, min_sample: float) -> float:
    """Best per-call time over `samples`; a call faster than `min_sample` is repeated."""
    best = math.inf
    for _ in range(samples):
        repeat = 1
        while True:
            start = time.thread_time()
            for _ in range(repeat):
                _exhaust(pattern, text)
            elapsed = time.thread_time() - start
            if elapsed >= min_sample or repeat >= 4096:
                break
            repeat *= 4
        best = min(best, elapsed / repeat)
    return best


def growth(
    pattern: re.Pattern[str], shape: Shape, *, samples: int = 1, min_sample: float = 0.0
) -> float:
    """time(SCALE x SMALL characters) / time(SMALL characters); math.inf when unbounded.

    The default is a quick screen (one call per size); `superlinear_shapes` re-measures
    a shape that fails it with repeated, longer samples before calling it superlinear.
    """
    small, large = shape(SMALL), shape(SMALL * SCALE)
    try:
        with _guard(GUARD_SECONDS):
            t_small = _per_call(pattern, small, samples, min_sample)
            t_large = _per_call(pattern, large, samples, min_sample)
    except _Unbounded:
        return math.inf
    # Correct for the inputs' actual lengths (a unit may not divide the target length).
    expected = len(large) / max(1, len(small))
    return (t_large / max(t_small, 1e-9)) * (SCALE / expected)


@dataclass(frozen=True)
class Superlinear:
    """A shape on which the pattern's time grew faster than linearly."""

    shape: str
    ratio: float

    def __str__(self) -> str:
        exponent = math.log(self.ratio, SCALE) if math.isfinite(self.ratio) else math.inf
        return (
            f"{self.shape}: {SCALE}x longer input took {self.ratio:.0f}x longer "
            f"(growth exponent {exponent:.2f}; linear is 1)"
        )


def superlinear_shapes(
    pattern: re.Pattern[str],
    shapes: dict[str, Shape] | None = None,
    *,
    first_only: bool = True,
) -> list[Superlinear]:
    """Shapes on which `pattern` grows faster than linearly (confirmed by a careful re-measure)."""
    found: list[Superlinear] = []
    for label, shape in (shapes or adversarial_shapes(pattern)).items():
        ratio = growth(pattern, shape)
        if ratio <= MAX_RATIO:
            continue  # the quick screen clears most shapes
        if math.isfinite(ratio):
            ratio = growth(pattern, shape, samples=3, min_sample=_MIN_SAMPLE)
        if ratio > MAX_RATIO:
            found.append(Superlinear(label, ratio))
            if first_only:
                break
    return found


def assert_linear(
    pattern: re.Pattern[str],
    *,
    name: str = "",
    extra: Iterable[str] = (),
) -> None:
    """Fail with the offending shape when `pattern` is not linear on hostile input.

    `extra` adds inputs of your own (written at any length: each is scaled by repetition).
    """
    shapes = adversarial_shapes(pattern)
    for index, sample in enumerate(extra):
        shapes[f"extra[{index}]"] = _repeat("", sample, "")
    slow = superlinear_shapes(pattern, shapes)
    if slow:
        raise AssertionError(f"{name or pattern.pattern!r} is superlinear on {slow[0]}")


def text_growth(step: Callable[[str], object], unit: str, repeats: int = 2_000) -> float:
    """How much longer `step` takes on `unit` repeated SCALE times as often (a trailing letter
    after the run): best of three thread-CPU timings each, as a ratio (linear ~SCALE)."""

    def cpu_seconds(text: str) -> float:
        best = float("inf")
        for _ in range(3):
            started = time.thread_time()
            step(text)
            best = min(best, time.thread_time() - started)
        return best

    small, large = unit * repeats + "x", unit * repeats * SCALE + "x"
    return cpu_seconds(large) / max(cpu_seconds(small), 1e-6)
