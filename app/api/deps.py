"""Dependencies, injected with Annotated aliases so tests can swap settings or engines.

Each is `async def`: FastAPI runs a plain `def` dependency in its thread pool, a thread hop per
dependency per request for what is an attribute read.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.config import Settings
from app.engines.registry import EngineRegistry
from app.jobs.runner import Jobs
from app.workers import RequestSteps, WorkerPool


async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_engines(request: Request) -> EngineRegistry:
    engines: EngineRegistry = request.app.state.engines
    return engines


async def get_steps(request: Request) -> RequestSteps:
    """This request's runner for CPU steps: the app's worker pool, under PM_CPU_DEADLINE."""
    pool: WorkerPool = request.app.state.workers
    settings: Settings = request.app.state.settings
    return pool.steps(settings.cpu_deadline)


async def get_jobs(request: Request) -> Jobs:
    jobs: Jobs = request.app.state.jobs
    return jobs


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
EnginesDep = Annotated[EngineRegistry, Depends(get_engines)]
StepsDep = Annotated[RequestSteps, Depends(get_steps)]
JobsDep = Annotated[Jobs, Depends(get_jobs)]
