"""How well the checker does on drafts with planted errors, on both sides: errors caught, and
correct claims kept.

A case is a JSON file naming a transcript, a draft, its `split` ("dev" or "test"; "dev" when
absent) and, for every claim the splitter finds in the draft, the expected label (a correct
claim is "supported"; a planted error "unsupported" or "contradicted" with its `kind`:
"wrong_time", "wrong_owner", "negation", ...). Claims are matched by a case-insensitive substring
(`match`). Cases live in `eval/checker/cases/`.

Per split the score reports, rules only unless another verifier is given:
- recall per kind of planted error, over all errors and over the *hard* kinds (a planted error is
  caught when its verdict fails: unsupported or contradicted);
- on the correct claims: how many shipped (supported or unconfirmed), how many failed (false
  alarms) and how many were called contradicted.
Mistakes are listed claim by claim for the dev split only: test cases are read in aggregate.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from app.ingest import parse_transcript
from app.models import Transcript
from app.verify.checker import verify_claims
from app.verify.claims import Claim
from app.verify.splitting import split_claims
from app.verify.verdicts import VerificationReport

Split = Literal["dev", "test"]
# Kinds of planted error that a hard check (times, figures, names, owners, placeholders,
# citations) is meant to catch; the rest (negation, done versus planned, "all") are soft unless
# a cited message states the opposite.
HARD_KINDS = frozenset(
    {
        "wrong_time",
        "wrong_figure",
        "wrong_duration",
        "wrong_owner",
        "wrong_person",
        "wrong_service",
        "invented_entity",
        "placeholder",
        "bad_citation",
        "bypass",
    }
)
SOFT_KINDS = frozenset({"negation", "done_vs_planned", "quantifier"})


class ExpectedClaim(BaseModel):
    """The gold label of one claim in a case."""

    match: str = Field(min_length=1, description="Case-insensitive substring of the claim.")
    label: Literal["supported", "unsupported", "contradicted"]
    kind: str | None = Field(default=None, description="Kind of planted error, if any.")


class CheckerCase(BaseModel):
    """A transcript, a draft, and the gold label of each of the draft's claims."""

    transcript: str
    draft: str
    split: Split = "dev"
    claims: list[ExpectedClaim]


class KindCount(BaseModel):
    """Planted errors of one kind, and how many the checker caught (failed)."""

    total: int = 0
    flagged: int = 0

    @property
    def recall(self) -> float:
        """Share caught (1.0 when there are none)."""
        return self.flagged / self.total if self.total else 1.0


class SplitScore(BaseModel):
    """The checker on the cases of one split."""

    cases: int = 0
    errors: int = Field(default=0, description="Planted errors.")
    caught: int = Field(default=0, description="Planted errors whose verdict failed.")
    hard_errors: int = 0
    hard_caught: int = 0
    correct: int = Field(default=0, description="Correct claims.")
    shipped: int = Field(default=0, description="Correct claims supported or unconfirmed.")
    supported: int = Field(default=0, description="Correct claims supported.")
    false_alarms: int = Field(default=0, description="Correct claims unsupported or contradicted.")
    false_contradicted: int = Field(default=0, description="Correct claims contradicted.")
    per_kind: dict[str, KindCount] = Field(default_factory=dict)
    unmatched: int = Field(default=0, description="Expectations no claim of the draft holds.")
    unlabelled: int = Field(default=0, description="Claims no expectation labels (not scored).")

    @property
    def recall(self) -> float:
        """Planted errors caught, all kinds."""
        return self.caught / self.errors if self.errors else 1.0

    @property
    def hard_recall(self) -> float:
        """Planted errors of the hard kinds caught."""
        return self.hard_caught / self.hard_errors if self.hard_errors else 1.0

    @property
    def shipped_rate(self) -> float:
        """Correct claims shipped (supported or unconfirmed)."""
        return self.shipped / self.correct if self.correct else 1.0

    @property
    def false_alarm_rate(self) -> float:
        """Correct claims that failed."""
        return self.false_alarms / self.correct if self.correct else 0.0

    @property
    def false_contradicted_rate(self) -> float:
        """Correct claims called contradicted."""
        return self.false_contradicted / self.correct if self.correct else 0.0

    @property
    def precision(self) -> float:
        """Of the claims that failed, the share that were planted errors."""
        failed = self.caught + self.false_alarms
        return self.caught / failed if failed else 1.0

    def rates(self) -> dict[str, float]:
        """The headline numbers, rounded, for reports."""
        return {
            "hard_recall": round(self.hard_recall, 3),
            "recall": round(self.recall, 3),
            "correct_shipped": round(self.shipped_rate, 3),
            "false_alarms": round(self.false_alarm_rate, 3),
            "false_contradicted": round(self.false_contradicted_rate, 3),
            "precision": round(self.precision, 3),
        }


class CheckerScore(BaseModel):
    """The checker on every case: per split, plus the pooled precision and recall of failing
    (kept for the eval's `[thresholds.checker]`)."""

    precision: float
    recall: float
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int
    per_kind: dict[str, KindCount] = Field(description="Pooled over the splits.")
    splits: dict[str, SplitScore]
    summary: dict[str, dict[str, float]] = Field(
        description="`SplitScore.rates()` per split: the numbers to gate and report."
    )
    mistakes: list[str] = Field(
        description="'case: claim -> verdict (expected)' per dev-split mistake; test cases are "
        "never listed claim by claim."
    )


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


