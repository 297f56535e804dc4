"""A paste of an incident tool's timeline page and the chat, one after the other.

Responders often paste the PagerDuty / Opsgenie / incident.io page and then the channel under a
heading (`## Slack #inc-4127`), or the reverse. Each part is a different line format, and the
incident-timeline reader does not mix with chat readers line by line (its entries keep the time
below them), so the whole text read as one format leaves the other part as one unattributed
block. The text is read in two sections when a Markdown heading or a rule line (`---`) splits it
into a part whose best format is `incident-timeline` and a part whose best format is a chat
format, each part qualifying on its own. Only the first few heading lines are tried, and only
when the whole text already shows both kinds (so every other paste costs nothing extra).
"""

from __future__ import annotations

from app.ingest.detect import Detection, detect_format
from app.ingest.normalise import SourceLine, is_heading

TIMELINE = "incident-timeline"
_MAX_TRIED = 8


def _both_kinds(detection: Detection) -> bool:
    qualifying = {s.name for s in detection.scores if s.qualifies}
    return TIMELINE in qualifying and len(qualifying - {TIMELINE}) > 0


def split_point(lines: list[SourceLine], detection: Detection) -> int | None:
    """The index into `lines` where a timeline part and a chat part meet, or None."""
    if not _both_kinds(detection):
        return None
    tried = 0
    for index, line in enumerate(lines):
        # a Markdown heading ("## Slack #inc-4127") or a rule line ("---", "***", "===")
        if index == 0 or not (line.ui == "rule" or is_heading(line.text)):
            continue
        tried += 1
        if tried > _MAX_TRIED:
            break
        head, tail = detect_format(lines[:index]).name, detect_format(lines[index:]).name
        if head and tail and head != tail and TIMELINE in (head, tail):
            return index
    return None
