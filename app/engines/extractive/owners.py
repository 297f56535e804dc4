"""Who owns each action item, decided conservatively: an owner is only ever a participant.

After a list, within `ASSIGN_WINDOW` messages and before the next list:
- a claim by the speaker: "I'll own #1 and #4", "I'll take 1 and 3", "2 is mine" -> the speaker;
- a direct assignment: "Ravi to take #2", "#2 -> Ravi", "Ravi will handle the runbook";
- a request ("Ravi can you handle #2?", "Priya, maybe you can update the runbook?") only once
  the person accepts in one of their next messages ("Sure thing", "yes", "on it");
- an open call ("who takes the runbook one?") answered by a bare claim ("mine", "I'll take it").
A request nobody accepts leaves the item unowned. Items are referenced by number ("#2", "1 and
3") or by the words they share with one item only. Each list walks only its own window, so the
whole pass is linear in the chat's length.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.engines.extractive import memo
from app.engines.extractive.chat import Chat, Sentence
from app.engines.extractive.cues import NEGATED, cue, family
from app.engines.extractive.people import Roster
from app.engines.extractive.text import content_words
from app.models import Message

ACCEPT_WINDOW = 5
# Owners are taken up within this many messages after a list (and before the next list starts):
# "#2" after a newer list refers to the newer one, and a long channel stays linear.
ASSIGN_WINDOW = 150

CLAIM = family(
    "owner_claim",
    "the speaker takes work on: 'I'll own #1', 'I'll take it', 'I've got 3', 'on me'",
    r"\b(?:i'?ll|i will|i can|i'?m|i've got|i got|i'?d|i)\b[^.!?]{0,30}?\b(?:own|take|handle|grab|"
    r"do|cover|claim|pick up|tackle|got|have|work on|drive|look at|write|add|set up|go through|"
    r"doing|taking|handling|owning|writing|adding|on it)\b|"
    r"\b(?:is|are) (?:mine|on me)\b|\bon me\b|^\W{0,3}+mine\b|"
    r"(?:->|→|=>|:|—|–|\s-)\s{0,3}+(?:mine|me)\b|^\W{0,3}+(?:taking|grabbing|owning|claiming)\b|"
    r"^\W{0,3}+#?\d{1,2}\s{1,3}+(?:is|are|for|goes to)\s{1,3}+(?:me|mine)\b|"
    # the same in German, French and Spanish: "nehm ich", "ist meins", "je prends", "lo hago yo"
    r"\b(?:nehm(?:e)?|mach(?:e)?|übernehm(?:e)?) ich\b|\b(?:ist|sind) meins?\b|"
    r"(?<!not )(?<!n't )\bmine\W{0,3}+$|"
    r"\bje (?:prends|m'en occupe|m'occupe)\b|\bc'est pour moi\b|\b(?:lo|me lo) (?:hago|tomo)\b|"
    r"\bme (?:encargo|ocupo)\b|"
    # "la 2 es mía", "para mí", "me la quedo", "pour moi", "für mich", "é minha", "pra mim"
    r"\b(?:es|é) (?:m(?:í|i)[ao]|minha|meu)\b|\bpara m(?:í|i)\b|\bme (?:la|lo) (?:quedo|llevo)\b|"
    r"\bpour moi\b|\bfür mich\b|\bpra mim\b|"
    # Portuguese: "posso fazer eu", "faço eu", "eu pego", "fica comigo", "deixa comigo"
    r"\b(?:posso fazer eu|(?:fa(?:ç|c)o|pego|trato) eu|eu (?:fa(?:ç|c)o|pego|trato|assumo)|"
    r"(?:fica|deixa) comigo)\b",
)
PLEDGE = family(
    "owner_pledge",
    "the speaker commits to doing it: 'I'll', 'I will', 'I'm going to'",
    r"\b(?:i'?ll|i will|i'?m going to)\b",
)
ASKS = family(
    "owner_request",
    "asking a person to take work: 'can you', 'could you', 'maybe you can', 'mind taking'",
    r"\b(?:can you|could you|would you|will you|please|maybe you|you can|mind|want to|able to|"
    r"kannst du|könntest du|bitte|peux-tu|pourrais-tu|puedes|podrías)\b",
)
DEFERRAL = family(
    "owner_deferral",
    "work put off without an owner: 'whoever picks it up', 'backlog', 'not assigning it'",
    r"\b(?:whoever|board|backlog|unassigned|unowned|no owner|someone else|at the review|"
    r"at planning|not me|not a name|not assigning|can wait|"
    # "fica sem dono", "sin dueño", "sans propriétaire", "ohne Owner"
    r"sem dono|sem respons(?:á|a)vel|sin (?:dueño|responsable)|sans (?:propriétaire|responsable)|"
    r"ohne (?:owner|besitzer|verantwortliche\w*))\b",
)
ACCEPT = family(
    "owner_accept",
    "a yes to a request: 'sure', 'on it', 'will do', 'happy to', 'I'll take it'",
    r"^\W{0,3}+(?:sure|yes|yep|yup|yeah|ok|okay|on it|will do|can do|got it|happy to|absolutely|"
    r"of course|no problem|np|sounds good|i'?ll take|i'?ll do|i can|i'?ll handle|i'?m on it|"
    r"definitely|done|mine|👍|\+1|"
    # the same yes in German, French, Spanish and Portuguese: "klar", "mach ich", "oui", "vale"
    r"klar|gerne|ja|mach(?:e)? ich|machen wir|oui|d'accord|je m'en occupe|sí|si|claro|vale|"
    r"me encargo|sim|pode deixar|deixa comigo)(?!\w)",
)
NUMBERED_ACCEPT = family(
    "owner_numbered_accept",
    "a yes that names the item it takes: '3 👍', '6 yes', 'on it for 2', 'ok on 4', '2 and 5 me'",
    r"^\W{0,3}+(?:(?:ok(?:ay)?|sure|yes|yep|on it|will do|can do|got it|👍|✅|\+1)"
    r"[\s,:]{1,3}+(?:(?:for|on|with)\s{1,3}+)?#?(?P<a>\d{1,2})"
    r"(?=\s{0,3}+(?:[.,;!)]|$|too\b|and\b|as well\b|-|—))|"
    r"#?(?P<b>\d{1,2}(?:\s{0,3}+(?:,|and|&|\+)\s{0,3}+#?\d{1,2}){0,5}+)\s{0,3}+[:,\-–—=>→]{0,2}+"
    r"\s{0,3}+(?:👍|✅|\+1|yes|yep|ok|okay|sure|on it|will do|can do|obviously|of course|me|"
    r"mine|myself)(?!\w))",
)
DECLINE = family(
    "owner_decline",
    "a no to a request: 'no', 'can't', 'not me', 'sorry', 'busy'",
    r"^\W{0,3}+(?:no|nope|can'?t|cannot|not me|sorry|i'?m out|busy)\b",
)
OPEN_CALL = family(
    "owner_open_call",
    "a call for any taker: 'who takes ...?', 'any takers?', 'anyone want ...?'",
    r"\b(?:who(?:'?s| is| wants| will| can)?|any takers|anyone|someone|volunteers?)\b",
)
_DIRECT = cue(
    r"^@?(?P<name>[A-Za-z][\w.\-]{0,40}+)\s{1,3}+(?:to|will|owns?|takes?|has|gets?|is on)\b"
)
_ARROW = cue(
    r"#?(?P<num>\d{1,2})\s{0,3}+(?:->|→|=>|:|\bto\b|\bfor\b)\s{0,3}+@?(?P<name>[A-Za-z][\w.\-]{0,40}+)"
)
_NUMBER_REF = cue(
    r"#\s?(?P<a>\d{1,2})\b|\b(?:own(?:s|ing)?|tak(?:e|es|ing)|handl(?:e|es|ing)|grab(?:s|bing)?|"
    r"do(?:ing)?|cover(?:s|ing)?|claim(?:s|ing)?|writ(?:e|es|ing)|draft(?:s|ing)?|fix(?:es|ing)?|"
    r"got|have|has|"
    r"items?|numbers?|and|&|,|\+|"
    # an article before the number in Spanish, Portuguese and French: "¿la 4 tú?", "o 3"
    r"la|el|le|o)"
    r"\s{1,3}+#?(?P<b>\d{1,2})\b|"
    r"^\W{0,3}+(?:(?:la|el|le|lo|o|a)\s{1,3}+)?#?(?P<c>\d{1,2})\s{1,3}+"
    r"(?:(?:is|are|for|goes to|ist|sind)\s{1,3}+(?:mine|me|meins?)|"
    r"(?:es|é|est)\s{1,3}+(?:m(?:í|i)[ao]|minha|meu|à moi)|para m(?:í|i)|pra mim|pour moi|"
    r"für mich|"
    r"(?:nehm|mach|übernehm)\w{0,2}+\s{1,3}+ich|je prends|je m'en occupe)\b|"
    r"\b(?:pr|fix|patch|change|ticket) for #?(?P<d>\d{1,2})\b|"
    # a reply that opens with the item's number and ends with the claim: "2 is a checkbox, mine"
    r"^\W{0,3}+(?:ok(?:ay)?,?\s{1,3}+)?#?(?P<g>\d{1,2})\b"
    r"(?=[^\n]{0,80}?(?<!not )\b(?:mine|on me)\W{0,3}+$)|"
    r"^\W{0,3}+(?:mine|me)\s{0,3}+[:=→-]\s{0,3}+#?(?P<e>\d{1,2})\b|"
    # a reply opening with the item's number, then the speaker's own claim: "3 I can take",
    # "2 posso fazer eu", "4 ich mach das", "5 je prends"
    r"^\W{0,3}+(?:ok(?:ay)?,?\s{1,3}+)?(?:o\s|a\s|el\s|la\s|le\s)?#?(?P<h>\d{1,2})[,:]?\s{1,3}+"
    r"(?=(?:i'?ll|i can|i'?ve got|i got|i take|ich|je|yo|eu|posso|fa(?:ç|c)o|pego)\b)|"
    r"^\W{0,3}+#?(?P<f>\d{1,2})\s{0,3}+(?:->|→|=>|:|-|—|–)\s{0,3}+(?:me|mine)\b"
)
# A name paired with item numbers in one assignment line: "@cy 1, @bo 2", "cy: 1 and 3. bo: 2",
# "assigning 1 to cy": each name takes the numbers written right after (or before "to") it.
_NAME_NUMBERS = cue(
    r"(?:^|[\s,;.(])@?(?P<name>[A-Za-z][\w.\-]{0,40}+)\s{0,3}+[:=→-]?\s{0,3}+"
    r"(?P<nums>#?\d{1,2}(?:\s{0,3}+(?:,|and|&|\+)\s{0,3}+#?\d{1,2}){0,5}+)\b"
    r"(?=\s{0,3}+(?:[,.;)]|$|and\b|please\b|pls\b|@|thanks\b))"
)
_NUMBERS_TO = cue(r"#?(?P<num>\d{1,2})\s{1,3}+to\s{1,3}+@?(?P<name>[A-Za-z][\w.\-]{0,40}+)")
# a sentence carrying the speaker's claim just before it on to more items
_TOO = cue(r"\b(?:too|also|as well|também|tambem|auch|aussi|también|tambien|anche|ook)\b")
# a sentence that adds to the claim before it: "and the key rotation", "also the runbook"
_AND_MORE = cue(r"^\W{0,3}+(?:and|also|plus|e|y|und|et)\s")
_BARE_NUMBER = cue(r"(?<![\w.:,/-])#?(\d{1,2})(?![\w.:,%/-])")
_ASSIGNING = cue(r"\b(?:assign\w*|owners?)\b")
_DIGITS = cue(r"\d{1,2}")
_MENTION = cue(r"@(?P<name>[\w.\-]{1,40}+)")
_GENERIC = content_words(
    "add update make do take handle own care check fix item items run can you maybe please "
    "also that this those the one sure will ensure new mine thing "
    # function words of Spanish, Portuguese, French and German claims ("sí, me la quedo")
    "la el los las lo le les de del des du en con para por que me mi mí yo tú tu et un une una "
    "uno os as do da dos das em com um uma eu der die das den dem und mit für von ich"
)


@dataclass
class Item:
    """An action item being assembled."""

    description: str
    evidence: list[int]
    owner: str | None = None
    words: set[str] = field(default_factory=set)
    proposed: bool = False  # a proposal outside any list ("we should ..."): a taker may own it

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


def referenced(sentence: str, items: list[Item]) -> list[Item]:
    """Items a sentence names by number, else the one item it shares distinctive words with."""
    numbers: list[int] = []
    for number in _numbers_named(sentence):
        if 1 <= number <= len(items) and number not in numbers:
            numbers.append(number)
    if numbers:
        return [items[n - 1] for n in numbers]
    best = match_by_words(sentence, items)
    # one claim may name several items by their words ("mine: the re-export, and the key
    # rotation"): each clause that points at another item adds it
    found = [best] if best is not None else []
    for clause in _clauses(sentence):
        other = match_by_words(clause, items)
        if other is not None and other not in found:
            found.append(other)
    return found if best is not None or len(found) > 1 else []


_CLAUSE = cue(r"[,;]|\band\b|\+")
# what `referenced` reads of a sentence's words alone, once per text (the items differ per list)
_NUMBERS_NAMED: dict[str, tuple[int, ...]] = memo.table()
_CLAUSES: dict[str, tuple[str, ...]] = memo.table()
_WANTED: dict[str, frozenset[str]] = memo.table()


def _numbers_named(sentence: str) -> tuple[int, ...]:
    """Every item number the sentence names, in order, repeats kept."""
    known = _NUMBERS_NAMED.get(sentence)
    if known is None:
        known = _NUMBERS_NAMED[sentence] = tuple(
            int(m["a"] or m["b"] or m["c"] or m["d"] or m["e"] or m["f"] or m["g"] or m["h"])
            for m in _NUMBER_REF.finditer(sentence)
        )
    return known


def _clauses(sentence: str) -> tuple[str, ...]:
    """The sentence's clauses, but for one that is the whole sentence (matched on its own)."""
    known = _CLAUSES.get(sentence)
    if known is None:
        known = _CLAUSES[sentence] = tuple(c for c in _CLAUSE.split(sentence) if c != sentence)
    return known


