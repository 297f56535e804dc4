"""Memos that live for one extraction: the same pure test of the same text is answered once.

The rules ask the same questions of the same sentence many times (each cue family is tested by
several rules, each sentence's content words are taken by several); the answers depend on the
text alone, so a table keyed by the text returns them unchanged. `extract_report` empties every
table when it finishes, so a long-lived process holds no chat's text after its extraction.
"""

from __future__ import annotations

from typing import Any

_TABLES: list[dict[Any, Any]] = []


def table() -> dict[Any, Any]:
    """A new memo table, emptied by `forget`."""
    made: dict[Any, Any] = {}
    _TABLES.append(made)
    return made


def forget() -> None:
    """Empty every memo table (the end of an extraction)."""
    for made in _TABLES:
        made.clear()
