"""How the offline engine's time grows with the channel's length: a growth exponent.

Run: `.venv/bin/python bench/bench_extractive.py [--sizes 1000,5000,50000] [--pipeline]`

Drafts synthetic channels of each size (bench_verify's replay of the sample chats: alerts,
guesses, corrections, action lists and owners repeated with renamed services and figures), times
the extraction (`extract_report`, best of a few runs for the small sizes) and prints the time per
message and the growth exponent between the smallest and each larger size:
`log(t_large / t_small) / log(n_large / n_small)`. 1.0 is linear; quadratic rules show as ~2.
With `--pipeline` it also times the whole offline draft (ingest, redact, extract, verify,
render), whose other steps belong to other packages.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

from app.engines.extractive import extract_report
from app.ingest import parse_transcript
from app.models import Transcript

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_draft import run_once  # noqa: E402
from bench_verify import build_chat  # noqa: E402


def best_time(step: Callable[[], object], repeat: int) -> float:
    """The best of `repeat` wall times of `step`, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def exponent(small: tuple[int, float], large: tuple[int, float]) -> float:
    """Growth exponent between two (size, seconds) measurements."""
    return math.log(large[1] / small[1]) / math.log(large[0] / small[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,50000")
    parser.add_argument("--pipeline", action="store_true", help="also time the whole draft")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    chats = {n: build_chat(n) for n in sizes}
    transcripts: dict[int, Transcript] = {n: parse_transcript(chats[n]) for n in sizes}

    measured: list[tuple[int, float]] = []
    print("extraction (extract_report)")
    for n in sizes:
        repeat = 5 if n <= 5000 else 1
        seconds = best_time(lambda n=n: extract_report(transcripts[n]), repeat)
        measured.append((n, seconds))
        growth = f"  exponent {exponent(measured[0], measured[-1]):.2f}" if n != sizes[0] else ""
        print(f"  {n:>6} messages  {seconds:8.2f} s  {seconds / n * 1000:6.3f} ms/message{growth}")

    if args.pipeline:
        print("whole offline draft (ingest, redact, extract, verify, render)")
        drafted: list[tuple[int, float]] = []
        for n in sizes:
            timings: dict[str, list[float]] = {}
            run_once(chats[n], timings)
            seconds = timings["total"][0] / 1000
            drafted.append((n, seconds))
            steps = "  ".join(f"{k} {v[0] / 1000:.1f}s" for k, v in timings.items() if k != "total")
            growth = f"  exponent {exponent(drafted[0], drafted[-1]):.2f}" if n != sizes[0] else ""
            print(f"  {n:>6} messages  {seconds:8.2f} s  ({steps}){growth}")


if __name__ == "__main__":
    main()