# a link's path is no words of the speaker's: ".../wiki/pages/88213" names no "page" item
_LINK = cue(r"\b(?:https?://|www\.)\S++")


def _wanted(text: str) -> frozenset[str]:
    known = _WANTED.get(text)
    if known is None:
        known = _WANTED[text] = frozenset(content_words(_LINK.sub(" ", text)) - _GENERIC)
    return known


def match_by_words(text: str, items: list[Item]) -> Item | None:
    """The one item whose distinctive words the text shares, if exactly one stands out."""
    wanted = _wanted(text)
    if not wanted or not items:
        return None
    # only items sharing a word can score; an item sharing none scores 0 and cannot stand out
    shared = [(n, found) for n, item in enumerate(items) if (found := wanted & item.words)]
    if not shared:
        return None
    df = {w: sum(1 for item in items if w in item.words) for _, found in shared for w in found}
    scored = sorted(
        ((sum(_weight(w) / df[w] for w in found), n) for n, found in shared), reverse=True
    )
    best, runner_up = scored[0], scored[1][0] if len(scored) > 1 else 0.0
    if best[0] >= 1.0 and best[0] > runner_up:
        return items[best[1]]
    return None


_WEIGHTS: dict[str, float] = memo.table()


def _weight(word: str) -> float:
    """An identifier ("r8", "pg_wal", "v2.3") names one thing; a plain word may name several."""
    known = _WEIGHTS.get(word)
    if known is None:
        known = _WEIGHTS[word] = 2.0 if any(c.isdigit() or c in "_." for c in word) else 1.0
    return known


