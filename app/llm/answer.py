"""Turn an LLM answer into a validated `IncidentReport`, or into errors worth quoting back.

Validation uses the transcript as context, so an evidence id that names no message, a timeline
time that no cited message supports, or an owner who is not a participant is an error the model is
asked to fix. When the re-asks run out, `salvage` keeps the items that are valid on their own and
reports each one it drops.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from app.models import (
    ActionItem,
    IncidentReport,
    Statement,
    Summaries,
    TimelineEntry,
    Transcript,
)

# The info string and the whitespace after it are possessive, so "```" and a long run of spaces
# is read once (a lazy body after a backtracking `\s*` was quadratic).
_FENCE = re.compile(r"\A```[a-zA-Z]*+[^\S\n]*+\n?(?P<body>.*?)\n?```\s*+\Z", re.DOTALL)

_ITEM_LISTS: dict[str, type[BaseModel]] = {
    "impact": Statement,
    "timeline": TimelineEntry,
    "contributing_factors": Statement,
    "action_items": ActionItem,
}
_OPTIONAL_STATEMENTS = ("detection", "root_cause", "resolution")


@dataclass
class Answer:
    """One answer: its raw text, the JSON object if it parsed, and the report if it validated."""

    content: str
    data: dict[str, Any] | None = None
    report: IncidentReport | None = None
    errors: list[str] = field(default_factory=list)


def parse_json_object(content: str) -> dict[str, Any]:
    """The JSON object in an answer, tolerating a Markdown code fence or text around it."""
    text = content.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group("body").strip()
    try:
        value = json.loads(text)
    except json.JSONDecodeError as first_error:
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end <= start:
            raise ValueError(f"the answer is not valid JSON: {first_error}") from None
        try:
            value = json.loads(text[start : end + 1])
        except json.JSONDecodeError:
            raise ValueError(f"the answer is not valid JSON: {first_error}") from None
    if not isinstance(value, dict):
        raise ValueError(f"the answer must be one JSON object, not a JSON {type(value).__name__}")
    return value


def validation_messages(error: ValidationError, prefix: str = "") -> list[str]:
    """`location: message` per error, without the offending input (it may quote the chat)."""
    messages = []
    for item in error.errors(include_url=False, include_input=False, include_context=False):
        location = ".".join(str(part) for part in item["loc"])
        where = ".".join(part for part in (prefix, location) if part)
        text = item["msg"].removeprefix("Value error, ")
        messages.append(f"{where}: {text}" if where else text)
    return messages


def check_answer(content: str | None, transcript: Transcript) -> Answer:
    """Parse and validate one answer against the transcript."""
    answer = Answer(content=content or "")
    if not answer.content.strip():
        answer.errors = ["the answer was empty; answer with the JSON object"]
        return answer
    try:
        answer.data = parse_json_object(answer.content)
    except ValueError as exc:
        answer.errors = [str(exc)]
        return answer
    try:
        answer.report = IncidentReport.model_validate(
            answer.data, context={"transcript": transcript}
        )
    except ValidationError as exc:
        answer.errors = validation_messages(exc)
    return answer


@dataclass
class Salvage:
    """What could be kept from an invalid answer, and what was dropped."""

    report: IncidentReport | None
    warnings: list[str]
    missing: list[str]


def salvage(data: dict[str, Any], transcript: Transcript) -> Salvage:
    """Keep every item that is valid on its own; a report needs at least a title and summary."""
    context = {"transcript": transcript}
    warnings: list[str] = []
    missing: list[str] = []
    kept: dict[str, Any] = {}

    title = data.get("title")
    if isinstance(title, str) and title.strip():
        kept["title"] = title.strip()
    else:
        missing.append("title: missing or empty")
    try:
        kept["summary"] = Summaries.model_validate(data.get("summary"), context=context)
    except ValidationError as exc:
        missing.extend(validation_messages(exc, "summary"))

    for name, model in _ITEM_LISTS.items():
        kept[name] = _valid_items(name, data.get(name), model, context, warnings)
    for name in _OPTIONAL_STATEMENTS:
        kept[name] = _valid_statement(name, data.get(name), context, warnings)
    kept["participants"] = _known_participants(data.get("participants"), transcript, warnings)
    kept["open_questions"] = _strings("open_questions", data.get("open_questions"), warnings)

    if missing:
        return Salvage(report=None, warnings=warnings, missing=missing)
    try:
        report = IncidentReport.model_validate(kept, context=context)
    except ValidationError as exc:  # each part was valid alone; this is a safety net
        return Salvage(report=None, warnings=warnings, missing=validation_messages(exc))
    return Salvage(report=report, warnings=warnings, missing=[])


def _valid_items(
    name: str,
    value: Any,
    model: type[BaseModel],
    context: dict[str, Any],
    warnings: list[str],
) -> list[BaseModel]:
    if value is None:
        return []
    if not isinstance(value, list):
        warnings.append(f"dropped the LLM's {name}: not a list")
        return []
    kept = []
    for index, item in enumerate(value):
        try:
            kept.append(model.model_validate(item, context=context))
        except ValidationError as exc:
            reasons = "; ".join(validation_messages(exc))
            warnings.append(f"dropped the LLM's {name}[{index}]: {reasons}")
    return kept


def _valid_statement(
    name: str, value: Any, context: dict[str, Any], warnings: list[str]
) -> Statement | None:
    if value is None:
        return None
    try:
        return Statement.model_validate(value, context=context)
    except ValidationError as exc:
        warnings.append(f"dropped the LLM's {name}: {'; '.join(validation_messages(exc))}")
        return None


def _known_participants(value: Any, transcript: Transcript, warnings: list[str]) -> list[str]:
    known = {p.lower() for p in transcript.participants}
    kept = []
    for name in _strings("participants", value, warnings):
        if name.lower() in known:
            kept.append(name)
        else:
            warnings.append(f"dropped participant {name!r}: not an author in the chat")
    return kept


def _strings(name: str, value: Any, warnings: list[str]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        warnings.append(f"dropped the LLM's {name}: not a list")
        return []
    kept = [item.strip() for item in value if isinstance(item, str) and item.strip()]
    if len(kept) < len(value):
        warnings.append(f"dropped {len(value) - len(kept)} of the LLM's {name} that were not text")
    return kept
