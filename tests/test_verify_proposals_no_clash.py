"""Chat lines that propose, suppose or merely name a thing do not contradict a denial of it, and
a few word shapes are no negation or state (issue 8: correct facts of strong answers dropped as
"mN says the opposite"). Each shape has a test that fails without its rule and a test that
the plain clash is still caught. The chats are written for the tests."""

from __future__ import annotations

from app.verify.mood import analyse_clause
from tests.claim_checks import FAILED, chat, check

FOLLOW_UPS = chat(
    ("11:02", "Lena", "so nothing paged us, we only found it via a customer ticket"),
    (
        "11:40",
        "Lena",
        "two things from me:\n- alerts for unusual drop in paid orders, broken down per region\n"
        "- a drain checklist for old brokers that includes deleting the topic",
    ),
    ("11:44", "Omar", "plus a CI job that builds the arm64 image and runs the smoke test on it"),
)


def test_a_noun_phrase_list_line_does_not_answer_a_denial() -> None:
    verdict = check("There was no alerting on unusual drops in paid orders. [m2]", FOLLOW_UPS)
    assert verdict.status not in FAILED, verdict.reason


def test_a_proposed_checklist_does_not_answer_a_denial() -> None:
    verdict = check(
        "The drain process for old brokers did not include deleting the topic. [m2]", FOLLOW_UPS
    )
    assert verdict.status not in FAILED, verdict.reason


def test_a_proposed_job_in_the_present_tense_does_not_answer_a_denial() -> None:
    verdict = check("CI did not build the arm64 image or run a smoke test on it. [m3]", FOLLOW_UPS)
    assert verdict.status not in FAILED, verdict.reason


def test_a_denial_is_still_contradicted_by_a_clause_reporting_it_done() -> None:
    said = chat(("11:44", "Omar", "CI built the arm64 image and ran the smoke test on it"))
    verdict = check("CI did not build the arm64 image. [m1]", said)
    assert verdict.status == "contradicted", verdict.reason


def test_a_denial_is_still_contradicted_by_the_opposite_state() -> None:
    said = chat(("11:01", "Kai", "fyi eu-west capacity is fine, it absorbs the US load ok"))
    verdict = check("eu-west did not have the capacity to absorb the US load. [m1]", said)
    assert verdict.status == "contradicted", verdict.reason


def test_a_conditional_clause_states_nothing() -> None:
    said = chat(("23:18", "Ana", "if lag isn't under 50k by then we talk to the cache team."))
    verdict = check("If lag is not under 50k by then, talk to the cache team. [m1]", said)
    assert verdict.status not in FAILED, verdict.reason
    assert analyse_clause("if lag isn't under 50k").negative  # the denial itself is still read


def test_not_only_adds_and_denies_nothing() -> None:
    assert not analyse_clause("alert on rebalance rate, not only on lag").negative
    assert analyse_clause("alert on rebalance rate, not on lag").negative


def test_a_negator_inside_a_compound_is_no_negation() -> None:
    assert not analyse_clause("zero-click search rate 61% (baseline 22%)").negative
    assert analyse_clause("zero clicks on search since 08:31").negative


def test_unable_to_denies_its_verb() -> None:
    assert "complet" in analyse_clause("Some users are unable to complete payments.").denied
    verdict = check(
        "The status page said some users could not complete payments. [m1]",
        chat(
            ("11:30", "Ana", 'status page updated: "Some users are unable to complete payments."')
        ),
    )
    assert verdict.status not in FAILED, verdict.reason


def test_a_state_word_before_its_noun_describes_the_items() -> None:
    assert analyse_clause("failed requests back to baseline, payments going through").state is None
    assert analyse_clause("grouped the failed txns by method").state is None
    assert analyse_clause("payments failed for everyone").state == "bad"
    assert analyse_clause("the deploy failed").state == "bad"


def test_a_breakdown_is_no_broken_state() -> None:
    assert analyse_clause("errors broken down per region").state is None
    assert analyse_clause("the importer is broken").state == "bad"


def test_a_clause_with_two_states_gives_neither_to_a_claim() -> None:
    said = chat(
        ("13:35", "Ana", "update sent: search degraded since 13:14, checkout and browse unaffected")
    )
    verdict = check("Checkout and browse kept working normally. [m1]", said)
    assert verdict.status not in FAILED, verdict.reason
