"""The pipeline's synchronous steps: plain functions over typed values, the functional core.

prepare (parse and redact) -> extract (offline engine) -> finish (verify and render), and for
/verify: prepare the transcript and the draft -> check. `app.pipeline` runs them through a
`StepRunner` (inline for the CLI and the eval, worker processes for the service), with the LLM
calls between them on the event loop. Every argument and result crosses a process boundary, so
each is a picklable value; the `*_json` variants serialize the final result inside the worker,
so the server process only passes bytes on.

The checker's judge hook is async; its rules-only pass and its pass with the LLM's verdicts run
here through judges that never wait (`_RecordingJudge`, `ReplayJudge`), so the LLM call itself
happens on the event loop in between.

The parsed transcript travels as a `Parcel` (pickled once, in the worker that parsed it), and
steps take it as `Transcript | Deferred[Transcript]`, opened where they run. On the llm
engine's path the judge's prompt is built with its questions, and verifying with the judge's
verdicts also finishes the draft when nothing needs repair, so a clean draft costs four
steps and two passes of the checker (`verify_or_finish`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Coroutine, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast

from pydantic import BaseModel, Field

from app.engines.extractive import extract_report
from app.ingest import IngestReport, parse_transcript
from app.ingest.upload import Upload
from app.llm.repair import Problem, RepairAnswer, RepairRecord, repair_problems
from app.llm.review import RepairOutcome, RepairPlan, RepairRequest, plan_repair, repair_request
from app.models import (
    Audience,
    Draft,
    Extraction,
    IncidentReport,
    Message,
    Transcript,
    Usage,
    hhmm,
)
from app.redact import Finding, redact_text, redact_transcript
from app.verify import (
    MAX_CLAIMS,
    ClaimJudge,
    JudgeRequest,
    JudgeVerdict,
    VerificationReport,
    verify_draft,
    verify_draft_with_judge,
    verify_report,
    verify_report_with_judge,
)
from app.verify.judge_prompt import judge_messages
from app.workers import Deferred, Parcel, opened

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam

    from app.analysis import Finished

T = TypeVar("T")
Source = Transcript | Deferred[Transcript]


class DraftOptions(BaseModel):
    """What the caller asked for."""

    audience: Audience = "engineering"
    engine: str | None = None
    format: str | None = None
    date: dt.date | None = None
    timezone: str | None = None
    keep_unverified: bool = False
    keep_items: list[str] = Field(default_factory=list)


class DraftResult(BaseModel):
    """A draft plus everything needed to trust it."""

    audience: Audience
    engine: str
    incident: IncidentReport = Field(
        description="The extracted report; timeline times are ISO 8601 when the date is known."
    )
    draft: Draft
    messages: list[Message] = Field(description="The parsed transcript, secrets redacted.")
    verification: VerificationReport
    usage: Usage
    warnings: list[str]
    redactions: list[Finding] = Field(description="Secrets removed before processing.")
    ingest: IngestReport | None = Field(
        default=None, description="What ingest read: format, line counts, uncertain lines."
    )
    repairs: list[RepairRecord] = Field(
        default_factory=list,
        description="llm engine: each item that failed the fact check, sent back to the model "
        "once, and whether it was corrected (and kept) or withdrawn or dropped.",
    )


class Prepared(BaseModel):
    """A parsed, redacted transcript: the only form any later step (or an LLM) ever sees."""

    transcript: Transcript
    findings: list[Finding]
    warnings: list[str]


def ingest(
    text: str | Upload,
    *,
    format: str | None = None,
    date: dt.date | None = None,
    timezone: str | None = None,
) -> tuple[Transcript, list[Finding], list[str]]:
    """Parse and redact a transcript (text, or an uploaded export): the only form any later
    step (or an LLM) ever sees."""
    if isinstance(text, Upload):
        parsed = text.parse(format=format, date=date, timezone=timezone)
    else:
        parsed = parse_transcript(text, format=format, date=date, timezone=timezone)
    redaction = redact_transcript(parsed)
    warnings = list(parsed.warnings)
    summary = redaction.summary()
    if summary:
        warnings.append(summary)
    return redaction.transcript, redaction.findings, warnings


def prepare_transcript(
    text: str | Upload, format: str | None, date: dt.date | None, timezone: str | None
) -> Prepared:
    """Step 1 (prepare): parse and redact."""
    transcript, findings, warnings = ingest(text, format=format, date=date, timezone=timezone)
    return Prepared(transcript=transcript, findings=findings, warnings=warnings)


def prepare_parcel(
    text: str | Upload, format: str | None, date: dt.date | None, timezone: str | None
) -> Parcel[Prepared]:
    """Step 1 (prepare) for the service: parse and redact; the result goes back to the server
    pickled once, here, and stays bytes there."""
    return Parcel(prepare_transcript(text, format, date, timezone))


def extract_offline(transcript: Source) -> Extraction:
    """Step 2 for the offline engine: the extractive rules, synchronous and deterministic."""
    return extract_report(opened(transcript))


def report_judge_requests(report: IncidentReport, transcript: Source) -> list[JudgeRequest]:
    """The claims of `report` the checker's rules cannot settle, as questions for the judge."""
    recorder = _RecordingJudge()
    completed(verify_report_with_judge(report, opened(transcript), recorder))
    return recorder.requests


