"""No input makes ingest fail with anything but a domain error (a 4xx problem in the API):
property tests on the text parsers, the Slack export reader and the date and time handling, and
the exact inputs that used to end in a 500."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.config import Settings
from app.errors import PostmortemError
from app.ingest import parse_export, parse_transcript
from app.main import create_app

FAST = settings(
    max_examples=int(__import__("os").environ.get("PM_HYPOTHESIS_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

_PIECES = [
    "[09:14] ", "09:14 ", "10:02 AM", "12:03 AM", "Priya", "Brown, Marcus", ": ", " - ", "\n",
    "> ", ">", "```", "From Bob to Everyone:", "[1/2/25, 10:02:33] ", "02/01/2025, 22:41 - ",
    "kofi — Today at 9:12 AM", "2025-05-20T16:02:10+24:00 ", "<kofi> ", "* ", "👍 2", "3 replies",
    "Yesterday", "Monday, January 15th", "1/15/2025 10:02 AM", "\t", "\u200b", "\u00a0", "x",
    "Jan 15, 2025 10:02 AM  Acknowledged by Priya.", "99:99", "13/13/2025, 25:61 - a: b",
]  # fmt: skip


def _ends_cleanly(call: Any) -> bool:
    """True when the call parses into messages numbered 1.. with an ingest report, or refuses
    with a client error that says what was wrong; any other exception propagates (the 500s
    these tests exist to catch)."""
    try:
        transcript = call()
    except PostmortemError as error:
        return 400 <= error.status < 500 and bool(error.detail)
    ids = [m.id for m in transcript.messages]
    return bool(ids) and ids == list(range(1, len(ids) + 1)) and transcript.ingest is not None


@FAST
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.sampled_from([None, "Europe/Berlin"]))
def test_any_chat_like_text_parses_or_fails_cleanly(pieces: list[str], zone: str | None) -> None:
    assert _ends_cleanly(lambda: parse_transcript("".join(pieces), timezone=zone))


@FAST
@given(st.text(max_size=300))
def test_any_text_at_all_parses_or_fails_cleanly(text: str) -> None:
    assert _ends_cleanly(lambda: parse_transcript(text))


_ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
_SLACK_KEYS = ["text", "user", "subtype", "username", "bot_id", "thread_ts", "files",
               "attachments", "user_profile", "bot_profile", "edited", "message"]  # fmt: skip


@FAST
@given(
    st.lists(
        st.fixed_dictionaries(
            {"ts": st.just("1716220930.000200")},
            optional={key: _ANY_JSON for key in _SLACK_KEYS},
        ),
        min_size=1,
        max_size=5,
    ),
    st.lists(_ANY_JSON, max_size=3),
)
def test_slack_exports_with_fields_of_random_types(messages: list[dict], users: list) -> None:
    text = json.dumps({"messages": messages, "users": users})
    assert _ends_cleanly(lambda: parse_transcript(text))


@FAST
@given(_ANY_JSON)
def test_any_json_parses_or_fails_cleanly(data: Any) -> None:
    assert _ends_cleanly(lambda: parse_export(json.dumps(data).encode(), filename="x.json"))


@FAST
@given(
    st.dates(),
    st.lists(st.times(), min_size=1, max_size=6),
    st.sampled_from([None, "UTC", "Pacific/Kiritimati", "America/Adak"]),
    st.booleans(),
)
def test_dates_and_clocks_anywhere_in_the_calendar(
    date: dt.date, clocks: list[dt.time], zone: str | None, twelve_hour: bool
) -> None:
    shape = "%I:%M %p" if twelve_hour else "%H:%M"
    text = "\n".join(f"[{c.strftime(shape)}] p{i % 3}: step {i}" for i, c in enumerate(clocks))
    assert _ends_cleanly(lambda: parse_transcript(text, date=date, timezone=zone))


@FAST
@given(st.datetimes(timezones=st.timezones()), st.integers(-30, 30))
def test_stamped_lines_with_any_offset(moment: dt.datetime, hours: int) -> None:
    sign = "-" if hours < 0 else "+"
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%S") + f"{sign}{abs(hours):02d}:00"
    assert _ends_cleanly(
        lambda: parse_transcript(f"{stamp} dana: a\n{stamp} eli: b", timezone="UTC")
    )


# --- the inputs that used to end in a 500 --------------------------------------------------------


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings()), raise_server_exceptions=False) as test_client:
        yield test_client


REGRESSIONS = [
    pytest.param(
        {"transcript": "[09:14] P: x\n[09:21] R: y", "timezone": "Europe"},
        "`timezone`",
        id="zone-dir",
    ),
    pytest.param({"transcript": [{"ts": "1716220930.0", "text": ""}]}, "empty", id="empty-text"),
    pytest.param(
        {"transcript": [{"ts": "1716220930.0", "user": "U1", "text": 5}]},
        "'text' that is a int",
        id="text-is-a-number",
    ),
    pytest.param(
        {"transcript": "[23:59] P: x\n[00:01] R: y", "date": "9999-12-31"},
        "years 1 to 9999",
        id="date-9999-rollover",
    ),
    pytest.param(
        {"transcript": "2025-01-01T10:00:00+24:00 P: x\n2025-01-01T10:01:00+24:00 R: y"},
        "+24:00",
        id="offset-24h",
    ),
]


@pytest.mark.parametrize(("body", "needle"), REGRESSIONS)
def test_former_server_errors_are_clear_problems(
    client: TestClient, body: dict, needle: str
) -> None:
    response = client.post("/draft", json={**body, "engine": "extractive"})
    assert response.status_code == 422, response.text
    assert needle in response.json()["detail"]
    assert response.headers["content-type"].startswith("application/problem+json")


RAW_REGRESSIONS = [
    pytest.param(
        b'{"transcript": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", 400, "nested", id="deep"
    ),
    pytest.param(
        b'{"transcript": "x", "date": ' + b"7" * 5000 + b"}", 400, "too long", id="5000-digits"
    ),
    pytest.param(
        b'{"transcript": "[09:14] P: \\ud800 x\\n[09:21] R: y"}',
        400,
        "surrogate",
        id="lone-surrogate",
    ),
]


@pytest.mark.parametrize(("raw", "status", "needle"), RAW_REGRESSIONS)
def test_former_server_errors_from_raw_json(
    client: TestClient, raw: bytes, status: int, needle: str
) -> None:
    response = client.post(
        "/draft?engine=extractive", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == status, response.text
    assert needle in response.json().get("detail", "")


def test_deeply_nested_export_file_upload_is_a_422(client: TestClient) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    response = client.post("/draft", files={"file": ("x.json", deep)})
    assert response.status_code == 422
    assert "nested too deeply" in response.json()["detail"]


_EXPORT_SHAPES = {
    "discord": ("messages", {"timestamp": st.just("2025-07-02T23:58:10+00:00")},
                ["id", "type", "content", "author", "attachments", "embeds", "reference"]),
    "matrix": ("messages", {"origin_server_ts": st.just(1747784880000), "sender": st.just("@k:m")},
               ["type", "content", "event_id", "state_key", "unsigned"]),
    "graph": ("value", {"createdDateTime": st.just("2025-01-15T10:02:00Z"), "body": _ANY_JSON},
              ["id", "replyToId", "messageType", "from", "deletedDateTime", "attachments",
               "replies"]),
}  # fmt: skip


@FAST
@given(st.sampled_from(sorted(_EXPORT_SHAPES)), st.data())
def test_other_exports_with_fields_of_random_types(shape: str, data: st.DataObject) -> None:
    key, required, optional = _EXPORT_SHAPES[shape]
    item = st.fixed_dictionaries(required, optional={k: _ANY_JSON for k in optional})
    items = data.draw(st.lists(item, min_size=1, max_size=4))
    assert _ends_cleanly(lambda: parse_transcript(json.dumps({key: items})))


@FAST
@given(
    st.lists(
        st.dictionaries(st.sampled_from(["type", "post", "direct_post"]), _ANY_JSON), max_size=4
    )
)
def test_mattermost_lines_with_fields_of_random_types(lines: list[dict]) -> None:
    text = "\n".join(json.dumps(line) for line in [{"type": "version", "version": 1}, *lines])
    assert _ends_cleanly(lambda: parse_export(text.encode(), filename="export.jsonl"))
