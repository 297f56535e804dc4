"""Where each report field landed in a rendered draft: {verdict path: 1-based line}.

The review page marks each line of a draft with the verdicts of the claims on it, so the
verdicts of `POST /draft` (one per printed field, named by path) need the line their field was
rendered on. The renderer is not asked to keep track: the report is rendered a second time with
an invisible tag (private-use characters) after each field's text (an item's own text and its
plain-language wording get tags of their own, as they get verdicts of their own), the tags are
read off the lines, and a line counts only when, tags removed, it is exactly the line of the
real draft. A field the rendering leaves out (an email prints no engineering text) has no line,
and if the tagged rendering does not line up with the draft at all, nothing is located: a wrong
line would point a reviewer at the wrong sentence.
"""

from __future__ import annotations

import re

from app.models import Audience, IncidentReport, Transcript
from app.render.draft import render_draft
from app.render.review import Review
from app.report_items import Item, main_text, map_items, plain_of, shipped_paths, with_main_text

_OPEN, _CLOSE, _DIGIT0 = "\ue000", "\ue001", 0xE010
_TAG = re.compile(" ?\ue000([\ue010-\ue019]++)\ue001")


def _tag(number: int) -> str:
    return _OPEN + "".join(chr(_DIGIT0 + int(d)) for d in str(number)) + _CLOSE


def _number(digits: str) -> int:
    return int("".join(str(ord(c) - _DIGIT0) for c in digits))


def _tagged(item: Item, tag: str, plain_tag: str) -> Item:
    """The item with `tag` after its text and `plain_tag` after its plain-language wording
    (the engineering draft prints the one, the email the other)."""
    tagged = with_main_text(item, f"{main_text(item)} {tag}")
    plain = plain_of(item)
    return tagged.model_copy(update={"plain": f"{plain} {plain_tag}"}) if plain else tagged


def item_lines(
    extracted: IncidentReport,
    shipped: IncidentReport,
    transcript: Transcript,
    audience: Audience,
    review: Review | None,
    draft_text: str,
) -> dict[str, int]:
    """{verdict path: line of `draft_text`} for the fields of `shipped` the draft shows, named
    as the verdicts on the extracted report name them ('timeline[3]', 'impact[0].plain',
    'title'); `draft_text` is `shipped` rendered for `audience` with `review`."""
    origin = shipped_paths(extracted, shipped)
    numbered: list[str] = []

    def tag(path: str) -> str:
        numbered.append(path)
        return _tag(len(numbered) - 1)

    def tag_item(path: str, item: Item) -> Item:
        source = origin.get(path)
        if source is None:
            return item
        return _tagged(item, tag(source), tag(f"{source}.plain"))

    tagged_report = map_items(shipped, tag_item).model_copy(
        update={
            "title": f"{shipped.title} {tag('title')}",
            "plain_title": f"{shipped.plain_title} {tag('plain_title')}"
            if shipped.plain_title
            else None,
        }
    )
    tagged = render_draft(tagged_report, transcript, audience, review=review).text
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
