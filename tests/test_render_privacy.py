"""What a stakeholder email may say, and what no draft prints (issue 11 point 3, issue 8 point
7): service identifiers, public hosts, record ids and people the chat names become plain words;
an open question is asked only when already plain; the email never states the other status;
customer personal data quoted in the chat never reaches either draft verbatim. Sentences here
are written for the tests, not copied from the eval."""

from __future__ import annotations

import pytest

from app.models import IncidentReport
from app.render import render_draft
from app.render.personal import mask_personal_data
from app.render.scrub import chat_people, scrub_for_stakeholders
from tests.regex_linearity import text_growth
from tests.report_builders import CHAT, report_data, transcript_of

PEOPLE = ["Priya", "Ravi", "Alex", "Sara"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pricing-engine returned stale prices", "The pricing service returned stale prices"),
        ("the pricing-engine deploy was reverted", "the pricing service deploy was reverted"),
        ("writes to orders_db slowed down", "writes to the orders database slowed down"),
        ("the rbd-db pool filled up", "the internal database pool filled up"),
        ("a text-encoder:latest image", "the text service image"),
        ("invoicing-mailer's queue grew", "The invoicing service's queue grew"),
        ("the session-cache was flushed", "the session cache was flushed"),
        # ordinary compounds end in no component word and stay as written
        ("a follow-up on large-basket orders", "a follow-up on large-basket orders"),
        ("an on-demand, real-time check", "an on-demand, real-time check"),
        # a function name is not a service
        ("we ran pg_cancel_backend", "we ran an internal setting"),
        # a public host name and a multi-part rule id
        ("requests to api.example.co.uk failed", "requests to a web address failed"),
        ("rule SW-JSON-0031 blocked them", "rule an internal identifier blocked them"),
        # a version number or a decimal is no host
        ("version 5.2.0 and 3.5 times more", "version 5.2.0 and 3.5 times more"),
    ],
)
def test_service_identifiers_and_hosts_become_plain_words(text: str, expected: str) -> None:
    assert scrub_for_stakeholders(text, PEOPLE) == expected


def test_a_full_name_the_chat_writes_is_a_person_although_they_never_wrote() -> None:
    texts = [
        "Pager requested responders: Nora Quill, Tomas Berg",
        "Nora never acked, so the CDN item waits for her",
        "Root Cause: the cache was cold",
        "the root cause is still open; Black Friday traffic is next",
        "Black Friday is the big day. Tomas Berg joined late",
        "We saw Grafana Cloud alerts",
    ]
    found = chat_people(texts)
    assert "Nora Quill" in found  # her first name stands on its own elsewhere
    assert "Root Cause" not in found  # the chat writes these words in lower case
    assert "Black Friday" not in found  # a day, not a person
    assert "Tomas Berg" not in found  # "Tomas" never stands alone: not enough to call it a name
    assert "Grafana Cloud" not in found


def _email(data: dict[str, object], chat: object = CHAT) -> str:
    return render_draft(IncidentReport.model_validate(data), chat, "stakeholder").text  # type: ignore[arg-type]


def test_a_person_named_only_in_the_chat_text_is_not_named_to_stakeholders() -> None:
    chat = transcript_of(
        [*((m.time, m.author, m.text) for m in CHAT.messages)]
        + [
            ("09:26", "Sara", "Paging bot requested responders: Nora Quill"),
            ("09:27", "Sara", "Nora didn't answer; the CDN item goes to her tomorrow"),
        ]
    )
    data = report_data()
    data["action_items"][1]["plain"] = "Nora Quill will review the CDN settings."
    data["open_questions"] = ["Will Nora Quill take the CDN item?", "How many customers saw it?"]
    text = _email(data, chat)
    assert "Nora" not in text and "Quill" not in text, text
    assert "The team will review the CDN settings." in text
    # a question in engineering wording that needed scrubbing is not asked; a plain one is
    assert "How many customers saw it?" in text
    assert "take the CDN item" not in text


def test_an_owner_the_extraction_typed_is_not_named_to_stakeholders() -> None:
    data = report_data()
    data["action_items"][1]["owner"] = "Marguerite"
    data["action_items"][1]["plain"] = "Marguerite will update the runbook."
    text = _email(data)
    assert "Marguerite" not in text
    assert "The team will update the runbook." in text


def test_open_questions_with_internals_are_left_out_of_the_email() -> None:
    data = report_data(
        open_questions=[
            "Did pricing-engine 5.2.0 process any charges?",
            "Were requests to api.example.co.uk blocked elsewhere?",
            "How many customers were charged twice?",
        ]
    )
    text = _email(data)
    assert "How many customers were charged twice?" in text
    assert "pricing" not in text and "web address" not in text, text
    engineering = render_draft(IncidentReport.model_validate(data), CHAT, "engineering").text
    assert "Did pricing-engine 5.2.0 process any charges?" in engineering  # kept there


def test_a_resolved_email_never_calls_the_incident_ongoing() -> None:
    data = report_data()
    data["action_items"][0]["plain"] = (
        "Automatic checks of configuration before each release. Ongoing work is tracked."
    )
    text = _email(data)
    assert text.startswith("Subject: Resolved:")
    assert "ongoing" not in text.lower()
    assert "- Automatic checks of configuration before each release.\n" in text


def test_plain_wording_that_says_the_incident_goes_on_is_no_resolved_email() -> None:
    # a typed recovery and resolution, but the extraction's own plain words say it continues
    data = report_data()
    data["timeline"][3]["plain"] = "Checkout recovered, but refunds are not yet fixed."
    text = _email(data)
    assert text.startswith("Subject: Update:"), text
    assert "It has been resolved" not in text and "not yet fixed" not in text
    assert _email(report_data()).startswith("Subject: Resolved:")


