"""Who the chat assigned each follow-up to.

Chats assign work in a few recognisable ways: "I'll own #1 and #4" (numbered references into the
last list anyone posted), "Ravi can you handle #2?", "Alex, please fix config in staging",
"Priya, maybe you can update the runbook?" answered by "Yep, I'll take care of that", or a bare
"I'll run load tests on staging". Each becomes an `Assignment` the owner checks compare against.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.models import Message
from app.verify.text import clauses, content_stems

_SELF = re.compile(
    r"\b(?:i['’]ll|i will|i can take|i['’]m on it|i am on it|i['’]ve got it|i got it|mine)\b"
    r"|^\s*on it\b",
    re.IGNORECASE,
)
_REF = re.compile(r"#(\d{1,2})\b")
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)]|\[[ xX]?\])?\s*")
_ANAPHOR = re.compile(r"\b(?:that|it|this|those|them)\b", re.IGNORECASE)
_VERBS_OF_TAKING = {"own", "take", "care", "handl", "grab", "pick", "do", "it", "on"}


@dataclass(frozen=True)
class Assignment:
    """One piece of work the chat gave to one participant."""

    owner: str
    task: str
    stems: frozenset[str]
    message_id: int


def _list_items(text: str) -> list[str] | None:
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 3:
        return None
    items = [_BULLET.sub("", line).strip() for line in lines[1:]]
    return [item for item in items if item] or None


def _delegation(clause: str, names: dict[str, str]) -> tuple[str, str] | None:
    """'Ravi, can you X' / 'Alex, please X' / 'Priya will X' -> (owner, task)."""
    match = re.match(
        r"^\s*(?:(?:also|and|ok|so|yes|great),?\s+)?(?P<name>[A-Z][\w-]+)\b,?\s*(?P<rest>.*)$",
        clause,
    )
    if not match or match["name"].lower() not in names:
        return None
    rest = match["rest"]
    asked = re.match(
        r"(?:(?:maybe|please|pls)\s+)?(?:(?:can|could|would|will)\s+you\s+|you\s+can\s+|"
        r"will\s+|to\s+|owns?\s+|please\s+|)(?P<task>.+)$",
        rest,
        re.IGNORECASE,
    )
    if asked is None or not rest.strip() or not clause.split(match["name"], 1)[1].startswith(
        (",", " can", " could", " would", " will", " to ", " owns", " please", " maybe")
    ):
        return None
    return names[match["name"].lower()], asked["task"].strip(" ?.!")


def find_assignments(messages: Sequence[Message]) -> list[Assignment]:
    """Every assignment of work the chat makes, in message order."""
    names = {m.author.lower(): m.author for m in messages if m.author}
    last_list: list[str] = []
    pending: dict[str, str] = {}
    last_request = ""
    found: list[Assignment] = []

    def add(owner: str, task: str, message_id: int) -> None:
        stems = frozenset(content_stems(task)) - _VERBS_OF_TAKING
        if stems:
            found.append(Assignment(owner, task, stems, message_id))

    for message in messages:
        items = _list_items(message.text)
        for clause in clauses(message.text):
            refs = [int(n) for n in _REF.findall(clause)]
            tasks = [last_list[n - 1] for n in refs if 0 < n <= len(last_list)]
            delegated = _delegation(clause, names)
            if delegated is not None:
                owner, task = delegated
                for t in tasks or [task]:
                    add(owner, t, message.id)
                pending[owner] = "; ".join(tasks) or task
                continue
            if message.author and _SELF.search(clause):
                own_words = set(content_stems(clause)) - _VERBS_OF_TAKING
                if tasks:
                    for t in tasks:
                        add(message.author, t, message.id)
                elif _ANAPHOR.search(clause) and len(own_words) <= 1 or not own_words:
                    task = pending.get(message.author) or last_request
                    if task:
                        add(message.author, task, message.id)
                else:
                    add(message.author, clause, message.id)
            elif re.search(r"\b(?:someone|somebody|anyone)\b", clause, re.IGNORECASE):
                last_request = clause
        if items:
            last_list = items
    return found
