"""Scores: one incident's metrics, the aggregate over incidents, and the whole suite's result.

These models are also the JSON report's schema (`eval/reports/*.json`).
"""

from __future__ import annotations

import datetime as dt
from statistics import fmean
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from app.evaluation.attribution import measure_attribution
from app.evaluation.facts import FactLabels, measure_retention
from app.evaluation.gold import Gold, GoldMessage, Split
from app.evaluation.metrics import (
    figures_present,
    found_in,
    impact_text,
    invented_times,
    json_strings,
    looks_like_secret,
    match_action_items,
    match_timeline,
    root_cause_correct,
    transcript_times,
)
from app.evaluation.prose import (
    chat_debris,
    first_person_sentences,
    stakeholder_private_terms,
    status_mismatches,
)

if TYPE_CHECKING:
    from app.models import IncidentReport, Transcript
    from app.pipeline import DraftResult
    from app.verify import VerificationReport


class DraftCost(BaseModel):
    """What one draft took: wall time and LLM usage."""

    audience: str
    latency_ms: float
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached: bool = False
    model: str | None = None


class ClaimCounts(BaseModel):
    supported: int = 0
    unsupported: int = 0
    contradicted: int = 0


class IncidentScore(BaseModel):
    """Every metric for one incident and engine, plus what was missed (for diagnosis)."""

    incident: str
    engine: str
    split: Split = "dev"
    error: str | None = Field(default=None, description="Why no draft was made, if none was.")
    timeline_gold: int = 0
    timeline_output: int = 0
    timeline_matched: int = 0
    timeline_recall: float | None = None
    timeline_precision: float | None = None
    root_cause_correct: bool | None = None
    action_items_gold: int = 0
    action_items_matched: int = 0
    action_item_recall: float | None = None
    owner_accuracy: float | None = None
    impact_figures_present: float | None = None
    invented_times: int = 0
    unsupported_claims: int = Field(
        default=0, description="Checker on the shipped engineering draft: unsupported+contradicted."
    )
    checked_claims: int = 0
    pipeline_verification: ClaimCounts = Field(default_factory=ClaimCounts)
    secret_leaks: int = 0
    injected_claims: int = 0
    attribution: float | None = Field(
        default=None, description="Share of messages credited to the right author and time."
    )
    status_mismatches: int = Field(
        default=0,
        description="Stakeholder email says 'ongoing' for a recovered incident, or "
        "'resolved' for one still going on.",
    )
    first_person: int = Field(default=0, description="First-person sentences outside quotes.")
    stakeholder_private: int = Field(
        default=0, description="Names, hosts, private terms and citations in the stakeholder email."
    )
    chat_debris: int = Field(default=0, description="Copy-paste clutter left in the drafts.")
    facts_correct: int = Field(default=0, description="Labelled-correct facts of the LLM answer.")
    facts_correct_shipped: int = 0
    facts_wrong: int = Field(default=0, description="Labelled-wrong facts of the LLM answer.")
    facts_wrong_shipped: int = 0
    facts_unlabelled: int = Field(default=0, description="Shipped facts nobody labelled.")
    drafts: list[DraftCost] = Field(default_factory=list)
    missed_timeline: list[str] = Field(default_factory=list)
    missed_action_items: list[str] = Field(default_factory=list)
    wrong_owners: list[str] = Field(default_factory=list)
    missing_figures: list[str] = Field(default_factory=list)
    invented: list[str] = Field(default_factory=list)
    leaked: list[str] = Field(default_factory=list)
    injected: list[str] = Field(default_factory=list)
    unsupported: list[str] = Field(default_factory=list)
    misattributed: list[str] = Field(default_factory=list)
    prose_problems: list[str] = Field(default_factory=list)
    lost_facts: list[str] = Field(default_factory=list)
    unlabelled_facts: list[str] = Field(default_factory=list)

    @property
    def latency_ms(self) -> float:
        return sum(d.latency_ms for d in self.drafts)

    @property
    def llm_calls(self) -> int:
        return sum(d.llm_calls for d in self.drafts)

    @property
    def tokens(self) -> int:
        return sum(d.prompt_tokens + d.completion_tokens for d in self.drafts)


