"""Secrets in file formats with a layout of their own, where no `name = value` shows them.

- `.netrc`: `machine h login u password X` (on one line or several);
- `.pgpass`: `host:port:database:user:password`;
- Docker's `config.json`: `"auth": "<base64 user:password>"`;
- XML settings written as attributes: `<add key="ClearTextPassword" value="X" />`;
- PHP `define('DB_PASSWORD', 'X')`;
- SQL that sets a password: `CREATE USER ... IDENTIFIED BY 'X'`, `ALTER ROLE ... PASSWORD 'X'`,
  `SET PASSWORD FOR ... = 'X'`;
- stored password hashes that authenticate by themselves (pgbouncer's `md5...`/`SCRAM-SHA-256$`);
- HAProxy `stats auth user:X` and `userlist` `user u insecure-password X`;
- `.npmrc`: `//registry/:_authToken=X`, `_auth=<base64>`, `_password=<base64>`;
- XML elements named after a secret (`<password>X</password>`, Jenkins credentials);
- PHP `new PDO(dsn, user, 'X')` / `mysqli_connect(host, user, 'X')`;
- Kubernetes `.dockerconfigjson` / `.dockercfg` data (base64 registry credentials).
"""

from __future__ import annotations

import re

from app.redact.spans import Span, mentions
from app.redact.values import is_real_value

_QUOTED = r"""(?:'(?P<single>[^'\n]{1,256}+)'|"(?P<double>[^"\n]{1,256}+)")"""
_SECRET_WORDS = re.compile(r"(?i)pass(?:word|wd|phrase)?+|pwd|secret|token|api[_\-]?+key")

_NETRC = re.compile(
    r"(?<![\w\-])(?:login|user)[ \t\n]++\S{1,256}+[ \t\n]++password[ \t]++(?P<value>\S{1,256}+)"
)
_PGPASS = re.compile(
    r"(?m)^[\w.\-*]{1,253}+:(?:\d{1,5}+|\*):[\w.\-*]{1,63}+:[\w.\-*@]{1,63}+:"
    r"(?P<value>\S{1,256}+)$"
)
_DOCKER_AUTH = re.compile(r"\"auth\"[ \t]*+:[ \t]*+\"(?P<value>[A-Za-z0-9+/]{12,4096}+={0,2}+)\"")
_XML_KEY_VALUE = re.compile(
    r"(?i)(?:key|name)[ \t]*+=[ \t]*+[\"'](?P<key>[\w.:\-]{1,128}+)[\"'][ \t]++"
    r"value[ \t]*+=[ \t]*+" + _QUOTED
)
_PHP_DEFINE = re.compile(
    r"(?i)define[ \t]*+\([ \t]*+['\"](?P<key>[\w.\-]{1,128}+)['\"][ \t]*+,[ \t]*+" + _QUOTED
)
_SQL = re.compile(
    r"(?i)(?:\bidentified[ \t]++(?:with[ \t]++\w{1,64}+[ \t]++)?+by|\bpassword(?:[ \t]++for[ \t]++"
    r"[^\s=]{1,256}+[ \t]*+=)?+|\bset[ \t]++password[ \t]*+=)[ \t]*+" + _QUOTED
)
_PASSWORD_HASH = re.compile(
    r"[\"'](?P<value>md5[a-f0-9]{32}|SCRAM-SHA-256\$[A-Za-z0-9+/=:$]{20,512}+)[\"']"
)
_NPMRC_TOKEN = re.compile(
    r"(?<![\w\-])_authToken[ \t]*+[= \t][ \t]*+[\"']?+(?P<value>[^\s\"'$]{8,512}+)"
)
_NPMRC_AUTH = re.compile(
    r"(?<![\w\-])_(?:auth|password)[ \t]*+=[ \t]*+[\"']?+(?P<value>[A-Za-z0-9+/]{8,1024}+={0,2}+)"
)
# <password>X</password>, <apiKey>X</apiKey>: an XML element named after a secret
_XML_ELEMENT = re.compile(
    r"<(?P<tag>[\w:.\-]{0,64}?(?i:password|passwd|passphrase|secret|token|api[_\-]?key|pwd))>"
    r"(?P<value>[^<\n]{1,256}+)</(?P=tag)>"
)
# PDO / mysqli connections: the third argument is the password.
_DB_CONNECT = re.compile(
    r"(?i)(?:new[ \t]++PDO|new[ \t]++mysqli|mysqli_connect)[ \t]*+\([ \t]*+"
    r"(?:'[^'\n]{0,256}+'|\"[^\"\n]{0,256}+\")[ \t]*+,[ \t]*+"
    r"(?:'[^'\n]{0,128}+'|\"[^\"\n]{0,128}+\")[ \t]*+,[ \t]*+" + _QUOTED
)
# A Kubernetes image pull secret: the whole docker config, base64-encoded.
_DOCKER_CONFIG_DATA = re.compile(
    r"(?<![\w\-])\.docker(?:configjson|cfg)[\"']?+[ \t]*+:[ \t]*+[\"']?+"
    r"(?P<value>[A-Za-z0-9+/]{16,16384}+={0,2}+)"
)
_HAPROXY = re.compile(
    r"(?<![\w\-])(?:stats[ \t]++auth[ \t]++[^\s:]{1,64}+:|user[ \t]++\S{1,64}+[ \t]++"
    r"insecure-password[ \t]++)(?P<value>\S{1,256}+)"
)


