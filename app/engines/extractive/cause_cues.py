"""Cue families of causes, hypotheses, confirmations and corrections.

How people in an incident channel say why something broke: they state a cause outright ("the
root cause is", "caused by", "turns out"), link an effect to a cause ("because", "due to"), own a
slip ("typed 100 instead of 10", "that was my change"), guess ("maybe", "I think"), confirm
someone else's guess ("yep, that's it"), or rule a hypothesis out ("not the network", "red
herring"). Each family is registered in `cues.FAMILIES` and tested with sentences of its own.
"""

from __future__ import annotations

from app.engines.extractive.cues import family

CAUSE_STATED = family(
    "cause_stated",
    "a cause stated outright: 'the root cause is', 'caused by', 'turns out', 'found the bug'",
    r"\broot[- ]?caused?\b\s*(?:is|was|:|=|—|-|here|looks|seems|appears)|\brca\s*[:=]|"
    r"^\W{0,3}+(?:probable |likely |actual |real )?(?:cause|why)\s{0,3}+(?::|—|–)|"
    r"^\W{0,3}+(?:ursache|grund|warum|causa(?: ra[ií]z)?|cause(?: racine)?|oorzaak|"
    r"raison)\s{0,3}+:|"
    r"\bthe (?:actual |real |underlying )?cause (?:is|was|seems|looks)\b"
    r"(?! (?:unknown|unclear|not|still))|\bcaused by\b|"
    # the speaker's own find: "found it", "i think we found the bug"; not "the bank found it"
    r"(?:^\W{0,3}+|\b(?:i|we|i'?ve|we'?ve|think|finally|ok(?:ay)?|so|and|yes|yep|oh|ah)\W{1,3}+)"
    r"found (?:it|the (?:issue|problem|bug|culprit|cause))\b|\bturn(?:s|ed) out\b|"
    r"^\W{0,3}+(?:trouvé|j'ai trouvé|gefunden|hab(?:'s| es) gefunden|encontrado|lo encontré|"
    r"trovato|gevonden)(?!\w)|"
    r"\bi know what happened\b|\bfigured (?:it )?out\b|"
    r"\bthe (?:real |actual |underlying )?(?:problem|issue|bug) (?:here |then )?(?:is|was)\b|"
    r"^\W{0,3}+(?:problem|issue) here (?:is|was)\b|\b(?:is|are|was|were) to blame\b|"
    # the same in German, French, Spanish, Italian, Portuguese and Dutch
    r"\b(?:die )?ursache (?:war|ist)\b|\bdas problem (?:war|ist)\b|\bla cause (?:est|était)\b|"
    r"\ble problème (?:est|était)\b|\bla causa (?:fue|es|era|è|era)\b|"
    r"\bel problema (?:fue|es|era)\b|\bil problema (?:è|era)\b|\ba causa (?:foi|é)\b|"
    r"\bde oorzaak (?:is|was)\b|"
    r"\bculprit\b|\bit'?s because\b|\b(?:was|is) due to\b|"
    r"\bthat'?s (?:the|our) (?:real |actual |underlying |root )?(?:problem|issue|cause|bug)\b|"
    r"\bthe reason (?:is|was)\b|"
    r"\bthat'?s an? [\w-]{1,20}+ (?:problem|issue|bug)\b|"
    r"\b(?:was|is|were) (?:the|our) (?:problem|issue|cause|culprit|trigger)\b|"
    r"\btraced (?:it|this|that|the \w+) (?:back )?to\b|\bnarrowed (?:it )?down to\b|"
    r"\b(?:comes|boils) down to\b|\bthe trigger (?:is|was)\b|\bwhat happened (?:is|was)\b|"
    r"^\W{0,3}+(?:(?:so|ok(?:ay)?|yep|yes|yeah)[,.!]?\s{1,3}+)?confirmed\b|"
    r"\bthat explains (?:it|everything|the|why|how|a lot)\b|\b(?:that|which) is why\b|"
    r"\bthat'?s why\b|\bwhich explains\b",
)
CAUSE_LINK = family(
    "cause_link",
    "an effect linked to a cause: because (weil, parce que, porque), due to, led to, broke",
    r"\b(?:because|due to|looks like|seems like|seems to be|appears to be|so it'?s (?:a|an|the)|"
    r"pointing to|result of|resulted in|triggered by|broke|breaking|led to|leads to|"
    r"weil|wegen|aufgrund|parce que|à cause d|porque|debido a|a causa de|omdat|perch[eé]|"
    r"caus(?:es|ed|ing)|meant that|ended up|which (?:caused|meant|made|broke|blocked|filled|"
    r"triggered|killed)|that'?s what|,\s?so (?:every|all|the|it|they|nothing)|"
    r"pushed\b[^.!?]{0,60}\b(?:over|past|beyond))\b",
)
HEDGE = family(
    "hedge",
    "a guess, not a finding: maybe, might, could be, I think, suspect, probably, theory",
    r"\b(?:maybe|might|could be|i think|suspect\w*|probably|my guess|guess|wondering|perhaps|"
    r"possibly|not sure|unsure|theory|hypothesis|hunch)\b",
)
FAULT = family(
    "fault",
    "something wrong with a part of the system: errors, broken, expired, full, missing, wrong",
    r"\b(?:errors?|fail\w*|broken?|breaks|breaking|breakage|down|crash\w*|timeouts?|timed out|"
    r"timing out|outage|oom\w*|incompatib\w*|exceed\w*|out of|ran out|maxed out|dead|revoked|"
    r"over [^.!?]{0,20}?(?:limits?|max\w*|quotas?|capacity|budget)|empty|blank|unset|"
    r"wrong|missing|expired?|bad|bugs?|buggy|leak\w*|full|exhaust\w*|overload\w*|saturat\w*|"
    r"misconfig\w*|config\w*|refused|unreachable|non-?existent|invalid|corrupt\w*|deadlock\w*|"
    r"out of memory|regression|race|typo|stale|inactive|orphan\w*|pinning|blocks?|blocking|"
    r"broke|strip(?:s|ped|ping)|overwr\w*|truncat\w*|lost|skew\w*|stuck|hung|hanging|stalled|"
    r"locks?|locked|deleted|removed|dropped|wasn'?t|isn'?t|not|without|never)\b",
)
BROKEN_STATE = family(
    "broken_state",
    "a part of the system in a broken state: expired, revoked, full, missing, deleted, stuck",
    r"\b(?:expired|revoked|full|exhausted|missing|deleted|removed|dropped|disabled|stale|inactive|"
    r"corrupt\w*|leak\w*|deadlock\w*|locked|stuck|hung|overloaded|saturated|maxed out|ran out|"
    r"out of|unset|empty|invalid|misconfigured|incompatible|oom\w*|crash(?:ed|es|ing)|regression|"
    r"skew\w*|stripped|overwritten|truncated|orphaned|pinning|blocking|exceed\w*|"
    r"(?:has|have|had)(?: not|n'?t) (?:run|fired|renewed|synced|been running)|never (?:ran|renewed|"
    r"fired|synced)|stopped (?:running|renewing|syncing)|"
    r"(?:points?|pointing) (?:at|to) (?:the )?(?:old|wrong|retired|stale|dead))\b",
)
MISTAKE = family(
    "mistake",
    "a slip named as such: instead of (en vez de, statt, au lieu de), typo, by mistake, forgot",
    r"\b(?:instead of|en vez de|en lugar de|(?:an)?statt(?=[ \t]++(?!und\b|oder\b|aber\b)\w)|"
    r"au lieu d\w*|em vez de|ao inv[ée]s de|"
    r"invece di|in plaats van|typo\w*|fat[- ]?finger\w*|mis-?typ\w*|by mistake|by accident|"
    r"accidentally|forgot (?:to|the|about))\b",
)
ADMISSION = family(
    "admission",
    "the speaker names their own change as the cause: 'my change', 'that was me', 'it's mine'",
    r"\b(?:it'?s mine|that'?s mine|that'?s on me|that was me|"
    r"(?:it'?s|it was|that'?s|that was|that would be|must be|probably) (?:my|our) (?:change|"
    r"deploy\w*|pr|commit|migration|config\w*|script|release|push|merge|patch)|"
    r"my (?:change|deploy|deployment|fault|mistake|pr|commit|migration|script))\b",
)
EXTERNAL = family(
    "external",
    "the cause placed outside the team: 'on their side', 'the provider's outage', 'not us'",
    r"\b(?:on (?:their|the (?:vendor|provider|partner|supplier)'?s?|[a-z]{2,20}'s) (?:side|end)|"
    r"(?:their|the (?:vendor|provider|partner|supplier|upstream)'?s?|upstream|third[- ]party) "
    r"(?:outage|incident|issue|problem|bug|failure)|it'?s (?:not us|them|upstream))\b",
)
REALISATION = family(
    "realisation",
    "an interjection announcing a discovery in the sentences after it: 'oh no.', 'oops', 'aha'",
    r"^\W{0,3}+(?:oh+,? no|uh[- ]?oh|oops|whoops|aha|welp)\b",
)
LOCATED = family(
    "located",
    "a conclusion naming the culprit: 'so it's the rate limit', 'it was the cron job'",
    r"^\W{0,3}+(?P<so>so,?\s{1,3}+)?(?:it'?s|it is|it was)\s{1,3}+(?:the|our|a|an)\s{1,3}+\w",
)
CONCLUSION = family(
    "conclusion",
    "a sentence that draws a conclusion from what came before: 'so the token is dead'",
    r"^\W{0,3}+so,?\s{1,3}+(?!far\b|yeah\b|what\b|who\b|how\b|should\b|do\b|can\b|"
    # "so are they paid twice or not": a question without its mark asks, it concludes nothing
    r"(?:are|is|was|were|did|does|will|would|could|has|have|any|anyone|where|when|why)\s)",
)
CONNECTIVE = family(
    "connective",
    "an explicit causal connective naming a cause after it: because of, due to, as a result of",
    r"\b(?:because(?: of)?|due to|as a result of|on account of|owing to|aufgrund|"
    r"parce que|à cause d\w*|porque|debido a|a causa de|omdat|vanwege)\s",
)
CONFIRMATION = family(
    "confirmation",
    "a reply agreeing with the hypothesis before it: yes, exactly, that's it, ahí está, genau",
    r"^\W{0,3}+(?:(?:oh+|ah+|ouch|ugh|damn|wow|argh)[,.!]{0,3}+\s{1,3}+)?(?:yes|yep|yup|yeah|ya|"
    r"correct|exactly|bingo|confirmed|that'?s it|that'?s the one|nailed it|spot on|good catch|"
    r"that tracks|that matches|makes sense|"
    r"ah[ií] est[aá]|eso es|exact[oa]|exactamente|(?:genau|stimmt)(?![ \t]++nicht\b)|"
    r"c'est [çc]a|exactement|"
    r"isso mesmo|exat[oa]|esatto|precis)\b",
)
FIRM_CONFIRMATION = family(
    "firm_confirmation",
    "an unmistakable confirmation, even without a question before it: 'confirmed', 'bingo'",
    r"^\W{0,3}+(?:(?:yes|yep|yup|yeah|oh+|ah+|ouch|ugh|damn|wow|argh)[,.!]{0,3}+\s{1,3}+)?"
    r"(?:confirmed|bingo|exactly|that'?s it|that'?s the one|nailed it|spot on|that tracks|"
    r"that matches|ah[ií] est[aá]|exact[oa]|exactamente|genau(?![ \t]++nicht\b)|c'est [çc]a|"
    r"exactement|exat[oa]|"
    r"esatto)\b",
)
EXPLAINS_EFFECT = family(
    "explains_effect",
    "the effect a cause explains: 'that explains why', 'that's why', por eso, deshalb, por isso",
    r"\b(?:that|this|which) explains (?:why|how)\b|\b(?:that|which) is why\b|\bthat'?s why\b|"
    r"\bpor eso\b|\bdeshalb\b|\bc'est pour [çc]a\b|\bvoil[àa] pourquoi\b|"
    r"\b(?:é )?por isso\b|\becco perch[ée]\b|\bdaarom\b|"
    # "darum" / "per questo" mean "that's why" only opening a sentence ("ich kümmere mich darum":
    # I'll see to it; "grazie per questo": thanks for this)
    r"^\W{0,3}+(?:darum|per questo)\b",
)
REFERS_BACK = family(
    "refers_back",
    "a sentence pointing at the cause just stated: 'that explains it', 'that's the culprit'",
    r"\b(?:that explains (?:it|everything|a lot)|that'?s it|"
    r"that'?s the (?:culprit|problem|issue|cause))\b",
)
CORRECTION = family(
    "correction",
    "a hypothesis ruled out or taken back: 'not the X', 'ruled out', 'red herring', 'nope'",
    r"\b(?:not the|not a|not an|not our|not my|isn'?t the|wasn'?t the|it'?s not|it isn'?t|"
    r"it wasn'?t|ruled? out|rules? out|red herring|false alarm|scratch that|never ?mind|nvm|"
    r"ignore (?:that|my last)|i was wrong|wrong about|correction|"
    r"actually,? (?:it'?s|it is|it was|the)|probably not|not it\b|nope\b|dead end|"
    r"[,;—–]\s{0,3}+(?:so\s{1,3}+)?not (?:that|this)(?=\W{0,3}+$)|"
    r"doesn'?t explain|unrelated|not related|not involved|nothing to do with|"
    r"(?:is|are|was|were|looks?) (?:fine|clean|ok|normal|healthy)\b[^.!?]{0,20}?(?:,|$|so)|"
    r"(?:drop|dropp|park|scrap|shelv|abandon|discard|kill)\w* (?:the|that|this|my|our) "
    r"[\w-]{1,30}+ ?[\w-]{0,30}? ?(?:theory|idea|hypothesis|lead|hunch|angle|suspicion))\b",
)
DISMISSAL = family(
    "dismissal",
    "a hypothesis dismissed in so many words: red herring, ruled out, unrelated, not involved",
    r"\b(?:red herring|ruled? out|rules? out|false alarm|unrelated|not related|not involved|"
    r"nothing to do with|dead end|not the (?:issue|problem|cause|culprit)|wasn'?t the "
    r"(?:issue|problem|cause|culprit))\b",
)
SELF_RETRACTION = family(
    "self_retraction",
    "the speaker takes back their own last claim: 'scratch that', 'I was wrong', 'my bad'",
    r"\b(?:scratch that|ignore (?:that|my last)|disregard (?:that|my last)|i was wrong|my bad)\b",
)
RETRACTION = family(
    "retraction",
    "the last claim withdrawn, whoever made it: 'false alarm', 'never mind', 'nvm'",
    r"\b(?:false alarm|never ?mind|nvm)\b",
)
NEW_CAUSE = family(
    "new_cause",
    "a correction that goes on to name another culprit: 'it's the ...', 'the real ...'",
    r"\b(?:it['’]s|its (?:the|a|an|our)|it is|it was|the (?:real|actual) \w+|"
    r"that'?s (?:the|a|an|our))\b",
)
GAP = family(
    "gap",
    "a missing safeguard that let it happen or last: no alert, no test, nobody noticed",
    r"\b(?:didn'?t|did not|doesn'?t|does not|don'?t|do not|wasn'?t|was not|weren'?t|isn'?t|"
    r"is not|no|never|nobody|no one|nothing|without|missing|lack(?:ed|ing|s)?)\b[^.?!]{0,40}"
    r"\b(?:catch|caught|alert\w*|test\w*|check\w*|validat\w*|monitor\w*|mention\w*|cover\w*|"
    r"runbook|review\w*|staging|document\w*|detect\w*|notic\w*|pag(?:e|ed|ing)|canary|"
    r"look(?:ed)?|dropp\w*|clean\w*)\b|"
    r"\b(?:contribut\w*|made (?:it|this|things) worse|compounded|exacerbat\w*|amplified)\b",
)
ALSO = family(
    "also",
    "a sentence adding another problem: 'also', 'plus', 'on top of that', 'another issue'",
    r"^(?:also|and also|plus|on top of (?:that|this)|another (?:issue|problem|factor))\b",
)
CONTINUES = family(
    "continues",
    "a message carrying the previous one's explanation on: 'and ...', 'so ...', 'which ...'",
    r"^\W{0,3}+(?:and|so|which|plus)\b",
)
INTENT = family(
    "intent",
    "an action being taken or planned, not a cause: 'adding', 'I'll', 'let me', 'going to'",
    r"^(?:also,?\s{1,3}+|and\s{1,3}+)?(?:adding|add|i'?ll|we'?ll|(?:i'?m|we'?re) \w+ing|"
    r"let me|let'?s|going to|gonna|will|planning|doing it|on it)\b",
)
WHY_QUESTION = family(
    "why_question",
    "a question digging beneath a cause: 'why didn't ...?', 'how come ...?'",
    r"^\W{0,3}+(?:(?:but|so|and|ok(?:ay)?),?\s{1,3}+)?(?:why\b|how come\b|what (?:caused|changed|"
    r"broke|triggered)\b|which [\w-]{1,20}+ (?:is|was|did|caused)\b)",
)
ANAPHOR = family(
    "anaphor",
    "a sentence that opens by pointing back at the one before: 'its ...', 'this means ...'",
    r"^\W{0,3}+(?:its|their|this|these|that|those|they|which|it (?!is\b|was\b|'s\b))\b",
)
SITUATION_REPORT = family(
    "situation_report",
    "a lead's message telling where the incident stands: 'summary:', 'where we are', 'status:'",
    r"^\W{0,3}+(?:(?:final|quick|short|incident|channel|current|interim|latest)\s{1,3}+)?"
    r"(?:summary|recap|tl;?dr|status(?!\s{0,3}+page)(?: update)?|update|sitrep|situation|"
    r"handover|hand-?off|wrap(?:ping)?[- ]?up|where we (?:are|stand)|state of play|for the record|"
    r"zusammenfassung|stand|r[ée]sum[ée]|resumen|riepilogo|samenvatting|statut|estado|"
    r"point(?= (?:de situation|à|at|\d)))\b"
    # "summary for the record:", a heading line of its own with a time: "point à 14h55", or a
    # bold heading line: "**summary for the doc**"
    r"(?:[^.!?\n:]{0,40}+:|\s{1,3}+(?:(?:à|at|um|a las|alle|om)\s{1,3}+)?\d{1,2}(?:[:h.]\d{2})?+"
    r"[^.!?\n:]{0,30}+$|[^.!?\n:*]{0,40}+\*\*\W{0,3}+$)",
)
CHANGED_THING = family(
    "changed_thing",
    "a part of the system someone changes: a config, deploy, release, rule, cert, quota, limit",
    r"\b(?:config\w*|settings?|deploy\w*|release[sd]?|rollout|roll(?:ed)? out|version|upgrade[sd]?|"
    r"update[sd]?|migrat\w*|schema|rules?(?:set)?|polic(?:y|ies)|certs?|certificates?|keys?|"
    r"tokens?|secrets?|credentials?|quotas?|limits?|thresholds?|flags?|toggles?|"
    r"time ?zones?|schedules?|cron\w*|index(?:es)?|dns|records?|routes?|patch(?:ed)?|"
    r"commit|pr|merge[ds]?|image|build|v\d++(?:\.\d++)*+|\d++\.\d++\.\d++|new in)\b",
)
