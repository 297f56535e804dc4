"""The prompts of map-reduce extraction, rendered from `prompts/extract_chunk_*.j2` and
`prompts/reduce_*.j2`, each counted against the context budget before it is sent.

The chunk prompt shows one chunk's numbered lines exactly as the one-call prompt numbers them
(continuation lines indented, the closing tag defused), so a message cannot forge a line that
looks like another message or end the transcript block. The reduce prompt shows the merged
findings as JSON (chat text only inside JSON strings, every `</` escaped, so no text can close
a block) and the numbered lines of the messages they cite, as many as fit: the messages behind
the cause, detection, resolution, impact and key facts first. `shown` is what the reduce
answer may cite.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from app.errors import ContextBudgetError
from app.llm.chunking import CUT_MARK, Chunk, chunk_lines
from app.llm.partial import Merged
from app.llm.prompt import declared_version, numbered_line
from app.llm.tokens import messages_tokens, tokenizer_name, truncate_to_tokens
from app.models import Transcript
from app.resources import prompts_dir, render_prompt

if TYPE_CHECKING:  # the SDK is imported only when an LLM is used
    from openai.types.chat import ChatCompletionMessageParam

CHUNK_SYSTEM = "extract_chunk_system.j2"
CHUNK_USER = "extract_chunk_user.j2"
CHUNK_REASK = "extract_chunk_reask.j2"
REDUCE_SYSTEM = "reduce_system.j2"
REDUCE_USER = "reduce_user.j2"
REDUCE_REASK = "reduce_reask.j2"
TEMPLATES = (CHUNK_SYSTEM, CHUNK_USER, CHUNK_REASK, REDUCE_SYSTEM, REDUCE_USER, REDUCE_REASK)

MARGIN_TOKENS = 64  # slack for the chat format and for joining lines the count saw apart
MAX_QUOTE_TOKENS = 400  # one quoted message in the reduce prompt, at most
_MAX_REASK_ERRORS = 20
# Reduce input, most needed first: sections dropped from the end when the findings do not fit.
_SECTIONS = (
    "cause_findings", "detection", "resolution", "impact", "key_facts", "open_questions",
    "contributing_factors", "timeline", "action_items",
)  # fmt: skip
_QUOTED_FIRST = ("cause_findings", "detection", "resolution", "impact", "key_facts")


@lru_cache(maxsize=1)
def long_prompt_version() -> str:
    """`<chunk system version>.<reduce system version>.<hash of the templates>`."""
    digest = hashlib.sha256()
    for template in TEMPLATES:
        digest.update((prompts_dir() / template).read_bytes())
    chunk, reduce = declared_version(CHUNK_SYSTEM), declared_version(REDUCE_SYSTEM)
    return f"{chunk}.{reduce}.{digest.hexdigest()[:8]}"


def _system(template: str, schema: dict[str, Any] | None) -> str:
    schema_json = json.dumps(schema, ensure_ascii=False) if schema else None
    return render_prompt(template, schema_json=schema_json).strip()


def _chunk_user(transcript: Transcript, chunk: Chunk, chunks: int, lines: str) -> str:
    return render_prompt(
        CHUNK_USER,
        participants=transcript.participants,
        part=chunk.label(chunks),
        message_count=len(transcript.messages),
        overlap=chunk.overlap,
        first=chunk.first,
        last=chunk.last,
        transcript=lines,
    ).strip()


def chunk_overhead(transcript: Transcript, schema: dict[str, Any] | None) -> int:
    """Tokens of a chunk prompt without its lines (the largest a label and ids can make it)."""
    n = len(transcript.messages)
    widest = Chunk(index=n, first=n, last=n, overlap=n)
    system = _system(CHUNK_SYSTEM, schema)
    user = _chunk_user(transcript, widest, n, "")
    return messages_tokens([system, user]) + MARGIN_TOKENS


def chunk_messages_for(
    transcript: Transcript, chunk: Chunk, chunks: int, schema: dict[str, Any] | None
) -> list[ChatCompletionMessageParam]:
    """System and user messages for one chunk (the schema in the prompt in json_object mode)."""
    user = _chunk_user(transcript, chunk, chunks, chunk_lines(transcript, chunk))
    return [
        {"role": "system", "content": _system(CHUNK_SYSTEM, schema)},
        {"role": "user", "content": user},
    ]


def _reask(template: str, answer: str, errors: list[str], **values: Any) -> list[Any]:
    shown = errors[:_MAX_REASK_ERRORS]
    if len(errors) > len(shown):
        shown.append(f"... and {len(errors) - len(shown)} more problems of the same kinds")
    text = render_prompt(template, errors=shown, **values).strip()
    return [{"role": "assistant", "content": answer}, {"role": "user", "content": text}]


def chunk_reask(answer: str, errors: list[str], chunk: Chunk) -> list[ChatCompletionMessageParam]:
    """The rejected answer and a message quoting why, naming the chunk's ids."""
    return _reask(CHUNK_REASK, answer, errors, first=chunk.first, last=chunk.last)


def reduce_reask(answer: str, errors: list[str]) -> list[ChatCompletionMessageParam]:
    """The rejected reduce answer and a message quoting why."""
    return _reask(REDUCE_REASK, answer, errors)


# ---- the reduce prompt ----------------------------------------------------------------------


