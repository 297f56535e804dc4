"""Sentence splitting and light clean-up shared by every extraction rule.

Descriptions in the report are the chat's own words: a sentence or clause of a message with
conversational filler ("Ok,", "Yup,", "Heads up —") and a leading vocative name removed. Nothing
here rewrites facts; it only trims.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.engines.extractive import memo

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“'(@#~\w])")
# "e.g.", "approx.", German "Hafenstr." (Straße), "Nr.", "bzw." end no sentence
_ABBREVIATION = re.compile(
    r"(?:\b(?:e\.g|i\.e|vs|etc|approx|ca|incl|min|max|avg|nr|bzw|usw)|str)\.$", re.I
)
_NUMBER_SIGN = re.compile(r"\bno\.$", re.I)  # "No. 5" is one sentence, "oh no. it" is two
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_BULLET = re.compile(r"^\s*(?:[-*•·▪–]|\d{1,2}[.)]|#\d{1,2}[.):]?|\[\s?[xX ]?\s?\])\s+")
_FILLER = re.compile(
    r"^(?:ok(?:ay)?|k|yup|yep|yes|yeah|ya|sure(?: thing)?|so|well|ah+|oh+|hm+|um+|uh+|"
    r"right(?! now)|"
    r"alright(?: folks| all| everyone| team| y'?all)?|all right|good|great|cool|nice|perfect|"
    r"agreed|heads[- ]up|fyi|btw|hey(?: all| team| folks| everyone| y'?all)?|"
    r"hi(?: all| team| folks)?|also|and|but|lol|thanks|thank you|thx|ty|got it|on it|"
    r"will do|done|wait|hold on|anyway|ugh|oof|wow|damn|folks|team|update|status)"
    r"(?=$|[\s,.!:;…—–-])[\s,.!:;…—–-]*",
    re.IGNORECASE,
)
_FILLER_KEEP = re.compile(r"^(?:update|status|done)\s+\w", re.IGNORECASE)
_UPDATE_LABEL = re.compile(r"^update\s*[:—–-]", re.IGNORECASE)
_LOWER_WORD = re.compile(r"[a-z]+(?:[\s,.'’]|$)")
# Lead-ins that frame a fact rather than state one: "Just got PagerDuty alerts ..." keeps
# "PagerDuty alerts ...", "I'm starting rollback ..." keeps "starting rollback ...".
_LEAD_IN = re.compile(
    r"^(?:just (?:got|saw|noticed|heard)|(?:it )?(?:looks|seems|sounds) like|"
    r"i (?:think|guess|see)(?: that)?|i can see(?: that)?|fwiw|tbh|quick update|"
    r"(?:i['’]?m|we['’]?re|i am|we are) (?:now )?"
    r"(?=(?:starting|restarting|rolling|reverting|checking|seeing|looking|pushing|deploying|"
    r"disabling|scaling|draining|purging|failing|raising|bumping|pinning|cancell?ing)\b))"
    r"[\s,.:;…—–-]*",
    re.IGNORECASE,
)
# Chat-tool markup in bot alerts: emoji shortcodes, *bold*/_italic_, bracketed links.
_MARKUP = [
    (re.compile(r"(?<![\w:]):[a-z0-9_+-]{2,30}:(?![\w:])"), ""),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]{1,80}?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<!\s)\s*+\(\s*+<?https?://[^\s)]++>?\s*+\)"), ""),
    (
        # A match never starts inside a run of spaces or of dashes (an earlier start covers it).
        re.compile(
            r"(?<!\s)(?:(?<![—–-])|(?![—–-]))\s*+[—–-]++\s*+"
            r"(?:assigned to|escalation policy|urgency)\s*+:[^—–\n]*+$",
            re.I,
        ),
        "",
    ),
]
_WORD = re.compile(r"[a-z0-9][a-z0-9'_\-]*")
_TRAILING = re.compile(r"(?<![\s,;:—–-])[\s,;:—–-]++$")
# Chatter after the fact: "..., btw", "... lol", a trailing emoji. Linear by construction: every
# run is possessive (an emoji run cannot be split between repetitions, which was exponential),
# and a match starts only where no earlier start covers it (not after a separator, an emoji or a
# chatter word), so a long run is scanned once, not once per character.
_CHATTER_WORDS = ("btw", "fwiw", "lol", "tbh", "fyi", "haha", "imo", "ugh")
_EMOJI = "\U0001f300-\U0001faff\u2600-\u27bf"
_TRAILING_CHATTER = re.compile(
    rf"(?<![\s,;{_EMOJI}])"
    + "".join(rf"(?<!\b{word})" for word in _CHATTER_WORDS)
    + rf"(?:[\s,;]*+(?:\b(?:{'|'.join(_CHATTER_WORDS)})\b|[{_EMOJI}]++))++"
    r"(?=[.!?…]*+\s*+$)",
    re.IGNORECASE,
)
# Where `_TRAILING_CHATTER` can match: its last run ends in a chatter word or an emoji, followed
# only by [.!?…] and spaces, so the text without those ends in one. Tested on the last few
# characters alone (a cut there only adds word boundaries: never a miss), it spares the full
# pattern, tried at every position of every sentence, the sentences that end otherwise.
_CHATTER_END = re.compile(rf"(?:\b(?:{'|'.join(_CHATTER_WORDS)})|[{_EMOJI}])\Z", re.IGNORECASE)

STOPWORDS = frozenset(
    """a about above after again all also am an and any are as at be been before being below
    between both but by can could did do does doing done down during each few for from further
    had has have having he her here hers him his how i i'd i'll i'm i've if in into is it it's
    its just let let's me more most my no nor not now of off on once only or other our ours out
    over own same she should so some such than that that's the their theirs them then there
    these they this those through to too under until up very was we we'll we're were what when
    where which while who whom why will with would you you'll your yours maybe please can't
    don't isn't wasn't ok okay yes yep yup sure thing really actually literally right still
    even already get got going gonna one two make made take took handle care think know see
    seeing looks like look need needs want someone anyone everyone thanks thank lets via
    per""".split()
)


_SENTENCES: dict[str, tuple[str, ...]] = memo.table()


def split_sentences(text: str) -> list[str]:
    """Split a message into sentences; every line starts a new one, fenced code is skipped."""
    known = _SENTENCES.get(text)
    if known is None:
        known = _SENTENCES[text] = tuple(_split_sentences(text))
    return list(known)


def _split_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    in_code = False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            continue  # code, logs and tables in fences are evidence, not sentences
        sentences.extend(_split_line(line.strip()))
    return sentences


def _split_line(line: str) -> list[str]:
    parts: list[str] = []
    for part in _SENTENCE_END.split(line):
        part = part.strip()
        if not part:
            continue
        number = bool(_NUMBER_SIGN.search(parts[-1])) and part[0].isdigit() if parts else False
        if parts and (_ABBREVIATION.search(parts[-1]) or number or _ordinal(parts[-1], part)):
            parts[-1] = f"{parts[-1]} {part}"  # "e.g. foo" is one sentence
        else:
            parts.append(part)
    return parts


_ORDINAL_END = re.compile(r"(?:^|\s)\d{1,3}\.$")
# a word that comes before an ordinal written "3." in German ("im 3. Stock", "am 5. Mai")
_ORDINAL_WORD = re.compile(
    r"\b(?:im|am|zum|zur|vom|beim|ins|der|die|das|den|dem|des|ab|bis|jeden|jede|jedes)\s\d{1,3}\.$",
    re.IGNORECASE,
)


def _ordinal(before: str, after: str) -> bool:
    """A number with a full stop that is an ordinal, not a sentence end: "3. OG" inside a quoted
    address, "im 3. Stock", "am 5. Mai" (German writes ordinals so)."""
    if not after[:1].isalpha() or not _ORDINAL_END.search(before):
        return False
    open_quote = before.count('"') % 2 == 1 or before.count("“") > before.count("”")
    return open_quote or bool(_ORDINAL_WORD.search(before))


def strip_bullet(line: str) -> str:
    """A list line without its bullet or number ("1. Add x" -> "Add x")."""
    return _BULLET.sub("", _BULLET.sub("", line, count=1), count=1).strip()  # "* [ ] add x"


def is_list_line(line: str) -> bool:
    """True for a bulleted or numbered line."""
    return bool(_BULLET.match(line))


_STRIPPED: dict[str, str] = memo.table()


def strip_filler(sentence: str) -> str:
    """Drop leading conversational filler; an all-filler sentence becomes '' (once per text)."""
    known = _STRIPPED.get(sentence)
    if known is None:
        known = _STRIPPED[sentence] = _strip_filler(sentence)
    return known


def _strip_filler(sentence: str) -> str:
    previous = None
    text = sentence.strip()
    while previous != text:
        previous = text
        if _FILLER_KEEP.match(text) and not _UPDATE_LABEL.match(text):
            break
        text = _FILLER.sub("", text, count=1).strip()
        text = _LEAD_IN.sub("", text, count=1).strip()
    return text


# A label in the speaker's own voice ("My bad:", "Our takeaway:", "I think:"): a draft that
# shows the label outside the quote would speak as the chat.
_OWN_LABEL = re.compile(
    r"^(?:my|our|i|we|i'm|we're|imo|imho)\b[^:\n]{0,24}+:\s++(?=\S)", re.IGNORECASE
)


def strip_own_label(sentence: str) -> str:
    """The sentence without a leading label in the first person ("My bad: the TTL ..." ->
    "the TTL ...")."""
    return _OWN_LABEL.sub("", sentence.strip(), count=1)


def strip_markup(sentence: str) -> str:
    """The sentence without chat-tool markup (":red_circle:", "*Triggered*", "(https://...)")."""
    text = sentence
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return text.strip()


def _without_chatter(text: str) -> str:
    if not _CHATTER_END.search(text.rstrip().rstrip(".!?…")[-6:]):
        return text  # `_TRAILING_CHATTER` has nowhere to match
    return _TRAILING_CHATTER.sub("", text)


def tidy(sentence: str) -> str:
    """Capitalise the first letter of a trimmed clause and drop dangling punctuation."""
    text = _TRAILING.sub("", _without_chatter(sentence.strip()))
    if text and text[0].islower() and _LOWER_WORD.match(text):
        text = text[0].upper() + text[1:]
    return text


# "I/O" is no pronoun and "US" (the country) is not "us": a slash keeps a form a word of
# something else, and "us" is matched in lower case only.
_FIRST_PERSON = re.compile(
    r"(?<![\w'’/-])(?:i(?:['’](?:m|ve|ll|d))?|me|my|mine|myself|we(?:['’](?:re|ve|ll|d))?|our|"
    r"ours|(?-i:us)|ourselves)(?![\w'’/-])",
    re.IGNORECASE,
)


def first_person(text: str) -> bool:
    """Written in the first person ("I merged", "we rolled back", "our config")."""
    return _FIRST_PERSON.search(text) is not None


# A line pasted from a terminal or a log: an HTTP exchange ("< HTTP/2 403"), a prompt ("$ dig"),
# a markup tag ("<title>"), a stack frame ("at com.x.Y(...)"): evidence, never a statement.
_PASTED = re.compile(
    r"^\s*+(?:[<>]\s(?:HTTP/|(?:GET|POST|PUT|PATCH|DELETE|HEAD)\s|[\w-]++:\s)|\$\s|"
    r"<[a-z!/][\w-]*+[\s>]|>>>\s|at [\w$.]++\(|"
    # a structured log line: "level=warn msg=...", "2025-03-11T09:12:01Z ERROR ..."
    r"(?:level|lvl|severity|ts)=\S|"
    r"\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d\S*+\]?\s++\[?(?:error|warn\w*|info|debug|fatal|crit\w*)\b)",
    re.IGNORECASE,
)


def is_pasted(sentence: str) -> bool:
    """A line of pasted output, not something a person says."""
    return bool(_PASTED.match(sentence))


def is_question(sentence: str) -> bool:
    """A sentence that asks rather than states."""
    return sentence.rstrip().endswith("?")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem so that 'tests'/'testing' and 'validation'/'validating' meet."""
    word = word.strip("'-_").replace("’", "'")
    for suffix in ("ations", "ation", "ing", "ions", "ion", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """Lower-case word tokens."""
    return _WORD.findall(text.lower().replace("’", "'"))


_CONTENT: dict[str, frozenset[str]] = memo.table()


def content_words(text: str) -> set[str]:
    """Stems of the words that carry meaning (no stop words, no bare numbers); a new set."""
    known = _CONTENT.get(text)
    if known is None:
        known = _CONTENT[text] = frozenset(_content_words(text))
    return set(known)


def _content_words(text: str) -> set[str]:
    found = set()
    for word in words(text):
        word = word[:-2] if word.endswith("'s") else word  # "the scheduler's" is the scheduler
        for part in {word, *word.split("-")} if "-" in word else {word}:
            if part not in STOPWORDS and not part.isdigit() and len(part) > 1:
                found.add(stem(part))
    return found


def join_sentences(sentences: list[str], limit: int = 320) -> str:
    """Join sentences with spaces, stopping before the text grows past `limit` characters."""
    kept: list[str] = []
    size = 0
    for sentence in sentences:
        if kept and size + len(sentence) + 1 > limit:
            break
        kept.append(sentence if sentence[-1:] in ".!?…" else sentence + ".")
        size += len(sentence) + 1
    return " ".join(kept)
