"""Own patterns for what detect-secrets does not cover, or covers in a way chat cannot use.

- private-key blocks across lines (detect-secrets only flags the BEGIN line, the key body
  would stay);
- credentials in URLs and DSNs, keeping scheme, user, host, port and database;
- `Authorization:` headers, bare `Bearer <token>`, `curl -u user:pass`, `requirepass`;
- signature and token parameters in URL query strings;
- newer provider formats (fine-grained GitHub PATs, `npm_` tokens outside `.npmrc`,
  `sk-proj-`/`sk-ant-` keys, Stripe test and restricted keys, Google API keys, Slack app tokens).
"""

from __future__ import annotations

import re

from app.redact.library import private_key_headers
from app.redact.spans import Span, is_placeholder_text, mentions

_KEY_BLOCK = re.compile(
    r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----"
    r".*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\Z)",
    re.DOTALL,
)

# scheme://user:password@host — the password may itself hold '@' (pasted unescaped), so it
# runs to the last '@' before the path.
_URL_CREDENTIALS = re.compile(
    r"\b(?P<scheme>[a-zA-Z][a-zA-Z0-9+.\-]{1,20})://"
    r"(?P<user>[^\s:/?#@\[\]\"'<>]*):(?P<password>[^\s/?#\"'<>]+)@(?=[\w\[])"
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

_AUTH_HEADER = re.compile(
    r"(?i)\b(?:proxy-)?authorization[\"']?[ \t]*[:=][ \t]*[\"']?"
    r"(?:(?P<scheme>bearer|basic|token|digest|negotiate|apikey|sso-key)[ \t]+)?"
    r"(?P<value>[^\s\"',;]+)"
)
_BEARER = re.compile(r"(?<![\w-])[Bb]earer[ \t]+(?P<value>[A-Za-z0-9\-._~+/]{12,}=*)")
_CURL_USER = re.compile(
    r"(?<![\w-])(?:-u|--user)[ \t]+[\"']?[^\s:\"']+:(?P<value>[^\s\"']+?)[\"']?(?=\s|$)"
)
_REDIS_PASS = re.compile(
    r"(?im)(?:^[ \t]*(?:requirepass|masterauth)|(?<![\w-])redis-cli\b[^\n]{0,300}?[ \t]-a)"
    r"[ \t]+[\"']?(?P<value>[^\s\"']+)"
)
_QUERY_SECRET = re.compile(
    r"(?i)(?:(?<=[?&])(?:access_token|refresh_token|id_token|token|api_?key|key|client_secret"
    r"|auth|sig)|(?<![\w-])(?:x-amz-signature|x-amz-security-token|x-amz-credential|signature))"
    r"=(?P<value>[^&\s#\"',;<>]{6,})"
)

# (pattern, kind, literal part that any match contains, lower case)
_PROVIDER_PATTERNS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"\bgithub_pat_[A-Za-z0-9_]{22,}"), "github-token", "github_pat_"),
    (re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}"), "github-token", "gh"),
    (re.compile(r"\bnpm_[A-Za-z0-9]{36}\b"), "npm-token", "npm_"),
    (re.compile(r"\bsk-ant-[A-Za-z0-9_\-]{20,}"), "anthropic-key", "sk-ant-"),
    (re.compile(r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{32,}"), "openai-key", "sk-"),
    (re.compile(r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}"), "stripe-key", "k_"),
    (re.compile(r"\bwhsec_[A-Za-z0-9]{24,}"), "stripe-key", "whsec_"),
    (re.compile(r"\bAIza[0-9A-Za-z_\-]{35}"), "google-api-key", "aiza"),
    (re.compile(r"\bxapp-\d-[A-Za-z0-9\-]{20,}"), "slack-token", "xapp-"),
    (re.compile(r"\bSG\.[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,}"), "sendgrid-key", "sg."),
    (re.compile(r"\bhv[sb]\.[A-Za-z0-9_\-]{20,}"), "vault-token", "hv"),
)


def _mixed(value: str) -> bool:
    """Looks machine-made: letters and digits, or both letter cases, not a plain word."""
    has_digit = any(c.isdigit() for c in value)
    has_upper = any(c.isupper() for c in value)
    has_lower = any(c.islower() for c in value)
    return (has_digit and (has_upper or has_lower)) or (has_upper and has_lower)


def _random_looking(value: str) -> bool:
    """Upper case, lower case and digits together: generated, not a name or a slug."""
    return (
        any(c.isdigit() for c in value)
        and any(c.isupper() for c in value)
        and any(c.islower() for c in value)
    )


def private_key_spans(text: str) -> list[Span]:
    """Whole private-key blocks, multi-line or with escaped `\\n` as in service-account JSON.

    A header with no END (a truncated paste) redacts to the end of the message.
    """
    if "PRIVATE KEY" not in text and "PuTTY" not in text:
        return []
    spans = [
        Span(m.start(), m.end(), "private-key", "private-key") for m in _KEY_BLOCK.finditer(text)
    ]
    for offset in private_key_headers(text):
        if not any(span.start <= offset < span.end for span in spans):
            start = text.rfind("-----BEGIN", 0, offset + 1)
            start = start if start != -1 and offset - start < 20 else offset
            spans.append(Span(start, len(text), "private-key", "private-key"))
    return spans


def url_credential_spans(text: str) -> list[Span]:
    """The password in `scheme://user:password@host`; everything else in the URL stays."""
    spans: list[Span] = []
    if "://" not in text or "@" not in text:
        return spans
    for match in _URL_CREDENTIALS.finditer(text):
        password = match["password"]
        if not password or is_placeholder_text(password) or password.startswith(("${", "$", "<")):
            continue
        scheme = _SCHEME_KIND.get(match["scheme"].lower(), "url")
        spans.append(
            Span(match.start("password"), match.end("password"), f"{scheme}-password", "password")
        )
    return spans


def _header_matches(text: str) -> list[tuple[re.Match[str], str, str]]:
    lowered = text.lower()
    found: list[tuple[re.Match[str], str, str]] = []
    if "authorization" in lowered:
        for match in _AUTH_HEADER.finditer(text):
            scheme = (match["scheme"] or "").lower()
            label = {"bearer": "bearer-token", "basic": "basic-auth"}.get(scheme, "authorization")
            found.append((match, label, label))
    if "earer" in lowered:
        found += [(m, "bearer-token", "bearer-token") for m in _BEARER.finditer(text)]
    if "-u" in lowered:
        found += [(m, "basic-auth-password", "password") for m in _CURL_USER.finditer(text)]
    if mentions(lowered, ("requirepass", "masterauth", "redis-cli")):
        found += [(m, "redis-password", "password") for m in _REDIS_PASS.finditer(text)]
    if mentions(lowered, ("?", "&", "signature", "x-amz-")):
        found += [(m, "url-token", "token") for m in _QUERY_SECRET.finditer(text)]
    return found


def header_spans(text: str) -> list[Span]:
    """Authorization headers, bare bearer tokens, `curl -u`, Redis passwords, URL signatures."""
    spans: list[Span] = []
    for match, kind, label in _header_matches(text):
        value = match["value"]
        if is_placeholder_text(value) or value.startswith("$"):
            continue
        if match.re is _BEARER and not _mixed(value):
            continue  # "Bearer tokens were rejected"
        spans.append(Span(match.start("value"), match.end("value"), kind, label))
    return spans


def provider_pattern_spans(text: str) -> list[Span]:
    """Token formats detect-secrets 1.5 does not know."""
    spans: list[Span] = []
    lowered = text.lower()
    for pattern, kind, gate in _PROVIDER_PATTERNS:
        if gate not in lowered:
            continue
        for match in pattern.finditer(text):
            if kind in ("openai-key", "anthropic-key") and not _random_looking(match.group()):
                continue  # `sk-` + a long lowercase slug is a name, not a key
            spans.append(Span(match.start(), match.end(), kind, kind))
    return spans
