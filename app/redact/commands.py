"""Passwords given to command-line tools through their own flags and arguments.

Long flags named after a secret (`--password X`, `--token=X`, `-storepass X`) are handled by
`assignments.py`; this module knows the tools whose password flag says nothing by itself:
`mysql -pX` / `-p'X'`, `mongo(sh) -p X`, `docker|podman|helm registry login -p X`,
`sshpass -p X`, `az login -p X`, `sqlcmd -P X`, `ldapsearch -w X`, `sqlplus user/X@db`,
`openssl -passin pass:X`, `htpasswd -b file user X`, `rabbitmqctl add_user u X`,
`redis-cli -a X`, `AUTH X` at a redis prompt, `requirepass X`, `curl -u user:X`,
`smbclient -U user%X`, `lftp -u user,X`, `net user u X`, `mc alias set n url key X`,
`aws configure set aws_secret_access_key X`, `ConvertTo-SecureString X`, `vault login X`,
`cqlsh -p X`, `zip -P X`, `7z -pX`, `ssh-keygen -N X`, `openssl enc -k X`,
`sentinel auth-pass m X`, `mc admin user add a u X`, GitHub Actions' `::add-mask::X`,
`echo X | docker login --password-stdin` (and `gh auth login --with-token`, `chpasswd`),
and every `--from-literal` value of `kubectl create secret`.

A tool's name anchors each pattern and the flag must follow within the same command (up to
300 characters, before a pipe or `;`), which keeps every scan linear.
"""

from __future__ import annotations

import re

from app.redact.spans import Span, any_gate, mentions
from app.redact.values import coded_password, is_real_value

_VALUE = r"""(?P<value>'[^'\n]{1,256}+'|"[^"\n]{1,256}+"|[^\s"'|;&]{1,256}+)"""
# The rest of one command: no newline, pipe or command separator.
_ARGS = r"[^\n|;&]{0,300}?"
_SEP = r"(?:[ \t]++|=)"

