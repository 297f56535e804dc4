"""The titles: for engineers, the affected service and the kind of trouble ("checkout-service
errors"); for stakeholders, what users saw ("Checkout errors"), never a service or host name.

The kind of trouble is read from the detection and impact statements only, so a red herring or
a guess never names the incident.
"""

from __future__ import annotations

from app.engines.extractive.chat import Finding
from app.engines.extractive.wording import kind_of, plain_title, user_thing

_KIND_WORDS = {"incident": "incident"}


def incident_kind(focus: list[Finding]) -> str:
    """The kind of trouble the detection and impact statements describe."""
    return kind_of(" ".join(f.text for f in focus))


def make_title(service: str | None, focus: list[Finding]) -> str:
    """'<affected service> <kind of trouble>', from words in the chat."""
    kind = _KIND_WORDS.get(incident_kind(focus), incident_kind(focus))
    return f"{service} {kind}" if service else kind[:1].upper() + kind[1:]


def make_plain_title(service: str | None, focus: list[Finding]) -> str:
    """What users saw, in plain words, for the stakeholder email's subject."""
    thing = user_thing(service, " ".join(f.text for f in focus))
    return plain_title(incident_kind(focus), thing)
