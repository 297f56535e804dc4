"""CPython's cyclic collector paused around one synchronous step that allocates a great deal.

Parsing, redacting and checking a long chat each build hundreds of thousands of small
containers (messages, lines, postings, sets, assessments) that live as long as the step or the
draft; none of them is cyclic garbage. With the collector on, every 700 allocations start a
young collection and every few of those an older one, and the full collections walk the whole
heap (the chat, its index) again and again: a quarter of a 10,000-message draft's CPU.
Paused, the step's survivors are walked once, by the first young collection after it.

`gc.disable` is process-wide: a pause only turns the collector back on when it was on at the
start, so nested pauses (and a pause in another thread) never leave it off. Reference counting
still frees everything that is not in a cycle while the collector is paused.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off for the block (left as it was when it was off already)."""
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def pauses_collector(step: Callable[P, T]) -> Callable[P, T]:
    """`step` (synchronous) run with the cyclic collector paused (see `collector_paused`)."""

    @functools.wraps(step)
    def paused(*args: P.args, **kwargs: P.kwargs) -> T:
        with collector_paused():
            return step(*args, **kwargs)

    return paused
