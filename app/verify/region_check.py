"""Which region a claim puts an event in (a hard check): "Keycloak 24.0.3 deployed to ap-south
[m5]" where m5 says "we shipped keycloak 24.0.3 to euw at 17:40".

A region is written as a cloud region name ("eu-west-1", "us-east", "ap-south") or its short
form ("euw", "use1", "apse"): its key is the area and the first letters of its direction, so
"eu-west-1", "eu-west" and "euw" meet (a number only tells zones of one region apart). A claim
that cites messages is *contradicted* when none of them names its region, and one of them,
about the claim's other words, names exactly one other region and it is not the claim's.
Anything else says nothing either way: an uncited claim is no citation of anything.
"""

from __future__ import annotations

import re

from app.fold import word_key
from app.verify.context import CheckResult, ClaimContext, overlap
from app.verify.text import content_stems

_AREAS = "us|eu|ap|sa|ca|me|af|il|mx"
_DIRECTIONS = "east|west|north|south|central|northeast|northwest|southeast|southwest"
_LONG = re.compile(
    rf"(?<![\w\-])(?P<area>{_AREAS})-(?P<dir>{_DIRECTIONS})(?:-\d{{1,2}}+)?+(?![\w\-])",
    re.IGNORECASE,
)
# Short forms only for the three areas chats abbreviate so ("euw", "use1", "apse"); "men" or
# "sae" are words.
_SHORT = re.compile(
    r"(?<![\w\-])(?P<area>us|eu|ap)(?P<dir>ne|nw|se|sw|[ewnsc])\d?+(?![\w\-])", re.IGNORECASE
)
# Short forms that are ordinary words or abbreviations of something else.
_NOT_REGIONS = frozenset({"use", "aps", "eus", "usc", "apc"})
# A cited message speaks of the claim's event from this share of its other words.
SAME_EVENT = 0.5


def _key(area: str, direction: str) -> str:
    direction = direction.lower()
    short = direction if len(direction) <= 2 else "".join(p[0] for p in _split(direction))
    return f"{area.lower()}-{short}"


def _split(direction: str) -> list[str]:
    for head in ("north", "south"):
        if direction.startswith(head) and direction != head:
            return [head, direction[len(head) :]]
    return [direction]


def regions(text: str) -> dict[str, str]:
    """The regions a text names, key -> as written."""
    found: dict[str, str] = {}
    for match in _LONG.finditer(text):
        found.setdefault(_key(match["area"], match["dir"]), match.group(0))
    for match in _SHORT.finditer(text):
        if word_key(match.group(0)) not in _NOT_REGIONS:
            found.setdefault(_key(match["area"], match["dir"]), match.group(0))
    return found


def check_regions(ctx: ClaimContext) -> CheckResult:
    """The region a claim names is the one its cited messages name for the event."""
    claimed = regions(ctx.text)
    if not claimed or not ctx.cited_docs:
        return CheckResult("regions", "skip")
    written = " ".join(claimed.values()).replace("-", " ")
    rest = {w for w in ctx.content - frozenset(content_stems(written)) if ctx.source.known(w)}
    if len(rest) < 2:
        return CheckResult("regions", "skip")
    named = [regions(d.message.text) for d in ctx.cited_docs]
    if any(set(claimed) & set(n) for n in named):
        return CheckResult("regions", "pass", "a cited message names its region")
    for doc, found in zip(ctx.cited_docs, named, strict=True):
        if len(found) != 1 or overlap(rest, set(doc.stems)) < SAME_EVENT:
            continue
        (other,) = found.values()
        region = next(iter(claimed.values()))
        return CheckResult(
            "regions",
            "contradicted",
            f"the cited {doc.when()} says this of {other}, not {region}",
            (doc.message.id,),
        )
    return CheckResult("regions", "skip")
