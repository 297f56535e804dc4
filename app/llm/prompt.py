"""The chat messages sent to the LLM, rendered from `prompts/extract_*.j2`.

The transcript goes in as numbered lines, `[m12 09:14 Priya] text`, so the model can cite message
ids that the validators then check. Each template starts with `{# prompt-version: N #}`; bump N when
the meaning of a prompt changes. `prompt_version()` joins that number with a hash of the template
text, so a cached extraction is never served for a prompt that has since been edited, even when
nobody remembered to bump the number.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from app.models import Message, Transcript
from app.resources import prompts_dir, render_prompt
from app.workers import Deferred, opened

if TYPE_CHECKING:  # the SDK is imported only when an LLM is used
    from openai.types.chat import ChatCompletionMessageParam

    from app.llm.chunking import Chunk


SYSTEM_TEMPLATE = "extract_system.j2"
USER_TEMPLATE = "extract_user.j2"
REASK_TEMPLATE = "extract_reask.j2"
TEMPLATES = (SYSTEM_TEMPLATE, USER_TEMPLATE, REASK_TEMPLATE)

_VERSION_HEADER = re.compile(r"\A\{#\s*prompt-version:\s*(\d+)\b")
_MAX_REASK_ERRORS = 20


def declared_version(template: str) -> int:
    """The `{# prompt-version: N #}` number at the top of a template; an error when missing."""
    text = (prompts_dir() / template).read_text(encoding="utf-8")
    match = _VERSION_HEADER.match(text)
    if match is None:
        raise ValueError(f"prompts/{template} must start with '{{# prompt-version: N #}}'")
    return int(match.group(1))


@lru_cache(maxsize=1)
def prompt_version() -> str:
    """`<system version>.<hash of all templates>`, e.g. `1.3f2a9c01`: part of the cache key."""
    digest = hashlib.sha256()
    for template in TEMPLATES:
        digest.update((prompts_dir() / template).read_bytes())
    return f"{declared_version(SYSTEM_TEMPLATE)}.{digest.hexdigest()[:8]}"


def numbered_line(message: Message) -> str:
    """`[m<id> <time> <author>] text`; continuation lines indented, the closing tag defused.

    Indenting continuation lines means a message cannot forge a line that looks like another
    message (`[m3 ...]`), and the closing tag is defused so the text cannot end the transcript.
    """
    head = [f"m{message.id}"]
    if message.day:
        head.append(f"+{message.day}d")
    if message.time:
        head.append(message.time)
    head.append(message.author or "(unknown)")
    body = defuse(message.text).replace("\n", "\n  ")
    return f"[{' '.join(head)}] {body}"


def defuse(text: str) -> str:
    """Chat text that cannot close the transcript block it is quoted in."""
    return text.replace("</transcript", "</ transcript")


def numbered_transcript(transcript: Transcript) -> str:
    """One `numbered_line` per message, in transcript order."""
    return "\n".join(numbered_line(message) for message in transcript.messages)


def build_messages(
    transcript: Transcript, *, schema: dict[str, Any] | None = None
) -> list[ChatCompletionMessageParam]:
    """System and user messages for one transcript.

    `schema` is written into the system prompt; pass it in json_object mode, where the server does
    not enforce the schema and the model must be told it.
    """
    system = render_prompt(
        SYSTEM_TEMPLATE, schema_json=json.dumps(schema, ensure_ascii=False) if schema else None
    )
    user = render_prompt(
        USER_TEMPLATE,
        participants=transcript.participants,
        message_count=len(transcript.messages),
        transcript=numbered_transcript(transcript),
    )
    return [
        {"role": "system", "content": system.strip()},
        {"role": "user", "content": user.strip()},
    ]


def reask_messages(
    answer: str, errors: list[str], transcript: Transcript | int
) -> list[ChatCompletionMessageParam]:
    """The rejected answer and a user message quoting why, as instructor's re-ask does
    (`transcript`: the chat, or its number of messages)."""
    shown = errors[:_MAX_REASK_ERRORS]
    if len(errors) > len(shown):
        shown.append(f"... and {len(errors) - len(shown)} more problems of the same kinds")
    count = transcript if isinstance(transcript, int) else len(transcript.messages)
    reask = render_prompt(REASK_TEMPLATE, errors=shown, message_count=count)
    return [
        {"role": "assistant", "content": answer},
        {"role": "user", "content": reask.strip()},
    ]


def _too_long(prompt: int, context_tokens: int, answer_tokens: int, why: str) -> Exception:
    from app.errors import ContextBudgetError
    from app.llm.tokens import tokenizer_name

    return ContextBudgetError(
        f"the chat is too long for the model: the prompt is {prompt:,} tokens "
        f"({tokenizer_name()}) and the answer may take {answer_tokens:,} "
        f"(PM_LLM_MAX_TOKENS), over the {context_tokens:,}-token context "
        f"(PM_LLM_CONTEXT_TOKENS){why}; nothing was sent to the LLM",
        hint="send only the hours of the incident (since/until), use engine 'extractive', "
        "or raise PM_LLM_CONTEXT_TOKENS if the model's context is larger",
        prompt_tokens=prompt,
        context_tokens=context_tokens,
    )


def prompt_tokens(messages: list[ChatCompletionMessageParam]) -> int:
    """Tokens of a chat request's messages, as the context budget counts them."""
    from app.llm.tokens import messages_tokens

    return messages_tokens([str(m.get("content") or "") for m in messages])


