"""Secrets stated in sentences: "the password for root is X", "log in with ops@example.com / X".

Each phrase family below names how sure its wording is, and `values.py` then decides from the
value whether a secret was stated ("the password is expired" states none). Families:

- stated: a password word, an optional "for root" / "on grafana", then is/was/:/=/->/"changed
  to", then the value ("admin pw on grafana is X", "password -> X", "pw is X");
- set: "set/changed/reset/rotated the (root) password (for X) to X";
- with: "with/using/use password X"; as-the: "try `X` as the password";
- login: "log in / sign in / ssh / connect with|as USER / X" and "creds (are|:) USER / X";
- user-pass: "username admin password X", "user: admin, pass: X";
- pass: "pass: X" / "pass=X" (lower or capitalised only: `PASS:` heads test results);
- named secret: "the (client) secret is X", and "the token / api key / access key is X" for
  generated-looking values only (a bare "key" names too much: "the cache key is ...").

Every pattern starts at a word boundary, is gated by literal words it must contain and uses
possessive or bounded repeats, so a sentence is scanned in linear time.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from app.fold import word_key
from app.redact.spans import Span, any_gate, mentions
from app.redact.values import (
    coded_password,
    inside_url_or_arn,
    is_real_value,
    looks_generated,
    paired_password,
    stated_password,
)

_VALUE = r"""(?P<value>"[^"\n]{1,128}+"|'[^'\n]{1,128}+'|`[^`\n]{1,128}+`|[^\s"'`]{1,128}+)"""
_PASSWORD_WORD = r"(?:pass(?:word|wd|phrase|code)|pass[ \t]word|pwd|pw|pword)"
# "for root", "on grafana", "for the `deploy` user", "of ops@example.com", "for the door panel"
_NAME = r"[`'\"]?+[\w@.\-/]{1,64}+[`'\"]?+"
_NOT_VERB = (
    r"(?!(?:is|was|are|now|should|will|has|have|became|becomes|changed|set|reset|rotated"
    r"|updated|moved|got|gets|been|to|as)(?![\w\-])|[\-=]>|[=:])"
)
_QUALIFIER = (
    rf"(?:[ \t]++(?:for|of|on|at)[ \t]++(?:the[ \t]++)?+{_NAME}"
    rf"(?:[ \t]++{_NOT_VERB}{_NAME})?+){{0,2}}+"
)
_CHANGED_TO = (
    r"(?:(?:has[ \t]++been|have[ \t]++been|was|were|is|got|been|gets)[ \t]++)?+"
    r"(?:changed|set|reset|rotated|updated|moved)[ \t]++to"
)
_ADVERB = r"(?:[ \t]++(?:now|still|currently|just|literally|simply|actually|temporarily|also))?+"
_VERB = (
    rf"(?P<verb>{_CHANGED_TO}|should[ \t]++be|will[ \t]++be|is|was|are|became|becomes|now"
    rf"|:|=|->|=>|→){_ADVERB}"
)

_STATED = re.compile(
    rf"(?i)(?<![\w\-]){_PASSWORD_WORD}(?![\w\-]){_QUALIFIER}[ \t]*+{_VERB}[ \t]*+{_VALUE}"
)
_SET = re.compile(
    r"(?i)(?<![\w\-])(?:set|setting|changed?|changing|reset|resetting|rotated?|rotating"
    r"|updated?|updating)[ \t]++"
    r"(?:(?:the|his|her|their|my|our|its|a|new)[ \t]++){0,2}+"
    r"(?:[\w@.\-]{1,40}+[ \t]++){0,2}?"
    rf"{_PASSWORD_WORD}(?![\w\-]){_QUALIFIER}"
    rf"[ \t]++(?:to|=|->|as)[ \t]++(?:be[ \t]++)?+{_VALUE}"
)
_WITH = re.compile(
    rf"(?i)(?<![\w\-])(?:with|using|via|use)[ \t]++(?:the[ \t]++)?+{_PASSWORD_WORD}(?![\w\-])"
    rf"[ \t]*+[:=]?+[ \t]*+{_VALUE}"
)
# "try `hunter2!` as the password", "use admin as the new password"
_AS_THE = re.compile(
    rf"(?i)(?<![\w\-])(?:try|tried|trying|use|used|using|set)[ \t]++{_VALUE}[ \t]++as[ \t]++"
    rf"(?:(?:the|a|your|his|her|their|our|new)[ \t]++){{0,2}}+{_PASSWORD_WORD}(?![\w\-])"
)
_USER = r"(?P<user>[\w.+\-]{1,64}+(?:@[\w.\-]{1,128}+)?+)"
_LOGIN = re.compile(
    r"(?i)(?<![\w\-])(?:log(?:ging|ged)?+[ \t]?+in|login|logon|sign(?:ed|ing)?+[ \t]?+in|signin"
    r"|auth(?:enticated?|enticates|enticating)?+|connect(?:ed|ing)?+|ssh)[ \t]++"
    rf"(?:with|as|using)[ \t]++{_USER}[ \t]*+(?:/|:|\|)[ \t]*+{_VALUE}"
)
_CREDS = re.compile(
    r"(?i)(?<![\w\-])(?:creds|credentials|logins?|user/pass(?:word)?+|username/password|u/p)"
    r"[ \t]*+(?:(?:are|is|were|for[ \t]++[\w.\-]{1,64}+)[ \t]*+)?+[:=]?+[ \t]*+"
    rf"{_USER}[ \t]*+(?:/|:|\|)[ \t]*+{_VALUE}"
)
_USER_PASS = re.compile(
    r"(?i)(?<![\w\-])(?:user(?:name)?+|login|uid|account)[ \t]*+[:=]?+[ \t]*+[\w.+@\-]{1,128}+"
    rf"[ \t]*+[,;/]?+[ \t]*+(?:and[ \t]++)?+(?:{_PASSWORD_WORD}|pass)(?![\w\-])"
    rf"[ \t]*+[:=]?+[ \t]*+{_VALUE}"
)
_PASS = re.compile(rf"(?<![\w\-])[Pp]ass[ \t]*+[:=][ \t]*+{_VALUE}")
_NAMED_SECRET = re.compile(
    r"(?i)(?<![\w\-])(?P<name>client[ \t_\-]secret|secret(?:[ \t_\-]key)?+|api[ \t_\-]?+key"
    r"|access[ \t_\-]key|token)(?![\w\-])"
    rf"{_QUALIFIER}[ \t]*+{_VERB}[ \t]*+{_VALUE}"
)

