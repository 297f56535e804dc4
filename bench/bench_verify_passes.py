"""The checker's two passes over a long chat, against a baseline revision, as a ratio.

Run: `.venv/bin/python bench/bench_verify_passes.py [--messages 10000] [--runs 3]
[--baseline 36e7d36] [--unique]`.

What a draft's non-LLM work spends in the checker: the rules pass (`steps.report_judge_requests`:
`SourceIndex` and every claim of the report assessed, the judge's questions recorded) and the
verify pass (`verify_report(..., keep_failed=True)`: the index again and every claim's verdict),
over the offline engine's report of `bench_verify.build_chat`'s chat (not timed). The baseline
revision is extracted with `git archive` and run in the same virtualenv; each side runs in its
own process, the runs interleaved, and times are CPU seconds (`time.process_time`). Besides the
long chat, every dev incident of `eval/incidents` (offline report, both passes) and every dev case
of `eval/checker` (`verify_draft` of its draft) is checked on both sides: a digest of the judge's
questions, the verdicts and the marked report must be the same, or the script exits non-zero.
Test-split incidents and cases are never read. `--unique` ends every message of the long chat
with a word of its own (as `bench_extract_offline.py --unique` does): the replay repeats its
sample chats' texts, which what is read once per distinct text profits from more than a real
chat would.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from baseline import run_worker, times_line, unpack_revision

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

_WORKER = """
import gc, hashlib, json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
root = Path(sys.argv[1])
from app.ingest import parse_transcript
from app.redact import redact_transcript
from app.steps import extract_offline, report_judge_requests
from app.verify import verify_draft
from app.verify.report import verify_report

def prepared(text):
    return redact_transcript(parse_transcript(text)).transcript

def passes(transcript, report):
    t0 = time.process_time()
    asked = report_judge_requests(report, transcript)
    t1 = time.process_time()
    marked, verification = verify_report(report, transcript, keep_failed=True)
    t2 = time.process_time()
    blob = json.dumps([[a.model_dump(mode="json") for a in asked],
                       verification.model_dump(mode="json"), marked.model_dump(mode="json")])
    return t1 - t0, t2 - t1, blob

digest = hashlib.sha256()
items = {}
for gold in sorted((root / "eval" / "incidents").glob("*/gold.json")):
    if json.loads(gold.read_text("utf-8")).get("split") != "dev":
        continue
    chat = next(iter(sorted(gold.parent.glob("transcript.*"))), None)
    if chat is None:  # an export folder (transcript/), not a pasted chat
        continue
    t = prepared(chat.read_text("utf-8"))
    blob = passes(t, extract_offline(t).report)[2]
    digest.update(blob.encode())
    items[gold.parent.name] = hashlib.sha256(blob.encode()).hexdigest()[:8]
for case in sorted((root / "eval" / "checker" / "cases").glob("*.json")):
    spec = json.loads(case.read_text("utf-8"))
    if spec.get("split", "dev") != "dev":
        continue
    t = prepared((case.parent / spec["transcript"]).read_text("utf-8"))
    draft = (case.parent / spec["draft"]).read_text("utf-8")
    blob = verify_draft(draft, t).model_dump_json()
    digest.update(blob.encode())
    items[case.stem] = hashlib.sha256(blob.encode()).hexdigest()[:8]
eval_digest = digest.hexdigest()[:16]
transcript = prepared(open(sys.argv[2], encoding="utf-8").read())
report = extract_offline(transcript).report
gc.collect()
rules, verify, blob = passes(transcript, report)
print(json.dumps({"rules": rules, "verify": verify, "eval": eval_digest, "items": items,
                  "digest": hashlib.sha256(blob.encode()).hexdigest()[:16],
                  "messages": len(transcript.messages)}))
"""


def _run(code_dir: Path, chat: Path) -> dict[str, Any]:
    return run_worker(_WORKER, code_dir, chat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", default="36e7d36", help="git revision to compare with")
    parser.add_argument(
        "--unique",
        action="store_true",
        help="end every message with a word of its own, so that no two texts are alike",
    )
    args = parser.parse_args()

    from bench_verify import build_chat, with_unique_texts

    with tempfile.TemporaryDirectory(prefix="pm-verify-passes-") as where:
        chat = Path(where) / "chat.txt"
        text = build_chat(args.messages)
        if args.unique:  # the replay repeats its sample chats' texts; a real chat less so
            text = with_unique_texts(text)
        chat.write_text(text, encoding="utf-8")
        old_dir = unpack_revision(args.baseline, Path(where) / "baseline")
        runs: dict[str, list[dict[str, Any]]] = {"old": [], "new": []}
        for _ in range(args.runs):
            runs["old"].append(_run(old_dir, chat))
            runs["new"].append(_run(ROOT, chat))

    first = runs["new"][0]
    print(
        f"{args.messages:,} requested messages -> {first['messages']} parsed; "
        f"CPU seconds, {args.runs} runs each"
    )
    medians: dict[str, dict[str, float]] = {}
    for side, label in (("old", f"baseline {args.baseline}"), ("new", "this tree")):
        medians[side] = {}
        print(label)
        for step in ("rules", "verify"):
            values = [float(r[step]) for r in runs[side]]
            medians[side][step] = statistics.median(values)
            print("  " + times_line(f"{step} pass", values))
        totals = [float(r["rules"]) + float(r["verify"]) for r in runs[side]]
        medians[side]["total"] = statistics.median(totals)
        print("  " + times_line("both passes", totals))
    for step in ("rules", "verify", "total"):
        print(f"ratio {step:<7} new / old = {medians['new'][step] / medians['old'][step]:.2f}")
    same = True
    for key, what in (("digest", "long chat"), ("eval", "dev incidents and checker cases")):
        digests = {str(r[key]) for side in runs.values() for r in side}
        print(f"same output ({what}):", "yes" if len(digests) == 1 else f"NO ({digests})")
        same = same and len(digests) == 1
    if not same:
        every = [r["items"] for side in runs.values() for r in side]
        differ = sorted({name for r in every for name in r if r[name] != every[0].get(name)})
        print("differing incidents and cases:", ", ".join(differ) or "none")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
