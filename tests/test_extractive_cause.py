"""Root-cause rules that hold across teams, each on a small chat written for it: a cause read
from the shape of the conversation when no cue word states it, the opening report that says
what broke and not why, a confirmation of the recovery, a detection gap, and the sentences that
go on explaining a cause."""

from __future__ import annotations

from app.engines.extractive import extract_report
from app.engines.extractive.action_items import find_lists, list_message_ids
from app.engines.extractive.cause_shape import ACTION, TAKEN_UP, shaped_causes
from app.engines.extractive.chat import Chat
from app.engines.extractive.corrections import RuledOut
from app.engines.extractive.text import is_pasted
from app.models import IncidentReport, Message, Transcript

Row = tuple[str | None, str, str]


def transcript(rows: list[Row]) -> Transcript:
    messages = [
        Message(id=n, time=time, author=author, text=text, line_start=n, line_end=n)
        for n, (time, author, text) in enumerate(rows, start=1)
    ]
    return Transcript(format="test", messages=messages)


def report(rows: list[Row]) -> IncidentReport:
    return extract_report(transcript(rows)).report


def cause(rows: list[Row]) -> str:
    found = report(rows).root_cause
    assert found is not None, "no root cause"
    return found.text


# A cause no cue word states: the fix works on its rarer words and a reply takes it up.
_SUBNET = [
    ("09:14", "kim", "checkout throws 502s for maybe a third of requests"),
    ("09:15", "raj", "on it"),
    ("09:19", "raj", "pods started by this morning's autoscale can't reach redis"),
    ("09:22", "kim", "is it the security group change from last week?"),
    ("09:24", "raj", "checked it, the security group is fine"),
    ("09:31", "raj", "the new nodes landed in subnet c, and the redis allowlist only has a and b"),
    ("09:33", "kim", "oh. that's it then"),
    ("09:35", "raj", "adding subnet c to the allowlist"),
    ("09:38", "raj", "502s gone"),
]


def test_a_statement_the_fix_works_on_and_a_reply_takes_up_is_the_cause() -> None:
    assert "subnet c" in cause(_SUBNET)


def test_a_shaped_cause_in_a_chat_still_failing_at_its_end_is_an_open_question() -> None:
    # the same shape, but the last word is that the trouble goes on: the team has not
    # settled the cause, so the draft asks instead of naming the statement
    ongoing = [*_SUBNET[:-1], ("09:38", "raj", "still failing for about half the pods")]
    result = report(ongoing)
    assert result.root_cause is None
    assert any("root cause" in q.lower() for q in result.open_questions)


def test_a_shaped_cause_stands_once_the_chat_reports_recovery_after_the_trouble() -> None:
    recovered = [
        *_SUBNET[:-1],
        ("09:37", "kim", "still failing for eu users"),
        ("09:40", "raj", "eu recovered too, 502s gone"),
    ]
    assert "subnet c" in cause(recovered)


def test_the_shape_ranks_the_statement_above_the_symptom_and_the_ruled_out_check() -> None:
    chat = Chat.of(transcript(_SUBNET))
    skip = list_message_ids(find_lists(chat))
    ranked = shaped_causes(chat, skip, RuledOut.of(chat, skip))
    assert ranked and ranked[0].sentence.message.id == 6
    assert all(c.sentence.message.id != 1 for c in ranked)  # the report is what broke


def test_without_reception_a_plain_statement_stays_an_open_question() -> None:
    result = report(
        [
            ("10:00", "ana", "exports are slow today"),
            ("10:02", "bo", "looking"),
            ("10:10", "bo", "the export workers share their host with the nightly reindex job"),
            ("10:30", "ana", "exports finished, all good"),
        ]
    )
    assert result.root_cause is None


