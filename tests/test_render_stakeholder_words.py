"""What a stakeholder email calls internal systems and the incident's state (issue 11 point 3,
issue 8 point 7): a system name the reader cannot know (a hyphenated identifier naming an
environment or a dated profile, or a name the chat writes as code) is never printed; a kind of
component with a plain name keeps it ("the load balancer"); a numbered unit after a German
preposition is no street address; the email is "Resolved" only when nothing in the extraction,
in plain or engineering words, says the incident is still open. Sentences are written for
these tests, not copied from the eval."""

from __future__ import annotations

import pytest

from app.models import IncidentReport
from app.render import render_draft
from app.render.personal import mask_personal_data
from app.render.scrub import internal_names, scrub_for_stakeholders
from tests.report_builders import CHAT, report_data, transcript_of

PEOPLE = ["Priya", "Ravi", "Alex", "Sara"]


def _email(data: dict[str, object], chat: object = CHAT) -> str:
    report = IncidentReport.model_validate(data)
    return render_draft(report, chat, "stakeholder").text  # type: ignore[arg-type]


# --- internal system names by their shape ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("traffic moved off orion-prod", "traffic moved off an internal system"),
        ("the pre-prod checks passed", "the internal system checks passed"),
        ("eu-staging was rebuilt", "An internal system was rebuilt"),
        ("the zone went to strict-2025", "the zone went to an internal configuration"),
    ],
)
def test_a_hyphenated_name_of_an_environment_or_a_dated_profile_is_internal(
    text: str, expected: str
) -> None:
    assert scrub_for_stakeholders(text, PEOPLE) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a follow-up on read-only mode",
        "a two-hour, end-to-end check by on-call",
        "the long-running export and a one-off re-run",
        "the covid-19 rules and utf-8 text",
        # a year placed in time is a date, not a dated profile
        "the migration finishes by mid-2026 or early-2027",
        "a pre-flight check on pre-2020 and q3-2026 data",
    ],
)
def test_ordinary_compounds_are_no_internal_names(text: str) -> None:
    assert scrub_for_stakeholders(text, PEOPLE) == text


# --- names the chat writes as code -----------------------------------------------------------


def test_a_name_the_chat_writes_as_code_is_found() -> None:
    texts = [
        "logs show the job on vesper-sched-0 and vesper-sched-1",  # instances of vesper-sched
        "curl https://img-edge.example.app/health is fine",  # a host label
        "tail /var/log/batch-runner/out.log",  # a path segment
        "set queue=night-export and retry",  # a config value
        "run `sync-ledger --dry` first",  # a code span
        "vesper-sched looks stuck",  # also in prose: still more often code
    ]
    found = internal_names(texts)
    assert found == ["vesper-sched", "img-edge", "batch-runner", "night-export", "sync-ledger"]


def test_prose_compounds_are_no_code_names() -> None:
    texts = [
        "a follow-up. then read-only/maintenance mode",  # a full stop, a slash in prose
        "mode=read-only for now",  # a config line holds it once ...
        "keep it read-only, read-only until Monday",  # ... the chat's prose more often
        "covid-19 rules, 24-hour window",
    ]
    assert internal_names(texts) == []


def test_a_compound_as_often_in_prose_as_in_code_is_no_code_name() -> None:
    # once in a config line and once in a sentence: as much a word as a name, and replacing it
    # would print "checkout was an internal system for 20 minutes"
    texts = ["set mode=read-only on the primary", "db is read-only now, checkout failing"]
    assert internal_names(texts) == []
    assert scrub_for_stakeholders("Checkout was read-only for 20 minutes.", PEOPLE, (), []) == (
        "Checkout was read-only for 20 minutes."
    )


def test_an_email_never_names_a_system_the_chat_writes_as_code() -> None:
    chat = transcript_of(
        [*((m.time, m.author, m.text) for m in CHAT.messages)]
        + [
            ("09:26", "Ravi", "2026-03-02T09:26:01Z ledger-sync-0 WARN lease lost"),
            ("09:27", "Ravi", "ledger-sync-1 took over; ledger-sync stays at 1 replica"),
        ]
    )
    data = report_data()
    data["action_items"][0]["plain"] = "The ledger-sync job will be made safe to start twice."
    data["open_questions"] = [
        "When can ledger-sync go back to two replicas?",
        "How many customers saw an error?",
    ]
    text = _email(data, chat)
    assert "ledger-sync" not in text, text
    assert "The internal system job will be made safe to start twice." in text
    assert "How many customers saw an error?" in text  # a plain question is still asked
    assert "replicas" not in text  # the question in engineering words is left out
    plain = _email(data)  # a chat that never writes it as code: the compound stays
    assert "The ledger-sync job will be made safe to start twice." in plain


