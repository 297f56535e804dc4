"""Impact statements and titles of the extractive engine, on small chats written for each case."""

from __future__ import annotations

from app.engines.extractive import extract_report
from app.models import IncidentReport, Message, Transcript

Row = tuple[str | None, str, str]


def report(rows: list[Row]) -> IncidentReport:
    messages = [
        Message(id=n, time=time, day=0, author=author, text=text, line_start=n, line_end=n)
        for n, (time, author, text) in enumerate(rows, start=1)
    ]
    return extract_report(Transcript(format="test", messages=messages)).report


def impact_text(r: IncidentReport) -> str:
    return " ".join(s.text for s in r.impact)


def test_late_impact_summary_outranks_early_chatter() -> None:
    chatter = [(f"10:0{i}", "Noor", f"my laptop fan is at {60 + i}% lol") for i in range(8)]
    r = report(
        [
            ("09:50", "Tomas", "booking-api 5xx climbing, 9% of requests"),
            *chatter,
            ("10:30", "Noor", "impact so far: ~2,750 failed bookings, peak error rate 31%"),
        ]
    )
    text = impact_text(r)
    assert "2,750 failed bookings" in text and "31%" in text and "9% of requests" in text
    assert "laptop" not in text


def test_several_figures_in_one_message_and_two_word_counts() -> None:
    r = report(
        [
            ("11:00", "Ana", "uploads failing"),
            ("11:05", "Ben", "p99 went from 350ms to 7s. about 640 failed photo uploads so far"),
        ]
    )
    text = impact_text(r)
    assert "350ms" in text and "7s" in text and "640 failed photo uploads" in text


def test_bot_alert_and_terse_lowercase_lines() -> None:
    r = report(
        [
            ("08:00", "alertbot", "[FIRING] LedgerErrorRate ledger-svc error rate 17%"),
            ("08:04", "kim", "~430 transfers stuck, lag 55 minutes behind"),
        ]
    )
    text = impact_text(r)
    assert "17%" in text and "55 minutes" in text
    assert all(s.evidence for s in r.impact)


def test_recovery_etas_and_plans_are_not_impact() -> None:
    r = report(
        [
            ("12:00", "Lea", "cart-service errors at 22% for shoppers"),
            ("12:10", "Lea", "errors back to 0%, p99 down to 140ms"),
            ("12:11", "Raf", "ETA 15 minutes for the full fix"),
            ("12:12", "Raf", "we should add an alert at 5% error rate"),
        ]
    )
    text = impact_text(r)
    assert "22%" in text
    assert "0%" not in text and "140ms" not in text and "ETA" not in text and "5%" not in text


def test_duration_window_and_follow_up_duration() -> None:
    r = report(
        [
            ("13:00", "Ines", "about 3% of renewals failing"),
            ("14:02", "Ines", "resolved. renewals down 13:00-13:58, 58 minutes of impact"),
        ]
    )
    assert "58 minutes" in impact_text(r)
    asked = report(
        [
            ("13:00", "Ines", "about 3% of renewals failing"),
            ("13:50", "Otto", "impact?"),
            ("13:51", "Ines", "1,020 renewals failed, 3 customers called support"),
            ("13:52", "Otto", "so ~50 minutes"),
        ]
    )
    text = impact_text(asked)
    assert "1,020 renewals failed" in text and "50 minutes" in text


def test_impact_is_bounded_and_deduplicated() -> None:
    rows: list[Row] = [
        (f"10:{i:02d}", "Sam", f"quote-api errors at {10 + i}% of requests") for i in range(12)
    ]
    rows.append(("10:30", "Sam", "quote-api errors at 10% of requests"))
    r = report(rows)
    assert 1 <= len(r.impact) <= 6
    texts = [s.text for s in r.impact]
    assert len(set(texts)) == len(texts)


def test_title_names_the_affected_thing_when_no_service_stands_out() -> None:
    r = report(
        [
            ("09:14", "Priya", "checkout errors at 45%"),
            ("09:21", "Ravi", "rollback complete"),
        ]
    )
    assert r.title == "Checkout errors"


def test_title_uses_counted_thing_and_symptom() -> None:
    r = report(
        [
            ("07:00", "Mo", "support: 5 customers saying their statement total is too high"),
            ("07:20", "Mo", "312 statements got the fee twice, total overcharge $4,980"),
        ]
    )
    # wrong amounts are "incorrect data" (no phrase of one chat names the kind)
    assert r.title == "Statement incorrect data"
    assert r.plain_title == "Incorrect statement data"


def test_title_never_a_persons_name() -> None:
    r = report(
        [
            ("10:00", "Gita", "hey all"),
            ("10:01", "Omar", "gita errors again? no, signup errors at 12%"),
            ("10:05", "Gita", "signup errors still 12%"),
        ]
    )
    assert "gita" not in r.title.lower()
    assert r.title == "Signup errors"


def test_title_keeps_a_named_service() -> None:
    r = report([("10:00", "Ada", "ledger-service timeouts, p99 9s for 40% of payouts")])
    assert r.title.startswith("ledger-service")


def test_a_corrected_figure_supersedes_the_first_count() -> None:
    r = report(
        [
            ("15:00", "Ines", "invoice emails going out twice"),
            ("15:12", "Ines", "first count: 1,540 customers got a second invoice, $12,300 billed"),
            ("15:20", "Bo", "looking at the mailer"),
            (
                "15:41",
                "Ines",
                "correction: the 1,540 included 36 resellers with two accounts. "
                "real figure is 1,504 customers, $11,980 billed twice",
            ),
        ]
    )
    text = impact_text(r)
    assert "1,504 customers" in text
    assert "1,540" not in text and "$12,300" not in text
    assert all(item.plain is None or "1,540" not in item.plain for item in r.impact)
