"""Secrets assigned to secret-sounding names: env lines, YAML, JSON, INI, CLI flags.

The names come from detect-secrets' KeywordDetector list (password, passwd, pwd, secret,
api_key, private_key, ...), which this module treats as *strong*: any real value assigned to
them is redacted. `token`, `credential` and `key` are *weak*: the value must also look
generated (letters and digits, detect-secrets' Shannon entropy over base64), because chat says
`max_tokens: 4096` and `cache_key: orders-v2` all day.

Environment-style names (`REDIS_AUTH`, `SLACK_SIGNING_SECRET`, `DD_APP_KEY`, `VAULT_TOKEN`)
are stronger evidence than lower-case config keys: a process reads them, and `*_AUTH`,
`*_TOKEN`, `*_SECRET` and `*_PASSWORD` hold the credential itself, so any real value goes;
`*_KEY` values go unless they read like an identifier (`SORT_KEY=created_at`).

The KeywordDetector's own value regex is not used: it runs to the end of the line and reports
one value per pattern per line, so in chat it would swallow whole sentences ("Secrets: we
rotated them at 14:00") and miss the second `-e NAME=value` of a `docker run` line.
"""

from __future__ import annotations

import re

from app.fold import word_key
from app.redact.library import SECRET_KEYWORDS, is_templated, is_uuid
from app.redact.spans import Span, any_gate
from app.redact.values import inside_url_or_arn, is_real_value, is_word, looks_generated

_WEAK_KEYWORDS = ("tokens?", "credentials?", "key")
_STRONG_EXTRA = (r"(?<=[_-])pass(?![a-z])", r"access[_-]?key", "passphrase")
_KEYWORDS = "|".join((*SECRET_KEYWORDS, *_STRONG_EXTRA, *_WEAK_KEYWORDS))
_QUOTED = r"\"[^\"\n]{0,1024}+\"|'[^'\n]{0,1024}+'|`[^`\n]{0,1024}+`"

_ASSIGNMENT = re.compile(
    rf"(?i)(?P<kw>{_KEYWORDS})(?P<tail>[\w.\-]{{0,60}}+)[\"'\]]{{0,2}}+"
    r"[ \t]*+(?P<op>:=|=>|==|=|:)[ \t]*+"
    rf"(?P<value>{_QUOTED}|[^\s\"'`;&]++)"
)
# NAME=value with an upper-case, environment-style name.
_ENV_ASSIGNMENT = re.compile(
    r"(?<![\w.\-$])(?P<key>[A-Z][A-Z0-9]*+(?:_[A-Z0-9]++)*+)[\"']?+[ \t]*+(?P<op>=|:)[ \t]*+"
    rf"(?P<value>{_QUOTED}|[^\s\"'`;&]++)"
)
_CLI_FLAG = re.compile(
    r"(?i)(?<![\w\-])--?+(?P<head>[\w\-]{0,40}?)"
    r"(?P<kw>passphrase|passcode|password|passwd|pass|secret|api-?key|access-?key|secret-?key"
    r"|token|credentials?)"
    r"(?P<tail>(?:[_\-][\w\-]{0,40}+)?+)(?![\w])"
    r"(?:[ \t]++|=)(?P<value>\"[^\"\n]{1,256}+\"|'[^'\n]{1,256}+'|[^\s\"'\-|;&][^\s\"'|;&]{0,255}+)"
)
# Kubernetes env entries and ECS/compose JSON: `- name: DB_PASSWORD` then `value: "..."`.
_NAME_VALUE = re.compile(
    r"(?i)[\"']?+name[\"']?+[ \t]*+:[ \t]*+[\"']?+(?P<key>[\w.\-]{1,128}+)[\"']?+[ \t]*+"
    r"(?:,|\n)[ \t\-]*+[\"']?+value[\"']?+[ \t]*+:[ \t]*+"
    r"(?P<value>\"[^\"\n]{0,1024}+\"|'[^'\n]{0,1024}+'|[^\s\"',}]++)"
)
_SECRET_NAME = re.compile(rf"(?i){_KEYWORDS}")
# Every keyword above contains one of these: text without them skips the regexes.
_KEYWORD_GATES = ("key", "pass", "pwd", "secret", "contrase", "token", "credential")
_CALL = re.compile(r"(?<![\w.])[A-Za-z_][\w.]*+[(\[]")
# camelCase and ACRONYMWords split into words ("HTTPServer" -> HTTP, Server); each uppercase run
# is taken letter by letter, so a start never fails and rescans (linear on "AAAA...x").
_WORDS = re.compile(r"[A-Z]?+[a-z]++|[A-Z](?:[A-Z](?![a-z]))*+|\d++")
_NON_LETTERS = re.compile(r"[^a-z]++")
_YAML_COMMENT = re.compile(r"(?<![ \t])[ \t]++#")
_SENTENCE_AFTER = re.compile(r"(?<![ \t])[ \t]++[^\W\d_]")
_BYTES_AFTER = re.compile(r"(?<![ \t])[ \t]++bytes")
_IDENTIFIER = re.compile(r"(?<![\w.:/\-])[a-z][a-z0-9]*+(?:[_.:/\-][a-z0-9]++)++")
# `settings.SECRET_KEY`, `self.password`, `config.db.token`: an attribute, not a value.
_ATTRIBUTE = re.compile(r"(?<![\w.])[A-Za-z_]\w*+(?:\.[A-Za-z_]\w*+)++")
# A file path: absolute or relative to home or here, lower-case segments, or a key file name.
_FILE_PATH = re.compile(
    r"(?<!\S)(?:(?:~|\.{1,2})?+/\S*+"
    r"|[a-z0-9_.\-]++(?:/[a-z0-9_.\-]++)++"
    r"|[\w\-]++\.(?:json|pem|key|txt|p12|pfx|crt|cer|yaml|yml|env|conf|cfg|ini|gpg|asc))"
)
# Values of a secret flag that say where the secret is, not what it is (openssl, buildx).
_SOURCE_PREFIXES = ("pass:", "env:", "file:", "fd:", "stdin", "id=", "type=", "src=")

