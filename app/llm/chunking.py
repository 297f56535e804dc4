"""Long chats in overlapping parts that each fit the model's context (map-reduce extraction).

When the numbered transcript does not fit PM_LLM_CONTEXT_TOKENS with the answer, the messages
are cut into consecutive chunks: each holds as many numbered lines as fit beside the chunk
prompt and PM_LLM_MAX_TOKENS for the answer, and each after the first starts with the last
messages of the one before (about `OVERLAP_SHARE` of a chunk), so an event told across a
boundary is whole in at least one chunk. Lines keep the chat's own message ids (`[m5012 ...]`):
the model cites real ids, every partial report is validated against its own chunk, and merging
needs no renumbering. A single message longer than a whole chunk is shown cut, with a marker.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import PrivateAttr

from app.llm.prompt import numbered_line
from app.llm.tokens import count_tokens, truncate_to_tokens
from app.models import Message, Transcript
from app.workers import Deferred, opened

OVERLAP_SHARE = 0.08  # of a chunk's lines budget, repeated at the start of the next chunk
MIN_CHUNK_TOKENS = 500  # a context that leaves less than this for the chat cannot be chunked
CUT_MARK = " [... the rest of this long message is not shown]"


@dataclass(frozen=True)
class Chunk:
    """Messages `first`..`last` (ids, inclusive); the first `overlap` repeat the previous
    chunk's end; `cut` messages are shown shortened to `cut_tokens` tokens."""

    index: int
    first: int
    last: int
    overlap: int = 0
    cut: tuple[int, ...] = ()
    cut_tokens: int = 0

    def label(self, chunks: int) -> str:
        return f"part {self.index + 1} of {chunks} (m{self.first} to m{self.last})"


def plan_chunks(transcript: Transcript, lines_budget: int) -> list[Chunk]:
    """Consecutive, overlapping chunks whose numbered lines each fit `lines_budget` tokens."""
    messages = transcript.messages
    sizes = [count_tokens(numbered_line(m)) + 1 for m in messages]  # +1: the line break
    overlap_budget = int(lines_budget * OVERLAP_SHARE)
    chunks: list[Chunk] = []
    start = 0
    overlap = 0
    while start < len(messages):
        end, total = start, 0
        while end < len(messages) and total + sizes[end] <= lines_budget:
            total += sizes[end]
            end += 1
        cut: tuple[int, ...] = ()
        if end == start:  # one message longer than a whole chunk: shown cut
            cut, end = (messages[start].id,), start + 1
        chunks.append(
            Chunk(
                index=len(chunks),
                first=messages[start].id,
                last=messages[end - 1].id,
                overlap=overlap,
                cut=cut,
                cut_tokens=max(1, lines_budget - 50) if cut else 0,
            )
        )
        if end >= len(messages):
            break
        back, repeated = end, 0
        while back - 1 > start and repeated + sizes[back - 1] <= overlap_budget:
            back -= 1
            repeated += sizes[back]
        overlap = end - back
        start = back
    return chunks


def chunk_lines(transcript: Transcript, chunk: Chunk) -> str:
    """The chunk's numbered lines, exactly as `numbered_transcript` writes them (cut messages
    shortened, with `CUT_MARK`)."""
    lines = []
    for message in chunk_messages(transcript, chunk):
        if message.id in chunk.cut:
            line = truncate_to_tokens(numbered_line(message), chunk.cut_tokens) + CUT_MARK
        else:
            line = numbered_line(message)
        lines.append(line)
    return "\n".join(lines)


def chunk_messages(transcript: Transcript, chunk: Chunk) -> list[Message]:
    """The messages of `chunk` (ids are 1-based positions in the transcript)."""
    return transcript.messages[chunk.first - 1 : chunk.last]


class ChunkTranscript(Transcript):
    """One chunk of a transcript, for validating that chunk's partial report: its messages are
    the only ones that may be cited; owners and participants may be anyone of the whole chat
    (a task can be given in this part to someone who speaks only in another)."""

    _chat_participants: list[str] = PrivateAttr(default_factory=list)

    @classmethod
    def of(cls, transcript: Transcript, chunk: Chunk) -> ChunkTranscript:
        part = cls.model_construct(
            format=transcript.format,
            messages=chunk_messages(transcript, chunk),
            date=transcript.date,
            timezone=transcript.timezone,
            warnings=[],
            ingest=None,
        )
        part._chat_participants = transcript.participants
        return part

    @property
    def participants(self) -> list[str]:
        return list(self._chat_participants)

    def message(self, message_id: int) -> Message | None:
        if not self.messages:
            return None
        position = message_id - self.messages[0].id
        if 0 <= position < len(self.messages) and self.messages[position].id == message_id:
            return self.messages[position]
        return None


class ChunkOf(Deferred[ChunkTranscript]):
    """The chunk of a deferred transcript, built where it is opened (in a worker)."""

    def __init__(self, transcript: Transcript | Deferred[Transcript], chunk: Chunk) -> None:
        self.transcript = transcript
        self.chunk = chunk

    def open(self) -> ChunkTranscript:
        return ChunkTranscript.of(opened(self.transcript), self.chunk)
