"""Every serving target of issue 12, measured and printed as ratios to the ideal.

Run: `.venv/bin/python bench/bench_serving.py` (about 3 minutes on 2 cores; `--quick` for a
smaller run). `--only burst --against REV --runs N` serves the burst N times from this tree and
from revision REV (git archive), interleaved, and prints the medians of both side by side: wall
time, `/healthz` p99 and CPU seconds per process (on a machine shared with other work, the CPU
seconds are what compares; wall time and p99 move with the load).

Servers are real processes on loopback: a fake OpenAI-compatible LLM with a fixed
latency (`bench/fake_llm.py`) and the service (`uvicorn app.main:app`, one server process, its
CPU worker pool). Prints one line per target: what was measured, the goal, and whether it holds.

Targets:
- burst: N concurrent distinct drafts over a `--latency` s LLM, wall time / ideal <= 1.3 (the
  ideal is the LLM time on one draft's critical path: its LLM calls x the latency)
- /healthz p99 <= 50 ms during the burst, and during a 10,000-message draft
- 20 identical concurrent requests -> 1 extraction call, <= 1 judge call
- non-LLM work at 10,000 messages <= 1.0 s (llm engine) and <= 2.0 s (offline); every step's
  growth exponent from 1,000 to 50,000 messages <= 1.05
- second audience from the cache <= 10 % of the first request's time at 10,000 messages
- a 200,000-token chat with a 32,000-token budget: complete draft, chunks in progress, every
  citation pointing at the right message
- `postmortem draft` offline start-up <= 60 % of the baseline revision's (whole process, median)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import Any, NamedTuple

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_verify import build_chat  # noqa: E402
from serving_parts import (  # noqa: E402
    Result,
    long_chat,
    non_llm_work,
    startup_ratio,
    use_cpu_time,
)

SEED = (ROOT / "tests" / "data" / "seed_000_checkout_chat.txt").read_text(encoding="utf-8")


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _start(
    argv: list[str], env: dict[str, str], url: str, cwd: Path = ROOT
) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(argv, env={**os.environ, **env}, cwd=cwd)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{argv} did not start")


class HealthProbe:
    """GET /healthz every `interval` s while a measurement runs, from a process of its own
    (`health_probe.py`), so the benchmark's own busy event loop does not delay it; ms."""

    def __init__(self, url: str, interval: float = 0.02) -> None:
        self.url = url
        self.interval = interval
        self.latencies: list[float] = []
        self.sent: list[float] = []  # seconds after the measurement began (negative: before)
        self.lead_in = 0.0
        self._process: subprocess.Popen[bytes] | None = None
        self._out = ""

    def __enter__(self) -> HealthProbe:
        handle, self._out = tempfile.mkstemp(prefix="pm-health-")
        os.close(handle)
        self._process = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "health_probe.py"), "--url", self.url,
             "--interval", str(self.interval), "--out", self._out],
        )  # fmt: skip
        ready = Path(self._out + ".ready")
        deadline = time.monotonic() + 30
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        began = time.monotonic()
        time.sleep(0.2)  # a few probes of the quiet server first
        self.lead_in = time.monotonic() - began
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self._process is not None
        self._process.terminate()
        self._process.wait(30)
        out = Path(self._out)
        rows = [line.split() for line in out.read_text().splitlines() if line.strip()]
        self.latencies = [float(row[0]) for row in rows]
        self.sent = [float(row[1]) - self.lead_in for row in rows]
        out.unlink()
        Path(self._out + ".ready").unlink(missing_ok=True)

    def slowest(self, count: int = 3) -> str:
        """The slowest probes and when they were sent: 'ms at s' (which wave held the loop)."""
        worst = sorted(zip(self.latencies, self.sent, strict=True), reverse=True)[:count]
        return ", ".join(
            f"{ms:.0f} ms at {at:.2f} s" for ms, at in sorted(worst, key=lambda w: w[1])
        )

    def p99(self) -> float:
        ordered = sorted(self.latencies) or [float("nan")]
        return ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]


