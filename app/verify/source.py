"""Everything the checks need to know about one transcript, computed once.

`SourceIndex` holds a BM25 index over the messages (text plus author, with normalised numbers and
times), the vocabulary of the whole chat, where each clock time and figure occurs, and who was
assigned which follow-up. Building it is linear in the chat; a query touches only the posting lists
of its own terms, so checking a claim against thousands of messages stays fast.

The build runs once per check over every message, so it does only what retrieval needs: words are
stemmed through a per-word cache (`text.index_terms`), patterns for times and figures run only on
lines with a digit, and what the checks read for a few retrieved messages (their term set, content
words, lower-cased text, the words around a written time, a term's IDF) is computed on first use.

BM25 is written out here rather than taken from `rank-bm25`: that library scores every document for
every query term in a Python loop (linear in the corpus per term), has no type hints, and is not a
declared dependency; an inverted index is twenty lines.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from itertools import chain
from operator import itemgetter

from app.models import Message, Transcript, clock_seconds, hhmm
from app.verify.mood import PLANNED_HEADING, ClauseFacts, analyse_clause
from app.verify.owners import Assignment, find_assignments
from app.verify.quantities import Figure, figures
from app.verify.text import (
    STOP_STEMS,
    WordTerms,
    clauses,
    clock_times,
    content_stems,
    index_terms,
    stem,
)

_K1 = 1.5
_B = 0.75


# Temporal words that tie a written time to the words after it ("after the 9:10 deployment").
def _BEST_FIRST(item: tuple[int, float]) -> tuple[float, int]:  # noqa: N802 - a sort key
    return (-item[1], item[0])


_TERMS, _FORMS, _CONTENT = itemgetter(0), itemgetter(1), itemgetter(2)  # of `index_terms` items
_ANCHOR_BREAKS = {"after", "before", "since", "until", "till", "from", "to", "by", "around"}


@dataclass(frozen=True)
class WrittenTime:
    """A clock time written inside a message, with the words it is attached to."""

    message_id: int
    text: str
    start: int
    end: int

    @property
    def anchor(self) -> frozenset[str]:
        """The content words the time is attached to (see `anchor_words`)."""
        return anchor_words(self.text, self.start, self.end)


@dataclass
class MessageDoc:
    """One message as the checks see it. Built for every message of the chat, read for the few a
    claim retrieves: what only the checks need is computed on first use."""

    message: Message
    term_counts: dict[str, int]
    words: list[WordTerms]
    figures: list[Figure]

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
    def clauses(self) -> list[ClauseFacts]:
        """The message's clauses with mood and polarity (computed on first use)."""
        found: list[ClauseFacts] = []
        planned = False  # lines after "Action items:" are plans, whatever their grammar
        for line in self.message.text.splitlines():
            for clause in clauses(line):
                facts = analyse_clause(clause)
                found.append(replace(facts, planned=True) if planned else facts)
            if line.rstrip().endswith(":") and PLANNED_HEADING.search(line):
                planned = True
        return found

    @property
    def names(self) -> frozenset[str]:
        """The author's name in lower case, as a one-element set (empty when unknown)."""
        author = self.message.author
        return frozenset({author.lower()}) if author else frozenset()


@lru_cache(maxsize=4096)
def anchor_words(text: str, start: int, end: int) -> frozenset[str]:
    """The content words a written time is attached to: its phrase, cut at temporal words."""
    before = text[:start].split()
    after = text[end:].split()
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