def _speaker_claims(lower: str) -> bool:
    return claims(lower) or PLEDGE(lower)


def claims(lower: str) -> bool:
    """The speaker takes the work on, and not "I'm not owning that"."""
    match = CLAIM.search(lower)
    return match is not None and not NEGATED(match.group(0))


@dataclass
class _Request:
    items: list[Item]
    message: Message
    position: int


def _mentioned(roster: Roster, text: str) -> str | None:
    match = _MENTION.search(text)
    return roster.resolve(match["name"]) if match else None


class _Walk:
    """One list's owner walk: pending requests and open calls, applied message by message."""

    def __init__(self, chat: Chat, items: list[Item]) -> None:
        self.chat = chat
        self.items = items
        self.pending: dict[str, _Request] = {}
        self.open_call: _Request | None = None

    def asked_on_list(self, header: Message) -> None:
        """Items whose list line asks someone ("- resubmit the declarations — @amélie?",
        "@anna ... bitte"): a request of the list's own, answered in the next messages."""
        for item in self.items:
            lower = item.description.lower()
            if item.owner is None and (ASKS(lower) or lower.rstrip().endswith("?")):
                who = _mentioned(self.chat.roster, item.description)
                if who is not None and who != self.chat.roster.resolve(header.author or ""):
                    known = self.pending.get(who)
                    asked = [*known.items, item] if known else [item]
                    self.pending[who] = _Request(asked, header, -1)

    def _numbered_accept(self, opening: str, author: str, message: Message) -> bool:
        """ "3 👍", "6 yes", "on it for 2", "2 and 5 me": the speaker takes those items, unless
        an item's line names someone else."""
        match = NUMBERED_ACCEPT.search(opening)
        if match is None or DECLINE(opening):
            return False
        for digits in _DIGITS.findall(match["a"] or match["b"] or ""):
            if 1 <= int(digits) <= len(self.items):
                item = self.items[int(digits) - 1]
                if set(self.chat.roster.mentioned(item.description)) <= {author}:
                    item.assign(author, message.id)
        return True

    def message(self, message: Message, position: int) -> None:
        author = self.chat.roster.resolve(message.author or "")
        sentences = self.chat.sentences(message)
        if author and sentences:
            opening = sentences[0].lower
            request = self.pending.pop(author, None)
            if request and position - request.position <= ACCEPT_WINDOW:
                if ACCEPT(opening) and not DECLINE(opening):
                    for item in request.items:
                        item.assign(author, request.message.id, message.id)
            call = self.open_call
            if call and position - call.position <= 3 and call.message.author != message.author:
                if (claims(opening) or ACCEPT(opening)) and not DECLINE(opening):
                    if not referenced(sentences[0].raw, self.items):
                        for item in call.items:
                            item.assign(author, call.message.id, message.id)
                        self.open_call = None
        accepted = bool(author and sentences) and self._numbered_accept(
            sentences[0].lower, author or "", message
        )
        claimed = False
        for sentence in sentences:
            if claimed and author and _TOO.search(sentence.lower):
                # "2 posso fazer eu. e o 6 também", "I'll take 1. 4 too": the claim goes on
                for digits in _BARE_NUMBER.findall(sentence.raw):
                    if 1 <= int(digits) <= len(self.items):
                        self.items[int(digits) - 1].assign(author, message.id)
            elif claimed and author and _AND_MORE.match(sentence.lower):
                # "mine: the fp16 re-export. and the key rotation obviously": more by its words
                for item in referenced(sentence.raw, self.items):
                    item.assign(author, message.id)
            lower = sentence.lower
            claimed = bool(author and claims(lower) and referenced(sentence.raw, self.items))
            claimed = claimed or (accepted and sentence is sentences[0])
            self.sentence(sentence, author, position)

    def sentence(self, sentence: Sentence, author: str | None, position: int) -> None:
        roster, items = self.chat.roster, self.items
        lower, message = sentence.lower, sentence.message
        for number, name, marked in _arrows(sentence.raw):
            who = roster.resolve(name)
            if who and 1 <= number <= len(items) and (marked or "->" in lower):
                items[number - 1].assign(who, message.id)
        self._pairs(sentence)
        named = referenced(sentence.raw, items)
        if not named:
            return
        direct = _DIRECT.match(sentence.raw.strip())
        addressee = roster.addressee(sentence.raw) or _mentioned(roster, sentence.raw)
        asking = ASKS(lower) or lower.rstrip().endswith("?")
        if direct and (who := roster.resolve(direct["name"])) and not ASKS(lower):
            for item in named:
                item.assign(who, message.id)
        elif addressee and addressee != author and (asking or not _speaker_claims(lower)):
            # "Ravi can you take #2?", and "Tiago, 4 fits you": either waits for Tiago's yes
            self.pending[addressee] = _Request(named, message, position)
        elif asking and OPEN_CALL(lower):
            self.open_call = _Request(named, message, position)
        elif author and (claims(lower) or PLEDGE(lower)) and not DEFERRAL(lower):
            for item in named:
                item.assign(author, message.id)

    def _pairs(self, sentence: Sentence) -> None:
        """Names paired with item numbers: "@cy 1, @bo 2", "cy: 1 and 3", "assigning 1 to cy"."""
        roster, items, message = self.chat.roster, self.items, sentence.message
        for name, numbers in _paired(sentence):
            who = roster.resolve(name)
            if who is None:
                continue
            for number in numbers:
                if 1 <= number <= len(items):
                    items[number - 1].assign(who, message.id)


