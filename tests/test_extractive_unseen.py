"""General rules for chats the offline engine was not tuned on (issue 11, extractive7). Each
chat is written for its rule, in wording of its own; none is copied from an eval incident. Each
test names the general pattern it covers."""

from __future__ import annotations

from app.engines.extractive import extract_report
from app.models import IncidentReport, Message, Transcript

Row = tuple[str | None, str, str]


def report(rows: list[Row]) -> IncidentReport:
    messages = [
        Message(id=n, time=time, author=author, text=text, line_start=n, line_end=n)
        for n, (time, author, text) in enumerate(rows, start=1)
    ]
    return extract_report(Transcript(format="test", messages=messages)).report


def _kinds(found: IncidentReport) -> dict[str, str]:
    return {entry.time: entry.kind for entry in found.timeline}


# ---- detection -------------------------------------------------------------------------------


def test_an_alarm_sign_raises_the_alarm_even_when_its_line_asks_something() -> None:
    # "🚨 ..., keep it in this thread pls": the request does not undo the alarm, so the
    # work right after it (a revocation) is on the timeline, not cut off by a later detection
    rows: list[Row] = [
        ("09:02", "ines", "🚨 possible leaked signing key in the docs site, keep it here pls"),
        ("09:04", "tom", "which key?"),
        ("09:06", "tom", "the release signing key. revoked it just now, new one issued."),
        ("09:15", "ines", "what do we tell the 3 customers who asked"),
    ]
    found = report(rows)
    assert found.detection is not None and found.detection.evidence == [1]
    assert _kinds(found).get("09:06") == "mitigation"


def test_a_plain_request_is_still_no_detection() -> None:
    # without an alarm sign, "can someone set up the alert" asks for work: no signal
    rows: list[Row] = [
        ("09:00", "ines", "can someone set up the disk alert for db-3 please"),
        ("09:10", "tom", "[FIRING] DiskAlmostFull db-3 97%"),
    ]
    found = report(rows)
    assert found.detection is not None and found.detection.evidence == [2]


def test_trouble_said_in_german_is_the_detection() -> None:
    # "kein Kunde kann mehr bezahlen" states user impact in German
    rows: list[Row] = [
        ("07:12", "Jonas", "Filiale Nord: kein Kunde kann mehr mit Karte bezahlen, alle Kassen"),
        ("07:15", "Mia", "schaue ich mir an"),
        ("07:21", "Mia", "Terminal-Release 2.4 zurückgerollt."),
        ("07:26", "Jonas", "Kartenzahlung läuft wieder in allen Kassen"),
    ]
    found = report(rows)
    assert found.detection is not None and found.detection.evidence == [1]
    kinds = _kinds(found)
    assert kinds.get("07:21") == "mitigation"
    assert kinds.get("07:26") == "recovery"


def test_trouble_said_in_french_opens_the_incident_before_the_first_action() -> None:
    # "le paiement ne marche plus" is the first signal; the restart after it is an event
    rows: list[Row] = [
        ("15:00", "Léa", "le paiement ne marche plus sur l'app depuis 14h50"),
        ("15:03", "Hugo", "je regarde"),
        ("15:08", "Hugo", "workers de paiement redémarrés"),
        ("15:12", "Léa", "service rétabli pour tous les clients"),
    ]
    found = report(rows)
    assert found.detection is not None and found.detection.evidence == [1]
    kinds = _kinds(found)
    assert kinds.get("15:08") == "mitigation"
    assert kinds.get("15:12") == "recovery"


# ---- action items and owners -----------------------------------------------------------------


def _owners(found: IncidentReport) -> dict[str, str | None]:
    return {item.description: item.owner for item in found.action_items}


