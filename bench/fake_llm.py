"""A fake OpenAI-compatible LLM with a fixed latency, for the serving benchmarks.

Run: `python bench/fake_llm.py --port 8101 --latency 1.0`

`POST /v1/chat/completions` waits `--latency` seconds, then answers by the request's schema
name: an `incident_report` built from the numbered transcript (quotes of real messages, so
the checker can settle them, plus one paraphrase it cannot, so the judge is asked),
`claim_verdicts` giving every claim "supported", and for a chat longer than the context a
`partial_report` per part (quotes of that part's messages, citing their ids) and the
`reduce_report` (quotes of the findings it was given, citing what they cite). `GET /stats`
counts requests by schema name (what the single-flight target checks); `POST /stats/reset`
zeroes them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
from collections import Counter
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

_LINE = re.compile(r"^\[m(\d+)(?: \+\d+d)?(?: (\d\d:\d\d(?::\d\d)?))? ([^\]\n]*)\] ([^\n]*)$", re.M)
_CLAIM = re.compile(r"^(\d+)\. [^\n]*?(?: \(cites ([m\d, ]+)\))?$", re.M)

STATS: Counter[str] = Counter()
LATENCY = 1.0


def _report(user: str) -> dict[str, Any]:
    lines = [(int(m[1]), m[2], m[3], m[4].strip()) for m in _LINE.finditer(user)]
    timed = [line for line in lines if line[1] and line[3]]
    first, last = (timed[0], timed[-1]) if timed else (lines[0], lines[-1])
    middle = timed[len(timed) // 2] if timed else first

    def quote(line: tuple[int, str | None, str, str]) -> dict[str, Any]:
        return {"text": line[3][:160] or "(no text)", "evidence": [line[0]], "plain": None}

    timeline = [
        {"time": line[1], "kind": kind, "description": line[3][:120], "evidence": [line[0]],
         "plain": None}
        for line, kind in ((first, "detection"), (middle, "investigation"), (last, "recovery"))
        if line[1]
    ]  # fmt: skip
    authors = sorted({line[2] for line in lines if line[2] and line[2] != "(unknown)"})[:20]
    return {
        "title": "Incident in the chat",
        "plain_title": None,
        "summary": {
            "technical": [{"text": first[3][:160] or "Something broke.", "evidence": [first[0]]}],
            "plain": [
                {
                    "text": "The team worked on the problem until it ended.",
                    "evidence": [first[0], last[0]],
                }
            ],
        },  # fmt: skip
        "impact": [],
        "detection": quote(first),
        "timeline": timeline,
        "root_cause": quote(middle),
        "contributing_factors": [],
        "resolution": None,
        "action_items": [],
        "participants": authors,
        "open_questions": [],
    }


def _partial(user: str) -> dict[str, Any]:
    lines = [(int(m[1]), m[2], m[3], m[4].strip()) for m in _LINE.finditer(user)]
    timed = [line for line in lines if line[1] and line[3]] or lines
    first, last = timed[0], timed[-1]
    middle = timed[len(timed) // 2]

    def quote(line: tuple[int, str | None, str, str]) -> dict[str, Any]:
        return {"text": line[3][:160] or "(no text)", "evidence": [line[0]], "plain": None}

    timeline = [
        {"time": line[1], "kind": "other", "description": line[3][:120], "evidence": [line[0]],
         "plain": None}
        for line in (first, middle, last) if line[1]
    ]  # fmt: skip
    part = re.search(r"This is part (\d+) of (\d+)", user)
    number, parts = (int(part[1]), int(part[2])) if part else (1, 1)
    return {
        "timeline": list({entry["evidence"][0]: entry for entry in timeline}.values()),
        "impact": [],
        "detection": quote(first) if number == 1 else None,
        "cause_findings": [quote(middle)],
        "contributing_factors": [],
        "resolution": quote(last) if number == parts else None,
        "action_items": [],
        "key_facts": [quote(first)],
        "participants": sorted({line[2] for line in lines if line[2] != "(unknown)"})[:20],
        "open_questions": ["How many customers were affected?"],
    }


def _reduce(user: str) -> dict[str, Any]:
    block = user.split("<findings>", 1)[-1].split("</findings>", 1)[0]
    findings = json.loads(block)
    facts = findings.get("key_facts") or findings.get("cause_findings") or []
    causes = findings.get("cause_findings") or []

    def sentence(item: dict[str, Any]) -> dict[str, Any]:
        return {"text": item["text"], "evidence": item["evidence"]}

    return {
        "title": "Incident in the chat",
        "plain_title": None,
        "summary": {
            "technical": [sentence(item) for item in facts[:2]],
            "plain": [sentence(item) for item in facts[:1]],
        },
        "root_cause": {**sentence(causes[-1]), "plain": None} if causes else None,
        "open_questions": findings.get("open_questions", [])[:3],
    }


def _verdicts(user: str) -> dict[str, Any]:
    block = user.split("<claims>", 1)[-1].split("</claims>", 1)[0]
    verdicts = []
    for found in _CLAIM.finditer(block):
        cited = [int(i) for i in re.findall(r"m(\d+)", found[2] or "")] or [1]
        verdicts.append(
            {"index": int(found[1]), "status": "supported", "evidence": cited, "reason": "said"}
        )
    return {"verdicts": verdicts}


async def completions(request: Request) -> JSONResponse:
    body = await request.json()
    fmt = body.get("response_format") or {}
    name = (fmt.get("json_schema") or {}).get("name", "json_object")
    STATS[name] += 1
    await asyncio.sleep(LATENCY)
    user = str(body["messages"][-1]["content"]) if body.get("messages") else ""
    if name == "claim_verdicts":
        answer: dict[str, Any] = _verdicts(user)
    elif name == "claim_repairs":
        answer = {"repairs": []}  # (the burst and long channel ask no repair)
    elif name == "partial_report":
        answer = _partial(user)
    elif name == "reduce_report":
        answer = _reduce(user)
    else:
        answer = _report(user)
    content = json.dumps(answer)
    return JSONResponse(
        {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": body.get("model", "fake"),
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": content, "refusal": None},
                }
            ],
            "usage": {
                "prompt_tokens": len(json.dumps(body["messages"])) // 4,
                "completion_tokens": len(content) // 4,
                "total_tokens": 0,
            },
        }
    )


async def stats(request: Request) -> JSONResponse:
    if request.method == "POST":
        STATS.clear()
    return JSONResponse(dict(STATS))


async def models(_request: Request) -> JSONResponse:
    return JSONResponse({"object": "list", "data": [{"id": "fake", "object": "model"}]})


app = Starlette(
    routes=[
        Route("/v1/chat/completions", completions, methods=["POST"]),
        Route("/v1/models", models),
        Route("/stats", stats, methods=["GET"]),
        Route("/stats/reset", stats, methods=["POST"]),
    ]
)


def main() -> None:
    global LATENCY
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--latency", type=float, default=1.0)
    args = parser.parse_args()
    LATENCY = args.latency
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", backlog=4096)


if __name__ == "__main__":
    main()
