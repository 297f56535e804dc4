"""Cloud secret keys pasted bare, without a name in front of them.

An AWS secret access key is 40 characters of base64 with no prefix, an Azure storage account
key 88 (ending in `==`): alone they look like any other base64 id. They are redacted when the
same text also speaks of that cloud's credentials (an access key id, "aws", "secret", "iam",
"credentials", "storage account", ...) and the value is as random as a generated key is, so
"here are the new creds: AKIA... / wJalr..." loses both while a bare base64 request id stays.
"""

from __future__ import annotations

import re

from app.redact.library import entropy
from app.redact.spans import Span, mentions

_AWS_SECRET = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_AZURE_KEY = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{86}==(?![A-Za-z0-9/+=])")
_AWS_CONTEXT = (
    "akia",
    "asia",
    "aws",
    "amazon",
    "iam",
    "s3",
    "boto",
    "secret",
    "access key",
    "credential",
    "creds",
)
_AZURE_CONTEXT = ("azure", "storage", "accountkey", "account key", "blob", "secret", "key")


def _generated(value: str, minimum_entropy: float) -> bool:
    return (
        any(c.isdigit() for c in value)
        and any(c.isupper() for c in value)
        and any(c.islower() for c in value)
        and entropy(value) >= minimum_entropy
    )


def cloud_key_spans(text: str) -> list[Span]:
    """Bare AWS secret access keys and Azure storage keys, where the text is about them."""
    spans: list[Span] = []
    lowered = text.lower()
    if mentions(lowered, _AWS_CONTEXT):
        for match in _AWS_SECRET.finditer(text):
            if _generated(match.group(), 4.0):
                spans.append(Span(match.start(), match.end(), "aws-secret-key", "aws-secret-key"))
    if "==" in text and mentions(lowered, _AZURE_CONTEXT):
        for match in _AZURE_KEY.finditer(text):
            if _generated(match.group(), 4.5):
                spans.append(
                    Span(match.start(), match.end(), "azure-storage-key", "azure-storage-key")
                )
    return spans
