"""Who the chat assigned each follow-up to.

The rules follow the extraction engine's (`app/engines/extractive/action_items.py`), so the checker
credits the owner the engine would:
- an owner written on a list line: "- Kofi: add alert", "Kofi to add alert", "add alert (Kofi)";
- a claim by the speaker: "I'll own #1 and #4", "I'll take 2", "2 is mine", "I can do 1" (numbers
  refer to the last list anyone posted), or a bare "I'll run load tests on staging";
- a direct assignment: "Ravi to take #2", "Ravi will handle the runbook";
- a request ("Ravi can you handle #2?", "Priya, maybe you can update the runbook?") only once the
  person accepts in one of their next messages ("Sure thing", "yep", "I'll take care of that").
Whoever posted a list owns none of its items by posting it: a listed item nobody takes becomes an
`Assignment` with no owner.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.models import Message
from app.verify.text import clauses, content_stems

_SELF = re.compile(
    r"\b(?:i['’]ll|i will|i can (?:take|do|own|handle|grab)|i['’]m on it|i am on it|"
    r"i['’]ve got it|i got it|mine)\b|^\s*on it\b",
    re.IGNORECASE,
)
# Item numbers: "#2", "take 2", "items 1 and 3", "2 is mine" (as the engine's `_NUMBER_REF`).
_REF = re.compile(
    r"#\s?(?P<a>\d{1,2})\b|\b(?:own|take|handle|grab|do|cover|claim|items?|numbers?|and|&|\+)"
    r"\s+#?(?P<b>\d{1,2})\b(?!\s*(?:%|min|sec|hour|ms\b|s\b|h\b))|^\W*#?(?P<c>\d{1,2})\s+(?:is|are)\s+mine\b",
    re.IGNORECASE,
)
_LIST_LINE = re.compile(r"^\s*(?:[-*•·]|#?\d{1,2}[.)])\s+\S")
_NUMBERED = re.compile(r"^\s*#?\d{1,2}[.)]\s")
_LIST_HEADER = re.compile(
    r"\b(?:action[- ]items?|follow[- ]?ups?|to-?dos?|next steps)\b[^:]*:\s*$", re.IGNORECASE
)
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")
_ORDINAL = re.compile(rf"\b({'|'.join(_ORDINALS)})\s+(?:one|item|point)\b", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•·]|#?\d{1,2}[.)]|\[[ xX]?\])?\s*")
_ANAPHOR = re.compile(r"\b(?:that|it|this|those|them)\b", re.IGNORECASE)
_REQUEST = re.compile(
    r"\b(?:can|could|would)\s+you\b|\byou\s+can\b|\bplease\b|\bpls\b|\bmaybe\b|\?\s*$",
    re.IGNORECASE,
)
_ACCEPT = re.compile(
    r"^\W*(?:sure|yes|yep|yup|yeah|ok|okay|on it|will do|can do|got it|happy to|absolutely|"
    r"of course|no problem|np|sounds good|i['’]ll take|i['’]ll do|i can|i['’]ll handle|"
    r"i['’]m on it|definitely|done|👍|\+1)\b",
    re.IGNORECASE,
)
_DECLINE = re.compile(
    r"^\W*(?:no|nope|can['’]?t|cannot|not me|sorry|i['’]m out|busy)\b", re.IGNORECASE
)
_DEFERRAL = re.compile(
    r"\b(?:whoever|board|backlog|unassigned|unowned|no owner|someone else|not me)\b", re.IGNORECASE
)
# Owners written on a list line: "Kofi: add alert", "Kofi to add alert", "add alert (Kofi)".
_INLINE_OWNER = (
    re.compile(r"^@?(?P<name>[A-Za-z][\w.\-]*)\s*(?::|—|–|\s-\s)\s*(?P<task>.+)$"),
    re.compile(r"^@?(?P<name>[A-Za-z][\w.\-]*)\s+(?:to|will|owns?|takes?)\s+(?P<task>.+)$"),
    re.compile(
        r"^(?P<task>.+?)\s*[(\[]\s*(?:owner\s*[:=]\s*)?@?(?P<name>[\w.\-]+)\s*[)\]]\s*\.?$",
        re.IGNORECASE,
    ),
)
_VERBS_OF_TAKING = {"own", "take", "care", "handl", "grab", "pick", "do", "it", "on"}
# A request is accepted in one of the addressee's messages within this many messages.
ACCEPT_WINDOW = 5


@dataclass(frozen=True)
class Assignment:
    """One piece of work the chat gave to one participant (`owner` None: listed, never taken)."""

    owner: str | None
    task: str
    stems: frozenset[str]
    message_id: int


@dataclass
class _Request:
    tasks: list[str]
    position: int


@dataclass
class _Walk:
    """What `find_assignments` has read so far."""

    names: dict[str, str]
    found: list[Assignment] = field(default_factory=list)
    last_list: list[str] = field(default_factory=list)
    unowned: dict[str, int] = field(default_factory=dict)  # listed task -> list message id
    pending: dict[str, _Request] = field(default_factory=dict)
    last_request: str = ""

    def add(self, owner: str, task: str, message_id: int) -> None:
        """Give `task` to `owner`, and with it the listed item it names by its words ("I'll
        do the expiry alert" takes "expiry alert for every public cert")."""
        stems = _task_stems(task)
        if not stems:
            return
        self.found.append(Assignment(owner, task, stems, message_id))
        self.unowned.pop(task, None)
        item = None if task in self.last_list else _item_named(stems, self.last_list)
        if item is not None:
            self.found.append(Assignment(owner, item, _task_stems(item), message_id))
            self.unowned.pop(item, None)

    def list_item(self, item: str, message_id: int) -> None:
        """A listed item: owned when the line names its owner ("- Kofi: add alert")."""
        if not item:
            return
        inline = _inline_owner(item, self.names)
        task = inline[1] if inline is not None else item
        self.last_list.append(task)
        if inline is not None:
            self.add(inline[0], task, message_id)
        else:
            self.unowned[item] = message_id


def _task_stems(task: str) -> frozenset[str]:
    return frozenset(content_stems(task)) - _VERBS_OF_TAKING


def _item_named(stems: frozenset[str], items: list[str]) -> str | None:
    """The one listed item that shares the most distinctive words with a task (each word
    weighs 1 / the number of items using it; at least 1 in all, and more than any other item)."""
    item_stems = [_task_stems(item) for item in items]
    uses: dict[str, int] = {}
    for words in item_stems:
        for word in words:
            uses[word] = uses.get(word, 0) + 1
    scored = sorted(
        ((sum(1 / uses[w] for w in stems & words), n) for n, words in enumerate(item_stems)),
        reverse=True,
    )
    if not scored:
        return None
    best, runner_up = scored[0], scored[1] if len(scored) > 1 else (0.0, -1)
    return items[best[1]] if best[0] >= 1.0 and best[0] > runner_up[0] else None


def _list_items(text: str) -> list[str] | None:
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 3:
        return None
    items = [_BULLET.sub("", line).strip() for line in lines[1:]]
    return [item for item in items if item] or None


def _inline_owner(item: str, names: dict[str, str]) -> tuple[str, str] | None:
    """'Kofi: add alert' -> (Kofi, 'add alert'), when the name is a participant's."""
    for pattern in _INLINE_OWNER:
        match = pattern.match(item)
        if match and match["name"].lower() in names:
            return names[match["name"].lower()], match["task"].strip()
    return None


def _delegation(clause: str, names: dict[str, str]) -> tuple[str, str] | None:
    """'Ravi, can you X' / 'Alex, please X' / 'Priya will X' -> (owner, task)."""
    match = re.match(
        r"^\s*(?:(?:also|and|ok|so|yes|great),?\s+)?@?(?P<name>[A-Za-z][\w-]+)\b,?\s*(?P<rest>.*)$",
        clause,
        re.IGNORECASE,
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
    if (
        asked is None
        or not rest.strip()
        or not clause.split(match["name"], 1)[1].startswith(
            (",", " can", " could", " would", " will", " to ", " owns", " please", " maybe")
        )
    ):
        return None
    return names[match["name"].lower()], asked["task"].strip(" ?.!")


def _numbered(clause: str, items: list[str]) -> list[str]:
    numbers = [int(n) for m in _REF.finditer(clause) for n in m.groups() if n]
    numbers += [_ORDINALS.index(m[1].lower()) + 1 for m in _ORDINAL.finditer(clause)]
    return list(dict.fromkeys(items[n - 1] for n in numbers if 0 < n <= len(items)))


def _accepts(walk: _Walk, message: Message, position: int) -> bool:
    """Credit the author with the work they were asked to do when this message accepts it."""
    request = walk.pending.pop(message.author, None) if message.author else None
    if request is None or position - request.position > ACCEPT_WINDOW or not message.author:
        return False
    first = next(iter(clauses(message.text)), "")
    if not _ACCEPT.search(first) or _DECLINE.search(first):
        return False
    for task in request.tasks:
        walk.add(message.author, task, message.id)
    return True


def _read_clause(walk: _Walk, clause: str, message: Message, position: int, accepted: bool) -> None:
    tasks = _numbered(clause, walk.last_list)
    delegated = _delegation(clause, walk.names)
    if delegated is not None:
        owner, task = delegated
        if _REQUEST.search(clause):
            walk.pending[owner] = _Request(tasks or [task], position)
        else:
            for t in tasks or [task]:
                walk.add(owner, t, message.id)
        return
    author = message.author
    if author and _SELF.search(clause) and not _DEFERRAL.search(clause):
        own_words = set(content_stems(clause)) - _VERBS_OF_TAKING
        if tasks:
            for t in tasks:
                walk.add(author, t, message.id)
        elif accepted:
            return  # "Yep, I'll take care of that": the accepted request says what
        elif _ANAPHOR.search(clause) and len(own_words) <= 1 or not own_words:
            if walk.last_request:
                walk.add(author, walk.last_request, message.id)
        else:
            walk.add(author, clause, message.id)
    elif re.search(r"\b(?:someone|somebody|anyone)\b", clause, re.IGNORECASE):
        walk.last_request = clause


def find_assignments(messages: Sequence[Message]) -> list[Assignment]:
    """Every assignment of work the chat makes, in message order, then the listed items nobody
    took (with no owner)."""
    walk = _Walk(names={m.author.lower(): m.author for m in messages if m.author})
    continued = False  # whether the next list-line messages continue the last list
    for position, message in enumerate(messages):
        lines = [line for line in message.text.splitlines() if line.strip()]
        if continued and lines and all(_LIST_LINE.match(line) for line in lines):
            for line in lines:  # "nice. so followups:", then "1. ...", "2. ..." one per message
                walk.list_item(_BULLET.sub("", line).strip(), message.id)
            continue
        accepted = _accepts(walk, message, position)
        for clause in clauses(message.text):
            _read_clause(walk, clause, message, position, accepted)
        items = _list_items(message.text)
        header = bool(lines) and bool(_LIST_HEADER.search(lines[-1]))
        if items or header:
            walk.last_list = []
            for item in items or []:
                walk.list_item(item, message.id)
        continued = header or bool(items and _NUMBERED.match(lines[-1]))
    unowned = [
        Assignment(None, task, stems, message_id)
        for task, message_id in walk.unowned.items()
        if (stems := _task_stems(task))
    ]
    return walk.found + unowned
