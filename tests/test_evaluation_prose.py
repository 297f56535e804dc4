"""The eval's prose checks and attribution measure: what counts, what does not."""

from __future__ import annotations

import pytest

from app.evaluation.attribution import measure_attribution
from app.evaluation.gold import GoldMessage
from app.evaluation.prose import (
    chat_debris,
    first_person_sentences,
    stakeholder_private_terms,
    status_mismatches,
)
from app.models import Message


@pytest.mark.parametrize(
    ("text", "allow_we", "expected"),
    [
        ("I merged that into prod without updating the values.", True, 1),
        ("The deploy was rolled back at 09:18. My bad.", True, 1),
        ("We are reviewing follow-up work.", True, 0),  # company voice in an email
        ("We moved the config to a new variable.", False, 1),  # not in a blameless postmortem
        ('Ravi wrote "I\'m starting the rollback" at 09:18.', False, 0),  # quoted chat
        ("> I'll take the runbook\n\nThe runbook update is owned by Priya.", False, 0),
        ("Phase two of the migration ran in us-east-1.", False, 0),  # 'us' inside a word
        ("Engineers restored service at 09:22.", False, 0),
        ("Disk I/O on the primary saturated.", False, 0),  # "I/O" is no pronoun
        ("Checkout failed for US customers. Tell us.", False, 1),  # the country is not "us"
    ],
)
def test_first_person_sentences(text: str, allow_we: bool, expected: int) -> None:
    assert len(first_person_sentences(text, allow_we=allow_we)) == expected


def test_status_mismatch_against_the_gold() -> None:
    ongoing = "Subject: Update: checkout errors\n\nThis is an update on an ongoing incident."
    resolved = "Subject: Resolved: checkout errors\n\nThe incident has been resolved."
    assert status_mismatches(ongoing, resolved=True) == ["ongoing"]
    assert status_mismatches(resolved, resolved=True) == []
    assert status_mismatches(resolved, resolved=False)
    assert status_mismatches(ongoing, resolved=False) == []
    assert status_mismatches(ongoing, resolved=None) == []


def test_private_terms_names_hosts_and_citations() -> None:
    email = "Priya's team saw errors on pay-gw.prod.internal [m12]; Ravians were fine."
    found = stakeholder_private_terms(email, ["Priya", "Ravi", "PagerDuty"])
    assert "Priya" in found and "[m12]" in found
    assert any("prod.internal" in term for term in found)
    assert "Ravi" not in found  # a name inside another word is not the name


def test_chat_debris() -> None:
    assert chat_debris(["rolled back (edited)", ":+1: 3", "3 replies View thread"]) == [
        "(edited)",
        ":+1: 3",
        "3 replies",
        "View thread",
    ]
    assert chat_debris(["At 09:14:05 errors rose to 45%."]) == []


def _message(i: int, author: str | None, time: str | None) -> Message:
    return Message(id=i, author=author, time=time, text="x", line_start=i, line_end=i)


def test_attribution_counts_messages_credited_to_the_right_author_and_time() -> None:
    gold = [
        GoldMessage(author="Ana", time="10:00"),
        GoldMessage(author="Bob", time="10:01"),
        GoldMessage(author="Ana", time="10:02"),
        GoldMessage(author="Cy", time=None),
    ]
    right = [
        _message(1, "Ana", "10:00"),
        _message(2, "bob", "10:01:30"),
        _message(3, "Ana", "10:02"),
        _message(4, "Cy", None),
    ]
    assert measure_attribution(gold, right).accuracy == 1.0
    # Bob's message merged into Ana's, and Cy's line credited to Ana: two of four lost
    wrong = [_message(1, "Ana", "10:00"), _message(2, "Ana", "10:02"), _message(3, "Ana", None)]
    result = measure_attribution(gold, wrong)
    assert result.attributed == 2 and result.accuracy == 0.5
    assert any("Bob" in miss for miss in result.misses)
