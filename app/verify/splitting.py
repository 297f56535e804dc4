"""Split a draft (Markdown, an email, bullet lists, tables) into the factual claims it makes.

Every sentence, bullet, numbered item, table row, code line and heading that states something is
a claim, with its 1-based line number and the heading it sits under. Nothing is dropped for its
phrasing: a greeting, a courtesy phrase or a sign-off is removed as a *prefix* only, and what is
left is a claim as soon as it holds a figure, a time, a name, an identifier or a content word
(`courtesy.states_something`). A signature after a sign-off holds names and titles only; it ends
at a blank line after them or at the first line that states something. Questions assert nothing,
unless they carry a hard fact ("Were all 12,000 orders refunded?" is checked).

What a draft says about itself is not about the incident: a note on how it was made or checked
("19 claims were checked: 19 supported") in a section whose heading names the draft ("Notes on
this draft"), a status line ("Status: Draft ..."), a parenthetical made only of words about the
sources ("(computed from message timestamps)", "(see open questions)"), and citation markers
(`[m1, m7]`, a table's Source column), which become the claim's `evidence`. A sentence there that
says anything else ("We also refunded all 12,000 orders.") is a claim like any other.
Sentences about what the chat does not say are claims like any other: the checker tests them.

Every pattern here is linear on any input: bounded or possessive repeats, look-behind anchors on
whitespace runs, and no pattern that rescans a line from every position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.verify.citations import SOURCE_COLUMNS, attach_citations, source_cell_ids
from app.verify.claims import Claim
from app.verify.courtesy import (
    WRAPPED,
    is_signature_line,
    states_something,
    strip_courtesy,
    strip_greeting,
    strip_sign_off,
)
from app.verify.entities import identifiers
from app.verify.quantities import figures
from app.verify.text import GENERIC, META, STOP_STEMS, stem, words
from app.verify.times import clock_times

_HEADING = re.compile(r"^[ \t]{0,3}+#{1,6}+[ \t]++")
_RULE = re.compile(r"^[ \t]*+(?:-{3,}+|\*{3,}+|_{3,}+|={3,}+)[ \t]*+$")
_FENCE = re.compile(r"^[ \t]*+(?:```|~~~)")
_BULLET = re.compile(r"^[ \t]*+(?:[-*+•▪◦]|\d{1,3}[.)])[ \t]++(?:\[[ xX]\][ \t]++)?+(?P<text>.*+)$")
_TABLE_SEPARATOR = re.compile(
    r"^[ \t]*+\|?+[ \t]*+:?+-{2,}+:?+[ \t]*+(?:\|[ \t]*+:?+-{2,}+:?+[ \t]*+)*+\|?+[ \t]*+$"
)
_SUBJECT = re.compile(r"^[ \t]*+(?:subject|re|fwd?|to|from|cc)[ \t]*+:", re.IGNORECASE)
_ABBREVIATIONS = re.compile(
    r"\b(?:e\.g|i\.e|etc|vs|approx|a\.m|p\.m|mr|ms|dr|no|inc|ltd|est)\.", re.IGNORECASE
)
# A sentence ends before the next capital, quote or bracket, never before a citation `[m7]`: a
# citation after a full stop belongs to the sentence it follows.
_SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"”’)]?+[ \t\n]++(?=[\"“(*_A-Z0-9$]|\[(?!m\d))"
    # A citation closes what it cites: a label after it starts a new claim ('"rollback
    # complete" [m5] Root cause: osd.12 is full [m1]' is two).
    r"|(?<=\d\])[ \t]++(?=[A-Z][A-Za-z /&-]{0,30}+:[ \t])"
)
_LINK = re.compile(r"\[(?P<text>[^\[\]\n]{1,300}+)\]\((?P<target>[^()\n]{0,500}+)\)")
_EMPHASIS = re.compile(r"\*\*|__|`")
_LONE_EMPHASIS = re.compile(r"(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")
# "_really_" is emphasis; an underscore alone is part of a name ("s1._domainkey", "_dmarc").
_UNDERSCORE_EMPHASIS = re.compile(r"(?<![\w.])_(?=[^\s_])([^_\n]{0,300}+)(?<=[^\s_])_(?!\w)")
_SPACES = re.compile(r"\s++")
_LABEL = re.compile(r"^(?P<label>[A-Z][A-Za-z /&-]{0,30}+):[ \t]++(?=\S)")
# A header line of a draft: "**Impact window:** 09:10 to 09:22 ...".
_LABEL_LINE = re.compile(
    r"^[ \t]*+(?:\*\*|__)[^*_:\n]{1,40}+(?::(?:\*\*|__)|(?:\*\*|__):)[ \t]*+\S"
)
_PARENTHETICAL = re.compile(r"(?<![ \t])[ \t]*+\((?P<inside>[^()\n]{1,80}+)\)")
_CROSS_REFERENCE = re.compile(r"^(?:see|cf\.?|refer to|as in)\b", re.IGNORECASE)
# Sections about the draft itself: nothing in them is about the incident.
_ABOUT_THE_DRAFT = re.compile(
    r"\b(?:(?:this|the)[ \t]++(?:draft|document|report|email|note)|notes[ \t]++(?:on|about)"
    r"[ \t]++th(?:is|e)[ \t]++draft|about[ \t]++this[ \t]++draft)\b",
    re.IGNORECASE,
)
_QUESTIONS = re.compile(
    r"\bquestions?\b|\bconfirming\b|\bunknowns?\b|\bopen[ \t]++items\b|\bto[ \t]++be[ \t]++"
    r"determined\b",
    re.IGNORECASE,
)
_SECTION_WORDS = frozenset(
    """summary impact timeline detection resolution root cause causes action items contributing
    factors background overview lessons learned recommendations next steps mitigation follow
    ups follow-ups post what happened customer we did are doing doing next incident report
    postmortem
    post-mortem post mortem analysis assessment conclusion preventive measures planned
    improvements post-incident actions participants references appendix open questions
    stakeholder email engineering event events of and the for details description key
    notes status owners owner time source sources""".split()
)
_NO_OWNER = frozenset({"unassigned", "none", "nobody", "no owner", "-", "—", "n/a", "tbd"})
_NO_OWNER_WORDS = frozenset({"unassigned", "none", "nobody", "tbd", "n/a", "unowned", "open"})


def no_owner(cell: str) -> bool:
    """An owner cell or note that names nobody: "_unassigned_", "none yet", "TBD (ask Ops)",
    "no owner yet"."""
    bare = cell.lower().strip("_*` ")
    if bare in _NO_OWNER:
        return True
    first = bare.replace(",", " ").replace("(", " ").split()
    return bool(first) and (
        first[0] in _NO_OWNER_WORDS or first[:2] in (["no", "owner"], ["no", "one"])
    )


OWNER_COLUMNS = frozenset({"owner", "owners", "assignee", "assigned to", "who", "responsible"})
_MAX_LINE = 20_000  # characters of one line read as text (a longer line is cut into pieces)


def clean_markdown(text: str) -> str:
    """Plain text of a Markdown fragment: no emphasis, code marks, link targets or escapes."""
    text = _LINK.sub(lambda m: m["text"], text)
    text = text.replace("\\[", "[").replace("\\]", "]").replace("\\_", "_").replace("\\*", "*")
    text = _EMPHASIS.sub("", text)
    text = _LONE_EMPHASIS.sub("", text)
    text = _UNDERSCORE_EMPHASIS.sub(r"\1", text)
    return _SPACES.sub(" ", text).strip()


def _bold_heading(line: str) -> str | None:
    """The text of a line that is only bold text ("**Summary:**", "__Impact__"), else None."""
    bare = line.strip()
    for mark in ("**", "__"):
        if bare.startswith(mark):
            inner = bare[len(mark) :].rstrip(" :")
            if inner.endswith(mark):
                inner = inner[: -len(mark)].rstrip(" :")
                if inner and mark not in inner and "*" not in inner and "_" not in inner[:1]:
                    return inner
    return None


def _heading_text(line: str) -> str | None:
    match = _HEADING.match(line)
    if match is not None:
        return line[match.end() :].strip().rstrip("#").strip()
    return _bold_heading(line)


def _is_section_name(text: str) -> bool:
    """A heading that only names a section ("Root cause", "What we are doing next")."""
    found = [t.raw for t in words(text)]
    return all(w in _SECTION_WORDS or w.isdigit() for w in found)


def _drop_source_notes(text: str) -> str:
    """Without parentheticals that only point at sources: "(see open questions)",
    "(computed from message timestamps)"."""

    def keep(match: re.Match[str]) -> str:
        inside = match["inside"]
        if _CROSS_REFERENCE.match(inside.strip()):
            return ""
        stems = [t.stem for t in words(inside)]
        if stems and all(s in META or s in STOP_STEMS for s in stems):
            return ""
        return match.group(0)

    return _PARENTHETICAL.sub(keep, text) if "(" in text else text


def _is_question(sentence: str) -> bool:
    return sentence.rstrip(' *_)"”’').endswith("?")


def _has_hard_fact(sentence: str) -> bool:
    return bool(clock_times(sentence) or figures(sentence) or identifiers(sentence))


def _sentences(text: str, offsets: list[tuple[int, int]]) -> list[tuple[str, int]]:
    """Split a paragraph into sentences; `offsets` maps character offsets to source lines."""
    protected = _ABBREVIATIONS.sub(lambda m: m.group(0).replace(".", "\x00"), text)
    found: list[tuple[str, int]] = []
    start = 0
    line_index = 0
    for match in [*_SENTENCE_END.finditer(protected), None]:
        end = match.start() if match else len(protected)
        piece = protected[start:end].replace("\x00", ".").strip()
        while line_index + 1 < len(offsets) and offsets[line_index + 1][0] <= start:
            line_index += 1
        if piece:
            found.append((piece, offsets[line_index][1]))
        if match:
            start = match.end()
    return found


# A sentence that is only a labelled note in brackets ("(owner: Priya)", "(due: Friday)").
_BRACKETED_NOTE = re.compile(r"^\([ \t]*+[A-Za-z][A-Za-z \t]{0,20}+:[^()\n]{1,80}+\)[.;]?+$")


def _join_bracketed_notes(pieces: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Sentences with a trailing labelled note joined to the sentence it annotates: "Add a load
    test. (owner: Priya)" is one claim about who owns the load test, not two."""
    joined: list[tuple[str, int]] = []
    for text, line in pieces:
        if joined and _BRACKETED_NOTE.match(text):
            before, at = joined[-1]
            joined[-1] = (f"{before.rstrip()} {text}", at)
        else:
            joined.append((text, line))
    return joined


