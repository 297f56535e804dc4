"""Credentials in HTTP terms: `Authorization` headers, bare bearer tokens, session cookies and
signature or token parameters of URL query strings (pre-signed S3/GCS URLs, `?access_token=`).
"""

from __future__ import annotations

import re

from app.fold import word_key
from app.redact.spans import Span, is_placeholder_text, mentions

_AUTH_HEADER = re.compile(
    r"(?i)(?<![\w\-])(?:proxy-)?+authorization[\"']?+[ \t]*+[:=][ \t]*+[\"']?+"
    r"(?P<first>[^\s\"',;]{1,4096}+)(?:[ \t]++(?P<second>[^\s\"',;]{1,4096}+))?+"
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9\-]{0,31}+")
_BEARER = re.compile(r"(?<![\w\-])[Bb]earer[ \t]++(?P<value>[A-Za-z0-9\-._~+/]{12,4096}+=*+)")
_COOKIES = re.compile(
    r"(?i)(?:(?<![\w\-])(?:set-)?+cookie[\"']?+[ \t]*+:|(?<![\w\-])(?:-b|--cookie)[ \t]++)"
    r"[ \t]*+[\"']?+(?P<cookies>[^\n\"']{1,4096}+)"
)
_COOKIE = re.compile(r"(?<![^\s;])(?P<name>[\w.\-]{1,128}+)=(?P<value>[^;\s]{1,4096}+)")
_SESSION_NAMES = (
    "session",
    "sess",
    "sid",
    "token",
    "auth",
    "jwt",
    "remember",
    "login",
    "csrf",
    "xsrf",
    "identity",
    "credential",
)
_QUERY_SECRET = re.compile(
    r"(?i)(?P<name>(?<=[?&;])(?:access_token|refresh_token|id_token|token|api_?key|apikey|key"
    r"|client_secret|secret|auth|sig|password|passwd|pwd)"
    r"|(?<![\w\-])(?:x-amz-signature|x-amz-security-token|x-amz-credential|x-goog-signature"
    r"|signature))=(?P<value>[^&\s#\"',;<>]{6,4096}+)"
)


def _mixed(value: str) -> bool:
    """Looks machine-made: letters and digits, or both letter cases, not a plain word."""
    has_digit = any(c.isdigit() for c in value)
    has_upper = any(c.isupper() for c in value)
    has_lower = any(c.islower() for c in value)
    return (has_digit and (has_upper or has_lower)) or (has_upper and has_lower)


def _random_looking(value: str) -> bool:
    return (
        any(c.isdigit() for c in value)
        and any(c.isupper() for c in value)
        and any(c.islower() for c in value)
    )


def _authorization_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    for match in _AUTH_HEADER.finditer(text):
        group, scheme = "first", ""
        if match["second"] and _SCHEME.fullmatch(match["first"]):
            if not _random_looking(match["first"]):
                group, scheme = "second", word_key(match["first"])
        value = match[group]
        if value.isalpha() and not (scheme and len(value) >= 12):
            continue  # "authorization: denied", "Authorization: Bearer token"
        if is_placeholder_text(value) or value.startswith("$") or not _mixed(value):
            continue
        label = {"bearer": "bearer-token", "basic": "basic-auth"}.get(scheme, "authorization")
        spans.append(Span(match.start(group), match.end(group), label, label))
    return spans


def _cookie_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    for header in _COOKIES.finditer(text):
        offset = header.start("cookies")
        for cookie in _COOKIE.finditer(header["cookies"]):
            name, value = word_key(cookie["name"]), cookie["value"]
            if not any(word in name for word in _SESSION_NAMES) or len(value) < 8:
                continue
            if is_placeholder_text(value) or value.startswith("$") or not _mixed(value):
                continue
            start, end = offset + cookie.start("value"), offset + cookie.end("value")
            spans.append(Span(start, end, "session-cookie", "session"))
    return spans


def header_spans(text: str) -> list[Span]:
    """Authorization headers, bare bearer tokens, session cookies, URL signatures and tokens."""
    lowered = text.lower()
    spans: list[Span] = []
    if "authorization" in lowered:
        spans += _authorization_spans(text)
    if "earer" in lowered:
        for match in _BEARER.finditer(text):
            value = match["value"]
            if _mixed(value) and not is_placeholder_text(value):
                start, end = match.span("value")
                spans.append(Span(start, end, "bearer-token", "bearer-token"))
    if "cookie" in lowered or "-b " in lowered:
        spans += _cookie_spans(text)
    if mentions(lowered, ("?", "&", ";", "signature", "x-amz-")):
        for match in _QUERY_SECRET.finditer(text):
            value = match["value"]
            if not is_placeholder_text(value) and not value.startswith("$"):
                start, end = match.span("value")
                name = word_key(match["name"])
                if name.startswith(("pass", "pwd")):
                    spans.append(Span(start, end, "url-password", "password"))
                elif name in ("client_secret", "secret"):
                    spans.append(Span(start, end, "url-secret", "secret"))
                else:
                    spans.append(Span(start, end, "url-token", "token"))
    return spans
