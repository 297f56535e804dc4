"""`postmortem eval`: options, default paths, and the run from incidents to exit code."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app.errors import InvalidRequestError

if TYPE_CHECKING:  # the pipeline is imported only when `eval` runs, not for `postmortem --help`
    from app.evaluation.gold import Incident
    from app.evaluation.runner import EngineSpec, Mode

_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

EXIT_OK = 0
EXIT_BELOW_THRESHOLD = 1

# The source checkout this package lives in (eval/ and README.md sit next to `app/`).
CHECKOUT = Path(__file__).resolve().parents[2]


def add_eval_arguments(parser: argparse.ArgumentParser) -> None:
    """The `eval` subcommand's options."""
    parser.add_argument(
        "--engine",
        choices=("extractive", "llm"),
        default="extractive",
        help="engine to measure (default: extractive, offline)",
    )
    parser.add_argument("--model", help="LLM model (default: PM_LLM_MODEL, or the recording's)")
    parser.add_argument(
        "--compare",
        metavar="ENGINES",
        help="comma-separated engines or engine:model pairs to run side by side, "
        "e.g. extractive,llm:gpt-4o-mini",
    )
    parser.add_argument(
        "--incidents",
        metavar="DIR",
        help="folder of incidents in the gold format (default: eval/incidents)",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="ID",
        help="run only incidents whose id starts with ID (repeatable)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--record",
        action="store_true",
        help="save LLM completions to <incident>/recordings/<model>.json",
    )
    mode.add_argument(
        "--replay",
        action="store_true",
        help="answer LLM requests from the recordings; no endpoint needed",
    )
    parser.add_argument(
        "--collect",
        metavar="DIR",
        help="with --replay: write each request the recordings lack to DIR for someone playing "
        "the model to answer (see app/evaluation/played.py)",
    )
    parser.add_argument(
        "--checker-model",
        metavar="MODEL",
        help="also score the checker with its LLM judge, replayed from this model's recordings "
        "in eval/checker/recordings/ (with --collect: write the judge requests they lack)",
    )
    parser.add_argument(
        "--import-answers",
        metavar="DIR",
        help="file the answers written in DIR (<key>.answer.txt beside each collected request) "
        "into the incidents' recordings, then stop",
    )
    parser.add_argument("--config", metavar="FILE", help="thresholds (default: eval/config.toml)")
    parser.add_argument("--reports", metavar="DIR", help="report folder (default: eval/reports)")
    parser.add_argument("--name", help="report name (default: a UTC timestamp)")
    parser.add_argument(
        "--checker-cases",
        metavar="DIR",
        help="planted-error drafts for the checker row (default: eval/checker)",
    )
    parser.add_argument(
        "--update-readme",
        action="store_true",
        help="rewrite the README's results table (offline engine) between its markers",
    )
    parser.add_argument("--readme", metavar="FILE", help="README to update (default: README.md)")
    parser.add_argument(
        "--show-test",
        action="store_true",
        help="also show test-split incidents one by one (they are frozen: read them only in "
        "aggregate while changing rules)",
    )


def eval_root() -> Path:
    """`eval/` under the current directory if there is one, else the checkout's."""
    local = Path("eval")
    if local.is_dir():
        return local
    checkout = CHECKOUT / "eval"
    return checkout if checkout.is_dir() else local


def _existing(explicit: str | None, *candidates: Path) -> Path | None:
    if explicit:
        return Path(explicit)
    return next((c for c in candidates if c.exists()), None)


def default_incidents_dir() -> Path:
    found = _existing(None, Path("eval/incidents"), CHECKOUT / "eval" / "incidents")
    if found is None:
        raise InvalidRequestError(
            "no eval/incidents folder here or in the checkout",
            hint="pass --incidents DIR (see eval/README.md for the format)",
        )
    return found


def report_name(name: str | None) -> str:
    """`--name`, checked to be a plain file name, or the UTC timestamp."""
    if name is None:
        return dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    if not _SAFE_NAME.fullmatch(name):
        raise InvalidRequestError(
            f"--name {name!r} is not a plain report name", hint="use letters, digits, . _ -"
        )
    return name


