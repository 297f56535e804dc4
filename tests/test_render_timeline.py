"""The timeline picture: one mark per entry, accessible, milestones and the impact window
drawn, chat text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.models import IncidentReport
from app.render.timeline_svg import timeline_svg
from tests.report_builders import CHAT, report, report_data

SVG_NS = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & <img src=http://evil.example/x.png>'


def tree(svg: str) -> ET.Element:
    """The parsed picture: well-formed XML, or this raises."""
    return ET.fromstring(svg)


def entry_marks(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG_NS}g") if g.get("class") == "pm-entry"]


def test_one_mark_per_timeline_entry_with_a_text_label_and_its_kind() -> None:
    root = tree(timeline_svg(report(), CHAT))
    entries = entry_marks(root)
    assert [(g.get("data-time"), g.get("data-kind")) for g in entries] == [
        ("09:10", "trigger"),
        ("09:14", "detection"),
        ("09:21", "mitigation"),
        ("09:22", "recovery"),
    ]
    for group in entries:
        marks = [el for el in group if "pm-mark" in (el.get("class") or "")]
        labels = [el for el in group if el.tag == f"{SVG_NS}text"]
        assert len(marks) == 1 and len(labels) == 1
        kind = group.get("data-kind") or ""
        assert kind.capitalize() in (labels[0].text or "")  # the kind is written, not only coloured
    shapes = [
        next(el.get("data-shape") for el in g if "pm-mark" in (el.get("class") or ""))
        for g in entries
    ]
    assert shapes == ["cross", "triangle", "diamond", "disc"]  # shape, not only colour


def test_the_picture_is_accessible() -> None:
    svg = timeline_svg(report(), CHAT, prefix="t1")
    root = tree(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "t1-title t1-desc"
    title = root.find(f"{SVG_NS}title")
    desc = root.find(f"{SVG_NS}desc")
    assert title is not None and title.get("id") == "t1-title"
    assert title.text == "Timeline of checkout-service errors after deploy"
    assert desc is not None and desc.text is not None
    assert "4 events from 09:10 to 09:22" in desc.text
    assert "Detected at 09:14. Mitigation at 09:21. Recovered at 09:22." in desc.text
    assert "Impact window, shaded: 09:10 to 09:22 (12 minutes)." in desc.text


def test_detection_mitigation_recovery_and_the_impact_window_are_drawn() -> None:
    svg = timeline_svg(report(), CHAT)
    root = tree(svg)
    milestones = [
        "".join(t.itertext())
        for g in root.iter(f"{SVG_NS}g")
        if g.get("class") == "pm-milestone-group"
        for t in g
        if t.tag == f"{SVG_NS}text"
    ]
    assert milestones == ["Detected 09:14", "Mitigation 09:21", "Recovered 09:22"]
    window = [g for g in root.iter(f"{SVG_NS}g") if g.get("class") == "pm-impact-window"]
    assert len(window) == 1
    assert "Impact 09:10–09:22 (12 min)" in "".join(window[0].itertext())
    # no recovery entry: no window is shaded
    data = report_data(timeline=report_data()["timeline"][:3])
    no_recovery = IncidentReport.model_validate(data, context={"transcript": CHAT})
    root = tree(timeline_svg(no_recovery, CHAT))
    assert not [g for g in root.iter(f"{SVG_NS}g") if g.get("class") == "pm-impact-window"]


def test_chat_text_in_the_picture_is_escaped() -> None:
    data = report_data(title=HOSTILE)
    data["timeline"][0]["description"] = HOSTILE
    svg = timeline_svg(report(**data), CHAT)
    root = tree(svg)  # still well-formed
    assert "<script" not in svg and "<img" not in svg
    assert not list(root.iter(f"{SVG_NS}script"))
    assert "&lt;script&gt;" in svg


def test_an_empty_timeline_still_gives_an_accessible_picture() -> None:
    root = tree(timeline_svg(report(timeline=[]), CHAT))
    assert root.find(f"{SVG_NS}desc") is not None
    assert entry_marks(root) == []
