"""The eval suite's matching rules and metrics, on small hand-made gold and output pairs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.evaluation.gold import (
    Gold,
    GoldActionItem,
    GoldFormatError,
    GoldRootCause,
    GoldTimelineEvent,
    discover_incidents,
    load_gold,
    recording_file_name,
)
from app.evaluation.matching import contains_figure, matches_keywords, one_to_one, times_within
from app.evaluation.metrics import (
    figures_present,
    found_in,
    impact_text,
    invented_times,
    json_strings,
    looks_like_secret,
    match_action_items,
    match_timeline,
    root_cause_correct,
    same_owner,
    transcript_times,
)
from app.evaluation.scores import AggregateScore, EngineRun, IncidentScore, aggregate
from app.evaluation.thresholds import (
    ThresholdConfigError,
    check_run,
    load_thresholds,
    thresholds_for,
)
from app.models import ActionItem, Message, Statement, TimelineEntry, Transcript

# ------------------------------------------------------------------------------------------
# Matching rules
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "keywords", "expected"),
    [
        ("Rollback started", [["rollback", "revert"]], True),
        ("ROLLBACK started", [["rollback"]], True),  # case-insensitive
        ("Rolled back the deploy", [["rollback", "rolled back"], ["deploy"]], True),
        ("Rolled back", [["rollback", "rolled back"], ["deploy"]], False),  # every group
        ("Errors at 45%", [["45%", "500"]], True),
        ("re-validated env vars", [["validat"]], True),  # substring, not word
        ("anything at all", [], True),  # no groups: matches any text
        ("", [["x"]], False),
    ],
)
def test_keyword_groups(text: str, keywords: list[list[str]], expected: bool) -> None:
    assert matches_keywords(text, keywords) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("09:14", "09:14", True),
        ("09:14", "09:15", True),
        ("09:14", "09:13", True),
        ("09:14", "09:16", False),
        ("09:14", "2024-06-03T09:15:59+02:00", True),  # ISO: the wall-clock part
        ("09:14", "2024-06-03T10:14:00Z", False),
        ("09:14", "09:14:59", True),
        ("23:59", "00:00", True),  # across midnight
        ("00:00", "23:58", False),
    ],
)
def test_times_within_a_minute(a: str, b: str, expected: bool) -> None:
    assert times_within(a, b) is expected


def test_one_to_one_finds_the_maximum_matching_not_the_greedy_one() -> None:
    # Left 0 fits right 0 and 1; left 1 fits only right 0. Greedy pairs (0, 0) and strands 1.
    fits = {(0, 0), (0, 1), (1, 0)}
    assert one_to_one(2, 2, lambda i, j: (i, j) in fits) == [(0, 1), (1, 0)]


def test_one_to_one_uses_each_item_once() -> None:
    assert one_to_one(3, 1, lambda _i, _j: True) == [(0, 0)]
    assert one_to_one(0, 3, lambda _i, _j: True) == []


@pytest.mark.parametrize(
    ("text", "figure", "expected"),
    [
        ("latency rose to 1.5 s", "1.5s", True),
        ("for 13 minutes", "13 minutes", True),
        ("for 13minutes", "13 minutes", True),
        ("errors at 4.5%", "45%", False),
        ("Down 1H45M", "1h45m", True),
        ("6,214 addresses were cut", "6.214", True),
        ("6.214 Adressen", "6,214", True),
        ("1.234.567 rows", "1,234,567", True),
        ("took 6.2 s", "6,214", False),
        ("2,14 s", "2.14", False),
    ],
)
def test_figures_compare_without_spaces(text: str, figure: str, expected: bool) -> None:
    assert contains_figure(text, figure) is expected


# ------------------------------------------------------------------------------------------
# Timeline
# ------------------------------------------------------------------------------------------


def gold_event(time: str, *groups: list[str]) -> GoldTimelineEvent:
    return GoldTimelineEvent(time=time, event=f"event at {time}", keywords=list(groups))


def entry(time: str, description: str) -> TimelineEntry:
    return TimelineEntry(time=time, description=description, kind="other", evidence=[1])


GOLD_TIMELINE = [
    gold_event("09:10", ["deploy"]),
    gold_event("09:14", ["alert", "paged"]),
    gold_event("09:18", ["rollback"]),
    gold_event("09:21", ["rollback"], ["complete", "done"]),
]


@pytest.mark.parametrize(
    ("output", "matched", "recall", "precision"),
    [
        (
            [
                entry("09:10", "Deploy"),
                entry("09:14", "Alert fired"),
                entry("09:18", "Rollback"),
                entry("09:21", "Rollback done"),
            ],
            4,
            1.0,
            1.0,
        ),
        # One minute off counts; two minutes off does not.
        ([entry("09:11", "deploy"), entry("09:16", "paged")], 1, 0.25, 0.5),
        # ISO times (anchored by the pipeline) compare by their wall-clock part.
        ([entry("2024-06-03T09:14:30+00:00", "Alert")], 1, 0.25, 1.0),
        # Right time, wrong words; and an extra entry that matches nothing.
        ([entry("09:10", "Config changed"), entry("09:30", "Retro")], 0, 0.0, 0.0),
        # One-to-one: two identical entries match one gold event once.
        ([entry("09:18", "rollback"), entry("09:18", "rollback again")], 1, 0.25, 0.5),
        # Both rollback entries land: 09:21 "rollback complete" also fits the 09:21 gold event.
        ([entry("09:20", "rollback complete"), entry("09:18", "rollback")], 2, 0.5, 1.0),
        ([], 0, 0.0, None),  # no output entries: precision does not apply
    ],
)
def test_timeline_recall_and_precision(
    output: list[TimelineEntry], matched: int, recall: float, precision: float | None
) -> None:
    result = match_timeline(GOLD_TIMELINE, output)
    assert (result.matched, result.recall, result.precision) == (matched, recall, precision)
    assert len(result.missed) == 4 - matched


def test_timeline_without_gold_events_has_no_recall() -> None:
    result = match_timeline([], [entry("09:00", "x")])
    assert (result.recall, result.precision) == (None, 0.0)


# ------------------------------------------------------------------------------------------
# Root cause and action items
# ------------------------------------------------------------------------------------------

ROOT = GoldRootCause(description="env var", keywords=[["env var", "config"], ["prod"]])


@pytest.mark.parametrize(
    ("gold", "output", "expected"),
    [
        (ROOT, Statement(text="Prod env var values were never set.", evidence=[1]), True),
        (ROOT, Statement(text="A bad config in staging.", evidence=[1]), False),
        (ROOT, None, False),
        # the chat never settles on a cause: only "no root cause" (an open question) is right
        (None, Statement(text="anything", evidence=[1]), False),
        (None, None, True),
    ],
)
def test_root_cause_correct(
    gold: GoldRootCause | None, output: Statement | None, expected: bool
) -> None:
    assert root_cause_correct(gold, output) is expected


GOLD_ITEMS = [
    GoldActionItem(description="env var validation", owner="Alex", keywords=[["env var"]]),
    GoldActionItem(description="runbook", owner="Priya", keywords=[["runbook"]]),
    GoldActionItem(description="training", owner=None, keywords=[["training"]]),
]


def item(description: str, owner: str | None) -> ActionItem:
    return ActionItem(description=description, owner=owner, evidence=[1])


@pytest.mark.parametrize(
    ("output", "matched", "recall", "owner_accuracy"),
    [
        (
            [item("Validate env vars", "alex"), item("Runbook", "PRIYA"), item("Training", None)],
            3,
            1.0,
            1.0,
        ),
        ([item("Validate env var", "Ravi"), item("Training", "Sara")], 2, 2 / 3, 0.0),
        ([item("Runbook update", "Priya"), item("Dashboards", "Ravi")], 1, 1 / 3, 1.0),
        ([item("Dashboards", None)], 0, 0.0, None),  # nothing matched: no owner accuracy
    ],
)
def test_action_item_recall_and_owner_accuracy(
    output: list[ActionItem], matched: int, recall: float, owner_accuracy: float | None
) -> None:
    result = match_action_items(GOLD_ITEMS, output)
    assert (result.matched, result.recall, result.owner_accuracy) == (
        matched,
        pytest.approx(recall),
        owner_accuracy,
    )


@pytest.mark.parametrize(
    ("gold", "output", "expected"),
    [
        ("Alex", "alex", True),
        ("Alex", " Alex ", True),
        (None, None, True),
        ("Alex", None, False),
        (None, "Alex", False),
        ("Alex", "Ravi", False),
    ],
)
def test_owner_equality(gold: str | None, output: str | None, expected: bool) -> None:
    assert same_owner(gold, output) is expected


# ------------------------------------------------------------------------------------------
# Impact figures, invented times, must-not-appear
# ------------------------------------------------------------------------------------------

DRAFT = """# Postmortem: Checkout errors

