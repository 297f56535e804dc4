"""Time ingest on long pastes: parse time at several channel sizes and its growth exponent.

Run: `.venv/bin/python bench/bench_ingest.py [--sizes 5000,20000,50000]`. Each shape is a
realistic paste (Slack copy, bracket-inline with code blocks and one unclosed fence, the
Mattermost name/time layout, Slack's desktop layout with status, reactions and thread links,
Teams' preview lines with quoted replies, a PagerDuty incident page with each entry's time below
it, incident.io's Timeline tab with a bare time above each entry, and the Teams Graph and
Mattermost exports); the exponent is the slope of log(time) over log(messages), about 1.0 for
linear growth.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections.abc import Callable

from app.ingest import parse_transcript


def _slack(n: int) -> str:
    return "\n".join(
        f"User {i % 7}  {(i // 60) % 12 + 1}:{i % 60:02d} PM\nstep {i}: rollback verified"
        for i in range(n)
    )


def _inline_with_fences(n: int) -> str:
    lines = []
    for i in range(n):
        stray = " see ``` (never closed)" if i == 100 else ""
        lines.append(f"[{(i // 60) % 24:02d}:{i % 60:02d}] user{i % 7}: step {i}{stray}")
        if i % 500 == 0 and i != 100:
            lines += ["```", "[09:14] worker-7: Traceback", "```"]
    return "\n".join(lines)


def _stacked(n: int) -> str:
    return "\n".join(
        f"user.{i % 7}\n{(i // 60) % 12 + 1}:{i % 60:02d} AM\nstep {i}" for i in range(n)
    )


_NAMES = ["Ana Ruiz", "Kofi Mensah", "Priya Sharma", "Lee Bo", "Marta Nowak", "Sam Ito", "Jo Li"]


def _slack_desktop(n: int) -> str:
    return "\n".join(
        f"{_NAMES[i % 7]}\n{':pager:' if i % 3 else ''}  {(i // 60) % 12 + 1}:{i % 60:02d} PM\n"
        f"step {i}: rollback verified\n:+1:\n{i % 5 + 1}\n"
        + ("3 replies\nLast reply 2 days agoView thread\n" if i % 40 == 0 else "")
        for i in range(n)
    )


def _teams_previews(n: int) -> str:
    lines = []
    for i in range(n):
        name = ", ".join(reversed(_NAMES[i % 7].split()))
        text = f"step {i}: rollback verified on node {i}"
        lines.append(f"{text[:20]}... by {name}")
        if i % 50 == 1:  # a reply quoting an earlier message
            lines.append(f"Begin Reference, step {i - 1}... by Ruiz, Ana\nRuiz, Ana")
            lines.append(f"3/17/2025 1:00 AM\nstep {i - 1}")
        lines.append(f"{name}\n3/17/2025 {(i // 60) % 12 + 1}:{i % 60:02d} AM")
        lines.append(f"\n{text}\n\n👍\n2 Like reactions.\n2\n")
    return "\n".join(lines)


def _pagerduty_page(n: int) -> str:
    entries = []
    for i in range(n):
        clock = f"{(i // 60) % 12 + 1}:{i % 60:02d} PM"
        body = (
            "Note added by Ana Ruiz\nstep done\n\nsecond paragraph" if i % 3 else "Notified Jo Li."
        )
        entries.append(f"{body}\nMar 4, {clock} · 9 hours ago\n")
    return "Timeline  Sort: Oldest first\n\n" + "\n".join(entries)


def _incident_io_tab(n: int) -> str:
    return "Thursday 5 June 2025\n\n" + "\n".join(
        f"{(i // 60) % 24:02d}:{i % 60:02d}\n📌 Pinned message  ·  {_NAMES[i % 7]}\nstep {i}\n"
        for i in range(n)
    )


def _teams_graph(n: int) -> str:
    def message(i: int) -> dict[str, object]:
        clock = f"{(i // 3600) % 24:02d}:{(i // 60) % 60:02d}:{i % 60:02d}"
        return {
            "id": str(i),
            "createdDateTime": f"2025-01-15T{clock}Z",
            "messageType": "message",
            "from": {"user": {"id": f"u{i % 7}", "displayName": _NAMES[i % 7]}},
            "body": {
                "contentType": "html",
                "content": f"<p>step <b>{i}</b></p><ol><li>x</li></ol>",
            },
        }

    roots = [message(i) for i in range(0, n, 4)]
    for root in roots:
        first = int(str(root["id"]))
        root["replies"] = [message(i) for i in range(first + 1, min(first + 4, n))]
    return json.dumps({"value": roots[::-1]})


def _mattermost_export(n: int) -> str:
    lines = [json.dumps({"type": "version", "version": 1})]
    for i in range(n - 1, -1, -1):
        post = {"channel": "inc", "user": f"user.{i % 7}", "message": f"step {i}",
                "create_at": 1736935320000 + i * 1000}  # fmt: skip
        lines.append(json.dumps({"type": "post", "post": post}))
    return "\n".join(lines)


SHAPES: dict[str, Callable[[int], str]] = {
    "slack-copy": _slack,
    "bracket-inline + fences": _inline_with_fences,
    "mattermost-copy": _stacked,
    "slack-copy (desktop)": _slack_desktop,
    "teams-copy (previews)": _teams_previews,
    "incident-timeline (PagerDuty page)": _pagerduty_page,
    "incident-timeline (incident.io tab)": _incident_io_tab,
    "teams-graph": _teams_graph,
    "mattermost-export": _mattermost_export,
}


def _best(text: str, runs: int = 3) -> float:
    best = math.inf
    for _ in range(runs):
        started = time.perf_counter()
        parse_transcript(text)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="5000,20000,50000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    for name, build in SHAPES.items():
        timings = [(n, _best(build(n))) for n in sizes]
        (n0, t0), (n1, t1) = timings[0], timings[-1]
        exponent = math.log(t1 / t0) / math.log(n1 / n0)
        shown = ", ".join(f"{n:,}: {t * 1000:.0f} ms" for n, t in timings)
        print(f"{name:<36} {shown}  (growth exponent {exponent:.2f})")


if __name__ == "__main__":
    main()
