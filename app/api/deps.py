"""Dependencies, injected with Annotated aliases so tests can swap settings or engines."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.config import Settings
from app.engines.registry import EngineRegistry


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_engines(request: Request) -> EngineRegistry:
    engines: EngineRegistry = request.app.state.engines
    return engines


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
EnginesDep = Annotated[EngineRegistry, Depends(get_engines)]
