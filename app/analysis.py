"""A verified analysis of one transcript: everything a draft needs except its audience.

The expensive part of a draft (parse, redact, extract, judge, verify) ends in an `Analysis`; the
cheap part (render for an audience, the last secret check) starts from one. The draft cache keeps
analyses, so a second audience, or the same request again, only renders. An analysis holds only
the redacted transcript, so it may be stored anywhere the store lives.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable, Collection
from types import UnionType
from typing import Any, Generic, NamedTuple, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, SkipValidation, ValidationError

from app.llm.repair import RepairRecord
from app.llm.review import RepairOutcome
from app.models import Audience, Draft, Extraction, IncidentReport, Usage
from app.redact import redact_text
from app.render import render_draft, review_of
from app.render.locate import item_lines
from app.report_items import withhold_failed
from app.steps import DraftOptions, DraftResult, Prepared, anchor_times, verified
from app.verify import JudgeVerdict, VerificationReport
from app.workers import Deferred, opened

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

# Bump when `Analysis` changes shape; stored analyses of another version are ignored.
ANALYSIS_FORMAT = 2


class Analysis(BaseModel):
    """The verified extraction of one transcript, for any audience."""

    prepared: Prepared
    engine: str
    extracted: IncidentReport
    shipped: SkipValidation[IncidentReport]  # see `trusted`
    # Every failed field kept and marked, so `keep_items` puts chosen ones back at render time
    # (no second verification); None when `shipped` is that report (keep_unverified).
    marked: SkipValidation[IncidentReport] | None = None
    verification: VerificationReport
    usage: Usage
    warnings: list[str]
    keep_unverified: bool
    repairs: list[RepairRecord] = []
    degraded: bool = False  # a salvaged LLM answer, or the judge or repair was unavailable


def render_analysis(
    analysis: Analysis, audience: Audience, keep_items: Collection[str] = ()
) -> DraftResult:
    """The draft for `audience` (with the failed fields named in `keep_items` put back,
    marked), checked for secrets once more; each verdict names the line its field is on."""
    transcript = analysis.prepared.transcript
    warnings = [*analysis.prepared.warnings, *analysis.warnings]
    marked = analysis.marked or analysis.shipped
    shipped = analysis.shipped
    if keep_items and analysis.marked is not None:
        shipped = withhold_failed(analysis.marked, analysis.verification, set(keep_items))
    review = review_of(
        analysis.extracted,
        shipped,
        [c.status for c in analysis.verification.claims],
        keep_unverified=analysis.keep_unverified or bool(keep_items),
        redactions=len(analysis.prepared.findings),
    )
    if review.withheld_total:
        warnings.append(
            f"{review.withheld_total} extracted item(s) failed verification against the "
            "transcript and were left out of the draft; see `verification`"
        )
    draft = render_draft(shipped, transcript, audience, review=review)
    lines = item_lines(marked, shipped, transcript, audience, review, draft.text)
    verification = analysis.verification.model_copy(
        update={
            "claims": [
                c.model_copy(update={"line": lines[c.item]}) if c.item in lines else c
                for c in analysis.verification.claims
            ]
        }
    )
    safe_text, late_findings = redact_text(draft.text)  # belt and braces: nothing slips out
    if late_findings:
        warnings.append(f"{len(late_findings)} secret(s) were removed from the rendered draft")
    return DraftResult(
        audience=audience,
        engine=analysis.engine,
        incident=anchor_times(shipped, transcript),
        draft=Draft(format=draft.format, text=safe_text),
        messages=transcript.messages,
        verification=verification,
        usage=analysis.usage,
        warnings=warnings,
        redactions=analysis.prepared.findings,
        ingest=transcript.ingest,
        repairs=analysis.repairs,
    )


def encode_analysis(analysis: Analysis) -> bytes:
    """Compact bytes for the store: a format byte, then zlib-compressed JSON (never pickle: a
    shared store must not be able to run code in the reader)."""
    body = zlib.compress(analysis.model_dump_json().encode("utf-8"), 1)
    return bytes([ANALYSIS_FORMAT]) + body


def decode_analysis(blob: bytes) -> Analysis | None:
    """The analysis in `blob`, or None when it is of another format or unreadable."""
    if not blob or blob[0] != ANALYSIS_FORMAT:
        return None
    try:
        analysis = Analysis.model_validate_json(zlib.decompress(blob[1:]))
    except (zlib.error, ValidationError, ValueError):
        return None
    if isinstance(analysis.shipped, dict):
        analysis.shipped = trusted(IncidentReport, analysis.shipped)
    if isinstance(analysis.marked, dict):
        analysis.marked = trusted(IncidentReport, analysis.marked)
    return analysis


def trusted(model: type[M], data: dict[str, Any]) -> M:
    """`model` built from data this code dumped itself, without validation.

    The report that verification ships may break the extraction's own constraints (a summary
    whose every sentence was withheld is empty), so it cannot be validated again on the way
    back from the store; it was valid for verification when it was stored.
    """
    values = {name: _trusted_value(field.annotation, data[name])
              for name, field in model.model_fields.items() if name in data}  # fmt: skip
    return model.model_construct(**values)


def _trusted_value(annotation: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(annotation)
    if origin is list and isinstance(value, list):
        (inner,) = get_args(annotation)
        return [_trusted_value(inner, item) for item in value]
    if origin in (Union, UnionType):
        models = [
            a for a in get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)
        ]
        if len(models) == 1 and isinstance(value, dict):
            return trusted(models[0], value)
        return value
    if (
        isinstance(annotation, type)
        and issubclass(annotation, BaseModel)
        and isinstance(value, dict)
    ):
        return trusted(annotation, value)
    return value


def analyse(
    prepared: Prepared,
    extraction: Extraction,
    options: DraftOptions,
    engine: str,
    usage: Usage,
    judged: list[JudgeVerdict] | None = None,
    repair: RepairOutcome | None = None,
    degraded: bool = False,
) -> Analysis:
    """Verify every extracted claim (with the judge's verdicts, if any; of the repaired report,
    after a repair)."""
    checked = repair.repaired if repair is not None and repair.repaired else extraction.report
    # Verified once, every failed field kept and marked (the verdicts do not depend on
    # keep_failed); what ships is decided in `analysis_of`.
    marked, verification = verified(checked, prepared.transcript, judged, keep_failed=True)
    return analysis_of(
        prepared, extraction, options, engine, usage, marked, verification, repair, degraded
    )


def analysis_of(
    prepared: Prepared,
    extraction: Extraction,
    options: DraftOptions,
    engine: str,
    usage: Usage,
    marked: IncidentReport,
    verification: VerificationReport,
    repair: RepairOutcome | None = None,
    degraded: bool = False,
) -> Analysis:
    """The analysis of a report verified already (`verified(..., keep_failed=True)`'s marked
    report and verdicts): shipped as the checker ships it unless keep_unverified, and the
    marked report kept for keep_items."""
    shipped = marked if options.keep_unverified else withhold_failed(marked, verification)
    return Analysis(
        prepared=prepared,
        engine=engine,
        extracted=extraction.report,
        shipped=shipped,
        marked=None if options.keep_unverified else marked,
        verification=verification,
        usage=usage,
        warnings=list(extraction.warnings),
        keep_unverified=options.keep_unverified,
        repairs=repair.records(verification) if repair is not None else [],
        degraded=degraded,
    )


class DraftPayload(NamedTuple):
    """A finished draft as the service sends it: the JSON body, the Markdown alone, and how
    many claims ended in each verification status (for /metrics)."""

    json: bytes
    markdown: str
    statuses: dict[str, int]


def as_result(result: DraftResult) -> DraftResult:
    """Output of a step for the CLI and the HTML/SVG answers: the result itself."""
    return result


def as_payload(result: DraftResult) -> DraftPayload:
    """Output of a step for JSON and Markdown answers: serialized in the worker, so the server
    process only passes bytes on."""
    statuses: dict[str, int] = dict(Counter(c.status for c in result.verification.claims))
    return DraftPayload(result.model_dump_json().encode("utf-8"), result.draft.text, statuses)


def finish_draft(
    prepared: Prepared,
    extraction: Extraction,
    options: DraftOptions,
    engine: str,
    usage: Usage,
    judged: list[JudgeVerdict] | None = None,
    repair: RepairOutcome | None = None,
) -> DraftResult:
    """Step 3 (finish): verify every extracted claim, then render the draft for the audience
    and check it for secrets once more."""
    analysis = analyse(prepared, extraction, options, engine, usage, judged, repair)
    return render_analysis(analysis, options.audience, options.keep_items)


def finish_draft_json(
    prepared: Prepared,
    extraction: Extraction,
    options: DraftOptions,
    engine: str,
    usage: Usage,
    judged: list[JudgeVerdict] | None = None,
    repair: RepairOutcome | None = None,
) -> DraftPayload:
    """`finish_draft`, serialized in the worker."""
    return as_payload(finish_draft(prepared, extraction, options, engine, usage, judged, repair))


class Finished(NamedTuple, Generic[T]):
    """A finished draft and its analysis as stored bytes (for the cache and for joiners)."""

    blob: bytes
    degraded: bool
    output: T


def finish_and_keep(
    prepared: Prepared | Deferred[Prepared],
    extraction: Extraction,
    options: DraftOptions,
    engine: str,
    usage: Usage,
    judged: list[JudgeVerdict] | None,
    repair: RepairOutcome | None,
    degraded: bool,
    output: Callable[[DraftResult], T],
) -> Finished[T]:
    """Step 3 (finish) for the service: verify and render, and keep the analysis as bytes."""
    analysis = analyse(
        opened(prepared), extraction, options, engine, usage, judged, repair, degraded
    )
    result = render_analysis(analysis, options.audience, options.keep_items)
    return Finished(encode_analysis(analysis), degraded, output(result))


def render_cached(
    blob: bytes,
    audience: Audience,
    output: Callable[[DraftResult], T],
    keep_items: Collection[str] = (),
) -> T | None:
    """A draft from a stored analysis (no LLM call, no verification), or None when the bytes
    are unreadable (another format version): the caller then drafts afresh."""
    analysis = decode_analysis(blob)
    if analysis is None:
        return None
    cached = analysis.model_copy(update={"usage": Usage(model=analysis.usage.model, cached=True)})
    return output(render_analysis(cached, audience, keep_items))
