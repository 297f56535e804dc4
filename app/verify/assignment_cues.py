"""The chat phrasings the checker's assignment reading looks for (see `assignments`).

Each cue is a pattern or word set with a note of the general phrasing it covers. Every pattern
is anchored or bounded and possessive: linear on any input (tests/test_verify_linear.py).
"""

from __future__ import annotations

import re

from app.verify.text import stem

ITEM = re.compile(
    r"^[ \t]*+(?:[-*•·+▪◦]|(?P<num>\d{1,2})[.):]|#(?P<hash>\d{1,2})[.):]?|\[[ xX]?\])[ \t]++"
    r"(?P<text>\S.*)$"
)
HEADER = re.compile(
    r"(?:action[- ]?items?|follow[- ]?ups?|to-?dos?|next steps?|tasks?|assignments?|owners?|"
    r"remediations?|takeaways|plan)\b[^:\n]{0,40}:[ \t]*+$|:[ \t]*+$"
    r"|^[\W_]*+(?:(?:ok|okay|so|right)[ \t,]++)?+(?:action[- ]?items?|follow[- ]?ups?|to-?dos?|"
    r"next[ \t]++steps?)[ \t]*+[:.!]?+[ \t]*+$",
    re.IGNORECASE,
)
# A list heading that reports what was done, not what is to do: "recap:", "what we did:",
# "summary so far:", "done so far:", "mitigations applied:".
RECAP = re.compile(
    r"\b(?:recap|summary|timeline|so[ \t]++far|done|completed|fixed|what[ \t]++"
    r"(?:we|i|they|was|has[ \t]++been|have[ \t]++been)[ \t]++(?:did|done|tried|changed|"
    r"happened)|what[ \t]++happened|(?:changes|steps|actions)[ \t]++(?:made|taken)|"
    r"mitigations?[ \t]++(?:applied|taken)|actions?[ \t]++so[ \t]++far)\b[^:\n]{0,40}+:[ \t]*+$",
    re.IGNORECASE,
)
# "Ben: throttle", "Me - runbook", "@maria — alert".
NAME_FIRST = re.compile(
    r"^@?+(?P<name>[A-Za-z][\w.'’]{0,30}+)[ \t]*+(?::|—|–|-(?=[ \t]))[ \t]*+(?P<task>\S.*)$"
)
# "Maria: the pgbouncer alert" in prose (a dash there is an address: "Alex — thanks").
# "ana: make the alert page", "- @kofi: drop the pin": a message (a lead's list line) that
# opens with a name and a colon gives that person work (read by the owner and polarity checks).
WORK_LINE = re.compile(r"\A[ \t*_-]*+@?+(?P<name>[A-Za-z][\w.-]{0,40}+)[ \t]*+:[ \t]")
NAME_COLON = re.compile(r"^@?+(?P<name>[A-Za-z][\w.'’]{0,30}+)[ \t]*+:[ \t]*+(?P<task>\S.*)$")
# "Ravi to take the runbook", "Priya will handle alerting", "Nina owns it".
NAME_VERB = re.compile(
    r"^@?+(?P<name>[A-Za-z][\w.'’]{0,30}+),?+[ \t]++(?:to|will|owns?|takes?|is taking|handles?|"
    r"is on|has|gets?)[ \t]++(?P<task>\S.*)$",
    re.IGNORECASE,
)
# "add the alert -> @Diego", "add the alert — Nina", "add the alert (Nina)", "[owner: Nina]".
NAME_LAST = re.compile(
    r"(?:->|→|=>|⇒|—|–|(?<=[ \t])-|:)[ \t]*+@?+(?P<name>[A-Za-z][\w.'’]{0,30}+)"
    r"[ \t]*+[.!]?+[ \t]*+$"
    r"|[(\[][ \t]*+(?:owner[ \t]*+[:=]?+[ \t]*+)?+@?+(?P<pname>[A-Za-z][\w.'’]{0,30}+)[ \t]*+"
    r"[)\]][ \t]*+[.!]?+[ \t]*+$",
    re.IGNORECASE,
)
OWNER_FIELD = re.compile(r"\b(?:owner|assignee|assigned to)[ \t]*+[:=-]?+[ \t]*+@?+(?P<name>\w+)")
# A line that is only a name: "- Nina", "-> @Diego", "owner: Nina".
ONLY_NAME = re.compile(
    r"^[ \t]*+(?:[-*•·+]|->|→|=>)?+[ \t]*+(?:owner[ \t]*+[:=]?+[ \t]*+)?+@?+"
    r"(?P<name>[A-Za-z][\w.'’]{0,30}+)[ \t]*+[.!]?+[ \t]*+$",
    re.IGNORECASE,
)
ME = frozenset({"me", "myself", "i", "mine"})
# Verbs of passing work on, not taking it: "I'll ask Bob", "I'll leave it", "I'll raise it".
_PASSING = (
    "leave|ask|ping|chase|raise|mention|flag|note|forward|pass|escalate|tell|share|bring|hand|"
    "give|send|let|post|check|confirm|see|find"
)
# The item itself taken by whoever posted the list: "I'll take that one", "I'll tune that",
# "mine", "(me)".
TAKEN_IN_ITEM = re.compile(
    r"\b(?:i['’]ll take (?:that|this|it)(?: one)?+|i['’]ll (?!(?:" + _PASSING + r")\b)[a-z]{2,12}+ "
    r"(?:it|this|that(?![ \t]++(?:the|a|we|it|they|you|he|she|there|is|was)\b))\b|"
    r"i['’]ve got (?:this|that|it)|i got (?:this|that|it)|mine|on me|for me|(?:\(|\[)me(?:\)|\]))",
    re.IGNORECASE,
)
# A reply that takes the work just named, whatever else it says: "that's mine, PR tomorrow",
# "that's on me, I broke it", "also me", "mine, NET-412".
TAKES_IT = re.compile(
    r"^[\W_]*+(?:(?:also|and|ok|okay|yes|yep|sure)[ \t,]++)?+(?:(?:that['’]s|that[ \t]++is|"
    r"it['’]s)[ \t]++)?+(?:mine|on[ \t]++me|me)\b(?![ \t]++(?:again|too|neither)\b)",
    re.IGNORECASE,
)
# Taking the work just named by a word for it: "I'll take it", "we'll take it", "I can do it",
# "I'll put it in terraform", "give it to me", "I'll take that one myself".
TAKE_ANAPHOR = re.compile(
    r"\b(?:(?:i|we)['’]ll|i[ \t]++will|we[ \t]++will|i[ \t]++can|we[ \t]++can)[ \t]++"
    r"(?!(?:" + _PASSING + r")\b)[a-z]{2,12}+[ \t]++"
    r"(?:it|this|that(?![ \t]++(?:the|a|we|it|they|you|he|she|there|is|was)\b))"
    r"(?:[ \t]++one)?+\b|\bgive[ \t]++(?:it|that|this)[ \t]++"
    r"to[ \t]++me\b|\bassign[ \t]++(?:it|that|this)[ \t]++to[ \t]++me\b",
    re.IGNORECASE,
)
# Words that head a list posted one item per message: "follow-ups", "follow ups:",
# "action items -", "follow-ups. 1. the cleanup script ...".
RUNNING_HEAD = re.compile(
    r"^[\W_]*+(?:(?:ok|okay|so|right|great)[ \t,.]++)?+(?:action[- ]?items?|follow[- ]?ups?|"
    r"to-?dos?|next[ \t]++steps?)[ \t]*+[:.!\-—–]?+[ \t]*+",
    re.IGNORECASE,
)
# A clause in which its author takes something: "I'll take", "mine", "taking 4".
TAKING = re.compile(
    r"\b(?:i['’]ll|i will|we['’]ll|i can[ \t]++(?:take|do|own|handle|grab|pick|scope|fix|add)|"
    r"i(?:['’]m| am)[ \t]++(?:on|taking|grabbing|handling|picking|doing|owning)|let me|i got|"
    r"i['’]ve got|mine|taking|grabbing|claiming|owning|dibs|put me|sign me|count me|for me|"
    r"on me|happy to|i volunteer|i['’]ll volunteer|leave it with me|on my plate|i['’]d like to "
    r"take)\b|^[\W_]*+me[\W_]*+$",
    re.IGNORECASE,
)
# An item number: "#2", "1 and 3", "2 is mine", "I'll do 3", "3?" -- a number followed by a
# word other than these is a count ("the 3 refunded customers").
NUMBER = re.compile(
    r"(?<![\w:.,#$\-])#?+(?P<n>\d{1,2})(?![\w%]|[.,:]\d)"
    r"(?=[ \t]*+(?:$|[^\w \t]|(?:and|or|is|are|mine|for|too|then|please|now|today|tomorrow|"
    r"as well|&|\+)\b))"
)
REQUEST = re.compile(
    r"\b(?:can|could|would|will)[ \t]++(?:you|u)\b|\byou[ \t]++(?:can|could)\b|\bmind\b|"
    r"\bplease\b|\bpls\b|\bmaybe[ \t]++you\b|\bwant to\b",
    re.IGNORECASE,
)
ACCEPT = re.compile(
    r"^[\W_]*+(?:yes|yep|yup|yeah|ya|sure|ok|okay|k|on it|will do|can do|got it|happy to|"
    r"absolutely|of course|no problem|np|sounds good|i['’]ll take|i['’]ll do|i can|i['’]ll handle|"
    r"i['’]m on it|mine|definitely|for sure|done|roger|ack|consider it done|i['’]ll own)(?!\w)"
    r"|^[\W_]*+(?:👍|✅|🙋|\+1)",
    re.IGNORECASE,
)
DECLINE = re.compile(
    r"^[\W_]*+(?:no|nope|nah|can['’]?t|cannot|not me|sorry|not this|busy|i['’]m out|"
    r"unfortunately|i won['’]t)(?!\w)",
    re.IGNORECASE,
)
PROPOSAL = re.compile(
    r"\b(?:we|someone|somebody|anyone|anybody|one of us)[ \t]++(?:should|need to|needs to|"
    r"must|ought to|could|has to|have to)\b|\bneed(?:s)?+[ \t]++to\b|\blet['’]s\b|"
    r"\bshould[ \t]++(?:we|the|it|this|that|someone)\b|\bwho[ \t]++(?:can|will|wants|is[ \t]++"
    r"taking|owns)\b|\bcan[ \t]++"
    r"(?:someone|somebody|anyone|anybody)\b|\b(?:follow[- ]?up|todo|to-do|action item)\b",
    re.IGNORECASE,
)
DEFERRAL = re.compile(
    r"\b(?:whoever|backlog|unassigned|unowned|no[ \t]++owner|someone[ \t]++else|not[ \t]++me|tbd|"
    r"later|not[ \t]++assigning|not[ \t]++pick|can[ \t]++wait|team[ \t]++board|nobody|"
    r"no[ \t]++one)\b",
    re.IGNORECASE,
)
# "do 1 first thing tomorrow", "take #3 today": a number right after a verb of taking.
VERB_NUMBER = re.compile(
    r"\b(?:take|do|own|grab|handle|claim|have|got|picking|pick)[ \t]++"
    r"(?:item[ \t]++|number[ \t]++)?+#?+(?P<n>\d{1,2})(?![\w%.:,])",
    re.IGNORECASE,
)
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
ORDINAL = re.compile(
    r"\b(?P<word>first|second|third|fourth|fifth|sixth|seventh|eighth)[ \t]++(?:one|item|point|"
    r"bullet)\b",
    re.IGNORECASE,
)
# "runbook: Priya", "alerting -> @Diego", "assigning the runbook to Priya": work given in prose.
TASK_THEN_NAME = re.compile(
    r"^(?P<task>[^:\n]{3,120}?)[ \t]*+(?::|->|→|=>)[ \t]*+@?+"
    r"(?P<name>[A-Za-z][\w.'’]{0,30}+)[.!]?+$"
)
ASSIGNING = re.compile(
    r"\bassign(?:ing|ed)?+[ \t]++(?P<task>.{3,120}?)[ \t]++to[ \t]++@?+"
    r"(?P<name>[A-Za-z][\w.'’]{0,30}+)[.!]?+$",
    re.IGNORECASE,
)
HANDLE = re.compile(r"^@(?P<name>[A-Za-z][\w.]{0,30}+)")
# A list line that opens with a handle and goes on with the work: "@rafa.kt add the disk alert".
HANDLE_TASK = re.compile(
    r"^@(?P<name>[A-Za-z][\w.]{0,30}+)[ \t,]++(?P<task>[A-Za-z]\S*+(?:[ \t]++\S++)++)$"
)
LEAD_NUMBER = re.compile(r"^[ \t]*+#?+(\d{1,2})[.):]?+[ \t]")
ANAPHOR = re.compile(r"\b(?:that|it|this|those|them|one)\b", re.IGNORECASE)
LEAD_WORDS = re.compile(
    r"^[ \t]*+(?:(?:also|and|ok|okay|so|yes|great|cool|thanks|then|oh|hey|hi)[,!.]?+[ \t]++)*+",
    re.IGNORECASE,
)

