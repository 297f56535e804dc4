"""People in a claim against the chat: owners of follow-ups, and who did what.

Owners (a hard check, read by the checker's own rules in `assignments`): the follow-up the claim
describes is found among those the chat lists, proposes or assigns, by its distinctive words.
The claimed owner took it or was given it: *pass*. The chat gave it to someone else:
*contradicted*, naming who and where. The chat lists it but the rules see nobody take it, or no
follow-up matches: a soft flag (an assignment phrased in a way the rules do not read must not
cost a correct owner).

Actors ("Ravi paused the backfill"): the person wrote, or is named in, a message about the event:
*pass*. The message that reports the event (the cited one, or clearly the best retrieved one) is
someone else's first-hand report, and neither it nor the messages around it name the person:
*contradicted*; so is a claim every cited message of which is one other author's first-hand
report, about the event, naming nobody else (`_cited_author_report`). A timeline row in the
narrative present ("09:06 Ben restarts the pods") reports an event like a past form does.
"asked Pavel to ..." outside a list of plans narrates a request: no owner. Otherwise a soft flag.
"""

from __future__ import annotations

import re

from app.verify.assignment_cues import WORK_LINE
from app.verify.assignments import FollowUp, task_stems
from app.verify.context import CheckResult, ClaimContext, idf_weight, overlap
from app.verify.mood import PLANNED_HEADING, is_past_form
from app.verify.source import MessageDoc
from app.verify.splitting import no_owner
from app.verify.text import GENERIC, STOPWORDS, content_stems, stem, words

# A follow-up matches a claim's task from this (IDF-weighted) share of the smaller side.
TASK_MATCH = 0.5
# Follow-ups within this share of the best match count as the same work (owners may share it).
NEAR_BEST = 0.8
# A message is about the event from this share of the claim's known words...
EVENT_OVERLAP = 0.34
# ...and clearly reports it from this share.
EVENT_MATCH = 0.5

# Words after a name that make it the owner of the work: "Omar owns", "Yuki will fix",
# "Ben is going to", "Hannah to draft"; or "assigned to X", "(owner: X)".
_OWNER_VERB = re.compile(
    r"^[ \t,]*+(?:also[ \t]++)?+(?:owns?|will|is[ \t]++going[ \t]++to|is[ \t]++taking|takes|"
    r"handles|is[ \t]++handling|is[ \t]++on|to|has[ \t]++taken|took[ \t]++on|is[ \t]++"
    r"responsible[ \t]++for|agreed[ \t]++to|volunteered|offered[ \t]++to|is[ \t]++following"
    r"[ \t]++up|follows[ \t]++up|picked[ \t]++up|is[ \t]++looking[ \t]++into|has[ \t]++the)\b",
    re.IGNORECASE,
)
_ASSIGNED_TO = re.compile(
    r"\b(?:assigned[ \t]++to|owned[ \t]++by|owner[ \t]*+(?:is|:))[ \t]++@?+(?P<name>\w++)",
    re.IGNORECASE,
)
_LEADING_NAME = re.compile(r"^[ \t*_-]*+@?+(?P<name>[A-Z][a-z]++)\b")
_FIRST_PERSON = re.compile(r"\b(?:i|i['’]ve|i['’]m|i['’]ll|we|we['’]ve|me|my)\b", re.IGNORECASE)
_OWNER_TEXT = re.compile(r"\(owner:[ \t]*+(?P<name>[^()]{1,60}+)\)", re.IGNORECASE)
# Words around a name that make it the item's reviewer or recipient, not its owner ("for Dana
# to review", "reviewed by Dana", "send it to Dana", "cc Dana").
_ROLE_BEFORE = re.compile(r"\b(?:for|to|by|cc|with|from)[ \t]*+$", re.IGNORECASE)
_ROLE_AFTER = re.compile(
    r"^['’]?s?+[ \t]++(?:to[ \t]++(?:review|approve|sign|check|read|look)|review|approval|"
    r"sign[- ]off)\b",
    re.IGNORECASE,
)
_NOT_TASK = frozenset(stem(w) for w in "owner owners own owns assigned assignee".split())


