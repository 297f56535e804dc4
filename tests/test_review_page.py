"""The review page in a real browser: Playwright drives the system's headless Chromium against a
uvicorn server started here on 127.0.0.1 (offline engine, no network).

Without Chromium or the playwright package these tests are skipped with a message saying so,
except where PM_BROWSER_TESTS=required (CI's `.ci/run` sets it): there a missing browser fails.
Screenshots of each main state go to tests/output/browser/ (git-ignored; PM_SCREENSHOTS moves
them) for a reviewer to look at.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.review_fakes import PLANTED_EVENT, PLANTED_IMPACT, FakeOpenAI, planted_report

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "data" / "seed_000_checkout_chat.txt"
WORKSPACE = ROOT / "tests" / "data" / "formats" / "slack-workspace"
SHOTS = Path(os.environ.get("PM_SCREENSHOTS", ROOT / "tests" / "output" / "browser"))
REQUIRED = os.environ.get("PM_BROWSER_TESTS", "") == "required"
API_KEY = "review-page-test-key-0123456789"
# The machine has no network: nothing of the browser's own may try to reach one.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
]


def _chromium() -> str | None:
    for candidate in (os.environ.get("PM_CHROMIUM"), "/usr/bin/chromium", "chromium"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"browser tests are required here (PM_BROWSER_TESTS=required): {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")
    executable = _chromium()
    if executable is None:
        _unavailable("no chromium found (apt-get install chromium, or set PM_CHROMIUM)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    def __init__(self, url: str, process: subprocess.Popen[bytes]) -> None:
        self.url = url
        self.process = process

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.post(self.url + path, timeout=60, **kwargs)


def _start(extra_env: dict[str, str]) -> Iterator[Server]:
    port = _free_port()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PM_", "OPENAI_")) or k == "PATH"
    }
    # One worker; a store in the server's memory (no file shared between runs or servers).
    env.update({"PM_CPU_WORKERS": "1", "PM_STORE_URL": "sqlite://", **extra_env})
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "app.main:create_app"]
        + ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            error = process.stderr.read().decode(errors="replace") if process.stderr else ""
            pytest.fail(f"the server did not start: {error[-2000:]}")
        time.sleep(0.2)
    try:
        yield Server(url, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def server(browser: Any) -> Iterator[Server]:
    del browser  # started first: no browser, no server
    yield from _start({})


class Network:
    """Every request the page made, and any that left 127.0.0.1 (refused)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.outside: list[str] = []
        self.errors: list[str] = []

    def route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith((self.base, "data:", "blob:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[tuple[Any, Network]]:
    context = browser.new_context(
        viewport={"width": 1440, "height": 900}, accept_downloads=True, base_url=server.url
    )
    network = Network(server.url)
    context.route("**/*", network.route)
    tab = context.new_page()
    tab.on("pageerror", lambda error: network.errors.append(str(error)))
    tab.on(
        "console",
        lambda message: network.errors.append(message.text) if message.type == "error" else None,
    )
    yield tab, network
    context.close()
    assert not network.outside, f"the page tried to reach the network: {network.outside}"


def shot(tab: Any, name: str, *, full: bool = False) -> None:
    tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def watch_status(tab: Any) -> None:
    """Keep every text the status line shows (window.seen), however briefly."""
    tab.evaluate(
        """() => { window.seen = [];
            new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach(
                (n) => window.seen.push(n.textContent)))).observe(
                document.getElementById('status'), {childList: true}); }"""
    )


def draft_seed(tab: Any) -> None:
    tab.goto("/")
    watch_status(tab)
    tab.fill("#transcript", SEED.read_text(encoding="utf-8"))
    tab.click("#draft-button")
    tab.wait_for_selector("#result:not([hidden])")
    tab.wait_for_selector("#timeline-figure svg")


def _verdicts(server: Server, audience: str) -> list[dict[str, Any]]:
    body = {"transcript": SEED.read_text(encoding="utf-8"), "audience": audience}
    claims: list[dict[str, Any]] = server.post("/draft", json=body).json()["verification"]["claims"]
    return claims


def test_paste_seed_000_and_get_both_drafts(page: tuple[Any, Network], server: Server) -> None:
    tab, network = page
    tab.goto("/")
    shot(tab, "01-empty-page")
    draft_seed(tab)
    # This server runs drafts as jobs: the page showed the job's steps as they came.
    seen = " | ".join(tab.evaluate("window.seen"))
    assert "waiting in the queue" in seen or "parsing" in seen, seen
    assert "one request: the server reports no steps" not in seen
    view = tab.locator("#draft-view")
    assert view.locator("h4").first.inner_text() == "Postmortem: checkout-service errors"
    assert view.locator("h4 + .heading-marks .mark.status-supported").count() == 1  # the title
    assert view.locator("h5", has_text="Timeline").count() == 1
    assert tab.locator("#messages .msg").count() == 30
    claims = _verdicts(server, "engineering")
    summary = tab.inner_text("#check-summary")
    for status, icon in (("supported", "✓"), ("unconfirmed", "?"), ("contradicted", "≠")):
        count = sum(c["status"] == status for c in claims)
        assert f"{icon} {count} {status}" in summary
    # Every verdict on a line of this draft is marked there (the email's wording is not here).
    placed = [c for c in claims if c["line"]]
    assert 20 < len(placed) < len(claims)
    assert view.locator(".mark").count() == len(placed)
    for claim in placed:
        block = view.locator(f"[data-line='{claim['line']}']")
        assert block.locator(f".mark.status-{claim['status']}").count() >= 1, claim
    assert "Read as bracket-header (text): 30 messages." in tab.inner_text("#warnings")
    shot(tab, "02-engineering-draft")

    tab.check("input[name=view-audience][value=stakeholder]")
    tab.wait_for_selector("#draft-view .md-line:text-matches('^Subject: ')")
    email = view.inner_text()
    assert "Hello," in email and "What we did" in email
    assert "[m" not in email  # no citations in the email
    placed = [c for c in _verdicts(server, "stakeholder") if c["line"]]
    assert placed and view.locator(".mark").count() == len(placed)
    assert all(c["item"].endswith(".plain") or "plain" in c["item"] for c in placed)
    assert "no LLM call" in tab.inner_text("#warnings")
    assert tab.locator("#timeline-section").is_hidden()
    shot(tab, "03-stakeholder-email")

    tab.check("input[name=view-audience][value=engineering]")  # served from the page's copy
    tab.wait_for_selector("#draft-view h4:text('Postmortem: checkout-service errors')")
    assert not network.errors, network.errors


def test_a_citation_highlights_the_right_message(page: tuple[Any, Network]) -> None:
    tab, _ = page
    draft_seed(tab)
    root_cause = tab.locator("#draft-view h5", has_text="Root cause")
    citation = root_cause.locator("xpath=following-sibling::p[1]").locator("a.cite[data-msg='7']")
    citation.hover()
    message = tab.locator("#msg-7")
    assert "is-evidence" in (message.get_attribute("class") or "")
    assert tab.locator("#messages .msg.is-evidence").count() == 1
    assert "Alex" in message.inner_text() and "merged that into prod" in message.inner_text()
    pane, box = tab.locator("#messages").bounding_box(), message.bounding_box()
    assert pane and box and pane["y"] <= box["y"] and box["y"] + 20 <= pane["y"] + pane["height"]
    shot(tab, "04-citation-highlights-message")

    # Focus (not only hover) does the same, and a claim's mark highlights its evidence. (The
    # pointer leaves first: a pane that scrolls under a resting pointer hovers its rows.)
    tab.mouse.move(0, 0)
    tab.locator("#draft-view a.cite[data-msg='30']").first.focus()
    assert "is-evidence" in (tab.locator("#msg-30").get_attribute("class") or "")
    row = tab.locator("#draft-view tr", has_text="Support team notified.")
    row.locator(".mark").first.focus()
    assert tab.locator("#messages .msg.is-evidence").evaluate_all(
        "items => items.map(i => i.dataset.id)"
    ) == ["14"]
    assert "Support team notified." in tab.inner_text("#claim-details")

    # Clicking a message lists the lines that cite it; choosing one moves to that line.
    tab.locator("#msg-9").click()
    cited = tab.locator("#msg-9 .cited-by")
    assert "Starting rollback" in cited.inner_text()
    cited.locator("button").first.click()
    focused = tab.evaluate("document.activeElement.closest('#draft-view tr, #draft-view li')")
    assert focused is not None
    assert "Starting rollback" in tab.evaluate("document.activeElement.textContent")


def test_a_claim_edited_to_a_wrong_time_is_flagged_after_check_again(
    page: tuple[Any, Network],
) -> None:
    tab, _ = page
    draft_seed(tab)
    tab.click("#edit-button")
    editor = tab.locator("#draft-text")
    text = editor.input_value()
    assert "| 09:18 | “Starting rollback" in text
    editor.fill(text.replace("| 09:18 | “Starting rollback", "| 09:48 | “Starting rollback"))
    assert tab.locator("#stale-notice").is_visible()
    tab.click("#check-button")
    row = tab.locator("#draft-view tr", has_text="09:48")
    row.locator(".mark.status-contradicted").wait_for()
    assert "line-flagged" in (row.get_attribute("class") or "")
    assert "m9 (09:18)" in row.inner_text() and "not 09:48" in row.inner_text()
    assert tab.locator("#draft-view .mark.status-contradicted").count() == 1
    assert "≠ 1 contradicted" in tab.inner_text("#check-summary")
    assert "in your edited draft" in tab.inner_text("#check-summary")
    assert tab.locator("#stale-notice").is_hidden()
    row.locator(".mark.status-contradicted").focus()
    assert "is-evidence" in (tab.locator("#msg-9").get_attribute("class") or "")
    shot(tab, "05-edited-time-flagged")

    with tab.expect_download() as download:
        tab.click("#download-md")
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert "| 09:48 | “Starting rollback" in saved


HOSTILE_CHAT = """[09:14] Priya
checkout down <img src=x onerror="document.title='pwned'"> **bold?** [m99](javascript:alert(1))

[09:15] Ravi
<script>document.title='pwned'</script> rolling back now, errors at 45%

[09:21] Ravi
rollback complete, password=hunter2hunter2 in the log
"""


def test_chat_text_is_shown_as_text_never_as_markup(page: tuple[Any, Network]) -> None:
    tab, network = page
    tab.goto("/")
    tab.fill("#transcript", HOSTILE_CHAT)
    tab.click("#draft-button")
    tab.wait_for_selector("#result:not([hidden])")
    assert tab.title() != "pwned"
    for pane in ("#messages", "#draft-view"):
        assert tab.locator(f"{pane} img, {pane} script").count() == 0
    first = tab.inner_text("#msg-1 .msg-text")
    assert '<img src=x onerror="document.title=' in first and "**bold?**" in first
    assert "<script>" in tab.inner_text("#msg-2 .msg-text")
    assert "hunter2" not in tab.inner_text("#messages")  # redacted before anything saw it
    assert tab.locator("#messages mark.redacted").count() >= 1
    # An edited draft is rendered the same way: text, no markup, no link to follow.
    tab.click("#edit-button")
    tab.fill(
        "#draft-text", "# Edited\n\n<b onmouseover=alert(1)>x</b> [link](javascript:alert(1)) [m2]"
    )
    tab.click("#edit-button")
    view = tab.locator("#draft-view")
    assert view.locator("b, a:not(.cite)").count() == 0
    assert "<b onmouseover=alert(1)>x</b>" in view.inner_text()
    assert view.locator("a.cite[data-msg='2']").count() == 1
    assert not network.errors, network.errors


def test_warnings_above_the_draft_name_format_uncertain_lines_and_redactions(
    page: tuple[Any, Network],
) -> None:
    tab, _ = page
    chat = (ROOT / "tests" / "data" / "formats" / "bracket-inline-untimed-lines.txt").read_text()
    chat += "[09:23] Ravi: db password=hunter2hunter2 rotated\n"
    tab.goto("/")
    tab.fill("#transcript", chat)
    tab.click("#draft-button")
    tab.wait_for_selector("#result:not([hidden])")
    notices = tab.inner_text("#warnings")
    assert "Read as bracket-inline (text): 7 messages." in notices
    assert "uncertain at lines 3, 5" in notices  # the service's warnings, shown as they are
    assert "Redacted 1 secret" in notices and "password" in notices
    assert "hunter2" not in tab.inner_text("#result")
    notices_box = tab.locator("#notices").bounding_box()
    draft_box = tab.locator("#draft-view").bounding_box()
    assert notices_box and draft_box and notices_box["y"] < draft_box["y"]  # above the draft
    shot(tab, "15-warnings")


def test_progress_follows_the_job_api_where_the_server_has_it(
    page: tuple[Any, Network], server: Server
) -> None:
    """The job API's wire format (POST /drafts 202, GET /drafts/{id}/events, GET /drafts/{id}),
    served here by the browser's own routes around a real POST /draft answer."""
    tab, _ = page
    result = server.post("/draft", json={"transcript": SEED.read_text(encoding="utf-8")}).json()
    job = {"id": "job_0123456789abcdefghijkl", "status": "queued", "audience": "engineering"}
    steps = [
        {"step": "parsing"},
        {"step": "extracting", "chunk": 1, "chunks": 3},
        {"step": "extracting", "chunk": 2, "chunks": 3},
        {"step": "extracting", "chunk": 3, "chunks": 3},
        {"step": "verifying"},
        {"step": "rendering"},
    ]
    frames = (
        "".join(
            f"event: progress\ndata: {json.dumps({**job, 'status': 'running', 'progress': p})}\n\n"
            for p in steps
        )
        + f"event: done\ndata: {json.dumps({**job, 'status': 'done'})}\n\n"
    )
    posted: list[str] = []

    def capabilities(route: Any) -> None:
        answer = route.fetch()
        route.fulfill(response=answer, json={**answer.json(), "jobs": True})

    def drafts(route: Any) -> None:
        posted.append(route.request.method)
        route.fulfill(status=202, json={**job, "progress": {"step": "queued"}})

    tab.route("**/capabilities", capabilities)
    tab.route("**/drafts", drafts)
    tab.route(
        f"**/drafts/{job['id']}/events",
        lambda route: route.fulfill(body=frames, content_type="text/event-stream"),
    )
    tab.route(
        f"**/drafts/{job['id']}",
        lambda route: route.fulfill(json={**job, "status": "done", "result": result}),
    )
    tab.goto("/")
    watch_status(tab)
    tab.fill("#transcript", SEED.read_text(encoding="utf-8"))
    tab.click("#draft-button")
    tab.wait_for_selector("#result:not([hidden])")
    seen = " | ".join(tab.evaluate("window.seen"))
    assert posted == ["POST"]
    assert "extracting the report, chunk 2 of 3" in seen and "checking every claim" in seen
    assert "%" not in seen  # steps and chunks, never an invented percentage
    assert tab.locator("#messages .msg").count() == 30


def _workspace_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(WORKSPACE.rglob("*.json")):
            archive.writestr(
                "Brightwell export/" + path.relative_to(WORKSPACE).as_posix(), path.read_bytes()
            )
    return buffer.getvalue()


def test_a_slack_export_zip_dropped_on_the_page_drafts(page: tuple[Any, Network]) -> None:
    tab, _ = page
    tab.goto("/")
    transfer = tab.evaluate_handle(
        """([data, name]) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type: "application/zip" }));
            return transfer;
        }""",
        [base64.b64encode(_workspace_zip()).decode(), "slack-export.zip"],
    )
    tab.dispatch_event("#drop-zone", "dragover", {"dataTransfer": transfer})
    tab.dispatch_event("#drop-zone", "drop", {"dataTransfer": transfer})
    assert "slack-export.zip" in tab.inner_text("#file-chosen")
    tab.click("#draft-button")
    error = tab.locator("#error")
    error.wait_for()
    assert "2 channels: general, inc-4471" in error.inner_text()  # the server's problem, shown
    assert "channel=inc-4471" in error.inner_text()
    shot(tab, "06-zip-needs-a-channel")

    tab.click("#options summary")
    tab.fill("#channel", "inc-4471")
    tab.click("#draft-button")
    tab.wait_for_selector("#result:not([hidden])")
    assert error.is_hidden()
    notices = tab.inner_text("#warnings")
    assert "Read as slack-export" in notices and "(zip, channel inc-4471)" in notices
    assert "Priya Raman" in tab.inner_text("#messages")
    assert tab.locator("#draft-view h4").first.inner_text().startswith("Postmortem: ")
    shot(tab, "07-slack-zip-drafted")


def test_the_timeline_svg_has_one_mark_per_timeline_entry(
    page: tuple[Any, Network], server: Server
) -> None:
    tab, _ = page
    draft_seed(tab)
    expected = server.post("/draft", json={"transcript": SEED.read_text(encoding="utf-8")}).json()[
        "incident"
    ]["timeline"]
    figure = tab.locator("#timeline-figure svg")
    entries = figure.locator(".pm-entry")
    assert entries.count() == len(expected) == 9
    assert figure.locator(".pm-entry .pm-mark").count() == len(expected)
    times = entries.evaluate_all("nodes => nodes.map(n => n.dataset.time)")
    assert sorted(times) == sorted(entry["time"][-5:] for entry in expected)
    table_times = tab.locator("#draft-view h5:text('Timeline') + div tbody tr td:first-child")
    assert sorted(table_times.all_inner_texts()) == sorted(times)
    assert figure.get_attribute("role") == "img"
    entries.filter(has_text="Rollback complete").first.locator(".pm-mark").hover()
    assert "is-evidence" in (tab.locator("#msg-15").get_attribute("class") or "")
    tab.locator("#timeline-section").scroll_into_view_if_needed()
    shot(tab, "08-timeline-picture")


INTERACTIVE = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])"