# A name ending in one of these words points at or describes a secret without holding it:
# secretName, password_file, token_ttl, PASSWORD_MIN_LENGTH, secretKeyRef, secret_arn.
_NOT_A_VALUE = frozenset(
    """name names ref refs file files path dir id ids arn url uri endpoint host length len ttl
    policy version enabled disabled type kind count age expiry expires expiration required reset
    source provider manager mount selector min max rotation format at date time change changed
    updated rotated env var field prompt hint label header param location store backend mode
    strategy algorithm size bytes limit timeout retries attempts error errors status valid exists
    usage used stdin stdout cmd command script helper prefix suffix pattern regex template
    class fingerprint alias bucket less protected only""".split()
)
_PASSWORD_WORDS = ("pass", "pwd", "contrase")
# A word right before the secret word that makes the name something else: a public key, a
# page token, the name of an existing Secret object, a cache or sort key.
_NOT_SECRET_HEADS = frozenset(
    """public pub page next prev previous pagination continuation cursor sync resume cache sort
    partition primary foreign idempotency request trace correlation lock dedup existing csrf
    xsrf pull mountable""".split()
)
_SERVICE_PREFIXES = (
    (("pg", "postgres"), "postgres"),
    (("mysql", "mariadb"), "mysql"),
    (("redis",), "redis"),
    (("mongo",), "mongodb"),
    (("rabbit", "amqp"), "amqp"),
)
# The last word of an environment-style name that makes it hold a secret, and how sure that is.
_ENV_SECRET_WORDS = {
    "PASSWORD": "password",
    "PASSWD": "password",
    "PASS": "password",
    "PWD": "password",
    "PASSPHRASE": "password",
    "AUTH": "auth",
    "TOKEN": "token",
    "SECRET": "secret",
    "CREDENTIALS": "secret",
    "CREDS": "secret",
    "APIKEY": "key",
    "KEY": "key",
}
# Words that may follow the secret word without changing what the name holds (`API_KEY_PROD`);
# any other word describes the secret instead (`TOKEN_TTL`, `TOKEN_BUCKET_RATE`, `KEY_ID`).
_ENV_QUALIFIERS = frozenset(
    "PROD PRODUCTION STAGING STG DEV DEVELOPMENT TEST QA UAT LIVE SANDBOX PRIMARY SECONDARY "
    "BACKUP OLD NEW NEXT PREVIOUS CURRENT V1 V2 V3 B64 BASE64 VALUE RAW".split()
)
# Values of `*_AUTH` that name a mechanism, not a credential.
_AUTH_MECHANISMS = frozenset(
    "basic bearer digest none oauth oauth2 oidc jwt ntlm kerberos ldap saml token apikey iam "
    "mtls tls sasl scram md5 trust password enabled disabled on off plain login".split()
)


def _key_start(text: str, pos: int) -> int:
    """Where the name containing the keyword begins (`DB_` in `DB_PASSWORD`)."""
    limit = max(0, pos - 128)
    while pos > limit and (text[pos - 1].isalnum() or text[pos - 1] in "_.-"):
        pos -= 1
    return pos


def _describes_not_holds(tail: str, keyword: str = "") -> bool:
    words = [word.lower() for word in _WORDS.findall(tail)]
    if not words:
        return False
    if words[0] == "less":
        return True  # passwordless
    if words[-1] == "key" and keyword.lower().startswith(("pass", "pwd")):
        return True  # adminPasswordKey: the key under which a password is stored
    return words[-1] in _NOT_A_VALUE


