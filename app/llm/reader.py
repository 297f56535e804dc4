"""Read the body of a 200 answer from a chat-completions endpoint, trusting nothing in it.

The SDK builds its response objects without validation, so an HTML page, a JSON array,
`"message": null`, `"choices": [{}]`, content as an object or `"prompt_tokens": "ten"` used to end
in an AttributeError or TypeError deep in the engine, and a 500. Here the body is parsed and
checked once, at the edge: the result is a `Completion` with typed fields, or `MalformedCompletion`
saying in words what was wrong (never quoting the body, which may echo the transcript).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class MalformedCompletion(Exception):
    """A 200 answer that is not a usable chat completion; the message says why."""


@dataclass(frozen=True)
class Completion:
    """What the engine needs of one chat completion."""

    content: str | None
    refusal: str | None = None
    finish_reason: str | None = None
    model: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0


def _safe_text(value: str | None) -> str | None:
    """Text with lone surrogates (valid in JSON escapes, not in UTF-8) replaced."""
    if value is None:
        return None
    return value.encode("utf-8", "replace").decode("utf-8")


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore")

    content: str | None = None
    refusal: str | None = None

    @field_validator("content", "refusal")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        return _safe_text(value)


class _Choice(BaseModel):
    model_config = ConfigDict(extra="ignore")

    message: _Message
    finish_reason: str | None = None


class _Usage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    # Strict: "ten", "10" or true is a broken server, not a count to guess at.
    prompt_tokens: int | None = Field(default=None, ge=0, strict=True)
    completion_tokens: int | None = Field(default=None, ge=0, strict=True)


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")

    choices: list[_Choice]
    model: Any = None
    usage: _Usage | None = None


def _kind(value: Any) -> str:
    """A JSON value's kind in words, for messages that must not quote the value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "something else"


_EXPECTED = {
    "model_type": "an object",
    "dict_type": "an object",
    "list_type": "an array",
    "string_type": "text or null",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "greater_than_equal": "zero or more",
}


def _problem(error: ValidationError) -> str:
    first = error.errors(include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "the body"
    if first["type"] == "missing":
        return f"{where} is missing"
    expected = _EXPECTED.get(first["type"])
    found = _kind(first.get("input"))
    if expected is None:
        return f"{where} is {found}, which a chat completion does not allow"
    return f"{where} is {found}, not {expected}"


def read_completion(body: bytes, content_type: str | None = None) -> Completion:
    """The completion in a 200 body, or `MalformedCompletion` naming the first problem."""
    stripped = body.lstrip()
    if not stripped:
        raise MalformedCompletion("the body is empty")
    if stripped[:1] == b"<" or "html" in (content_type or "").lower():
        raise MalformedCompletion(
            "the body is an HTML page, not a chat completion (is the base URL the API's, "
            "usually ending in /v1, and not a web page or a proxy's login?)"
        )
    try:
        data = json.loads(body)
    except RecursionError:
        raise MalformedCompletion("the body is JSON nested too deeply to read") from None
    except ValueError:  # JSONDecodeError, bad UTF-8, an integer with thousands of digits
        raise MalformedCompletion("the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise MalformedCompletion(f"the body is {_kind(data)}, not a chat completion object")
    try:
        parsed = _Body.model_validate(data)
    except ValidationError as exc:
        raise MalformedCompletion(_problem(exc)) from None
    except RecursionError:
        raise MalformedCompletion("the body is JSON nested too deeply to read") from None
    if not parsed.choices:
        raise MalformedCompletion("the completion has no choices")
    choice = parsed.choices[0]
    usage = parsed.usage or _Usage()
    return Completion(
        content=choice.message.content,
        refusal=choice.message.refusal,
        finish_reason=choice.finish_reason,
        model=_safe_text(parsed.model) if isinstance(parsed.model, str) else None,
        prompt_tokens=usage.prompt_tokens or 0,
        completion_tokens=usage.completion_tokens or 0,
    )
