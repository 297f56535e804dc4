"""Make text safe for a stakeholder audience: no people, bots, internal tools, hosts, error
classes, identifiers, citations or secrets.

A stakeholder email prints only the fields an engine wrote for stakeholders (`plain`), and
engines are asked to write those without internals. This rule-based pass is the safety net
whatever the engine produced. It works in two linear steps: every whitespace-delimited token is
classified by its shape (URL, host, IP, path, error class, identifier, service written as code,
ticket or rule id, mention, internal system name) or as a name the chat writes as code
(`internal_names`), then known names (the chat's people and bots, common operations
tools) are replaced as phrases. Customer personal data goes first (`personal`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from app.render.personal import mask_personal_data
from app.render.prose import clean_text

_REDACTED = re.compile(r"\[REDACTED(?::[^\]\n]{0,80}+)?\]", re.IGNORECASE)
_CITATION = re.compile(r"(?<![ \t])[ \t]*+\\?\[m\d{1,7}+(?:[ \t]*+,[ \t]*+m\d{1,7}+)*+\\?\]")
_CODE_SPAN = re.compile(r"`[^`\n]{1,200}+`")
# A token: a maximal run of characters that are neither space nor sentence brackets/quotes.
_TOKEN = re.compile(r"[^\s()\[\]{}<>\"“”‘’,;!?]++")
_TRAILING = ".:'’"

_INTERNAL_SUFFIXES = frozenset(
    "internal local lan corp intra svc cluster private prod staging stage int home localdomain "
    "consul".split()
)
_IP = re.compile(r"(?:\d{1,3}+\.){3}\d{1,3}+(?::\d{1,5}+)?(?:/\d{1,2}+)?")
_ERROR_CLASS = re.compile(
    r"(?:[A-Za-z_][\w]{0,60}+\.){0,8}+[A-Z][A-Za-z0-9]{0,60}?(?:Error|Exception|Fault|Timeout)"
)
_ERRNO = re.compile(r"E[A-Z]{4,15}+")  # ECONNREFUSED, ETIMEDOUT
_SNAKE = re.compile(r"[A-Za-z0-9]{1,60}+(?:_[A-Za-z0-9]{1,60}+)++(?:\(\))?")
_FLAG = re.compile(r"--?[a-z][a-z0-9-]{1,60}+(?:=\S{0,100}+)?")
_TICKET = re.compile(r"(?P<prefix>[A-Z][A-Z0-9]{1,9}+)-\d{2,7}+")
# "SW-JSON-0031", "CVE-2024-3094"-like ids of several upper-case parts: a rule or record id.
_MULTI_ID = re.compile(r"[A-Z][A-Z0-9]{0,9}+(?:-[A-Z][A-Z0-9]{0,9}+)++-\d{2,7}+")
# A service written as code: lower-case words joined by hyphens (or two by an underscore) that
# end in a word for a component of a system ("pricing-engine", "orders_db",
# "text-encoder:latest"); a general vocabulary of what services are called, not names from any
# one chat. Ordinary compounds ("follow-up", "large-basket", "on-demand") end in no such word.
_JOINED = re.compile(r"[a-z][a-z0-9]{0,40}+(?:[-_][a-z0-9]{1,40}+){1,5}+")
_COMPONENTS: dict[str, str] = {
    **dict.fromkeys(
        "db database pg postgres postgresql mysql mariadb mongo mongodb sql rds dynamo "
        "dynamodb cassandra".split(),
        "database",
    ),
    **dict.fromkeys("cache redis memcached valkey".split(), "cache"),
    **dict.fromkeys("queue broker kafka mq rabbitmq sqs topic".split(), "queue"),
    # a kind with a plain name of its own keeps it: "edge-lb" is "the edge load balancer",
    # and "load-balancer" (the kind itself) "the load balancer", not "the load service"
    **dict.fromkeys("balancer lb".split(), "load balancer"),
    **dict.fromkeys("scheduler sched".split(), "scheduler"),
    **dict.fromkeys(
        "service svc api engine worker workers mailer encoder decoder server proxy gateway gw "
        "daemon agent controller operator indexer consumer producer exporter importer "
        "router pipeline runner bot loader processor handler dispatcher relay "
        "collector ingester backend frontend lambda cron cronjob job jobs grpc rpc k8s svc "
        "ml etl cdn".split(),
        "service",
    ),
}
# Public host names: lower-case labels ending in a common top-level domain ("api.example.co.uk").
_PUBLIC_TLDS = frozenset(
    "com net org io co uk de fr nl eu dev app cloud ai me info biz us ca au jp ch at be es it "
    "se no dk fi pl cz ie nz in br mx sh gg ly tv xyz tech site online shop store".split()
)
_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}+)")
# A code change by its number: "PR #812", "MR !42", "pull request 1893".
_CHANGE = re.compile(
    r"\b(?:PRs?|MRs?|pull[ \t]++requests?|merge[ \t]++requests?)[ \t]*+[#!]?\d{1,7}+\b",
    re.IGNORECASE,
)
_NOT_TICKETS = frozenset({"SEV", "ISO", "RFC", "UTF", "CVE", "HTTP", "TLS", "IPV"})
# "db-primary-03", "web-prod-2", "pg-03": two name parts, or a zero-padded number.
_NUMBERED_HOST = re.compile(
    r"[a-z][a-z0-9]{1,40}+(?:-[a-z][a-z0-9]{0,40}+){1,6}+-\d{1,4}+[a-z]?"
    r"|[a-z][a-z0-9]{1,40}+-0\d{1,3}+"
)

# An internal system's name, by its shape: a lower-case hyphenated identifier with a part that
# names a deployment environment ("tessera-prod", "pre-prod", "eu-staging") or a year that
# labels a version or profile ("modern-2026", "compat-2019"). Ordinary compounds ("follow-up",
# "read-only", "two-hour") hold neither, and a year with only words that place a time in it is
# a date ("mid-2026", "end-of-2026", "pre-2020", "q3-2026").
_ENVIRONMENTS = frozenset("prod preprod staging stg uat qa sandbox".split())
_YEAR = re.compile(r"(?:19|20)\d\d")
_WHEN_IN_YEAR = frozenset(
    "mid early late end start of pre post by since until fy q1 q2 q3 q4 h1 h2 "
    "spring summer autumn fall winter".split()
)


def _internal_name(token: str) -> str | None:
    if "-" not in token or "_" in token or not _JOINED.fullmatch(token):
        return None
    parts = token.split("-")
    if any(p in _ENVIRONMENTS for p in parts):
        return "an internal system"
    named = [p for p in parts if p.isalpha() and p not in _WHEN_IN_YEAR]
    if named and any(_YEAR.fullmatch(p) for p in parts):
        return "an internal configuration"
    return None


# The names a chat writes as code: a hyphenated lower-case name that is a host label
# ("img-direct.example.app"), a path segment, a key or value ("job=invoice-run"), a code span
# (`cron-sync`) or an instance's name before its number ("cadence-sched-0"), more often than
# it stands bare in prose (a tie, "mode=read-only" and "db is read-only", is an ordinary word
# as often as a name: replacing it would print "was an internal system for 20 minutes").
# Such a name is an internal system to a stakeholder wherever the
# email uses it, also in plain words ("when will cadence-sched be scaled back"); an ordinary
# compound that a config line also holds ("mode=read-only") is mostly prose. A run of prose
# ("read-only/maintenance", "follow-up.") is no code: a slash makes a path only at its start or
# twice, a dot or colon joins code only between two characters.
_RUN = re.compile(r"[^\s()\[\]{}<>\"“”‘’,;!?`']++")
_SPAN = re.compile(r"`([^`\n]{1,200}+)`")
_HYPHENATED = re.compile(r"[a-z][a-z0-9]{0,40}+(?:-[a-z0-9]{1,40}+){1,5}+")
_PIECES = re.compile(r"[./:=@]")
_CODE_SHAPE = re.compile(r"\w[.:=@]\w|^[/~]|/[^/]*+/")
_INSTANCE = re.compile(
    r"(?P<name>[a-z][a-z0-9]{0,40}+(?:-[a-z][a-z0-9]{0,40}+){1,5}+)-\d{1,4}+[a-z]?"
)


def _count(counts: dict[str, int], name: str) -> None:
    counts[name] = counts.get(name, 0) + 1


def _read_run(run: str, code: dict[str, int], prose: dict[str, int]) -> None:
    instance = _INSTANCE.fullmatch(run)
    if instance:
        _count(code, instance["name"])
        return
    counts = code if _CODE_SHAPE.search(run) else prose  # "read-only/maintenance" is prose
    for piece in _PIECES.split(run.replace("/", ".")):
        if _HYPHENATED.fullmatch(piece):
            _count(counts, piece)


def internal_names(texts: Iterable[str]) -> list[str]:
    """The hyphenated lower-case names the chat writes as code (see above), in order."""
    code: dict[str, int] = {}
    prose: dict[str, int] = {}
    for text in texts:
        if "-" not in text:
            continue
        for span in _SPAN.finditer(text):
            for word in span.group(1).split():
                if _HYPHENATED.fullmatch(word := word.strip(_TRAILING + "'\"")):
                    _count(code, word)
        for run in _RUN.finditer(_SPAN.sub(" ", text) if "`" in text else text):
            if "-" in run.group(0):
                _read_run(run.group(0).rstrip(_TRAILING), code, prose)
    return [name for name, count in code.items() if count > prose.get(name, 0)]


# Widely used operations tools (alerting, observability, deployment, tickets): internal names
# to a stakeholder. A general vocabulary, not words from any one chat.
_TOOLS: dict[str, tuple[str, ...]] = {
    "our monitoring": (
        "PagerDuty",
        "Opsgenie",
        "Datadog",
        "Grafana",
        "Prometheus",
        "Alertmanager",
        "Kibana",
        "Sentry",
        "Splunk",
        "New Relic",
        "Honeycomb",
        "CloudWatch",
        "Nagios",
        "Zabbix",
        "VictorOps",
        "Pingdom",
        "Statuspage",
        "incident.io",
        "Rootly",
    ),
    "our deployment tooling": (
        "ArgoCD",
        "Argo CD",
        "Jenkins",
        "Spinnaker",
        "Terraform",
        "kubectl",
        "Helm",
        "GitHub Actions",
        "GitLab CI",
        "CircleCI",
        "Ansible",
    ),
    "our issue tracker": ("Jira", "ServiceNow"),
    "our logging pipeline": ("Fluent Bit", "fluent-bit", "Fluentd", "Logstash", "Filebeat"),
    "our certificate tooling": ("cert-manager", "certbot"),
}


def _service(token: str) -> str | None:
    """ "pricing-engine" -> "the pricing service", "orders_db" -> "the orders database"; a
    service named only by abbreviations ("rbd-db") -> "an internal database"."""
    if not _JOINED.fullmatch(token):
        return None
    parts = re.split(r"[-_]", token)
    if parts[-1] not in _COMPONENTS or ("_" in token and ("-" in token or len(parts) > 2)):
        return None  # a component names the service last; "pg_cancel_backend" is a function
    kind = _COMPONENTS[parts[-1]]
    words = [p for p in parts if p not in _COMPONENTS]
    if words and words == kind.split()[: len(words)]:  # "load-balancer" names the kind itself
        return f"the {kind}"
    if words and len(words) <= 3 and all(len(w) > 3 and w.isalpha() for w in words):
        return f"the {' '.join(words)} {kind}"
    return f"an internal {kind}"


def _public_host(host: str) -> bool:
    labels = host.split(".")
    return (
        len(labels) > 1
        and labels[-1] in _PUBLIC_TLDS
        and all(_HOST_LABEL.fullmatch(label) for label in labels)
        and not labels[0].isdigit()
    )


def _shape(
    token: str, hosts_only: bool = False, internal: frozenset[str] = frozenset()
) -> str | None:
    """What a token stands for when its shape is internal (or the chat writes it as code:
    `internal`), else None."""
    if "://" in token:
        return "an internal endpoint"
    if token.startswith("@") and len(token) > 1:
        return "the team"
    if "@" in token and "." in token.split("@", 1)[1]:
        return "the team"  # an e-mail address names a person or a team
    if _IP.fullmatch(token):
        return "an internal address"
    host = token.split(":", 1)[0].lower()
    labels = host.split(".")
    if len(labels) > 1 and any(label in _INTERNAL_SUFFIXES for label in labels[1:]):
        return "an internal service"
    if hosts_only:
        return None
    if token.islower() and _public_host(host):
        return "a web address"
    if token.startswith(("/", "~/", "./")) and token.count("/") >= 2:
        return "an internal file"
    if _ERROR_CLASS.fullmatch(token) or _ERRNO.fullmatch(token):
        return "errors"
    if _FLAG.fullmatch(token):
        return "an internal command"
    service = _service(token.split(":", 1)[0])
    if service is not None:
        return service
    if _SNAKE.fullmatch(token):
        return "an internal setting"
    if _MULTI_ID.fullmatch(token):
        return "an internal identifier"
    ticket = _TICKET.fullmatch(token)
    if ticket and not ticket["prefix"].startswith(tuple(_NOT_TICKETS)):
        return "a ticket"
    if _NUMBERED_HOST.fullmatch(token.split("..", 1)[0]):  # also a range: "web-01..04"
        return "an internal server"
    if token in internal:
        return "an internal system"
    return _internal_name(token)


def _replace_token(match: re.Match[str], internal: frozenset[str] = frozenset()) -> str:
    token = match.group(0)
    core = token.rstrip(_TRAILING)
    if core.endswith(("'s", "’s")):  # "pricing-engine's"
        core = core[:-2]
    tail = token[len(core) :]
    if not core:
        return token
    replacement = _shape(core, internal=internal)
    return token if replacement is None else replacement + tail


@lru_cache(maxsize=64)
def _names_pattern(names: tuple[str, ...], ignore_case: bool) -> re.Pattern[str] | None:
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?P<possessive>'s|’s)?+(?![\w-])", flags)


def _name_variants(names: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(names matched exactly, handles matched in any case): full names and first names of
    more than two letters. A capitalised name ("Will") is matched as written, so the word
    "will" survives; a lower-case handle ("kofi") is matched in any case."""
    exact: set[str] = set()
    any_case: set[str] = set()
    for name in names:
        cleaned = name.strip()
        if not cleaned:
            continue
        forms = {cleaned}
        parts = cleaned.split()
        if len(parts) > 1 and len(parts[0]) > 2:
            forms.add(parts[0])
        for form in forms:
            if form[:1].isupper():
                exact.add(form)
            else:
                any_case.add(form)
    return tuple(sorted(exact)), tuple(sorted(any_case))


