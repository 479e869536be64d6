"""A real Chromium (Debian's package, driven by Playwright) against the built site on localhost."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from generator.build import Layout, Settings, build_site

from ..conftest import REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
# Flags that keep Chromium from calling home on this machine's closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(tmp_path_factory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("browser-site")
    layout = Layout.at(REPO, site_dir=tmp / "site", docs_dir=tmp / "docs")
    with serving(layout.site_dir) as url:
        # Instant navigation needs the site's own address, as on the published site.
        build_site(layout, dt.date(2026, 11, 24), settings=Settings(site_url=url + "/"))
        yield url


# A title in the original language: the real data has none yet, so the small fixture site carries one.
CHINESE_TITLE = "商务部公告2024年第46号"


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """Serve `folder` (which may not exist yet) on a free local port; yield its address."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def fixture_site_url(tmp_path_factory) -> Iterator[str]:
    """The small test data tree, with a measure titled in Chinese, built and served."""
    from ..conftest import VALID_TREE, write_tree

    tmp = tmp_path_factory.mktemp("browser-fixture-site")
    tree = dict(VALID_TREE)
    tree["policies/ban.yaml"] = tree["policies/ban.yaml"].replace(
        "title: A ban with two clauses", f"title: A ban with two clauses\n        title_original: {CHINESE_TITLE}"
    )
    write_tree(tmp / "data", tree)
    layout = Layout.at(REPO, data_dir=tmp / "data", site_dir=tmp / "site", docs_dir=tmp / "docs")
    build_site(layout, dt.date(2026, 11, 24))
    with serving(layout.site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class Watched:
    """A page with the console errors and the requests it made, for asserting on afterwards."""

    def __init__(self, page, site_url: str) -> None:
        self.page = page
        self.host = urlparse(site_url).netloc
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("request", self._request)

    def _request(self, request) -> None:
        url = urlparse(request.url)
        if url.scheme in ("data", "blob", "about"):
            return
        if url.netloc != self.host:
            self.foreign_requests.append(request.url)


@pytest.fixture
def watched(browser, site_url) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield Watched(page, site_url)
    context.close()


@pytest.fixture
def phone(browser, site_url) -> Iterator[Watched]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield Watched(page, site_url)
    context.close()
