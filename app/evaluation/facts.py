"""The facts of a report, one per printed statement, and their correct/wrong labels.

Fact retention is measured on recorded LLM answers: a labeller (a helper session that never saw
the gold) marks every fact of the model's answer `correct` or `wrong` against the transcript,
in `recordings/<model>.labels.json`. Replaying the recording, the eval counts which labelled facts
the pipeline shipped: correct facts kept, wrong facts let through. Facts are keyed by where they
live (`timeline`, `impact.plain`, ...) and their text, not by position, so a dropped item does not
shift the others.

    {"model": "...", "note": "how the labels were made",
     "facts": [{"unit": "timeline", "text": "09:14 PagerDuty alerts ...", "label": "correct",
                "reason": "m1 at 09:14 says so"}, ...]}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.evaluation.gold import GoldFormatError, recording_file_name
from app.models import IncidentReport, Statement, hhmm

Label = Literal["correct", "wrong"]


@dataclass(frozen=True)
class Fact:
    """One printed statement of a report: where it lives, what it says, what it cites."""

    unit: str
    text: str
    evidence: tuple[int, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return (self.unit, " ".join(self.text.split()).casefold())


def _statement(unit: str, statement: Statement | None) -> list[Fact]:
    if statement is None:
        return []
    cited = tuple(statement.evidence)
    facts = [Fact(unit, statement.text, cited)]
    if statement.plain:
        facts.append(Fact(f"{unit}.plain", statement.plain, cited))
    return facts


def report_facts(report: IncidentReport) -> list[Fact]:
    """Every statement the drafts can print, with its place in the report."""
    facts = [Fact("title", report.title)]
    if report.plain_title:
        facts.append(Fact("plain_title", report.plain_title))
    facts += [
        Fact("summary.technical", s.text, tuple(s.evidence)) for s in report.summary.technical
    ]
    facts += [Fact("summary.plain", s.text, tuple(s.evidence)) for s in report.summary.plain]
    for statement in report.impact:
        facts += _statement("impact", statement)
    for name in ("detection", "root_cause", "resolution"):
        facts += _statement(name, getattr(report, name))
    for statement in report.contributing_factors:
        facts += _statement("contributing_factors", statement)
    for entry in report.timeline:
        cited = tuple(entry.evidence)
        facts.append(Fact("timeline", f"{hhmm(entry.time)} {entry.description}", cited))
        if entry.plain:
            facts.append(Fact("timeline.plain", f"{hhmm(entry.time)} {entry.plain}", cited))
    for item in report.action_items:
        cited = tuple(item.evidence)
        owner = item.owner or "none"
        facts.append(Fact("action_items", f"{item.description} (owner: {owner})", cited))
        if item.plain:
            facts.append(Fact("action_items.plain", item.plain, cited))
    return facts


class LabelledFact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit: str
    text: str
    label: Label
    reason: str = ""


class FactLabels(BaseModel):
    """A labeller's verdict on every fact of one recorded answer."""

    model_config = ConfigDict(extra="forbid")

    model: str
    note: str = ""
    facts: list[LabelledFact] = Field(default_factory=list)

    def by_key(self) -> dict[tuple[str, str], Label]:
        return {Fact(f.unit, f.text).key: f.label for f in self.facts}


def labels_path(recordings_dir: Path, model: str) -> Path:
    return recordings_dir / recording_file_name(model).replace(".json", ".labels.json")


def load_labels(recordings_dir: Path, model: str | None) -> FactLabels | None:
    """The labels of a model's recording, or None when nobody labelled it."""
    if not model:
        return None
    path = labels_path(recordings_dir, model)
    if not path.is_file():
        return None
    try:
        return FactLabels.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise GoldFormatError(f"{path}: not valid fact labels ({exc})") from None


@dataclass(frozen=True)
class Retention:
    """Labelled facts of the answer against what the pipeline shipped."""

    correct: int
    correct_shipped: int
    wrong: int
    wrong_shipped: int
    unlabelled_shipped: list[str]
    lost: list[str]


def measure_retention(
    labels: FactLabels, shipped: IncidentReport, answer: IncidentReport | None = None
) -> Retention:
    """How many correct facts the shipped report kept, and how many wrong ones it let through.

    The facts weighed are the labelled facts of `answer` (the extraction answer, before any
    check) and of the shipped report (which adds what a repair wrote and the checks kept); a
    labels file also holds the repairs of other runs of the same recording (the judge on, the
    judge off), which this run never wrote. An item that was repaired counts its first text as
    lost and its repaired text as kept, so a repair is never counted as a fact kept unchanged.
    Without `answer`, every labelled fact is weighed."""
    shipped_keys = {fact.key for fact in report_facts(shipped)}
    known = labels.by_key()
    facts = labels.facts
    if answer is not None:
        written = shipped_keys | {fact.key for fact in report_facts(answer)}
        facts = [f for f in facts if Fact(f.unit, f.text).key in written]
    correct = [f for f in facts if f.label == "correct"]
    wrong = [f for f in facts if f.label == "wrong"]
    kept = [f for f in correct if Fact(f.unit, f.text).key in shipped_keys]
    let_through = [f for f in wrong if Fact(f.unit, f.text).key in shipped_keys]
    unlabelled = [f"{f.unit}: {f.text}" for f in report_facts(shipped) if f.key not in known]
    lost = [f"{f.unit}: {f.text}" for f in correct if f not in kept]
    return Retention(
        correct=len(correct),
        correct_shipped=len(kept),
        wrong=len(wrong),
        wrong_shipped=len(let_through),
        unlabelled_shipped=unlabelled,
        lost=lost,
    )


def unlabelled_facts(labels: FactLabels | None, *reports: IncidentReport) -> list[Fact]:
    """The facts of `reports` nobody has labelled yet, each once."""
    known = labels.by_key() if labels else {}
    seen: dict[tuple[str, str], Fact] = {}
    for report in reports:
        for fact in report_facts(report):
            if fact.key not in known:
                seen.setdefault(fact.key, fact)
    return list(seen.values())


def merge_labels(path: Path, model: str, note: str, new: list[LabelledFact]) -> int:
    """Add `new` labels to the labels file at `path` (a later label of a fact replaces an
    earlier one); returns how many facts the file holds."""
    current = (
        FactLabels.model_validate(json.loads(path.read_text(encoding="utf-8")))
        if path.is_file()
        else FactLabels(model=model, note=note)
    )
    by_key = {Fact(f.unit, f.text).key: f for f in current.facts}
    for fact in new:
        by_key[Fact(fact.unit, fact.text).key] = fact
    current.facts = list(by_key.values())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(current.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return len(current.facts)
