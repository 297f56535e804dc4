"""Canned OpenAI chat completions and LLM settings for tests that mock the HTTP API with respx.

`chat_completion(...)` is the one builder for completion bodies; `seed_report()` is a valid answer
for the seed chat that tests bend (`seed_report(timeline=[...])`) to make it invalid.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from app.config import Settings
from app.engines.registry import EngineRegistry
from app.llm.chat import ChatRequest, FunctionChatModel
from app.llm.endpoint import Endpoint
from app.llm.retry import RetryPolicy
from app.models import Message, Transcript

BASE_URL = "http://llm.test/v1"
COMPLETIONS_URL = f"{BASE_URL}/chat/completions"
MODELS_URL = f"{BASE_URL}/models"
MODEL = "test-model"
SEED_CHAT = Path(__file__).parent / "data" / "seed_000_checkout_chat.txt"


def chat_completion(
    content: str | dict[str, Any] | None = None,
    *,
    finish_reason: str = "stop",
    refusal: str | None = None,
    usage: tuple[int, int] | None = (1200, 400),
    model: str = MODEL,
) -> dict[str, Any]:
    """The JSON body of a chat completion; a dict `content` is serialised as the answer."""
    text = json.dumps(content) if isinstance(content, dict) else content
    body: dict[str, Any] = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": finish_reason,
                "message": {"role": "assistant", "content": text, "refusal": refusal},
            }
        ],
    }
    if usage is not None:
        prompt, completion = usage
        body["usage"] = {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }
    return body


def reply(content: str | dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
    """A 200 response carrying `chat_completion(content, **kwargs)`."""
    return httpx.Response(200, json=chat_completion(content, **kwargs))


def api_error(
    status: int, message: str = "error", *, code: str | None = None, **headers: str
) -> httpx.Response:
    """An OpenAI-style error response."""
    body = {"error": {"message": message, "type": "error", "code": code}}
    return httpx.Response(status, json=body, headers=headers)


def llm_settings(**overrides: Any) -> Settings:
    """Settings for an LLM at BASE_URL; keyword names are the PM_* variables' field names."""
    values: dict[str, Any] = {
        "PM_LLM_BASE_URL": BASE_URL,
        "PM_LLM_API_KEY": "sk-test",
        "PM_LLM_MODEL": MODEL,
        "PM_LLM_TIMEOUT": 5,
        "PM_LLM_TIME_BUDGET": 30,
    }
    values.update({f"PM_{name.upper()}": value for name, value in overrides.items()})
    return Settings(**values)


