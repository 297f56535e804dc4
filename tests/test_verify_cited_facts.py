"""Hard checks that read the messages a claim cites: who reported the event, what time the
event is given there, which figure it states. Each rule has sentences it must catch and
sentences it must let through, on a chat written for these tests."""

from __future__ import annotations

import pytest

from app.ingest import parse_transcript
from app.verify.entity_check import _said_of, siblings
from tests.claim_checks import FAILED, chat, check

# A storage incident, written for these tests.
STORAGE = chat(
    ("10:01", "Ines", "disk alarms on store-3, volume at 97%"),
    ("10:03", "Ines", "grabbing the console for store-3 now"),
    ("10:05", "Ines", "reproduced it: writes to the volume fail with ENOSPC, compaction is stuck"),
    ("10:06", "Karl", "I'm IC. Pavel please expand the volume on store-3"),
    ("10:09", "Pavel", "volume expanded to 2 TB at 10:08, writes recovering"),
    ("10:12", "Karl", "Pavel can you also restart compaction?"),
    ("10:14", "Pavel", "compaction restarted, Ines confirmed writes look healthy"),
    ("10:20", "Ines", "support saw 31 tickets so far"),
    ("10:40", "Ines", "done for today: 57 tickets total, macro reply sent"),
)


# --- actors: in a timeline, the narrative present reports an event; when every cited message
# is one other author's first-hand report and none names the claimed actor, the actor is wrong


def test_timeline_row_in_present_tense_with_another_authors_report_is_contradicted() -> None:
    verdict = check(
        "## Timeline\n\n10:05 — Karl reproduces the ENOSPC write failures [m2, m3]", STORAGE
    )
    assert verdict.status == "contradicted", verdict.reason
    assert "Ines" in verdict.reason


@pytest.mark.parametrize(
    "claim",
    [
        # the author of the cited report
        "## Timeline\n\n10:05 — Ines reproduces the ENOSPC write failures [m2, m3]",
        # a cited message names the person for it
        "## Timeline\n\n10:14 — Ines confirms writes look healthy after the restart [m7]",
        # the cited messages are by two authors: the rule does not decide between them
        "## Timeline\n\n10:06 — Karl asks for the volume on store-3 to be expanded [m4, m5]",
    ],
)
def test_cited_reports_that_fit_the_actor_are_not_contradicted(claim: str) -> None:
    verdict = check(claim, STORAGE)
    assert verdict.status != "contradicted", verdict.reason


# --- times: a done claim at the time of a cited request, when a later cited message reports it
# done with the claim's verb, takes the request's time for the work's


@pytest.mark.parametrize(
    "claim",
    [
        "Pavel expanded the volume on store-3 at 10:06 [m4, m5]",
        "10:12 — Pavel restarted compaction [m6, m7]",
    ],
)
def test_done_at_the_time_of_a_cited_request_is_contradicted(claim: str) -> None:
    verdict = check(claim, STORAGE)
    assert verdict.status == "contradicted", verdict.reason
    assert "only asks" in verdict.reason


@pytest.mark.parametrize(
    "claim",
    [
        # the request is what the claim reports
        "At 10:06 Karl asked Pavel to expand the volume on store-3 [m4, m5]",
        # the time the report writes
        "Pavel expanded the volume on store-3 at 10:08 [m4, m5]",
        # a plan, not a done claim
        "At 10:06 Pavel was asked to expand the volume on store-3 [m4]",
        # no later cited report: nothing in the citations says when it was done
        "Pavel expanded the volume on store-3 at 10:06 [m4]",
    ],
)
def test_requests_and_the_times_of_reports_are_not_contradicted(claim: str) -> None:
    verdict = check(claim, STORAGE)
    assert verdict.status != "contradicted", verdict.reason


# --- owners: "asked Pavel to ..." outside a list of plans narrates a request; it names no owner
# of follow-up work (the owner rules would match it against the chat's follow-ups)


def test_a_narrated_request_is_not_read_as_an_owner() -> None:
    verdict = check("At 10:06 Karl asked Pavel to expand the volume on store-3 [m4]", STORAGE)
    assert not any(c.startswith("owner:") for c in verdict.checks), verdict.checks
    assert verdict.status not in FAILED, verdict.reason


