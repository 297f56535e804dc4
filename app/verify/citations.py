"""Citation markers in our own drafts: `[m12]` or `[m1, m7]` after a fact, `m22, m23` in a table's
Source column. Each names messages of the transcript by id; the checker reads them as the claim's
cited evidence and strips them from the claim's text, so they are never mistaken for words or for
unfilled template slots.
"""

from __future__ import annotations

import re

# Possessive repeats, and a marker's leading spaces are read from the start of their run only
# (`(?<![ \t])`): a long run of spaces or of "[" is one pass.
_IDS = r"m\d{1,6}+(?:[ \t]*+,[ \t]*+m\d{1,6}+)*+"
MARKER = re.compile(rf"(?<![ \t])[ \t]*+\\?\[(?P<ids>{_IDS})\\?\]")
_CELL = re.compile(rf"^[ \t]*+\[?+(?P<ids>{_IDS})\]?+[ \t]*+$")
_ID = re.compile(r"m(\d++)")
_ALNUM = re.compile(r"[A-Za-z0-9]")

# Table columns that hold citations rather than facts.
SOURCE_COLUMNS = frozenset({"source", "sources", "evidence", "refs", "references", "citations"})


def _ids(found: str) -> list[int]:
    return [int(n) for n in _ID.findall(found)]


def cited_ids(text: str) -> list[int]:
    """Message ids of every citation marker in `text`, in order, without repeats. A marker given
    as an example ("such as [m12]", "e.g. [m3]") cites nothing."""
    found: list[int] = []
    for match in MARKER.finditer(text):
        before = text[max(0, match.start() - 16) : match.start()].lower().rstrip(" ,:(")
        if not before.endswith(_EXAMPLE):
            found += _ids(match["ids"])
    return list(dict.fromkeys(found))


_EXAMPLE = ("such as", "e.g.", "e.g", "eg", "like", "for example", "for instance")


def strip_citations(text: str) -> str:
    """`text` without its citation markers ("errors hit 45% [m1]." -> "errors hit 45%.")."""
    return MARKER.sub("", text).strip()


def source_cell_ids(cell: str) -> list[int] | None:
    """The ids of a Source cell ("m22, m23"), or None when the cell is not a list of ids."""
    match = _CELL.match(cell)
    return list(dict.fromkeys(_ids(match["ids"]))) if match else None


def attach_citations(
    pieces: list[tuple[str, int]],
) -> list[tuple[str, int, list[int] | None]]:
    """Sentences of one paragraph with the ids each cites: a marker applies to its own sentence
    and to the uncited sentences before it ("A. B. [m1]" cites m1 for both A and B)."""
    found: list[tuple[str, int, list[int] | None]] = []
    waiting: list[int] = []
    for text, line in pieces:
        ids = cited_ids(text)
        bare = strip_citations(text)
        if _ALNUM.search(bare):
            found.append((bare, line, None))
            waiting.append(len(found) - 1)
        if ids:
            for index in waiting:
                sentence, at, _ = found[index]
                found[index] = (sentence, at, ids)
            waiting = []
    return found
