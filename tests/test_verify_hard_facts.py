"""Hard checks that decide on their own (issue 8): names, identifiers, components, times and
figures a claim states must be the chat's, attached to what the claim says. Every chat and claim
here is written for these tests; each rule has claims it must fail and claims it must let
through."""

from __future__ import annotations

import pytest

from app.verify.entities import range_members
from app.verify.region_check import regions
from app.verify.times import clock_times
from tests.claim_checks import FAILED, chat, check

# A certificate incident, written for these tests.
CERTS = chat(
    ("10:02", "alert_bot", "FIRING TLSHandshakeErrors on edge-lb-2"),
    ("10:04", "Priya", "the partner cert on edge-lb-2 expired at 10:00, renewal cron failed"),
    ("10:06", "Marco", "the identity provider is fine, only the partner endpoint is affected"),
    ("10:11", "Priya", "uploaded the renewed cert via the certificate manager, handshakes ok"),
    ("10:15", "Marco", "error rate back to 0, closing. the GCP project was not involved"),
)


# --- acronyms: an upper-case abbreviation the chat never writes, in any case, and that spells
# no run of the chat's words, is an invented name (unsupported), not an open question ---------


@pytest.mark.parametrize(
    "claim",
    [
        "The renewal ran through AWS and failed.",
        "The cert was stored in HSM storage on edge-lb-2.",
    ],
)
def test_an_acronym_the_chat_never_writes_is_unsupported(claim: str) -> None:
    verdict = check(claim, CERTS)
    assert verdict.status == "unsupported", verdict.reason
    assert "never writes" in verdict.reason


@pytest.mark.parametrize(
    "claim",
    [
        # written in the chat as it is
        "The GCP project was not involved.",
        # the initials of the chat's own words: "identity provider", "certificate manager"
        "Priya uploaded the renewed cert via the CM at 10:11.",
        # an everyday abbreviation of incident talk
        "The partner cert on edge-lb-2 expired at 10:00 UTC.",
    ],
)
def test_an_acronym_the_chat_writes_or_spells_out_is_no_invention(claim: str) -> None:
    verdict = check(claim, CERTS)
    assert verdict.status not in FAILED, verdict.reason


# --- figures the chat corrects: a figure that a later correction sets aside, giving another one
# for the same thing, is contradicted by the correction; a figure the correction keeps for what
# the claim says, a claim that tells of the correction, or a chat whose "typo" is the incident,
# is not ----------------------------------------------------------------------------------------

BACKLOG = chat(
    ("11:02", "Ana", "export queue backlog peaked at 84k jobs, workers pinned"),
    ("11:05", "Bo", "correction: backlog peak was 61k. 84k is the jobs submitted, not the backlog"),
    ("11:09", "Ana", "scaled workers from 4 to 12, backlog draining"),
    ("11:20", "Bo", "the config typo set workers to 4 instead of 40; 3 regions affected"),
    ("11:24", "Ana", "backlog at 0, all 3 regions healthy"),
)


def test_a_figure_the_chat_corrects_is_contradicted_by_the_correction() -> None:
    verdict = check("The export backlog peaked at 84k jobs.", BACKLOG)
    assert verdict.status == "contradicted", verdict.reason
    assert "corrects it to 61k" in verdict.reason


@pytest.mark.parametrize(
    "claim",
    [
        # the corrected figure itself
        "The export backlog peaked at 61k jobs.",
        # the superseded figure for what the correction keeps it for
        "84k jobs were submitted that day.",
        # a claim that tells of the correction
        "A first report of an 84k backlog was corrected to 61k.",
        # "typo" is what the incident was about, not a correction of its figures
        "The config typo affected 3 regions.",
    ],
)
def test_a_figure_the_correction_keeps_or_the_claim_corrects_stands(claim: str) -> None:
    verdict = check(claim, BACKLOG)
    assert verdict.status != "contradicted", verdict.reason


# --- chat spelling: a negation written without its apostrophe ("arent") is still a negation,
# and an ISO 8601 time ("2026-11-01T06:30:14Z", "dump_20261101T063014Z") is a clock time -------

