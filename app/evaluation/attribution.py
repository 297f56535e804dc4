"""Attribution: did the parser credit every message to the author (and time) a reader would?

The gold is `messages.json` beside an incident's transcript: one `{author, time}` per message as
a careful reader splits the chat. The parsed messages are aligned with it in order
(`difflib.SequenceMatcher` over `(author, time)` keys, linear-ish on real chats); a gold message
counts as attributed when an aligned parsed message has the same author and the same time. A
message the parser merged into another, split, or credited to someone else is unmatched.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from app.evaluation.gold import GoldMessage
from app.models import Message


@dataclass(frozen=True)
class Attribution:
    """Gold messages, how many the parser attributed right, and a few misses to look at."""

    gold: int
    attributed: int
    misses: list[str]

    @property
    def accuracy(self) -> float | None:
        return round(self.attributed / self.gold, 4) if self.gold else None


def _key(author: str | None, time: str | None) -> tuple[str, str]:
    return ((author or "").strip().casefold(), (time or "")[:5])


def measure_attribution(gold: Sequence[GoldMessage], parsed: Sequence[Message]) -> Attribution:
    """Align `parsed` with `gold` and count the gold messages whose author and time agree."""
    expected = [_key(m.author, m.time) for m in gold]
    actual = [_key(m.author, m.time) for m in parsed]
    matcher = difflib.SequenceMatcher(a=expected, b=actual, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    misses = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for i in range(i1, i2):
            seen = ", ".join(f"{a or '?'}@{t or '-'}" for a, t in actual[j1:j2][:2]) or "nothing"
            misses.append(f"message {i + 1} ({gold[i].author}@{gold[i].time or '-'}) -> {seen}")
    return Attribution(gold=len(gold), attributed=matched, misses=misses[:10])
