"""Request bodies: a large one is decoded in a thread (the loop keeps its turns), with the same
result and the same problem details as a small one decoded inline."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.api.body import DECODE_IN_THREAD_BYTES, off_the_loop_if_large
from app.config import Settings
from app.main import create_app

PROBLEM = "application/problem+json"


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings())) as test_client:
        yield test_client


def _long_chat(min_bytes: int) -> str:
    lines, size, i = [], 0, 0
    while size < min_bytes:
        line = f"[09:{i // 60 % 60:02d}:{i % 60:02d}] ana: checking shard {i} of the checkout db\n"
        lines.append(line)
        size += len(line)
        i += 1
    return "[09:00:00] bo: checkout is down, paging the db team\n" + "".join(lines)


async def test_a_large_body_is_decoded_in_another_thread_a_small_one_inline() -> None:
    loop_thread = threading.get_ident()
    small = await off_the_loop_if_large(b"x", lambda: threading.get_ident())
    large = await off_the_loop_if_large(
        b"x" * DECODE_IN_THREAD_BYTES, lambda: threading.get_ident()
    )
    assert small == loop_thread
    assert large != loop_thread


async def test_an_error_raised_decoding_in_a_thread_reaches_the_caller() -> None:
    def fail() -> None:
        raise ValueError("bad body")

    with pytest.raises(ValueError, match="bad body"):
        await off_the_loop_if_large(b"x" * DECODE_IN_THREAD_BYTES, fail)
    await asyncio.sleep(0)


@pytest.mark.parametrize("kind", ["application/json", "text/plain"])
def test_a_large_draft_body_drafts_like_a_small_one(client: TestClient, kind: str) -> None:
    chat = _long_chat(DECODE_IN_THREAD_BYTES + 1024)
    if kind == "application/json":
        content = json.dumps({"transcript": chat, "audience": "stakeholder"}).encode()
        path = "/draft"
    else:
        content = chat.encode()
        path = "/draft?audience=stakeholder"
    assert len(content) >= DECODE_IN_THREAD_BYTES
    response = client.post(path, content=content, headers={"content-type": kind})
    assert response.status_code == 200, response.text[:500]
    body = response.json()
    assert body["audience"] == "stakeholder"
    assert len(body["messages"]) == chat.count("\n")
    assert body["messages"][0]["text"].startswith("checkout is down")


@pytest.mark.parametrize(
    ("path", "content", "status", "detail_part"),
    [
        ("/draft", b'{"transcript": "' + b"a" * DECODE_IN_THREAD_BYTES, 400, "not valid JSON"),
        ("/verify", b'{"transcript": "' + b"a" * DECODE_IN_THREAD_BYTES, 400, "not valid JSON"),
        (
            "/draft",
            json.dumps(
                {
                    "transcript": "[09:14] a: b" + " " * DECODE_IN_THREAD_BYTES,
                    "colour_of_the_sky": 1,
                }
            ).encode(),
            422,
            "colour_of_the_sky",
        ),
    ],
)
def test_a_large_bad_body_gets_the_same_problem_details(
    client: TestClient, path: str, content: bytes, status: int, detail_part: str
) -> None:
    response = client.post(path, content=content, headers={"content-type": "application/json"})
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith(PROBLEM)
    assert detail_part in response.text
