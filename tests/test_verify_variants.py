"""The platform and version a claim names against its cited messages (`variant_check`), and a
component swapped in one of two clauses joined by "and" (`component_check`)."""

from __future__ import annotations

import pytest

from app.verify.variant_check import platforms, versions
from tests.claim_checks import FAILED, chat, check

APP = chat(
    ("08:40", "wen", "orders-api 5xx on /v2/orders/eta since ~08:40, about 3% of requests"),
    ("08:44", "wen", "found it: the android 3.2.0 build polls the eta every 5s instead of 30s"),
    ("08:50", "hugo", "fyi the ios 3.2.0 phased release is at 5% of auto-updaters today"),
    ("09:02", "kim", "the replicas still run pgbouncer 1.21.0, the canary box has 1.22.1"),
    ("09:05", "kim", "replicas still on 1.21.0 and the pool_mode is session for them"),
)


@pytest.mark.parametrize(
    "claim",
    [
        "The iOS 3.2.0 build polled the ETA every 5 s instead of 30 s [m2].",
        "orders-api returned 5xx from 08:40 because the Windows 3.2.0 build polled the ETA "
        "every 5 s [m1, m2].",
        "The replicas run pgbouncer 1.22.1 and use session pool_mode [m5].",
    ],
)
def test_a_platform_or_version_the_cited_message_gives_another_is_contradicted(
    claim: str,
) -> None:
    verdict = check(claim, APP)
    assert verdict.status == "contradicted", verdict
    assert "says this of" in verdict.reason


@pytest.mark.parametrize(
    "claim",
    [
        "The Android 3.2.0 build polled the ETA every 5 s instead of 30 s [m2].",
        "The replicas run pgbouncer 1.21.0 and use session pool_mode [m5].",
        # The cited message names two versions: which one the claim's event was on is not said.
        "The replicas run pgbouncer 1.22.1 [m4].",
        # No citation: nothing the claim cites says otherwise.
        "The iOS 3.2.0 build polled the ETA every 5 s instead of 30 s.",
        # The cited message is about something else.
        "The iOS 3.2.0 phased release reached 5% of auto-updaters [m3].",
    ],
)
def test_a_platform_or_version_the_cited_message_does_not_contradict_stands(claim: str) -> None:
    assert check(claim, APP).status not in FAILED


def test_platforms_and_versions_as_written() -> None:
    assert platforms("the iOS and Android apps, not the webhook") == {
        "ios": "iOS",
        "android": "Android",
    }
    assert versions("v4.12.0 and 2.6.6; not 2023.2, 185.44.12.11 or v215") == {
        "4.12.0": "v4.12.0",
        "2.6.6": "2.6.6",
    }


FILES = chat(
    ("09:41", "kofi", "pulled the raw file off etl-worker-03: /data/inbound/settlements_eu.csv"),
    ("09:42", "kofi", "header has gross_amt, our mapping expects gross_amount"),
    ("10:52", "tomas", "side note, the scheduler on etl-sched-01 is throwing warnings"),
)


def test_a_host_swapped_in_one_of_two_clauses_joined_by_and_is_contradicted() -> None:
    verdict = check(
        "09:41 Kofi pulls the raw EU file from etl-sched-01 and finds the gross_amt header "
        "[m1, m2]",
        FILES,
    )
    assert verdict.status == "contradicted", verdict
    assert "etl-worker-03" in verdict.reason


def test_the_host_the_cited_message_names_stands_in_a_clause_joined_by_and() -> None:
    verdict = check(
        "09:41 Kofi pulls the raw EU file from etl-worker-03 and finds the gross_amt header "
        "[m1, m2]",
        FILES,
    )
    assert verdict.status not in FAILED, verdict


HOSTS = chat(
    ("08:40", "wen", "nginx on the linux hosts returned 502s for checkout from 08:40"),
    ("08:50", "hugo", "the windows build agents ran out of disk during the release"),
)


def test_platforms_that_run_on_each_other_are_no_swap() -> None:
    # a web tier runs on linux hosts: the message does not say the event was on another platform
    verdict = check("The web tier returned 502s for checkout from 08:40 [m1].", HOSTS)
    assert verdict.status not in FAILED, verdict


def test_a_host_system_swapped_for_another_is_contradicted() -> None:
    verdict = check("The Linux build agents ran out of disk during the release [m2].", HOSTS)
    assert verdict.status == "contradicted", verdict
    assert "says this of windows" in verdict.reason
