"""Credentials inside URLs and DSNs, and webhook URLs that are credentials themselves.

- `scheme://user:password@host`: only the password goes, so the scheme, user, host, port and
  database stay readable (`postgres://app:[REDACTED:password]@db:5432/orders`). Pasted
  passwords are often not percent-encoded, so the password may hold `@`, `#`, `/`, `?` and
  `:`; the separating `@` is the last one in the URL that is followed by a host and is not
  inside the query string (`?email=a@b.com` keeps its `@`).
- Go's MySQL DSN `user:password@tcp(host:3306)/db`.
- Slack, Discord, Microsoft Teams, Zapier and Mattermost incoming webhooks: the URL is the
  secret (anyone holding it can post), so the whole URL goes.
"""

from __future__ import annotations

import re

from app.fold import word_key
from app.redact.spans import Span
from app.redact.values import is_real_value

_URL_START = re.compile(
    r"(?<![A-Za-z0-9+.\-])(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]{0,30}+)://"
    r"(?P<user>[^\s:/?#\[\]\"'<>`]{0,256}+):"
)
# The rest of the URL: it ends at whitespace, a quote or an angle bracket.
_URL_REST = re.compile(r"[^\s\"'<>`]{1,1024}+")
# An `@` that can end the credentials: a host name or an IPv6 literal, then the end of the
# authority (port, path, query, fragment, another host of a replica set) or of the URL.
_AT_HOST = re.compile(r"@(?:\[[0-9A-Fa-f:.]{2,64}+\]|[\w\-]++(?:\.[\w\-]++)*+)(?=[:/?#,;)]|$)")
_QUERY = re.compile(r"\?[^=&#?]*+=")
_PORT_THEN_PATH = re.compile(r"\d{1,5}+[/?#]")
_GO_DSN = re.compile(
    r"(?<![\w.\-/:])(?P<user>[\w.\-]{1,64}+):(?P<password>\S{1,256}?)@(?:tcp|unix|udp)\("
)
_SCHEME_KIND = {
    "postgres": "postgres",
    "postgresql": "postgres",
    "mysql": "mysql",
    "mariadb": "mysql",
    "mongodb": "mongodb",
    "mongodb+srv": "mongodb",
    "redis": "redis",
    "rediss": "redis",
    "amqp": "amqp",
    "amqps": "amqp",
    "mssql": "mssql",
    "sqlserver": "mssql",
    "ftp": "ftp",
    "sftp": "ftp",
    "smtp": "smtp",
    "smtps": "smtp",
    "ldap": "ldap",
    "ldaps": "ldap",
}

# (pattern, kind, literal part every match contains, lower case)
_WEBHOOKS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(
            r"(?:https?://)?+hooks\.slack\.com/(?:services|workflows|triggers)/"
            r"[A-Za-z0-9_\-]++(?:/[A-Za-z0-9_\-]++){1,4}+"
        ),
        "slack-webhook",
        "hooks.slack.com",
    ),
    (
        re.compile(
            r"(?:https?://)?+(?:(?:ptb|canary)\.)?+discord(?:app)?+\.com/api(?:/v\d{1,2}+)?+"
            r"/webhooks/\d{5,30}+/[A-Za-z0-9_\-]{20,200}+"
        ),
        "discord-webhook",
        "/webhooks/",
    ),
    (
        re.compile(
            r"(?:https?://)?+(?:(?<![\w\-])[\w\-]{1,64}+\.webhook\.office\.com/webhookb2"
            r"|outlook\.office(?:365)?+\.com/webhook)/[A-Za-z0-9@/_\-]{20,400}+"
        ),
        "teams-webhook",
        "office",
    ),
    (
        re.compile(
            r"(?:https?://)?+hooks\.zapier\.com/hooks/catch/\d{1,20}+/[A-Za-z0-9]{4,40}+/?+"
        ),
        "zapier-webhook",
        "hooks.zapier.com",
    ),
    (
        re.compile(r"(?<=/hooks/)[a-z0-9]{26}(?![A-Za-z0-9])"),
        "mattermost-webhook",
        "/hooks/",
    ),
)


def _separator(rest: str) -> int | None:
    """Offset in `rest` (what follows `user:`) of the `@` that ends the password."""
    candidates = [m.start() for m in _AT_HOST.finditer(rest)]
    if not candidates:
        return None
    if _PORT_THEN_PATH.match(rest, 0, candidates[0]):
        return None  # host:8443/path?email=a@b.com: a port, then a path, not a password
    query = _QUERY.search(rest, candidates[0])
    if query is not None:
        candidates = [c for c in candidates if c < query.start()]
    return candidates[-1]


def url_credential_spans(text: str) -> list[Span]:
    """The password in `scheme://user:password@host` and `user:password@tcp(host)`."""
    spans: list[Span] = []
    if "@" not in text:
        return spans
    if "://" in text:
        for match in _URL_START.finditer(text):
            rest = _URL_REST.match(text, match.end())
            if rest is None or "@" not in rest.group():
                continue
            at = _separator(rest.group())
            if at is None:
                continue
            start, end = match.end(), match.end() + at
            password = text[start:end]
            if not is_real_value(password) or password.startswith(("$", "<", "{{")):
                continue
            scheme = _SCHEME_KIND.get(word_key(match["scheme"]), "url")
            spans.append(Span(start, end, f"{scheme}-password", "password"))
    if "@tcp(" in text or "@unix(" in text or "@udp(" in text:
        for match in _GO_DSN.finditer(text):
            if is_real_value(match["password"]):
                start, end = match.span("password")
                spans.append(Span(start, end, "mysql-password", "password"))
    return spans


def webhook_spans(text: str) -> list[Span]:
    """Incoming-webhook URLs of chat services (Slack, Discord, Teams, Zapier, Mattermost)."""
    lowered = text.lower()
    spans: list[Span] = []
    for pattern, kind, gate in _WEBHOOKS:
        if gate in lowered:
            spans += [Span(m.start(), m.end(), kind, kind) for m in pattern.finditer(text)]
    return spans
