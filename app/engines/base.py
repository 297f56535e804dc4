"""The interface every extraction engine satisfies."""

from __future__ import annotations

from typing import Protocol

from app.models import Extraction, Transcript


class Engine(Protocol):
    """Turns a (redacted) transcript into a validated extraction."""

    name: str

    async def extract(self, transcript: Transcript) -> Extraction:
        """Extract the incident report; every item cites message ids of `transcript`."""
        ...
