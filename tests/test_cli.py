"""The `postmortem` console script."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from app.cli import main
from tests.conftest import SEED_CHAT


def test_draft_prints_the_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["draft", str(SEED_CHAT), "--audience", "stakeholder"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Subject: Resolved: ")
    assert "Priya" not in out


def test_draft_json_prints_the_full_response(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["draft", str(SEED_CHAT), "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["engine"] == "extractive"
    assert len(body["messages"]) == 30
    assert body["draft"]["text"].startswith("# Postmortem: ")


def test_draft_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(SEED_CHAT.read_text(encoding="utf-8")))
    assert main(["draft", "-"]) == 0
    assert "## Timeline" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ("nothing here looks like a chat\n", "bracket-header"),
    ],
)
def test_draft_errors_exit_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, expected: str
) -> None:
    path = tmp_path / "chat.txt"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["draft", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert expected in err
    assert "Traceback" not in err


def test_llm_engine_unconfigured_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["draft", str(SEED_CHAT), "--engine", "llm"]) == 3
    assert "PM_LLM_MODEL" in capsys.readouterr().err


def test_schemas_check_passes_on_the_committed_files() -> None:
    assert main(["schemas", "--check"]) == 0


def test_schemas_check_fails_on_a_stale_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schemas", "--dir", str(tmp_path)]) == 0
    written = sorted(tmp_path.glob("*.json"))
    assert written
    written[0].write_text("{}", encoding="utf-8")
    assert main(["schemas", "--check", "--dir", str(tmp_path)]) == 1
    assert written[0].name in capsys.readouterr().err


def test_the_cli_runner_returns_the_result_without_formatting_it() -> None:
    from app.cli import _run

    calls: list[str] = []

    class Draft:
        def __repr__(self) -> str:
            calls.append("repr")  # asyncio.run formats its main task's result this way
            return "Draft()"

    async def make() -> Draft:
        return Draft()

    result = _run(make())
    assert isinstance(result, Draft) and calls == []
