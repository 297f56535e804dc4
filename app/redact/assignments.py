"""Secrets assigned to secret-sounding names: env lines, YAML, JSON, INI, CLI flags, prose.

The names come from detect-secrets' KeywordDetector list (password, passwd, pwd, secret,
api_key, private_key, ...), which this module treats as *strong*: any real value assigned to
them is redacted. `token`, `credential` and `key` are *weak*: the value must also look
generated (letters and digits, detect-secrets' Shannon entropy over base64), because chat says
`max_tokens: 4096` and `cache_key: orders-v2` all day.

The KeywordDetector's own value regex is not used: it runs to the end of the line and reports
one value per pattern per line, so in chat it would swallow whole sentences ("Secrets: we
rotated them at 14:00") and miss the second `-e NAME=value` of a `docker run` line.
"""

from __future__ import annotations

import re

from app.redact.library import (
    HEX_DIGITS,
    SECRET_KEYWORDS,
    entropy,
    is_sequential,
    is_templated,
    is_uuid,
)
from app.redact.spans import Span, is_placeholder_text, mentions

_WEAK_KEYWORDS = ("tokens?", "credentials?", "key")
_STRONG_EXTRA = (r"(?<=[_-])pass(?![a-z])", r"access[_-]?key", "passphrase")
_KEYWORDS = "|".join((*SECRET_KEYWORDS, *_STRONG_EXTRA, *_WEAK_KEYWORDS))

_ASSIGNMENT = re.compile(
    rf"(?i)(?P<kw>{_KEYWORDS})(?P<tail>[\w.\-]{{0,60}})[\"'\]]{{0,2}}"
    r"[ \t]*(?P<op>:=|=>|==|=|:)[ \t]*"
    r"(?P<value>\"[^\"\n]*\"|'[^'\n]*'|`[^`\n]*`|[^\s\"'`;&]+)"
)
_CLI_FLAG = re.compile(
    r"(?i)(?<![\w-])--(?P<head>[\w-]{0,40}?)"
    r"(?P<kw>password|passwd|secret|api-?key|token)(?P<tail>[\w-]{0,40})"
    r"[ \t]+[\"']?(?P<value>[^\s\"'-][^\s\"']*)"
)
_PROSE = re.compile(
    r"(?i)\b(?P<kw>password|passphrase|passwd)\b[ \t]+"
    r"(?:(?:is|was|has[ \t]+been|got|now)[ \t]+)?"
    r"(?:(?:changed|set|reset|rotated|updated)[ \t]+to|is|was|now)[ \t]+[\"'`]?"
    r"(?P<value>[^\s\"'`,;]+)"
)
# Kubernetes env entries and ECS/compose JSON: `- name: DB_PASSWORD` then `value: "..."`.
_NAME_VALUE = re.compile(
    r"(?i)[\"']?name[\"']?[ \t]*:[ \t]*[\"']?(?P<key>[\w.\-]+)[\"']?[ \t]*(?:,|\n)[ \t-]*"
    r"[\"']?value[\"']?[ \t]*:[ \t]*(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[^\s\"',}]+)"
)
_MYSQL_INLINE = re.compile(
    r"(?<![\w-])(?:mysql|mysqldump|mysqladmin)\b[^\n]{0,300}?[ \t]-p(?P<value>[^\s\"']+)"
)
_SECRET_NAME = re.compile(rf"(?i){_KEYWORDS}")
# Every keyword above contains one of these: text without them skips the regexes.
_KEYWORD_GATES = ("key", "pass", "pwd", "secret", "contrase", "token", "credential")
_CALL = re.compile(r"[A-Za-z_][\w.]*[(\[]")
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")

# A name ending in one of these words points at or describes a secret without holding it:
# secretName, password_file, token_ttl, PASSWORD_MIN_LENGTH, secretKeyRef, secret_arn.
_NOT_A_VALUE = frozenset(
    """name names ref refs file files path dir id ids arn url uri endpoint host length len ttl
    policy version enabled disabled type kind count age expiry expires expiration required reset
    source provider manager mount selector min max rotation format at date time change changed
    updated rotated env var field prompt hint label header param location store backend mode
    strategy algorithm size bytes limit timeout retries attempts error errors status valid exists
    usage used""".split()
)
_NULLISH = frozenset(
    "null none nil true false yes no undefined required optional redacted hidden masked unset "
    "empty n/a tbd todo xxx".split()
)
_PASSWORD_WORDS = ("pass", "pwd", "contrase")
_SERVICE_PREFIXES = (
    (("pg", "postgres"), "postgres"),
    (("mysql", "mariadb"), "mysql"),
    (("redis",), "redis"),
    (("mongo",), "mongodb"),
    (("rabbit", "amqp"), "amqp"),
)


def _key_start(text: str, pos: int) -> int:
    """Where the name containing the keyword begins (`DB_` in `DB_PASSWORD`)."""
    while pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] in "_.-"):
        pos -= 1
    return pos


def _describes_not_holds(tail: str) -> bool:
    words = _WORDS.findall(tail)
    return bool(words) and words[-1].lower() in _NOT_A_VALUE


