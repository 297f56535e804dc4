"""A citation that points at the wrong message: failed only when the claim's own facts pin the
message that does say it; a plain-language line of a few everyday words is asked about (or ships
unconfirmed), naming the message found. And a clock template ("at HH:MM") is an unfilled slot."""

from __future__ import annotations

from tests.claim_checks import chat, check

CHAT = chat(
    ("09:10", "Ana", "payments started succeeding again after the flag flip"),
    ("09:12", "Ben", "Brightline confirmed their calls are succeeding again"),
    ("09:30", "Ana", "error rate on checkout back to 0.1%, closing the bridge soon"),
    ("09:41", "Ben", "closing the incident"),
)


def test_a_few_everyday_words_citing_elsewhere_are_asked_about_not_failed() -> None:
    verdict = check("Payments started succeeding again. [m3]", CHAT)
    assert verdict.status == "unconfirmed", verdict.reason
    assert "m1 does" in verdict.reason
    assert 1 in verdict.evidence


def test_a_claim_whose_name_pins_another_message_is_unsupported() -> None:
    verdict = check("Calls were succeeding again, Brightline confirmed. [m4]", CHAT)
    assert verdict.status == "unsupported", verdict.reason
    assert "m2 does" in verdict.reason


def test_a_clock_template_is_an_unfilled_slot() -> None:
    verdict = check('The status page was updated to "investigating" at HH:MM. [m1]', CHAT)
    assert verdict.status == "unsupported", verdict.reason
    assert "placeholder" in verdict.reason
