"""The web page in real headless Chromium (Debian's, driven by Playwright) against a live uvicorn server on
loopback: pick a connection, type a question, see the query, the answer table and the attempts.

The query source is scripted (a wrong query, then the gold one) so the page shows a correction and a table;
the server, the engines and the browser are real. A screenshot is written under the test's tmp dir."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("playwright")
CHROMIUM = Path("/usr/bin/chromium")


class ScriptedModel:
    """Answers like a QueryModel from a script per dialect: the query-source seam of the API."""

    base, adapter, budget = "scripted", None, None

    def __init__(self, script: dict[str, list[str]]):
        self.script = script

    def proposer(self, dialect, schema=None):
        texts = self.script[dialect]
        return lambda parts, attempt: texts[min(attempt, len(texts) - 1)]


@pytest.fixture
def live_server(urls, gold):
    import uvicorn

    from momq.serve.api import create_app
    from momq.serve.config import ServerConfig

    config = ServerConfig.from_mapping({"connections": {"shop": urls["mysql"], "graph": urls["cypher"]}})
    model = ScriptedModel({"mysql": ["SELECT no_such_column FROM client\n```", gold["mysql"].query + "\n```"],
                           "cypher": [gold["cypher"].query + "\n```"]})
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(config, model), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    server.should_exit = True
    thread.join(10)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (scripts/setup.sh)")
def test_main_flow_in_a_real_browser(live_server, gold, tmp_path, all_engines, bench_db):
    from playwright.sync_api import expect, sync_playwright

    expected = all_engines["mysql"].execute(bench_db, gold["mysql"].query)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(live_server)
            expect(page.locator("#connection option")).to_have_count(2)
            page.select_option("#connection", "shop")
            page.fill("#question", gold["mysql"].question)
            page.click("#ask")
            expect(page.locator("#answer")).to_be_visible(timeout=30_000)
            expect(page.locator("#query")).to_have_text(gold["mysql"].query)
            expect(page.locator("#result tbody tr")).to_have_count(len(expected.rows))
            expect(page.locator("#result thead th")).to_have_count(len(expected.columns))
            attempts = page.locator("#attempts li")
            expect(attempts).to_have_count(2)
            expect(attempts.nth(0)).to_contain_text("invalid")
            expect(attempts.nth(0)).to_contain_text("no_such_column")
            expect(attempts.nth(1)).to_contain_text("ok")
            shot = tmp_path / "ask-page.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 1000
            # a second question on the graph connection replaces the answer
            page.select_option("#connection", "graph")
            page.fill("#question", gold["cypher"].question)
            page.click("#ask")
            expect(page.locator("#dialect")).to_have_text("cypher", timeout=30_000)
            expect(page.locator("#attempts li")).to_have_count(1)
        finally:
            browser.close()
