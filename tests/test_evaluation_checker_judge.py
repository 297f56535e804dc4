"""The checker with its judge on planted-error cases: collect the judge's request, answer it as
the model would, import it, and the replayed judge's verdicts are what the row scores."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from app.cli import main
from tests.test_evaluation_suite import eval_args, make_incidents

REPO_CHECKER = Path(__file__).resolve().parents[1] / "eval" / "checker"
CASE = "orders_db_pool"
MODEL = "played-test"


def _checker_dir(root: Path) -> Path:
    checker = root / "checker"
    (checker / "cases").mkdir(parents=True)
    (checker / "transcripts").mkdir()
    shutil.copy(REPO_CHECKER / "cases" / f"{CASE}.json", checker / "cases")
    shutil.copy(REPO_CHECKER / "cases" / f"{CASE}.md", checker / "cases")
    shutil.copy(REPO_CHECKER / "transcripts" / f"{CASE}.txt", checker / "transcripts")
    return checker


def _run(root: Path, incidents: Path, checker: Path, pending: Path) -> dict[str, object]:
    args = eval_args(root, "--incidents", str(incidents), "--checker-model", MODEL)
    args[args.index("--checker-cases") + 1] = str(checker)
    main([*args, "--collect", str(pending)])
    report: dict[str, object] = json.loads((root / "reports" / "run.json").read_text())
    return report


def test_the_judged_checker_row_replays_recorded_verdicts(tmp_path: Path) -> None:
    incidents, checker, pending = make_incidents(tmp_path), _checker_dir(tmp_path), tmp_path / "p"

    first = _run(tmp_path, incidents, checker, pending)
    judged = first["checker_judged"]
    assert isinstance(judged, dict) and judged["unjudged"] == [CASE]
    (request,) = sorted((pending / CASE).glob("*.request.json"))
    body = json.loads(request.read_bytes())
    assert body["response_format"]["json_schema"]["name"] == "claim_verdicts"

    # The model answers: it calls every claim it was asked about contradicted, citing m1.
    asked = [
        int(i) for i in re.findall(r"^\[?c?(\d+)\]?[ .:]", body["messages"][-1]["content"], re.M)
    ]
    indices = sorted(set(asked)) or [0]
    answer = {
        "verdicts": [
            {"index": i, "status": "contradicted", "evidence": [1], "reason": "m1 differs"}
            for i in indices
        ]
    }
    request.with_name(request.name.replace(".request.json", ".answer.txt")).write_text(
        json.dumps(answer)
    )
    args = ["eval", "--incidents", str(incidents), "--checker-cases", str(checker)]
    assert main([*args, "--import-answers", str(pending)]) == 0
    recording = checker / "recordings" / MODEL / f"{CASE}.json"
    assert recording.is_file()

    second = _run(tmp_path, incidents, checker, pending)
    judged, rules = second["checker_judged"], second["checker"]
    assert isinstance(judged, dict) and isinstance(rules, dict)
    assert judged["unjudged"] == [] and judged["judge_model"] == MODEL
    # The judge's "contradicted" turned unsettled claims into failures: more flagged than rules.
    assert judged["details"]["true_positives"] + judged["details"]["false_positives"] > (
        rules["details"]["true_positives"] + rules["details"]["false_positives"]
    )
