"""The fact checker with its LLM judge on the planted-error cases, replayed from recordings.

`measure_checker` scores the rules alone; this runs the same cases with the judge settling what
the hard checks did not, each case's judge request answered from
`eval/checker/recordings/<model>/<case>.json` (played like the incidents' answers: see
`app/evaluation/played.py`; `--collect` writes the requests a recording lacks, under the case's
name). A case whose judge request is not recorded keeps the rules' verdicts and is counted in
`unjudged`, so a stale recording shows in the report instead of passing silently.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from openai import AsyncOpenAI

from app.errors import PostmortemError
from app.evaluation.gold import recording_file_name
from app.evaluation.recording import REPLAY_API_KEY, REPLAY_BASE_URL, ReplayTransport
from app.llm.retry import RetryPolicy
from app.models import Transcript
from app.verify import VerificationReport
from app.verify.checker import verify_claims, verify_claims_with_judge
from app.verify.claims import Claim
from app.verify.judge import LLMClaimJudge
from app.verify.measure import CheckerScore, load_case, measure_checker

RECORDINGS = "recordings"


def judge_recording(cases_dir: Path, model: str, case: str) -> Path:
    """Where one case's judge answers for `model` are recorded."""
    stem = recording_file_name(model).removesuffix(".json")
    return cases_dir.parent / RECORDINGS / stem / f"{case}.json"


async def measure_checker_with_judge(
    cases_dir: Path, model: str, *, collect: Path | None = None
) -> tuple[CheckerScore, list[str]]:
    """The checker's score with the judge replayed, and the cases whose judge was not recorded."""
    transport = ReplayTransport(collect)
    reports: dict[tuple[str, ...], VerificationReport] = {}
    unjudged: list[str] = []
    async with httpx.AsyncClient(transport=transport) as http:
        client = AsyncOpenAI(
            base_url=REPLAY_BASE_URL, api_key=REPLAY_API_KEY, http_client=http, max_retries=0
        )
        for path in sorted(cases_dir.glob("*.json")):
            _, transcript, claims = load_case(path)
            transport.start(judge_recording(cases_dir, model, path.stem), name=path.stem)
            judge = LLMClaimJudge.over(client, model, retry=RetryPolicy(initial_wait=0.0))
            try:
                report = await verify_claims_with_judge(claims, transcript, judge)
            except PostmortemError:  # no recorded answer: the rules' verdicts stand
                report = verify_claims(claims, transcript)
            if transport.missing:
                unjudged.append(path.stem)
            reports[_key(claims)] = report

    def replayed(claims: list[Claim], transcript: Transcript) -> VerificationReport:
        del transcript
        return reports[_key(claims)]

    return measure_checker(cases_dir, verifier=replayed), unjudged


def _key(claims: list[Claim]) -> tuple[str, ...]:
    return tuple(c.text for c in claims)
