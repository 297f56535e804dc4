"""One settings object for the whole service, read from `PM_*` environment variables.

Validated at start-up: a missing or contradictory setting fails fast with a message that names the
variable. `OPENAI_API_KEY` and `OPENAI_BASE_URL` are honoured as fallbacks for the LLM settings.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.ingest.exports.archive import ArchiveLimits

EngineName = Literal["extractive", "llm"]
LogFormat = Literal["text", "json"]


def default_store_url() -> str:
    """A SQLite file in the user's cache folder (`$XDG_CACHE_HOME/postmortem/store.sqlite3`)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return f"sqlite:///{Path(base) / 'postmortem' / 'store.sqlite3'}"


ResponseFormat = Literal["json_schema", "json_object"]


class Settings(BaseSettings):
    """Service configuration. Every field maps to `PM_<NAME>`."""

    model_config = SettingsConfigDict(
        env_prefix="PM_", env_file=None, extra="ignore", populate_by_name=True
    )

    llm_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("PM_LLM_BASE_URL", "OPENAI_BASE_URL"),
        description="OpenAI-compatible endpoint, e.g. https://api.openai.com/v1.",
    )
    llm_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("PM_LLM_API_KEY", "OPENAI_API_KEY"),
        description="API key for the endpoint (local servers accept any value).",
    )
    llm_model: str | None = Field(
        default=None,
        validation_alias=AliasChoices("PM_LLM_MODEL"),
        description="Model name, e.g. gpt-4o-mini.",
    )
    llm_timeout: float = Field(
        default=60.0,
        gt=0,
        validation_alias=AliasChoices("PM_LLM_TIMEOUT"),
        description="Seconds one LLM request may take before it is abandoned and retried.",
    )
    llm_time_budget: float = Field(
        default=180.0,
        gt=0,
        validation_alias=AliasChoices("PM_LLM_TIME_BUDGET"),
        description="Seconds one extraction may spend on the LLM in all, retries and re-asks "
        "included; past it the request fails with 503 or 504.",
    )
    llm_max_attempts: int = Field(
        default=3,
        ge=1,
        le=10,
        validation_alias=AliasChoices("PM_LLM_MAX_ATTEMPTS"),
        description="Answers asked for per extraction: the first plus re-asks quoting the "
        "validation errors.",
    )
    llm_response_format: ResponseFormat = Field(
        default="json_schema",
        validation_alias=AliasChoices("PM_LLM_RESPONSE_FORMAT"),
        description="json_schema: strict structured output (OpenAI, vLLM, llama.cpp, Ollama, "
        "LM Studio); json_object: JSON mode with the schema in the prompt, for servers without "
        "schema support.",
    )
    llm_max_tokens: int = Field(
        default=4096,
        gt=0,
        validation_alias=AliasChoices("PM_LLM_MAX_TOKENS"),
        description="Most tokens the model may write per answer; a longer answer is an error.",
    )
    llm_temperature: float = Field(
        default=0.0,
        ge=0,
        le=2,
        validation_alias=AliasChoices("PM_LLM_TEMPERATURE"),
        description="Sampling temperature; 0 for the most repeatable extraction.",
    )
    llm_api_version: str | None = Field(
        default=None,
        validation_alias=AliasChoices("PM_LLM_API_VERSION"),
        description="Azure OpenAI api-version (e.g. 2024-10-21). When set, PM_LLM_BASE_URL is the "
        "Azure endpoint and PM_LLM_MODEL the deployment name.",
    )
    llm_cache_size: int = Field(
        default=128,
        ge=0,
        validation_alias=AliasChoices("PM_LLM_CACHE_SIZE"),
        description="Validated extractions kept in memory (0 turns the cache off).",
    )
    verify_with_llm: bool = Field(
        default=True,
        validation_alias=AliasChoices("PM_VERIFY_WITH_LLM"),
        description="Use the LLM in verification: in /draft (llm engine) claims the rules cannot "
        "settle go to the judge and failed claims go back to the model once for repair; in "
        "/verify the judge settles what the rules cannot. false: rules only, in both.",
    )
    judge_model: str | None = Field(
        default=None,
        validation_alias=AliasChoices("PM_JUDGE_MODEL"),
        description="Model that judges claims (default PM_LLM_MODEL): a model is lenient with "
        "its own paraphrases, so another one may judge.",
    )
    judge_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("PM_JUDGE_BASE_URL"),
        description="The judge's own OpenAI-compatible endpoint (default: PM_LLM_BASE_URL). "
        "Needs PM_JUDGE_MODEL.",
    )
    judge_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("PM_JUDGE_API_KEY"),
        description="Key for the judge (default: PM_LLM_API_KEY, but only on the same endpoint: "
        "the extraction key is never sent to PM_JUDGE_BASE_URL).",
    )
    llm_readiness_interval: float = Field(
        default=30.0,
        gt=0,
        validation_alias=AliasChoices("PM_LLM_READINESS_INTERVAL"),
        description="Seconds GET /readyz reuses its last probe of the LLM endpoint, so readiness "
        "checks never cost an LLM request each.",
    )
    default_engine: EngineName | None = Field(
        default=None,
        validation_alias=AliasChoices("PM_DEFAULT_ENGINE"),
        description="Engine used when a request names none: llm when an LLM is configured.",
    )
    verify_max_claims: int = Field(
        default=500,
        gt=0,
        le=100_000,
        validation_alias=AliasChoices("PM_VERIFY_MAX_CLAIMS"),
        description="Most claims one /verify request checks; a longer draft gets a 413.",
    )
    max_transcript_chars: int = Field(
        default=2_000_000,
        gt=0,
        validation_alias=AliasChoices("PM_MAX_TRANSCRIPT_CHARS"),
        description="Largest transcript accepted, in characters (pasted text, a JSON "
        "transcript as JSON text, or an uploaded chat file).",
    )
    max_draft_chars: int = Field(
        default=200_000,
        gt=0,
        validation_alias=AliasChoices("PM_MAX_DRAFT_CHARS"),
        description="Largest draft POST /verify and `postmortem verify` accept, in characters.",
    )
    max_upload_bytes: int = Field(
        default=50 << 20,
        gt=0,
        validation_alias=AliasChoices("PM_MAX_UPLOAD_BYTES"),
        description="Largest request body or uploaded file, in bytes; checked while reading.",
    )
    max_unpacked_bytes: int = Field(
        default=256 << 20,
        gt=0,
        validation_alias=AliasChoices("PM_MAX_UNPACKED_BYTES"),
        description="Most bytes the text files of an uploaded ZIP or folder may unpack to.",
    )

    cpu_deadline: float = Field(
        default=30.0,
        gt=0,
        validation_alias=AliasChoices("PM_CPU_DEADLINE"),
        description="Seconds of CPU work (parsing, offline extraction, verification, rendering) "
        "one request may use in all; past it the work is stopped and the request gets a 503.",
    )
    cpu_workers: int = Field(
        default=0,
        ge=0,
        le=256,
        validation_alias=AliasChoices("PM_CPU_WORKERS"),
        description="Worker processes for that CPU work in each server process; 0: one per CPU.",
    )
    cpu_worker_nice: int = Field(
        default=10,
        ge=0,
        le=19,
        validation_alias=AliasChoices("PM_CPU_WORKER_NICE"),
        description="How much lower the CPU workers' priority is than the server process's "
        "(nice): the event loop gets the CPU first; 0 on a machine shared with other work, "
        "where niced workers would also yield to it.",
    )

    api_keys: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("PM_API_KEYS"),
        description="Comma-separated API keys; when set (or PM_API_KEYS_FILE), every endpoint "
        "but /healthz needs one (Authorization: Bearer <key> or X-API-Key).",
    )
    api_keys_file: Path | None = Field(
        default=None,
        validation_alias=AliasChoices("PM_API_KEYS_FILE"),
        description="File of key digests, one 'sha256:<hex>' per line (postmortem api-key).",
    )
    cors_origins: str | None = Field(
        default=None,
        validation_alias=AliasChoices("PM_CORS_ORIGINS"),
        description="Comma-separated origins (https://app.example.com) whose pages may call the "
        "API from a browser; unset: none may.",
    )
    llm_max_concurrency: int = Field(
        default=8,
        ge=0,
        validation_alias=AliasChoices("PM_LLM_MAX_CONCURRENCY"),
        description="LLM exchanges at once in one server process; past it a request gets 429 "
        "with Retry-After. 0: no cap.",
    )

    llm_context_tokens: int = Field(
        default=128_000,
        gt=0,
        validation_alias=AliasChoices("PM_LLM_CONTEXT_TOKENS"),
        description="The model's context budget in tokens: a request (prompt plus "
        "PM_LLM_MAX_TOKENS for the answer) larger than this is refused before it is sent; a "
        "chat that does not fit is extracted in parts (map-reduce).",
    )
    llm_chunk_concurrency: int = Field(
        default=4,
        ge=1,
        validation_alias=AliasChoices("PM_LLM_CHUNK_CONCURRENCY"),
        description="Parts of a long chat extracted at once (each holding an LLM slot).",
    )
    store_url: str = Field(
        default_factory=default_store_url,
        validation_alias=AliasChoices("PM_STORE_URL"),
        description="Where the draft cache and jobs live: sqlite:///<path> (one machine; the "
        "default is a file in ~/.cache/postmortem) or redis://host:6379/0 (several workers or "
        "machines; jobs then run in `postmortem worker` processes).",
    )
    cache_ttl: float = Field(
        default=7 * 24 * 3600.0,
        ge=0,
        validation_alias=AliasChoices("PM_CACHE_TTL"),
        description="Seconds a clean analysis (extraction, verdicts, verification) is kept; "
        "0 turns the draft cache off.",
    )
    degraded_cache_ttl: float = Field(
        default=60.0,
        ge=0,
        validation_alias=AliasChoices("PM_DEGRADED_CACHE_TTL"),
        description="Seconds a degraded analysis (salvaged LLM answer, judge unavailable) is "
        "kept, so a burst of retries shares it; 0: never cached.",
    )
    job_ttl: float = Field(
        default=24 * 3600.0,
        gt=0,
        validation_alias=AliasChoices("PM_JOB_TTL"),
        description="Seconds a job (POST /drafts) and its result stay readable.",
    )
    job_concurrency: int = Field(
        default=4,
        ge=1,
        le=256,
        validation_alias=AliasChoices("PM_JOB_CONCURRENCY"),
        description="Jobs run at once by one server process (embedded store) or by one "
        "`postmortem worker` (Redis); the rest wait, in order.",
    )
    job_queue_limit: int = Field(
        default=1000,
        ge=1,
        validation_alias=AliasChoices("PM_JOB_QUEUE_LIMIT"),
        description="Jobs that may wait in one server process's queue; past it POST /drafts "
        "answers 429 with Retry-After (embedded store only).",
    )
    log_format: LogFormat = Field(
        default="text",
        validation_alias=AliasChoices("PM_LOG_FORMAT"),
        description="text, or json: one JSON object per line with the request id.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if not self.store_url.startswith(("sqlite://", "redis://", "rediss://", "unix://")):
            raise ValueError(
                f"PM_STORE_URL={self.store_url.split('@')[-1]!r} is neither sqlite:///<path> nor "
                "redis://host:port/db"
            )
        if self.llm_base_url and not self.llm_model:
            raise ValueError(
                "PM_LLM_BASE_URL is set but PM_LLM_MODEL is not: set PM_LLM_MODEL to the model name"
            )
        if self.llm_api_version and not self.llm_base_url:
            raise ValueError(
                "PM_LLM_API_VERSION is set (Azure OpenAI) but PM_LLM_BASE_URL is not: set "
                "PM_LLM_BASE_URL to the endpoint, e.g. https://<resource>.openai.azure.com"
            )
        if self.llm_api_version and not self.llm_api_key:
            raise ValueError(
                "PM_LLM_API_VERSION is set (Azure OpenAI) but PM_LLM_API_KEY is not: set "
                "PM_LLM_API_KEY to the resource's key"
            )
        if self.llm_base_url and not self.llm_base_url.startswith(("http://", "https://")):
            raise ValueError(  # the value is not echoed: it may hold credentials
                "PM_LLM_BASE_URL is not an http(s) URL: it must start with http:// or https://, "
                "e.g. http://127.0.0.1:8080/v1"
            )
        if self.judge_base_url and not self.judge_model:
            raise ValueError(
                "PM_JUDGE_BASE_URL is set but PM_JUDGE_MODEL is not: set PM_JUDGE_MODEL to the "
                "model the judge's endpoint serves"
            )
        if self.judge_base_url and not self.judge_base_url.startswith(("http://", "https://")):
            raise ValueError(
                "PM_JUDGE_BASE_URL is not an http(s) URL: it must start with http:// or "
                "https://, e.g. http://127.0.0.1:8081/v1"
            )
        if self.default_engine == "llm" and not self.llm_configured:
            raise ValueError(
                "PM_DEFAULT_ENGINE=llm needs PM_LLM_MODEL (and PM_LLM_BASE_URL or an API key)"
            )
        return self

    def archive_limits(self) -> ArchiveLimits:
        """The caps uploads are read within (`app.ingest.exports.archive`)."""
        return ArchiveLimits(
            max_member_bytes=min(self.max_upload_bytes * 8, self.max_unpacked_bytes),
            max_total_bytes=self.max_unpacked_bytes,
            max_chars=self.max_transcript_chars,
        )

    @property
    def uses_redis(self) -> bool:
        """True when the store (and so the job queue) is Redis."""
        return not self.store_url.startswith("sqlite://")

    @property
    def llm_configured(self) -> bool:
        """True when enough is set to call an LLM."""
        return bool(self.llm_model and (self.llm_base_url or self.llm_api_key))

    @property
    def judge_model_name(self) -> str | None:
        """The model that judges claims: PM_JUDGE_MODEL, else PM_LLM_MODEL."""
        return self.judge_model or self.llm_model

    @property
    def judge_configured(self) -> bool:
        """True when enough is set to call a judge (its own endpoint, or the LLM's)."""
        if self.judge_base_url:
            return bool(self.judge_model)
        return bool(self.judge_model_name and (self.llm_base_url or self.llm_api_key))

    @property
    def engine(self) -> EngineName:
        """The engine a request gets when it names none."""
        if self.default_engine:
            return self.default_engine
        return "llm" if self.llm_configured else "extractive"


def load_settings() -> Settings:
    """Read settings from the environment; a bad setting is a ConfigurationError naming it."""
    from app.errors import ConfigurationError

    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigurationError(
            f"invalid configuration: {problems}", hint="see README, Configuration"
        ) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
