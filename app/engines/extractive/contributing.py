"""Contributing factors: the missing safeguards that let the incident happen or last.

"no alert on retained WAL", "the runbook doesn't mention it", "nobody looked at the warning": a
gap (`cause_cues.GAP`) or another problem added on ("also, ..."). A correction, a guess, a
question, a plan, and anything about what the chat ruled out are never factors: "the v2.14
deploy was not involved" rules the deploy out, it does not name a factor.
"""

from __future__ import annotations

import re

from app.engines.extractive import cause_cues as cc
from app.engines.extractive.chat import Chat, Finding, Sentence
from app.engines.extractive.corrections import RuledOut
from app.engines.extractive.cues import FOLLOW_UP, REQUEST
from app.engines.extractive.text import is_question

_CLAUSE = re.compile(r"\s[—–-]\s|;\s")


def _states_gap(sentence: Sentence) -> bool:
    lower = sentence.lower
    also = cc.ALSO(lower) and cc.FAULT(lower) and not REQUEST(lower)
    return bool(cc.GAP(lower) or also) and not cc.INTENT(lower)


def _eligible(sentence: Sentence, ruled: RuledOut) -> bool:
    """A sentence that could state a factor. A proposal can still state a gap in another clause
    ("update the runbook — it doesn't mention X"): only the clause with the gap must not be one."""
    if not sentence.text or is_question(sentence.raw):
        return False
    lower = sentence.lower
    if cc.DISMISSAL(lower) or cc.HEDGE(lower) or ruled.covers(sentence.raw):
        return False
    if not FOLLOW_UP(lower):
        return True
    return any(cc.GAP(c) and not FOLLOW_UP(c) for c in _CLAUSE.split(lower))


def find_contributing_factors(
    chat: Chat,
    skip_ids: set[int],
    root_cause: Finding | None,
    ruled: RuledOut,
    limit: int = 4,
) -> list[Finding]:
    """Gaps that let the incident happen or last, each in the words of its message."""
    factors: list[Finding] = []
    cause_text = root_cause.text if root_cause else ""
    seen: set[str] = set()
    for message in chat.messages:
        if message.id in skip_ids:
            continue
        for sentence in chat.sentences(message):
            if not _eligible(sentence, ruled) or not _states_gap(sentence):
                continue
            if sentence.text in cause_text or sentence.text in seen:
                continue
            seen.add(sentence.text)
            factors.append(Finding.quote(message, sentence.text))
            if len(factors) == limit:
                return factors
    return factors