def align(case: CheckerCase, claims: list[Claim]) -> list[int | None]:
    """For each expectation, the index of the claim it labels (the first not yet labelled of
    those its `match` is in), or None when no claim holds it. Claims no expectation labels are
    not scored."""
    taken: set[int] = set()
    found: list[int | None] = []
    for expected in case.claims:
        hits = [i for i, c in enumerate(claims) if expected.match.lower() in c.text.lower()]
        free = [i for i in hits if i not in taken]
        index: int | None = (free or hits)[0] if hits else None
        if index is not None:
            taken.add(index)
        found.append(index)
    return found


def strict_align(case: CheckerCase, claims: list[Claim], name: str = "") -> list[ExpectedClaim]:
    """Each claim's expectation, in claim order; raises `CaseError` unless they pair one-to-one
    (for dev cases, whose drafts may be read)."""
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


def _count(score: SplitScore, expected: ExpectedClaim, status: str) -> bool:
    """Add one verdict to a split's score; True when it is a mistake."""
    failed = status in ("unsupported", "contradicted")
    if expected.label == "supported":
        score.correct += 1
        score.shipped += not failed
        score.supported += status == "supported"
        score.false_alarms += failed
        score.false_contradicted += status == "contradicted"
        return failed
    kind = expected.kind or "other"
    score.errors += 1
    score.caught += failed
    if kind in HARD_KINDS:
        score.hard_errors += 1
        score.hard_caught += failed
    count = score.per_kind.setdefault(kind, KindCount())
    count.total += 1
    count.flagged += failed
    return not failed


def measure_checker(cases_dir: Path | str, *, verifier: Verifier = _rules) -> CheckerScore:
    """Run the checker on every case in `cases_dir` and score it against the gold labels."""
    splits: dict[str, SplitScore] = {}
    mistakes: list[str] = []
    for path in sorted(Path(cases_dir).glob("*.json")):
        case, transcript, claims = load_case(path)
        report = verifier(claims, transcript)
        score = splits.setdefault(case.split, SplitScore())
        score.cases += 1
        paired = align(case, claims)
        score.unlabelled += len(set(range(len(claims))) - {i for i in paired if i is not None})
        for expected, index in zip(case.claims, paired, strict=True):
            if index is None:
                # The splitter made no claim of it: an error goes unchecked (not caught); a
                # correct sentence stays in the draft unchecked (shipped).
                score.unmatched += 1
                wrong = _count(score, expected, "unconfirmed")
                text, status, reason = expected.match, "no claim", "the splitter made no claim"
            else:
                verdict = report.claims[index]
                wrong = _count(score, expected, verdict.status)
                text, status, reason = verdict.text, verdict.status, verdict.reason
            if wrong and case.split == "dev":
                mistakes.append(
                    f"{path.stem}: {text!r} -> {status} ({reason}); expected {expected.label}"
                    + (f" ({expected.kind})" if expected.kind else "")
                )
    pooled: dict[str, KindCount] = {}
    for score in splits.values():
        score.per_kind = dict(sorted(score.per_kind.items()))
        for kind, count in score.per_kind.items():
            total = pooled.setdefault(kind, KindCount())
            total.total += count.total
            total.flagged += count.flagged
    tp = sum(s.caught for s in splits.values())
    fn = sum(s.errors - s.caught for s in splits.values())
    fp = sum(s.false_alarms for s in splits.values())
    tn = sum(s.correct - s.false_alarms for s in splits.values())
    return CheckerScore(
        precision=tp / (tp + fp) if tp + fp else 1.0,
        recall=tp / (tp + fn) if tp + fn else 1.0,
        true_positives=tp,
        false_positives=fp,
        false_negatives=fn,
        true_negatives=tn,
        per_kind=dict(sorted(pooled.items())),
        splits=dict(sorted(splits.items())),
        summary={name: score.rates() for name, score in sorted(splits.items())},
        mistakes=mistakes,
    )


def report_lines(score: CheckerScore) -> list[str]:
    """The score as text: a line per split (test in aggregate), recall per kind, dev mistakes."""
    lines: list[str] = []
    for name, split in score.splits.items():
        rates = split.rates()
        lines.append(
            f"{name}: {split.cases} cases, {split.errors} planted errors "
            f"({split.hard_errors} hard), {split.correct} correct claims; "
            f"hard-kind errors caught {rates['hard_recall']:.2f}, all kinds "
            f"{rates['recall']:.2f}; correct claims shipped {rates['correct_shipped']:.2f}, "
            f"failed {rates['false_alarms']:.2f}, contradicted {rates['false_contradicted']:.2f}; "
            f"{split.unmatched} labels matched no claim, {split.unlabelled} claims unlabelled"
        )
        kinds = ", ".join(f"{k} {c.flagged}/{c.total}" for k, c in split.per_kind.items())
        lines.append(f"  caught per kind: {kinds}")
    lines += [f"  dev mistake: {m}" for m in score.mistakes]
    return lines


def main(argv: list[str] | None = None) -> int:
    """`python -m app.verify.measure [cases dir]`: print the checker's score on the cases."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    cases = Path(args[0]) if args else Path("eval/checker/cases")
    sys.stdout.write("\n".join(report_lines(measure_checker(cases))) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
