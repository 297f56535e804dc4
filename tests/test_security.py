"""API keys, CORS, cross-site refusal and the cap on concurrent LLM calls (issue 9 item 8)."""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
from fastapi.testclient import TestClient

from app.api.security import ApiKeys, hash_key
from app.cli import main as cli
from app.config import Settings
from app.errors import ConfigurationError
from app.ingest import parse_transcript
from app.llm.concurrency import LLMBusyError, LLMSlots
from app.main import create_app
from tests.llm_fakes import COMPLETIONS_URL, llm_settings, reply, seed_report

PROBLEM = "application/problem+json"
CHAT = "[09:14] Priya: checkout errors at 45%\n[09:21] Ravi: rollback complete, errors gone"
KEY = "k3y-for-tests-0123456789"
OTHER_KEY = "another-key-9876543210"
EVIL = "https://evil.example"


@pytest.fixture
def open_client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings())) as client:
        yield client


@pytest.fixture
def keyed_client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(api_keys=f"{OTHER_KEY}, {KEY}"))) as client:
        yield client


# ---------------------------------------------------------------------------------------------
# API keys
# ---------------------------------------------------------------------------------------------


def test_without_keys_configured_no_key_is_needed(open_client: TestClient) -> None:
    assert open_client.post("/draft", json={"transcript": CHAT}).status_code == 200
    assert open_client.get("/readyz").status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/draft"),
        ("POST", "/verify"),
        ("GET", "/readyz"),
        ("GET", "/openapi.json"),
        ("GET", "/docs"),
        ("GET", "/nowhere"),
    ],
)
def test_with_keys_everything_but_healthz_needs_one(
    keyed_client: TestClient, method: str, path: str
) -> None:
    response = keyed_client.request(method, path, json={"transcript": CHAT, "draft": "x"})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["title"] == "API key required"
    assert "Authorization: Bearer" in body["hint"] and "X-API-Key" in body["hint"]
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert keyed_client.get("/healthz").status_code == 200


def test_a_wrong_key_is_refused_and_a_right_one_in_either_header_accepted(
    keyed_client: TestClient,
) -> None:
    wrong = keyed_client.post(
        "/draft", json={"transcript": CHAT}, headers={"Authorization": "Bearer not-the-key"}
    )
    assert wrong.status_code == 401 and wrong.json()["title"] == "API key not valid"
    assert "not-the-key" not in wrong.text
    for headers in ({"Authorization": f"Bearer {KEY}"}, {"X-API-Key": KEY}):
        assert keyed_client.post("/draft", json={"transcript": CHAT}, headers=headers).is_success
    assert keyed_client.get("/readyz", headers={"X-API-Key": OTHER_KEY}).status_code == 200


