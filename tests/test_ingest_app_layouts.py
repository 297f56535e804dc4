"""The layouts the chat apps' desktop copies and exports really write (see app/ingest/stacked.py
and normalise.py): Slack's status and 'APP' time lines and its thread chrome, Teams' preview
lines and quoted replies, Google Chat's and Mattermost's badge lines, WhatsApp senders without a
contact, and the decoration each app adds around the words people wrote."""

from __future__ import annotations

from pathlib import Path

from app.ingest import parse_transcript

FORMATS = Path(__file__).parent / "data" / "formats"


def _read(name: str) -> str:
    return (FORMATS / name).read_text(encoding="utf-8")


def _who(text: str, **options: str) -> list[tuple[str | None, str | None]]:
    return [(m.author, m.time) for m in parse_transcript(text, **options).messages]  # type: ignore[arg-type]


# --- Slack desktop copy -----------------------------------------------------------------------


def test_slack_desktop_copy_reads_status_app_and_indented_time_lines() -> None:
    transcript = parse_transcript(_read("slack-copy-desktop.txt"))
    assert transcript.format == "slack-copy"
    texts = [m.text for m in transcript.messages]
    assert texts[3].startswith(":red_circle: Triggered #48812")  # 'PagerDuty' / 'APP  9:16 AM'
    assert texts[4] == "@Dmitri Volkov want me to page the identity team?"  # mention rejoined
    assert not any(t.endswith(("\n3", "\n5", ":eyes:", ":tada:")) for t in texts)  # reactions
    assert not any("View thread" in t or "replies" in t or "1 reply" in t for t in texts)
    assert texts[5].endswith("bounced to login")  # '(edited)' dropped
    # the bare '12:02' under '11:58 AM' is a follow-up after noon
    assert [(m.author, m.time) for m in transcript.messages][-2] == ("Sofia Lindqvist", "12:02")


def test_a_thread_broadcast_quotes_its_parent_and_is_no_header() -> None:
    transcript = parse_transcript(_read("slack-copy-desktop.txt"))
    broadcast = next(m for m in transcript.messages if m.time == "09:40")
    assert broadcast.author == "Ines Carvalho"
    assert broadcast.text.startswith("> can we just point the gateway")
    assert "replied to a thread" not in broadcast.text


def test_slack_names_with_a_status_emoji_or_written_twice() -> None:
    inline = "Justin Andrade:coffee:  3:13 PM\nrolling back\nAmy Li  3:14 PM\nthanks\n"
    assert _who(inline) == [("Justin Andrade", "15:13"), ("Amy Li", "15:14")]
    doubled = "Amy Li\nAmy Li\n3:13 PM\nrolling back\nBo Chen\nBo Chen\n3:15 PM\nthanks\n"
    assert _who(doubled, format="slack-copy") == [("Amy Li", "15:13"), ("Bo Chen", "15:15")]


def test_an_emoji_line_without_a_count_is_a_message_not_a_reaction() -> None:
    text = "Amy Li\n  3:13 PM\nship it?\nBo Chen\n  3:14 PM\n:shipit:\n:shipit:\n2\n"
    messages = parse_transcript(text).messages
    assert messages[1].text == ":shipit:"  # the second ':shipit:' and '2' are its reaction


def test_a_thread_pane_and_a_channel_copy_with_thread_links_are_told_apart() -> None:
    pane = parse_transcript(_read("slack-thread-desktop.txt"))
    assert pane.format == "slack-thread"
    assert pane.messages[0].text.startswith("search-api p99")
    assert not any("Also sent" in m.text or "replies" in m.text for m in pane.messages)
    channel = parse_transcript(_read("slack-copy-desktop.txt"))
    assert channel.format == "slack-copy"  # '3 replies' + 'Last reply ... View thread'


def test_an_old_thread_pane_with_relative_times_keeps_every_author() -> None:
    text = (
        "Kofi Mensah  Dec 4th at 15:06\nis the fix in?\n12 replies\n\n"
        "Ana Ruiz  4 days ago\nyes, deployed\n\nKofi Mensah  4 days ago\nthanks\n"
    )
    transcript = parse_transcript(text)
    assert [(m.author, m.time) for m in transcript.messages] == [
        ("Kofi Mensah", "15:06"),
        ("Ana Ruiz", None),
        ("Kofi Mensah", None),
    ]


# --- Teams ------------------------------------------------------------------------------------


def test_teams_preview_lines_reactions_and_quoted_replies() -> None:
    transcript = parse_transcript(_read("teams-copy-previews.txt"))
    assert transcript.format == "teams-copy"
    texts = [m.text for m in transcript.messages]
    assert texts[0].startswith("the nightly payroll export failed again")
    assert not any(" by Okafor, Nadia" in t or "reactions" in t or "Last read" in t for t in texts)
    reply = transcript.messages[3]
    assert (reply.author, reply.time) == ("Okafor, Nadia", "07:52")  # not Daniel at 07:49
    assert reply.text.startswith("> Daniel Brooks: the query timed out")
    assert reply.text.endswith("Can we rerun it with the old view?")


