"""Light text normalisation shared by retrieval and the checks.

Both sides of every comparison (the claim and the chat) go through the same functions, so a
crude stemmer is enough: what matters is that "deployed", "deploying" and "deployment" meet.
Abbreviations common in incident chat ("prod", "env vars", "config") are expanded, a few verbs
with the same meaning are folded together ("initiated" -> "start"), numbers and clock times become
canonical tokens, and hyphenated identifiers are kept whole as well as split into their parts.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

# A word: letters and digits, an optional "'s"/"n't" ending, identifiers kept whole
# ("checkout-service", "v2.4.1"). Possessive repeats: no input makes it backtrack.
_WORD = re.compile(r"[a-z0-9]++(?:['’][a-z]++)?+(?:[-_./][a-z0-9]++)*+", re.IGNORECASE)

# Words in chat shorthand, expanded before stemming so both sides agree.
EXPANSIONS: dict[str, tuple[str, ...]] = {
    "prod": ("production",),
    "env": ("environment",),
    "envs": ("environment",),
    "var": ("variable",),
    "vars": ("variable",),
    "config": ("configuration",),
    "configs": ("configuration",),
    "cfg": ("configuration",),
    "misconfigured": ("configuration",),
    "misconfiguration": ("configuration",),
    "db": ("database",),
    "dbs": ("database",),
    "k8s": ("kubernetes",),
    "repo": ("repository",),
    "infra": ("infrastructure",),
    "svc": ("service",),
    "deps": ("dependency",),
    "rollback": ("rollback",),
    "rollbacks": ("rollback",),
    "revert": ("rollback",),
    "reverted": ("rollback",),
    "reverting": ("rollback",),
    "500s": ("500",),
    "502s": ("502",),
    "503s": ("503",),
    "504s": ("504",),
    "404s": ("404",),
    "url’s": ("url",),
    "url's": ("url",),
}

# Irregular past forms: base form, and the fact that the word is in the past tense.
IRREGULAR_PAST: dict[str, str] = {
    "began": "begin",
    "begun": "begin",
    "ran": "run",
    "found": "find",
    "made": "make",
    "took": "take",
    "taken": "take",
    "wrote": "write",
    "written": "write",
    "sent": "send",
    "built": "build",
    "broke": "break",
    "broken": "break",
    "fell": "fall",
    "fallen": "fall",
    "rose": "rise",
    "went": "go",
    "gone": "go",
    "did": "do",
    "done": "done",
    "got": "get",
    "led": "lead",
    "saw": "see",
    "seen": "see",
    "told": "tell",
    "kept": "keep",
    "held": "hold",
    "shipped": "ship",
    "put": "put",
    "set": "set",
}

# Stems folded onto one canonical stem: same meaning for fact checking purposes.
_FOLD: dict[str, str] = {
    "initi": "start",
    "initiat": "start",
    "begin": "start",
    "kick": "start",
    "launch": "start",
    "commenc": "start",
    "finish": "complet",
    "impact": "affect",
    "incorrect": "wrong",
    "bad": "wrong",
    "erroneou": "wrong",
    "invalid": "wrong",
    "inform": "notifi",
    "notific": "notifi",
    "alert": "alert",
    "problem": "issu",
    "rise": "increas",
    "climb": "increas",
    "jump": "increas",
    "fall": "drop",
    "declin": "drop",
    "decreas": "drop",
    "rollback": "rollback",
    "restor": "recover",
    "recoveri": "recover",
    "recov": "recover",
    "mitigat": "mitig",
    "resolut": "resolv",
    "endpoint": "url",
    "pinged": "ping",
    "hotfix": "fix",
    "exhaust": "max",
    "saturat": "max",
}

STOPWORDS = frozenset(
    """
