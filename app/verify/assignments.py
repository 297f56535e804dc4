"""Who the chat gave each follow-up to: the checker's own reading of assignments.

These rules are written for the checker alone (the extraction engine reads owners its own way, so
one cannot vouch for the other). A follow-up is work the chat lists, proposes or commits to; its
owner is the participant who took it or was given it:
- a list line that names its owner: "Ben: throttle the backfill", "Me: runbook" (the list's
  author), "add the alert -> @Diego", "add the alert (Nina)", "owner: Nina";
- a line under an item that is only a name: "1. disk alert at 80%" then "   - Nina";
- the item itself taken by the list's author: "3. lower the threshold -- I'll take that one",
  "2. flag audit (mine)";
- a claim by number on the last list posted: "I'll take 1 and 3", "I'll own #1 and #4",
  "2 is mine", "taking 4";
- a delegation: "Ravi to take #2", "Priya will handle the runbook", "Maria: #3";
- a request accepted by the person asked, in one of their next messages: "@Hannah can you do the
  reply template?" then "yes"; "Ravi, can you take 2?" then "sure thing";
- a commitment: "I'll run load tests on staging", or "I'll take that one" / "mine" right after a
  single proposal ("someone should add an alert").
A list under a heading that reports what was done ("recap:", "what we did:", "done so far:")
lists no follow-ups. Posting a list is not owning it: an item nobody takes stays a follow-up
with no owner, as does a proposal ("we should add a health check").

Every pattern is anchored or bounded, and the walk keeps only the last list and the open
requests, so it is linear in the chat.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from math import fsum

from app.fold import word_key
from app.models import Message
from app.verify import assignment_cues as cues
from app.verify.mood import IMPERATIVES
from app.verify.people import PeopleIndex
from app.verify.text import clauses, content_stems

# A request is accepted in one of the addressee's messages within this many messages.
ACCEPT_WINDOW = 6
# A list posted item by item goes on while its next item comes within this many messages.
RUN_GAP = 6
# "I'll take that one" refers to a proposal made at most this many messages before.
ANAPHOR_WINDOW = 4
_MAX_LIST_ITEMS = 40


@dataclass(frozen=True)
class FollowUp:
    """One piece of follow-up work: listed, proposed or committed to, and who owns it."""

    task: str
    stems: frozenset[str]
    message_id: int
    owner: str | None = None
    owner_message: int | None = None
    how: str = "listed"
    asked: str | None = None  # whom the chat asked, for a request nobody accepted


@dataclass
class _Item:
    number: int
    text: str
    message_id: int


@dataclass
class _Request:
    tasks: list[str]
    position: int
    message_id: int


@dataclass
class _Walk:
    people: PeopleIndex
    found: list[FollowUp] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)  # the last list posted
    list_author: str | None = None
    owned: set[tuple[str, int]] = field(default_factory=set)  # (item text, list message)
    pending: dict[str, _Request] = field(default_factory=dict)
    proposal: tuple[str, int, int] | None = None  # (task, message id, position)
    # What a text alone decides (with `people`, fixed for the walk), read once per distinct
    # text: a chat repeats its bots' alerts, acks and pastes. Dropped with the walk.
    list_lines_of: dict[tuple[str, str | None], tuple[list[tuple[int | None, str]], bool]] = field(
        default_factory=dict
    )
    addressee_of: dict[tuple[str, str | None], tuple[str | None, str]] = field(default_factory=dict)
    # Clauses and messages (by text and author) whose reading changes nothing whatever the
    # walk's state: no addressee, no work given, deferred, taken or proposed (`_read_clause`);
    # a message of such clauses only, no list, no item, no heading, no work given on its line.
    # Most of a chat; skipped when seen again (a message only while its author has no request
    # pending, which an acceptance would answer).
    inert_clauses: set[tuple[str, str | None]] = field(default_factory=set)
    # The requests nobody accepted (`_expire`), in the order `found` holds them.
    unanswered: list[FollowUp] = field(default_factory=list)
    inert_messages: set[tuple[str, str | None]] = field(default_factory=set)

    def give(self, owner: str, task: str, message_id: int, how: str, item: _Item | None) -> None:
        """Give `task` to `owner`, and with it the listed item the task names by number or by
        its words ("I'll do the expiry alert" takes "expiry alert for every public cert")."""
        stems = task_stems(task)
        if not stems:
            return
        if item is None:
            item = self.named(stems)
        source = item.message_id if item else message_id
        self.found.append(FollowUp(task, stems, source, owner, message_id, how))
        if item is not None:
            self.owned.add((item.text, item.message_id))
            if item.text != task:
                self.found.append(
                    FollowUp(
                        item.text, task_stems(item.text), item.message_id, owner, message_id, how
                    )
                )

    def named(self, stems: frozenset[str]) -> _Item | None:
        """The one item of the last list that a task names by its distinctive words: each word
        weighs one over the number of items using it; at least 1 in all, more than any other."""
        item_stems = [task_stems(i.text) for i in self.items]
        uses: dict[str, int] = {}
        for words in item_stems:
            for word in words:
                uses[word] = uses.get(word, 0) + 1
        scored = sorted(
            # (summed exactly: a set's order follows the hash seed, see `context.idf_weight`)
            ((fsum(1 / uses[w] for w in stems & words), n) for n, words in enumerate(item_stems)),
            reverse=True,
        )
        if not scored or scored[0][0] < 1.0:
            return None
        if len(scored) > 1 and scored[1][0] >= scored[0][0]:
            return None
        return self.items[scored[0][1]]

    def item(self, number: int) -> _Item | None:
        by_number = [i for i in self.items if i.number == number]
        return by_number[0] if by_number else None

    def resolve(self, name: str, author: str | None) -> str | None:
        if name.lower() in cues.ME:
            return author
        return self.people.resolve(name)


@lru_cache(maxsize=8192)
def task_stems(task: str) -> frozenset[str]:
    """The content stems of a task, without the words of taking ("I'll own", "that one")."""
    return frozenset(content_stems(task)) - cues.TAKING_WORDS


def _list_lines(walk: _Walk, message: Message) -> tuple[list[tuple[int | None, str]], bool]:
    """The item lines of a message as (number, text), and whether it is a list at all: at
    least two item lines, or a header line ending in ':' followed by lines (read once per
    text and author in a walk; the items are only read)."""
    key = (message.text, message.author)
    found = walk.list_lines_of.get(key)
    if found is None:
        found = walk.list_lines_of[key] = _read_list_lines(walk, message)
    return found


def _read_list_lines(walk: _Walk, message: Message) -> tuple[list[tuple[int | None, str]], bool]:
    lines = list(_nonblank_lines(message.text)[: _MAX_LIST_ITEMS + 1])
    items: list[tuple[int | None, str]] = []
    header_at = next(
        (i for i, line in enumerate(lines) if cues.may_head(line) and cues.HEADER.search(line)),
        None,
    )
    if header_at is not None and cues.RECAP.search(lines[header_at]):
        return [], False  # "recap:" lists what was done: its lines are read as prose
    for index, line in enumerate(lines):
        match = cues.ITEM.match(line)
        if match is not None:
            number = match["num"] or match["hash"]
            items.append((int(number) if number else None, match["text"].strip()))
        elif header_at is not None and index > header_at:
            items.append((None, line.strip()))
        elif index > 0 and _names_someone(walk, line.strip(), message.author):
            items.append((None, line.strip()))
    is_list = len(items) >= 2 or (header_at is not None and bool(items))
    return items, is_list


def _names_someone(walk: _Walk, line: str, author: str | None) -> bool:
    """True for a line that starts with a participant's name and a colon or dash ("Ben: X")."""
    match = cues.NAME_FIRST.match(line)
    return match is not None and walk.resolve(match["name"], author) is not None


