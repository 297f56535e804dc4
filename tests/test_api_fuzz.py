"""Schemathesis against the app: generated requests (valid and invalid) for every operation of
the OpenAPI document, and not one may end in a server error.

A 500 is always a bug; a 5xx the operation documents (503: LLM not configured or the CPU
deadline, 502/504 from an LLM) is an answer. The number of examples per operation is bounded by
PM_FUZZ_EXAMPLES (CI raises it); the run is derandomized, so a failure reproduces. A failure
prints the server's logged traceback, found by the response's X-Request-ID.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from app.config import Settings
from app.main import create_app

EXAMPLES = int(os.environ.get("PM_FUZZ_EXAMPLES", "40"))

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings()))


class _Records(logging.Handler):
    """Keeps the service's error records, to show the traceback behind a 500."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def about(self, request_id: str) -> str:
        found = [r for r in self.records if request_id and request_id in r.getMessage()]
        return "\n".join(f"{r.getMessage()}\n{r.exc_text or ''}" for r in found) or "(no log)"


@pytest.fixture(scope="module")
def server_log() -> Iterator[_Records]:
    handler = _Records()
    logger = logging.getLogger("postmortem.api")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def _documented_statuses(case: schemathesis.Case) -> set[int]:
    responses = case.operation.definition.raw.get("responses", {})
    return {int(code) for code in responses if str(code).isdigit()}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_gets_a_server_error(case: schemathesis.Case, server_log: _Records) -> None:
    response = case.call()
    status = response.status_code
    if status < 500:
        return
    request_id = str(response.headers.get("x-request-id", [""])[0])
    assert status != 500 and status in _documented_statuses(case), (
        f"{case.operation.label} answered {status}: {response.text[:500]}\n"
        f"reproduce: {case.as_curl_command()}\n"
        f"server log:\n{server_log.about(request_id)}"
    )
