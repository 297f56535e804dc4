"""Prose the drafts can send (issue 11, item 3): what the engine writes in each field.

Engineering fields are either the words of one message (so the renderer quotes them, with their
time and citation), several messages' words each in its own quotes, or a typed fact written by a
rule. The stakeholder fields (`plain_title`, `plain`) are typed templates or the chat's own plain
clause: never first person, never a name, a host, an error class or a citation, and never chat
debris. The chats are written for this file.
"""

from __future__ import annotations

import asyncio
import re

import pytest

from app.config import Settings
from app.engines.extractive import extract_report
from app.engines.registry import EngineRegistry
from app.models import IncidentReport, Message, Transcript
from app.pipeline import DraftOptions, create_draft

Row = tuple[str, str, str]

CHAT: list[Row] = [
    ("07:58", "deploy-bot", "orders-api 6.2.0 deployed to prod by wren"),
    ("08:03", "alertmanager", "[FIRING:1] OrdersApiErrorRate prod 5xx ratio 0.31"),
    ("08:04", "wren", "looking (edited)"),
    ("08:05", "tobi", "support says customers can't place orders, 30% of checkouts failing"),
    ("08:07", "wren", "maybe the db? pool looks busy"),
    ("08:09", "tobi", "not the db, connections are fine"),
    (
        "08:11",
        "wren",
        "found it. 6.2.0 reads the tax rate from a new env var and it is unset in prod. "
        "every order with tax hits a NullPointerException on orders-api-7.prod.internal",
    ),
    ("08:12", "tobi", "yep that's it :+1: 2"),
    ("08:13", "wren", "rolling back orders-api to 6.1.4"),
    ("08:17", "wren", "rollback complete, all pods on 6.1.4"),
    ("08:20", "tobi", "error rate back to baseline, orders flowing again"),
    ("08:22", "tobi", "updated the status page"),
    ("08:40", "wren", "resolved. ~1,800 orders failed in 17 minutes"),
    (
        "08:45",
        "tobi",
        "action items:\n- wren: fail the deploy when a required env var is unset\n"
        "- alert on 5xx ratio per endpoint (tobi)",
    ),
]
PEOPLE = ("wren", "tobi")


def transcript(rows: list[Row]) -> Transcript:
    messages = [
        Message(id=n, time=time, author=author, text=text, line_start=n, line_end=n)
        for n, (time, author, text) in enumerate(rows, start=1)
    ]
    return Transcript(format="test", messages=messages)


@pytest.fixture(scope="module")
def report() -> IncidentReport:
    return extract_report(transcript(CHAT)).report


def _words(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.lower()).strip()


def _is_quote_of_one_message(text: str, evidence: list[int], rows: list[Row]) -> bool:
    return any(_words(text) in _words(rows[i - 1][2]) for i in evidence)


def test_engineering_fields_are_words_of_one_message_or_quote_each_part(
    report: IncidentReport,
) -> None:
    statements = [*report.impact, *report.contributing_factors]
    statements += [s for s in (report.detection, report.root_cause, report.resolution) if s]
    assert report.root_cause is not None and report.detection is not None
    for statement in statements:
        single = _is_quote_of_one_message(statement.text, statement.evidence, CHAT)
        quoted = statement.text.startswith("“") and statement.text.endswith("”")
        assert single or quoted, statement


def test_timeline_rows_quote_their_message_or_state_a_typed_fact(report: IncidentReport) -> None:
    for entry in report.timeline:
        assert _is_quote_of_one_message(entry.description, entry.evidence, CHAT) or (
            entry.kind == "trigger"
            and re.fullmatch(r"[A-Z][a-z ]+ at [\d:APM ]+", entry.description)
        ), entry


def test_no_chat_debris_in_any_field(report: IncidentReport) -> None:
    texts = [e.description for e in report.timeline] + [s.text for s in report.impact]
    texts += [s.text for s in (*report.summary.technical, *report.summary.plain)]
    for text in texts:
        assert "(edited)" not in text and ":+1:" not in text, text


def _plain_texts(report: IncidentReport) -> list[str]:
    texts = [report.plain_title or ""]
    texts += [s.text for s in report.summary.plain]
    texts += [s.plain or "" for s in report.impact]
    texts += [e.plain or "" for e in report.timeline]
    texts += [a.plain or "" for a in report.action_items]
    texts += [report.resolution.plain or ""] if report.resolution else []
    return [t for t in texts if t]


def test_stakeholder_fields_are_plain(report: IncidentReport) -> None:
    texts = _plain_texts(report)
    assert report.plain_title == "Orders errors"
    assert any("were affected" in t for t in texts)  # what share of whom, as a typed fact
    assert any(t == "The change was rolled back." for t in texts)
    for text in texts:
        assert not re.search(r"(?i)(?<![\w'])(?:i|me|my|we|our|us)(?![\w'])", text), text
        assert not any(name in text.lower() for name in PEOPLE), text
        assert not re.search(r"\[m\d|\.internal|Exception|orders-api|“", text), text


def test_bare_facts_the_chat_words_in_jargon_get_no_plain_wording() -> None:
    rows: list[Row] = [
        ("10:00", "ana", "paged: queue lag on ingest-7.prod.internal"),
        ("10:05", "ana", "restarted ingest-7.prod.internal, lag_seconds=0 again"),
    ]
    result = extract_report(transcript(rows)).report
    recovery = [e for e in result.timeline if e.kind == "recovery"]
    assert all(e.plain is None or ".internal" not in e.plain for e in result.timeline)
    assert all(e.plain is None for e in recovery)


def test_the_draft_calls_a_recovered_incident_resolved_never_ongoing() -> None:
    text = "\n".join(f"[{t}] {a}: {m.splitlines()[0]}" for t, a, m in CHAT)
    options = DraftOptions(audience="stakeholder", engine="extractive")
    email = asyncio.run(create_draft(text, options, EngineRegistry(Settings()))).draft.text
    assert email.startswith("Subject: Resolved:")
    assert "ongoing" not in email.lower()


def test_a_chat_that_never_recovers_is_not_called_resolved() -> None:
    rows: list[Row] = [
        ("14:00", "ana", "alert: search-api p99 4s"),
        ("14:10", "bo", "restarting the search pods"),
        ("14:20", "bo", "latency dropping a bit, still bad"),
        ("14:25", "ana", "latency dropping further, p99 2.5s"),
    ]
    result = extract_report(transcript(rows)).report
    assert not any(e.kind in ("recovery", "resolution") for e in result.timeline)
    assert any(e.kind == "other" and "dropping" in e.description for e in result.timeline)


def test_open_questions_are_plain_third_person() -> None:
    rows: list[Row] = [
        ("09:00", "ana", "alert: login-api 5xx at 12%"),
        ("09:05", "bo", "could be the session cache, its ttl looks wrong"),
        ("09:30", "ana", "follow-ups:\n- add a cache hit alert\n- write the login runbook"),
    ]
    result = extract_report(transcript(rows)).report
    assert result.root_cause is None  # a guess is never the root cause
    assert any(
        q.startswith("What was the root cause? The chat raised") for q in result.open_questions
    )
    assert "Who owns the 2 follow-up items without an owner?" in result.open_questions
    for question in result.open_questions:
        assert not re.search(r"\b(?:I|my|we|our|ana|bo)\b", question), question