def test_an_update_email_never_calls_the_incident_ongoing_either() -> None:
    # no stated resolution: the email is an update, and a model's "still in progress" is no
    # typed fact (a chat that stops is not a live incident)
    data = report_data(resolution=None)
    data["summary"]["plain"][0]["text"] = (
        "Checkout failed for some customers after a change. The fix is still in progress."
    )
    data["open_questions"] = ["Is the ongoing retry storm over?", "How many customers saw it?"]
    text = _email(data)
    assert text.startswith("Subject: Update:")
    assert "progress" not in text and "ongoing" not in text, text
    assert "Checkout failed for some customers after a change." in text
    assert "How many customers saw it?" in text


def test_an_update_email_never_calls_the_incident_resolved() -> None:
    data = report_data(resolution=None)
    data["timeline"][3]["plain"] = "The status page said the problem was resolved."
    data["timeline"][0]["plain"] = "The change was rolled back. It was resolved."
    text = _email(data)
    assert text.startswith("Subject: Update:")
    assert "resolved" not in text.lower(), text
    assert "09:21: The change was rolled back." in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'labels showed "Am Alten Markt 17, Hinterhaus, c/o Quill" for one order',
            "labels showed [REDACTED:customer-address] for one order",
        ),
        (
            "shipped to Lindenweg 3 and Berliner Str. 5",
            "shipped to [REDACTED:customer-address] and [REDACTED:customer-address]",
        ),
        ("sent to 221 Baker Street", "sent to [REDACTED:customer-address]"),
        ("addressed c/o Nora Quill", "addressed c/o [REDACTED:customer-name]"),
        (
            "the customer wrote from jane.roe@example.com",
            "the customer wrote from [REDACTED:email]",
        ),
        ("she called from +49 170 1234567", "she called from [REDACTED:phone]"),
        ("call (415) 555-0100", "call [REDACTED:phone]"),
        (
            "see order 4471-20931 and Bestellung 1234567",
            "see order [REDACTED:customer-record] and Bestellung [REDACTED:customer-record]",
        ),
        # figures, times, versions, addresses of machines and small numbers stay
        ("12,000 orders failed at 09:14 on v5.2.0", "12,000 orders failed at 09:14 on v5.2.0"),
        ("10.0.0.1:8080 returned 503 for 3 retries", "10.0.0.1:8080 returned 503 for 3 retries"),
        ("customer 42 and order 7 complained", "customer 42 and order 7 complained"),
        ("+3 retries in 2 hours", "+3 retries in 2 hours"),
    ],
)
def test_customer_personal_data_is_masked(text: str, expected: str) -> None:
    assert mask_personal_data(text) == expected


def test_customer_personal_data_reaches_neither_draft() -> None:
    chat = transcript_of(
        [*((m.time, m.author, m.text) for m in CHAT.messages)]
        + [("09:26", "Sara", 'Order 4471-20931 shipped to "Am Alten Markt 17, c/o Quill"')]
    )
    data = report_data()
    data["impact"].append(
        {
            "text": 'One label read "Am Alten Markt 17, c/o Quill" (order 4471-20931).',
            "plain": "One label was printed for Am Alten Markt 17 (order 4471-20931).",
            "evidence": [9],
        }
    )
    report = IncidentReport.model_validate(data, context={"transcript": chat})
    for audience in ("engineering", "stakeholder"):
        text = render_draft(report, chat, audience).text
        assert "Alten Markt" not in text and "4471-20931" not in text and "Quill" not in text
    engineering = render_draft(report, chat, "engineering").text
    assert "[REDACTED:customer-address]" in engineering
    email = render_draft(report, chat, "stakeholder").text
    assert "One label was printed for a customer's address (a customer's order)." in email


@pytest.mark.parametrize("unit", ["Am ", "Ab ", "1 ", "+1 ", "a@", "a-", "a_", "c/o ", '"A 1'])
def test_the_privacy_rules_are_linear(unit: str) -> None:
    """8x longer hostile text takes at most ~3x the linear time (a ratio, not a time)."""

    def step(text: str) -> None:
        mask_personal_data(text)
        chat_people([text])
        scrub_for_stakeholders(text, PEOPLE)

    ratio = text_growth(step, unit)
    assert ratio < 24, f"{unit!r}: 8x the input took {ratio:.0f}x the time"


@pytest.mark.parametrize(
    "text",
    [
        "Am Montag 14:30 ist der Cluster ausgefallen",  # a clock time, not a house number
        "Zum Zeitpunkt 14:05 lief der Job noch",
        "Am Freitag 14.03. kam der erste Alarm",  # a date
        "log: 10:22:31 +0000 2026-03-14 started",  # a UTC offset and a date, not a phone
        "we lost orders 2026-03-14 and 2026-03-15",  # dates, not order numbers
        "the invoice 2026-03 run started twice",
        "orders 500-1000 per minute were failing",  # a range of a rate
        "customers 10-20% saw errors",
        "Customers 10-20 percent saw errors",
    ],
)
def test_ordinary_times_dates_and_ranges_are_not_personal_data(text: str) -> None:
    assert mask_personal_data(text) == text
    assert mask_personal_data(text, plain=True) == text


@pytest.mark.parametrize(
    "text",
    [
        "Hauptstraße 12, 10115 Berlin",
        "ship to Am Alten Markt 17, Hinterhaus",
        "call +49 170 1234567 now",
        "order 4471-20931 was charged twice",
        "account 12345678 is locked",
    ],
)
def test_the_guards_still_mask_the_shapes_they_border(text: str) -> None:
    assert "[REDACTED:" in mask_personal_data(text)