def _kind_and_label(key: str, keyword: str) -> tuple[str, str]:
    compact = re.sub(r"[^a-z]", "", key.lower())
    keyword = keyword.lower()
    if "aws" in compact and "secret" in compact:
        return "aws-secret-key", "aws-secret-key"
    if compact.endswith("accountkey") or "sharedaccess" in compact:
        return "azure-storage-key", "azure-storage-key"
    if any(word in keyword for word in _PASSWORD_WORDS):
        for prefixes, service in _SERVICE_PREFIXES:
            if compact.startswith(prefixes):
                return f"{service}-password", "password"
        return "password", "password"
    if "priv" in keyword:
        return "private-key", "private-key"
    if keyword.startswith(("api", "auth", "service", "client", "account", "db", "database")):
        return "api-key", "api-key"
    if keyword.startswith("token"):
        return "token", "token"
    if keyword.startswith("credential"):
        return "credential", "secret"
    return "secret", "secret"


def _is_weak(keyword: str) -> bool:
    return keyword.lower() in ("token", "tokens", "credential", "credentials", "key")


def _looks_generated(value: str, keyword: str) -> bool:
    """Whether a value assigned to a weak name is random enough to be a secret."""
    has_letter = any(c.isalpha() for c in value)
    has_digit = any(c.isdigit() for c in value)
    if not (has_letter and has_digit) or is_sequential(value):
        return False
    if keyword.lower() == "key":
        # A bare `key` names too many ordinary things: demand a long, random value that is
        # neither a request UUID nor a commit SHA.
        if is_uuid(value) or (set(value) <= HEX_DIGITS and len(value) <= 40):
            return False
        return len(value) >= 20 and entropy(value) >= 3.5
    return len(value) >= 10 and entropy(value) >= 3.0


def _is_real_value(value: str) -> bool:
    return (
        bool(value)
        and not is_placeholder_text(value)
        and not is_templated(value)
        and any(c.isalnum() for c in value)
        and value.lower() not in _NULLISH
    )


def _value_bounds(text: str, match: re.Match[str], key_start: int) -> tuple[int, int] | None:
    """Start and end of the assigned value, or None when it is prose or a reference."""
    start, end = match.span("value")
    raw = match["value"]
    if raw[0] in "\"'`":
        return start + 1, end - 1
    after = text[end : end + 8]
    if is_templated(raw) or _CALL.match(raw):
        return None  # secret = get_secret() / os.environ["X"]
    line_start = text.rfind("\n", 0, key_start) + 1
    indent = text[line_start:key_start]
    if match["op"] == ":" and indent and not indent.strip(" \t-"):
        # An indented YAML line: the value is the rest of the line, spaces included.
        line_end = text.find("\n", end)
        line = text[start : len(text) if line_end == -1 else line_end]
        line = re.split(r"[ \t]+#", line, maxsplit=1)[0].rstrip()
        return start, start + len(line)
    if match["op"] == ":" and raw.isalpha() and re.match(r"[ \t]+[A-Za-z]", after):
        return None  # "Password: reset it from the console" is a sentence, not a config line
    if raw.isdigit() and re.match(r"[ \t]+bytes", after):
        return None  # kubectl describe secret: "password:  16 bytes"
    value = raw.rstrip(",)}].")
    return start, start + len(value)


def _name_value_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    for match in _NAME_VALUE.finditer(text):
        key = match["key"]
        keyword = _SECRET_NAME.search(key)
        if keyword is None or _describes_not_holds(key[keyword.end() :]):
            continue
        start, end = match.span("value")
        if match["value"][0] in "\"'":
            start, end = start + 1, end - 1
        value = text[start:end]
        if not _is_real_value(value) or (
            _is_weak(keyword.group()) and not _looks_generated(value, keyword.group())
        ):
            continue
        kind, label = _kind_and_label(key, keyword.group())
        spans.append(Span(start, end, kind, label))
    return spans


def assignment_spans(text: str) -> list[Span]:
    """Values assigned to secret-sounding names, in any of the usual config syntaxes."""
    spans: list[Span] = []
    lowered = text.lower()
    if "mysql" in lowered:
        for match in _MYSQL_INLINE.finditer(text):
            if _is_real_value(match["value"]):
                spans.append(
                    Span(match.start("value"), match.end("value"), "mysql-password", "password")
                )
    if not mentions(lowered, _KEYWORD_GATES):
        return spans
    for match in _ASSIGNMENT.finditer(text):
        key_start = _key_start(text, match.start())
        key = text[key_start : match.end("tail")]
        if key.lower() in ("pwd", "oldpwd") or _describes_not_holds(match["tail"]):
            continue
        bounds = _value_bounds(text, match, key_start)
        if bounds is None:
            continue
        value = text[bounds[0] : bounds[1]]
        if not _is_real_value(value):
            continue
        if _is_weak(match["kw"]) and not _looks_generated(value, match["kw"]):
            continue
        kind, label = _kind_and_label(key, match["kw"])
        spans.append(Span(bounds[0], bounds[1], kind, label))
    spans.extend(_name_value_spans(text))
    for pattern in (_CLI_FLAG, _PROSE):
        for match in pattern.finditer(text):
            value = match["value"]
            if "tail" in match.groupdict() and _describes_not_holds(match["tail"]):
                continue
            if not _is_real_value(value) or "://" in value:
                continue
            if pattern is _PROSE and (value.isalpha() or len(value) < 6):
                continue  # "the password is expired"
            kind, label = _kind_and_label(match["kw"], match["kw"])
            spans.append(Span(match.start("value"), match.end("value"), kind, label))
    return spans
