"""Figures, times and names the chat writes in another form than the claim (issue 8: correct
facts dropped as "not in the chat"): thousands grouped by spaces with the currency after the
number, a range of bare hours as clock time, a number the chat writes as a reference, a JSON
value, an occurrence count reworded, and numeric ranges that are no identifiers."""

from __future__ import annotations

import pytest

from app.verify.entities import identifiers
from app.verify.places import chat_forms, place_written
from app.verify.quantities import figures
from app.verify.times import clock_times
from tests.claim_checks import FAILED, chat, check

CHAT = chat(
    ("14:10", "Léa", "estimation : environ 23 400 € de GMV en moins entre 7h et 14h"),
    ("14:12", "Tom", "fix is up: https://git.example.org/billing/pricing/pull/2231"),
    ("14:15", "Tom", '{"job":"invoice-run","state":"paused","processed":18211}'),
    ("14:20", "Léa", "the CDN served about 1,900 responses from cache to the wrong user"),
    ("14:25", "Tom", "top talkers: 10.42.18.21, 10.42.18.22; validators refresh every 10-60min"),
)


def test_space_grouped_thousands_with_the_currency_after_are_the_same_money() -> None:
    assert [(f.kind, f.value) for f in figures("environ 23 400 € de GMV")] == [("money", 23400.0)]
    assert [f.value for f in figures("we saw 5 100 errors")] == [5.0, 100.0]  # two numbers
    verdict = check("About €23,400 of GMV was lost. [m1]", CHAT)
    assert verdict.status not in FAILED, verdict.reason


def test_a_range_of_bare_hours_is_clock_time() -> None:
    assert [t.value for t in clock_times("entre 7h et 14h")] == ["07:00", "14:00"]
    assert clock_times("it took 7h") == []  # a lone "7h" is a duration
    verdict = check("GMV was lost between 07:00 and 14:00. [m1]", CHAT)
    assert verdict.status not in FAILED, verdict.reason


def test_a_number_written_as_a_reference_is_in_the_chat() -> None:
    verdict = check("The fix was opened as pricing PR 2231. [m2]", CHAT)
    assert verdict.status not in FAILED, verdict.reason
    wrong = check("The fix was opened as pricing PR 2232. [m2]", CHAT)
    assert wrong.status in FAILED, wrong.reason


def test_a_json_value_is_a_figure() -> None:
    assert [f.value for f in figures('{"processed":18211,"remaining":40377}')] == [18211, 40377]


def test_an_occurrence_count_of_three_digits_matches_the_reworded_count() -> None:
    verdict = check("About 1,900 times, a customer's page was shown to someone else. [m4]", CHAT)
    assert verdict.status not in FAILED, verdict.reason
    wrong = check("About 1,700 times, a customer's page was shown to someone else. [m4]", CHAT)
    assert wrong.status in FAILED, wrong.reason


def test_numeric_ranges_are_no_identifiers() -> None:
    assert identifiers("around 07:00-08:00, validators take 10-60 min") == []
    assert identifiers("hosts 10.42.18.21-24") == ["10.42.18.21"]
    assert identifiers("on es-data-03 since 2026-11-01") == ["es-data-03", "2026-11-01"]


MARKETS = chat(
    ("11:02", "Ana", "3 renewals in CLP were charged 100x too, plus the JPY ones"),
    ("11:05", "Ben", "18% of DE users on two ISPs can't reach us"),
    ("11:09", "Ben", "raised tcp_timeout_time_wait=30 on both gateways"),
    ("11:30", "Ana", "the page was live for 2h39m; guard for durations < 60s is in"),
)


def test_a_country_is_known_by_its_demonym_code_or_currency() -> None:
    assert check(
        "Three Chilean customers were charged 100 times too. [m1]", MARKETS
    ).status not in (FAILED)
    assert check("Users in Germany on two ISPs could not reach us. [m2]", MARKETS).status not in (
        FAILED
    )
    wrong = check("Three Peruvian customers were charged 100 times too. [m1]", MARKETS)
    assert wrong.status in FAILED, wrong.reason


def test_a_duration_set_as_a_time_setting_is_in_the_chat() -> None:
    verdict = check("The TIME_WAIT timeout was cut to 30 s on both gateways. [m3]", MARKETS)
    assert verdict.status not in FAILED, verdict.reason
    wrong = check("The TIME_WAIT timeout was cut to 40 s on both gateways. [m3]", MARKETS)
    assert wrong.status in FAILED, wrong.reason


def test_hours_and_minutes_in_words_are_one_duration() -> None:
    assert [f.value for f in figures("live for 2 hours 39 minutes")] == [9540.0]
    verdict = check("The page was live for about 2 hours 39 minutes. [m4]", MARKETS)
    assert verdict.status not in FAILED, verdict.reason


def test_a_bound_glued_to_a_figure_is_no_identifier() -> None:
    assert identifiers("a guard for sub-60s durations") == []
    assert identifiers("sub-service went down") == ["sub-service"]


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("ES cluster went red, disk watermark hit on es-data-03", "Spain"),  # Elasticsearch
        ("the PHP workers are stuck again", "Philippines"),  # a language
        ("CAN SOMEONE LOOK AT THIS", "Canada"),  # words in capitals
        ("TRY it again after the deploy", "Turkey"),
        ("PEN test traffic from the scanner", "Peru"),
    ],
)
def test_an_ops_abbreviation_or_a_shouted_word_names_no_country(text: str, country: str) -> None:
    assert not place_written(country, chat_forms([text]))


def test_the_codes_that_stay_still_name_their_country() -> None:
    written = chat_forms(["18% of DE users", "renewals in CLP", "US traffic is fine"])
    assert all(place_written(c, written) for c in ("Germany", "Chile", "United States"))
