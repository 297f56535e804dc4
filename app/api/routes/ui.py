"""The review page at `/`, its static files under `/ui/`, and `GET /capabilities` (what this
server offers, which the page reads to show the right controls).

The page and its files hold no data, so they are served without an API key (a browser cannot
send one when it opens a page); the page asks for the key and sends it with every API call.
"""

from __future__ import annotations

from typing import get_args

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from app.api.deps import SettingsDep
from app.config import EngineName
from app.models import Audience
from app.ui import INDEX

router = APIRouter()

# Scripts and styles from this origin only; the timeline picture carries an inline <style>.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
_PAGE_HEADERS = {
    "Content-Security-Policy": PAGE_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


class Capabilities(BaseModel):
    """What this server offers a client."""

    engines: list[EngineName] = Field(description="Engines a request may name.")
    default_engine: EngineName = Field(description="The engine a request that names none gets.")
    audiences: list[Audience]
    max_upload_bytes: int = Field(description="Largest body or file (PM_MAX_UPLOAD_BYTES).")
    max_transcript_chars: int = Field(description="Largest transcript (PM_MAX_TRANSCRIPT_CHARS).")
    max_draft_chars: int = Field(description="Largest draft /verify takes (PM_MAX_DRAFT_CHARS).")
    jobs: bool = Field(
        description="POST /drafts runs a draft as a job whose progress (step, chunk i of n) "
        "GET /drafts/{id}/events streams; false: POST /draft only."
    )


@router.get("/", include_in_schema=False)
async def review_page() -> HTMLResponse:
    return HTMLResponse(INDEX.read_text(encoding="utf-8"), headers=_PAGE_HEADERS)


@router.get(
    "/capabilities",
    response_model=Capabilities,
    tags=["health"],
    summary="What this server offers: engines, audiences, limits",
)
async def capabilities(request: Request, settings: SettingsDep) -> Capabilities:
    engines: list[EngineName] = ["extractive", "llm"] if settings.llm_configured else ["extractive"]
    return Capabilities(
        engines=engines,
        default_engine=settings.engine,
        audiences=list(get_args(Audience)),
        max_upload_bytes=settings.max_upload_bytes,
        max_transcript_chars=settings.max_transcript_chars,
        max_draft_chars=settings.max_draft_chars,
        jobs="/drafts" in request.app.openapi().get("paths", {}),  # built once, then cached
    )
