"""Sample incidents and their gold annotations (`<incidents>/<id>/transcript.* + gold.json`).

The gold format is documented in `eval/incidents/README.md` and `eval/README.md`. A malformed
gold file is a `GoldFormatError` that names the file and the field, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError

from app.errors import PostmortemError

if TYPE_CHECKING:
    from app.ingest.upload import Upload

_EXPORT_SUFFIXES = (".zip", ".jsonl")
GOLD_FILE = "gold.json"
MESSAGES_FILE = "messages.json"
TRANSCRIPT_STEM = "transcript"
RECORDINGS_DIR = "recordings"

_HHMM = r"^(?:[01]\d|2[0-3]):[0-5]\d$"

Alternative = Annotated[str, StringConstraints(min_length=1)]
KeywordGroup = Annotated[list[Alternative], Field(min_length=1)]
Keywords = Annotated[
    list[KeywordGroup],
    Field(description="Groups of alternatives: every group needs one alternative in the text."),
]


class GoldModel(BaseModel):
    """Base: unknown fields are errors, so a typo in a gold file is caught, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldTimelineEvent(GoldModel):
    """An event the timeline must contain, within a minute of `time`."""

    time: Annotated[str, StringConstraints(pattern=_HHMM)]
    event: str
    keywords: Keywords


class GoldRootCause(GoldModel):
    """The cause the chat settled on."""

    description: str
    keywords: Keywords


class GoldActionItem(GoldModel):
    """Follow-up work agreed in the chat; `owner` is null when nobody took it."""

    description: str
    owner: str | None
    keywords: Keywords


Split = Literal["dev", "test"]


class GoldMessage(GoldModel):
    """Who wrote one message and when, as a careful reader splits the chat (`messages.json`)."""

    author: str | None
    time: Annotated[str, StringConstraints(pattern=_HHMM)] | None = None


_MESSAGES: TypeAdapter[list[GoldMessage]] = TypeAdapter(list[GoldMessage])


class Gold(GoldModel):
    """Everything a good draft of one sample incident gets right (and must not say)."""

    id: str = Field(min_length=1)
    title: str
    split: Split = Field(
        default="dev",
        description="dev: rules may be tuned on it; test: frozen, only read in aggregate.",
    )
    format: str | None = None
    channel: str | None = Field(
        default=None, description="For an export of several channels: the incident's channel."
    )
    date: dt.date | None = None
    timezone: str | None = None
    participants: list[str] = Field(default_factory=list)
    timeline: list[GoldTimelineEvent]
    root_cause: GoldRootCause | None
    action_items: list[GoldActionItem]
    impact_figures: list[str] = Field(default_factory=list)
    must_not_appear: list[str] = Field(default_factory=list)
    resolved: bool | None = Field(
        default=None,
        description="Whether the chat shows users recovered by its end (null: not annotated).",
    )
    stakeholder_must_not_appear: list[str] = Field(
        default_factory=list,
        description="People's names, hostnames, error classes and internal tool names that a "
        "stakeholder email must not show.",
    )
    notes: str = ""


class GoldFormatError(PostmortemError):
    """A sample incident's files are missing or malformed."""

    status = 422
    title = "Invalid eval incident"


@dataclass(frozen=True)
class Incident:
    """One sample incident: its folder, transcript file and gold annotations."""

    directory: Path
    transcript_path: Path
    gold: Gold
    messages: tuple[GoldMessage, ...] | None = None

    @property
    def id(self) -> str:
        return self.gold.id

    @property
    def recordings_dir(self) -> Path:
        return self.directory / RECORDINGS_DIR

    def transcript_text(self) -> str:
        return self.transcript_path.read_text(encoding="utf-8-sig")

    def source(self) -> str | Upload:
        """What the pipeline reads: pasted text, or an export file or folder (with its
        channel), exactly as `postmortem draft` would be given it."""
        path = self.transcript_path
        if path.is_dir() or path.suffix.lower() in _EXPORT_SUFFIXES or self.gold.channel:
            from app.ingest.upload import Upload

            data: bytes | Path = path if path.is_dir() else path.read_bytes()
            return Upload(data=data, filename=path.name, channel=self.gold.channel)
        return self.transcript_text()


def load_gold_messages(path: Path) -> tuple[GoldMessage, ...] | None:
    """The attribution key `messages.json`, or None when the incident has none."""
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        return tuple(_MESSAGES.validate_python(data))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GoldFormatError(f"{path}: not valid JSON ({exc})") from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{_field_path(error['loc'])}: {error['msg']}" for error in exc.errors()[:5]
        )
        raise GoldFormatError(f"{path}: {problems}", hint="see eval/incidents/README.md") from None


def load_gold(path: Path) -> Gold:
    """Read and validate one gold file; errors name the file and the offending field."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise GoldFormatError(
            f"{path}: no gold file", hint="each incident folder needs a gold.json"
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GoldFormatError(f"{path}: not valid JSON ({exc})") from None
    try:
        return Gold.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{_field_path(error['loc'])}: {error['msg']}" for error in exc.errors()
        )
        raise GoldFormatError(
            f"{path}: {problems}", hint="see eval/README.md, 'Gold format'"
        ) from None


def _field_path(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int) and parts:
            parts[-1] += f"[{part}]"
        else:
            parts.append(str(part))
    return ".".join(parts) or "(top level)"


def load_incident(directory: Path) -> Incident:
    """One incident folder: exactly one `transcript.*` file and a valid `gold.json`."""
    gold = load_gold(directory / GOLD_FILE)
    if gold.id != directory.name:
        raise GoldFormatError(
            f"{directory / GOLD_FILE}: id: {gold.id!r} differs from the folder name "
            f"{directory.name!r}",
            hint="make the gold id equal to the incident folder's name",
        )
    transcripts = sorted(directory.glob(f"{TRANSCRIPT_STEM}.*"))
    if (directory / TRANSCRIPT_STEM).is_dir():  # an export folder (Slack workspace export)
        transcripts.append(directory / TRANSCRIPT_STEM)
    if len(transcripts) != 1:
        found = ", ".join(p.name for p in transcripts) or "none"
        raise GoldFormatError(
            f"{directory}: expected one transcript (transcript.txt, .json, .jsonl, .zip or a "
            f"transcript/ export folder), found {found}"
        )
    return Incident(
        directory=directory,
        transcript_path=transcripts[0],
        gold=gold,
        messages=load_gold_messages(directory / MESSAGES_FILE),
    )


def discover_incidents(root: Path, only: list[str] | None = None) -> list[Incident]:
    """Every incident folder under `root` (folders holding a gold.json), sorted by name.

    `only` keeps the incidents whose id equals or starts with one of its entries.
    """
    if not root.is_dir():
        raise GoldFormatError(
            f"no incidents folder at {root}", hint="pass --incidents DIR (see eval/README.md)"
        )
    folders = sorted(p.parent for p in root.glob(f"*/{GOLD_FILE}"))
    if only:
        folders = [f for f in folders if any(f.name.startswith(o) for o in only)]
    if not folders:
        wanted = f" matching {', '.join(only)}" if only else ""
        raise GoldFormatError(
            f"no incidents{wanted} in {root}",
            hint="an incident is a folder with transcript.txt (or .json) and gold.json",
        )
    return [load_incident(folder) for folder in folders]


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def recording_file_name(model: str) -> str:
    """The file a model's recorded completions live in: `recordings/<model>.json`."""
    return _SAFE_NAME.sub("_", model).strip("._") + ".json"
