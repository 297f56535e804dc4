"""Record LLM completions next to each incident, and replay them without the endpoint.

Both are httpx transports handed to `EngineRegistry(settings, http_client=...)`, so the whole LLM
engine (prompt, SDK, retries, re-asks, cache) runs unchanged; only the HTTP exchange is captured.
A recording is `<incident>/recordings/<model>.json`:

    {"model": ..., "settings": {PM_* variables that shape the request body},
     "completions": {sha256 of the canonical request body: response JSON}}
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel, Field, ValidationError

from app.config import Settings
from app.errors import PostmortemError
from app.evaluation.gold import Incident, recording_file_name

REPLAY_BASE_URL = "http://replay.invalid/v1"
REPLAY_API_KEY = "replay"


class RecordingError(PostmortemError):
    """A recording is missing, unreadable, or lacks the answer to a request."""

    status = 422
    title = "Recording unusable"


class Recording(BaseModel):
    """The completions one model gave for one incident."""

    model: str
    settings: dict[str, Any] = Field(default_factory=dict)
    note: str | None = Field(default=None, description="How the completions were made.")
    completions: dict[str, dict[str, Any]] = Field(default_factory=dict)


def request_key(body: bytes) -> str:
    """sha256 of the request body, JSON canonicalised (sorted keys) so key order does not matter."""
    try:
        canonical = json.dumps(
            json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    except (json.JSONDecodeError, UnicodeDecodeError):
        canonical = body
    return hashlib.sha256(canonical).hexdigest()


def recorded_settings(settings: Settings) -> dict[str, Any]:
    """The settings that shape a request body; replay reuses them so the hashes agree."""
    return {
        "PM_LLM_RESPONSE_FORMAT": settings.llm_response_format,
        "PM_LLM_MAX_TOKENS": settings.llm_max_tokens,
        "PM_LLM_TEMPERATURE": settings.llm_temperature,
        "PM_LLM_MAX_ATTEMPTS": settings.llm_max_attempts,
    }


def recording_path(incident: Incident, model: str) -> Path:
    return incident.recordings_dir / recording_file_name(model)


def load_recording(path: Path) -> Recording:
    try:
        return Recording.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise RecordingError(
            f"no recording at {path}",
            hint="record it first with `postmortem eval --engine llm --record` "
            "(needs the endpoint), or pass --model for a recorded model",
        ) from None
    except ValidationError as exc:
        raise RecordingError(f"{path}: not a valid recording ({exc.errors()[0]['msg']})") from None


def _json_body(content: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


class RecordingTransport(httpx.AsyncBaseTransport):
    """Passes requests to the real transport and keeps every successful JSON answer.

    Call `start(path)` before an incident and `save()` after it; a new recording replaces the old
    one, so stale completions do not pile up.
    """

    def __init__(self, upstream: httpx.AsyncBaseTransport, model: str, settings: dict[str, Any]):
        self._upstream = upstream
        self._model = model
        self._settings = settings
        self._path: Path | None = None
        self._completions: dict[str, dict[str, Any]] = {}

    def start(self, path: Path) -> None:
        self._path = path
        self._completions = {}

    def save(self) -> Path | None:
        """Write what this incident's requests got; nothing when the engine made no request."""
        if self._path is None or not self._completions:
            return None
        recording = Recording(
            model=self._model, settings=self._settings, completions=self._completions
        )
        self._path.parent.mkdir(parents=True, exist_ok=True)
        self._path.write_text(recording.model_dump_json(indent=2) + "\n", encoding="utf-8")
        return self._path

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        response = await self._upstream.handle_async_request(request)
        content = await response.aread()
        data = _json_body(content)
        if response.is_success and data is not None:
            self._completions[request_key(body)] = data
        # The body is already decoded: drop the headers that describe the wire encoding.
        headers = [
            (k, v)
            for k, v in response.headers.multi_items()
            if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx.Response(
            response.status_code, headers=headers, content=content, request=request
        )

    async def aclose(self) -> None:
        await self._upstream.aclose()


class ReplayTransport(httpx.AsyncBaseTransport):
    """Answers each request from the incident's recording; an unrecorded request is remembered
    (`missing`) and answered 404, which the runner turns into a clear `RecordingError`. With
    `collect`, each unrecorded request is also written there for someone to answer
    (`app.evaluation.played`), and the run goes on."""

    def __init__(self, collect: Path | None = None) -> None:
        self._recording: Recording | None = None
        self._path: Path | None = None
        self._collect = collect
        self._name = ""
        self.missing: list[str] = []
        self.collected: list[Path] = []

    def start(self, path: Path, name: str | None = None) -> None:
        """Answer from the recording at `path`; `name` is the folder collected requests go to
        (default: the incident folder the recording sits in)."""
        self._path = path
        self._name = name or path.parent.parent.name
        self._recording = load_recording(path) if path.is_file() else None
        self.missing = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        key = request_key(body)
        answer = self._recording.completions.get(key) if self._recording else None
        if answer is None:
            self.missing.append(key)
            if self._collect is not None and self._path is not None:
                from app.evaluation.played import collect_request

                self.collected.append(collect_request(self._collect, self._name, body))
            message = f"no recorded completion for request {key[:12]} in {self._path}"
            return httpx.Response(
                404, json={"error": {"message": message, "code": "not_recorded"}}, request=request
            )
        return httpx.Response(200, json=answer, request=request)

    @property
    def collect_dir(self) -> Path | None:
        """Where unrecorded requests (and fact worksheets) are collected, if anywhere."""
        return self._collect

    def check(self) -> None:
        """Raise if the last incident asked for anything the recording does not hold (unless the
        requests are being collected)."""
        if not self.missing or self._collect is not None:
            return
        if self._recording is None:
            detail = f"no recording at {self._path}"
        else:
            detail = (
                f"{self._path} has no answer for {len(self.missing)} request(s) "
                f"(first: {self.missing[0][:12]})"
            )
        raise RecordingError(
            detail,
            hint="the prompt, model or PM_LLM_* settings changed since it was recorded: "
            "record again with `postmortem eval --engine llm --record`",
        )


def replay_model(incidents: list[Incident]) -> str:
    """The one model the incidents hold recordings of; an error when none or several."""
    models: set[str] = set()
    for incident in incidents:
        for path in incident.recordings_dir.glob("*.json"):
            models.add(load_recording(path).model)
    if len(models) == 1:
        return models.pop()
    if not models:
        raise RecordingError(
            "no recordings found next to the incidents",
            hint="record them with `postmortem eval --engine llm --record` first",
        )
    raise RecordingError(
        f"recordings of several models ({', '.join(sorted(models))})",
        hint="choose one with --model",
    )


def replay_settings(incidents: list[Incident], model: str) -> dict[str, Any]:
    """The PM_* settings the model's recordings were made with (the first one found)."""
    for incident in incidents:
        path = recording_path(incident, model)
        if path.is_file():
            return dict(load_recording(path).settings)
    return {}