def test_the_opening_report_says_what_broke_not_why() -> None:
    text = cause(
        [
            ("16:20", "sara", "the invoice job ran at 16:00 instead of 02:00 and mailed everyone"),
            ("16:22", "li", "looking"),
            ("16:30", "li", "the job moved to the new scheduler yesterday"),
            ("16:33", "li", "the schedule is right, the scheduler's timezone default is wrong"),
            ("16:40", "li", "set the scheduler timezone to UTC"),
        ]
    )
    assert "timezone" in text and "instead of" not in text


def test_a_confirmed_recovery_is_no_cause() -> None:
    text = cause(
        [
            ("15:02", "jess", "image uploads time out for everyone"),
            ("15:04", "marco", "looking. object store puts take 30s+"),
            ("15:13", "marco", "not us. it's an object storage outage at the provider, we wait"),
            ("15:41", "marco", "confirmed, p99 back to 400ms"),
        ]
    )
    assert "provider" in text and "p99" not in text


def test_a_gap_in_alerting_is_weaker_than_what_broke() -> None:
    text = cause(
        [
            ("13:00", "ana", "search shows stale prices on product pages"),
            ("13:02", "bo", "looking"),
            ("13:18", "bo", "the indexer secret was deleted by the namespace cleanup script"),
            ("13:20", "ana", "ouch, that's it"),
            ("13:22", "bo", "recreated the secret, indexer consuming again"),
            ("13:45", "ana", "the real problem is nobody alerts on an idle consumer group"),
            ("13:46", "bo", "yes, and the cleanup script has no dry run"),
        ]
    )
    assert "secret was deleted" in text


def test_a_cause_label_in_another_language_goes_on_after_its_line() -> None:
    text = cause(
        [
            ("07:00", "jo", "Scanner speichern nichts mehr"),
            ("07:02", "max", "schaue"),
            (
                "07:40",
                "jo",
                "Zusammenfassung:\nWarum: die ID-Spalte ist int4. Die Sequence hat den "
                "Maximalwert 2147483647 erreicht.\nFix: Sequence umgestellt",
            ),
        ]
    )
    assert "2147483647" in text and "umgestellt" not in text


def test_the_sentence_before_a_cause_that_explains_it_is_quoted_with_it() -> None:
    text = cause(
        [
            ("14:10", "priya", "android users can't upload photos"),
            ("14:11", "tom", "on it"),
            (
                "14:25",
                "tom",
                "the ingress controller was upgraded and the new version defaults the body size "
                "limit to 1m. our annotation uses the old key name, so it's ignored",
            ),
            ("14:26", "priya", "makes sense"),
            ("14:30", "tom", "set the new annotation key and rolled the ingress"),
        ]
    )
    assert "defaults the body size" in text and "old key name" in text


def test_action_and_taken_up_families() -> None:
    assert ACTION("pointed the job at the new table") and ACTION("reran the export")
    assert not ACTION("the table is new") and not ACTION("exports are slow")
    assert TAKEN_UP("oh. that's it then") and TAKEN_UP("nice find")
    assert not TAKEN_UP("the job runs hourly")


def test_a_cause_placed_outside_the_team_is_the_cause() -> None:
    text = cause(
        [
            ("15:00", "eva", "payment confirmations fail, the provider's webhooks return 400"),
            ("15:02", "dan", "looking"),
            ("15:10", "dan", "their status page says degraded delivery, it's on their side"),
            ("15:50", "dan", "they resolved their incident, replaying events from 15:00"),
        ]
    )
    assert "on their side" in text and "replaying" not in text


def test_a_system_failing_over_is_no_action_of_the_team() -> None:
    text = cause(
        [
            ("09:00", "rob", "booking confirmations are not sent since 8:30"),
            ("09:02", "kate", "looking"),
            ("09:15", "kate", "the workers lost their subscription when the broker failed over"),
            ("09:18", "kate", "restarted the mail workers, queue draining"),
        ]
    )
    assert "lost their subscription" in text


def test_a_real_bug_named_in_so_many_words() -> None:
    text = cause(
        [
            ("09:00", "rob", "confirmation mails stopped"),
            ("09:02", "kate", "looking"),
            ("09:41", "kate", "the mail workers have no reconnect logic, that's the real bug"),
        ]
    )
    assert "reconnect logic" in text


