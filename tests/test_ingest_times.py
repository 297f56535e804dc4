"""Times: 12-hour normalisation, midnight rollover, dates, time zones and timestamps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.ingest import parse_transcript

INGEST = Path(__file__).parent / "data" / "ingest"
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        ("12:05 AM", "00:05"),
        ("12:30 PM", "12:30"),
        ("1:00 PM", "13:00"),
        ("11:59 PM", "23:59"),
        ("9:14 am", "09:14"),
        ("9:14:07 PM", "21:14:07"),
    ],
)
def test_twelve_hour_clocks_are_normalised(clock: str, expected: str) -> None:
    transcript = parse_transcript(f"[{clock}] Priya\npager fired\n")
    assert transcript.messages[0].time == expected


def test_am_pm_across_noon_stays_on_one_day() -> None:
    text = (
        "Nadia Okafor  11:58 AM\nerror rate 7%\n"
        "Tomás Ruiz  12:03 PM\nrolling back\n"
        "Nadia Okafor  1:10 PM\nrecovered\n"
    )
    transcript = parse_transcript(text, date=dt.date(2025, 3, 4))
    assert [(m.time, m.day) for m in transcript.messages] == [
        ("11:58", 0),
        ("12:03", 0),
        ("13:10", 0),
    ]
    assert transcript.messages[2].timestamp == dt.datetime(2025, 3, 4, 13, 10)
    assert transcript.warnings == []


def test_slack_follow_up_time_without_am_pm_follows_the_afternoon() -> None:
    text = "Tomás Ruiz  12:58 PM\nmigration rolled back\n1:05\nverifying\n"
    transcript = parse_transcript(text)
    assert [(m.time, m.author) for m in transcript.messages] == [
        ("12:58", "Tomás Ruiz"),
        ("13:05", "Tomás Ruiz"),
    ]


# (previous clock, next clock, expected day of the second message)
ROLLOVER_CASES = [
    pytest.param("23:58", "00:02", 1, id="midnight"),
    pytest.param("23:59", "00:03", 1, id="midnight-one-minute"),
    pytest.param("22:10", "07:45", 1, id="overnight-lull"),
    pytest.param("09:15", "09:14", 0, id="out-of-order-paste"),
    pytest.param("10:00", "09:00", 0, id="exactly-one-hour-back"),
    pytest.param("10:00", "08:59", 1, id="over-one-hour-back"),
    pytest.param("09:14", "09:14", 0, id="same-minute"),
]


@pytest.mark.parametrize(("before", "after", "day"), ROLLOVER_CASES)
def test_rollover_rule(before: str, after: str, day: int) -> None:
    text = f"[{before}] kofi: replica lag 40s\n[{after}] amara: promoting replica\n"
    transcript = parse_transcript(text)
    assert [m.day for m in transcript.messages] == [0, day]


def test_rollover_advances_the_timestamp_date_and_warns() -> None:
    text = (
        "[23:58] kofi: cert expires at midnight, renewing\n"
        "[00:02] amara: renewal failed, ACME rate limit\n"
        "[00:10] kofi: switched to the backup cert\n"
    )
    transcript = parse_transcript(text, date=dt.date(2025, 12, 31))
    assert [(m.day, m.timestamp) for m in transcript.messages] == [
        (0, dt.datetime(2025, 12, 31, 23, 58)),
        (1, dt.datetime(2026, 1, 1, 0, 2)),
        (1, dt.datetime(2026, 1, 1, 0, 10)),
    ]
    assert transcript.date == dt.date(2025, 12, 31)
    assert any("message 2 (23:58 -> 00:02)" in w for w in transcript.warnings)


def test_small_step_back_is_kept_on_the_same_day_with_a_warning() -> None:
    text = "[09:15] Ravi: rollback done\n[09:14] Priya: starting rollback\n[09:16] Sara: thanks\n"
    transcript = parse_transcript(text)
    assert [m.day for m in transcript.messages] == [0, 0, 0]
    assert any("Messages 2 are slightly earlier" in w for w in transcript.warnings)


def test_date_and_timezone_make_aware_timestamps() -> None:
    text = "[09:14] Priya\ncheckout 500s\n[09:15:30] Ravi\nrolling back\n"
    transcript = parse_transcript(text, date=dt.date(2025, 5, 20), timezone="Europe/Berlin")
    assert transcript.date == dt.date(2025, 5, 20)
    assert transcript.timezone == "Europe/Berlin"
    stamps = [m.timestamp for m in transcript.messages]
    assert stamps == [
        dt.datetime(2025, 5, 20, 9, 14, tzinfo=BERLIN),
        dt.datetime(2025, 5, 20, 9, 15, 30, tzinfo=BERLIN),
    ]
    assert all(s is not None and s.utcoffset() == dt.timedelta(hours=2) for s in stamps)
    assert transcript.messages[1].time == "09:15:30"


def test_without_a_date_there_are_no_timestamps() -> None:
    transcript = parse_transcript("[09:14] Priya: hi\n[09:15] Ravi: hey\n", timezone="UTC")
    assert transcript.timezone == "UTC"
    assert transcript.date is None
    assert [m.timestamp for m in transcript.messages] == [None, None]


def test_datetime_inline_utc_stamps_are_converted_to_the_requested_zone() -> None:
    text = (INGEST / "datetime_inline_k8s.txt").read_text(encoding="utf-8")
    plain = parse_transcript(text)
    assert plain.timezone == "UTC"
    assert plain.messages[0].timestamp == dt.datetime(2025, 5, 20, 16, 2, 10, tzinfo=dt.UTC)

    berlin = parse_transcript(text, timezone="Europe/Berlin")
    first = berlin.messages[0]
    assert first.time == "18:02:10"
    assert first.timestamp == dt.datetime(2025, 5, 20, 18, 2, 10, tzinfo=BERLIN)
    assert berlin.timezone == "Europe/Berlin"


def test_datetime_inline_offsets_and_midnight_by_date() -> None:
    text = (
        "2025-05-20T23:59:30+02:00 dana: failover started\n"
        "2025-05-21T00:00:45+02:00 eli: new primary accepting writes\n"
    )
    transcript = parse_transcript(text)
    first, second = transcript.messages
    assert (first.time, first.day, second.time, second.day) == ("23:59:30", 0, "00:00:45", 1)
    assert second.timestamp is not None
    assert second.timestamp.utcoffset() == dt.timedelta(hours=2)
    assert transcript.date == dt.date(2025, 5, 20)
    assert transcript.timezone == "+02:00"  # the one fixed offset every stamp shares


def test_naive_datetime_inline_takes_the_requested_zone() -> None:
    text = "2025-01-15 08:00:00 dana: deploy\n2025-01-15 08:05:00 eli: rollback\n"
    transcript = parse_transcript(text, timezone="America/New_York")
    assert transcript.messages[0].timestamp == dt.datetime(
        2025, 1, 15, 8, 0, tzinfo=ZoneInfo("America/New_York")
    )
    assert transcript.messages[0].time == "08:00:00"


def test_discord_dates_give_days_and_timestamps() -> None:
    transcript = parse_transcript((INGEST / "discord_copy_redis.txt").read_text(encoding="utf-8"))
    assert [(m.day, m.timestamp) for m in transcript.messages] == [
        (0, dt.datetime(2025, 7, 2, 23, 58)),
        (1, dt.datetime(2025, 7, 3, 0, 2)),
        (1, dt.datetime(2025, 7, 3, 0, 9)),
    ]
    assert any("ambiguous" in w for w in transcript.warnings)


DISCORD_RELATIVE = (
    "kofi — Yesterday at 11:58 PM\nredis flapping again\n"
    "amara — Today at 12:02 AM\npinned the primary\n"
)


def test_discord_today_and_yesterday_use_the_date_argument() -> None:
    transcript = parse_transcript(DISCORD_RELATIVE, date=dt.date(2025, 7, 3), timezone="UTC")
    assert [(m.time, m.day, m.timestamp) for m in transcript.messages] == [
        ("23:58", 0, dt.datetime(2025, 7, 2, 23, 58, tzinfo=ZoneInfo("UTC"))),
        ("00:02", 1, dt.datetime(2025, 7, 3, 0, 2, tzinfo=ZoneInfo("UTC"))),
    ]
    assert transcript.date == dt.date(2025, 7, 2)
    assert transcript.warnings == []


def test_discord_today_and_yesterday_without_a_date_warn() -> None:
    transcript = parse_transcript(DISCORD_RELATIVE)
    assert [(m.day, m.timestamp) for m in transcript.messages] == [(0, None), (1, None)]
    assert any("pass `date`" in w for w in transcript.warnings)


def test_chat_dates_win_over_the_date_argument() -> None:
    text = "2025-05-20 16:02:10 dana: deploy\n2025-05-20 16:03:00 eli: errors\n"
    transcript = parse_transcript(text, date=dt.date(2024, 1, 1))
    assert transcript.date == dt.date(2025, 5, 20)
    assert any("2024-01-01 was not used" in w for w in transcript.warnings)


def test_irssi_log_lines_date_the_messages_and_are_not_message_text() -> None:
    text = (
        "--- Log opened Tue May 20 23:30:01 2025\n"
        "[23:41] <jpz> applying the dns module refactor now, should be a no-op\n"
        "[23:48] <kofi> api.brightwell.io NXDOMAIN from 4/6 regions\n"
        "--- Day changed Wed May 21 2025\n"
        "[00:04] <kofi> CNAME recreated by hand\n"
        "[00:12] <mlin> error rate 6%, rest is negative caching\n"
        "--- Log closed Wed May 21 00:45:12 2025\n"
    )
    transcript = parse_transcript(text, timezone="UTC")
    assert transcript.format == "irc"
    assert transcript.date == dt.date(2025, 5, 20)
    assert [(m.day, m.timestamp) for m in transcript.messages] == [
        (0, dt.datetime(2025, 5, 20, 23, 41, tzinfo=ZoneInfo("UTC"))),
        (0, dt.datetime(2025, 5, 20, 23, 48, tzinfo=ZoneInfo("UTC"))),
        (1, dt.datetime(2025, 5, 21, 0, 4, tzinfo=ZoneInfo("UTC"))),
        (1, dt.datetime(2025, 5, 21, 0, 12, tzinfo=ZoneInfo("UTC"))),
    ]
    assert transcript.messages[-1].text == "error rate 6%, rest is negative caching"
    assert transcript.warnings == []  # no preamble, and the day change is written, not guessed
