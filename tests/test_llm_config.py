"""LLM settings, the client factory and the readiness probe."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx
from openai import AsyncAzureOpenAI, AsyncOpenAI
from pydantic import ValidationError

from app.config import Settings
from app.engines.llm import LLMEngine
from app.errors import ConfigurationError
from app.llm.client import build_client
from app.llm.readiness import check_llm
from tests.llm_fakes import BASE_URL, MODEL, MODELS_URL, llm_settings


def test_defaults() -> None:
    settings = llm_settings()
    assert settings.llm_response_format == "json_schema"
    assert settings.llm_temperature == 0
    assert settings.llm_max_attempts == 3
    assert settings.llm_api_version is None


def test_settings_come_from_pm_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "PM_LLM_BASE_URL": BASE_URL,
        "PM_LLM_MODEL": MODEL,
        "PM_LLM_TIMEOUT": "12.5",
        "PM_LLM_TIME_BUDGET": "40",
        "PM_LLM_MAX_ATTEMPTS": "2",
        "PM_LLM_RESPONSE_FORMAT": "json_object",
        "PM_LLM_MAX_TOKENS": "2048",
        "PM_LLM_TEMPERATURE": "0.2",
        "PM_LLM_CACHE_SIZE": "0",
    }.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert (settings.llm_timeout, settings.llm_time_budget, settings.llm_max_attempts) == (
        12.5,
        40,
        2,
    )
    assert settings.llm_response_format == "json_object"
    assert (settings.llm_max_tokens, settings.llm_temperature) == (2048, 0.2)
    assert settings.llm_cache_size == 0


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"PM_LLM_TIMEOUT": "0"}, "PM_LLM_TIMEOUT"),
        ({"PM_LLM_TIME_BUDGET": "-1"}, "PM_LLM_TIME_BUDGET"),
        ({"PM_LLM_MAX_ATTEMPTS": "0"}, "PM_LLM_MAX_ATTEMPTS"),
        ({"PM_LLM_RESPONSE_FORMAT": "xml"}, "PM_LLM_RESPONSE_FORMAT"),
        ({"PM_LLM_MAX_TOKENS": "0"}, "PM_LLM_MAX_TOKENS"),
        ({"PM_LLM_TEMPERATURE": "3"}, "PM_LLM_TEMPERATURE"),
        ({"PM_LLM_CACHE_SIZE": "-1"}, "PM_LLM_CACHE_SIZE"),
        ({"PM_LLM_BASE_URL": "localhost:8080"}, "PM_LLM_BASE_URL"),
        ({"PM_LLM_API_VERSION": "2024-10-21", "PM_LLM_BASE_URL": None}, "PM_LLM_BASE_URL"),
        ({"PM_LLM_API_VERSION": "2024-10-21", "PM_LLM_API_KEY": None}, "PM_LLM_API_KEY"),
    ],
)
def test_bad_settings_fail_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str | None], named: str
) -> None:
    base = {"PM_LLM_BASE_URL": BASE_URL, "PM_LLM_MODEL": MODEL, "PM_LLM_API_KEY": "k"}
    for name, value in (base | variables).items():
        if value is not None:
            monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=named):
        Settings()


def test_openai_variables_are_fallbacks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-openai-var")
    monkeypatch.setenv("OPENAI_BASE_URL", "https://example.invalid/v1")
    monkeypatch.setenv("PM_LLM_MODEL", "gpt-4o-mini")
    settings = Settings()
    assert settings.llm_api_key is not None
    assert settings.llm_api_key.get_secret_value() == "sk-from-openai-var"
    assert settings.llm_base_url == "https://example.invalid/v1"


def test_the_client_has_sdk_retries_off_and_the_timeout() -> None:
    client = build_client(llm_settings(llm_timeout=42))
    assert type(client) is AsyncOpenAI
    assert client.max_retries == 0
    assert isinstance(client.timeout, httpx.Timeout) and client.timeout.read == 42
    assert str(client.base_url) == BASE_URL + "/"
    assert client.api_key == "sk-test"


def test_a_local_server_needs_no_key() -> None:
    settings = Settings(PM_LLM_BASE_URL="http://127.0.0.1:8080/v1", PM_LLM_MODEL="local")
    assert build_client(settings).api_key == "not-needed"


def test_the_client_uses_the_given_http_client() -> None:
    http_client = httpx.AsyncClient()
    client = build_client(llm_settings(), http_client=http_client)
    assert client._client is http_client


async def test_azure_when_an_api_version_is_set(respx_mock: respx.MockRouter) -> None:
    from tests.llm_fakes import reply, seed_report

    settings = Settings(
        PM_LLM_BASE_URL="https://contoso.openai.azure.com",
        PM_LLM_API_KEY="azure-key",
        PM_LLM_MODEL="my-gpt4o-deployment",
        PM_LLM_API_VERSION="2024-10-21",
    )
    client = build_client(settings)
    assert isinstance(client, AsyncAzureOpenAI) and client.max_retries == 0
    route = respx_mock.post(
        "https://contoso.openai.azure.com/openai/deployments/my-gpt4o-deployment/chat/completions"
    ).mock(return_value=reply(seed_report()))
    from tests.llm_fakes import instant_retry, seed_transcript

    await LLMEngine(settings, client=client, retry=instant_retry()).extract(seed_transcript())

    request = route.calls.last.request
    assert request.url.params["api-version"] == "2024-10-21"
    assert request.headers["api-key"] == "azure-key"


def test_unconfigured_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="not configured"):
        build_client(Settings())
    with pytest.raises(ConfigurationError, match="not configured"):
        LLMEngine(Settings())


def models(*ids: str) -> dict[str, Any]:
    return {"object": "list", "data": [{"id": i, "object": "model", "owned_by": "x"} for i in ids]}


@pytest.mark.parametrize(
    ("response", "ready", "says"),
    [
        (httpx.Response(200, json=models(MODEL, "other")), True, "available"),
        (httpx.Response(200, json=models("other")), False, "does not serve PM_LLM_MODEL"),
        (httpx.Response(401, json={"error": {"message": "bad key"}}), False, "PM_LLM_API_KEY"),
        (httpx.Response(404, json={"error": {"message": "nope"}}), False, "PM_LLM_BASE_URL"),
        (httpx.Response(500, json={"error": {"message": "boom"}}), False, "with 500"),
        (httpx.ConnectError("refused"), False, "cannot connect"),
        (httpx.ReadTimeout("slow"), False, "did not answer"),
    ],
)
async def test_readiness(
    respx_mock: respx.MockRouter,
    response: httpx.Response | Exception,
    ready: bool,
    says: str,
) -> None:
    route = respx_mock.get(MODELS_URL)
    if isinstance(response, Exception):
        route.mock(side_effect=response)
    else:
        route.mock(return_value=response)
    settings = llm_settings()

    ok, detail = await check_llm(settings, build_client(settings))

    assert ok is ready and says in detail
    assert route.call_count == 1  # no retries on the probe


# ---- a judge of its own ----------------------------------------------------------------------

JUDGE_URL = "http://judge.test/v1"


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"PM_JUDGE_BASE_URL": JUDGE_URL}, "PM_JUDGE_MODEL"),
        ({"PM_JUDGE_BASE_URL": "judge.test:8081", "PM_JUDGE_MODEL": "j"}, "PM_JUDGE_BASE_URL"),
    ],
)
def test_bad_judge_settings_fail_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], named: str
) -> None:
    for name, value in ({"PM_LLM_BASE_URL": BASE_URL, "PM_LLM_MODEL": MODEL} | variables).items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=named):
        Settings()


def test_judge_settings_come_from_pm_judge_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PM_LLM_BASE_URL", BASE_URL)
    monkeypatch.setenv("PM_LLM_MODEL", MODEL)
    monkeypatch.setenv("PM_JUDGE_MODEL", "judge-model")
    monkeypatch.setenv("PM_JUDGE_BASE_URL", JUDGE_URL)
    monkeypatch.setenv("PM_JUDGE_API_KEY", "judge-key")
    settings = Settings()
    assert settings.judge_model_name == "judge-model" and settings.judge_configured
    assert settings.judge_api_key is not None
    assert settings.judge_api_key.get_secret_value() == "judge-key"


def test_the_judge_is_the_llm_unless_told_otherwise() -> None:
    from app.engines.registry import EngineRegistry

    same = EngineRegistry(llm_settings())
    assert same.judge_client() is same.llm_client()
    assert same.judge_endpoint().model == MODEL

    other_model = EngineRegistry(llm_settings(judge_model="judge-model"))
    assert other_model.judge_client() is other_model.llm_client()  # same server, same key
    assert other_model.judge_endpoint().model == "judge-model"
    assert other_model.judge_endpoint().model_variable == "PM_JUDGE_MODEL"


def test_the_extraction_key_never_goes_to_the_judges_own_endpoint() -> None:
    own = llm_settings(judge_model="judge-model", judge_base_url=JUDGE_URL)
    judge = build_client(own, role="judge")
    assert str(judge.base_url) == JUDGE_URL + "/"
    assert judge.api_key == "not-needed"  # not sk-test, which belongs to BASE_URL

    keyed = build_client(
        llm_settings(judge_model="j", judge_base_url=JUDGE_URL, judge_api_key="jk"), role="judge"
    )
    assert keyed.api_key == "jk"

    same_server_other_key = build_client(llm_settings(judge_api_key="jk"), role="judge")
    assert str(same_server_other_key.base_url) == BASE_URL + "/"
    assert same_server_other_key.api_key == "jk"


def test_a_judge_on_its_own_endpoint_is_called_there(
    respx_mock: respx.MockRouter, seed_chat_text: str
) -> None:
    import json

    from fastapi.testclient import TestClient

    from app.ingest import parse_transcript
    from app.main import create_app
    from tests.llm_fakes import COMPLETIONS_URL, reply, seed_report

    extraction = respx_mock.post(COMPLETIONS_URL).mock(
        return_value=reply(seed_report(parse_transcript(seed_chat_text)))
    )

    def verdicts(request: httpx.Request) -> httpx.Response:
        from app.llm.chat import ChatRequest
        from tests.llm_fakes import judge_verdicts

        body = json.loads(request.content)
        asked = ChatRequest(body["model"], body["messages"], body["response_format"], 0, 1)
        return reply(judge_verdicts(asked))

    judge = respx_mock.post(f"{JUDGE_URL}/chat/completions").mock(side_effect=verdicts)
    settings = llm_settings(
        judge_model="judge-model", judge_base_url=JUDGE_URL, judge_api_key="judge-key"
    )
    with TestClient(create_app(settings)) as test_client:
        response = test_client.post("/draft", json={"transcript": seed_chat_text, "engine": "llm"})

    assert response.status_code == 200, response.text
    assert extraction.call_count == 1 and judge.call_count == 1
    sent = judge.calls.last.request
    assert json.loads(sent.content)["model"] == "judge-model"
    assert sent.headers["authorization"] == "Bearer judge-key"
    assert extraction.calls.last.request.headers["authorization"] == "Bearer sk-test"
    assert any(c["judged_by"] == "llm" for c in response.json()["verification"]["claims"])


def test_readyz_probes_a_judge_of_its_own(respx_mock: respx.MockRouter) -> None:
    from fastapi.testclient import TestClient

    from app.main import create_app

    respx_mock.get(MODELS_URL).mock(return_value=httpx.Response(200, json=models(MODEL)))
    respx_mock.get(f"{JUDGE_URL}/models").mock(return_value=httpx.Response(200, json=models("x")))
    settings = llm_settings(judge_model="judge-model", judge_base_url=JUDGE_URL)
    with TestClient(create_app(settings)) as test_client:
        ready = test_client.get("/readyz")

    assert ready.status_code == 503
    body = ready.json()
    assert body["llm"].endswith("model 'test-model' available")
    assert body["judge"] == (
        "http://judge.test:80 does not serve PM_JUDGE_MODEL='judge-model' (it lists: x)"
    )
