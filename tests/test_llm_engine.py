"""LLMEngine against the OpenAI HTTP API mocked with respx, where the wire is the point: the
request sent (headers, model, schema, prompt), JSON mode, exactly the redacted messages, and the
pinned request body the eval's recordings are keyed by. Validation, re-ask, salvage and cache run
on the seam with a fake model in test_llm_extraction.py; endpoint failures are in
test_llm_failures.py."""

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
