"""Parcels: a value pickled once, passed on as bytes, opened (and kept) where a step runs."""

from __future__ import annotations

import pickle

import pytest

from app import workers
from app.workers import Parcel, Part, WorkerPool, opened


def _size(parcel: Parcel[dict[str, list[int]]]) -> int:
    return len(parcel.open()["values"])


def test_a_parcel_is_pickled_once_and_opened_from_its_bytes() -> None:
    value = {"values": list(range(1000))}
    parcel = Parcel(value)
    assert parcel.open() is value  # inline: the value itself, nothing pickled
    first = pickle.dumps(parcel)
    copy = pickle.loads(first)
    assert copy.key == parcel.key and copy.open() == value and copy.open() is copy.open()
    again = pickle.dumps(copy)  # passed on: the same bytes, not pickled again
    assert again == pickle.dumps(pickle.loads(again)) and len(again) == len(first)


def test_a_worker_keeps_the_few_parcels_it_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "_in_worker", True)
    monkeypatch.setattr(workers, "_opened", workers.OrderedDict())
    monkeypatch.setattr(workers, "_opened_bytes", 0)
    kept = workers._OPENED_PER_WORKER
    count = kept + 2
    sent = [pickle.dumps(Parcel({"n": i})) for i in range(count)]  # made (pickled) in a worker
    arrived = [pickle.loads(data) for data in sent]  # the same parcels, as bytes, in later steps

    class NoUnpickling:
        dumps = staticmethod(pickle.dumps)

        @staticmethod
        def loads(_data: bytes) -> object:
            raise AssertionError("unpickled again")

    monkeypatch.setattr(workers, "pickle", NoUnpickling)
    assert [p.open() for p in arrived[-kept:]] == [{"n": i} for i in range(count - kept, count)]
    with pytest.raises(AssertionError, match="unpickled again"):
        arrived[0].open()  # the oldest was let go


def test_a_worker_keeps_parcels_up_to_a_size_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "_in_worker", True)
    monkeypatch.setattr(workers, "_opened", workers.OrderedDict())
    monkeypatch.setattr(workers, "_opened_bytes", 0)
    size = len(pickle.dumps("x" * 4000 + "0", protocol=pickle.HIGHEST_PROTOCOL))
    monkeypatch.setattr(workers, "_OPENED_BYTES", 3 * size)  # room for three of these
    big = [pickle.loads(pickle.dumps(Parcel("x" * 4000 + str(i)))) for i in range(5)]
    assert [p.open()[-1] for p in big] == ["0", "1", "2", "3", "4"]
    assert list(workers._opened) == [p.key for p in big[-3:]]
    assert workers._opened_bytes == sum(len(p._data or b"") for p in big[-3:])


def test_a_part_opens_an_attribute_and_opened_passes_plain_values() -> None:
    class Box:
        transcript = "the chat"

    assert Part(Parcel(Box()), "transcript").open() == "the chat"
    assert opened("plain") == "plain"


async def test_a_parcel_crosses_to_a_worker_process() -> None:
    pool = WorkerPool(1)
    try:
        steps = pool.steps(30)
        parcel = Parcel({"values": list(range(5000))})
        assert await steps.run("sizing", _size, parcel) == 5000
        assert await steps.run("sizing again", _size, parcel) == 5000
    finally:
        pool.close()