def _list_item(walk: _Walk, number: int | None, text: str, message: Message) -> None:
    """One item of a list posted one item per message, with an owner if its line names one."""
    item = _Item(number or len(walk.items) + 1, text, message.id)
    walk.items.append(item)
    owner, task = _owner_on_line(walk, text, message.author)
    if owner is not None:
        item.text = task
        walk.give(owner, task, message.id, "named on the list", item)
    else:
        walk.found.append(FollowUp(text, task_stems(text), message.id))


def _read_list(walk: _Walk, message: Message, items: list[tuple[int | None, str]]) -> None:
    """A list message: its items, the owners written on them, and owner lines under them."""
    walk.items = []
    walk.list_author = message.author
    previous: _Item | None = None
    for number, text in items:
        only = cues.ONLY_NAME.match(text)
        owner_alone = walk.resolve(only["name"], message.author) if only else None
        if owner_alone is not None and previous is not None:
            walk.give(owner_alone, previous.text, message.id, "owner line", previous)
            continue
        item = _Item(number or len(walk.items) + 1, text, message.id)
        walk.items.append(item)
        previous = item
        owner, task = _owner_on_line(walk, text, message.author)
        if owner is not None:
            item.text = task
            walk.give(owner, task, message.id, "named on the list", item)
    for item in walk.items:
        if (item.text, item.message_id) not in walk.owned:
            walk.found.append(FollowUp(item.text, task_stems(item.text), item.message_id))