# Words a note about the draft itself uses: how it was made and checked ("19 claims were
# checked: 19 supported", "2 items failed the fact check and are not shown", "1 secret pasted in
# the chat was redacted"). A sentence of a section about the draft is a note only when every
# word of it that means something is one of these; anything else in it is a claim.
_DRAFT_WORDS = frozenset(
    stem(w)
    for w in """draft drafts generated generate checked check checks checker verified verify
    verification claim claims supported unsupported contradicted unconfirmed confirm confirmed
    fact facts rule rules json answer verdict verdicts reason reasons item items shown show kept
    review reviewed marked mark left failed fail redaction redactions redacted secret secrets
    pasted keep_unverified engine extraction extracted model section sections automatically
    automated tool entry entries statement statements sentence sentences unverified nothing
    give gives starting ask asked list listed every each e.g i.e""".split()
) | frozenset(stem(w) for w in _SECTION_WORDS)


_CITATION_WORD = re.compile(r"m\d++$")


def _about_the_draft_only(sentence: str) -> bool:
    """True when a sentence speaks only of the draft and its checking (see `_DRAFT_WORDS`)."""
    for token in words(sentence):
        if len(token.raw) < 2 or token.raw[0].isdigit() or _CITATION_WORD.match(token.raw):
            continue
        word = stem(token.raw.removesuffix("'s"))
        if word in STOP_STEMS or word in META or word in GENERIC:
            continue
        if word not in _DRAFT_WORDS:
            return False
    return True