def _mode(args: argparse.Namespace) -> Mode:
    return "record" if args.record else "replay" if args.replay else "live"


def _specs(args: argparse.Namespace) -> list[EngineSpec]:
    from app.evaluation.report import OFFLINE_ENGINE
    from app.evaluation.runner import EngineSpec, engine_specs

    specs = engine_specs(args.engine, args.compare, args.model)
    if args.update_readme and all(s.engine != OFFLINE_ENGINE for s in specs):
        specs.insert(0, EngineSpec(OFFLINE_ENGINE))
    if (args.record or args.replay) and all(s.engine != "llm" for s in specs):
        raise InvalidRequestError(
            "--record and --replay apply to the llm engine", hint="add --engine llm"
        )
    return specs


def run_eval_command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run the suite, print the table, write the reports; 1 when a threshold is missed."""
    from app.evaluation.gold import discover_incidents
    from app.evaluation.report import readme_block, render_text, update_readme, write_reports
    from app.evaluation.runner import run_suite
    from app.evaluation.thresholds import check_checker, check_run, load_thresholds

    out = out or sys.stdout
    incidents_dir = Path(args.incidents) if args.incidents else default_incidents_dir()
    incidents = discover_incidents(incidents_dir, args.only)
    if args.import_answers:
        from app.evaluation.runner import checker_cases_dir

        cases = checker_cases_dir(_existing(args.checker_cases, eval_root() / "checker"))
        return _import_answers(Path(args.import_answers), incidents, out, cases)
    if args.collect and not (args.replay or args.checker_model):
        raise InvalidRequestError("--collect works with --replay", hint="add --replay")
    specs = _specs(args)
    root = eval_root()
    config = _existing(args.config, root / "config.toml")
    thresholds = load_thresholds(config) if config else {}
    checker_cases = _existing(args.checker_cases, root / "checker")

    from app.progress_bar import ProgressBar

    collect = Path(args.collect) if args.collect else None
    bar = ProgressBar()
    try:
        suite = asyncio.run(
            run_suite(
                incidents,
                specs,
                mode=_mode(args),
                checker_cases=checker_cases,
                collect=collect,
                checker_model=args.checker_model,
                progress=bar.update,
            )
        )
    finally:
        bar.close()
    if collect is not None:
        waiting = sorted(collect.glob("*/*.request.json"))
        out.write(f"collected: {len(waiting)} request(s) waiting for answers in {collect}\n")
    suite.thresholds_file = str(config) if config else None
    for run in suite.runs:
        suite.failures += check_run(run, thresholds)
    suite.failures += check_checker(suite.checker, thresholds)
    suite.failures += check_checker(suite.checker_judged, thresholds, table="checker_judged")

    out.write(render_text(suite, show_test=args.show_test))
    name = report_name(args.name)
    reports = Path(args.reports) if args.reports else root / "reports"
    written = write_reports(suite, reports, name, show_test=args.show_test)
    out.write(f"wrote {written[0]} and {written[1]} (also latest.json, latest.md)\n")
    if args.update_readme:
        readme = _existing(args.readme, Path("README.md"), CHECKOUT / "README.md") or Path(
            "README.md"
        )
        changed = update_readme(readme, readme_block(suite))
        out.write(f"{'updated' if changed else 'unchanged'}: {readme}\n")
    if not suite.passed:
        sys.stderr.write("eval FAILED: scores below the thresholds\n")
        return EXIT_BELOW_THRESHOLD
    return EXIT_OK


def _import_answers(
    directory: Path, incidents: list[Incident], out: TextIO, checker_cases: Path | None
) -> int:
    from app.config import Settings
    from app.evaluation.played import import_answers
    from app.evaluation.recording import recorded_settings

    result = import_answers(
        directory, incidents, recorded_settings(Settings.model_construct()), checker_cases
    )
    out.write(
        f"imported {result.answers} answer(s) into {len(result.recordings)} recording(s) and "
        f"{result.labels} fact label(s); {result.waiting} request(s) still waiting\n"
    )
    return EXIT_OK
