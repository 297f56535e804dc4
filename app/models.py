"""The data model: parsed transcripts and the extracted incident report.

These Pydantic models are the single source of truth. The JSON Schemas in `schemas/` are exported
from them (`postmortem schemas`), and the LLM answers in that schema.

`IncidentReport` validates its evidence against the transcript when one is passed as validation
context (`IncidentReport.model_validate(data, context={"transcript": transcript})`): an evidence id
that names no message, a timeline time that matches neither the cited message's time nor a time
written in its text, or an owner who is not a participant is a validation error, not a silent pass.
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from app.fold import word_key
from app.ingest.report import IngestReport

Audience = Literal["engineering", "stakeholder"]

# --------------------------------------------------------------------------------------------
# Transcript
# --------------------------------------------------------------------------------------------


class Message(BaseModel):
    """One chat message, with a stable 1-based id in transcript order."""

    model_config = ConfigDict(frozen=True)

    id: int = Field(ge=1, description="1-based position in the transcript; evidence cites this.")
    time: str | None = Field(
        default=None,
        description="Wall-clock time, 24-hour 'HH:MM' or 'HH:MM:SS'; null when the line had none.",
    )
    day: int = Field(
        default=0,
        ge=0,
        description="Days after the first message's day (a clock going backwards rolls over).",
    )
    timestamp: dt.datetime | None = Field(
        default=None,
        description="Full date and time when the date is known (from the chat or the request).",
    )
    author: str | None = Field(
        default=None, description="Who wrote it; null for a line that cannot be attributed."
    )
    text: str = Field(description="The message body, multi-line messages kept whole.")
    line_start: int = Field(ge=1, description="First source line (1-based; JSON: item index).")
    line_end: int = Field(ge=1, description="Last source line (1-based; JSON: item index).")

    @field_validator("time")
    @classmethod
    def _wall_clock(cls, value: str | None) -> str | None:
        return None if value is None else wall_clock(value)

    def elapsed_seconds(self) -> int | None:
        """Seconds since midnight of the transcript's first day, or None without a time."""
        if self.time is None:
            return None
        return self.day * 86400 + clock_seconds(self.time)


# Transcript.participants per live transcript (by id; an entry leaves with its transcript): the
# messages it was read from and the authors found.
_PARTICIPANTS: dict[int, tuple[list[Message], list[str]]] = {}


class Transcript(BaseModel):
    """A parsed chat: the messages plus what the parser learned and warned about."""

    format: str = Field(description="Detected or requested input format.")
    messages: list[Message]
    date: dt.date | None = Field(default=None, description="Date of the first message, if known.")
    timezone: str | None = Field(
        default=None, description="IANA zone (or fixed UTC offset) the times are in, if known."
    )
    warnings: list[str] = Field(default_factory=list)
    ingest: IngestReport | None = Field(
        default=None, description="What ingest read and what each line became (format, counts)."
    )

    @property
    def participants(self) -> list[str]:
        """Authors in order of first appearance.

        Kept per transcript beside the model (not in its fields, so equality, copies, pickles
        and dumps are unchanged) with a shallow copy of the messages it was read from: the
        validators ask for it once per owner and item, and a 10,000-message chat's walk is
        about 3.5 ms against 0.2 ms for the list comparison that proves it still holds (a
        list changed in place, or a copy with other messages, is read again)."""
        kept = _PARTICIPANTS.get(id(self))
        messages = self.messages
        if kept is not None and kept[0] == messages:
            return list(kept[1])
        seen: dict[str, None] = {}
        for message in messages:
            if message.author:
                seen.setdefault(message.author, None)
        found = list(seen)
        if kept is None:
            weakref.finalize(self, _PARTICIPANTS.pop, id(self), None)
        _PARTICIPANTS[id(self)] = (list(messages), found)
        return list(found)

    def message(self, message_id: int) -> Message | None:
        """The message with this id, or None."""
        if 1 <= message_id <= len(self.messages):
            candidate = self.messages[message_id - 1]
            if candidate.id == message_id:
                return candidate
        return next((m for m in self.messages if m.id == message_id), None)