def _owner_on_line(walk: _Walk, text: str, author: str | None) -> tuple[str | None, str]:
    """The owner a list line names, and the line without the name."""
    first = cues.NAME_FIRST.match(text)
    if first is not None:
        owner = walk.resolve(first["name"], author)
        if owner is not None:
            return owner, first["task"]
    verb = cues.NAME_VERB.match(text)
    if verb is not None:
        owner = walk.resolve(verb["name"], author)
        if owner is not None:
            return owner, verb["task"]
    handle = cues.HANDLE_TASK.match(text)  # "@rafa.kt add the disk alert": addressed, given
    if handle is not None:
        owner = walk.resolve(handle["name"], author)
        if owner is not None:
            return owner, handle["task"]
    last = cues.NAME_LAST.search(text)
    if last is not None:
        name = last["name"] or last["pname"]
        owner = walk.resolve(name, author)
        if owner is not None and last.start() > 0:
            return owner, text[: last.start()].strip(" ,;")
    field_ = cues.OWNER_FIELD.search(text)
    if field_ is not None:
        owner = walk.resolve(field_["name"], author)
        if owner is not None:
            return owner, text[: field_.start()].strip(" ,;([")
    if author is not None and cues.TAKEN_IN_ITEM.search(text):
        return author, text
    return None, text


def _names_it(text: str) -> bool:
    """ "can you own that one?", "could you take it": the request names its work by a word for
    it."""
    return bool(cues.ANAPHOR.search(text)) and bool(
        cues.TAKE_ANAPHOR.search("i'll " + text.split("you", 1)[-1].strip())
    )


@lru_cache(maxsize=8192)
def _nonblank_lines(text: str) -> tuple[str, ...]:
    """The lines of a text that are not blank."""
    return tuple(line for line in text.splitlines() if line.strip())


def _numbers(clause: str) -> list[int]:
    """Item numbers a clause refers to: "1 and 3", "#2", "do 1 first thing", "the second one"."""
    return list(_item_numbers(clause))


@lru_cache(maxsize=8192)
def _item_numbers(clause: str) -> tuple[int, ...]:
    found: list[int] = []
    if cues.DIGIT.search(clause) is not None:
        found += [int(m["n"]) for m in cues.NUMBER.finditer(clause)]
        found += [int(m["n"]) for m in cues.VERB_NUMBER.finditer(clause)]
    if cues.may_say(clause, cues.ORDINAL_WORDS):
        found += [
            cues.ORDINALS.index(word_key(m["word"])) + 1 for m in cues.ORDINAL.finditer(clause)
        ]
    return tuple(dict.fromkeys(found))


