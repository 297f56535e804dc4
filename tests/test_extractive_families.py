"""Rule families added for chats the engine never saw: each case is written for its rule, in
wording of its own (terse lowercase chat, causes across messages, confirmations, retractions)."""

from __future__ import annotations

import re

import pytest

from app.engines.extractive import extract_report
from app.engines.extractive.text import split_sentences, tidy
from app.models import IncidentReport, Message, Transcript

Row = tuple[str | None, str, str]

_PAGE: Row = ("03:10", "rui", "paged: ledger-sync error rate 30%")


def report(rows: list[Row]) -> IncidentReport:
    messages = [
        Message(id=n, time=time, author=author, text=text, line_start=n, line_end=n)
        for n, (time, author, text) in enumerate(rows, start=1)
    ]
    return extract_report(Transcript(format="test", messages=messages)).report


@pytest.mark.parametrize(
    ("rows", "evidence", "words", "not_words"),
    [
        (  # a hedged hypothesis confirmed by someone else's "yep that's it"
            [
                _PAGE,
                ("03:12", "ines", "i think the nightly export holds a lock on the ledger table"),
                ("03:13", "rui", "yep that's it, pg_locks shows it"),
            ],
            [2, 3],
            ["nightly export"],
            [],
        ),
        (  # a bare "confirmed" after a statement with no causal cue of its own
            [
                _PAGE,
                ("03:12", "ines", "the sync job points at the retired replica hostname"),
                ("03:14", "rui", "confirmed"),
            ],
            [2, 3],
            ["retired replica"],
            [],
        ),
        (  # "that explains why ..." names an effect: the cause is the message before it
            [
                _PAGE,
                ("03:12", "ines", "the batch size went from 50 to 5000 in last night's config"),
                ("03:13", "rui", "that explains why only the big tenants are failing"),
            ],
            [2, 3],
            ["batch size"],
            ["big tenants"],
        ),
        (  # a realisation ("oh no.") announces the sentences after it; "no." is not "No. 5"
            [
                _PAGE,
                ("03:15", "ines", "oh no. the cleanup script matched prod too. it wiped the queue"),
            ],
            [2],
            ["cleanup script matched prod"],
            [],
        ),
        (  # a slip named as such ("instead of") is a cause
            [
                _PAGE,
                ("03:15", "ines", "ugh. i set the retry limit to 0 instead of 10 in the chart"),
            ],
            [2],
            ["instead of 10"],
            [],
        ),
        (  # "so <conclusion>" draws on the message before it, "and ..." carries it on
            [
                _PAGE,
                ("03:12", "ines", "heap profile: the dedupe map keeps every message id forever"),
                ("03:13", "rui", "so the worker runs out of memory after a few hours"),
                ("03:14", "ines", "and nobody set a ttl on it"),
            ],
            [3, 2, 4],
            ["dedupe map", "out of memory", "ttl"],
            [],
        ),
        (  # a parked theory and a "probably not" do not win over a later plain cause
            [
                _PAGE,
                ("03:11", "ines", "could be the storage broker throttling us"),
                ("03:12", "rui", "parking the broker theory, its metrics are flat"),
                ("03:14", "ines", "so it's the schema change, the new column is not nullable"),
            ],
            [4],
            ["schema change"],
            ["broker"],
        ),
        (  # "my bad" with no claim of one's own to take back owns up; it retracts nothing
            [
                _PAGE,
                ("03:12", "ines", "so the cron fires every minute because the hour field is empty"),
                ("03:13", "rui", "yes. my bad, i pasted the wrong line. reverting it now"),
            ],
            [2, 3],
            ["hour field"],
            ["reverting"],
        ),
        (  # "yes" answering a question confirms nothing
            [
                _PAGE,
                ("03:12", "ines", "the token is expired because the rotation job is disabled"),
                ("03:13", "rui", "maybe the proxy is dropping headers too"),
                ("03:14", "ines", "shall i restart it?"),
                ("03:15", "rui", "yes go"),
            ],
            [2],
            ["rotation job"],
            ["proxy"],
        ),
        (  # "found it" and the deeper cause under "why didn't ...?" are both kept
            [
                _PAGE,
                ("03:12", "ines", "found it: the signing key expired at 03:00"),
                ("03:13", "rui", "why didn't it rotate?"),
                ("03:16", "ines", "so the rotation lambda is dead, its role was deleted in may"),
            ],
            [2, 4],
            ["signing key expired", "rotation lambda is dead"],
            [],
        ),
    ],
    ids=[
        "confirmed-hypothesis",
        "bare-confirmed",
        "explains-why",
        "realisation",
        "named-slip",
        "premise-and-continuation",
        "parked-theory",
        "my-bad-owns-up",
        "yes-to-a-question",
        "why-chain",
    ],
)
def test_root_cause_families(
    rows: list[Row], evidence: list[int], words: list[str], not_words: list[str]
) -> None:
    cause = report(rows).root_cause
    assert cause is not None
    assert cause.evidence == evidence, cause
    for word in words:
        assert word in cause.text.lower(), cause.text
    for word in not_words:
        assert word not in cause.text.lower(), cause.text