def prompt_over(messages: list[ChatCompletionMessageParam], limit: int) -> int | None:
    """`prompt_tokens(messages)` when it is over `limit`, else None (tokenized only when the
    request's bytes could be over: `app.llm.tokens.messages_over`)."""
    from app.llm.tokens import messages_over

    return messages_over([str(m.get("content") or "") for m in messages], limit)


def bounded_messages(
    transcript: Transcript,
    schema: dict[str, Any] | None,
    context_tokens: int,
    answer_tokens: int,
) -> list[ChatCompletionMessageParam]:
    """`build_messages`, refused with `ContextBudgetError` when the prompt plus the answer's
    PM_LLM_MAX_TOKENS would not fit PM_LLM_CONTEXT_TOKENS: nothing that cannot fit is sent.

    The messages are exactly `build_messages`'s, so a chat that fits sends the same request.
    """
    messages = build_messages(transcript, schema=schema)
    prompt = prompt_over(messages, context_tokens - answer_tokens)
    if prompt is not None:
        raise _too_long(prompt, context_tokens, answer_tokens, "")
    return messages


@dataclass(frozen=True)
class ExtractionPlan:
    """How a transcript is extracted: in one request (`messages`: the chat fits the context),
    or in `chunks` (map-reduce, `app.llm.map_reduce`)."""

    message_count: int
    messages: list[ChatCompletionMessageParam] | None = None
    chunks: tuple[Chunk, ...] = ()


def plan_extraction(
    transcript: Transcript | Deferred[Transcript],
    schema: dict[str, Any] | None,
    chunk_schema: dict[str, Any] | None,
    context_tokens: int,
    answer_tokens: int,
) -> ExtractionPlan:
    """A step (run in a worker by the service): the one request when the chat fits (exactly
    `build_messages`'s, so a chat that fits sends the same request), else the chunks whose
    prompts each fit; `ContextBudgetError` when the context cannot hold even a part.

    `schema` / `chunk_schema` are written into the prompts in json_object mode (else None)."""
    from app.llm.chunking import MIN_CHUNK_TOKENS, plan_chunks
    from app.llm.long_prompt import chunk_overhead

    chat = opened(transcript)
    messages = build_messages(chat, schema=schema)
    count = len(chat.messages)
    prompt = prompt_over(messages, context_tokens - answer_tokens)
    if prompt is None:
        return ExtractionPlan(message_count=count, messages=messages)
    lines_budget = context_tokens - answer_tokens - chunk_overhead(chat, chunk_schema)
    if lines_budget < MIN_CHUNK_TOKENS:
        raise _too_long(
            prompt,
            context_tokens,
            answer_tokens,
            f", and it leaves too little room to read the chat in parts (at least "
            f"{MIN_CHUNK_TOKENS:,} tokens per part beside the prompt and the answer)",
        )
    return ExtractionPlan(message_count=count, chunks=tuple(plan_chunks(chat, lines_budget)))