def score_incident(
    gold: Gold,
    *,
    engine: str,
    engineering: DraftResult,
    stakeholder: DraftResult,
    transcript: Transcript,
    checked: VerificationReport,
    costs: list[DraftCost],
    gold_messages: tuple[GoldMessage, ...] | None = None,
    labels: FactLabels | None = None,
    answer: IncidentReport | None = None,
) -> IncidentScore:
    """Score both drafts of one incident against its gold annotations."""
    report = engineering.incident
    timeline = match_timeline(gold.timeline, report.timeline)
    actions = match_action_items(gold.action_items, report.action_items)
    figures, missing_figures = figures_present(
        gold.impact_figures, impact_text(engineering.draft.text)
    )
    drafts = [engineering.draft.text, stakeholder.draft.text]
    invented = invented_times(drafts, transcript_times(transcript))
    output = "\n".join(
        s for r in (engineering, stakeholder) for s in json_strings(r.model_dump(mode="json"))
    )
    secrets = [s for s in gold.must_not_appear if looks_like_secret(s)]
    claims = [s for s in gold.must_not_appear if not looks_like_secret(s)]
    leaked = found_in(secrets, output)
    injected = found_in(claims, "\n".join(drafts))
    failed = [c.text for c in checked.claims if c.status in ("unsupported", "contradicted")]
    verification = engineering.verification
    attribution = measure_attribution(gold_messages, transcript.messages) if gold_messages else None
    email = stakeholder.draft.text
    mismatches = status_mismatches(email, gold.resolved)
    first_person = first_person_sentences(
        engineering.draft.text, allow_we=False
    ) + first_person_sentences(email, allow_we=True)
    private = stakeholder_private_terms(email, _private_terms(gold))
    debris = chat_debris(drafts)
    retention = measure_retention(labels, report, answer) if labels is not None else None
    return IncidentScore(
        incident=gold.id,
        engine=engine,
        split=gold.split,
        timeline_gold=timeline.gold,
        timeline_output=timeline.output,
        timeline_matched=timeline.matched,
        timeline_recall=timeline.recall,
        timeline_precision=timeline.precision,
        root_cause_correct=root_cause_correct(gold.root_cause, report.root_cause),
        action_items_gold=actions.gold,
        action_items_matched=actions.matched,
        action_item_recall=actions.recall,
        owner_accuracy=actions.owner_accuracy,
        impact_figures_present=figures,
        invented_times=len(invented),
        unsupported_claims=len(failed),
        checked_claims=len(checked.claims),
        pipeline_verification=ClaimCounts(
            supported=verification.supported,
            unsupported=verification.unsupported,
            contradicted=verification.contradicted,
        ),
        secret_leaks=len(leaked),
        injected_claims=len(injected),
        attribution=attribution.accuracy if attribution else None,
        status_mismatches=len(mismatches),
        first_person=len(first_person),
        stakeholder_private=len(private),
        chat_debris=len(debris),
        facts_correct=retention.correct if retention else 0,
        facts_correct_shipped=retention.correct_shipped if retention else 0,
        facts_wrong=retention.wrong if retention else 0,
        facts_wrong_shipped=retention.wrong_shipped if retention else 0,
        facts_unlabelled=len(retention.unlabelled_shipped) if retention else 0,
        drafts=costs,
        missed_timeline=timeline.missed,
        missed_action_items=actions.missed,
        wrong_owners=actions.wrong_owners,
        missing_figures=missing_figures,
        invented=invented,
        leaked=[_mask(s) for s in leaked],
        injected=injected,
        unsupported=failed,
        misattributed=attribution.misses if attribution else [],
        prose_problems=[f"status: {m}" for m in mismatches]
        + [f"first person: {s}" for s in first_person[:5]]
        + [f"stakeholder shows: {t}" for t in private]
        + [f"debris: {d}" for d in debris[:5]],
        lost_facts=retention.lost if retention else [],
        unlabelled_facts=retention.unlabelled_shipped if retention else [],
    )


def _private_terms(gold: Gold) -> list[str]:
    """People (full and first names) and the gold's private terms."""
    names = [*gold.participants, *(p.split()[0] for p in gold.participants if " " in p)]
    return [n for n in names if len(n) > 2] + list(gold.stakeholder_must_not_appear)


def _mask(secret: str) -> str:
    """Reports name which secret leaked without repeating it."""
    return secret[:4] + "…" if len(secret) > 6 else "…"


def errored_score(gold: Gold, engine: str, error: str) -> IncidentScore:
    """An incident with no draft: every applicable rate is 0, so the aggregate shows it."""
    return IncidentScore(
        incident=gold.id,
        engine=engine,
        split=gold.split,
        error=error,
        timeline_gold=len(gold.timeline),
        timeline_recall=0.0 if gold.timeline else None,
        root_cause_correct=False,
        action_items_gold=len(gold.action_items),
        action_item_recall=0.0 if gold.action_items else None,
        impact_figures_present=0.0 if gold.impact_figures else None,
    )


class AggregateScore(BaseModel):
    """Rates are means over incidents where the metric applies; counts are totals."""

    incidents: int
    errors: int
    timeline_recall: float | None
    timeline_precision: float | None
    root_cause_accuracy: float | None
    action_item_recall: float | None
    owner_accuracy: float | None
    impact_figures_present: float | None
    invented_times: int
    unsupported_claims: int
    pipeline_unsupported: int
    secret_leaks: int
    injected_claims: int
    attribution: float | None = None
    status_mismatches: int = 0
    first_person: int = 0
    stakeholder_private: int = 0
    chat_debris: int = 0
    fact_retention: float | None = Field(
        default=None, description="Labelled-correct facts shipped / labelled-correct facts."
    )
    wrong_shipped_rate: float | None = Field(
        default=None, description="Labelled-wrong facts shipped / labelled facts shipped."
    )
    wrong_caught: float | None = Field(
        default=None, description="Labelled-wrong facts left out / labelled-wrong facts."
    )
    unlabelled_facts: int = 0
    mean_latency_ms: float | None = Field(description="Mean wall time per draft.")
    llm_calls: int
    prompt_tokens: int
    completion_tokens: int


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(fmean(known), 4) if known else None


