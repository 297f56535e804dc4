"""Single flight and the draft cache: one extraction and one judge call per transcript however
many ask at once, only clean analyses kept for long, and a second audience that only renders."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from app.config import Settings
from app.engines.registry import EngineRegistry
from app.ingest import parse_transcript
from app.llm.chat import ChatRequest, FunctionChatModel
from app.main import create_app
from app.metrics import DRAFT_CACHE, SINGLE_FLIGHT_JOINS
from app.pipeline import DraftOptions, create_draft
from app.store import Store, open_store
from app.store.sqlite import SqliteStore
from tests.llm_fakes import (
    function_model,
    instant_retry,
    judge_verdicts,
    llm_settings,
    requests_named,
    seed_report,
)

T = TypeVar("T")


def _slow(value: Callable[[ChatRequest], Any] | dict[str, Any], delay: float = 0.2) -> Any:
    """An answer that takes `delay` seconds, so identical requests overlap."""

    async def answer(request: ChatRequest) -> str:
        await asyncio.sleep(delay)
        return json.dumps(value(request) if callable(value) else value)

    return answer


def _chat(text: str, **answers: Any) -> FunctionChatModel:
    report = seed_report(parse_transcript(text))
    defaults: dict[str, Any] = {
        "incident_report": _slow(report),
        "claim_verdicts": _slow(judge_verdicts),
        "claim_repairs": {"repairs": []},
    }
    return function_model(**{**defaults, **answers})


def _registry(chat: FunctionChatModel, store: Store | None, **settings: Any) -> EngineRegistry:
    return EngineRegistry(_settings(**settings), chat=chat, retry=instant_retry(), store=store)


def _settings(**overrides: Any) -> Settings:
    return llm_settings(llm_max_concurrency=0, **overrides)


def _client(engines: EngineRegistry) -> httpx.AsyncClient:
    app = create_app(engines.settings, engines=engines)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def _counter(metric: Any, **labels: str) -> float:
    return float(metric.labels(**labels)._value.get())


async def test_twenty_identical_requests_make_one_extraction_and_one_judge_call(
    seed_chat_text: str,
) -> None:
    chat = _chat(seed_chat_text)
    joins = _counter(SINGLE_FLIGHT_JOINS, where="process")
    async with _client(_registry(chat, SqliteStore(None))) as client:
        body = {"transcript": seed_chat_text, "engine": "llm"}
        answers = await asyncio.gather(*(client.post("/draft", json=body) for _ in range(20)))
    assert [a.status_code for a in answers] == [200] * 20
    assert len(requests_named(chat, "incident_report")) == 1
    assert len(requests_named(chat, "claim_verdicts")) <= 1
    assert len({a.json()["draft"]["text"] for a in answers}) == 1
    assert _counter(SINGLE_FLIGHT_JOINS, where="process") - joins == 19


async def test_both_audiences_at_once_share_one_extraction(seed_chat_text: str) -> None:
    chat = _chat(seed_chat_text)
    async with _client(_registry(chat, SqliteStore(None))) as client:
        answers = await asyncio.gather(
            *(
                client.post(
                    "/draft", json={"transcript": seed_chat_text, "engine": "llm", "audience": a}
                )
                for a in ["engineering", "stakeholder"] * 5
            )
        )
    assert {a.status_code for a in answers} == {200}
    assert len(requests_named(chat, "incident_report")) == 1
    audiences = {a.json()["audience"]: a.json()["draft"]["text"] for a in answers}
    assert audiences["engineering"] != audiences["stakeholder"]


class _StepSpy:
    """An inline step runner that remembers which steps ran."""

    def __init__(self) -> None:
        self.labels: list[str] = []

    async def run(self, label: str, step: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        self.labels.append(label)
        return step(*args, **kwargs)


async def test_the_second_audience_only_renders(seed_chat_text: str) -> None:
    chat = _chat(seed_chat_text)
    engines = _registry(chat, SqliteStore(None))
    first_steps, second_steps = _StepSpy(), _StepSpy()
    hits = _counter(DRAFT_CACHE, result="hit")
    first = await create_draft(
        seed_chat_text, DraftOptions(engine="llm"), engines, steps=first_steps
    )
    second = await create_draft(
        seed_chat_text,
        DraftOptions(engine="llm", audience="stakeholder"),
        engines,
        steps=second_steps,
    )
    assert "parsing and redacting the transcript" in first_steps.labels
    assert second_steps.labels == ["rendering the draft from the cache"]  # no parse, no verify
    assert len(chat.requests) == len(requests_named(chat, "incident_report")) + len(
        requests_named(chat, "claim_verdicts")
    )
    assert len(requests_named(chat, "incident_report")) == 1
    assert second.usage.cached is True and second.usage.llm_calls == 0
    assert first.usage.llm_calls >= 1 and first.usage.cached is False
    # The same verdicts; each names the line of its own draft (`line` differs per audience).
    assert [c.model_dump(exclude={"line"}) for c in second.verification.claims] == [
        c.model_dump(exclude={"line"}) for c in first.verification.claims
    ]
    assert [m.text for m in second.messages] == [m.text for m in first.messages]
    assert second.audience == "stakeholder" and second.draft.text != first.draft.text
    assert _counter(DRAFT_CACHE, result="hit") - hits == 1


async def test_keep_unverified_and_the_text_are_in_the_key_the_audience_is_not(
    seed_chat_text: str,
) -> None:
    chat = _chat(seed_chat_text)
    engines = _registry(chat, SqliteStore(None))
    assert engines.drafts is not None
    key = engines.drafts.key
    base = DraftOptions(engine="llm")
    assert await key(seed_chat_text, base, "llm") == await key(
        seed_chat_text, base.model_copy(update={"audience": "stakeholder"}), "llm"
    )
    assert await key(seed_chat_text, base, "llm") != await key(
        seed_chat_text, base.model_copy(update={"keep_unverified": True}), "llm"
    )
    assert await key(seed_chat_text, base, "llm") != await key(seed_chat_text + " ", base, "llm")
    assert await key(seed_chat_text, base, "llm") != await key(seed_chat_text, base, "extractive")


def _salvaged_answer(text: str) -> dict[str, Any]:
    """Valid title and summary, one timeline entry citing a message that does not exist: every
    attempt fails validation, and the salvage keeps the rest."""
    report = seed_report(parse_transcript(text))
    bad = {**report["timeline"][0], "evidence": [999]}
    return {**report, "timeline": [*report["timeline"], bad]}


@pytest.mark.parametrize(("degraded_ttl", "calls"), [(0, 2), (60, 1)])
async def test_a_salvaged_extraction_is_kept_only_for_the_degraded_ttl(
    seed_chat_text: str, degraded_ttl: float, calls: int
) -> None:
    chat = _chat(seed_chat_text, incident_report=_salvaged_answer(seed_chat_text))
    engines = _registry(chat, SqliteStore(None), degraded_cache_ttl=degraded_ttl)
    first = await create_draft(seed_chat_text, DraftOptions(engine="llm"), engines)
    assert any("still invalid" in w for w in first.warnings)
    await create_draft(seed_chat_text, DraftOptions(engine="llm"), engines)
    attempts = engines.settings.llm_max_attempts
    assert len(requests_named(chat, "incident_report")) == calls * attempts


async def test_a_clean_extraction_is_kept(seed_chat_text: str) -> None:
    chat = _chat(seed_chat_text)
    engines = _registry(chat, SqliteStore(None), degraded_cache_ttl=0)
    for _ in range(3):
        await create_draft(seed_chat_text, DraftOptions(engine="llm"), engines)
    assert len(requests_named(chat, "incident_report")) == 1


async def test_the_llm_engine_itself_never_keeps_a_salvaged_extraction(seed_chat_text: str) -> None:
    """Without the draft cache (CLI, eval) the engine's own cache keeps clean answers only."""
    chat = _chat(seed_chat_text, incident_report=_salvaged_answer(seed_chat_text))
    engines = _registry(chat, None)
    transcript = parse_transcript(seed_chat_text)
    engine = engines.get("llm")
    await engine.extract(transcript)
    await engine.extract(transcript)
    assert len(requests_named(chat, "incident_report")) == 2 * engines.settings.llm_max_attempts


