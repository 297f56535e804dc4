"""The grouping reuses detection's answers for the chosen format's headers
(`candidates.recorded_matcher`) and finds exactly the messages it finds asking every line again.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.ingest.assemble import group_messages
from app.ingest.detect import detect_format, matching_keys
from app.ingest.normalise import normalise
from app.ingest.parse import _tried

DATA = Path(__file__).parent / "data"


def _groupings(text: str) -> tuple[Any, Any, int] | None:
    """Group `text` in its detected format with detection's answers and asking again, and say
    how many shapes were reused; None when the text is no timed chat."""
    lines = normalise(text)
    detection = detect_format(lines)
    if detection.name is None or detection.name == "untimed":
        return None
    keys = matching_keys(lines)
    fmt = detection.tuned[detection.name][0]
    others = tuple(detection.tuned[name][0] for name in detection.mixed_with)
    if others:
        fmt = replace(fmt, also=others)
    tried = _tried(detection, fmt, (detection.name, *detection.mixed_with))
    return group_messages(lines, keys, fmt, tried), group_messages(lines, keys, fmt), len(tried)


def _both(text: str) -> tuple[int, bool]:
    """Assert both groupings of `text` agree; how many shapes were reused, and whether it was a
    chat at all."""
    grouped = _groupings(text)
    if grouped is None:
        return 0, False
    reused, asked, shapes = grouped
    assert reused == asked
    return shapes, True


def test_the_reused_answers_group_every_fixture_as_asking_again() -> None:
    paths = sorted(DATA.rglob("*.txt")) + sorted(Path("eval/incidents").glob("*/transcript.txt"))
    reused = chats = 0
    for path in paths:
        shapes, chat = _both(path.read_text(encoding="utf-8-sig"))
        reused += shapes > 0
        chats += chat
    assert chats > 20 and reused > chats // 2  # the reuse is taken, not skipped


def test_a_mixed_chat_with_fenced_headers_reuses_every_shape() -> None:
    text = "\n".join(
        [
            "[09:14] Priya: checkout errors",
            "[09:15] <ravi> looking",
            "```",
            "[09:16] Priya: inside a fence",
            "[09:16] Sam: quoted",
            "```",
            "[09:17] Ravi",
            "the body below a bracket header",
            "[09:18] <priya> ok",
            "[09:19] Ravi: done",
            "[09:20] <ravi> closing",
        ]
    )
    shapes, chat = _both(text)
    assert chat and shapes >= 2


_LINE = st.sampled_from(
    [
        "[09:14] Priya: text", "[09:14] Priya", "[09:15] <ravi> hi", "09:16 Sam: x", "```",
        "body 9:10 AM", "", "> [09:17] Priya: quoted", "Priya Sharma", "9:18 AM", "just text",
        "Ravi: an owner line", "[10:02 AM] Priya Sharma", "  indented",
        "--- Day changed Tue May 20 2025",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, min_size=2, max_size=40))
def test_the_reused_answers_group_generated_chats_as_asking_again(lines: list[str]) -> None:
    grouped = _groupings("\n".join(lines))
    if grouped is not None:
        reused, asked, _ = grouped
        assert reused == asked