def _has_other_head(text: str, keyword_start: int) -> bool:
    """The word right before the keyword (in the name, or one space before it: "public key")
    is one of `_NOT_SECRET_HEADS`."""
    chunk = text[max(0, keyword_start - 40) : keyword_start]
    if chunk[-1:] in (" ", "_", ".", "-"):
        chunk = chunk[:-1]
    words = _WORDS.findall(chunk)
    return bool(words) and chunk.endswith(words[-1]) and words[-1].lower() in _NOT_SECRET_HEADS


def _is_key_id(key: str) -> bool:
    """`private_key_id` of a service-account JSON: it names the key pair, so it goes too."""
    return _NON_LETTERS.sub("", key.lower()).endswith("privatekeyid")


def _kind_and_label(key: str, keyword: str) -> tuple[str, str]:
    compact = _NON_LETTERS.sub("", key.lower())
    keyword = keyword.lower()
    if compact.endswith("privatekeyid"):
        return "private-key-id", "key-id"
    if ("aws" in compact and "secret" in compact) or "secretaccesskey" in compact:
        return "aws-secret-key", "aws-secret-key"
    if compact.endswith("accountkey") or "sharedaccess" in compact:
        return "azure-storage-key", "azure-storage-key"
    if any(word in keyword for word in _PASSWORD_WORDS):
        for prefixes, service in _SERVICE_PREFIXES:
            if compact.startswith(prefixes):
                return f"{service}-password", "password"
        return "password", "password"
    if "priv" in keyword:
        return "private-key", "private-key"
    if keyword.startswith(("api", "auth", "service", "client", "account", "db", "database")):
        return "api-key", "api-key"
    if keyword.startswith("token"):
        return "token", "token"
    if keyword.startswith("credential"):
        return "credential", "secret"
    return "secret", "secret"


def _is_weak(keyword: str) -> bool:
    return keyword.lower() in ("token", "tokens", "credential", "credentials", "key")


def _value_bounds(text: str, match: re.Match[str], key_start: int) -> tuple[int, int] | None:
    """Start and end of the assigned value, or None when it is prose or a reference."""
    start, end = match.span("value")
    raw = match["value"]
    if not raw:
        return None
    if raw[0] in "\"'`":
        return start + 1, end - 1
    if is_templated(raw) or _CALL.match(raw) or _ATTRIBUTE.fullmatch(raw.rstrip(",;")):
        return None  # secret = get_secret() / os.environ["X"] / settings.SECRET_KEY
    line_start = text.rfind("\n", max(0, key_start - 256), key_start) + 1
    indent = text[line_start:key_start] if key_start - line_start < 256 else "x"
    if match["op"] == ":" and indent and not indent.strip(" \t-"):
        # An indented YAML line: the value is the rest of the line, spaces included.
        line_end = text.find("\n", end, end + 1024)
        line = text[start : min(len(text), end + 1024) if line_end == -1 else line_end]
        comment = _YAML_COMMENT.search(line)
        line = (line[: comment.start()] if comment else line).rstrip()
        return start, start + len(line)
    if match["op"] == ":" and raw.isalpha() and _SENTENCE_AFTER.match(text, end):
        return None  # "Password: reset it from the console" is a sentence, not a config line
    if raw.isdigit() and _BYTES_AFTER.match(text, end):
        return None  # kubectl describe secret: "password:  16 bytes"
    value = raw.rstrip(",)}].")
    return start, start + len(value)


def _name_value_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    for match in _NAME_VALUE.finditer(text):
        key = match["key"]
        keyword = _SECRET_NAME.search(key)
        if keyword is None or _describes_not_holds(key[keyword.end() :], keyword.group()):
            continue
        start, end = match.span("value")
        if match["value"][0] in "\"'":
            start, end = start + 1, end - 1
        value = text[start:end]
        if not is_real_value(value) or (
            _is_weak(keyword.group()) and not looks_generated(value, keyword.group())
        ):
            continue
        kind, label = _kind_and_label(key, keyword.group())
        spans.append(Span(start, end, kind, label))
    return spans


def _env_value_holds_secret(strength: str, value: str) -> bool:
    if not is_real_value(value) or "://" in value or _FILE_PATH.fullmatch(value):
        return False
    if strength == "password":
        return not (value.isdigit() and len(value) < 4)
    if value.isdigit():
        return False
    if strength == "auth":
        return value.lower() not in _AUTH_MECHANISMS
    if strength == "key":
        return not (
            is_word(value)
            or _IDENTIFIER.fullmatch(value)
            or is_uuid(value)
            or value.startswith(("/", "~/", "./"))
        )
    return True