def _claimed_owner(ctx: ClaimContext) -> str | None:
    """The owner the claim names: its table cell, "(owner: X)", "assigned to X", or a person
    followed by "owns", "will", "is going to" ("Omar owns ...", "Yuki will fix ...")."""
    named = ctx.claim.owner
    if named is None:
        match = _OWNER_TEXT.search(ctx.text) or _ASSIGNED_TO.search(ctx.text)
        named = match["name"].strip() if match else _trailing_owner(ctx)
    if named is None and ctx.planned_section and ctx.claim.label:
        # "- Olu: add a quota alert" under "Action items": the splitter keeps the name as the
        # line's label; a participant's name there gives the item to them
        named = ctx.source.people.resolve(ctx.claim.label.strip())
    if named is not None and no_owner(named):
        return None  # "(owner: none yet)" names no one
    if named is not None:
        return ctx.source.people.resolve(named) or named
    for person, start, end in ctx.mentions:
        verb = _OWNER_VERB.match(ctx.text[end : end + 40])
        if verb is not None and not _told_to(ctx, start, verb.group(0)):
            return person
        if ctx.planned_section and start <= 2:  # "- Nina: disk alert" under "Follow-ups"
            return person
    leading = _LEADING_NAME.match(ctx.text)  # a name the chat mentions but who never wrote
    if leading is not None and _OWNER_VERB.match(ctx.text[leading.end() : leading.end() + 24]):
        name = leading["name"]
        lowered = name.lower()
        # "How to detect ...", "Where to ...": a question word opening the line is no owner
        if lowered not in _NOT_NAMES and lowered not in STOPWORDS and ctx.source.knows_name(name):
            return name
    return None


_NOT_NAMES = frozenset({"we", "it", "this", "that", "they", "team", "support", "nobody"})
# "... paging if the offset exceeds 5 s — Liesel Brandt.": an item of a list of plans that ends
# with a dash and a name.
_TRAILING_NAME = re.compile(
    r"[ \t][—–-][ \t]++(?P<name>[A-Z][\w.'-]{0,30}+(?:[ \t][A-Z][\w.'-]{0,30}+)?+)\.?+[ \t]*+\Z"
)


def _trailing_owner(ctx: ClaimContext) -> str | None:
    """The participant a follow-up item names after a final dash, under a heading for plans."""
    if not ctx.planned_section:
        return None
    match = _TRAILING_NAME.search(ctx.text)
    if match is None or ctx.source.people.resolve(match["name"]) is None:
        return None
    return match["name"]


def _told_to(ctx: ClaimContext, start: int, verb: str) -> bool:
    """True for "asked Pavel to ...", "told Pavel to ..." outside a list of plans: the claim
    narrates a request made in the chat (who acted is the actor check's to read), it does not
    name an owner of follow-up work."""
    if ctx.planned_section or verb.split()[-1].lower() != "to":
        return False
    before = words(ctx.text[max(0, start - 24) : start])
    return bool(before) and is_past_form(before[-1].raw)


def _weight(ctx: ClaimContext, stems: frozenset[str]) -> float:
    return idf_weight(ctx.source, stems)


def _task(ctx: ClaimContext) -> frozenset[str]:
    text = _OWNER_TEXT.sub(" ", ctx.text)
    return task_stems(text) - ctx.name_stems - _NOT_TASK - GENERIC


def _matches(ctx: ClaimContext, task: frozenset[str]) -> list[tuple[float, FollowUp]]:
    scored: list[tuple[float, FollowUp]] = []
    own = _weight(ctx, task)
    for follow_up in ctx.source.follow_ups_about(task):
        shared = task & follow_up.stems
        if not shared:
            continue
        smaller = min(own, ctx.source.follow_up_weight(follow_up)) or 1.0
        score = _weight(ctx, shared) / smaller
        if score >= TASK_MATCH and (len(shared) >= 2 or score >= 0.75):
            scored.append((score, follow_up))
    return sorted(scored, key=lambda pair: -pair[0])


# "Wen - compute reservation for api-frontend", "@kofi — drop the pin": a lead's line that
# opens with a name and a dash gives that person the work, as one with a colon does.
_NAME_DASH = re.compile(r"\A[ \t*_]*+@?+(?P<name>[A-Za-z][\w.]{0,40}+)[ \t]++[-—–][ \t]++(?=\S)")
# A reply within this many messages of a proposal nobody took, by someone who takes work in
# its words ("someone should add a null-rate alert" then "i can take the null alert too").
TAKEN_AFTER = 3