def test_a_joined_cause_puts_its_timeline_entry_at_the_main_message() -> None:
    rows: list[Row] = [
        _PAGE,
        ("03:12", "ines", "heap profile: the dedupe map keeps every message id forever"),
        ("03:13", "rui", "so the worker runs out of memory after a few hours"),
    ]
    entries = [(e.time, e.kind, e.evidence[0]) for e in report(rows).timeline]
    assert ("03:13", "investigation", 3) in entries


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (  # an attempt that did not help, then the rollback that did: both episodes
            [
                ("09:00", "kim", "Alert: quote-api 5xx at 40%"),
                ("09:05", "kim", "reverted the sidecar log level just in case. no change"),
                ("09:20", "lee", "rolling back quote-api to 7.1"),
                ("09:27", "lee", "rollback complete, all pods on 7.1"),
            ],
            [("09:05", "mitigation"), ("09:20", "mitigation"), ("09:27", "mitigation")],
        ),
        (  # weighing an option and naming an old restart are not mitigations
            [
                ("09:00", "kim", "Alert: quote-api 5xx at 40%"),
                ("09:03", "lee", "node 4 is slow since the rolling restart this morning"),
                ("09:06", "kim", "I'd fail over to the standby region"),
                ("09:08", "lee", "failing over to the standby region now"),
            ],
            [("09:08", "mitigation")],
        ),
        (  # a backlog that has caught up is a recovery
            [
                ("09:00", "kim", "Alert: invoice-queue depth 90k"),
                ("09:04", "lee", "restarting the consumers"),
                ("09:06", "lee", "consumers restarted"),
                ("09:30", "kim", "backlog caught up, depth under 100"),
            ],
            [("09:30", "recovery")],
        ),
    ],
    ids=["episodes", "weighed-and-background", "caught-up"],
)
def test_mitigation_and_recovery_families(rows: list[Row], expected: list[tuple[str, str]]) -> None:
    entries = [(e.time, e.kind) for e in report(rows).timeline]
    for entry in expected:
        assert entry in entries, entries
    if expected == [("09:08", "mitigation")]:
        assert [t for t, kind in entries if kind == "mitigation"] == ["09:08"], entries


def test_a_stated_release_time_with_a_version_number() -> None:
    rows: list[Row] = [
        ("10:20", "kim", "Alert: quote-api p99 4s"),
        ("10:22", "lee", "fwiw I rolled out quote-api 7.2.1 at 10:05"),
    ]
    triggers = [(e.time, e.kind) for e in report(rows).timeline if e.kind == "trigger"]
    assert triggers == [("10:05", "trigger")]


