"""Adapters over detect-secrets: its provider plugins, keyword list, heuristics and entropy.

The provider plugins' own regexes (`plugin.denylist`) are run with `finditer`, which gives
positions: `analyze_string` returns only the first capture group, which for the GitHub and
GitLab patterns is the `ghp`/`glpat` prefix, not the token. `analyze_line`/`scan_line` are not
used: they read the process-wide detect-secrets settings (not thread-safe) and can run network
verification, neither of which a redaction step may do.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

from detect_secrets.filters import heuristic
from detect_secrets.plugins.aws import AWSKeyDetector
from detect_secrets.plugins.base import RegexBasedDetector
from detect_secrets.plugins.discord import DiscordBotTokenDetector
from detect_secrets.plugins.github_token import GitHubTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.high_entropy_strings import (
    Base64HighEntropyString,
)
from detect_secrets.plugins.jwt import JwtTokenDetector
from detect_secrets.plugins.keyword import DENYLIST
from detect_secrets.plugins.mailchimp import MailchimpDetector
from detect_secrets.plugins.private_key import PrivateKeyDetector
from detect_secrets.plugins.pypi_token import PypiTokenDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.slack import SlackDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector
from detect_secrets.plugins.stripe import StripeDetector
from detect_secrets.plugins.telegram_token import (
    TelegramBotTokenDetector,
)
from detect_secrets.plugins.twilio import TwilioKeyDetector

from app.redact.spans import Span, any_gate, mentions

# Provider plugins whose matches are token-shaped, with the placeholder label for each and the
# literal parts (lower case) without which a plugin's patterns cannot match (see `mentions`).
# Left out on purpose: IPPublicDetector (addresses are evidence, not secrets),
# ArtifactoryDetector (its `AP[0-9A-F]...` pattern hits ordinary capitalised words),
# BasicAuthDetector (urls.py keeps the URL scheme for the kind and allows `@` in
# passwords), AzureStorageKeyDetector (its match includes the `AccountKey=` name and needs
# exactly 88 characters; assignments.py covers every `AccountKey=`), KeywordDetector (see
# assignments.py), the quoted-string entropy plugins (they flag commit SHAs in free text) and
# OpenAIDetector (vendors.py has a superset that runs in linear time; the plugin's pattern
# takes seconds on a pasted line of repeated `sk-`). The JWT and npm patterns are quadratic
# on such lines too: JWTs are found by a token-anchored pattern and checked with the plugin's
# `is_formally_valid`; `.npmrc` tokens are read by config_files.py.
_PROVIDERS: tuple[tuple[RegexBasedDetector, str, tuple[str, ...]], ...] = (
    (AWSKeyDetector(), "aws", ("akia", "asia", "abia", "acca", "a3t", "aws")),
    (GitHubTokenDetector(), "github-token", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
    (
        GitLabTokenDetector(),
        "gitlab-token",
        ("glpat-", "gldt-", "glft-", "glsoat-", "glrt-", "gr1348941", "glcbt-", "glimt-")
        + ("glptt-", "glagent-", "gloas-"),
    ),
    (SlackDetector(), "slack", ("xox", "hooks.slack.com")),
    (StripeDetector(), "stripe-key", ("k_live_",)),
    (SendGridDetector(), "sendgrid-key", ("sg.",)),
    (TwilioKeyDetector(), "twilio-key", ()),
    (PypiTokenDetector(), "pypi-token", ("pypi-",)),
    (MailchimpDetector(), "mailchimp-key", ("-us",)),
    (SquareOAuthDetector(), "square-secret", ("sq0csp-",)),
    (DiscordBotTokenDetector(), "discord-token", (".",)),
    (TelegramBotTokenDetector(), "telegram-token", (":",)),
)

# The plugins above whose gates are rare in chat text (all but Twilio, which has none, and
# Discord's '.' and Telegram's ':'), tested in one scan first: a text with none of their gates
# (almost every message) skips their loop, which `mentions` would skip plugin by plugin.
_RARE = tuple(entry for entry in _PROVIDERS if entry[2] and entry[2] not in ((".",), (":",)))
_COMMON = tuple(entry for entry in _PROVIDERS if entry not in _RARE)
_ANY_RARE_GATE = any_gate(gates for _, _, gates in _RARE)

# Left out as well: the IBM Cloud IAM, IBM COS HMAC, Cloudant and SoftLayer plugins. Their
# `<prefix>_key = value` patterns put `(?: *)(?:=|:| +|::)(?: *)` side by side, which
# backtracks in cubic time: "secret_key" and 1,000 spaces took 16 s. What they find is a value
# assigned to a secret-sounding name (assignments.py) or a password in a URL (urls.py).

# A JWT starts a token: anchoring there keeps the scan linear on pathological pastes.
_JWT_CANDIDATE = re.compile(
    r"(?<![A-Za-z0-9_\-])eyJ[A-Za-z0-9_\-]*=*\.[A-Za-z0-9_\-]*=*\.?[A-Za-z0-9_\-+/]*=*"
)

_PRIVATE_KEY = PrivateKeyDetector()
_ENTROPY = Base64HighEntropyString()

# A provider match is extended to the end of its token: Stripe's pattern stops after 24
# characters, and the rest of the key would otherwise stay behind.
_TOKEN_TAIL = re.compile(r"[A-Za-z0-9_\-]*")

# Keyword stems from detect-secrets' KeywordDetector, with `_?` widened to `[_-]?` so that
# header-style names (`api-key`) match too.
SECRET_KEYWORDS: tuple[str, ...] = tuple(word.replace("_?", "[_-]?") for word in DENYLIST)


def _kind(label: str, value: str) -> str:
    if label == "aws":
        return "aws-access-key" if value[:4].isupper() and value[:4].isalpha() else "aws-secret-key"
    if label == "slack":
        return "slack-webhook" if value.startswith("http") else "slack-token"
    return label


def _occurrences(text: str, value: str) -> Iterator[int]:
    start = text.find(value)
    while start != -1:
        yield start
        start = text.find(value, start + len(value))


def _is_jwt(value: str) -> bool:
    return bool(JwtTokenDetector.is_formally_valid(value))


def _secret_bounds(match: re.Match[str]) -> tuple[int, int]:
    """The secret inside a plugin match: its longest group when that holds the value (the AWS
    secret pattern captures the key after its name), else the whole match (the GitHub and
    GitLab patterns capture only the `ghp`/`glpat` prefix)."""
    best = match.span()
    longest = 0
    for index in range(1, (match.re.groups or 0) + 1):
        start, end = match.span(index)
        if start != -1 and end - start >= 8 and end - start > longest:
            best, longest = (start, end), end - start
    return best


def _spans(
    plugins: tuple[tuple[RegexBasedDetector, str, tuple[str, ...]], ...], text: str
) -> list[Span]:
    spans: list[Span] = []
    lowered = text.lower()
    for plugin, label, gates in plugins:
        if not mentions(lowered, gates):
            continue
        for pattern in plugin.denylist:
            covered = 0  # matches inside an extended token are that token: skip them
            for match in pattern.finditer(text):
                start, end = _secret_bounds(match)
                if start < covered:
                    continue
                value = text[start:end]
                if end - start < 8:
                    continue
                kind = _kind(label, value)
                tail = _TOKEN_TAIL.match(text, end)
                covered = tail.end() if tail else end
                spans.append(Span(start, covered, kind, kind))
    return spans


def provider_spans(text: str) -> list[Span]:
    """Spans of provider-specific tokens (AWS, GitHub, Slack, Stripe, JWT, ...)."""
    if _ANY_RARE_GATE.search(text.lower()):
        spans = _spans(_PROVIDERS, text)
    else:  # the same spans: no plugin of `_RARE` passes `mentions` on this text
        spans = _spans(_COMMON, text)
    if "eyJ" in text:
        for match in _JWT_CANDIDATE.finditer(text):
            if _is_jwt(match.group()):
                spans.append(Span(match.start(), match.end(), "jwt", "jwt"))
    return spans


def private_key_headers(text: str) -> list[int]:
    """Offsets of private-key headers detect-secrets knows (PEM, OpenSSH, PGP, PuTTY)."""
    offsets: list[int] = []
    for header in set(_PRIVATE_KEY.analyze_string(text)):
        offsets.extend(_occurrences(text, header))
    return offsets


def entropy(value: str) -> float:
    """Shannon entropy over the base64 alphabet, as detect-secrets computes it."""
    return float(_ENTROPY.calculate_shannon_entropy(value))


def is_uuid(value: str) -> bool:
    return bool(heuristic.is_potential_uuid(value))


def is_templated(value: str) -> bool:
    """`{x}`, `<x>`, `${x}` and `$X` values are references to a secret, not the secret."""
    return bool(
        heuristic.is_templated_secret(value) or heuristic.is_prefixed_with_dollar_sign(value)
    )


def is_sequential(value: str) -> bool:
    """`abcdef`, `123456` and the like: examples, not secrets."""
    return bool(heuristic.is_sequential_string(value))


HEX_DIGITS = frozenset(string.hexdigits)
