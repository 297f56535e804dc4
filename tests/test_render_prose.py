"""Prose rules of both drafts: chat debris removed, the chat's voice recognised, Markdown made
safe, and every pattern linear on hostile input. Sentences written for these tests."""

from __future__ import annotations

import pytest

from app.render.prose import (
    clean_text,
    first_person,
    first_person_singular,
    inline_markdown,
    quoted_from,
    speaks_as_chat,
    third_person,
)
from app.render.scrub import scrub_for_stakeholders
from tests.regex_linearity import text_growth
from tests.report_builders import CHAT, transcript_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cache flushed (edited)", "Cache flushed"),
        ("Cache flushed :white_check_mark: 4 :eyes: 2", "Cache flushed"),
        ("Cache flushed 🎉 3 👍 1", "Cache flushed"),
        ("Cache flushed :tada:", "Cache flushed"),
        ("Cache flushed 12 replies View thread", "Cache flushed"),
        ("Cache flushed 1 reply Last reply 5 minutes ago", "Cache flushed"),
        ("⚠️ 3 regions degraded", "3 regions degraded"),  # a figure, not a reaction count
        ("went 2 replicas down at 12:30:45", "went 2 replicas down at 12:30:45"),
        ("key:value: pairs stay", "key:value: pairs stay"),
        ("spaces   and\nnewlines , collapse", "spaces and newlines, collapse"),
    ],
)
def test_clean_text_removes_chat_debris(text: str, expected: str) -> None:
    assert clean_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I restarted the pods", True),
        ("I'm on it", True),
        ("We rolled back", True),
        ("our config was stale", True),
        ("The team rolled back", False),
        ("Traffic from the US region dropped", False),
        ("Item I of the plan", True),  # a bare capital I reads as the pronoun: quote it
        ("Usage went up", False),
        ("EBS I/O credits ran out", False),  # "I/O" is no pronoun: never restated or quoted
    ],
)
def test_first_person(text: str, expected: bool) -> None:
    assert first_person(text) is expected


def test_first_person_singular_allows_the_company_we() -> None:
    assert first_person_singular("I will fix it")
    assert not first_person_singular("We will publish a full review")


def test_chat_voice_is_copied_text_or_first_person() -> None:
    # CHAT m5: "Rollback complete, errors dropping." m3 is Alex's first-person message.
    assert quoted_from("rollback complete", [5], CHAT) == 5
    assert quoted_from("Rollback complete — errors dropping", [4, 5], CHAT) == 5
    assert quoted_from("Rollback finished", [5], CHAT) is None
    assert quoted_from("complete", [5], CHAT) is None  # one word is not a quote
    assert speaks_as_chat("I merged the env var change", [3], CHAT) == 3
    assert speaks_as_chat("The env var change reached prod unvalidated.", [3], CHAT) is None
    # first person that no cited message says is no quote: it would put words in the chat's mouth
    assert speaks_as_chat("I merged it", [3], CHAT) is None
    # an extract taken sentence by sentence is still the message's words
    said = transcript_of([("09:17", "Alex", "We moved it last week. So the service broke.")])
    assert quoted_from("We moved it last week. The service broke.", [1], said) == 1
    assert quoted_from("We moved it last week. The database broke.", [1], said) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "We rolled back after our change broke it.",
            "The team rolled back after the team's change broke it.",
        ),
        ("I merged it; we're done.", "The responder merged it; the team is done."),
        ("We were paged. I'll own the fix.", "The team was paged. The responder will own the fix."),
        ("Did we alert customers?", "Did the team alert customers?"),
        ("The US region told us.", "The US region told the team."),  # "US" is no pronoun
        ("Iris and Mike reviewed it.", "Iris and Mike reviewed it."),  # names, not pronouns
    ],
)
def test_first_person_is_restated_in_the_third_person(text: str, expected: str) -> None:
    assert third_person(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a question puts the verb first; it agrees with its new subject
        ("Are we sure the fix holds?", "Is the team sure the fix holds?"),
        (
            "Then: were we paged? Do I own it?",
            "Then: was the team paged? Does the responder own it?",
        ),
        ("aren't we done yet", "Isn't the team done yet"),
        # a present-tense verb after "we"/"I" takes its -s, an adverb between or not
        ("so we need a rollback", "so the team needs a rollback"),
        ("and we still try to page", "and the team still tries to page"),
        ("but I think we go live", "but the responder thinks the team goes live"),
        ("if I miss it", "if the responder misses it"),
        # a past tense or a longer word is not the listed verb
        ("and we needed a rollback", "and the team needed a rollback"),
        ("and we used the runbook", "and the team used the runbook"),
    ],
)
def test_third_person_agrees_with_the_team(text: str, expected: str) -> None:
    assert third_person(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Phase I of the migration finished",
        "the Phase I rollout",
        "it predates World War I.",
        "a Type I error in the report",
        "the Henry I statue",
        "I/O wait rose",
    ],
)
def test_a_roman_numeral_i_is_no_pronoun(text: str) -> None:
    assert third_person(text) == text
    assert not first_person(text)
    assert not first_person_singular(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Then I restarted it", "Then the responder restarted it"),
        ("ping Ravi I restarted it", "ping Ravi the responder restarted it"),
        ("Phase I is done and I merged it", "Phase I is done and the responder merged it"),
    ],
)
def test_a_pronoun_after_a_capitalised_word_stays_a_pronoun(text: str, expected: str) -> None:
    assert first_person(text)
    assert third_person(text) == expected


