"""The `postmortem` command: draft, verify, serve, schemas, eval."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from app.errors import PayloadTooLargeError, PostmortemError

if TYPE_CHECKING:
    from app.config import Settings
    from app.ingest.upload import Upload

EXIT_INPUT = 2
EXIT_UPSTREAM = 3


_T = TypeVar("_T")


def _run(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """`asyncio.run`, without its cost on a large result: Python 3.11's runner formats the repr
    of the finished main task, whose result here is a whole draft (about 0.09 s at 10,000
    messages); the result goes out through a box instead."""
    box: list[_T] = []

    async def main() -> None:
        box.append(await coroutine)

    asyncio.run(main())
    return box[0]


def _read_bytes(path: str, limit: int) -> bytes:
    """A file's (or stdin's) bytes, refused past `limit` before more is read."""
    if path == "-":
        binary = getattr(sys.stdin, "buffer", None)
        data = binary.read(limit + 1) if binary else sys.stdin.read(limit + 1).encode()
        where = "standard input"
    else:
        file = Path(path)
        try:
            size = file.stat().st_size
            if file.is_dir():
                raise PostmortemError(
                    f"{path} is a directory", hint="pass the file itself, or - for stdin"
                )
            if size > limit:
                raise PayloadTooLargeError(
                    f"{path} is {size} bytes; the limit is {limit} bytes",
                    hint="cut the file down, or raise PM_MAX_UPLOAD_BYTES",
                )
            data = file.read_bytes()
        except FileNotFoundError:
            raise PostmortemError(f"no such file: {path}", hint="check the path") from None
        except PermissionError:
            raise PostmortemError(f"cannot read {path}", hint="check its permissions") from None
        where = path
    if len(data) > limit:
        raise PayloadTooLargeError(
            f"{where} is over {limit} bytes", hint="cut it down, or raise PM_MAX_UPLOAD_BYTES"
        )
    return data


def _read_text(path: str, limit: int, max_chars: int, what: str) -> str:
    try:
        text = _read_bytes(path, limit).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PostmortemError(f"{path} is not UTF-8 text", hint="convert it to UTF-8") from None
    if len(text) > max_chars:
        raise PayloadTooLargeError(
            f"the {what} has {len(text)} characters; the limit is {max_chars}",
            hint=f"split the {what}, or raise the PM_MAX_* limit",
        )
    return text


def _transcript_source(args: argparse.Namespace, settings: Settings) -> Upload:
    """The transcript argument: a file, - (stdin), a ZIP, or an export folder."""
    from app.ingest.upload import Upload

    path = args.transcript_path
    if path != "-" and Path(path).is_dir():
        return Upload(Path(path), channel=args.channel, since=args.since, until=args.until,
                      limits=settings.archive_limits())  # fmt: skip
    data = _read_bytes(path, settings.max_upload_bytes)
    return Upload(
        data,
        filename="stdin" if path == "-" else Path(path).name,
        channel=args.channel,
        since=args.since,
        until=args.until,
        limits=settings.archive_limits(),
    )


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form") from None


def _moment(value: str) -> dt.datetime | dt.date:
    try:
        return dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date (YYYY-MM-DD) or time (YYYY-MM-DDTHH:MM)"
        ) from None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of 1 or more")
    return number


def _add_transcript_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", help="transcript format (auto-detected by default)")
    parser.add_argument("--date", type=_date, help="date of the chat (YYYY-MM-DD)")
    parser.add_argument("--timezone", help="IANA time zone of the chat's times")
    parser.add_argument("--channel", help="export channel to read (Slack, Mattermost)")
    parser.add_argument("--since", type=_moment, help="keep export messages from then (UTC)")
    parser.add_argument("--until", type=_moment, help="keep export messages up to then (UTC)")


def _cmd_draft(args: argparse.Namespace) -> int:
    from app.config import load_settings
    from app.engines.registry import EngineRegistry
    from app.pipeline import DraftOptions, create_draft

    settings = load_settings()
    args.transcript_path = args.file
    source = _transcript_source(args, settings)
    options = DraftOptions(
        audience=args.audience,
        engine=args.engine,
        format=args.format,
        date=args.date,
        timezone=args.timezone,
        keep_unverified=args.keep_unverified,
    )
    from app.progress_bar import ProgressBar

    engines = EngineRegistry(settings)
    bar = ProgressBar()
    try:
        result = _run(create_draft(source, options, engines, progress=bar.draft_progress))
    finally:
        bar.close()
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        print(result.draft.text, end="")
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from app.config import load_settings
    from app.engines.registry import EngineRegistry
    from app.pipeline import verify_text

    settings = load_settings()
    args.transcript_path = args.transcript
    source = _transcript_source(args, settings)
    draft = _read_text(args.draft, settings.max_upload_bytes, settings.max_draft_chars, "draft")
    engines = EngineRegistry(settings)
    judges = None if args.no_llm else engines.claim_judge(engines.deadline())
    outcome = _run(
        verify_text(
            source,
            draft,
            format=args.format,
            date=args.date,
            timezone=args.timezone,
            judge=judges[0] if judges is not None else None,
            max_claims=settings.verify_max_claims,
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
        f"{report.unconfirmed} unconfirmed, {report.unsupported} unsupported, "
        f"{report.contradicted} contradicted"
    )
    return 1 if args.strict and (report.unsupported or report.contradicted) else 0


def _cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.config import load_settings
    from app.main import create_app

    create_app(load_settings())  # fail fast, with the variable named, before binding the port
    uvicorn.run(
        "app.main:app", host=args.host, port=args.port, workers=args.workers, log_level="info"
    )
    return 0


def _cmd_worker(args: argparse.Namespace) -> int:
    from app.config import load_settings
    from app.main import install_log_redaction

    settings = load_settings()
    if not settings.uses_redis:
        raise PostmortemError(
            "`postmortem worker` runs jobs from Redis, but PM_STORE_URL is not a redis:// URL",
            hint="set PM_STORE_URL=redis://host:6379/0 here and on the servers; with the "
            "embedded SQLite store, jobs run inside the server process and need no worker",
        )
    import logging

    from app.jobs.queue import build_worker
    from app.logs import configure_logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    install_log_redaction()
    configure_logging(settings.log_format)
    build_worker(settings, burst=args.burst).run()
    return 0


def _cmd_api_key(args: argparse.Namespace) -> int:
    from app.api.security import hash_key, new_key

    key = sys.stdin.read().strip() if args.stdin else new_key()
    if not key:
        raise PostmortemError("no key on standard input", hint="pipe the key in, or omit --stdin")
    if not args.stdin:
        print(f"key (give it to the client; it is not stored): {key}")
    print(f"digest (a line for PM_API_KEYS_FILE): {hash_key(key)}")
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
    draft.add_argument(
        "file", help="transcript file (text, JSON, JSONL, ZIP), an export folder, or - for stdin"
    )
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
    verify.add_argument(
        "--transcript", required=True, help="the incident chat: a file, ZIP, export folder or -"
    )
    verify.add_argument("--json", action="store_true", help="print the full JSON report")
    verify.add_argument("--no-llm", action="store_true", help="rules only, even if an LLM is set")
    verify.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when any claim fails (unsupported or contradicted)",
    )
    _add_transcript_options(verify)
    verify.set_defaults(handler=_cmd_verify)

    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help="server processes (each with its own CPU worker pool, PM_CPU_WORKERS); default 1",
    )
    serve.set_defaults(handler=_cmd_serve)

    worker = commands.add_parser(
        "worker", help="run POST /drafts jobs from Redis (PM_STORE_URL=redis://...)"
    )
    worker.add_argument(
        "--burst", action="store_true", help="stop when the queue is empty (for scripts and tests)"
    )
    worker.set_defaults(handler=_cmd_worker)

    api_key = commands.add_parser(
        "api-key", help="make an API key and the digest line for PM_API_KEYS_FILE"
    )
    api_key.add_argument(
        "--stdin", action="store_true", help="hash a key read from standard input instead"
    )
    api_key.set_defaults(handler=_cmd_api_key)

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
    from app.redact import install_log_redaction

    install_log_redaction()  # every log line of the command is redacted, library ones too
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