def _env_spans(text: str) -> list[Span]:
    """`NAME=value` / `NAME: value` where NAME is an environment-style secret name."""
    spans: list[Span] = []
    for match in _ENV_ASSIGNMENT.finditer(text):
        if match["key"] in ("PWD", "OLDPWD"):
            continue  # the shell's working directory
        words = match["key"].split("_")
        found = [i for i, word in enumerate(words) if word in _ENV_SECRET_WORDS]
        if not found:
            continue
        last = found[-1]
        if any(word not in _ENV_QUALIFIERS for word in words[last + 1 :]):
            continue
        if len(words) == 1 and match["op"] == ":":
            continue  # "AUTH: 401s everywhere" is a heading, not a setting
        start, end = match.span("value")
        if match["value"][:1] in "\"'`":
            start, end = start + 1, end - 1
        elif is_templated(match["value"]) or _CALL.match(match["value"]):
            continue
        value = text[start:end]
        strength = _ENV_SECRET_WORDS[words[last]]
        if not _env_value_holds_secret(strength, value):
            continue
        keyword = {"auth": "password" if _is_service_auth(words) else "secret"}.get(
            strength, words[last]
        )
        if strength == "key":
            keyword = "api_key" if "API" in words else "secret"
        kind, label = _kind_and_label(match["key"], keyword)
        spans.append(Span(start, end, kind, label))
    return spans


def _is_service_auth(words: list[str]) -> bool:
    compact = "".join(words).lower()
    return any(compact.startswith(prefixes) for prefixes, _ in _SERVICE_PREFIXES)


# The same flags as separate strings of an argument list: ["--requirepass", "X"]
_ARGV_FLAG = re.compile(
    r"(?i)[\"'](?P<flag>--?+[\w\-]{0,40}?(?:passphrase|password|passwd|pass|secret|api-?key"
    r"|token))[\"'][ \t]*+,[ \t]*+[\"'](?P<value>[^\"'\n]{1,256}+)[\"']"
)


def _flag_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    for match in _CLI_FLAG.finditer(text):
        if _describes_not_holds(match["tail"], match["kw"]):
            continue
        start, end = match.span("value")
        value = match["value"]
        if value[0] in "\"'":
            start, end, value = start + 1, end - 1, value[1:-1]
        if not is_real_value(value) or "://" in value or value.startswith(_SOURCE_PREFIXES):
            continue
        if _FILE_PATH.fullmatch(value):
            continue  # --credentials ./sa.json
        keyword = word_key(match["kw"])
        if value.isdigit() and not keyword.startswith("pass"):
            continue  # --max-token 4096
        kind, label = _kind_and_label(match["head"] + keyword, keyword)
        spans.append(Span(start, end, kind, label))
    if '",' in text or "'," in text:
        for match in _ARGV_FLAG.finditer(text):
            value = match["value"]
            if is_real_value(value) and not value.startswith("-"):
                kind, label = _kind_and_label(match["flag"], match["flag"].lstrip("-"))
                spans.append(Span(*match.span("value"), kind, label))
    return spans


_ANY_GATE = any_gate([(*_KEYWORD_GATES, "auth", "creds", "pw")])
_ANY_KEYWORD = any_gate([_KEYWORD_GATES])


def assignment_spans(text: str) -> list[Span]:
    """Values assigned to secret-sounding names, in any of the usual config syntaxes."""
    spans: list[Span] = []
    lowered = text.lower()
    if not _ANY_GATE.search(lowered):  # `mentions` of all the gates, in one scan
        return spans
    if _ANY_KEYWORD.search(lowered):
        for match in _ASSIGNMENT.finditer(text):
            key_start = _key_start(text, match.start())
            key = text[key_start : match.end("tail")]
            if key.lower() in ("pwd", "oldpwd"):
                continue
            if _describes_not_holds(match["tail"], match["kw"]) and not _is_key_id(key):
                continue
            if _has_other_head(text, match.start()):
                continue
            if inside_url_or_arn(text, key_start):
                continue
            bounds = _value_bounds(text, match, key_start)
            if bounds is None:
                continue
            value = text[bounds[0] : bounds[1]]
            if not is_real_value(value) or _FILE_PATH.fullmatch(value):
                continue  # `--from-file=password=./pw.txt` names a file
            if _is_key_id(key):
                kind, label = _kind_and_label(key, match["kw"])
                spans.append(Span(bounds[0], bounds[1], kind, label))
                continue
            if _is_weak(match["kw"]) and not looks_generated(value, match["kw"]):
                continue
            if word_key(match["tail"]) == "s" and (is_word(value) or _IDENTIFIER.fullmatch(value)):
                continue  # "secrets: db-creds" lists the names of Secret objects
            kind, label = _kind_and_label(key, match["kw"])
            spans.append(Span(bounds[0], bounds[1], kind, label))
        spans += _name_value_spans(text)
        spans += _flag_spans(text)
    spans += _env_spans(text)
    return spans
