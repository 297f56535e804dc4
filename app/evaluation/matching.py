"""The matching rules the metrics are built on: keywords, clock times and one-to-one pairing."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from app.models import hhmm

MINUTES_PER_DAY = 24 * 60


def matches_keywords(text: str, keywords: Sequence[Sequence[str]]) -> bool:
    """True when every group has an alternative occurring in `text` (case-insensitive substring).

    No groups at all matches any text.
    """
    folded = text.casefold()
    return all(any(alt.casefold() in folded for alt in group) for group in keywords)


def minute_of_day(value: str) -> int:
    """Minutes since midnight of the wall-clock part of 'HH:MM[:SS]' or an ISO 8601 datetime."""
    clock = hhmm(value)
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def times_within(a: str, b: str, minutes: int = 1) -> bool:
    """True when two wall-clock times are at most `minutes` apart (across midnight too)."""
    gap = abs(minute_of_day(a) - minute_of_day(b))
    return min(gap, MINUTES_PER_DAY - gap) <= minutes


def one_to_one(
    left: int, right: int, compatible: Callable[[int, int], bool]
) -> list[tuple[int, int]]:
    """A maximum one-to-one matching between `left` and `right` items, as sorted index pairs.

    Augmenting paths (Kuhn's algorithm), trying candidates in index order, so the result is
    deterministic; sizes are tens of items, so the O(V*E) cost does not matter.
    """
    edges = [[j for j in range(right) if compatible(i, j)] for i in range(left)]
    owner: dict[int, int] = {}  # right index -> left index

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(left):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


_WHITESPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Text without whitespace, case-folded: how impact figures are compared."""
    return _WHITESPACE.sub("", text).casefold()


def contains_figure(text: str, figure: str) -> bool:
    """True when `figure` occurs in `text` once spaces are removed from both ('1.5 s' = '1.5s')."""
    return squash(figure) in squash(text)
