"""The cheap tests ingest runs before its costlier header patterns never turn a header away.

`may_end_in_time` is False only for lines that none of the patterns it guards can match, and
`LineFormat.matcher` answers exactly as `LineFormat.match` for every line of every fixture.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.ingest.copy_paste import _DISCORD_HEADER, _SLACK_HEADER, _TIME_ONLY, may_end_in_time
from app.ingest.detect import matching_keys
from app.ingest.formats import DETECTION_ORDER, line_format
from app.ingest.normalise import normalise

DATA = Path(__file__).parent / "data"
_GUARDED = (_SLACK_HEADER, _DISCORD_HEADER, _TIME_ONLY)
_TAILS = [
    "10:02", "10:02 AM", "9:12 p.m.", "10:02:33", "[10:02 AM]", "[ 10:02 ]  ", "10:02 am.",
    "3 minutes ago", "an hour ago", "a day ago]", "Yesterday at 11:52 PM", "Dec 4th at 3:06 PM",
    "１０:０２", "٣:٤٥", "10:02\u2003", "10:02 AM\t", "done.", "at 10", "ago", "m", "M.", "",
]  # fmt: skip


def _fixture_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted(DATA.rglob("*.txt")):
        lines += path.read_text(encoding="utf-8-sig").splitlines()
    return lines


def _agrees(line: str) -> bool:
    return may_end_in_time(line) or not any(p.match(line) for p in _GUARDED)


def test_the_time_gate_keeps_every_line_a_guarded_pattern_matches() -> None:
    lines = _fixture_lines()
    assert len(lines) > 1000
    heads = ["Priya Sharma", "kofi —", "kofi — 07/02/2025", "Ravi,", "Name\t", "[", ""]
    made = [f"{h} {t}" for h in heads for t in _TAILS] + [
        f"{h}  {t}" for h in heads for t in _TAILS
    ]
    matched = [line for line in lines + made if any(p.match(line) for p in _GUARDED)]
    assert len(matched) > 50  # the check has headers to keep
    assert all(may_end_in_time(line) for line in matched)
    assert not may_end_in_time("rolling back the deploy now.")


@settings(max_examples=3000, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("Priya —,[]:.0123456789١AaPpMm\t\u2003ago ")), max_size=40
    ),
    st.sampled_from(_TAILS),
)
def test_the_time_gate_is_never_false_on_a_match(head: str, tail: str) -> None:
    assert _agrees(head + tail)
    assert _agrees(head)


def test_matcher_answers_as_match_on_every_fixture_line() -> None:
    for path in sorted(DATA.rglob("*.txt")):
        keys = matching_keys(normalise(path.read_text(encoding="utf-8-sig")))
        for name in (*DETECTION_ORDER, "untimed"):
            fmt = line_format(name, keys)[0]
            mixed = fmt.__class__(**{**fmt.__dict__, "also": (line_format("irc", keys)[0],)})
            for each in (fmt, mixed):
                match = each.matcher()
                for index in range(len(keys)):
                    assert match(keys, index) == each.match(keys, index), (path.name, name)
