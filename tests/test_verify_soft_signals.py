"""Soft signals never remove a claim on their own (issue 8, point 1): polarity, done-vs-planned
and quantifier findings are `contradicted` only when a cited message states the same predicate
about the same subject the other way; anything weaker ships as `unconfirmed` (rules only). Each
rule comes with sentences written for it, one that must stay hard and one that must go soft."""

from __future__ import annotations

import pytest

from app.models import Transcript
from app.verify.mood import analyse_clause
from tests.claim_checks import FAILED, chat, check


def _two(said: str) -> Transcript:
    return chat(("10:00", "Ana", "checkout-service is throwing 502s."), ("10:05", "Ben", said))


@pytest.mark.parametrize(
    ("text", "modal"),
    [
        ("the upgrade was supposed to be a separate step, not bundled with the fix", True),
        ("we should not have shipped it on a friday", True),
        ("it was meant to go out next week and not today", True),
        ("the upgrade was not bundled with the fix", False),
        ("the service would not start", False),  # a plain negation in the past
        ("we should ship it on monday", False),  # a modal with nothing negated
    ],
)
def test_a_negation_under_a_modal_is_read_as_one(text: str, modal: bool) -> None:
    assert analyse_clause(text).modal_negation is modal


@pytest.mark.parametrize(
    ("claim", "said", "hard"),
    [
        # the negation sits under "supposed to": what was meant, not what happened
        (
            "The deploy bundled the schema upgrade and the cache fix.",
            "the schema upgrade was supposed to ship next week, not bundled with the cache fix",
            False,
        ),
        # the same predicate denied plainly in the cited message stays hard
        (
            "The deploy bundled the schema upgrade and the cache fix.",
            "the deploy had the cache fix only, the schema upgrade was not bundled",
            True,
        ),
    ],
)
def test_a_modal_negation_is_no_plain_opposite(claim: str, said: str, hard: bool) -> None:
    verdict = check(f"{claim} [m2]", _two(said))
    if hard:
        assert verdict.status == "contradicted" and said in verdict.reason
    else:
        assert verdict.status not in FAILED, verdict.reason


@pytest.mark.parametrize(
    ("claim", "said", "hard"),
    [
        # "crash-free 99.6%" states no trouble, and never says "affected"
        (
            "The android app 7.4.0 was not affected: crash-free users stayed at 99.6%.",
            "android app 7.4.0 at 20% rollout, crash-free 99.6%, same as 7.3.2",
            False,
        ),
        # the same predicate the other way in the cited message
        (
            "The android app 7.4.0 was not affected by the crash.",
            "android app 7.4.0 is affected by the crash as well",
            True,
        ),
    ],
)
def test_a_denial_clashes_only_with_its_own_predicate(claim: str, said: str, hard: bool) -> None:
    verdict = check(f"{claim} [m2]", _two(said))
    if hard:
        assert verdict.status == "contradicted", verdict.reason
    else:
        assert verdict.status not in FAILED, verdict.reason


def test_free_compounds_state_no_trouble() -> None:
    assert analyse_clause("crash-free 99.6% on 7.4.0").state is None
    assert analyse_clause("the app crashed on 7.4.0").state == "bad"


@pytest.mark.parametrize(
    ("said", "hard"),
    [
        # work under way, a plan, a request: the work may have finished since, so it asks
        ("resizing replica-2 to the larger class now", False),
        ("I'll resize replica-2 to the larger class tonight", False),
        ("can you resize replica-2 to the larger class?", False),
        # the cited message says it was not done, or called it off: the other way
        ("replica-2 is not resized to the larger class yet", True),
        ("the resize of replica-2 to the larger class was cancelled", True),
    ],
)
def test_done_is_contradicted_only_by_not_done(said: str, hard: bool) -> None:
    verdict = check("Replica-2 has been resized to the larger class. [m2]", _two(said))
    if hard:
        assert verdict.status == "contradicted" and "done:contradicted" in verdict.checks
    else:
        assert verdict.status == "unconfirmed" and "done:flag" in verdict.checks, verdict.reason