a about above after again against all am an and any are aren't as at be because been before being
below between both but by can can't could couldn't did didn't do does doesn't doing don't down
during
each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here hers
herself him himself his how i i'd i'll i'm i've if in into is isn't it it's its itself let's me more
most mustn't my myself no nor not of off on once only or other ought our ours ourselves out over own
same shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs
them themselves then there there's these they they'd they'll they're they've this those through to
too under until up very was wasn't we we'd we'll we're we've were weren't what what's when when's
where where's which while who who's whom why why's with won't would wouldn't you you'd you'll you're
you've your yours yourself yourselves will just now also yet still really literally like looks look
ok okay yep yup yeah sure hey hi thanks thank please maybe via per us within across among upon
whether whose may might shall must
ve ll re s t d m
""".split()
)

NEGATIONS = frozenset(
    {
        "no",
        "not",
        "never",
        "none",
        "nobody",
        "nothing",
        "neither",
        "nor",
        "without",
        "zero",  # "zero rejections in the last 10 min" denies as "no rejections" does
        "cannot",
        "can't",
        "didn't",
        "doesn't",
        "don't",
        "isn't",
        "wasn't",
        "weren't",
        "aren't",
        "won't",
        "hasn't",
        "haven't",
        "hadn't",
        "couldn't",
        "wouldn't",
        "shouldn't",
        "can’t",
        "didn’t",
        "doesn’t",
        "don’t",
        "isn’t",
        "wasn’t",
        "weren’t",
        "aren’t",
        "won’t",
        "hasn’t",
        "haven’t",
        "hadn’t",
        "couldn’t",
        "wouldn’t",
        "shouldn’t",
        # teams mix languages: French, German, Spanish and Portuguese negators that are no
        # English words ("ne change rien", "kein Fehler", "nunca llegó", "não funcionou"; not
        # "ne" or "pas", which English chats write as a region or an abbreviation)
        "rien",
        "jamais",
        "aucun",
        "aucune",
        "nicht",
        "kein",
        "keine",
        "keinen",
        "nunca",
        "nada",
        "ningún",
        "ninguna",
        "não",
    }
)
# Chat writes negations without the apostrophe ("search responses arent cached"); the few that
# are English words of their own ("cant", "wont") are left out.
APOSTROPHELESS_NEGATIONS = frozenset(
    """didnt doesnt dont isnt wasnt werent arent hasnt havent hadnt couldnt wouldnt
    shouldnt cant wont""".split()
)
NEGATIONS = NEGATIONS | APOSTROPHELESS_NEGATIONS


# "-ation" loses only "-ion" ("rotation" -> "rotat", as "rotate"; "validation" -> "valid").
_SUFFIXES = ("ization", "ition", "ment", "ness", "ing", "ion", "ed", "ly", "er")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude suffix-stripping stemmer, applied to both claim and chat, then folded."""
    w = word.lower().replace("’", "'")
    if w in IRREGULAR_PAST:
        w = IRREGULAR_PAST[w]
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for _ in range(2):  # twice, so "implemented" and "implement" meet
        for suffix in _SUFFIXES:
            if len(w) - len(suffix) >= 3 and w.endswith(suffix):
                if suffix == "er" and len(w) <= 6 or suffix == "ly" and len(w) <= 5:
                    continue  # "server", "apply": no suffix to strip
                w = w[: -len(suffix)]
                if suffix in ("ing", "ed") and len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                    w = w[:-1]
                break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    if len(w) >= 7 and w.endswith("at"):
        w = w[:-2]
    if len(w) > 3 and w.endswith("y"):
        w = w[:-1] + "i"
    return _FOLD.get(w, w)


class Token(NamedTuple):
    """One word of a text: the raw form, its stem, and where it starts."""

    raw: str
    stem: str
    start: int


def words(text: str) -> list[Token]:
    """Every word of `text` with its stem. Identifiers ("checkout-service") come as the whole
    identifier followed by their parts; shorthand is expanded ("env vars" -> environment
    variable); "roll back" in any tense becomes "rollback"."""
    tokens: list[Token] = []
    previous = ""
    for match in _WORD.finditer(text.lower().replace("’", "'")):
        raw = match.group(0).strip("./-_")
        if not raw:
            continue
        if raw == "back" and previous in {"roll", "rolls", "rolled", "rolling"}:
            tokens[-1] = Token(previous, "rollback", tokens[-1].start)
            previous = raw
            continue
        previous = raw
        start = match.start()
        tokens.extend(Token(form, stem_, start) for form, stem_ in _forms(raw))
    return tokens


@lru_cache(maxsize=65536)
def _forms(raw: str) -> tuple[tuple[str, str], ...]:
    """(word, stem) pairs one raw word stands for: its expansions, then an identifier's parts."""
    found = [(raw, stem(e)) for e in EXPANSIONS.get(raw, (raw,))]
    if _SEPARATOR.search(raw) and not _NUMBERISH.match(raw):
        for part in _SEPARATOR.split(raw):
            if part and part not in STOPWORDS:
                found += [(part, stem(e)) for e in EXPANSIONS.get(part, (part,))]
    return tuple(found)


WordTerms = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def index_terms(text: str) -> list[WordTerms]:
    """What the retrieval index needs of each word of a text, without building `Token`s: its
    terms (stems, stop words' left out), its raw forms, and its content stems (as
    `content_stems`). One cached lookup per word: this runs for every message of the chat."""
    raws = _WORD.findall(text.lower().replace("’", "'"))
    parts = list(map(_index_forms, raws))
    if "back" in raws:  # "roll back" in any tense is one term, "rollback"
        for index in reversed(range(1, len(raws))):
            if raws[index] == "back" and raws[index - 1] in _ROLL:
                terms, forms, content = parts[index - 1]
                parts[index - 1] = ((*terms[:-1], "rollback"), forms, content)
                del parts[index]
    return parts


