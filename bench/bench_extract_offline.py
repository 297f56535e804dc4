"""The offline engine's extraction of a long chat, against a baseline revision, as a ratio.

Run: `.venv/bin/python bench/bench_extract_offline.py [--messages 10000] [--runs 3]
[--baseline 36e7d36] [--unique]`.

The chat is `bench_verify.build_chat` (the sample chats replayed), parsed once per process; the
baseline revision is extracted with `git archive` and run in the same virtualenv, each side in its
own process, the runs interleaved, times in CPU seconds (`time.process_time`) of `extract_report`
alone. Both sides also extract every dev-split eval incident's pasted transcript (test-split
incidents are frozen and their transcripts never opened; exports are left out); a digest of every
extraction's JSON (report and warnings) is compared, and the script exits non-zero when the two
sides differ: a speed-up must not change any output. The replayed chat repeats the sample chats'
sentences, which a memo of a text's answers profits from more than a real chat would; `--unique`
ends every message with a made-up word of its own, so that no two messages (and no two last
sentences) are alike.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from baseline import run_worker, unpack_revision

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

_WORKER = """
import gc, hashlib, json, sys, time
sys.path.insert(0, sys.argv[1])
from app.ingest import parse_transcript
from app.engines.extractive import extract_report
text = open(sys.argv[2], encoding="utf-8").read()
evals = json.loads(open(sys.argv[3], encoding="utf-8").read())
def dump(extraction):
    return extraction.report.model_dump_json() + json.dumps(extraction.warnings)
h = hashlib.sha256()
for source in evals:
    h.update(dump(extract_report(parse_transcript(source))).encode())
eval_digest = h.hexdigest()[:16]
transcript = parse_transcript(text)
gc.collect()
t0 = time.process_time()
extraction = extract_report(transcript)
t1 = time.process_time()
digest = hashlib.sha256(dump(extraction).encode()).hexdigest()[:16]
print(json.dumps({"extract": t1 - t0, "digest": digest, "eval_digest": eval_digest,
                  "messages": len(transcript.messages)}))
"""


def _dev_transcripts() -> list[str]:
    """The pasted transcripts of the dev-split eval incidents (test ones are never read)."""
    from app.evaluation.gold import discover_incidents

    texts = []
    for incident in discover_incidents(ROOT / "eval" / "incidents"):
        if incident.gold.split != "dev":
            continue  # the test split is frozen: its transcript is not opened
        source = incident.source()
        if isinstance(source, str):  # exports (JSON, ZIP, folders) are left out
            texts.append(source)
    return texts


def _run(code_dir: Path, chat: Path, evals: Path) -> dict[str, float | str]:
    return run_worker(_WORKER, code_dir, chat, evals)


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

    with tempfile.TemporaryDirectory(prefix="pm-extract-") as where:
        chat = Path(where) / "chat.txt"
        text = build_chat(args.messages)
        if args.unique:
            text = with_unique_texts(text)
        chat.write_text(text, encoding="utf-8")
        evals = Path(where) / "evals.json"
        dev = _dev_transcripts()
        evals.write_text(json.dumps(dev), encoding="utf-8")
        old_dir = unpack_revision(args.baseline, Path(where) / "baseline")
        runs: dict[str, list[dict[str, float | str]]] = {"old": [], "new": []}
        for _ in range(args.runs):
            runs["old"].append(_run(old_dir, chat, evals))
            runs["new"].append(_run(ROOT, chat, evals))

    unique = " every message unique;" if args.unique else ""
    print(
        f"{args.messages:,} requested messages -> {runs['new'][0]['messages']} parsed; "
        f"{len(dev)} dev eval transcripts (pasted text);{unique} CPU seconds of extract_report, "
        f"{args.runs} runs each"
    )
    medians = {}
    for side, label in (("old", f"baseline {args.baseline}"), ("new", "this tree")):
        values = [float(r["extract"]) for r in runs[side]]
        medians[side] = statistics.median(values)
        print(f"  {label:<20} best {min(values):.3f} s  median {medians[side]:.3f} s")
    print(f"ratio extract new / old = {medians['new'] / medians['old']:.2f}")
    digests = {(str(r["digest"]), str(r["eval_digest"])) for side in runs.values() for r in side}
    same = len(digests) == 1
    print("same output (10k chat and dev evals):", "yes" if same else f"NO ({digests})")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
