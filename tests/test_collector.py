"""The cyclic collector's pause around a step (app/collector.py): off inside, as it was after."""

from __future__ import annotations

import gc

import pytest

from app.collector import collector_paused, pauses_collector


def test_pause_turns_the_collector_off_and_back_on() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the inner pause must not turn it back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_pause_leaves_a_collector_that_was_off_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_paused_step_raising_turns_the_collector_back_on() -> None:
    @pauses_collector
    def step(value: int) -> int:
        assert not gc.isenabled()
        if value < 0:
            raise ValueError("negative")
        return value * 2

    assert step(3) == 6
    assert gc.isenabled()
    with pytest.raises(ValueError, match="negative"):
        step(-1)
    assert gc.isenabled()
    assert step.__name__ == "step"


def test_parse_redact_and_check_leave_the_collector_on() -> None:
    from app.ingest import parse_transcript
    from app.redact import redact_transcript
    from app.verify import verify_draft

    transcript = redact_transcript(
        parse_transcript("[09:00] ana: db is down\n[09:05] ben: restarted the db\n")
    ).transcript
    verify_draft("The database was restarted at 09:05.", transcript)
    assert gc.isenabled()
