"""The `postmortem` command: draft, verify, serve, schemas, eval."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from app.errors import PostmortemError

EXIT_INPUT = 2
EXIT_UPSTREAM = 3


def _read_source(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PostmortemError(f"no such file: {path}", hint="check the path") from None
    except UnicodeDecodeError:
        raise PostmortemError(f"{path} is not UTF-8 text", hint="convert it to UTF-8") from None


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form") from None


def _add_transcript_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", help="transcript format (auto-detected by default)")
    parser.add_argument("--date", type=_date, help="date of the chat (YYYY-MM-DD)")
    parser.add_argument("--timezone", help="IANA time zone of the chat's times")


def _cmd_draft(args: argparse.Namespace) -> int:
    from app.engines.registry import EngineRegistry
    from app.main import load_settings
    from app.pipeline import DraftOptions, create_draft

    options = DraftOptions(
        audience=args.audience,
        engine=args.engine,
        format=args.format,
        date=args.date,
        timezone=args.timezone,
        keep_unverified=args.keep_unverified,
    )
    engines = EngineRegistry(load_settings())
    result = asyncio.run(create_draft(_read_source(args.file), options, engines))
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        print(result.draft.text, end="")
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from app.engines.registry import EngineRegistry
    from app.main import load_settings
    from app.pipeline import verify_text

    engines = EngineRegistry(load_settings())
    judges = None if args.no_llm else engines.claim_judge(engines.deadline())
    outcome = asyncio.run(
        verify_text(
            _read_source(args.transcript),
            _read_source(args.draft),
            format=args.format,
            date=args.date,
            timezone=args.timezone,
            judge=judges[0] if judges is not None else None,
        )
    )
    if args.json:
        print(outcome.model_dump_json(indent=2))
        return 0
    report = outcome.verification
    for claim in report.claims:
        cited = ", ".join(f"m{i}" for i in claim.evidence) or "-"
        print(f"{claim.status.upper():<13} {claim.text}")
        print(f"{'':<13} {claim.reason} [{cited}]")
    print(
        f"\n{len(report.claims)} claims: {report.supported} supported, "
        f"{report.unsupported} unsupported, {report.contradicted} contradicted"
    )
    return 1 if args.strict and (report.unsupported or report.contradicted) else 0


def _cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.main import load_settings

    load_settings()  # fail fast, with the variable named, before binding the port
    uvicorn.run("app.main:app", host=args.host, port=args.port, log_level="info")
    return 0


def _cmd_schemas(args: argparse.Namespace) -> int:
    from app.resources import schemas_dir
    from app.schemas import export_schemas, schema_drift

    directory = Path(args.dir) if args.dir else schemas_dir()
    if args.check:
        drift = schema_drift(directory)
        for name in drift:
            print(f"out of date: {directory / name}", file=sys.stderr)
        if drift:
            print("run `postmortem schemas` to regenerate", file=sys.stderr)
        return 1 if drift else 0
    for path in export_schemas(directory):
        print(f"wrote {path}")
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from app.evaluation.command import run_eval_command

    return run_eval_command(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="postmortem",
        description="Turn an incident chat into a fact-checked postmortem draft.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    draft = commands.add_parser("draft", help="draft a postmortem from a transcript file")
    draft.add_argument("file", help="transcript file, or - for standard input")
    draft.add_argument("--audience", choices=("engineering", "stakeholder"), default="engineering")
    draft.add_argument("--engine", choices=("extractive", "llm"), help="default: llm if set up")
    draft.add_argument("--json", action="store_true", help="print the full JSON response")
    draft.add_argument(
        "--keep-unverified",
        action="store_true",
        help="keep claims that fail verification, marked, instead of dropping them",
    )
    _add_transcript_options(draft)
    draft.set_defaults(handler=_cmd_draft)

    verify = commands.add_parser("verify", help="check any draft's claims against a transcript")
    verify.add_argument("draft", help="the draft file (Markdown or text), or -")
    verify.add_argument("--transcript", required=True, help="the incident chat file")
    verify.add_argument("--json", action="store_true", help="print the full JSON report")
    verify.add_argument("--no-llm", action="store_true", help="rules only, even if an LLM is set")
    verify.add_argument(
        "--strict", action="store_true", help="exit 1 when any claim is not supported"
    )
    _add_transcript_options(verify)
    verify.set_defaults(handler=_cmd_verify)

    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(handler=_cmd_serve)

    schemas = commands.add_parser("schemas", help="export the JSON Schemas to schemas/")
    schemas.add_argument("--check", action="store_true", help="exit 1 if the files are stale")
    schemas.add_argument("--dir", help="target folder (default: the project's schemas/)")
    schemas.set_defaults(handler=_cmd_schemas)

    from app.evaluation.command import add_eval_arguments

    evaluate = commands.add_parser(
        "eval", help="measure draft quality on sample incidents with gold answers"
    )
    add_eval_arguments(evaluate)
    evaluate.set_defaults(handler=_cmd_eval)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `postmortem` console script."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except PostmortemError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        if exc.hint:
            print(f"hint: {exc.hint}", file=sys.stderr)
        return EXIT_UPSTREAM if exc.status >= 500 else EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
