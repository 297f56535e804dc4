"""Timeline rules that hold across teams, each on a small chat written for it: events at times
written in the text, and what a written time says about the sentence around it."""

from __future__ import annotations

from app.engines.extractive import extract_report
from app.models import IncidentReport, Message, Transcript

Row = tuple[str | None, str, str]


def report(rows: list[Row], days: list[int] | None = None) -> IncidentReport:
    days = days or [0] * len(rows)
    messages = [
        Message(id=n, time=time, day=day, author=author, text=text, line_start=n, line_end=n)
        for n, ((time, author, text), day) in enumerate(zip(rows, days, strict=True), start=1)
    ]
    return extract_report(Transcript(format="test", messages=messages)).report


def rows_at(result: IncidentReport, time: str) -> list[str]:
    return [e.description for e in result.timeline if e.time[:5] == time]


# --------------------------------------------------------------------------------------------
# Times written in the text
# --------------------------------------------------------------------------------------------


def test_a_batch_said_to_have_started_earlier_is_placed_at_its_written_time() -> None:
    result = report(
        [
            ("07:42", "noor", "invoices went out twice to many tenants, support has 20 tickets"),
            ("07:44", "femi", "looking. the invoicing batch started at 07:00 like every day"),
            ("07:50", "femi", "the batch retried a failed page and sent every invoice on it again"),
        ]
    )
    assert any("07:00" in d for d in rows_at(result, "07:00"))


def test_a_time_after_since_in_another_language_is_an_event_too() -> None:
    result = report(
        [
            ("06:20", "lena", "Lager 2 meldet: kein Etikett wird mehr gedruckt"),
            ("06:23", "piet", "print-api antwortet mit 503, seit 6:02 in jedem Request"),
        ]
    )
    assert rows_at(result, "06:02")


def test_a_deadline_or_a_plan_is_no_event() -> None:
    result = report(
        [
            ("04:10", "ola", "payroll export is stuck, finance needs it by 03:30 at the latest"),
            ("04:12", "ola", "we will check again at 05:00 and decide then"),
            ("04:15", "kim", "restarted the exporter, rows are moving again"),
        ]
    )
    times = {e.time[:5] for e in result.timeline}
    assert "03:30" not in times and "05:00" not in times


def test_a_hand_written_timeline_line_places_its_event() -> None:
    result = report(
        [
            ("10:05", "ari", "uploads fail for every customer, 500 on PUT"),
            ("10:07", "bea", "on it"),
            ("10:40", "ari", "notes so far:\n- 10:12 bucket policy reverted by hand\n- uploads ok"),
        ]
    )
    assert any("bucket policy" in d for d in rows_at(result, "10:12"))


def test_a_bare_afternoon_time_is_read_as_the_latest_before_the_message() -> None:
    result = report(
        [
            ("13:40", "sol", "reports are empty for all users since 1:30"),
            ("13:42", "tam", "looking into it"),
        ]
    )
    assert rows_at(result, "13:30")
    assert not rows_at(result, "01:30")


def test_a_bare_time_that_is_the_message_s_own_moment_is_not_read_twelve_hours_back() -> None:
    result = report(
        [
            ("16:05", "ivo", "payments page throws 500 for everyone"),
            ("16:20:40", "ivo", "rolled the hotfix out at 4:20, pods are restarting"),
        ]
    )
    assert not rows_at(result, "04:20")


def test_an_action_told_with_its_earlier_time_is_not_an_action_now() -> None:
    result = report(
        [
            ("04:00", "ines", "volumes are read-only for tenants, 12 tickets"),
            ("04:20", "jo", "a tenant started restoring a 6 TB backup at 02:10, that filled it"),
        ]
    )
    assert not [e for e in result.timeline if e.kind == "mitigation"]
    assert rows_at(result, "02:10")


# --------------------------------------------------------------------------------------------
# Detection: who speaks first, and what a responder takes up
# --------------------------------------------------------------------------------------------


def test_a_monitoring_bot_named_for_alerts_pages_whatever_its_words() -> None:
    result = report(
        [
            (
                "02:14",
                "ledger-alerts",
                "[eu-batch] average settlement size is 40.2x the weekly mean",
            ),
            ("02:16", "omar", "ack, looking"),
            ("02:30", "omar", "the rounding step multiplies twice, reverted it to the old build"),
        ]
    )
    assert result.detection is not None and 1 in result.detection.evidence


def test_a_bot_announcing_a_success_is_no_alert() -> None:
    result = report(
        [
            ("06:11", "scheduler-bot", "nightly_export marked success (manual) by ana"),
            ("06:12", "ana", "good, the export is through"),
        ]
    )
    assert result.detection is None


