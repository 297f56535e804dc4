"""The table key of a word that a case-insensitive pattern matched.

Python's `re.IGNORECASE` takes four non-ASCII letters for ASCII ones: 'ſ' (long s) for s, 'K'
(Kelvin sign) for k, 'ı' (dotless i) and 'İ' (dotted capital I) for i. `str.lower()` keeps them,
so a word such a pattern matched ("thouſands") is not found in a table keyed by the pattern's
ASCII words. `word_key` maps them first.
"""

from __future__ import annotations

_ASCII_FOLDS = str.maketrans({"ſ": "s", "\u212a": "k", "ı": "i", "İ": "i"})


def word_key(word: str) -> str:
    """`word` in lower case, with the letters case-insensitive matching reads as ASCII mapped."""
    return word.translate(_ASCII_FOLDS).lower()
