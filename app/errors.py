"""Domain errors. Each carries what went wrong and how to fix it; the API maps them to
RFC 9457 problem details (`app/api/problems.py`)."""

from __future__ import annotations


class PostmortemError(Exception):
    """Base class: `status` is the HTTP status the API answers with."""

    status: int = 400
    title: str = "Bad request"

    def __init__(self, detail: str, *, hint: str | None = None, **extra: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.hint = hint
        self.extra = extra


class TranscriptFormatError(PostmortemError):
    """The input has no recognisable chat structure, or not the format the request named."""

    status = 422
    title = "Unrecognised transcript"


class MalformedBodyError(PostmortemError):
    """The request body is not valid UTF-8 or not valid JSON."""

    status = 400
    title = "Malformed request body"


class PayloadTooLargeError(PostmortemError):
    """The transcript is larger than PM_MAX_TRANSCRIPT_CHARS."""

    status = 413
    title = "Transcript too large"


class TooManyClaimsError(PayloadTooLargeError):
    """A draft sent to /verify makes more claims than one request checks."""

    title = "Draft has too many claims"


class UnsupportedMediaTypeError(PostmortemError):
    """The body is neither JSON nor plain text."""

    status = 415
    title = "Unsupported media type"


class InvalidRequestError(PostmortemError):
    """A request field is malformed (a bad date, an unknown time zone, an unknown engine)."""

    status = 422
    title = "Invalid request"


class ConfigurationError(PostmortemError):
    """The service settings are missing or contradictory."""

    status = 503
    title = "Service not configured"


class UpstreamError(PostmortemError):
    """The LLM endpoint failed: refused, truncated, unreachable, or answered invalid output."""

    status = 502
    title = "LLM upstream error"


class UpstreamUnavailableError(UpstreamError):
    """The LLM endpoint kept failing with transient errors until the time budget ran out."""

    status = 503
    title = "LLM upstream unavailable"


class UpstreamTimeoutError(UpstreamError):
    """The LLM endpoint did not answer within the time budget."""

    status = 504
    title = "LLM upstream timeout"


class ExtractionError(UpstreamError):
    """The LLM's answers failed validation on every attempt and too little was valid to keep."""

    title = "LLM answer failed validation"


class UploadError(PostmortemError):
    """An uploaded file or archive cannot be read safely (corrupt, unsafe paths, not UTF-8)."""

    status = 422
    title = "Unreadable upload"


class CpuDeadlineError(PostmortemError):
    """A request's CPU work (parsing, extraction, verification) ran past PM_CPU_DEADLINE."""

    status = 503
    title = "Processing took too long"

    @classmethod
    def for_step(cls, step: str, deadline: float) -> CpuDeadlineError:
        return cls(
            f"{step} did not finish within this request's CPU deadline of {deadline:g} s "
            "(PM_CPU_DEADLINE); the work was stopped",
            hint="send a shorter transcript (for example only the hours of the incident, or the "
            "channel split in parts), or ask the operator to raise PM_CPU_DEADLINE",
            step=step,
            deadline_seconds=deadline,
        )


class ContextBudgetError(PostmortemError):
    """The request for the LLM would not fit its context (PM_LLM_CONTEXT_TOKENS)."""

    status = 413
    title = "Transcript too long for the model"