def test_numbered_claims_without_a_claim_verb_and_a_deferral() -> None:
    rows: list[Row] = [
        ("10:00", "kim", "Alert: quote-api p99 4s"),
        ("10:20", "lee", "Rollback done, quote-api recovered."),
        (
            "10:30",
            "kim",
            "follow-ups:\n1. cap the retry budget\n2. load test the quote path\n"
            "3. document the failover",
        ),
        ("10:31", "lee", "1 is mine"),
        ("10:32", "max", "I'll send a PR for 2"),
        ("10:33", "kim", "3 goes on the team board for whoever has time"),
    ]
    owners = [(i.description, i.owner) for i in report(rows).action_items]
    assert owners == [
        ("Cap the retry budget", "lee"),
        ("Load test the quote path", "max"),
        ("Document the failover", None),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("peak was 18% of requests failing btw", "Peak was 18% of requests failing"),
        ("queue is draining 🙏", "Queue is draining"),
        ("the btw-exporter is down", "The btw-exporter is down"),
    ],
)
def test_tidy_drops_trailing_chatter(text: str, expected: str) -> None:
    assert tidy(text) == expected


def test_plain_summary_is_written_from_typed_facts_not_quotes() -> None:
    rows: list[Row] = [
        ("08:00", "kim", "Alert: signup-api errors at 25%, customers can't sign up"),
        (
            "08:05",
            "lee",
            "found it. the captcha provider changed its response format. "
            "our `verify_token()` parser returns None for every token",
        ),
        ("08:10", "lee", "rolled back the captcha client, signups recovered"),
    ]
    result = report(rows)
    plain = " ".join(s.text for s in result.summary.plain)
    # what failed, in the chat's own words, and that the cause was found: no quote of it
    assert "signup errors" in plain and "was identified" in plain
    assert "captcha provider changed its response format" not in plain
    assert "verify_token" not in plain and "“" not in plain
    assert not re.search(r"\b(?:I|we|our|kim|lee)\b", plain)
    assert result.plain_title == "Signup errors"


def test_split_keeps_a_number_sign_with_its_number() -> None:
    assert split_sentences("see ticket no. 4411 for details") == ["see ticket no. 4411 for details"]
    assert split_sentences("oh no. the disk is full") == ["oh no.", "the disk is full"]


# --------------------------------------------------------------------------------------------
# Rules added for issue 11 (general habits of unseen chats), each with a chat of its own
# --------------------------------------------------------------------------------------------


def test_a_fault_the_team_acts_on_is_the_cause() -> None:
    result = report(
        [
            ("05:00", "ola", "paged: payouts job failing"),
            ("05:04", "ola", "the payouts signing key expired at midnight"),
            ("05:06", "kai", "rotating the signing key now"),
            ("05:09", "kai", "rotated, job green"),
        ]
    )
    assert result.root_cause is not None and "signing key expired" in result.root_cause.text


def test_a_fault_nobody_acts_on_or_confirms_stays_an_open_question() -> None:
    result = report(
        [
            ("05:00", "ola", "paged: payouts job failing"),
            ("05:04", "ola", "the staging bucket is full again"),
            ("05:09", "kai", "restarted the payouts worker, job green"),
        ]
    )
    assert result.root_cause is None
    assert any(q.startswith("What was the root cause?") for q in result.open_questions)


def test_a_negation_before_its_subject_names_no_new_cause() -> None:
    result = report(
        [
            ("05:00", "ola", "paged: payouts job failing"),
            ("05:10", "kai", "agree it's not the bank's fault"),
        ]
    )
    assert result.root_cause is None


def test_a_reply_quoting_its_parent_is_read_without_the_quote() -> None:
    result = report(
        [
            ("11:00", "ana", "alert: export-api 5xx at 20%"),
            ("11:20", "ana", "follow-ups:\n- add a retry budget\n- alert on export queue age"),
            ("11:25", "bo", "Commented on ana's message: follow-ups:\nyes, the retry one is ours"),
        ]
    )
    assert [a.description for a in result.action_items] == [
        "Add a retry budget",
        "Alert on export queue age",
    ]


