"""Property tests on the models' time fields: whatever an LLM (or a parser) writes there is either
accepted in a form every later step can read, or rejected with a validation error the engine
can quote back to the model. Never a crash later, in anchoring or rendering (issue 9 item 3)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from app.models import (
    IncidentReport,
    Message,
    TimelineEntry,
    clock_seconds,
    hhmm,
    normalize_time,
    wall_clock,
)
from app.render import render_draft
from app.steps import anchor_times
from tests.llm_fakes import seed_report, seed_transcript

SEED = seed_transcript()
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_digits = st.integers(min_value=0, max_value=99).map(lambda n: f"{n:02d}")
_offsets = st.sampled_from(["", "Z", "+00:00", "-05:30", "+24:00", "+0200", "+2", "-23:59"])
_dates = st.sampled_from(["2025-05-20", "2025-02-30", "0001-01-01", "9999-12-31", "2025-13-01"])
time_like = st.one_of(
    st.builds(lambda h, m, z: f"{h}:{m}{z}", _digits, _digits, _offsets),
    st.builds(lambda h, m, s, z: f"{h}:{m}:{s}{z}", _digits, _digits, _digits, _offsets),
    st.builds(
        lambda d, sep, h, m, z: f"{d}{sep}{h}:{m}{z}",
        _dates,
        st.sampled_from(["T", " ", "t"]),
        _digits,
        _digits,
        _offsets,
    ),
    st.text(alphabet="0123456789:+-TZ. ", max_size=30),
    st.text(max_size=40),
)


def _entry(time: str) -> TimelineEntry:
    return TimelineEntry.model_validate(
        {"time": time, "kind": "detection", "description": "Alerts fired", "evidence": [1]}
    )


@PROPERTY
@given(time_like)
@example("09:14+00:00")  # the LLM answer of issue 9
@example("2025-05-20T09:14:00+24:00")
@example("2025-02-30T09:14")
@example("24:00")
@example(" 9:05 ")
def test_a_timeline_time_is_readable_by_every_later_step_or_rejected(value: str) -> None:
    try:
        entry = _entry(value)
    except ValidationError as error:
        message = error.errors()[0]["msg"]
        assert repr(value.strip()) in message or repr(value) in message  # quotes what was wrong
        return
    assert normalize_time(entry.time) == entry.time  # normal form: parsing it again is a no-op
    clock = hhmm(entry.time)
    hours, minutes = (int(part) for part in clock.split(":"))
    assert 0 <= hours <= 23 and 0 <= minutes <= 59
    assert 0 <= clock_seconds(entry.time) < 86_400
    if "T" in entry.time:
        dt.datetime.fromisoformat(entry.time)


@PROPERTY
@given(time_like.filter(lambda v: "T" not in v and " " not in v.strip()))
@example("09:14")
@example("7:05:59")
@example("23:59")
def test_an_accepted_wall_clock_time_renders_and_anchors(value: str) -> None:
    try:
        clock = wall_clock(value)
    except ValueError:
        return
    data = seed_report(SEED)
    data["timeline"][1]["time"] = clock
    data["timeline"][1]["evidence"] = [1]
    message = SEED.messages[0].model_copy(update={"time": clock})
    transcript = SEED.model_copy(
        update={
            "messages": [message, *SEED.messages[1:]],
            "date": dt.date(2025, 5, 20),
        }
    )
    stamped = [
        m.model_copy(update={"timestamp": dt.datetime(2025, 5, 20, 0, 5)})
        for m in transcript.messages
    ]
    transcript = transcript.model_copy(update={"messages": stamped})
    report = IncidentReport.model_validate(data, context={"transcript": transcript})
    for audience in ("engineering", "stakeholder"):
        text = render_draft(report, transcript, audience).text
        assert text.strip()
    anchored = anchor_times(report, transcript)
    assert all(dt.datetime.fromisoformat(e.time) for e in anchored.timeline)


@PROPERTY
@given(st.one_of(time_like, st.none()))
def test_a_message_time_is_hh_mm_or_rejected(value: str | None) -> None:
    fields = {"id": 1, "author": "Priya", "text": "x", "line_start": 1, "line_end": 1}
    try:
        message = Message.model_validate({**fields, "time": value})
    except ValidationError:
        return
    seconds = message.elapsed_seconds()
    assert seconds is None if value is None else 0 <= (seconds or 0) < 86_400


@pytest.mark.parametrize(
    ("value", "normal"),
    [
        ("09:14", "09:14"),
        ("9:14", "09:14"),
        ("09:14:05.250", "09:14:05"),
        ("2025-05-20T09:14Z", "2025-05-20T09:14:00+00:00"),
        ("2025-05-20 09:14:00+02:00", "2025-05-20T09:14:00+02:00"),
    ],
)
def test_times_are_normalised_once_at_the_edge(value: str, normal: str) -> None:
    assert _entry(value).time == normal


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("09:14+00:00", "UTC offset but no date"),
        ("09:14Z", "UTC offset but no date"),
        ("2025-02-30T09:14", "not a valid ISO 8601 datetime"),
        ("2025-05-20T09:14+24:00", "not a valid ISO 8601 datetime"),
        ("24:00", "is not 'HH:MM'"),
        ("quarter past nine", "is not 'HH:MM'"),
    ],
)
def test_bad_times_are_rejected_with_a_message_the_model_can_act_on(value: str, says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        _entry(value)