def test_an_owner_in_a_list_of_plans_is_still_read() -> None:
    verdict = check("## Action items\n\n- Pavel to add a disk alarm for store-3", STORAGE)
    assert any(c.startswith("owner:") for c in verdict.checks), verdict.checks


# --- figures: a figure the chat states only in uncited messages, where the cited message gives
# another of its kind beside the same word, is contradicted by the message the claim rests on


def test_an_earlier_count_given_for_the_cited_total_is_contradicted() -> None:
    verdict = check("Support received 31 tickets in total [m9]", STORAGE)
    assert verdict.status == "contradicted", verdict.reason
    assert "57" in verdict.reason


@pytest.mark.parametrize(
    "claim",
    [
        "Support tickets went from 31 to 57 [m9]",  # the cited figure is the claim's own other one
        "Support saw 31 tickets by 10:20 [m8]",  # the cited message states it
        "Support saw 31 tickets by 10:20 [m8, m9]",  # one cited message states it
    ],
)
def test_figures_a_cited_message_bears_out_are_not_contradicted(claim: str) -> None:
    verdict = check(claim, STORAGE)
    assert verdict.status != "contradicted", verdict.reason


# --- services: the cited message says the claim's predicate of another service, in the same
# sentence; a plain hyphenated word the chat writes as a name ("ledger-export") is one too

SERVICES = chat(
    (
        "11:00",
        "Maya",
        "do both. Omar roll back ledger-api to v4.1. Jun please hold any further "
        "billing-web deploys",
    ),
    ("11:01", "Jun", "ack, freezing billing-web"),
    ("11:10", "Omar", "invoice-sync is failing too, separate thing: its token expired"),
    ("11:20", "Omar", "invoice-sync token rotated, invoice-sync green again"),
    ("11:25", "Maya", "ledger-export still failing on the nightly run, looking"),
    ("11:40", "Maya", "incident resolved, thanks all"),
)


@pytest.mark.parametrize(
    ("claim", "named"),
    [
        (
            "Jun froze further ledger-export deploys until the incident was resolved [m1, m2]",
            "billing-web",
        ),
        ("Omar rotated the token and ledger-export was green again [m4]", "invoice-sync"),
    ],
)
def test_a_service_put_on_another_services_event_is_contradicted(claim: str, named: str) -> None:
    verdict = check(claim, SERVICES)
    assert verdict.status == "contradicted", verdict.reason
    assert named in verdict.reason


@pytest.mark.parametrize(
    "claim",
    [
        # the cited message names the claimed service
        "Jun froze further billing-web deploys until the incident was resolved [m1, m2]",
        "ledger-export was still failing on the nightly run at 11:25 [m5]",
    ],
)
def test_services_the_cited_message_names_are_not_contradicted(claim: str) -> None:
    verdict = check(claim, SERVICES)
    assert verdict.status != "contradicted", verdict.reason


def test_a_rival_service_counts_only_in_the_sentence_that_says_the_claims_words() -> None:
    text = "do both. Omar roll back to v4.1. Jun please hold any further billing-web deploys"
    assert _said_of(frozenset({"deploi", "hold"}), text, "billing-web")
    assert not _said_of(frozenset({"rollback", "roll", "v4.1"}), text, "billing-web")


# --- durations the chat does not state: the times of the cited messages (their own and those
# written in them) must hold two that far apart

NIGHT = chat(
    ("23:40", "Rui", "starting the reindex of shard-7 now"),
    ("23:52", "Rui", "reindex of shard-7 done, 2.1M docs"),
    ("23:58", "Rui", "summary: lag from 23:10 to 23:35, reindex 23:40-23:52"),
    ("00:05", "Rui", "all green since midnight"),
)


def test_a_duration_shorter_than_the_cited_span_and_far_from_it_is_contradicted() -> None:
    verdict = check("The reindex of shard-7 took 3 minutes [m1, m2]", NIGHT)
    assert verdict.status == "contradicted", verdict.reason
    assert "apart" in verdict.reason


def test_a_duration_longer_than_everything_cited_is_only_flagged() -> None:
    # the citations may not reach the end of what the claim times
    verdict = check("The reindex of shard-7 took about 30 minutes [m1, m2]", NIGHT)
    assert verdict.status == "unconfirmed", verdict.reason
    assert "span only" in verdict.reason


