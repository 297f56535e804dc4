"""Where each report item landed in a rendered draft: {item path: 1-based line}.

The review page marks each line of a draft with the verdicts of the claims on it, so the
verdicts of `POST /draft` (one per report item, named by path) need the line their item was
rendered on. The renderer is not asked to keep track: the report is rendered a second time with
an invisible tag (private-use characters) after each item's text, the tags are read off the
lines, and a line counts only when, tags removed, it is exactly the line of the real draft. An
item whose tag the rendering dropped (an email leaves engineering items out) has no line, and
if the tagged rendering does not line up with the draft at all, nothing is located: a wrong
line would point a reviewer at the wrong sentence.
"""

from __future__ import annotations

import re

from app.models import Audience, IncidentReport, Transcript
from app.render.draft import render_draft
from app.render.review import Review
from app.report_items import Item, main_text, map_items, shipped_paths, with_main_text

_OPEN, _CLOSE, _DIGIT0 = "\ue000", "\ue001", 0xE010
_TAG = re.compile(" ?\ue000([\ue010-\ue019]++)\ue001")


def _tag(number: int) -> str:
    return _OPEN + "".join(chr(_DIGIT0 + int(d)) for d in str(number)) + _CLOSE


def _number(digits: str) -> int:
    return int("".join(str(ord(c) - _DIGIT0) for c in digits))


def _tagged(item: Item, tag: str) -> Item:
    """The item with `tag` after its text and its plain-language text (either may be shown)."""
    tagged = with_main_text(item, f"{main_text(item)} {tag}")
    plain = getattr(item, "plain", None)
    return tagged.model_copy(update={"plain": f"{plain} {tag}"}) if plain else tagged


def item_lines(
    extracted: IncidentReport,
    shipped: IncidentReport,
    transcript: Transcript,
    audience: Audience,
    review: Review | None,
    draft_text: str,
) -> dict[str, int]:
    """{extracted item path: line of `draft_text`} for the items of `shipped` the draft shows
    (`draft_text` is `shipped` rendered for `audience` with `review`)."""
    origin = shipped_paths(extracted, shipped)
    numbered: list[str] = []

    def tag(path: str, item: Item) -> Item:
        source = origin.get(path)
        if source is None:
            return item
        numbered.append(source)
        return _tagged(item, _tag(len(numbered) - 1))

    tagged = render_draft(map_items(shipped, tag), transcript, audience, review=review).text
    tagged_lines, real_lines = tagged.splitlines(), draft_text.splitlines()
    if len(tagged_lines) != len(real_lines):
        return {}
    found: dict[str, int] = {}
    for number, (line, real) in enumerate(zip(tagged_lines, real_lines, strict=True), start=1):
        tags = _TAG.findall(line)
        if not tags or _TAG.sub("", line) != real:
            continue
        for digits in tags:
            index = _number(digits)
            if index < len(numbered):
                found.setdefault(numbered[index], number)
    return found