# (pattern, kind, label, literal parts one of which any match contains)
_COMMANDS: tuple[tuple[re.Pattern[str], str, str, tuple[str, ...]], ...] = (
    (
        re.compile(
            r"(?<![\w\-])(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlpump|mysqlsh"
            r"|mysqlshow|mysqlbinlog|mariadb|mariadb-dump|mariadb-admin)(?![\w\-])"
            rf"{_ARGS}[ \t]-p{_VALUE}"
        ),
        "mysql-password",
        "password",
        ("mysql", "mariadb"),
    ),
    (
        re.compile(
            r"(?<![\w\-])(?:mongo|mongosh|mongodump|mongorestore|mongoexport|mongoimport"
            rf"|mongostat|mongotop|mongofiles)(?![\w\-]){_ARGS}[ \t](?:-p|--password){_SEP}"
            rf"(?!-){_VALUE}"
        ),
        "mongodb-password",
        "password",
        ("mongo",),
    ),
    (
        re.compile(
            r"(?<![\w\-])(?:docker|podman|nerdctl|buildah|skopeo|oras|crane|regctl|helm"
            rf"|az|cf)(?:[ \t]++(?:registry|acr))?+[ \t]++login(?![\w\-]){_ARGS}[ \t]-p{_SEP}"
            rf"(?!-){_VALUE}"
        ),
        "registry-password",
        "password",
        ("login",),
    ),
    (
        re.compile(rf"(?<![\w\-])cqlsh(?![\w\-]){_ARGS}[ \t](?:-p|--password){_SEP}(?!-){_VALUE}"),
        "cassandra-password",
        "password",
        ("cqlsh",),
    ),
    (
        re.compile(
            rf"(?<![\w\-])(?:zip|unzip|zipcloak|funzip)(?![\w\-]){_ARGS}[ \t]-P[ \t]++{_VALUE}"
        ),
        "archive-password",
        "password",
        ("zip",),
    ),
    (
        re.compile(rf"(?<![\w\-])(?:7z|7za|7zr|rar|unrar)(?![\w\-]){_ARGS}[ \t]-p{_VALUE}"),
        "archive-password",
        "password",
        ("7z", "rar"),
    ),
    (
        re.compile(rf"(?<![\w\-])ssh-keygen(?![\w\-]){_ARGS}[ \t]-[NP][ \t]++{_VALUE}"),
        "ssh-key-passphrase",
        "password",
        ("ssh-keygen",),
    ),
    (
        re.compile(rf"(?<![\w\-])openssl(?![\w\-]){_ARGS}[ \t]-k[ \t]++{_VALUE}"),
        "openssl-password",
        "password",
        ("openssl",),
    ),
    (
        re.compile(rf"(?<![\w\-])sentinel[ \t]++auth-pass[ \t]++\S{{1,128}}+[ \t]++{_VALUE}"),
        "redis-password",
        "password",
        ("auth-pass",),
    ),
    (
        re.compile(
            r"(?<![\w\-])mc[ \t]++admin[ \t]++user[ \t]++add[ \t]++\S{1,128}+[ \t]++"
            rf"\S{{1,128}}+[ \t]++{_VALUE}"
        ),
        "minio-secret-key",
        "secret",
        ("mc admin",),
    ),
    (
        re.compile(r"::add-mask::(?P<value>\S{1,1024}+)"),
        "masked-ci-secret",
        "secret",
        ("::add-mask::",),
    ),
    (
        re.compile(rf"(?<![\w\-])sshpass(?![\w\-]){_ARGS}[ \t]-p[ \t]*+(?!-){_VALUE}"),
        "ssh-password",
        "password",
        ("sshpass",),
    ),
    (
        re.compile(rf"(?<![\w\-])(?:sqlcmd|bcp|osql|isql)(?![\w\-]){_ARGS}[ \t]-P[ \t]*+{_VALUE}"),
        "mssql-password",
        "password",
        ("sqlcmd", "bcp", "osql", "isql"),
    ),
    (
        re.compile(
            r"(?<![\w\-])ldap(?:search|modify|add|delete|whoami|passwd|compare|modrdn|exop)"
            rf"(?![\w\-]){_ARGS}[ \t]-w[ \t]++{_VALUE}"
        ),
        "ldap-password",
        "password",
        ("ldap",),
    ),
    (
        re.compile(
            r"(?<![\w\-])(?:sqlplus|rman|expdp|impdp|sqlldr|dgmgrl)(?:[ \t]++-[A-Za-z]++)*+"
            r"[ \t]++[\w$#]{1,64}+/(?P<value>[^\s@/\"']{1,128}+)(?=[@\s]|$)"
        ),
        "oracle-password",
        "password",
        ("sqlplus", "rman", "expdp", "impdp", "sqlldr", "dgmgrl"),
    ),
    (
        re.compile(
            r"(?<![\w\-])-(?:pass|passin|passout|password|srcpass|destpass)[ \t]++pass:"
            r"(?P<value>'[^'\n]{1,256}+'|\"[^\"\n]{1,256}+\"|[^\s\"']{1,256}+)"
        ),
        "openssl-password",
        "password",
        ("pass:",),
    ),
    (
        re.compile(
            r"(?<![\w\-])rabbitmqctl(?![\w\-])[^\n|;&]{0,200}?[ \t](?:add_user|change_password)"
            rf"[ \t]++(?:\"[^\"\n]{{1,128}}+\"|'[^'\n]{{1,128}}+'|\S{{1,128}}+)[ \t]++{_VALUE}"
        ),
        "amqp-password",
        "password",
        ("rabbitmqctl",),
    ),
    (
        re.compile(
            r"(?im)(?:(?<![\w\-])(?:requirepass|masterauth)|(?<![\w\-])redis-cli(?![\w\-])"
            r"[^\n|;&]{0,300}?[ \t](?:-a|--pass))[ \t]++['\"]?+(?P<value>[^\s\"']{1,256}+)"
        ),
        "redis-password",
        "password",
        ("requirepass", "masterauth", "redis-cli"),
    ),
    (
        re.compile(
            r"(?<![\w\-])(?:-u|--user)[ \t]++[\"']?+[^\s:\"']{1,128}+:"
            r"(?P<value>[^\s\"']{1,256}+)[\"']?+(?=\s|$)"
        ),
        "basic-auth-password",
        "password",
        ("-u",),
    ),
    (
        re.compile(r"(?<![\w\-])-U[ \t]*+[\"']?+[^\s%\"']{1,128}+%(?P<value>[^\s\"']{1,128}+)"),
        "smb-password",
        "password",
        ("%",),
    ),
    (
        re.compile(rf"(?<![\w\-])lftp(?![\w\-]){_ARGS}[ \t]-u[ \t]++[^\s,]{{1,128}}+,{_VALUE}"),
        "ftp-password",
        "password",
        ("lftp",),
    ),
    (
        re.compile(
            r"(?i)(?<![\w\-])net[ \t]++user[ \t]++[^\s/]{1,64}+[ \t]++"
            r"(?P<value>[^\s/*\"'][^\s\"']{0,127}+)"
        ),
        "windows-password",
        "password",
        ("net user",),
    ),
    (
        re.compile(
            r"(?<![\w\-])mc[ \t]++(?:alias[ \t]++set|config[ \t]++host[ \t]++add)[ \t]++"
            rf"\S{{1,128}}+[ \t]++\S{{1,512}}+[ \t]++\S{{1,256}}+[ \t]++{_VALUE}"
        ),
        "minio-secret-key",
        "secret",
        ("mc ",),
    ),
    (
        re.compile(
            r"(?<![\w\-])aws[ \t]++configure[ \t]++set[ \t]++(?:[\w\-]{1,64}+\.)?+"
            rf"(?:aws_secret_access_key|aws_session_token)[ \t]++{_VALUE}"
        ),
        "aws-secret-key",
        "aws-secret-key",
        ("aws",),
    ),
    (
        re.compile(r"(?i)ConvertTo-SecureString[ \t]++(?:-String[ \t]++)?+" + _VALUE),
        "powershell-password",
        "password",
        ("convertto-securestring",),
    ),
    (
        re.compile(
            r"(?<![\w\-])vault[ \t]++login[ \t]++(?:-[\w\-]++(?:=\S{0,256}+)?+[ \t]++){0,8}+"
            r"(?P<value>[A-Za-z0-9][A-Za-z0-9._\-]{15,255}+)(?=\s|$)"
        ),
        "vault-token",
        "token",
        ("vault",),
    ),
    (
        re.compile(
            r"(?<![\w\-])(?:echo|printf)[ \t]++(?:-[neE]++[ \t]++)?+(?:['\"]%s['\"][ \t]++)?+"
            rf"{_VALUE}[ \t]*+\|[^\n]{{0,300}}?(?:--password-stdin|--with-token|[ \t]login[ \t]++-"
            r"(?=\s|$))"
        ),
        "piped-secret",
        "secret",
        ("stdin", "with-token", "login"),
    ),
    (
        re.compile(
            r"(?<![\w\-])(?:echo|printf)[ \t]++['\"]?+[\w.\-]{1,64}+:"
            r"(?P<value>[^\s\"'|]{1,128}+)['\"]?+[ \t]*+\|[ \t]*+(?:sudo[ \t]++)?+chpasswd"
        ),
        "unix-password",
        "password",
        ("chpasswd",),
    ),
)
_HTPASSWD = re.compile(
    r"(?<![\w\-])htpasswd(?P<flags>(?:[ \t]++-[A-Za-z]++)++)"
    r"(?P<args>(?:[ \t]++[^\s\-][^\s]{0,255}+){2,3}+)"
)
_REDIS_AUTH = re.compile(r"(?m)(?:^|>)[ \t]*+(?:AUTH|auth)[ \t]++(?P<args>[^\n]{1,300}+)")
_FROM_LITERAL = re.compile(r"--from-literal[= ][^=\s]{1,128}+=" + _VALUE)
_ARG = re.compile(r"\S++")


