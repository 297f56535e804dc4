"""Render a validated incident report as a draft for one audience (Jinja2 templates)."""

from __future__ import annotations

from app.render.draft import render_draft

__all__ = ["render_draft"]
