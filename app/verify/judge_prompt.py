"""The judge's prompt, rendered from `prompts/judge_system.j2` and `prompts/judge_user.j2`.

The messages shown are the union of each claim's context (every message it cites, their
neighbours, the best retrieved matches), numbered exactly as the extraction prompt numbers them
(`[m12 09:14 Priya] text`, continuation lines indented, the closing tag defused), so no message
can forge a line that looks like another. Claims are data too: each is one line inside <claims>,
its own line breaks flattened and closing tags defused, so a draft cannot forge a claim or an
instruction. `judge_prompt_version()` joins the declared version with a hash of both templates;
it is part of the judge cache key, so an edited prompt never serves an old verdict.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from app.collector import pauses_collector
from app.llm.prompt import declared_version, numbered_transcript
from app.models import Transcript
from app.resources import prompts_dir, render_prompt
from app.verify.judge_models import JudgeRequest

if TYPE_CHECKING:  # the SDK is imported only when an LLM is used
    from openai.types.chat import ChatCompletionMessageParam


SYSTEM_TEMPLATE = "judge_system.j2"
USER_TEMPLATE = "judge_user.j2"
TEMPLATES = (SYSTEM_TEMPLATE, USER_TEMPLATE)
_CLOSING_TAG = re.compile(r"</(?=[ \t]*+(?:claims|transcript)\b)", re.IGNORECASE)
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]++")


@lru_cache(maxsize=1)
def judge_prompt_version() -> str:
    """`<declared version>.<hash of the judge templates>`: part of the judge cache key."""
    digest = hashlib.sha256()
    for template in TEMPLATES:
        digest.update((prompts_dir() / template).read_bytes())
    return f"{declared_version(SYSTEM_TEMPLATE)}.{digest.hexdigest()[:8]}"


def _claim_line(text: str) -> str:
    return _CLOSING_TAG.sub("</ ", _LINE_BREAKS.sub(" ", text)).strip()


@pauses_collector
def judge_messages(
    claims: Sequence[JudgeRequest], transcript: Transcript
) -> list[ChatCompletionMessageParam]:
    """The system and user messages for one batch of claims."""
    shown = {i for claim in claims for i in (*claim.cited, *claim.context)}
    excerpt = transcript.model_copy(
        update={"messages": [m for m in transcript.messages if m.id in shown]}
    )
    rows = [
        {
            "index": claim.index,
            "text": _claim_line(claim.claim),
            "cited": ", ".join(f"m{i}" for i in claim.cited),
        }
        for claim in claims
    ]
    user = render_prompt(
        USER_TEMPLATE,
        transcript=numbered_transcript(excerpt),
        claims=rows,
        message_count=len(transcript.messages),
    )
    return [
        {"role": "system", "content": render_prompt(SYSTEM_TEMPLATE).strip()},
        {"role": "user", "content": user.strip()},
    ]
