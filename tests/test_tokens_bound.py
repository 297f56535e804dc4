"""`messages_over` gives the answer an exact count gives, tokenizing only when it must."""

from __future__ import annotations

import pytest

from app.llm import tokens
from app.llm.tokens import messages_over, messages_tokens

TEXTS = [
    ["system prompt", "[09:14] Priya: the checkout is down, errors at 45%"],
    ["Ünïcödé — ☃ 日本語 " * 40, "🔥🔥 emoji pair", ""],
    ["x" * 5000],
]


@pytest.mark.parametrize("contents", TEXTS)
def test_over_agrees_with_the_count_at_every_limit_near_it(contents: list[str]) -> None:
    exact = messages_tokens(contents)
    size = sum(len(c.encode("utf-8")) + 4 for c in contents)
    for limit in {0, exact - 1, exact, exact + 1, size - 1, size, size + 1, size * 2}:
        if limit < 0:
            continue
        assert messages_over(contents, limit) == (exact if exact > limit else None), limit


def test_a_request_within_its_bytes_is_never_tokenized(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = tokens.count_tokens

    def counting(text: str) -> int:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(tokens, "count_tokens", counting)
    contents = ["system", "a chat " * 100]
    roomy = sum(len(c.encode("utf-8")) + 4 for c in contents)
    assert messages_over(contents, roomy) is None
    assert calls == []
    assert messages_over(contents, 10) == messages_tokens(contents) > 10
    assert calls  # near the limit it counts exactly