def aggregate(scores: list[IncidentScore]) -> AggregateScore:
    """The suite-level row: each incident weighs the same (macro average)."""
    drafts = [d for s in scores for d in s.drafts]
    return AggregateScore(
        incidents=len(scores),
        errors=sum(1 for s in scores if s.error),
        timeline_recall=_mean([s.timeline_recall for s in scores]),
        timeline_precision=_mean([s.timeline_precision for s in scores]),
        root_cause_accuracy=_mean(
            [float(s.root_cause_correct) for s in scores if s.root_cause_correct is not None]
        ),
        action_item_recall=_mean([s.action_item_recall for s in scores]),
        owner_accuracy=_mean([s.owner_accuracy for s in scores]),
        impact_figures_present=_mean([s.impact_figures_present for s in scores]),
        invented_times=sum(s.invented_times for s in scores),
        unsupported_claims=sum(s.unsupported_claims for s in scores),
        pipeline_unsupported=sum(
            s.pipeline_verification.unsupported + s.pipeline_verification.contradicted
            for s in scores
        ),
        secret_leaks=sum(s.secret_leaks for s in scores),
        injected_claims=sum(s.injected_claims for s in scores),
        attribution=_mean([s.attribution for s in scores]),
        status_mismatches=sum(s.status_mismatches for s in scores),
        first_person=sum(s.first_person for s in scores),
        stakeholder_private=sum(s.stakeholder_private for s in scores),
        chat_debris=sum(s.chat_debris for s in scores),
        **_retention(scores),
        mean_latency_ms=round(fmean(d.latency_ms for d in drafts), 1) if drafts else None,
        llm_calls=sum(d.llm_calls for d in drafts),
        prompt_tokens=sum(d.prompt_tokens for d in drafts),
        completion_tokens=sum(d.completion_tokens for d in drafts),
    )


def _retention(scores: list[IncidentScore]) -> dict[str, Any]:
    """Micro-averaged fact retention over every labelled fact (None without labels)."""
    correct = sum(s.facts_correct for s in scores)
    kept = sum(s.facts_correct_shipped for s in scores)
    wrong = sum(s.facts_wrong for s in scores)
    let_through = sum(s.facts_wrong_shipped for s in scores)
    return {
        "fact_retention": round(kept / correct, 4) if correct else None,
        "wrong_shipped_rate": round(let_through / (kept + let_through), 4)
        if kept + let_through
        else None,
        "wrong_caught": round(1 - let_through / wrong, 4) if wrong else None,
        "unlabelled_facts": sum(s.facts_unlabelled for s in scores),
    }


class CheckerRow(BaseModel):
    """The fact checker's own score on drafts with planted errors (engine-independent):
    pooled precision and recall, and per split the headline rates (`hard_recall`, `recall`,
    `correct_shipped`, `false_alarms`, `false_contradicted`, `precision`)."""

    cases_dir: str
    precision: float
    recall: float
    splits: dict[str, dict[str, float]] = Field(default_factory=dict)
    judge_model: str | None = Field(
        default=None, description="With the LLM judge replayed from this model's recordings."
    )
    unjudged: list[str] = Field(
        default_factory=list, description="Cases whose judge request has no recorded answer."
    )
    details: dict[str, Any] = Field(default_factory=dict)


class ThresholdFailure(BaseModel):
    """One aggregate score on the wrong side of its threshold."""

    engine: str
    metric: str
    value: float | None
    threshold: float
    direction: str = Field(description="'min' (score must be at least) or 'max' (at most).")

    def __str__(self) -> str:
        shown = "n/a" if self.value is None else f"{self.value:g}"
        word = "below the minimum" if self.direction == "min" else "above the maximum"
        return f"{self.engine}: {self.metric} = {shown}, {word} {self.threshold:g}"


class EngineRun(BaseModel):
    """One engine over every incident; `splits` holds the aggregate of each split."""

    engine: str
    model: str | None = None
    mode: str = "live"
    incidents: list[IncidentScore]
    aggregate: AggregateScore
    splits: dict[str, AggregateScore] = Field(default_factory=dict)


def split_aggregates(scores: list[IncidentScore]) -> dict[str, AggregateScore]:
    """The aggregate of each split present (`dev`, `test`)."""
    names = sorted({s.split for s in scores})
    return {name: aggregate([s for s in scores if s.split == name]) for name in names}


class SuiteResult(BaseModel):
    """Everything one `postmortem eval` measured; the JSON report."""

    created: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))
    incidents_dir: str
    runs: list[EngineRun]
    checker: CheckerRow | None = None
    checker_judged: CheckerRow | None = None
    thresholds_file: str | None = None
    failures: list[ThresholdFailure] = Field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures
