"""Chats without times: 'Name: text' lines.

    Priya: checkout is down
    Ravi: rolling back

Each line is attributed to its author and no time is invented (a warning says times are
missing). A name must look like a person's (capitalised words or one handle) and not be one of
the labels prose uses the same way ('Note:', 'Impact:', 'Root cause:', 'Action items:').
"""

from __future__ import annotations

from app.ingest.line_formats import LineFormat, split_inline
from app.ingest.records import Header
from app.ingest.stacked import name_line

LABELS = frozenset(
    """note notes update updates action actions impact cause summary todo error errors warning
    warn info debug step q a re subject from to cc bcc date time fix status owner owners eta
    severity sev priority timeline resolution detection question answer edit ps fyi tldr tl;dr
    example result reason problem solution symptom symptoms workaround link links docs ticket
    jira pr commit host service env region cluster user users customer customers count total
    duration start end started ended detected mitigated resolved trigger goal context background
    agenda decision decisions next attendees present absent location ref see cve alert alerts
    output input command response request log logs trace stack message hint tip warning caution
    important attention reminder pager incident incidents postmortem owner assignee reporter
    environment version build release branch tag image pod node namespace deployment""".split()
)


def untimed_parts(line: str) -> tuple[str, str] | None:
    """(author, text) of a 'Name: text' line, or None when the line is not one."""
    if len(line) < 3 or not line[0].isalnum():
        return None
    parts = split_inline(line)
    if parts is None:
        return None
    author, text = parts
    if author.lower() in LABELS or author.lower().split()[-1] in LABELS:
        return None
    if name_line(author) is None:
        return None
    return author, text


def match_untimed(line: str) -> Header | None:
    """A 'Name: text' line as a header without a time."""
    parts = untimed_parts(line)
    return Header(author=parts[0], clock=None, text=parts[1]) if parts else None


UNTIMED = LineFormat("untimed", match_untimed)
