"""The sample incidents' gold files agree with their transcripts (so eval scores mean something).

Each gold answer is checked against the transcript as our own parser reads it: the declared
format is detected, every gold time is a message time or written in a message, every owner and
participant is an author, every impact figure is in the chat, every gold description satisfies
its own keywords, and every pasted secret the gold lists is caught by the redaction step.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.evaluation.gold import Incident, discover_incidents
from app.evaluation.matching import contains_figure, matches_keywords
from app.evaluation.metrics import looks_like_secret
from app.ingest import parse_transcript
from app.models import Transcript, clock_readings
from app.pipeline import ingest

INCIDENTS = discover_incidents(Path(__file__).resolve().parent.parent / "eval" / "incidents")


def _parsed(incident: Incident) -> Transcript:
    source = incident.source()
    if isinstance(source, str):
        return parse_transcript(source)
    return source.parse(format=None, date=None, timezone=None)


def test_there_are_enough_sample_incidents() -> None:
    assert len(INCIDENTS) >= 12
    formats = {incident.gold.format for incident in INCIDENTS}
    assert formats >= {
        "bracket-header",
        "bracket-inline",
        "plain-inline",
        "datetime-inline",
        "irc",
        "slack-export",
        "slack-copy",
        "discord-copy",
    }
    assert max(len(_parsed(incident).messages) for incident in INCIDENTS) >= 300


def _reads_alike(incident: Incident, transcript: Transcript) -> bool:
    """Whether the gold's format, named, reads the same authors and times as the detected one:
    some shapes are written alike by two apps (a Mattermost and a Google Chat copy without
    dates or app badges), and a label alone costs no attribution."""
    source = incident.source()
    if not isinstance(source, str) or incident.gold.format is None:
        return False
    named = parse_transcript(source, format=incident.gold.format)
    return [(m.author, m.time) for m in named.messages] == [
        (m.author, m.time) for m in transcript.messages
    ]


@pytest.mark.parametrize("incident", INCIDENTS, ids=lambda i: i.gold.id)
def test_gold_agrees_with_its_transcript(incident: Incident) -> None:
    gold, transcript = incident.gold, _parsed(incident)
    parts = [transcript.format, *(transcript.ingest.mixed_with if transcript.ingest else [])]
    assert gold.format in parts or _reads_alike(incident, transcript)  # a part of a two-part paste
    stated: set[str] = set()
    for message in transcript.messages:
        if message.time:
            stated.add(message.time[:5])
        stated.update(clock_readings(message.text))
    for event in gold.timeline:
        assert event.time in stated, f"{event.time} ({event.event}) is not in the chat"
        assert matches_keywords(event.event, event.keywords), event.event
    authors = {p.lower() for p in transcript.participants}
    for item in gold.action_items:
        assert item.owner is None or item.owner.lower() in authors, item.owner
        assert matches_keywords(item.description, item.keywords), item.description
    assert all(p.lower() in authors for p in gold.participants)
    if gold.root_cause is not None:
        assert matches_keywords(gold.root_cause.description, gold.root_cause.keywords)
    chat = "\n".join(m.text for m in transcript.messages)
    for figure in gold.impact_figures:
        assert contains_figure(chat, figure), f"impact figure {figure!r} is not in the chat"


def _raw_text(incident: Incident) -> str:
    path = incident.transcript_path
    files = sorted(path.rglob("*.json")) if path.is_dir() else [path]
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


SECRETS = [
    (incident.gold.id, value)
    for incident in INCIDENTS
    for value in incident.gold.must_not_appear
    if looks_like_secret(value) and value in _raw_text(incident)
]


@pytest.mark.parametrize(("incident_id", "secret"), SECRETS, ids=[s[0] for s in SECRETS])
def test_every_pasted_secret_in_the_samples_is_redacted(incident_id: str, secret: str) -> None:
    """As the pipeline sees it: parsed (exports decoded), then redacted."""
    incident = next(i for i in INCIDENTS if i.gold.id == incident_id)
    transcript, findings, _ = ingest(incident.source())
    assert findings
    assert all(secret not in message.text for message in transcript.messages)
