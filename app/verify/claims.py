"""Split a draft (Markdown, an email, bullet lists, tables) into the factual claims it makes.

Every sentence, bullet, numbered item and table row is a claim, with its 1-based line number and
the heading it sits under. Headings, greetings ("Dear Stakeholders"), sign-offs ("Sincerely"),
apologies and form phrases ("We are writing to inform you") assert nothing about the incident and
are skipped; a placeholder left in a signature ("[Your Name/Team Name]") is still reported, since
an unfilled template is exactly what a reviewer must catch.

Our own drafts add a few forms (see `app/render/templates/`): citation markers (`[m1, m7]`, a
table's Source column) become the claim's `evidence`; each `**Label:** value` header line is its
own claim; questions, the "Open questions" and "Notes on this draft" sections, the status line and
the sentences the renderer writes when the chat is silent ("The chat does not say ...") assert
nothing about the incident and are skipped.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from app.verify.citations import SOURCE_COLUMNS, attach_citations, source_cell_ids

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<text>.*?)\s*#*\s*$")
_BOLD_HEADING = re.compile(r"^\s*(?:\*\*|__)(?P<text>[^*_]+?)(?:\*\*|__)\s*:?\s*(?:\*\*)?\s*$")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_BULLET = re.compile(r"^(?P<indent>\s*)(?:[-*+•]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?(?P<text>.*)$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_SUBJECT = re.compile(r"^\s*(?:subject|re|fwd?|to|from|cc|date)\s*:", re.IGNORECASE)

_GREETING = re.compile(
    r"^(?:dear|hi|hello|hey|greetings|good (?:morning|afternoon|evening)|to)\b[^.!?]{0,60}[,:!]?$",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^(?:sincerely|best regards|kind regards|warm regards|regards|best|thanks|thank you|cheers|"
    r"respectfully|yours(?: truly| sincerely)?|all the best|many thanks)\b[\w\s]{0,20}[,.!]?$",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"^(?:we are writing to|we['’]re writing to|i am writing to|this (?:email|message|note) is to|"
    r"please (?:let us know|reach out|do not hesitate|don['’]t hesitate|contact|feel free)|"
    r"if you have any (?:questions|concerns)|thank you for your (?:patience|understanding)|"
    r"we (?:sincerely |deeply )?apologi[sz]e|we are sorry|we['’]re sorry|sorry for|"
    r"we (?:remain|are) (?:fully )?committed to|we appreciate your|we value your|feel free to|"
    r"we will keep you (?:updated|posted|informed)|we['’]ll keep you (?:updated|posted))",
    re.IGNORECASE,
)
_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|etc|vs|approx|a\.m|p\.m|mr|ms|dr|no|inc|ltd)\.", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(\[*_A-Z0-9$])")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^)]+)\)")
_LABEL = re.compile(r"^(?P<label>[A-Z][A-Za-z /&-]{0,30}):\s+(?=\S)")
_PLACEHOLDER_ONLY = re.compile(r"^\s*\\?\[[^\]]+\\?\]\s*$")
# A header line of our engineering draft: "**Impact window:** 09:10 to 09:22 ...".
_LABEL_LINE = re.compile(r"^\s*(?:\*\*|__)[^*_]{1,40}(?::(?:\*\*|__)|(?:\*\*|__):)\s*\S")
# Sections about the draft, or about what the chat leaves open: nothing in them is a claim.
_META_SECTION = re.compile(
    r"^(?:open questions|unanswered questions|questions|what we are still confirming|"
    r"notes on this draft)$",
    re.IGNORECASE,
)
# Sentences our renderer writes about the draft or about what the chat does not say.
_RENDERER_FORMS = re.compile(
    r"^(?:the chat (?:does not|doesn['’]t|gives no|has no|never)\b|"
    r"no follow-up work was agreed|we are still confirming|the response is still under way|"
    r"the team is reviewing follow-up work|this is an update on (?:a|an) (?:ongoing )?service "
    r"incident|it has been resolved, and this note explains|references in brackets|"
    r"a full engineering postmortem will follow|none recorded\b)",
    re.IGNORECASE,
)
_META_NOTE = re.compile(r"\s*\((?:see open questions|computed from message timestamps)\)")
_NOT_STATED = re.compile(r"^(?:not stated|not known|unknown|none recorded|n/a)\b", re.IGNORECASE)
_NO_OWNER = frozenset({"unassigned", "none", "nobody", "no owner", "-", "—", "n/a"})


class Claim(BaseModel):
    """One factual claim of a draft, or one item of a report."""

    text: str = Field(description="The claim, Markdown removed.")
    line: int | None = Field(default=None, description="1-based line of the draft, if any.")
    section: str | None = Field(default=None, description="Heading (and label) it sits under.")
    evidence: list[int] | None = Field(
        default=None,
        description="Message ids the claim cites (report items, citation markers); None if none.",
    )
    item: str | None = Field(
        default=None, description="Where the claim lives in an IncidentReport, e.g. 'timeline[2]'."
    )
    label: str | None = Field(
        default=None, description="The label of its line ('Participants' of 'Participants: ...')."
    )


def clean_markdown(text: str) -> str:
    """Plain text of a Markdown fragment: no emphasis, code marks, link targets or escapes."""
    text = _LINK.sub(r"\1", text)
    text = text.replace("\\[", "[").replace("\\]", "]").replace("\\_", "_").replace("\\*", "*")
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _is_boilerplate(sentence: str) -> bool:
    if _PLACEHOLDER_ONLY.match(sentence):
        return False
    if _GREETING.match(sentence) and len(sentence.split()) <= 8:
        return True
    if _SIGN_OFF.match(sentence) and len(sentence.split()) <= 5:
        return True
    return bool(_BOILERPLATE.match(sentence) or _RENDERER_FORMS.match(sentence))


def _is_meta_line(label: str, value: str) -> bool:
    """A header line about the draft ("Status: Draft ...") or one that states nothing ("Date:
    not stated in the chat")."""
    if label.lower() == "status" and value.lower().startswith("draft"):
        return True
    return bool(_NOT_STATED.match(value))


def _sentences(text: str, offsets: list[tuple[int, int]]) -> list[tuple[str, int]]:
    """Split a paragraph into sentences; `offsets` maps character offsets to source lines."""
    protected = _ABBREVIATIONS.sub(lambda m: m.group(0).replace(".", "\x00"), text)
    found: list[tuple[str, int]] = []
    start = 0
    pieces = [*(_SENTENCE_END.finditer(protected)), None]
    for match in pieces:
        end = match.start() if match else len(protected)
        piece = protected[start:end].replace("\x00", ".").strip()
        if piece:
            line = next((ln for off, ln in reversed(offsets) if off <= start), offsets[0][1])
            found.append((piece, line))
        if match:
            start = match.end()
    return found


def split_claims(draft: str, *, keep_questions: bool = False) -> list[Claim]:
    """The factual claims of a draft, in order, each with its line number, section and cited
    message ids. Questions are skipped unless `keep_questions` (a summary being verified keeps
    every sentence it will render)."""
    claims: list[Claim] = []
    section: str | None = None
    meta_section = False
    paragraph: list[tuple[int, str]] = []
    table_header: list[str] | None = None
    in_code = False
    in_signature = False
    lines = draft.splitlines()

    def add(joined: str, offsets: list[tuple[int, int]], cited: list[int] | None = None) -> None:
        joined = _META_NOTE.sub("", joined)
        label_match = _LABEL.match(joined)
        label = label_match["label"] if label_match else None
        where = section
        if label_match and label and not any(ch.isdigit() for ch in label):
            cut = label_match.end()
            if _is_meta_line(label, joined[cut:]):
                return
            if len(joined[cut:].split()) >= 4:  # "Owner: [Name]" stays whole
                joined = joined[cut:]
                offsets = [(max(0, off - cut), ln) for off, ln in offsets]
                where = " / ".join(p for p in (section, label) if p)
        else:
            label = None
        for sentence, at, evidence in attach_citations(_sentences(joined, offsets)):
            if in_signature and not re.search(r"\[[^\]]+\]", sentence):
                continue
            if _is_boilerplate(sentence) or not re.search(r"[A-Za-z0-9]", sentence):
                continue
            if not keep_questions and sentence.rstrip(' *_)"”’').endswith("?"):
                continue
            claims.append(
                Claim(
                    text=sentence, line=at, section=where, evidence=evidence or cited, label=label
                )
            )

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
        add(joined.strip(), offsets)

    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if _FENCE.match(stripped):
            flush()
            in_code = not in_code
            continue
        if in_code:
            continue
        if not stripped:
            flush()
            table_header = None
            continue
        heading = _HEADING.match(raw) or _BOLD_HEADING.match(raw)
        if heading or _SUBJECT.match(stripped):
            flush()
            section = clean_markdown(heading["text"] if heading else stripped).rstrip(":") or None
            meta_section = bool(section and _META_SECTION.match(section))
            in_signature = False
            continue
        if meta_section:
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
            text, cited = _table_row(cells, table_header)
            add(clean_markdown(text), [(0, number)], cited)
            continue
        bullet = _BULLET.match(raw)
        if bullet or _LABEL_LINE.match(raw):
            flush()
            paragraph = [(number, bullet["text"] if bullet else raw)]
            continue
        plain = clean_markdown(stripped)
        if _SIGN_OFF.match(plain) and len(plain.split()) <= 5:
            flush()
            in_signature = True
            continue
        if plain.endswith(":") and len(plain) < 120 and not paragraph:
            # A lead-in ("The following actions have been taken:") introduces what follows; it
            # is a claim only when it carries a figure or a time ("During the 13-minute outage").
            if re.search(r"\d", plain):
                add(plain.rstrip(":"), [(0, number)])
            continue
        paragraph.append((number, raw))
    flush()
    return claims


def _table_row(cells: list[str], header: list[str] | None) -> tuple[str, list[int] | None]:
    """A table row as one line, and the ids of its Source column. Owner columns are written as
    'owner: X' at the end ("_unassigned_" is no owner)."""
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
        elif name in {"owner", "owners", "assignee", "assigned to", "who", "responsible"}:
            if cell.lower() not in _NO_OWNER:
                owners.append(f"(owner: {cell})")
        else:
            parts.append(cell)
    return " — ".join(parts + owners), cited