def _addressee(walk: _Walk, clause: str, author: str | None) -> tuple[str | None, str]:
    """The participant a clause speaks to ("Hannah, can you ...", "... can you, @Hannah?"), and
    the clause without the name (read once per clause and author in a walk)."""
    key = (clause, author)
    found = walk.addressee_of.get(key)
    if found is None:
        found = walk.addressee_of[key] = _read_addressee(walk, clause, author)
    return found


def _read_addressee(walk: _Walk, clause: str, author: str | None) -> tuple[str | None, str]:
    lead = cues.LEAD_WORDS.match(clause)
    body = clause[lead.end() :] if lead else clause
    mentions = [m for m in walk.people.mentioned(body) if m[0] != author]
    handle = cues.HANDLE.match(body)
    if handle is not None and not any(start <= 1 for _, start, _ in mentions):
        return handle["name"], body[handle.end() :].lstrip(" ,:")  # "@Tariq can you ..."
    if not mentions:
        return None, body
    person, start, end = mentions[0]
    if start <= 1:
        return person, body[end:].lstrip(" ,:")
    person, start, end = mentions[-1]
    if body[end:].strip(" ?!.") == "":
        return person, body[:start].rstrip(" ,")
    return None, body


def _read_clause(
    walk: _Walk, clause: str, message: Message, position: int, lead: int | None = None
) -> bool:
    """Read one clause of a message into the walk; True when the clause is inert: its text and
    author alone decide that it changes nothing, whatever the walk holds (see `_Walk`)."""
    author = message.author
    key = (clause, author)
    if key in walk.inert_clauses:
        return True
    numbers = [n for n in _numbers(clause) if walk.item(n) is not None]
    if not numbers and lead is not None and walk.item(lead) is not None:
        numbers = [lead]  # "3. I'll take that one": the message names its item first
    person, rest = _addressee(walk, clause, author)
    if person is not None:
        refs = [walk.item(n) for n in numbers]
        tasks = [i.text for i in refs if i is not None] or [rest]
        bare = clause.rstrip().endswith("?") and not rest.strip(" ?!.,")  # "... jlee?"
        if cues.REQUEST.search(clause) or bare or (numbers and clause.rstrip().endswith("?")):
            recent = walk.proposal is not None and position - walk.proposal[2] <= ANAPHOR_WINDOW
            if (
                not numbers
                and walk.proposal is not None
                and (len(task_stems(rest)) <= 1 or (recent and (bare or _names_it(rest))))
            ):
                # "dmitri can you add it", "Sven, can you own that one?", "jlee?": the work
                # just named
                tasks = [walk.proposal[0]]
            walk.pending[person] = _Request(tasks, position, message.id)
            return False
        if (
            numbers
            or cues.NAME_VERB.match(clause.strip())
            or cues.NAME_COLON.match(clause.strip())
            or _handed_over(clause, rest)
        ):
            for number in numbers:
                item = walk.item(number)
                if item is not None:
                    walk.give(person, item.text, message.id, "delegated", item)
            if not numbers:
                walk.give(person, rest, message.id, "delegated", None)
            return False
    stripped = clause.strip()
    given = cues.TASK_THEN_NAME.match(stripped) if cues.may_give(stripped) else None
    if given is None and cues.may_say(stripped, cues.ASSIGNING_WORDS):
        given = cues.ASSIGNING.search(stripped)
    if given is not None:
        owner = walk.resolve(given["name"], author)
        if owner is not None:  # "runbook: Priya", "assigning the runbook to Priya"
            items = [walk.item(n) for n in numbers] or [None]
            for item in items:
                walk.give(owner, item.text if item else given["task"], message.id, "given", item)
            return False
    if author is None:
        return _inert(walk, key, person is None)
    if cues.may_say(clause, cues.DEFERRAL_WORDS) and cues.DEFERRAL.search(clause):
        _leave_unassigned(walk, clause, message, _deferred_numbers(walk, clause, numbers))
        return False
    recent = walk.proposal is not None and position - walk.proposal[2] <= ANAPHOR_WINDOW
    takes: bool | None = None  # the text takes the work just named (read when it matters)
    if recent and walk.proposal is not None:
        takes = _takes_it(clause)
    if recent and walk.proposal is not None and takes:
        # "that's mine, PR tomorrow", "also me", "we'll take it": the work just named
        task, _, _ = walk.proposal
        item = next((i for i in walk.items if i.text == task), None)
        walk.give(author, task, message.id, "took the proposal", item)
        walk.proposal = None
        return False
    taking = bool(
        cues.may_take(clause) and cues.TAKING.search(clause) and not clause.rstrip().endswith("?")
    )
    if taking:
        if numbers:
            for number in numbers:
                item = walk.item(number)
                if item is not None:
                    walk.give(author, item.text, message.id, "claimed by number", item)
            return False
        own_words = task_stems(clause)
        if (not own_words or (cues.ANAPHOR.search(clause) and len(own_words) <= 1)) and (
            walk.proposal is not None and position - walk.proposal[2] <= ANAPHOR_WINDOW
        ):
            task, _, _ = walk.proposal
            walk.give(author, task, message.id, "took the proposal", None)
            walk.proposal = None
            return False
        named = walk.named(own_words) if own_words else None
        if named is not None or len(own_words) >= 2:
            # "I'll do the alert": the listed item it names by its words, or work of its own
            walk.give(author, clause, message.id, "committed", named)
            return False
    if (
        cues.may_say(clause, cues.PROPOSAL_WORDS)
        and cues.PROPOSAL.search(clause)
        and len(task_stems(clause)) >= 2
    ):
        walk.proposal = (clause, message.id, position)
        walk.found.append(FollowUp(clause, task_stems(clause), message.id, how="proposed"))
        return False
    if person is not None or taking:
        return False  # (what an addressee or a taking phrase does depends on the walk)
    return _inert(walk, key, not (_takes_it(clause) if takes is None else takes))


