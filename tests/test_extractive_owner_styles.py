"""Owner assignment styles (extractive9): each chat is written for its rule, in wording of its
own, none copied from an eval incident; each test names the general pattern it covers, with a
negative case beside it."""

from __future__ import annotations

from app.engines.extractive import extract_report
from app.engines.extractive.people import Roster
from app.models import IncidentReport, Message, Transcript

Row = tuple[str | None, str, str]

_OVER: Row = ("10:00", "mira", "queue drained, all clear")


def report(rows: list[Row]) -> IncidentReport:
    messages = [
        Message(id=n, time=time, author=author, text=text, line_start=n, line_end=n)
        for n, (time, author, text) in enumerate(rows, start=1)
    ]
    return extract_report(Transcript(format="test", messages=messages)).report


def owners(rows: list[Row]) -> list[str | None]:
    return [a.owner for a in report(rows).action_items]


def test_a_directory_style_last_first_name_is_resolved_by_either_part() -> None:
    roster = Roster(["Nakamura, Emi", "Lopez, Ana"])
    assert roster.resolve("Nakamura") == "Nakamura, Emi"
    assert roster.resolve("@Emi") == "Nakamura, Emi"
    assert roster.resolve("Lopez, Ana") == "Lopez, Ana"
    assert roster.resolve("Ana Lopez") is None  # not a way this chat writes her name


def test_a_mention_of_a_last_first_name_on_a_list_line_names_the_owner() -> None:
    rows: list[Row] = [
        ("10:00", "Lopez, Ana", "queue drained, all clear"),
        (
            "10:05",
            "Lopez, Ana",
            "follow-ups:\n- @Nakamura, Emi raise the consumer prefetch limit\n"
            "- document the drain procedure",
        ),
        ("10:06", "Nakamura, Emi", "ack"),
    ]
    items = [(a.description, a.owner) for a in report(rows).action_items]
    assert items == [
        ("Raise the consumer prefetch limit", "Nakamura, Emi"),
        ("Document the drain procedure", None),
    ]


def test_the_list_writer_naming_themself_owns_the_line() -> None:
    # "task — me" / "me: task" by the writer of the list; "— nobody yet" owns nothing
    rows: list[Row] = [
        _OVER,
        (
            "10:05",
            "mira",
            "follow-ups:\n- shard the retry topic — me\n- me: capacity review with finance\n"
            "- dead-letter dashboard — nobody yet",
        ),
    ]
    assert owners(rows) == ["mira", "mira", None]


def test_a_region_in_capitals_opening_a_list_line_is_no_self_owner() -> None:
    # "EU:" is a region, not the Portuguese "eu" (I): the line keeps it and has no owner
    rows: list[Row] = [
        _OVER,
        (
            "10:05",
            "mira",
            "follow-ups:\n- EU: rerun the settlement backfill\n- me: write the timeline",
        ),
    ]
    items = [(a.description, a.owner) for a in report(rows).action_items]
    assert items == [("EU: rerun the settlement backfill", None), ("Write the timeline", "mira")]


def test_a_list_line_claimed_in_german_or_spanish_is_its_writers() -> None:
    rows: list[Row] = [
        _OVER,
        (
            "10:05",
            "mira",
            "Maßnahmen:\n- Retry-Budget pro Tenant, übernehme ich\n- Dashboard für die DLQ",
        ),
    ]
    assert owners(rows) == ["mira", None]


def test_a_reply_that_names_the_item_and_says_yes_takes_it() -> None:
    # "4 👍", "on it for 1", "2 and 3 me"; "+1 to 5" agrees and takes nothing
    rows: list[Row] = [
        _OVER,
        (
            "10:05",
            "mira",
            "action items, grab one:\n1. shard the retry topic\n2. prefetch limit per consumer\n"
            "3. drain runbook\n4. DLQ dashboard\n5. capacity review",
        ),
        ("10:06", "omar", "on it for 1"),
        ("10:07", "jun", "2 and 3 me"),
        ("10:08", "lena", "4 👍"),
        ("10:09", "kofi", "+1 to 5, good idea"),
    ]
    assert owners(rows) == ["omar", "jun", "jun", "lena", None]


def test_a_numbered_yes_does_not_take_an_item_asked_of_someone_else() -> None:
    rows: list[Row] = [
        _OVER,
        (
            "10:05",
            "mira",
            "follow-ups:\n1. shard the retry topic — @omar can you?\n2. DLQ dashboard",
        ),
        ("10:06", "jun", "1 👍"),
        ("10:20", "omar", "sorry, was in a meeting till now"),
    ]
    assert owners(rows) == [None, None]


def test_a_request_on_the_list_line_is_answered_by_its_addressee() -> None:
    # "@omar ... please" on the line waits for omar's yes; nobody answers for kofi
    rows: list[Row] = [
        _OVER,
        (
            "10:05",
            "mira",
            "follow-ups:\n- @omar please shard the retry topic\n- @kofi please add a DLQ dashboard",
        ),
        ("10:06", "omar", "yes, tomorrow morning"),
        ("10:07", "jun", "nice work all"),
    ]
    assert owners(rows) == ["omar", None]