def test_a_change_told_with_its_time_is_a_cause_not_an_action() -> None:
    text = cause(
        [
            ("11:00", "kai", "login fails with invalid credentials for every user"),
            ("11:01", "lu", "checking"),
            ("11:06", "mo", "we rotated the db password at 10:40, the pods cache the old one"),
            ("11:07", "lu", "yes that lines up with the first failures"),
            ("11:09", "mo", "restarting the pods so they read the new password"),
        ]
    )
    assert "rotated the db password" in text


def test_a_cause_in_french_read_from_its_reception() -> None:
    text = cause(
        [
            ("20:00", "noa", "la page de paiement renvoie des erreurs 500"),
            ("20:02", "yann", "je regarde"),
            ("20:10", "yann", "le certificat du fournisseur a expiré, notre client refuse le TLS"),
            ("20:12", "noa", "ah oui, c'est ça"),
            ("20:15", "yann", "j'ai mis à jour le bundle de certificats du fournisseur"),
        ]
    )
    assert "certificat" in text


def test_another_problem_added_on_is_a_factor_not_the_cause() -> None:
    text = cause(
        [
            ("10:00", "ops-bot", "[FIRING] cart-api 5xx 18%"),
            ("10:01", "gil", "ack"),
            ("10:06", "gil", "root cause: the new session cache has no size bound"),
            ("10:15", "gil", "rolled back, 5xx back to 0.2%"),
            ("10:30", "hana", "the issue is also that staging has no realistic session volume"),
        ]
    )
    assert "session cache" in text


def test_an_announced_cause_keeps_up_to_three_sentences_of_what_follows() -> None:
    # "found it." then the evidence and, third, the change that explains it
    found = cause(
        [
            ("11:02", "mon-bot", "[FIRING] ThumbnailErrors high on thumb-svc"),
            ("11:05", "ivo", "looking at the thumb-svc workers"),
            (
                "11:20",
                "ivo",
                "found it. thumbnails from batch 88 are 40MB each, batch 87 were 2MB. "
                "every image is stored as raw bitmap. the new resize script dropped the "
                "--jpeg flag, so the output defaults to bitmap now.",
            ),
            ("11:24", "ivo", "rerunning batch 88 with --jpeg, errors dropping"),
        ]
    )
    assert "--jpeg flag" in found and "40MB" in found


def test_a_cause_keeps_the_answer_to_the_question_that_digs_beneath_it() -> None:
    rows: list[Row] = [
        ("02:10", "cron-bot", "SLA miss: nightly_rollup still running after 3h"),
        ("02:14", "ada", "partition 41 is 58 GB, median 200 MB. the root cause is a hot key"),
        ("02:16", "ben", "could the loader have run twice?"),
        ("02:20", "ada", "checked, no duplicate rows"),
        ("02:22", "ada", "which tenant is in partition 41?"),
        ("02:25", "ada", "tenant 7731 = Northwind, 41% of yesterday's events, migrated monday"),
        ("02:40", "ada", "salted the key, the rerun finished in 12 min"),
    ]
    found = cause(rows)
    assert "hot key" in found and "Northwind" in found


def test_a_question_about_something_else_adds_nothing_to_the_cause() -> None:
    rows: list[Row] = [
        ("02:10", "cron-bot", "SLA miss: nightly_rollup still running after 3h"),
        ("02:14", "ada", "partition 41 is 58 GB, median 200 MB. the root cause is a hot key"),
        ("02:22", "ben", "which channel is finance on?"),
        ("02:25", "ada", "#fin-ops, I'll ping them"),
        ("02:40", "ada", "salted the key, the rerun finished in 12 min"),
    ]
    assert "fin-ops" not in cause(rows)