def _focus_key(tab: Any) -> str | None:
    return tab.evaluate(
        """() => {
            const node = document.activeElement;
            if (!node || node === document.body) return null;
            if (!node.dataset.kbd) node.dataset.kbd = String(Math.random()).slice(2);
            return node.dataset.kbd;
        }"""
    )


def test_keyboard_only_use_reaches_every_control(page: tuple[Any, Network]) -> None:
    tab, _ = page
    tab.goto("/")
    # Keyboard only from here on: reach the chat box, paste, draft with Ctrl+Enter.
    for _ in range(10):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.id") == "transcript":
            break
    assert tab.evaluate("document.activeElement.id") == "transcript"
    tab.keyboard.insert_text(SEED.read_text(encoding="utf-8"))
    tab.keyboard.press("Control+Enter")
    tab.wait_for_selector("#result:not([hidden])")
    tab.wait_for_selector("#timeline-figure svg")
    assert tab.evaluate("document.activeElement.id") == "result"
    tab.evaluate("document.activeElement.blur()")
    tab.focus("#options summary")
    tab.keyboard.press("Enter")  # open "More options" so its fields count too
    assert tab.locator("#options").get_attribute("open") is not None

    reached: set[str] = set()
    first = previous = None
    tab.evaluate("document.activeElement.blur()")
    for _ in range(600):  # once round the page (a date field takes several presses)
        tab.keyboard.press("Tab")
        key = _focus_key(tab)
        if key is None:
            continue
        if first is None:
            first = key
        elif key == first and previous != first:
            break
        reached.add(key)
        previous = key
    controls = tab.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .filter((n) => !n.disabled && n.getClientRects().length && !n.closest('[hidden]'))
            .filter((n) => n.type !== 'radio' || n.checked)
            .map((n) => {
                if (!n.dataset.kbd) n.dataset.kbd = 'missed-' + String(Math.random()).slice(2);
                return [n.dataset.kbd, n.outerHTML.slice(0, 90)];
            })""",
        INTERACTIVE,
    )
    missed = [html for key, html in controls if key not in reached]
    assert len(controls) > 60 and not missed, missed
    assert tab.locator("#messages .msg[tabindex='0']").count() == 1  # one stop for the list

    # Radio groups move with arrow keys; the transcript with arrows, Enter opens "cited by".
    tab.focus("input[name=view-audience]:checked")
    tab.keyboard.press("ArrowRight")
    tab.wait_for_selector("#draft-view .md-line:text-matches('^Subject: ')")
    tab.focus("#messages .msg[tabindex='0']")
    for _ in range(6):
        tab.keyboard.press("ArrowDown")
    assert tab.evaluate("document.activeElement.id") == "msg-7"
    tab.keyboard.press("Enter")
    assert tab.locator("#msg-7 .cited-by").is_visible()
    focus_ring = tab.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle + ' ' + "
        "getComputedStyle(document.activeElement).outlineWidth"
    )
    assert focus_ring.startswith("solid") and not focus_ring.endswith(" 0px")
    shot(tab, "09-keyboard-focus")


def test_docs_and_redoc_render_offline(page: tuple[Any, Network]) -> None:
    tab, network = page
    tab.goto("/docs")
    tab.wait_for_selector(".swagger-ui .opblock-summary-path[data-path='/draft']")
    assert tab.locator(".swagger-ui .opblock").count() >= 5
    shot(tab, "10-docs-offline")
    tab.goto("/redoc")
    tab.locator("h2", has_text="Draft a postmortem from an incident chat").first.wait_for()
    shot(tab, "11-redoc-offline")
    assert not network.outside  # the docs' assets all came from this server


@pytest.fixture(scope="module")
def keyed_server(browser: Any) -> Iterator[Server]:
    del browser
    yield from _start({"PM_API_KEYS": API_KEY})


def test_the_page_asks_for_an_api_key_and_sends_it(browser: Any, keyed_server: Server) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, base_url=keyed_server.url
    )
    tab = context.new_page()
    try:
        tab.goto("/")
        key_section = tab.locator("#key-section")
        key_section.wait_for()
        assert "needs an API key" in key_section.inner_text()
        tab.fill("#api-key", "not-the-key-at-all-0000")
        tab.click("#key-form button")
        tab.wait_for_selector("#key-message:text-matches('not accepted')")
        shot(tab, "12-api-key-asked")
        tab.fill("#api-key", API_KEY)
        tab.click("#key-form button")
        key_section.wait_for(state="hidden")
        tab.fill("#transcript", SEED.read_text(encoding="utf-8"))
        tab.click("#draft-button")
        tab.wait_for_selector("#result:not([hidden])")
        assert tab.locator("#messages .msg").count() == 30
        # The key lives in the tab's memory only: a reload asks again.
        tab.reload()
        key_section.wait_for()
    finally:
        context.close()


@pytest.fixture(scope="module")
def fake_llm() -> Iterator[FakeOpenAI]:
    from app.ingest import parse_transcript

    answer = planted_report(parse_transcript(SEED.read_text(encoding="utf-8")))
    with FakeOpenAI(answer) as fake:
        yield fake


@pytest.fixture(scope="module")
def llm_server(browser: Any, fake_llm: FakeOpenAI) -> Iterator[Server]:
    del browser
    yield from _start(
        {"PM_LLM_BASE_URL": fake_llm.url, "PM_LLM_MODEL": "test-model", "PM_LLM_API_KEY": "x"}
    )


def test_a_dropped_claim_is_put_back_marked_without_a_new_llm_call(
    browser: Any, llm_server: Server, fake_llm: FakeOpenAI
) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=llm_server.url)
    tab = context.new_page()
    try:
        tab.goto("/")
        tab.locator("#engine").wait_for()  # an LLM is configured: the engine can be picked
        assert tab.locator("#engine").input_value() == "llm"
        draft_seed(tab)
        calls = list(fake_llm.calls)
        assert calls.count("incident_report") == 1
        dropped = tab.locator("#dropped li")
        assert dropped.count() == 2
        listed = tab.inner_text("#dropped")
        assert PLANTED_EVENT in listed and PLANTED_IMPACT in listed
        assert "Why: m15 (09:21) says 15%, not 0%" in listed
        assert PLANTED_EVENT not in tab.inner_text("#draft-view")
        shot(tab, "13-dropped-claims")

        event = dropped.filter(has_text=PLANTED_EVENT)
        event.get_by_role("button", name=re.compile("^Put back")).click()
        row = tab.locator("#draft-view tr", has_text=PLANTED_EVENT)
        row.wait_for()
        assert "(unverified)" in row.inner_text()
        assert row.locator(".mark.status-contradicted").count() == 1
        assert "line-flagged" in (row.get_attribute("class") or "")
        assert tab.evaluate("document.activeElement.classList.contains('mark')")  # moved there
        assert tab.locator("#dropped li").count() == 1  # the other one stays out
        assert "no new call" in tab.inner_text("#warnings")
        shot(tab, "14-claim-put-back")

        tab.check("input[name=view-audience][value=stakeholder]")
        tab.wait_for_selector("#draft-view .md-line:text-matches('^Subject: ')")
        assert fake_llm.calls == calls  # putting back and the other audience: the cache answered
    finally:
        context.close()