def _is_meta_line(label: str, value: str) -> bool:
    """A header line about the draft itself ("Status: Draft (generated from the incident
    channel; every fact cites its source messages)"), with nothing else in it."""
    return (
        label.lower() == "status"
        and value.lower().startswith("draft")
        and _about_the_draft_only(value)
    )


@dataclass
class _Splitter:
    """State of one pass over a draft."""

    claims: list[Claim] = field(default_factory=list)
    section: str | None = None
    about_the_draft: bool = False
    signature: bool = False  # after a sign-off line
    signature_seen: bool = False  # a signature line was read since the sign-off
    keep_questions: bool = False
    questions: bool = False  # under a heading for open questions: questions there only ask

    def add(
        self,
        joined: str,
        offsets: list[tuple[int, int]],
        cited: list[int] | None = None,
        owner: str | None = None,
    ) -> None:
        joined = _drop_source_notes(joined)
        label_match = _LABEL.match(joined)
        label = label_match["label"] if label_match else None
        postscript = bool(label and label.replace(".", "").strip().upper() in {"PS", "PPS"})
        where = self.section
        if label_match and label and not any(ch.isdigit() for ch in label):
            cut = label_match.end()
            if _is_meta_line(label, joined[cut:]):
                return
            if len(joined[cut:].split()) >= 4:  # "Owner: [Name]" stays whole
                joined = joined[cut:]
                offsets = [(max(0, off - cut), ln) for off, ln in offsets]
                where = " / ".join(p for p in (self.section, label) if p)
        else:
            label = None
        pieces = _join_bracketed_notes(_sentences(joined, offsets))
        for sentence, at, evidence in attach_citations(pieces):
            sentence = strip_courtesy(sentence)
            wrapped = sentence.startswith(WRAPPED) or postscript
            sentence = sentence.removeprefix(WRAPPED).strip()
            if not sentence or not states_something(sentence):
                continue
            if self.about_the_draft and _about_the_draft_only(sentence):
                continue  # a note on how the draft was made or checked
            if (
                _is_question(sentence)
                and not self.keep_questions
                and (self.questions or not _has_hard_fact(sentence))
            ):
                continue  # a question asks; a rhetorical one with a hard fact is still checked
            self.claims.append(
                Claim(
                    text=sentence,
                    line=at,
                    section=where,
                    evidence=evidence or cited,
                    label=label,
                    owner=owner,
                    wrapped=wrapped,
                )
            )


