"""Present a suite result: the plain-text table, the Markdown and JSON files, the README block."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.errors import PostmortemError
from app.evaluation.scores import (
    AggregateScore,
    CheckerRow,
    EngineRun,
    IncidentScore,
    SuiteResult,
)

README_START = "<!-- eval-table:start -->"
README_END = "<!-- eval-table:end -->"
REGENERATE = (
    "postmortem eval --compare extractive,llm+rules:played-strong,llm:played-strong --replay "
    "--checker-model played-strong --update-readme"
)
OFFLINE_ENGINE = "extractive"


def rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def flag(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "no")


@dataclass(frozen=True)
class Column:
    """One table column: header, the incident cell and the aggregate cell."""

    header: str
    incident: Callable[[IncidentScore], str]
    total: Callable[[AggregateScore], str]
    varies: bool = False  # changes run to run (timings): left out of the README


COLUMNS: tuple[Column, ...] = (
    Column("tl_rec", lambda s: rate(s.timeline_recall), lambda a: rate(a.timeline_recall)),
    Column("tl_prec", lambda s: rate(s.timeline_precision), lambda a: rate(a.timeline_precision)),
    Column("root", lambda s: flag(s.root_cause_correct), lambda a: rate(a.root_cause_accuracy)),
    Column("ai_rec", lambda s: rate(s.action_item_recall), lambda a: rate(a.action_item_recall)),
    Column("owner", lambda s: rate(s.owner_accuracy), lambda a: rate(a.owner_accuracy)),
    Column(
        "impact", lambda s: rate(s.impact_figures_present), lambda a: rate(a.impact_figures_present)
    ),
    Column("inv_t", lambda s: str(s.invented_times), lambda a: str(a.invented_times)),
    Column("unsup", lambda s: str(s.unsupported_claims), lambda a: str(a.unsupported_claims)),
    Column(
        "pipe_unsup",
        lambda s: str(s.pipeline_verification.unsupported + s.pipeline_verification.contradicted),
        lambda a: str(a.pipeline_unsupported),
    ),
    Column("attr", lambda s: rate(s.attribution), lambda a: rate(a.attribution)),
    Column("status", lambda s: str(s.status_mismatches), lambda a: str(a.status_mismatches)),
    Column("1st_p", lambda s: str(s.first_person), lambda a: str(a.first_person)),
    Column("stk_priv", lambda s: str(s.stakeholder_private), lambda a: str(a.stakeholder_private)),
    Column("debris", lambda s: str(s.chat_debris), lambda a: str(a.chat_debris)),
    Column("leaks", lambda s: str(s.secret_leaks), lambda a: str(a.secret_leaks)),
    Column(
        "kept",
        lambda s: rate(s.facts_correct_shipped / s.facts_correct) if s.facts_correct else "-",
        lambda a: rate(a.fact_retention),
    ),
    Column(
        "wrong",
        lambda s: f"{s.facts_wrong_shipped}/{s.facts_wrong}" if s.facts_correct else "-",
        lambda a: rate(a.wrong_shipped_rate),
    ),
    Column("inject", lambda s: str(s.injected_claims), lambda a: str(a.injected_claims)),
    Column(
        "ms/draft",
        lambda s: f"{s.latency_ms / max(len(s.drafts), 1):.0f}",
        lambda a: "-" if a.mean_latency_ms is None else f"{a.mean_latency_ms:.0f}",
        varies=True,
    ),
    Column("calls", lambda s: str(s.llm_calls), lambda a: str(a.llm_calls)),
    Column("tokens", lambda s: str(s.tokens), lambda a: str(a.prompt_tokens + a.completion_tokens)),
)

LEGEND = (
    "tl_rec/tl_prec: timeline recall/precision; root: root cause correct (aggregate: accuracy); "
    "ai_rec: action-item recall; owner: owner accuracy of matched items; impact: gold impact "
    "figures present; inv_t: clock times in the drafts that the transcript never states; unsup: "
    "checker's unsupported+contradicted claims in the engineering draft; pipe_unsup: the "
    "pipeline's own failed claims (left out of the draft); attr: messages credited to the right "
    "author and time; status: stakeholder email calls a recovered incident ongoing (or the "
    "reverse); 1st_p: first-person sentences outside quotes; stk_priv: names, hosts, private "
    "terms or citations in the stakeholder email; debris: chat clutter in the drafts; leaks: "
    "secrets in the output; kept: labelled-correct facts of the recorded LLM answer that "
    "shipped; wrong: labelled-wrong facts shipped (incident: shipped/all; aggregate: share of "
    "shipped facts); inject: planted claims in a draft; calls/tokens: LLM usage, both drafts. "
    "'-' = not applicable. Test-split incidents are shown only in aggregate."
)
TEST_SPLIT = "test"


def _shown(score: IncidentScore, show_test: bool) -> bool:
    return show_test or score.split != TEST_SPLIT


def table_rows(
    runs: Sequence[EngineRun],
    *,
    stable: bool = False,
    show_test: bool = False,
    aggregates_only: bool = False,
) -> tuple[list[str], list[list[str]]]:
    """Header and rows: dev incidents (engines side by side), then the aggregate rows of each
    engine: one per split, the gap between the splits' rates, and all incidents together.
    Test-split incidents are frozen: only their aggregate is shown unless `show_test`."""
    columns = [c for c in COLUMNS if not (stable and c.varies)]
    header = ["incident", "engine", *(c.header for c in columns)]
    rows: list[list[str]] = []
    ids = (
        []
        if aggregates_only
        else list(
            dict.fromkeys(s.incident for run in runs for s in run.incidents if _shown(s, show_test))
        )
    )
    for incident_id in ids:
        for run in runs:
            for score in run.incidents:
                if score.incident == incident_id:
                    cells = [c.incident(score) for c in columns]
                    rows.append(
                        [incident_id + (" (error)" if score.error else ""), run.engine, *cells]
                    )
    for run in runs:
        if len(run.splits) > 1:
            for split, total in run.splits.items():
                rows.append(
                    [f"ALL {split} ({total.incidents})", run.engine]
                    + [c.total(total) for c in columns]
                )
            if {"dev", TEST_SPLIT} <= run.splits.keys():
                rows.append(["gap (dev - test)", run.engine, *_gap(run, columns)])
        total = run.aggregate
        rows.append([f"ALL ({total.incidents})", run.engine, *(c.total(total) for c in columns)])
    return header, rows


def _gap(run: EngineRun, columns: list[Column]) -> list[str]:
    """Dev minus test for the rate columns (how much better the tuned-on split scores)."""
    dev, test = run.splits["dev"], run.splits[TEST_SPLIT]
    cells = []
    for column in columns:
        a, b = column.total(dev), column.total(test)
        try:
            is_rate = "." in a and "." in b
            cells.append(f"{float(a) - float(b):+.2f}" if is_rate else "")
        except ValueError:
            cells.append("")
    return cells


def text_table(header: list[str], rows: list[list[str]]) -> str:
    """Aligned plain text: names left, numbers right; a rule above the aggregate rows."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        parts = [
            cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "  ".join(parts).rstrip()

    out = [line(header), "-" * len(line(header))]
    for row in rows:
        if (
            row[0].startswith("ALL ")
            and not out[-1].startswith("-")
            and not (out[-1].startswith("ALL "))
        ):
            out.append("-" * len(line(header)))
        out.append(line(row))
    return "\n".join(out)


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    aligns = ["---", "---", *("---:" for _ in header[2:])]
    lines = [f"| {' | '.join(header)} |", f"| {' | '.join(aligns)} |"]
    for row in rows:
        cells = [f"**{c}**" if row[0].startswith("ALL ") and c else c for c in row]
        lines.append(f"| {' | '.join(cells)} |")
    return "\n".join(lines)


