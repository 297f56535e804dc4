"""The items of an `IncidentReport` by the paths the checker's verdicts name them with
('summary.technical[0]', 'impact[2]', 'detection', 'timeline[3]', 'action_items[1]'; an item's
plain-language wording is '<path>.plain'; the titles are 'title' and 'plain_title').

Two consumers: shipping a verified report with chosen failed fields put back, marked
(`withhold_failed`, for `keep_items`: from the report with every failed field marked, so a put
back needs no second verification), and finding which item of a shipped report is which checked
item (`shipped_paths`), so the draft's lines can be matched with the verdicts.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import Any

from app.models import ActionItem, IncidentReport, Statement, SummarySentence, TimelineEntry
from app.verify import VerificationReport
from app.verify.report import UNVERIFIED_MARK

Item = Statement | TimelineEntry | ActionItem | SummarySentence

_LISTS = ("impact", "timeline", "contributing_factors", "action_items")
_SINGLES = ("detection", "root_cause", "resolution")


def main_text(item: Item) -> str:
    """The text a verdict on the item checks and a mark changes: `description` or `text`."""
    return item.description if isinstance(item, TimelineEntry | ActionItem) else item.text


def with_main_text(item: Item, text: str) -> Item:
    """`item` with its main text replaced."""
    field = "description" if isinstance(item, TimelineEntry | ActionItem) else "text"
    return item.model_copy(update={field: text})


def plain_of(item: Item) -> str | None:
    """The item's plain-language wording for the stakeholder email (summary sentences: none)."""
    return None if isinstance(item, SummarySentence) else item.plain


def sections(report: IncidentReport) -> dict[str, list[Item]]:
    """Each section's items in order; a one-item section is a list of zero or one."""

    def one(value: Statement | None) -> list[Item]:
        return [] if value is None else [value]

    return {
        "summary.technical": list(report.summary.technical),
        "summary.plain": list(report.summary.plain),
        "impact": list(report.impact),
        "detection": one(report.detection),
        "timeline": list(report.timeline),
        "root_cause": one(report.root_cause),
        "contributing_factors": list(report.contributing_factors),
        "resolution": one(report.resolution),
        "action_items": list(report.action_items),
    }


def path_of(section: str, index: int) -> str:
    """'timeline[2]', or 'root_cause' for a one-item section."""
    return section if section in _SINGLES else f"{section}[{index}]"


def report_items(report: IncidentReport) -> Iterator[tuple[str, Item]]:
    """(path, item) for every item, in reading order."""
    for section, items in sections(report).items():
        for index, item in enumerate(items):
            yield path_of(section, index), item


def map_items(report: IncidentReport, change: Callable[[str, Item], Item | None]) -> IncidentReport:
    """The report with each item replaced by `change(path, item)`; None removes it (a summary
    may be left empty, as the checker's own filtering leaves it)."""
    kept: dict[str, list[Item]] = {}
    for section, items in sections(report).items():
        kept[section] = [
            new
            for index, item in enumerate(items)
            if (new := change(path_of(section, index), item)) is not None
        ]
    update: dict[str, Any] = {
        "summary": report.summary.model_copy(
            update={"technical": kept["summary.technical"], "plain": kept["summary.plain"]}
        ),
    }
    for name in _LISTS:
        update[name] = kept[name]
    for name in _SINGLES:
        update[name] = kept[name][0] if kept[name] else None
    return report.model_copy(update=update)


def withhold_failed(
    marked: IncidentReport, verification: VerificationReport, keep: Collection[str] = ()
) -> IncidentReport:
    """`marked` (verified with every failed field kept and marked, so its paths are the
    verdicts') as the checker ships it without `keep_unverified`: a failed item left out, a
    failed plain wording or plain title dropped (a failed title stays, marked, as the checker
    keeps it); except the fields named in `keep` ('timeline[3]', 'impact[0].plain'), which stay
    marked."""
    failed = {v.item for v in verification.claims if v.failed and v.item}

    def out(path: str) -> bool:
        return path in failed and path not in keep

    def choose(path: str, item: Item) -> Item | None:
        if out(path):
            return None
        if plain_of(item) is not None and out(f"{path}.plain"):
            return item.model_copy(update={"plain": None})
        return item

    shipped = map_items(marked, choose)
    if shipped.plain_title is not None and out("plain_title"):
        shipped = shipped.model_copy(update={"plain_title": None})
    return shipped


def _identity(item: Item) -> dict[str, Any]:
    """What stays the same when the check marks or drops parts of an item."""
    text = main_text(item)
    if text.startswith(UNVERIFIED_MARK):
        item = with_main_text(item, text[len(UNVERIFIED_MARK) :].lstrip())
    return item.model_dump(exclude={"plain"})


def shipped_paths(extracted: IncidentReport, shipped: IncidentReport) -> dict[str, str]:
    """For each item of `shipped` (the extracted report with failed items left out or marked,
    order kept), the path of the extracted item it comes from: {shipped path: extracted path}."""
    found: dict[str, str] = {}
    before, after = sections(extracted), sections(shipped)
    for section, items in after.items():
        source = [_identity(item) for item in before[section]]
        cursor = 0
        for index, item in enumerate(items):
            wanted = _identity(item)
            while cursor < len(source) and source[cursor] != wanted:
                cursor += 1
            if cursor == len(source):
                break  # not a subsequence: the rest of this section stays unmatched
            found[path_of(section, index)] = path_of(section, cursor)
            cursor += 1
    return found