@pytest.mark.parametrize(
    "claim",
    [
        "The reindex of shard-7 took about 12 minutes [m1, m2]",  # 23:40 to 23:52
        "The reindex of shard-7 took about ten minutes [m1, m2]",  # a round figure for 12
        "The lag lasted 25 minutes [m3]",  # two times the message writes
        "Getting shard-7 back to green took 13 minutes [m2, m4]",  # across midnight
        "The reindex finished about 12 minutes after it started [m2]",  # an offset, one stamp
    ],
)
def test_durations_the_cited_times_span_are_not_contradicted(claim: str) -> None:
    verdict = check(claim, NIGHT)
    assert verdict.status != "contradicted", verdict.reason


# --- owners: a cited line of a lead's list that opens with a name gives the work to that person

# An IRC log: the lead's list lines open with a nick and a colon.
LIST = parse_transcript(
    "[12:00] <lead> follow ups:\n"
    "[12:01] <lead> rui: QueueDepthHigh should page per shard, not just post in #alerts\n"
    "[12:01] <lead> mina: add a disk usage panel for the ingest hosts\n"
    "[12:02] <rui> ack\n"
    "[12:02] <mina> ok"
)


def test_an_owner_other_than_the_cited_list_line_names_is_contradicted() -> None:
    claim = "Make QueueDepthHigh page per shard instead of posting to #alerts (owner: mina) [m2]"
    verdict = check(claim, LIST)
    assert verdict.status == "contradicted", verdict.reason
    assert "rui" in verdict.reason


@pytest.mark.parametrize(
    "claim",
    [
        "Make QueueDepthHigh page per shard instead of posting to #alerts (owner: rui) [m2]",
        # the cited line is about other work: it names no owner for this one
        "Write a runbook for the nightly restore (owner: rui) [m3]",
    ],
)
def test_list_lines_that_fit_or_say_other_work_do_not_contradict(claim: str) -> None:
    verdict = check(claim, LIST)
    assert verdict.status != "contradicted", verdict.reason


# --- what a cited claim is not contradicted by: a retrieved message about another host, a
# round figure for its own range, and denials written "cant", "zero ...", "didn't ... until"

HOSTS = chat(
    ("08:10", "Ana", "val-euw-01 synced: yes, offset +0.002s"),
    ("08:20", "Ana", "val-aps-01 is 62s behind, val-aps-03 only 12s behind"),
    ("08:26", "Ana", "val-aps-03 is only 12s behind, the rest of aps is worse"),
    ("08:40", "Ana", "revoked keys cant be restored. making a new one"),
    ("08:50", "Ana", "zero token rejections in the last 10 min across all regions"),
    ("08:55", "Ana", "euw alone was under 95% from ~06:40 but global didnt cross until 07:42"),
)


@pytest.mark.parametrize(
    "claim",
    [
        "In ap-south, val-aps-01 was 62 s behind [m2]",
        "Orders failed for a little over an hour, between 06:44 and 07:53.",
        "Revoked keys cannot be restored, so a new key was made [m4]",
        "08:50 — no token rejections in 10 minutes [m5]",
        "eu-west alone was below 95% from about 06:40, but the global rate only crossed at 07:42 "
        "[m6]",
    ],
)
def test_faithful_claims_are_not_contradicted(claim: str) -> None:
    verdict = check(claim, HOSTS)
    assert verdict.status != "contradicted", verdict.reason


def test_a_retrieved_message_about_another_host_does_not_contradict_a_cited_claim() -> None:
    hosts = chat(
        (
            "08:20",
            "Ana",
            "aps:\nval-aps-01  synced: no   offset -62s\nval-aps-03  synced: no   offset -12s",
        ),
        ("08:22", "Ben", "so 3 hosts broken"),
        ("08:26", "Cy", "2 actually. aps-03 is only 12s behind, inside the leeway"),
    )
    verdict = check("In ap-south, val-aps-01 was 62 s behind [m1]", hosts)
    assert "components:contradicted" not in verdict.checks, verdict.reason
    uncited = check("In ap-south, val-aps-01 was only 12 s behind", hosts)  # cites nothing
    assert "components:contradicted" in uncited.checks, uncited.reason


