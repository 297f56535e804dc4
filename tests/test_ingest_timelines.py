"""Incident timelines pasted from the tools: where each entry starts and ends, which time is
its own, and who the entry names as the actor (never the person it notifies or assigns)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ingest import parse_transcript
from app.ingest.timeline_actors import actor_of, entry_actor

FORMATS = Path(__file__).parent / "data" / "formats"


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Acknowledged by Priya Sharma.", "Priya Sharma"),
        ("Note added by Ravi Kumar", "Ravi Kumar"),
        ("Priority changed from P3 to P1 by Dana Whitfield.", "Dana Whitfield"),
        ("Status update sent by Ollie Brennan", "Ollie Brennan"),
        ("Harriet Osei took the Incident Lead role", "Harriet Osei"),
        ("Dana Whitfield requested responders: Ollie Brennan, Greg Tanner", "Dana Whitfield"),
        ("Ollie Brennan accepted the responder request.", "Ollie Brennan"),
        ("Moritz restarts systemd-journald", "Moritz"),
        ("Tomás Ruiz is rolling the pods back", "Tomás Ruiz"),
        ("Tomás Ruiz has restored the nightly job", "Tomás Ruiz"),
        # the person an entry only mentions did not act
        ("Triggered through the API.", None),
        ("Notified Dana Whitfield via SMS.", None),
        ("Assigned to Dana Whitfield.", None),
        ("Priya Sharma was paged", None),
        ("Ravi Kumar has been paged", None),
        ("Alert escalated to Billing on-call (level 2)", None),
        ("Incident declared automatically", None),
    ],
)
def test_the_actor_of_a_one_line_entry(text: str, actor: str | None) -> None:
    assert actor_of(text) == actor


@pytest.mark.parametrize(
    ("lines", "actor"),
    [
        (["📌 Pinned message  ·  Kwame Asante", "could it be the 8.12 rollout?"], "Kwame Asante"),
        (["Status changed from Triage to Investigating", "by Harriet Osei"], "Harriet Osei"),
        (["🔔 Alert fired", "Datadog  ·  [P2] conversion below forecast"], "Datadog"),
        (["Follow-up created by Harriet Osei", "Pin ruleset versions", "Unassigned  ·  High"],
         "Harriet Osei"),
        (["Workflow run: Page on-call", "Paged Payments on-call → Sanjay Iyer"], None),
        (["Severity: Minor  ·  Status: Triage", "by the way"], None),
        (["Resolved  ·  Critical  ·  Payments"], None),
    ],
)  # fmt: skip
def test_the_actor_of_an_entry_with_details(lines: list[str], actor: str | None) -> None:
    assert entry_actor(lines) == actor


def test_a_time_written_below_its_entry_belongs_to_the_entry_above_it() -> None:
    text = (
        "Timeline  Sort: Oldest first\n\n"
        "Acknowledged by Ines Carvalho.\n"
        "Nov 18, 11:55 PM · 2 days ago\n\n"
        "Note added by Mateo Alvarez\n"
        "pool at 100/100\n\n"
        "12:05 AM snapshot attached\n"  # a paragraph of the note, not an entry
        "Nov 19, 12:06 AM · 2 days ago\n"
    )
    transcript = parse_transcript(text)
    assert transcript.format == "incident-timeline"
    assert [(m.author, m.time, m.day) for m in transcript.messages] == [
        (None, None, 0),
        ("Ines Carvalho", "23:55", 0),
        ("Mateo Alvarez", "00:06", 1),
    ]
    assert transcript.messages[2].text == (
        "Note added by Mateo Alvarez\npool at 100/100\n\n12:05 AM snapshot attached"
    )
    assert "2 days ago" not in "\n".join(m.text for m in transcript.messages)
    assert transcript.ingest is not None
    assert transcript.ingest.header_lines == 4  # two entry starts and their two stamps


def test_a_dated_stamp_after_its_entry_and_before_a_blank_line_closes_the_entry() -> None:
    text = (
        "Alert created via API\nJan 15, 2025 10:02:11 AM\n\n"
        "Priya Sharma acknowledged the alert\nJan 15, 2025 10:04:40 AM\n\n"
    )
    transcript = parse_transcript(text)
    assert [(m.author, m.time) for m in transcript.messages] == [
        (None, "10:02:11"),
        ("Priya Sharma", "10:04:40"),
    ]
    assert str(transcript.date) == "2025-01-15"


def test_a_stamp_above_its_entry_still_starts_the_entry() -> None:
    text = (
        "Jan 15, 2025 at 10:12 AM\nResolved by Ravi Kumar.\n\n"
        "Jan 15, 2025 at 10:20 AM\nNote added by Priya Sharma\nall green\n"
    )
    transcript = parse_transcript(text)
    assert [(m.author, m.time) for m in transcript.messages] == [
        ("Ravi Kumar", "10:12"),
        ("Priya Sharma", "10:20"),
    ]


def test_a_bare_time_line_starts_an_entry_after_a_blank_line_or_above_an_entry_title() -> None:
    text = (
        "Thursday 5 June 2025\n\n"
        "10:46\n🔔 Alert fired\nDatadog  ·  [P2] conversion below forecast\n"
        "10:58\nIncident reported by Dev Malhotra\nwe think it started at\n11:02\n"
        "or a bit later\n\n"
        "11:04\nEscalation created by Harriet Osei\n"
    )
    transcript = parse_transcript(text)
    assert transcript.format == "incident-timeline"
    assert [(m.author, m.time) for m in transcript.messages] == [
        ("Datadog", "10:46"),
        ("Dev Malhotra", "10:58"),  # the '11:02' inside the text is not an entry
        ("Harriet Osei", "11:04"),
    ]
    assert str(transcript.date) == "2025-06-05"


def test_the_year_of_the_page_dates_stamps_that_write_none() -> None:
    transcript = parse_transcript(
        (FORMATS / "incident-timeline-pagerduty-page.txt").read_text(encoding="utf-8")
    )
    assert str(transcript.date) == "2024-11-18"
    stamps = [m.timestamp for m in transcript.messages if m.timestamp]
    assert (str(stamps[0]), str(stamps[-1])) == ("2024-11-18 23:52:00", "2024-11-19 00:48:00")


def test_an_incident_io_timeline_with_the_chat_pasted_below_it() -> None:
    transcript = parse_transcript(
        (FORMATS / "incident-timeline-incidentio-tab.txt").read_text(encoding="utf-8")
    )
    assert transcript.format == "incident-timeline"
    assert transcript.ingest is not None and transcript.ingest.mixed_with == ["slack-copy"]
    assert [(m.author, m.time) for m in transcript.messages[-3:]] == [
        ("Marcus Webb", "11:52"),
        ("Olivia Chen", "11:55"),
        ("Priya Raman", "11:58"),
    ]


def test_markdown_bold_stamps_in_a_written_timeline() -> None:
    transcript = parse_transcript("- **14:02** — check fails\n- **14:06** Lena acknowledges it\n")
    assert [(m.author, m.time, m.text) for m in transcript.messages] == [
        (None, "14:02", "check fails"),
        ("Lena", "14:06", "Lena acknowledges it"),
    ]


@pytest.mark.parametrize(
    "stamp",
    ["5 Jun 2025, 10:58", "Thu, Jun 5, 2025 10:58 AM", "**Jun 5, 2025 10:58 AM**"],
)
def test_stamp_shapes(stamp: str) -> None:
    text = f"{stamp}  Incident reported by Dev Malhotra\n{stamp}  Acknowledged by Mei Tanaka.\n"
    transcript = parse_transcript(text)
    assert transcript.format == "incident-timeline"
    assert [m.author for m in transcript.messages] == ["Dev Malhotra", "Mei Tanaka"]
    assert str(transcript.date) == "2025-06-05"