def _taken_after(ctx: ClaimContext, listed: FollowUp, task: frozenset[str]) -> FollowUp | None:
    """The follow-up a participant committed to within `TAKEN_AFTER` messages after the
    ownerless `listed` one, in two of its words and the claim's (a reply names the work it
    takes by a word or two: "the null alert")."""
    start = ctx.source.positions.get(listed.message_id)
    if start is None:
        return None
    for follow_up in ctx.source.follow_ups_about(task):
        if len(follow_up.stems & listed.stems & task) < 2:
            continue
        at = ctx.source.positions.get(follow_up.owner_message or follow_up.message_id)
        if follow_up.owner is None or follow_up.how != "committed" or at is None:
            continue
        if 0 < at - start <= TAKEN_AFTER:
            return follow_up
    return None


def _cited_list_owner(ctx: ClaimContext, task: frozenset[str]) -> tuple[str, MessageDoc] | None:
    """The person a cited message gives the work to by opening with their name ("ana: page on
    LdapReplicationLag per consumer", one line of a lead's list): the message's words after the
    name must say the task (`TASK_MATCH` of its weight, two words at least). Read only in the
    messages the claim cites, for work the chat's follow-ups did not match."""
    for doc in ctx.cited_docs:
        match = WORK_LINE.match(doc.message.text) or _NAME_DASH.match(doc.message.text)
        if match is None:
            continue
        who = ctx.source.people.resolve(match["name"])
        if who is None:
            continue
        rest = frozenset(content_stems(doc.message.text[match.end() :]))
        shared = task & rest
        if len(shared) >= 2 and _weight(ctx, shared) / (_weight(ctx, task) or 1.0) >= TASK_MATCH:
            return who, doc
    return None


def _named_in_another_role(ctx: ClaimContext, person: str) -> bool:
    """The item's own text names `person` as its reviewer or recipient ("Draft the email ...
    for Dana to review (owner: Lena)"): the chat giving Dana a part of it does not make the
    claimed owner wrong."""
    owner_text = _OWNER_TEXT.search(ctx.text)
    body = ctx.text[: owner_text.start()] if owner_text else ctx.text
    for name, start, end in ctx.mentions:
        if name != person or end > len(body):
            continue
        if _ROLE_BEFORE.search(body[max(0, start - 8) : start]):
            return True
        if _ROLE_AFTER.match(body[end : end + 24]):
            return True
    return False


def check_owner(ctx: ClaimContext, owner: str) -> CheckResult:
    """The claimed owner is who the chat gave the follow-up to."""
    participant = owner in ctx.source.people.participants
    if not participant and not ctx.source.knows_name(owner):
        return CheckResult("owner", "unsupported", f"{owner} does not appear in the chat")
    task = _task(ctx)
    matches = _matches(ctx, task)
    if not matches:
        from_list = _cited_list_owner(ctx, task)
        if from_list is not None:
            who, doc = from_list
            if who == owner:
                return CheckResult(
                    "owner",
                    "pass",
                    f"the cited {doc.when()} gives this to {owner}",
                    (doc.message.id,),
                )
            return CheckResult(
                "owner",
                "contradicted",
                f"the cited {doc.when()} gives this to {who}, not {owner}",
                (doc.message.id,),
            )
        return CheckResult("owner", "flag", "no follow-up of the chat matches this")
    best = matches[0][0]
    near = [f for score, f in matches if score >= best * NEAR_BEST]
    mine = [f for f in near if f.owner == owner]
    released = [f for f in near if f.how == "left unassigned"]
    if released and not any(
        f.owner is not None and (f.owner_message or 0) > released[-1].message_id for f in near
    ):
        where = released[-1].message_id
        return CheckResult(
            "owner",
            "contradicted",
            f"the chat leaves this unassigned (m{where}), so {owner} does not own it",
            (where,),
        )
    if mine:
        where = mine[0].owner_message or mine[0].message_id
        return CheckResult(
            "owner",
            "pass",
            f"the chat gave this to {owner} (m{where})",
            (where, mine[0].message_id),
        )
    others = [f for f in near if f.owner is not None]
    if others:
        other = others[0]
        where = other.owner_message or other.message_id
        if other.owner is not None and _named_in_another_role(ctx, other.owner):
            return CheckResult(
                "owner",
                "flag",
                f"the chat gave part of this to {other.owner} (m{where}), whom the item names as "
                f"its reviewer or recipient",
                (where,),
            )
        return CheckResult(
            "owner",
            "contradicted",
            f"the chat gave this to {other.owner} (m{where}), not {owner}",
            (where,),
        )
    listed = near[0]
    taken = _taken_after(ctx, listed, task)
    from_list = _cited_list_owner(ctx, task)
    given = (
        (taken.owner, taken.owner_message or taken.message_id) if taken and taken.owner else None
    )
    if given is None and from_list is not None:
        given = (from_list[0], from_list[1].message.id)
    if given is not None:
        who, where = given
        if who == owner:
            return CheckResult(
                "owner", "pass", f"m{where} gives this to {owner}", (where, listed.message_id)
            )
        return CheckResult(
            "owner",
            "contradicted",
            f"the chat proposes this (m{listed.message_id}) and m{where} gives it to {who}, not "
            f"{owner}",
            (where,),
        )
    return CheckResult(
        "owner",
        "flag",
        f"the chat lists this (m{listed.message_id}) but the rules see no one take it",
        (listed.message_id,),
    )


