"""`postmortem eval` end to end on tiny incidents written here: table, reports, thresholds,
record/replay and `--compare`. The LLM is a fake httpx transport; nothing leaves the machine."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.cli import main
from app.evaluation.gold import discover_incidents
from app.evaluation.report import README_END, README_START
from app.evaluation.runner import EngineSpec, run_suite
from app.ingest import parse_transcript
from tests.conftest import SEED_CHAT
from tests.llm_fakes import BASE_URL, MODEL, chat_completion, seed_report

REPO_INCIDENTS = Path(__file__).resolve().parents[1] / "eval" / "incidents"

GOLD: dict[str, Any] = {
    "id": "01-checkout",
    "title": "Checkout errors after a config change",
    "format": "bracket-header",
    "date": None,
    "timezone": None,
    "participants": ["Priya", "Ravi", "Alex", "Sara"],
    "timeline": [
        {"time": "09:14", "event": "Alerts", "keywords": [["alert", "pagerduty"]]},
        {"time": "09:18", "event": "Rollback starts", "keywords": [["rollback", "roll back"]]},
        {"time": "09:22", "event": "Recovered", "keywords": [["3%", "recover", "normal"]]},
    ],
    "root_cause": {"description": "prod env var", "keywords": [["env var", "config"]]},
    "action_items": [
        {"description": "env var validation", "owner": "Alex", "keywords": [["env var"]]},
        {"description": "runbook", "owner": "Priya", "keywords": [["runbook"]]},
    ],
    "impact_figures": ["45%"],
    "must_not_appear": ["AKIAQ3EGT7VN2XKCM5PL", "revenue impact of"],
    "notes": "seed 000, trimmed gold for tests",
}

LENIENT = "[thresholds.default]\nsecret_leaks = 0\ninjected_claims = 0\nerrors = 0\n"


def make_incidents(root: Path, **gold_changes: Any) -> Path:
    folder = root / "incidents" / GOLD["id"]
    folder.mkdir(parents=True)
    (folder / "transcript.txt").write_text(SEED_CHAT.read_text(encoding="utf-8"), "utf-8")
    (folder / "gold.json").write_text(json.dumps({**GOLD, **gold_changes}), "utf-8")
    return root / "incidents"


def eval_args(root: Path, *extra: str, config: str = LENIENT) -> list[str]:
    (root / "config.toml").write_text(config, encoding="utf-8")
    return [
        "eval",
        "--config", str(root / "config.toml"),
        "--reports", str(root / "reports"),
        "--checker-cases", str(root / "no-checker-cases"),
        "--name", "run",
        *extra,
    ]  # fmt: skip


def test_offline_eval_prints_the_table_and_writes_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    incidents = make_incidents(tmp_path)
    assert main(eval_args(tmp_path, "--incidents", str(incidents))) == 0
    out = capsys.readouterr().out
    header = out.splitlines()[0].split()
    assert header[:4] == ["incident", "engine", "tl_rec", "tl_prec"]
    assert "01-checkout" in out and "ALL (1)" in out
    assert "thresholds" in out and "all met" in out
    names = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert names == ["latest.json", "latest.md", "run.json", "run.md"]
    report = json.loads((tmp_path / "reports" / "run.json").read_text(encoding="utf-8"))
    score = report["runs"][0]["incidents"][0]
    assert report["runs"][0]["engine"] == "extractive"
    assert score["timeline_gold"] == 3 and score["secret_leaks"] == 0
    assert [d["audience"] for d in score["drafts"]] == ["engineering", "stakeholder"]
    assert "| incident | engine |" in (tmp_path / "reports" / "latest.md").read_text("utf-8")


def test_a_score_below_its_threshold_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    incidents = make_incidents(tmp_path)
    strict = "[thresholds.extractive]\ntimeline_recall = 1.01\n"
    args = eval_args(tmp_path, "--incidents", str(incidents), config=strict)
    assert main(args) == 1
    captured = capsys.readouterr()
    assert "FAIL extractive [dev]: timeline_recall" in captured.out
    assert "FAILED" in captured.err
    assert (tmp_path / "reports" / "latest.json").is_file()  # reports are written anyway


def test_an_injected_claim_fails_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Any draft of this chat mentions checkout: as a must-not-appear phrase it is "injected".
    incidents = make_incidents(tmp_path, must_not_appear=["checkout"])
    assert main(eval_args(tmp_path, "--incidents", str(incidents))) == 1
    assert "injected_claims = 1, above the maximum 0" in capsys.readouterr().out


TINY_CHAT = """[10:00] Ana
Deploy rel2024abc77 is out.

