"""Render a verified incident report: Markdown drafts per audience, the timeline picture (SVG)
and a standalone HTML page."""

from __future__ import annotations

from app.render.draft import render_draft
from app.render.review import Review, review_of

__all__ = ["Review", "render_draft", "review_of"]
