"""The pipeline, one direction: ingest -> redact -> extract -> verify -> render.

Routes and the CLI call `create_draft` (a draft from a transcript) and `verify_text` (check any
draft against a transcript); each step lives in its own module.
"""

from __future__ import annotations

import datetime as dt

from openai import AsyncOpenAI
from pydantic import BaseModel, Field

from app.engines.registry import EngineRegistry
from app.errors import UpstreamError
from app.ingest import parse_transcript
from app.models import Audience, Draft, IncidentReport, Message, Transcript, Usage, hhmm
from app.redact import Finding, redact_text, redact_transcript
from app.render import render_draft
from app.verify import (
    MAX_CLAIMS,
    LLMClaimJudge,
    VerificationReport,
    verify_draft,
    verify_draft_with_judge,
    verify_report,
    verify_report_with_judge,
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


def ingest(
    text: str,
    *,
    format: str | None = None,
    date: dt.date | None = None,
    timezone: str | None = None,
) -> tuple[Transcript, list[Finding], list[str]]:
    """Parse and redact a transcript: the only form any later step (or an LLM) ever sees."""
    parsed = parse_transcript(text, format=format, date=date, timezone=timezone)
    redaction = redact_transcript(parsed)
    warnings = list(parsed.warnings)
    summary = redaction.summary()
    if summary:
        warnings.append(summary)
    return redaction.transcript, redaction.findings, warnings


async def create_draft(text: str, options: DraftOptions, engines: EngineRegistry) -> DraftResult:
    """Run the whole pipeline for one transcript and audience."""
    transcript, findings, warnings = ingest(
        text, format=options.format, date=options.date, timezone=options.timezone
    )
    engine = engines.get(options.engine)
    extraction = await engine.extract(transcript)
    warnings.extend(extraction.warnings)

    report, verification, usage = await _verify_extraction(
        extraction.report, transcript, engine.name, engines, options, warnings
    )
    usage = extraction.usage.model_copy(
        update={
            "llm_calls": extraction.usage.llm_calls + usage.llm_calls,
            "prompt_tokens": extraction.usage.prompt_tokens + usage.prompt_tokens,
            "completion_tokens": extraction.usage.completion_tokens + usage.completion_tokens,
        }
    )
    failed = verification.failed
    notes = _draft_notes(verification, findings, options.keep_unverified)
    if failed and not options.keep_unverified:
        warnings.append(
            f"{len(failed)} extracted claim(s) failed verification against the transcript and "
            "were left out of the draft; see `verification`"
        )

    draft = render_draft(report, transcript, options.audience, notes=notes)
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
    )


async def _verify_extraction(
    report: IncidentReport,
    transcript: Transcript,
    engine_name: str,
    engines: EngineRegistry,
    options: DraftOptions,
    warnings: list[str],
) -> tuple[IncidentReport, VerificationReport, Usage]:
    """Check every extracted item; an LLM's paraphrases the rules cannot settle go to the judge.

    The extractive engine quotes the chat, so its claims are settled by the rules alone. If the
    judge fails, the rules' verdicts stand (claims they cannot confirm ship as "unconfirmed") and
    a warning says so: a flaky judge never costs the user the draft.
    """
    judges = engines.claim_judge() if engine_name == "llm" else None
    if judges is None:
        checked, verification = verify_report(
            report, transcript, keep_failed=options.keep_unverified
        )
        return checked, verification, Usage()
    judge, counter = judges
    try:
        checked, verification = await verify_report_with_judge(
            report, transcript, judge, keep_failed=options.keep_unverified
        )
    except UpstreamError as exc:
        warnings.append(
            f"the LLM judge was unavailable ({exc.detail}); claims the rules could not settle "
            "are reported as unconfirmed"
        )
        checked, verification = verify_report(
            report, transcript, keep_failed=options.keep_unverified
        )
    usage = Usage(
        llm_calls=counter.calls,
        prompt_tokens=counter.prompt_tokens,
        completion_tokens=counter.completion_tokens,
    )
    return checked, verification, usage


def _draft_notes(
    verification: VerificationReport, findings: list[Finding], keep_unverified: bool
) -> list[str]:
    notes = [
        f"{len(verification.claims)} claims were checked against the transcript: "
        f"{verification.supported} supported, {verification.unconfirmed} unconfirmed, "
        f"{verification.unsupported} unsupported, {verification.contradicted} contradicted."
    ]
    if verification.unconfirmed:
        notes.append(
            f"{verification.unconfirmed} claim(s) are unconfirmed: nothing in the chat "
            "contradicts them, but the checker could not confirm them; see `verification`."
        )
    failed = verification.unsupported + verification.contradicted
    if failed:
        notes.append(
            "Claims marked (unverified) failed verification against the chat."
            if keep_unverified
            else f"{failed} claim(s) that the chat does not support were left out."
        )
    if findings:
        notes.append(f"{len(findings)} secret(s) pasted in the chat were redacted.")
    return notes


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


async def verify_text(
    transcript_text: str,
    draft: str,
    *,
    format: str | None = None,
    date: dt.date | None = None,
    timezone: str | None = None,
    llm_client: AsyncOpenAI | None = None,
    model: str | None = None,
    max_claims: int = MAX_CLAIMS,
) -> VerifyOutcome:
    """Check `draft` against the transcript; an LLM judge settles what the rules cannot. A draft
    of more than `max_claims` claims is refused (`TooManyClaimsError`)."""
    transcript, findings, warnings = ingest(
        transcript_text, format=format, date=date, timezone=timezone
    )
    safe_draft, draft_findings = redact_text(draft)
    if draft_findings:
        warnings.append(f"{len(draft_findings)} secret(s) in the draft were redacted first")
    if llm_client is not None and model:
        judge = LLMClaimJudge(llm_client, model)
        report = await verify_draft_with_judge(safe_draft, transcript, judge, max_claims=max_claims)
    else:
        report = verify_draft(safe_draft, transcript, max_claims=max_claims)
    return VerifyOutcome(
        verification=report,
        messages=transcript.messages,
        warnings=warnings,
        redactions=findings + draft_findings,
    )