def _subject(ctx: ClaimContext) -> str | None:
    """The person the claim says acted: a name among its first three words ("Ravi paused",
    "Tom, as incident commander, decided") or after "by" ("paused by Ravi")."""
    text = ctx.text
    for person, start, end in ctx.mentions:
        if text[end : end + 2] in ("'s", "’s"):
            continue  # "Jonas's job": a possessive, not an actor
        before = _CLAUSE_START.split(text[max(0, start - 60) : start])[-1]
        if len(before.split()) <= 2 or text[max(0, start - 4) : start].strip() == "by":
            return person
    return None


# Reports of an event within this share of the best one count as reporting it too.
NEAR_REPORT = 0.15


def _reported(doc: MessageDoc) -> frozenset[str]:
    """The stems of a message's clauses that report rather than plan ("Follow-ups: ... turn
    debug off" and "I'll do the disk alert" report nothing done)."""
    found: set[str] = set()
    for clause in doc.clauses:
        lead = _PLAN_LEAD.match(clause.text)
        if clause.general_mood() == "planned" or (lead and PLANNED_HEADING.search(lead.group(0))):
            continue  # "I'll do the alerts", "Follow-ups: add the index, ..."
        found |= clause.stems
    return frozenset(found)


_PLAN_LEAD = re.compile(r"^[\W_]*+[A-Za-z][A-Za-z -]{0,30}+:(?![^ \t])")


_CLAUSE_BREAK = re.compile(r"[;,]|\b(?:and|then|while|after which)\b")
_CLAUSE_START = re.compile(r"[,;:]|\b(?:and|then|so|because|while|after|before)\b")


def _names_or_wrote(
    doc: MessageDoc, person: str, ctx: ClaimContext, event: frozenset[str] = frozenset()
) -> bool:
    """The person wrote the message, or it names them for the event: when it names several
    people ("Alex, please fix config while Ravi rolls back"), the words after the person's name
    must be about the event at least as much as those after anyone else's."""
    if doc.message.author == person:
        return True
    text = doc.message.text
    mentions = ctx.source.people.mentioned(text)
    if person not in {p for p, _, _ in mentions}:
        return False
    spoken_to = [m for m in mentions if m[0] == person and _vocative(text, m[1], m[2])]
    if spoken_to and len(spoken_to) == sum(m[0] == person for m in mentions):
        return False  # "I turned on the alerts already, Maya": Maya is spoken to, not acting
    others = {p for p, _, _ in mentions} - {person}
    if not others or not event:
        return True
    segments = _segments(doc.message.text, mentions)
    mine = overlap(set(event), set(content_stems(segments.get(person, ""))))
    theirs = max(overlap(set(event), set(content_stems(segments.get(o, "")))) for o in others)
    return mine > 0 and mine >= theirs


def _theirs_at_claimed_time(
    ctx: ClaimContext, person: str, event: frozenset[str]
) -> MessageDoc | None:
    """A message by the person, at (or writing) one of the claim's times and sharing a word of
    the event: "I edited it at 15:10" for "At 15:10 Nadia edited the flag"."""
    for written in ctx.times:
        for value in written.values:
            ids = list(ctx.source.at_time(value))
            ids += [m.message_id for m in ctx.source.mentions_of(value)]
            for message_id in ids:
                doc = ctx.source.docs[message_id]
                if doc.message.author == person and event & doc.stems:
                    return doc
    return None