STORE = chat(
    (
        "09:20",
        "Kai",
        "cdn is fine, hit ratio on the search api is 0, search responses arent cached",
    ),
    (
        "09:22",
        "Lu",
        "the export dump_20261101T063014Z.gz was written, the next at 2026-11-01T07:45:00Z",
    ),
    ("09:25", "Kai", "the reindex didnt finish, workers are stuck"),
)


def test_a_negation_without_its_apostrophe_agrees_with_a_denial() -> None:
    verdict = check("Search responses are not cached at the CDN.", STORE)
    assert verdict.status not in FAILED, verdict.reason


def test_a_negation_without_its_apostrophe_still_denies() -> None:
    verdict = check("The reindex finished at 09:25.", STORE)
    assert verdict.status != "supported", verdict.reason


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("dump_20261101T063014Z.gz", ["06:30"]),
        ("at 2026-11-01T07:45:00Z", ["07:45"]),
        ("build 20261101T2359", ["23:59"]),
        # not a time: no date before the T, or an hour past 23
        ("ab12T0630", []),
        ("20261101T2530", []),
    ],
)
def test_iso_8601_times_are_clock_times(text: str, values: list[str]) -> None:
    assert [t.value for t in clock_times(text)] == values


def test_a_time_in_a_cited_file_name_bears_the_claim_out() -> None:
    verdict = check("06:30 The export dump was written [m2].", STORE)
    assert verdict.status not in FAILED, verdict.reason


# --- a figure on the wrong subject: the chat states the figure of something else, and the
# message the claim cites gives another figure, on the same scale, for what the claim says ------

LOGINS = chat(
    ("07:02", "pager", "login failure rate on sso-eu at 41% over the last 10m"),
    ("07:06", "Ines", "48% of the bind requests go to the empty replica"),
    ("07:15", "Ines", "reset script finished, counter set to 1"),
    ("07:20", "Ola", "audit found 1,350 rows with a stale counter"),
)


def test_a_figure_moved_to_the_wrong_subject_is_contradicted_by_the_cited_message() -> None:
    verdict = check("The login failure rate on sso-eu peaked at 48% [m1].", LOGINS)
    assert verdict.status == "contradicted", verdict.reason
    assert "41%" in verdict.reason


@pytest.mark.parametrize(
    "claim",
    [
        # the figure where the chat puts it
        "48% of bind requests went to the empty replica [m2].",
        # citing nothing: another message's figure may be what the claim paraphrases
        "The login failure rate on sso-eu peaked at 48%.",
        # the cited message's other figure is not on the same scale ("set to 1")
        "The reset script finished on 1,350 accounts [m3].",
        # the cited figure is the claim's own other figure
        "The login failure rate on sso-eu was 41%, and 48% of binds went to the replica [m1].",
    ],
)
def test_a_figure_the_cited_message_does_not_give_otherwise_stands(claim: str) -> None:
    verdict = check(claim, LOGINS)
    assert verdict.status != "contradicted", verdict.reason


# --- a numbered range the chat writes ("origin-01..04") names each of its members -------------

NODES = chat(
    ("09:12", "Sol", "cache-01..04 all pinned at max connections"),
    ("09:14", "Sol", "web-2 to web-5 restarted, db-07 through 09 untouched"),
)


@pytest.mark.parametrize(
    "claim",
    [
        "cache-01 to cache-04 were pinned at max connections.",
        "cache-03 was pinned at max connections.",
        "web-4 was restarted at 09:14.",
        "db-08 was untouched.",
    ],
)
def test_a_member_of_a_range_the_chat_writes_occurs_in_it(claim: str) -> None:
    verdict = check(claim, NODES)
    assert verdict.status not in FAILED, verdict.reason


@pytest.mark.parametrize(
    "claim", ["cache-05 was pinned at max connections.", "web-6 was restarted at 09:14."]
)
def test_a_name_past_the_range_does_not_occur(claim: str) -> None:
    verdict = check(claim, NODES)
    assert verdict.status in FAILED, verdict.reason


