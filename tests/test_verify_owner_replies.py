"""Owners the chat gives by a lead's "Name - task" line, or by a reply that takes a proposal
nobody else took (`people_check._cited_list_owner`, `people_check._taken_after`)."""

from __future__ import annotations

import pytest

from tests.claim_checks import FAILED, chat, check

DASH = chat(
    ("10:02", "wen", "we could do a compute reservation for api-frontend so batch cant starve it"),
    ("10:30", "dana", "Wen - compute reservation for api-frontend-usc1, 30 instances"),
    ("10:31", "olu", "ack"),
)


def test_the_owner_a_name_and_dash_line_gives_the_work_to_decides() -> None:
    verdict = check(
        "Compute reservation for api-frontend-usc1, 30 instances (owner: Olu) [m2].", DASH
    )
    assert verdict.status == "contradicted", verdict
    assert "wen" in verdict.reason


def test_the_owner_the_name_and_dash_line_names_stands() -> None:
    verdict = check(
        "Compute reservation for api-frontend-usc1, 30 instances (owner: Wen) [m2].", DASH
    )
    assert verdict.status not in FAILED, verdict


TAKEN = chat(
    ("11:40", "mags", "someone should add a disk usage alert on the etl workers, paging oncall"),
    ("11:41", "kofi", "i can take the disk alert too, will pair it with the schema contract check"),
    ("11:45", "tomas", "rebuilding the dashboards now"),
)


@pytest.mark.parametrize(
    ("owner", "failed"),
    [("Tomas", True), ("Kofi", False)],
)
def test_a_reply_that_takes_a_proposal_gives_it_its_owner(owner: str, failed: bool) -> None:
    verdict = check(
        f"Add a disk usage alert on the etl workers that pages on-call (owner: {owner}).", TAKEN
    )
    assert (verdict.status in FAILED) is failed, verdict
