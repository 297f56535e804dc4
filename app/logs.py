"""Log output: plain text (the default) or JSON lines (`PM_LOG_FORMAT=json`).

A JSON line carries the time, level, logger, message and the request id of the request being
served (the `X-Request-ID` its response carries), so one request's lines can be found among
many. Every handler keeps the redacting filter: what redaction would remove from a transcript
never reaches a log line, and only fields this module names are written (never a record's
arbitrary extras, which could carry request data).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import sys

from app.redact import RedactingFilter

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# Extra fields a JSON line may carry when the code that logs sets them.
_FIELDS = ("method", "route", "status", "duration_ms", "job_id")
_OUR_LOGGERS = ("postmortem", "uvicorn", "uvicorn.error")


class JsonFormatter(logging.Formatter):
    """One JSON object per record."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id.get(),
        }
        for name in _FIELDS:
            value = getattr(record, name, None)
            if isinstance(value, str | int | float):
                line[name] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


def configure_logging(log_format: str) -> None:
    """Text: leave the handlers as they are. JSON: every handler of the service's loggers (and
    the root's) writes JSON lines; a stderr handler is added where there is none. uvicorn's own
    access log is replaced by one `postmortem.access` line per request (see RequestContext)."""
    if log_format != "json":
        return
    formatter = JsonFormatter()
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in _OUR_LOGGERS)]
    if not any(logger.handlers for logger in loggers):
        handler: logging.Handler = logging.StreamHandler(sys.stderr)
        handler.addFilter(RedactingFilter())
        logging.getLogger("postmortem").addHandler(handler)
    for logger in loggers:
        for each in logger.handlers:
            each.setFormatter(formatter)
            if not any(isinstance(f, RedactingFilter) for f in each.filters):
                each.addFilter(RedactingFilter())
    access = logging.getLogger("uvicorn.access")
    access.disabled = True
