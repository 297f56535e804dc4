"""Fact retention: labelled facts of an answer against the report the pipeline shipped."""

from __future__ import annotations

from app.evaluation.facts import FactLabels, LabelledFact, measure_retention, report_facts
from tests.report_builders import report, report_data


def _labels(wrong: set[str]) -> FactLabels:
    facts = report_facts(report())
    return FactLabels(
        model="m",
        facts=[
            LabelledFact(unit=f.unit, text=f.text, label="wrong" if f.text in wrong else "correct")
            for f in facts
        ],
    )


def test_every_printed_statement_is_a_fact_with_its_place() -> None:
    facts = {(f.unit, f.text) for f in report_facts(report())}
    assert ("timeline", "09:21 Rollback complete") in facts
    assert ("timeline.plain", "09:21 The change was rolled back.") in facts
    assert ("action_items", "env var validation in CI (owner: Alex)") in facts
    assert ("action_items", "runbook update (owner: none)") in facts
    assert ("impact.plain", "Up to 45% of checkout attempts failed.") in facts
    assert ("root_cause", "Prod env var values were not updated.") in facts


def test_retention_counts_kept_correct_and_shipped_wrong_facts() -> None:
    labels = _labels(wrong={"09:22 Errors below 3%"})
    labels.facts.append(
        LabelledFact(unit="timeline", text="09:30 Database restarted", label="wrong")
    )
    data = report_data()
    # the pipeline dropped one correct item (the runbook action) and the invented restart
    data["action_items"] = data["action_items"][:1]
    shipped = report(**data)
    result = measure_retention(labels, shipped)
    assert result.wrong == 2
    assert result.correct == len(labels.facts) - 2
    assert result.correct_shipped == result.correct - 1
    assert result.lost == ["action_items: runbook update (owner: none)"]
    assert result.wrong_shipped == 1  # the wrong recovery row shipped; the restart did not
    assert result.unlabelled_shipped == []


def test_a_reworded_fact_is_unlabelled_not_silently_counted() -> None:
    labels = _labels(wrong=set())
    data = report_data()
    data["root_cause"] = {"text": "Prod env var values were never set.", "evidence": [3]}
    result = measure_retention(labels, report(**data))
    assert "root_cause: Prod env var values were never set." in result.unlabelled_shipped
    assert "root_cause: Prod env var values were not updated." in result.lost


def test_only_facts_this_run_wrote_are_weighed() -> None:
    """The labels of a recording also hold repairs that another run (the judge on) wrote: a run
    that never wrote a repair is not charged with losing it, while a run that shipped one counts
    it, and the first text of the repaired item stays lost."""
    labels = _labels(wrong=set())
    repaired = "Prod env var values were never set."
    labels.facts.append(LabelledFact(unit="root_cause", text=repaired, label="correct"))
    answer = report()
    data = report_data()
    data["root_cause"] = None  # the rules dropped it; this run wrote no repair
    without_repair = measure_retention(labels, report(**data), answer)
    assert without_repair.correct == len(labels.facts) - 1
    assert without_repair.lost == ["root_cause: Prod env var values were not updated."]
    data["root_cause"] = {"text": repaired, "evidence": [3]}
    with_repair = measure_retention(labels, report(**data), answer)
    assert with_repair.correct == len(labels.facts)
    assert with_repair.correct_shipped == with_repair.correct - 1
    assert with_repair.lost == ["root_cause: Prod env var values were not updated."]
    every = measure_retention(labels, report(**data))  # no answer given: every label counts
    assert every.correct == len(labels.facts)
