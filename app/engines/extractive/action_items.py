"""Follow-up work: items from action-item lists and one-line items, with the owners the chat gave.

A list is a message with a header ("Action items:", "follow-ups:", "next steps") and the lines
after it, or a numbered list ("1. ...", "2. ...") that may go on in the next messages. One-line
items are "AI: ...", "TODO: ...", "Kofi to add ...", and, once the incident is over and no list
exists, "@kofi please add ..." or "I'll add ..." commitments. Owners written on the item ("-
Kofi: add alert", "add alert (Kofi)", "@kofi") are read here; owners given later are read by
`owners`. Lists are found once per chat, and every pass is linear in its length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.engines.extractive import memo
from app.engines.extractive.chat import Chat, own_words
from app.engines.extractive.cues import cue, family
from app.engines.extractive.owners import ACCEPT, ASKS, DECLINE, Item, assign_owners, claims
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

LIST_HEADER = family(
    "list_header",
    "a line that opens a list of follow-ups: 'action items:', 'follow-ups', 'next steps', 'todo'",
    r"\b(?:action[- ]items?|follow[- ]?ups|follow[- ]up items|to[- ]?dos?|next steps|take-?aways|"
    r"lessons(?: learned)?|improvements|remediation\w*|(?:things|stuff|items) to (?:fix|do|change|"
    r"improve|follow up))\b|\bAIs\b|"
    # the same headings in German, French, Spanish and Portuguese: "Maßnahmen:", "Ações:"
    r"\b(?:ma(?:ß|ss)nahmen|aufgaben|nächste schritte|folgeaufgaben|prochaines (?:é|e)tapes|"
    r"actions (?:(?:à|a) (?:faire|mener)|de suivi)|acciones|tareas|próximos pasos|pendientes|"
    r"a(?:ç|cç)(?:õ|o)es|tarefas|próximos passos|pendentes)(?!\w)",
)
ITEM_CLAIM = family(
    "item_claim",
    "a list line its writer claims: '(mine)', 'I'll take this', 'that's mine', 'nehme ich mit'",
    r"\b(?:(?:is|that'?s|this is|it'?s) mine|i'?ll (?:take|own|do|drive) (?:it|this|that)|"
    r"i can (?:take|own|do) (?:it|this|that))|\(mine\)|[,;—–]\s{0,3}+mine\W{0,3}+$|"
    # the same in German, French, Spanish and Portuguese
    r"\b(?:(?:nehme|übernehme|mache) ich|je m'en occupe|je le prends|me encargo|lo hago yo|"
    r"fica comigo|deixa comigo)\b",
)
# A line ending in ':' that speaks of follow-up work ("quick list before we forget, for the
# postmortem:"), taken as a header only when list lines follow it.
_LOOSE_HEADER = cue(
    r"\b(?:list|postmortem|post-mortem|retro\w*|follow\w*|todo|action|next|fix\w*|improv\w*|"
    r"prevent\w*|lessons?|remediat\w*|items?|learnings?|changes|need|needs|should|must|plan|"
    r"owners?|owned|assign\w*|claim\w*|tickets?)\b"
)
_INLINE_LIST = cue(r"\b(?:action[- ]items?|follow[- ]?ups|to[- ]?dos?|next steps)\b")
_LIST_START = re.compile(r"^\s*+(?:1[.)]|#1\b)\s")
_SECOND = re.compile(r"^\s*+(?:2[.)]|#2\b)\s")
_PREFIXED = re.compile(
    r"^(?:AI|[Aa]ction(?: [Ii]tem)?|ACTION(?: ITEM)?|TODO|[Tt]odo|[Ff]ollow[- ]?up)"
    r"(?:\s*+\(\s*+@?(?P<who>[\w.\-]{1,40}+)\s*+\))?\s*+[:\-–—]\s*+(?P<rest>.+)$"
)
_VERBS = (
    r"(?:add|create|write|update|document|automate|file|open|draft|implement|improve|build|audit|"
    r"review|tune|schedule|set up|setup|fix|investigate|look into|follow up|migrate|remove|"
    r"enforce|introduce|require|alert|monitor|make|own|clean up|backfill|rotate|upgrade|"
    r"ping|ask|page|replay|reprocess|resubmit|wrap|discuss|raise|verify|revisit|reach out to|"
    r"contact|notify|email|send|write up|reply to|refund|re-?enable|re-?export|split|pin|put|"
    r"wire|hook up|turn|track|file)"
)
_X_TO_DO = cue(
    rf"^@?(?P<name>[A-Za-z][\w.\-]{{0,40}}+)\s{{1,3}}+(?:to|will|is going to)\s{{1,3}}+"
    rf"(?P<task>{_VERBS}\b.+)$"
)
# A team's "we should ..." once the incident is over, when no list was written.
_PROPOSAL = cue(
    rf"^(?:(?:i think|i guess|so|and|also|ok(?:ay)?),?\s{{1,3}}+)?(?:we|let'?s)\s{{0,3}}+"
    rf"(?:(?:should|need to|must|have to|ought to)\s{{1,3}}+)?(?:also\s{{1,3}}+)?"
    rf"(?P<task>{_VERBS}\b.+)$"
)
# A proposal whose subject is not "we": "someone should alert on X", "after this is over all
# the verifiers should share one config", "auth-svc could also refuse to mint when ...". A few
# words of subject, a modal of advice, then a verb of work (not "should be fine", "must have").
_SHOULD = cue(
    r"^(?:(?:also|and|so|plus|ok(?:ay)?|i think|imo|ideally|longer term|going forward|next time|"
    r"after this(?: is over)?|once this is over|for the (?:postmortem|retro)),?\s{1,3}+){0,2}+"
    r"(?P<task>(?:someone|somebody|[\w\-./]++(?:\s{1,3}+[\w\-./]++){0,3}?)\s{1,3}+"
    r"(?:should|could also|must|needs? to|ought to)\s{1,3}+(?:also\s{1,3}+|really\s{1,3}+)?"
    r"(?!(?:be|have|had|work|help|come|go|get|recover|finish|clear|settle|catch|stay|see|know|"
    r"look|take|mean|happen|hold|last|ask|wait)\b)[a-z][\w\-]++\s"
    r"(?!(?:those|these|them|it|that|this)\b).+)$"
)
# A ticket filed for follow-up work: "filed OPS-123 to add an alert", "created OPS-9: rotate".
_TICKET = cue(
    r"\b(?:filed|opened|created|raised|logged)\s{1,3}+(?:a\s{1,3}+)?(?:ticket\s{1,3}+|issue\s{1,3}+)?"
    r"[A-Z][A-Z0-9]{1,9}+-\d{1,6}+\s{0,3}+(?:to\s{1,3}+|for\s{1,3}+|:\s{0,3}+)(?P<task>.+)$"
)
_COMMIT = cue(
    rf"\b(?:i'?ll|i will|i'?m going to|i can)\s++(?P<task>(?:also\s++)?{_VERBS}\b.+)$|"
    # the work already under way by its owner: "I'm adding a pre-check to the template"
    r"\bi'?m\s++(?P<doing>(?:adding|writing|filing|opening|creating|drafting|setting up|building)"
    r"\s.+)$"
)
# The same two habits in other languages: a proposal ("habría que bajarlo a 10s", "il faudrait
# une alerte", "wir sollten ...") and the speaker's own commitment ("yo mañana monto la
# notificación", "je vais ajouter", "ich kümmere mich um").
PROPOSAL_ABROAD = family(
    "proposal_abroad",
    "follow-up work proposed in another language: 'habría que', 'il faudrait', 'wir sollten'",
    r"\b(?:habría que|deberíamos|tendríamos que|hay que|il faudrait|faudrait|on devrait|"
    r"wir sollten|man sollte|man müsste|wir müssten|dovremmo|bisognerebbe|we zouden moeten)"
    r"\s{1,3}+(?P<task>\w.+)$",
)
COMMIT_ABROAD = family(
    "commit_abroad",
    "the speaker takes follow-up work in another language: 'yo mañana monto', 'je vais'",
    r"\b(?:voy a|me encargo de|je vais|je m'occupe de|ich werde|ich kümmere mich um|"
    r"vado a|mi occupo di|ik ga)\s{1,3}+(?P<task>\w.+)$|"
    r"\byo\s{1,3}+(?:(?:mañana|luego|después|esta tarde|el lunes)\s{1,3}+)?"
    r"(?P<own>(?!no\b)\w{2,20}?o\b\s{1,3}+\w.+)$",
)
_PLEASE = cue(
    rf"^@(?P<name>[\w.\-]{{1,40}}+)\s*+,?\s*+(?P<ask>can you |could you )?(?:please\s++)?"
    rf"(?P<task>(?:{_VERBS}|get|take|handle|send|share|chase|check)\b.+)$"
)
# A request answered by its addressee: their next messages, the first few, open with a yes
# ("on it", "yes, mine"); a request nobody answers leaves the item unowned.
_ANSWER_WINDOW = 40
_ANSWERS_READ = 3
_INLINE_OWNER = [
    cue(
        r"^@?(?P<name>[A-Za-z][\w.\-]{0,40}+(?:\s[A-Z][\w\-]{0,40}+)?)\s*+(?::|—|–|\s-\s)\s*+"
        r"(?P<task>.+)$"
    ),
    cue(r"^@?(?P<name>[A-Za-z][\w.\-]{0,40}+)\s++(?:to|will|owns?|takes?|is on)\s++(?P<task>.+)$"),
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
_MENTION = re.compile(r"@(?P<name>[\w.\-]{1,40}+)")
RECAP_FIELD = family(
    "recap_field",
    "a recap's labelled field, told not to be done: 'Root cause: ...', 'Impacto: ...'",
    r"^\W{0,3}+(?:root cause|cause|causa(?: ra(?:í|i)z)?|ursache|cause racine|impact|impacto|"
    r"auswirkung|timeline|cronolog(?:í|i)a|detection|detecci(?:ó|o)n|resolution|"
    r"resoluci(?:ó|o)n|summary|resumen|zusammenfassung|r(?:é|e)sum(?:é|e)|what happened|"
    r"trigger|duration|duraci(?:ó|o)n|dauer)\s{0,3}+:",
)
FOLLOW_UP_RECORD = family(
    "follow_up_record",
    "an incident tool's record of one follow-up: 'Follow-up created by X', 'Action item added'",
    r"^\W{0,3}+(?:follow[- ]?up|action[- ]item|task|to[- ]?do|ticket)\s++"
    r"(?:created|added|opened|filed|logged|raised)\b",
)
# The record's own field lines: "Assigned to Kwame Asante · Priority: Medium", "Unassigned".
_ASSIGNED = cue(
    r"^\s*+(?:assigned to|assignee|owner)\b\s*+:?\s*+(?P<name>[^·|,;\n]+?)\s*+(?:[·|,;]|$)"
)
_RECORD_FIELD = cue(
    r"^\s*+(?:unassigned|assigned to|assignee|owner|priority|status|due|created by)\b"
)
# A claim written after the task ("automate the renewal, mine"): the owner, not the task.
_CLAIM_TAIL = cue(
    r"[,;—–]\s{0,3}+(?:mine|assigned to me|i'?ll (?:do|take|own) (?:it|this))\W{0,3}+$"
)
_EMPTY = {"none", "tbd", "n/a", "na", "nothing"}
# the list's writer names themself as the owner: "bake the image — me", "me: legal review"
_SELF = {"me", "myself", "mine", "moi", "ich", "yo", "eu"}
_LIMIT = 15


def _item(text: str, message: Message, roster: Roster) -> Item | None:
    """An item from one list line or one-line item, with any owner written on it."""
    line = strip_bullet(text).strip()
    if RECAP_FIELD(line.lower()):
        return None  # "Causa raíz: ..." in a recap list tells what happened, not what to do
    owner = roster.resolve(message.author or "") if ITEM_CLAIM(line) else None
    if len(line) > 120:
        line = split_sentences(line)[0]
    for pattern in _INLINE_OWNER:
        match = pattern.match(line)
        name = match["name"].strip() if match else ""
        # "EU: rerun the backfill" names a region: a pronoun is not written in capitals
        self_named = name.lower() in _SELF and not name.isupper()
        who = roster.resolve(message.author or "") if self_named else roster.resolve(name)
        if match and who:
            owner, line = owner or who, match["task"].strip()
            break
    else:
        mention = _MENTION.search(line)
        if mention and (ASKS(line.lower()) or line.rstrip().endswith("?")):
            mention = None  # "@lukas can you take this?" asks; the owner is who accepts it
        if mention and owner is None:
            owner = roster.resolve(mention["name"])
            if owner is not None and mention.start() == 0:
                # "@kofi add alert", "@Okafor, Chidi add alert": the task
                end = max(mention.end(), 1 + roster.full_name_after(line[1:], owner))
                line = line[end:].lstrip(" ,:—–-")
    description = tidy(_CLAIM_TAIL.sub("", line))
    words = content_words(description)
    if not words or description.lower().strip(" .") in _EMPTY:
        return None
    return Item(description, [message.id], owner, words)


_LIST_LINES: dict[str, tuple[tuple[str, ...], bool, int]] = memo.table()


def _list_lines(message: Message) -> tuple[list[str], bool, int]:
    """Lines after an action-item header in `message`, whether it had a header at all, and the
    header's line (0 when the list opens the message); a function of the message's own words,
    read once per text."""
    text = own_words(message)
    known = _LIST_LINES.get(text)
    if known is None:
        lines, has_header, index = _read_list_lines(text)
        known = _LIST_LINES[text] = (tuple(lines), has_header, index)
    return list(known[0]), known[1], known[2]


def _read_list_lines(text: str) -> tuple[list[str], bool, int]:
    lines = text.splitlines()
    if lines and _LIST_START.match(lines[0]):
        return [x for x in lines if x.strip() and is_list_line(x)], True, 0
    for index, line in enumerate(lines):
        header = LIST_HEADER.search(line)
        if not header:
            header = _LOOSE_HEADER.search(line) if line.rstrip().endswith(":") else None
            bullets = _bulleted_run([x for x in lines[index + 1 :] if x.strip()])
            if header is None or len(bullets) < 2:
                continue
        short = len(line.split()) <= 6
        tail = line[header.end() :].lstrip()
        if not (short or line.rstrip().endswith(":") or tail.startswith(":")):
            continue
        after = [x for x in lines[index + 1 :] if x.strip()]
        if after and is_list_line(after[0]):
            after = _bulleted_run(after)
        if after:
            return after, True, index
        head, colon, rest = line.partition(":")
        if colon and _INLINE_LIST.search(head) and rest.strip():
            return [p for p in rest.split(";") if p.strip()], True, index
        return [], line.rstrip().endswith(":"), index
    return [], False, 0


def _bulleted_run(lines: list[str]) -> list[str]:
    """The bulleted or numbered lines a list is made of, up to its last one: a remark after the
    list ("please claim", "thoughts?") is no item. Empty when the lines do not open with one."""
    last = max((n for n, x in enumerate(lines) if is_list_line(x)), default=-1)
    if not lines or not is_list_line(lines[0]):
        return []
    run = lines[: last + 1]
    # a list is mostly its bullets: a log or a paragraph with one dash in it is not
    return run if 2 * sum(is_list_line(x) for x in run) >= len(run) else []


@dataclass(frozen=True)
class ActionList:
    """One action-item list: the message that opens it and its items, numbered from 1."""

    header: Message
    items: list[Item]
    preamble: bool = False  # the header message says something before its list


def _record(message: Message, roster: Roster) -> Item | None:
    """The follow-up an incident tool's record message holds: its first line after the record
    header, with the owner of its "Assigned to" field ("Unassigned": none)."""
    lines = [x for x in own_words(message).splitlines() if x.strip()]
    if not lines or not FOLLOW_UP_RECORD(lines[0].lower()):
        return None
    body = [x for x in lines[1:] if not _RECORD_FIELD.match(x.lower())]
    if not body:
        return None
    item = _item(body[0], message, roster)
    if item is None:
        return None
    item.owner = None  # the record's author filed it; the field says who owns it
    for line in lines[1:]:
        assigned = _ASSIGNED.match(line)
        if assigned and (who := roster.resolve(assigned["name"].strip())):
            item.owner = who
    return item


def find_lists(chat: Chat, limit: int = 20) -> list[ActionList]:
    """Every action-item list, in chat order (one pass over the chat). Follow-ups an incident
    tool recorded one per message form one list, numbered in the order they were filed."""
    lists: list[ActionList] = []
    position = 0
    messages = chat.messages
    while position < len(messages):
        message = messages[position]
        position += 1
        record = _record(message, chat.roster)
        if record is not None:
            records = [record]
            while position < len(messages) and len(records) < limit:
                more = _record(messages[position], chat.roster)
                if more is None:
                    break
                records.append(more)
                position += 1
            lists.append(ActionList(message, records))
            continue
        lines, has_header, header_line = _list_lines(message)
        numbered = bool(_LIST_START.match(own_words(message)))
        second = position < len(messages) and bool(_SECOND.match(messages[position].text))
        if not has_header or (numbered and len(lines) == 1 and not second):
            continue
        items = [i for line in lines if (i := _item(line, message, chat.roster))]
        from_followers = numbered or not items
        bulleted = False
        while from_followers and position < len(messages):
            follower = messages[position]
            follow_lines = [x for x in own_words(follower).splitlines() if x.strip()]
            if follow_lines and all(is_list_line(x) for x in follow_lines):
                bulleted = True
            elif bulleted or not _plain_list_line(follower, message, follow_lines):
                break
            items.extend(i for x in follow_lines if (i := _item(x, follower, chat.roster)))
            position += 1
        if items:
            preamble = any(x.strip() for x in own_words(message).splitlines()[:header_line])
            lists.append(ActionList(message, items[:limit], preamble))
    return lists


_CLOSING = cue(
    r"^\W{0,3}+(?:thanks|thank you|thx|ty|nice|great|cool|good (?:work|job)|well done|ok|okay|"
    r"done|agreed|sounds good|perfect|awesome|cheers|bye|\+1|👍)\b"
)


def _plain_list_line(follower: Message, header: Message, lines: list[str]) -> bool:
    """A list posted one line per message: a short plain line by whoever opened the list, right
    after it, that is not a question, a thank-you or a sign-off."""
    if follower.author != header.author or len(lines) != 1:
        return False
    line = lines[0].strip()
    return len(line) <= 160 and not line.endswith("?") and not _CLOSING.search(line.lower())


def list_message_ids(lists: list[ActionList]) -> set[int]:
    """Ids of messages that hold action-item lists (kept out of timeline and cause finding)."""
    return {item.evidence[0] for found in lists for item in found.items}


def lists_only_ids(lists: list[ActionList]) -> set[int]:
    """Ids of list messages that say nothing before their list: a message that opens with a
    recap ("recap: ... because ...\nto do:\n- ...") still states the cause."""
    ids = list_message_ids(lists)
    return ids - {found.header.id for found in lists if found.preamble}


def _one_liners(chat: Chat, skip_ids: set[int], follow_up_from: int, has_list: bool) -> list[Item]:
    """Items outside lists: "AI: ...", "Kofi to add ...", and (after the incident, when no list
    exists) "@kofi please add ..." or "I'll add ..." commitments."""
    found: list[Item] = []
    for message in chat.messages:
        if message.id in skip_ids:
            continue
        author = chat.roster.resolve(message.author or "")
        for sentence in split_sentences(own_words(message)):
            raw = strip_filler(sentence)
            item = _one_liner(chat, raw, message, author)
            later = message.id > follow_up_from or bool(_DEFERRED.search(raw))
            if item is None and not has_list and later:
                item = _commitment(chat, raw, message, author)
            if item is not None:
                found.append(item)
                if len(found) == 4 * _LIMIT:
                    return found
    return found


def _one_liner(chat: Chat, raw: str, message: Message, author: str | None) -> Item | None:
    prefixed = _PREFIXED.match(raw.strip())
    if prefixed:
        item = _item(prefixed["rest"], message, chat.roster)
        if item is not None and prefixed["who"] and (who := chat.roster.resolve(prefixed["who"])):
            item.owner = who
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
        item = _item(please["task"].rstrip(" ?"), message, chat.roster)  # a request's words
        if item is not None:
            asked = please["ask"] or raw.rstrip().endswith("?")
            item.owner = _answered(chat, message, who) if asked else who
        return item
    commit = _COMMIT.search(raw)
    if commit and author:
        item = _item(commit["task"] or commit["doing"], message, chat.roster)
        if item is not None:
            item.owner = author
        return item
    abroad = COMMIT_ABROAD.search(raw.lower())
    if abroad and author:
        start = abroad.start("task") if abroad["task"] else abroad.start("own")
        item = _item(raw[start:], message, chat.roster)
        if item is not None:
            item.owner = author
        return item
    proposed = PROPOSAL_ABROAD.search(raw.lower())
    if proposed:
        task = raw[proposed.start("task") :]
        # "the 404 caching at 300s is too much, habría que bajarlo a 10s": the object is before
        item = _item(task if len(content_words(task)) >= 4 else raw, message, chat.roster)
        if item is not None:
            item.proposed = True
        return item
    ticket = _TICKET.search(raw)
    found = ticket or _PROPOSAL.match(raw.strip()) or _SHOULD.match(raw.strip())
    if found:
        item = _item(found["task"], message, chat.roster)
        if item is not None and item.owner is None and _SELF_ASSIGNED.search(raw):
            item.owner = author
        if item is not None:
            item.proposed = ticket is None
        return item
    return None


_TAKE_WINDOW = 4
_BARE_CLAIM_WORDS = 6


def _taken(chat: Chat, item: Item, sources: set[int]) -> None:
    """A proposal someone takes in the next few messages with a bare claim ("fine, mine", "I'll
    take it", "on it"): theirs. A message that is a follow-up of its own takes nothing."""
    start = chat.position_of(item.evidence[0]) + 1
    if start <= 0:
        return
    for message in chat.messages[start : start + _TAKE_WINDOW]:
        if message.id in sources:
            continue
        author = chat.roster.resolve(message.author or "")
        sentences = chat.sentences(message)
        if author is None or not sentences:
            continue
        opening = sentences[0].lower
        short = len(opening.split()) <= _BARE_CLAIM_WORDS
        if short and (claims(opening) or ITEM_CLAIM(opening)) and not DECLINE(opening):
            item.assign(author, message.id)
            return


# Work put after the incident in so many words ("I'll ping the client team tomorrow"): a
# follow-up even while the incident is still on.
_DEFERRED = cue(
    r"\b(?:tomorrow|next (?:week|sprint)|on monday|after (?:this|the incident)|"
    r"once (?:the|this|it|we)\b[^.!?]{0,40}?(?:over|done|gone|resolved|fixed|stable)|"
    r"in the morning|postmortem|post-mortem|retro|mañana|esta tarde|demain|morgen|domani|"
    r"post-?mortem|próxima semana|la semaine prochaine|nächste woche)\b"
)
_SELF_ASSIGNED = cue(r"\b(?:assigned to me|i'?ll (?:do|take|own) it|mine)\b")


def _answered(chat: Chat, request: Message, who: str) -> str | None:
    """`who` when one of their first messages after the request says yes to it, else None."""
    start = chat.position(request) + 1
    if start <= 0:
        return None
    read = 0
    for message in chat.messages[start : start + _ANSWER_WINDOW]:
        if chat.roster.resolve(message.author or "") != who:
            continue
        sentences = chat.sentences(message)
        opening = sentences[0].lower if sentences else ""
        if ACCEPT(opening) and not DECLINE(opening):
            return who
        read += 1
        if read == _ANSWERS_READ:
            break
    return None


def _same_item(a: Item, b: Item) -> bool:
    union = a.words | b.words
    return bool(union) and len(a.words & b.words) / len(union) >= 0.5


def find_action_items(chat: Chat, lists: list[ActionList], follow_up_from: int = 0) -> list[Item]:
    """Action items in chat order, each citing its list (or line) and whoever assigned it."""
    items: list[Item] = []
    for index, found in enumerate(lists):
        next_list = lists[index + 1].header.id if index + 1 < len(lists) else None
        assign_owners(chat, found.header, found.items, until_id=next_list)
        items.extend(found.items)
    extras = _one_liners(chat, list_message_ids(lists), follow_up_from, bool(lists))
    sources = {extra.evidence[0] for extra in extras}
    for extra in extras:
        if extra.proposed and extra.owner is None:
            _taken(chat, extra, sources)
    for extra in extras:
        twin = next((i for i in items if _same_item(i, extra)), None)
        if twin is None:
            if len(items) < _LIMIT:
                items.append(extra)
        else:
            twin.assign(extra.owner, *extra.evidence)
    return items[:_LIMIT]