# --------------------------------------------------------------------------------------------
# Time helpers shared by the validators, the renderer and the checker
# --------------------------------------------------------------------------------------------

_CLOCK = re.compile(
    r"(?<![\d:])(?<!UTC[+-])(?<!GMT[+-])(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?"
    r"(?:\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?))?(?![\d])"
)
_BARE_AMPM = re.compile(r"(?<![\d:])(?P<h>1[0-2]|0?[1-9])\s*(?P<ampm>[AaPp]\.?[Mm]\.?)(?!\w)")


def clock_seconds(value: str) -> int:
    """Seconds since midnight of an 'HH:MM[:SS]' (or ISO datetime) string."""
    hhmm = value.split("T", 1)[1] if "T" in value else value
    parts = [int(p) for p in hhmm[:8].split(":")[:3]]
    hours, minutes = parts[0], parts[1]
    seconds = parts[2] if len(parts) > 2 else 0
    return hours * 3600 + minutes * 60 + seconds


def to_24h(hours: int, ampm: str | None) -> int:
    """Convert an hour written with an optional AM/PM marker to 0..23."""
    if not ampm:
        return hours
    pm = ampm.strip().lower().startswith("p")
    if hours == 12:
        return 12 if pm else 0
    return hours + 12 if pm else hours


def times_in_text(text: str) -> list[str]:
    """Every clock time written in free text, normalised to 24-hour 'HH:MM'."""
    found: list[str] = []
    for match in _CLOCK.finditer(text):
        hours = to_24h(int(match["h"]), match["ampm"])
        found.append(f"{hours:02d}:{match['m']}")
    for match in _BARE_AMPM.finditer(text):
        found.append(f"{to_24h(int(match['h']), match['ampm']):02d}:00")
    return found


_DAY_WORDS = re.compile(r"\b(?P<word>midnight|noon|midday)\b", re.IGNORECASE)


def clock_readings(text: str) -> list[str]:
    """Every 'HH:MM' a reader may take a time written in `text` to mean: the times
    `times_in_text` finds, the afternoon reading of a bare 12-hour time ("4:15" in an afternoon
    chat is 16:15), and "midnight" / "noon"."""
    readings = times_in_text(text)
    for match in _CLOCK.finditer(text):
        hours = int(match["h"])
        if not match["ampm"] and 1 <= hours <= 11:
            readings.append(f"{hours + 12:02d}:{match['m']}")
    for match in _DAY_WORDS.finditer(text):
        readings.append("00:00" if word_key(match["word"]) == "midnight" else "12:00")
    return readings


def hhmm(value: str) -> str:
    """The 'HH:MM' part of an 'HH:MM[:SS]' or ISO 8601 datetime string."""
    clock = value.split("T", 1)[1] if "T" in value else value
    return clock[:5]


_WALL_CLOCK = re.compile(r"(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d)(?:\.\d{1,9})?)?")
_CLOCK_WITH_OFFSET = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{1,2}(?::?\d{2})?)"
)
_DATE_AND_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def wall_clock(value: str) -> str:
    """A wall-clock time normalised to 'HH:MM' or 'HH:MM:SS' (fractions of a second dropped).

    Raises ValueError, with what to write instead, for anything else.
    """
    text = value.strip()
    match = _WALL_CLOCK.fullmatch(text)
    if match is None:
        raise ValueError(f"time {value!r} is not a 24-hour 'HH:MM' or 'HH:MM:SS' time")
    clock = f"{int(match['h']):02d}:{match['m']}"
    return f"{clock}:{match['s']}" if match["s"] else clock


