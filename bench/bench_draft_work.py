"""One long draft's non-LLM work (`bench_serving.py`'s measure), this tree against a baseline.

Run: `.venv/bin/python bench/bench_draft_work.py [--messages 10000] [--runs 3] [--baseline main]
[--engine llm]`.

`serving_parts._one_draft` (the llm engine over a zero-latency in-process LLM answering the
offline engine's report, or the offline engine itself) on `bench_verify.build_chat`'s chat, after
a 200-message warm-up, in CPU seconds (`time.process_time`), each run in its own process, the two
trees interleaved; the baseline revision is extracted with `git archive` and run in the same
virtualenv. Prints each step's median and the ratio of the totals. The output's sameness is what
`bench_parse_redact.py`, `bench_verify_passes.py` and `bench_ingest_render.py` check.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from baseline import run_worker, unpack_revision

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

_WORKER = """
import json, sys
sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[1] + "/bench")
import serving_parts
from bench_verify import build_chat
serving_parts.use_cpu_time()
engine, messages = sys.argv[2], int(sys.argv[3])
serving_parts._one_draft(build_chat(200), engine)
print(json.dumps(serving_parts._one_draft(build_chat(messages), engine)))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", default="main", help="git revision to compare with")
    parser.add_argument("--engine", default="llm", choices=("llm", "extractive"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pm-draft-work-") as scratch:
        base = unpack_revision(args.baseline, Path(scratch) / "tree")
        trees = {args.baseline: base, "this tree": ROOT}
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
        for _ in range(args.runs):
            for name, tree in trees.items():
                extra = (args.engine, args.messages)
                runs[name].append(run_worker(_WORKER, tree, *map(Path, map(str, extra))))
    print(f"{args.engine} draft, {args.messages:,} messages; CPU seconds, median of {args.runs}")
    medians = {}
    for name, samples in runs.items():
        steps = dict.fromkeys(step for sample in samples for step in sample)
        medians[name] = {
            step: statistics.median(s.get(step, 0.0) for s in samples) for step in steps
        }
        print(name)
        for step, seconds in medians[name].items():
            print(f"  {step[:60]:<60} {seconds:.3f} s")
    totals = [statistics.median(s["total"] for s in runs[name]) for name in trees]
    print(f"ratio total   new / old = {totals[1] / totals[0]:.2f}")


if __name__ == "__main__":
    main()
