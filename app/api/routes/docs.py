"""`/docs` (Swagger UI) and `/redoc` (ReDoc) with their assets served from this process, so the
interactive documentation renders offline. The assets come from the `fastapi-standalone-docs`
package, which ships Swagger UI's and ReDoc's built bundles with their licences (its ReDoc loads
its logo from the page's own path, not from a CDN); only its files are used, under `/ui/vendor/`.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from app.ui import STATIC

DOCS_ASSETS = Path(str(files("fastapi_standalone_docs") / "static"))
VENDOR = "/ui/vendor"
OAUTH2_REDIRECT = "/docs/oauth2-redirect"

router = APIRouter(include_in_schema=False)


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    root = _root(request)
    return get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} - Swagger UI",
        swagger_js_url=f"{root}{VENDOR}/swagger/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{VENDOR}/swagger/swagger-ui.css",
        swagger_favicon_url=f"{root}{VENDOR}/fastapi/favicon.png",
        oauth2_redirect_url=f"{root}{OAUTH2_REDIRECT}",
        swagger_ui_parameters={"validatorUrl": None},  # no call to the online validator
    )


@router.get(OAUTH2_REDIRECT)
async def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    root = _root(request)
    return get_redoc_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} - ReDoc",
        redoc_js_url=f"{root}{VENDOR}/redoc/redoc.standalone.js",
        redoc_favicon_url=f"{root}{VENDOR}/fastapi/favicon.png",
        with_google_fonts=False,
    )


@router.get("/redoc/logo-mini.svg")
async def redoc_logo() -> FileResponse:
    """ReDoc shows its logo from the page's own path (`/redoc` + `/logo-mini.svg`)."""
    return FileResponse(DOCS_ASSETS / "redoc" / "logo-mini.svg", media_type="image/svg+xml")


def mount_static(app: FastAPI) -> None:
    """The docs' assets under /ui/vendor/ and the review page's under /ui/ (the longer prefix
    first: the first mount that matches serves)."""
    app.mount(VENDOR, StaticFiles(directory=DOCS_ASSETS), name="docs-assets")
    app.mount("/ui", StaticFiles(directory=STATIC), name="ui")