@pytest.mark.parametrize(
    "text",
    ["# heading", "> quote", "- item", "+ item", "* item", "1. item", "2) item", "| a | b |"],
)
def test_inline_markdown_cannot_start_a_block(text: str) -> None:
    assert inline_markdown(text).startswith("\\")


@pytest.mark.parametrize(
    "unit",
    [":", "a.", "a-", "a_", "[REDACTED:", "[m1, ", "👍 ", "-", "E", " ", "“ ", "1,", "\t"],
)
def test_every_prose_and_scrub_function_is_linear(unit: str) -> None:
    """8x longer hostile text takes at most ~3x the linear time (a ratio, not an absolute
    time): a super-linear pattern anywhere in the prose path shows as a 50x or worse ratio."""

    def step(text: str) -> None:
        clean_text(text)
        inline_markdown(text)
        first_person(text)
        scrub_for_stakeholders(text, ["Priya", "kofi"], ["alertbot"])

    ratio = text_growth(step, unit)
    assert ratio < 24, f"{unit!r}: 8x the input took {ratio:.0f}x the time"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # hostnames and files hold no pronoun
        (
            "Pulled it from us.gcr.io and restored my.cnf",
            "Pulled it from us.gcr.io and restored my.cnf",
        ),
        ("we'm here", "we'm here"),  # a typo is left alone, never an error
        # someone else's quoted words and code spans are kept as written
        (
            "The customer wrote “our orders fail” at 09:10",
            "The customer wrote “our orders fail” at 09:10",
        ),
        ("ran `my-fix.sh`; we restarted", "ran `my-fix.sh`; the team restarted"),
        ("We don't know why; we weren't paged", "The team doesn't know why; the team wasn't paged"),
    ],
)
def test_third_person_leaves_names_quotes_and_code_alone(text: str, expected: str) -> None:
    assert third_person(text) == expected


def test_a_sentence_by_sentence_quote_keeps_the_messages_sentences_and_order() -> None:
    said = transcript_of(
        [
            ("09:32", "Ravi", "rolled back, took 5 min"),
            ("09:40", "Ana", "I am not sure the rollback fixed it, the cache flush fixed it."),
            ("09:45", "Ana", "the cert expired at 09:00 so every handshake failed."),
        ]
    )
    assert quoted_from("Rolled back. Ok.", [1], said) is None  # "ok" is inside "took"
    assert quoted_from("I am not sure. The rollback fixed it.", [2], said) is None
    assert quoted_from("Every handshake failed. The cert expired.", [3], said) is None
