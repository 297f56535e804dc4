"""Where one burst draft's CPU goes: the server, the workers, each step (issue 12's burst).

Run: `.venv/bin/python bench/bench_burst_draft.py [--drafts 200] [--inline] [--profile FILE]`

The draft is the one `bench_serving.py`'s burst sends (the seed chat plus two lines, llm
engine), posted `--drafts` times one after another to `create_app()` in this process over
httpx's ASGI transport, with `fake_llm.py` answering at 0 s over loopback and a SQLite store in
a temporary folder, after 20 warm-up drafts. Prints CPU milliseconds per draft: this process
(the server side: HTTP, FastAPI, the SDK and httpx, the answers' checks, the store, the pool's
hops) and the worker processes (read from /proc), and each step's time as `_timed` measures it
in the worker (wall time there: on a loaded machine an upper bound). `--inline` runs the steps
in this process instead and times each in CPU seconds (`time.process_time`), so the steps'
own cost is apart from the pool's; `--profile FILE` writes a cProfile of this process (CPU time).
Sequential drafts show fixed per-draft costs, not the burst's contention (`bench_serving.py`).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_serving import _cpu_seconds, _free_port, _start  # noqa: E402

SEED = (ROOT / "tests" / "data" / "seed_000_checkout_chat.txt").read_text(encoding="utf-8")


def _body(n: int, kind: str = "burst request") -> dict[str, str]:
    return {"transcript": f"{SEED}\n[09:40] Sara\n{kind} {n}\n", "engine": "llm"}


class _InlineTimed:
    """Steps in this process, CPU seconds per label."""

    def __init__(self, seconds: Counter[str]) -> None:
        self.seconds = seconds

    async def run(self, label: str, step: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return step(*args, **kwargs)
        finally:
            self.seconds[label] += time.process_time() - started


async def _drafts(
    app: Any, count: int, profile: str | None, steps: Counter[str], children: Callable[[], float]
) -> tuple[float, float]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t", timeout=600) as client:
        for n in range(20):
            answer = await client.post("/draft", json=_body(n, "warm-up"))
            assert answer.status_code == 200, answer.text
        steps.clear()  # the warm-ups' steps do not count
        # CPU time of this process: wall time would charge the loop's waits (epoll, the GIL
        # hand-offs to the pool's threads) to whatever ran next
        profiler = cProfile.Profile(time.process_time) if profile else None
        started, workers_before = time.process_time(), children()
        if profiler:
            profiler.enable()
        for n in range(count):
            answer = await client.post("/draft", json=_body(n))
            assert answer.status_code == 200, answer.text
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
        return time.process_time() - started, children() - workers_before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drafts", type=int, default=200)
    parser.add_argument("--inline", action="store_true", help="steps in this process")
    parser.add_argument("--profile", default=None, help="write a cProfile of this process")
    args = parser.parse_args()
    port = _free_port()
    llm = _start(
        [sys.executable, "bench/fake_llm.py", "--port", str(port), "--latency", "0"],
        {},
        f"http://127.0.0.1:{port}/stats",
    )
    store = tempfile.mkdtemp(prefix="pm-burst-draft-")
    os.environ.update({
        "PM_LLM_BASE_URL": f"http://127.0.0.1:{port}/v1", "PM_LLM_MODEL": "fake",
        "PM_LLM_API_KEY": "not-needed", "PM_LLM_MAX_CONCURRENCY": "0", "PM_LLM_TIMEOUT": "120",
        "PM_LLM_TIME_BUDGET": "300", "PM_CPU_DEADLINE": "300",
        "PM_STORE_URL": f"sqlite:///{store}/store.sqlite3",
    })  # fmt: skip
    try:
        import app.workers as workers
        from app.api import deps
        from app.main import create_app, load_llm_client

        app = create_app()
        load_llm_client()
        steps: Counter[str] = Counter()
        if args.inline:

            async def inline() -> _InlineTimed:
                return _InlineTimed(steps)

            app.dependency_overrides[deps.get_steps] = inline
        else:
            run = workers.RequestSteps.run

            async def timed(self: Any, label: str, step: Any, *a: Any, **k: Any) -> Any:
                before = self.spent
                try:
                    return await run(self, label, step, *a, **k)
                finally:
                    steps[label] += self.spent - before

            workers.RequestSteps.run = timed  # type: ignore[method-assign]

        def children() -> float:  # the worker processes (and the fork server), not the fake
            return _cpu_seconds(os.getpid()) - _cpu_seconds(llm.pid, descendants=False)

        server, children_cpu = asyncio.run(_drafts(app, args.drafts, args.profile, steps, children))
    finally:
        llm.terminate()
        llm.wait(30)
    per = 1000 / args.drafts
    where = "steps inline, in this process" if args.inline else "steps in the worker pool"
    print(f"{args.drafts} sequential drafts, {where}; ms of CPU per draft:")
    print(f"  this process (server side{', steps included' if args.inline else ''}) "
          f"{server * per:.2f}")  # fmt: skip
    if not args.inline:
        print(f"  worker processes {children_cpu * per:.2f}")
    total = sum(steps.values())
    for label, seconds in steps.items():
        print(f"    {label}: {seconds * per:.2f}")
    print(f"    steps in all: {total * per:.2f}")


if __name__ == "__main__":
    main()
