"""The review page's static files (HTML, CSS, JavaScript), shipped in the package: no CDN and no
build step. `app.api.routes.ui` serves them at `/` and under `/ui/`."""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).parent / "static"
INDEX = STATIC / "index.html"
