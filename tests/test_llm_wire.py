"""What comes back over the wire: every malformed 200 is a clear 502 (never a 500), endpoints are
named without credentials, upstream error text is redacted, 503s pass Retry-After on, and the
answer reader holds for any input (hypothesis). respx mocks the HTTP API: the wire is the point."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.llm.endpoint import public_endpoint, scrub_upstream_text, url_secrets
from app.llm.reader import Completion, MalformedCompletion, read_completion
from app.llm.structured import ResponseSpec, check_answer
from app.main import create_app
from app.models import IncidentReport
from tests.llm_fakes import (
    COMPLETIONS_URL,
    api_error,
    chat_completion,
    llm_settings,
    seed_report,
    seed_transcript,
)

PROBLEM = "application/problem+json"


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(llm_settings(llm_time_budget=1))) as test_client:
        yield test_client


def draft(client: TestClient, text: str) -> httpx.Response:
    return client.post("/draft", json={"transcript": text, "engine": "llm"})


def body_with(**changes: Any) -> dict[str, Any]:
    body = chat_completion(seed_report())
    body.update(changes)
    return body


def _choice(**message: Any) -> list[dict[str, Any]]:
    return [{"index": 0, "finish_reason": "stop", "message": message}]


MALFORMED_200: list[tuple[str, httpx.Response, str]] = [
    (
        "an HTML body",
        httpx.Response(
            200,
            text="<!doctype html><html><body>Sign in</body></html>",
            headers={"content-type": "text/html"},
        ),
        "the body is an HTML page",
    ),
    ("a JSON array", httpx.Response(200, json=[chat_completion("{}")]), "the body is an array"),
    (
        "message: null",
        httpx.Response(200, json=body_with(choices=[{"index": 0, "message": None}])),
        "choices.0.message is null, not an object",
    ),
    (
        "choices: [{}]",
        httpx.Response(200, json=body_with(choices=[{}])),
        "choices.0.message is missing",
    ),
    (
        "content as an object",
        httpx.Response(200, json=body_with(choices=_choice(role="assistant", content={"a": 1}))),
        "choices.0.message.content is an object, not text or null",
    ),
    (
        'usage.prompt_tokens: "ten"',
        httpx.Response(
            200,
            json=body_with(
                usage={"prompt_tokens": "ten", "completion_tokens": 5, "total_tokens": 5}
            ),
        ),
        "usage.prompt_tokens is text, not a whole number",
    ),
    (
        "a null body",
        httpx.Response(200, content=b"null", headers={"content-type": "application/json"}),
        "the body is null",
    ),
]


@pytest.mark.parametrize(
    ("case", "upstream", "says"), MALFORMED_200, ids=[c for c, _, _ in MALFORMED_200]
)
def test_a_malformed_200_is_a_clear_502(
    client: TestClient,
    respx_mock: respx.MockRouter,
    seed_chat_text: str,
    case: str,  # noqa: ARG001 - the id
    upstream: httpx.Response,
    says: str,
) -> None:
    route = respx_mock.post(COMPLETIONS_URL).mock(return_value=upstream)

    response = draft(client, seed_chat_text)

    assert response.status_code == 502, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    problem = response.json()
    assert problem["title"] == "LLM upstream error"
    assert says in problem["detail"]
    assert "answered 200 with something that is not a usable chat completion" in problem["detail"]
    assert "PM_LLM_BASE_URL" in problem["hint"]
    assert route.call_count == 1  # not retried: the same server would answer the same way
    assert "Sign in" not in response.text  # the body is described, never quoted


def test_content_nested_100000_deep_is_a_clear_502(
    client: TestClient, respx_mock: respx.MockRouter, seed_chat_text: str
) -> None:
    deep = '{"title": ' * 100_000
    route = respx_mock.post(COMPLETIONS_URL).mock(
        return_value=httpx.Response(200, json=chat_completion(deep))
    )

    response = draft(client, seed_chat_text)

    assert response.status_code == 502, response.text[:300]
    problem = response.json()
    assert problem["title"] == "LLM answer failed validation"
    assert "nested too deeply" in problem["detail"]
    assert route.call_count == 3  # re-asked like any invalid answer, then given up


# ---- endpoints named without credentials -----------------------------------------------------

SECRET_URL = (
    "http://ops:hunter2-pw@llm.test:8080/v1/gw-9f8e7d6c5b4a39281706?api-key=qk-77aa88bb99cc"
)


@pytest.mark.parametrize(
    ("url", "named"),
    [
        (SECRET_URL, "http://llm.test:8080"),
        ("https://api.openai.com/v1", "https://api.openai.com:443"),
        ("http://[::1]:11434/v1", "http://[::1]:11434"),
        (
            "https://Example.COM/openai/deployments/x?api-version=2024-10-21",
            "https://example.com:443",
        ),
        (None, "https://api.openai.com:443"),
        ("http://host:99999/v1", "(unparseable PM_LLM_BASE_URL)"),
    ],
)
def test_an_endpoint_is_named_by_scheme_host_and_port(url: str | None, named: str) -> None:
    assert public_endpoint(url) == named


def test_the_secrets_of_a_url_are_known_for_scrubbing() -> None:
    found = url_secrets(SECRET_URL)
    assert {"ops", "hunter2-pw", "gw-9f8e7d6c5b4a39281706", "qk-77aa88bb99cc"} <= set(found)
    assert "v1" not in found


def _leaks(text: str) -> list[str]:
    return [
        s
        for s in ("hunter2-pw", "ops:", "gw-9f8e7d6c5b4a39281706", "qk-77aa88bb99cc", "api-key")
        if s in text
    ]


def test_errors_readyz_and_logs_never_show_credentials_in_the_base_url(
    respx_mock: respx.MockRouter, seed_chat_text: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    respx_mock.post(host="llm.test").mock(side_effect=httpx.ConnectError("refused"))
    respx_mock.get(host="llm.test").mock(side_effect=httpx.ConnectError("refused"))
    settings_ = llm_settings(llm_base_url=SECRET_URL, llm_time_budget=1)
    with TestClient(create_app(settings_)) as secret_client:
        failed = draft(secret_client, seed_chat_text)
        ready = secret_client.get("/readyz")

    assert failed.status_code == 503 and ready.status_code == 503
    assert "could not connect to the LLM at http://llm.test:8080" in failed.json()["detail"]
    assert ready.json()["llm"].startswith("cannot connect to http://llm.test:8080:")
    assert _leaks(failed.text) == [] and _leaks(ready.text) == []
    assert "llm.test" in caplog.text  # httpx logged the requests ...
    assert [s for s in _leaks(caplog.text) if s not in ("ops:", "api-key")] == []  # ... safely


def test_an_upstream_400_echoing_the_key_is_redacted_for_client_and_log(
    respx_mock: respx.MockRouter, seed_chat_text: str, caplog: pytest.LogCaptureFixture
) -> None:
    key = "sk-live-Zq8Xw2Lp4Rt6Yv9Bn3Mk"
    other = "sk-proj-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"  # not ours, but a key all the same
    respx_mock.post(COMPLETIONS_URL).mock(
        return_value=api_error(400, f"Invalid API key {key} (also tried {other}) for this model")
    )
    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(llm_settings(llm_api_key=key, llm_time_budget=1))) as keyed:
        response = draft(keyed, seed_chat_text)

    assert response.status_code == 502
    detail = response.json()["detail"]
    assert "rejected the request (400): Invalid API key [REDACTED:api-key]" in detail
    assert key not in response.text and other not in response.text
    assert key not in caplog.text and other not in caplog.text


def test_scrubbing_removes_configured_secrets_case_insensitively_and_bounds_the_text() -> None:
    text = scrub_upstream_text("bad key SK-TEST-abcdef\n\n" + "x" * 1000, ["sk-test-ABCDEF"])
    assert "abcdef" not in text.lower() and "\n" not in text
    assert text.endswith("...") and len(text) <= 303


@pytest.mark.parametrize(
    ("upstream", "retry_after"),
    [
        (api_error(429, "slow down", **{"retry-after": "120"}), "120"),
        (api_error(503, "overloaded", **{"retry-after": "7"}), "7"),
        (api_error(503, "overloaded", **{"retry-after-ms": "1500"}), "2"),
        (api_error(503, "overloaded"), None),
    ],
)
def test_503s_carry_the_upstreams_retry_after(
    respx_mock: respx.MockRouter,
    seed_chat_text: str,
    upstream: httpx.Response,
    retry_after: str | None,
) -> None:
    respx_mock.post(COMPLETIONS_URL).mock(return_value=upstream)
    with TestClient(create_app(llm_settings(llm_time_budget=1))) as test_client:
        response = draft(test_client, seed_chat_text)

    assert response.status_code == 503
    assert response.headers.get("retry-after") == retry_after


# ---- the answer reader holds for any input ---------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
completion_like = st.fixed_dictionaries(
    {
        "choices": st.one_of(
            json_values,
            st.lists(
                st.fixed_dictionaries(
                    {
                        "message": st.one_of(
                            json_values, st.fixed_dictionaries({"content": json_values})
                        )
                    },
                    optional={"finish_reason": json_values},
                ),
                max_size=2,
            ),
        )
    },
    optional={
        "usage": st.one_of(
            json_values,
            st.dictionaries(st.sampled_from(["prompt_tokens", "completion_tokens"]), json_values),
        ),
        "model": json_values,
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200))
def test_any_bytes_are_a_completion_or_a_malformed_completion(body: bytes) -> None:
    try:
        completion = read_completion(body)
    except MalformedCompletion as exc:
        assert str(exc)
    else:
        assert isinstance(completion, Completion)


@settings(max_examples=300, deadline=None)
@given(completion_like)
def test_any_completion_shaped_json_is_read_or_refused_clearly(data: dict[str, Any]) -> None:
    try:
        completion = read_completion(json.dumps(data).encode())
    except MalformedCompletion as exc:
        assert str(exc)
        return
    assert completion.content is None or isinstance(completion.content, str)
    assert completion.prompt_tokens >= 0 and completion.completion_tokens >= 0
    if completion.content is not None:
        completion.content.encode("utf-8")  # always encodable, lone surrogates replaced


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_content_round_trips_through_the_reader(content: str) -> None:
    completion = read_completion(json.dumps(chat_completion(content)).encode())
    assert completion.content == content.encode("utf-8", "replace").decode("utf-8")
    assert (completion.prompt_tokens, completion.completion_tokens) == (1200, 400)


REPORT_SPEC = ResponseSpec(
    model=IncidentReport,
    schema_name="incident_report",
    schema={},
    task="extract the report",
    context={"transcript": seed_transcript()},
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=300), json_values.map(json.dumps)))
def test_any_answer_text_is_a_report_or_errors_to_quote(content: str) -> None:
    attempt = check_answer(content, REPORT_SPEC)
    assert (attempt.value is None) == bool(attempt.errors)
    assert all(isinstance(e, str) and e for e in attempt.errors)


@settings(max_examples=150, deadline=None)
@given(
    st.from_regex(
        r"\A(?:20\d\d-0[1-9]-[0-2][1-9]T)?(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,3})?)?"
        r"(?:Z|[+-](?:0\d|1[0-4]):?[0-5]\d)?\Z"
    )
)
def test_any_timeline_time_the_model_accepts_renders(value: str) -> None:
    """An LLM time like "09:14+00:00" passed validation and then crashed the renderer (500):
    whatever the validator accepts must render; what it refuses is re-asked."""
    from pydantic import ValidationError

    from app.models import Message, Transcript, hhmm
    from app.pipeline import anchor_times
    from app.render import render_draft

    clock = hhmm(value)
    transcript = Transcript(
        format="test",
        messages=[
            Message(id=1, time=clock, author="Dana", text="db down", line_start=1, line_end=1)
        ],
    )
    data = {
        "title": "Database down",
        "summary": {
            "technical": [{"text": "The database went down.", "evidence": [1]}],
            "plain": [{"text": "The service was unavailable.", "evidence": [1]}],
        },
        "impact": [],
        "detection": None,
        "timeline": [
            {"time": value, "kind": "detection", "description": "db down", "evidence": [1]}
        ],
        "root_cause": None,
        "contributing_factors": [],
        "resolution": None,
        "action_items": [],
        "participants": ["Dana"],
        "open_questions": [],
    }
    try:
        report = IncidentReport.model_validate(data, context={"transcript": transcript})
    except ValidationError as exc:
        assert "time" in str(exc)  # refused with a reason the re-ask quotes
        return
    for audience in ("engineering", "stakeholder"):
        text = render_draft(report, transcript, audience).text  # type: ignore[arg-type]
        assert text
    assert anchor_times(report, transcript).timeline


@pytest.mark.parametrize(
    ("case", "upstream", "says"), MALFORMED_200, ids=[c for c, _, _ in MALFORMED_200]
)
def test_a_malformed_200_to_the_judge_leaves_the_rules_verdicts_and_a_warning(
    respx_mock: respx.MockRouter,
    seed_chat_text: str,
    case: str,  # noqa: ARG001 - the id
    upstream: httpx.Response,
    says: str,
) -> None:
    from app.ingest import parse_transcript

    answer = chat_completion(seed_report(parse_transcript(seed_chat_text)))

    def route(request: httpx.Request) -> httpx.Response:
        name = json.loads(request.content)["response_format"]["json_schema"]["name"]
        return upstream if name == "claim_verdicts" else httpx.Response(200, json=answer)

    respx_mock.post(COMPLETIONS_URL).mock(side_effect=route)
    with TestClient(create_app(llm_settings(llm_time_budget=1))) as test_client:
        response = draft(test_client, seed_chat_text)

    assert response.status_code == 200, response.text
    (warning,) = [w for w in response.json()["warnings"] if "judge was unavailable" in w]
    assert "the LLM judge at http://llm.test:80 answered 200 with something" in warning
    assert says in warning
