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


# A number grouped in thousands ("6.214", "1,234,567"): the same number in either convention.
_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}+(?:[.,]\d{3}+)++(?![\d.,])")


def _regrouped(figure: str) -> str:
    """`figure` with its thousands separators swapped ('6.214' -> '6,214'); unchanged without."""

    def swap(match: re.Match[str]) -> str:
        number = match.group(0)
        if "." in number and "," in number:
            return number  # already mixed ("1,234.5" never matches: decimals are not groups)
        return number.translate(str.maketrans(".,", ",."))

    return _GROUPED.sub(swap, figure)


def contains_figure(text: str, figure: str) -> bool:
    """True when `figure` occurs in `text` once spaces are removed from both ('1.5 s' = '1.5s'),
    a number grouped in thousands matching in either convention ('6.214' = '6,214', as a German
    chat and an English draft write it)."""
    haystack = squash(text)
    return squash(figure) in haystack or squash(_regrouped(figure)) in haystack
