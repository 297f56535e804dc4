"""What ingest did with the input, reported with every draft so no attribution is silent."""

from __future__ import annotations

from pydantic import BaseModel, Field


class IngestReport(BaseModel):
    """The facts behind the parsed messages: which format was read and what each line became."""

    format: str = Field(description="The format that was read (detected or requested).")
    mixed_with: list[str] = Field(
        default_factory=list, description="Other header shapes found mixed into the chat."
    )
    source: str = Field(
        default="text", description="text (a paste or .txt), json, jsonl, zip or folder."
    )
    files: list[str] = Field(
        default_factory=list, description="Export files that were read (archives and folders)."
    )
    channel: str | None = Field(default=None, description="The export channel that was read.")
    messages: int = Field(default=0, description="Messages parsed.")
    header_lines: int = Field(default=0, description="Lines that started a message.")
    continuation_lines: int = Field(
        default=0, description="Non-blank lines that continued the message above them."
    )
    unattributed_lines: int = Field(
        default=0, description="Non-blank lines in messages with no author (preamble, events)."
    )
    ui_lines: int = Field(
        default=0,
        description="App decoration dropped: reactions, '15 replies', 'Edited', rules, date "
        "separators (these date the messages below them).",
    )
    untimed_messages: int = Field(default=0, description="Messages without a time.")
    uncertain_lines: list[int] = Field(
        default_factory=list,
        description="Source lines (export: item positions) whose attribution is a judgement "
        "call: untimed 'Name: text' lines split off, unclosed code fences.",
    )
