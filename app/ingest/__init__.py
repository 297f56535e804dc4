"""Ingest: turn a raw incident chat (Slack, Teams, IRC, Discord, plain logs) into a `Transcript`.

The first step of the pipeline. Modules, in the order data flows through them:

- `formats`: the supported formats (`SUPPORTED_FORMATS`) and their header recognisers, which
  live in `line_formats` (bracket/plain/IRC/date-time lines) and `copy_paste` (Slack, Teams and
  Discord app copies); `clock` normalises the times they read.
- `detect`: scores every line format on a sample and picks the best.
- `assemble`: groups lines into messages (code fences, continuation lines, unattributed preamble).
- `slack_export`: the Slack export JSON.
- `timeline`: ids, day rollover, time zones and timestamps.
- `parse`: `parse_transcript`, which ties these together.

Decisions worth knowing (each documented where it is implemented):

- Nothing is dropped: text before the first header is an unattributed message (warned about);
  any other unrecognised line continues the message above it; fenced code never starts one.
- Authors lose decoration: IRC '<@kofi>' and '@kofi' are 'kofi'; Slack/Discord 'APP'/'BOT'
  badges are dropped. App '(edited)' markers at a message end are dropped; text is otherwise
  kept as written (trailing spaces and surrounding blank lines removed).
- IRC '* kofi ...' actions belong to kofi, with the text as written; join/part lines are kept
  unattributed. Slack export system events (joins, topic changes) are kept unattributed and
  counted in a warning.
- A clock that steps back more than an hour starts the next day (`timeline.ROLLOVER_SLACK`).
"""

from app.ingest.formats import SUPPORTED_FORMATS
from app.ingest.parse import parse_transcript

__all__ = ["SUPPORTED_FORMATS", "parse_transcript"]