def _takes_it(clause: str) -> bool:
    """ "that's mine", "I'll take it": a clause that takes the work just named (not a
    question)."""
    return not clause.rstrip().endswith("?") and bool(
        cues.TAKES_IT.search(clause) or cues.TAKE_ANAPHOR.search(clause)
    )


def _inert(walk: _Walk, key: tuple[str, str | None], inert: bool) -> bool:
    """Note a clause (text, author) found inert; returns `inert`."""
    if inert:
        walk.inert_clauses.add(key)
    return inert


# Orders that hand work over besides the general imperatives ("Lena draft it").
_HANDING_VERBS = IMPERATIVES | {"draft"}


def _handed_over(clause: str, rest: str) -> bool:
    """ "@rafa.kt add the disk alert", "Lena draft it, I'll review": a handle or a name opening
    the clause, then the work as an order, gives it to them (the author who adds "I'll review"
    reviews it; the work is the named person's)."""
    first = rest.split(maxsplit=1)[:1]
    if not first or first[0].lower() not in _HANDING_VERBS:
        return False
    if clause.lstrip().startswith("@"):
        return len(task_stems(rest)) >= 2
    # a plain name first: the order follows it ("Lena draft it"), not a name at the end
    return not clause.strip().startswith(rest.strip())


def _given_in_prose(walk: _Walk, line: str, message: Message) -> bool:
    """ "runbook: Priya", "alerting -> @Diego": one line that gives named work to someone."""
    given = cues.TASK_THEN_NAME.match(line) if cues.may_give(line) else None
    owner = walk.resolve(given["name"], message.author) if given else None
    if given is None or owner is None:
        return False
    numbers = [n for n in _numbers(given["task"]) if walk.item(n) is not None]
    items = [walk.item(n) for n in numbers] or [None]
    for item in items:
        walk.give(owner, item.text if item else given["task"], message.id, "given", item)
    return True


_PARTS = re.compile(r"[,;]")
_LEADING_NUMBER = re.compile(r"\A[ \t]*+#?+(?P<n>\d{1,2}+)\b")