def test_a_message_ending_in_by_name_keeps_its_last_line() -> None:
    text = (
        "Kim, Ana\n3/17/2025 6:07 AM\n\nthe change was approved by Lee, Bo\n"
        "Lee, Bo\n3/17/2025 6:09 AM\n\nyes, rolling back now\n"
    )
    transcript = parse_transcript(text)
    assert transcript.messages[0].text == "the change was approved by Lee, Bo"
    assert [(m.author, m.time) for m in transcript.messages][1] == ("Lee, Bo", "06:09")


def test_teams_wins_over_a_timeline_when_dated_time_lines_sit_under_names() -> None:
    text = "".join(
        f"short note {i} by {name}\n{name}\n3/17/2025 6:{10 + i} AM\n\nshort note {i}\n\n"
        for i, name in enumerate(["Kim, Ana", "Lee, Bo", "Kim, Ana", "Lee, Bo"])
    )
    transcript = parse_transcript(text)
    assert transcript.format == "teams-copy"
    assert [m.author for m in transcript.messages] == ["Kim, Ana", "Lee, Bo"] * 2


def test_older_teams_web_copy_with_the_name_run_into_the_date() -> None:
    text = (
        "Profile picture of White, Chris.the numbers are in the sheet by White, Chris\n"
        "White, Chris8/31 10:28 AM\nthe numbers are in the sheet\n\n"
        "Profile picture of Czar, Kim.Begin Reference, the numbers are in the... by Czar, Kim\n"
        "Czar, Kim8/31 10:39 AM\nWhite, Chris\n8/31/22 10:28 AM\nthe numbers are in the sheet\n"
        "great, thanks\n"
    )
    transcript = parse_transcript(text, format="teams-copy")
    assert [(m.author, m.time) for m in transcript.messages] == [
        ("White, Chris", "10:28"),
        ("Czar, Kim", "10:39"),  # the quoted 'White, Chris' lines are part of the reply
    ]
    assert transcript.messages[1].text.startswith("> White, Chris:")


# --- Google Chat and Mattermost ---------------------------------------------------------------


def test_an_app_line_between_name_and_time_is_a_badge_not_an_author() -> None:
    transcript = parse_transcript(_read("google-chat-copy-apps.txt"))
    assert transcript.format == "google-chat-copy"  # 'App' is what Google Chat writes
    assert transcript.messages[0].author == "Grafana"
    mattermost = "alertbot\nBOT\n10:06 AM\n[FIRING] checkout 5xx\npriya.sharma\n10:07 AM\nack\n"
    read = parse_transcript(mattermost)
    assert read.format == "mattermost-copy"
    assert [(m.author, m.time) for m in read.messages] == [
        ("alertbot", "10:06"),
        ("priya.sharma", "10:07"),
    ]


def test_a_stacked_paste_without_app_evidence_reads_alike_in_both_formats() -> None:
    text = "Priya Sharma\n10:02 AM\ncheckout is down\nRavi Kumar\n10:04 AM\nlooking\n"
    detected = _who(text)
    assert detected == _who(text, format="google-chat-copy") == _who(text, format="mattermost-copy")
    assert detected == [("Priya Sharma", "10:02"), ("Ravi Kumar", "10:04")]


# --- WhatsApp ---------------------------------------------------------------------------------


def test_whatsapp_senders_without_a_contact_and_locale_words() -> None:
    transcript = parse_transcript(_read("whatsapp-android-eu-contacts.txt"))
    assert "+49 160 5550123" in transcript.participants
    assert "Lena Vogt" in transcript.participants  # '~ Lena Vogt': '~' is WhatsApp's mark
    assert not any(p.startswith("~") for p in transcript.participants)
    french = "02/01/2025 à 22:41 - Anna: la caisse est en panne\n02/01/2025 à 22:43 - Luc: ok\n"
    assert _who(french) == [("Anna", "22:41"), ("Luc", "22:43")]


def test_a_name_line_inside_a_whatsapp_message_stays_in_it() -> None:
    text = (
        "02/01/2025, 22:41 - Anna Schmidt: who takes what?\n"
        "02/01/2025, 22:43 - Piotr: I'll summarise:\nrollback done\n"
        "Anna Schmidt: comms to the stores\n"
        "02/01/2025, 22:45 - Anna Schmidt: ok\n"
    )
    transcript = parse_transcript(text)
    assert [(m.author, m.time) for m in transcript.messages] == [
        ("Anna Schmidt", "22:41"),
        ("Piotr", "22:43"),
        ("Anna Schmidt", "22:45"),
    ]
    assert transcript.messages[1].text.endswith("Anna Schmidt: comms to the stores")


def test_a_rule_inside_a_message_is_text_and_one_around_the_chat_is_not() -> None:
    text = "---\nAmy Li  10:02 AM\nselect count(*) from jobs;\n count\n-------\n     0\n---\n"
    text += "Bo Chen  10:03 AM\nok\n"
    transcript = parse_transcript(text)
    assert transcript.messages[0].text == "select count(*) from jobs;\n count\n-------\n     0"
    assert transcript.messages[1].text == "ok"