**Impact window:** 09:14 to 09:27, 13 minutes

## Summary

Errors hit 45%.

## Impact

- Latency rose to 1.5 s.

## Root cause

Revenue impact of 2% was guessed.

## Timeline

| 09:14 | 99% errors |
"""


def test_impact_text_keeps_header_summary_and_impact_only() -> None:
    text = impact_text(DRAFT)
    assert "13 minutes" in text and "45%" in text and "1.5 s" in text
    assert "2%" not in text and "99%" not in text


@pytest.mark.parametrize(
    ("figures", "fraction", "missing"),
    [
        (["45%", "1.5s", "13 minutes"], 1.0, []),
        (["45%", "2%"], 0.5, ["2%"]),  # 2% is in the draft, but under Root cause
        (["99%"], 0.0, ["99%"]),
        ([], None, []),
    ],
)
def test_impact_figures_present(
    figures: list[str], fraction: float | None, missing: list[str]
) -> None:
    assert figures_present(figures, impact_text(DRAFT)) == (fraction, missing)


def transcript(*rows: tuple[str | None, str]) -> Transcript:
    messages = [
        Message(id=i, time=time, author="a", text=text, line_start=i, line_end=i)
        for i, (time, text) in enumerate(rows, start=1)
    ]
    return Transcript(format="bracket-inline", messages=messages)


def test_transcript_times_are_message_times_and_times_in_text() -> None:
    chat = transcript(("09:14:05", "after the 9:10 AM deploy"), (None, "back at 2pm"))
    assert transcript_times(chat) == {"09:14", "09:10", "14:00"}


@pytest.mark.parametrize(
    ("drafts", "expected"),
    [
        (["At 09:14 errors; deploy at 9:10 AM."], []),
        (["Fixed at 09:40.", "Fixed at 09:40 and 10:00"], ["09:40", "09:40", "10:00"]),
        (["09:41, 09:41 again"], ["09:41"]),  # distinct per draft
        (["2024-06-03T09:14:00"], []),
    ],
)
def test_invented_times(drafts: list[str], expected: list[str]) -> None:
    assert invented_times(drafts, {"09:14", "09:10"}) == expected


@pytest.mark.parametrize(
    ("value", "secret"),
    [
        ("AKIAQ3EGT7VN2XKCM5PL", True),
        ("vT7q!Lm29xKpR4wz", True),
        ("billing_rw:vT7q", True),
        ("caused by the RDS maintenance", False),
        ("feature flag", False),
        ("v2.3.1", False),  # too short to be a credential
        ("thousands", False),
    ],
)
def test_must_not_appear_strings_split_into_secrets_and_claims(value: str, secret: bool) -> None:
    assert looks_like_secret(value) is secret


def test_found_in_is_case_insensitive_and_json_strings_walks_everything() -> None:
    body: dict[str, Any] = {"draft": {"text": "Caused by the Summer Sale"}, "messages": [{"k": 1}]}
    haystack = "\n".join(json_strings(body))
    assert found_in(["caused by the summer sale", "feature flag"], haystack) == [
        "caused by the summer sale"
    ]
    assert "messages" in haystack and "k" in haystack


# ------------------------------------------------------------------------------------------
# Aggregates and thresholds
# ------------------------------------------------------------------------------------------


def score(**values: Any) -> IncidentScore:
    return IncidentScore(incident=values.pop("incident", "x"), engine="extractive", **values)


def test_aggregate_averages_rates_over_applicable_incidents_and_sums_counts() -> None:
    scores = [
        score(
            timeline_recall=1.0,
            timeline_precision=0.5,
            root_cause_correct=True,
            owner_accuracy=None,
            invented_times=1,
            secret_leaks=0,
        ),
        score(
            timeline_recall=0.5,
            timeline_precision=None,
            root_cause_correct=False,
            owner_accuracy=0.5,
            invented_times=2,
            secret_leaks=1,
        ),
        score(timeline_recall=0.0, timeline_precision=0.25, root_cause_correct=None, error="boom"),
    ]
    total = aggregate(scores)
    assert total.incidents == 3 and total.errors == 1
    assert total.timeline_recall == 0.5
    assert total.timeline_precision == 0.375
    assert total.root_cause_accuracy == 0.5
    assert total.owner_accuracy == 0.5
    assert total.action_item_recall is None
    assert (total.invented_times, total.secret_leaks) == (3, 1)
    assert total.mean_latency_ms is None


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_thresholds_merge_default_engine_and_model(tmp_path: Path) -> None:
    config = write(
        tmp_path / "config.toml",
        "[thresholds.default]\nsecret_leaks = 0\ntimeline_recall = 0.1\n"
        "[thresholds.llm]\ntimeline_recall = 0.6\n"
        '[thresholds."llm:big"]\ntimeline_recall = 0.8\n',
    )
    thresholds = load_thresholds(config)
    assert thresholds_for("extractive", thresholds) == {"secret_leaks": 0, "timeline_recall": 0.1}
    assert thresholds_for("llm:small", thresholds)["timeline_recall"] == 0.6
    assert thresholds_for("llm:big", thresholds)["timeline_recall"] == 0.8


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("[thresholds.extractive]\ntimeline_recal = 0.5\n", "thresholds.extractive.timeline_recal"),
        ("[thresholds.extractive]\ntimeline_recall = 'high'\n", "must be a number"),
        ("[thresholds.checker]\ntimeline_recall = 0.5\n", "not a metric"),
        ("[thresholds\n", "not valid TOML"),
    ],
)
def test_bad_threshold_config_names_the_problem(tmp_path: Path, config: str, message: str) -> None:
    with pytest.raises(ThresholdConfigError, match=message.replace(".", r"\.")):
        load_thresholds(write(tmp_path / "config.toml", config))


def run_of(**values: Any) -> EngineRun:
    base = aggregate([score()]).model_dump()
    base.update(values)
    return EngineRun(engine="extractive", incidents=[], aggregate=AggregateScore(**base))


@pytest.mark.parametrize(
    ("values", "failed"),
    [
        ({"timeline_recall": 0.5, "secret_leaks": 0}, []),
        ({"timeline_recall": 0.49, "secret_leaks": 0}, ["timeline_recall"]),
        ({"timeline_recall": 0.9, "secret_leaks": 1}, ["secret_leaks"]),
        ({"timeline_recall": None, "secret_leaks": 0}, []),  # not applicable: not a failure
    ],
)
def test_rates_are_minimums_and_counts_maximums(values: dict[str, Any], failed: list[str]) -> None:
    thresholds = {"extractive": {"timeline_recall": 0.5, "secret_leaks": 0.0}}
    assert [f.metric for f in check_run(run_of(**values), thresholds)] == failed


# ------------------------------------------------------------------------------------------
# Gold files
# ------------------------------------------------------------------------------------------

GOLD: dict[str, Any] = {
    "id": "01-x",
    "title": "t",
    "format": None,
    "date": "2024-06-03",
    "timezone": None,
    "participants": ["a"],
    "timeline": [{"time": "09:14", "event": "e", "keywords": [["alert"]]}],
    "root_cause": {"description": "d", "keywords": [["env"]]},
    "action_items": [{"description": "d", "owner": None, "keywords": [["x"]]}],
    "impact_figures": ["45%"],
    "must_not_appear": [],
    "notes": "",
}


def test_gold_loads(tmp_path: Path) -> None:
    gold = load_gold(write(tmp_path / "gold.json", json.dumps(GOLD)))
    assert isinstance(gold, Gold)
    assert gold.timeline[0].keywords == [["alert"]]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"timeline": [{"time": "9:14", "event": "e", "keywords": []}]}, "timeline[0].time"),
        ({"action_items": [{"description": "d", "keywords": []}]}, "action_items[0].owner"),
        ({"root_cause": {"description": "d", "keywords": [[]]}}, "root_cause.keywords[0]"),
        ({"keyword": []}, "keyword: Extra inputs"),
        ({"date": "June"}, "date"),
    ],
)
def test_gold_errors_name_the_file_and_field(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    path = write(tmp_path / "gold.json", json.dumps({**GOLD, **change}))
    with pytest.raises(GoldFormatError) as caught:
        load_gold(path)
    assert str(path) in caught.value.detail
    assert message in caught.value.detail


def test_gold_that_is_not_json_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GoldFormatError, match="not valid JSON"):
        load_gold(write(tmp_path / "gold.json", "{"))


def test_incident_folders_need_one_transcript_and_a_matching_id(tmp_path: Path) -> None:
    write(tmp_path / "01-x" / "gold.json", json.dumps(GOLD))
    with pytest.raises(GoldFormatError, match="found none"):
        discover_incidents(tmp_path)
    write(tmp_path / "01-x" / "transcript.txt", "[09:14] a\nhi\n")
    assert [i.id for i in discover_incidents(tmp_path)] == ["01-x"]
    write(tmp_path / "02-y" / "gold.json", json.dumps(GOLD))
    with pytest.raises(GoldFormatError, match="differs from the folder name"):
        discover_incidents(tmp_path)
    assert [i.id for i in discover_incidents(tmp_path, ["01"])] == ["01-x"]


def test_missing_incidents_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GoldFormatError, match="no incidents folder"):
        discover_incidents(tmp_path / "nope")


def test_recording_file_names_are_safe() -> None:
    assert recording_file_name("meta-llama/Llama-3.1-8B") == "meta-llama_Llama-3.1-8B.json"


def test_checker_thresholds_are_checked_per_split(tmp_path: Path) -> None:
    from app.evaluation.scores import CheckerRow
    from app.evaluation.thresholds import check_checker, load_thresholds

    config = tmp_path / "config.toml"
    config.write_text(
        "[thresholds.checker]\nprecision = 0.8\n"
        "[thresholds.checker.test]\nhard_recall = 0.9\nfalse_contradicted = 0.02\n"
    )
    row = CheckerRow(
        cases_dir="x",
        precision=0.85,
        recall=0.6,
        splits={
            "dev": {"hard_recall": 0.5, "false_contradicted": 0.5},  # no dev table: not gated
            "test": {"hard_recall": 0.58, "false_contradicted": 0.01},
        },
    )
    failures = check_checker(row, load_thresholds(config))
    assert [(f.engine, f.metric) for f in failures] == [("checker [test]", "hard_recall")]
