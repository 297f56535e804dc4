"""The parts of a letter that state nothing about the incident: greetings, courtesy phrases,
sign-offs and signatures.

They are removed as *prefixes* only: "Thank you for your patience while we refunded all 12,000
orders." keeps "while we refunded all 12,000 orders", and "Hi all, the outage cost 9,000 orders"
keeps "the outage cost 9,000 orders". Whatever remains is a claim as soon as it holds a figure,
a time, a name, an identifier or a content word (`states_something`). A sign-off line starts a
signature, which holds names and titles only: it ends at a blank line after them or at the
first line that states something.
"""

from __future__ import annotations

import re

from app.verify.entities import identifiers
from app.verify.quantities import figures
from app.verify.text import COURTESY, GENERIC, IRREGULAR_PAST, META, STOP_STEMS, words
from app.verify.times import clock_times

_GREETING = re.compile(
    r"^(?:dear|hi|hello|hey|greetings|good[ \t]++(?:morning|afternoon|evening|day))\b[ \t]*+",
    re.IGNORECASE,
)
# Whom a greeting addresses, up to its comma: names and audience words only.
_AUDIENCE = re.compile(r"^(?P<who>[^,:!.\n]{0,40}+)[,:!]")
_AUDIENCE_WORDS = frozenset(
    """all team teams everyone everybody folks stakeholders colleagues there friends y'all
    customers partners and the our""".split()
)
_SIGN_OFF = re.compile(
    r"^(?:sincerely|best regards|kind regards|warm regards|warmest regards|regards|best wishes|"
    r"best|thanks(?: again)?+|thank you|many thanks|cheers|respectfully|yours(?: truly| "
    r"sincerely)?+|all the best|take care|with thanks)\b[ \t]*+[,.!:]?+[ \t]*+",
    re.IGNORECASE,
)
# Courtesy openings; what follows them (if anything) is read as the claim.
_COURTESY_PREFIX = re.compile(
    r"^(?:(?:we are|we['’]re|i am|i['’]m)[ \t]++writing[ \t]++(?:to[ \t]++(?:inform|confirm|"
    r"let[ \t]++you[ \t]++know|update|notify|share|tell|advise|follow[ \t]++up)"
    r"(?:[ \t]++(?:you|everyone|all))?+(?:[ \t]++(?:that|of|about|on|regarding|with))?+)?+"
    r"|this[ \t]++(?:email|message|note|letter|update)[ \t]++is[ \t]++to[ \t]++\w++"
    r"(?:[ \t]++you)?+(?:[ \t]++(?:that|of|about|on))?+"
    r"|(?:we|i)[ \t]++(?:would like|want|wanted)[ \t]++to[ \t]++\w++(?:[ \t]++you)?+"
    r"(?:[ \t]++(?:that|of|about|on))?+"
    r"|(?:thank[ \t]++you|thanks)(?:,?+[ \t]++(?:all|again|everyone|team|folks))?+(?:[ \t]++"
    r"for[ \t]++(?:your[ \t]++)?+(?:patience|understanding|support|cooperation|bearing with us))?+"
    r"|(?:we|i)[ \t]++(?:really[ \t]++|truly[ \t]++|greatly[ \t]++)?+appreciate[^,.;:\n]{0,60}+,"
    r"|(?:p\.[ \t]?+p\.[ \t]?+s|p\.[ \t]?+s|pps|ps)\b\.?+"
    r"|(?:we|i)[ \t]++(?:sincerely[ \t]++|deeply[ \t]++|truly[ \t]++)?+(?:apologi[sz]e|are sorry|"
    r"regret)(?:[ \t]++(?:for|that))?+"
    r"|(?:we['’]re|we are|i['’]m|i am)[ \t]++(?:very[ \t]++|truly[ \t]++)?+sorry(?:[ \t]++"
    r"(?:for|that|about))?+"
    r"|sorry[ \t]++(?:for|about)"
    r"|please[ \t]++(?:note|be aware|be advised)(?:[ \t]++that)?+"
    r"|(?:we[ \t]++)?+(?:just[ \t]++)?+(?:wanted|want)[ \t]++to[ \t]++(?:let[ \t]++you[ \t]++know|"
    r"update[ \t]++you|inform[ \t]++you|confirm)(?:[ \t]++(?:that|about|on))?+"
    r"|as[ \t]++(?:you[ \t]++may[ \t]++know|a[ \t]++reminder))[ \t,:]*+(?:and[ \t]++)?+",
    re.IGNORECASE,
)
# Put before a claim whose sentence began with a greeting, a courtesy phrase or a postscript
# label: the splitter reads it as `Claim.wrapped` (and removes it).
WRAPPED = "\ue000"


