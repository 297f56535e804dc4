"""One settings object for the whole service, read from `PM_*` environment variables.

Validated at start-up: a missing or contradictory setting fails fast with a message that names the
variable. `OPENAI_API_KEY` and `OPENAI_BASE_URL` are honoured as fallbacks for the LLM settings.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

EngineName = Literal["extractive", "llm"]


class Settings(BaseSettings):
    """Service configuration. Every field maps to `PM_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="PM_", env_file=None, extra="ignore")

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
    default_engine: EngineName | None = Field(
        default=None,
        validation_alias=AliasChoices("PM_DEFAULT_ENGINE"),
        description="Engine used when a request names none: llm when an LLM is configured.",
    )
    max_transcript_chars: int = Field(
        default=2_000_000,
        gt=0,
        validation_alias=AliasChoices("PM_MAX_TRANSCRIPT_CHARS"),
        description="Largest transcript accepted, in characters.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.llm_base_url and not self.llm_model:
            raise ValueError(
                "PM_LLM_BASE_URL is set but PM_LLM_MODEL is not: set PM_LLM_MODEL to the model name"
            )
        if self.default_engine == "llm" and not self.llm_configured:
            raise ValueError(
                "PM_DEFAULT_ENGINE=llm needs PM_LLM_MODEL (and PM_LLM_BASE_URL or an API key)"
            )
        return self

    @property
    def llm_configured(self) -> bool:
        """True when enough is set to call an LLM."""
        return bool(self.llm_model and (self.llm_base_url or self.llm_api_key))

    @property
    def engine(self) -> EngineName:
        """The engine a request gets when it names none."""
        if self.default_engine:
            return self.default_engine
        return "llm" if self.llm_configured else "extractive"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
