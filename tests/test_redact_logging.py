"""Every log line passes through the redactor: any logger, any handler, tracebacks included."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from app.redact import install_log_redaction
from app.redact.logging_filter import redact_record

DSN = "postgres://orders:Xk9#pq2vvR@db.internal:5432/orders"
REDACTED_DSN = "postgres://orders:[REDACTED:password]@db.internal:5432/orders"


@pytest.fixture
def stream_logger() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A library-style logger with its own handler that does not propagate to root."""
    install_log_redaction()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("some.library.not.ours")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    yield logger, stream
    logger.removeHandler(handler)
    logger.propagate = True


def test_a_logger_of_any_name_is_redacted(
    stream_logger: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = stream_logger

    logger.warning(
        "connecting to %s with token=%s", DSN, "ghp_" + "R8nX2kLq9ZtW4vPm7YcB3sDf6HjK1aGe5NuQ"
    )

    out = stream.getvalue()
    assert "Xk9#pq2vvR" not in out and "R8nX2kLq9ZtW4vPm7YcB3sDf6HjK1aGe5NuQ" not in out
    assert REDACTED_DSN in out
    assert "[REDACTED:github-token]" in out


def test_exception_traceback_is_logged_redacted(
    stream_logger: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = stream_logger

    try:
        raise ConnectionError(f"could not connect to {DSN}: timeout")
    except ConnectionError:
        logger.exception("internal error in request %s", "req-7c9e6679")

    out = stream.getvalue()
    assert "Traceback (most recent call last)" in out
    assert "ConnectionError: could not connect to " + REDACTED_DSN in out
    assert "Xk9#pq2vvR" not in out
    assert "internal error in request req-7c9e6679" in out


def test_a_handler_added_later_still_gets_redacted_records() -> None:
    """uvicorn's dictConfig and JSON log handlers are set up after the app: the record is
    redacted when a logger makes it, not by a filter on the handlers that existed then."""
    install_log_redaction()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("configured.later")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.error("redis down: REDIS_AUTH=%s", "r3dis-Auth-77")
    finally:
        logger.removeHandler(handler)

    assert stream.getvalue() == "redis down: REDIS_AUTH=[REDACTED:password]\n"


def test_extra_fields_and_stack_are_redacted(
    stream_logger: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, _ = stream_logger
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    keep = Keep()
    logger.addHandler(keep)
    try:
        logger.info("upstream said no", extra={"upstream": f"error for {DSN}"}, stack_info=True)
    finally:
        logger.removeHandler(keep)

    (record,) = records
    assert record.upstream == f"error for {REDACTED_DSN}"
    assert record.stack_info is not None and "Xk9#pq2vvR" not in record.stack_info


def test_the_raw_exception_is_not_left_for_other_formatters() -> None:
    """A JSON formatter that renders `exc_info` itself would print the secret again."""
    try:
        raise ValueError(f"bad DSN {DSN}")
    except ValueError as error:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, None)
        record.exc_info = (type(error), error, error.__traceback__)

    redact_record(record)

    assert record.exc_info is None
    assert record.exc_text is not None and REDACTED_DSN in record.exc_text


def test_access_log_records_keep_their_arguments() -> None:
    """uvicorn's access formatter unpacks `args` (client, method, path, version, status)."""
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("10.0.3.7:53312", "GET", "/cb?token=AbC123dEf456GhI789jKl", "1.1", 200),
        None,
    )

    redact_record(record)

    assert isinstance(record.args, tuple) and record.args[4] == 200
    assert record.getMessage() == '10.0.3.7:53312 - "GET /cb?token=[REDACTED:token] HTTP/1.1" 200'


def test_installing_twice_wraps_once() -> None:
    install_log_redaction()
    make_record = logging.Logger.makeRecord

    install_log_redaction()

    assert logging.Logger.makeRecord is make_record


def test_a_secret_split_between_template_and_argument_is_found() -> None:
    """`REDIS_AUTH=%s` holds no secret and neither does the bare argument; the line does."""
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "redis: REDIS_AUTH=%s", ("r3dis-Auth-77",), None
    )

    redact_record(record)

    assert record.getMessage() == "redis: REDIS_AUTH=[REDACTED:password]"


def test_the_app_installs_it_for_every_logger() -> None:
    from app.config import Settings
    from app.main import create_app

    create_app(Settings())
    record = logging.getLogger("httpx").makeRecord(
        "httpx", logging.INFO, __file__, 1, "HTTP Request: POST %s", (DSN,), None
    )

    assert record.getMessage() == f"HTTP Request: POST {REDACTED_DSN}"
