"""Time the redaction step, and how it grows with the length of the chat.

Run: `.venv/bin/python bench/bench_redact.py [--sizes 1000,5000,10000,50000] [--runs 3]`.

Prints the best and median of several runs on a 2,000-message transcript (a few secrets, or a
config paste in every message), then the growth exponent of `redact_transcript` and of its
echo pass (re-finding every known secret in every message) from the smallest to the largest
size: time ~ size^k, k fitted on log-log. k near 1 is linear; the echo pass that compared
every secret with every message measured k = 2.07 from 10k to 50k messages (issue 12). The
inputs are kept out of the garbage collector's sweeps while timing (`gc.freeze`).
"""

from __future__ import annotations

import argparse
import gc
import math
import statistics
import time
from collections.abc import Callable
from functools import partial

from app.models import Message, Transcript
from app.redact import redact_text, redact_transcript
from app.redact.echo import EchoIndex
from app.redact.redactor import _detect

MESSAGES = 2_000
RUNS = 7

_ORDINARY = [
    "checkout-service 5xx at 37% since 14:02, p99 1.5s",
    "rolled back to 3f9a1c2, pods checkout-7f9c8d-abcde and checkout-7f9c8d-x2x9q restarting",
    "request_id=7c9e6679-7425-40de-944b-e07fc1f90ae7 trace_id: 4bf92f3577b34da6a3ce929d0e0e4736",
    "<@U024BE7LH> can you check https://grafana.internal/d/abc123/checkout?orgId=1&from=now-6h",
    'psycopg2.OperationalError: FATAL:  password authentication failed for user "app"',
    'Traceback (most recent call last):\n  File "/app/pay.py", line 88, in charge\n'
    "    resp = client.post(url, timeout=3)\nrequests.exceptions.ConnectTimeout: timed out",
    "kubectl get pods -n prod\nNAME                      READY   STATUS\n"
    "checkout-7f9c8d-abcde     0/1     CrashLoopBackOff",
    "ok, paging the DBA now; status page updated at 14:10",
]
_SECRETS = [
    "env from the pod:\nAWS_ACCESS_KEY_ID=" + "AKIA" + "Q3EGRT7XZK2VPM4D\nAWS_REGION=us-east-1",
    "DATABASE_URL=postgres://app:Tr0ub4dor-3@db.internal:5432/orders",
    'curl -H "Authorization: Bearer tkn_8Zq2Lx7Vm4Np1Rk9Ws3Tb6Yd" https://api.internal/health',
    "db:\n  host: db.internal\n  password: correct horse battery staple\n",
]


def _message(i: int, text: str) -> Message:
    time_ = f"{(i // 60) % 24:02d}:{i % 60:02d}"
    return Message(id=i, time=time_, author=f"user{i % 5}", text=text, line_start=i, line_end=i)


def build_transcript(paste_heavy: bool = False, messages: int = MESSAGES) -> Transcript:
    """Ordinary chat with a secret every 500 messages, or (paste_heavy) config pastes only."""
    out = []
    for i in range(1, messages + 1):
        if paste_heavy:
            text = _SECRETS[i % len(_SECRETS)] + "\n" + _ORDINARY[i % 8]
        elif i % 500 == 250:
            text = _SECRETS[(i // 500) % len(_SECRETS)]
        else:
            text = _ORDINARY[i % 8]
        out.append(_message(i, text))
    return Transcript(format="plain", messages=out)


def build_distinct_secrets(messages: int) -> Transcript:
    """Every message pastes its own secret and repeats an earlier one: the echo pass's worst
    case, since the number of known secrets grows with the chat."""
    out = []
    for i in range(1, messages + 1):
        earlier = max(1, i // 2)
        text = (
            f"PGPASSWORD=Xk9#pq{i:07d}vR psql -h db-{i % 7}.internal, "
            f"tried Xk9#pq{earlier:07d}vR from the bastion too; {_ORDINARY[i % 8]}"
        )
        out.append(_message(i, text))
    return Transcript(format="plain", messages=out)


def _timings(action: Callable[[], object], runs: int = RUNS) -> list[float]:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - start)
    return seconds


def _report(label: str, transcript: Transcript) -> None:
    chars = sum(len(m.text) for m in transcript.messages)
    redaction = redact_transcript(transcript)
    count = len(transcript.messages)
    print(f"{label}: {count} messages, {chars:,} characters, {len(redaction.findings)} findings")
    for name, action in (
        ("redact_transcript", lambda: redact_transcript(transcript)),
        (f"redact_text x{count}", lambda: [redact_text(m.text) for m in transcript.messages]),
    ):
        seconds = _timings(action)
        print(
            f"  {name:<20} best {min(seconds) * 1000:7.1f} ms   "
            f"median {statistics.median(seconds) * 1000:7.1f} ms   ({RUNS} runs)"
        )


def _echo_pass(transcript: Transcript) -> Callable[[], object]:
    """The echo pass alone: an index of every secret the first pass found, then one `find`
    per message (what redact_transcript does after detecting)."""
    index = EchoIndex()
    for message in transcript.messages:
        for span in _detect(message.text):
            index.add(message.text[span.start : span.end], span)
    return lambda: [index.find(message.text) for message in transcript.messages]


def exponent(sizes: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(seconds) against log(size)."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in seconds]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def growth(sizes: list[int], runs: int) -> None:
    print(f"growth from {sizes[0]:,} to {sizes[-1]:,} messages (best of {runs} runs):")
    rows: dict[str, list[float]] = {"redact_transcript": [], "echo pass": []}
    for size in sizes:
        transcript = build_distinct_secrets(size)
        echo = _echo_pass(transcript)
        # The inputs (50,000 messages and their spans) are frozen out of the garbage
        # collector's reach, so that its full sweeps over the bench's own data do not count.
        gc.collect()
        gc.freeze()
        whole = partial(redact_transcript, transcript)
        rows["redact_transcript"].append(min(_timings(whole, runs)))
        rows["echo pass"].append(min(_timings(echo, runs)))
        gc.unfreeze()
    header = "".join(f"{size:>10,}" for size in sizes)
    print(f"  {'secret in every message':<26}{header}   exponent")
    for name, seconds in rows.items():
        cells = "".join(f"{t * 1000:>8.0f}ms" for t in seconds)
        print(f"  {name:<26}{cells}   k = {exponent(sizes, seconds):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,10000,50000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(redact_transcript(build_transcript()).summary())
    _report("chat with a few secrets", build_transcript())
    _report("every message a config paste", build_transcript(paste_heavy=True))
    growth([int(s) for s in args.sizes.split(",")], args.runs)


if __name__ == "__main__":
    main()