def test_an_assignment_said_to_someone_waits_for_their_yes() -> None:
    # "Omar, 2 fits you" (no question) assigns once Omar agrees; "Kofi, 3 is yours" never answered
    rows: list[Row] = [
        _OVER,
        (
            "10:05",
            "mira",
            "follow-ups:\n1. shard the retry topic\n2. prefetch limit per consumer\n"
            "3. DLQ dashboard",
        ),
        ("10:06", "mira", "Omar, 2 fits you best, you wrote the consumer"),
        ("10:07", "omar", "mine, sure"),
        ("10:08", "mira", "Kofi, 3 is yours"),
        ("10:09", "jun", "I'll take 1"),
    ]
    assert owners(rows) == ["jun", "omar", None]


def test_a_claim_goes_on_to_the_next_sentence_that_adds_items_by_their_words() -> None:
    # "mine: A. and the B": both; a next sentence that does not add ("thanks") adds nothing
    rows: list[Row] = [
        _OVER,
        (
            "10:05",
            "mira",
            "follow-ups:\n- shard the retry topic\n- rotate the broker password\n"
            "- capacity review with finance",
        ),
        ("10:06", "omar", "mine: the topic sharding. and the broker password obviously"),
        ("10:07", "jun", "I'll take the capacity review. thanks for the password reminder"),
    ]
    assert owners(rows) == ["omar", "omar", "jun"]


def test_a_request_without_a_list_is_owned_once_its_addressee_says_yes() -> None:
    # "@omar can you ...?" owned by omar after his "on it" (even after other chatter in between);
    # "@kofi can you ...?" stays unowned when kofi's next messages never say yes
    rows: list[Row] = [
        _OVER,
        ("10:05", "mira", "@omar can you get the prefetch limit into the shared chart?"),
        ("10:06", "mira", "@kofi can you send the failed-job list to the account team?"),
        ("10:07", "omar", "unrelated, but the staging cluster is slow again"),
        ("10:08", "kofi", "signing off for today, night all"),
        ("10:09", "omar", "on it, PR tomorrow"),
    ]
    items = [(a.description, a.owner) for a in report(rows).action_items]
    assert items == [
        ("Get the prefetch limit into the shared chart", "omar"),
        ("Send the failed-job list to the account team", None),
    ]


def test_claims_in_spanish_by_the_item_number() -> None:
    # "la 2 es mía", "la 1 para mí", "¿la 3 tú?" answered "sí, me la quedo"; "la 4 ... sin dueño"
    rows: list[Row] = [
        _OVER,
        (
            "10:05",
            "mira",
            "Follow-ups:\n1. reintentos con backoff en el worker\n2. alerta de cola llena\n"
            "3. runbook del drenaje\n4. revisar la capacidad con finanzas",
        ),
        ("10:06", "omar", "la 2 es mía"),
        ("10:07", "jun", "la 1 para mí"),
        ("10:08", "mira", "lena ¿la 3 tú?"),
        ("10:09", "lena", "sí, me la quedo"),
        ("10:10", "mira", "la 4 queda sin responsable por ahora"),
    ]
    assert owners(rows) == ["jun", "omar", "lena", None]


def test_a_link_in_a_claim_names_no_item_by_its_path() -> None:
    # ".../spaces/pages/123" shares "page" with the paging item; the claim is the doc, not it
    rows: list[Row] = [
        _OVER,
        (
            "10:05",
            "mira",
            "follow-ups, say mine:\n1. the queue-full warning should page on-call\n"
            "2. shard the retry topic",
        ),
        ("10:06", "omar", "doc: https://wiki.example.internal/spaces/pages/123 I'll paste the log"),
        ("10:07", "jun", "2 mine"),
    ]
    assert owners(rows) == [None, "jun"]


def test_a_proposal_with_another_subject_is_a_follow_up_and_a_bare_claim_takes_it() -> None:
    # "someone should ...", "the worker could also ..." after the incident are follow-ups; a
    # bare "fine, mine" right after takes the one before it; "the queue should be fine" is none
    rows: list[Row] = [
        _OVER,
        ("10:05", "lena", "someone should alert on the retry rate per queue"),
        ("10:06", "mira", "lena that's your dashboard"),
        ("10:07", "lena", "fine, mine. next week"),
        ("10:08", "omar", "the worker could also refuse jobs when its clock is off"),
        ("10:09", "jun", "the queue should be fine now"),
    ]
    items = [(a.description, a.owner) for a in report(rows).action_items]
    assert items == [
        ("Someone should alert on the retry rate per queue", "lena"),
        ("The worker could also refuse jobs when its clock is off", None),
    ]


def test_a_recap_list_s_labelled_fields_are_no_action_items() -> None:
    rows: list[Row] = [
        _OVER,
        (
            "10:05",
            "mira",
            "Follow-ups:\n- Causa raíz: el worker leía segundos\n- Impacto: 812 pedidos\n"
            "- test de unidades en el contrato",
        ),
    ]
    items = [a.description for a in report(rows).action_items]
    assert items == ["Test de unidades en el contrato"]
