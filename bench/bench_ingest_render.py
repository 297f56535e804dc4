"""Ingest and render of a long chat and of the dev eval transcripts, this tree against a
baseline revision, as CPU-time ratios with the output compared.

Run: `.venv/bin/python bench/bench_ingest_render.py [--messages 10000] [--runs 3]
[--baseline main]`.

The long chat is `bench_parse_redact`'s (the sample chats replayed, a secret paste every 100th
message); the eval transcripts are those of the `dev` split (the frozen `test` split is never
read). The baseline is extracted with `git archive` and run in the same virtualenv; each side
runs in its own process, the runs interleaved, times are CPU seconds (`time.process_time`).
Each run times `parse_transcript` of the long chat and `render_draft` of its verified offline
draft for both audiences, and digests everything these steps produce: the parsed transcript of
the long chat and of every eval transcript, and the whole offline `create_draft` result
(engineering and stakeholder) of each. Exits non-zero when any digest differs: a speed-up must
not change any output (recorded LLM answers are replayed by exact request).
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
import asyncio, gc, hashlib, json, sys, time
sys.path.insert(0, sys.argv[1])
from app.config import Settings
from app.engines.extractive import ExtractiveEngine
from app.engines.registry import EngineRegistry
from app.ingest import parse_transcript
from app.pipeline import create_draft
from app.redact import redact_transcript
from app.render import render_draft
from app.steps import DraftOptions
from app.verify import verify_report
text = open(sys.argv[2], encoding="utf-8").read()
evals = json.loads(open(sys.argv[3], encoding="utf-8").read())
digest = hashlib.sha256()
engines = EngineRegistry(Settings())
def drafts(chat):
    for audience in ("engineering", "stakeholder"):
        options = DraftOptions(audience=audience, engine="extractive")
        result = asyncio.run(create_draft(chat, options, engines))
        digest.update(result.model_dump_json().encode())
for chat in evals:
    digest.update(parse_transcript(chat).model_dump_json().encode())
    drafts(chat)
parse_transcript(text[:20000].rsplit("\\n[", 1)[0])  # warm up
gc.collect()
t0 = time.process_time()
transcript = parse_transcript(text)
t1 = time.process_time()
digest.update(transcript.model_dump_json().encode())
redacted = redact_transcript(transcript).transcript
extraction = asyncio.run(ExtractiveEngine().extract(redacted))
report, _ = verify_report(extraction.report, redacted)
t2 = time.process_time()
rendered = [render_draft(report, redacted, audience) for audience in ("engineering", "stakeholder")]
t3 = time.process_time()
for draft in rendered:
    digest.update(draft.model_dump_json().encode())
drafts(text)
print(json.dumps({"parse": t1 - t0, "render": t3 - t2, "digest": digest.hexdigest()[:16],
                  "messages": len(transcript.messages)}))
"""


def _run(code_dir: Path, chat: Path, evals: Path) -> dict[str, float | str]:
    return run_worker(_WORKER, code_dir, chat, evals, cwd=code_dir)


def _dev_transcripts() -> list[str]:
    chats = []
    for gold in sorted((ROOT / "eval" / "incidents").glob("*/gold.json")):
        if json.loads(gold.read_text(encoding="utf-8")).get("split", "dev") == "dev":
            files = sorted(gold.parent.glob("transcript.*"))
            if files:  # none: an export folder (transcript/), not a pasted chat
                chats.append(files[0].read_text(encoding="utf-8-sig"))
    return chats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", default="main", help="git revision to compare with")
    args = parser.parse_args()

    from bench_redact import _SECRETS
    from bench_verify import build_chat

    blocks = build_chat(args.messages).split("\n\n[")
    for i in range(50, len(blocks), 100):  # a config paste or a token every 100 messages
        blocks[i] += "\n" + _SECRETS[(i // 100) % len(_SECRETS)]
    text = "\n\n[".join(blocks)
    dev = _dev_transcripts()
    with tempfile.TemporaryDirectory(prefix="pm-ingest-render-") as where:
        chat = Path(where) / "chat.txt"
        chat.write_text(text, encoding="utf-8")
        evals = Path(where) / "evals.json"
        evals.write_text(json.dumps(dev), encoding="utf-8")
        old_dir = unpack_revision(args.baseline, Path(where) / "baseline")
        runs: dict[str, list[dict[str, float | str]]] = {"old": [], "new": []}
        for _ in range(args.runs):
            runs["old"].append(_run(old_dir, chat, evals))
            runs["new"].append(_run(ROOT, chat, evals))

    print(
        f"{args.messages:,} requested messages -> {runs['new'][0]['messages']} parsed; "
        f"{len(dev)} dev eval transcripts; CPU seconds, {args.runs} runs each"
    )
    medians: dict[str, dict[str, float]] = {}
    for side, label in (("old", f"baseline {args.baseline}"), ("new", "this tree")):
        medians[side] = {}
        print(label)
        for step in ("parse", "render"):
            values = [float(r[step]) for r in runs[side]]
            medians[side][step] = statistics.median(values)
            print(f"  {step:<8} best {min(values):.3f} s  median {statistics.median(values):.3f} s")
    for step in ("parse", "render"):
        print(f"ratio {step:<7} new / old = {medians['new'][step] / medians['old'][step]:.2f}")
    digests = {str(r["digest"]) for side in runs.values() for r in side}
    same = len(digests) == 1
    print("same output (transcripts and drafts):", "yes" if same else f"NO ({digests})")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