def _cpu_seconds(pid: int, *, descendants: bool = True) -> float:
    """User + system CPU seconds of a process, or of its live descendants (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    own: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        own[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    if not descendants:
        return own.get(pid, 0.0)
    total, todo = 0.0, list(children.get(pid, []))
    while todo:
        current = todo.pop()
        total += own.get(current, 0.0)
        todo.extend(children.get(current, []))
    return total


class CpuMeter:
    """CPU seconds spent by the service (server process, its CPU workers), the fake LLM and
    this benchmark (the client) while a measurement runs."""

    def __init__(self, api: subprocess.Popen[bytes], llm: subprocess.Popen[bytes]) -> None:
        self.api, self.llm = api.pid, llm.pid
        self.spent: dict[str, float] = {}

    def _now(self) -> dict[str, float]:
        return {
            "server": _cpu_seconds(self.api, descendants=False),
            "CPU workers": _cpu_seconds(self.api),
            "fake LLM": _cpu_seconds(self.llm, descendants=False),
            "bench client": time.process_time(),
        }

    def __enter__(self) -> CpuMeter:
        self._start = self._now()
        return self

    def __exit__(self, *_exc: object) -> None:
        end = self._now()
        self.spent = {name: end[name] - self._start[name] for name in end}

    def describe(self) -> str:
        return ", ".join(f"{name} {seconds:.1f}" for name, seconds in self.spent.items())


async def _timed(work: Awaitable[Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = await work
    return time.perf_counter() - started, result


def _client_transport() -> httpx.AsyncBaseTransport:
    """Hundreds of concurrent connections in small pools (httpcore's one big pool costs the
    client quadratic time, which would be measured as the server's), each connection given
    up before the server's 5 s keep-alive could close it under a request."""
    from app.llm.pool import ShardedTransport

    return ShardedTransport(max_connections=1000, keepalive_expiry=2.0)


SERVED = ("burst", "identical", "long-health", "second-audience", "long-channel")
LONG_BUDGET = 32_000  # PM_LLM_CONTEXT_TOKENS of the served benchmark (the long-channel target)


class BurstSample(NamedTuple):
    """One burst, in numbers (for --against)."""

    wall: float
    ideal: float
    p99: float
    probes: int
    ok: int
    sent: int
    cpu: dict[str, float]


async def served_targets(
    args: argparse.Namespace,
    results: list[Result],
    *,
    tree: Path = ROOT,
    samples: list[BurstSample] | None = None,
) -> None:
    """The served targets, with the service running the code in `tree` (this one, or a
    baseline revision's files); each burst's numbers are also added to `samples`."""
    llm_port, api_port = _free_port(), _free_port()
    llm = _start(
        [sys.executable, "bench/fake_llm.py", "--port", str(llm_port), "--latency",
         str(args.latency)],
        {},
        f"http://127.0.0.1:{llm_port}/stats",
    )  # fmt: skip
    store = tempfile.mkdtemp(prefix="pm-bench-")
    env = {
        "PM_LLM_BASE_URL": f"http://127.0.0.1:{llm_port}/v1",
        "PM_LLM_MODEL": "fake",
        "PM_LLM_API_KEY": "not-needed",
        "PM_LLM_MAX_CONCURRENCY": "0",
        "PM_LLM_TIMEOUT": "120",
        "PM_LLM_TIME_BUDGET": "300",
        "PM_CPU_DEADLINE": "300",
        "PM_STORE_URL": f"sqlite:///{store}/store.sqlite3",
        "PM_LLM_CONTEXT_TOKENS": str(LONG_BUDGET),  # only the long channel is over it
    }
    if tree != ROOT:
        env["PYTHONPATH"] = str(tree)
    api = _start(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(api_port),
         "--log-level", "warning", "--backlog", "4096"],
        env,
        f"http://127.0.0.1:{api_port}/healthz",
        cwd=tree,
    )  # fmt: skip
    served = Served(api, llm, f"http://127.0.0.1:{api_port}/healthz")
    wanted = set(args.only.split(",")) if args.only else set(SERVED)
    if "long" in args.skip.split(","):
        wanted.discard("long-channel")
    try:
        async with (
            httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{api_port}", timeout=600,
                transport=_client_transport(),
            ) as client,
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{llm_port}", timeout=10) as fake,
        ):  # fmt: skip
            # Warm up: the worker pool, and the LLM client (the SDK is imported on first use).
            await client.post("/draft", json={"transcript": SEED, "engine": "extractive"})
            await client.post("/draft", json={"transcript": f"{SEED}\nwarm-up\n", "engine": "llm"})
            if "burst" in wanted:
                sample = await _burst(client, served, args, results)
                if samples is not None:
                    samples.append(sample)
            if "identical" in wanted:
                await _identical(client, fake, results)
            if "long-health" in wanted:
                await _long_draft_health(client, served, args, results)
            if "second-audience" in wanted:
                await _second_audience(client, args, results)
            if "long-channel" in wanted:
                await _long_channel(client, args, results)
    finally:
        api.terminate()
        llm.terminate()
        api.wait(30)
        llm.wait(30)


