"""GET /metrics: the service's Prometheus metrics (see `app.metrics`)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from app.metrics import exposition

router = APIRouter(tags=["health"])


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    description="Requests, LLM calls and tokens, cache, single flight, jobs and verification "
    "outcomes in the Prometheus text format (needs an API key when keys are configured).",
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
async def metrics() -> Response:
    body, content_type = exposition()
    return Response(body, media_type=content_type)