@pytest.mark.parametrize(
    ("text", "members"),
    [
        ("origin-01..04 nginx", ["origin-01", "origin-02", "origin-03", "origin-04"]),
        ("pg-orders-1 to 3", ["pg-orders-1", "pg-orders-2", "pg-orders-3"]),
        ("scaled 4 to 8", []),  # no name
        ("x-5..2", []),  # backwards
        ("h-1..900", []),  # too many to stand for
    ],
)
def test_range_members(text: str, members: list[str]) -> None:
    assert range_members(text) == members


# --- "sorry, 41% not 14%": a message that owns an error and writes one figure in place of
# another replaces it, whatever words stand beside them ------------------------------------------

PANEL = chat(
    ("09:14", "Mo", "edge hit ratio fell off a cliff. was 96%, now 14%"),
    ("09:15", "Mo", "sorry misread the panel, 41% not 14%. still terrible"),
    ("09:20", "Ria", "origin at 70% cpu, we want 30% not 70%"),
)


def test_a_figure_the_chat_swaps_for_another_is_contradicted() -> None:
    verdict = check("The edge hit ratio fell from 96% to 14% [m1].", PANEL)
    assert verdict.status == "contradicted", verdict.reason
    assert "corrects it to 41%" in verdict.reason


@pytest.mark.parametrize(
    "claim",
    [
        "The edge hit ratio fell from 96% to 41%.",
        # "30% not 70%" without an owned error is a wish, not a correction
        "Origin CPU was at 70% [m3].",
    ],
)
def test_a_figure_no_owned_error_swaps_stands(claim: str) -> None:
    verdict = check(claim, PANEL)
    assert verdict.status != "contradicted", verdict.reason


# --- a time given to the wrong event: the cited message writes the claimed time for something
# else, and another time for what the claim says -------------------------------------------------

BATCH = chat(
    (
        "09:17",
        "Dev",
        "export job logs: started 01:00, upload step from 02:10 onward is all timeouts",
    ),
    ("09:30", "Kim", "the batch was stuck since ~03:40 but the alert fired at 05:12"),
    ("09:40", "Kim", "uploads fine again (tested 09:41), the last timeout at 09:38"),
)


def test_a_time_the_cited_message_gives_to_another_event_is_contradicted() -> None:
    verdict = check("02:10 The export job started [m1].", BATCH)
    assert verdict.status == "contradicted", verdict.reason
    assert "01:00" in verdict.reason


@pytest.mark.parametrize(
    "claim",
    [
        "02:10 Upload steps started timing out [m1].",
        "01:00 The export job started [m1].",
        # "since ~03:40": the time's own stretch of the message says it
        "03:40 The batch got stuck [m2].",
        # the stretch at 09:38 shares a word with the claim: it may be what it paraphrases
        "09:38 Uploads worked again after the last timeout [m3].",
        # both times of a range
        "01:00 to 02:10 the export job ran [m1].",
    ],
)
def test_a_time_the_cited_message_gives_to_the_claims_event_stands(claim: str) -> None:
    verdict = check(claim, BATCH)
    assert verdict.status != "contradicted", verdict.reason


# --- a service claimed for what the cited message says of another: the message names one other
# service, not the claimed one, and is about the claim's other words ------------------------------

DEPLOYS = chat(
    ("08:50", "alert", "search-api p99 latency high"),
    ("09:07", "Omar", "fwiw we deployed web-storefront v2.18 at 08:45, cache header changes"),
    ("09:10", "Ana", "search-api reads products from the index, no deploy there"),
    ("09:12", "Ana", "dns for orders-db.svc.internal flapped, that is the resolver"),
)


def test_a_service_the_cited_message_does_not_name_is_contradicted() -> None:
    verdict = check("08:45 search-api v2.18 was deployed with cache header changes [m2].", DEPLOYS)
    assert verdict.status == "contradicted", verdict.reason
    assert "web-storefront" in verdict.reason


@pytest.mark.parametrize(
    "claim",
    [
        "08:45 web-storefront v2.18 was deployed with cache header changes [m2].",
        # citing nothing: retrieval is no citation
        "search-api v2.18 was deployed with cache header changes.",
        # a domain is not of a service's sort
        "The resolver for search-api flapped [m4].",
        # the cited message is about something else than the claim's other words
        "search-api latency was high [m2].",
    ],
)
def test_a_service_the_cited_message_names_or_cannot_rival_stands(claim: str) -> None:
    verdict = check(claim, DEPLOYS)
    assert not (verdict.status == "contradicted" and "says this of" in verdict.reason), (
        verdict.reason
    )


