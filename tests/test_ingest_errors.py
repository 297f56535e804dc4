"""Bad input fails with the right domain error and a message that says how to fix it."""

from __future__ import annotations

import pytest

from app.errors import InvalidRequestError, TranscriptFormatError
from app.ingest import SUPPORTED_FORMATS, parse_transcript

PROSE = (
    "Yesterday the checkout service had an outage. Around 9:10 AM a deploy changed the\n"
    "payment gateway URL and errors rose to 45%. Ravi rolled it back and by 09:22 things\n"
    "were normal again. We should add config validation to CI.\n"
)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(PROSE, id="prose-mentioning-times"),
        pytest.param("", id="empty"),
        pytest.param("  \n\t\n", id="whitespace"),
        pytest.param("Note: checkout is down\nImpact: 40% errors\n", id="labels-without-times"),
    ],
)
def test_text_without_chat_structure_is_a_format_error(text: str) -> None:
    with pytest.raises(TranscriptFormatError) as caught:
        parse_transcript(text)
    error = caught.value
    assert error.status == 422
    for name in SUPPORTED_FORMATS:
        assert f"- {name}: " in error.detail
    assert "[09:14] Priya" in error.detail
    assert "To fix:" in error.detail
    assert error.hint is not None and "`format`" in error.hint
    assert error.extra["supported_formats"] == list(SUPPORTED_FORMATS)


def test_empty_text_says_it_is_empty() -> None:
    with pytest.raises(TranscriptFormatError, match="The transcript is empty"):
        parse_transcript("\n\n")


def test_a_named_format_that_does_not_fit_suggests_the_right_one(seed_chat_text: str) -> None:
    with pytest.raises(TranscriptFormatError) as caught:
        parse_transcript(seed_chat_text, format="irc")
    assert "No line matches the 'irc' format" in caught.value.detail
    assert "It looks like 'bracket-header'" in caught.value.detail


def test_named_slack_export_on_plain_text_reports_the_json_error() -> None:
    with pytest.raises(TranscriptFormatError, match="not valid JSON: line 1, column 3"):
        parse_transcript("[09:14] Priya: hi\n", format="slack-export")


def test_broken_json_is_detected_as_json_and_located() -> None:
    text = '{\n  "messages": [\n    {"ts": "1716220930.0002", "text": "hi"\n  ]\n}\n'
    with pytest.raises(TranscriptFormatError) as caught:
        parse_transcript(text)
    assert "line 4, column 3" in caught.value.detail
    assert caught.value.extra["format"] == "slack-export"


def test_unknown_format_name_lists_the_valid_ones() -> None:
    with pytest.raises(InvalidRequestError) as caught:
        parse_transcript("[09:14] Priya: hi", format="telegram")
    error = caught.value
    assert "'telegram'" in error.detail
    for name in SUPPORTED_FORMATS:
        assert name in error.detail
    assert error.extra["field"] == "format"


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "CEST", "../etc/passwd", ""])
def test_unknown_time_zone_names_the_timezone_field(zone: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        parse_transcript("[09:14] Priya: hi", timezone=zone)
    assert "`timezone`" in caught.value.detail
    assert "Europe/Berlin" in caught.value.detail
    assert caught.value.extra["field"] == "timezone"


def test_request_fields_are_checked_before_the_text() -> None:
    with pytest.raises(InvalidRequestError):
        parse_transcript("", timezone="Nowhere/Special")
