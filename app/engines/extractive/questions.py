"""Open questions: what a postmortem needs that the chat does not say.

Each question is asked only when the chat leaves the gap open, in plain third-person words (the
stakeholder email lists them too); none carries a placeholder, a name or a chat quote.
"""

from __future__ import annotations

import re

from app.engines.extractive.chat import Chat, Finding
from app.engines.extractive.events import Event
from app.engines.extractive.impact import states_count, states_impact_start, states_money
from app.engines.extractive.owners import Item

_COMMERCE = re.compile(
    r"\b(?:orders?|checkouts?|payments?|purchases?|billing|revenue|subscriptions?|carts?|"
    r"transactions?|sales|invoices?|refunds?)\b",
    re.IGNORECASE,
)


def open_questions(
    chat: Chat,
    *,
    events: list[Event],
    detection: Finding | None,
    root_cause: Finding | None,
    cause_guessed: bool,
    resolution: Finding | None,
    items: list[Item],
) -> list[str]:
    """Plain questions for the gaps, most important first."""
    questions: list[str] = []
    if not states_count(chat):
        questions.append(
            "How many customers were affected, and how many requests or orders failed?"
        )
    if not states_money(chat) and any(_COMMERCE.search(m.text) for m in chat.messages):
        questions.append("What was the revenue impact?")
    transcript = chat.transcript
    if transcript.date is None and not any(m.timestamp for m in transcript.messages):
        questions.append("On what date did the incident happen?")
    if not chat.timed:
        questions.append(
            "The chat has no message times: when was the incident detected, mitigated and resolved?"
        )
    elif not states_impact_start(chat):
        questions.append(_impact_start_question(events))
    if detection is None:
        questions.append("How was the incident detected?")
    if root_cause is None:
        questions.append(
            "What was the root cause? The chat raised a possible cause but did not confirm it."
            if cause_guessed
            else "What was the root cause?"
        )
    if resolution is None:
        questions.append("What ended the impact, and when?")
    unowned = sum(1 for item in items if item.owner is None)
    if unowned:
        questions.append(
            "Who owns the follow-up item without an owner?"
            if unowned == 1
            else f"Who owns the {unowned} follow-up items without an owner?"
        )
    if not items:
        questions.append("Which follow-up actions will keep this from happening again?")
    return questions


def _impact_start_question(events: list[Event]) -> str:
    trigger = next((e for e in events if e.kind == "trigger" and e.time), None)
    alert = next((e for e in events if e.kind == "detection" and e.time), None)
    if trigger and alert and trigger.time != alert.time:
        return (
            f"When exactly did customer impact start: at the change at {trigger.time}, at the "
            f"first alert at {alert.time}, or in between?"
        )
    first = trigger or alert
    if first:
        return (
            "When exactly did customer impact start? "
            f"The first sign in the chat is at {first.time}."
        )
    return "When exactly did customer impact start?"
