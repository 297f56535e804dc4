"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.api.deps import EnginesDep, SettingsDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    default_engine: str
    llm: str


@router.get("/healthz", response_model=Health, summary="The process is up")
async def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="Configuration is valid and the configured LLM endpoint answers",
    responses={503: {"model": Readiness}},
)
async def readyz(settings: SettingsDep, engines: EnginesDep) -> Readiness | JSONResponse:
    if not settings.llm_configured:
        return Readiness(status="ready", default_engine=settings.engine, llm="not configured")
    from app.llm.readiness import check_llm

    ok, detail = await check_llm(settings, engines.llm_client())
    readiness = Readiness(
        status="ready" if ok else "not ready", default_engine=settings.engine, llm=detail
    )
    if ok:
        return readiness
    return JSONResponse(status_code=503, content=readiness.model_dump())
