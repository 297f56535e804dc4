"""Polarity shapes that are no clash (new-incident false "contradicted" verdicts, rewritten as
chats of their own): a part that contrasts two states, a denial written after its verb ("paged
nobody"), and a plan written as a lettered list item ("(b) add the header")."""

from __future__ import annotations

from tests.claim_checks import FAILED, chat, check

CHAT = chat(
    ("10:02", "Ines", "fyi the ledger p99 is at 4.2s right now, normal is like 300ms"),
    ("10:05", "Ines", "side note: the 09:58 warning went to the channel only, nobody got paged."),
    (
        "10:20",
        "Omar",
        "two parts: (a) pin retries to 0 on the ledger client, (b) send Request-Id = "
        "write_id on every ledger POST.",
    ),
    ("10:31", "Omar", "ledger p99 is back to normal now"),
)


def test_a_part_that_contrasts_two_states_is_not_answered_by_one_of_them() -> None:
    verdict = check("Ledger latency was degraded (p99 4.2s vs ~300ms normal). [m1]", CHAT)
    assert verdict.status not in FAILED, verdict.reason


def test_a_denial_written_after_its_verb_agrees_with_the_same_denial() -> None:
    verdict = check("The 09:58 warning went to the channel only and paged nobody. [m2]", CHAT)
    assert verdict.status not in FAILED, verdict.reason


def test_a_lettered_plan_item_states_nothing_a_denial_could_clash_with() -> None:
    verdict = check("The ledger POST never sent a Request-Id header. [m3]", CHAT)
    assert verdict.status not in FAILED, verdict.reason


def test_a_denial_is_still_contradicted_by_the_same_predicate_stated_the_other_way() -> None:
    said = chat(
        ("10:02", "Ines", "the 09:58 warning paged the on-call, Omar got it"),
        ("10:05", "Omar", "yep I was paged at 09:58"),
    )
    verdict = check("The 09:58 warning paged nobody. [m1, m2]", said)
    assert verdict.status == "contradicted", verdict.reason


def test_a_denial_of_one_state_word_does_not_flip_a_clause_of_several() -> None:
    said = chat(
        ("17:41", "Ana", "impact 14:38-17:21: ledger calls failing, 870 jobs delayed (none lost)"),
    )
    verdict = check("Ledger calls failed from 14:38 to 17:21. [m1]", said)
    assert verdict.status not in FAILED, verdict.reason


def test_a_part_that_sets_its_subject_against_another_is_no_clash() -> None:
    said = chat(("16:33", "Ana", "k8s workloads take the bundle from the vault response, fine"))
    verdict = check(
        "The VM fleet, unlike the k8s workloads, does not take the bundle from the vault "
        "response. [m1]",
        said,
    )
    assert verdict.status not in FAILED, verdict.reason


def test_a_clause_another_part_of_the_claim_agrees_with_is_not_its_opposite() -> None:
    said = chat(("14:50", "Ana", "about 4% of site sales were lost, the rest of the site is fine"))
    verdict = check("About 4% of site sales were lost; the rest of the site was normal. [m1]", said)
    assert verdict.status not in FAILED, verdict.reason


def test_negations_in_the_languages_teams_mix_in_are_read() -> None:
    from app.verify.mood import analyse_clause

    assert analyse_clause("kein Fehler seit dem Rollback").negated
    assert analyse_clause("o rollback não mudou nada").negated
    assert analyse_clause("le rollback ne change rien").negated
    # "NE" (a region) and "PAs" are English tokens, not the French "ne ... pas"
    assert not analyse_clause("the NE region is healthy").negated
    assert not analyse_clause("both PAs signed off").negated
