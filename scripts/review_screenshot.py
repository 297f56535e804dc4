"""Regenerate docs/review-page.png, the README's picture of the review page.

Starts the service on 127.0.0.1 (offline engine), drafts seed 000 in headless Chromium, edits one
timeline time to a wrong one, presses "Check again" and focuses the flag, then takes a 1280x720
screenshot. Needs the test extras (playwright) and Debian's chromium:

    .venv/bin/python scripts/review_screenshot.py [output.png]
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "data" / "seed_000_checkout_chat.txt"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "review-page.png"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PM_", "OPENAI_"))}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "app.main:create_app"]
        + ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        env={**env, "PM_CPU_WORKERS": "1", "PM_STORE_URL": "sqlite://"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("PM_CHROMIUM", "/usr/bin/chromium"), args=ARGS
            )
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(url)
            page.fill("#transcript", SEED.read_text(encoding="utf-8"))
            page.click("#draft-button")
            page.wait_for_selector("#timeline-figure svg")
            page.click("#edit-button")
            text = page.input_value("#draft-text")
            page.fill("#draft-text", text.replace("| 09:18 | “Starting", "| 09:48 | “Starting"))
            page.click("#check-button")
            flag = page.locator("#draft-view .mark.status-contradicted")
            flag.wait_for()
            page.locator("#result").scroll_into_view_if_needed()
            panes = "document.querySelector('.panes').getBoundingClientRect().top"
            page.evaluate(f"window.scrollBy(0, {panes} - 150)")
            flag.focus()
            page.wait_for_timeout(300)
            page.screenshot(path=str(out))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=15)
    sys.stdout.write(f"wrote {out}\n")


if __name__ == "__main__":
    main()
