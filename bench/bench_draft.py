"""Time the whole offline pipeline (POST /draft's work) on real and long transcripts.

Run: `.venv/bin/python bench/bench_draft.py [--messages 2000] [--repeat 5]`

Each run parses, redacts, extracts (extractive engine), verifies every claim and renders one
audience. Inputs: the sample incidents in eval/incidents (the longest is a 326-message channel)
and a synthetic chat of `--messages` messages built by bench_verify's replay of the sample chats.
Prints best and median wall time per input, split into the pipeline's steps.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.config import Settings
from app.engines.extractive import ExtractiveEngine
from app.ingest import parse_transcript
from app.redact import redact_transcript
from app.render import render_draft
from app.verify import verify_report

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_verify import build_chat  # noqa: E402


def _timed(step: Callable[[], Any], into: dict[str, list[float]], name: str) -> Any:
    start = time.perf_counter()
    result = step()
    into.setdefault(name, []).append((time.perf_counter() - start) * 1000)
    return result


def run_once(text: str, timings: dict[str, list[float]]) -> int:
    """One full draft; returns the number of messages."""
    engine = ExtractiveEngine()
    start = time.perf_counter()
    parsed = _timed(lambda: parse_transcript(text), timings, "ingest")
    redacted = _timed(lambda: redact_transcript(parsed).transcript, timings, "redact")
    extraction = _timed(lambda: asyncio.run(engine.extract(redacted)), timings, "extract")
    report, _ = _timed(lambda: verify_report(extraction.report, redacted), timings, "verify")
    _timed(lambda: render_draft(report, redacted, "engineering"), timings, "render")
    timings.setdefault("total", []).append((time.perf_counter() - start) * 1000)
    return len(parsed.messages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    Settings()  # same start-up as the service

    inputs = {
        p.parent.name: p.read_text(encoding="utf-8")
        for p in sorted((ROOT / "eval" / "incidents").glob("*/transcript.txt"))
    }
    longest = max(inputs, key=lambda name: len(inputs[name]))
    cases = {
        "seed 000 (30 messages)": inputs["01-checkout-config"],
        f"{longest}": inputs[longest],
        f"synthetic ({args.messages} messages)": build_chat(args.messages),
    }
    for name, text in cases.items():
        timings: dict[str, list[float]] = {}
        count = 0
        for _ in range(args.repeat):
            count = run_once(text, timings)
        parts = "  ".join(
            f"{step} {statistics.median(values):.0f}"
            for step, values in timings.items()
            if step != "total"
        )
        total = timings["total"]
        print(f"{name}: {count} messages")
        print(f"  total  best {min(total):7.1f} ms  median {statistics.median(total):7.1f} ms")
        print(f"  median per step (ms): {parts}")


if __name__ == "__main__":
    main()
