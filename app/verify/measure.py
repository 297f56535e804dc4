"""How well the checker catches planted errors: precision and recall of "flagged".

A case is a JSON file naming a transcript, a draft and, for every claim the splitter finds in the
draft, the expected label ("supported", "unsupported", "contradicted") and, for planted errors,
the kind of error ("wrong_time", "wrong_figure", "wrong_owner", "negation", ...). Claims are
matched by a case-insensitive substring (`match`). The positive class is *flagged*: a claim whose
verdict is unsupported or contradicted. Cases live in `eval/checker/cases/`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from app.ingest import parse_transcript
from app.models import Transcript
from app.verify.checker import verify_claims
from app.verify.claims import Claim, split_claims
from app.verify.verdicts import ClaimStatus, VerificationReport


class ExpectedClaim(BaseModel):
    """The gold label of one claim in a case."""

    match: str = Field(min_length=1, description="Case-insensitive substring of the claim.")
    label: ClaimStatus
    kind: str | None = Field(default=None, description="Kind of planted error, if any.")


class CheckerCase(BaseModel):
    """A transcript, a draft, and the gold label of each of the draft's claims."""

    transcript: str
    draft: str
    claims: list[ExpectedClaim]


class KindCount(BaseModel):
    """Planted errors of one kind, and how many the checker flagged."""

    total: int = 0
    flagged: int = 0


class CheckerScore(BaseModel):
    """Precision and recall of flagging, with counts per kind of planted error."""

    precision: float
    recall: float
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int
    per_kind: dict[str, KindCount]
    mistakes: list[str] = Field(description="'case: claim -> verdict (expected)' per error.")


class CaseError(ValueError):
    """A case whose expectations do not line up one-to-one with the draft's claims."""


def load_transcript(path: Path) -> Transcript:
    """Parse a transcript file with the ingest step (the same parser the service uses)."""
    return parse_transcript(path.read_text(encoding="utf-8"))


def load_case(path: Path) -> tuple[CheckerCase, Transcript, list[Claim]]:
    """Read a case with its transcript and the draft's claims."""
    case = CheckerCase.model_validate_json(path.read_text(encoding="utf-8"))
    transcript = load_transcript(path.parent / case.transcript)
    draft = (path.parent / case.draft).read_text(encoding="utf-8")
    return case, transcript, split_claims(draft)


def align(case: CheckerCase, claims: list[Claim], name: str = "") -> list[ExpectedClaim]:
    """Each claim's expectation, in claim order; raises `CaseError` unless they pair one-to-one."""
    paired: list[ExpectedClaim | None] = [None] * len(claims)
    for expected in case.claims:
        hits = [i for i, c in enumerate(claims) if expected.match.lower() in c.text.lower()]
        if len(hits) != 1:
            raise CaseError(f"{name}: {expected.match!r} matches {len(hits)} claims, not 1")
        if paired[hits[0]] is not None:
            raise CaseError(f"{name}: claim {claims[hits[0]].text!r} has two expectations")
        paired[hits[0]] = expected
    missing = [claims[i].text for i, p in enumerate(paired) if p is None]
    if missing:
        raise CaseError(f"{name}: claims without an expectation: {missing}")
    return [p for p in paired if p is not None]


Verifier = Callable[[list[Claim], Transcript], VerificationReport]


def _rules(claims: list[Claim], transcript: Transcript) -> VerificationReport:
    return verify_claims(claims, transcript)


def measure_checker(cases_dir: Path | str, *, verifier: Verifier = _rules) -> CheckerScore:
    """Run the checker on every case in `cases_dir` and score flagging against the gold labels."""
    counts: dict[Literal["tp", "fp", "fn", "tn"], int] = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    per_kind: dict[str, KindCount] = {}
    mistakes: list[str] = []
    for path in sorted(Path(cases_dir).glob("*.json")):
        case, transcript, claims = load_case(path)
        expectations = align(case, claims, path.name)
        report = verifier(claims, transcript)
        for expected, verdict in zip(expectations, report.claims, strict=True):
            gold = expected.label != "supported"
            flagged = verdict.status != "supported"
            key: Literal["tp", "fp", "fn", "tn"] = (
                ("tp" if flagged else "fn") if gold else ("fp" if flagged else "tn")
            )
            counts[key] += 1
            if gold:
                kind = per_kind.setdefault(expected.kind or "other", KindCount())
                kind.total += 1
                kind.flagged += flagged
            if key in {"fp", "fn"}:
                mistakes.append(
                    f"{path.stem}: {verdict.text!r} -> {verdict.status} ({verdict.reason}); "
                    f"expected {expected.label}"
                )
    flagged_total = counts["tp"] + counts["fp"]
    gold_total = counts["tp"] + counts["fn"]
    return CheckerScore(
        precision=counts["tp"] / flagged_total if flagged_total else 1.0,
        recall=counts["tp"] / gold_total if gold_total else 1.0,
        true_positives=counts["tp"],
        false_positives=counts["fp"],
        false_negatives=counts["fn"],
        true_negatives=counts["tn"],
        per_kind=dict(sorted(per_kind.items())),
        mistakes=mistakes,
    )