# Cheap exact gates, tried before a pattern that cannot match without one of these words
# (`may_say`): most clauses of a chat hold no cue at all, and each case-insensitive pattern
# would be tried at every position of every clause.
HEADER_WORDS = ("action", "follow", "todo", "to-do", "next")  # HEADER's line ending without ':'
ORDINAL_WORDS = ORDINALS
PROPOSAL_WORDS = (
    "should", "need", "must", "ought", "could", "has", "have", "let", "who", "can", "follow",
    "todo", "to-do", "action",
)  # fmt: skip
DEFERRAL_WORDS = (
    "whoever", "backlog", "unassigned", "unowned", "owner", "else", "not", "tbd", "later",
    "wait", "board", "nobody", "one",
)  # fmt: skip
ASSIGNING_WORDS = ("assign",)
TAKING_WORDS_GATE = (
    "i'", "i’", "we'", "we’", "i will", "i can", "i am", "let me", "i got", "mine", "taking",
    "grabbing", "claiming", "owning", "dibs", "put me", "sign me", "count me", "for me", "on me",
    "happy to", "i volunteer", "leave it with me", "on my plate",
)  # fmt: skip
_ALONE_ME = re.compile(r"^[\W_]*+me[\W_]*+$", re.IGNORECASE)  # TAKING's last alternative
# Letters that IGNORECASE matches to an ASCII letter which `str.lower` does not give: 'İ' and
# 'ı' (i), 'ſ' (s). A text holding one is always tried.
_UNLOWERED = frozenset("\u0130\u0131\u017f")
DIGIT = re.compile(r"\d")


def may_say(text: str, words: tuple[str, ...]) -> bool:
    """False only when `text` holds none of `words` in any case: a case-insensitive pattern
    that needs one of them cannot match it."""
    lowered = text.lower()
    for word in words:
        if word in lowered:
            return True
    return not text.isascii() and not _UNLOWERED.isdisjoint(text)


def may_take(text: str) -> bool:
    """False only when TAKING cannot match `text`: none of its phrases, and not 'me' alone."""
    return may_say(text, TAKING_WORDS_GATE) or _ALONE_ME.match(text) is not None


def may_give(text: str) -> bool:
    """False only when `text` has none of TASK_THEN_NAME's arrows or a colon."""
    return ":" in text or "->" in text or "→" in text or "=>" in text


def may_head(line: str) -> bool:
    """False only when HEADER cannot match `line` (one line, no line break inside): it ends in
    ':' (then spaces), or it holds one of `HEADER_WORDS`."""
    return line.rstrip(" \t\n").endswith(":") or may_say(line, HEADER_WORDS)


TAKING_WORDS = frozenset(
    stem(w)
    for w in """own take care handle grab pick do it on mine that this one can will item items
    number follow up followup action todo sure yes please maybe someone should need""".split()
)