# --- a kind of component keeps its plain name ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lost connection to the load-balancer.", "Lost connection to the load balancer."),
        ("the edge-lb dropped requests", "the edge load balancer dropped requests"),
        ("cron-scheduler skipped a run", "An internal scheduler skipped a run"),
        ("the billing-scheduler ran twice", "the billing scheduler ran twice"),
        # a service named by its job keeps the general word
        ("pricing-engine returned stale prices", "The pricing service returned stale prices"),
    ],
)
def test_a_component_with_a_plain_name_keeps_it(text: str, expected: str) -> None:
    assert scrub_for_stakeholders(text, PEOPLE) == expected


def test_a_sentence_opening_with_a_past_participle_reads_as_written() -> None:
    text = "Lost connection to the primary at 10:02, restored at 10:09."
    assert scrub_for_stakeholders(text, PEOPLE) == text


# --- a numbered unit after a German preposition is no address ---------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Paketverlust Im Cluster 3 seit 10:02",
        "In der Phase 2 lief der Import weiter",
        "Im Jahr 2024 gab es das schon",
        "Fehler Auf der Seite 4 des Checkouts",
    ],
)
def test_a_numbered_unit_after_a_preposition_is_no_address(text: str) -> None:
    assert mask_personal_data(text) == text
    assert mask_personal_data(f'Sie schrieb "{text}"') == f'Sie schrieb "{text}"'


@pytest.mark.parametrize(
    "text",
    ["Lieferung an Am Alten Markt 17 kam zurück", "Im Tal 5, 12345 Berlin", "Zur Mühle 3"],
)
def test_a_street_after_a_preposition_is_still_an_address(text: str) -> None:
    assert "[REDACTED:customer-address]" in mask_personal_data(text)


# --- the email's status from typed facts -----------------------------------------------------


def test_a_step_after_recovery_saying_the_incident_is_open_is_no_resolved_email() -> None:
    data = report_data()
    data["timeline"].append(
        {
            "time": "09:24",
            "description": "Handover: errors low, incident not declared resolved yet.",
            "kind": "other",
            "evidence": [7],
        }
    )
    text = _email(data)
    assert text.startswith("Subject: Update:"), text
    assert "resolved" not in text.lower()


def test_an_open_status_before_the_first_recovery_is_history() -> None:
    data = report_data()
    data["timeline"].append(
        {
            "time": "09:15",
            "description": "Status: the incident is still open, investigating.",
            "kind": "communication",
            "evidence": [1],
        }
    )
    assert _email(data).startswith("Subject: Resolved:")


@pytest.mark.parametrize(
    ("field", "wording"),
    [
        ("plain", "Checkout recovered, but the incident remains open."),
        ("resolution", "Traffic moved to the standby; the outage is still unresolved."),
    ],
)
def test_wording_that_keeps_the_incident_open_is_no_resolved_email(
    field: str, wording: str
) -> None:
    data = report_data()
    if field == "plain":
        data["timeline"][3]["plain"] = wording
    else:
        data["resolution"]["text"] = wording
    text = _email(data)
    assert text.startswith("Subject: Update:"), text
    assert "remains open" not in text and "unresolved" not in text
    assert _email(report_data()).startswith("Subject: Resolved:")


@pytest.mark.parametrize(
    ("question", "resolved"),
    [
        ("When will sign-ups be restored for everyone?", False),
        ("How long until the order backlog is drained?", False),
        ("When will the partner be back to normal?", False),
        # the past, or a fix, says nothing of the incident's state
        ("When was checkout restored for the last region?", True),
        ("When will the retry bug be fixed for good?", True),
    ],
)
def test_an_open_question_asking_when_service_is_back_is_no_resolved_email(
    question: str, resolved: bool
) -> None:
    data = report_data(open_questions=[question])
    subject = "Subject: Resolved:" if resolved else "Subject: Update:"
    assert _email(data).startswith(subject)


def test_a_chat_without_times_is_resolved_by_its_stated_resolution() -> None:
    untimed = transcript_of([(None, a, t) for a, t in ((m.author, m.text) for m in CHAT.messages)])
    data = report_data(timeline=[])
    assert _email(data, untimed).startswith("Subject: Resolved:")
    # a timed chat still needs a recovery in its timeline, and no resolution stays an update
    assert _email(data).startswith("Subject: Update:")
    assert _email(report_data(timeline=[], resolution=None), untimed).startswith("Subject: Update:")
