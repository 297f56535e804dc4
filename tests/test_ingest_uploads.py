"""Uploads of every export kind through the API and the CLI, and ZIP safety."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request

from app.api.body import read_body
from app.cli import main
from app.config import Settings
from app.errors import PayloadTooLargeError, UploadError
from app.ingest import parse_export
from app.ingest.exports.archive import ArchiveLimits
from app.main import create_app

FORMATS = Path(__file__).parent / "data" / "formats"
WORKSPACE = FORMATS / "slack-workspace"


def _zip(members: dict[str, bytes], **kwargs: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, **kwargs) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _workspace_zip(prefix: str = "Brightwell Slack export/") -> bytes:
    return _zip(
        {
            prefix + path.relative_to(WORKSPACE).as_posix(): path.read_bytes()
            for path in sorted(WORKSPACE.rglob("*.json"))
        }
    )


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings()), raise_server_exceptions=False) as test_client:
        yield test_client


# (upload name, bytes, form fields, format, first author, message count)
UPLOADS = [
    ("slack.zip", _workspace_zip(), {"channel": "inc-4471"}, "slack-export", "PagerDuty", 8),
    (
        "whatsapp.zip",
        _zip({"_chat.txt": (FORMATS / "whatsapp-ios-us.txt").read_bytes(), "IMG-1.jpg": b"\xff"}),
        {},
        "whatsapp",
        "Priya",
        6,
    ),
    (
        "discord.json",
        (FORMATS / "discord-export.json").read_bytes(),
        {},
        "discord-export",
        "Kofi",
        5,
    ),
    (
        "graph.json",
        (FORMATS / "teams-graph.json").read_bytes(),
        {},
        "teams-graph",
        "Marcus Brown",
        5,
    ),
    (
        "export.jsonl",
        (FORMATS / "mattermost-export.jsonl").read_bytes(),
        {"channel": "inc-512"},
        "mattermost-export",
        "priya.sharma",
        4,
    ),
    ("room.json", (FORMATS / "matrix-export.json").read_bytes(), {}, "matrix-export", None, 7),
    ("chat.txt", (FORMATS / "zoom-chat.txt").read_bytes(), {}, "zoom-chat", "Bob Li", 6),
]


@pytest.mark.parametrize(
    ("name", "data", "fields", "fmt", "first", "count"), UPLOADS, ids=[u[0] for u in UPLOADS]
)
def test_every_export_kind_uploads_through_the_api(
    client: TestClient, name: str, data: bytes, fields: dict, fmt: str, first: str, count: int
) -> None:
    response = client.post(
        "/draft", files={"file": (name, data)}, data={"engine": "extractive", **fields}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ingest"]["format"] == fmt
    assert body["ingest"]["messages"] == count == len(body["messages"])
    assert body["messages"][0]["author"] == first
    assert body["draft"]["text"].startswith("#")


@pytest.mark.parametrize(
    ("name", "data", "fields", "fmt", "first", "count"), UPLOADS, ids=[u[0] for u in UPLOADS]
)
def test_every_export_kind_drafts_through_the_cli(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    data: bytes,
    fields: dict,
    fmt: str,
    first: str,
    count: int,
) -> None:
    del first  # the API test checks authors; this one checks the CLI reads the same upload
    path = tmp_path / name
    path.write_bytes(data)
    options = [f"--{key}={value}" for key, value in fields.items()]
    assert main(["draft", str(path), "--engine", "extractive", "--json", *options]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["ingest"]["format"], result["ingest"]["messages"]) == (fmt, count)


def test_the_cli_reads_an_export_folder(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["draft", str(WORKSPACE), "--channel", "inc-4471", "--engine", "extractive", "--json"]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out)["ingest"]
    assert report["source"] == "folder"
    assert report["files"] == ["inc-4471/2024-05-20.json", "inc-4471/2024-05-21.json"]


def test_a_workspace_with_several_channels_needs_one_named(client: TestClient) -> None:
    response = client.post("/draft", files={"file": ("slack.zip", _workspace_zip())})
    assert response.status_code == 422
    assert "general, inc-4471" in response.json()["detail"]
    assert "`channel`" in response.json()["hint"]


def test_since_and_until_cut_the_export_window() -> None:
    since = dt.datetime(2024, 5, 20, 16, 3, tzinfo=dt.UTC)
    transcript = parse_export(
        WORKSPACE, channel="inc-4471", since=since, until=dt.date(2024, 5, 20)
    )
    assert [m.time for m in transcript.messages] == ["16:03:25", "16:05:00", "16:06:20", "16:08:20"]


def test_slack_threads_sit_under_their_parent_and_edits_apply() -> None:
    transcript = parse_export(WORKSPACE, channel="inc-4471")
    texts = [m.text for m in transcript.messages]
    assert texts[1].startswith("@Ravi Kumar can you look?")
    assert texts[2:4] == ["on it, rolling back", "thanks, watching"]  # replies, in time order
    assert texts[-1] == "postmortem draft is up for review"  # message_changed applied
    assert "[file: checkout errors]" in texts[6]
    assert any("1 Slack edit" in w for w in transcript.warnings)


def test_multipart_transcript_field_and_verify_upload(client: TestClient) -> None:
    chat = (FORMATS / "teams-classic.txt").read_text(encoding="utf-8")
    drafted = client.post(
        "/draft", files={"transcript": (None, chat), "engine": (None, "extractive")}
    )
    assert drafted.status_code == 200
    assert drafted.json()["ingest"]["format"] == "teams-classic"
    verified = client.post(
        "/verify",
        files={"file": ("chat.txt", chat.encode())},
        data={"draft": "At 21:45 Kowalski, Piotr reverted the synonyms PR."},
    )
    assert verified.status_code == 200, verified.text
    assert verified.json()["ingest"]["format"] == "teams-classic"
    assert verified.json()["verification"]["claims"]


# --- ZIP safety ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "member", ["../../etc/passwd.txt", "/abs/chat.txt", "dir\\chat.txt", "C:/chat.txt"]
)
def test_unsafe_member_paths_are_refused(client: TestClient, member: str) -> None:
    response = client.post("/draft", files={"file": ("x.zip", _zip({member: b"[09:14] a: b"}))})
    assert response.status_code == 422
    assert "unsafe path" in response.json()["detail"]


def test_a_zip_bomb_is_stopped_by_the_ratio_cap() -> None:
    bomb = _zip({"chat.txt": b"a" * (8 << 20)})
    assert len(bomb) < 64 << 10
    with pytest.raises(PayloadTooLargeError, match="inflates more than"):
        parse_export(bomb, limits=ArchiveLimits(max_ratio=100))


def test_member_count_and_total_size_caps() -> None:
    many = _zip({f"c/{i}.txt": b"x" for i in range(50)})
    with pytest.raises(PayloadTooLargeError, match="50 members; the limit is 10"):
        parse_export(many, limits=ArchiveLimits(max_members=10))
    big = _zip({"a.json": b"[" + b" " * 5000 + b"]", "b.json": b"[" + b" " * 5000 + b"]"})
    with pytest.raises(PayloadTooLargeError, match="unpacked ZIP"):
        parse_export(big, limits=ArchiveLimits(max_total_bytes=8000))


def test_a_member_that_lies_about_its_size_is_cut_off() -> None:
    data = bytearray(_zip({"chat.txt": b"[09:14] a: " + b"b" * 4000}))
    # Patch both size headers to claim 10 bytes; reading must still stop at the real cap.
    local = data.index(b"PK\x03\x04")
    data[local + 22 : local + 26] = (10).to_bytes(4, "little")
    central = data.index(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    with pytest.raises((PayloadTooLargeError, UploadError)):
        parse_export(bytes(data), limits=ArchiveLimits(max_member_bytes=1000))


def test_corrupt_zip_and_non_utf8_members_are_clear_422s(client: TestClient) -> None:
    corrupt = client.post("/draft", files={"file": ("x.zip", b"PK\x03\x04garbage")})
    assert corrupt.status_code == 422 and "cannot be read" in corrupt.json()["detail"]
    latin = client.post("/draft", files={"file": ("x.zip", _zip({"chat.txt": b"caf\xe9"}))})
    assert latin.status_code == 422 and "not UTF-8" in latin.json()["detail"]
    empty = client.post("/draft", files={"file": ("x.zip", _zip({"a.png": b"\x89PNG"}))})
    assert empty.status_code == 422 and "no .json" in empty.json()["detail"]


# --- limits while reading -----------------------------------------------------------------------


def test_a_body_over_the_cap_is_refused_before_it_is_read() -> None:
    sent: list[int] = []

    async def receive() -> dict:
        sent.append(1)
        return {"type": "http.request", "body": b"x" * 100, "more_body": len(sent) < 1000}

    request = Request({"type": "http", "method": "POST", "headers": []}, receive)
    with pytest.raises(PayloadTooLargeError, match="reading stopped"):
        asyncio.run(read_body(request, 1000))
    assert len(sent) == 11  # stopped at the first chunk past the cap, not after 1,000

    app = create_app(Settings(max_upload_bytes=1000))
    with TestClient(app, raise_server_exceptions=False) as small:
        declared = small.post(
            "/draft",
            content=b"x" * 10,
            headers={"content-type": "text/plain", "content-length": "5000000"},
        )
    assert declared.status_code == 413 and "5000000 bytes" in declared.json()["detail"]


def test_transcript_limit_counts_the_transcript_itself_in_json_and_text() -> None:
    app = create_app(Settings(max_transcript_chars=50))
    with TestClient(app, raise_server_exceptions=False) as small:
        text = small.post(
            "/draft", content="[09:14] a: " + "x" * 60, headers={"content-type": "text/plain"}
        )
        as_json = small.post("/draft", json={"transcript": [{"ts": "1.0", "text": "y" * 60}]})
        padded = small.post(
            "/draft", json={"transcript": "[09:14] a: ok", "format": None, "date": None}
        )
        verify = small.post("/verify", json={"transcript": "[09:14] a: ok", "draft": "z" * 300_000})
    assert text.status_code == 413 and "has 71 characters; the limit is 50" in text.json()["detail"]
    assert as_json.status_code == 413 and "transcript has" in as_json.json()["detail"]
    assert padded.status_code != 413
    assert (
        verify.status_code == 413 and "the draft has 300000 characters" in verify.json()["detail"]
    )


def test_the_cli_applies_the_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PM_MAX_UPLOAD_BYTES", "100")
    path = tmp_path / "chat.txt"
    path.write_text("[09:14] a: " + "x" * 200)
    assert main(["draft", str(path)]) == 2
    assert "the limit is 100 bytes" in capsys.readouterr().err


def test_a_folder_that_is_no_export_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    assert main(["draft", str(tmp_path)]) == 2
    assert "no .json, .jsonl or .txt file" in capsys.readouterr().err
