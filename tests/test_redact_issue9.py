"""Regression tests for the secrets that got out in issue 9's attack run.

The listed paste variants (each was left unredacted before), then a chat holding them all sent
through POST /draft: neither the answer (messages, drafts) nor the request to the LLM may hold
any of them. Token-shaped values are assembled at run time so that this file does not look
like a leaked credential to secret scanners.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
import respx
from fastapi.testclient import TestClient

from app.ingest import parse_transcript
from app.main import create_app
from app.redact import redact_text
from tests.llm_fakes import COMPLETIONS_URL, llm_settings, reply, seed_report


def _t(*parts: str) -> str:
    return "".join(parts)


AWS_SECRET = _t("q7Hk2PxV9mLw/Ty4Rn8Zc", "3Bf6Gj1Ds5Ka0Ue/YiWo")
DISCORD_HOOK = _t(
    "https://discord.com/api/webhooks/", "1229493618520359054/",
    "BTtU9nOMBK_9nyIIvl8wxOZF0S3UaM5FjQVK7pJyJrsFDP5diBRZY0y8NCzeQXHqFwSp",
)  # fmt: skip
TEAMS_HOOK = _t(
    "https://acme.webhook.office.com/webhookb2/",
    "7c9e6679-7425-40de-944b-e07fc1f90ae7@9a1b2c3d-7425-40de-944b-e07fc1f90ae8/IncomingWebhook/",
    "4bf92f3577b34da6a3ce929d0e0e4736/1f2e3d4c-7425-40de-944b-e07fc1f90ae9",
)
SHOPIFY = _t("shpat_", "2238908170fccb4d5b1f035cb6dce721")
DIGITALOCEAN = _t("dop_v1_", "4bf92f3577b34da6a3ce929d0e0e4736" * 2)
KEY_ID = "9f3e2d1c0b4a59687f6e5d4c3b2a190817263544"

# (issue's wording, text pasted, secret that must go)
LEAKED: list[tuple[str, str, str]] = [
    (
        "postgres DSN, # in password",
        "postgres://app:Xk9#pq2vv@db.internal:5432/orders",
        "Xk9#pq2vv",
    ),
    ("URL password with /", "https://svc:Pa/ss7word@api.internal/v1", "Pa/ss7word"),
    ("URL password with ?", "mysql://root:Wh0?Kn0ws@mysql-0:3306/shop", "Wh0?Kn0ws"),
    ("DSN password with @", "redis://default:r3d@s#1@cache.internal:6379/0", "r3d@s#1"),
    ("admin pw on grafana is X", "admin pw on grafana is Gr4f@na2024", "Gr4f@na2024"),
    ("log in with ops@... / X", "log in with ops@example.com / Opsl0gin!", "Opsl0gin!"),
    ("GCP private_key_id", f'"private_key_id": "{KEY_ID}",', KEY_ID),
    ("the password for root is X", "the password for root is Xk9#pq2", "Xk9#pq2"),
    ("pw is X", "pw is hunter2-prod", "hunter2-prod"),
    ("pass: X", "pass: D3ploy!Now", "D3ploy!Now"),
    ("set the password to X", "set the password to Summer2024!", "Summer2024!"),
    ("password -> X", "password -> stg-Db#991", "stg-Db#991"),
    ("REDIS_AUTH=", "REDIS_AUTH=r3dis-Auth-77", "r3dis-Auth-77"),
    ("mysql -p'X'", "mysql -u root -p'My$ql#R00t' orders", "My$ql#R00t"),
    ("docker login -p X", "docker login -u ci -p Dock3r!Reg registry.acme.io", "Dock3r!Reg"),
    ("AWS secret key bare in prose", f"new creds: the aws secret is {AWS_SECRET}", AWS_SECRET),
    ("Discord webhook", f"alerts go to {DISCORD_HOOK}", DISCORD_HOOK),
    ("Teams webhook", f"TEAMS_WEBHOOK={TEAMS_HOOK}", TEAMS_HOOK),
    ("Shopify token", f"the app uses {SHOPIFY}", SHOPIFY),
    ("DigitalOcean token", f"doctl auth init with {DIGITALOCEAN}", DIGITALOCEAN),
]


@pytest.mark.parametrize(("text", "secret"), [c[1:] for c in LEAKED], ids=[c[0] for c in LEAKED])
def test_paste_that_leaked_is_redacted(text: str, secret: str) -> None:
    redacted, findings = redact_text(text)

    assert secret not in redacted
    assert "[REDACTED:" in redacted and findings


def _chat() -> str:
    lines = [f"[10:{i:02d}] Dana\n{text}\n" for i, (_, text, _) in enumerate(LEAKED, start=1)]
    return "\n".join(lines)


@pytest.fixture
def chat(seed_chat_text: str) -> str:
    return seed_chat_text.rstrip() + "\n\n" + _chat()


@pytest.fixture
def offline() -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client


@pytest.mark.parametrize("audience", ["engineering", "stakeholder"])
def test_offline_draft_answer_holds_none_of_the_secrets(
    offline: TestClient, chat: str, audience: str
) -> None:
    response = offline.post("/draft", json={"transcript": chat, "audience": audience})

    assert response.status_code == 200, response.text
    for _, _, secret in LEAKED:
        assert secret not in response.text
    assert response.json()["redactions"]


def test_llm_request_and_answer_hold_none_of_the_secrets(
    respx_mock: respx.MockRouter, chat: str
) -> None:
    sent: list[httpx.Request] = []
    answer = seed_report(parse_transcript(chat))

    def upstream(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return reply(answer)

    respx_mock.post(COMPLETIONS_URL).mock(side_effect=upstream)
    with TestClient(create_app(llm_settings(verify_with_llm=False))) as client:
        response = client.post(
            "/draft", json={"transcript": chat, "audience": "engineering", "engine": "llm"}
        )

    assert response.status_code == 200, response.text
    assert sent
    bodies = [json.dumps(json.loads(request.content)) for request in sent]
    for _, _, secret in LEAKED:
        assert all(secret not in body for body in bodies)
        assert secret not in response.text