def _replace_names(text: str, names: Iterable[str], replacement: str) -> str:
    exact, any_case = _name_variants(names)
    for group, ignore_case in ((exact, False), (any_case, True)):
        pattern = _names_pattern(group, ignore_case)
        if pattern is not None:
            text = pattern.sub(
                lambda m: replacement + ("'s" if m["possessive"] else ""),
                text,
            )
    return text


# An @-mention: "@Deshawn Pryor", "@Ana" (exports write a mention as the person's name). Its
# capitalised words are a person's name; lower-case handles ("@here", "@will") are left alone,
# since matching them would remove ordinary words.
_MENTION = re.compile(
    r"(?<![\w@])@(?P<name>[^\W\d_][\w'’-]{0,30}+(?:[ \t][^\W\d_][\w'’-]{0,30}+){0,2}+)"
)
_GROUP_WORDS = frozenset(
    "here channel everyone all team oncall on-call sre ops support eng engineering devs".split()
)


_LOWER_WORD = re.compile(r"(?<![\w@])[a-z][a-z'’-]{1,30}+")
_POSSESSIVE_END = re.compile(r"['’]s$")


def mentioned_people(texts: Iterable[str]) -> list[str]:
    """The names the chat @-mentions, in capitalised words ("@Deshawn Pryor can you" gives
    "Deshawn Pryor"): people a stakeholder email must not name although they never wrote. A
    full name (two capitalised words, as exports write a mention) is a name even where the chat
    writes it in lower case too ("nothing from deshawn?"); a single word the chat also writes in
    lower case is an ordinary word ("@Payments are slow"); a possessive ends the name."""
    texts = list(texts)
    mentions = [m["name"] for t in texts if "@" in t for m in _MENTION.finditer(t)]
    if not mentions:
        return []
    lower = {w.replace("’", "'") for t in texts for w in _LOWER_WORD.findall(t)}
    found: dict[str, None] = {}
    for name in mentions:
        words: list[str] = []
        for word in name.split():
            bare = _POSSESSIVE_END.sub("", word.rstrip("'’-"))
            if not bare[:1].isupper() or (words and bare.lower() in lower):
                break  # "@Deshawn Please restart": "Please" is the chat's word, not a name
            words.append(bare)
            if bare != word.rstrip("'’-"):
                break  # a possessive ends the name
        if len(words) == 1 and words[0].lower() in lower:
            continue  # "@Payments are slow" next to "payments are failing"
        if words and not any(w.lower() in _GROUP_WORDS for w in words):  # "@Platform Team"
            found.setdefault(" ".join(words), None)
    return list(found)


