"""Rules that let the checker judge drafts it was not tuned on, most of which cite nothing: each
rule has sentences it must catch and sentences it must let through, on chats written for these
tests. The one-line pattern each rule stands for is in the comment above its test."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ingest import parse_transcript
from app.verify import split_claims, verify_draft
from app.verify.placeholder_check import placeholders
from app.verify.quantities import figures
from tests.claim_checks import FAILED, chat, check

# A queue incident, written for these tests.
QUEUE = chat(
    ("08:02", "pager_bot", "FIRING QueueDepthHigh invoice-worker depth=48k"),
    ("08:04", "Lena", "invoice-worker is stuck after the 7:55 deploy, consumers crashlooping"),
    ("08:05", "Omar", "billing-api is fine. only the worker is affected"),
    ("08:09", "Lena", "rolling back invoice-worker to 3.2.0 now"),
    ("08:12", "Lena", "rollback done, 3.2.0 live. consumers up"),
    ("08:15", "Omar", "depth down to 9k, 4/6 consumers healthy, the rest restarting"),
    ("08:26", "Lena", "queue drained, depth 0. the nightly export is still paused"),
    ("08:30", "Omar", "about 2,300 invoices were sent late, some 3 times each"),
    ("08:31", "Omar", "devon_ops will handle the duplicate emails with support"),
)


# --- times: a chat that writes the claimed time, or a claim that states the rival's time, is no
# wrong time; nor is a rival a minute away; a message at the claimed time sharing the claim's
# words may be what it paraphrases ----------------------------------------------------------


@pytest.mark.parametrize(
    "claim",
    [
        # the rival (08:04) itself writes 7:55: it may be the same event in other words
        "07:55 A new version of the worker went out.",
        # 08:12 is the claim's own other time: the rival speaks of that part of it
        "08:12 Rollback finished (started at 08:09).",
        # a minute from the best report: chat timestamps have minute resolution
        "08:13 Rollback done and 3.2.0 live.",
        # a message at 08:26 shares "queue": the claim may paraphrase it
        "08:26 The queue was empty again.",
    ],
)
def test_times_the_chat_may_bear_out_are_not_contradicted(claim: str) -> None:
    verdict = check(claim, QUEUE)
    assert verdict.status != "contradicted", verdict.reason


@pytest.mark.parametrize(
    "claim",
    [
        "08:20 Rollback done, 3.2.0 live.",  # the rollback is done at 08:12, nothing at 08:20
        "The worker started crashlooping at 08:15.",  # 08:04 reports it
    ],
)
def test_a_time_the_chat_puts_elsewhere_still_fails(claim: str) -> None:
    verdict = check(claim, QUEUE)
    assert verdict.status in FAILED, verdict.reason


# a time written only as the point something came after ("after the 7:55 deploy") is not the
# time of what the message reports
def test_a_reference_time_does_not_shield_the_claim() -> None:
    verdict = check("Consumers started crashlooping at 07:55.", QUEUE)
    assert verdict.status == "contradicted", verdict.reason


# --- figures ------------------------------------------------------------------------------


# "4 of 6", "4/6", "6 in 10", "one in five" state a share; a slash before a word is a share,
# not a date; "batch 3 of 5"-style positions are no contradiction either way
@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("4 of 6 regions failed", 4 / 6),
        ("4/6 regions failing", 4 / 6),
        ("About 6 in 10 customers could not pay", 0.6),
        ("one in five searches failed", 0.2),
        ("2 of the 12 pods restarted", 2 / 12),
    ],
)
def test_fractions_are_shares(text: str, share: float) -> None:
    shares = [f.value for f in figures(text) if f.kind == "ratio" and f.fraction]
    assert shares == [pytest.approx(share)]


@pytest.mark.parametrize("text", ["deployed on 6/3 we think", "we deployed 3 times", "3 to 5"])
def test_not_fractions(text: str) -> None:
    assert not any(f.fraction for f in figures(text))


def test_a_share_written_as_a_fraction_matches_the_chat() -> None:
    assert check("4 of 6 consumers were healthy at 08:15.", QUEUE).status not in FAILED
    # the denominator is no count of its own: "6" is not contradicted by "4"
    assert "figures:contradicted" not in check("4 of 6 consumers were healthy.", QUEUE).checks


# "N times" may count occurrences: "3 times each" is "3 times", and "shown 1,900 times" is the
# chat's "1,900 responses", when the words beside them agree
def test_times_as_a_count() -> None:
    assert check("Some invoices were sent 3 times each.", QUEUE).status not in FAILED
    verdict = check("Some invoices were sent 7 times each.", QUEUE)
    assert "figures:pass" not in verdict.checks


# everyday figure words ("twice", "half", "an hour", "doubled") never fail a claim on their own
@pytest.mark.parametrize(
    "claim",
    [
        "The rollback was announced twice in the channel.",
        "Depth fell by half within minutes of the rollback.",
        "The export ran once a day before this.",
    ],
)
def test_vague_figures_only_ask(claim: str) -> None:
    verdict = check(claim, QUEUE)
    assert verdict.status not in FAILED, verdict.reason


def test_digits_still_fail() -> None:
    assert check("About 7,300 invoices were sent late.", QUEUE).status in FAILED


# an approximate duration may be a tenth off the impact window computed from the alert to the
# recovery ("about 25 minutes" for 08:02 -> 08:26), an exact one a minute
def test_approximate_durations_get_a_tenth() -> None:
    assert check("The queue was backed up for about 25 minutes.", QUEUE).status not in FAILED
    assert check("The queue was backed up for 90 minutes.", QUEUE).status in FAILED


# --- names, placeholders, quantifiers -------------------------------------------------------


# a participant's handle is a name of the chat, even if no message writes it
def test_a_participants_handle_occurs() -> None:
    assert check("pager_bot fired QueueDepthHigh at 08:02.", QUEUE).status not in FAILED
    assert check("alert_bot fired QueueDepthHigh.", QUEUE).status in FAILED


# "to be determined" is a slot when it stands for the value, not inside a sentence
@pytest.mark.parametrize(
    ("text", "slot"),
    [
        ("Root cause: to be determined", True),
        ("Customers affected (to be confirmed)", True),
        ("We will publish the report on {date}.", True),
        ("the slowdown caused more pods to be added, which used more connections", False),
        ("Whether staging is affected is to be determined by the data team", False),
        ("config {a: 1} was wrong", False),
    ],
)
def test_placeholder_slots(text: str, slot: bool) -> None:
    assert bool(placeholders(text)) == slot


# "all" before a number states a count (the figure check reads it), and "never" in a plan is a
# goal: neither is a claim of totality
@pytest.mark.parametrize(
    "claim",
    [
        "All 2,300 late invoices were sent.",
        "Make sure invoice-worker can never block the export again.",
    ],
)
def test_totality_that_is_a_count_or_a_goal(claim: str) -> None:
    assert "quantifiers:contradicted" not in check(claim, QUEUE).checks


# --- polarity and services, citing nothing --------------------------------------------------


# a clash is hard, citing nothing, when the clashing clause names the same identifier
def test_an_identifier_pins_the_clash() -> None:
    verdict = check("billing-api was also affected.", QUEUE)
    assert verdict.status == "contradicted" and "billing-api is fine" in verdict.reason
    # the same clash without a shared identifier only asks
    assert check("The export was not paused.", QUEUE).status == "unconfirmed"


# a service is named by its distinctive part ("the worker" is no name; "invoice" is)
def test_a_service_named_by_its_distinctive_part() -> None:
    assert check("invoice-worker consumers were crashlooping.", QUEUE).status not in FAILED


# --- splitting ------------------------------------------------------------------------------


# a trailing "(owner: X)" note belongs to the sentence before it
def test_a_bracketed_note_joins_its_sentence() -> None:
    claims = split_claims("Add a lag alert to the worker. (owner: Omar)\n")
    assert [c.text for c in claims] == ["Add a lag alert to the worker. (owner: Omar)"]


# a fact in a courtesy phrase, a greeting or a postscript is marked, and ships only if confirmed
@pytest.mark.parametrize(
    ("draft", "text"),
    [
        ("We are writing to confirm that 2,300 invoices were sent late.", "2,300 invoices"),
        ("Thank you for your patience while we rebuilt the queue.", "while we rebuilt"),
        ("Hi all, the worker was rolled back.", "the worker was rolled back"),
        ("PS: every customer gets a refund.", "every customer gets a refund"),
        ("We appreciate your quick work, and the export is running.", "the export is running"),
        ("Thanks, all, and Omar has since rebuilt the queue.", "Omar has since rebuilt"),
    ],
)
def test_courtesy_wraps_are_marked(draft: str, text: str) -> None:
    claims = split_claims(draft)
    assert len(claims) == 1 and text in claims[0].text and claims[0].wrapped


def test_an_unconfirmed_wrapped_claim_fails_and_a_confirmed_one_ships() -> None:
    invented = verify_draft("Thank you for your patience while we moved to a new broker.", QUEUE)
    assert invented.claims[0].status == "unsupported"
    assert "courtesy" in invented.claims[0].reason
    plain = verify_draft("We moved to a new broker.", QUEUE)
    assert plain.claims[0].status == "unconfirmed"
    confirmed = verify_draft("Hi all, the queue drained at 08:26.", QUEUE)
    assert confirmed.claims[0].status == "supported", confirmed.claims[0].reason


# a section about the draft keeps its notes out, but not the facts written there
def test_notes_on_the_draft_keep_only_facts() -> None:
    draft = (
        "## Notes on this draft\n\n"
        "- **Verification:** 19 claims were checked against the transcript: 19 supported.\n"
        "- **Left out:** 2 timeline entries failed the fact check and are not shown.\n"
        "- We also refunded all 2,300 invoices.\n"
    )
    assert [c.text for c in split_claims(draft)] == ["We also refunded all 2,300 invoices."]


def test_a_status_line_with_a_fact_is_a_claim() -> None:
    assert split_claims("**Status:** Draft (generated from the incident channel)\n") == []
    claims = split_claims("**Status:** Draft, all 2,300 invoices refunded\n")
    assert [c.text for c in claims] == ["Draft, all 2,300 invoices refunded"]


# a signature holds names and titles; a line in the past tense is a statement
def test_a_statement_after_a_sign_off_is_a_claim() -> None:
    draft = "The queue drained.\n\nThanks,\nLena\nRefunds Sent To Everyone\n"
    assert [c.text for c in split_claims(draft)][-1] == "Refunds Sent To Everyone"
    signed = "The queue drained.\n\nBest regards,\nLena Park\nHead of Site Reliability\n"
    assert [c.text for c in split_claims(signed)] == ["The queue drained."]


# --- components: the part of the system the chat names for what the claim says -------------

EDGE = chat(
    ("10:42", "Marta", "EU traffic is flipping between regions every couple of minutes"),
    ("10:43", "Marta", "edge-proxy there is healthy, cpu normal"),
    ("10:44", "Omar", "checkout-api in EU is throwing 502s on each switch"),
    ("10:50", "Chidi", "thumbnailer pods are OOMing, scaling"),
    ("10:52", "Chidi", "thumbnailer scaled 8 -> 24 pods"),
    ("10:55", "Omar", "media-origin 5xx back to baseline"),
)


@pytest.mark.parametrize(
    ("claim", "rival"),
    [
        ("The edge-proxy returned 502s on each switch.", "checkout-api"),
        ("10:52 Chidi scaled media-origin from 8 to 24 pods.", "thumbnailer"),
    ],
)
def test_the_component_the_chat_names_for_it(claim: str, rival: str) -> None:
    verdict = check(claim, EDGE)
    assert verdict.status == "contradicted" and rival in verdict.reason, verdict.reason


@pytest.mark.parametrize(
    "claim",
    [
        "checkout-api threw 502s on each switch.",
        "10:52 Chidi scaled the thumbnailer from 8 to 24 pods.",
        "media-origin errors were back to baseline by 10:55.",
        # the clause reports the event but names no component: nothing to compare
        "The edge-proxy was flipping traffic every couple of minutes.",
    ],
)
def test_the_same_component_or_none_is_no_contradiction(claim: str) -> None:
    assert check(claim, EDGE).status != "contradicted"


SEED = parse_transcript(
    (Path(__file__).parent / "data" / "seed_000_checkout_chat.txt").read_text(encoding="utf-8")
)


def test_an_english_compound_is_no_rival_component() -> None:
    # m7: "the service is literally pointing to a non-existent endpoint"
    claim = (
        "A 09:10 deploy pointed checkout-service at a payment gateway endpoint that did not "
        "exist in prod, so checkout errors hit 45%."
    )
    verdict = check(claim, SEED)
    assert verdict.status == "supported", verdict.reason


@pytest.mark.parametrize("compound", ["read-only", "follow-up", "long-running", "self-hosted"])
def test_english_compounds_written_in_passing_contradict_nothing(compound: str) -> None:
    compounds = chat(
        ("10:40", "Ines", "checkout-api errors after the deploy"),
        ("10:41", "Ines", f"the deploy pointed the service at a {compound} endpoint"),
        ("10:45", "Kofi", "rolled back, errors gone"),
    )
    verdict = check(f"The deploy pointed checkout-api at a {compound} endpoint.", compounds)
    assert verdict.status != "contradicted", verdict.reason


def test_a_hyphenated_name_the_chat_uses_as_one_is_a_rival() -> None:
    named = chat(
        ("10:40", "Ines", "ledger-sync is timing out on every batch"),
        ("10:41", "Kofi", "checkout-api looks fine"),
        ("10:44", "Ines", "ledger-sync recovered after the restart"),
    )
    verdict = check("checkout-api was timing out on every batch.", named)
    assert verdict.status == "contradicted" and "ledger-sync" in verdict.reason, verdict.reason
    # written once, in passing, by no kind word: the same clause says nothing either way
    passing = chat(
        ("10:40", "Ines", "a ledger-sync job is timing out on every batch"),
        ("10:41", "Kofi", "checkout-api looks fine"),
    )
    assert check("checkout-api was timing out on every batch.", passing).status != ("contradicted")


def test_english_prefixes_make_no_system_names() -> None:
    from app.verify.components import identifier_components

    text = "a non-existent, self-hosted, re-run, multi-region, co-located thing; co-proxy-3, auth-7"
    assert [c.written for c in identifier_components(text)] == ["co-proxy-3", "auth-7"]


# --- a time the chat corrects ("correction, the deploy finished 10:31") ---------------------

CORRECTED = chat(
    ("10:54", "Sven", "merged 10:25, deploy finished at 10:28"),
    ("10:55", "Marta", "that lines up with the 10:30 reports"),
    ("10:56", "Sven", "correction, the deploy finished 10:31, the pipeline was queued"),
    ("10:58", "Kenji", "draining the probe now"),
)


def test_a_corrected_time_is_contradicted_by_the_correction() -> None:
    verdict = check("10:28 The deploy finished.", CORRECTED)
    assert verdict.status == "contradicted" and "corrects it to 10:31" in verdict.reason
    assert check("10:31 The deploy finished.", CORRECTED).status not in FAILED
    # a correction of something else leaves the time alone
    assert check("10:25 The change was merged.", CORRECTED).status not in FAILED


# --- reading clauses --------------------------------------------------------------------------


# "not-yet-valid" denies as "not yet valid" does; "alert: 5xx > 5%" is a label, not an order
def test_hyphenated_negation_and_labels() -> None:
    logs = chat(
        ("16:04", "Tanvi", "alert: checkout 5xx rate > 5%"),
        ("17:08", "Oscar", "gateway logs: first not-yet-valid rejection was at 15:58:40"),
    )
    assert check('15:58 First "not yet valid" rejection in the gateway logs.', logs).status not in (
        FAILED
    )
    assert check("At 16:04 Tanvi was alerted on the checkout 5xx rate.", logs).status not in FAILED


# a day of a date is a date: the chat's timestamps bear it out, and another date in the chat
# about the same thing contradicts it
def test_days_of_dates() -> None:
    dated = parse_transcript(
        "2025-06-03 09:32:15 akosua: rl-redis at maxmemory since the Feb 20 config change\n"
        "2025-06-03 09:40:00 matt: deleting keys"
    )
    assert check("On 3 June rl-redis ran out of memory.", dated).status not in FAILED
    assert check("On 5 June rl-redis ran out of memory.", dated).status in FAILED
    assert check("The config change on Feb 20 caused it.", dated).status not in FAILED
    assert check("The config change on Feb 27 caused it.", dated).status in FAILED


# in a list of plans only "has been done" claims work done ("while its clock is unsynced" states
# a condition)
def test_a_condition_in_a_plan_is_no_done_claim() -> None:
    plans = chat(("17:13", "Tanvi", "3) auth should refuse to issue tokens when unsynced. jlee?"))
    draft = "## Action items\n\n- Auth refuses to issue tokens while its clock is unsynced\n"
    (verdict,) = verify_draft(draft, plans).claims
    assert verdict.status not in FAILED, verdict.reason


# --- names and actors, citing nothing -----------------------------------------------------

ORDERS = chat(
    ("14:02", "Maya", "PagerDuty fired: orders-api p99 at 4.2s. Error rate 12%."),
    ("14:05", "Tom", "orders-api v3.8.1 went out at 13:40 with the new order-history query."),
    ("14:06", "Lena", "Found it: the order-history query holds connections for 20+ seconds."),
    ("14:08", "Tom", "Rolling back to v3.8.0 now."),
    ("14:12", "Tom", "Rollback to v3.8.0 complete. p99 back to 320ms."),
    ("14:15", "Maya", "Payments and inventory were not affected. Can you check search, Lena?"),
    ("14:20", "Maya", "Follow-ups: add the index, turn on pool alerts. I'll do the alerts."),
    ("14:22", "Lena", "I turned on the pool alerts already, Maya."),
)


# a version the chat writes is no wrong one because a message about the same words names
# another ("rolled back from v3.8.1 to v3.8.0"); a name the chat writes only by its parts
# ("payments-api" for "Payments") is not contradicted by another service
@pytest.mark.parametrize(
    "claim",
    ["Tom rolled back orders-api to v3.8.0.", "payments-api and inventory were not affected."],
)
def test_names_the_chat_bears_out_loosely(claim: str) -> None:
    assert check(claim, ORDERS).status not in FAILED


# three letters abbreviate a word from its start ("fra" for Frankfurt), not from anywhere in
# it ("put" is no abbreviation of PagerDuty)
def test_abbreviations_start_where_the_word_does() -> None:
    disk = chat(("03:12", "Nina", "Got paged by Grafana. I put the node in read-only."))
    assert check("At 03:12 Opsgenie and PagerDuty paged Nina.", disk).status in FAILED


# a question states nothing: "can you check whether billing-events is affected?" does not
# contradict "billing-events was not affected"
def test_a_question_pins_no_state() -> None:
    asked = chat(
        ("14:27", "Ines", "Rob - can you check whether the billing-events consumers are affected?"),
        ("15:33", "Felix", "billing-events reads its own queue, no lag there"),
    )
    assert check("Billing events were not affected.", asked).status != "contradicted"


# the person a done claim names must be the one the best report links to it, not the one who
# planned it ("I'll do the alerts" is no report that the alerts were turned on)
def test_the_actor_of_a_done_claim_is_the_reporter() -> None:
    assert check("Lena turned on the pool alerts.", ORDERS).status not in FAILED
    assert check("Maya turned on the pool alerts.", ORDERS).status == "contradicted"


# a done claim is not at a time when the chat only had it under way ("Rolling back ... now"),
# and the person or the figure of the claim can pin it to the report at another time
@pytest.mark.parametrize(
    "claim",
    [
        "The rollback to v3.8.0 finished at 14:08.",
        "At 14:05 Lena found the order-history query holding connections.",
        "p99 was back to 320ms at 14:15.",
    ],
)
def test_a_time_pinned_elsewhere(claim: str) -> None:
    assert check(claim, ORDERS).status == "contradicted", check(claim, ORDERS).reason


@pytest.mark.parametrize(
    "claim",
    [
        "The rollback to v3.8.0 started at 14:08.",
        "Lena found the order-history query holding connections at 14:06.",
        "p99 was back to 320ms at 14:12.",
    ],
)
def test_the_time_it_was_pinned_to(claim: str) -> None:
    assert check(claim, ORDERS).status not in FAILED, check(claim, ORDERS).reason


# --- the actor of a claim at a time: their own message writing that time -------------------

FLAG_EDIT = chat(
    ("15:24", "Ruth", "conversion dropped, anyone change anything?"),
    ("15:29", "Jonas", "checking the flag service"),
    ("15:31", "Jonas", "the promo_banner flag is at 50%, it was 5% this morning"),
    ("15:31", "Kwame", "who edited the flag?"),
    ("15:32", "Nadia", "me, sorry. I edited it at 15:10, meant 10%"),
    ("15:34", "Jonas", "setting the flag to 0 now"),
)


def test_the_person_who_writes_the_claimed_time_is_its_actor() -> None:
    assert check("At 15:10 Nadia edited the promo_banner flag.", FLAG_EDIT).status != (
        "contradicted"
    )
    assert check("At 15:10 Jonas edited the promo_banner flag.", FLAG_EDIT).status == (
        "contradicted"
    )


def test_what_a_chat_uses_as_a_name() -> None:
    from app.verify.components import used_as_names

    named = used_as_names(
        [
            "media-origin pods restarting",  # a kind word follows it
            "auth-7 is drifting, checkout-api is fine",  # a digit; a kind part
            "ledger-sync is slow",
            "the ledger-sync recovered",  # opens a clause twice
            "long-running queries piled up on a read-write endpoint",  # once, in passing
        ]
    )
    assert named == {"mediaorigin", "auth7", "checkoutapi", "ledgersync"}


# --- a past form right after a name: the person is its subject ("oscar fixed chrony.conf") ---

HANDLES = chat(
    ("16:29", "oscar", "gateway leeway is still 30s"),
    ("16:30", "bpark", "fixing chrony.conf on auth-7 by hand, pointing at ntp1.corp"),
    ("16:33", "jlee", "offset now < 5ms on auth-7"),
)


def test_a_past_form_after_a_name_makes_it_the_actor() -> None:
    verdict = check("16:30 oscar fixed chrony.conf on auth-7 by hand.", HANDLES)
    assert verdict.status == "contradicted" and "bpark" in verdict.reason, verdict.reason
    assert check("16:30 bpark fixed chrony.conf on auth-7 by hand.", HANDLES).status != (
        "contradicted"
    )
