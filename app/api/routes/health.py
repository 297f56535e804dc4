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
    judge: str | None = None


@router.get("/healthz", response_model=Health, summary="The process is up")
async def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    response_model_exclude_none=True,
    summary="Configuration is valid and the configured LLM endpoint answers",
    description="The LLM endpoint (and the judge's, when it is another one) is probed with "
    "GET /models at most once per PM_LLM_READINESS_INTERVAL; calls in between reuse the result.",
    responses={503: {"model": Readiness}},
)
async def readyz(settings: SettingsDep, engines: EnginesDep) -> Readiness | JSONResponse:
    results = await engines.readiness()
    if not results:
        return Readiness(status="ready", default_engine=settings.engine, llm="not configured")
    ok = all(found for found, _ in results.values())
    llm = results.get("llm", (True, "not configured"))[1]
    judge = results["judge"][1] if "judge" in results else None
    readiness = Readiness(
        status="ready" if ok else "not ready", default_engine=settings.engine, llm=llm, judge=judge
    )
    if ok:
        return readiness
    return JSONResponse(status_code=503, content=readiness.model_dump(exclude_none=True))