class JudgeQuestions(NamedTuple):
    """The claims the rules cannot settle, and the judge's prompt for them (when asked for)."""

    requests: list[JudgeRequest]
    messages: list[ChatCompletionMessageParam] | None


def judge_questions(
    report: IncidentReport, transcript: Source, with_prompt: bool
) -> JudgeQuestions:
    """`report_judge_requests`, and the judge's messages for them (`with_prompt`)."""
    chat = opened(transcript)
    requests = report_judge_requests(report, chat)
    messages = judge_messages(requests, chat) if with_prompt and requests else None
    return JudgeQuestions(requests, messages)


def judge_prompt(requests: list[JudgeRequest], transcript: Source) -> list[Any]:
    """The judge's messages for `requests` (a step: it quotes the chat)."""
    return judge_messages(requests, opened(transcript))


def failed_items(
    report: IncidentReport, transcript: Source, judged: list[JudgeVerdict] | None
) -> list[Problem]:
    """The report's items that failed a hard check or the judge: what the repair step sends."""
    _, verification = verified(report, opened(transcript), judged, keep_failed=True)
    return repair_problems(report, verification)


class RepairNeeded(NamedTuple):
    """Items failed the fact check: what to send back to the model (None: it cannot fit)."""

    problems: list[Problem]
    request: RepairRequest | None


RepairSettings = tuple[str, dict[str, Any] | None, int, int]  # see review.ask_repair_settings


def verify_or_finish(
    source: Prepared | Deferred[Prepared],
    extraction: Extraction,
    options: DraftOptions,
    engine: str,
    usage: Usage,
    judged: list[JudgeVerdict] | None,
    degraded: bool,
    output: Callable[[DraftResult], T],
    repair: RepairSettings | None,
) -> Finished[T] | RepairNeeded:
    """Verify the extraction with the judge's verdicts once: when `repair` is asked for and
    items failed, the repair request for them; else the finished draft and its analysis (the
    same verdicts both ways: what ships, keep_unverified or keep_items, is decided after)."""
    from app.analysis import Finished, analysis_of, encode_analysis, render_analysis

    prepared = opened(source)
    marked, verification = verified(
        extraction.report, prepared.transcript, judged, keep_failed=True
    )
    if repair is not None:
        problems = repair_problems(extraction.report, verification)
        if problems:
            return RepairNeeded(problems, repair_request(problems, prepared.transcript, *repair))
    analysis = analysis_of(
        prepared, extraction, options, engine, usage, marked, verification, None, degraded
    )
    result = render_analysis(analysis, options.audience, options.keep_items)
    return Finished(encode_analysis(analysis), degraded, output(result))


def repair_plan(
    outcome: RepairOutcome,
    answer: RepairAnswer,
    report: IncidentReport,
    transcript: Source,
    asked: list[JudgeRequest],
    judged: list[JudgeVerdict] | None,
) -> RepairPlan:
    """The repaired report, and which of its claims the judge must still be asked about."""
    chat = opened(transcript)
    return plan_repair(
        outcome,
        answer,
        report,
        chat,
        asked,
        judged or [],
        lambda repaired: report_judge_requests(repaired, chat),
    )


def verified(
    report: IncidentReport,
    transcript: Transcript,
    judged: list[JudgeVerdict] | None,
    *,
    keep_failed: bool,
) -> tuple[IncidentReport, VerificationReport]:
    if judged is None:
        return verify_report(report, transcript, keep_failed=keep_failed)
    return completed(
        verify_report_with_judge(report, transcript, ReplayJudge(judged), keep_failed=keep_failed)
    )