def test_a_negation_of_another_word_is_no_not_done() -> None:
    # "not 70%" negates a figure, not the claimed action
    verdict = check(
        "Replica-2 was resized to the larger class. [m2]", _two("resized, cpu 30% not 70%")
    )
    assert "done:contradicted" not in verdict.checks, verdict.reason


@pytest.mark.parametrize(("host", "hard"), [("batch-03", True), ("batch-02", False)])
def test_a_bare_cited_message_takes_its_host_from_the_request_it_answers(
    host: str, hard: bool
) -> None:
    """ "done, cron disabled" names no host: the request two messages up does, and the next
    message naming batch-03 speaks of another job. A hard identifier check, so the done check
    need not catch the wrong host by accident."""
    transcript = chat(
        ("08:35", "Dana", "Marcus pls disable the payroll-export cron on batch-02 now"),
        ("08:36", "Marcus", "commenting out the entry"),
        ("08:38", "Marcus", "done, cron disabled"),
        ("08:40", "Yusuf", "fyi batch-03 has the same schedule for benefits-export"),
    )
    verdict = check(f"The payroll-export cron was disabled on {host}. [m3]", transcript)
    if hard:
        assert verdict.status == "contradicted" and "identifiers:contradicted" in verdict.checks
    else:
        assert verdict.status not in FAILED, verdict.reason


@pytest.mark.parametrize(
    ("claim", "hard"),
    [
        # a share against a partial figure for the same thing stays hard
        ("All checkout requests failed. [m2]", True),
        # "never" is totality over time: a share does not answer it
        ("The crash reporter never saw a checkout crash. [m2]", False),
        # the claim states the very figure: it cannot be held against it
        ("The reporter showed 45% of checkout requests failing, not all of them. [m2]", False),
    ],
)
def test_a_quantifier_is_contradicted_only_by_a_counted_part(claim: str, hard: bool) -> None:
    verdict = check(claim, _two("checkout requests failing at 45%, crash reporter quiet"))
    if hard:
        assert verdict.status == "contradicted" and "quantifiers:contradicted" in verdict.checks
    else:
        assert "quantifiers:contradicted" not in verdict.checks, verdict.reason


# A chat written for the owner tests: the lead hands the draft over and reviews it.
DRAFTING = chat(
    ("16:04", "Lena", "for comms: do you want me to email all 1,187 cart owners? or just the 37"),
    ("16:06", "Dana", "just the 37 for now. Lena draft the email to them, I'll review"),
    ("16:07", "Dana", "and Raj: rotate the session key, I'll check the config after"),
)


@pytest.mark.parametrize(
    ("claim", "status"),
    [
        # the order names Lena; Dana's "I'll review" is the reviewer's part
        ("Draft the email to the 37 customers for Dana to review (owner: Lena).", "supported"),
        ("Draft the email to the 37 customers (owner: Dana).", "contradicted"),
    ],
)
def test_a_reviewer_named_in_the_item_is_not_its_owner(claim: str, status: str) -> None:
    verdict = check(claim, DRAFTING)
    assert verdict.status == status, verdict.reason


SUMMARY = chat(
    ("11:00", "Ana", "someone needs to send the incident summary to support"),
    ("11:01", "Dana", "I'll send the incident summary to support tonight"),
    ("11:02", "Lena", "thanks"),
)


@pytest.mark.parametrize(
    ("claim", "status"),
    [
        # Dana is named as the recipient: the chat giving Dana the work only asks
        ("Send the incident summary for Dana to review (owner: Lena).", "unconfirmed"),
        ("Send the incident summary to Dana (owner: Lena).", "unconfirmed"),
        # no other role for Dana in the item: the chat gave it to Dana, not Lena
        ("Send the incident summary to support (owner: Lena).", "contradicted"),
    ],
)
def test_an_owner_named_as_reviewer_or_recipient_only_asks(claim: str, status: str) -> None:
    verdict = check(claim, SUMMARY)
    assert verdict.status == status, verdict.reason
