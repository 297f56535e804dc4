"""The JSON Schemas in `schemas/`, exported from the Pydantic models.

Three files, all generated, all committed:

- `incident_report.schema.json`: `IncidentReport.model_json_schema()`, the report as the API
  returns it.
- `llm_extraction.schema.json`: the schema the LLM must answer in, sent as the request's
  `response_format`. It is derived from the same model in the "strict" shape structured outputs
  require (every property required, `additionalProperties: false`, nullable fields as
  `anyOf [..., null]`), minus value constraints that strict mode rejects; Pydantic still enforces
  those when the answer is validated, and a violation is re-asked like any other error.
- `claim_verdicts.schema.json`: the strict schema the fact checker's LLM judge answers in.
- `claim_repairs.schema.json`: the strict schema the repair step's answer takes (one correction
  or withdrawal per failed item), derived from `app.llm.repair.RepairAnswer` like the report's.
- `llm_chunk_extraction.schema.json` and `llm_reduce.schema.json`: the strict schemas of
  map-reduce extraction for chats longer than the context (`app.llm.partial`): one part's
  findings, and the reduce call's title, summaries, root cause and open questions.

Regenerate with `postmortem schemas` or `python -m app.schemas`; `tests/test_schemas.py` fails
when a committed file drifts from the models.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.models import IncidentReport, report_json_schema
from app.resources import schemas_dir

REPORT_SCHEMA_FILE = "incident_report.schema.json"
LLM_SCHEMA_FILE = "llm_extraction.schema.json"
LLM_SCHEMA_NAME = "incident_report"
JUDGE_SCHEMA_FILE = "claim_verdicts.schema.json"
REPAIR_SCHEMA_FILE = "claim_repairs.schema.json"
CHUNK_SCHEMA_FILE = "llm_chunk_extraction.schema.json"
CHUNK_SCHEMA_NAME = "partial_report"
REDUCE_SCHEMA_FILE = "llm_reduce.schema.json"
REDUCE_SCHEMA_NAME = "reduce_report"

# Keywords that OpenAI's strict mode (and some compatible servers) refuse with a 400. The model
# validators check all of them anyway, so dropping them from the request loses no safety.
_STRICT_UNSUPPORTED = frozenset(
    {
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "default",
    }
)


def llm_extraction_schema() -> dict[str, Any]:
    """The strict JSON Schema the LLM answers in, derived from `IncidentReport`."""
    from openai.lib._pydantic import to_strict_json_schema

    schema: dict[str, Any] = _strip(to_strict_json_schema(IncidentReport))
    return schema


def _strip(node: Any, *, in_properties: bool = False) -> Any:
    """Drop unsupported keywords; keys of a `properties` map are field names and always stay."""
    if isinstance(node, dict):
        result: dict[str, Any] = {}
        for key, value in node.items():
            if not in_properties and key in _STRICT_UNSUPPORTED:
                continue
            schema_map = not in_properties and key in ("properties", "$defs")
            result[key] = _strip(value, in_properties=schema_map)
        return result
    if isinstance(node, list):
        return [_strip(item) for item in node]
    return node


def judge_response_schema() -> dict[str, Any]:
    """The strict schema the LLM judge answers in (one verdict per claim)."""
    from app.verify.judge import JudgeAnswer, strict_schema

    return strict_schema(JudgeAnswer)


def repair_response_schema() -> dict[str, Any]:
    """The strict schema the repair step answers in (one decision per failed item)."""
    from openai.lib._pydantic import to_strict_json_schema

    from app.llm.repair import RepairAnswer

    schema: dict[str, Any] = _strip(to_strict_json_schema(RepairAnswer))
    return schema


def chunk_response_schema() -> dict[str, Any]:
    """The strict schema of one chunk's findings (map-reduce extraction)."""
    from openai.lib._pydantic import to_strict_json_schema

    from app.llm.partial import PartialReport

    schema: dict[str, Any] = _strip(to_strict_json_schema(PartialReport))
    return schema


