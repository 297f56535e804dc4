"""What the comparing benchmarks share: a baseline revision unpacked beside this tree, one run of
a worker script in its own process against either, and the line that prints a step's times.

Used by bench_parse_redact.py, bench_ingest_render.py, bench_extract_offline.py and
bench_verify_passes.py: each times its step in CPU seconds on both trees, interleaved, and
compares a digest of the output (a speed-up must not change what the step produces).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def unpack_revision(revision: str, into: Path) -> Path:
    """The files of `revision` (git archive) in a new folder `into`."""
    into.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def run_worker(script: str, code_dir: Path, *args: Path, cwd: Path | None = None) -> dict[str, Any]:
    """Run `script` (python -c) on the code in `code_dir`; its last output line is JSON."""
    out = subprocess.run(
        [sys.executable, "-c", script, str(code_dir), *map(str, args)],
        check=True,
        capture_output=True,
        text=True,
        cwd=cwd,
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def times_line(label: str, values: list[float]) -> str:
    """One step's best and median CPU seconds."""
    return f"{label:<22} best {min(values):.3f} s  median {statistics.median(values):.3f} s"
