"""An uploaded transcript: a file's bytes (text, JSON, JSONL, ZIP) or a folder, plus what to
read from it. The API and the CLI build one; the pipeline parses it like pasted text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from app.ingest.exports.archive import ArchiveLimits
from app.ingest.parse import parse_export
from app.models import Transcript


@dataclass(frozen=True)
class Upload:
    """An export file, archive or folder, with the channel and time window to read."""

    data: bytes | Path
    filename: str | None = None
    channel: str | None = None
    since: dt.datetime | dt.date | None = None
    until: dt.datetime | dt.date | None = None
    limits: ArchiveLimits = field(default_factory=ArchiveLimits)

    def parse(
        self, *, format: str | None, date: dt.date | None, timezone: str | None
    ) -> Transcript:
        """The transcript this upload holds (see `parse_export`)."""
        return parse_export(
            self.data,
            filename=self.filename,
            format=format,
            date=date,
            timezone=timezone,
            channel=self.channel,
            since=self.since,
            until=self.until,
            limits=self.limits,
        )