def normalize_time(value: str) -> str:
    """A timeline time as every later step may read it: 'HH:MM', 'HH:MM:SS' or a full ISO 8601
    datetime (normalised by `datetime.isoformat`). Parsed once here, at the edge, so rendering
    and anchoring never meet a shape they cannot read.

    Raises ValueError with a message an LLM can act on (the engine re-asks quoting it).
    """
    text = value.strip()
    if _WALL_CLOCK.fullmatch(text):
        return wall_clock(text)
    if _CLOCK_WITH_OFFSET.fullmatch(text):
        raise ValueError(
            f"time {value!r} has a UTC offset but no date: write the chat's wall-clock time as "
            "'HH:MM' or 'HH:MM:SS', or a full ISO 8601 datetime such as 2025-05-20T09:14:00+00:00"
        )
    if _DATE_AND_TIME.match(text):
        try:
            stamp = dt.datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(
                f"time {value!r} is not a valid ISO 8601 datetime ({exc}); use "
                "YYYY-MM-DDTHH:MM[:SS] with a real date, and an offset between -23:59 and +23:59"
            ) from None
        return stamp.isoformat()
    raise ValueError(f"time {value!r} is not 'HH:MM', 'HH:MM:SS' or an ISO 8601 datetime")


# --------------------------------------------------------------------------------------------
# Incident report
# --------------------------------------------------------------------------------------------

Evidence = Annotated[
    list[int],
    Field(
        min_length=1,
        description="Ids of the transcript messages that support this item (at least one).",
    ),
]

TimelineKind = Literal[
    "trigger",
    "detection",
    "investigation",
    "mitigation",
    "recovery",
    "resolution",
    "communication",
    "other",
]


def _transcript(info: ValidationInfo) -> Transcript | None:
    context = info.context
    if isinstance(context, dict):
        candidate = context.get("transcript")
        if isinstance(candidate, Transcript):
            return candidate
    return None


class _Cited(BaseModel):
    """Base for every item that cites transcript messages."""

    evidence: Evidence

    @field_validator("evidence")
    @classmethod
    def _evidence_exists(cls, value: list[int], info: ValidationInfo) -> list[int]:
        transcript = _transcript(info)
        unique = list(dict.fromkeys(value))
        if transcript is not None:
            missing = [i for i in unique if transcript.message(i) is None]
            if missing:
                first = transcript.messages[0].id if transcript.messages else 1
                last = transcript.messages[-1].id if transcript.messages else 0
                raise ValueError(
                    f"evidence cites message ids {missing} that do not exist; "
                    f"valid ids are {first}..{last}"
                )
        return unique


_PLAIN = (
    "The same fact in plain language for the stakeholder email: no names of people, hostnames, "
    "error class names, internal tool names or jargon. Null when stakeholders need not read it."
)


class Statement(_Cited):
    """A factual sentence and the messages that support it."""

    text: str = Field(min_length=1, description="One factual statement, in plain words.")
    plain: str | None = Field(default=None, description=_PLAIN)


class TimelineEntry(_Cited):
    """One event on the incident timeline."""

    time: str = Field(
        description="When it happened: 'HH:MM', 'HH:MM:SS', or ISO 8601 when the date is known.",
    )
    description: str = Field(min_length=1, description="What happened, in one line.")
    kind: TimelineKind = Field(description="What sort of event this is.")
    plain: str | None = Field(
        default=None,
        description="The event in plain language for the stakeholder email (what was done or "
        "what users saw), no names or internals; null for steps stakeholders need not read, such "
        "as investigation.",
    )

    @field_validator("time")
    @classmethod
    def _time_shape(cls, value: str) -> str:
        return normalize_time(value)

    @model_validator(mode="after")
    def _time_matches_evidence(self, info: ValidationInfo) -> TimelineEntry:
        transcript = _transcript(info)
        if transcript is None:
            return self
        wanted = hhmm(self.time)
        candidates: list[str] = []
        for message_id in self.evidence:
            message = transcript.message(message_id)
            if message is None:
                continue
            if message.time:
                candidates.append(hhmm(message.time))
            candidates.extend(clock_readings(message.text))
        if wanted not in candidates:
            raise ValueError(
                f"time {self.time} matches neither the time of cited messages {self.evidence} "
                f"nor a time written in them (saw {sorted(set(candidates)) or 'no times'})"
            )
        return self