class Served(NamedTuple):
    api: subprocess.Popen[bytes]
    llm: subprocess.Popen[bytes]
    health_url: str


class _PySpy:
    """`py-spy record` of the service (and its workers) while a measurement runs, when asked."""

    def __init__(self, pid: int, out: str | None) -> None:
        self.pid, self.out = pid, out
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> _PySpy:
        if self.out:
            spy = Path(sys.executable).with_name("py-spy")
            self._process = subprocess.Popen(
                [str(spy) if spy.exists() else "py-spy", "record", "--subprocesses", "--rate",
                 "100", "--format", "raw", "--output", self.out, "--pid", str(self.pid)],
            )  # fmt: skip
            time.sleep(1.0)
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._process is not None:
            self._process.send_signal(signal.SIGINT)
            self._process.wait(60)


async def _burst(
    client: httpx.AsyncClient, served: Served, args: argparse.Namespace, results: list[Result]
) -> BurstSample:
    bodies = [
        {"transcript": f"{SEED}\n[09:40] Sara\nburst request {n}\n", "engine": "llm"}
        for n in range(args.burst)
    ]
    with (
        _PySpy(served.api.pid, args.py_spy),
        HealthProbe(served.health_url) as health,
        CpuMeter(served.api, served.llm) as cpu,
    ):
        wall, answers = await _timed(
            asyncio.gather(*(client.post("/draft", json=body) for body in bodies))
        )
    ok = [a for a in answers if a.status_code == 200]
    calls = max((a.json()["usage"]["llm_calls"] for a in ok), default=0)
    ideal = calls * args.latency
    results.append(Result(
        f"{args.burst} concurrent drafts, {args.latency:g} s LLM ({calls} calls each: ideal "
        f"{ideal:g} s; {len(ok)}/{len(answers)} ok; CPU s: {cpu.describe()})",
        f"{wall:.2f} s = {wall / ideal:.2f} x ideal" if ideal else f"{wall:.2f} s",
        "<= 1.3 x ideal",
        bool(ideal) and len(ok) == len(answers) and wall / ideal <= 1.3,
    ))  # fmt: skip
    results.append(Result(
        f"/healthz p99 during the burst (slowest: {health.slowest()})",
        f"{health.p99():.1f} ms ({len(health.latencies)} probes)",
        "<= 50 ms",
        health.p99() <= 50,
    ))  # fmt: skip
    return BurstSample(
        wall, ideal, health.p99(), len(health.latencies), len(ok), len(answers), cpu.spent
    )


def compare_bursts(args: argparse.Namespace) -> list[Result]:
    """The burst served `args.runs` times from this tree and from revision `args.against`,
    interleaved (this tree first); one line per tree with the medians, and the ratios."""
    import statistics

    from baseline import unpack_revision

    args.only = "burst"
    runs: dict[str, list[BurstSample]] = {"this tree": [], args.against: []}
    with tempfile.TemporaryDirectory(prefix="pm-against-") as scratch:
        base = unpack_revision(args.against, Path(scratch) / "tree")
        for _ in range(args.runs):
            for name, tree in (("this tree", ROOT), (args.against, base)):
                asyncio.run(served_targets(args, [], tree=tree, samples=runs[name]))
    results = []
    medians: dict[str, dict[str, float]] = {}
    for name, samples in runs.items():
        cpu_names = list(samples[0].cpu)
        median = {
            "wall": statistics.median(s.wall for s in samples),
            "p99": statistics.median(s.p99 for s in samples),
            **{k: statistics.median(s.cpu[k] for s in samples) for k in cpu_names},
        }
        medians[name] = median
        ideal = samples[0].ideal
        cpu = ", ".join(f"{k} {median[k]:.2f}" for k in cpu_names)
        walls = ", ".join(f"{s.wall:.2f}" for s in samples)
        p99s = ", ".join(f"{s.p99:.0f}" for s in samples)
        results.append(Result(
            f"{name}: {args.burst} drafts, median of {len(samples)} (walls {walls} s; p99 "
            f"{p99s} ms; {sum(s.ok for s in samples)}/{sum(s.sent for s in samples)} ok)",
            f"{median['wall']:.2f} s = {median['wall'] / ideal:.2f} x ideal, p99 "
            f"{median['p99']:.0f} ms; CPU s: {cpu}",
            "<= 1.3 x ideal, p99 <= 50 ms",
            median["wall"] / ideal <= 1.3 and median["p99"] <= 50,
        ))  # fmt: skip
    mine, theirs = medians["this tree"], medians[args.against]
    ratios = ", ".join(f"{k} {mine[k] / theirs[k]:.2f}" for k in mine if theirs[k] > 0)
    results.append(Result(
        f"this tree / {args.against} (medians)", ratios, "lower is better", True
    ))  # fmt: skip
    return results