def split_claims(draft: str, *, keep_questions: bool = False) -> list[Claim]:
    """The factual claims of a draft, in order, each with its line number, section and cited
    message ids. Questions without a hard fact are skipped unless `keep_questions`."""
    state = _Splitter(keep_questions=keep_questions)
    draft = draft.replace(WRAPPED, "")  # the splitter's own mark, never the draft's
    paragraph: list[tuple[int, str]] = []
    table_header: list[str] | None = None
    in_code = False
    lines = draft.splitlines()

    def flush() -> None:
        nonlocal paragraph
        if not paragraph:
            return
        joined = ""
        offsets: list[tuple[int, int]] = []
        for number, text in paragraph:
            offsets.append((len(joined), number))
            joined += clean_markdown(text) + " "
        paragraph = []
        state.add(joined.strip(), offsets)

    for number, raw in enumerate(lines, start=1):
        if len(raw) > _MAX_LINE:
            raw = raw[:_MAX_LINE]
        stripped = raw.strip()
        if _FENCE.match(stripped):
            flush()
            in_code = not in_code
            continue
        if not stripped:
            flush()
            table_header = None
            if state.signature and state.signature_seen:
                state.signature = False
            continue
        if in_code:
            state.add(stripped, [(0, number)])
            continue
        heading = _heading_text(raw)
        if heading is not None or _SUBJECT.match(stripped):
            flush()
            text = clean_markdown(heading if heading is not None else stripped).rstrip(":")
            state.section = (text or None) if heading is not None else stripped.split(":")[0]
            state.about_the_draft = bool(text and _ABOUT_THE_DRAFT.search(text))
            state.questions = bool(text and _QUESTIONS.search(text))
            state.signature = False
            if heading is None:
                text = text.split(":", 1)[1].strip() if ":" in text else text  # "Subject: X"
            if text and not state.about_the_draft and not _is_section_name(text):
                state.add(text, [(0, number)])  # a title or subject states something
            continue
        if _RULE.match(stripped):
            flush()
            continue
        if stripped.startswith("|") or stripped.count("|") >= 2:
            flush()
            if _TABLE_SEPARATOR.match(stripped):
                continue
            cells = [clean_markdown(c) for c in stripped.strip("|").split("|")]
            following = lines[number] if number < len(lines) else ""
            if table_header is None and _TABLE_SEPARATOR.match(following.strip()):
                table_header = cells
                continue
            text, cited, owner = _table_row(cells, table_header)
            state.add(clean_markdown(text), [(0, number)], cited, owner)
            continue
        plain = clean_markdown(strip_greeting(stripped))
        if not plain:
            continue  # "Dear Stakeholders,"
        rest, signed = strip_sign_off(plain)
        if signed and len(plain.split()) <= 6:
            flush()
            state.signature, state.signature_seen = True, False
            if rest and states_something(rest):
                state.add(WRAPPED + rest, [(0, number)])  # "Cheers, 9,000 orders refunded"
            continue
        if state.signature:
            if is_signature_line(plain):
                state.signature_seen = True
                continue
            state.signature = False  # the first line that states something ends it
        bullet = _BULLET.match(raw)
        if bullet or _LABEL_LINE.match(raw):
            flush()
            paragraph = [(number, bullet["text"] if bullet else raw)]
            continue
        if plain.endswith(":") and len(plain) < 120 and not paragraph:
            # A lead-in ("The following actions have been taken:") introduces what follows.
            state.add(plain.rstrip(":"), [(0, number)])
            continue
        paragraph.append((number, raw if plain == clean_markdown(stripped) else plain))
    flush()
    return state.claims


def _table_row(
    cells: list[str], header: list[str] | None
) -> tuple[str, list[int] | None, str | None]:
    """A table row as one line, the ids of its Source column, and its owner. Owner columns are
    written as '(owner: X)' at the end ("_unassigned_" is no owner)."""
    parts: list[str] = []
    owners: list[str] = []
    cited: list[int] | None = None
    for index, cell in enumerate(cells):
        if not cell:
            continue
        name = header[index].lower() if header and index < len(header) else ""
        ids = source_cell_ids(cell) if name in SOURCE_COLUMNS else None
        if ids is not None:
            cited = (cited or []) + ids
        elif name in OWNER_COLUMNS:
            if not no_owner(cell):
                owners.append(cell)
        else:
            parts.append(cell)
    text = " — ".join(parts + [f"(owner: {o})" for o in owners])
    return text, cited, owners[0] if owners else None
