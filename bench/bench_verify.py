"""Time the fact checker, and how its cost grows.

Run: `.venv/bin/python bench/bench_verify.py [--messages 2000] [--claims 50] [--repeat 5]`
     `.venv/bin/python bench/bench_verify.py --growth`

The transcript is built from the seed chat and the checker's eval chats, replayed with shifted
clocks, rotated service names and figures, so retrieval works on realistic, repetitive text.
Prints the wall time of the first `verify_draft` call (caches cold), then the best and median of
repeated calls (index build included) and of the parts.

`--growth` measures the exponent k of time ~ size^k: checking a fixed draft against chats of
500, 2,000 and 8,000 messages (the claims' checks, index build excluded: the goal is O(log
messages) per claim, k near 0), and checking drafts of 50, 200 and 800 claims against one chat
(the goal is linear in the claims, k near 1). The index build is linear in the chat.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import time
from pathlib import Path

from app.ingest import parse_transcript
from app.models import Transcript
from app.verify import split_claims, verify_draft
from app.verify.assessment import assess_claim
from app.verify.source import SourceIndex

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "eval" / "checker" / "cases"


def _dev_cases() -> list[Path]:
    """Checker cases of the dev split (test cases are never read, even for timing)."""
    return [
        p
        for p in sorted(CASES.glob("*.json"))
        if json.loads(p.read_text("utf-8")).get("split", "dev") == "dev"
    ]


CHATS = [
    ROOT / "tests" / "data" / "seed_000_checkout_chat.txt",
    *dict.fromkeys(
        (p.parent / json.loads(p.read_text("utf-8"))["transcript"]).resolve() for p in _dev_cases()
    ),
]
DRAFTS = [
    ROOT / "tests" / "data" / "seed_001_llm_written_draft.txt",
    *(p.with_suffix(".md") for p in _dev_cases()),
]
_HEADER = re.compile(r"^\[(\d{2}):(\d{2})\] (.+)$")
_INLINE = re.compile(r"^\[?\d{1,2}:\d{2}\]? <?(\w+)>?:? (.+)$")


def _letters(n: int) -> str:
    """`n` written in letters (a word no rule reads as a figure): 0 -> 'a', 27 -> 'bb'."""
    word = ""
    while True:
        n, digit = divmod(n, 26)
        word = "abcdefghijklmnopqrstuvwxyz"[digit] + word
        if n == 0:
            return word


def with_unique_texts(chat: str) -> str:
    """`build_chat`'s chat with every message ending in a word of its own, so that no two texts
    are alike (the replay repeats its sample chats' texts; a real chat less so)."""
    return "\n\n[".join(f"{b} zq{_letters(i)}" for i, b in enumerate(chat.split("\n\n[")))


def build_chat(messages: int) -> str:
    """A `[HH:MM] Name` chat of `messages` messages, replaying the sample chats."""
    blocks: list[tuple[str, str]] = []
    for path in CHATS:
        author = ""
        lines: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            header = _HEADER.match(line)
            if header:
                if author:
                    blocks.append((author, "\n".join(lines).strip()))
                author, lines = header[3], []
            elif line.strip():
                lines.append(line)
        if author:
            blocks.append((author, "\n".join(lines).strip()))
    if len(blocks) < 50:  # the eval chats in other formats: their text, as bracket-header messages
        for path in CHATS:
            for line in path.read_text(encoding="utf-8").splitlines():
                match = _INLINE.match(line)
                if match:
                    blocks.append((match[1], match[2]))
    out: list[str] = []
    minute = 0
    for index in range(messages):
        author, text = blocks[index % len(blocks)]
        round_ = index // len(blocks)
        if round_:
            text = re.sub(r"(\w+)-service", rf"\1-service-{round_}", text)
            shift = round_
            text = re.sub(r"\b(\d{2,3})%", lambda m, s=shift: f"{(int(m[1]) + s) % 100}%", text)
        minute += 1 if index % 3 == 0 else 0
        hours, mins = divmod(minute % (24 * 60), 60)
        out.append(f"[{hours:02d}:{mins:02d}] {author}\n{text}\n")
    return "\n".join(out)


def build_draft(claims: int) -> str:
    """A Markdown draft of `claims` claims taken from the sample drafts."""
    found: list[str] = []
    for path in DRAFTS:
        found += [c.text for c in split_claims(path.read_text(encoding="utf-8"))]
    picked = [found[i % len(found)] for i in range(claims)]
    return "# Draft\n\n" + "\n".join(f"- {text}" for text in picked) + "\n"


def timed(repeat: int, action: object) -> list[float]:
    """Wall times in milliseconds of `repeat` calls."""
    assert callable(action)
    times: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def exponent(sizes: list[int], times: list[float]) -> float:
    """The k of time ~ size^k, fitted from the first and last measurement."""
    return math.log(times[-1] / times[0]) / math.log(sizes[-1] / sizes[0])


def growth(repeat: int) -> None:
    """Print how checking grows with the chat (claims fixed) and with the draft (chat fixed)."""
    draft = build_draft(50)
    claims = split_claims(draft)
    sizes = [500, 2000, 8000]
    checks: list[float] = []
    for size in sizes:
        source = SourceIndex(parse_transcript(build_chat(size)))
        [assess_claim(c, source) for c in claims]  # warm the per-word caches
        checks.append(min(timed(repeat, lambda s=source: [assess_claim(c, s) for c in claims])))
        print(f"{len(claims)} claims vs {size:>5} messages: checks {checks[-1]:8.1f} ms")
    print(f"growth with the chat (per claim, index excluded): k = {exponent(sizes, checks):.2f}")
    transcript = parse_transcript(build_chat(2000))
    source = SourceIndex(transcript)
    counts = [50, 200, 800]
    totals: list[float] = []
    for count in counts:
        batch = split_claims(build_draft(count))
        totals.append(min(timed(repeat, lambda b=batch: [assess_claim(c, source) for c in b])))
        print(f"{count:>4} claims vs 2000 messages: checks {totals[-1]:8.1f} ms")
    print(f"growth with the draft: k = {exponent(counts, totals):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--claims", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--growth", action="store_true", help="measure growth exponents")
    args = parser.parse_args()
    if args.growth:
        growth(args.repeat)
        return

    chat = build_chat(args.messages)
    draft = build_draft(args.claims)
    transcript: Transcript = parse_transcript(chat)
    claims = split_claims(draft)
    print(f"transcript: {len(transcript.messages)} messages; draft: {len(claims)} claims")

    def report(name: str, times: list[float]) -> None:
        print(f"{name:<28} best {min(times):8.1f} ms   median {statistics.median(times):8.1f} ms")

    # First, before any cache (stems, clauses) is warm: what a fresh transcript costs.
    first = timed(1, lambda: verify_draft(draft, transcript))[0]
    print(f"{'verify_draft (first call)':<28} {first:8.1f} ms")

    report("split_claims", timed(args.repeat, lambda: split_claims(draft)))
    report("SourceIndex (build)", timed(args.repeat, lambda: SourceIndex(transcript)))
    source = SourceIndex(transcript)
    report(
        "checks (all claims)", timed(args.repeat, lambda: [assess_claim(c, source) for c in claims])
    )
    total = timed(args.repeat, lambda: verify_draft(draft, transcript))
    report("verify_draft (end to end)", total)
    result = verify_draft(draft, transcript)
    print(
        f"verdicts: {result.supported} supported, {result.unconfirmed} unconfirmed, "
        f"{result.unsupported} unsupported, {result.contradicted} contradicted; "
        f"per claim {min(total) / len(claims):.2f} ms"
    )


if __name__ == "__main__":
    main()