def strip_greeting(line: str) -> str:
    """A line without its greeting ("Hi all, the outage ..." -> "the outage ..."): the greeting
    word, and whom it addresses when that is only names or audience words. What is left starts
    with `WRAPPED`."""
    match = _GREETING.match(line)
    if match is None:
        return line
    rest = line[match.end() :]
    audience = _AUDIENCE.match(rest)
    if audience is not None:
        who = audience["who"].split()
        if len(who) <= 4 and all(w[:1].isupper() or w.lower() in _AUDIENCE_WORDS for w in who):
            rest = rest[audience.end() :].lstrip()
            return WRAPPED + rest if rest else rest
    rest = rest.lstrip(" ,:!")
    return WRAPPED + rest if rest else rest


def strip_sign_off(line: str) -> tuple[str, bool]:
    """A line without a sign-off that starts it, and whether it started with one."""
    match = _SIGN_OFF.match(line)
    if match is None:
        return line, False
    return line[match.end() :], True


def strip_courtesy(sentence: str) -> str:
    """A sentence without the courtesy phrase it opens with (repeatedly: "Thanks again, and we
    apologise for ..."); what is left of a sentence that had one starts with `WRAPPED`."""
    wrapped = sentence.startswith(WRAPPED)
    sentence = sentence.removeprefix(WRAPPED)
    for _ in range(3):
        match = _COURTESY_PREFIX.match(sentence)
        if match is None or match.end() == 0:
            break
        sentence = sentence[match.end() :].lstrip(" ,;:-")
        wrapped = True
    return WRAPPED + sentence if wrapped and sentence else sentence


def states_something(text: str) -> bool:
    """True when a text holds a figure, a clock time, an identifier, a capitalised name, a
    placeholder-looking bracket or a content word (one that is not a stop word, a courtesy word,
    a word about the document, or postmortem boilerplate)."""
    if clock_times(text) or figures(text) or identifiers(text):
        return True
    if "[" in text or "{{" in text or "<" in text:
        return True
    for token in words(text):
        if len(token.raw) < 2 or token.raw[0].isdigit():
            continue
        if token.stem in STOP_STEMS or token.stem in COURTESY or token.stem in META:
            continue
        if token.stem in GENERIC:
            continue
        return True
    return False


def is_signature_line(line: str) -> bool:
    """A line of a signature block: a few capitalised words (a name, a title, a team), with no
    figure, time, identifier or placeholder."""
    bare = line.strip(" \t*_,.")
    if not bare or len(bare.split()) > 6 or "[" in bare:
        return False
    if clock_times(bare) or figures(bare) or identifiers(bare):
        return False
    wordy = [w for w in bare.split() if w[:1].isalpha() and w.lower() not in _JOINERS]
    if any(_reports(w.lower().strip(",.;:!")) for w in wordy):
        return False  # "Refunds Sent To Everyone": a statement in title case, not a name
    return all(w[:1].isupper() for w in wordy)


def _reports(word: str) -> bool:
    """A word in the past tense ("sent", "refunded", "restored"): names and titles have none."""
    return (len(word) > 4 and word.endswith("ed")) or word in IRREGULAR_PAST


_JOINERS = frozenset({"of", "and", "the", "on", "behalf", "for", "&", "at", "team"})
