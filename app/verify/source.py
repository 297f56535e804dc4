"""Everything the checks need to know about one transcript, computed once.

`SourceIndex` holds a BM25 index over the messages (text plus author, with figures and times as
terms), the chat's vocabulary and names, where each clock time, figure and identifier occurs, and
(on first use) who was assigned which follow-up. Building it is linear in the chat.

A query never walks the whole chat: each term's posting list is kept best-first (by its BM25
weight in the message) and scored only over its first `POSTINGS_SCORED` entries, and every other
lookup (a time, a figure, a name, an identifier) is a dictionary probe. So checking a claim costs
the same against 30 messages or 30,000, and a draft's cost grows with its claims only.

BM25 is written out here rather than taken from `rank-bm25`, which scores every document for
every query term in a Python loop (linear in the corpus per term).
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from itertools import chain
from operator import add, itemgetter

from app.collector import collector_paused
from app.models import Message, Transcript, clock_seconds, hhmm
from app.verify.assignment_cues import RECAP
from app.verify.assignments import FollowUp, find_follow_ups
from app.verify.components import (
    Component,
    chat_component_words,
    identifier_components,
    names_among,
)
from app.verify.entities import identifiers, part_runs, proper_names, range_members, squash
from app.verify.mood import PLANNED_HEADING, ClauseFacts, analyse_clause
from app.verify.people import PeopleIndex
from app.verify.quantities import Figure, figures
from app.verify.text import (
    STOP_STEMS,
    STOPWORDS,
    WordTerms,
    clauses,
    content_stems,
    index_terms,
    stem,
)
from app.verify.times import WrittenTime, clock_times, range_seconds, time_ranges

_K1 = 1.5
_B = 0.75
# Entries of one term's posting list that a query scores (the best ones: the list is sorted).
POSTINGS_SCORED = 200
# Entries kept per time, figure or duration key (a chat that says "500" ten thousand times
# gains nothing from the ten-thousandth).
KEY_CAP = 200

# Messages that may open or close an impact window, for durations computed from timestamps.
MILESTONES = 30
_START_STEMS = frozenset(stem(w) for w in "alert alerts paged page fired firing spike".split())
_END_STEMS = frozenset(
    stem(w)
    for w in """recovered recovery resolved restored normal gone fixed green healthy stable
    mitigated back""".split()
)
_TERMS, _FORMS, _CONTENT = itemgetter(0), itemgetter(1), itemgetter(2)  # of `index_terms` items
_ANCHOR_BREAKS = {"after", "before", "since", "until", "till", "from", "to", "by", "around"}
# Indexes kept by `SourceIndex.of`: a draft checks the same chat twice (the rules pass, then
# verify and render), and each index is built once. Under a burst a worker runs many drafts'
# rules passes before their verify passes, so indexes are kept up to a budget of messages (the
# index's size grows with them), and never fewer than the last `INDEXES_KEPT`.
INDEXES_KEPT = 2
INDEXED_MESSAGES_KEPT = 5_000  # about 18 KB an indexed message: some 90 MB a worker


def _best_first(item: tuple[int, float]) -> tuple[float, int]:
    return (-item[1], item[0])


@dataclass(frozen=True)
class TimeMention:
    """A clock time written inside a message, with the words it is attached to."""

    message_id: int
    text: str
    written: WrittenTime

    @property
    def anchor(self) -> frozenset[str]:
        """The content words the time is attached to (see `anchor_words`)."""
        return anchor_words(self.text, self.written.start, self.written.end)


@dataclass
class MessageDoc:
    """One message as the checks see it. Built for every message of the chat, read for the few a
    claim retrieves: what only the checks need is computed on first use."""

    message: Message
    term_counts: dict[str, int]
    words: list[WordTerms]
    figures: list[Figure]
    times: list[WrittenTime]

    @cached_property
    def stems(self) -> frozenset[str]:
        """Every indexed term of the message (stems, figures, times, the author's name)."""
        return frozenset(self.term_counts)

    @cached_property
    def content(self) -> frozenset[str]:
        """Stems of the words that carry meaning (see `content_stems`)."""
        return frozenset(chain.from_iterable(map(_CONTENT, self.words)))

    @cached_property
    def raw_lower(self) -> str:
        """The message's text in lower case."""
        return self.message.text.lower()

    @cached_property
    def clock_values(self) -> frozenset[str]:
        """Its own time and every time written in it, as 'HH:MM'."""
        own = {hhmm(self.message.time)} if self.message.time else set()
        return frozenset(own | {v for t in self.times for v in t.values})

    @cached_property
    def identifiers(self) -> list[str]:
        """Identifiers written in the message."""
        return identifiers(self.message.text)

    @cached_property
    def clauses(self) -> list[ClauseFacts]:
        """The message's clauses with mood and polarity (computed on first use)."""
        found: list[ClauseFacts] = []
        planned = False  # lines after "Action items:" are plans, whatever their grammar
        recap = False  # lines after "recap:" or "what we did:" report what was done
        for line in self.message.text.splitlines():
            for clause in clauses(line):
                facts = analyse_clause(clause)
                if planned:
                    facts = replace(facts, planned=True)
                elif recap and not facts.planned:
                    facts = replace(facts, imperative=False, done_marker=True)
                found.append(facts)
            if line.rstrip().endswith(":") and PLANNED_HEADING.search(line):
                planned, recap = True, False
            elif RECAP.search(line):
                planned, recap = False, True
        return found

    def when(self) -> str:
        """'14:04 (m3)', or 'm3' for a message without a time."""
        if self.message.time:
            return f"m{self.message.id} ({hhmm(self.message.time)})"
        return f"m{self.message.id}"


@lru_cache(maxsize=4096)
def anchor_words(text: str, start: int, end: int) -> frozenset[str]:
    """The content words a written time is attached to: its phrase, cut at temporal words."""
    before = text[max(0, start - 80) : start].split()
    after = text[end : end + 60].split()
    left: list[str] = []
    for word in reversed(before[-6:]):
        bare = word.strip(",.;:!?()").lower()
        if bare in _ANCHOR_BREAKS or word.endswith((".", ";", "!", "?", ",")):
            break
        left.append(word)
    right: list[str] = []
    for word in after[:5]:
        bare = word.strip(",.;:!?()").lower()
        if bare in _ANCHOR_BREAKS:
            break
        right.append(word)
        if word.endswith((".", ";", "!", "?", ",")):
            break
    return frozenset(content_stems(" ".join(reversed(left)) + " " + " ".join(right)))


def _fingerprint(transcript: Transcript) -> bytes:
    """A digest of everything the transcript holds (its JSON): equal digests, equal chats."""
    return hashlib.sha256(transcript.model_dump_json().encode()).digest()


@dataclass(frozen=True, slots=True)
class _TextReading:
    """What `SourceIndex._read` finds in one text, shared by the messages that write it."""

    words: tuple[WordTerms, ...]
    clocks: tuple[WrittenTime, ...]
    figures: tuple[Figure, ...]
    counts: dict[str, int]  # its terms without the author's name; copied for each message
    ranges: tuple[int, ...]  # minutes each of its time ranges spans


class SourceIndex:
    """A transcript prepared for fact checking."""

    _kept: OrderedDict[bytes, SourceIndex] = OrderedDict()
    _kept_lock = threading.Lock()

    @classmethod
    def of(cls, transcript: Transcript) -> SourceIndex:
        """The index of a transcript, built once for the last distinct chats (at least
        `INDEXES_KEPT`, more while they hold `INDEXED_MESSAGES_KEPT` messages in all):
        a chat equal in every field to one indexed before (its JSON's digest) gets that index,
        whose every lookup and cached reading is a function of the chat alone. An index whose
        transcript was changed in place since is dropped, not reused."""
        key = _fingerprint(transcript)
        with cls._kept_lock:
            found = cls._kept.get(key)
        # (the same object was just digested: only another one need be checked for changes)
        if found is not None and (
            found.transcript is transcript or _fingerprint(found.transcript) == key
        ):
            with cls._kept_lock:
                if key in cls._kept:
                    cls._kept.move_to_end(key)
            return found
        with collector_paused():  # (see app/collector.py)
            index = cls(transcript)
        with cls._kept_lock:
            cls._kept[key] = index
            cls._kept.move_to_end(key)
            while len(cls._kept) > INDEXES_KEPT and (
                sum(len(kept.order) for kept in cls._kept.values()) > INDEXED_MESSAGES_KEPT
            ):
                cls._kept.popitem(last=False)
        return index

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript
        self.docs: dict[int, MessageDoc] = {}
        self.order: list[int] = []
        self.by_time: dict[str, list[int]] = defaultdict(list)
        self.time_mentions: dict[str, list[TimeMention]] = defaultdict(list)
        self.figure_index: dict[str, list[tuple[int, Figure]]] = defaultdict(list)
        self.ranges: dict[int, list[int]] = defaultdict(list)  # minutes a range spans -> ids
        self.raw_tokens: set[str] = set()
        self.entity_keys: set[str] = set()
        self.people = PeopleIndex.of(transcript.participants)
        self.participants = {p.lower(): p for p in transcript.participants}
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        lengths: dict[int, int] = {}
        self._author_terms: dict[str, list[str]] = {}
        # What a message's text alone decides, read once per distinct text of the build (a
        # chat repeats its bots' alerts, acks and pastes); dropped when the build ends.
        self._readings: dict[str, _TextReading] = {}
        for message in transcript.messages:
            doc = self._prepare(message)
            for term, tf in doc.term_counts.items():
                postings[term].append((message.id, tf))
            lengths[message.id] = sum(doc.term_counts.values())
            self.docs[message.id] = doc
            self.order.append(message.id)
        del self._readings
        self._know_participants(transcript.participants)
        self.positions = {mid: index for index, mid in enumerate(self.order)}
        self.vocabulary = frozenset(postings)
        count = max(1, len(self.docs))
        average = sum(lengths.values()) / count if self.docs else 1.0
        self._norm = {mid: _K1 * (1 - _B + _B * n / average) for mid, n in lengths.items()}
        self._count = count
        # Each term's postings are ranked on first use: a draft's queries touch a few hundred
        # of the chat's terms, and ranking them all was a tenth of the build.
        self._entries: dict[str, list[tuple[int, int]]] = dict(postings)
        self._postings: dict[str, list[tuple[int, float]]] = {}
        self._idf: dict[str, float] = {}  # `idf`'s answers by term
        self._weights: dict[frozenset[str], float] = {}  # `follow_up_weight`'s answers
        self._prefixes: dict[str, set[str]] = defaultdict(set)
        self._short: dict[str, set[str]] = defaultdict(set)  # first letter -> "jp", "kr", "eu"
        for token in self.raw_tokens:
            if len(token) >= 5 and token.isalpha():
                self._prefixes[token[:5]].add(token)
            elif 2 <= len(token) <= 3 and token.isalpha() and token not in _NOT_ABBREVIATIONS:
                self._short[token[0]].add(token)

    def _know_participants(self, participants: list[str]) -> None:
        """Every participant's name is a name of the chat, whether or not a message writes it:
        "sasha_ops", "devon.r" or "search-quality-monitor" may only ever be an author."""
        for name in participants:
            lowered = name.lower()
            self.entity_keys.add(squash(lowered))
            self.entity_keys.update(part_runs(lowered))
            self.raw_tokens.update(w for w in lowered.replace("_", " ").split() if w.isalpha())

    def _ranked_postings(self, term: str) -> list[tuple[int, float]] | None:
        """A term's postings, best first (see `_ranked`), or None for a term the chat never
        uses."""
        ranked = self._postings.get(term)
        if ranked is None:
            entries = self._entries.get(term)
            if entries is None:
                return None
            ranked = self._postings[term] = self._ranked(entries)
        return ranked

    def _ranked(self, entries: list[tuple[int, int]]) -> list[tuple[int, float]]:
        """A term's postings as (message id, BM25 weight without IDF), best first."""
        weighted = [(mid, tf * (_K1 + 1) / (tf + self._norm[mid])) for mid, tf in entries]
        if len(weighted) > POSTINGS_SCORED:
            return heapq.nlargest(POSTINGS_SCORED, weighted, key=itemgetter(1))
        return sorted(weighted, key=_best_first)

    def _prepare(self, message: Message) -> MessageDoc:
        """One message's terms (words, figures, times, author), as indexed."""
        text = message.text
        reading = self._readings.get(text)
        if reading is None:
            reading = self._readings[text] = self._read(text)
        words, clocks, figs, ranges = reading.words, reading.clocks, reading.figures, reading.ranges
        counts = dict(reading.counts)  # (a plain dict: the checks only read its terms)
        if message.author:
            if message.author not in self._author_terms:
                self._author_terms[message.author] = [stem(w) for w in message.author.split()]
            for term in self._author_terms[message.author]:
                counts[term] = counts.get(term, 0) + 1
        if message.time:
            self.by_time[hhmm(message.time)].append(message.id)
        for written in clocks:
            for value in written.values:
                mentions = self.time_mentions[value]
                if len(mentions) < KEY_CAP:
                    mentions.append(TimeMention(message.id, text, written))
        for minutes in ranges:
            if len(self.ranges[minutes]) < KEY_CAP:
                self.ranges[minutes].append(message.id)
        for figure in figs:
            for key in figure.filed_under:
                holders = self.figure_index[key]
                if len(holders) < KEY_CAP:
                    holders.append((message.id, figure))
        return MessageDoc(message, counts, list(words), list(figs), list(clocks))

    def _read(self, text: str) -> _TextReading:
        """What a text alone decides for the index: its words, clock times, figures, the terms
        they count (the author's aside) and the minutes of its time ranges. The chat's raw
        tokens and entity keys take the text's forms and identifiers here, once per text."""
        words = index_terms(text)
        clocks = clock_times(text)
        figs = figures(text, clocks=clocks)
        extra = [key for f in figs for key in f.filed_under]
        extra += [f"#time:{v}" for t in clocks for v in t.values]
        counts = Counter(chain(chain.from_iterable(map(_TERMS, words)), extra))
        forms = list(chain.from_iterable(map(_FORMS, words)))
        self.raw_tokens.update(forms)
        self.entity_keys.update(map(squash, forms))
        # "replica 2" meets "replica-2": every two neighbouring forms, joined
        self.entity_keys.update(map(squash, map(add, forms, forms[1:])))
        ranges = tuple(
            round(range_seconds(start.value, end.value) / 60)
            for start, end in time_ranges(text, clocks)
        )
        if any(sep in text for sep in "-_.") or any(map(str.isupper, text[1:])):
            for ident in identifiers(text) + range_members(text):
                self.entity_keys.update(part_runs(ident))
                self.entity_keys.add(squash(ident))
        return _TextReading(tuple(words), tuple(clocks), tuple(figs), counts, ranges)

    # -- lookups -----------------------------------------------------------------------------

    def search(self, terms: Iterable[str], k: int = 5) -> list[tuple[int, float]]:
        """The `k` best messages for the query terms, as (message id, BM25 score), best first."""
        scores: dict[int, float] = defaultdict(float)
        # Sorted: the float sums (and so ties between messages) never depend on hash order.
        for term in sorted(set(terms) - STOP_STEMS):
            postings = self._ranked_postings(term)
            if not postings:
                continue
            idf = self.idf(term)
            for message_id, weight in postings:
                scores[message_id] += idf * weight
        if len(scores) <= k:
            return sorted(scores.items(), key=_best_first)
        return heapq.nsmallest(k, scores.items(), key=_best_first)

    def idf(self, term: str) -> float:
        """BM25 inverse document frequency of a term (0 for a term the chat never uses)."""
        known = self._idf.get(term)
        if known is None:
            entries = self._entries.get(term)
            if not entries:
                known = 0.0
            else:
                # as many as its ranked postings hold (capped: a very common term's IDF is
                # near 0 anyway), without ranking them
                frequency = min(len(entries), POSTINGS_SCORED)
                known = math.log(1 + (self._count - frequency + 0.5) / (frequency + 0.5))
            self._idf[term] = known
        return known

    def follow_up_weight(self, follow_up: FollowUp) -> float:
        """The IDF weight of a follow-up's words (as `context.idf_weight` sums it), kept: the
        owner check weighs the chat's follow-ups for every claim."""
        known = self._weights.get(follow_up.stems)
        if known is None:
            known = math.fsum(max(self.idf(s), 0.1) for s in follow_up.stems)
            self._weights[follow_up.stems] = known
        return known

    def doc(self, message_id: int) -> MessageDoc | None:
        """The prepared message with this id, or None."""
        return self.docs.get(message_id)

    def neighbours(self, message_id: int, reach: int = 1) -> list[int]:
        """Ids of the messages up to `reach` places before and after one message."""
        position = self.positions.get(message_id)
        if position is None:
            return []
        low, high = max(0, position - reach), min(len(self.order), position + reach + 1)
        return [self.order[i] for i in range(low, high) if i != position]

    def known(self, stem_: str) -> bool:
        """True when the stem occurs anywhere in the chat."""
        return stem_ in self.vocabulary

    def knows_name(self, name: str) -> bool:
        """True when a name occurs in the chat: one of its words does (see `knows_word`), or
        its initials do ("EU" for European Union)."""
        parts = name.split()
        if len(parts) > 1:
            initials = "".join(p[0] for p in parts).lower()
            return initials in self.raw_tokens or any(self.knows_word(p) for p in parts)
        return self.knows_word(name)

    def knows_word(self, word: str) -> bool:
        """True when a name ("Kubernetes", "Postgres") occurs in the chat in any case, as a
        word, an identifier's part, or a longer or shorter form of it ("Postgres" and
        "postgresql")."""
        lowered = word.lower()
        if lowered in self.raw_tokens or squash(lowered) in self.entity_keys:
            return True
        if stem(lowered) in self.vocabulary:
            return True
        if len(lowered) >= 5 and any(
            t.startswith(lowered) or lowered.startswith(t)
            for t in self._prefixes.get(lowered[:5], ())
        ):
            return True
        # An abbreviation of it: "JP" for Japan, "KR" for Korea, "EU" for Europe.
        return any(_abbreviates(t, lowered) for t in self._short.get(lowered[:1], ()))

    def has_entity(self, name: str) -> bool:
        """True when an identifier (or a run of its parts) occurs in the chat."""
        return squash(name) in self.entity_keys

    def figure_holders(self, figure: Figure) -> list[tuple[int, Figure]]:
        """(message id, figure) for every message figure equal to `figure` (bounded)."""
        found: list[tuple[int, Figure]] = []
        # `Figure.same` reads these fields only: a chat files the same figure again and again
        # (its bots' alerts, a repeated "500"), so each distinct reading is compared once
        answers: dict[tuple[object, ...], bool] = {}
        for key in figure.keys():
            for mid, f in self.figure_index.get(key, ()):
                reading: tuple[object, ...] = (f.kind, f.value, f.precision, f.approximate)
                reading += (f.magnitude, f.alternative, f.vague, f.written)
                same = answers.get(reading)
                if same is None:
                    same = answers[reading] = f.same(figure)
                if same:
                    found.append((mid, f))
        return found

    def at_time(self, value: str) -> list[int]:
        """Ids of the messages posted at 'HH:MM'."""
        return self.by_time.get(value, [])

    def mentions_of(self, value: str) -> list[TimeMention]:
        """Where 'HH:MM' is written in the chat's text."""
        return self.time_mentions.get(value, [])

    def occurs(self, value: str) -> bool:
        """True when 'HH:MM' is a message time or written in a message."""
        return value in self.by_time or value in self.time_mentions

    @cached_property
    def span_seconds(self) -> tuple[int, int] | None:
        """Elapsed seconds of the first and last timed message."""
        times = [s for m in self.transcript.messages if (s := m.elapsed_seconds()) is not None]
        return (min(times), max(times)) if times else None

    @cached_property
    def correction_ids(self) -> frozenset[int]:
        """Ids of the messages that correct a time said before ("correction, the deploy
        finished 10:31"): a marker of correction and a time (see `corrections`)."""
        from app.verify.corrections import MARKER

        return frozenset(
            mid for mid, d in self.docs.items() if d.times and MARKER.search(d.message.text)
        )

    @cached_property
    def initials(self) -> frozenset[str]:
        """Initials of every run of two to five consecutive words the chat writes ("idp" of
        "identity provider", "cm" of "certificate manager"): what an abbreviation of the chat's
        own words spells."""
        found: set[str] = set()
        for text in self._texts:
            letters = [w[0] for w in _WORD_RUN.findall(text.lower())]
            for start in range(len(letters)):
                for end in range(start + 2, min(start + 5, len(letters)) + 1):
                    found.add("".join(letters[start:end]))
        return frozenset(found)

    def knows_acronym(self, acronym: str) -> bool:
        """True when an upper-case abbreviation occurs in the chat in any case or form (see
        `knows_word`), or spells the initials of words the chat writes."""
        bare = acronym[:-1] if acronym.endswith("s") and len(acronym) > 2 else acronym
        return self.knows_word(acronym) or self.knows_word(bare) or bare.lower() in self.initials

    @cached_property
    def _texts(self) -> list[str]:
        """The chat's distinct message texts, in chat order: what a chat-wide reading that only
        collects a set needs to read once (a chat repeats its alerts, acks and pastes)."""
        return list(dict.fromkeys(d.message.text for d in self.docs.values()))

    @cached_property
    def system_keys(self) -> frozenset[str]:
        """Squashed system names the chat writes ("mediaorigin" of "media-origin")."""
        return frozenset(c.key for _, found in self._components for c in found)

    @cached_property
    def _components(self) -> list[tuple[str, list[Component]]]:
        """Each message's text and the system names it writes, in chat order (read by
        `system_keys` and `named_systems`, found once)."""
        found: dict[str, list[Component]] = {}  # a text's names, found once (read-only lists)
        pairs = []
        for doc in self.docs.values():
            text = doc.message.text
            components = found.get(text)
            if components is None:
                components = found[text] = identifier_components(text)
            pairs.append((text, components))
        return pairs

    @cached_property
    def named_systems(self) -> frozenset[str]:
        """Keys of the system names the chat uses as names, not as words in passing (see
        `used_as_names`): the only ones that may be a claim's rival component."""
        return names_among(self._components)

    @cached_property
    def component_words(self) -> frozenset[str]:
        """Words the chat uses as names of components ("thumbnailer" of "thumbnailer pods"),
        lower case."""
        return chat_component_words(self._texts)

    @cached_property
    def vendor_words(self) -> frozenset[str]:
        """Names of vendors and products the chat capitalises mid-sentence ("Twilio",
        "Fastly"), people aside, lower case: rivals of a component the claim names."""
        named = {
            name.lower()
            for text in self._texts
            if any(map(str.isupper, text[1:]))
            for name in proper_names(text)
            if " " not in name
        }
        return frozenset(n for n in named if n not in self.people.keys)

    @cached_property
    def assignments(self) -> list[FollowUp]:
        """Follow-up work the chat lists, proposes or gives to someone (see `assignments`)."""
        return find_follow_ups(self.transcript.messages, self.people)

    @cached_property
    def milestones(self) -> tuple[list[int], list[int]]:
        """Ids of the messages that may open an impact window (the first ones, alerts, pages)
        and of those that may close it (recovered, resolved, back to normal), at most
        `MILESTONES` of each: the ends a duration in a claim may be computed between."""
        starts: list[int] = self.order[:3]
        ends: list[int] = self.order[-1:]
        for mid in self.order:
            terms = self.docs[mid].term_counts  # its `stems`, without building the set
            if len(starts) < MILESTONES and not _START_STEMS.isdisjoint(terms):
                starts.append(mid)
            if len(ends) < MILESTONES and not _END_STEMS.isdisjoint(terms):
                ends.append(mid)
        return list(dict.fromkeys(starts)), list(dict.fromkeys(ends))

    @cached_property
    def _follow_up_postings(self) -> dict[str, list[int]]:
        postings: dict[str, list[int]] = defaultdict(list)
        for index, follow_up in enumerate(self.assignments):
            for word in follow_up.stems:
                if len(postings[word]) < KEY_CAP:
                    postings[word].append(index)
        return dict(postings)

    def follow_ups_about(self, stems: frozenset[str]) -> list[FollowUp]:
        """Follow-ups sharing a word with `stems`, in chat order (a dictionary probe per word:
        a chat with thousands of commitments costs a claim no more than one with five)."""
        postings = self._follow_up_postings
        found = sorted({i for word in stems for i in postings.get(word, ())})
        return [self.assignments[i] for i in found]

    @cached_property
    def owned_follow_ups(self) -> list[FollowUp]:
        """Follow-ups the chat gave to someone, in chat order."""
        return [f for f in self.assignments if f.owner is not None]

    def elapsed(self, message_id: int) -> int | None:
        """Seconds since the first day's midnight of a message, or None without a time."""
        doc = self.docs.get(message_id)
        return doc.message.elapsed_seconds() if doc else None


_WORD_RUN = re.compile(r"[a-z][a-z0-9']*+")
_NOT_ABBREVIATIONS = STOPWORDS | {"am", "pm", "ms", "ok", "min", "sec", "hrs", "yes", "yep", "lol"}


def _abbreviates(short: str, word: str) -> bool:
    """True when `short`'s letters appear in `word` in order ("jp" in "japan", "pg" in
    "postgres"), near its start for three letters ("fra" in "frankfurt"; not "put" in
    "pagerduty")."""
    position = 0
    for letter in short:
        position = word.find(letter, position) + 1
        if position == 0:
            return False
    return len(short) == 2 or position <= max(4, len(word) // 2)


def written_seconds(doc: MessageDoc) -> list[int]:
    """Elapsed seconds of every time written in a message, on the message's day."""
    return [clock_seconds(t.value) + doc.message.day * 86400 for t in doc.times]
