"""Extraction on the seam, the model faked with a function (no HTTP): validation with the
transcript as context, re-ask quoting the errors, salvage, cache. What goes over the wire is in
test_llm_engine.py; failures of the endpoint in test_llm_failures.py."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from app.engines.llm import LLMEngine
from app.errors import ExtractionError, UpstreamUnavailableError
from app.llm.cache import ExtractionCache
from app.llm.chat import ChatRequest, FunctionChatModel
from app.llm.reader import Completion
from app.models import Transcript
from tests.llm_fakes import (
    MODEL,
    FakeClock,
    event,
    function_endpoint,
    llm_settings,
    seed_report,
    seed_transcript,
)


def answering(*answers: Any) -> FunctionChatModel:
    """A model giving these answers in turn (the last repeats): dicts as JSON, text as it is,
    exceptions raised; each a completion of 1200 prompt and 400 completion tokens."""
    queue = list(answers)

    def answer(_: ChatRequest) -> Completion:
        given = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(given, BaseException):
            raise given
        text = json.dumps(given) if isinstance(given, dict) else given
        return Completion(
            content=text,
            finish_reason="stop",
            model=MODEL,
            prompt_tokens=1200,
            completion_tokens=400,
        )

    return FunctionChatModel(answer)


def engine(
    chat: FunctionChatModel,
    clock: FakeClock | None = None,
    cache: ExtractionCache | None = None,
    **settings: Any,
) -> LLMEngine:
    values = llm_settings(**settings)
    endpoint = function_endpoint(chat, clock, response_format=values.llm_response_format)
    return LLMEngine(values, endpoint=endpoint, cache=cache)


async def test_a_valid_answer_is_an_extraction() -> None:
    chat = answering(seed_report())

    extraction = await engine(chat).extract(seed_transcript())

    assert len(chat.requests) == 1
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


async def test_invalid_json_is_reasked_then_accepted() -> None:
    chat = answering('{"title": "Checkout down", "summary": ', seed_report())

    extraction = await engine(chat).extract(seed_transcript())

    assert len(chat.requests) == 2
    reask = chat.requests[-1].messages
    assert reask[-2] == {"role": "assistant", "content": '{"title": "Checkout down", "summary": '}
    assert "not valid JSON" in str(reask[-1]["content"])
    assert extraction.usage.llm_calls == 2
    assert extraction.usage.prompt_tokens == 2400 and extraction.usage.completion_tokens == 800
    assert extraction.warnings == []


async def test_a_nonexistent_citation_is_reasked_quoting_the_error() -> None:
    wrong = seed_report(root_cause={"text": "Prod env var values never set.", "evidence": [99]})
    chat = answering(wrong, seed_report())

    extraction = await engine(chat).extract(seed_transcript())

    assert len(chat.requests) == 2
    messages = chat.requests[-1].messages
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert json.loads(str(messages[2]["content"])) == wrong
    reask = str(messages[3]["content"])
    assert "root_cause.evidence: evidence cites message ids [99] that do not exist" in reask
    assert "valid ids are 1..30" in reask
    assert extraction.report.root_cause is not None
    assert extraction.report.root_cause.evidence == [7]


async def test_a_fenced_answer_is_accepted() -> None:
    chat = answering("```json\n" + json.dumps(seed_report()) + "\n```")

    extraction = await engine(chat).extract(seed_transcript())

    assert len(chat.requests) == 1 and extraction.report.title


async def test_attempts_exhausted_salvages_the_valid_items() -> None:
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
    chat = answering(wrong)

    extraction = await engine(chat, llm_max_attempts=3).extract(seed_transcript())

    assert len(chat.requests) == 3
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


async def test_nothing_valid_raises_extraction_error() -> None:
    no_summary = seed_report(
        summary={
            "technical": [{"text": "x", "evidence": [77]}],
            "plain": [{"text": "y", "evidence": [77]}],
        }
    )
    chat = answering("I cannot produce JSON, sorry.", no_summary)

    with pytest.raises(ExtractionError) as caught:
        await engine(chat, llm_max_attempts=2).extract(seed_transcript())

    error = caught.value
    assert error.status == 502
    assert len(chat.requests) == 2
    assert "failed validation after 2 attempt(s)" in error.detail
    assert "too little was valid to keep" in error.detail
    assert "summary.technical.0.evidence" in error.detail
    assert error.extra["attempts"] == 2
    assert "'llm_calls': 2" in str(error.extra["usage"])
    assert error.extra["_last_completion"] == json.dumps(no_summary)  # private: not shown


async def test_only_json_that_never_parses_raises() -> None:
    with pytest.raises(ExtractionError, match="not valid JSON"):
        await engine(answering("not json at all"), llm_max_attempts=2).extract(seed_transcript())


async def test_a_reask_lost_to_the_budget_keeps_the_first_answers_valid_parts() -> None:
    wrong = seed_report(timeline=[event("09:40", "resolution", "All clear", 30)])
    chat = answering(wrong, UpstreamUnavailableError("overloaded"))

    extraction = await engine(chat, FakeClock(), llm_time_budget=5).extract(seed_transcript())

    assert len(chat.requests) == 2
    assert extraction.report.timeline == []
    assert any("stopped re-asking: overloaded" in w for w in extraction.warnings)


async def test_the_cache_serves_the_second_request() -> None:
    chat = answering(seed_report())
    llm = engine(chat)

    first = await llm.extract(seed_transcript())
    second = await llm.extract(seed_transcript())

    assert len(chat.requests) == 1
    assert first.usage.cached is False and first.usage.llm_calls == 1
    assert second.usage.cached is True and second.usage.llm_calls == 0
    assert second.report == first.report


async def test_the_cache_key_follows_transcript_model_and_format() -> None:
    chat = answering(seed_report())
    cache = ExtractionCache(8)
    transcript = seed_transcript()
    last = transcript.messages[-1].model_copy(update={"text": "Resolved in 13 minutes."})
    edited = Transcript(format=transcript.format, messages=[*transcript.messages[:-1], last])

    await engine(chat, cache=cache).extract(transcript)
    await engine(chat, cache=cache).extract(transcript)
    await engine(chat, cache=cache).extract(edited)
    other_model = dataclasses.replace(function_endpoint(chat), model="other-model")
    other = LLMEngine(llm_settings(llm_model="other-model"), endpoint=other_model, cache=cache)
    await other.extract(transcript)
    await engine(chat, cache=cache, llm_response_format="json_object").extract(transcript)

    assert len(chat.requests) == 4
    assert len(cache) == 4


async def test_a_cache_of_size_zero_keeps_nothing() -> None:
    chat = answering(seed_report())
    llm = engine(chat, llm_cache_size=0)

    await llm.extract(seed_transcript())
    await llm.extract(seed_transcript())

    assert len(chat.requests) == 2


async def test_a_failed_extraction_is_not_cached() -> None:
    chat = answering("not json", seed_report())
    llm = engine(chat, llm_max_attempts=1)

    with pytest.raises(ExtractionError):
        await llm.extract(seed_transcript())
    extraction = await llm.extract(seed_transcript())

    assert len(chat.requests) == 2 and extraction.usage.cached is False