def test_a_list_posted_one_line_per_message_is_one_list() -> None:
    result = report(
        [
            ("11:00", "ana", "alert: export-api 5xx at 20%"),
            ("11:20", "ana", "things to fix:"),
            ("11:20", "ana", "retry budget on the export client"),
            ("11:21", "ana", "queue age alert"),
            ("11:22", "ana", "thanks all"),
        ]
    )
    assert [a.description for a in result.action_items] == [
        "Retry budget on the export client",
        "Queue age alert",
    ]


def test_a_recap_retells_events_and_adds_none() -> None:
    result = report(
        [
            ("11:00", "ana", "alert: export-api 5xx at 20%"),
            ("11:05", "bo", "rolling back export-api"),
            ("11:08", "bo", "rollback done"),
            ("11:30", "ana", "summary so far:\n- rolled back at 11:08\n- restarted the workers"),
        ]
    )
    assert all(e.evidence != [4] for e in result.timeline)


def test_a_time_written_before_the_change_gives_the_trigger() -> None:
    result = report(
        [
            ("15:10", "ana", "alert: cart-api 5xx at 15%"),
            ("15:14", "bo", "the 14:55 deploy moved carts to the new serializer"),
            ("15:16", "bo", "reverting it"),
        ]
    )
    assert ("14:55", "trigger") in {(e.time, e.kind) for e in result.timeline}


def test_an_action_reported_done_without_naming_it_again() -> None:
    result = report(
        [
            ("15:10", "ana", "alert: cart-api 5xx at 15%"),
            ("15:12", "bo", "rolling back cart-api to 2.3"),
            ("15:18", "bo", "2.3 is out on all pods"),
        ]
    )
    assert ("15:18", "mitigation") in {(e.time, e.kind) for e in result.timeline}


def test_an_alert_mentioned_later_with_an_earlier_time_is_the_first_signal() -> None:
    result = report(
        [
            ("14:00", "ana", "paged: disk 95% on db-2"),
            ("14:20", "bo", "fwiw the 80% disk warning fired at 13:31 in #ops, nobody looked"),
        ]
    )
    assert result.detection is not None and result.detection.evidence == [2]
    assert ("13:31", "detection") in {(e.time, e.kind) for e in result.timeline}


def test_a_busy_channel_opens_the_incident_at_its_first_relevant_signal() -> None:
    chatter: list[Row] = [("08:00", "ana", "customer says the android app logs them out")]
    chatter += [(f"09:{n:02d}", "bo", f"lunch plans item {n}") for n in range(30)]
    chatter += [
        ("10:00", "alertmanager", "[FIRING] ReportsApiErrors reports-api 5xx 0.3"),
        ("10:04", "bo", "root cause: the reports-api cache has no size limit"),
    ]
    result = report(chatter)
    assert result.detection is not None and result.detection.evidence == [32]


def test_a_ruled_out_service_never_names_the_incident() -> None:
    result = report(
        [
            ("10:00", "ana", "alert: checkout errors at 20%"),
            ("10:02", "bo", "cdn looks broken? cdn cdn"),
            ("10:04", "ana", "not the cdn, cdn metrics are clean"),
            ("10:06", "bo", "root cause: the checkout-api tax table is empty"),
        ]
    )
    assert "cdn" not in result.title.lower()


@pytest.mark.parametrize(
    "rows",
    [
        [
            ("09:14", "ana", "payments are failing for every card, 40% of checkouts"),
            ("09:20", "bo", "restarted the payment workers, checkouts succeed again"),
        ],
        [("09:14", "ana", "the login page is down for everyone"), ("09:20", "bo", "ok")],
    ],
)
def test_technical_summary_of_a_short_chat_says_each_sentence_once(rows: list[Row]) -> None:
    # the opening report is both the detection and the first impact line: said once
    texts = [s.text for s in report(rows).summary.technical]
    opening = tidy(rows[0][2])
    assert sum(opening.rstrip(".") in t for t in texts) == 1, texts
    assert len(texts) == len(set(texts))
