"""Read the JSON in an LLM answer, word validation errors for a re-ask, and salvage a report.

`parse_json_object` takes whatever text the model wrote (a code fence, chatter around the object,
JSON nested 100,000 deep, integers with thousands of digits, lone surrogates) and gives a JSON
object or a `ValueError` saying what to fix; it never raises anything else. Validation itself runs
in the seam (`app.llm.structured.check_answer`) with the transcript as context. When the re-asks
run out, `salvage` keeps the report items that are valid on their own and reports each one it
drops.
"""

from __future__ import annotations

import json
import re
import types
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin

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


def _loads(text: str) -> Any:
    """`json.loads`, with every way it can fail turned into ValueError."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError(
            "the answer's JSON is nested too deeply to read; answer with the flat JSON object "
            "the schema describes"
        ) from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"the answer is not valid JSON: {exc}") from None
    except ValueError:  # an integer longer than Python's digit limit
        raise ValueError("the answer is not valid JSON: a number is far too long") from None


def _without_lone_surrogates(value: Any) -> Any:
    """JSON escapes can spell lone surrogates (`\\ud800`), which no UTF-8 output can carry."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in value.items()}
    return value


def parse_json_object(content: str) -> dict[str, Any]:
    """The JSON object in an answer, tolerating a Markdown code fence or text around it."""
    text = content.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group("body").strip()
    try:
        value = _loads(text)
    except ValueError as first_error:
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end <= start or (start == 0 and end == len(text) - 1):
            raise first_error from None
        try:
            value = _loads(text[start : end + 1])
        except ValueError:
            raise first_error from None
    if not isinstance(value, dict):
        raise ValueError(f"the answer must be one JSON object, not a JSON {type(value).__name__}")
    found: dict[str, Any] = value
    try:
        json.dumps(found, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        try:
            found = _without_lone_surrogates(found)
        except RecursionError:
            raise ValueError("the answer's JSON is nested too deeply to read") from None
    except (RecursionError, ValueError):
        raise ValueError("the answer's JSON is nested too deeply to read") from None
    return found


def validation_messages(error: ValidationError, prefix: str = "") -> list[str]:
    """`location: message` per error, without the offending input (it may quote the chat)."""
    messages = []
    for item in error.errors(include_url=False, include_input=False, include_context=False):
        location = ".".join(str(part) for part in item["loc"])
        where = ".".join(part for part in (prefix, location) if part)
        text = item["msg"].removeprefix("Value error, ")
        messages.append(f"{where}: {text}" if where else text)
    return messages


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


def salvage_fields(
    data: dict[str, Any], transcript: Transcript, model: type[BaseModel]
) -> tuple[dict[str, Any], list[str]]:
    """The fields of an answer for `model` that are valid on their own (list items one by one,
    cited statements, summaries, texts), and a warning for each thing dropped. A required field
    that cannot be kept is left out, so validating the result names it."""
    context = {"transcript": transcript}
    warnings: list[str] = []
    kept: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        value = data.get(name)
        annotation = field.annotation
        origin, args = get_origin(annotation), get_args(annotation)
        if name == "participants":
            kept[name] = _known_participants(value, transcript, warnings)
        elif origin is list and args == (str,):
            kept[name] = _strings(name, value, warnings)
        elif origin is list and isinstance(args[0], type) and issubclass(args[0], BaseModel):
            kept[name] = _valid_items(name, value, args[0], context, warnings)
        elif origin in (Union, types.UnionType) and str in args:
            kept[name] = value.strip() if isinstance(value, str) and value.strip() else None
        elif origin in (Union, types.UnionType):  # an optional cited statement
            kept[name] = _valid_statement(name, value, context, warnings)
        elif annotation is str:
            if isinstance(value, str) and value.strip():
                kept[name] = value.strip()
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            try:
                kept[name] = annotation.model_validate(value, context=context)
            except ValidationError as exc:
                warnings.extend(validation_messages(exc, name))
    return kept, warnings
