"""Message boundaries: multi-line bodies, code fences, preambles, UI chrome, line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ingest import parse_transcript

INGEST = Path(__file__).parent / "data" / "ingest"


def test_code_block_with_a_header_like_line_stays_in_its_message() -> None:
    transcript = parse_transcript(
        (INGEST / "bracket_header_codeblock.txt").read_text(encoding="utf-8")
    )
    assert [m.author for m in transcript.messages] == ["Wen", "Sam", "Wen"]
    first = transcript.messages[0]
    assert first.text.splitlines() == [
        "Worker crash loop again, here's the trace:",
        "```",
        "Traceback (most recent call last):",
        '  File "/srv/worker/run.py", line 88, in consume',
        "    msg = queue.get(timeout=5)",
        "[02:09] worker-7",
        "queue.Empty",
        "```",
        "",
        "Looks like the same poison message as Tuesday.",
    ]
    assert (first.line_start, first.line_end) == (1, 11)
    assert "worker-7" not in transcript.participants


def test_code_block_opened_on_an_inline_header_line() -> None:
    text = (
        "[14:03] Jonas: gateway log: ```\n"
        "[14:02] tls: handshake timeout\n"
        "[14:02] tls: handshake timeout\n"
        "```\n"
        "[14:05] Maya: rolling back\n"
    )
    transcript = parse_transcript(text)
    assert [(m.author, m.line_start, m.line_end) for m in transcript.messages] == [
        ("Jonas", 1, 4),
        ("Maya", 5, 5),
    ]


def test_an_unclosed_fence_does_not_swallow_the_rest_of_the_chat() -> None:
    text = "[09:14] Priya: here ``` oops\n[09:15] Ravi: ok\n[09:16] Alex: done\n"
    assert len(parse_transcript(text).messages) == 3


def test_unattributed_preamble_is_kept_with_a_warning() -> None:
    text = (
        "#inc-4471 checkout outage — exported by Sara\n"
        "(times are CEST)\n"
        "\n"
        "[09:14] Priya\n"
        "PagerDuty fired for checkout-service\n"
        "[09:15] Ravi\n"
        "looking\n"
    )
    transcript = parse_transcript(text)
    preamble = transcript.messages[0]
    assert (preamble.id, preamble.author, preamble.time) == (1, None, None)
    assert preamble.text == "#inc-4471 checkout outage — exported by Sara\n(times are CEST)"
    assert (preamble.line_start, preamble.line_end) == (1, 2)
    assert [m.id for m in transcript.messages] == [1, 2, 3]
    assert transcript.messages[1].author == "Priya"
    assert transcript.warnings == [
        "Lines 1-2 come before the first message header and could not be attributed; "
        "kept as message 1 with no author or time."
    ]


def test_odd_lines_mid_transcript_continue_the_previous_message() -> None:
    text = (
        "09:14 Priya: rollback?\n"
        "-- forwarded from #deploys --\n"
        "v2.3.1 deployed by alex\n"
        "09:15 Ravi: yes, go\n"
    )
    messages = parse_transcript(text).messages
    assert messages[0].text == "rollback?\n-- forwarded from #deploys --\nv2.3.1 deployed by alex"
    assert (messages[0].line_start, messages[0].line_end) == (1, 3)


def test_blank_lines_inside_kept_trailing_trimmed_indentation_kept() -> None:
    text = (
        "[09:24] Sara\nAction items:\n\n  1. env var validation\n  2. runbook\n\n\n"
        "[09:25] Alex\nmine\n"
    )
    first = parse_transcript(text).messages[0]
    assert first.text == "Action items:\n\n  1. env var validation\n  2. runbook"
    assert (first.line_start, first.line_end) == (1, 5)


def test_slack_copy_ui_chrome_is_removed() -> None:
    messages = parse_transcript(
        (INGEST / "slack_copy_payments.txt").read_text(encoding="utf-8")
    ).messages
    assert messages[0].author == "PagerDuty"  # the "APP" badge is not part of the name
    assert messages[2].text.endswith("is NULL for new rows")  # "(edited)" dropped
    assert messages[3].text == "rolling back migration 0042 now"


def test_quoted_slack_copy_keeps_blank_quote_lines_inside_a_message() -> None:
    messages = parse_transcript(
        (INGEST / "slack_copy_quoted.txt").read_text(encoding="utf-8")
    ).messages
    assert messages[1].author == "Ben Adeyemi"
    assert messages[1].text == (
        "The readiness probe hits /healthz on the old port 8080\n\nthe new image listens on 9090"
    )
    assert (messages[1].line_start, messages[1].line_end) == (3, 6)


def test_windows_line_endings_and_bom() -> None:
    text = "\ufeff[09:14] Priya: alert\r\n[09:15] Ravi: ack\r\nsecond line\r\n"
    messages = parse_transcript(text).messages
    assert [(m.author, m.text) for m in messages] == [
        ("Priya", "alert"),
        ("Ravi", "ack\nsecond line"),
    ]


@pytest.mark.parametrize(
    ("template", "name"),
    [
        (
            "[{h:02d}:{m:02d}] User{u}\ndeploy step {i} done at 09:10, error rate 3%\n",
            "bracket-header",
        ),
        ("User {u}  {h12}:{m:02d} PM\nstep {i}: rollback verified\n", "slack-copy"),
        ("[{h:02d}:{m:02d}] <user{u}> step {i}\n", "irc"),
    ],
)
def test_five_thousand_messages_parse_into_five_thousand_messages(template: str, name: str) -> None:
    """Long channels keep every message apart; their speed and linear growth are measured in
    `bench/bench_ingest.py` (growth exponents), not timed here."""

    def chat(count: int) -> str:
        return "\n".join(
            template.format(h=(i // 60) % 24, h12=(i // 60) % 12 + 1, m=i % 60, u=i % 7, i=i)
            for i in range(count)
        )

    transcript = parse_transcript(chat(5000))
    assert transcript.format == name
    assert len(transcript.messages) == 5000
    assert transcript.messages[-1].id == 5000
    assert transcript.messages[-1].text.startswith("step 4999") or "4999" in (
        transcript.messages[-1].text
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Ravi  10:04 AM\nwhen did the deploy go out?\nPriya  10:05 AM\n9:58\n",
            [("Ravi", "10:04", "when did the deploy go out?"), ("Priya", "10:05", "9:58")],
            id="reply-that-is-a-time-at-the-end",
        ),
        pytest.param(
            "Priya  10:05 AM\nfirst alert was at\n9:58\nper PagerDuty\n",
            [("Priya", "10:05", "first alert was at\n9:58\nper PagerDuty")],
            id="earlier-time-inside-a-message",
        ),
        pytest.param(
            "Priya  11:59 PM\nstill failing\n12:01\nnow green\n",
            [("Priya", "23:59", "still failing"), ("Priya", "00:01", "now green")],
            id="follow-up-across-midnight",
        ),
    ],
)
def test_time_only_lines_start_follow_ups_only_when_plausible(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    messages = parse_transcript(text, format="slack-copy").messages
    assert [(m.author, m.time, m.text) for m in messages] == expected
