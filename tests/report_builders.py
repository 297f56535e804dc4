"""Hand-built transcripts and reports for tests that must not depend on an engine."""

from __future__ import annotations

from typing import Any

from app.models import IncidentReport, Message, Transcript


def transcript_of(
    rows: list[tuple[str | None, str | None, str]], day_of: list[int] | None = None
) -> Transcript:
    """A transcript from (time, author, text) rows, ids 1.. in order."""
    messages = [
        Message(
            id=i,
            time=time,
            day=(day_of[i - 1] if day_of else 0),
            author=author,
            text=text,
            line_start=i,
            line_end=i,
        )
        for i, (time, author, text) in enumerate(rows, start=1)
    ]
    return Transcript(format="bracket-inline", messages=messages)


CHAT = transcript_of(
    [
        ("09:14", "Priya", "PagerDuty: checkout errors at 45% after the 9:10 AM deploy."),
        ("09:16", "Ravi", "Logs: ConnectionRefusedError to payment-gateway.internal."),
        ("09:17", "Alex", "I merged the env var change without updating prod values."),
        ("09:18", "Ravi", "Starting rollback to the 9:00 build."),
        ("09:21", "Ravi", "Rollback complete, errors dropping."),
        ("09:22", "Priya", "Error rates below 3%, recovered."),
        ("09:24", "Sara", "Action items: 1. env var validation in CI 2. runbook update"),
        ("09:25", "Alex", "I'll own #1."),
    ]
)


def report_data(**overrides: Any) -> dict[str, Any]:
    """A valid report for CHAT, as the JSON an engine would produce."""
    data: dict[str, Any] = {
        "title": "checkout-service errors after deploy",
        "summary": {
            "technical": [
                {
                    "text": "Alex's deploy pointed checkout-service at payment-gateway.internal, "
                    "which refused connections (ConnectionRefusedError).",
                    "evidence": [1, 2],
                }
            ],
            "plain": [
                {
                    "text": "Checkout failed for some customers after a change; a rollback "
                    "fixed it.",
                    "evidence": [1, 5],
                }
            ],
        },
        "impact": [
            {
                "text": "Checkout errors reached 45%.",
                "plain": "Up to 45% of checkout attempts failed.",
                "evidence": [1],
            }
        ],
        "detection": {"text": "PagerDuty alerted on checkout errors.", "evidence": [1]},
        "timeline": [
            {
                "time": "09:21",
                "description": "Rollback complete",
                "kind": "mitigation",
                "plain": "The change was rolled back.",
                "evidence": [5],
            },
            {"time": "09:10", "description": "Deploy", "kind": "trigger", "evidence": [1]},
            {"time": "09:14", "description": "Alerts fire", "kind": "detection", "evidence": [1]},
            {
                "time": "09:22",
                "description": "Errors below 3%",
                "kind": "recovery",
                "plain": "Checkout recovered.",
                "evidence": [6],
            },
        ],
        "root_cause": {"text": "Prod env var values were not updated.", "evidence": [3]},
        "contributing_factors": [],
        "resolution": {
            "text": "Rollback to the 9:00 build.",
            "plain": "The change was rolled back.",
            "evidence": [4, 5],
        },
        "action_items": [
            {
                "description": "env var validation in CI",
                "plain": "Automatic checks of configuration before each release.",
                "owner": "Alex",
                "evidence": [7, 8],
            },
            {"description": "runbook update", "owner": None, "evidence": [7]},
        ],
        "participants": ["Priya", "Ravi", "Alex", "Sara"],
        "open_questions": ["How many customers were affected?"],
    }
    data.update(overrides)
    return data


def report(**overrides: Any) -> IncidentReport:
    return IncidentReport.model_validate(report_data(**overrides), context={"transcript": CHAT})
