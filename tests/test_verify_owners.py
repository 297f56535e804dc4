"""Owners: the checker's own reading of who the chat gave each follow-up to, one chat per style.

Each style is a small chat written for this test (not a draft or rule of the extraction engine):
the claimed owner who took the item is confirmed, anyone else is contradicted with the message
that says who took it, and an item nobody took is only unconfirmed (never a hard failure).
"""

from __future__ import annotations

import pytest

from app.ingest import parse_transcript
from app.models import Transcript
from app.verify import ClaimVerdict, verify_draft
from app.verify.assignments import find_follow_ups
from app.verify.people import PeopleIndex

LIST = (
    "action items:\n1. add a disk usage alert at 80%\n2. rotate the debug logs\n"
    "3. lower the lag threshold to 60s"
)


def chat(*messages: tuple[str, str]) -> Transcript:
    lines = [f"[10:{i:02d}] {who}: {text}" for i, (who, text) in enumerate(messages)]
    return parse_transcript("\n".join(lines).replace(": action items:\n", ":\naction items:\n"))


def bracket_chat(*messages: tuple[str, str]) -> Transcript:
    """A chat in which Nina, Raj and Tom all take part, then `messages`."""
    joined = [("Nina", "here"), ("Raj", "here"), ("Tom", "here"), *messages]
    return parse_transcript(
        "\n\n".join(f"[10:{i:02d}] {who}\n{text}" for i, (who, text) in enumerate(joined))
    )


def owner_of(transcript: Transcript, item: str, owner: str) -> ClaimVerdict:
    (verdict,) = verify_draft(
        f"| Owner | Item |\n|---|---|\n| {owner} | {item} |", transcript
    ).claims
    return verdict


STYLES = {
    "numbers": bracket_chat(("Tom", LIST), ("Raj", "I'll take 2 and 3"), ("Nina", "1 is mine")),
    "taken in the item": bracket_chat(
        (
            "Tom",
            "follow-ups:\n1. add a disk usage alert at 80%\n2. rotate the debug logs\n"
            "3. lower the lag threshold to 60s - I'll take that one",
        ),
        ("Nina", "1 is mine"),
        ("Raj", "I'll do 2"),
    ),
    "a lead's name list": bracket_chat(
        (
            "Tom",
            "who does what:\nNina: disk usage alert at 80%\nRaj: rotate the debug logs\n"
            "Me: lower the lag threshold to 60s",
        ),
    ),
    "a name under each item": bracket_chat(
        (
            "Tom",
            "follow-ups:\n1. add a disk usage alert at 80%\n   - Nina\n"
            "2. rotate the debug logs\n   - Raj\n3. lower the lag threshold to 60s\n   - Tom",
        ),
    ),
    "asked by @mention, then yes": bracket_chat(
        ("Tom", LIST),
        ("Tom", "@Nina can you take the disk usage alert?"),
        ("Raj", "I'll do the log rotation"),
        ("Nina", "yes"),
        ("Tom", "I'll take the lag threshold"),
    ),
    "arrows": bracket_chat(
        (
            "Tom",
            "follow-ups:\n1. add a disk usage alert at 80% -> @Nina\n"
            "2. rotate the debug logs -> @Raj\n3. lower the lag threshold to 60s -> @Tom",
        ),
    ),
    "asked by name, then accepted": bracket_chat(
        ("Tom", LIST),
        ("Tom", "Nina, can you take 1?"),
        ("Nina", "sure thing"),
        ("Tom", "Raj, could you handle the debug log rotation?"),
        ("Raj", "yep, mine"),
        ("Tom", "I'll take 3"),
    ),
    "by words, by a verb and a number, by an ordinal": bracket_chat(
        ("Tom", LIST),
        ("Nina", "I'll set up the disk usage alert"),
        ("Tom", "Raj, can you do the second one?"),
        ("Raj", "yes"),
        ("Tom", "i'll do 3 first thing tomorrow"),
    ),
    "given in prose, or taken after who-can": bracket_chat(
        ("Tom", LIST),
        ("Tom", "disk usage alert: Nina"),
        ("Tom", "who can take the debug log rotation?"),
        ("Raj", "me"),
        ("Tom", "assigning the lag threshold to Tom"),
    ),
    "a list one item per message": bracket_chat(
        ("Tom", "follow-ups"),
        ("Tom", "1. add a disk usage alert at 80%"),
        ("Tom", "2. rotate the debug logs"),
        ("Tom", "3. lower the lag threshold to 60s"),
        ("Nina", "1 mine"),
        ("Tom", "Raj, 2?"),
        ("Raj", "2. I'll take that one"),
        ("Tom", "3 is mine"),
    ),
    # a list posted item by item with the takers' replies in between
    "item by item, replies between": bracket_chat(
        ("Tom", "follow-ups"),
        ("Tom", "1. add a disk usage alert at 80%"),
        ("Nina", "that's mine, PR tomorrow"),
        ("Tom", "2. rotate the debug logs"),
        ("Tom", "Raj, can you own that one?"),
        ("Raj", "yep"),
        ("Tom", "3. lower the lag threshold to 60s. I'll tune that"),
    ),
    "item by item, bullets, taken by a word for it": bracket_chat(
        ("Tom", "follow ups:"),
        ("Tom", "- add a disk usage alert at 80%"),
        ("Nina", "I'll do the alert"),
        ("Tom", "- rotate the debug logs. Raj?"),
        ("Raj", "yes, mine"),
        ("Tom", "- lower the lag threshold to 60s"),
        ("Nina", "who's that?"),
        ("Tom", "also me"),
    ),
    "heading and first item in one message": bracket_chat(
        ("Tom", "follow-ups. 1. add a disk usage alert at 80%"),
        ("Nina", "I can do it, give it to me"),
        ("Tom", "2. rotate the debug logs"),
        ("Raj", "on me"),
        ("Tom", "3. lower the lag threshold to 60s"),
        ("Raj", "not me this time"),
        ("Tom", "we'll take it, I'll put it in our sprint"),
    ),
    # a handle, then the work as an order, one line each under a heading
    "a handle before each task": bracket_chat(
        (
            "Tom",
            "follow-ups:\n@Nina add a disk usage alert at 80%\n@Raj rotate the debug logs\n"
            "@Tom lower the lag threshold to 60s",
        ),
    ),
    # the same, one message each, in prose
    "a handle and an order per message": bracket_chat(
        ("Tom", "@Nina add a disk usage alert at 80%"),
        ("Tom", "@Raj rotate the debug logs"),
        ("Tom", "I'll take the lag threshold"),
    ),
}
OWNERS = {
    "add a disk usage alert at 80%": "Nina",
    "rotate the debug logs": "Raj",
    "lower the lag threshold to 60s": "Tom",
}