_ROLL = frozenset({"roll", "rolls", "rolled", "rolling"})


@lru_cache(maxsize=65536)
def _index_forms(raw: str) -> WordTerms:
    """A word's retrieval terms, its forms, and the stems of its content forms (see `_forms`)."""
    forms = _forms(raw)
    return (
        # A stop word's stem is left out only for the stop word itself: "looked" is content even
        # though "look" is a stop word, and a claim that uses it must find it in the chat.
        tuple(s for f, s in forms if s not in STOP_STEMS or f not in _NOT_CONTENT),
        tuple(f for f, _ in forms),
        tuple(s for f, s in forms if f not in _NOT_CONTENT and len(f) > 1 and not f[0].isdigit()),
    )


_NUMBERISH = re.compile(r"^[\d.,:]++$")
_SEPARATOR = re.compile(r"[-_./]")


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning: no stop words, no bare numbers or times."""
    return [t.stem for t in words(text) if is_content(t)]


def is_content(token: Token) -> bool:
    """True for a word that carries meaning (not a stop word, number, time or AM/PM marker)."""
    raw = token.raw
    if raw in _NOT_CONTENT or len(raw) < 2:
        return False
    return not raw[0].isdigit()


# Clause breaks: after end punctuation, line breaks, a spaced dash, a colon before a capital.
# Each whitespace run is tried from its first character only (`(?<!\s)`), so a long run of
# spaces costs one pass, not one per position.
# Also before an in-line list item: "two parts: (a) pin retries, (b) send the key".
_CLAUSE_SPLIT = re.compile(
    r"(?<=[.!?;])\s++|\n++|(?<!\s)[ \t]++[—–][ \t]++|(?<=:)[ \t]++(?=[A-Z])"
    r"|(?<![ \t])[ \t]++(?=\([a-z0-9]\)[ \t])"
)


# A character every clause break needs (before, in or after it): a text with none is one clause.
_CLAUSE_MARK = re.compile(r"[.!?;\n—–:(]")


def clauses(text: str) -> list[str]:
    """Sentence-like pieces of a chat message: split at end punctuation, dashes and line breaks."""
    if _CLAUSE_MARK.search(text) is None:  # (one scan, not the split's five tries per place)
        whole = text.strip()
        return [whole] if whole else []
    return [piece.strip() for piece in _CLAUSE_SPLIT.split(text) if piece and piece.strip()]


_NOT_CONTENT = STOPWORDS | NEGATIONS | {"am", "pm", "a.m", "p.m"}
# Stems of stop words: left out of the retrieval index and of queries.
STOP_STEMS = frozenset(stem(w) for w in STOPWORDS) - {stem(w) for w in NEGATIONS}

# Words that postmortem prose uses routinely without asserting anything the chat must contain.
# They are indexed for retrieval but ignored when measuring how much of a claim the chat covers.
_GENERIC_WORDS = """
incident issue issues team teams cause caused causing root result resulting due event events step
steps action actions item items following include included including additional specific
specifically significant brief immediate immediately quick quickly successful successfully ensure
time approximately around overall identified identify observed observe occurred experienced period
related subsequent subsequently initial initially way part level currently detail summary report
postmortem post-mortem mortem minutes minute seconds second hours hour today earlier later
respond response considered deemed confirmed reason factor factors contributing investigation
investigated triggered apparently appeared seemed noted during prompt promptly effort efforts
measures officially formally eventually overall previous prior recent routine implement
implementing conduct conducting perform performing morning afternoon evening night tonight
yesterday impact impacted lasted lasting window
"""
GENERIC = frozenset(stem(w) for w in _GENERIC_WORDS.split())

# Words about the sources and the document itself ("the chat", "message 12", "this draft",
# "computed from message timestamps", "references in brackets"): they state no incident fact, so
# they neither make a sentence a claim nor count when measuring how much of a claim the chat
# covers.
_META_WORDS = """
chat chats channel transcript message messages timestamp timestamps draft drafts
document reference references bracket brackets citation citations cite cited source sources
computed statement statements recorded stated mention mentioned mentions say says owner
"""
META = frozenset(stem(w) for w in _META_WORDS.split())

# Courtesy words of letters and emails ("we apologise for any inconvenience", "thank you for your
# patience", "please reach out with any questions"): a sentence left with only these states
# nothing about the incident.
_COURTESY_WORDS = """
apologise apologize apologies apology sorry inconvenience inconveniences patience understanding
appreciate appreciated appreciation thank thanks grateful hesitate regards sincerely kindly dear
hello greetings cheers wishes valued
"""
COURTESY = frozenset(stem(w) for w in _COURTESY_WORDS.split())
