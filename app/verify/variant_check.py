"""Which platform or version a claim puts an event on (a hard check): "iOS 7.4.0 polled the ETA
every 5 s [m26]" where m26 says "it's android 7.4.0 polling eta every 5s"; "the eu-west
consumers run OpenLDAP 2.6.6 [m36]" where m36 says "euw still on 2.4.57".

Each is a closed set of mutually exclusive values of one kind: a client platform ("iOS",
"Android", "web", "Windows", "macOS", "Linux"; save the pairs in `COMPATIBLE`, where one runs
on the other: "the web tier" on "the linux hosts") or a release version (three dotted numbers,
"2.6.6" or "v4.12.0"; not four, an IP address). The same rule as for regions: a claim that cites
messages is *contradicted* when none of them names its value of a kind, and one of them, about
the other words of the claim's clause that holds the value or of the whole claim (at least
`SAME_EVENT` of them, two words at least), names exactly one value of that kind, another one.
Anything else says nothing either way: an uncited claim is no citation of anything, and a cited
message that names two platforms or versions does not say which one the event was on.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from app.verify.context import CheckResult, ClaimContext, overlap
from app.verify.text import content_stems

_PLATFORM = re.compile(
    r"(?<![\w\-.])(?:ios|android|web|windows|macos|linux)(?![\w\-])", re.IGNORECASE
)
# "2.6.6", "v4.12.0"; not "2023.2" (a two-part number is as often a figure or a date), nor
# "185.44.12.11" (an address), nor "v215" (a build or a config revision as often as a release).
_VERSION = re.compile(r"(?<![\w.\-])v?+\d++\.\d++\.\d++(?![\w\-]|\.\d)", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(
    r"[;:()]|,[ \t]*+|(?<=[ \t])(?:and|because|since|while|which|whereas|but)(?=[ \t])",
    re.IGNORECASE,
)
# Platforms one event can be on at once: a web client or tier runs on any of these systems, an
# Android device runs Linux, an iOS build is built on macOS.
COMPATIBLE = frozenset(
    frozenset(pair)
    for pair in (
        ("web", "windows"),
        ("web", "macos"),
        ("web", "linux"),
        ("android", "linux"),
        ("ios", "macos"),
    )
)
# A cited message speaks of the clause's event from this share of its other words.
SAME_EVENT = 0.5
MIN_WORDS = 2


def platforms(text: str) -> dict[str, str]:
    """The client platforms a text names, key (lower case) -> as written."""
    return {m.group(0).lower(): m.group(0) for m in _PLATFORM.finditer(text)}


def versions(text: str) -> dict[str, str]:
    """The release versions a text names, key (without the "v") -> as written."""
    return {m.group(0).lower().removeprefix("v"): m.group(0) for m in _VERSION.finditer(text)}


def _clause(text: str, written: str) -> str:
    """The clause of `text` that holds `written`."""
    at = text.find(written)
    start, end = 0, len(text)
    for match in _CLAUSE_BREAK.finditer(text):
        if match.end() <= at:
            start = match.end()
        elif match.start() >= at + len(written):
            end = match.start()
            break
    return text[start:end]


def _swap(
    ctx: ClaimContext, name: str, kind: str, find: Callable[[str], dict[str, str]]
) -> CheckResult | None:
    claimed = find(ctx.text)
    if not claimed:
        return None
    named = [find(d.message.text) for d in ctx.cited_docs]
    if any(set(claimed) & set(n) for n in named):
        return CheckResult(name, "pass", f"a cited message names its {kind}")
    own = set(content_stems(" ".join(claimed.values())))
    for key, written in claimed.items():
        rest = {
            text: {w for w in content_stems(text) if w not in own and ctx.source.known(w)}
            for text in (_clause(ctx.text, written), ctx.text)
        }
        for doc, found in zip(ctx.cited_docs, named, strict=True):
            if len(found) != 1 or not any(
                len(words) >= MIN_WORDS and overlap(words, set(doc.stems)) >= SAME_EVENT
                for words in rest.values()
            ):
                continue
            ((other_key, other),) = found.items()
            if frozenset((key, other_key)) in COMPATIBLE:
                continue
            return CheckResult(
                name,
                "contradicted",
                f"the cited {doc.when()} says this of {other}, not {written}",
                (doc.message.id,),
            )
    return None


def check_variants(ctx: ClaimContext) -> CheckResult:
    """The platform and the version a claim names are the ones its cited messages name."""
    if not ctx.cited_docs:
        return CheckResult("variants", "skip")
    results = [
        _swap(ctx, "variants", "platform", platforms),
        _swap(ctx, "variants", "version", versions),
    ]
    failed = next((r for r in results if r is not None and r.outcome != "pass"), None)
    if failed is not None:
        return failed
    passed = next((r for r in results if r is not None), None)
    return passed or CheckResult("variants", "skip")
