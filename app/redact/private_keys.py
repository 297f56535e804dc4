"""Private-key blocks: the whole block goes, header to footer.

detect-secrets only flags the `BEGIN ... PRIVATE KEY` line, which would leave the key body
behind; here the block runs to its END line, across real or escaped (`\\n`, as in a
service-account JSON) line breaks. A header with no END (a paste cut short) is redacted to
the end of the message.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import re

from app.redact.library import private_key_headers
from app.redact.spans import Span

_KEY_BLOCK = re.compile(
    r"-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?+-----"
    r".*?(?:-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?+-----|\Z)",
    re.DOTALL,
)


# A PEM block base64-encoded once more, as kubeconfig's `client-key-data` and Kubernetes
# Secrets hold it: "-----BEGIN" encodes to "LS0tLS1CRUdJTi".
_ENCODED_BLOCK = re.compile(r"LS0tLS1CRUdJTi[A-Za-z0-9+/]{20,16384}+={0,2}+")


def _encoded_private_keys(text: str) -> list[Span]:
    spans: list[Span] = []
    for match in _ENCODED_BLOCK.finditer(text):
        head = match.group()[:48]
        try:
            decoded = base64.b64decode(head[: len(head) // 4 * 4]).decode("ascii", "replace")
        except (binascii.Error, ValueError):
            continue
        if "PRIVATE KEY" in decoded:
            spans.append(Span(match.start(), match.end(), "private-key", "private-key"))
    return spans


def private_key_spans(text: str) -> list[Span]:
    """Whole private-key blocks (PEM, OpenSSH, PGP, PuTTY), also base64-encoded."""
    encoded = _encoded_private_keys(text) if "LS0tLS1CRUdJTi" in text else []
    if "PRIVATE KEY" not in text and "PuTTY" not in text:
        return encoded
    spans = [
        Span(m.start(), m.end(), "private-key", "private-key") for m in _KEY_BLOCK.finditer(text)
    ]
    starts = [span.start for span in spans]
    for offset in private_key_headers(text):
        index = bisect.bisect_right(starts, offset) - 1
        if index >= 0 and offset < spans[index].end:
            continue
        start = text.rfind("-----BEGIN", max(0, offset - 20), offset + 1)
        spans.append(
            Span(offset if start == -1 else start, len(text), "private-key", "private-key")
        )
    return spans + encoded
