"""A participant shown as "Last, First" (a directory's display name) is the "First Last" of a
sentence (`people.PeopleIndex`)."""

from __future__ import annotations

from app.verify.people import PeopleIndex
from tests.claim_checks import FAILED, chat, check

DIRECTORY = chat(
    ("08:19", "Okafor, Chidi", "burn rate is ~310M/day since the fanout shipped"),
    ("08:27", "Brennan, Aoife", "ill check our other 2 report jobs for the same pattern"),
    ("08:40", "Okafor, Chidi", "I'll set idle_in_transaction_session_timeout on pg-orders"),
)


def test_a_last_first_display_name_is_named_first_last() -> None:
    verdict = check(
        "Chidi Okafor to set idle_in_transaction_session_timeout on pg-orders [m3].", DIRECTORY
    )
    assert verdict.status not in FAILED, verdict
    people = PeopleIndex.of(["Okafor, Chidi", "Brennan, Aoife"])
    assert people.names_in("Chidi Okafor and Brennan agreed") == ["Okafor, Chidi", "Brennan, Aoife"]


def test_a_surname_no_participant_has_is_still_unknown() -> None:
    verdict = check(
        "Chidi Adeyemi to set idle_in_transaction_session_timeout on pg-orders [m3].", DIRECTORY
    )
    assert verdict.status in FAILED, verdict
