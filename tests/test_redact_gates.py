"""The one-scan gates redaction runs before its detectors never turn a secret away.

`vendors._ANY_ANCHOR` (the anchors' alternation, grouped by first character) finds a text exactly
when the plain alternation of `_ANCHORS` does, and `library.provider_spans` (which skips the
rare-gated plugins when one scan finds none of their gates) gives the spans of every plugin.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.redact import library, vendors

DATA = Path(__file__).parent / "data"
_PLAIN = re.compile("|".join(vendors._ANCHORS))
_SAMPLES = [
    "AKIAIOSFODNN7EXAMPLE", "ghp_" + "a1B2" * 9, "glpat-" + "x" * 20, "xoxb-123-456-abc",
    "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc", "SG." + "a" * 22 + "." + "b" * 43,
    "pypi-AgEIcHlwaS5vcmc" + "A" * 50, "0123456789abcdef0123456789abcdef-us12",
    "sq0csp-" + "a" * 43, "MTk4NjIyNDgzNDcOTY3NDUxMg.G8vmH2.abcdefghijklmnopqrstuvwxyz0",
    "123456789:AAH" + "a" * 32, "AC" + "a1" * 16, "SK" + "b2" * 16, "hooks.slack.com/x",
]  # fmt: skip


def _texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(DATA.rglob("*")):
        if path.is_file() and path.suffix in (".txt", ".md", ".json", ".env", ".yaml"):
            texts += path.read_text(encoding="utf-8", errors="replace").split("\n\n")
    return texts + _SAMPLES + [f"see {s} now" for s in _SAMPLES]


def test_the_factored_anchor_scan_finds_what_the_plain_alternation_finds() -> None:
    texts = _texts()
    assert len(texts) > 200
    for text in texts:
        assert bool(vendors._ANY_ANCHOR.search(text)) == bool(_PLAIN.search(text)), text


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(vendors._ANCHORS).flatmap(
    lambda anchor: st.from_regex(anchor.replace("?+", "?"), fullmatch=True)
), st.text(max_size=6), st.text(max_size=6))  # fmt: skip
def test_every_anchor_is_found_in_any_text(anchor_text: str, before: str, after: str) -> None:
    text = before + anchor_text + after
    assert _PLAIN.search(text)
    assert vendors._ANY_ANCHOR.search(text)


def test_provider_spans_skip_only_plugins_that_could_not_match() -> None:
    found = 0
    for text in _texts():
        spans = library.provider_spans(text)
        every = library._spans(library._PROVIDERS, text)
        if "eyJ" not in text:
            assert spans == every, text
        found += bool(every)
    assert found >= 5  # the comparison has tokens to keep


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*_SAMPLES, " ", ".", ":", "AKIA", "ghp_", "xox", "-us", "a"]),
                max_size=6))  # fmt: skip
def test_provider_spans_agree_with_every_plugin_on_generated_texts(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert library.provider_spans(text) == library._spans(library._PROVIDERS, text)