def checker_line(suite: SuiteResult, *, show_dir: bool = True) -> str:
    if suite.checker is None:
        return "checker: no planted-error cases found (skipped)"
    lines = [_checker_row_line(suite.checker, show_dir)]
    if suite.checker_judged is not None:
        lines.append(_checker_row_line(suite.checker_judged, show_dir))
    return "\n".join(lines)


def _checker_row_line(row: CheckerRow, show_dir: bool) -> str:
    where = f" ({row.cases_dir})" if show_dir else ""
    how = f"with the judge replayed from {row.judge_model}" if row.judge_model else "rules only"
    line = (
        f"checker on planted-error drafts{where}, {how}: "
        f"precision {row.precision:.2f}, recall {row.recall:.2f}"
    )
    for split, rates in row.splits.items():
        line += (
            f"; {split}: hard-kind errors caught {rates.get('hard_recall', 0):.2f}, all kinds "
            f"{rates.get('recall', 0):.2f}, correct claims shipped "
            f"{rates.get('correct_shipped', 0):.2f}, false contradicted "
            f"{rates.get('false_contradicted', 0):.3f}"
        )
    if row.unjudged:
        line += f"; no recorded judge answer for {len(row.unjudged)} case(s)"
    return line


def verdict_lines(suite: SuiteResult, bullet: str = "  ") -> list[str]:
    if suite.thresholds_file is None:
        return ["thresholds: none configured"]
    if suite.passed:
        return [f"thresholds ({suite.thresholds_file}): all met"]
    return [f"thresholds ({suite.thresholds_file}): {len(suite.failures)} missed"] + [
        f"{bullet}FAIL {failure}" for failure in suite.failures
    ]


def error_lines(suite: SuiteResult) -> list[str]:
    return [
        f"error: {s.incident} ({run.engine}): {s.error}"
        for run in suite.runs
        for s in run.incidents
        if s.error
    ]


def render_text(suite: SuiteResult, *, show_test: bool = False) -> str:
    """What `postmortem eval` prints."""
    header, rows = table_rows(suite.runs, show_test=show_test)
    parts = [text_table(header, rows), "", LEGEND, "", checker_line(suite)]
    parts += error_lines(suite) + verdict_lines(suite)
    return "\n".join(parts) + "\n"


