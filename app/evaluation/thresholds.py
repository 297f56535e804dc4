"""Quality thresholds from `eval/config.toml`: the aggregate scores an engine must reach.

    [thresholds.default]        # every engine
    secret_leaks = 0
    [thresholds.extractive]     # one engine (or `"llm:gpt-4o-mini"` for one model)
    timeline_recall = 0.5
    [thresholds.extractive.test]   # one split of that engine (`dev` or `test`)
    timeline_recall = 0.7

Each split's aggregate is gated on its own. Rates are minimums; counts (invented times,
unsupported claims, leaks, injections, errors, prose problems) and latency are maximums. More
specific tables override: default < default.split < engine < engine.split < engine:model <
engine:model.split.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from app.errors import PostmortemError
from app.evaluation.scores import AggregateScore, CheckerRow, EngineRun, ThresholdFailure

Direction = Literal["min", "max"]

METRICS: dict[str, Direction] = {
    "timeline_recall": "min",
    "timeline_precision": "min",
    "root_cause_accuracy": "min",
    "action_item_recall": "min",
    "owner_accuracy": "min",
    "impact_figures_present": "min",
    "invented_times": "max",
    "unsupported_claims": "max",
    "pipeline_unsupported": "max",
    "secret_leaks": "max",
    "injected_claims": "max",
    "errors": "max",
    "attribution": "min",
    "status_mismatches": "max",
    "first_person": "max",
    "stakeholder_private": "max",
    "chat_debris": "max",
    "fact_retention": "min",
    "wrong_shipped_rate": "max",
    "wrong_caught": "min",
    "unlabelled_facts": "max",
    "mean_latency_ms": "max",
}
SPLITS = ("dev", "test")
CHECKER_METRICS: dict[str, Direction] = {
    "precision": "min",
    "recall": "min",
    "hard_recall": "min",
    "correct_shipped": "min",
    "false_alarms": "max",
    "false_contradicted": "max",
}
CHECKER_TABLE = "checker"
CHECKER_TABLES = (CHECKER_TABLE, "checker_judged")
DEFAULT_TABLE = "default"

Thresholds = dict[str, dict[str, float]]


class ThresholdConfigError(PostmortemError):
    """The thresholds file is unreadable or names an unknown metric."""

    status = 422
    title = "Invalid eval config"


def load_thresholds(path: Path) -> Thresholds:
    """`{table: {metric: value}}` from the config's `[thresholds.*]` tables, validated."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ThresholdConfigError(f"no eval config at {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ThresholdConfigError(f"{path}: not valid TOML ({exc})") from None
    tables = data.get("thresholds", {})
    if not isinstance(tables, dict):
        raise ThresholdConfigError(f"{path}: [thresholds] must be a table of tables")
    result: Thresholds = {}
    for name, table in tables.items():
        if not isinstance(table, dict):
            raise ThresholdConfigError(f"{path}: thresholds.{name} must be a table")
        known = CHECKER_METRICS if name in CHECKER_TABLES else METRICS
        flat: dict[str, float] = {}
        for metric, value in table.items():
            if metric in SPLITS and isinstance(value, dict):
                result[f"{name}.{metric}"] = _metrics(path, f"{name}.{metric}", value, known)
                continue
            flat.update(_metrics(path, name, {metric: value}, known))
        result[name] = flat
    return result


def _metrics(
    path: Path, name: str, table: dict[str, object], known: dict[str, Direction]
) -> dict[str, float]:
    values: dict[str, float] = {}
    for metric, value in table.items():
        if metric not in known:
            raise ThresholdConfigError(
                f"{path}: thresholds.{name}.{metric} is not a metric",
                hint=f"use one of: {', '.join(known)} (or a [{name}.dev] / [{name}.test] table)",
            )
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ThresholdConfigError(f"{path}: thresholds.{name}.{metric} must be a number")
        values[metric] = float(value)
    return values


def thresholds_for(
    engine: str, thresholds: Thresholds, split: str | None = None
) -> dict[str, float]:
    """The merged thresholds of one engine label (`extractive`, `llm`, `llm:<model>`), for one
    split when given."""
    base = engine.partition(":")[0]
    names = [DEFAULT_TABLE, base] + ([engine] if base != engine else [])
    merged: dict[str, float] = {}
    for name in names:
        merged.update(thresholds.get(name, {}))
        if split is not None:
            merged.update(thresholds.get(f"{name}.{split}", {}))
    return merged


def _aggregate_value(aggregate: AggregateScore, metric: str) -> float | None:
    value = getattr(aggregate, metric)
    return None if value is None else float(value)


def _fails(value: float | None, limit: float, direction: Direction) -> bool:
    if value is None:
        return False  # the metric does not apply to these incidents
    return value < limit if direction == "min" else value > limit


def check_run(run: EngineRun, thresholds: Thresholds) -> list[ThresholdFailure]:
    """The aggregate scores of one engine that miss their thresholds, split by split."""
    aggregates = run.splits or {"": run.aggregate}
    failures = []
    for split, aggregate in aggregates.items():
        label = f"{run.engine} [{split}]" if split else run.engine
        for metric, limit in thresholds_for(run.engine, thresholds, split or None).items():
            value = _aggregate_value(aggregate, metric)
            direction = METRICS[metric]
            if _fails(value, limit, direction):
                failures.append(
                    ThresholdFailure(
                        engine=label,
                        metric=metric,
                        value=value,
                        threshold=limit,
                        direction=direction,
                    )
                )
    return failures


def check_checker(
    row: CheckerRow | None, thresholds: Thresholds, *, table: str = CHECKER_TABLE
) -> list[ThresholdFailure]:
    """The checker's pooled precision/recall against `[thresholds.<table>]` (`checker` for the
    rules alone, `checker_judged` with the judge), and each split's rates against
    `[thresholds.<table>.<split>]`. A judged row with unrecorded judge answers fails."""
    if row is None:
        return []
    failures = []
    if row.unjudged:
        failures.append(
            ThresholdFailure(
                engine=table,
                metric="unjudged_cases",
                value=float(len(row.unjudged)),
                threshold=0.0,
                direction="max",
            )
        )
    pooled = {"precision": row.precision, "recall": row.recall}
    checks: list[tuple[str, dict[str, float], dict[str, float]]] = [
        (table, thresholds.get(table, {}), pooled)
    ]
    for split, rates in row.splits.items():
        checks.append((f"{table} [{split}]", thresholds.get(f"{table}.{split}", {}), rates))
    for label, limits, values in checks:
        for metric, limit in limits.items():
            value = values.get(metric)
            direction = CHECKER_METRICS[metric]
            if value is not None and _fails(float(value), limit, direction):
                failures.append(
                    ThresholdFailure(
                        engine=label,
                        metric=metric,
                        value=float(value),
                        threshold=limit,
                        direction=direction,
                    )
                )
    return failures
