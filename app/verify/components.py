"""The parts of a system a text names: services, hosts, queues, proxies, caches ("checkout-api",
"edge-proxy", "pool.ntp.org", "the thumbnailer pods", "the notifications service").

A component is an identifier ("media-origin", "recs-gateway"; versions are not components), a
word the chat uses as the name of a component ("thumbnailer" in "thumbnailer pods restarting":
a word right before a word for a kind of component, `KIND_WORDS`), or, in a claim, such a phrase
("the billing events service", "the partner API"). Each is keyed by its letters and digits, so
"billing events service", "billing-events" and "BillingEvents" meet.

A component's *kind* keeps rivals comparable: a file ("chrony.conf"), a numbered host, region or
replica ("auth-7", "eu-west-1"), or any other component.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from app.fold import word_key
from app.verify.entities import TECH_PARTS, family, squash
from app.verify.text import STOPWORDS

Kind = Literal["file", "numbered", "dotted", "service"]

# Words that say what kind of component the word before them names ("thumbnailer pods",
# "notifications service", "partner API", "rl-redis cluster").
KIND_WORDS = frozenset(
    """service services svc api apis gateway proxy worker workers cluster database db pods pod
    deployment daemonset consumer consumers queue""".split()
)
_FILE_ENDINGS = (".conf", ".yaml", ".yml", ".json", ".toml", ".ini", ".py", ".sql", ".sh", ".cfg")
# A system's name: lower-case parts joined by "-" or "." ("media-origin", "pool.ntp.org").
_SYSTEM_NAME = re.compile(r"(?<![a-z0-9])[a-z][a-z0-9]*+(?:[-.][a-z0-9]++)++")
_NAME_SEPARATOR = re.compile(r"[-.]")
_ANY_SEPARATOR = re.compile(r"[-_./ ]")
# Parts that name an environment or a stage, not a system ("pre-prod", "non-prod").
_STAGE_PARTS = frozenset("pre post non prod production staging stage dev test qa uat live".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*+(?:['’]s)?+")
# Words before a kind word that name no component ("the service", "our API", "new pods").
_NOT_NAMES = STOPWORDS | frozenset(
    """new old all every each some more other same whole local remote main primary external
    internal public private affected failing healthy broken slow first last few many several
    two three four five six seven eight nine ten our their its the this that these those
    which what any no""".split()
)


@dataclass(frozen=True)
class Component:
    """A component named in a text: as written, its key, and whether it is an identifier."""

    written: str
    key: str
    identifier: bool

    @property
    def kind(self) -> Kind:
        """A file, a numbered host or region, a dotted name (a host), or a service (a
        hyphenated name or a word)."""
        lowered = self.written.lower()
        if lowered.endswith(_FILE_ENDINGS):
            return "file"
        if self.identifier and lowered[-1:].isdigit():
            return "numbered"
        return "dotted" if "." in lowered else "service"

    @property
    def distinct(self) -> frozenset[str]:
        """The parts that tell it from its siblings ("media", "origin" of "media-origin"; not
        "service" or "api")."""
        parts = {p for p in _ANY_SEPARATOR.split(self.written.lower()) if p}
        return frozenset(parts - TECH_PARTS) or frozenset(parts)


def is_system_name(ident: str) -> bool:
    """A lower-case name of parts joined by "-" or ".", not a file or an environment
    ("checkout-api", "pool.ntp.org"; not "pre-prod", "chrony.conf", "DB_POOL_MAX",
    "ConnectionRefusedError")."""
    if not _SYSTEM_NAME.fullmatch(ident) or ident.endswith(_FILE_ENDINGS):
        return False
    parts = [p for p in _NAME_SEPARATOR.split(ident) if p]
    if all(p in _STAGE_PARTS or p.isdigit() for p in parts):
        return False
    return any(len(p) >= 3 and p.isalpha() for p in parts)


# A slash may join alternatives ("ntp1/ntp2.corp"): each side is read on its own.
_SYSTEM_TOKEN = re.compile(r"(?<![\w\-.@])[a-z][a-z0-9]*+(?:[-.][a-z0-9]++)++(?![\w\-])")
# Parts of English compounds that name no system ("on-call", "real-time", "follow-up").
_COMPOUND_PARTS = frozenset(
    """call time term only page click hour minute day week side based level wide free like
    style year month""".split()
)


# English prefixes that make a compound word, never a system's name ("non-existent", "re-run",
# "self-hosted", "multi-region"), unless the word carries a digit ("re-2" is a host).
ENGLISH_PREFIXES = frozenset(
    """non pre post re self co multi semi un well anti over under out cross mis mid half
    ultra inter intra sub super""".split()
)


def english_compound(name: str) -> bool:
    """True for a hyphenated English word: an English prefix before the first hyphen
    ("non-existent", "well-known"), no digit anywhere."""
    head, hyphen, _ = name.lower().partition("-")
    return bool(hyphen) and head in ENGLISH_PREFIXES and not any(c.isdigit() for c in name)


def identifier_components(text: str) -> list[Component]:
    """The system names a text writes ("media-origin", "checkout-api", "pool.ntp.org"; see
    `is_system_name`), English compounds ("on-call", "follow-up", "non-existent") aside."""
    found: list[Component] = []
    if "-" not in text and "." not in text:
        return found  # every system token has a '-' or a '.'
    for match in _SYSTEM_TOKEN.finditer(text):
        name = match.group(0).rstrip(".")
        parts = _NAME_SEPARATOR.split(name)
        if any(p in STOPWORDS or p in _COMPOUND_PARTS for p in parts) or english_compound(name):
            continue
        if family(name) != "version" and is_system_name(name):
            found.append(Component(name, squash(name), True))
    return found


_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*+(?:['’][a-z]++)?+")
_LEADING_ARTICLE = re.compile(r"(?:the|our|their|its)[ \t]++", re.IGNORECASE)


def _next_word(text: str, at: int) -> str:
    """The lower-case word after spaces or tabs from `at` ("pods" of "media-origin pods")."""
    start = len(text) - len(text[at:].lstrip(" \t"))
    if start == at:
        return ""
    end = start
    while end < len(text) and text[end].isalpha():
        end += 1
    return text[start:end]


def _occurrences(text: str, word: str) -> list[int]:
    found: list[int] = []
    at = text.find(word)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + len(word))
    return found


def used_as_names(texts: Iterable[str]) -> frozenset[str]:
    """Keys of the hyphenated or dotted words a chat uses as names of components: one that
    carries a digit or a dot ("auth-7", "pool.ntp.org"), has a part that is a word for a kind of
    system ("checkout-api"), is followed by a kind word somewhere ("media-origin pods"), or
    opens a clause, the subject of what it says, in two messages or more ("media-origin is
    down", "media-origin 5xx back to baseline"). An English compound the chat only writes in
    passing ("a non-existent endpoint", "long-running queries") is none of these."""
    return names_among((text, identifier_components(text)) for text in texts)


def names_among(pairs: Iterable[tuple[str, list[Component]]]) -> frozenset[str]:
    """`used_as_names` of texts whose `identifier_components` are found already."""
    named: set[str] = set()
    openings: dict[str, int] = {}
    for text, components in pairs:
        if not components:
            continue
        lowered = text.lower()
        opened: set[str] = set()
        for component in components:
            written = component.written.lower()
            parts = set(_ANY_SEPARATOR.split(written))
            if any(c.isdigit() or c == "." for c in written) or parts & (TECH_PARTS | KIND_WORDS):
                named.add(component.key)
                continue
            for at in _occurrences(lowered, written):
                if _next_word(lowered, at + len(written)) in KIND_WORDS:
                    named.add(component.key)
        for piece in pieces(text):
            article = _LEADING_ARTICLE.match(piece)
            head = piece[article.end() if article else 0 :].lower()
            opened.update(c.key for c in components if head.startswith(c.written.lower()))
        for key in opened:
            openings[key] = openings.get(key, 0) + 1
    named.update(key for key, count in openings.items() if count >= 2)
    return frozenset(named)


def _a_name(word: str) -> bool:
    lowered = word.lower()
    return (
        lowered not in _NOT_NAMES
        and lowered not in KIND_WORDS
        and not lowered.endswith(("ed", "ing"))
    )


def kind_phrases(text: str) -> list[tuple[str, str]]:
    """(name, kind word) for each word a text writes right before a kind word ("thumbnailer
    pods" -> ("thumbnailer", "pods"); "billing events service" -> ("events", "service") and
    ("billing events", "service"))."""
    found: list[tuple[str, str]] = []
    tokens = list(_TOKEN.finditer(text))
    for index in range(1, len(tokens)):
        kind = tokens[index].group(0).lower()
        if kind not in KIND_WORDS:
            continue
        name_match = tokens[index - 1]
        if text[name_match.end() : tokens[index].start()].strip(" \t") != "":
            continue  # "thumbnailer, pods": not one phrase
        name = name_match.group(0).removesuffix("'s").removesuffix("’s")
        if len(name) < 3 or not _a_name(name):
            continue
        found.append((name, kind))
        if index >= 2:
            before = tokens[index - 2]
            between = text[before.end() : name_match.start()].strip(" \t")
            if between == "" and len(before.group(0)) >= 3 and _a_name(before.group(0)):
                found.append((f"{before.group(0)} {name}", kind))
    return found


def chat_component_words(texts: Iterable[str]) -> frozenset[str]:
    """Words a chat uses as names of components (see `kind_phrases`), lower case."""
    found: set[str] = set()
    for text in texts:
        lowered = text.lower()
        if any(k in lowered for k in ("pod", "servic", "api", "worker", "cluster", "consumer")):
            found.update(name.lower() for name, _ in kind_phrases(text) if " " not in name)
    return frozenset(found)


def components_in(text: str, known_words: frozenset[str]) -> list[Component]:
    """The components a chat text names: its identifiers and the chat's component words."""
    found = identifier_components(text)
    taken = {c.key for c in found}
    for match in _WORD.finditer(text):
        word = word_key(match.group(0)).removesuffix("'s").removesuffix("’s")
        if word in known_words and squash(word) not in taken:
            found.append(Component(match.group(0), squash(word), False))
            taken.add(squash(word))
    return found


def names(text_key: str, forms: frozenset[str], component: Component) -> bool:
    """True when a text (its squashed letters and its word forms) names the component, whole
    or by its distinctive parts ("checkout 500s" names checkout-service)."""
    if component.key and component.key in text_key:
        return True
    if component.identifier and len(component.distinct) >= 1:
        return component.distinct <= forms
    return False


# Where a text's clauses part: end punctuation, commas, and the words that join clauses.
_PIECE_BREAK = re.compile(
    r"[.;!?](?=[ \t\n]|$)|,[ \t]*+|\n++"
    r"|(?<=[ \t])(?:and|but|when|because|since|while|so|which|whereas|then)(?=[ \t])",
    re.IGNORECASE,
)


def pieces(text: str) -> list[str]:
    """A text cut into clauses ("login is hanging too, auth calls profile-service on every
    login" -> "login is hanging too" | "auth calls profile-service on every login")."""
    return [p.strip() for p in _PIECE_BREAK.split(text) if p and p.strip()]
