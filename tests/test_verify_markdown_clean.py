"""Claims are read without their Markdown marks, and names with underscores keep them
(app/verify/splitting.py clean_markdown). Sentences written for the test."""

from __future__ import annotations

import pytest

from app.verify.splitting import clean_markdown


@pytest.mark.parametrize(
    ("written", "read"),
    [
        (
            "The DKIM key at s1._domainkey was deleted.",
            "The DKIM key at s1._domainkey was deleted.",
        ),
        ("The _dmarc record was published at 10:02.", "The _dmarc record was published at 10:02."),
        ("max_connections was raised to 400.", "max_connections was raised to 400."),
        ("The queue was _really_ stuck.", "The queue was really stuck."),
        ("*All* EU users were affected.", "All EU users were affected."),
        ("The fix is **not** deployed.", "The fix is not deployed."),
        ("`s1._domainkey` had no record.", "s1._domainkey had no record."),
    ],
)
def test_marks_go_and_names_stay(written: str, read: str) -> None:
    assert clean_markdown(written) == read
