"""The standalone HTML draft, and how the API serves it and the timeline picture."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.api.representations import choose
from app.config import Settings
from app.main import create_app
from app.models import IncidentReport
from app.render import render_draft
from app.render.page import draft_page, markdown_to_html, timeline_picture
from tests.report_builders import CHAT, report, report_data

SVG_NS = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & <img src=http://evil.example/x.png> [a](javascript:x)'


def _tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


def _entries(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG_NS}g") if g.get("class") == "pm-entry"]


def test_html_page_is_standalone_with_the_picture_after_the_timeline_heading() -> None:
    full = report()
    markdown = render_draft(full, CHAT, "engineering").text
    page = draft_page(markdown, full, CHAT.messages, "engineering")
    assert page.startswith("<!doctype html>")
    assert "<title>Postmortem: checkout-service errors after deploy</title>" in page
    assert "Content-Security-Policy" in page
    # nothing is loaded from anywhere: no scripts, links, images or remote URLs
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(http|src=|href=", page, re.I)
    assert re.findall(r"https?://[^\s\"'<>]+", page) == ["http://www.w3.org/2000/svg"]
    timeline = page.index("<h2>Timeline</h2>")
    figure = page.index('<figure class="timeline"><svg')
    table = page.index("<table>", timeline)
    assert timeline < figure < table
    assert page.count('class="pm-entry"') == len(full.timeline)
    assert "<td>m7, m8</td>" in page  # the Markdown table rendered as a table


def test_html_escapes_every_chat_derived_string() -> None:
    data = report_data(title=HOSTILE)
    data["root_cause"] = {"text": HOSTILE, "evidence": [3]}
    data["timeline"][1]["description"] = HOSTILE
    data["open_questions"] = [HOSTILE]
    hostile = report(**data)
    for audience in ("engineering", "stakeholder"):
        markdown = render_draft(hostile, CHAT, audience).text  # type: ignore[arg-type]
        page = draft_page(markdown, hostile, CHAT.messages, audience)  # type: ignore[arg-type]
        assert "<script" not in page and "<img" not in page, audience
        assert 'href="javascript' not in page and "<a " not in page
        if audience == "engineering":
            assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_markdown_rendering_keeps_raw_html_and_links_as_text() -> None:
    html = markdown_to_html("Hi <b>x</b> [l](http://e.example) ![i](http://e.example/i.png)\n")
    assert "<b>" not in html and "<a" not in html and "<img" not in html
    assert "&lt;b&gt;" in html


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", "application/json"),
        ("*/*", "application/json"),
        ("application/json", "application/json"),
        ("text/markdown", "text/markdown"),
        ("text/markdown, */*", "text/markdown"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("image/svg+xml", "image/svg+xml"),
        ("image/*", "image/svg+xml"),
        ("text/html;q=0.5, application/json", "application/json"),
        ("text/html;q=0, */*", "application/json"),
        ("application/xml", "application/json"),
        ("text/markdown;q=bogus", "text/markdown"),
    ],
)
def test_content_negotiation(accept: str, expected: str) -> None:
    assert choose(accept) == expected


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings())) as test_client:
        yield test_client


def test_post_draft_answers_html(client: TestClient, seed_chat_text: str) -> None:
    response = client.post(
        "/draft", json={"transcript": seed_chat_text}, headers={"accept": "text/html"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    page = response.text
    assert "<h2>Timeline</h2>" in page and '<figure class="timeline"><svg' in page
    assert not re.search(r"<script|<link|src=|href=", page, re.I)


def test_post_draft_answers_the_timeline_picture(client: TestClient, seed_chat_text: str) -> None:
    response = client.post(
        "/draft?audience=stakeholder",
        content=seed_chat_text.encode(),
        headers={"content-type": "text/plain", "accept": "image/svg+xml"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("image/svg+xml")
    root = _tree(response.text)
    drafted = client.post("/draft", json={"transcript": seed_chat_text}).json()
    assert len(_entries(root)) == len(drafted["incident"]["timeline"])


def test_stakeholder_html_page_has_no_picture(client: TestClient, seed_chat_text: str) -> None:
    response = client.post(
        "/draft",
        json={"transcript": seed_chat_text, "audience": "stakeholder"},
        headers={"accept": "text/html"},
    )
    assert response.status_code == 200
    assert "<svg" not in response.text and "Stakeholder email draft" in response.text
    assert not re.search(r"\[m\d+", response.text)


def test_picture_from_a_drafted_report_uses_iso_times(seed_chat_text: str) -> None:
    # with a date, the drafted report's times are ISO 8601; the picture reads them the same
    with TestClient(create_app(Settings())) as client:
        body = client.post(
            "/draft", json={"transcript": seed_chat_text, "date": "2025-03-04"}
        ).json()
    drafted = IncidentReport.model_validate(body["incident"])
    from app.models import Message

    messages = [Message.model_validate(m) for m in body["messages"]]
    root = _tree(timeline_picture(drafted, messages))
    assert [g.get("data-time") for g in _entries(root)][:2] == ["09:10", "09:14"]