def _misses(score: IncidentScore) -> list[str]:
    found = [
        ("error", [score.error] if score.error else []),
        ("missed timeline events", score.missed_timeline),
        ("missed action items", score.missed_action_items),
        ("wrong owners", score.wrong_owners),
        ("missing impact figures", score.missing_figures),
        ("invented times", score.invented),
        ("leaked secrets (masked)", score.leaked),
        ("injected claims", score.injected),
        ("checker: unsupported or contradicted", score.unsupported),
        ("misattributed messages", score.misattributed),
        ("prose problems", score.prose_problems),
        ("correct facts left out", score.lost_facts),
        ("shipped facts nobody labelled", score.unlabelled_facts),
    ]
    return [f"- {label}: " + "; ".join(items) for label, items in found if items]


def render_markdown(suite: SuiteResult, name: str, *, show_test: bool = False) -> str:
    """The Markdown report written next to the JSON one."""
    header, rows = table_rows(suite.runs, show_test=show_test)
    lines = [
        f"# Eval report {name}",
        "",
        f"Created {suite.created:%Y-%m-%d %H:%M:%S} UTC from `{suite.incidents_dir}`; engines: "
        + ", ".join(
            f"`{run.engine}`" + (f" ({run.mode})" if run.mode != "live" else "")
            for run in suite.runs
        )
        + ".",
        "",
        markdown_table(header, rows),
        "",
        LEGEND,
        "",
        checker_line(suite),
        "",
        *verdict_lines(suite, bullet="- "),
        "",
        "## Misses",
    ]
    for run in suite.runs:
        for score in run.incidents:
            if not _shown(score, show_test):
                continue
            misses = _misses(score)
            if misses:
                lines += ["", f"### {score.incident} ({run.engine})", "", *misses]
    return "\n".join(lines) + "\n"


def frozen_view(suite: SuiteResult) -> SuiteResult:
    """The suite with test-split incidents reduced to their aggregates (what reports keep)."""
    runs = [
        run.model_copy(update={"incidents": [s for s in run.incidents if s.split != TEST_SPLIT]})
        for run in suite.runs
    ]
    return suite.model_copy(update={"runs": runs})


def write_reports(
    suite: SuiteResult, directory: Path, name: str, *, show_test: bool = False
) -> list[Path]:
    """`<name>.json` and `<name>.md`, copied to `latest.json` and `latest.md`."""
    directory.mkdir(parents=True, exist_ok=True)
    kept = suite if show_test else frozen_view(suite)
    as_json = kept.model_dump_json(indent=2) + "\n"
    as_markdown = render_markdown(suite, name, show_test=show_test)
    written = []
    for stem in dict.fromkeys((name, "latest")):
        for suffix, content in ((".json", as_json), (".md", as_markdown)):
            path = directory / f"{stem}{suffix}"
            path.write_text(content, encoding="utf-8")
            written.append(path)
    return written


def readme_block(suite: SuiteResult) -> str:
    """The README's results: every engine's aggregate rows (per split, the gap, all incidents;
    no timings), the checker rows, and how to regenerate them. Per-incident rows stay in the
    reports (`eval/reports/latest.md`)."""
    runs = list(suite.runs)
    offline = [run for run in runs if run.engine == OFFLINE_ENGINE]
    if not offline:
        raise PostmortemError("--update-readme needs the offline engine in the run")
    header, rows = table_rows(runs, stable=True, aggregates_only=True)
    count = offline[0].aggregate.incidents
    splits = ", ".join(f"{n} {name}" for name, n in _split_counts(offline[0]).items())
    engines = ", ".join(
        f"`{run.engine}`" + (" (replayed)" if run.mode == "replay" else "") for run in runs
    )
    return "\n".join(
        [
            f"{count} sample incidents in `eval/incidents` ({splits}); the `test` split is frozen "
            f"and shown only in aggregate. Engines: {engines}. Regenerate with `{REGENERATE}` "
            "(see `eval/README.md` for the metrics; per-incident rows are in "
            "`eval/reports/latest.md`).",
            "",
            markdown_table(header, rows),
            "",
            *checker_line(suite, show_dir=False).splitlines(),
        ]
    )


def _split_counts(run: EngineRun) -> dict[str, int]:
    return {name: total.incidents for name, total in run.splits.items()}


def update_readme(path: Path, block: str) -> bool:
    """Replace the text between the eval-table markers; True when the file changed."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PostmortemError(f"no README at {path}", hint="pass --readme PATH") from None
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise PostmortemError(
            f"{path} has no {README_START} ... {README_END} markers",
            hint="add both markers where the results table belongs",
        )
    updated = text[: start + len(README_START)] + "\n" + block + "\n" + text[end:]
    if updated == text:
        return False
    path.write_text(updated, encoding="utf-8")
    return True