def _value_span(match: re.Match[str]) -> tuple[int, int, str]:
    start, end = match.span("value")
    value = match["value"]
    if value[:1] in ("'", '"') and value[-1:] == value[:1] and len(value) >= 2:
        return start + 1, end - 1, value[1:-1]
    return start, end, value


def _htpasswd_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    for match in _HTPASSWD.finditer(text):
        flags = match["flags"].replace("-", "").replace(" ", "").replace("\t", "")
        if "b" not in flags:
            continue  # without -b the password is asked for, not given
        args = list(_ARG.finditer(match["args"]))
        index = 1 if "n" in flags else 2
        if len(args) > index:
            arg = args[index]
            offset = match.start("args")
            spans.append(Span(offset + arg.start(), offset + arg.end(), "htpasswd", "password"))
    return spans


def _redis_auth_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    for match in _REDIS_AUTH.finditer(text):
        args = list(_ARG.finditer(match["args"]))
        if 1 <= len(args) <= 2:
            arg = args[-1]
            value = arg.group().strip("\"'")
            if coded_password(value):
                offset = match.start("args")
                spans.append(
                    Span(offset + arg.start(), offset + arg.end(), "redis-password", "password")
                )
    return spans


def _secret_literal_spans(text: str) -> list[Span]:
    """Every `--from-literal` value of a `kubectl create secret` command line."""
    spans: list[Span] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        if "--from-literal" in line and "secret" in line:
            head = line.find("--from-literal")
            if "secret" in line[:head]:
                for match in _FROM_LITERAL.finditer(line):
                    start, end, value = _value_span(match)
                    if is_real_value(value):
                        spans.append(Span(offset + start, offset + end, "k8s-secret", "secret"))
        offset += len(line)
    return spans


_ANY_COMMAND = any_gate(gates for *_, gates in _COMMANDS)


def command_spans(text: str) -> list[Span]:
    """Passwords and tokens passed to the command-line tools listed above."""
    spans: list[Span] = []
    lowered = text.lower()
    commands = _COMMANDS if _ANY_COMMAND.search(lowered) else ()
    for pattern, kind, label, gates in commands:
        if not mentions(lowered, gates):
            continue
        for match in pattern.finditer(text):
            start, end, value = _value_span(match)
            if not is_real_value(value) or "://" in value:
                continue
            if kind == "vault-token" and "=" in value:
                continue
            if kind == "basic-auth-password" and value.isdigit():
                continue  # docker run -u 1000:1000 is a uid and a gid
            spans.append(Span(start, end, kind, label))
    if "htpasswd" in lowered:
        spans += _htpasswd_spans(text)
    if "auth" in lowered:
        spans += _redis_auth_spans(text)
    if "--from-literal" in lowered:
        spans += _secret_literal_spans(text)
    return spans