async def _six_drafts_on_two_replicas(
    stores: tuple[Store, Store], text: str
) -> tuple[int, int, float]:
    """Six concurrent drafts of one chat, three on each replica: (extraction calls that reached
    the LLM, distinct drafts, single-flight joins through the store)."""
    chat = _chat(text)
    one, two = (_registry(chat, store) for store in stores)
    joins = _counter(SINGLE_FLIGHT_JOINS, where="store")
    drafts = await asyncio.gather(
        *(create_draft(text, DraftOptions(engine="llm"), engines) for engines in [one, two] * 3)
    )
    calls = len(requests_named(chat, "incident_report"))
    return (
        calls,
        len({d.draft.text for d in drafts}),
        _counter(SINGLE_FLIGHT_JOINS, where="store") - joins,
    )


async def test_single_flight_across_processes_sharing_a_sqlite_file(
    seed_chat_text: str, tmp_path: Path
) -> None:
    path = tmp_path / "store.sqlite3"
    stores = (SqliteStore(path), SqliteStore(path))
    calls, distinct, joins = await _six_drafts_on_two_replicas(stores, seed_chat_text)
    assert (calls, distinct) == (1, 1) and joins >= 1


async def test_single_flight_across_replicas_on_redis(seed_chat_text: str, redis_url: str) -> None:
    stores = (open_store(redis_url), open_store(redis_url))
    calls, distinct, joins = await _six_drafts_on_two_replicas(stores, seed_chat_text)
    assert (calls, distinct) == (1, 1) and joins >= 1


async def test_a_failed_leader_fails_its_joiners_and_the_next_request_tries_again(
    seed_chat_text: str,
) -> None:
    from app.errors import UpstreamError

    failing = _slow(lambda _request: (_ for _ in ()).throw(UpstreamError("boom")))
    chat = _chat(
        seed_chat_text,
        incident_report=[failing, _slow(seed_report(parse_transcript(seed_chat_text)))],
    )
    engines = _registry(chat, SqliteStore(None))
    options = DraftOptions(engine="llm")
    results = await asyncio.gather(
        *(create_draft(seed_chat_text, options, engines) for _ in range(3)), return_exceptions=True
    )
    assert all(isinstance(r, UpstreamError) for r in results)
    assert len(requests_named(chat, "incident_report")) == 1
    again = await create_draft(seed_chat_text, options, engines)
    assert again.engine == "llm"
    assert len(requests_named(chat, "incident_report")) == 2
