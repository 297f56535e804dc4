"""Ingest: turn a raw incident chat (pasted from any app, or an export file) into a `Transcript`.

The first step of the pipeline. Modules, in the order data flows through them:

- `normalise`: invisible characters, Markdown quotes, bullets, app decoration, date separators.
- `formats`: the supported formats (`SUPPORTED_FORMATS`) and their header recognisers, one module
  per family: `line_formats` (bracket/plain/IRC/date-time lines), `copy_paste` (Slack, Discord,
  Teams classic), `stacked` (name line above a time line: Mattermost, Google Chat, Teams, the
  Slack thread pane), `whatsapp`, `zoom`, `incident_timeline` (actors: `timeline_actors`),
  `untimed`; `clock` and `dates` read the times and dates they find.
- `detect`: scores every line format over the whole text and picks the best (mixing shapes).
- `assemble`: groups lines into messages (fences, quotes and untimed lines per message).
- `exports`: export files (Slack, Discord, Teams Graph with `teams_content`, Mattermost, Matrix)
  and safe archives.
- `timeline`: ids, day rollover, AM/PM slips, time zones and timestamps.
- `report`: `IngestReport`, the facts every transcript carries.
- `parse`: `parse_transcript` (text) and `parse_export` (bytes, ZIP, folder).

Decisions worth knowing are documented where they are implemented. Nothing is dropped silently:
text before the first header is an unattributed message (warned about), app decoration is
counted, and lines whose attribution is a judgement call are listed in a warning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.ingest.formats import SUPPORTED_FORMATS
    from app.ingest.parse import parse_export, parse_transcript
    from app.ingest.report import IngestReport

__all__ = ["SUPPORTED_FORMATS", "IngestReport", "parse_export", "parse_transcript"]


def __getattr__(name: str) -> Any:
    # Imported lazily: `app.models` imports `app.ingest.report`, and `parse` imports `app.models`.
    if name in ("parse_transcript", "parse_export"):
        from app.ingest import parse

        return getattr(parse, name)
    if name == "SUPPORTED_FORMATS":
        from app.ingest.formats import SUPPORTED_FORMATS

        return SUPPORTED_FORMATS
    if name == "IngestReport":
        from app.ingest.report import IngestReport

        return IngestReport
    raise AttributeError(f"module 'app.ingest' has no attribute {name!r}")