def _deferred_numbers(walk: _Walk, clause: str, numbers: list[int]) -> list[int]:
    """Of the items a clause names, those named in its part that says the work has no owner:
    in "Items 1 and 2 done, 3/5/6 in progress, 4 unowned" only item 4 is left without one (parts
    are cut at commas and semicolons, and a part may open with the item's bare number); when no
    such part names an item, all the clause's items are left but those a part takes ("not me,
    I've got 3 and 5" leaves none)."""
    parts = _PARTS.split(clause)
    if len(parts) == 1:
        return numbers
    own: list[int] = []
    for part in parts:
        if cues.DEFERRAL.search(part):
            leading = _LEADING_NUMBER.match(part)
            own += _numbers(part) + ([int(leading["n"])] if leading else [])
    named = [n for n in dict.fromkeys(own) if walk.item(n) is not None]
    if named:
        return named
    # "not me, I've got 3 and 5": the refusal is of the work asked before; the items named
    # after a verb of taking are the author's own
    taken = {
        n
        for part in parts
        if not cues.DEFERRAL.search(part) and cues.VERB_NUMBER.search(part)
        for n in _numbers(part)
    }
    return [n for n in numbers if n not in taken]


def _leave_unassigned(walk: _Walk, clause: str, message: Message, numbers: list[int]) -> None:
    """ "Tariq hasn't picked up the contract tests, leaving it unassigned": the work asked of
    someone named here (or named by its words) explicitly has no owner."""
    lowered = clause.lower()
    tasks: list[str] = [item.text for n in numbers if (item := walk.item(n)) is not None]
    named = walk.named(task_stems(clause))
    if named is not None:
        tasks.append(named.text)
    for person, request in list(walk.pending.items()):
        if person.lower() in lowered:
            tasks += request.tasks
            del walk.pending[person]
    for follow_up in walk.unanswered:  # (`found`'s "asked" entries, without scanning it)
        if follow_up.asked and follow_up.asked.lower() in lowered:
            tasks.append(follow_up.task)
    stems = task_stems(clause)
    if not tasks and stems:
        tasks = [clause]
    for task in dict.fromkeys(tasks):
        walk.found.append(
            FollowUp(task, task_stems(task) | stems, message.id, how="left unassigned")
        )


def _accept(walk: _Walk, message: Message, position: int) -> bool:
    """Credit the author with the work they were asked to do when this message accepts it."""
    if message.author is None:
        return False
    request = walk.pending.get(message.author)
    if request is None:
        return False
    if position - request.position > ACCEPT_WINDOW:
        walk.pending.pop(message.author, None)
        return False
    first = next(iter(clauses(message.text)), "")
    if cues.DECLINE.search(first):
        walk.pending.pop(message.author, None)
        return False
    opening = " ".join(clauses(message.text)[:2])
    if not (
        cues.ACCEPT.search(first) or (cues.TAKING.search(opening) and cues.ANAPHOR.search(opening))
    ):
        return False
    walk.pending.pop(message.author, None)
    for task in request.tasks:
        item = next((i for i in walk.items if i.text == task), None)
        walk.give(message.author, task, message.id, "accepted a request", item)
    return True


def _running_item(message: Message, open_list: bool) -> tuple[int | None, str, bool] | None:
    """A message that posts one item of a list ("2. review gate for health-check changes",
    "- fix the retry delay calc", "follow-ups. 1. the cleanup script must refuse an empty
    prefix"), as (number, text, opens a list): after a list's heading, or as its first item."""
    lines = _nonblank_lines(message.text)
    if len(lines) != 1:
        return None
    line = lines[0]
    head = cues.RUNNING_HEAD.match(line)
    rest = line[head.end() :] if head is not None and head.end() < len(line) else line
    match = cues.ITEM.match(rest)
    if match is None:
        return None
    number = match["num"] or match["hash"]
    opens = head is not None or (number is not None and int(number) == 1)
    if not (open_list or opens):
        return None
    return (int(number) if number else None), match["text"].strip(), opens


