"""Figures and times a claim took from a misread: a cited message's figure of the same thing one
digit apart ("1,874" where it says "1,847"), a correction that replaces a misread figure without
writing it again (`figure_check._comparable`, `corrections.misread`), and a time a correction
sets aside with "not" (`corrections.corrected_time`)."""

from __future__ import annotations

import pytest

from app.verify.corrections import misread, one_digit_apart
from app.verify.quantities import figures
from tests.claim_checks import FAILED, chat, check

PAYROLL = chat(
    ("09:10", "ines", "1,874 entries, $2.19M total across 14 client companies"),
    ("10:40", "ines", "script ready. it resets export_count to 1 for the 1,847 rows of file B"),
    ("10:41", "ines", "and it resets export_count to 1 for the 9,300 rows of file C"),
)


def test_a_figure_one_digit_from_the_cited_figure_of_the_same_thing_is_contradicted() -> None:
    verdict = check("The script reset export_count on 1,874 rows of file B [m2].", PAYROLL)
    assert verdict.status == "contradicted", verdict
    assert "1,847" in verdict.reason


@pytest.mark.parametrize(
    "claim",
    [
        "The script reset export_count on 1,847 rows of file B [m2].",
        # 9,300 is neither on the scale of 1,874 nor a digit away from it: nothing says which.
        "The script reset export_count on 1,874 rows of file C [m3].",
    ],
)
def test_a_figure_far_from_the_cited_one_is_not_contradicted_by_it(claim: str) -> None:
    assert check(claim, PAYROLL).status not in FAILED


XIDS = chat(
    ("08:10", "hiro", "the replica replayed 190M wal records, fine"),
    (
        "08:19",
        "chidi",
        "burn rate is ~310M xids/day since the fanout shipped, before that ~90M/day",
    ),
)


def test_the_claims_other_figure_is_no_rival_to_its_moved_one() -> None:
    verdict = check(
        "XID burn has been about 310M per day since the fanout shipped, up from about 190M "
        "per day before [m2].",
        XIDS,
    )
    assert verdict.status == "contradicted", verdict
    assert "90M" in verdict.reason


def _reindex(correction: str) -> list[tuple[str, str, str]]:
    return [
        ("11:02", "tomas", "_cat/count products_v42 -> 1,130,442"),
        ("11:03", "tomas", "products_v41 -> 2,039,771"),
        ("11:05", "tomas", correction),
    ]


def test_a_misread_figure_a_correction_replaces_is_contradicted() -> None:
    verdict = check(
        "products_v42 contained 1,130,442 documents [m1].",
        chat(*_reindex("sorry misread, v42 is 1,310,442. still short")),
    )
    assert verdict.status == "contradicted", verdict
    assert "1,310,442" in verdict.reason


@pytest.mark.parametrize(
    "correction",
    [
        "sorry misread, v42 is 1,900,000. still short",  # not a misread of the claimed digits
        "v42 is 1,310,442 now, still growing",  # no correction: the count moved on
    ],
)
def test_a_later_figure_that_is_no_misread_correction_leaves_the_claim(correction: str) -> None:
    verdict = check("products_v42 contained 1,130,442 documents [m1].", chat(*_reindex(correction)))
    assert verdict.status not in FAILED, verdict


def test_misread_and_one_digit_apart() -> None:
    one = figures("$2.19M")[0]
    assert misread(one, figures("$2,913,402.18")[0])  # rounded to the digits written
    assert not misread(one, figures("$2,193,402.18")[0])  # the same figure, rounded
    assert not misread(figures("45%")[0], figures("71%")[0])
    assert one_digit_apart("190", "90") and one_digit_apart("1874", "1847")
    assert not one_digit_apart("1874", "1478") and not one_digit_apart("7", "8")


def _errors(correction: str) -> list[tuple[str, str, str]]:
    return [
        ("09:03", "priya", "first error at 09:02 on transcode-workers-usc1"),
        ("09:20", "priya", correction),
    ]


def test_a_time_the_correction_sets_aside_with_not_is_contradicted() -> None:
    fix = "correction on first error time - it's 08:57 not 09:02, the filter hid warnings"
    verdict = check("09:02 First error on transcode-workers-usc1 [m1]", chat(*_errors(fix)))
    assert verdict.status == "contradicted", verdict
    assert "08:57" in verdict.reason


def test_a_correction_that_restates_the_claimed_time_leaves_it() -> None:
    fix = "correction on the page time - it went out 08:57; the first error was 09:02 as said"
    verdict = check("09:02 First error on transcode-workers-usc1 [m1]", chat(*_errors(fix)))
    assert verdict.status not in FAILED, verdict


BACKFILL = chat(
    ("10:41", "kofi", "ok freed 140G, backfill running"),
    ("10:56", "mags", "before the flush - does it double insert?"),
    ("11:21", "kofi", "backfill took 39 min"),
)


def test_a_duration_the_cited_message_states_otherwise_is_contradicted() -> None:
    # 10:56 to 11:21 is 25 minutes: two message times that far apart are no ground against
    # what the cited message says.
    verdict = check("The backfill took about 25 minutes [m3].", BACKFILL)
    assert verdict.status == "contradicted", verdict
    assert "39 min" in verdict.reason


@pytest.mark.parametrize(
    "claim",
    [
        "The backfill took about 39 minutes [m3].",
        "The backfill ran for about 40 minutes [m1, m3].",  # 10:41 to 11:21, cited
        "The backfill took under an hour [m3].",  # a bound
    ],
)
def test_a_duration_the_cited_message_bears_out_stands(claim: str) -> None:
    assert check(claim, BACKFILL).status not in FAILED