# --- regions: "eu-west-1", "eu-west" and "euw" are one region; a claim citing a message that
# says its event of another region is contradicted ------------------------------------------------

ZONES = chat(
    ("23:34", "Kofi", "us-east and ap-south login rates look normal. only euw"),
    ("23:35", "Ana", "we shipped keycloak 24.0.3 to euw at 17:40 today"),
    ("23:40", "Ana", "bastion rules changed in ap-south only, nothing in eu-west-1"),
)


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("only euw, eu-west-1 and eu-west", {"eu-w"}),
        ("use1 apse2 usw2 eu-central-1", {"us-e", "ap-se", "us-w", "eu-c"}),
        ("men use sae", set()),  # words, not regions
    ],
)
def test_regions_meet_by_area_and_direction(text: str, keys: set[str]) -> None:
    assert set(regions(text)) == keys


def test_a_region_the_cited_message_does_not_name_is_contradicted() -> None:
    verdict = check("17:40 keycloak 24.0.3 was shipped to ap-south [m2].", ZONES)
    assert verdict.status == "contradicted", verdict.reason
    assert "euw" in verdict.reason


@pytest.mark.parametrize(
    "claim",
    [
        "17:40 keycloak 24.0.3 was shipped to eu-west-1 [m2].",
        # uncited: nothing to hold it against
        "17:40 keycloak 24.0.3 was shipped to ap-south.",
        # the cited message names several regions: which one is not clear
        "Bastion rules changed in us-east [m3].",
    ],
)
def test_a_region_the_cited_message_names_or_cannot_settle_stands(claim: str) -> None:
    verdict = check(claim, ZONES)
    assert verdict.status != "contradicted", verdict.reason


# --- names in any script: "Tomás" is a person of the chat as much as "Tom" ----------------------

TEAM = chat(
    ("09:05", "Tomás", "cluster health on search-2 is yellow"),
    ("09:17", "Dev", "job logs: enrichment step full of 429 Too Many Requests"),
    ("09:20", "Zoë", "I restarted the enrichment workers"),
)


def test_an_accented_name_is_read_as_a_person() -> None:
    verdict = check("Tomás found the 429 errors in the enrichment job logs [m2].", TEAM)
    assert verdict.status == "contradicted", verdict.reason
    assert "Dev's report" in verdict.reason


@pytest.mark.parametrize(
    "claim",
    [
        "Zoë restarted the enrichment workers [m3].",
        "Tomás reported that cluster health on search-2 was yellow [m1].",
    ],
)
def test_an_accented_name_that_acted_is_linked(claim: str) -> None:
    verdict = check(claim, TEAM)
    assert verdict.status not in FAILED, verdict.reason


# --- false contradictions the blind cases found: a question word opening a follow-up is no
# owner, and a duration in one part of a claim is not held against a range in another ---------

OWNERS = chat(
    ("10:00", "Lena", "follow-ups: 1) how to detect launch crashes before main. Carla, yours?"),
    ("10:01", "Carla", "yes, I'll take it"),
    (
        "10:02",
        "Femi",
        "two primaries for ~40 minutes. carts changed between 14:46 and 15:10 are lost",
    ),
)


def test_a_question_word_opening_a_follow_up_is_no_owner() -> None:
    verdict = check("How to detect launch crashes before main.", OWNERS)
    assert verdict.status != "contradicted", verdict.reason


def test_a_duration_and_a_range_in_different_parts_are_different_things() -> None:
    claim = (
        "Redis had two primaries for about 40 minutes; "
        "carts changed between 14:46 and 15:10 were lost."
    )
    verdict = check(claim, OWNERS)
    assert verdict.status != "contradicted", verdict.reason


def test_a_duration_of_its_own_range_is_still_held_to_it() -> None:
    verdict = check("Carts changed between 14:46 and 15:10, about 40 minutes, were lost.", OWNERS)
    assert verdict.status == "contradicted", verdict.reason