# A capitalised "First Last" pair in the chat's text: "responders: Ollie Brennan, Greg Tanner".
_NAME_PAIR = re.compile(
    r"(?<![\w@'’.-])(?P<first>[A-Z][a-z]{1,20}+)[ \t](?P<last>(?:Mc|Mac|O['’])?[A-Z][a-z]{1,30}+"
    r"(?:-[A-Z][a-z]{1,30}+)?+)(?![\w@'’-])"
)
_CAPITALISED = re.compile(r"(?<![\w@'’.-])[A-Z][a-z]{1,20}+(?![\w'’-])")
_NOT_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december today tomorrow yesterday the this "
    "that these those our we you they he she it and or but if when then also hi hello hey "
    "thanks please ok okay yes no new old".split()
)


def chat_people(texts: Iterable[str]) -> list[str]:
    """People the chat's text names although they may never write: a capitalised "First
    Last" pair whose words the chat never writes in lower case (a name is never an ordinary
    word there) and whose first name the chat also uses on its own ("Greg Tanner" beside
    "Greg never picked up"). "Root Cause" next to "root cause", "Black Friday" (a day) and a
    pair whose first word never stands alone are no names."""
    texts = list(texts)
    pairs = [(m["first"], m["last"]) for t in texts for m in _NAME_PAIR.finditer(t)]
    if not pairs:
        return []
    lower = {w.replace("’", "'") for t in texts for w in _LOWER_WORD.findall(t)}
    alone: dict[str, int] = {}
    for text in texts:
        for word in _CAPITALISED.findall(text):
            alone[word] = alone.get(word, 0) + 1
    as_first: dict[str, int] = {}
    for first, _last in pairs:
        as_first[first] = as_first.get(first, 0) + 1
    found: dict[str, None] = {}
    for first, last in pairs:
        words = (first.lower(), last.lower())
        if any(w in lower or w in _NOT_NAMES for w in words):
            continue
        if alone.get(first, 0) > as_first[first]:  # the first name also stands on its own
            found.setdefault(f"{first} {last}", None)
    return list(found)