class ActionItem(_Cited):
    """Follow-up work agreed in the chat."""

    description: str = Field(min_length=1, description="The work to do.")
    plain: str | None = Field(
        default=None,
        description="The work in plain language for the stakeholder email (what it prevents), "
        "no names or internals; null when stakeholders need not read it.",
    )
    owner: str | None = Field(
        description="The participant the chat assigned it to; null when nobody was assigned.",
    )

    @field_validator("owner")
    @classmethod
    def _owner_is_participant(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or not value.strip():
            return None
        transcript = _transcript(info)
        if transcript is None:
            return value.strip()
        by_lower = {p.lower(): p for p in transcript.participants}
        match = by_lower.get(value.strip().lower())
        if match is None:
            raise ValueError(
                f"owner {value!r} is not a participant of the chat "
                f"({', '.join(transcript.participants) or 'none'}); use null when unassigned"
            )
        return match


class SummarySentence(_Cited):
    """One sentence of a summary, citing the messages that support that sentence."""

    text: str = Field(min_length=1, description="One sentence.")


class Summaries(BaseModel):
    """Audience-specific prose, both built from the same extraction, cited sentence by sentence."""

    technical: list[SummarySentence] = Field(
        min_length=1,
        max_length=6,
        description="Two to four sentences for engineers, each citing its own messages.",
    )
    plain: list[SummarySentence] = Field(
        min_length=1,
        max_length=6,
        description=(
            "Two to four plain-language sentences for stakeholders, each citing its own "
            "messages: no names of people, hostnames, error class names or credentials."
        ),
    )

    @property
    def evidence(self) -> list[int]:
        """Every message either summary cites, in first-cited order."""
        cited = [i for s in (*self.technical, *self.plain) for i in s.evidence]
        return list(dict.fromkeys(cited))


class IncidentReport(BaseModel):
    """Everything a postmortem needs, each fact citing the messages it came from."""

    title: str = Field(min_length=1, description="Short title naming the affected service.")
    plain_title: str | None = Field(
        default=None,
        description="What users experienced, in plain words, for the stakeholder email's subject "
        "(no service or host names); null if the chat does not say what users saw.",
    )
    summary: Summaries
    impact: list[Statement] = Field(
        description="What users saw, with the figures the chat states (percentages, counts)."
    )
    detection: Statement | None = Field(description="How the incident was noticed; null if unsaid.")
    timeline: list[TimelineEntry] = Field(description="Key events in time order.")
    root_cause: Statement | None = Field(
        description="The cause the chat settled on (later corrections win); null if unknown."
    )
    contributing_factors: list[Statement]
    resolution: Statement | None = Field(description="What ended the impact; null if unsaid.")
    action_items: list[ActionItem]
    participants: list[str] = Field(description="People who took part, as named in the chat.")
    open_questions: list[str] = Field(
        description="What a postmortem needs that the chat does not say (for example the number "
        "of affected customers). Never fill such gaps with placeholders or guesses."
    )

    @model_validator(mode="after")
    def _participants_known(self, info: ValidationInfo) -> IncidentReport:
        transcript = _transcript(info)
        if transcript is None:
            return self
        known = {p.lower(): p for p in transcript.participants}
        unknown = [p for p in self.participants if p.lower() not in known]
        if unknown:
            raise ValueError(f"participants {unknown} do not appear as authors in the chat")
        self.participants = [known[p.lower()] for p in self.participants]
        return self


# --------------------------------------------------------------------------------------------
# Engine results and drafts
# --------------------------------------------------------------------------------------------


class Usage(BaseModel):
    """What an extraction cost."""

    model: str | None = None
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached: bool = False


class Extraction(BaseModel):
    """An engine's validated answer."""

    report: IncidentReport
    usage: Usage = Field(default_factory=Usage)
    warnings: list[str] = Field(default_factory=list)


class Draft(BaseModel):
    """A rendered draft."""

    format: Literal["markdown"] = "markdown"
    text: str


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema of `IncidentReport`, as exported to `schemas/`."""
    return IncidentReport.model_json_schema()