# A lead's situation report settles the cause the discussion circled around.
_REPORTED = [
    ("14:02", "alertbot", "[FIRING] ExportJobDuplicateRows billing-export"),
    ("14:04", "ana", "looking. export ran twice overnight"),
    ("14:06", "tom", "we set the scheduler region to eu-west for the new latency budget"),
    ("14:07", "tom", "root cause is the region move, the cron fires twice in eu-west"),
    ("14:09", "ana", "hmm the leader lock looks odd, two holders at 02:00"),
    ("14:15", "tom", "lock ttl is 30s and the run takes 4 min, that could do it"),
    ("14:30", "ana", "deleted the duplicate rows, totals match again"),
    (
        "14:41",
        "lee",
        "where we stand (14:40):\n- export ran twice because the leader lock expired mid-run "
        "(ttl 30s, run 4 min)\n- duplicates deleted, totals match\n- brokers fine, "
        "the region change was a coincidence\nfollow-ups:\n- alert when the config drifts",
    ),
]


def test_a_situation_report_states_the_cause_the_chat_settled_on() -> None:
    text = cause(_REPORTED)  # over an earlier "root cause is ..." that nobody took back
    assert "leader lock expired" in text
    assert "region" not in text and "deleted" not in text and "follow" not in text.lower()


def test_a_report_line_that_only_guesses_or_rules_out_states_no_cause() -> None:
    rows = [
        ("10:00", "pat", "orders api throwing 500s"),
        ("10:20", "pat", "status: maybe the cache, probably not the deploy\n- still looking"),
    ]
    assert report(rows).root_cause is None


def test_a_symptom_line_of_a_report_names_the_cause_with_the_change_it_came_with() -> None:
    rows = [
        ("21:00", "monitor", "[FIRING] PodCrashLooping scorer"),
        (
            "21:40",
            "mia",
            "where we are (21:40):\n- scorer crashing since 20:51 on empty payloads new in "
            "app 4.2.0\n- no scores for anyone since 20:51\n- fix in progress",
        ),
    ]
    assert "new in app 4.2.0" in cause(rows)


def test_a_check_of_the_fix_is_no_cause_whatever_fault_words_it_repeats() -> None:
    text = cause(
        [
            ("09:02", "ops", "signups failing with 413 for some users"),
            ("09:20", "nia", "since the ingress upgrade 3m forms exceed the proxy body limit"),
            ("09:24", "nia", "raised the proxy body limit to 8m"),
            ("09:27", "dev", "413s gone. big forms go through, proxy shows last block at 09:25"),
            ("09:33", "nia", "applied the same proxy setting on staging"),
        ]
    )
    assert "ingress upgrade" in text and "last block" not in text


def test_a_report_line_about_what_let_it_go_unnoticed_is_not_the_cause() -> None:
    rows = [
        ("13:20", "eli", "carousel add-to-cart down 18% since this morning"),
        (
            "14:55",
            "cam",
            "Point à 14h55 (FR puis EN)\n- nobody got alerted, eli saw it on a dashboard\n"
            "- serving reads stale values without errors, so nothing alerted\n"
            "- features not written since 23:00, the new job was created paused by the "
            "scheduler migration\n- job unpaused 14:41, backfill running",
        ),
    ]
    assert "created paused" in cause(rows)


# A "root cause:" line introduced by a line of its own: the introduction is no part of the cause.
_LABEL_INTRO = [
    ("10:02", "ana", "orders api returns 500 on every write"),
    ("10:05", "ben", "disk on db-1 is at 100%"),
    ("10:20", "ben", "resized the volume, writes are back"),
    (
        "10:31",
        "ana",
        "writing this down so nobody has to dig it out again:\n"
        "Root cause: the audit table kept every row since March because the retention job was "
        "never scheduled after the move. The table grew until the data volume filled and the "
        "database stopped accepting writes.",
    ),
]


def test_a_labelled_cause_line_does_not_take_the_line_that_introduces_it() -> None:
    text = cause(_LABEL_INTRO)
    assert text.startswith("Root cause: the audit table")
    assert "writing this down" not in text
    assert "stopped accepting writes" in text  # the label's next sentence goes on explaining


