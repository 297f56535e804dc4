"""Played answers: collect what the recordings lack, answer it as the model would, import it,
and the next replay uses it (extraction first, then the judge's request in a later round)."""

from __future__ import annotations

import json
from pathlib import Path

from app.cli import main
from app.evaluation.recording import load_recording
from app.ingest import parse_transcript
from tests.conftest import SEED_CHAT
from tests.llm_fakes import seed_report
from tests.test_evaluation_suite import eval_args, make_incidents

PLAYED = "played-test"


def _run(tmp_path: Path, incidents: Path, pending: Path) -> int:
    return main(
        eval_args(
            tmp_path,
            "--incidents", str(incidents),
            "--engine", "llm", "--model", PLAYED, "--replay", "--collect", str(pending),
        )
    )  # fmt: skip


def test_collect_answer_import_replay(tmp_path: Path) -> None:
    incidents = make_incidents(tmp_path)
    pending = tmp_path / "pending"

    # Round 1: no recording at all, so the extraction request is collected, nothing else.
    _run(tmp_path, incidents, pending)
    requests = sorted(pending.glob("01-checkout/*.request.json"))
    assert len(requests) == 1
    body = json.loads(requests[0].read_bytes())
    assert body["model"] == PLAYED
    assert body["response_format"]["json_schema"]["name"] == "incident_report"
    prompt = requests[0].with_name(requests[0].name.replace(".request.json", ".prompt.md"))
    assert "<transcript>" in prompt.read_text() and "## Answer format" in prompt.read_text()

    # Someone playing the model answers it; the import files it under the request's key.
    answer = json.dumps(seed_report(parse_transcript(SEED_CHAT.read_text("utf-8"))))
    requests[0].with_name(requests[0].name.replace(".request.json", ".answer.txt")).write_text(
        answer
    )
    assert main(["eval", "--incidents", str(incidents), "--import-answers", str(pending)]) == 0
    recording = load_recording(incidents / "01-checkout" / "recordings" / f"{PLAYED}.json")
    assert recording.model == PLAYED and recording.note and "played" in recording.note
    (completion,) = recording.completions.values()
    assert completion["choices"][0]["message"]["content"] == answer
    assert not list(pending.glob("01-checkout/*.request.json"))  # moved to done/

    # Round 2: the extraction replays; the judge's request is what is collected now.
    _run(tmp_path, incidents, pending)
    (judge,) = sorted(pending.glob("01-checkout/*.request.json"))
    assert json.loads(judge.read_bytes())["response_format"]["json_schema"]["name"] == (
        "claim_verdicts"
    )

    # The extraction replayed, so its facts wait to be labelled, with the transcript as the
    # model saw it. A labeller marks one fact wrong; the import merges the labels.
    folder = pending / "01-checkout"
    todo = json.loads((folder / "facts.todo.json").read_text())
    assert todo["model"] == PLAYED and todo["facts"]
    assert "[m1 " in (folder / "transcript.numbered.txt").read_text()
    labelled = [
        {**fact, "label": "wrong" if i == 0 else "correct", "reason": "checked"}
        for i, fact in enumerate(todo["facts"])
    ]
    for fact in labelled:
        fact.pop("evidence")
    (folder / "facts.labels.json").write_text(json.dumps(labelled))
    assert main(["eval", "--incidents", str(incidents), "--import-answers", str(pending)]) == 0
    labels = json.loads(
        (incidents / "01-checkout" / "recordings" / f"{PLAYED}.labels.json").read_text()
    )
    assert len(labels["facts"]) == len(labelled) and "blind to the gold" in labels["note"]

    # Nothing left to label now; the eval reports retention over the labelled facts.
    _run(tmp_path, incidents, pending)
    assert not (folder / "facts.todo.json").exists()
    report = json.loads((tmp_path / "reports" / "run.json").read_text())
    score = report["runs"][0]["incidents"][0]
    assert score["facts_correct"] == len(labelled) - 1 and score["facts_wrong"] == 1
