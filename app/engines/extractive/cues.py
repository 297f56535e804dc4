"""Cue phrases that say what kind of incident event a sentence reports.

Each cue is a word pattern, not a seed-specific phrase: alerts and pages for detection, deploys
for triggers, rollbacks and restarts for mitigation, falling error rates for recovery, and so on.
"""

from __future__ import annotations

import re
from typing import Literal

Phase = Literal["start", "progress", "done", "other"]


def cue(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


DETECTION = cue(
    r"\b(?:alert(?:s|ed|ing)?|paged|pager|pagerduty|opsgenie|victorops|alarms?|firing|"
    r"monitors? (?:fired|triggered|caught|flagged|went off)|"
    r"(?:customers?|users?|merchants?|clients?|support)\b[^.!?]{0,40}?"
    r"\b(?:report\w*|complain\w*|tweet\w*|says|saying|escalat\w*|flagg\w*)|support tickets?|uptime|"
    r"tickets? (?:coming|pouring|flooding)|"
    r"synthetics? (?:\w+ )?fail\w*|health ?checks? (?:fail\w*|red)|noticed|spik(?:e|es|ed|ing))\b"
    r"|\bdown\s*:"
)
ALERT = cue(
    r"\[firing|\btriggered\b|\balert(?:s|ed)?\b|\bpaged\b|\bpagerduty\b|\bopsgenie\b|"
    r"\bmonitor (?:is )?(?:firing|triggered)|\balarm\b"
)
NOBODY = cue(r"\b(?:nobody|no one|nothing|didn'?t|did not|never|wasn'?t|no)\b")
TRIGGER = cue(
    r"\b(?:deploy(?:ed|ment|ments|s)?|pushed|merged|rolled out|roll-?out|released|release|"
    r"shipped|config(?:uration)? change|migration|upgraded?|flipped|enabled)\b"
)
PAST_TRIGGER = cue(
    r"\b(?:deployed|pushed|merged|rolled out|released|shipped|upgraded|flipped|enabled|"
    r"(?:the|a|my|our|this|that|last|latest|recent) (?:deploy|deployment|release|config change|"
    r"migration|upgrade|rollout))\b"
)
COMMITMENT = cue(r"\b(?:i can|we can|i could|would have|could have|should have|help with)\b")
FUTURE = cue(r"\b(?:i'?ll|we'?ll|will|going to|gonna|about to|plan to|let'?s)\b")
INVESTIGATION = cue(
    r"\b(?:investigat\w*|looking into|digging|triag\w*|pull(?:ing)? (?:the )?logs|"
    r"checking (?:the )?(?:logs|dashboards?|metrics|traces))\b"
)
MITIGATION = cue(
    r"\b(?:roll(?:ing|ed|s)?[ -]?back|rollback|revert(?:ing|ed|s)?|restart(?:ing|ed|s)?|"
    r"reboot(?:ing|ed)?|fail(?:ing|ed)?[ -]?over|failover|scal(?:e|ing|ed) (?:up|out)|"
    r"disabl(?:e|ing|ed)|turn(?:ing|ed)? off|kill(?:ing|ed)|drain(?:ing|ed)?|hotfix\w*|"
    r"fix (?:is )?(?:deployed|out|live|rolled out)|deploy(?:ing|ed)? (?:the |a )?fix|"
    r"rate[- ]limit\w*|flush(?:ing|ed)?|purg(?:e|ing|ed)|mitigat\w*|"
    r"(?:added|adding) (?:more )?(?:capacity|nodes|replicas|instances))\b"
)
MITIGATION_FAMILIES: dict[str, re.Pattern[str]] = {
    "rollback": cue(r"\b(?:roll\w*[ -]?back|rollback|revert\w*)\b"),
    "restart": cue(r"\b(?:restart\w*|reboot\w*|kill\w*|drain\w*)\b"),
    "failover": cue(r"\bfail\w*[ -]?over\b"),
    "scale": cue(r"\b(?:scal\w+ (?:up|out)|capacity|nodes|replicas|instances)\b"),
    "flag": cue(r"\b(?:disabl\w+|turn\w* off|flag)\b"),
    "fix": cue(r"\b(?:hotfix\w*|fix|patch\w*)\b"),
    "throttle": cue(r"\b(?:rate[- ]limit\w*|throttl\w*|block\w*)\b"),
    "cache": cue(r"\b(?:flush\w*|purg\w+|cache)\b"),
}
_DONE = cue(
    r"\b(?:complete[d]?|done|finished|rolled back|reverted|restarted|failed over|is out|"
    r"deployed|is live|applied|in place|succeeded|went through|back on|killed|disabled|drained|"
    r"flushed|purged|blocked|turned off|scaled (?:up|out))\b"
)
_PROGRESS = cue(r"\b(?:halfway|in progress|\d+% (?:done|complete)|eta|almost|nearly|partially)\b")
_START = cue(
    r"\b(?:start(?:ing|ed)?|begin(?:ning)?|kick(?:ing|ed)? off|initiat\w*|rolling back|reverting|"
    r"restarting|failing over|going to|now)\b"
)
RECOVERY = cue(
    r"\b(?:recover(?:ed|ing|y)?|back to normal|back to baseline|normali[sz]ed|healthy|"
    r"stabili[sz]ed|(?:is|are|looks?|now) stable|green again|all green|looking good|caught up|"
    r"(?:queue|backlog|lag)\b[^.!?]{0,30}\b(?:drained|cleared|gone|at zero)|"
    r"(?:error rates?|errors|latency|5xx|500s|failures|timeouts)\b[^.!?]{0,40}"
    r"\b(?:dropp\w*|down to|below|falling|fell|decreas\w*|subsid\w*|back|gone|cleared))\b"
)
RESOLUTION = cue(
    r"\b(?:resolved|incident (?:is )?(?:closed|over|done)|clos(?:e|ing|ed) (?:the|this) incident|"
    r"all clear|standing down|stand down|fully recovered)\b"
)
COMMUNICATION = cue(
    r"(?:\bstatus ?page\b|\bcustomer[- ]support\b|\bsupport team\b|\bnotif(?:y|ied|ying)\b|"
    r"\binform(?:ed|ing)?\b|\bannounce\w*|\bcomms\b|\bposted (?:an )?update\b|"
    r"\bupdated (?:the )?status\b|\bemail(?:ed)? (?:customers|users)\b|"
    r"#[\w-]*(?:support|status|announce|incident|comms)[\w-]*|"
    r"\blet (?:customers|users|support) know\b|\btold (?:customers|users|support)\b)"
)
COMMUNICATION_DONE = cue(
    r"\b(?:notified|posted|sent|informed|told|published|updated|emailed|announced|is up|went out)\b"
)
NEGATED = cue(r"\b(?:not|n't|never|no longer|yet|still)\b|n't\b")
PROPOSAL = cue(
    r"\b(?:we should|should we|let'?s (?:add|make|create|write|also)|"
    r"we need to (?:add|create|write)|"
    r"(?:i'?ll|we'?ll|i will|we will) (?:add|write|create|document|automate)|going forward|"
    r"in the future|next time|action items?|follow[- ]?ups?|postmortem|post-mortem|lesson)\b"
)


def mitigation_phase(sentence: str) -> Phase:
    """Whether a mitigation sentence starts, reports progress on, or completes the action."""
    if _PROGRESS.search(sentence):
        return "progress"
    if _DONE.search(sentence):
        return "done"
    if _START.search(sentence):
        return "start"
    return "other"


def mitigation_family(sentence: str) -> str:
    """Which kind of mitigation ('rollback', 'restart', ...) a sentence talks about."""
    for family, pattern in MITIGATION_FAMILIES.items():
        if pattern.search(sentence):
            return family
    return "other"
