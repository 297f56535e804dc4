"""Time ingest on long pastes: parse time at several channel sizes and its growth exponent.

Run: `.venv/bin/python bench/bench_ingest.py [--sizes 5000,20000,50000]`. Each shape is a
realistic paste (Slack copy, bracket-inline with code blocks and one unclosed fence, the
Mattermost name/time layout, Slack's desktop layout with status, reactions and thread links,
Teams' preview lines with quoted replies); the exponent is the slope of log(time) over
log(messages), about 1.0 for linear growth.
"""

from __future__ import annotations

import argparse
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


SHAPES: dict[str, Callable[[int], str]] = {
    "slack-copy": _slack,
    "bracket-inline + fences": _inline_with_fences,
    "mattermost-copy": _stacked,
    "slack-copy (desktop)": _slack_desktop,
    "teams-copy (previews)": _teams_previews,
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
        print(f"{name:<26} {shown}  (growth exponent {exponent:.2f})")


if __name__ == "__main__":
    main()
