"""Apply the detectors to texts and transcripts, and report what was redacted."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from pydantic import BaseModel, Field

from app.models import Message, Transcript
from app.redact.assignments import assignment_spans
from app.redact.library import assignment_provider_spans, provider_spans
from app.redact.patterns import (
    header_spans,
    private_key_spans,
    provider_pattern_spans,
    url_credential_spans,
)
from app.redact.spans import Span, merge_spans, placeholder

# Most specific first: on overlap, the earlier detector names the span (see merge_spans).
_DETECTORS: tuple[Callable[[str], list[Span]], ...] = (
    private_key_spans,
    url_credential_spans,
    header_spans,
    provider_pattern_spans,
    provider_spans,
    assignment_spans,
    assignment_provider_spans,
)

# Once a value is known to be a secret, later mentions of it are redacted too, even in prose
# ("tried Xk9#pq2!vv again, still 401"). Only values long and odd enough not to be words.
_MIN_ECHO_LENGTH = 8
_MAX_ECHO_LENGTH = 256
_PLACEHOLDER = r"\[REDACTED:[a-z0-9-]+\]"


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
    if not text:
        return []
    return merge_spans([span for detector in _DETECTORS for span in detector(text)])


def _apply(text: str, spans: Iterable[Span]) -> str:
    parts: list[str] = []
    position = 0
    for span in spans:
        parts.append(text[position : span.start])
        parts.append(span.placeholder)
        position = span.end
    parts.append(text[position:])
    return "".join(parts)


def _echo_pattern(secrets: dict[str, Span]) -> re.Pattern[str] | None:
    values = sorted(secrets, key=len, reverse=True)
    if not values:
        return None
    alternatives = "|".join(re.escape(value) for value in values)
    return re.compile(rf"(?P<ph>{_PLACEHOLDER})|(?<![\w])(?P<secret>{alternatives})(?![\w])")


def _is_echoable(value: str) -> bool:
    return (
        _MIN_ECHO_LENGTH <= len(value) <= _MAX_ECHO_LENGTH
        and not value.isalpha()
        and "\n" not in value
    )


class _Redactor:
    """Redacts texts one by one, remembering their secrets for the echo pass."""

    def __init__(self) -> None:
        self.secrets: dict[str, Span] = {}
        self._pattern: re.Pattern[str] | None = None
        self._pattern_size = 0

    def first_pass(self, text: str, message_id: int | None) -> tuple[str, list[Finding]]:
        spans = _detect(text)
        for span in spans:
            value = text[span.start : span.end]
            if _is_echoable(value):
                self.secrets.setdefault(value, span)
        return _apply(text, spans), [_finding(span, message_id) for span in spans]

    def echo_pass(self, text: str, message_id: int | None) -> tuple[str, list[Finding]]:
        if self._pattern_size != len(self.secrets):
            self._pattern, self._pattern_size = _echo_pattern(self.secrets), len(self.secrets)
        pattern = self._pattern
        if pattern is None or not any(value in text for value in self.secrets):
            return text, []
        findings: list[Finding] = []

        def replace(match: re.Match[str]) -> str:
            if match["ph"]:
                return match["ph"]
            span = self.secrets[match["secret"]]
            findings.append(_finding(span, message_id))
            return span.placeholder

        return pattern.sub(replace, text), findings


def _finding(span: Span, message_id: int | None) -> Finding:
    return Finding(kind=span.kind, message_id=message_id, placeholder=placeholder(span.label))


def redact_text(text: str) -> tuple[str, list[Finding]]:
    """Replace every secret in `text` by a typed placeholder; the findings name no secret."""
    redactor = _Redactor()
    redacted, findings = redactor.first_pass(text, None)
    redacted, echoes = redactor.echo_pass(redacted, None)
    return redacted, findings + echoes


def redact_transcript(transcript: Transcript) -> Redaction:
    """Redact every message (text and author) and the parser's warnings.

    A secret found in one message is also redacted where it is repeated in any other.
    """
    redactor = _Redactor()
    findings: list[Finding] = []
    firsts: list[tuple[Message, str, str | None]] = []
    for message in transcript.messages:
        text, found = redactor.first_pass(message.text, message.id)
        author = message.author
        if author:
            author, author_found = redactor.first_pass(author, message.id)
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
