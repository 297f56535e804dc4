"""Realistic samples of every format (tests/data/formats): each parses in its format, and the
author and time of every message is right on at least 98% of messages across all of them.

Each `<name>.expected.json` was written by hand from its sample: the format, the options the
upload would pass (`channel`), and the (author, time) of every message in order.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.ingest import SUPPORTED_FORMATS, parse_export

FORMATS = Path(__file__).parent / "data" / "formats"
EXPECTED = sorted(FORMATS.rglob("*.expected.json"))


def _source(expected: Path) -> Path:
    stem = expected.name.removesuffix(".expected.json")
    matches = [
        p
        for p in expected.parent.iterdir()
        if (p.name == stem or p.name.startswith(stem + ".")) and p != expected
    ]
    assert len(matches) == 1, matches
    return matches[0]


def _parsed(expected: Path) -> tuple[dict, list[list[str | None]], str]:
    spec = json.loads(expected.read_text(encoding="utf-8"))
    transcript = parse_export(_source(expected), **spec.get("options", {}))
    return spec, [[m.author, m.time] for m in transcript.messages], transcript.format


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_each_sample_is_read_in_its_format(expected: Path) -> None:
    spec, got, name = _parsed(expected)
    assert name == spec["format"]
    assert len(got) == len(spec["messages"])


def test_attribution_across_all_samples_is_at_least_98_percent() -> None:
    right = total = 0
    for expected in EXPECTED:
        spec, got, _ = _parsed(expected)
        for want, have in zip(spec["messages"], got, strict=False):
            total += 1
            right += want == have
        total += abs(len(spec["messages"]) - len(got))
    assert total >= 100
    assert right / total >= 0.98, f"{right}/{total}"


def test_every_format_has_a_sample() -> None:
    covered = {json.loads(p.read_text())["format"] for p in EXPECTED}
    legacy = {"bracket-header", "plain-inline", "datetime-inline", "irc", "discord-copy"}
    assert covered | legacy == set(SUPPORTED_FORMATS)


def test_the_readme_format_table_lists_every_format_with_an_example() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Transcript formats", 1)[1].split("\n## ", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("| `")]
    rows = {line.split("|")[1].strip().strip("`"): line for line in table}
    assert set(rows) == set(SUPPORTED_FORMATS)
    assert all(row.count("`") >= 4 for row in rows.values())  # the name and an example
