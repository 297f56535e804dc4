"""A one-line progress bar on standard error for the CLI's long drafts and evals.

Drawn only on a terminal, and only once the work has taken longer than `delay` seconds, so a
short draft, a pipe or a CI log gets no bar at all; cleared when done.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from app.progress import STEPS, ProgressEvent

_WIDTH = 24


class ProgressBar:
    """`update(done, total, label)` redraws the line; `close()` clears it."""

    def __init__(
        self, stream: TextIO | None = None, *, delay: float = 0.5, force: bool = False
    ) -> None:
        self.stream = stream or sys.stderr
        self.enabled = force or self.stream.isatty()
        self.delay = delay
        self.started = time.monotonic()
        self.drawn = False

    def update(self, done: float, total: float, label: str) -> None:
        if not self.enabled or time.monotonic() - self.started < self.delay:
            return
        share = 0.0 if total <= 0 else max(0.0, min(1.0, done / total))
        filled = round(share * _WIDTH)
        line = f"\r[{'#' * filled}{'.' * (_WIDTH - filled)}] {share:4.0%} {label}"
        self.stream.write(f"{line[:100]:<100}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * 100 + "\r")
            self.stream.flush()
            self.drawn = False

    async def draft_progress(self, event: ProgressEvent) -> None:
        """A pipeline `Progress` callback: steps in order, chunks within extraction."""
        position = STEPS.index(event.step) if event.step in STEPS else 1
        done = float(position)
        label = event.step
        if event.chunks:
            done += (event.chunk or 0) / event.chunks
            label = f"{event.step}: chunk {event.chunk} of {event.chunks}"
        self.update(done, len(STEPS) - 1, label)
