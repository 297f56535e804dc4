"""The FastAPI application: `uvicorn app.main:app` or `postmortem serve`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app import __version__
from app.api.problems import install_problem_handlers
from app.api.request_context import RequestContext
from app.api.routes import docs, draft, health, jobs, metrics, render, ui, verify
from app.api.security import AccessGuard, ApiKeys, parse_origins
from app.config import Settings, load_settings
from app.engines.registry import EngineRegistry
from app.jobs.runner import build_jobs
from app.logs import configure_logging
from app.redact import install_log_redaction as install_record_redaction
from app.store import open_store
from app.workers import shared_pool

# Loggers that may ever see request-derived text; each gets the redacting filter.
REDACTED_LOGGERS = (
    "postmortem",
    "postmortem.api",
    "postmortem.llm",
    "postmortem.access",
    "uvicorn.error",
    "uvicorn.access",
)

DESCRIPTION = """
Turn the chat log of a production incident into a postmortem draft people can trust.

Every fact in a draft cites the transcript messages that support it (`[m12]` is message 12), and
each claim is checked against the transcript before the draft is returned. Secrets pasted in the
chat are redacted before anything else sees them.
"""


def install_log_redaction() -> None:
    """Redact secrets from every log record of the process (see app/redact/logging_filter.py)."""
    install_record_redaction(REDACTED_LOGGERS)


def load_llm_client() -> None:
    """Import the LLM client (the OpenAI SDK: 0.7 s) at start-up, before the first request: it
    is imported on first use (so offline commands start fast), which in the service was inside
    the first llm draft, on the event loop, while every other request and /healthz waited."""
    import app.llm.client  # noqa: F401


def _api_keys(settings: Settings) -> ApiKeys:
    secret = settings.api_keys.get_secret_value() if settings.api_keys else None
    return ApiKeys.load(secret, settings.api_keys_file)


def create_app(settings: Settings | None = None, engines: EngineRegistry | None = None) -> FastAPI:
    """Build the app; settings are validated here, at start-up."""
    settings = settings or load_settings()
    store = open_store(settings.store_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.llm_configured:
            load_llm_client()
        yield
        await app.state.jobs.close()
        await store.close()

    app = FastAPI(
        title="Postmortem drafter",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # served by app.api.routes.docs with local assets
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.engines = engines or EngineRegistry(settings, store=store)
    app.state.workers = shared_pool(settings.cpu_workers or None, settings.cpu_worker_nice)
    app.state.jobs = build_jobs(settings, store, app.state.engines, app.state.workers)
    install_problem_handlers(app)
    # Outermost last: request id -> CORS (when origins are configured) -> access guard -> app.
    origins = parse_origins(settings.cors_origins)
    app.add_middleware(AccessGuard, keys=_api_keys(settings), origins=origins)
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type", "Accept", "X-Request-ID"],
            expose_headers=["X-Request-ID", "Retry-After"],
            max_age=600,
        )
    app.add_middleware(RequestContext, access_log=settings.log_format == "json")
    app.include_router(draft.router)
    app.include_router(jobs.router)
    app.include_router(verify.router)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(render.router)
    app.include_router(ui.router)
    app.include_router(docs.router)
    docs.mount_static(app)
    logging.getLogger("postmortem").setLevel(logging.INFO)
    install_log_redaction()
    configure_logging(settings.log_format)
    return app


def __getattr__(name: str) -> FastAPI:
    """`app.main:app` for `uvicorn app.main:app`: built on first access, not at import, so
    importing this module (tests, the CLI) opens no store."""
    if name != "app":
        raise AttributeError(name)
    global _app
    if _app is None:
        _app = create_app()
    return _app


_app: FastAPI | None = None
