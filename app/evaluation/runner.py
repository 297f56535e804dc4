"""Run the pipeline over the sample incidents, per engine, and score every draft.

Each engine gets one `EngineRegistry` for the whole suite and drafts both audiences per incident
from it, so the LLM engine's cache serves the second audience (as it does in the service).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx
from pydantic import ValidationError

from app.config import Settings
from app.engines.registry import ENGINE_NAMES, EngineRegistry
from app.errors import ConfigurationError, InvalidRequestError, PostmortemError
from app.evaluation.checker_judge import measure_checker_with_judge
from app.evaluation.facts import load_labels, unlabelled_facts
from app.evaluation.gold import Incident
from app.evaluation.played import write_worksheet
from app.evaluation.recording import (
    REPLAY_API_KEY,
    REPLAY_BASE_URL,
    RecordingError,
    RecordingTransport,
    ReplayTransport,
    recorded_settings,
    recording_path,
    replay_model,
    replay_settings,
)
from app.evaluation.scores import (
    CheckerRow,
    DraftCost,
    EngineRun,
    IncidentScore,
    SuiteResult,
    aggregate,
    errored_score,
    score_incident,
    split_aggregates,
)
from app.ingest.upload import Upload
from app.models import Audience
from app.pipeline import DraftOptions, DraftResult, create_draft, ingest
from app.verify import verify_draft
from app.verify.measure import CaseError, CheckerScore, measure_checker

Mode = Literal["live", "record", "replay"]
AUDIENCES: tuple[Audience, ...] = ("engineering", "stakeholder")
Transport = RecordingTransport | ReplayTransport


RULES_ONLY = "+rules"


@dataclass(frozen=True)
class EngineSpec:
    """An engine, and for the LLM engine optionally the model: `llm:gpt-4o-mini`.
    `llm+rules:<model>` is the same LLM engine with `PM_VERIFY_WITH_LLM=false` (no judge or
    repair calls: the checker's rules alone), to compare against the same recordings."""

    engine: str
    model: str | None = None
    rules_only: bool = False

    @property
    def label(self) -> str:
        name = self.engine + (RULES_ONLY if self.rules_only else "")
        return f"{name}:{self.model}" if self.model else name

    @classmethod
    def parse(cls, text: str, default_model: str | None = None) -> EngineSpec:
        engine, _, model = text.strip().partition(":")
        rules_only = engine.endswith(RULES_ONLY)
        engine = engine.removesuffix(RULES_ONLY)
        if engine not in ENGINE_NAMES or (rules_only and engine != "llm"):
            raise InvalidRequestError(
                f"unknown engine {engine!r} in {text!r}",
                hint=f"use one of {', '.join(ENGINE_NAMES)}, llm:<model> or llm+rules:<model>",
            )
        if engine == "extractive":
            if model:
                raise InvalidRequestError(f"the extractive engine takes no model ({text!r})")
            return cls("extractive")
        return cls("llm", model or default_model, rules_only)


def engine_specs(engine: str, compare: str | None, model: str | None) -> list[EngineSpec]:
    """The engines to run: `--compare a,b` or the single `--engine` (with `--model`)."""
    texts = [t for t in (compare or "").split(",") if t.strip()] or [engine]
    specs = [EngineSpec.parse(t, model) for t in texts]
    labels = [s.label for s in specs]
    if len(set(labels)) != len(labels):
        raise InvalidRequestError(f"an engine is named twice in {compare!r}")
    return specs


def _settings(values: dict[str, Any]) -> Settings:
    """Settings from the environment, `values` (PM_* names) taking precedence."""
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigurationError(f"invalid configuration: {problems}") from None


@dataclass
class EngineSetup:
    """What one engine runs with: its settings and, when recording or replaying, the transport."""

    spec: EngineSpec
    settings: Settings
    transport: Transport | None = None

    @property
    def model(self) -> str | None:
        return self.settings.llm_model if self.spec.engine == "llm" else None


def setup_engine(
    spec: EngineSpec,
    incidents: list[Incident],
    mode: Mode,
    upstream: httpx.AsyncBaseTransport | None = None,
    collect: Path | None = None,
) -> EngineSetup:
    """Settings and transport for one engine; replay needs no endpoint, only the recordings."""
    if spec.engine == "extractive":
        # The offline engine reads no settings; do not let the developer's PM_LLM_* matter.
        return EngineSetup(spec, Settings.model_construct())
    if mode == "replay":
        model = spec.model or replay_model(incidents)
        values: dict[str, Any] = {
            **replay_settings(incidents, model),
            "PM_LLM_BASE_URL": REPLAY_BASE_URL,
            "PM_LLM_API_KEY": REPLAY_API_KEY,
            "PM_LLM_MODEL": model,
            "PM_LLM_API_VERSION": None,
            "PM_DEFAULT_ENGINE": "llm",
            **({"PM_VERIFY_WITH_LLM": False} if spec.rules_only else {}),
        }
        return EngineSetup(spec, _settings(values), ReplayTransport(collect))
    settings = _settings(
        ({"PM_LLM_MODEL": spec.model} if spec.model else {})
        | ({"PM_VERIFY_WITH_LLM": False} if spec.rules_only else {})
    )
    if not settings.llm_configured or not settings.llm_model:
        raise ConfigurationError(
            f"engine {spec.label} needs an LLM endpoint",
            hint="set PM_LLM_BASE_URL (or PM_LLM_API_KEY) and PM_LLM_MODEL, or --model; "
            "or use --replay to answer from recordings",
        )
    if mode == "record":
        transport = RecordingTransport(
            upstream or httpx.AsyncHTTPTransport(),
            settings.llm_model,
            recorded_settings(settings),
        )
        return EngineSetup(spec, settings, transport)
    return EngineSetup(spec, settings)


@asynccontextmanager
async def _http_client(transport: Transport | None) -> AsyncIterator[httpx.AsyncClient | None]:
    if transport is None:
        yield None
        return
    async with httpx.AsyncClient(transport=transport, follow_redirects=True) as client:
        yield client


async def _draft(
    text: str | Upload, options: DraftOptions, engines: EngineRegistry
) -> tuple[DraftResult, float]:
    started = time.perf_counter()
    result = await create_draft(text, options, engines)
    return result, (time.perf_counter() - started) * 1000


def _cost(result: DraftResult, latency_ms: float) -> DraftCost:
    return DraftCost(
        audience=result.audience,
        latency_ms=round(latency_ms, 1),
        llm_calls=result.usage.llm_calls,
        prompt_tokens=result.usage.prompt_tokens,
        completion_tokens=result.usage.completion_tokens,
        cached=result.usage.cached,
        model=result.usage.model,
    )


async def run_incident(
    incident: Incident, setup: EngineSetup, engines: EngineRegistry
) -> IncidentScore:
    """Both audiences' drafts of one incident, scored; a failed draft is an errored score."""
    gold = incident.gold
    text = incident.source()
    transport = setup.transport
    model = setup.model
    if transport is not None and model:
        transport.start(recording_path(incident, model))
    drafts: dict[str, tuple[DraftResult, float]] = {}
    failure: PostmortemError | None = None
    try:
        for audience in AUDIENCES:
            options = DraftOptions(audience=audience, engine=setup.spec.engine)
            drafts[audience] = await _draft(text, options, engines)
    except ConfigurationError:
        raise
    except PostmortemError as exc:
        failure = exc
    if isinstance(transport, RecordingTransport):
        transport.save()  # failed runs too: replaying them reproduces the failure
    if isinstance(transport, ReplayTransport):
        transport.check()  # a missing recording explains a failure better than the failure
    if failure is not None:
        return errored_score(gold, setup.spec.label, failure.detail)

    (engineering, eng_ms), (stakeholder, stk_ms) = drafts["engineering"], drafts["stakeholder"]
    transcript, _, _ = ingest(text)
    checked = verify_draft(engineering.draft.text, transcript)
    labels = load_labels(incident.recordings_dir, model) if model else None
    answer = None
    if labels is not None:
        # The extraction answer before any check: cached by the first draft, no new call.
        answer = (await engines.get(setup.spec.engine).extract(transcript)).report
    if isinstance(transport, ReplayTransport) and transport.collect_dir and model:
        extraction = await engines.get(setup.spec.engine).extract(transcript)  # cached: no call
        write_worksheet(
            transport.collect_dir / incident.id,
            model,
            transcript,
            unlabelled_facts(labels, extraction.report, engineering.incident),
        )
    return score_incident(
        gold,
        engine=setup.spec.label,
        engineering=engineering,
        stakeholder=stakeholder,
        transcript=transcript,
        checked=checked,
        costs=[_cost(engineering, eng_ms), _cost(stakeholder, stk_ms)],
        gold_messages=incident.messages,
        labels=labels,
        answer=answer,
    )


async def run_engine(
    spec: EngineSpec,
    incidents: list[Incident],
    mode: Mode = "live",
    upstream: httpx.AsyncBaseTransport | None = None,
    collect: Path | None = None,
    progress: Callable[[float, float, str], None] | None = None,
) -> EngineRun:
    """Every incident through one engine (one registry, so the LLM cache spans audiences);
    `progress(done, total, label)` hears of each incident."""
    setup = setup_engine(spec, incidents, mode, upstream, collect)
    async with _http_client(setup.transport) as client:
        engines = EngineRegistry(setup.settings, http_client=client)
        scores = []
        for number, incident in enumerate(incidents):
            if progress is not None:
                progress(number, len(incidents), f"{spec.label}: {incident.id}")
            scores.append(await run_incident(incident, setup, engines))
    return EngineRun(
        engine=spec.label,
        model=setup.model,
        mode=mode if spec.engine == "llm" else "live",
        incidents=scores,
        aggregate=aggregate(scores),
        splits=split_aggregates(scores),
    )


def checker_cases_dir(directory: Path | None) -> Path | None:
    """The folder of checker cases: `<dir>/cases` when present (eval/checker's layout), else
    `<dir>`; None when it holds no case files."""
    if directory is None:
        return None
    cases = directory / "cases" if (directory / "cases").is_dir() else directory
    return cases if any(cases.glob("*.json")) else None


def measure_checker_row(directory: Path | None) -> CheckerRow | None:
    """The checker's precision and recall on planted-error drafts, when there are cases."""
    cases = checker_cases_dir(directory)
    if cases is None:
        return None
    try:
        score = measure_checker(cases)
    except (CaseError, ValidationError, OSError) as exc:
        raise InvalidRequestError(f"checker cases in {cases}: {exc}") from None
    return _checker_row(cases, score)


async def measure_judged_checker_row(
    directory: Path | None, model: str, collect: Path | None
) -> CheckerRow | None:
    """The same cases with the LLM judge replayed from `model`'s recordings."""
    cases = checker_cases_dir(directory)
    if cases is None:
        return None
    try:
        score, unjudged = await measure_checker_with_judge(cases, model, collect=collect)
    except (CaseError, ValidationError, OSError) as exc:
        raise InvalidRequestError(f"checker cases in {cases}: {exc}") from None
    row = _checker_row(cases, score)
    return row.model_copy(update={"judge_model": model, "unjudged": unjudged})


def _checker_row(cases: Path, score: CheckerScore) -> CheckerRow:
    return CheckerRow(
        cases_dir=str(cases),
        precision=score.precision,
        recall=score.recall,
        splits=score.summary,
        details=score.model_dump(
            mode="json", exclude={"precision", "recall", "summary", "mistakes"}
        ),
    )


async def run_suite(
    incidents: list[Incident],
    specs: list[EngineSpec],
    *,
    mode: Mode = "live",
    checker_cases: Path | None = None,
    upstream: httpx.AsyncBaseTransport | None = None,
    collect: Path | None = None,
    checker_model: str | None = None,
    progress: Callable[[float, float, str], None] | None = None,
) -> SuiteResult:
    """All engines over all incidents, plus the checker's own score. With `collect` (replay
    mode), requests the recordings lack are written there to be answered."""
    runs = [await run_engine(spec, incidents, mode, upstream, collect, progress) for spec in specs]
    return SuiteResult(
        incidents_dir=str(incidents[0].directory.parent) if incidents else "",
        runs=runs,
        checker=measure_checker_row(checker_cases),
        checker_judged=await measure_judged_checker_row(checker_cases, checker_model, collect)
        if checker_model
        else None,
    )


__all__ = [
    "EngineSpec",
    "Mode",
    "RecordingError",
    "engine_specs",
    "run_engine",
    "run_incident",
    "run_suite",
]
