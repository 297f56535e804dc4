"""The offline, deterministic extraction engine: chat messages in, a validated report out.

Rules, one module each: `timeline` (key events), `root_cause` (cause and contributing factors),
`action_items` (items and owners), `impact`, `milestones` (detection and resolution), `summary`
(title and both summaries) and `questions` (open questions); `chat`, `people`, `cues` and `text`
hold what they share. `engine` ties them together.
"""

from app.engines.extractive.engine import ExtractiveEngine, extract_report

__all__ = ["ExtractiveEngine", "extract_report"]