def test_an_unlabelled_cause_still_takes_the_sentence_that_sets_it_up() -> None:
    rows = [
        ("10:02", "ana", "orders api returns 500 on every write"),
        (
            "10:20",
            "ben",
            "the ingress was upgraded to 1.9 and defaults the body size to 1m. "
            "turns out our annotation uses the old key, so large bodies are rejected",
        ),
        ("10:25", "ana", "fixed the annotation, writes are back"),
    ]
    text = cause(rows)
    assert "ingress was upgraded" in text and "old key" in text


# "that's why ..." at the end of an explanation its own message gave: the chain's first links.
_CHAIN = [
    ("14:00", "ops", "payments timeouts at 4% of calls"),
    ("14:10", "lee", "my theory: the new connection pool is too small"),
    (
        "15:02",
        "lee",
        "correction to my 14:10 take, I was wrong: pool size was never the problem.\n"
        "What actually happens:\n"
        "1. the sidecar injector skips pods on the new node group because its label selector "
        "names the old group\n2. without the sidecar the pods send traffic through the shared "
        "egress gateway\n3. the gateway caps connections per source and drops the overflow\n"
        "that's why raising the client timeout only halved the errors",
    ),
    ("15:10", "max", "patching the injector selector"),
    ("15:20", "max", "timeouts back to zero"),
]


def test_that_s_why_after_its_own_explanation_quotes_where_the_chain_begins() -> None:
    text = cause(_CHAIN)
    assert "sidecar injector skips pods" in text
    assert "connection pool" not in text  # the theory taken back opens the message, not the chain


def test_that_s_why_opening_its_message_still_points_at_the_message_before() -> None:
    rows = [
        ("14:00", "ops", "payments timeouts at 4% of calls"),
        ("14:30", "lee", "the egress gateway caps connections per source and drops the overflow"),
        ("14:31", "max", "that's why raising the client timeout only halved the errors"),
        ("14:40", "max", "raised the gateway cap, timeouts back to zero"),
    ]
    assert "egress gateway caps connections" in cause(rows)


def test_a_report_line_telling_where_the_response_stands_is_not_the_cause() -> None:
    rows = [
        ("09:00", "ops", "logins fail for a third of mobile users"),
        ("09:20", "ana", "the token issuer clock runs 40s ahead because its ntp relay is dead"),
        ("09:25", "ben", "drained the issuer nodes"),
        (
            "09:33",
            "lead",
            "status for now: web ok after draining 2 nodes, mobile still failing on first "
            "login, fix waits on the acl change and the bff PR",
        ),
    ]
    text = cause(rows)
    assert "ntp relay is dead" in text and "still failing" not in text


def test_a_structured_log_line_is_evidence_not_a_statement() -> None:
    assert is_pasted('level=warn msg="jwt rejected" err="token used before issued"')
    assert is_pasted("2025-03-11T09:12:01Z ERROR pool exhausted after 30s")
    assert not is_pasted("level is fine now, the error rate dropped")
    assert not is_pasted("2025-03-11 was the day the cert expired")


def test_a_deleted_message_notice_never_carries_a_confirmed_cause() -> None:
    rows = [
        ("20:00", "ops", "declines for returning customers jumped at 18:30"),
        ("20:04", "javi", "This message was deleted"),
        (
            "20:06",
            "javi",
            "ok got it. log of feature-api:\nthe online median is 1000x smaller than in "
            "training. feature-api computes the gap with total_seconds(), seconds not "
            "milliseconds, while the spark pipeline multiplies by 1000",
        ),
        ("20:07", "dani", "ahí está. the model sees 86 seconds instead of a day"),
        ("20:10", "marta", "rolling back to v7.2"),
    ]
    text = cause(rows)
    assert "deleted" not in text.lower()
    assert "milliseconds" in text and "log of feature-api" not in text