def test_a_list_under_a_portuguese_heading_is_read_and_claimed_in_portuguese() -> None:
    # "Ações:" opens the list; "2 posso fazer eu" claims by number, "e o 4 também" carries the
    # claim on, "o 3 fica sem dono" leaves it unowned, "1 mine" claims in English
    rows: list[Row] = [
        ("11:00", "opsbot", "[FIRING] QueueBacklogHigh exports backlog 120k"),
        ("11:40", "Clara", "fila drenada, tudo normal. resolvido"),
        (
            "11:45",
            "Clara",
            "Ações:\n1. alerta de backlog mais cedo\n2. limite de workers no chart\n"
            "3. teste de carga mensal\n4. runbook da fila de exportação",
        ),
        ("11:46", "Bruno", "1 mine"),
        ("11:47", "Duarte", "2 posso fazer eu. e o 4 também"),
        ("11:48", "Clara", "o 3 fica sem dono por agora"),
    ]
    owners = list(_owners(report(rows)).values())
    assert owners == ["Bruno", "Duarte", None, "Duarte"]


def test_also_carries_a_claim_only_within_the_claimants_message() -> None:
    # "4 too" after "I'll take 1" is the same speaker's claim; a bare "4 too" from someone who
    # claimed nothing in that message takes nothing
    rows: list[Row] = [
        ("11:00", "opsbot", "[FIRING] QueueBacklogHigh exports backlog 120k"),
        ("11:40", "ana", "backlog drained, all normal. resolved"),
        (
            "11:45",
            "ana",
            "action items:\n1. earlier backlog alert\n2. worker limit in the chart\n"
            "3. monthly load test\n4. export queue runbook",
        ),
        ("11:46", "raj", "I'll take 1. 4 too"),
        ("11:47", "lee", "looks good. 3 too?"),
    ]
    owners = list(_owners(report(rows)).values())
    assert owners == ["raj", None, None, "raj"]


def test_a_recap_that_ends_in_a_list_still_states_the_impact() -> None:
    # the recap's impact line is read even though the same message holds the action list
    rows: list[Row] = [
        ("08:00", "opsbot", "[FIRING] UploadErrorRate uploads 5xx 0.31"),
        ("08:20", "mo", "rolled back uploads to 2.3.1. errors gone, back to normal. resolved"),
        (
            "08:30",
            "mo",
            "recap\n- impact: 2,140 uploads failed between 08:00 and 08:20\n"
            "- cause: 2.3.2 dropped the multipart size limit\n\n"
            "action items:\n1. canary for uploads\n2. test for the multipart limit",
        ),
    ]
    found = report(rows)
    assert any("2,140" in line.text for line in found.impact)
    assert len(found.action_items) == 2


# ---- root cause ------------------------------------------------------------------------------


def test_a_line_labelled_cause_keeps_its_strength_despite_an_aside_on_detection() -> None:
    # "cause: X, without anyone noticing the notice" names X: the gap aside does not demote it
    # below a guess said earlier
    rows: list[Row] = [
        ("10:00", "opsbot", "[FIRING] WebhookDeliveryFailing partner webhooks 5xx 0.42"),
        ("10:05", "kim", "the partner's endpoint is broken, that's the root cause"),
        ("10:40", "kim", "partner rolled their change back, deliveries ok again. resolved"),
        (
            "10:50",
            "lou",
            "wrapping up. cause: the CDN moved our zone to a new TLS profile for old phones, "
            "without anyone noticing the changelog.",
        ),
    ]
    cause = report(rows).root_cause
    assert cause is not None and "TLS profile" in cause.text


def test_a_bold_heading_opens_a_situation_report() -> None:
    # "**summary for the doc**" on a line of its own opens a report whose causal line wins over
    # a later remark that merely names a reason
    rows: list[Row] = [
        ("14:00", "opsbot", "[FIRING] CartWritesFailing carts 5xx 0.35"),
        ("14:20", "ivo", "restarted cartd, writes ok again. resolved"),
        (
            "14:30",
            "ivo",
            "**summary for the doc**\n"
            "- 13:58 the cache cluster failed over after its primary froze\n"
            "- cartd keeps the address it read at startup, so every write went to the old "
            "primary\n- impact: 22 min of failed cart writes",
        ),
        ("15:10", "zoe", "standup moved to 15:30. the reason is pizza"),
    ]
    cause = report(rows).root_cause
    assert cause is not None
    assert "failed over" in cause.text or "old primary" in cause.text
    assert "pizza" not in cause.text
