"""Unfilled template slots (a hard check): "[X]", "$[amount]", "[date]", "[Your Name]",
"{{team}}", "{date}", "TBD", "<insert date>", "XX%", "at HH:MM". A slot left unfilled states
nothing the chat could support, so the claim is *unsupported*. Citations ("[m12]"), links,
checkboxes, code subscripts and tags tools write ("[FIRING:1]", "[ERROR]", "[REDACTED:password]")
are no slots.
"""

from __future__ import annotations

import re

from app.fold import word_key
from app.verify.context import CheckResult, ClaimContext

# Every repeat is bounded, so a run of "[" or "{{" costs one pass.
_PLACEHOLDER = re.compile(
    r"\$?+\\?+\[(?P<inside>[^\]\n]{0,60}+)\\?+\](?!\()"
    r"|\{\{[^{}\n]{1,60}+\}\}|(?<![{\w$])\{[A-Za-z_][\w \-]{0,30}+\}(?!\})|<[A-Za-z][\w ]{0,30}+>"
    r"|\b(?:TBD|TBA|TBC|TKTK|TODO|FIXME|XX++|N/A|(?i:tbd|tba|tbc))(?![\w/])"
    r"|(?<=:)[ \t]*+(?:\?|…|\.{3})[ \t]*+$|\$X++\b|(?<![\w?!])\?{2,}+(?!\w)|_{3,}+"
    r"|\b(?:HH|hh|H|h):(?:MM|mm)(?::(?:SS|ss))?+\b|\b(?:YYYY|yyyy)-MM-DD\b"
    r"|\bX(?![\w\-])(?=[ \t]?+(?:%|percent\b|[a-z]{3,}))"
    r"|(?P<tbd>\bto[ \t]++be[ \t]++(?:determined|confirmed|"
    r"decided|announced|added|filled[ \t]++in))\b"
)
# "to be determined" is a slot when it stands for the value ("Root cause: to be determined",
# "(to be confirmed)", "- to be added"), not inside a sentence ("caused more pods to be added").
_SLOT_BEFORE = re.compile(r"(?:^|[:(\[—–\-|]|\bis|\bare)[ \t]*+(?:still[ \t]++)?+$", re.IGNORECASE)
_SLOT_AFTER = re.compile(r"^[ \t]*+(?:[.;)\]|,]|$)")
_CITATION = re.compile(r"m\d++(?:[ \t]*+,[ \t]*+m\d++)*+\\?+")
# Bracketed words that tools write and people paste: alert states, log levels, our own redaction
# marks ("[FIRING:1] HighErrorRate", "[ERROR]", "[REDACTED:password]").
_TAGS = frozenset(
    """firing resolved pending alerting nodata ok triggered acknowledged recovered trace debug
    info notice warn warning error err fatal critical crit alert emerg severe redacted""".split()
)
_TAG = re.compile(r"(?<![ \t])[ \t]*+(?P<word>[A-Za-z]++)(?::[^\]]*+)?+[ \t]*+")
_LIST_ITEM = re.compile(r"(?:^|\n)[ \t]*+(?:[-*+•]|\d{1,2}[.)])[ \t]*+$")


def _fills_a_slot(text: str, match: re.Match[str]) -> bool:
    """True unless a bracketed span is something other than a template slot: a citation, code
    (`config["db"]`), a checkbox ("[ ]", "[x]", "- [X]"), or an alert or log tag."""
    inside = match["inside"]
    if match["tbd"] is not None:
        before = text[max(0, match.start() - 24) : match.start()]
        return bool(_SLOT_BEFORE.search(before) and _SLOT_AFTER.match(text[match.end() :]))
    if inside is None:
        return True  # {{...}}, <...>, TBD, XX
    if not inside.strip() and not match.group(0).startswith("$"):
        return False  # "[ ]": an empty checkbox
    before = text[max(0, match.start() - 12) : match.start()]
    if _CITATION.fullmatch(inside.strip()):
        return False
    if before[-1:].isalnum() or before[-1:] in {"]", ")", '"', "'", "_"}:
        return False  # an index into code: this["api"], rows[0]
    if inside[:1] in {'"', "'"} and inside[-1:] == inside[:1]:
        return False  # ["api"]
    if inside == "x" or (inside == "X" and _LIST_ITEM.search(before)):
        return False  # a ticked checkbox
    tag = _TAG.fullmatch(inside)
    return not (tag and word_key(tag["word"]) in _TAGS)


def placeholders(text: str) -> list[str]:
    """Unfilled template slots written in `text`, in order."""
    return [m.group(0) for m in _PLACEHOLDER.finditer(text) if _fills_a_slot(text, m)]


def check_placeholders(ctx: ClaimContext) -> CheckResult:
    """A template slot left unfilled states nothing the chat could support (a quote of the
    cited messages' own "TBD" or "???" is no slot of the draft)."""
    quoted = " ".join(d.message.text for d in ctx.cited_docs)
    found = [p for p in placeholders(ctx.text) if p not in quoted]
    if not found:
        return CheckResult("placeholders", "skip")
    return CheckResult("placeholders", "unsupported", f"unfilled placeholder {', '.join(found)}")