def test_a_report_a_responder_acknowledges_is_the_detection() -> None:
    result = report(
        [
            ("08:00", "kai", "morning"),
            ("08:01", "lu", "morning!"),
            ("08:02", "kai", "coffee?"),
            ("08:05", "mina", "hall 2 scanners show cannot save on every parcel"),
            ("08:06", "kai", "on it"),
            ("08:20", "kai", "print server disk was full, cleaned it up, labels printing again"),
        ]
    )
    assert result.detection is not None and result.detection.evidence[0] == 4


def test_a_report_the_cause_was_found_soon_after_opens_the_incident() -> None:
    """However little its words share with the cause, and with a later signal that does."""
    result = report(
        [
            ("11:30", "rue", "buyers in Japan were billed ¥90,000 for a ¥900 plan, 6 tickets"),
            ("11:33", "sam", "paused the renewals"),
            ("11:50", "sam", "found it: the exponent table of pricing-engine is read in lowercase"),
            *[(f"12:{n:02d}", "rue", f"refund batch {n} queued") for n in range(24)],
            ("12:30", "tess", "pricing-engine errors at 3% on the refund path"),
        ]
    )
    assert result.detection is not None and result.detection.evidence[0] == 1


def test_someone_else_is_no_request() -> None:
    result = report(
        [
            ("09:10", "cy", "support says users see someone else's order history"),
            ("09:11", "di", "looking"),
        ]
    )
    assert result.detection is not None and result.detection.evidence[0] == 1


# --------------------------------------------------------------------------------------------
# Steps the team took, and what the investigation found
# --------------------------------------------------------------------------------------------


def kinds_at(result: IncidentReport, time: str) -> list[str]:
    return [e.kind for e in result.timeline if e.time[:5] == time]


def test_steps_of_any_kind_are_on_the_timeline() -> None:
    result = report(
        [
            ("03:45", "ingrid", "storage cluster says 3 volumes full, tenant writes blocked"),
            ("03:46", "paavo", "here"),
            ("04:22", "paavo", "three disks at 95% while the cluster is at 71%"),
            ("04:30", "chiara", "tenant paused their restore ✅"),
            ("04:31", "paavo", "set the full ratio to 0.97, writes flowing"),
            ("04:38", "paavo", "turned the balancer on, it is moving data off the full disks"),
            ("05:06", "paavo", "all disks under 86%, ratio back to 0.95"),
        ]
    )
    for time in ("04:30", "04:31", "04:38"):
        assert "mitigation" in kinds_at(result, time), time


def test_an_action_weighed_ordered_or_talked_about_is_no_step() -> None:
    result = report(
        [
            ("14:00", "ana", "alert: billing-api p99 5s"),
            ("14:01", "bo", "looking"),
            ("14:05", "bo", "scaling out makes it worse, the pool is the limit"),
            ("14:06", "ana", "it should rotate the connections every hour"),
            ("14:07", "cy", "Rotate."),
            ("14:09", "bo", "I can restart the pool workers if needed"),
        ]
    )
    assert not [e for e in result.timeline if e.kind == "mitigation"]


def test_a_one_word_done_is_a_step() -> None:
    result = report(
        [
            ("11:40", "sio", "pause the renewals right now please"),
            ("11:42", "ro", "paused."),
        ]
    )
    assert "mitigation" in kinds_at(result, "11:42")


def test_what_the_investigation_found_is_on_the_timeline_but_no_guess() -> None:
    result = report(
        [
            ("04:12", "airflow-bot", "SLA miss: payouts_daily still running"),
            ("04:14", "marta", "ack, looking"),
            ("04:27", "olek", "task 199 reads 61 GB of shuffle, the median task reads 310 MB"),
            ("04:28", "marta", "oh wow, nice find"),
            ("04:29", "benji", "maybe ingest double loaded the partition?"),
            ("04:44", "olek", "merchant 88031 holds 38% of the day's rows in task 199"),
            ("04:56", "marta", "salting the merchant key in the aggregation, 61 GB split 32 ways"),
        ]
    )
    assert "investigation" in kinds_at(result, "04:27")
    assert not any("double loaded" in e.description for e in result.timeline)


def test_a_row_quotes_the_statements_around_its_own_in_a_short_message() -> None:
    result = report(
        [
            ("10:40", "ana", "uploads fail for every customer"),
            ("10:41", "bo", "on it"),
            ("10:52", "bo", "7.3.1 submitted to review. set to 100% as soon as it's approved"),
        ]
    )
    rows = rows_at(result, "10:52")
    assert rows and "100%" in rows[0] and "submitted" in rows[0]


def test_a_row_never_takes_on_a_pasted_quote() -> None:
    result = report(
        [
            ("10:02", "theo", "customer says the account page shows another person's points"),
            ("10:02", "theo", 'customer says the account page shows another name. "Hi Rosa"'),
            ("10:03", "aisha", "looking"),
        ]
    )
    assert not any("Rosa" in e.description for e in result.timeline)


