"""General rules added after the blind incidents 52-56 were measured (extractive4). Each chat is
written for its rule, in wording of its own; none is copied from an eval incident. Each test
names the general pattern it covers."""

from __future__ import annotations

from app.engines.extractive import extract_report
from app.models import IncidentReport, Message, Transcript

Row = tuple[str | None, str, str]

_PAGE: Row = ("02:00", "opsbot", "[FIRING] InvoiceExportFailed billing-export error rate 40%")


def report(rows: list[Row]) -> IncidentReport:
    messages = [
        Message(id=n, time=time, author=author, text=text, line_start=n, line_end=n)
        for n, (time, author, text) in enumerate(rows, start=1)
    ]
    return extract_report(Transcript(format="test", messages=messages)).report


# ---- root cause ------------------------------------------------------------------------------


def test_a_third_party_finding_something_is_no_announced_cause() -> None:
    # "found it" is the speaker's own find; "the vendor found it" (a file, a ticket) is news
    rows: list[Row] = [
        _PAGE,
        ("02:04", "lena", "the export ran twice because of the leap second smear on the host"),
        ("02:20", "omar", "the vendor found it in their inbox and will drop the second copy"),
    ]
    cause = report(rows).root_cause
    assert cause is not None and "leap second" in cause.text
    assert "vendor" not in cause.text


def test_a_causal_connective_states_a_cause_without_a_fault_word() -> None:
    # "because of" names a cause after it, whatever the words: no "broken", "failed", "error"
    rows: list[Row] = [
        _PAGE,
        ("02:06", "lena", "the nightly export ran twice because of the clock change at 2am"),
        ("02:30", "omar", "ok, paused the export schedule"),
    ]
    cause = report(rows).root_cause
    assert cause is not None and "clock change" in cause.text


def test_a_correction_announces_a_cause_only_when_the_next_sentence_reads_as_one() -> None:
    # "X is a red herring then. thanks for checking" rules X out and announces nothing
    rows: list[Row] = [
        _PAGE,
        ("02:03", "omar", "maybe the storage array restart broke it"),
        ("02:05", "lena", "the renderer crashes because the fonts package lacks glyphs"),
        ("02:07", "lena", "storage is a red herring then. thanks for checking, appreciated"),
    ]
    cause = report(rows).root_cause
    assert cause is not None and "fonts package" in cause.text
    assert "thanks" not in cause.text.lower()


def test_a_lead_recap_backs_the_cause_it_repeats() -> None:
    # the statement the lead's summary repeats wins over a later one it does not repeat
    rows: list[Row] = [
        _PAGE,
        ("02:05", "lena", "the renderer crashes because the fonts package lacks glyphs"),
        ("02:12", "omar", "the queue worker fell over because its disk is full"),
        (
            "02:40",
            "kai",
            "summary for the record: exports failed because the fonts package lacks glyphs; "
            "pinned a newer one at 02:30",
        ),
    ]
    cause = report(rows).root_cause
    assert cause is not None and "fonts package" in cause.text
    assert "queue worker" not in cause.text


# ---- action items and owners -----------------------------------------------------------------


def test_a_list_under_a_colon_line_ends_at_its_last_bullet() -> None:
    # "Plan:" or "no owners yet:" followed by bullets is a list; "please claim" is no item
    rows: list[Row] = [
        ("09:00", "kai", "exports recovered, all clear"),
        (
            "09:05",
            "kai",
            "stuff that came out of this, no owners yet:\n- pin the fonts package\n"
            "- add a render smoke test\n- alert on export failures\nplease claim",
        ),
    ]
    items = [a.description for a in report(rows).action_items]
    assert items == ["Pin the fonts package", "Add a render smoke test", "Alert on export failures"]


def test_claims_by_number_in_several_styles() -> None:
    rows: list[Row] = [
        ("09:00", "kai", "exports recovered, all clear"),
        ("09:05", "kai", "Plan:\n1. pin the fonts package\n2. add a render smoke test\n3. runbook"),
        ("09:06", "lena", "grabbing 1"),
        ("09:07", "omar", "2 for me"),
    ]
    owners = [(a.description, a.owner) for a in report(rows).action_items]
    assert owners == [
        ("Pin the fonts package", "lena"),
        ("Add a render smoke test", "omar"),
        ("Runbook", None),
    ]


def test_one_claim_can_name_several_items_by_their_words() -> None:
    rows: list[Row] = [
        ("09:00", "kai", "exports recovered, all clear"),
        (
            "09:05",
            "kai",
            "follow-ups:\n- pin the fonts package\n- render smoke test in CI\n"
            "- rotate the smtp password",
        ),
        ("09:08", "lena", "mine: the fonts pin, and the smtp password rotation"),
    ]
    owners = {a.description: a.owner for a in report(rows).action_items}
    assert owners == {
        "Pin the fonts package": "lena",
        "Render smoke test in CI": None,
        "Rotate the smtp password": "lena",
    }


# ---- timeline --------------------------------------------------------------------------------


def test_a_hypothesis_ruled_out_is_a_timeline_event() -> None:
    rows: list[Row] = [
        _PAGE,
        ("02:03", "omar", "maybe the storage array restart broke it"),
        ("02:09", "lena", "exports fail on the old array too. so not the storage restart"),
        ("02:15", "lena", "the template renderer pins a fonts package without the glyphs"),
    ]
    times = {e.time: e.description for e in report(rows).timeline}
    assert "02:09" in times and "not the storage restart" in times["02:09"].lower()