def _vocative(text: str, start: int, end: int) -> bool:
    """True when a name is spoken to: "Maya, can you ...", "... already, Maya.", "thanks Maya"."""
    before = text[:start].rstrip(" \t@")
    after = text[end:].lstrip(" \t")
    opens = (
        not before
        or before.endswith((",", ".", "!", "?", ":"))
        or before.lower().endswith(("thanks", "thank you", "hey", "hi", "ok", "cc"))
    )
    closes = not after or after[0] in ",.!?:;"
    return (opens and closes) or (before.endswith(",") and (not after or after[0] in ".!?"))


def _segments(text: str, mentions: list[tuple[str, int, int]]) -> dict[str, str]:
    """The words bound to each named person: from the name up to the next name or clause end."""
    bound: dict[str, str] = {}
    for index, (person, _, end) in enumerate(mentions):
        stop = mentions[index + 1][1] if index + 1 < len(mentions) else len(text)
        piece = text[end:stop]
        cut = _CLAUSE_END.search(piece)
        bound[person] = bound.get(person, "") + " " + (piece[: cut.start()] if cut else piece)
    return bound


_CLAUSE_END = re.compile(r"[.!?;]")


def _their_clause(ctx: ClaimContext, person: str) -> str:
    """The part of the claim the person acts in ("and Priya acknowledged it a minute later")."""
    for name, start, _ in ctx.mentions:
        if name == person:
            end = _CLAUSE_BREAK.search(ctx.text, start + len(name))
            begin = max((m.end() for m in _CLAUSE_BREAK.finditer(ctx.text, 0, start)), default=0)
            return ctx.text[begin : end.start() if end else len(ctx.text)]
    return ctx.text


def check_actor(ctx: ClaimContext, person: str) -> CheckResult:
    """The person named as acting wrote, or is named in, the messages about the event."""
    words = frozenset(content_stems(_their_clause(ctx, person)))
    event = frozenset(w for w in words - ctx.name_stems - GENERIC if ctx.source.known(w))
    if not event:
        return CheckResult("people", "skip")
    at_their_time = _theirs_at_claimed_time(ctx, person, event)
    if at_their_time is not None:
        return CheckResult(
            "people",
            "pass",
            f"{at_their_time.when()} is {person}'s, at the claim's time",
            (at_their_time.message.id,),
        )
    cited = [(d, overlap(set(event), set(d.stems))) for d in ctx.cited_docs]
    about = [(d, s) for d, s in cited if s >= EVENT_OVERLAP]
    if not about:  # citing nothing about it: the messages that clearly report the event
        about = [(d, s) for d, s in ctx.search_event(event, k=6) if s >= EVENT_MATCH]
        reports = ctx.claims_done or (ctx.facts.past and not ctx.facts.planned)
        if reports:  # "I'll turn debug off" does not report that it was turned off
            about = [(d, overlap(set(event), set(_reported(d)))) for d, _ in about]
            about = [(d, s) for d, s in about if s >= EVENT_MATCH]
        best = max((s for _, s in about), default=0.0)
        # the reports that fit about as well as the best one: a message by the person that
        # shares fewer of the words ("I'll do the disk alert") does not link them to it
        about = [(d, s) for d, s in about if s >= best - NEAR_REPORT]
    for doc, _ in about:
        if _names_or_wrote(doc, person, ctx, event):
            return CheckResult(
                "people", "pass", f"{doc.when()} links {person} to this", (doc.message.id,)
            )
    for doc, _ in about[:3]:
        for neighbour in ctx.source.neighbours(doc.message.id, 2):
            other = ctx.source.docs[neighbour]
            reports = ctx.claims_done or (ctx.facts.past and not ctx.facts.planned)
            stems = _reported(other) if reports else other.stems
            if (
                _names_or_wrote(other, person, ctx, event)
                and overlap(set(event), set(stems)) >= EVENT_MATCH
            ):
                return CheckResult(
                    "people", "pass", f"{other.when()} links {person} to this", (neighbour,)
                )
    strong = [
        (d, s)
        for d, s in about
        if s >= EVENT_MATCH and d.message.author and not d.message.text.rstrip().endswith("?")
    ]
    if ctx.cited:
        strong = [(d, s) for d, s in strong if d.message.id in ctx.cited]
    if strong and len(event) >= 2:
        doc = max(strong, key=lambda pair: pair[1])[0]
        # The author's own report: it speaks in the first person or names nobody else.
        others = [
            p for p in ctx.source.people.names_in(doc.message.text) if p != doc.message.author
        ]
        first_hand = bool(_FIRST_PERSON.search(doc.message.text)) or not others
        if first_hand and doc.message.author != person:
            return CheckResult(
                "people",
                "contradicted",
                f"{doc.when()} is {doc.message.author}'s report of this; the chat does not name "
                f"{person} for it",
                (doc.message.id,),
            )
    cited_report = _cited_author_report(ctx, person, about)
    if cited_report is not None:
        return cited_report
    return CheckResult("people", "flag", f"the chat does not link {person} to this")