def reduce_response_schema() -> dict[str, Any]:
    """The strict schema of the reduce call's answer (map-reduce extraction)."""
    from openai.lib._pydantic import to_strict_json_schema

    from app.llm.partial import ReduceAnswer

    schema: dict[str, Any] = _strip(to_strict_json_schema(ReduceAnswer))
    return schema


SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    REPORT_SCHEMA_FILE: report_json_schema,
    LLM_SCHEMA_FILE: llm_extraction_schema,
    JUDGE_SCHEMA_FILE: judge_response_schema,
    REPAIR_SCHEMA_FILE: repair_response_schema,
    CHUNK_SCHEMA_FILE: chunk_response_schema,
    REDUCE_SCHEMA_FILE: reduce_response_schema,
}


def render_schema(schema: dict[str, Any]) -> str:
    """The file text of a schema: stable, indented JSON with a trailing newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def export_schemas(directory: Path | None = None) -> list[Path]:
    """Write every schema file into `directory` (default `schemas/`); returns the paths."""
    target = directory or schemas_dir()
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in SCHEMAS.items():
        path = target / name
        path.write_text(render_schema(build()), encoding="utf-8")
        written.append(path)
    return written


def schema_drift(directory: Path | None = None) -> list[str]:
    """Names of schema files in `directory` that are missing or differ from the models."""
    target = directory or schemas_dir()
    drifted = []
    for name, build in SCHEMAS.items():
        path = target / name
        if not path.is_file() or path.read_text(encoding="utf-8") != render_schema(build()):
            drifted.append(name)
    return drifted


@lru_cache(maxsize=1)
def _llm_schema_text() -> str:
    path = schemas_dir() / LLM_SCHEMA_FILE
    return path.read_text(encoding="utf-8")


def load_llm_response_schema() -> dict[str, Any]:
    """The committed `llm_extraction.schema.json`: exactly what requests send."""
    schema: dict[str, Any] = json.loads(_llm_schema_text())
    return schema


@lru_cache(maxsize=1)
def load_judge_response_schema() -> dict[str, Any]:
    """The committed `claim_verdicts.schema.json`: exactly what judge requests send."""
    path = schemas_dir() / JUDGE_SCHEMA_FILE
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


@lru_cache(maxsize=1)
def _repair_schema_text() -> str:
    return (schemas_dir() / REPAIR_SCHEMA_FILE).read_text(encoding="utf-8")


def load_repair_response_schema() -> dict[str, Any]:
    """The committed `claim_repairs.schema.json`: exactly what repair requests send."""
    schema: dict[str, Any] = json.loads(_repair_schema_text())
    return schema


@lru_cache(maxsize=2)
def _committed_text(name: str) -> str:
    return (schemas_dir() / name).read_text(encoding="utf-8")


def load_chunk_response_schema() -> dict[str, Any]:
    """The committed `llm_chunk_extraction.schema.json`: exactly what chunk requests send."""
    schema: dict[str, Any] = json.loads(_committed_text(CHUNK_SCHEMA_FILE))
    return schema


def load_reduce_response_schema() -> dict[str, Any]:
    """The committed `llm_reduce.schema.json`: exactly what reduce requests send."""
    schema: dict[str, Any] = json.loads(_committed_text(REDUCE_SCHEMA_FILE))
    return schema


def long_schema_version() -> str:
    """A short fingerprint of both map-reduce schema files; part of the extraction cache key."""
    text = _committed_text(CHUNK_SCHEMA_FILE) + _committed_text(REDUCE_SCHEMA_FILE)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def repair_schema_version() -> str:
    """A short fingerprint of the repair schema file; part of the repair cache key."""
    return hashlib.sha256(_repair_schema_text().encode("utf-8")).hexdigest()[:12]


def llm_schema_version() -> str:
    """A short fingerprint of the LLM schema file; part of the extraction cache key."""
    return hashlib.sha256(_llm_schema_text().encode("utf-8")).hexdigest()[:12]


def main(argv: list[str] | None = None) -> int:
    """`python -m app.schemas [DIR]`: regenerate the schema files."""
    args = sys.argv[1:] if argv is None else argv
    for path in export_schemas(Path(args[0]) if args else None):
        sys.stdout.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
