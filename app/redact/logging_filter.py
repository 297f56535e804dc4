"""Secrets stay out of the service's logs: every record of every logger is redacted.

`install_log_redaction()` wraps `logging.Logger.makeRecord`, so each record is redacted the
moment any logger makes it (ours, uvicorn's, httpx's, a library's, one configured later by
`dictConfig`), with its `extra=` fields, before a filter, handler or formatter sees it.
Redacted are the message (as formatted: a secret split between the template and its
arguments, `"REDIS_AUTH=%s" % value`, is found too), string `extra` fields, the stack and the
exception: the traceback is rendered once, redacted, into `exc_text`, and `exc_info` is
cleared so that no formatter can render the raw exception again (the standard `Formatter`
prints `exc_text`, so `logger.exception` still shows the traceback, secrets replaced).

A record keeps its `msg`/`args` shape when redacting the arguments one by one removes every
secret (uvicorn's access formatter unpacks `args`); otherwise it carries the redacted,
formatted message and no arguments. `RedactingFilter` does the same for records made without
a logger (`logging.makeLogRecord` from a socket or a queue); `install_log_redaction` attaches
it to the given loggers and to every handler present at the time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from app.redact.redactor import found_secrets, redact_text

_MARK = "_secrets_redacted"
# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    _MARK,
}


def _format(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except (TypeError, ValueError, KeyError):
        return f"{record.msg} {record.args!r}"


def _redact_message(record: logging.LogRecord) -> None:
    message = _format(record)
    secrets = found_secrets(message)
    if not secrets:
        return
    if isinstance(record.args, tuple) and record.args and isinstance(record.msg, str):
        args = tuple(_redact_arg(arg) for arg in record.args)
        try:
            kept = record.msg % args
        except (TypeError, ValueError, KeyError):
            kept = None
        if kept is not None and not any(s in kept for s in secrets) and not found_secrets(kept):
            record.args = args
            return
    record.msg = redact_text(message)[0]
    record.args = None


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Redact a record in place (once): message, arguments, extras, exception, stack."""
    if getattr(record, _MARK, False):
        return record
    _redact_message(record)
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    record.exc_info = None
    if record.exc_text:
        record.exc_text = redact_text(record.exc_text)[0]
    if record.stack_info:
        record.stack_info = redact_text(record.stack_info)[0]
    for key, value in list(record.__dict__.items()):
        if key not in _STANDARD and isinstance(value, str):
            setattr(record, key, redact_text(value)[0])
    setattr(record, _MARK, True)
    return record


def _redact_arg(arg: object) -> object:
    """A string argument redacted; anything else as it is, unless its text holds a secret."""
    if isinstance(arg, str):
        return redact_text(arg)[0]
    if isinstance(arg, int | float | bool) or arg is None:
        return arg
    text = str(arg)
    redacted, findings = redact_text(text)
    return redacted if findings else arg


class RedactingFilter(logging.Filter):
    """Redacts each record before any handler sees it (see `redact_record`).

    Attach it to handlers or loggers: `handler.addFilter(RedactingFilter())`.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


def install_log_redaction(loggers: Iterable[str] = ()) -> None:
    """Redact every log record of the process from now on; safe to call more than once."""
    if not getattr(logging.Logger.makeRecord, "redacts_secrets", False):
        make_record = logging.Logger.makeRecord

        def redacting_make_record(self: logging.Logger, *args: Any, **kwargs: Any) -> Any:
            return redact_record(make_record(self, *args, **kwargs))

        redacting_make_record.redacts_secrets = True  # type: ignore[attr-defined]
        logging.Logger.makeRecord = redacting_make_record  # type: ignore[method-assign]
    targets = [logging.getLogger(name) for name in loggers] + [logging.getLogger()]
    handlers = [h for logger in targets for h in logger.handlers]
    if logging.lastResort is not None:
        handlers.append(logging.lastResort)
    for owner in [*targets, *handlers]:
        if not any(isinstance(f, RedactingFilter) for f in owner.filters):
            owner.addFilter(RedactingFilter())
