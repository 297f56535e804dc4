"""keep_items on a first llm draft: the four-step finish (verified once, every failed field kept
and marked) ships what the checker ships, and puts back only the items named."""

from __future__ import annotations

import json

import pytest
import respx
from fastapi.testclient import TestClient

from app.ingest import parse_transcript
from app.main import create_app
from tests.llm_fakes import COMPLETIONS_URL, llm_settings, reply
from tests.review_fakes import PLANTED_EVENT, answer_for, planted_report


@pytest.mark.parametrize("keep", [[], ["timeline[7]"]])
@pytest.mark.parametrize(
    "with_llm_checks", [False, True]
)  # finished in verify_or_finish / after a repair
def test_a_first_llm_draft_puts_back_only_the_items_named(
    respx_mock: respx.MockRouter, seed_chat_text: str, keep: list[str], with_llm_checks: bool
) -> None:
    answer = planted_report(parse_transcript(seed_chat_text))
    respx_mock.post(COMPLETIONS_URL).mock(
        side_effect=lambda request: reply(answer_for(json.loads(request.content), answer))
    )
    with TestClient(create_app(llm_settings(verify_with_llm=with_llm_checks))) as client:
        response = client.post(
            "/draft", json={"transcript": seed_chat_text, "engine": "llm", "keep_items": keep}
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["usage"]["llm_calls"] >= 1  # drafted afresh, not from a cache
    kinds = [json.loads(call.request.content) for call in respx_mock.calls]
    assert len(kinds) == 1 or with_llm_checks  # rules only: the extraction, nothing else
    failed = {
        c["item"]
        for c in body["verification"]["claims"]
        if c["status"] in ("unsupported", "contradicted")
    }
    assert "timeline[7]" in failed
    assert (PLANTED_EVENT in body["draft"]["text"]) == bool(keep)