async def _identical(
    client: httpx.AsyncClient, fake: httpx.AsyncClient, results: list[Result]
) -> None:
    await fake.post("/stats/reset")
    body = {"transcript": f"{SEED}\n[09:41] Sara\nthe same request twenty times\n", "engine": "llm"}
    answers = await asyncio.gather(*(client.post("/draft", json=body) for _ in range(20)))
    stats = (await fake.get("/stats")).json()
    extraction, judge = stats.get("incident_report", 0), stats.get("claim_verdicts", 0)
    results.append(Result(
        f"20 identical concurrent requests ({sum(a.status_code == 200 for a in answers)}/20 ok)",
        f"{extraction} extraction call(s), {judge} judge call(s)",
        "1 extraction, <= 1 judge",
        extraction == 1 and judge <= 1 and all(a.status_code == 200 for a in answers),
    ))  # fmt: skip


async def _long_draft_health(
    client: httpx.AsyncClient, served: Served, args: argparse.Namespace, results: list[Result]
) -> None:
    text = build_chat(args.long) + "\n[23:59] Bench\nunique long draft\n"
    with HealthProbe(served.health_url) as health:
        wall, answer = await _timed(
            client.post("/draft", json={"transcript": text, "engine": "extractive"})
        )
    results.append(Result(
        f"/healthz p99 during a {args.long:,}-message offline draft ({wall:.1f} s, "
        f"status {answer.status_code})",
        f"{health.p99():.1f} ms ({len(health.latencies)} probes)",
        "<= 50 ms",
        health.p99() <= 50 and answer.status_code == 200,
    ))  # fmt: skip


async def _second_audience(
    client: httpx.AsyncClient, args: argparse.Namespace, results: list[Result]
) -> None:
    text = build_chat(args.long) + "\n[23:58] Bench\nsecond audience\n"
    first, one = await _timed(
        client.post("/draft", json={"transcript": text, "engine": "extractive"})
    )
    second, two = await _timed(
        client.post(
            "/draft", json={"transcript": text, "engine": "extractive", "audience": "stakeholder"}
        )
    )
    cached = two.status_code == 200 and two.json()["usage"]["cached"]
    results.append(Result(
        f"second audience from the cache at {args.long:,} messages (first {first:.2f} s, "
        f"cached: {cached})",
        f"{second:.3f} s = {second / first:.1%} of the first",
        "<= 10 %",
        one.status_code == 200 and bool(cached) and second / first <= 0.10,
    ))  # fmt: skip


