"""The checker's verdicts do not depend on the interpreter's hash seed: the recorded judge and
repair requests are replayed by their exact text, so a verdict (or its evidence order) that
moved with PYTHONHASHSEED would make the eval fail at random. Found on the planted-error case
below, whose evidence order changed under 4 of 16 seeds when the BM25 sums ran in set order."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "eval" / "checker" / "cases" / "rate_limiter_oom.json"
SCRIPT = """
import json, sys
from pathlib import Path
from app.ingest import parse_transcript
from app.verify import verify_draft
case = Path(sys.argv[1])
spec = json.loads(case.read_text(encoding="utf-8"))
chat = parse_transcript((case.parent / spec["transcript"]).read_text(encoding="utf-8"))
draft = (case.parent / spec["draft"]).read_text(encoding="utf-8")
print(json.dumps([v.model_dump() for v in verify_draft(draft, chat).claims], sort_keys=True))
"""


def _verdicts(seed: int) -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(CASE)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_verdicts_are_the_same_under_every_hash_seed() -> None:
    first = _verdicts(0)
    assert first.startswith("[{")
    for seed in (7, 10, 13):  # seeds that used to order the evidence differently
        assert _verdicts(seed) == first, f"PYTHONHASHSEED={seed} changed the verdicts"
