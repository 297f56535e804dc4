"""An extraction of seed 000 with two items the fact check contradicts, and a fake
OpenAI-compatible server on 127.0.0.1 that answers with it, for the review page's tests.

The planted items pass the model's validators (their times are their messages' times) and fail
the checker's hard checks (a figure the cited message contradicts), so which claims are dropped
does not depend on any engine's rules or on an LLM judge.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from app.models import Transcript
from tests.llm_fakes import chat_completion, event, seed_report, statement

PLANTED_IMPACT = "Checkout errors reached 90% of requests."
PLANTED_EVENT = "Rollback complete, error rate down to 0%"


def planted_report(transcript: Transcript) -> dict[str, Any]:
    """`seed_report` plus one impact statement and one timeline entry that fail the check."""
    data = seed_report(transcript)

    def m(snippet: str) -> int:
        return next(msg.id for msg in transcript.messages if snippet in msg.text)

    data["impact"].append(statement(PLANTED_IMPACT, m("Heads up")))
    data["timeline"].append(event("09:21", "recovery", PLANTED_EVENT, m("Rollback complete")))
    return data


def _schema_name(body: dict[str, Any]) -> str:
    response_format = body.get("response_format") or {}
    schema = response_format.get("json_schema") or {}
    return str(schema.get("name", ""))


def _judge(prompt: str) -> dict[str, Any]:
    claims = prompt.split("Claims to judge:", 1)[-1]
    indexes = [int(i) for i in re.findall(r"^(\d+)\. ", claims, flags=re.MULTILINE)]
    return {
        "verdicts": [
            {"index": i, "status": "supported", "evidence": [], "reason": "the chat says so"}
            for i in indexes
        ]
    }


def _repairs(prompt: str) -> dict[str, Any]:
    """Each listed item 'corrected' to itself: it fails again and is dropped, but the answer is
    valid, so it is cached like any good answer."""
    listed = prompt.split("extracted from this transcript:", 1)[-1]
    listed = listed.rsplit("Correct or withdraw each", 1)[0]
    repairs = []
    for problem in json.loads(listed):
        fields = problem["your_item"]
        repairs.append(
            {
                "item": problem["item"],
                "action": "correct",
                "text": fields.get("text") or fields.get("description"),
                "plain": fields.get("plain"),
                "time": fields.get("time"),
                "owner": fields.get("owner"),
                "evidence": fields.get("evidence", []),
                "reason": "kept as the chat was read",
            }
        )
    return {"repairs": repairs}


def answer_for(body: dict[str, Any], extraction: dict[str, Any]) -> dict[str, Any]:
    """The answer to one chat-completions request body, by the schema it asks for."""
    name = _schema_name(body)
    prompt = str(body.get("messages", [{}])[-1].get("content", ""))
    if name == "claim_verdicts":
        return _judge(prompt)
    if name == "claim_repairs":
        return _repairs(prompt)
    return extraction


def schema_name(body: dict[str, Any]) -> str:
    """Which request it is: incident_report, claim_verdicts or claim_repairs."""
    return _schema_name(body)


class FakeOpenAI:
    """A chat-completions endpoint that answers the extraction with `answer`, the judge with
    'supported' for every claim, and a repair with the items unchanged. Counts every call."""

    def __init__(self, answer: dict[str, Any]) -> None:
        self.answer = answer
        self.calls: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.calls.append(_schema_name(body))
                data = json.dumps(chat_completion(answer_for(body, fake.answer))).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                data = json.dumps({"object": "list", "data": [{"id": "test-model"}]}).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                del format, args

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
