"""Any draft gets verdicts, never an exception: seeded random drafts built from the pieces real
drafts are made of (Markdown marks, citations, times, figures, names, courtesy phrases), and
random characters. Every verdict is well formed: a status, a reason, evidence that exists."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from app.ingest import parse_transcript
from app.models import Transcript
from app.verify import split_claims, verify_draft

DATA = Path(__file__).parent / "data"
PIECES = [
    "# ",
    "## ",
    "- ",
    "* ",
    "1. ",
    "| ",
    " | ",
    "|---|---|\n",
    "**",
    "__",
    "`",
    "```\n",
    "\n",
    "\n\n",
    "[m1]",
    "[m99]",
    "[m3, m7]",
    "[X]",
    "$[amount]",
    "{{x}}",
    "TBD",
    "09:14",
    "9:10 AM",
    "14:02-14:10",
    "since 13:58",
    "45%",
    "2,300",
    "2.3k",
    "~90M",
    "13 minutes",
    "5m12s",
    "v2.4.1",
    "checkout-service",
    "payment-gateway.internal",
    "ConnectionRefusedError",
    "Priya",
    "Ravi",
    "Kubernetes",
    "AWS",
    "(owner: Ravi)",
    "Sincerely,",
    "Thanks,",
    "Hi all,",
    "Dear team,",
    "We apologize for ",
    "Thank you for your patience while ",
    "The chat does not say ",
    "No follow-up work was agreed.",
    "rolled back",
    "will add",
    "all ",
    "never ",
    "not ",
    "errors spiked",
    "?",
    ". ",
    ", ",
    ": ",
    "Date: 2025-02-30",
    "Date: 2024-05-01",
    "🙂",
    "\t",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "\\",
    "—",
    "…",
]


@pytest.fixture(scope="module")
def seed() -> Transcript:
    return parse_transcript((DATA / "seed_000_checkout_chat.txt").read_text(encoding="utf-8"))


def _draft(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return "".join(chr(rng.randrange(1, 0x2FFF)) for _ in range(rng.randrange(1, 300)))
    return "".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 80)))


@pytest.mark.parametrize("seed_number", range(60))
def test_any_draft_gets_well_formed_verdicts(seed: Transcript, seed_number: int) -> None:
    rng = random.Random(seed_number)
    draft = _draft(rng)
    claims = split_claims(draft)
    report = verify_draft(draft, seed, max_claims=10_000)
    assert len(report.claims) == len(claims)
    ids = {m.id for m in seed.messages}
    for verdict in report.claims:
        assert verdict.status in ("supported", "unconfirmed", "unsupported", "contradicted")
        assert verdict.reason
        assert set(verdict.evidence) <= ids
        if verdict.status == "contradicted":  # it names the message, or what the chat says
            assert verdict.evidence or " not " in verdict.reason, verdict
