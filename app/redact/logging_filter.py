"""A logging filter that keeps secrets out of the service's logs."""

from __future__ import annotations

import logging

from app.redact.redactor import redact_text


class RedactingFilter(logging.Filter):
    """Redacts each record's formatted message and exception text before any handler sees it.

    Attach it to handlers (or loggers) that may see chat content:
    `handler.addFilter(RedactingFilter())`. The record's `msg`/`args` are replaced by the
    redacted, already formatted message, so later formatting cannot reintroduce a secret.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and isinstance(record.msg, str):
            # Keep the shape: formatters such as uvicorn's access log unpack `args` themselves.
            record.msg = redact_text(record.msg)[0]
            record.args = tuple(_redact_arg(arg) for arg in record.args)
        else:
            try:
                message = record.getMessage()
            except (TypeError, ValueError):
                message = f"{record.msg} {record.args!r}"
            record.msg = redact_text(message)[0]
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)[0]
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)[0]
        return True


def _redact_arg(arg: object) -> object:
    """A string argument redacted; anything else as it is, unless its text holds a secret."""
    if isinstance(arg, str):
        return redact_text(arg)[0]
    if isinstance(arg, int | float | bool) or arg is None:
        return arg
    text = str(arg)
    redacted, findings = redact_text(text)
    return redacted if findings else arg