# --- a running count is no total; a correction sets aside only the time it names; a share of
# 99% or more is "every" in plain words; a lead's "name: task" line states no present state

COUNTS = chat(
    ("08:07", "Ines", "support here: 212 tickets since 6am about login failures"),
    ("08:30", "kofi", "ok freed 140G, backfill running"),
    ("08:40", "tomas", "correction on my earlier msg - the export ran mon 07:00 not 06:00, fine"),
    ("09:26", "Ines", "99.7% of iOS pushes rejected with 403 since 07:41"),
    ("09:40", "Ines", "347 tickets total, all closed with the macro"),
)


def test_a_running_count_given_as_the_total_is_contradicted_by_the_later_total() -> None:
    verdict = check("Support received 212 tickets in total [m1]", COUNTS)
    assert verdict.status == "contradicted", verdict.reason
    assert "347" in verdict.reason


@pytest.mark.parametrize(
    "claim",
    [
        "Support had 212 tickets by 08:07 [m1]",  # a count at a time, not the total
        "Support received 347 tickets in total [m5]",
        "08:30 — Backfill running after 140G freed [m2]",  # the correction sets aside 06:00
        "Every iOS push was rejected with 403 from 07:41 [m4]",  # 99.7%
    ],
)
def test_counts_corrections_shares_and_task_lines_do_not_contradict(claim: str) -> None:
    verdict = check(claim, COUNTS)
    assert verdict.status != "contradicted", verdict.reason


def test_a_leads_task_line_states_nothing_a_denial_could_contradict() -> None:
    irc = parse_transcript(
        "[11:40] <mags> ok calling it mitigated at 11:40. followups:\n"
        "[11:41] <mags> kofi: schema contract check on inbound csv headers before load. by fri\n"
        "[11:42] <kofi> ack"
    )
    verdict = check("No header check runs on inbound CSVs before load [m2]", irc)
    assert verdict.status != "contradicted", verdict.reason


# --- owners: an item of a list of plans that ends with a dash and a name names its owner

PLANS = chat(
    (
        "09:31",
        "Marta",
        "follow ups, pls ack:\n1. Liesel - fix the golden image\n"
        "2. Liesel - image smoke test\n3. Dev - offset alert on all auth hosts, paging over 5 s",
    ),
    ("09:32", "Liesel", "ack 1 and 2"),
    ("09:33", "Dev", "ack 3, will do the offset alert"),
)


def test_a_trailing_dash_name_is_the_items_owner() -> None:
    wrong = check("## Action items\n\n- Add an offset alert on all auth hosts — Liesel", PLANS)
    assert wrong.status == "contradicted", wrong.reason
    right = check("## Action items\n\n- Add an offset alert on all auth hosts — Dev", PLANS)
    assert right.status != "contradicted", right.reason
    # outside a list of plans a dash and a name are no owner
    prose = check("The offset alert was discussed — Liesel.", PLANS)
    assert not any(c.startswith("owner:") for c in prose.checks), prose.checks


# --- identifiers of one shape ("us-east1", "us-central1"): the cited message names the other

QUOTA = chat(
    ("09:40", "Olu", "N2_CPUS us-central1 at 1496 of 1500"),
    ("09:44", "Olu", "increase request filed in console, N2_CPUS us-central1 1500 -> 3000"),
    ("10:02", "Olu", "us-east1 is fine, plenty of headroom there"),
)


def test_a_sibling_the_cited_message_names_instead_contradicts() -> None:
    claim = "Olu filed a quota increase request for N2_CPUS in us-east1 from 1500 to 3000 [m2]"
    verdict = check(claim, QUOTA)
    assert verdict.status == "contradicted", verdict.reason
    assert "us-central1" in verdict.reason
    right = "Olu filed a quota increase request for N2_CPUS in us-central1 from 1500 to 3000 [m2]"
    assert check(right, QUOTA).status != "contradicted"
    assert siblings("us-east1", "us-central1") and siblings("etl-sched-01", "etl-worker-03")
    assert not siblings("us-east1", "eu-west1") and not siblings("api-gateway", "api")
