"""Holdout: three incident chats written for this file and never used to tune the rules.

They differ from the eval set and from each other in service, format and style (terse lowercase
IRC-ish lines, a chatty bracket-header chat with a hypothesis that gets confirmed, a Slack
copy-paste with an alert bot and a code block). Each checks what a postmortem needs: the root
cause (and that the red herring did not win), the key times, and the owners.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.engines.extractive import extract_report
from app.models import IncidentReport


@dataclass(frozen=True)
class Holdout:
    """One chat and what a correct draft must contain."""

    text: str
    cause_words: list[list[str]]  # every group must have one alternative in the root cause
    not_cause: list[str]  # red herrings that must not be in the root cause
    times: list[tuple[str, str]]  # (HH:MM, a word the timeline entry at that time contains)
    owners: dict[str, str | None]  # a word of the action item -> its owner


THUMBNAILS = Holdout(
    text="""\
21:58 marta: grafana alert firing - thumbnail-worker queue depth 18k and climbing
21:59 dev: looking
22:02 dev: maybe object storage is throttling us again?
22:04 marta: nah storage metrics are clean, not storage
22:07 dev: workers are crashlooping on every pdf upload
22:08 dev: the base image bump this afternoon pulled a newer imagemagick whose policy.xml blocks pdf
22:09 marta: yep that's it
22:11 dev: pinning the previous base image and redeploying
22:17 dev: redeploy done, workers up
22:26 marta: queue drained, thumbnails back to normal
22:31 marta: action items:
- pin the imagemagick version in the worker dockerfile (dev)
- alert on worker crashloops (marta)
""",
    cause_words=[["policy", "imagemagick", "base image"]],
    not_cause=["throttl"],
    times=[("21:58", "alert"), ("22:11", "pin"), ("22:17", "redeploy"), ("22:26", "normal")],
    owners={"dockerfile": "dev", "crashloop": "marta"},
)

SESSIONS = Holdout(
    text="""\
[14:20] Noor
Heads up — support says users are getting logged out every few minutes on the mobile app.

[14:22] Tomás
Session-store evictions jumped to 3k/min around 14:05.

[14:24] Noor
Could it be the new mobile release? It went out this morning.

[14:27] Tomás
Checked, the release doesn't touch auth at all. Ruled out the mobile release.

[14:31] Tomás
I think maxmemory on the session store got halved when we resized the cache node \
yesterday, so it evicts live sessions.

[14:33] Noor
Confirmed, the resize ticket shows maxmemory going from 8gb to 4gb.

[14:35] Tomás
Raising maxmemory back to 8gb now.

[14:38] Tomás
Done, evictions are at zero.

[14:45] Noor
Logout reports have stopped. Resolved.

[14:50] Noor
Follow-ups:
1. Add an alert on session-store evictions
2. Keep maxmemory in the node resize runbook
Tomás can you take 1?

[14:51] Tomás
Sure.

[14:52] Noor
I'll own #2.
""",
    cause_words=[["maxmemory"]],
    not_cause=["mobile release"],
    times=[("14:20", "logged out"), ("14:35", "maxmemory"), ("14:38", "evictions")],
    owners={"alert": "Tomás", "runbook": "Noor"},
)

MIGRATION_LOCK = Holdout(
    text="""\
alertbot  3:02 PM
[FIRING] orders-api p95 latency > 5s (current 11.2s)
Jun  3:03 PM
on it
Priscilla  3:05 PM
could it be the replica failover from this morning?
Jun  3:07 PM
false alarm on the failover, the replica has been healthy all day
Jun  3:08 PM
db cpu is fine but lots of writes are stuck waiting on a lock
```
wait_event_type | count
Lock            | 412
```
Priscilla  3:09 PM
the 2:55 PM deploy had a migration in it
Jun  3:10 PM
yes, that migration builds an index on the orders table without CONCURRENTLY
so every write to orders blocks until the build finishes
Jun  3:12 PM
cancelling the migration now
Jun  3:14 PM
migration cancelled, locks released
Priscilla  3:20 PM
p95 back to 180ms, orders-api is healthy again
Jun  3:25 PM
Action items:
- Jun: lint migrations for non-concurrent index builds
- Priscilla: run large-table migrations outside peak hours
""",
    cause_words=[["index", "concurrently"]],
    not_cause=["failover"],
    times=[("14:55", "deploy"), ("15:02", "latency"), ("15:14", "cancel"), ("15:20", "healthy")],
    owners={"lint": "Jun", "peak": "Priscilla"},
)

HOLDOUTS = {"thumbnails": THUMBNAILS, "sessions": SESSIONS, "migration_lock": MIGRATION_LOCK}

# What the engine still misses here, recorded rather than tuned away (strict: a general fix
# that makes one pass must move it off this list). Reasons are the gaps, not instructions.
_MISSES = {
    ("key_times", "migration_lock"): "'the 2:55 PM deploy' (time before the cue) is not read",
    ("owners", "sessions"): "a request inside the list message itself is not followed",
}


def cases(check: str) -> list[object]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(reason=_MISSES[check, name], strict=True))
        if (check, name) in _MISSES
        else name
        for name in HOLDOUTS
    ]


def draft(case: Holdout) -> IncidentReport:
    ingest = pytest.importorskip("app.ingest")
    return extract_report(ingest.parse_transcript(case.text)).report


@pytest.mark.parametrize("name", cases("root_cause"))
def test_holdout_root_cause(name: str) -> None:
    case = HOLDOUTS[name]
    cause = draft(case).root_cause
    assert cause is not None
    text = cause.text.lower()
    for group in case.cause_words:
        assert any(word in text for word in group), (group, cause.text)
    for herring in case.not_cause:
        assert herring not in text, cause.text


@pytest.mark.parametrize("name", cases("key_times"))
def test_holdout_key_times(name: str) -> None:
    case = HOLDOUTS[name]
    timeline = [(e.time, e.description.lower()) for e in draft(case).timeline]
    for time, word in case.times:
        assert any(t == time and word in d for t, d in timeline), (time, word, timeline)


@pytest.mark.parametrize("name", cases("owners"))
def test_holdout_owners(name: str) -> None:
    case = HOLDOUTS[name]
    items = draft(case).action_items
    for word, owner in case.owners.items():
        matching = [i for i in items if word in i.description.lower()]
        assert matching, (word, [i.description for i in items])
        assert matching[0].owner == owner, (word, matching[0])
