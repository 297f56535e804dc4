"""Where a secret sits in a text, and how overlapping detections are merged."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

PLACEHOLDER_PREFIX = "[REDACTED:"


@dataclass(frozen=True)
class Span:
    """One detected secret: `text[start:end]` is replaced by `[REDACTED:<label>]`.

    `kind` names what was found (`postgres-password`); `label` is the placeholder's type
    (`password`), kept coarse so that placeholders stay stable across kinds.
    """

    start: int
    end: int
    kind: str
    label: str

    @property
    def placeholder(self) -> str:
        return f"{PLACEHOLDER_PREFIX}{self.label}]"


def placeholder(label: str) -> str:
    """The typed placeholder that replaces a secret of this label."""
    return f"{PLACEHOLDER_PREFIX}{label}]"


def merge_spans(spans: list[Span]) -> list[Span]:
    """Sorted, non-overlapping spans; overlapping detections become one.

    Detectors are listed most specific first, so on a tie (same start and length) the first
    detector's kind wins; otherwise the span that starts first, then the longer one, names it.
    """
    ordered = sorted(enumerate(spans), key=lambda item: (item[1].start, -item[1].end, item[0]))
    merged: list[Span] = []
    for _, span in ordered:
        if span.start >= span.end:
            continue
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            if span.end > last.end:
                merged[-1] = Span(last.start, span.end, last.kind, last.label)
            continue
        merged.append(span)
    return merged


def is_placeholder_text(value: str) -> bool:
    """True for values that are (or start with) a placeholder: keeps redaction idempotent."""
    return value.lstrip("\"'`").startswith(PLACEHOLDER_PREFIX)


def mentions(lowered: str, gates: tuple[str, ...]) -> bool:
    """Cheap pre-check before a regex runs: a pattern can only match text that contains one of
    its literal parts (`gates`, lower case). No gates means always run."""
    if not gates:
        return True
    for gate in gates:  # a plain loop: this runs per detector per message
        if gate in lowered:
            return True
    return False


def any_gate(gate_lists: Iterable[tuple[str, ...]]) -> re.Pattern[str]:
    """One scan standing for `mentions` over several detectors' gates: it finds a match in a
    lowered text exactly when some gate of some list occurs in it, so a detector loop can skip
    a text where it finds none (one scan instead of one substring test per gate). Every list
    must have gates: a detector without them always runs."""
    lists = list(gate_lists)
    gates = [gate for gates in lists for gate in gates]
    if not gates or any(not gates for gates in lists):
        raise ValueError("every detector needs at least one gate")
    # literals only, longest first: an alternation of fixed strings is linear
    return re.compile("|".join(re.escape(g) for g in sorted(set(gates), key=len, reverse=True)))