# A number followed by one of these is a length or a count, not a PIN.
_UNITS = re.compile(
    r"(?<![ \t])[ \t]++(?:chars?|characters|bytes|digits|long|days?|hours?|minutes?|weeks?|months?"
    r"|years?|times|attempts|tries|retries|errors|failures|users|accounts)\b",
    re.IGNORECASE,
)
_TRAILING = ".,;:)]}>"
# After `=` or `:` the value is config-like: it ends where the next setting starts.
_SETTING_END = re.compile(r"[;&,]")
_CALL = re.compile(r"(?<![\w.])[A-Za-z_][\w.]*+[(\[]")
_ATTRIBUTE = re.compile(r"(?<![\w.])[A-Za-z_]\w*+(?:\.[A-Za-z_]\w*+)++")

_Check = Callable[[str, bool], bool]


def _value(text: str, match: re.Match[str]) -> tuple[int, int, str, bool] | None:
    """Bounds of the value (inside quotes; without a sentence's closing punctuation)."""
    start, end = match.span("value")
    raw = match["value"]
    if raw[0] in "\"'`":
        return start + 1, end - 1, raw[1:-1], True
    if not is_real_value(raw) or _CALL.match(raw) or _ATTRIBUTE.fullmatch(raw):
        return None  # "password: <your-password>", "= get_secret('db')", "= settings.KEY"
    if inside_url_or_arn(text, match.start()):
        return None
    before = text[max(0, start - 8) : start].rstrip(" \t")
    if before.endswith(("=", ":")):
        cut = _SETTING_END.search(text, start, end)
        end = cut.start() if cut else end
    while end - start > 1 and text[end - 1] in _TRAILING:
        end -= 1
    if end <= start:
        return None
    return start, end, text[start:end], False


def _generated(value: str, quoted: bool) -> bool:
    return paired_password(value, quoted) and looks_generated(value, "token")


_FAMILIES: tuple[tuple[re.Pattern[str], tuple[str, ...], _Check], ...] = (
    (_STATED, ("pass", "pw"), stated_password),
    (_SET, ("pass", "pw"), stated_password),
    (_WITH, ("pass", "pw"), paired_password),
    (_AS_THE, ("pass", "pw"), stated_password),
    (_LOGIN, ("log", "sign", "auth", "connect", "ssh"), paired_password),
    (_CREDS, ("cred", "login", "user/", "u/p", "username/"), paired_password),
    (_USER_PASS, ("pass", "pw"), paired_password),
    (_PASS, ("pass",), coded_password),
)


_ANY_FAMILY = any_gate(gates for _, gates, _ in _FAMILIES)


def prose_spans(text: str) -> list[Span]:
    """Passwords and secrets stated in sentences."""
    lowered = text.lower()
    spans: list[Span] = []
    families = _FAMILIES if _ANY_FAMILY.search(lowered) else ()
    for pattern, gates, check in families:
        if not mentions(lowered, gates):
            continue
        for match in pattern.finditer(text):
            found = _value(text, match)
            if found is None:
                continue
            start, end, value, quoted = found
            if not check(value, quoted):
                continue
            if value.isdigit() and _UNITS.match(text, end):
                continue  # "the password is 16 characters"
            spans.append(Span(start, end, "password", "password"))
    if mentions(lowered, ("secret", "token", "key")):
        for match in _NAMED_SECRET.finditer(text):
            found = _value(text, match)
            if found is None:
                continue
            start, end, value, quoted = found
            name = word_key(match["name"])
            if "secret" in name:
                if paired_password(value, quoted):
                    spans.append(Span(start, end, "secret", "secret"))
            elif _generated(value, quoted):
                label = "token" if name == "token" else "api-key"
                spans.append(Span(start, end, label, label))
    return spans
