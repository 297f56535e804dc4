"""The items of an `IncidentReport` by the paths the checker's verdicts name them with
('summary.technical[0]', 'impact[2]', 'detection', 'timeline[3]', 'action_items[1]', ...).

Two consumers: putting chosen failed items back into a draft, marked (`withhold_marked`, for
`keep_items`), and finding which item of a shipped report is which extracted item
(`shipped_paths`), so the draft's lines can be matched with the verdicts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from app.models import ActionItem, IncidentReport, Statement, SummarySentence, TimelineEntry
from app.verify.report import UNVERIFIED_MARK

Item = Statement | TimelineEntry | ActionItem | SummarySentence

_LISTS = ("impact", "timeline", "contributing_factors", "action_items")
_SINGLES = ("detection", "root_cause", "resolution")


def main_text(item: Item) -> str:
    """The text a verdict checks and a mark changes: `description` or `text`."""
    return item.description if isinstance(item, TimelineEntry | ActionItem) else item.text


def with_main_text(item: Item, text: str) -> Item:
    """`item` with its main text replaced."""
    field = "description" if isinstance(item, TimelineEntry | ActionItem) else "text"
    return item.model_copy(update={field: text})


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
    update: dict[str, object] = {
        "summary": report.summary.model_copy(
            update={"technical": kept["summary.technical"], "plain": kept["summary.plain"]}
        ),
    }
    for name in _LISTS:
        update[name] = kept[name]
    for name in _SINGLES:
        update[name] = kept[name][0] if kept[name] else None
    return report.model_copy(update=update)


def _newly_marked(extracted: Item | None, shipped: Item) -> bool:
    if not main_text(shipped).startswith(UNVERIFIED_MARK):
        return False
    return extracted is None or not main_text(extracted).startswith(UNVERIFIED_MARK)


def withhold_marked(
    extracted: IncidentReport, marked: IncidentReport, keep: set[str]
) -> IncidentReport:
    """`marked` (verified with every failed item kept and marked, so its paths are the
    extracted report's) without the items the check marked, except those named in `keep`."""
    before = dict(report_items(extracted))

    def choose(path: str, item: Item) -> Item | None:
        if path in keep or not _newly_marked(before.get(path), item):
            return item
        return None

    return map_items(marked, choose)


def _unmarked(item: Item) -> Item:
    text = main_text(item)
    if text.startswith(UNVERIFIED_MARK):
        return with_main_text(item, text[len(UNVERIFIED_MARK) :].lstrip())
    return item


def shipped_paths(extracted: IncidentReport, shipped: IncidentReport) -> dict[str, str]:
    """For each item of `shipped` (the extracted report with failed items left out or marked,
    order kept), the path of the extracted item it comes from: {shipped path: extracted path}."""
    found: dict[str, str] = {}
    before, after = sections(extracted), sections(shipped)
    for section, items in after.items():
        source = before[section]
        cursor = 0
        for index, item in enumerate(items):
            plain = _unmarked(item)
            while cursor < len(source) and _unmarked(source[cursor]) != plain:
                cursor += 1
            if cursor == len(source):
                break  # not a subsequence: the rest of this section stays unmatched
            found[path_of(section, index)] = path_of(section, cursor)
            cursor += 1
    return found
