"""The context budget: a request that cannot fit is refused before it is sent; a chat that
fits sends exactly the request it always did (the eval's recordings are keyed by its hash)."""

from __future__ import annotations

import hashlib
import json

import httpx

from app.engines.registry import EngineRegistry
from app.ingest import parse_transcript
from app.llm.prompt import build_messages
from app.llm.tokens import count_tokens, estimate_tokens, tokenizer_name
from app.main import create_app
from app.redact import redact_transcript
from tests.llm_fakes import function_model, instant_retry, llm_settings, seed_report


def _client(engines: EngineRegistry) -> httpx.AsyncClient:
    app = create_app(engines.settings, engines=engines)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_a_chat_that_fits_sends_the_same_request_byte_for_byte(seed_chat_text: str) -> None:
    transcript = redact_transcript(parse_transcript(seed_chat_text)).transcript
    chat = function_model(incident_report=seed_report(transcript))
    engines = EngineRegistry(llm_settings(verify_with_llm=False), chat=chat, retry=instant_retry())
    async with _client(engines) as client:
        answer = await client.post("/draft", json={"transcript": seed_chat_text, "engine": "llm"})
    assert answer.status_code == 200, answer.text
    sent = json.dumps(chat.requests[0].messages, sort_keys=True).encode()
    expected = json.dumps(build_messages(transcript), sort_keys=True).encode()
    assert hashlib.sha256(sent).hexdigest() == hashlib.sha256(expected).hexdigest()


async def test_a_chat_over_the_budget_is_a_413_and_nothing_is_sent(seed_chat_text: str) -> None:
    chat = function_model(incident_report={"never": "asked"})
    engines = EngineRegistry(
        llm_settings(llm_context_tokens=1500, llm_max_tokens=1000, verify_with_llm=False),
        chat=chat,
        retry=instant_retry(),
    )
    async with _client(engines) as client:
        answer = await client.post("/draft", json={"transcript": seed_chat_text, "engine": "llm"})
    assert answer.status_code == 413
    problem = answer.json()
    assert "PM_LLM_CONTEXT_TOKENS" in problem["detail"] and "nothing was sent" in problem["detail"]
    assert problem["context_tokens"] == 1500 and problem["prompt_tokens"] + 1000 > 1500
    assert chat.requests == []


def test_tokens_are_counted_by_the_offline_tokenizer_and_the_estimate_over_counts() -> None:
    text = "[m12 09:14 Priya] checkout errors at 45%, rolling back deploy abc123\n" * 50
    assert tokenizer_name() == "cl100k_base"  # installed with the package, no download
    exact = count_tokens(text)
    assert 0 < exact < estimate_tokens(text)
    assert count_tokens("hello world") == 2
