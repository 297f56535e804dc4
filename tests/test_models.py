"""The report validators reject evidence that the transcript does not back."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from app.models import IncidentReport, times_in_text
from tests.report_builders import CHAT, report_data


def test_valid_report_passes_with_transcript_context() -> None:
    report = IncidentReport.model_validate(report_data(), context={"transcript": CHAT})
    assert report.action_items[0].owner == "Alex"
    assert report.timeline[1].time == "09:10"  # written in message 1's text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"impact": [{"text": "x", "evidence": [99]}]},
            "message ids [99] that do not exist",
        ),
        (
            {"timeline": [{"time": "09:12", "description": "x", "kind": "other", "evidence": [1]}]},
            "time 09:12 matches neither",
        ),
        (
            {"action_items": [{"description": "x", "owner": "Bob", "evidence": [7]}]},
            "owner 'Bob' is not a participant",
        ),
        ({"participants": ["Priya", "Mallory"]}, "['Mallory'] do not appear"),
        ({"impact": [{"text": "x", "evidence": []}]}, "at least 1 item"),
        (
            {
                "timeline": [
                    {"time": "9 o'clock", "description": "x", "kind": "other", "evidence": [1]}
                ]
            },
            "is not 'HH:MM'",
        ),
    ],
)
def test_validators_reject_unsupported_evidence(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("[", r"\[").replace("]", r"\]")):
        IncidentReport.model_validate(report_data(**overrides), context={"transcript": CHAT})


def test_owner_matching_is_case_insensitive_and_canonicalised() -> None:
    data = report_data(action_items=[{"description": "x", "owner": "alex", "evidence": [8]}])
    report = IncidentReport.model_validate(data, context={"transcript": CHAT})
    assert report.action_items[0].owner == "Alex"


def test_without_context_only_shapes_are_checked() -> None:
    data = report_data(impact=[{"text": "x", "evidence": [99]}])
    assert IncidentReport.model_validate(data).impact[0].evidence == [99]


@pytest.mark.parametrize(
    ("text", "times"),
    [
        ("after the 9:10 AM deployment", ["09:10"]),
        ("at 12:05 am and 12:30 PM", ["00:05", "12:30"]),
        ("p99 at 14:02:33, then 3pm", ["14:02", "15:00"]),
        ("error rate 45% and 1.5s latency", []),
        ("version 2.10.3 shipped", []),
        ("times in UTC+01:00, GMT-05:00", []),
        ("window 09:14-09:22", ["09:14", "09:22"]),
    ],
)
def test_times_in_text(text: str, times: list[str]) -> None:
    assert times_in_text(text) == times


def test_a_timeline_time_may_read_a_bare_12_hour_time_or_midnight() -> None:
    from app.models import clock_readings

    assert "16:15" in clock_readings("deploy went out at 4:15, right after lunch")
    assert "04:15" in clock_readings("deploy went out at 4:15")
    assert "00:00" in clock_readings("the cert expired at midnight")
    assert "12:00" in clock_readings("back up by noon")
    assert clock_readings("at 9:15 PM") == ["21:15"]  # an explicit PM is read once, as PM
    assert clock_readings("at 13:15") == ["13:15"]  # a 24-hour time has one reading
