"""Figures and times as other languages and other habits write them (shapes seen on new blind
incidents, rewritten as chats of their own)."""

from __future__ import annotations

import pytest

from app.verify.quantities import figures
from app.verify.times import clock_times
from tests.claim_checks import FAILED, chat, check


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("tourné 5 jours en shadow", 432000), ("3 Tage später", 259200), ("unas 2 horas", 7200)],
)
def test_durations_in_other_languages_are_figures(text: str, seconds: int) -> None:
    (figure,) = figures(text)
    assert (figure.kind, figure.value) == ("duration", seconds)


def test_an_english_tag_is_no_german_day() -> None:
    assert [f.kind for f in figures("rolled back to the 2 tag")] != ["duration"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("la migration à 23h30", ["23:30"]),
        ("vers 14h05 ça repart", ["14:05"]),
        ("no hoy a las 7", ["07:00"]),
        ("um 9 Uhr", ["09:00"]),
        ("features 16h old", []),  # a bare "16h" is a duration in English chats
        ("um 9 people", []),
        ("the outage lasted 1h30 in total", []),  # "XhYY" after a word of duration
        ("errors for 23h30 total", []),
        ("took 1h30", []),
        ("app vers 2 and 3 are affected", []),  # "vers" needs its "h"
        ("restarted à 7 pm", ["19:00"]),  # one time, read once
        ("migration 23h30-00h40", ["23:30", "00:40"]),
    ],
)
def test_clock_times_as_other_languages_write_them(text: str, expected: list[str]) -> None:
    assert [t.value for t in clock_times(text)] == expected


def test_a_figure_the_message_gives_for_the_claims_other_figure_is_no_rival() -> None:
    said = chat(("15:48", "Ana", "confirmed, item_stats_7d age = 16h. unpause that one too"))
    verdict = check("The 7-day item_stats aggregates were also stale (16h old). [m1]", said)
    # m1's 16h is the claim's own figure: no ground to say m1 gives 16h instead of 7 days
    assert verdict.status == "unconfirmed" and "not 7-day" not in verdict.reason, verdict.reason
    stated = chat(
        ("15:40", "Ben", "item_stats keeps 7 jours of aggregates"),
        ("15:48", "Ana", "confirmed, item_stats age = 16h. unpause that one too"),
    )
    verdict = check("The 7-day item_stats aggregates were also stale (16h old). [m2]", stated)
    assert verdict.status not in FAILED, verdict.reason


def test_a_signed_change_is_a_figure() -> None:
    said = chat(("08:31", "Ana", "[CRIT] zero-click rate 61% (baseline 22%), add-to-cart -54%."))
    verdict = check("Add-to-cart dropped 54% while zero-click rose to 61%. [m1]", said)
    assert verdict.status not in FAILED, verdict.reason
    written = [f.written for f in figures("add-to-cart -54%, build v2-54")]
    assert written == ["54%"]  # a minus after a word or digit is a hyphen, not a sign


def test_a_time_written_as_a_bound_needs_no_cited_message_at_it() -> None:
    said = chat(
        ("08:05", "Ana", "thumbnails missing since this morning, first reports at 07:00"),
        ("08:12", "Ben", "the CDN max-age is 6h, so it kept serving cached images"),
    )
    verdict = check("CDN caching with a 6h max-age hid the problem until about 07:00. [m2]", said)
    assert verdict.status not in FAILED, verdict.reason
    at = check("The CDN cache with its 6h max-age was purged at 07:00. [m2]", said)
    assert at.status == "contradicted", at.reason  # a moment the cited message is not at
