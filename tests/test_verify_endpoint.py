"""POST /verify and `postmortem verify`: any draft checked against its transcript."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
from fastapi.testclient import TestClient

from app.cli import main
from app.config import Settings
from app.main import create_app
from tests.conftest import SEED_CHAT, SEED_LLM_DRAFT
from tests.llm_fakes import COMPLETIONS_URL, llm_settings, reply


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings())) as test_client:
        yield test_client


def _status_of(claims: list[dict[str, object]], fragment: str) -> str:
    found = [c for c in claims if fragment.lower() in str(c["text"]).lower()]
    assert found, f"no claim contains {fragment!r}"
    return str(found[0]["status"])


def test_verify_flags_the_invented_claims_of_seed_001(
    client: TestClient, seed_chat_text: str, seed_llm_draft_text: str
) -> None:
    response = client.post(
        "/verify", json={"transcript": seed_chat_text, "draft": seed_llm_draft_text}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    claims = body["verification"]["claims"]
    for invented in ("thousands of transactions daily", "all payment attempts", "On [date]"):
        assert _status_of(claims, invented) in ("unsupported", "contradicted"), invented
    for invented in ("Automated tests have been added", "multiple payment gateways"):
        assert _status_of(claims, invented) == "unconfirmed", invented
    assert _status_of(claims, "Rollback completed, error rates beginning to drop") == "supported"
    counts = body["verification"]
    tally = ("supported", "unconfirmed", "unsupported", "contradicted")
    assert sum(counts[k] for k in tally) == len(claims)
    assert len(body["messages"]) == 30
    for claim in claims:
        assert claim["reason"]
        assert all(1 <= i <= 30 for i in claim["evidence"])


def test_verify_redacts_secrets_in_the_draft_and_the_transcript(client: TestClient) -> None:
    chat = "[09:14] Kofi: db url postgres://app:S3cretPassw0rd@db.internal/orders is refused"
    draft = "The DSN postgres://app:S3cretPassw0rd@db.internal/orders was refused at 09:14."
    response = client.post("/verify", json={"transcript": chat, "draft": draft})
    assert response.status_code == 200, response.text
    assert "S3cretPassw0rd" not in response.text
    assert response.json()["redactions"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"transcript": "[09:14] a: b"}, 422),
        ({"transcript": "[09:14] a: b", "draft": ""}, 422),
        ({"transcript": "no chat here", "draft": "x"}, 422),
        ({"transcript": "[09:14] a: b", "draft": "x", "extra": 1}, 422),
    ],
)
def test_verify_bad_requests_are_problems(
    client: TestClient, body: dict[str, object], status: int
) -> None:
    response = client.post("/verify", json=body)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_draft_with_too_many_claims_is_a_413(seed_chat_text: str) -> None:
    draft = "\n".join(f"- Error rate {i}% at 09:14." for i in range(60))
    with TestClient(create_app(Settings(verify_max_claims=50))) as small:
        response = small.post("/verify", json={"transcript": seed_chat_text, "draft": draft})
    assert response.status_code == 413, response.text
    body = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "60 claims" in body["detail"] and "50" in body["detail"] and body["hint"]


@pytest.mark.parametrize(
    "draft",
    ["**Date:** 2025-02-30", "**Date:** 9999-12-31 (UTC)", "[" * 5000, "]" * 5000, "*" * 5000],
)
def test_odd_drafts_get_an_answer_not_a_500(
    client: TestClient, seed_chat_text: str, draft: str
) -> None:
    response = client.post("/verify", json={"transcript": seed_chat_text, "draft": draft})
    assert response.status_code == 200, response.text


def test_an_impossible_date_is_unsupported(client: TestClient, seed_chat_text: str) -> None:
    body = client.post(
        "/verify", json={"transcript": seed_chat_text, "draft": "**Date:** 2025-02-30"}
    ).json()
    (claim,) = body["verification"]["claims"]
    assert claim["status"] == "unsupported" and "not a date" in claim["reason"]


def test_verify_with_an_llm_sends_unsettled_claims_to_the_judge(
    respx_mock: respx.MockRouter, seed_chat_text: str, seed_llm_draft_text: str
) -> None:
    asked: list[int] = []

    def judge(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        assert body["response_format"]["json_schema"]["name"] == "claim_verdicts"
        listed = body["messages"][1]["content"].split("Claims to judge:", 1)[1]
        indexes = [int(i) for i in re.findall(r"^(\d+)\. ", listed, flags=re.MULTILINE)]
        asked.extend(indexes)
        verdicts = [
            {"index": i, "status": "unsupported", "evidence": [], "reason": "not in the chat"}
            for i in indexes
        ]
        return reply({"verdicts": verdicts})

    route = respx_mock.post(COMPLETIONS_URL).mock(side_effect=judge)
    with TestClient(create_app(llm_settings())) as with_llm:
        response = with_llm.post(
            "/verify", json={"transcript": seed_chat_text, "draft": seed_llm_draft_text}
        )
    assert response.status_code == 200, response.text
    assert route.call_count == 1
    claims = response.json()["verification"]["claims"]
    judged = [c for c in claims if c["judged_by"] == "llm"]
    assert asked and len(judged) == len(asked)
    assert all(c["judged_by"] == "rules" for c in claims if c not in judged)


def test_cli_verify_lists_claims_and_strict_fails_on_unsupported(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["verify", "--transcript", str(SEED_CHAT), str(SEED_LLM_DRAFT)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^UNSUPPORTED\s+.*thousands of transactions", out, flags=re.MULTILINE)
    assert re.search(
        r"^\d+ claims: \d+ supported, \d+ unconfirmed, \d+ unsupported, \d+ contradicted$",
        out,
        flags=re.MULTILINE,
    )
    assert main(["verify", "--strict", "--transcript", str(SEED_CHAT), str(SEED_LLM_DRAFT)]) == 1


def test_cli_verify_accepts_our_own_draft_as_fully_supported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = tmp_path / "draft.md"
    assert main(["draft", str(SEED_CHAT)]) == 0
    draft.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["verify", "--strict", "--json", "--transcript", str(SEED_CHAT), str(draft)]) == 0
    report = json.loads(capsys.readouterr().out)["verification"]
    assert report["unsupported"] == report["contradicted"] == 0
    assert report["supported"] > 10
