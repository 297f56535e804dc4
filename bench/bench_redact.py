"""Time the redaction step on a 2,000-message transcript with a few secrets.

Run: `.venv/bin/python bench/bench_redact.py`. Prints the best and median of several runs.
"""

from __future__ import annotations

import statistics
import time

from app.models import Message, Transcript
from app.redact import redact_text, redact_transcript

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


def build_transcript(paste_heavy: bool = False) -> Transcript:
    """Ordinary chat with a secret every 500 messages, or (paste_heavy) config pastes only."""
    messages = []
    for i in range(1, MESSAGES + 1):
        if paste_heavy:
            text = _SECRETS[i % len(_SECRETS)] + "\n" + _ORDINARY[i % 8]
        elif i % 500 == 250:
            text = _SECRETS[(i // 500) % len(_SECRETS)]
        else:
            text = _ORDINARY[i % 8]
        time_ = f"{(i // 60) % 24:02d}:{i % 60:02d}"
        messages.append(
            Message(id=i, time=time_, author=f"user{i % 5}", text=text, line_start=i, line_end=i)
        )
    return Transcript(format="plain", messages=messages)


def _timings(action: object, runs: int = RUNS) -> list[float]:
    assert callable(action)
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - start)
    return seconds


def _report(label: str, transcript: Transcript) -> None:
    chars = sum(len(m.text) for m in transcript.messages)
    redaction = redact_transcript(transcript)
    print(f"{label}: {MESSAGES} messages, {chars:,} characters, {len(redaction.findings)} findings")
    for name, action in (
        ("redact_transcript", lambda: redact_transcript(transcript)),
        ("redact_text x2000", lambda: [redact_text(m.text) for m in transcript.messages]),
    ):
        seconds = _timings(action)
        print(
            f"  {name:<20} best {min(seconds) * 1000:7.1f} ms   "
            f"median {statistics.median(seconds) * 1000:7.1f} ms   ({RUNS} runs)"
        )


def main() -> None:
    print(redact_transcript(build_transcript()).summary())
    _report("chat with a few secrets", build_transcript())
    _report("every message a config paste", build_transcript(paste_heavy=True))


if __name__ == "__main__":
    main()