async def _long_channel(
    client: httpx.AsyncClient, args: argparse.Namespace, results: list[Result]
) -> None:
    """A chat of `--long-tokens` tokens as a job (POST /drafts) over the LONG_BUDGET context:
    a complete draft, chunk i of n in the job's event stream, and every citation of the report
    on the message it quotes (the fake LLM quotes the messages it cites)."""
    from app.llm.tokens import count_tokens

    text = long_chat(args.long_tokens)
    tokens = count_tokens(text)
    started = time.perf_counter()
    job = await client.post("/drafts", json={"transcript": text, "engine": "llm"})
    progress: list[tuple[int, int]] = []
    if job.status_code == 202:
        async with client.stream("GET", job.json()["links"]["events"]) as stream:
            async for line in stream.aiter_lines():
                if line.startswith("data: "):
                    event = json.loads(line[6:])["progress"]
                    if event.get("chunks"):
                        progress.append((event["chunk"], event["chunks"]))
        done = (await client.get(job.headers["Location"])).json()
    else:
        done = {"status": f"HTTP {job.status_code}", "result": None}
    wall = time.perf_counter() - started
    result = done.get("result") or {}
    report = result.get("incident") or {}
    checked, wrong = _citations(report, result.get("messages") or [])
    chunks = max((n for _, n in progress), default=0)
    seen = sorted({i for i, _ in progress})
    complete = done.get("status") == "done" and bool(report.get("summary")) and bool(
        report.get("root_cause")
    )  # fmt: skip
    draft = (result.get("draft") or {}).get("text", "")
    sections = all(f"## {name}" in draft for name in ("Summary", "Timeline", "Root cause"))
    results.append(Result(
        f"a {tokens:,}-token chat with a {LONG_BUDGET:,}-token budget, as a job ({wall:.1f} s, "
        f"{result.get('usage', {}).get('llm_calls', 0)} LLM calls)",
        f"{done.get('status')}; chunks 0..{chunks} reported as {seen} of {chunks}; "
        f"{checked - wrong}/{checked} citations on the quoted message",
        "complete draft, chunks in progress, citations right",
        complete and sections and chunks > 1 and chunks in seen and checked > 0 and not wrong,
    ))  # fmt: skip


def _citations(report: dict[str, Any], messages: list[dict[str, Any]]) -> tuple[int, int]:
    """Cited items of the report checked against the messages they cite: (checked, wrong).
    The fake LLM quotes the first line of each message it cites."""
    text = {m["id"]: m["text"] for m in messages}
    items: list[dict[str, Any]] = [*report.get("timeline", []), *report.get("impact", [])]
    summary = report.get("summary") or {}
    items += [*summary.get("technical", []), *summary.get("plain", [])]
    items += [report[k] for k in ("detection", "root_cause", "resolution") if report.get(k)]
    checked = wrong = 0
    for item in items:
        quoted = item.get("description") or item.get("text") or ""
        for message_id in item.get("evidence", []):
            checked += 1
            if not text.get(message_id, "").startswith(quoted):
                wrong += 1
    return checked, wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run)")
    parser.add_argument("--latency", type=float, default=1.0, help="fake LLM latency, seconds")
    parser.add_argument("--burst", type=int, default=200, help="concurrent drafts")
    parser.add_argument("--long", type=int, default=10_000, help="messages of the long draft")
    parser.add_argument(
        "--long-tokens", type=int, default=200_000, help="tokens of the long-channel chat"
    )
    parser.add_argument("--sizes", default="1000,5000,10000,25000,50000",
                        help="message counts for the growth fit")  # fmt: skip
    parser.add_argument(
        "--baseline", default="5dc8b57", help="revision whose start-up is 'today' (pre issue 12)"
    )
    parser.add_argument("--skip", default="", help="comma-separated: startup,work,served,long")
    parser.add_argument(
        "--cpu", action="store_true", help="time the non-LLM work in CPU seconds (shared machine)"
    )
    parser.add_argument(
        "--only", default="", help=f"served targets to run, comma-separated: {','.join(SERVED)}"
    )
    parser.add_argument(
        "--py-spy", default=None, help="record the service with py-spy during the burst (raw)"
    )
    parser.add_argument(
        "--against", default=None, help="with --only burst: also serve revision REV, interleaved"
    )
    parser.add_argument("--runs", type=int, default=3, help="bursts per tree with --against")
    args = parser.parse_args()
    if args.quick:
        args.burst, args.long, args.sizes = 50, 2000, "1000,2000,4000"
        args.long_tokens = 60_000
    skip = set(filter(None, args.skip.split(",")))
    results: list[Result] = []
    if "startup" not in skip:
        results.append(startup_ratio(ROOT, args.baseline))
    if "work" not in skip:
        sizes = [int(s) for s in args.sizes.split(",")]
        if args.cpu:
            use_cpu_time()
        results.extend(non_llm_work(sizes, args.long))
    if args.against:
        results.extend(compare_bursts(args))
    elif "served" not in skip:
        asyncio.run(served_targets(args, results))
    print()
    width = max(len(r.target) for r in results)
    for result in results:
        mark = "ok  " if result.holds else "MISS"
        print(f"{mark} {result.target:<{width}}  {result.measured}  (goal {result.goal})")
    print(f"\n{sum(r.holds for r in results)} of {len(results)} targets hold")


if __name__ == "__main__":
    main()