[10:05] Ben
Errors at 30%, rolling back rel2024abc77.

[10:09] Ana
Rollback done, errors back to normal.
"""


def test_a_secret_like_string_anywhere_in_the_response_is_a_leak(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A token the redactor lets through stays in `messages`: the response shows it.
    incidents = make_incidents(tmp_path, must_not_appear=["rel2024abc77"])
    (incidents / GOLD["id"] / "transcript.txt").write_text(TINY_CHAT, encoding="utf-8")
    assert main(eval_args(tmp_path, "--incidents", str(incidents))) == 1
    assert "secret_leaks = 1, above the maximum 0" in capsys.readouterr().out
    report = json.loads((tmp_path / "reports" / "run.json").read_text(encoding="utf-8"))
    score = report["runs"][0]["incidents"][0]
    assert score["leaked"] == ["rel2…"]  # named, not repeated
    assert score["injected_claims"] == 0


def fake_llm(calls: list[dict[str, Any]]) -> httpx.MockTransport:
    """An OpenAI-compatible endpoint: the seed report for extractions, "supported" verdicts
    (citing message 7) for the claims the judge is asked about."""
    answer = chat_completion(seed_report(parse_transcript(SEED_CHAT.read_text("utf-8"))))

    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        calls.append(body)
        assert request.url.path.endswith("/chat/completions")
        if body["response_format"]["json_schema"]["name"] == "claim_verdicts":
            asked = body["messages"][1]["content"].split("Claims to judge:", 1)[1]
            verdicts = [
                {"index": int(i), "status": "supported", "evidence": [7], "reason": "m7"}
                for i in re.findall(r"^(\d+)\. ", asked, flags=re.MULTILINE)
            ]
            return httpx.Response(200, json=chat_completion({"verdicts": verdicts}))
        return httpx.Response(200, json=answer)

    return httpx.MockTransport(handle)


def comparable(suite: Any) -> list[dict[str, Any]]:
    """Scores without timings (which differ run to run)."""
    runs = suite.model_dump(mode="json")["runs"]
    for run in runs:
        run["aggregate"].pop("mean_latency_ms")
        for split in run["splits"].values():
            split.pop("mean_latency_ms")
        run.pop("mode")
        for score in run["incidents"]:
            for draft in score["drafts"]:
                draft.pop("latency_ms")
    return list(runs)


async def test_record_then_replay_reproduces_the_scores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    incidents = discover_incidents(make_incidents(tmp_path))
    monkeypatch.setenv("PM_LLM_BASE_URL", BASE_URL)
    monkeypatch.setenv("PM_LLM_MODEL", MODEL)
    calls: list[dict[str, Any]] = []
    recorded = await run_suite(
        incidents, [EngineSpec("llm")], mode="record", upstream=fake_llm(calls)
    )
    # One extraction and one judge call; the stakeholder draft came from the caches.
    assert len(calls) == 2
    path = tmp_path / "incidents" / "01-checkout" / "recordings" / f"{MODEL}.json"
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["model"] == MODEL and len(saved["completions"]) == 2

    monkeypatch.delenv("PM_LLM_BASE_URL")
    monkeypatch.delenv("PM_LLM_MODEL")
    replayed = await run_suite(incidents, [EngineSpec("llm")], mode="replay")
    assert len(calls) == 2  # replay asked nobody
    assert comparable(replayed) == comparable(recorded)
    score = replayed.runs[0].incidents[0]
    assert score.error is None
    assert [d.llm_calls for d in score.drafts] == [2, 0]
    assert score.drafts[1].cached
    assert score.timeline_gold == 3 and score.timeline_recall is not None


def test_replay_without_a_recording_fails_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    incidents = make_incidents(tmp_path)
    args = eval_args(tmp_path, "--incidents", str(incidents), "--engine", "llm", "--replay")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "no recordings found" in err and "--record" in err


def test_replay_of_a_changed_request_names_the_recording(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    incidents = make_incidents(tmp_path)
    folder = incidents / "01-checkout" / "recordings"
    folder.mkdir()
    stale = {"model": MODEL, "settings": {}, "completions": {"0" * 64: chat_completion("{}")}}
    (folder / f"{MODEL}.json").write_text(json.dumps(stale), encoding="utf-8")
    args = eval_args(tmp_path, "--incidents", str(incidents), "--engine", "llm", "--replay")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"{MODEL}.json has no answer for 1 request" in err
    assert "record again" in err


def test_compare_shows_both_engines_side_by_side(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    incidents_dir = make_incidents(tmp_path)
    monkeypatch.setenv("PM_LLM_BASE_URL", BASE_URL)
    monkeypatch.setenv("PM_LLM_MODEL", MODEL)
    incidents = discover_incidents(incidents_dir)
    asyncio.run(run_suite(incidents, [EngineSpec("llm")], mode="record", upstream=fake_llm([])))
    monkeypatch.delenv("PM_LLM_BASE_URL")
    monkeypatch.delenv("PM_LLM_MODEL")

    args = eval_args(
        tmp_path, "--incidents", str(incidents_dir), "--compare", "extractive,llm", "--replay"
    )
    assert main(args) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()]
    incident_rows = [r[:2] for r in rows if r and r[0] == "01-checkout"]
    assert incident_rows == [["01-checkout", "extractive"], ["01-checkout", "llm"]]
    assert [r[2] for r in rows if r[:2] == ["ALL", "(1)"]] == ["extractive", "llm"]


def test_update_readme_rewrites_only_between_the_markers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    incidents = make_incidents(tmp_path)
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\n{README_START}\nold table\n{README_END}\n\nAfter.\n", "utf-8")
    args = eval_args(
        tmp_path, "--incidents", str(incidents), "--update-readme", "--readme", str(readme)
    )
    assert main(args) == 0
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\n") and text.endswith(f"{README_END}\n\nAfter.\n")
    assert "old table" not in text
    assert "| **ALL (1)** | **extractive** |" in text
    assert "| 01-checkout |" not in text  # per-incident rows stay in the reports
    assert "--update-readme" in text
    assert "ms/draft" not in text  # timings vary run to run: kept out of the README
    assert f"updated: {readme}" in capsys.readouterr().out


def test_update_readme_without_markers_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    incidents = make_incidents(tmp_path)
    readme = tmp_path / "README.md"
    readme.write_text("# No markers\n", encoding="utf-8")
    args = eval_args(
        tmp_path, "--incidents", str(incidents), "--update-readme", "--readme", str(readme)
    )
    assert main(args) == 2
    assert "eval-table:start" in capsys.readouterr().err


def test_report_name_must_be_a_plain_file_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    incidents = make_incidents(tmp_path)
    args = [*eval_args(tmp_path, "--incidents", str(incidents)), "--name", "../escape"]
    assert main(args) == 2
    assert "not a plain report name" in capsys.readouterr().err


def test_unknown_engine_in_compare_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    incidents = make_incidents(tmp_path)
    assert main(eval_args(tmp_path, "--incidents", str(incidents), "--compare", "magic")) == 2
    assert "unknown engine 'magic'" in capsys.readouterr().err


@pytest.mark.skipif(not REPO_INCIDENTS.is_dir(), reason="no eval/incidents in this checkout")
def test_smoke_offline_suite_over_the_sample_incidents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["eval", "--incidents", str(REPO_INCIDENTS), "--reports", str(tmp_path), "--name", "s"]
    assert main(args) in (0, 1)  # 1 only if a threshold is missed; the run itself completes
    out = capsys.readouterr().out
    assert "ALL (" in out and "tl_rec" in out
    if (REPO_INCIDENTS.parent / "checker" / "cases").is_dir():
        assert "checker on planted-error drafts" in out
    assert (tmp_path / "s.json").is_file()


async def test_the_same_recording_replays_with_the_judge_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    incidents = discover_incidents(make_incidents(tmp_path))
    monkeypatch.setenv("PM_LLM_BASE_URL", BASE_URL)
    monkeypatch.setenv("PM_LLM_MODEL", MODEL)
    await run_suite(incidents, [EngineSpec("llm")], mode="record", upstream=fake_llm([]))
    monkeypatch.delenv("PM_LLM_BASE_URL")
    monkeypatch.delenv("PM_LLM_MODEL")
    spec = EngineSpec.parse(f"llm+rules:{MODEL}")
    assert spec.rules_only and spec.label == f"llm+rules:{MODEL}"
    suite = await run_suite(incidents, [spec], mode="replay")
    score = suite.runs[0].incidents[0]
    assert score.error is None
    assert [d.llm_calls for d in score.drafts] == [1, 0]  # the extraction only, no judge call