def owners(style: str) -> dict[str, str]:
    """Who owns each item in a style's chat ("numbers": Raj takes 2 and 3)."""
    if style == "numbers":
        return {**OWNERS, "lower the lag threshold to 60s": "Raj"}
    return OWNERS


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("item", sorted(OWNERS))
def test_the_owner_the_chat_assigned_is_confirmed(style: str, item: str) -> None:
    verdict = owner_of(STYLES[style], item, owners(style)[item])
    assert verdict.status == "supported", (style, verdict.reason)
    assert "owner:pass" in verdict.checks


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("item", sorted(OWNERS))
def test_anyone_else_is_contradicted_naming_the_owner(style: str, item: str) -> None:
    owner = owners(style)[item]
    someone_else = next(o for o in ("Nina", "Raj", "Tom") if o != owner)
    verdict = owner_of(STYLES[style], item, someone_else)
    assert verdict.status == "contradicted", (style, verdict.reason)
    assert owner in verdict.reason


@pytest.mark.parametrize(
    "answer",
    [("Nina", "sorry, can't this week"), ("Raj", "looks good"), ("Nina", "no")],
)
def test_a_request_nobody_accepted_gives_no_owner_and_no_hard_failure(
    answer: tuple[str, str],
) -> None:
    transcript = bracket_chat(("Tom", LIST), ("Tom", "Nina, can you take 1?"), answer)
    verdict = owner_of(transcript, "add a disk usage alert at 80%", "Tom")
    assert verdict.status == "unconfirmed", verdict.reason
    assert "no one take it" in verdict.reason


@pytest.mark.parametrize(
    "deferral",
    [
        "3 i'll put on the team board for whoever picks it up",
        "the lag threshold one can wait, not assigning it now",
    ],
)
def test_an_item_left_for_whoever_contradicts_an_owner(deferral: str) -> None:
    transcript = bracket_chat(("Tom", LIST), ("Tom", deferral))
    verdict = owner_of(transcript, "lower the lag threshold to 60s", "Tom")
    assert verdict.status == "contradicted" and "unassigned" in verdict.reason


def test_work_the_chat_leaves_unassigned_contradicts_an_owner() -> None:
    transcript = bracket_chat(
        ("Tom", "@Hannah can you extend the contract tests to all 16 currencies?"),
        ("Raj", "unrelated: lunch?"),
        ("Tom", "Hannah hasn't picked up the contract tests, leaving it unassigned for now"),
    )
    verdict = check_line(transcript, "Hannah will extend our contract tests to all 16 currencies.")
    assert verdict.status == "contradicted" and "unassigned" in verdict.reason


def test_declining_new_work_while_naming_ones_own_items_keeps_them() -> None:
    transcript = bracket_chat(
        ("Tom", LIST),
        ("Raj", "I'll take 2 and 3"),
        ("Nina", "could someone also pick up a canary for the cron?"),
        ("Raj", "not me, I've got 2 and 3"),
    )
    verdict = owner_of(transcript, "lower the lag threshold to 60s", "Raj")
    assert verdict.status == "supported", verdict.reason
    declined = bracket_chat(("Tom", LIST), ("Raj", "I'll take 3"), ("Raj", "not me for 3, sorry"))
    verdict = owner_of(declined, "lower the lag threshold to 60s", "Raj")
    assert verdict.status == "contradicted", verdict.reason  # a refusal of the item itself