def test_keys_from_a_file_of_digests(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.write_text(f"# ops team\n{hash_key(KEY)}  # added 2025-05-20\n\n", encoding="utf-8")
    with TestClient(create_app(Settings(api_keys_file=keys))) as client:
        assert client.get("/readyz").status_code == 401
        assert client.get("/readyz", headers={"X-API-Key": KEY}).status_code == 200
        assert client.get("/readyz", headers={"X-API-Key": hash_key(KEY)}).status_code == 401


@pytest.mark.parametrize(
    ("settings", "names"),
    [
        ({"api_keys": "short"}, "PM_API_KEYS"),
        ({"api_keys_file": "MISSING"}, "PM_API_KEYS_FILE"),
        ({"api_keys_file": "PLAINTEXT"}, "line 1"),
        ({"cors_origins": "*"}, "PM_CORS_ORIGINS"),
        ({"cors_origins": "https://ok.example, evil.example/path"}, "PM_CORS_ORIGINS"),
    ],
)
def test_bad_security_settings_stop_the_start_naming_the_variable(
    tmp_path: Path, settings: dict[str, str], names: str
) -> None:
    plain = tmp_path / "plain"
    plain.write_text(f"{KEY}\n", encoding="utf-8")
    paths = {"MISSING": tmp_path / "nope", "PLAINTEXT": plain}
    values = {k: paths.get(v, v) for k, v in settings.items()}
    with pytest.raises(ConfigurationError, match=names):
        create_app(Settings(**values))  # type: ignore[arg-type]


def test_every_known_key_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def counting(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", counting)
    keys = ApiKeys.load(f"{KEY},{OTHER_KEY},third-key-abcdefghij", None)
    for presented in (KEY, "third-key-abcdefghij", "wrong"):
        calls.clear()
        keys.accepts(presented)
        assert len(calls) == 3, "no early exit on a match"
    assert keys.accepts(KEY) and not keys.accepts("wrong") and not keys.accepts(None)


def test_the_api_key_command_prints_a_key_and_its_digest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli(["api-key"]) == 0
    out = capsys.readouterr().out
    key = out.split("stored): ", 1)[1].split()[0]
    assert hash_key(key) in out and len(key) >= 40


# ---------------------------------------------------------------------------------------------
# CORS and cross-site requests
# ---------------------------------------------------------------------------------------------


def _preflight(client: TestClient, origin: str) -> httpx.Response:
    return client.options(
        "/draft",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )


def test_cors_is_closed_by_default(open_client: TestClient) -> None:
    assert "access-control-allow-origin" not in _preflight(open_client, EVIL).headers
    response = open_client.get("/healthz", headers={"Origin": EVIL})
    assert "access-control-allow-origin" not in response.headers


def test_configured_origins_and_only_those_get_cors() -> None:
    settings = Settings(cors_origins="https://app.example, http://localhost:3000")
    with TestClient(create_app(settings)) as client:
        allowed = _preflight(client, "https://app.example")
        assert allowed.headers["access-control-allow-origin"] == "https://app.example"
        assert "access-control-allow-origin" not in _preflight(client, EVIL).headers
        posted = client.post(
            "/draft", json={"transcript": CHAT}, headers={"Origin": "http://localhost:3000"}
        )
        assert posted.status_code == 200
        assert posted.headers["access-control-allow-origin"] == "http://localhost:3000"
        assert "X-Request-ID" in posted.headers["access-control-expose-headers"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", CHAT),
        ("application/x-www-form-urlencoded", "transcript=" + CHAT),
        ("multipart/form-data; boundary=x", "--x\r\n\r\n" + CHAT + "\r\n--x--"),
        ("application/json", '{"transcript": "' + CHAT.replace("\n", "\\n") + '"}'),
    ],
)
def test_a_cross_site_post_is_refused_whatever_its_content_type(
    open_client: TestClient, content_type: str, body: str
) -> None:
    for path in ("/draft", "/verify"):
        response = open_client.post(
            path, content=body, headers={"Content-Type": content_type, "Origin": EVIL}
        )
        assert response.status_code == 403, response.text
        assert response.headers["content-type"].startswith(PROBLEM)
        assert EVIL in response.json()["detail"]
        assert "PM_CORS_ORIGINS" in response.json()["hint"]


def test_a_browser_marked_cross_site_request_without_origin_is_refused(
    open_client: TestClient,
) -> None:
    response = open_client.post(
        "/draft",
        content=CHAT,
        headers={"Content-Type": "text/plain", "Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 403


def test_curl_scripts_and_the_services_own_pages_still_work(open_client: TestClient) -> None:
    # The README's `curl --data-binary @chat.txt -H 'content-type: text/plain'`: no Origin.
    curl = open_client.post("/draft", content=CHAT, headers={"Content-Type": "text/plain"})
    assert curl.status_code == 200
    own = open_client.post(
        "/draft",
        json={"transcript": CHAT},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert own.status_code == 200
    behind_tls_proxy = open_client.post(
        "/draft", json={"transcript": CHAT}, headers={"Origin": "https://testserver"}
    )
    assert behind_tls_proxy.status_code == 200
    reading = open_client.get("/healthz", headers={"Origin": EVIL})
    assert reading.status_code == 200  # a GET changes nothing; CORS keeps the page from reading


# ---------------------------------------------------------------------------------------------
# A cap on concurrent LLM calls
# ---------------------------------------------------------------------------------------------


async def test_slots_refuse_past_the_cap_at_once_and_are_reentrant() -> None:
    slots = LLMSlots(1)
    entered = asyncio.Event()
    release = asyncio.Event()

    async def hold() -> None:
        async with slots.slot():
            async with slots.slot():  # the same task asks again (engine inside the pipeline)
                entered.set()
                await release.wait()

    holder = asyncio.create_task(hold())
    await entered.wait()
    with pytest.raises(LLMBusyError) as busy:
        async with slots.slot():
            pass
    assert busy.value.status == 429
    assert busy.value.extra["retry_after_seconds"] >= 1
    assert "PM_LLM_MAX_CONCURRENCY" in busy.value.detail
    release.set()
    await holder
    async with slots.slot():
        assert slots.in_use == 1
    assert slots.in_use == 0


async def test_no_cap_when_the_limit_is_zero() -> None:
    slots = LLMSlots(0)
    async with slots.slot(), slots.slot():
        assert slots.in_use == 0


async def test_past_the_cap_a_draft_gets_429_with_retry_after(
    respx_mock: respx.MockRouter, seed_chat_text: str
) -> None:
    answer = seed_report(parse_transcript(seed_chat_text))
    started = asyncio.Event()
    release = asyncio.Event()

    async def slow_llm(request: httpx.Request) -> httpx.Response:
        del request
        started.set()
        await release.wait()
        return reply(answer)

    respx_mock.post(COMPLETIONS_URL).mock(side_effect=slow_llm)
    settings = llm_settings(llm_max_concurrency=1, verify_with_llm=False, llm_time_budget=30)
    app = create_app(settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        body = {"transcript": seed_chat_text, "engine": "llm"}
        first = asyncio.create_task(client.post("/draft", json=body))
        await started.wait()
        # Not the same request (an identical one would join the first: single flight).
        second = await client.post("/draft", json={**body, "keep_unverified": True})
        release.set()
        first_response = await first
    assert first_response.status_code == 200, first_response.text
    assert second.status_code == 429
    assert second.headers["content-type"].startswith(PROBLEM)
    assert int(second.headers["Retry-After"]) >= 1
    assert second.json()["retry_after_seconds"] == int(second.headers["Retry-After"])
    assert "extractive" in second.json()["hint"]


async def test_a_busy_judge_leaves_the_rules_verdicts_and_a_warning(
    respx_mock: respx.MockRouter, seed_chat_text: str
) -> None:
    """The extraction got its slot; if the judge cannot get one, the draft still comes back."""
    answer = seed_report(parse_transcript(seed_chat_text))
    route = respx_mock.post(COMPLETIONS_URL).mock(return_value=reply(answer))
    app = create_app(llm_settings(llm_max_concurrency=1, llm_time_budget=30))
    slots = app.state.engines.llm_slots
    real_extract = app.state.engines.get("llm").extract

    async def extract_then_fill_the_slots(transcript: object, **options: object) -> object:
        result = await real_extract(transcript, **options)
        slots.in_use += slots.limit  # others took every slot meanwhile (ours ends after this)
        return result

    app.state.engines.get("llm").extract = extract_then_fill_the_slots
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        response = await client.post("/draft", json={"transcript": seed_chat_text, "engine": "llm"})
    assert response.status_code == 200, response.text
    warnings = response.json()["warnings"]
    assert any("judge was unavailable" in w and "LLM slots" in w for w in warnings), warnings
    assert route.call_count == 1, "the judge was never sent"
