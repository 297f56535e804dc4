"""What the review page needs from the service, without a browser: verdicts that name their draft
line, putting chosen failed items back (keep_items), POST /render, GET /capabilities, the page
and its static files (open even with API keys), and /docs and /redoc with local assets only."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from fastapi.testclient import TestClient

from app.analysis import finish_draft
from app.config import Settings
from app.engines.extractive import extract_report
from app.engines.registry import EngineRegistry
from app.ingest import parse_transcript
from app.main import create_app
from app.models import Extraction, IncidentReport, TimelineEntry, Usage, hhmm
from app.pipeline import DraftOptions, DraftResult, create_draft
from app.render import render_draft
from app.render.locate import item_lines
from app.report_items import report_items, shipped_paths, withhold_failed
from app.steps import prepare_transcript
from app.ui import STATIC
from app.verify import verify_report
from app.verify.verdicts import SHIPPED_STATUSES
from tests.llm_fakes import COMPLETIONS_URL, llm_settings, reply, seed_report
from tests.review_fakes import (
    PLANTED_EVENT,
    PLANTED_IMPACT,
    answer_for,
    planted_report,
    schema_name,
)

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "data" / "seed_000_checkout_chat.txt"
API_KEY = "review-api-test-key-0123456789"


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings()), raise_server_exceptions=False) as test_client:
        yield test_client


def _draft(text: str, **options: Any) -> DraftResult:
    engines = EngineRegistry(Settings())
    return asyncio.run(create_draft(text, DraftOptions(**options), engines))


def _shown_items(result: DraftResult) -> list[tuple[str, int]]:
    return [(c.item or "", c.line) for c in result.verification.claims if c.line is not None]


# ---------------------------------------------------------------------------------------------
# Verdicts name their line
# ---------------------------------------------------------------------------------------------


def test_every_verdict_of_the_engineering_draft_names_the_line_of_its_item(
    seed_chat_text: str,
) -> None:
    result = _draft(seed_chat_text)
    assert not any(c.failed for c in result.verification.claims)  # paths are positions
    lines = result.draft.text.splitlines()
    report = result.incident
    for claim in result.verification.claims:
        assert claim.item is not None
        if claim.item.startswith(("summary.plain", "plain_title")) or claim.item.endswith(".plain"):
            assert claim.line is None  # the email's wording is not in this draft
            continue
        if claim.item == "title":
            assert claim.line == 1 and lines[0] == f"# Postmortem: {claim.text}"
            continue
        assert claim.line is not None, claim.item
        line = lines[claim.line - 1]
        cited = ", ".join(f"m{i}" for i in claim.evidence if f"m{i}" in line)
        assert cited, (claim.item, line)  # the line cites the item's messages
        if claim.item.startswith("timeline["):
            entry = report.timeline[int(claim.item[9:-1])]
            assert line.startswith(f"| {hhmm(entry.time)} | ")
        if claim.item.startswith("action_items["):
            action = report.action_items[int(claim.item[13:-1])]
            assert line.startswith(f"| {action.owner} | {action.description} |")
    root = next(c.line for c in result.verification.claims if c.item == "root_cause")
    assert root is not None
    assert lines[root - 1].startswith("At 09:17: “We moved payment configs")
    assert lines[root - 2] == "" and lines[root - 3] == "## Root cause"


def test_the_email_places_only_what_it_prints(seed_chat_text: str) -> None:
    result = _draft(seed_chat_text, audience="stakeholder")
    lines = result.draft.text.splitlines()
    placed = dict(_shown_items(result))
    assert placed, "the email shows plain-language items"
    for item, number in placed.items():
        assert item.startswith(("summary.plain", "plain_title")) or item.endswith(".plain"), item
        line = lines[number - 1]
        assert not line.startswith("#") and "[m" not in line, (item, line)
    assert placed["plain_title"] == 1 and lines[0].startswith("Subject: ")
    timeline = {int(item[9:-7]): n for item, n in placed.items() if item.startswith("timeline[")}
    assert timeline, placed
    for index, number in timeline.items():
        entry = result.incident.timeline[index]
        assert lines[number - 1].startswith(f"- {hhmm(entry.time)}: ")


def test_lines_are_not_guessed_when_the_rendering_does_not_line_up(seed_chat_text: str) -> None:
    transcript = parse_transcript(seed_chat_text)
    report = IncidentReport.model_validate(
        seed_report(transcript), context={"transcript": transcript}
    )
    draft = render_draft(report, transcript, "engineering").text
    assert item_lines(report, report, transcript, "engineering", None, draft + "\nextra") == {}
    placed = item_lines(report, report, transcript, "engineering", None, draft)
    # A heading carries no item: every item keeps its line. A changed item line loses its item.
    assert (
        item_lines(
            report,
            report,
            transcript,
            "engineering",
            None,
            draft.replace("## Timeline", "## Events"),
        )
        == placed
    )
    root = placed["root_cause"]
    lines = draft.splitlines()
    lines[root - 1] = "At 09:17: something else [m7]"
    found = item_lines(report, report, transcript, "engineering", None, "\n".join(lines))
    assert "root_cause" not in found and len(found) == len(placed) - 1


def test_shipped_paths_follow_items_left_out_or_marked(seed_chat_text: str) -> None:
    transcript = parse_transcript(seed_chat_text)
    report = IncidentReport.model_validate(
        seed_report(transcript), context={"transcript": transcript}
    )
    wrong = TimelineEntry(
        time="09:18", description="Rollback of the 9:00 build", kind="mitigation", evidence=[3]
    )
    extracted = report.model_copy(update={"timeline": [wrong, *report.timeline]})
    shipped, verification = verify_report(extracted, transcript)
    statuses = {c.item: c.status for c in verification.claims}
    assert statuses["timeline[0]"] not in SHIPPED_STATUSES
    paths = shipped_paths(extracted, shipped)
    kept = [
        i for i in range(len(extracted.timeline)) if statuses[f"timeline[{i}]"] in SHIPPED_STATUSES
    ]
    assert len(kept) < len(extracted.timeline) and len(shipped.timeline) == len(kept)
    # Each shipped entry maps to the extracted entry it is; later entries move up past the gaps.
    assert [paths[f"timeline[{j}]"] for j in range(len(kept))] == [f"timeline[{i}]" for i in kept]
    marked, _ = verify_report(extracted, transcript, keep_failed=True)
    assert shipped_paths(extracted, marked)["timeline[0]"] == "timeline[0]"
    put_back = withhold_failed(marked, verification, {"timeline[0]"})
    assert put_back.timeline[0].description.startswith("(unverified) ")
    assert len(put_back.timeline) == len(shipped.timeline) + 1
    assert dict(report_items(withhold_failed(marked, verification))) == dict(report_items(shipped))


def _reports() -> Iterator[tuple[str, IncidentReport, Any]]:
    """Reports with failures of every kind: planted ones, and the offline engine's own
    extractions of the original sample incidents (dev split)."""
    transcript = parse_transcript(SEED.read_text(encoding="utf-8"))
    data = planted_report(transcript)
    data["impact"][0]["plain"] = "Errors hit 90% of checkouts."
    data["plain_title"] = "All payments failed for a day"
    yield (
        "planted",
        IncidentReport.model_validate(data, context={"transcript": transcript}),
        transcript,
    )
    for folder in sorted((ROOT / "eval" / "incidents").glob("0[1-6]-*")):
        chat = parse_transcript((folder / "transcript.txt").read_text(encoding="utf-8"))
        yield folder.name, extract_report(chat).report, chat


def test_withholding_from_the_marked_report_ships_what_the_checker_ships() -> None:
    for name, report, transcript in _reports():
        shipped, verification = verify_report(report, transcript)
        marked, again = verify_report(report, transcript, keep_failed=True)
        assert again == verification, name
        assert withhold_failed(marked, verification) == shipped, name
        kept = withhold_failed(
            marked, verification, {c.item for c in verification.claims if c.item}
        )
        assert kept == marked, name


# ---------------------------------------------------------------------------------------------
# keep_items: put chosen failed items back, marked
# ---------------------------------------------------------------------------------------------


def _planted(**options: Any) -> DraftResult:
    """Seed 000 drafted from an extraction with two items the check contradicts."""
    prepared = prepare_transcript(SEED.read_text(encoding="utf-8"), None, None, None)
    report = IncidentReport.model_validate(
        planted_report(prepared.transcript), context={"transcript": prepared.transcript}
    )
    extraction = Extraction(report=report)
    return finish_draft(prepared, extraction, DraftOptions(**options), "extractive", Usage())


def test_keep_items_puts_back_one_failed_item_marked_and_leaves_the_others_out() -> None:
    plain = _planted()
    failed = {c.item: c for c in plain.verification.claims if c.failed}
    assert set(failed) == {"impact[2]", "timeline[7]"}
    assert all(c.line is None for c in failed.values())
    assert PLANTED_IMPACT not in plain.draft.text and PLANTED_EVENT not in plain.draft.text

    kept = _planted(keep_items=["timeline[7]"])
    verdicts = {c.item: c for c in kept.verification.claims}
    line = verdicts["timeline[7]"].line
    assert line is not None
    lines = kept.draft.text.splitlines()
    assert lines[line - 1].startswith("| 09:21 | (unverified) ")
    assert PLANTED_EVENT in lines[line - 1]
    assert verdicts["impact[2]"].line is None and PLANTED_IMPACT not in kept.draft.text
    marked = [n for n, text in enumerate(lines, 1) if "(unverified)" in text]
    assert marked == [line, next(n for n, t in enumerate(lines, 1) if "**Marked:**" in t)]
    assert any("1 extracted item(s) failed verification" in w for w in kept.warnings)
    # Nothing else changes: the same verdicts, and the other lines where they were.
    assert [c.model_dump(exclude={"line"}) for c in kept.verification.claims] == [
        c.model_dump(exclude={"line"}) for c in plain.verification.claims
    ]
    everything = _planted(keep_unverified=True)
    assert all(c.line is not None for c in everything.verification.claims if c.failed)
    assert PLANTED_IMPACT in everything.draft.text


def test_a_failed_plain_wording_can_be_put_back_in_the_email() -> None:
    prepared = prepare_transcript(SEED.read_text(encoding="utf-8"), None, None, None)
    data = planted_report(prepared.transcript)
    data["impact"][0]["plain"] = "Errors hit 90% of checkouts."  # the chat says 45%
    extraction = Extraction(
        report=IncidentReport.model_validate(data, context={"transcript": prepared.transcript})
    )

    def email(**options: Any) -> DraftResult:
        return finish_draft(
            prepared, extraction, DraftOptions(audience="stakeholder", **options), "x", Usage()
        )

    dropped = email()
    verdict = next(c for c in dropped.verification.claims if c.item == "impact[0].plain")
    assert verdict.failed and verdict.line is None
    assert "90%" not in dropped.draft.text
    back = email(keep_items=["impact[0].plain"])
    verdict = next(c for c in back.verification.claims if c.item == "impact[0].plain")
    assert verdict.line is not None
    line = back.draft.text.splitlines()[verdict.line - 1]
    assert line == "- (unverified) Errors hit 90% of checkouts."


@pytest.mark.parametrize("how", ["json", "json-commas", "query", "form"])
def test_keep_items_in_every_body_shape(client: TestClient, how: str) -> None:
    text = "[09:14] Priya: checkout errors at 45%\n[09:21] Ravi: rollback complete"
    if how == "json":
        response = client.post("/draft", json={"transcript": text, "keep_items": ["timeline[0]"]})
    elif how == "json-commas":
        response = client.post(
            "/draft", json={"transcript": text, "keep_items": "timeline[0], impact[1].plain"}
        )
    elif how == "query":
        response = client.post(
            "/draft?keep_items=timeline[0]", content=text, headers={"content-type": "text/plain"}
        )
    else:
        response = client.post(
            "/draft", files={"file": ("chat.txt", text.encode())}, data={"keep_items": "root_cause"}
        )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("value", [["bogus"], ["timeline[x]"], ["timeline[1]; drop"], ["a" * 80]])
def test_keep_items_that_name_no_item_are_a_clear_422(client: TestClient, value: list[str]) -> None:
    response = client.post(
        "/draft", json={"transcript": "[09:14] Priya: errors", "keep_items": value}
    )
    assert response.status_code == 422
    assert "names no report item" in response.json()["detail"]


def test_putting_back_and_the_other_audience_cost_no_llm_call(
    respx_mock: respx.MockRouter, seed_chat_text: str
) -> None:
    answer = planted_report(parse_transcript(seed_chat_text))
    calls: list[str] = []

    def upstream(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        calls.append(schema_name(body))
        return reply(answer_for(body, answer))

    respx_mock.post(COMPLETIONS_URL).mock(side_effect=upstream)
    request = {"transcript": seed_chat_text, "engine": "llm"}
    with TestClient(create_app(llm_settings())) as llm_client:
        first = llm_client.post("/draft", json=request)
        assert first.status_code == 200, first.text
        spent = list(calls)
        failed = [
            c["item"]
            for c in first.json()["verification"]["claims"]
            if c["status"] in ("unsupported", "contradicted")
        ]
        assert "timeline[7]" in failed, failed
        again = llm_client.post("/draft", json={**request, "keep_items": ["timeline[7]"]})
        other = llm_client.post("/draft", json={**request, "audience": "stakeholder"})
    assert again.status_code == other.status_code == 200
    assert "incident_report" in spent and calls == spent  # the caches answered both
    assert again.json()["usage"]["llm_calls"] == other.json()["usage"]["llm_calls"] == 0
    assert PLANTED_EVENT in again.json()["draft"]["text"]
    assert PLANTED_EVENT not in first.json()["draft"]["text"]


# ---------------------------------------------------------------------------------------------
# POST /render
# ---------------------------------------------------------------------------------------------


def test_render_draws_the_timeline_picture_of_a_draft(
    client: TestClient, seed_chat_text: str
) -> None:
    result = client.post("/draft", json={"transcript": seed_chat_text}).json()
    body = {"incident": result["incident"], "messages": result["messages"]}
    response = client.post("/render", json=body, headers={"accept": "image/svg+xml"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.text.count('class="pm-entry"') == len(result["incident"]["timeline"]) == 9
    same = client.post(
        "/draft",
        content=seed_chat_text,
        headers={"content-type": "text/plain", "accept": "image/svg+xml"},
    )
    assert response.text == same.text  # the same picture POST /draft draws


def test_render_makes_the_standalone_page_of_an_edited_draft(
    client: TestClient, seed_chat_text: str
) -> None:
    result = client.post("/draft", json={"transcript": seed_chat_text}).json()
    edited = result["draft"]["text"].replace(
        "## Summary", "## Summary\n\n<script>alert(1)</script> **Edited**"
    )
    response = client.post(
        "/render",
        json={"draft": edited, "incident": result["incident"], "messages": result["messages"]},
        headers={"accept": "text/html"},
    )
    assert response.status_code == 200
    page = response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    assert "<strong>Edited</strong>" in page and '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert "default-src 'none'" in response.headers["content-security-policy"]
    without_report = client.post("/render", json={"draft": edited, "audience": "stakeholder"})
    assert without_report.status_code == 200 and "<svg" not in without_report.text


@pytest.mark.parametrize(
    ("body", "accept", "status", "needle"),
    [
        ({}, "image/svg+xml", 422, "needs the report"),
        ({"draft": " "}, "text/html", 422, "needs the draft's text"),
        ({"draft": "x", "extra": 1}, "text/html", 422, "extra"),
        ({"incident": {"title": "x"}, "messages": []}, "image/svg+xml", 422, "does not fit"),
    ],
)
def test_render_refuses_what_it_cannot_draw(
    client: TestClient, body: dict[str, Any], accept: str, status: int, needle: str
) -> None:
    response = client.post("/render", json=body, headers={"accept": accept})
    assert response.status_code == status
    assert needle in response.text


def test_render_checks_the_report_against_its_messages(
    client: TestClient, seed_chat_text: str
) -> None:
    result = client.post("/draft", json={"transcript": seed_chat_text}).json()
    shuffled = [result["messages"][1], result["messages"][0], *result["messages"][2:]]
    response = client.post("/render", json={"incident": result["incident"], "messages": shuffled})
    assert response.status_code == 422 and "ids must run 1, 2, 3" in response.json()["detail"]
    few = result["messages"][:5]
    response = client.post(
        "/render",
        json={"incident": result["incident"], "messages": few},
        headers={"accept": "image/svg+xml"},
    )
    assert response.status_code == 422 and "do not exist" in response.json()["detail"]
    assert (
        client.post("/render", content="x", headers={"content-type": "text/plain"}).status_code
        == 415
    )


# ---------------------------------------------------------------------------------------------
# The page, its files, capabilities, keys, docs
# ---------------------------------------------------------------------------------------------


def test_the_page_and_every_file_it_loads_are_served_from_the_package(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    page = response.text
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", page)  # nothing from elsewhere
    loaded = re.findall(r"(?:src|href)=\"(/ui/[^\"]+)\"", page)
    scripts = [p for p in STATIC.rglob("*.js")]
    for script in scripts:
        text = script.read_text(encoding="utf-8")
        assert "http://" not in text.replace("http://www.w3.org", "") and "https://" not in text
        loaded += ["/ui/js/" + name for name in re.findall(r'from "\./([a-z]+\.js)"', text)]
    assert {"/ui/review.css", "/ui/js/review.js", "/ui/js/draft.js", "/ui/js/api.js"} <= set(loaded)
    for path in set(loaded):
        asset = client.get(path)
        assert asset.status_code == 200, path
        kind = "text/css" if path.endswith(".css") else "javascript"
        assert kind in asset.headers["content-type"], path


def test_capabilities_say_which_engines_and_limits(client: TestClient) -> None:
    body = client.get("/capabilities").json()
    assert body["engines"] == ["extractive"] and body["default_engine"] == "extractive"
    assert body["audiences"] == ["engineering", "stakeholder"]
    assert body["max_upload_bytes"] == Settings().max_upload_bytes
    assert body["jobs"] is True  # POST /drafts: the page follows the job's progress
    with TestClient(create_app(llm_settings())) as llm_client:
        body = llm_client.get("/capabilities").json()
    assert body["engines"] == ["extractive", "llm"] and body["default_engine"] == "llm"


def test_with_api_keys_the_page_opens_and_everything_else_needs_the_key() -> None:
    with TestClient(create_app(Settings(PM_API_KEYS=API_KEY))) as keyed:
        assert keyed.get("/").status_code == 200
        assert keyed.get("/ui/js/review.js").status_code == 200
        assert keyed.get("/ui/vendor/swagger/swagger-ui-bundle.js").status_code == 200
        assert keyed.get("/capabilities").status_code == 401
        assert keyed.get("/ui/../capabilities").status_code in (401, 404)
        assert keyed.post("/render", json={"draft": "x"}).status_code == 401
        assert keyed.get("/docs").status_code == 401
        ok = keyed.get("/capabilities", headers={"authorization": f"Bearer {API_KEY}"})
        assert ok.status_code == 200


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_load_their_assets_from_this_server(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    urls = re.findall(r"(?:src|href)=\"([^\"]+)\"|url: '([^']+)'", page.text)
    found = [u for pair in urls for u in pair if u]
    assert found and all(u.startswith("/") for u in found), found
    for url in found:
        assert client.get(url).status_code == 200, url
    if path == "/redoc":
        assert client.get("/redoc/logo-mini.svg").status_code == 200  # ReDoc's own logo
    else:
        assert '"validatorUrl": null' in page.text