def test_a_dismissal_of_a_part_checked_is_no_ruled_out_event() -> None:
    # "x is fine" reports a check; only a hypothesis named and dismissed turns the investigation
    rows: list[Row] = [
        _PAGE,
        ("02:09", "lena", "cpu on the export hosts looks fine I think"),
        ("02:15", "lena", "the template renderer pins a fonts package without the glyphs"),
    ]
    assert "02:09" not in {e.time for e in report(rows).timeline}


def test_a_written_time_is_an_event_even_beside_a_baseline_comparison() -> None:
    # "vs same time last week" compares a figure; it does not make the sentence background
    rows: list[Row] = [
        _PAGE,
        ("02:10", "lena", "signups down 30% vs same time last week, started ~01:52"),
        ("02:11", "omar", "v7 promoted at 01:45 via the registry"),
    ]
    times = {e.time for e in report(rows).timeline}
    assert {"01:52", "01:45"} <= times


def test_a_piece_of_a_quoted_address_is_no_timeline_step() -> None:
    # a quote that spans sentences ("... 3. OG, c/o Name" ✅) is pasted data, not a step taken
    rows: list[Row] = [
        _PAGE,
        ("02:10", "lena", "restored the addresses from the snapshot"),
        ("02:20", "omar", 'order 88 shows "Hafenstr. 4, 2. OG, c/o Quendolin" again ✅'),
    ]
    timeline = report(rows).timeline
    assert not any("Quendolin" in e.description for e in timeline)


def test_claims_in_german_and_a_request_on_the_list_line() -> None:
    # "2 nehm ich", "3 ist meins" claim; "@name kannst du ...?" on the line asks, it assigns no one
    rows: list[Row] = [
        ("09:00", "kai", "exports recovered, all clear"),
        (
            "09:05",
            "kai",
            "Action items:\n1. fonts package pinnen - @lena kannst du das übernehmen?\n"
            "2. render smoke test in CI\n3. runbook ergänzen",
        ),
        ("09:06", "omar", "2 nehm ich"),
        ("09:09", "lena", "mittagspause, bis gleich"),
        ("09:12", "kai", "3 ist meins"),
    ]
    owners = [a.owner for a in report(rows).action_items]
    assert owners == [None, "omar", "kai"]


def test_counts_of_people_in_general_words_are_impact() -> None:
    # a count of whoever was affected, in the words of any business: people, contractors
    rows: list[Row] = [
        _PAGE,
        ("02:10", "lena", "~40 people in the forum say their invoices never arrived"),
        ("02:20", "omar", "duplicate payout emails went to 2,317 contractors"),
        ("02:25", "omar", "the export host has 6 cores"),
    ]
    impact = " ".join(i.text for i in report(rows).impact)
    assert "40 people" in impact and "2,317 contractors" in impact
    assert "6 cores" not in impact


def test_a_symptom_told_by_its_witness_is_no_cause() -> None:
    # "a customer says it broke past 40 items" reports the symptom; "broke" links nothing here
    rows: list[Row] = [
        _PAGE,
        ("02:05", "omar", "the renderer crashes because the fonts package lacks glyphs"),
        ("02:09", "lena", "support says one customer's export broke once she had 40+ invoices"),
        ("02:11", "lena", "restarted the renderer with the new fonts"),
        ("02:30", "kai", "customers say exports work again"),
    ]
    cause = report(rows).root_cause
    assert cause is not None and "fonts package" in cause.text
    assert "customer" not in cause.text


def test_commitments_without_a_list_in_more_forms() -> None:
    # "I'm adding ...", "I'll ping ... tomorrow" while the incident is still on, "I'll put ..."
    rows: list[Row] = [
        _PAGE,
        ("02:05", "omar", "the renderer crashes because the fonts package lacks glyphs"),
        ("02:10", "lena", "I'll ping the fonts vendor tomorrow about the missing glyphs"),
        ("02:20", "kai", "restarted the renderer with the new fonts, exports work again"),
        ("02:25", "omar", "I'm adding a render smoke test to the release checklist"),
        ("02:26", "kai", "I'll put the nightly export back on its schedule at 09:00"),
        ("02:27", "lena", "I'll be around for a bit"),
    ]
    items = [(a.description, a.owner) for a in report(rows).action_items]
    assert items == [
        ("Ping the fonts vendor tomorrow about the missing glyphs", "lena"),
        ("Adding a render smoke test to the release checklist", "omar"),
        ("Put the nightly export back on its schedule at 09:00", "kai"),
    ]


def test_claims_that_open_with_the_number_and_end_with_mine() -> None:
    rows: list[Row] = [
        ("09:00", "kai", "exports recovered, all clear"),
        ("09:05", "kai", "list:\n1. pin the fonts package\n2. smoke test\n3. runbook\n4. alarm"),
        ("09:06", "lena", "1 is a one-line change, mine"),
        ("09:07", "omar", "3 mine"),
        ("09:08", "kai", "I'll write 4 myself"),
        ("09:09", "lena", "2 is not mine"),
    ]
    owners = [a.owner for a in report(rows).action_items]
    assert owners == ["lena", None, "omar", "kai"]