def completed(coroutine: Coroutine[Any, Any, T]) -> T:
    """The result of a coroutine that never suspends (the checker with a recording or replaying
    judge): run synchronously, inside or outside an event loop."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return cast(T, done.value)
    coroutine.close()
    raise RuntimeError("a synchronous step awaited real I/O")


class _RecordingJudge:
    """A judge that answers nothing and remembers what it was asked (the rules-only pass)."""

    def __init__(self) -> None:
        self.requests: list[JudgeRequest] = []

    async def judge(
        self, claims: Sequence[JudgeRequest], transcript: Transcript
    ) -> list[JudgeVerdict]:
        del transcript
        self.requests = list(claims)
        return []


class ReplayJudge:
    """A judge that gives back verdicts an LLM judge already gave for the same questions."""

    def __init__(self, verdicts: list[JudgeVerdict]) -> None:
        self.verdicts = verdicts

    async def judge(
        self, claims: Sequence[JudgeRequest], transcript: Transcript
    ) -> list[JudgeVerdict]:
        del claims, transcript
        return self.verdicts


def anchor_times(report: IncidentReport, transcript: Transcript) -> IncidentReport:
    """Timeline times as ISO 8601 where the cited message carries a full timestamp."""
    entries = []
    for entry in report.timeline:
        message = transcript.message(entry.evidence[0])
        if message is None or message.timestamp is None or "T" in entry.time:
            entries.append(entry)
            continue
        # `entry.time` is a validated 'HH:MM[:SS]' here (TimelineEntry normalises it).
        hours, minutes = (int(p) for p in hhmm(entry.time).split(":"))
        seconds = int(entry.time[6:8]) if len(entry.time) >= 8 else 0
        stamp = message.timestamp.replace(hour=hours, minute=minutes, second=seconds)
        try:
            if stamp - message.timestamp > dt.timedelta(hours=12):
                stamp -= dt.timedelta(days=1)  # "the 23:50 deploy", said after midnight
        except OverflowError:  # the day before 0001-01-01: keep the wall-clock time
            entries.append(entry)
            continue
        entries.append(entry.model_copy(update={"time": stamp.isoformat()}))
    return report.model_copy(update={"timeline": entries})


class VerifyOutcome(BaseModel):
    """Every claim of the draft with its status, plus the transcript it was checked against."""

    verification: VerificationReport
    messages: list[Message] = Field(description="The parsed transcript, secrets redacted.")
    warnings: list[str]
    redactions: list[Finding]
    ingest: IngestReport | None = None


class PreparedCheck(BaseModel):
    """A parsed, redacted transcript and a redacted draft, ready to be checked."""

    prepared: Prepared
    draft: str
    draft_findings: list[Finding]
    max_claims: int = MAX_CLAIMS


def prepare_check(
    transcript_text: str | Upload,
    draft: str,
    format: str | None,
    date: dt.date | None,
    timezone: str | None,
    max_claims: int = MAX_CLAIMS,
) -> PreparedCheck:
    """Step 1 of /verify: parse and redact the transcript, redact the draft."""
    prepared = prepare_transcript(transcript_text, format, date, timezone)
    safe_draft, draft_findings = redact_text(draft)
    if draft_findings:
        prepared.warnings.append(
            f"{len(draft_findings)} secret(s) in the draft were redacted first"
        )
    return PreparedCheck(
        prepared=prepared, draft=safe_draft, draft_findings=draft_findings, max_claims=max_claims
    )


def draft_judge_requests(check: PreparedCheck) -> list[JudgeRequest]:
    """The draft's claims the rules cannot settle, as questions for the judge."""
    recorder = _RecordingJudge()
    completed(
        verify_draft_with_judge(
            check.draft, check.prepared.transcript, recorder, max_claims=check.max_claims
        )
    )
    return recorder.requests


def draft_judge_questions(check: PreparedCheck, with_prompt: bool) -> JudgeQuestions:
    """`draft_judge_requests`, and the judge's messages for them (`with_prompt`)."""
    requests = draft_judge_requests(check)
    transcript = check.prepared.transcript
    messages = judge_messages(requests, transcript) if with_prompt and requests else None
    return JudgeQuestions(requests, messages)


def finish_check(check: PreparedCheck, judged: list[JudgeVerdict] | None = None) -> VerifyOutcome:
    """Step 2 of /verify: every claim's verdict (the judge's where it gave one)."""
    transcript = check.prepared.transcript
    if judged is None:
        report = verify_draft(check.draft, transcript, max_claims=check.max_claims)
    else:
        judge: ClaimJudge = ReplayJudge(judged)
        report = completed(
            verify_draft_with_judge(check.draft, transcript, judge, max_claims=check.max_claims)
        )
    return VerifyOutcome(
        verification=report,
        messages=transcript.messages,
        warnings=check.prepared.warnings,
        redactions=check.prepared.findings + check.draft_findings,
        ingest=transcript.ingest,
    )


def finish_check_json(check: PreparedCheck, judged: list[JudgeVerdict] | None = None) -> bytes:
    """`finish_check`, serialized in the worker."""
    return finish_check(check, judged).model_dump_json().encode("utf-8")
