"""The LLM half of GET /readyz: can the endpoint be reached, and does it serve the model?

The probe is one short GET /models. `ReadinessProbe` runs it at most once per
PM_LLM_READINESS_INTERVAL and answers every /readyz call in between from the last result, so a
load balancer polling readiness costs no LLM traffic; concurrent calls share one probe. Results
name the endpoint by scheme, host and port only.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

import openai
from openai import AsyncOpenAI

from app.config import Settings
from app.llm.endpoint import public_endpoint

READINESS_TIMEOUT = 5.0


@dataclass(frozen=True)
class ProbeTarget:
    """One endpoint to probe: its client, the model it must serve, and how to name it."""

    client: AsyncOpenAI
    model: str
    base_url: str | None
    model_variable: str = "PM_LLM_MODEL"
    key_variable: str = "PM_LLM_API_KEY"
    url_variable: str = "PM_LLM_BASE_URL"
    azure: bool = False


def probe_target(settings: Settings, client: AsyncOpenAI, *, judge: bool = False) -> ProbeTarget:
    """What to probe for the extraction LLM, or for the judge."""
    own = judge and bool(settings.judge_base_url)
    model = (settings.judge_model_name if judge else settings.llm_model) or ""
    return ProbeTarget(
        client=client,
        model=model,
        base_url=settings.judge_base_url if own else settings.llm_base_url,
        model_variable="PM_JUDGE_MODEL" if judge and settings.judge_model else "PM_LLM_MODEL",
        key_variable="PM_JUDGE_API_KEY" if own else "PM_LLM_API_KEY",
        url_variable="PM_JUDGE_BASE_URL" if own else "PM_LLM_BASE_URL",
        azure=bool(settings.llm_api_version) and not own,
    )


async def check_llm(settings: Settings, client: AsyncOpenAI) -> tuple[bool, str]:
    """One uncached probe of the extraction LLM (the CLI and tests use it directly)."""
    return await check_endpoint(probe_target(settings, client))


async def check_endpoint(target: ProbeTarget) -> tuple[bool, str]:
    """(ready, what was found), from one short GET /models; says what failed and what to check."""
    endpoint = public_endpoint(target.base_url)
    model = target.model
    client = target.client.with_options(timeout=READINESS_TIMEOUT, max_retries=0)
    try:
        async with asyncio.timeout(READINESS_TIMEOUT):  # the whole exchange, not each read
            page = await client.models.list()
    except (TimeoutError, openai.APITimeoutError):
        return False, f"{endpoint} did not answer GET /models within {READINESS_TIMEOUT:g}s"
    except openai.APIConnectionError:
        return False, (
            f"cannot connect to {endpoint}: check {target.url_variable} and that it is running"
        )
    except openai.AuthenticationError:
        return False, f"{endpoint} rejected the API key (401): check {target.key_variable}"
    except openai.NotFoundError:
        return False, (
            f"{endpoint} has no /models (404): check {target.url_variable} (ends in /v1?)"
        )
    except openai.APIStatusError as exc:
        return False, f"{endpoint} answered GET /models with {exc.status_code}"
    except Exception as exc:  # a malformed listing: say so rather than fail the probe with a 500
        return (
            False,
            f"{endpoint} answered GET /models with an unreadable listing ({type(exc).__name__})",
        )
    if target.azure:
        # Azure lists base models, not deployments; reaching it with the key is what we can check.
        return True, f"Azure OpenAI endpoint {endpoint} reachable; deployment {model!r}"
    try:
        served = [entry.id for entry in page.data if isinstance(entry.id, str)]
    except (AttributeError, TypeError):
        return False, f"{endpoint} answered GET /models with an unreadable listing"
    if served and model not in served:
        shown = ", ".join(served[:8]) + (", ..." if len(served) > 8 else "")
        return False, (
            f"{endpoint} does not serve {target.model_variable}={model!r} (it lists: {shown})"
        )
    return True, f"{endpoint} reachable; model {model!r} available"


class ReadinessProbe:
    """Probe results cached for `interval` seconds; one probe in flight at a time."""

    def __init__(
        self,
        target: ProbeTarget,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.target = target
        self.interval = interval
        self.probes = 0
        self._clock = clock
        self._last: tuple[float, tuple[bool, str]] | None = None
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _lock_here(self) -> asyncio.Lock:
        """A lock for the running loop (an app may be served by more than one loop in tests)."""
        loop = asyncio.get_running_loop()
        if self._lock is None or self._loop is not loop:
            self._lock, self._loop = asyncio.Lock(), loop
        return self._lock

    async def check(self) -> tuple[bool, str]:
        """The last result if it is fresh, else a new probe."""
        async with self._lock_here():
            now = self._clock()
            if self._last is not None and now - self._last[0] < self.interval:
                return self._last[1]
            self.probes += 1
            result = await check_endpoint(self.target)
            self._last = (self._clock(), result)
            return result