def find_follow_ups(messages: Sequence[Message], people: PeopleIndex) -> list[FollowUp]:
    """Every follow-up the chat lists, proposes or assigns, in message order; listed items and
    proposals nobody took have no owner.

    A list may be posted one item per message, with replies in between ("follow-ups", "1. probe
    packet loss", "mine, NET-412", "2. review gate", "Sven, can you own that one?", "yep"): it
    runs from its heading or first item while an item follows within `RUN_GAP` messages, and a
    reply that takes "it" or "that one" takes the item just posted."""
    walk = _Walk(people)
    running_since: int | None = None  # position of the last item of a list posted item by item
    owned_in: set[int] = set()  # message ids of the owned follow-ups in walk.found[:scanned]
    scanned = 0
    for position, message in enumerate(messages):
        key = (message.text, message.author)
        if key in walk.inert_messages and message.author not in walk.pending:
            _expire(walk, position)  # (what reading it again would end with)
            continue
        open_list = running_since is not None and position - running_since <= RUN_GAP
        item = _running_item(message, open_list)
        if item is not None:
            number, text, opens = item
            if opens and not open_list:
                walk.items, walk.list_author = [], message.author
            _accept(walk, message, position)
            _list_item(walk, number, text, message)
            listed = walk.items[-1]
            # walk.found only grows: its owned entries are indexed once each, not rescanned
            owned_in.update(f.message_id for f in walk.found[scanned:] if f.owner)
            scanned = len(walk.found)
            if message.id not in owned_in:
                walk.proposal = (listed.text, message.id, position)
                for clause in clauses(text)[1:]:  # "3) auth should ... unsynced. jlee?"
                    _read_clause(walk, clause, message, position, listed.number)
            running_since = position
            _expire(walk, position)
            continue
        items, is_list = _list_lines(walk, message)
        lines = _nonblank_lines(message.text)
        had_request = message.author in walk.pending
        accepted = _accept(walk, message, position)
        if is_list:
            _read_list(walk, message, items)
            continue
        if len(lines) == 1 and (
            (cues.may_head(lines[0]) and cues.HEADER.search(lines[0]))
            or cues.RUNNING_HEAD.fullmatch(lines[0].strip())
        ):
            walk.items, walk.list_author = [], message.author  # "follow-ups:" alone
            running_since = position
            continue
        if len(lines) == 1 and _given_in_prose(walk, lines[0].strip(), message):
            continue  # "disk usage alert: Nina" (before clause splitting cuts at the colon)
        lead = cues.LEAD_NUMBER.match(message.text)
        # inert: no request of its author pending (so none accepted), every clause inert, and
        # no list item whatever the list's state
        inert = not had_request
        for index, clause in enumerate(clauses(message.text)):
            if accepted and index <= 1 and (index == 0 or cues.ANAPHOR.search(clause)):
                continue  # "Sure thing", "I'll take that one": the accepted request says what
            read = _read_clause(walk, clause, message, position, int(lead[1]) if lead else None)
            inert = inert and read
        if inert and _running_item(message, True) is None:
            walk.inert_messages.add(key)
        _expire(walk, position)
    _expire(walk, len(messages) + ACCEPT_WINDOW + 1)
    return _without_taken_duplicates(walk.found)


def _expire(walk: _Walk, position: int) -> None:
    """Requests nobody accepted in time stay follow-ups, with no owner."""
    for person, request in list(walk.pending.items()):
        if position - request.position > ACCEPT_WINDOW:
            del walk.pending[person]
            for task in request.tasks:
                stems = task_stems(task)
                if stems:
                    unanswered = FollowUp(
                        task, stems, request.message_id, how="asked", asked=person
                    )
                    walk.found.append(unanswered)
                    walk.unanswered.append(unanswered)


def _without_taken_duplicates(found: list[FollowUp]) -> list[FollowUp]:
    """Listed items that were later taken keep only their owned entries."""
    owned = {(f.task, f.message_id) for f in found if f.owner is not None}
    return [f for f in found if f.owner is not None or (f.task, f.message_id) not in owned]
