"""The pipeline, one direction: ingest -> redact -> extract -> verify -> render.

Routes and the CLI call `create_draft` (a draft from a transcript) and `verify_text` (check any
draft against a transcript); each step lives in its own module.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from app.engines.base import Engine
from app.engines.registry import EngineRegistry
from app.errors import UpstreamError
from app.ingest import IngestReport, parse_transcript
from app.ingest.upload import Upload
from app.llm.repair import RepairRecord
from app.llm.retry import Deadline
from app.llm.review import review_extraction
from app.models import Audience, Draft, Extraction, IncidentReport, Message, Transcript, Usage, hhmm
from app.redact import Finding, redact_text, redact_transcript
from app.render import render_draft, review_of
from app.verify import (
    ClaimJudge,
    VerificationReport,
    verify_draft,
    verify_draft_with_judge,
    verify_report,
)


class DraftOptions(BaseModel):
    """What the caller asked for."""

    audience: Audience = "engineering"
    engine: str | None = None
    format: str | None = None
    date: dt.date | None = None
    timezone: str | None = None
    keep_unverified: bool = False


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
    repairs: list[RepairRecord] = Field(
        default_factory=list,
        description="llm engine: each item that failed the fact check, sent back to the model "
        "once, and whether it was corrected (and kept) or withdrawn or dropped.",
    )
    ingest: IngestReport | None = Field(
        default=None, description="What ingest read: format, line counts, uncertain lines."
    )


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


async def create_draft(
    text: str | Upload, options: DraftOptions, engines: EngineRegistry
) -> DraftResult:
    """Run the whole pipeline for one transcript and audience."""
    transcript, findings, warnings = ingest(
        text, format=options.format, date=options.date, timezone=options.timezone
    )
    engine = engines.get(options.engine)
    deadline = engines.deadline()  # one PM_LLM_TIME_BUDGET for every LLM call of this request
    extraction = await _extract(engine, transcript, deadline)
    warnings.extend(extraction.warnings)

    report, verification, usage, repairs = await _verify_extraction(
        extraction.report, transcript, engine.name, engines, options, warnings, deadline
    )
    usage = extraction.usage.model_copy(
        update={
            "llm_calls": extraction.usage.llm_calls + usage.llm_calls,
            "prompt_tokens": extraction.usage.prompt_tokens + usage.prompt_tokens,
            "completion_tokens": extraction.usage.completion_tokens + usage.completion_tokens,
        }
    )
    review = review_of(
        extraction.report,
        report,
        [c.status for c in verification.claims],
        keep_unverified=options.keep_unverified,
        redactions=len(findings),
    )
    if review.withheld_total:
        warnings.append(
            f"{review.withheld_total} extracted item(s) failed verification against the "
            "transcript and were left out of the draft; see `verification`"
        )

    draft = render_draft(report, transcript, options.audience, review=review)
    safe_text, late_findings = redact_text(draft.text)  # belt and braces: nothing slips out
    if late_findings:
        warnings.append(f"{len(late_findings)} secret(s) were removed from the rendered draft")
    return DraftResult(
        audience=options.audience,
        engine=engine.name,
        incident=anchor_times(report, transcript),
        draft=Draft(format=draft.format, text=safe_text),
        messages=transcript.messages,
        verification=verification,
        usage=usage,
        warnings=warnings,
        redactions=findings,
        repairs=repairs,
        ingest=transcript.ingest,
    )


async def _extract(engine: Engine, transcript: Transcript, deadline: Deadline) -> Extraction:
    from app.engines.llm import LLMEngine

    if isinstance(engine, LLMEngine):
        return await engine.extract(transcript, deadline=deadline)
    return await engine.extract(transcript)


async def _verify_extraction(
    report: IncidentReport,
    transcript: Transcript,
    engine_name: str,
    engines: EngineRegistry,
    options: DraftOptions,
    warnings: list[str],
    deadline: Deadline,
) -> tuple[IncidentReport, VerificationReport, Usage, list[RepairRecord]]:
    """Check every extracted item. With the llm engine and PM_VERIFY_WITH_LLM, paraphrases the
    rules cannot settle go to the judge and failed items go back to the model once for repair
    (`app.llm.review`); a failing judge or repair costs the user nothing but a warning.

    The extractive engine quotes the chat, so its claims are settled by the rules alone.
    """
    if engine_name == "llm" and engines.llm_verification_enabled():
        outcome = await review_extraction(
            report, transcript, engines, deadline=deadline, keep_failed=options.keep_unverified
        )
        warnings.extend(outcome.warnings)
        return outcome.report, outcome.verification, outcome.usage, outcome.repairs
    checked, verification = verify_report(report, transcript, keep_failed=options.keep_unverified)
    return checked, verification, Usage(), []


def anchor_times(report: IncidentReport, transcript: Transcript) -> IncidentReport:
    """Timeline times as ISO 8601 where the cited message carries a full timestamp."""
    entries = []
    for entry in report.timeline:
        message = transcript.message(entry.evidence[0])
        if message is None or message.timestamp is None or "T" in entry.time:
            entries.append(entry)
            continue
        hours, minutes = (int(p) for p in hhmm(entry.time).split(":"))
        seconds = int(entry.time[6:8]) if len(entry.time) >= 8 else 0
        stamp = message.timestamp.replace(hour=hours, minute=minutes, second=seconds)
        if stamp - message.timestamp > dt.timedelta(hours=12):
            stamp -= dt.timedelta(days=1)
        entries.append(entry.model_copy(update={"time": stamp.isoformat()}))
    return report.model_copy(update={"timeline": entries})


class VerifyOutcome(BaseModel):
    """Every claim of the draft with its status, plus the transcript it was checked against."""

    verification: VerificationReport
    messages: list[Message] = Field(description="The parsed transcript, secrets redacted.")
    warnings: list[str]
    redactions: list[Finding]
    ingest: IngestReport | None = None


async def verify_text(
    transcript_text: str | Upload,
    draft: str,
    *,
    format: str | None = None,
    date: dt.date | None = None,
    timezone: str | None = None,
    judge: ClaimJudge | None = None,
) -> VerifyOutcome:
    """Check `draft` against the transcript; an LLM judge settles what the rules cannot.

    A failing judge fails nothing: the rules' verdicts stand and a warning says why, as in
    /draft."""
    transcript, findings, warnings = ingest(
        transcript_text, format=format, date=date, timezone=timezone
    )
    safe_draft, draft_findings = redact_text(draft)
    if draft_findings:
        warnings.append(f"{len(draft_findings)} secret(s) in the draft were redacted first")
    if judge is None:
        report = verify_draft(safe_draft, transcript)
    else:
        try:
            report = await verify_draft_with_judge(safe_draft, transcript, judge)
        except UpstreamError as exc:
            warnings.append(
                f"the LLM judge was unavailable ({exc.detail}); claims the rules could not "
                "settle were treated as unverified"
            )
            report = verify_draft(safe_draft, transcript)
    return VerifyOutcome(
        verification=report,
        messages=transcript.messages,
        warnings=warnings,
        redactions=findings + draft_findings,
        ingest=transcript.ingest,
    )
