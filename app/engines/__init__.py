"""Extraction engines: messages in, a validated `IncidentReport` out.

`extractive` is deterministic and offline; `llm` calls an OpenAI-compatible endpoint. Both satisfy
`Engine` (see `base.py`)."""
