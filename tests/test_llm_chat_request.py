"""The chat request goes out exactly as the SDK's `chat.completions.create` sends it: the same
URL, body bytes and auth (issue 12: `OpenAIChatModel` posts through the client's generic `post`,
skipping the SDK's body transform, which costs the event loop about 0.35 ms a call)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from openai import AsyncAzureOpenAI, AsyncOpenAI

from app.llm.chat import ChatRequest, OpenAIChatModel
from app.schemas import judge_response_schema, llm_extraction_schema

ANSWER = {
    "id": "c1",
    "object": "chat.completion",
    "created": 0,
    "model": "m",
    "choices": [
        {
            "index": 0,
            "finish_reason": "stop",
            "message": {"role": "assistant", "content": '{"verdicts": []}'},
        }
    ],
    "usage": {"prompt_tokens": 11, "completion_tokens": 3, "total_tokens": 14},
}

FORMATS: list[Any] = [
    {
        "type": "json_schema",
        "json_schema": {
            "name": "incident_report",
            "schema": llm_extraction_schema(),
            "strict": True,
        },
    },
    {
        "type": "json_schema",
        "json_schema": {
            "name": "claim_verdicts",
            "schema": judge_response_schema(),
            "strict": True,
        },
    },
    {"type": "json_object"},
]


def _clients(sent: list[httpx.Request]) -> list[AsyncOpenAI]:
    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=ANSWER)

    def http() -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(answer))

    return [
        AsyncOpenAI(
            base_url="http://llm.test/v1", api_key="sk-test", max_retries=0, http_client=http()
        ),
        AsyncAzureOpenAI(
            azure_endpoint="https://contoso.openai.azure.com",
            api_version="2024-10-21",
            api_key="azure-key",
            max_retries=0,
            http_client=http(),
        ),
    ]


@pytest.mark.parametrize("response_format", FORMATS, ids=["extraction", "judge", "json_object"])
async def test_the_request_is_the_one_create_sends(response_format: Any) -> None:
    sent: list[httpx.Request] = []
    request = ChatRequest(
        model="gpt-4o-mini",
        messages=[
            {
                "role": "system",
                "content": 'Extract the report. Quote: "ünïcode" \u2014 ok \U0001f525',
            },
            {"role": "user", "content": "[m1 09:00 Sara] checkout is down\n[m2 09:01 Ravi] on it"},
            {"role": "assistant", "content": "{}"},
            {"role": "user", "content": "Your answer could not be accepted:\n- x"},
        ],
        response_format=response_format,
        temperature=0.0,
        max_tokens=1234,
    )
    for client in _clients(sent):
        completion = await OpenAIChatModel(client).complete(request, timeout=7.5)
        await client.chat.completions.create(
            model=request.model,
            messages=request.messages,
            response_format=request.response_format,
            temperature=request.temperature,
            max_tokens=request.max_tokens,
            timeout=7.5,
        )
        ours, theirs = sent[-2:]
        assert ours.content == theirs.content
        assert json.loads(ours.content)["messages"] == request.messages
        assert ours.url == theirs.url and ours.method == theirs.method == "POST"
        headers = {k: v for k, v in theirs.headers.items() if k != "x-stainless-raw-response"}
        assert dict(ours.headers.items()) == headers
        assert completion.content == '{"verdicts": []}'
        assert (completion.prompt_tokens, completion.completion_tokens) == (11, 3)
    assert sent[1].url.path.endswith("/chat/completions")
    assert sent[0].headers["authorization"] == "Bearer sk-test"
    assert sent[2].headers["api-key"] == "azure-key"
    assert "/openai/deployments/gpt-4o-mini/chat/completions" in str(sent[2].url)