_ARROWS: dict[str, tuple[tuple[int, str, bool], ...]] = memo.table()
_PAIRED: dict[str, tuple[tuple[str, tuple[int, ...]], ...]] = memo.table()


def _arrows(raw: str) -> tuple[tuple[int, str, bool], ...]:
    """ "#2 -> Ravi" in a sentence: (number, name, whether the match has a "#"), once per text."""
    known = _ARROWS.get(raw)
    if known is None:
        known = _ARROWS[raw] = tuple(
            (int(m["num"]), m["name"], "#" in m.group(0)) for m in _ARROW.finditer(raw)
        )
    return known


def _paired(sentence: Sentence) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """Names with the item numbers paired to them in a sentence, once per text."""
    known = _PAIRED.get(sentence.raw)
    if known is None:
        pairs: list[tuple[str, str]] = []
        for match in _NAME_NUMBERS.finditer(sentence.raw):
            pairs.append((match["name"], match["nums"]))
        if _ASSIGNING.search(sentence.lower):
            pairs.extend((m["name"], m["num"]) for m in _NUMBERS_TO.finditer(sentence.raw))
        known = _PAIRED[sentence.raw] = tuple(
            (name, tuple(int(d) for d in _DIGITS.findall(numbers))) for name, numbers in pairs
        )
    return known


def assign_owners(chat: Chat, header: Message, items: list[Item], until_id: int | None) -> None:
    """Walk the messages after a list (up to the next list, within `ASSIGN_WINDOW` messages),
    applying claims, assignments, accepted requests and answered open calls."""
    start = chat.position(header) + 1
    if start <= 0:
        return
    walk = _Walk(chat, items)
    walk.asked_on_list(header)
    for position, message in enumerate(chat.messages[start : start + ASSIGN_WINDOW]):
        if until_id is not None and message.id >= until_id:
            break
        walk.message(message, position)
