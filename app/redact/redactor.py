"""Apply the detectors to texts and transcripts, and report what was redacted."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable

from pydantic import BaseModel, Field

from app.collector import pauses_collector
from app.models import Message, Transcript
from app.redact.assignments import assignment_spans
from app.redact.cloud import cloud_key_spans
from app.redact.commands import command_spans
from app.redact.config_files import config_file_spans
from app.redact.echo import EchoIndex
from app.redact.headers import header_spans
from app.redact.library import provider_spans
from app.redact.private_keys import private_key_spans
from app.redact.prose import prose_spans
from app.redact.spans import PLACEHOLDER_PREFIX, Span, merge_spans, placeholder
from app.redact.urls import url_credential_spans, webhook_spans
from app.redact.vendors import vendor_spans

_PLACEHOLDER = re.compile(r"\[REDACTED:[a-z0-9\-]{1,64}+\]")
# A letter (\w) outside ASCII: no vendor format, scheme or name pattern matches it.
_MASK = "\uff38"

# Most specific first: on overlap, the earlier detector names the span (see merge_spans).
_DETECTORS: tuple[Callable[[str], list[Span]], ...] = (
    private_key_spans,
    webhook_spans,
    url_credential_spans,
    header_spans,
    vendor_spans,
    provider_spans,
    assignment_spans,
    config_file_spans,
    command_spans,
    cloud_key_spans,
    prose_spans,
)


class Finding(BaseModel):
    """One redacted secret: what it was and where, never the secret itself."""

    kind: str = Field(description="What was found, e.g. 'aws-access-key', 'postgres-password'.")
    message_id: int | None = Field(description="Message it was in; null for a bare text.")
    placeholder: str = Field(description="What replaced it, e.g. '[REDACTED:password]'.")


class Redaction(BaseModel):
    """A transcript with its secrets replaced, and the list of what was replaced."""

    transcript: Transcript
    findings: list[Finding] = Field(default_factory=list)

    def summary(self) -> str | None:
        """One line for the draft or the API answer; None when nothing was redacted."""
        if not self.findings:
            return None
        where = [
            f.kind if f.message_id is None else f"{f.kind} (m{f.message_id})" for f in self.findings
        ]
        count = len(self.findings)
        noun = "secret" if count == 1 else "secrets"
        return f"Redacted {count} {noun} before processing: {', '.join(dict.fromkeys(where))}"


def _detect(text: str) -> list[Span]:
    """Spans of secrets in `text`, never touching a placeholder already in it.

    Placeholders are masked first, as a run of a non-ASCII letter as long as the placeholder:
    the detectors see a token where the secret was, as on the first pass, and not a label
    (`api-key`, `password`) that would make whatever follows read as its value
    ("[REDACTED:api-key]: see below"). Spans that reach into a placeholder are dropped."""
    if not text:
        return []
    placeholders = (
        [m.span() for m in _PLACEHOLDER.finditer(text)] if PLACEHOLDER_PREFIX in text else []
    )
    scanned = _PLACEHOLDER.sub(_mask, text) if placeholders else text
    found: list[Span] = []
    for detector in _DETECTORS:
        found += detector(scanned)
    if not found:
        return []  # almost every chat message
    spans = merge_spans(found)
    if placeholders:
        spans = [span for span in spans if not _overlaps(span, placeholders)]
    return spans


def _mask(match: re.Match[str]) -> str:
    return _MASK * len(match.group())


def _overlaps(span: Span, regions: list[tuple[int, int]]) -> bool:
    """Whether `span` overlaps one of `regions` (sorted, disjoint)."""
    index = bisect.bisect_left(regions, (span.end, 0)) - 1
    return index >= 0 and regions[index][1] > span.start


def _apply(text: str, spans: Iterable[Span]) -> str:
    parts: list[str] = []
    position = 0
    for span in spans:
        parts.append(text[position : span.start])
        parts.append(span.placeholder)
        position = span.end
    parts.append(text[position:])
    return "".join(parts)


class _Redactor:
    """Redacts texts one by one, remembering their secrets for the echo pass."""

    def __init__(self, known_secrets: Iterable[str] = ()) -> None:
        self.index = EchoIndex()
        for value in known_secrets:
            self.index.add(value, Span(0, len(value), "known-secret", "secret"), always=True)

    def first_pass(
        self, text: str, message_id: int | None, seen: dict[str, list[Span]] | None = None
    ) -> tuple[str, list[Finding]]:
        """`seen` holds the spans of texts already detected (`_detect` is a function of the
        text alone, and adding a known secret again changes nothing): a chat's few authors
        and its repeated messages are detected once each, not once per message."""
        spans = seen.get(text) if seen is not None else None
        if spans is None:
            spans = _detect(text)
            if seen is not None:
                seen[text] = spans
            for span in spans:
                self.index.add(text[span.start : span.end], span)
        if not spans:
            return text, []
        return _apply(text, spans), [_finding(span, message_id) for span in spans]

    def echo_pass(self, text: str, message_id: int | None) -> tuple[str, list[Finding]]:
        hits = self.index.find(text)
        if not hits:
            return text, []
        spans = [Span(start, end, span.kind, span.label) for start, end, span in hits]
        return _apply(text, spans), [_finding(span, message_id) for span in spans]


def _finding(span: Span, message_id: int | None) -> Finding:
    return Finding(kind=span.kind, message_id=message_id, placeholder=placeholder(span.label))


def redact_text(text: str, known_secrets: Iterable[str] = ()) -> tuple[str, list[Finding]]:
    """Replace every secret in `text` by a typed placeholder; the findings name no secret.

    `known_secrets` are values redacted wherever they appear (as `[REDACTED:secret]`), e.g.
    the service's own API key in an upstream error that echoes it.
    """
    redactor = _Redactor(known_secrets)
    redacted, findings = redactor.first_pass(text, None)
    redacted, echoes = redactor.echo_pass(redacted, None)
    return redacted, findings + echoes


def found_secrets(text: str) -> list[str]:
    """The values `redact_text` replaces in `text`, for a caller that must check another
    rendering of the same content (a log record's arguments) leaks none of them."""
    return [text[span.start : span.end] for span in _detect(text)]


@pauses_collector
def redact_transcript(transcript: Transcript) -> Redaction:
    """Redact every message (text and author) and the parser's warnings.

    A secret found in one message is also redacted where it is repeated in any other.
    """
    redactor = _Redactor()
    findings: list[Finding] = []
    firsts: list[tuple[Message, str, str | None]] = []
    authors: dict[str, list[Span]] = {}
    texts: dict[str, list[Span]] = {}  # a chat repeats its alerts, acks and pastes
    for message in transcript.messages:
        text, found = redactor.first_pass(message.text, message.id, texts)
        author = message.author
        if author:
            author, author_found = redactor.first_pass(author, message.id, authors)
            found += author_found
        findings += found
        firsts.append((message, text, author))

    messages: list[Message] = []
    for message, text, author in firsts:
        text, echoes = redactor.echo_pass(text, message.id)
        findings += echoes
        if text != message.text or author != message.author:
            message = message.model_copy(update={"text": text, "author": author})
        messages.append(message)

    warnings = [redactor.echo_pass(redact_text(w)[0], None)[0] for w in transcript.warnings]
    findings.sort(key=lambda f: f.message_id or 0)
    redacted = transcript.model_copy(update={"messages": messages, "warnings": warnings})
    return Redaction(transcript=redacted, findings=findings)
