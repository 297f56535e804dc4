"""Where the prompt templates and JSON Schemas live, and how prompts are rendered.

In a source checkout (or editable install) they are the top-level `prompts/` and `schemas/`
folders; a built wheel carries copies under `app/_data/` (see pyproject's force-include).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    bundled = _PACKAGE / "_data" / name
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent / name


def prompts_dir() -> Path:
    """Folder holding the Jinja2 prompt templates."""
    return _data_dir("prompts")


def schemas_dir() -> Path:
    """Folder holding the exported JSON Schemas."""
    return _data_dir("schemas")


@lru_cache(maxsize=1)
def _prompt_environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(prompts_dir()),
        undefined=StrictUndefined,  # a missing variable is an error, not an empty string
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_prompt(template: str, **variables: Any) -> str:
    """Render `prompts/<template>` with StrictUndefined."""
    return _prompt_environment().get_template(template).render(**variables)