@dataclass
class ReducePrompt:
    """The reduce request, and the message ids its answer may cite."""

    messages: list[ChatCompletionMessageParam]
    shown: set[int]
    tokens: int
    omitted: list[str] = field(default_factory=list)


def _item(value: Any) -> dict[str, Any]:
    data: dict[str, Any] = value.model_dump(exclude={"plain"})
    return data


def _findings(merged: Merged, sections: tuple[str, ...]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in sections:
        value = getattr(merged, name)
        if name == "open_questions":
            found[name] = list(value)
        elif isinstance(value, list):
            found[name] = [_item(item) for item in value]
        else:
            found[name] = _item(value) if value is not None else None
    return found


def _escaped_json(data: dict[str, Any]) -> str:
    """JSON in which no text can close a tag: every `</` is written `<\\/` (valid JSON)."""
    return json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")


def _quote_order(merged: Merged, sections: tuple[str, ...]) -> list[int]:
    order: list[int] = []
    for name in (*_QUOTED_FIRST, *sections):
        if name not in sections or name == "open_questions":
            continue
        value = getattr(merged, name)
        for item in value if isinstance(value, list) else [value] if value else []:
            order.extend(item.evidence)
    return list(dict.fromkeys(order))


def reduce_messages(
    merged: Merged,
    transcript: Transcript,
    chunks: int,
    schema: dict[str, Any] | None,
    context_tokens: int,
    answer_tokens: int,
) -> ReducePrompt:
    """The reduce request within the budget: the findings (whole sections, least needed dropped
    first) and as many of their cited messages as fit; `ContextBudgetError` when even the cause
    findings alone cannot fit."""
    budget = context_tokens - answer_tokens - MARGIN_TOKENS
    system = _system(REDUCE_SYSTEM, schema)
    for count in range(len(_SECTIONS), 0, -1):
        sections = _SECTIONS[:count]
        omitted = [name for name in _SECTIONS[count:] if getattr(merged, name)]
        findings = _findings(merged, sections)
        prompt = _fit_quotes(
            merged, transcript, chunks, system, findings, sections, omitted, budget
        )
        if prompt is not None:
            return prompt
    raise ContextBudgetError(
        "the chat is too long for the model: even its cause findings do not fit one request "
        f"of PM_LLM_CONTEXT_TOKENS ({context_tokens:,} tokens, {tokenizer_name()}) beside the "
        f"answer's PM_LLM_MAX_TOKENS ({answer_tokens:,}); nothing more was sent to the LLM",
        hint="raise PM_LLM_CONTEXT_TOKENS if the model's context is larger, send only the hours "
        "of the incident (since/until), or use engine 'extractive'",
        context_tokens=context_tokens,
    )


def _fit_quotes(
    merged: Merged,
    transcript: Transcript,
    chunks: int,
    system: str,
    findings: dict[str, Any],
    sections: tuple[str, ...],
    omitted: list[str],
    budget: int,
) -> ReducePrompt | None:
    findings_json = _escaped_json(findings)
    cited = {i for name in sections if name != "open_questions" for i in _ids(findings[name])}

    def render(quoted: list[int], note: str) -> str:
        lines = []
        for message_id in sorted(quoted):
            message = transcript.message(message_id)
            if message is not None:
                line = numbered_line(message)
                short = truncate_to_tokens(line, MAX_QUOTE_TOKENS)
                lines.append(short if short == line else short + CUT_MARK)
        return render_prompt(
            REDUCE_USER,
            participants=transcript.participants,
            message_count=len(transcript.messages),
            chunks=chunks,
            omitted=note,
            findings_json=findings_json,
            transcript="\n".join(lines),
        ).strip()

    order = _quote_order(merged, sections)
    note = _omitted_note(omitted, quoted_all=True)
    base = messages_tokens([system, render([], note)])
    if base > budget:
        return None
    quoted: list[int] = []
    used = base
    for message_id in order:  # greedy in order of need; each line counted once
        message = transcript.message(message_id)
        if message is None:
            continue
        line = truncate_to_tokens(numbered_line(message), MAX_QUOTE_TOKENS)
        cost = messages_tokens([line]) - 3  # a line, not a chat message: no per-message tokens
        if used + cost > budget:
            break
        quoted.append(message_id)
        used += cost
    if len(quoted) < len(order):
        note = _omitted_note(omitted, quoted_all=False)
    user = render(quoted, note)
    tokens = messages_tokens([system, user])
    while quoted and tokens > budget:  # the line-by-line count is an estimate: trim to fit
        quoted.pop()
        user = render(quoted, _omitted_note(omitted, quoted_all=False))
        tokens = messages_tokens([system, user])
    if tokens > budget:
        return None
    messages: list[ChatCompletionMessageParam] = [
        {"role": "system", "content": system},
        {"role": "user", "content": user},
    ]
    return ReducePrompt(
        messages=messages, shown=cited | set(quoted), tokens=tokens, omitted=omitted
    )


def _ids(value: Any) -> list[int]:
    if value is None:
        return []
    if isinstance(value, dict):
        return list(value.get("evidence", []))
    return [i for item in value if isinstance(item, dict) for i in item.get("evidence", [])]


def _omitted_note(omitted: list[str], *, quoted_all: bool) -> str:
    parts = []
    if omitted:
        parts.append(f"Left out to fit: the findings' {', '.join(omitted)}.")
    if not quoted_all:
        parts.append("Not every cited message fits below; the findings still cite them.")
    return " ".join(parts)
