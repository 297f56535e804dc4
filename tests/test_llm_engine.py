"""LLMEngine against the OpenAI HTTP API mocked with respx: requests, validation, re-ask, salvage,
cache. Failures of the endpoint itself are in test_llm_failures.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from app.engines.llm import LLMEngine
from app.errors import ExtractionError
from app.llm.cache import ExtractionCache
from app.llm.prompt import numbered_transcript
from app.models import Message, Transcript
from app.resources import schemas_dir
from tests.llm_fakes import (
    COMPLETIONS_URL,
    MODEL,
    FakeClock,
    event,
    instant_retry,
    llm_settings,
    reply,
    seed_report,
    seed_transcript,
)

Handler = Callable[[httpx.Request], httpx.Response]


def engine(**settings: Any) -> LLMEngine:
    return LLMEngine(llm_settings(**settings), retry=instant_retry())


def answers(*responses: httpx.Response) -> Handler:
    """A handler that gives these responses in turn (the last one repeats)."""
    queue = list(responses)

    def handle(_: httpx.Request) -> httpx.Response:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return handle


def body(call: Any) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(call.request.content)
    return parsed


async def test_a_valid_answer_is_an_extraction(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(COMPLETIONS_URL).mock(return_value=reply(seed_report()))

    extraction = await engine().extract(seed_transcript())

    assert route.call_count == 1
    report = extraction.report
    assert report.summary.technical and report.summary.plain
    assert [e.time for e in report.timeline][:2] == ["09:10", "09:14"]
    assert report.root_cause is not None and report.root_cause.evidence == [7]
    assert {a.owner for a in report.action_items} == {"Alex", "Ravi", "Priya"}
    assert extraction.warnings == []
    assert extraction.usage.model_dump() == {
        "model": MODEL,
        "llm_calls": 1,
        "prompt_tokens": 1200,
        "completion_tokens": 400,
        "cached": False,
    }


async def test_the_request_sent(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(COMPLETIONS_URL).mock(return_value=reply(seed_report()))

    await engine(llm_max_tokens=3000).extract(seed_transcript())

    sent = body(route.calls.last)
    assert route.calls.last.request.headers["authorization"] == "Bearer sk-test"
    assert sent["model"] == MODEL
    assert sent["temperature"] == 0
    assert sent["max_tokens"] == 3000
    committed = json.loads((schemas_dir() / "llm_extraction.schema.json").read_text())
    assert sent["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "incident_report", "schema": committed, "strict": True},
    }
    system, user = sent["messages"]
    assert system["role"] == "system" and user["role"] == "user"
    for rule in ("evidence", "open_questions", "placeholders", "owner", "not instructions"):
        assert rule in system["content"]
    assert "[m1 09:14 Priya] Heads up — just got PagerDuty alerts" in user["content"]
    assert "[m30 09:27 Sara] Alright folks" in user["content"]
    assert "Participants (message authors): Priya, Ravi, Alex, Sara" in user["content"]


async def test_json_object_mode_puts_the_schema_in_the_prompt(
    respx_mock: respx.MockRouter,
) -> None:
    route = respx_mock.post(COMPLETIONS_URL).mock(return_value=reply(seed_report()))

    extraction = await engine(llm_response_format="json_object").extract(seed_transcript())

    sent = body(route.calls.last)
    assert sent["response_format"] == {"type": "json_object"}
    assert '"additionalProperties": false' in sent["messages"][0]["content"]
    assert "JSON Schema" in sent["messages"][0]["content"]
    assert extraction.report.title


async def test_invalid_json_is_reasked_then_accepted(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(COMPLETIONS_URL).mock(
        side_effect=answers(reply('{"title": "Checkout down", "summary": '), reply(seed_report()))
    )

    extraction = await engine().extract(seed_transcript())

    assert route.call_count == 2
    reask = body(route.calls.last)["messages"]
    assert reask[-2] == {"role": "assistant", "content": '{"title": "Checkout down", "summary": '}
    assert "not valid JSON" in reask[-1]["content"]
    assert extraction.usage.llm_calls == 2
    assert extraction.usage.prompt_tokens == 2400 and extraction.usage.completion_tokens == 800
    assert extraction.warnings == []


async def test_a_nonexistent_citation_is_reasked_quoting_the_error(
    respx_mock: respx.MockRouter,
) -> None:
    wrong = seed_report(root_cause={"text": "Prod env var values never set.", "evidence": [99]})
    route = respx_mock.post(COMPLETIONS_URL).mock(
        side_effect=answers(reply(wrong), reply(seed_report()))
    )

    extraction = await engine().extract(seed_transcript())

    assert route.call_count == 2
    messages = body(route.calls.last)["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert json.loads(messages[2]["content"]) == wrong
    assert (
        "root_cause.evidence: evidence cites message ids [99] that do not exist"
        in (messages[3]["content"])
    )
    assert "valid ids are 1..30" in messages[3]["content"]
    assert extraction.report.root_cause is not None
    assert extraction.report.root_cause.evidence == [7]


async def test_a_fenced_answer_is_accepted(respx_mock: respx.MockRouter) -> None:
    fenced = "```json\n" + json.dumps(seed_report()) + "\n```"
    route = respx_mock.post(COMPLETIONS_URL).mock(return_value=reply(fenced))

    extraction = await engine().extract(seed_transcript())

    assert route.call_count == 1 and extraction.report.title


async def test_attempts_exhausted_salvages_the_valid_items(respx_mock: respx.MockRouter) -> None:
    bad_timeline = [
        event("09:14", "detection", "PagerDuty alerts", 1),
        event("09:40", "resolution", "All clear", 30),  # 09:40 is in no cited message
        event("09:21", "mitigation", "Rollback complete", 99),  # no message 99
    ]
    wrong = seed_report(
        timeline=bad_timeline,
        action_items=[
            {"description": "Add env var validation in CI/CD", "owner": "Alex", "evidence": [23]},
            {"description": "Buy more servers", "owner": "Bob", "evidence": [22]},
        ],
        participants=["Priya", "Ravi", "Bob"],
    )
    route = respx_mock.post(COMPLETIONS_URL).mock(return_value=reply(wrong))

    extraction = await engine(llm_max_attempts=3).extract(seed_transcript())

    assert route.call_count == 3
    report = extraction.report
    assert [e.time for e in report.timeline] == ["09:14"]
    assert [a.owner for a in report.action_items] == ["Alex"]
    assert report.participants == ["Priya", "Ravi"]
    assert report.root_cause is not None  # valid parts are kept
    warnings = "\n".join(extraction.warnings)
    assert "still invalid after 3 attempt(s)" in warnings
    assert "dropped the LLM's timeline[1]: time 09:40 matches neither" in warnings
    assert "dropped the LLM's timeline[2]" in warnings and "[99]" in warnings
    assert "dropped the LLM's action_items[1]: owner: owner 'Bob' is not a participant" in warnings
    assert "dropped participant 'Bob'" in warnings
    assert extraction.usage.llm_calls == 3


async def test_nothing_valid_raises_extraction_error(respx_mock: respx.MockRouter) -> None:
    no_summary = seed_report(
        summary={
            "technical": [{"text": "x", "evidence": [77]}],
            "plain": [{"text": "y", "evidence": [77]}],
        }
    )
    route = respx_mock.post(COMPLETIONS_URL).mock(
        side_effect=answers(reply("I cannot produce JSON, sorry."), reply(no_summary))
    )

    with pytest.raises(ExtractionError) as caught:
        await engine(llm_max_attempts=2).extract(seed_transcript())

    error = caught.value
    assert error.status == 502
    assert route.call_count == 2
    assert "failed validation after 2 attempt(s)" in error.detail
    assert "summary.technical.0.evidence" in error.detail
    assert error.extra["attempts"] == 2
    assert "'llm_calls': 2" in str(error.extra["usage"])
    assert error.extra["_last_completion"] == json.dumps(no_summary)  # private: not shown


async def test_only_json_that_never_parses_raises(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(COMPLETIONS_URL).mock(return_value=reply("not json at all"))

    with pytest.raises(ExtractionError, match="not valid JSON"):
        await engine(llm_max_attempts=2).extract(seed_transcript())


async def test_the_cache_serves_the_second_request(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(COMPLETIONS_URL).mock(return_value=reply(seed_report()))
    llm = engine()

    first = await llm.extract(seed_transcript())
    second = await llm.extract(seed_transcript())

    assert route.call_count == 1
    assert first.usage.cached is False and first.usage.llm_calls == 1
    assert second.usage.cached is True and second.usage.llm_calls == 0
    assert second.report == first.report


async def test_the_cache_key_follows_transcript_and_model(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(COMPLETIONS_URL).mock(return_value=reply(seed_report()))
    cache = ExtractionCache(8)
    transcript = seed_transcript()
    edited = transcript.model_copy(
        update={
            "messages": [
                *transcript.messages[:-1],
                transcript.messages[-1].model_copy(update={"text": "Resolved in 13 minutes."}),
            ]
        }
    )

    await LLMEngine(llm_settings(), cache=cache, retry=instant_retry()).extract(transcript)
    await LLMEngine(llm_settings(), cache=cache, retry=instant_retry()).extract(transcript)
    await LLMEngine(llm_settings(), cache=cache, retry=instant_retry()).extract(edited)
    other_model = llm_settings(llm_model="other-model")
    await LLMEngine(other_model, cache=cache, retry=instant_retry()).extract(transcript)

    assert route.call_count == 3
    assert len(cache) == 3


async def test_a_cache_of_size_zero_keeps_nothing(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(COMPLETIONS_URL).mock(return_value=reply(seed_report()))
    llm = engine(llm_cache_size=0)

    await llm.extract(seed_transcript())
    await llm.extract(seed_transcript())

    assert route.call_count == 2


def test_the_cache_is_a_bounded_lru() -> None:
    from app.llm.cache import CacheKey
    from app.models import Extraction
    from tests.report_builders import report

    cache = ExtractionCache(2)
    keys = [CacheKey(str(i), "m", "p", "s") for i in range(3)]
    extraction = Extraction(report=report())
    cache.put(keys[0], extraction)
    cache.put(keys[1], extraction)
    assert cache.get(keys[0]) is not None  # 0 is now the most recently used
    cache.put(keys[2], extraction)

    assert cache.get(keys[1]) is None
    assert cache.get(keys[0]) is not None and cache.get(keys[2]) is not None
    copy = cache.get(keys[0])
    assert copy is not None
    copy.report.title = "changed"
    again = cache.get(keys[0])
    assert again is not None and again.report.title != "changed"


REDACTED = Transcript(
    format="test",
    messages=[
        Message(id=1, time="10:00", author="Dana", text="db down", line_start=1, line_end=1),
        Message(
            id=2,
            time="10:01",
            author="Eli",
            text="try DATABASE_URL=postgres://app:[REDACTED:password]@db:5432/app\nthen restart",
            line_start=2,
            line_end=3,
        ),
    ],
)


async def test_the_request_holds_exactly_the_redacted_messages(
    respx_mock: respx.MockRouter,
) -> None:
    route = respx_mock.post(COMPLETIONS_URL).mock(return_value=reply("{}"))

    with pytest.raises(ExtractionError):
        await engine(llm_max_attempts=1).extract(REDACTED)

    user = body(route.calls.last)["messages"][1]["content"]
    transcript = user.split("<transcript>\n", 1)[1].split("\n</transcript>", 1)[0]
    assert transcript == numbered_transcript(REDACTED)
    assert transcript == (
        "[m1 10:00 Dana] db down\n"
        "[m2 10:01 Eli] try DATABASE_URL=postgres://app:[REDACTED:password]@db:5432/app\n"
        "  then restart"
    )


async def test_secrets_redacted_by_the_pipeline_never_reach_the_llm(
    respx_mock: respx.MockRouter,
) -> None:
    redact = pytest.importorskip("app.redact")
    from app.ingest import parse_transcript

    secret_key = "sk-proj-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"
    password = "hunter2-Very-Secret"
    chat = (
        "[10:00] Dana\nThe payments API is failing\n\n"
        f"[10:01] Eli\nI rotated it, new key is {secret_key}\n\n"
        f"[10:02] Dana\nand the db password={password}\n"
    )
    transcript = redact.redact_transcript(parse_transcript(chat)).transcript
    route = respx_mock.post(COMPLETIONS_URL).mock(return_value=reply("{}"))

    with pytest.raises(ExtractionError):
        await engine(llm_max_attempts=1).extract(transcript)

    sent = route.calls.last.request.content.decode()
    assert secret_key not in sent and password not in sent
    assert "REDACTED" in sent


async def test_a_reask_lost_to_the_budget_keeps_the_first_answers_valid_parts(
    respx_mock: respx.MockRouter,
) -> None:
    from tests.llm_fakes import api_error

    wrong = seed_report(timeline=[event("09:40", "resolution", "All clear", 30)])
    route = respx_mock.post(COMPLETIONS_URL).mock(
        side_effect=answers(reply(wrong), api_error(503, "overloaded"))
    )
    clock = FakeClock()
    llm = LLMEngine(llm_settings(llm_time_budget=5), retry=instant_retry(clock))

    extraction = await llm.extract(seed_transcript())

    assert route.call_count >= 2
    assert extraction.report.timeline == []
    assert any("stopped re-asking" in w for w in extraction.warnings)


# The eval's recorded answers are keyed by the sha256 of the canonical request body: a change to
# the prompts, the schema or the way the request is built makes every recording miss. When the
# change is meant, update these and re-record (or re-play) the answers; say so in the commit.
PINNED_REQUEST_KEYS = {
    "json_schema": "913f5657954c0ad412c54d4f16e14c31eee748338c73b0715cc9d3e86806c881",
    "json_object": "4b62ea454205ce414c940c12a01f3e1d8ec1cdf5b11e57a3ef6112ca039a64f1",
}


@pytest.mark.parametrize("response_format", sorted(PINNED_REQUEST_KEYS))
async def test_the_extraction_request_body_is_pinned(
    respx_mock: respx.MockRouter, response_format: str
) -> None:
    from app.evaluation.recording import request_key

    route = respx_mock.post(COMPLETIONS_URL).mock(return_value=reply(seed_report()))

    await engine(llm_response_format=response_format).extract(seed_transcript())

    assert request_key(route.calls.last.request.content) == PINNED_REQUEST_KEYS[response_format], (
        "the extraction request body changed: recordings keyed by it will miss"
    )
