"""The cheap tests the checker's text readings run before their patterns never turn a match away.

Each gate (`may_say` with a cue's words, `may_give`, `may_head`, the digit test) is False only
for texts its pattern cannot match: held to the patterns on every line of the fixtures and the
eval chats, and on texts built from the cues' own words in any case, with the letters that
IGNORECASE folds differently from `str.lower` ('İ', 'ı', 'ſ', the Kelvin sign).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.verify import assignment_cues as cues
from app.verify import components
from app.verify import text as verify_text
from app.verify.assignments import _numbers

ROOT = Path(__file__).parent.parent
GATES: list[tuple[re.Pattern[str], Callable[[str], bool]]] = [
    (cues.ORDINAL, lambda t: cues.may_say(t, cues.ORDINAL_WORDS)),
    (cues.PROPOSAL, lambda t: cues.may_say(t, cues.PROPOSAL_WORDS)),
    (cues.DEFERRAL, lambda t: cues.may_say(t, cues.DEFERRAL_WORDS)),
    (cues.ASSIGNING, lambda t: cues.may_say(t, cues.ASSIGNING_WORDS)),
    (cues.TAKING, cues.may_take),
    (cues.TASK_THEN_NAME, cues.may_give),
    (cues.HEADER, cues.may_head),
    (cues.NUMBER, lambda t: cues.DIGIT.search(t) is not None),
    (cues.VERB_NUMBER, lambda t: cues.DIGIT.search(t) is not None),
    # identifier_components: a system name has a '-' or a '.'
    (components._SYSTEM_TOKEN, lambda t: "-" in t or "." in t),
    # `text.clauses`: a text without a clause mark is not split
    (verify_text._CLAUSE_SPLIT, lambda t: verify_text._CLAUSE_MARK.search(t) is not None),
]
_PIECES = [
    *cues.ORDINALS, "one", "item", "point", "bullet", "we", "someone", "one of us", "should",
    "need to", "needs", "must", "ought to", "could", "has to", "have to", "let's", "let’s",
    "who", "can", "anyone", "follow-up", "follow up", "todo", "to-do", "action item",
    "action items", "next steps", "whoever", "backlog", "unassigned", "unowned", "no owner",
    "someone else", "not me", "tbd", "later", "not assigning", "not pick", "can wait",
    "team board", "nobody", "no one", "assign", "assigning", "assigned", "to", "Priya", "@Ben",
    "i'll", "I’ll", "i will", "we'll", "i can", "i'm", "i am", "on", "taking", "grabbing", "me",
    "let me", "i got", "i've got", "dibs", "put me", "for me", "on me", "happy to", "claiming",
    "i volunteer", "leave it with me", "on my plate", "i'd like to take", "owning", "handle",
    ":", "->", "→", "=>", "ok", "so", "take", "do", "#", "2", "12", "٣", "١٢", "and", "mine",
    "the runbook", "checkout-api", "pool.ntp.org", "a", "b2", "İ", "ı", "ſ", "\u212a", "\t",
    " ", "  ", ".", "!", "?", ",", "\n", ";", "—", "–", " — ", "(a) ", "(b)", "Zed", "\u2028",
]  # fmt: skip


def _lines() -> list[str]:
    lines: list[str] = []
    for folder in (ROOT / "tests" / "data", ROOT / "eval" / "samples"):
        for path in sorted(folder.rglob("*.txt")):
            lines += path.read_text(encoding="utf-8-sig").splitlines()
    return lines


def _cased(text: str, flips: list[bool]) -> str:
    return "".join(c.upper() if flips[i % len(flips)] else c for i, c in enumerate(text))


def _kept(text: str) -> bool:
    return all(gate(text) or pattern.search(text) is None for pattern, gate in GATES)


def test_every_gate_keeps_every_fixture_line_its_pattern_matches() -> None:
    lines = _lines()
    assert len(lines) > 1000
    matched = {pattern.pattern: 0 for pattern, _ in GATES}
    for line in lines:
        for pattern, gate in GATES:
            if pattern.search(line) is not None:
                matched[pattern.pattern] += 1
                assert gate(line), (pattern.pattern[:40], line)
    assert sum(matched.values()) > 100  # (ORDINAL and ASSIGNING: the generated texts below)


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES), max_size=12),
    st.lists(st.booleans(), min_size=1, max_size=5),
    st.text(max_size=6),
)
def test_every_gate_keeps_every_cue_text_in_any_case(
    pieces: list[str], flips: list[bool], noise: str
) -> None:
    for text in (" ".join(pieces), "".join(pieces) + noise, noise + " ".join(pieces)):
        for variant in (text, _cased(text, flips), text.upper()):
            assert _kept(variant), variant


def test_ignorecase_letters_that_lower_does_not_give_are_always_tried() -> None:
    # 'ſecond one' matches ORDINAL ('ſ' is 's' to IGNORECASE) though its lower case holds no
    # 'second': the gate lets it through to the pattern.
    assert cues.ORDINAL.search("the ſecond one") is not None
    assert cues.may_say("the ſecond one", cues.ORDINAL_WORDS)
    assert not cues.may_say("the second-hand one", ("third",))
    assert _numbers("I'll take the second one and #3") == [3, 2]
    assert _numbers("nothing to number here") == []