class FakeClock:
    """A monotonic clock that only moves when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def instant_retry(clock: FakeClock | None = None) -> RetryPolicy:
    """Backoff 0.5, 1, 2, ... seconds without jitter, slept on a fake clock (no real waiting)."""
    clock = clock or FakeClock()
    return RetryPolicy(jitter=0.0, sleep=clock.sleep, clock=clock, random=lambda: 0.0)


def seed_transcript() -> Transcript:
    """Seed 000 as 30 messages (Priya, Ravi, Alex, Sara; 09:14 to 09:27).

    Parsed here rather than by `app.ingest`, so these tests pin the ids they cite whatever the
    ingest parsers decide about edge cases.
    """
    messages: list[Message] = []
    header = re.compile(r"^\[(\d\d:\d\d)\] (.+)$")
    for number, line in enumerate(SEED_CHAT.read_text(encoding="utf-8").splitlines(), start=1):
        found = header.match(line)
        if found:
            messages.append(
                Message(
                    id=len(messages) + 1,
                    time=found[1],
                    author=found[2],
                    text="",
                    line_start=number,
                    line_end=number,
                )
            )
        elif line.strip() and messages:
            last = messages[-1]
            text = f"{last.text}\n{line}" if last.text else line
            messages[-1] = last.model_copy(update={"text": text, "line_end": number})
    return Transcript(format="bracket-header", messages=messages)


def statement(text: str, *evidence: int) -> dict[str, Any]:
    return {"text": text, "evidence": list(evidence)}


sentence = statement  # a summary sentence has the same shape: text and its own citations


def event(time: str, kind: str, description: str, *evidence: int) -> dict[str, Any]:
    return {"time": time, "kind": kind, "description": description, "evidence": list(evidence)}


def action(description: str, owner: str | None, *evidence: int) -> dict[str, Any]:
    return {"description": description, "owner": owner, "evidence": list(evidence)}


def seed_report(transcript: Transcript | None = None, **overrides: Any) -> dict[str, Any]:
    """A valid answer for the seed chat, every item citing the messages that say it.

    Ids are looked up by what the messages say, so the answer also fits the seed as the app's
    own parser numbers it (`seed_report(parse_transcript(text))`).
    """
    chat = transcript or seed_transcript()

    def m(snippet: str) -> int:
        return next(msg.id for msg in chat.messages if snippet in msg.text)

    alert, latency, logs = m("Heads up"), m("graphs show"), m("ConnectionRefusedError")
    cause, rollback, support = m("moved payment configs"), m("starting rollback"), m("#customer")
    notified, rolled_back = m("Support team notified"), m("Rollback complete")
    recovered, runbook = m("below 3%"), m("And maybe update the runbook")
    items, owns, ravi_takes, priya_takes = (
        m("Action items for postmortem"),
        m("own #1 and #4"),
        m("Sure thing"),
        m("take care of that"),
    )
    data: dict[str, Any] = {
        "title": "Checkout-service errors after a deploy with unset prod payment config",
        "summary": {
            "technical": [
                sentence(
                    "A 09:10 deploy pointed checkout-service at a payment gateway endpoint "
                    "that did not exist in prod, so checkout errors hit 45%.",
                    alert,
                    cause,
                ),
                sentence("A rollback restored service by 09:22.", rolled_back, recovered),
            ],
            "plain": [
                sentence(
                    "After a routine change, many customers could not complete checkout for "
                    "about ten minutes.",
                    alert,
                    recovered,
                ),
                sentence("Undoing the change fixed it.", rolled_back, recovered),
            ],
        },
        "impact": [
            statement("Checkout errors spiked to 45%, a flood of 500s in production.", alert),
            statement("Checkout latency rose from about 120ms to over 1.5s.", latency),
        ],
        "detection": statement("PagerDuty alerted on checkout-service errors.", alert),
        "timeline": [
            event("09:10", "trigger", "Deployment with the new payment config", alert),
            event("09:14", "detection", "PagerDuty alerts for checkout errors", alert),
            event("09:16", "investigation", "Logs show ConnectionRefusedError", logs),
            event("09:18", "mitigation", "Rollback to the 9:00 build started", rollback),
            event("09:20", "communication", "Support team notified", support, notified),
            event("09:21", "mitigation", "Rollback complete, errors falling", rolled_back),
            event("09:22", "recovery", "Error rates below 3%, latency normal", recovered),
        ],
        "root_cause": statement(
            "Payment configs moved to a new env var whose prod values were never set.", cause
        ),
        "contributing_factors": [
            statement("The runbook does not mention validating external service configs.", runbook)
        ],
        "resolution": statement("Rolled back to the 9:00 stable build.", rollback, rolled_back),
        "action_items": [
            action("Add env var validation in CI/CD", "Alex", items, owns),
            action("Payment gateway health check before deploys", "Ravi", items, owns, ravi_takes),
            action("Update the runbook with config verification", "Priya", ravi_takes, priya_takes),
            action("Make a staging load test mandatory before prod", "Alex", items, owns),
        ],
        "participants": ["Priya", "Ravi", "Alex", "Sara"],
        "open_questions": ["How many customers or orders were affected?"],
    }
    data.update(overrides)
    return data


# ---- Faking the seam: a FunctionChatModel answers by schema name, no HTTP involved -----------

Answer = str | dict[str, Any] | Exception | Callable[[ChatRequest], Any]


def function_model(**answers: Any) -> FunctionChatModel:
    """A `FunctionChatModel` that answers each request by its schema name (`incident_report`,
    `claim_repairs`, `claim_verdicts`): a dict (sent as JSON), text, an exception to raise, a
    list of those (one per request, the last repeating), or a function of the request."""
    queues = {
        name: list(value) if isinstance(value, list) else [value] for name, value in answers.items()
    }

    def answer(request: ChatRequest) -> Any:
        name = request.schema_name or _json_mode_name(request)
        if name not in queues:
            raise AssertionError(f"no answer for a {name!r} request")
        queue = queues[name]
        given = queue.pop(0) if len(queue) > 1 else queue[0]
        if callable(given) and not isinstance(given, type):
            given = given(request)
        if isinstance(given, BaseException):
            raise given
        return json.dumps(given) if isinstance(given, dict) else given

    return FunctionChatModel(answer, model=MODEL)


def _json_mode_name(request: ChatRequest) -> str:
    system = str(request.messages[0].get("content", ""))
    if "fact check" in system and "fix" in system:
        return "claim_repairs"
    if "fact checker" in system:
        return "claim_verdicts"
    return "incident_report"


def function_endpoint(
    chat: FunctionChatModel, clock: FakeClock | None = None, **fields: Any
) -> Endpoint:
    """An `Endpoint` over a function model, with instant retries on a fake clock."""
    return Endpoint(
        chat=chat, model=MODEL, name="http://llm.test:80", retry=instant_retry(clock), **fields
    )


def function_registry(
    chat: FunctionChatModel, clock: FakeClock | None = None, **settings: Any
) -> EngineRegistry:
    """An `EngineRegistry` whose every endpoint is `chat` (retries instant, on `clock`)."""
    return EngineRegistry(llm_settings(**settings), chat=chat, retry=instant_retry(clock))


def requests_named(chat: FunctionChatModel, name: str) -> list[ChatRequest]:
    return [r for r in chat.requests if (r.schema_name or _json_mode_name(r)) == name]


_CLAIM_LINE = re.compile(r"^(\d+)\. .*?(?: \(cites ([m\d, ]+)\))?$", re.MULTILINE)


def judge_verdicts(request: ChatRequest, status: str = "supported") -> dict[str, Any]:
    """A judge's answer giving every claim of the request `status`, citing what the claim cites
    (or m1)."""
    user = str(request.messages[1]["content"])
    block = user.split("<claims>", 1)[1].split("</claims>", 1)[0]
    verdicts = []
    for found in _CLAIM_LINE.finditer(block):
        cited = [int(i) for i in re.findall(r"m(\d+)", found[2] or "")] or [1]
        verdicts.append(
            {"index": int(found[1]), "status": status, "evidence": cited, "reason": "it says so"}
        )
    return {"verdicts": verdicts}
