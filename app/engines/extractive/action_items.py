"""Follow-up work: items from action-item lists and one-line items, with owners the chat gave.

Owners, decided conservatively (an owner is only ever a participant, else null):
- inline on the item: "- Kofi: add alert", "Kofi to add alert", "add alert (Kofi)", "@kofi";
- a claim by the speaker: "I'll own #1 and #4", "I'll take 1 and 3" -> the speaker;
- a direct assignment: "Ravi to take #2", "#2 -> Ravi", "Ravi will handle the runbook";
- a request ("Ravi can you handle #2?", "Priya, maybe you can update the runbook?") only once the
  person accepts in one of their next messages ("Sure thing", "yes", "on it", "I'll take care of
  that"); a request nobody accepts leaves the item unowned.
Items are referenced by number ("#2", "1 and 3") or by the words they share with one item only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.engines.extractive.chat import Chat, Sentence
from app.engines.extractive.cues import cue
from app.engines.extractive.people import Roster
from app.engines.extractive.text import (
    content_words,
    is_list_line,
    split_sentences,
    strip_bullet,
    strip_filler,
    tidy,
)
from app.models import Message

_HEADER = cue(
    r"\b(?:action[- ]items?|follow[- ]?ups|follow[- ]up items|to-?dos?|next steps|take-?aways|"
    r"lessons(?: learned)?|improvements)\b|\bAIs\b"
)
_INLINE_LIST = cue(r"\b(?:action[- ]items?|follow[- ]?ups|to-?dos?|next steps)\b")
_LIST_START = re.compile(r"^\s*(?:1[.)]|#1\b)\s")
_SECOND = re.compile(r"^\s*(?:2[.)]|#2\b)\s")
_ITEM_CLAIM = cue(
    r"\b(?:(?:is|that'?s|this is|it'?s) mine|i'?ll (?:take|own|do|drive) (?:it|this|that)|"
    r"i can (?:take|own|do) (?:it|this|that))\b"
)
_PREFIXED = re.compile(
    r"^(?:AI|[Aa]ction(?: [Ii]tem)?|ACTION(?: ITEM)?|TODO|[Tt]odo|[Ff]ollow[- ]?up)\s*[:\-–—]\s*"
    r"(?P<rest>.+)$"
)
_VERBS = (
    r"(?:add|create|write|update|document|automate|file|open|draft|implement|improve|build|audit|"
    r"review|tune|schedule|set up|setup|fix|investigate|look into|follow up|migrate|remove|"
    r"enforce|introduce|require|alert|monitor|make|own|clean up|backfill|rotate|upgrade)"
)
_X_TO_DO = cue(
    rf"^@?(?P<name>[A-Za-z][\w.\-]*)\s+(?:to|will|is going to)\s+(?P<task>{_VERBS}\b.+)$"
)
_COMMIT = cue(rf"\b(?:i'?ll|i will|i'?m going to|i can)\s+(?P<task>(?:also\s+)?{_VERBS}\b.+)$")
_PLEASE = cue(
    rf"^@(?P<name>[\w.\-]+)\s*,?\s*(?:can you |could you )?(?:please\s+)?"
    rf"(?P<task>{_VERBS}\b.+)$"
)
_INLINE_OWNER = [
    cue(r"^@?(?P<name>[A-Za-z][\w.\-]*(?:\s[A-Z][\w\-]*)?)\s*(?::|—|–|\s-\s)\s*(?P<task>.+)$"),
    cue(r"^@?(?P<name>[A-Za-z][\w.\-]*)\s+(?:to|will|owns?|takes?|is on)\s+(?P<task>.+)$"),
    # The task and the name never end in whitespace (the separator's possessive `\s*+` takes it),
    # so a long run of spaces is scanned once instead of once per character.
    cue(
        r"^(?P<task>.+?)(?<!\s)\s*+[(\[]\s*+(?:owner\s*+[:=]\s*+)?@?(?P<name>[\w.\- ]+?)(?<! )"
        r"\s*+[)\]]\s*+\.?$"
    ),
    cue(
        r"^(?P<task>.+?)(?<!\s)\s*+(?:—|–|(?<=\s)-\s|->|→|:)\s*+(?:owner\s*+[:=]?\s*+)?@?"
        r"(?P<name>[\w.\-]+)\s*+\.?$"
    ),
    cue(
        r"^(?P<task>.+?)(?<![\s,;])[\s,;]*+(?:owner|assignee|assigned to)\s*+[:=]?\s*+@?"
        r"(?P<name>[\w.\-]+)\.?$"
    ),
]
_MENTION = re.compile(r"@(?P<name>[\w.\-]+)")
_FIRST_PERSON = cue(r"\b(?:i'?ll|i will|i can|i'?m|i've got|i got|i'?d|i)\b")
_CLAIM_VERB = cue(
    r"\b(?:own|take|handle|grab|do|cover|claim|pick up|tackle|got|have|work on|drive)\b"
)
_MINE = cue(r"\b(?:is|are) mine\b")
_REQUEST = cue(
    r"\b(?:can you|could you|would you|will you|please|maybe you|you can|mind|want to|able to)\b"
)
_DIRECT = cue(r"^@?(?P<name>[A-Za-z][\w.\-]*)\s+(?:to|will|owns?|takes?|has|gets?|is on)\b")
_ARROW = cue(r"#?(?P<num>\d{1,2})\s*(?:->|→|=>|:|\bto\b|\bfor\b)\s*@?(?P<name>[A-Za-z][\w.\-]*)")
_NUMBER_REF = cue(
    r"#\s?(?P<a>\d{1,2})\b|\b(?:own|take|handle|grab|do|cover|claim|items?|numbers?|and|&|,|\+)"
    r"\s+#?(?P<b>\d{1,2})\b|^\W*#?(?P<c>\d{1,2})\s+(?:is|are)\s+mine\b|"
    r"\b(?:pr|fix|patch|change|ticket) for #?(?P<d>\d{1,2})\b"
)
_PLEDGE = cue(r"\b(?:i'?ll|i will|i'?m going to)\b")
# "3 and 4 I'll put on the team board for whoever picks it up" defers the item, owns nothing.
_DEFERRAL = cue(
    r"\b(?:whoever|board|backlog|unassigned|unowned|no owner|someone else|at the review|"
    r"at planning|not me|not a name)\b"
)
_ACCEPT = cue(
    r"^\W*(?:sure|yes|yep|yup|yeah|ok|okay|on it|will do|can do|got it|happy to|absolutely|"
    r"of course|no problem|np|sounds good|i'?ll take|i'?ll do|i can|i'?ll handle|i'?m on it|"
    r"definitely|done|👍|\+1)\b"
)
_DECLINE = cue(r"^\W*(?:no|nope|can'?t|cannot|not me|sorry|i'?m out|busy)\b")
_GENERIC = content_words(
    "add update make do take handle own care check fix item items run can you maybe please "
    "also that this those the one sure will ensure new"
)
_EMPTY = {"none", "tbd", "n/a", "na", "nothing"}
_ACCEPT_WINDOW = 5
# Owners are taken up within this many messages after a list (and before the next list starts):
# "#2" after a newer list refers to the newer one, and a long channel stays linear.
_ASSIGN_WINDOW = 150


@dataclass
class Item:
    """An action item being assembled."""

    description: str
    evidence: list[int]
    owner: str | None = None
    words: set[str] = field(default_factory=set)

    def assign(self, owner: str | None, *evidence: int) -> None:
        if owner is not None and self.owner is None:
            self.owner = owner
            self.evidence.extend(evidence)

    def data(self) -> dict[str, object]:
        return {
            "description": self.description,
            "owner": self.owner,
            "evidence": list(dict.fromkeys(self.evidence)),
        }


def _item(text: str, message: Message, roster: Roster) -> Item | None:
    """An item from one list line or one-line item, with any owner written on it."""
    line = strip_bullet(text).strip()
    owner = roster.resolve(message.author or "") if _ITEM_CLAIM.search(line) else None
    if len(line) > 120:
        line = split_sentences(line)[0]
    for pattern in _INLINE_OWNER:
        match = pattern.match(line)
        if match and (who := roster.resolve(match["name"])):
            owner, line = owner or who, match["task"].strip()
            break
    else:
        mention = _MENTION.search(line)
        if mention and owner is None:
            owner = roster.resolve(mention["name"])
    description = tidy(line)
    words = content_words(description)
    if not words or description.lower().strip(" .") in _EMPTY:
        return None
    return Item(description, [message.id], owner, words)


def _list_lines(message: Message) -> tuple[list[str], bool]:
    """Lines after an action-item header in `message`, and whether it had a header at all."""
    lines = message.text.splitlines()
    if lines and _LIST_START.match(lines[0]):
        return [x for x in lines if x.strip() and is_list_line(x)], True
    for index, line in enumerate(lines):
        cue = _HEADER.search(line)
        if not cue:
            continue
        short = len(line.split()) <= 6
        if not (short or line.rstrip().endswith(":") or line[cue.end() :].lstrip().startswith(":")):
            continue
        after = [x for x in lines[index + 1 :] if x.strip()]
        if after:
            return after, True
        head, colon, rest = line.partition(":")
        if colon and _INLINE_LIST.search(head) and rest.strip():
            return [p for p in rest.split(";") if p.strip()], True
        return [], line.rstrip().endswith(":")
    return [], False


def find_lists(chat: Chat, limit: int = 20) -> list[tuple[Message, list[Item]]]:
    """Every action-item list: the header message and its items, numbered from 1."""
    lists: list[tuple[Message, list[Item]]] = []
    position = 0
    while position < len(chat.messages):
        message = chat.messages[position]
        position += 1
        lines, has_header = _list_lines(message)
        numbered = bool(_LIST_START.match(message.text))
        if not has_header or (numbered and len(lines) == 1 and not _next_is_second(chat, position)):
            continue
        items = [i for line in lines if (i := _item(line, message, chat.roster))]
        from_followers = numbered or not items
        while from_followers and position < len(chat.messages):
            follower = chat.messages[position]
            follow_lines = [x for x in follower.text.splitlines() if x.strip()]
            if not follow_lines or not all(is_list_line(x) for x in follow_lines):
                break
            items.extend(i for x in follow_lines if (i := _item(x, follower, chat.roster)))
            position += 1
        if items:
            lists.append((message, items[:limit]))
    return lists


def _next_is_second(chat: Chat, position: int) -> bool:
    """True when the message at `position` continues a list as its item 2."""
    return position < len(chat.messages) and bool(_SECOND.match(chat.messages[position].text))


def _referenced(sentence: str, items: list[Item]) -> list[Item]:
    """Items a sentence names by number, else the one item it shares distinctive words with."""
    numbers: list[int] = []
    for match in _NUMBER_REF.finditer(sentence):
        number = int(match["a"] or match["b"] or match["c"] or match["d"])
        if 1 <= number <= len(items) and number not in numbers:
            numbers.append(number)
    if numbers:
        return [items[n - 1] for n in numbers]
    best = _match_by_words(sentence, items)
    return [best] if best else []


def _match_by_words(text: str, items: list[Item]) -> Item | None:
    wanted = content_words(text) - _GENERIC
    if not wanted or not items:
        return None
    df: dict[str, int] = {}
    for item in items:
        for word in item.words:
            df[word] = df.get(word, 0) + 1
    scored = sorted(
        ((sum(1 / df[w] for w in wanted & item.words), n) for n, item in enumerate(items)),
        reverse=True,
    )
    best, runner_up = scored[0], scored[1] if len(scored) > 1 else (0.0, -1)
    if best[0] >= 1.0 and best[0] > runner_up[0]:
        return items[best[1]]
    return None


@dataclass
class _Request:
    items: list[Item]
    message: Message
    position: int


def _assign_owners(
    chat: Chat, header: Message, items: list[Item], until_id: int | None = None
) -> None:
    """Walk the messages after a list (up to the next list, within `_ASSIGN_WINDOW` messages),
    applying claims, assignments and accepted requests."""
    pending: dict[str, _Request] = {}
    later = [
        m for m in chat.messages if m.id > header.id and (until_id is None or m.id < until_id)
    ][:_ASSIGN_WINDOW]
    for position, message in enumerate(later):
        author = chat.roster.resolve(message.author or "")
        sentences = chat.sentences(message)
        request = pending.pop(author, None) if author else None
        if request and sentences and position - request.position <= _ACCEPT_WINDOW:
            if _ACCEPT.search(sentences[0].lower) and not _DECLINE.search(sentences[0].lower):
                for item in request.items:
                    item.assign(author, request.message.id, message.id)
        for sentence in sentences:
            _apply(chat, sentence, author, items, pending, position)


def _apply(
    chat: Chat,
    sentence: Sentence,
    author: str | None,
    items: list[Item],
    pending: dict[str, _Request],
    position: int,
) -> None:
    lower, message = sentence.lower, sentence.message
    for match in _ARROW.finditer(sentence.raw):
        number, who = int(match["num"]), chat.roster.resolve(match["name"])
        if who and 1 <= number <= len(items) and ("#" in match.group(0) or "->" in lower):
            items[number - 1].assign(who, message.id)
    referenced = _referenced(sentence.raw, items)
    if not referenced:
        return
    direct = _DIRECT.match(sentence.raw.strip())
    addressee = chat.roster.addressee(sentence.raw) or _mentioned(chat.roster, sentence.raw)
    if direct and (who := chat.roster.resolve(direct["name"])) and not _REQUEST.search(lower):
        for item in referenced:
            item.assign(who, message.id)
    elif addressee and addressee != author and (_REQUEST.search(lower) or lower.endswith("?")):
        pending[addressee] = _Request(referenced, message, position)
    elif (
        author
        and (
            (_FIRST_PERSON.search(lower) and _CLAIM_VERB.search(lower))
            or _MINE.search(lower)
            or _PLEDGE.search(lower)
        )
        and not _DEFERRAL.search(lower)
    ):
        for item in referenced:
            item.assign(author, message.id)


def _mentioned(roster: Roster, text: str) -> str | None:
    match = _MENTION.search(text)
    return roster.resolve(match["name"]) if match else None


def _one_liners(chat: Chat, skip_ids: set[int], follow_up_from: int, has_list: bool) -> list[Item]:
    """Items outside lists: "AI: ...", "Kofi to add ...", and (after the incident, when no list
    exists) "@kofi please add ..." or "I'll add ..." commitments."""
    found: list[Item] = []
    for message in chat.messages:
        if message.id in skip_ids:
            continue
        author = chat.roster.resolve(message.author or "")
        for sentence in split_sentences(message.text):
            raw = strip_filler(sentence)
            item = _one_liner(chat, raw, message, author)
            if item is None and not has_list and message.id > follow_up_from:
                item = _commitment(chat, raw, message, author)
            if item is not None:
                found.append(item)
    return found


def _one_liner(chat: Chat, raw: str, message: Message, author: str | None) -> Item | None:
    prefixed = _PREFIXED.match(raw.strip())
    if prefixed:
        item = _item(prefixed["rest"], message, chat.roster)
        commit = _COMMIT.search(prefixed["rest"])
        if item is not None and item.owner is None and commit:
            item.owner = author
        return item
    x_to_do = _X_TO_DO.match(strip_bullet(raw))
    if x_to_do and (who := chat.roster.resolve(x_to_do["name"])):
        item = _item(x_to_do["task"], message, chat.roster)
        if item is not None:
            item.owner = who
        return item
    return None


def _commitment(chat: Chat, raw: str, message: Message, author: str | None) -> Item | None:
    please = _PLEASE.match(raw.strip())
    if please and (who := chat.roster.resolve(please["name"])):
        item = _item(please["task"], message, chat.roster)
        if item is not None:
            item.owner = who
        return item
    commit = _COMMIT.search(raw)
    if commit and author:
        item = _item(commit["task"], message, chat.roster)
        if item is not None:
            item.owner = author
        return item
    return None


def _same_item(a: Item, b: Item) -> bool:
    union = a.words | b.words
    return bool(union) and len(a.words & b.words) / len(union) >= 0.5


def find_action_items(chat: Chat, follow_up_from: int = 0, limit: int = 15) -> list[Item]:
    """Action items in chat order, each citing its list (or line) and whoever assigned it."""
    lists = find_lists(chat)
    items: list[Item] = []
    list_ids: set[int] = set()
    for index, (header, listed) in enumerate(lists):
        next_list = lists[index + 1][0].id if index + 1 < len(lists) else None
        _assign_owners(chat, header, listed, until_id=next_list)
        items.extend(listed)
        list_ids.update(e for item in listed for e in item.evidence[:1])
    for extra in _one_liners(chat, list_ids, follow_up_from, bool(lists)):
        twin = next((i for i in items if _same_item(i, extra)), None)
        if twin is None:
            items.append(extra)
        else:
            twin.assign(extra.owner, *extra.evidence)
    return items[:limit]


def list_message_ids(chat: Chat) -> set[int]:
    """Ids of messages that hold action-item lists (kept out of timeline and cause finding)."""
    ids: set[int] = set()
    for _, listed in find_lists(chat):
        ids.update(item.evidence[0] for item in listed)
    return ids