def _cited_author_report(
    ctx: ClaimContext, person: str, about: list[tuple[MessageDoc, float]]
) -> CheckResult | None:
    """Every message the claim cites is by one other author, first-hand (naming nobody else,
    asking nothing), one of them is about the event, and none names the person:
    *contradicted* ("09:06 Tom reproduces the crash" citing Ben's "repro, crashes on launch").
    Only citations count here: a retrieved message is not what the claim rests on. (The caller
    read the neighbours: a message near the report that links the person to the event passed
    the claim before this.)"""
    cited = ctx.cited_docs
    about = [(d, s) for d, s in about if d.message.id in ctx.cited]
    if not about:
        return None
    authors = {d.message.author for d in cited}  # every cited message, about it or not
    if len(authors) != 1 or None in authors or person in authors:
        return None
    if any(person in ctx.source.people.names_in(d.message.text) for d in cited):
        return None
    for doc in cited:
        text = doc.message.text
        others = [p for p in ctx.source.people.names_in(text) if p != doc.message.author]
        if others or text.rstrip().endswith("?"):
            return None  # naming someone else, or asking: not the author's own report
    doc = max(about, key=lambda pair: pair[1])[0]
    return CheckResult(
        "people",
        "contradicted",
        f"the cited {doc.when()} is {doc.message.author}'s own report of this; no cited message "
        f"names {person}",
        (doc.message.id,),
    )


def check_people(ctx: ClaimContext) -> CheckResult:
    """Owners are who the chat assigned; actors are who the chat names for the event."""
    owner = _claimed_owner(ctx)
    if owner is not None:
        return check_owner(ctx, owner)
    person = _subject(ctx)
    if person is None:
        return CheckResult("people", "skip")
    if not ctx.claims_done and not ctx.facts.past and not _acts_in_past(ctx, person):
        return CheckResult("people", "skip")
    return check_actor(ctx, person)


def _acts_in_past(ctx: ClaimContext, person: str) -> bool:
    """True when a past form follows the person's name: the name is its subject ("oscar fixed
    chrony.conf", read as an adjective before a noun without a subject it knows); or, in a row
    of a timeline, a verb in the narrative present ("09:06 Ben restarts the pods"): a timeline
    reports what happened, in whichever tense."""
    row = timeline_row(ctx)
    for name, _, end in ctx.mentions:
        if name == person:
            after = words(ctx.text[end : end + 40])
            if after and after[0].start <= 1 and is_past_form(after[0].raw):
                return True
            if row and after and after[0].start <= 1:
                begin = end + after[0].start  # as written: `words` lower-cases ("iOS")
                if _narrative_present(ctx.text[begin : begin + len(after[0].raw)]):
                    return True
    return False


# Words in -s after a name that are no verb of the narrative present.
_NOT_VERBS = frozenset("is has was does us its this thus plus as".split())


def _narrative_present(raw: str) -> bool:
    """True for a lower-case third-person verb form ("restarts", "verifies", "opens"), not "is",
    "has" or a word in -ss ("access")."""
    return (
        len(raw) > 2
        and raw.isalpha()
        and raw.islower()
        and raw.endswith("s")
        and not raw.endswith("ss")
        and raw not in _NOT_VERBS
    )


_TIMELINE = re.compile(r"\btimeline\b", re.IGNORECASE)
_LEADING_TIME = re.compile(r"\A[ \t*_|(\[]*+\d{1,2}:\d{2}")


def timeline_row(ctx: ClaimContext) -> bool:
    """True for a row of a timeline: under a "Timeline" heading, a report's `timeline[i]`, or a
    line that opens with a clock time ("09:06 — ...")."""
    claim = ctx.claim
    if claim.item is not None and claim.item.startswith("timeline["):
        return True
    if claim.section is not None and _TIMELINE.search(claim.section):
        return True
    return bool(_LEADING_TIME.match(ctx.text))