# Two articles in a row left by a replacement: "the pricing-engine" -> "the the pricing
# service", "a an internal service".
_DOUBLE_ARTICLE = re.compile(
    r"(?<![\w-])(?P<first>[Tt]he|[Aa]n?|[Oo]ur)[ \t]++(?P<second>the|an|a)[ \t]++(?=\w)"
)


def _one_article(match: re.Match[str]) -> str:
    first, second = match["first"], match["second"]
    word = second if first.lower() in ("a", "an") else first.lower()
    return (word[0].upper() + word[1:] if first[:1].isupper() else word) + " "


# The words this module writes; one that starts the text starts a sentence.
_OUR_WORDS = (
    "the team",
    "an internal",
    "an automated",
    "our ",
    "a credential",
    "a ticket",
    "a web address",
    "a customer",
    "a phone number",
    "an email address",
)
_TEAM_COMMA = re.compile(r"\bthe team,?+[ \t]++(?:please[ \t]++)?+")
_SPACES = re.compile(r"[ \t]{2,}+")
_ARTICLE_AN = re.compile(r"\ban an\b")
_ARTICLE_START = re.compile(r"(?:the|an?)\b", re.IGNORECASE)


def scrub_for_stakeholders(
    text: str,
    participants: Iterable[str],
    bots: Iterable[str] = (),
    internal: Iterable[str] = (),
) -> str:
    """Replace people, bots, internal tools, hosts, IPs, URLs, paths, error classes,
    identifiers, ticket ids, citations and secrets with plain words; `internal`: the names the
    chat writes as code (`internal_names`)."""
    names = frozenset(internal)
    scrubbed = _CITATION.sub("", text)
    scrubbed = mask_personal_data(scrubbed, plain=True)
    scrubbed = _REDACTED.sub("a credential", scrubbed)
    scrubbed = _CODE_SPAN.sub("an internal command", scrubbed)
    scrubbed = _CHANGE.sub("a code change", scrubbed)
    scrubbed = clean_text(scrubbed)
    scrubbed = _TOKEN.sub(lambda m: _replace_token(m, names), scrubbed)
    for words, tools in _TOOLS.items():
        pattern = _names_pattern(tools, True)
        if pattern is not None:
            scrubbed = pattern.sub(words, scrubbed)
    scrubbed = _replace_names(scrubbed, bots, "an automated system")
    scrubbed = _replace_names(scrubbed, participants, "the team")
    scrubbed = _TEAM_COMMA.sub("the team ", scrubbed)
    scrubbed = _ARTICLE_AN.sub("an", scrubbed)
    scrubbed = _DOUBLE_ARTICLE.sub(_one_article, scrubbed)
    scrubbed = _SPACES.sub(" ", scrubbed).strip()
    ours = scrubbed.startswith(_OUR_WORDS) or (
        scrubbed.startswith("the ") and not _ARTICLE_START.match(text.lstrip())
    )  # "pricing-engine failed" -> "The pricing service failed"
    if ours or (text.lstrip()[:1].isupper() and scrubbed[:1].islower()):
        scrubbed = scrubbed[0].upper() + scrubbed[1:]
    return scrubbed
