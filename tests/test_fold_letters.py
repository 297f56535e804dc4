"""Letters that Python's case-insensitive matching reads as ASCII ones ('ſ' long s, 'K' Kelvin
sign, 'ı' dotless i, 'İ' dotted capital I). A pattern with re.IGNORECASE matches "thouſands",
and the table keyed by "thousands" must still find it: looked up with `str.lower()` alone, every
such word raised KeyError (a 500 for /draft and /verify). `app.fold.word_key` maps them first."""

from __future__ import annotations

import asyncio
import random

import pytest

from app.config import Settings
from app.engines.registry import EngineRegistry
from app.fold import word_key
from app.pipeline import DraftOptions, create_draft, verify_text
from app.verify.quantities import figures
from app.verify.splitting import split_claims

_LOOKALIKES = {"s": "ſ", "k": "\u212a", "K": "\u212a", "i": "ı", "I": "İ"}


def _folded(text: str, rate: float, seed: int = 1) -> str:
    rng = random.Random(seed)
    return "".join(_LOOKALIKES[c] if c in _LOOKALIKES and rng.random() < rate else c for c in text)


def test_word_key_maps_the_lookalikes_to_ascii() -> None:
    assert word_key("thouſandſ") == "thousands"
    assert word_key("\u212aB") == "kb"
    assert word_key("fİrst") == word_key("fırst") == "first"
    assert word_key("Straße") == "straße"  # other letters are only lower-cased


@pytest.mark.parametrize(
    "text",
    ["two thousands of requests", "for two days", "half an hour", "it doubled"],
)
def test_figures_read_the_same_with_lookalike_letters(text: str) -> None:
    """The figures written in words, each read through a table keyed by ASCII words."""
    plain = [(f.kind, f.value) for f in figures(text)]
    assert plain  # each sentence states a figure
    assert [(f.kind, f.value) for f in figures(_folded(text, 1.0))] == plain


@pytest.mark.parametrize("rate", [0.3, 1.0])
def test_a_chat_written_in_lookalike_letters_drafts_and_verifies(
    seed_chat_text: str, seed_llm_draft_text: str, rate: float
) -> None:
    chat = _folded(seed_chat_text, rate)
    result = asyncio.run(create_draft(chat, DraftOptions(), EngineRegistry(Settings())))
    assert result.draft.text.strip()
    outcome = asyncio.run(verify_text(chat, _folded(seed_llm_draft_text, rate)))
    assert len(outcome.verification.claims) == len(split_claims(_folded(seed_llm_draft_text, rate)))
