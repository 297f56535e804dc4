"""Parse and redact of a long chat, now against a baseline revision, as a ratio.

Run: `.venv/bin/python bench/bench_parse_redact.py [--messages 10000] [--runs 5]
[--baseline 747296b] [--unique]`.

The chat is `bench_verify.build_chat` (the sample chats replayed, `[HH:MM] Name` headers)
with one of `bench_redact`'s secret pastes in every 100th message, written once and read by
both sides. The baseline revision is extracted with `git archive` and run in the same
virtualenv; each side runs in its own process, the runs interleaved so machine noise hits both
alike, and times are CPU seconds of the process (`time.process_time`), so other load on a
shared machine does not count. Prints best and median of `parse_transcript`
and of `redact_transcript` for each side, the ratio of the medians (new / old), and whether
both produced the same transcript and findings (a digest of their JSON): a speed-up must not
change any output. `--unique` ends every message with a word of its own (as
`bench_extract_offline.py --unique` does) before the pastes go in: the replay repeats its sample
chats' texts, which caches keyed by a text profit from more than a real chat would.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from baseline import run_worker, times_line, unpack_revision

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

_WORKER = """
import gc, hashlib, json, sys, time
sys.path.insert(0, sys.argv[1])
from app.ingest import parse_transcript
from app.redact import redact_transcript
text = open(sys.argv[2], encoding="utf-8").read()
redact_transcript(parse_transcript(text[:20000].rsplit("\\n[", 1)[0]))  # warm up
gc.collect()
t0 = time.process_time()
transcript = parse_transcript(text)
t1 = time.process_time()
redaction = redact_transcript(transcript)
t2 = time.process_time()
digest = hashlib.sha256(redaction.model_dump_json().encode()).hexdigest()[:16]
print(json.dumps({"parse": t1 - t0, "redact": t2 - t1, "digest": digest,
                  "messages": len(transcript.messages), "findings": len(redaction.findings)}))
"""


def _run(code_dir: Path, chat: Path) -> dict[str, float | str]:
    return run_worker(_WORKER, code_dir, chat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", default="747296b", help="git revision to compare with")
    parser.add_argument(
        "--unique",
        action="store_true",
        help="end every message with a word of its own, so that no two texts are alike",
    )
    args = parser.parse_args()

    from bench_redact import _SECRETS
    from bench_verify import build_chat, with_unique_texts

    chat_text = build_chat(args.messages)
    if args.unique:
        chat_text = with_unique_texts(chat_text)
    blocks = chat_text.split("\n\n[")
    for i in range(50, len(blocks), 100):  # a config paste or a token every 100 messages
        blocks[i] += "\n" + _SECRETS[(i // 100) % len(_SECRETS)]
    text = "\n\n[".join(blocks)
    with tempfile.TemporaryDirectory(prefix="pm-parse-redact-") as where:
        chat = Path(where) / "chat.txt"
        chat.write_text(text, encoding="utf-8")
        old_dir = unpack_revision(args.baseline, Path(where) / "baseline")
        runs: dict[str, list[dict[str, float | str]]] = {"old": [], "new": []}
        for _ in range(args.runs):
            runs["old"].append(_run(old_dir, chat))
            runs["new"].append(_run(ROOT, chat))

    first = runs["new"][0]
    unique = " every message unique;" if args.unique else ""
    print(
        f"{args.messages:,} requested messages -> {first['messages']} parsed, "
        f"{first['findings']} findings;{unique} CPU seconds, {args.runs} runs each"
    )
    medians: dict[str, dict[str, float]] = {}
    for side, label in (("old", f"baseline {args.baseline}"), ("new", "this tree")):
        medians[side] = {}
        print(label)
        for step in ("parse", "redact"):
            values = [float(r[step]) for r in runs[side]]
            medians[side][step] = statistics.median(values)
            print("  " + times_line(step, values))
        totals = [float(r["parse"]) + float(r["redact"]) for r in runs[side]]
        medians[side]["total"] = statistics.median(totals)
        print("  " + times_line("parse + redact", totals))
    for step in ("parse", "redact", "total"):
        print(f"ratio {step:<7} new / old = {medians['new'][step] / medians['old'][step]:.2f}")
    digests = {str(r["digest"]) for side in runs.values() for r in side}
    same = len(digests) == 1
    print("same output (transcript and findings):", "yes" if same else f"NO ({digests})")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
