"""The cheap tests ingest runs before its costlier header patterns never turn a header away.

`may_end_in_time` is False only for lines that none of the patterns it guards can match,
`LineFormat.matcher` answers exactly as `LineFormat.match` for every line of every fixture, and
detection's `header_candidates` keeps every line where a format's matcher finds a header (so
scoring only those lines gives every format the same score), and `ui_kind`'s first-character
test never turns decoration away.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.ingest.copy_paste import _DISCORD_HEADER, _SLACK_HEADER, _TIME_ONLY, may_end_in_time
from app.ingest.detect import (
    header_candidates,
    matching_keys,
    score_format,
    short_fences,
    timeish_lines,
)
from app.ingest.formats import DETECTION_ORDER, line_format
from app.ingest.normalise import (
    _BULLET,
    _BULLET_MARKS,
    _QUOTE,
    decoration_kind,
    normalise,
    ui_kind,
)

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


def _assert_candidates_keep_every_header(keys: list[str], where: str) -> None:
    timeish = timeish_lines(keys)
    inside = [False] * len(keys)
    for name in DETECTION_ORDER:
        fmt = line_format(name, keys)[0]
        candidates = set(header_candidates(name, fmt, keys, timeish))
        match = fmt.matcher()
        for index in range(len(keys)):
            if keys[index] and match(keys, index) is not None:
                assert index in candidates, (where, name, index, keys[index : index + 3])
        whole = score_format(name, fmt, keys, inside, True)
        gated = score_format(name, fmt, keys, inside, True, sorted(candidates))
        assert (whole, whole.by_line) == (gated, gated.by_line), (where, name)


def test_header_candidates_keep_every_header_of_every_fixture() -> None:
    gated = 0
    for path in sorted(DATA.rglob("*.txt")):
        lines = normalise(path.read_text(encoding="utf-8-sig"))
        keys = matching_keys(lines)
        _assert_candidates_keep_every_header(keys, path.name)
        timeish = timeish_lines(keys)
        gated += sum(
            len(keys) - len(header_candidates(name, line_format(name, keys)[0], keys, timeish))
            for name in DETECTION_ORDER
        )
        inside = short_fences(lines)
        for name in DETECTION_ORDER:  # with the fences detection excludes, too
            fmt = line_format(name, keys)[0]
            whole = score_format(name, fmt, keys, inside, True)
            cut = score_format(
                name, fmt, keys, inside, True, header_candidates(name, fmt, keys, timeish)
            )
            assert (whole, whole.by_line) == (cut, cut.by_line), (path.name, name)
    assert gated > 1000  # the gate does pass lines over


_PIECES = [
    "Priya Sharma", "priya.sharma", "Brown, Marcus", "kofi", "APP", "App", "BOT", "10:02 AM",
    "[10:02]", "[09:14] Priya", "[09:14] Priya: ok", "09:14 Priya: ok", "3 minutes ago",
    "an hour ago", "just now", "Yesterday at 11:52 PM", "Jan 15, 10:02 AM", "kofi — Today at 9:12",
    "1/15/2025 10:02 AM", "[1/15/2025 10:02 AM] Brown, Marcus", "10:02:33 From Bob Li to Everyone:",
    "[1/2/25, 10:02:33] Priya: text", "2025-05-20 16:02:10 name: text", "[23:48] <kofi> hi",
    ":flag-jp:  11:34 AM", "rolling back", "p99 is 4s", "", "", "Datadog", "Sara 9:12 p.m.",
    "rolling back... by Brown, Marcus", "Brown, Marcus", "3/17/2025 6:07 AM", "End Reference",
    "Begin Reference, checkout is down by Hoffmann, Timo", "Hoffmann, Timo", "Yesterday 10:02 AM",
    "Profile picture of Brown, Marcus. Brown, Marcus", "White, Christian8/31 10:28 AM",
    "rolling back, has an attachment.", "Begin Reference, rolling back by Brown, Marcus",
]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=16))
def test_header_candidates_keep_every_header_of_generated_chats(keys: list[str]) -> None:
    _assert_candidates_keep_every_header(keys, "generated")


_DECORATION = [
    "---", "* * *", "___", "===", ":+1: 3", "👍 2", "15 replies", "Thread", "thread in #ops",
    "Also sent to the channel", "View thread", "view 3 more replies", "replied to a thread:",
    "Last reply 2 days agoView thread", "today at 10:02 view thread", "an hour ago view thread",
    "2 Like reactions.", "New messages", "unread message", "3 new messages", "Last read",
    "Has context menu", "(edited)", "Edited", "bearbeitet", "ſhow 2 more replies",
    "ſhow 2 more replieſ", "Ｖiew thread", "١٢ replies", "٣ Like reactions.",
]  # fmt: skip


def test_the_decoration_gate_agrees_on_fixture_and_decoration_lines() -> None:
    keys = [line.key.strip() for path in sorted(DATA.rglob("*.txt"))
            for line in normalise(path.read_text(encoding="utf-8-sig"))]  # fmt: skip
    keys += _DECORATION + [d.upper() for d in _DECORATION] + [d.lower() for d in _DECORATION]
    found = [key for key in keys if decoration_kind(key)]
    assert len(found) > 40
    assert all(ui_kind(key) == decoration_kind(key) for key in keys)


@settings(max_examples=1000, deadline=None)
@given(
    st.sampled_from(_DECORATION),
    st.text(alphabet=st.sampled_from(list(" ([:*-_=1٣ſKİıAaTtVvSs👍")), max_size=3),
)
def test_the_decoration_gate_never_turns_decoration_away(line: str, prefix: str) -> None:
    for key in (prefix + line, line.swapcase(), prefix):
        assert ui_kind(key) == decoration_kind(key)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t>-*•+·x\u00a0")), max_size=14))
def test_the_quote_and_bullet_tests_keep_every_match(line: str) -> None:
    if _QUOTE.match(line):
        assert ">" in line[:4]
    if _BULLET.match(line):
        assert _BULLET_MARKS.intersection(line[:9])