def _quoted_span(match: re.Match[str]) -> tuple[int, int, str]:
    group = "single" if match["single"] is not None else "double"
    return match.start(group), match.end(group), match[group]


def _xml_label(tag: str) -> str:
    tag = tag.lower()
    if "pass" in tag or "pwd" in tag:
        return "password"
    return "token" if "token" in tag else "api-key" if "key" in tag else "secret"


def config_file_spans(text: str) -> list[Span]:
    """Passwords in the file formats listed above."""
    lowered = text.lower()
    spans: list[Span] = []
    if "machine" in lowered and "password" in lowered:
        for match in _NETRC.finditer(text):
            if is_real_value(match["value"]):
                spans.append(Span(*match.span("value"), "netrc-password", "password"))
    if text.count(":") >= 4:
        for match in _PGPASS.finditer(text):
            if is_real_value(match["value"]):
                spans.append(Span(*match.span("value"), "postgres-password", "password"))
    if '"auth"' in lowered:
        spans += [
            Span(*m.span("value"), "registry-auth", "secret") for m in _DOCKER_AUTH.finditer(text)
        ]
    if "value" in lowered and mentions(lowered, ("pass", "pwd", "secret", "token", "key")):
        for match in _XML_KEY_VALUE.finditer(text):
            start, end, value = _quoted_span(match)
            if _SECRET_WORDS.search(match["key"]) and is_real_value(value):
                spans.append(Span(start, end, "password", "password"))
    if "define" in lowered:
        for match in _PHP_DEFINE.finditer(text):
            start, end, value = _quoted_span(match)
            if _SECRET_WORDS.search(match["key"]) and is_real_value(value):
                spans.append(Span(start, end, "password", "password"))
    if mentions(lowered, ("identified", "password")):
        for match in _SQL.finditer(text):
            start, end, value = _quoted_span(match)
            if is_real_value(value):
                spans.append(Span(start, end, "sql-password", "password"))
    if "md5" in lowered or "scram-sha-256$" in lowered:
        spans += [
            Span(*m.span("value"), "password-hash", "password")
            for m in _PASSWORD_HASH.finditer(text)
        ]
    if "</" in text:
        for match in _XML_ELEMENT.finditer(text):
            if is_real_value(match["value"]):
                spans.append(Span(*match.span("value"), "xml-secret", _xml_label(match["tag"])))
    if "pdo" in lowered or "mysqli" in lowered:
        for match in _DB_CONNECT.finditer(text):
            start, end, value = _quoted_span(match)
            if is_real_value(value):
                spans.append(Span(start, end, "db-password", "password"))
    if ".docker" in lowered:
        spans += [
            Span(*m.span("value"), "registry-auth", "secret")
            for m in _DOCKER_CONFIG_DATA.finditer(text)
        ]
    if "_authtoken" in lowered:
        for match in _NPMRC_TOKEN.finditer(text):
            if is_real_value(match["value"]):
                spans.append(Span(*match.span("value"), "npm-token", "npm-token"))
    if "_auth" in lowered or "_password" in lowered:
        spans += [Span(*m.span("value"), "npm-auth", "secret") for m in _NPMRC_AUTH.finditer(text)]
    if mentions(lowered, ("stats auth", "insecure-password")):
        for match in _HAPROXY.finditer(text):
            if is_real_value(match["value"]):
                spans.append(Span(*match.span("value"), "haproxy-password", "password"))
    return spans