def test_a_name_opening_an_action_item_line_is_its_owner() -> None:
    transcript = bracket_chat(("Tom", LIST), ("Nina", "I'll take 3"))
    draft = "## Action items\n- {}: lower the lag threshold to 60s [m4, m5]\n"
    (given,) = verify_draft(draft.format("Raj"), transcript).claims
    assert given.status == "contradicted" and "Nina" in given.reason, given.reason
    (owned,) = verify_draft(draft.format("Nina"), transcript).claims
    assert owned.status == "supported", owned.reason
    (labelled,) = verify_draft(draft.format("Monitoring"), transcript).claims
    assert labelled.status not in ("contradicted", "unsupported"), labelled.reason  # no person


def check_line(transcript: Transcript, line: str) -> ClaimVerdict:
    (verdict,) = verify_draft(line, transcript).claims
    return verdict


def test_posting_a_list_owns_none_of_it() -> None:
    transcript = bracket_chat(("Tom", LIST), ("Nina", "I'll take 1"))
    follow_ups = find_follow_ups(transcript.messages, PeopleIndex.of(transcript.participants))
    found = {f.task: f.owner for f in follow_ups}
    assert found["add a disk usage alert at 80%"] == "Nina"
    assert found["rotate the debug logs"] is None


@pytest.mark.parametrize(
    "clause",
    ["I'll send the apology email to the 3 refunded customers", "we have 2 replicas left"],
)
def test_a_count_is_no_item_number(clause: str) -> None:
    transcript = bracket_chat(("Tom", LIST), ("Raj", clause))
    follow_ups = find_follow_ups(transcript.messages, PeopleIndex.of(transcript.participants))
    assert not any(f.owner == "Raj" and f.task in OWNERS for f in follow_ups)


@pytest.mark.parametrize(
    "reply",
    [
        "I'll ask Raj to look at it",  # passing it on is not taking it
        "I'll raise it at planning",
        "I can confirm that the alert exists already",  # "that" opens a clause
    ],
)
def test_passing_on_or_confirming_takes_nothing(reply: str) -> None:
    transcript = bracket_chat(
        ("Tom", "follow-ups"), ("Tom", "1. add a disk usage alert at 80%"), ("Nina", reply)
    )
    verdict = owner_of(transcript, "add a disk usage alert at 80%", "Nina")
    assert verdict.status != "supported", verdict.reason


@pytest.mark.parametrize("cell", ["none yet", "_unassigned_", "TBD (ask ops)", "no owner yet"])
def test_an_owner_cell_that_names_nobody_claims_no_owner(cell: str) -> None:
    transcript = bracket_chat(("Tom", LIST), ("Tom", "3 can wait, not assigning it now"))
    verdict = owner_of(transcript, "lower the lag threshold to 60s", cell)
    assert verdict.status not in ("unsupported", "contradicted"), verdict.reason


def dotted_chat(*messages: tuple[str, str]) -> Transcript:
    """A chat whose participants write under dotted handles ("rafa.kt", "diego.r")."""
    joined = [("rafa.kt", "here"), ("diego.r", "here"), ("tom", "here"), *messages]
    return parse_transcript(
        "\n\n".join(f"[10:{i:02d}] {who}\n{text}" for i, (who, text) in enumerate(joined))
    )


@pytest.mark.parametrize(
    "messages",
    [
        [("tom", "follow-ups:\n@rafa.kt add a disk usage alert at 80%\n@diego.r rotate the logs")],
        [("tom", "@rafa.kt add a disk usage alert at 80%")],
        [
            ("tom", "follow-ups:\n1. add a disk usage alert at 80%\n2. rotate the logs"),
            ("tom", "rafa.kt, can you take 1?"),
            ("rafa.kt", "yes"),
        ],
    ],
)
def test_a_dotted_handle_is_the_owner_it_was_given(messages: list[tuple[str, str]]) -> None:
    transcript = dotted_chat(*messages)
    verdict = owner_of(transcript, "add a disk usage alert at 80%", "rafa.kt")
    assert verdict.status == "supported", verdict.reason
    other = owner_of(transcript, "add a disk usage alert at 80%", "diego.r")
    assert other.status == "contradicted" and "rafa.kt" in other.reason


@pytest.mark.parametrize(
    "recap",
    [
        "Items 1 and 2 done, 3 unowned",
        "recap: 1 and 2 in progress, 3 unowned for now",
    ],
)
def test_a_recap_leaves_unowned_only_the_item_its_part_names(recap: str) -> None:
    """A recap that reports several items and calls one unowned ("1 and 2 done, 3 unowned")
    takes the owner from that item alone, not from every item it mentions."""
    transcript = bracket_chat(
        ("Tom", LIST), ("Nina", "1 is mine"), ("Raj", "I'll take 2"), ("Tom", recap)
    )
    assert owner_of(transcript, "add a disk usage alert at 80%", "Nina").status == "supported"
    assert owner_of(transcript, "rotate the debug logs", "Raj").status == "supported"
    verdict = owner_of(transcript, "lower the lag threshold to 60s", "Tom")
    assert verdict.status == "contradicted" and "unassigned" in verdict.reason
