"""The committed JSON Schemas match the models; the LLM schema has the strict shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.models import IncidentReport
from app.resources import schemas_dir
from app.schemas import (
    CHUNK_SCHEMA_FILE,
    JUDGE_SCHEMA_FILE,
    LLM_SCHEMA_FILE,
    REDUCE_SCHEMA_FILE,
    REPAIR_SCHEMA_FILE,
    REPORT_SCHEMA_FILE,
    export_schemas,
    llm_extraction_schema,
    load_llm_response_schema,
    schema_drift,
)


def test_committed_schemas_match_the_models() -> None:
    drifted = schema_drift()
    assert drifted == [], (
        f"{drifted} differ from the models: run `python -m app.schemas` and commit schemas/"
    )


def test_drift_names_the_changed_and_missing_files(tmp_path: Path) -> None:
    written = export_schemas(tmp_path)
    assert sorted(p.name for p in written) == sorted(
        [
            REPORT_SCHEMA_FILE,
            LLM_SCHEMA_FILE,
            JUDGE_SCHEMA_FILE,
            REPAIR_SCHEMA_FILE,
            CHUNK_SCHEMA_FILE,
            REDUCE_SCHEMA_FILE,
        ]
    )
    assert schema_drift(tmp_path) == []

    report = tmp_path / REPORT_SCHEMA_FILE
    report.write_text(report.read_text().replace("Short title", "A title"))
    (tmp_path / LLM_SCHEMA_FILE).unlink()

    assert schema_drift(tmp_path) == [REPORT_SCHEMA_FILE, LLM_SCHEMA_FILE]


def test_report_schema_is_the_models_schema() -> None:
    committed = json.loads((schemas_dir() / REPORT_SCHEMA_FILE).read_text())
    assert committed == IncidentReport.model_json_schema()


def _objects(node: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "object":
            found.append(node)
        for value in node.values():
            found.extend(_objects(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_objects(item))
    return found


def _keys(node: Any) -> set[str]:
    keys: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            keys.add(key)
            if key in ("properties", "$defs"):
                for inner in value.values():
                    keys |= _keys(inner)
            else:
                keys |= _keys(value)
    elif isinstance(node, list):
        for item in node:
            keys |= _keys(item)
    return keys


def test_llm_schema_is_strict_compatible() -> None:
    schema = load_llm_response_schema()
    assert schema == llm_extraction_schema()
    objects = _objects(schema)
    assert len(objects) >= 5  # the report, summaries, statements, timeline entries, action items
    for obj in objects:
        assert obj["additionalProperties"] is False
        assert obj["required"] == list(obj["properties"])
    assert not _keys(schema) & {"minLength", "minItems", "pattern", "format", "default"}
    assert set(schema["properties"]) == set(IncidentReport.model_fields)


def test_nullable_fields_are_anyof_null() -> None:
    properties = load_llm_response_schema()["properties"]
    for name in ("detection", "root_cause", "resolution"):
        variants = properties[name]["anyOf"]
        assert {"type": "null"} in variants
        assert {"$ref": "#/$defs/Statement"} in variants
    owner = load_llm_response_schema()["$defs"]["ActionItem"]["properties"]["owner"]
    assert owner["anyOf"] == [{"type": "string"}, {"type": "null"}]
