"""Imported by the worker pool's fork server before it forks any worker (`app.workers`): what
a worker's first steps would otherwise load, each worker again, loaded once and shared.

The tokenizer's vocabulary (cl100k_base, for the context budget of every llm draft) takes
0.2 s to load: without this, the first llm draft on each fresh worker paid it, including the
workers that replace one stopped at a deadline.
"""

from __future__ import annotations

from app.llm.tokens import tokenizer_name

tokenizer_name()  # loads the vocabulary when the offline tokenizer is installed
