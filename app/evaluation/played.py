"""Requests the eval could not answer from recordings, and answers written by someone playing
the model.

No LLM vendor is reachable here, so strong-model answers are written by a helper session that
plays the model: it is given only the exact request the engine sent (system prompt, numbered
transcript, schema) and answers it in one pass. The loop is:

1. `postmortem eval --engine llm --model M --replay --collect DIR` runs every incident from its
   recording; each request the recording lacks is written to `DIR/<incident>/<key>.request.json`
   (the exact body) with a readable `<key>.prompt.md`, and that incident is skipped.
2. Whoever plays the model writes the assistant's reply to `DIR/<incident>/<key>.answer.txt`.
3. `postmortem eval --import-answers DIR` turns each answer into a chat-completion response and
   files it in `<incident>/recordings/<model>.json` under the request's key; then step 1 again,
   until nothing is collected (re-asks, judge and repair requests come in later rounds).

Token counts of played answers are estimates (characters / 4): the recording says so.

Fact labels follow the same loop: each collect run also writes `DIR/<incident>/facts.todo.json`
(every fact of the extraction and of the shipped draft that has no label yet, with its
citations) and `transcript.numbered.txt`; a labeller writes `facts.labels.json` (the same facts,
each with `label` "correct" or "wrong" and a `reason`), which `--import-answers` merges into
`recordings/<model>.labels.json`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from app.evaluation.facts import Fact, LabelledFact, labels_path, merge_labels
from app.evaluation.gold import Incident
from app.evaluation.recording import (
    Recording,
    RecordingError,
    load_recording,
    recording_path,
    request_key,
)
from app.models import Transcript

PLAYED_NOTE = "played: answers written by a session playing the model; usage estimated"
_REQUEST = ".request.json"
_ANSWER = ".answer.txt"
_PROMPT = ".prompt.md"
WORKSHEET = "facts.todo.json"
LABELS = "facts.labels.json"
NUMBERED = "transcript.numbered.txt"
LABEL_NOTE = "labelled by a session against the transcript alone, blind to the gold"
_LABELS: TypeAdapter[list[LabelledFact]] = TypeAdapter(list[LabelledFact])


def collect_request(directory: Path, incident_id: str, body: bytes) -> Path:
    """Write one unanswered request (and a readable copy) for someone to answer."""
    key = request_key(body)
    folder = directory / incident_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key[:16]}{_REQUEST}"
    path.write_bytes(body)
    (folder / f"{key[:16]}{_PROMPT}").write_text(readable_prompt(body), encoding="utf-8")
    return path


def readable_prompt(body: bytes) -> str:
    """The request as a person reads it: each message in order, then the answer format."""
    data = json.loads(body)
    parts = [f"# Request to model `{data.get('model')}`", ""]
    for message in data.get("messages", []):
        parts += [f"## {message.get('role')}", "", str(message.get("content")), ""]
    response_format = data.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        schema = response_format.get("json_schema", {})
        parts += [
            f"## Answer format: JSON matching the schema `{schema.get('name')}` (strict)",
            "",
            "```json",
            json.dumps(schema.get("schema"), indent=1),
            "```",
        ]
    elif response_format:
        parts += [f"## Answer format: {response_format.get('type')}"]
    parts += ["", "Write only the assistant's reply (the JSON object) to the .answer.txt file."]
    return "\n".join(parts) + "\n"


def completion(model: str, content: str, request: dict[str, Any]) -> dict[str, Any]:
    """A chat-completion response carrying `content`, with estimated usage."""
    prompt_chars = sum(len(str(m.get("content", ""))) for m in request.get("messages", []))
    prompt_tokens, completion_tokens = prompt_chars // 4, len(content) // 4
    return {
        "id": "played-" + request_key(json.dumps(request).encode())[:12],
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def write_worksheet(folder: Path, model: str, transcript: Transcript, facts: list[Fact]) -> None:
    """The facts still to label for one incident, and the transcript as the model saw it."""
    from app.llm.prompt import numbered_transcript

    todo = folder / WORKSHEET
    if not facts:
        todo.unlink(missing_ok=True)
        return
    folder.mkdir(parents=True, exist_ok=True)
    (folder / NUMBERED).write_text(numbered_transcript(transcript) + "\n", encoding="utf-8")
    rows = [{"unit": f.unit, "text": f.text, "evidence": list(f.evidence)} for f in facts]
    todo.write_text(json.dumps({"model": model, "facts": rows}, indent=1) + "\n", "utf-8")


@dataclass(frozen=True)
class Imported:
    """What `import_answers` filed."""

    answers: int
    recordings: list[Path]
    waiting: int
    labels: int = 0


def import_answers(
    directory: Path,
    incidents: list[Incident],
    settings: dict[str, Any],
    checker_cases: Path | None = None,
) -> Imported:
    """File every `<key>.answer.txt` under `directory` into its incident's recording (or, for a
    folder named after a checker case in `checker_cases`, into that case's judge recording)."""
    by_id = {incident.id: incident for incident in incidents}
    touched: dict[Path, Recording] = {}
    answers = waiting = 0
    for request_path in sorted(directory.glob(f"*/*{_REQUEST}")):
        answer_path = request_path.with_name(request_path.name.removesuffix(_REQUEST) + _ANSWER)
        if not answer_path.is_file():
            waiting += 1
            continue
        name = request_path.parent.name
        incident = by_id.get(name)
        body = request_path.read_bytes()
        request = json.loads(body)
        model = str(request.get("model"))
        if incident is not None:
            path = recording_path(incident, model)
        elif checker_cases is not None and (checker_cases / f"{name}.json").is_file():
            from app.evaluation.checker_judge import judge_recording

            path = judge_recording(checker_cases, model, name)
        else:
            raise RecordingError(f"{request_path}: no incident or checker case {name!r}")
        if path not in touched:
            touched[path] = (
                load_recording(path)
                if path.is_file()
                else Recording(model=model, settings=settings, note=PLAYED_NOTE)
            )
        content = answer_path.read_text(encoding="utf-8").strip()
        touched[path].completions[request_key(body)] = completion(model, content, request)
        answers += 1
        done = directory / "done" / request_path.parent.name
        done.mkdir(parents=True, exist_ok=True)
        for part in (
            request_path,
            answer_path,
            request_path.with_name(request_path.name.removesuffix(_REQUEST) + _PROMPT),
        ):
            if part.exists():
                part.rename(done / part.name)
    for path, recording in touched.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(recording.model_dump_json(indent=2) + "\n", encoding="utf-8")
    labelled = 0
    for labels_file in sorted(directory.glob(f"*/{LABELS}")):
        incident = by_id.get(labels_file.parent.name)
        todo = labels_file.with_name(WORKSHEET)
        if incident is None or not todo.is_file():
            continue
        model = str(json.loads(todo.read_text(encoding="utf-8"))["model"])
        new = _LABELS.validate_json(labels_file.read_bytes())
        merge_labels(labels_path(incident.recordings_dir, model), model, LABEL_NOTE, new)
        labelled += len(new)
        done = directory / "done" / incident.id
        done.mkdir(parents=True, exist_ok=True)
        for part in (labels_file, todo):
            part.rename(done / part.name)
    return Imported(answers=answers, recordings=sorted(touched), waiting=waiting, labels=labelled)
