"""The LLM half of GET /readyz: can the endpoint be reached, and does it serve the model?"""

from __future__ import annotations

import openai
from openai import AsyncOpenAI

from app.config import Settings

READINESS_TIMEOUT = 5.0


async def check_llm(settings: Settings, client: AsyncOpenAI) -> tuple[bool, str]:
    """(ready, what was found), from one short GET /models; says what failed and what to check."""
    endpoint = settings.llm_base_url or "https://api.openai.com/v1"
    model = settings.llm_model
    try:
        page = await client.with_options(timeout=READINESS_TIMEOUT, max_retries=0).models.list()
    except openai.APITimeoutError:
        return False, f"{endpoint} did not answer GET /models within {READINESS_TIMEOUT:g}s"
    except openai.APIConnectionError:
        return False, f"cannot connect to {endpoint}: check PM_LLM_BASE_URL and that it is running"
    except openai.AuthenticationError:
        return False, f"{endpoint} rejected the API key (401): check PM_LLM_API_KEY"
    except openai.NotFoundError:
        return False, f"{endpoint} has no /models (404): check PM_LLM_BASE_URL (ends in /v1?)"
    except openai.APIStatusError as exc:
        return False, f"{endpoint} answered GET /models with {exc.status_code}"
    if settings.llm_api_version:
        # Azure lists base models, not deployments; reaching it with the key is what we can check.
        return True, f"Azure OpenAI endpoint {endpoint} reachable; deployment {model!r}"
    served = [entry.id for entry in page.data]
    if served and model not in served:
        shown = ", ".join(served[:8]) + (", ..." if len(served) > 8 else "")
        return False, f"{endpoint} does not serve PM_LLM_MODEL={model!r} (it lists: {shown})"
    return True, f"{endpoint} reachable; model {model!r} available"