def test_a_cause_a_recap_retells_is_placed_where_it_was_first_said() -> None:
    result = report(
        [
            ("09:41", "yuna", "14 one-star reviews: can't log in on 7.3.0"),
            ("09:44", "sol", "looking"),
            (
                "09:58",
                "rafa",
                "ok the exception says it. the plugin bump turned on full shrinking mode, which "
                "strips the generic signature the token parser needs",
            ),
            ("10:20", "rafa", "fix PR with keep rules for the token parser"),
            ("13:30", "sol", "7.3.1 approved and rolling out to 100%"),
            (
                "15:20",
                "sol",
                "recap: 7.3.0 broke login because full shrinking mode stripped the generic "
                "signature the token parser needs.\nimpact: about 41k devices",
            ),
        ]
    )
    diagnosis = [e for e in result.timeline if e.kind == "investigation"]
    assert any(e.time[:5] == "09:58" for e in diagnosis)
    assert not any(e.time[:5] == "15:20" for e in diagnosis)


def test_an_entry_that_only_retells_an_earlier_one_is_left_out() -> None:
    from app.engines.extractive.events import Event
    from app.engines.extractive.timeline import timeline_entries
    from app.models import Message

    def at(n: int, time: str, text: str) -> Event:
        message = Message(id=n, time=time, day=0, author="Ama", text=text, line_start=n, line_end=n)
        return Event("mitigation", message, time, text, None)

    entries = timeline_entries(
        [
            at(1, "08:36", "Visibility timeout on the jobs queue raised to 1800s."),
            at(2, "08:47", "Mitigation: visibility timeout on the jobs queue raised 08:36."),
            at(3, "08:50", "Fleet capped at 40 instances, visibility timeout stays raised."),
        ]
    )
    assert [e["time"] for e in entries] == ["08:36", "08:50"]


def test_words_said_to_a_participant_are_no_event() -> None:
    result = report(
        [
            ("09:00", "Rui Costa", "renewals charging customers twice"),
            ("09:40", "Ines Duarte", "deployed the fix to prod, worker still at 0"),
            ("09:44", "Rui Costa", "Ines roll back the deploy now"),
            ("10:30", "Tomas Reis", "all good, 120 refunds done"),
        ]
    )
    assert not any("roll back" in e.description.lower() for e in result.timeline)


def test_a_report_about_a_participant_is_not_an_instruction() -> None:
    from app.engines.extractive.people import Roster

    roster = Roster(["Ines Duarte", "Rui Costa", "Dev Malhotra"])
    assert roster.instructs("Ines bring the workers back")
    assert roster.instructs("rui you just pasted a key")
    assert roster.instructs("@Rui Costa check the alert")
    assert not roster.instructs("Ines restarted the pods")
    assert not roster.instructs("Ines took over the backfill")
    assert not roster.instructs("@Rui Costa pulling in the db team")
    assert not roster.instructs("dev deploy went out at 10")


def test_a_situation_report_retells_events_and_gives_no_row_of_its_own() -> None:
    result = report(
        [
            ("10:00", "Lia", "[FIRING] ApiErrorRate orders-api 12%"),
            ("10:12", "Max", "rolled back orders-api to 4.1.2"),
            ("10:16", "Max", "error rate back to normal"),
            ("10:40", "Lia", "Status 10:40 - mitigation: rolled back 4.1.3, errors gone at 10:16"),
        ]
    )
    assert not rows_at(result, "10:40")
    assert rows_at(result, "10:12")


def test_the_course_the_team_settles_on_is_a_row() -> None:
    result = report(
        [
            ("05:10", "mon", "[FIRING] ScanWriteErrors wms-api"),
            ("05:14", "kai", "sequence on scan_ids is at its int4 maximum"),
            ("05:20", "kai", "alter to bigint would lock the table for hours"),
            ("05:23", "lea", "go for the negative ids. kai, do it"),
            ("05:26", "kai", "sequence restarted at -1, scans saving again"),
        ]
    )
    assert rows_at(result, "05:23")


def test_work_taken_on_is_no_detection() -> None:
    result = report(
        [
            ("06:07", "timo", "Halle 3: kein Scanner kann mehr speichern"),
            ("06:15", "deniz", "die Sequence ist am int4 Maximum, neue IDs gehen nicht"),
            ("07:13", "sabine", "Alert mache ich heute, für alle Sequences über 80%"),
        ]
    )
    assert result.detection is None or "Alert" not in result.detection.text


def test_a_retold_cause_without_its_origin_gets_no_row_at_the_recap_time() -> None:
    result = report(
        [
            ("08:00", "mon", "[FIRING] PayoutFilesDuplicated"),
            ("08:05", "raj", "oh no. it's the clock change, 1:30 happened twice"),
            ("08:30", "raj", "suspended the cron job"),
            (
                "09:10",
                "kim",
                "Summary for the record: the payout job ran twice because of the DST fall-back "
                "with the America/Chicago zone; the bank deleted the second file",
            ),
        ]
    )
    assert result.root_cause is not None and "DST" in result.root_cause.text
    assert not rows_at(result, "09:10")
