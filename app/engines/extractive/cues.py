"""Cue families: named word patterns that say what kind of thing a chat sentence reports.

Each family is a `CueFamily`: a name, a one-line note of the general pattern it covers, and a
case-insensitive pattern matched against a sentence's lower-cased text. The families are general
vocabulary of incident talk (alerts, deploys, rollbacks, recoveries, plans, negations), never a
phrase copied from one chat; each has its own table of positive and negative sentences in
`tests/test_extractive_cues.py`, and `FAMILIES` lists them all so the table cannot fall behind.

This module holds the families of incident events and of how people talk (plans, requests,
negation); `cause_cues` holds those of causes and corrections. Every pattern is linear on any
input: alternations of words, gaps bounded by a fixed length, no nested unbounded repeats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from app.engines.extractive import memo

Phase = Literal["start", "progress", "done", "other"]


def cue(pattern: str) -> re.Pattern[str]:
    """A case-insensitive pattern (the one compiler every cue module uses)."""
    return re.compile(pattern, re.IGNORECASE)


@dataclass(frozen=True)
class CueFamily:
    """A named word pattern and the general pattern of speech it covers."""

    name: str
    note: str
    pattern: re.Pattern[str]
    _seen: dict[str, bool] = field(
        default_factory=memo.table, init=False, repr=False, compare=False, hash=False
    )

    _found: dict[str, re.Match[str] | None] = field(
        default_factory=memo.table, init=False, repr=False, compare=False, hash=False
    )

    def search(self, text: str) -> re.Match[str] | None:
        """The first match in `text` (a sentence, usually lower-cased), or None."""
        try:
            return self._found[text]
        except KeyError:
            found = self._found[text] = self.pattern.search(text)
            return found

    def __call__(self, text: str) -> bool:
        seen = self._seen.get(text)
        if seen is None:
            seen = self._seen[text] = self.pattern.search(text) is not None
        return seen


FAMILIES: dict[str, CueFamily] = {}


def family(name: str, note: str, pattern: str) -> CueFamily:
    """Define and register a cue family."""
    if name in FAMILIES:
        raise ValueError(f"cue family {name!r} is defined twice")
    defined = CueFamily(name, note, cue(pattern))
    FAMILIES[name] = defined
    return defined


# --------------------------------------------------------------------------------------------
# Signals that an incident is happening
# --------------------------------------------------------------------------------------------

ALERTING = family(
    "alerting",
    "a monitoring system reports a problem: an alert or alarm fires, someone is paged",
    r"\[(?:firing|alert|alarm|critical|triggered)\b|\balert(?:s|ed|ing)?\b|\bpaged\b|"
    r"\bpagerduty\b|\bopsgenie\b|\bvictorops\b|\balarms?\b|\bfiring\b|\btriggered\b|"
    r"\bmonitors? (?:fired|triggered|caught|flagged|went off|is red)\b|"
    r"\bsynthetics? (?:\w+ )?fail\w*|\bhealth ?checks? (?:are |is )?(?:fail\w*|red)\b|"
    r"\buptime (?:check|monitor)\b|\bwarning fired\b|"
    r"(?:^|[\s\W])(?:down|critical|firing|alarm|alert|incident|outage|pager|page)\s?:|"
    # an automated check's warning sign or verdict: "⚠ Settlement pre-check FAILED", "🚨 ..."
    r"^[\s>*_]{0,3}+(?:⚠|🚨|🔴|❗|:rotating_light:|:warning:|:red_circle:)|"
    r"\b(?:pre-?)?checks? (?:\w+ )?failed\b"
    r"(?!\s{1,3}+(?:jobs?|runs?|builds?|tests?|items?|ones?)\b)",
)
ALERT_RESOLVED = family(
    "alert_resolved",
    "an alerting system reporting the problem gone: '[RESOLVED] ...', 'alert cleared'",
    r"\[resolved\b|\bresolved:|\b(?:alert|alarm|page|monitor)s? (?:is |has )?(?:resolved|cleared|"
    r"recovered|auto-?resolved|ok)\b|^\W{0,3}+(?:ok|recovered|up)\s?:",
)
MONITOR_AUTHOR = family(
    "monitor_author",
    "an author name that is a monitoring or alerting system, whose messages are alerts",
    r"(?:^|[\s_-])bot$|-bot\b|\b(?:alertmanager|pagerduty|opsgenie|grafana|datadog|prometheus|"
    r"uptime\w*|monitor\w*|sentry|nagios|zabbix|statuspage|cloudwatch|new ?relic|victorops|"
    r"incident\.io|rootly|alerts?|alerting|crashlytics|bugsnag|rollbar|honeybadger|airbrake|"
    r"pingdom|checkly|icinga|splunk|kibana)\b",
)
USER_REPORT = family(
    "user_report",
    "people outside the team report trouble: customers, users or support report or complain",
    r"\b(?:customers?|users?|merchants?|clients?|partners?|people|support|cs|helpdesk|sales|"
    r"researchers?|reporters?)\b"
    r"[^.!?]{0,40}?\b(?:report\w*|complain\w*|tweet\w*|says|saying|said|escalat\w*|flagg\w*|"
    r"ping\w*|mention\w*|seeing|getting|hitting)\b|"
    r"\b(?:support |cs )?tickets? (?:coming|pouring|flooding|piling|spiking)\b|"
    r"\b(?:escalation|complaints?) from\b|\b\d{1,5}+ (?:support )?tickets\b|"
    r"\b(?:getting|got|bunch of|lots of|flood of|wave of|spike in|influx of|more) "
    r"[^.!?]{0,60}?\b(?:tickets|complaints|reports|chats|calls|emails)\b|"
    # the same in German, French, Spanish and Italian: "Halle 3 meldet", "les clients signalent"
    r"\b(?:meldet|(?:kunden|nutzer|händler|filialen) melden|beschweren sich|signalent|"
    r"se plaignent|reportan|se quejan|reclaman|segnalano)\b",
)
TROUBLE_ABROAD = family(
    "trouble_abroad",
    "a service failing in German, French, Spanish, Portuguese: 'geht nicht mehr', 'no funciona'",
    r"\b(?:funktionier\w* (?:nicht|gar nicht)|(?:geht|gehen|kann|können) (?:nicht|gar nicht) mehr|"
    r"kein\w{0,2} [^.!?]{1,30}? (?:kann|können|geht|gehen) mehr|ausgefallen|störung|"
    r"nicht (?:mehr )?erreichbar|schl(?:ä|a)g\w* fehl|(?:wirft|werfen) (?:\d{3}|fehler)|"
    r"ne (?:marche|fonctionne|répond|charge)(?:nt)? (?:plus|pas)|en panne|indisponibles?|"
    r"(?:baisse|chute) (?:des|du)\b|"
    r"no (?:funciona|responde|carga)(?:n)?|caíd[oa]s?|sin servicio|"
    r"não (?:funciona|responde|carrega)m?|fora do ar|indisponível|falhando)(?!\w)",
)
# --------------------------------------------------------------------------------------------
# Changes, mitigations, recovery, resolution, communication
# --------------------------------------------------------------------------------------------

TRIGGER = family(
    "trigger",
    "a change to the system: a deploy, release, merge, migration, upgrade or config change",
    r"\b(?:deploy(?:ed|ment|ments|s)?|pushed|merged|rolled out|roll-?out|released|release|"
    r"shipped|config(?:uration)? change|migration|upgraded?|flipped|enabled|bump(?:ed)?|"
    r"promoted|published|cut ?over)\b",
)
PAST_TRIGGER = family(
    "past_trigger",
    "a change named as already made: 'deployed', 'the release', 'last night's migration'",
    r"\b(?:deployed|pushed|merged|rolled out|released|shipped|upgraded|flipped|enabled|bumped|"
    r"(?<=\d )went (?:out|live)|"
    r"(?:release|build|version|fix|patch|change|pr|update) went (?:out|live)|"
    r"(?:the|a|my|our|this|that|last|latest|recent|new) (?:deploy|deployment|release|"
    r"config change|migration|upgrade|rollout|version|build))\b",
)
INVESTIGATION = family(
    "investigation",
    "someone starts looking for the cause: investigating, digging, pulling logs, checking",
    r"\b(?:investigat(?:ing|e)\b|looking into|looking at|digging|triag(?:ing|e)\b|"
    r"pull(?:ing)? (?:the )?logs|"
    r"checking (?:the )?(?:logs|dashboards?|metrics|traces|graphs))\b",
)
# Rollback, restart, disable and pause verbs in German, French, Spanish and Portuguese (the
# participle or the noun; the stems are the general vocabulary, not one chat's phrase).
_ABROAD_ROLLBACK = (
    r"zur(?:ü|ue)ck ?(?:ge)?roll\w*|zur(?:ü|ue)ckgesetzt|retour (?:en )?arri(?:è|e)re|"
    r"revenu(?:e|s)? (?:à|a) la (?:version|v\d)|revertid[oa]s?|reverti\b|revirt\w*"
)
_ABROAD_RESTART = r"neu ?gestartet|neustart\w*|neu starten|startet neu|red(?:é|e)marr\w*|reinici\w*"
_ABROAD_OTHER = (
    r"deaktivier\w*|abgeschaltet|ausgeschaltet|pausiert|wiederhergestellt|"
    r"d(?:é|e)sactiv\w*|mis en pause|suspendu\w*|restaur(?:é|e)e?s?|"
    r"desactivad[oa]s?|deshabilitad[oa]s?|desativad[oa]s?|desabilitad[oa]s?|pausad[oa]s?|"
    r"restaurad[oa]s?"
)
_ABROAD_ACTIONS = f"{_ABROAD_ROLLBACK}|{_ABROAD_RESTART}|{_ABROAD_OTHER}"

MITIGATION = family(
    "mitigation",
    "an action that reduces impact: roll back, revert, restart, fail over, scale, disable, purge",
    r"\b(?:roll(?:ing|ed|s)?[ -]?back|rollback|revert(?:ing|ed|s)?|restart(?:ing|ed|s)?|"
    r"reboot(?:ing|ed)?|fail(?:ing|ed)?[ -]?over|failover|scal(?:e|ing|ed) (?:up|out)|"
    r"disabl(?:e|ing|ed)|turn(?:ing|ed)? off|kill(?:ing|ed)|drain(?:ing|ed)?|hotfix\w*|"
    r"fix (?:is )?(?:deployed|out|live|rolled out)|deploy(?:ing|ed)? (?:the |a )?fix|"
    r"rate[- ]limit(?:ing|ed)|throttl\w*|flush(?:ing|ed)?|purg(?:e|ing|ed)|"
    r"block(?:ing|ed) (?:the |all |those |these |that |\d{1,5}+ )?(?:top )?(?:\d{1,5}+ )?"
    r"(?:ips?|traffic|requests|ranges?|users?|clients?|bots?|scrapers?|accounts?|sources?)|"
    r"mitigat\w*|redeploy\w*|suspend\w*|paus(?:e|ed|ing)|halt(?:ed|ing)|halt (?:the|all|it)|"
    r"cap(?:ped|ping)|restor(?:e|ed|ing)|re-?creat\w*|re-?add\w*|put back|renew\w*|"
    r"re-?issu\w*|rotat(?:e|ed|ing)|deactivat\w*|revok(?:e|ed|ing)|"
    r"(?:grow|grew|resiz|extend|expand)\w*(?: [\w-]{1,15}){0,2}? (?:volume|disk|pool|partition)|"
    r"rais(?:e|ing|ed) (?:the )?(?:[\w-]{1,15} )?(?:limit|pool|quota|max\w*)|"
    r"(?:added|adding) (?:more )?(?:capacity|nodes|replicas|instances|workers)|"
    # the same verbs in German, French, Spanish and Portuguese
    + _ABROAD_ACTIONS
    + r")\b",
)
SYSTEM_MOTION = family(
    "system_motion",
    "parts of the system doing something by themselves: 'pods restarting', 'restarted 3 times'",
    r"\b(?:pods?|containers?|nodes?|workers?|instances?|processes|replicas|brokers?|members)\b"
    r"[^.!?]{0,15}?\b(?:restart\w*|crash\w*|dying|died|killed|oom\w*|rebalanc\w*|flapping)\b|"
    r"\b(?:restarted|crashed|killed|rebooted) \d{1,4}+ times\b",
)
MITIGATION_FAMILIES: dict[str, re.Pattern[str]] = {
    "rollback": cue(rf"\b(?:roll\w*[ -]?back|rollback|revert\w*|{_ABROAD_ROLLBACK})\b"),
    "restart": cue(rf"\b(?:restart\w*|reboot\w*|kill\w*|drain\w*|{_ABROAD_RESTART})\b"),
    "failover": cue(r"\bfail\w*[ -]?over\b"),
    "scale": cue(
        r"\b(?:scal\w+ (?:up|out)|capacity|nodes|replicas|instances|workers|volume|disk|"
        r"partition|grow\w*|grew|resiz\w*|rais\w+ (?:the )?(?:limit|pool|quota|max\w*))\b"
    ),
    "flag": cue(r"\b(?:disabl\w+|turn\w* off|flag)\b"),
    "fix": cue(
        r"\b(?:hotfix\w*|fix|patch\w*|redeploy\w*|restor\w*|re-?creat\w*|re-?add\w*|"
        r"put back|renew\w*|re-?issu\w*|rotat\w*|deactivat\w*|revok\w*)\b"
    ),
    "pause": cue(r"\b(?:suspend\w*|paus\w*|halt\w*|cap(?:ped|ping))\b"),
    "throttle": cue(r"\b(?:rate[- ]limit\w*|throttl\w*|block\w*)\b"),
    "cache": cue(r"\b(?:flush\w*|purg\w+|cache)\b"),
}
MITIGATION_DONE = family(
    "mitigation_done",
    "an action reported complete: 'complete', 'done', 'rolled back', 'is live', 'applied'",
    r"\b(?:complete[d]?|done|finished|rolled back|reverted|restarted|failed over|is out|"
    r"deployed|is live|applied|in place|succeeded|went through|back on|killed|disabled|drained|"
    r"flushed|purged|blocked|turned off|scaled (?:up|out)|redeployed|grown|resized|"
    r"raised|pushed|suspended|paused|halted|capped|restored|re-?created|re-?added|renewed|"
    r"re-?issued|rotated|deactivated|revoked|updated|created|live|"
    # German, French, Spanish and Portuguese participles of the same
    r"erledigt|zur(?:ü|ue)ckgerollt|neu gestartet|deaktiviert|pausiert|wiederhergestellt|"
    r"c'?est fait|termin(?:é|e)e?s?|red(?:é|e)marr(?:é|e)e?s?|d(?:é|e)sactiv(?:é|e)e?s?|"
    r"r(?:é|e)tablie?s?|revertid[oa]s?|reiniciad[oa]s?|desactivad[oa]s?|desativad[oa]s?|"
    r"restaurad[oa]s?|hecho)\b",
)
MITIGATION_PROGRESS = family(
    "mitigation_progress",
    "an action reported part-way: halfway, N% done, an ETA, almost, partially",
    r"\b(?:halfway|in progress|\d{1,3}+% (?:done|complete)|eta|almost|nearly|partially)\b",
)
MITIGATION_START = family(
    "mitigation_start",
    "an action being started now: starting, kicking off, initiating, 'rolling back', 'now'",
    r"\b(?:start(?:ing|ed)?|begin(?:ning)?|kick(?:ing|ed)? off|initiat\w*|rolling back|"
    r"reverting|restarting|failing over|doing it|going to|now)\b",
)
WEIGHED = family(
    "weighed",
    "an action weighed, not taken: 'I'd roll back', 'we could restart', 'options: ...'",
    r"\b(?:i'?d|we'?d|would|could|should|might|option\w*|propos\w*|suggest\w*|or|whether|"
    r"before|instead of|without|hold off|no need to|don'?t|do not|wait)\b"
    r"[^.!?]{0,30}\b(?:roll\w*|revert\w*|restart\w*|fail\w*|disabl\w*|scal\w*|purg\w*|"
    r"flush\w*|block\w*|kill\w*|rais\w*|redeploy\w*|suspend\w*|paus\w*)",
)
MODAL = family(
    "modal",
    "an action weighed or possible, not done: should, could, can, would, might, must",
    r"\b(?:should|could|can|would|might|must|may|need to|needs to|want to|wants to)\b",
)
COMMENTARY = family(
    "commentary",
    "an action talked about as a subject, not taken: 'scaling out makes it worse', 'X...'",
    r"^\W{0,3}+(?:(?:and|but|also|plus)\s{1,3}+)?+[a-z]+ing\b[^.!?]{0,40}?\b"
    r"(?:makes?|made|just|only|is|was|won'?t|doesn'?t|"
    r"didn'?t|would|will|helps?|helped|did nothing)\b|\.\.\.\W{0,3}+$|…\W{0,3}+$",
)
PAST_BACKGROUND = family(
    "past_background",
    "something that happened before the incident: last night, yesterday, last week, on Monday",
    r"\b(?:last (?:night|week|month|friday|monday|tuesday|wednesday|thursday|saturday|sunday)|"
    r"yesterday|the other day|(?:on|since|last) (?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)|(?:\d{1,2}|a|two|three|few) (?:days|weeks|months) ago|"
    r"during the maintenance|in the maintenance window|"
    # an earlier day by its date: "on the 26th", "on 10/20", "in february", "since feb 12"
    r"on (?:the )?\d{1,2}(?:st|nd|rd|th)|"
    r"on \d{1,2}/\d{1,2}(?![\d/])(?!\s{0,3}+(?:pods?|nodes?|hosts?|replicas?|instances?|workers?|"
    r"shards?|brokers?|regions?|servers?|machines?|of)\b)|"
    r"(?:in|since|on) (?:jan(?:uary)?|feb(?:ruary)?|march|april|june|july|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?: \d{1,2}(?!\d))?)\b",
)
DECISION = family(
    "decision",
    "the team settling on a course of action: 'decision:', 'we decided to', 'go for X'",
    r"^\W{0,3}+(?:ok(?:ay)?[,.]?\s{1,3}+)?(?:decision|decided|entscheidung|décision|decisión|"
    r"beslissing)\s{0,3}+[:—–-]|\b(?:we(?:'ve| have)? decided|decided to|the decision is|"
    r"let'?s go with|we(?:'ll| will)? go with|wir haben entschieden|on a décidé|decidimos|"
    r"go (?:for|für|pour|con) (?:the |a |an |option |plan )?\w)",
)
RECAP = family(
    "recap",
    "a message that sums up what already happened: 'summary:', 'recap', 'tl;dr', 'status:'",
    r"^\W{0,3}+(?:final |quick |short |incident |channel )?(?:summary|recap|tl;?dr|status update|"
    r"wrap[- ]?up|timeline|what happened)\b[^.!?\n]{0,40}:",
)
RECOVERY = family(
    "recovery",
    "the service getting better: recovered, back to normal, healthy, errors dropping, caught up",
    r"\b(?:recover(?:ed|ing|y)?|back to normal|back to baseline|normali[sz]ed|healthy|"
    r"stabili[sz]ed|(?:is|are|looks?|now) stable|green again|all green|caught up|"
    r"(?:ok|fine|working|normal|flowing|succeed\w*) again|back up|[1-3]\d\ds again|"
    r"(?<![\w-])(?!(?:fail|crash|error|tim|dropp|climb|spik|throw|break|dy|los|hang|stall|"
    r"flap|restart|retr|bounc|alert|pag|fir|degrad|slow)\w*)[a-z]{3,20}(?:ing|able) again|"
    r"\bback at \d{1,4}+|(?:relevant|correct|accurate|fast|responsive|writable|available) again|"
    r"(?:at|to|near|is) baseline|(?<!above )(?<!over )(?<!than )baseline(?=\W{0,3}+$)|"
    r"\ball\b[^.!?]{0,25}\bback\b(?! to\b)|"
    r"(?:queue|backlog|lag)\b[^.!?]{0,30}\b(?:drained|draining|cleared|gone|at zero|zero|"
    r"back to|coming down|shrinking)|"
    r"(?:error rates?|errors|latency|[45]xx|[45]\d\ds|failures|timeouts|crashes|rejections)\b"
    r"[^.!?]{0,40}"
    r"\b(?:dropp\w*|down to|below|falling|fell|decreas\w*|subsid\w*|gone|cleared|"
    r"back(?= (?:to|under|below|down|at|in|near|within)\b)|"
    r"stopped|normal|ok|fine|green|healthy|at zero)|"
    # the same in German, French, Spanish and Portuguese: "läuft wieder", "de nouveau OK"
    r"(?:läuft|laufen|geht|gehen|funktioniert|funktionieren) wieder|wieder (?:da|ok|normal|"
    r"erreichbar|grün|online|stabil)|erholt|"
    r"r(?:é|e)tabli\w*|revenue? (?:à|a) la normale|"
    r"(?:fonctionne|marche)(?:nt)? (?:à nouveau|de nouveau)|"
    r"de nouveau (?:ok|normal|vert|disponible)|"
    r"recuperad[oa]s?|restablecid[oa]s?|restabelecid[oa]s?|normalizad[oa]s?|"
    r"(?:vuelve|volvió|voltou) (?:a funcionar|a la normalidad|ao normal)|"
    r"funciona(?:ndo)? (?:de nuevo|otra vez|de novo))\b",
)
STILL_ONGOING = family(
    "still_ongoing",
    "the trouble going on or back: still failing, not resolved yet, errors are back, stays open",
    r"\bstill (?:failing|broken|down|erroring|seeing|happening|ongoing|degraded|impacted|affected|"
    r"unavailable|timing out|not working|failing for|getting (?:errors|failures|timeouts))\b|"
    r"\b(?:not|isn'?t|is not|aren'?t|are not)(?: yet)? (?:resolved|fixed|recovered|over)\b|"
    r"\b(?:keep(?:ing)?|leav(?:e|ing)) (?:the |this )?(?:channel|incident|bridge) open\b|"
    r"\b(?:incident|channel) (?:stays|remains|is still) open\b|\bno (?:eta|fix yet)\b|"
    r"\b(?:errors?|failures?|timeouts?|5xx|5\d\ds|alerts?|it|they)(?: are| is|'s|'re)? "
    r"(?:back|flapping|firing again)\b(?! (?:to|under|below|down|at|in|near|within|up)\b)|"
    r"\bhanding (?:it |this )?over to\b",
)
STRONG_RECOVERY = family(
    "strong_recovery",
    "the service fully back: recovered, back to normal or baseline, healthy, caught up",
    r"\b(?:recovered|back to normal|back to baseline|(?:at|near) baseline|"
    r"(?<!above )(?<!over )(?<!than )baseline(?=\W{0,3}+$)|healthy|fully|caught up|"
    r"(?:ok|fine|working|normal) again|"
    # the same in German, French, Spanish and Portuguese: "wieder normal", "rétabli pour tous"
    r"wieder normal|(?:läuft|laufen|funktioniert) wieder (?:in |bei |für )?(?:allen|alle|überall)|"
    r"(?:vollständig|komplett) (?:wiederhergestellt|erholt)|r(?:é|e)tablie?s? pour tou[st]e?s?|"
    r"revenue? (?:à|a) la normale|(?:totalmente |completamente )?(?:restablecid|restabelecid|"
    r"normalizad)[oa]s?|(?:volvió|voltou) (?:a la normalidad|ao normal))\b",
)
RESOLUTION = family(
    "resolution",
    "the incident declared over: resolved, closed, all clear, standing down",
    r"(?<![.\w])(?:resolved|incident (?:is )?(?:closed|over|done)|clos(?:e|ing|ed) (?:the|this) "
    r"incident|all clear|standing down|stand down|fully recovered)\b",
)
COMMUNICATION = family(
    "communication",
    "telling people outside the team: status page, support, customers, announcements",
    r"\bstatus ?page\b|\bcustomer[- ]support\b|\bsupport team\b|\bnotif(?:y|ied|ying)\b|"
    r"\binform(?:ed|ing)?\b|\bannounce\w*|\bcomms\b|\bposted (?:an )?update\b|"
    r"\bupdated (?:the )?status\b|\bemail(?:ed)? (?:customers|users)\b|"
    r"#[\w-]{0,30}?(?:support|status|announce|incident|comms)\b|"
    r"\blet (?:customers|users|support) know\b|\b(?:told|telling) (?:customers|users|support|"
    r"the customer|them)\b",
)
ESCALATION = family(
    "escalation",
    "more people brought in or the rank raised: escalating, declaring a SEV, priority to P1",
    r"\b(?:escalat(?:e|ed|ing)\b|declar(?:e|ed|ing) (?:a |an )?(?:sev|incident|p[0-4]|major)|"
    r"(?:paging|paged|pulling|pulled|looping|looped|bringing|brought) (?:in )?(?:the )?"
    r"(?:on-?call|team|\w+ team|[a-z]+ in\b)|sev ?[0-2]\b|@on-?call|"
    # the incident tool's own change of rank: "Priority changed from P3 to P1 by Dana"
    r"(?:severity|priority|urgency) (?:changed|raised|bumped|upgraded|increased)"
    r"(?: from [\w-]{1,12}+)? to\b)",
)
ACKNOWLEDGMENT = family(
    "acknowledgment",
    "a responder taking up what was just reported: 'ack', 'looking', 'on it', 'checking'",
    r"^\W{0,3}+(?:ack(?:ed|nowledged)?|looking(?: (?:into it|into this|now|at it|at this))?|"
    r"on it|checking(?: now)?|investigating|here|joining|taking a look|having a look|"
    r"eyes on(?: it)?|(?:i'?m|we'?re) on it|on my way|schaue(?: ich)?(?: mir an)?|bin dran|"
    r"je regarde|je m'?en occupe|on regarde|lo miro|mirando|estoy en ello)\W{0,5}+$",
)
BOT_NOTICE = family(
    "bot_notice",
    "a bot's message that reports no trouble: a job or check that succeeded, someone joining",
    r"\b(?:succeeded|success(?:ful(?:ly)?)?|passed|completed|joined|left the|"
    r"acknowledged by|assigned to|is now|marked (?:as )?(?:success|done|ok))\b",
)
COMMUNICATION_DONE = family(
    "communication_done",
    "a message to outsiders reported sent: notified, posted, published, 'is up'",
    r"\b(?:notified|posted|sent|informed|told|published|updated|emailed|announced|is up|"
    r"went out)\b",
)

PLATFORM_NOTICE = family(
    "platform_notice",
    "a chat tool's own line, not a report: pinned or deleted message, 'note added by', 'via SMS'",
    r"^\W{0,3}+(?:pinned (?:a )?message\b|\(?deleted message\)?|"
    r"(?:this )?message (?:was )?deleted\b|"
    r"(?:note|follow-?up|task|action item|status page|reminder|incident) (?:was )?"
    r"(?:added|created|updated|posted|edited|assigned) by\b|"
    r"notified [^.!?]{1,40}? via (?:sms|push|e-?mail|phone|voice|slack|app)\b)",
)
WORK_CHATTER = family(
    "work_chatter",
    "talk about the team's own work, not the incident: approved, thanks, no blame, 'to my list'",
    r"^\W{0,3}+(?:approved|lgtm|thanks|thank you|thx|ty|no blame|noted|"
    r"adding (?:it |that |this |them )?to my \w+|pinned (?:in|to)\b)",
)

# --------------------------------------------------------------------------------------------
# How people talk: plans, requests, negation
# --------------------------------------------------------------------------------------------

DRAFTED = family(
    "drafted",
    "words proposed for a message, not a report: say '...', tell them '...', post: '...'",
    r"^\W{0,3}+(?:say|tell (?:them|customers|users|support|people)|post|write|reply|draft|"
    r"status page|update)\b[^.!?'‘\"“]{0,20}?(?::\s{0,3}+)?['‘\"“]",
)
HABITUAL = family(
    "habitual",
    "a standing schedule or state, not an event: 'runs at 16:30 every day', 'refreshed nightly'",
    r"(?<!like )(?<!as )(?<!same as )\b(?:every (?:day|night|morning|evening|hour|week|weekday|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"(?<=s |d )(?:nightly|daily|hourly)|all year|"
    r"year-round|each (?:day|night|morning|evening)|jeden (?:tag|morgen|abend)|täglich|"
    r"tous les jours|chaque (?:jour|nuit))\b",
)
SPOKEN_AT = family(
    "spoken_at",
    "a time that dates what someone said, not an event: 'what I said at 23:05', 'as I wrote at'",
    r"\b(?:what|as|like) (?:i|you|we|he|she|they|\w+) (?:said|wrote|posted|mentioned|asked|"
    r"typed|claimed) (?:at|around|about)\b|\b(?:my|your|his|her|the) (?:message|comment|"
    r"post|note) (?:at|from)\b",
)
FOLLOW_UP = family(
    "follow_up",
    "talk about preventing a repeat: 'we should', 'going forward', action items, postmortem",
    r"\b(?:we should|should we|let'?s (?:add|make|create|write|also)|"
    r"we need to (?:add|create|write)|"
    r"(?:i'?ll|we'?ll|i will|we will) (?:add|write|create|document|automate)|going forward|"
    r"in the future|next time|action items?|follow[- ]?ups?|postmortem|post-mortem|lessons?)\b",
)
FUTURE = family(
    "future",
    "something not yet done: 'I'll', 'will', 'going to', 'about to', 'let's'",
    r"\b(?:i'?ll|we'?ll|will|going to|gonna|about to|plan to|let'?s)\b",
)
CAPABILITY = family(
    "capability",
    "what could or could have been done, not what happened: 'I can', 'would have'",
    r"\b(?:i can|we can|i could|would have|could have|should have|help with)\b",
)
REQUEST = family(
    "request",
    "asking someone to do something: 'can you', 'could you', 'please', 'someone'",
    r"\b(?:can you|could you|would you|will you|please|pls|mind|"
    r"(?:someone|anyone)(?! else)(?! \w+ed\b)(?! (?:ran|did|made|took|put|set|broke|left|wrote|"
    r"sent|got|gave|had|was|is|has))\b)",
)
NEGATED = family(
    "negated",
    "a negated statement: not, never, no longer, not yet, still",
    r"\b(?:not|never|no longer|yet|still|dont|didnt|doesnt|isnt|wasnt|wont|cant|arent|werent|"
    r"havent|hasnt|couldnt|shouldnt|wouldnt)\b|(?<=\w)n't\b",
)
NOBODY = family(
    "nobody",
    "nothing happened or nobody did it: nobody, no one, nothing, didn't, never, no",
    r"\b(?:nobody|no one|nothing|didn'?t|did not|never|wasn'?t|no)\b",
)
HYPOTHETICAL = family(
    "hypothetical",
    "a guess or expectation rather than an observation: could be, would expect, if",
    r"\b(?:could be|might be|may be|would expect|wouldn'?t expect|if|in case|assume|guess)\b",
)


def mitigation_phase(sentence: str) -> Phase:
    """Whether a mitigation sentence starts, reports progress on, or completes the action."""
    if MITIGATION_PROGRESS(sentence):
        return "progress"
    if MITIGATION_DONE(sentence):
        return "done"
    if MITIGATION_START(sentence):
        return "start"
    return "other"


def mitigation_family(sentence: str) -> str:
    """Which kind of mitigation ('rollback', 'restart', ...) a sentence talks about."""
    for name, pattern in MITIGATION_FAMILIES.items():
        if pattern.search(sentence):
            return name
    return "other"