class SourceIndex:
    """A transcript prepared for fact checking."""

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript
        self.docs: dict[int, MessageDoc] = {}
        self.by_time: dict[str, list[int]] = defaultdict(list)
        self.written_times: dict[str, list[WrittenTime]] = defaultdict(list)
        self.vocabulary: set[str] = set()
        self.raw_tokens: set[str] = set()
        self.participants = {p.lower(): p for p in transcript.participants}
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._doc_len: dict[int, int] = {}
        self._author_terms: dict[str, list[str]] = {}
        for message in transcript.messages:
            doc = self._prepare(message)
            for term, tf in doc.term_counts.items():
                postings[term].append((message.id, tf))
            self._doc_len[message.id] = sum(doc.term_counts.values())
            self.docs[message.id] = doc
        self._postings = dict(postings)
        self.vocabulary.update(self._postings)
        count = max(1, len(self.docs))
        self._avgdl = sum(self._doc_len.values()) / count if self.docs else 1.0
        self._norm = {  # BM25's length normalisation of each message, once
            mid: _K1 * (1 - _B + _B * length / self._avgdl) for mid, length in self._doc_len.items()
        }
        self._idf: dict[str, float] = {}  # filled per query term (most terms are never asked)

    def _prepare(self, message: Message) -> MessageDoc:
        """One message's terms (words, figures, times, author), times and words, as indexed."""
        text = message.text
        words = index_terms(text)
        clocks = clock_times(text)
        figs = figures(text, clocks=clocks)
        extra = [f"#fig:{f.kind}:{round(f.value, 6)}" for f in figs] if figs else []
        if clocks:
            extra += [f"#time:{t}" for t, _, _ in clocks]
        if message.author:
            if message.author not in self._author_terms:
                names = message.author.lower().split()
                self._author_terms[message.author] = [stem(w) for w in names]
            extra += self._author_terms[message.author]
        counts = Counter(chain(chain.from_iterable(map(_TERMS, words)), extra))
        self.raw_tokens.update(chain.from_iterable(map(_FORMS, words)))
        if message.time:
            self.by_time[hhmm(message.time)].append(message.id)
        for written, start, end in clocks:
            self.written_times[written].append(WrittenTime(message.id, text, start, end))
        return MessageDoc(message, counts, words, figs)

    @cached_property
    def assignments(self) -> list[Assignment]:
        """Follow-ups the chat assigned, with their owners."""
        return find_assignments(self.transcript.messages)

    @cached_property
    def positions(self) -> dict[int, int]:
        """Each message id's position in the chat (0 for the first message)."""
        return {m.id: i for i, m in enumerate(self.transcript.messages)}

    @cached_property
    def stated_spans(self) -> list[tuple[int, int]]:
        """(seconds, message id) for each range a message writes ("between 13:45 and 14:12")."""
        spans: list[tuple[int, int]] = []
        for doc in self.docs.values():
            written = [clock_seconds(t) for t, _, _ in clock_times(doc.message.text)]
            pairs = zip(written, written[1:], strict=False)
            spans += [(abs(b - a), doc.message.id) for a, b in pairs]
        return spans

    @cached_property
    def span_seconds(self) -> tuple[int, int] | None:
        """Elapsed seconds of the first and last timed message."""
        times = [s for m in self.transcript.messages if (s := m.elapsed_seconds()) is not None]
        return (min(times), max(times)) if times else None

    def search(self, terms: Iterable[str], k: int = 5) -> list[tuple[int, float]]:
        """The `k` best messages for the query terms, as (message id, BM25 score), best first."""
        scores: dict[int, float] = defaultdict(float)
        for term in set(terms) - STOP_STEMS:
            postings = self._postings.get(term)
            if not postings:
                continue
            idf = self._idf.get(term)
            if idf is None:
                count = max(1, len(self.docs))
                idf = math.log(1 + (count - len(postings) + 0.5) / (len(postings) + 0.5))
                self._idf[term] = idf
            norms = self._norm
            for message_id, tf in postings:
                scores[message_id] += idf * tf * (_K1 + 1) / (tf + norms[message_id])
        if len(scores) <= k:
            return sorted(scores.items(), key=_BEST_FIRST)
        # The k-th best score, found without a Python call per message; ties go to lower ids.
        cutoff = heapq.nlargest(k, scores.values())[-1]
        return sorted([item for item in scores.items() if item[1] >= cutoff], key=_BEST_FIRST)[:k]

    def doc(self, message_id: int) -> MessageDoc | None:
        """The prepared message with this id, or None."""
        return self.docs.get(message_id)

    def known(self, stem_: str) -> bool:
        """True when the stem occurs anywhere in the chat."""
        return stem_ in self.vocabulary
