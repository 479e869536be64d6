"""Link checks: broken links and anchors inside the built site, and source URLs that no longer answer.

The source check is tested against a server on 127.0.0.1 started here, so no request leaves the machine.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.core.exceptions import AtlasError
from generator.tools.linkcheck import check_external, check_internal

from .conftest import write_tree

PAGE = """<!doctype html>
<html><head>
<link rel="stylesheet" href="{depth}assets/site.css">
<link rel="preconnect" href="https://fonts.example.org">
<script src="{depth}assets/site.js"></script>
</head><body>
<h1 id="top">Title</h1>
<a name="legacy"></a>
{body}
</body></html>
"""

GOOD_SITE = {
    "index.html": """
        <a href="minerals/">Minerals</a>
        <a href="minerals/gallium/#production">Gallium production</a>
        <a href="#top">Top</a> <a href="#legacy">Old anchor</a> <a href="#">Nowhere in particular</a>
        <a href="search/?q=gallium">Search</a>
        <img src="assets/logo.png" alt="">
        <a href="https://example.org/missing.html">External</a> <a href="mailto:editors@example.org">Mail</a>
        <img src="data:image/png;base64,iVBORw0KGgo=" alt=""> <a href="javascript:void(0)">Menu</a>
        <a href="//cdn.example.org/x.js">Protocol-relative</a>
        <a href="data/gallium%20production.csv">CSV</a>
        """,
    "minerals/index.html": '<a href="..">Home</a> <a href="gallium">Gallium</a> <a href=".">Here</a>',
    "minerals/gallium/index.html": """
        <h2 id="production">Production</h2>
        <a href="../../#top">Home, top</a> <a href="../../search/index.html">Search</a>
        """,
    "search/index.html": '<a href="../minerals/gallium/index.html#production">Gallium production</a>',
}
ASSETS = ["assets/site.css", "assets/site.js", "assets/logo.png", "data/gallium production.csv"]


def write_site(site_dir: Path, pages: dict[str, str]) -> Path:
    """Write HTML pages from {path: body} with their shared assets."""
    for name, body in pages.items():
        path = site_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PAGE.format(depth="../" * name.count("/"), body=body), encoding="utf-8")
    for name in ASSETS:
        (site_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / name).write_bytes(b"")
    return site_dir


def test_internal_check_passes_a_site_whose_links_all_resolve(tmp_path):
    assert check_internal(write_site(tmp_path / "site", GOOD_SITE)) == []


BROKEN_LINKS = [
    pytest.param(
        {"index.html": '<a href="minerals/galium/">Gallium</a>'},
        ["index.html: broken link 'minerals/galium/': no file minerals/galium/index.html"],
        id="missing-page",
    ),
    pytest.param(
        {"minerals/gallium/index.html": '<a href="../../minerals/gallium/#prices">Prices</a>'},
        [
            "minerals/gallium/index.html: broken link '../../minerals/gallium/#prices': no id 'prices' in "
            "minerals/gallium/index.html"
        ],
        id="missing-anchor-on-another-page",
    ),
    pytest.param(
        {"index.html": '<a href="#bottom">Bottom</a>'},
        ["index.html: broken link '#bottom': no id 'bottom' in index.html"],
        id="missing-anchor-on-the-same-page",
    ),
    pytest.param(
        {"search/index.html": '<img src="../assets/logo.svg" alt="">'},
        ["search/index.html: broken link '../assets/logo.svg': no file assets/logo.svg"],
        id="missing-image",
    ),
    pytest.param(
        {"minerals/index.html": '<script src="../../outside.js"></script>'},
        ["minerals/index.html: broken link '../../outside.js': it points outside the site folder"],
        id="outside-the-site",
    ),
    pytest.param(
        {"index.html": '<a href="minerals/gallium/">One</a> <a href="minerals/gallium/">Twice</a>'},
        [],
        id="a-good-link-twice",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), BROKEN_LINKS)
def test_internal_check_reports_each_broken_link_with_its_page(tmp_path, changes, expected):
    pages = {name: GOOD_SITE[name] + changes.get(name, "") for name in GOOD_SITE}
    assert check_internal(write_site(tmp_path / "site", pages)) == expected


def test_internal_check_lists_every_broken_link_sorted_by_page(tmp_path):
    pages = {
        **GOOD_SITE,
        "search/index.html": '<a href="../nope/">Nope</a>',
        "index.html": GOOD_SITE["index.html"] + '<a href="minerals/#missing">Missing anchor</a>',
    }
    assert check_internal(write_site(tmp_path / "site", pages)) == [
        "index.html: broken link 'minerals/#missing': no id 'missing' in minerals/index.html",
        "search/index.html: broken link '../nope/': no file nope/index.html",
    ]


def test_internal_check_reads_root_links_under_the_published_path(tmp_path):
    site = write_site(
        tmp_path / "site", {"404.html": '<a href="/atlas/minerals/">Minerals</a> <a href="/atlas/">Home</a>'}
    )
    (site / "minerals").mkdir()
    (site / "minerals" / "index.html").write_text("<p>Minerals</p>", encoding="utf-8")
    (site / "index.html").write_text("<p>Home</p>", encoding="utf-8")
    assert check_internal(site, "https://example.github.io/atlas") == []
    assert check_internal(site) == [
        "404.html: broken link '/atlas/': no file atlas/index.html",
        "404.html: broken link '/atlas/minerals/': no file atlas/minerals/index.html",
    ]
    assert check_internal(site, "https://example.github.io/other/") == [
        "404.html: broken link '/atlas/': it leaves the site, which is published under /other/",
        "404.html: broken link '/atlas/minerals/': it leaves the site, which is published under /other/",
    ]


def test_internal_check_of_a_missing_site_folder_says_to_build_first(tmp_path):
    with pytest.raises(AtlasError) as caught:
        check_internal(tmp_path / "site")
    assert str(caught.value) == f"site folder {tmp_path / 'site'} not found; build the site first with `atlas build`"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_check_links_command_exits_1_and_lists_broken_links(tmp_path):
    site = write_site(tmp_path / "site", {**GOOD_SITE, "search/index.html": '<a href="../nope/">Nope</a>'})
    result = run("check-links", "--site-dir", str(site))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "search/index.html: broken link '../nope/': no file nope/index.html",
        f"Found 1 broken link in {site}.",
    ]


def test_check_links_command_exits_0_on_a_good_site(tmp_path):
    site = write_site(tmp_path / "site", GOOD_SITE)
    result = run("check-links", "--site-dir", str(site))
    assert result.exit_code == 0
    assert result.stderr == f"No broken links in {site}.\n"


def test_check_links_command_reads_the_site_url_from_the_environment(tmp_path):
    site = write_site(tmp_path / "site", {"404.html": '<a href="/atlas/">Home</a>'})
    (site / "index.html").write_text("<p>Home</p>", encoding="utf-8")
    result = CliRunner(env={"ATLAS_SITE_URL": "https://example.github.io/atlas/"}).invoke(
        main, ["check-links", "--site-dir", str(site)]
    )
    assert result.exit_code == 0, result.output


def test_check_links_command_without_a_built_site_exits_1(tmp_path):
    result = run("check-links", "--site-dir", str(tmp_path / "site"))
    assert result.exit_code == 1
    assert (
        result.stderr == f"Error: site folder {tmp_path / 'site'} not found; build the site first with `atlas build`\n"
    )


# The source check, against a server on this machine.


class _Handler(BaseHTTPRequestHandler):
    """Answers /ok, /moved (to /ok), /missing (404), /no-head (GET only) and /slow (too late)."""

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def _answer(self, send_body: bool) -> None:
        self.server.requests.append((self.command, self.path))  # type: ignore[attr-defined]
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = {"/ok": 200, "/slow": 200, "/missing": 404}.get(self.path, 200 if send_body else 405)
        body = b"hello" if status == 200 else b""
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # A client that gave up on /slow closes its end; that is expected.


@pytest.fixture
def server() -> Iterator[_QuietServer]:
    """Serve _Handler on 127.0.0.1 at a free port for one test."""
    httpd = _QuietServer(("127.0.0.1", 0), _Handler)
    httpd.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def base_url(httpd: ThreadingHTTPServer) -> str:
    host, port = httpd.server_address[:2]
    return f"http://{host!s}:{port}"


def source(url: str | None) -> str:
    url_line = f"url: {url}\n" if url else ""
    return f"title: A page\npublisher: A publisher\n{url_line}kind: secondary\nlast_verified: 2026-11-01\n"


def test_external_check_warns_of_missing_pages_and_asks_each_url_once(tmp_path, server):
    base = base_url(server)
    data = write_tree(
        tmp_path / "data",
        {
            "sources/alive.yaml": source(f"{base}/ok"),
            "sources/alive-again.yaml": source(f"{base}/ok"),
            "sources/gone.yaml": source(f"{base}/missing"),
            "sources/moved.yaml": source(f"{base}/moved"),
            "sources/head-refused.yaml": source(f"{base}/no-head"),
            "sources/no-url.yaml": source(None),
        },
    )
    report = check_external(data, timeout=5)
    assert [str(problem) for problem in report.problems] == [
        f"data/sources/gone.yaml:4:1: warning: url: '{base}/missing' answered 404 Not Found",
    ]
    assert [entry.path for entry in report.checked] == [
        "data/sources/alive-again.yaml",
        "data/sources/alive.yaml",
        "data/sources/gone.yaml",
        "data/sources/head-refused.yaml",
        "data/sources/moved.yaml",
    ]
    assert sorted(server.requests) == [
        ("GET", "/missing"),  # HEAD failed, so GET is tried before giving up.
        ("GET", "/no-head"),
        ("HEAD", "/missing"),
        ("HEAD", "/moved"),
        ("HEAD", "/no-head"),
        ("HEAD", "/ok"),  # Two records, one request.
        ("HEAD", "/ok"),  # The redirect from /moved, still with HEAD.
    ]


def test_external_check_reports_a_server_that_does_not_answer_in_time(tmp_path, server):
    data = write_tree(tmp_path / "data", {"sources/slow.yaml": source(f"{base_url(server)}/slow")})
    report = check_external(data, timeout=0.5)
    assert [str(problem) for problem in report.problems] == [
        f"data/sources/slow.yaml:4:1: warning: url: '{base_url(server)}/slow' did not answer within 0.5 s",
    ]


def test_external_check_reports_a_host_that_refuses_the_connection(tmp_path):
    with socket.socket() as probe:  # A port that was free a moment ago: nothing listens on it.
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = write_tree(tmp_path / "data", {"sources/closed.yaml": source(f"http://127.0.0.1:{port}/")})
    report = check_external(data, timeout=5)
    assert [str(problem) for problem in report.problems] == [
        f"data/sources/closed.yaml:4:1: warning: url: 'http://127.0.0.1:{port}/' could not be reached: "
        "[Errno 111] Connection refused",
    ]


def test_check_sources_command_reports_but_exits_0_unless_told_to_fail(tmp_path, server):
    base = base_url(server)
    data = write_tree(
        tmp_path / "data", {"sources/gone.yaml": source(f"{base}/missing"), "sources/ok.yaml": source(f"{base}/ok")}
    )
    report_only = run("check-sources", "--data", str(data), "--annotations")
    assert report_only.exit_code == 0
    assert report_only.stderr.splitlines() == [
        f"data/sources/gone.yaml:4:1: warning: url: '{base}/missing' answered 404 Not Found",
        "Checked 2 source URLs: 1 did not answer.",
    ]
    assert report_only.stdout.splitlines() == [
        f"::warning file=data/sources/gone.yaml,line=4,col=1::url: '{base}/missing' answered 404 Not Found",
    ]
    failing = run("check-sources", "--data", str(data), "--fail", "--no-annotations")
    assert failing.exit_code == 1
    assert failing.stdout == ""


def test_check_sources_command_exits_0_with_fail_when_every_url_answers(tmp_path, server):
    data = write_tree(tmp_path / "data", {"sources/ok.yaml": source(f"{base_url(server)}/ok")})
    result = run("check-sources", "--data", str(data), "--fail")
    assert result.exit_code == 0
    assert result.stderr == "Checked 1 source URL: 0 did not answer.\n"


def test_check_sources_command_without_a_data_folder_exits_1(tmp_path):
    result = run("check-sources", "--data", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert result.stderr == f"Error: data folder {tmp_path / 'nowhere'} not found\n"


def closed_port() -> int:
    with socket.socket() as probe:  # A port that was free a moment ago: nothing listens on it.
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_check_sources_says_offline_once_when_no_host_answers_at_all(tmp_path):
    first, second = closed_port(), closed_port()
    data = write_tree(
        tmp_path / "data",
        {
            "sources/one.yaml": source(f"http://127.0.0.1:{first}/a"),
            "sources/two.yaml": source(f"http://127.0.0.1:{second}/b"),
            "sources/three.yaml": source(f"http://127.0.0.1:{second}/c"),
        },
    )
    report = check_external(data, timeout=5)
    assert report.problems == []
    assert report.offline == "none of 2 hosts could be reached (could not be reached: [Errno 111] Connection refused)"
    result = run("check-sources", "--data", str(data))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "Offline: none of 2 hosts could be reached (could not be reached: [Errno 111] Connection refused); "
        "no source URL was checked."
    ]
    assert run("check-sources", "--data", str(data), "--fail").exit_code == 1


def test_check_sources_is_not_offline_when_one_host_answers(tmp_path, server):
    data = write_tree(
        tmp_path / "data",
        {
            "sources/closed.yaml": source(f"http://127.0.0.1:{closed_port()}/"),
            "sources/gone.yaml": source(f"{base_url(server)}/missing"),
        },
    )
    report = check_external(data, timeout=5)
    assert report.offline is None
    assert [problem.path for problem in report.problems] == ["data/sources/closed.yaml", "data/sources/gone.yaml"]


# How long the dripping server keeps sending before it gives up: far past the test's deadline.
DRIP_BYTES = 400
DRIP_PAUSE = 0.1


class _DripHandler(BaseHTTPRequestHandler):
    """Sends its status and headers one byte at a time: every read is quick, the whole answer is not."""

    def do_HEAD(self) -> None:
        answer = b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * DRIP_BYTES + b"\r\nContent-Length: 0\r\n\r\n"
        try:
            for byte in answer:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(DRIP_PAUSE)
        except OSError:
            pass  # the client gave up, as it should

    do_GET = do_HEAD

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_external_check_gives_up_on_a_server_that_answers_a_byte_at_a_time(tmp_path):
    httpd = _QuietServer(("127.0.0.1", 0), _DripHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"{base_url(httpd)}/drip"
        data = write_tree(tmp_path / "data", {"sources/drip.yaml": source(url)})
        report = check_external(data, timeout=1)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
    assert [str(problem) for problem in report.problems] == [
        f"data/sources/drip.yaml:4:1: warning: url: '{url}' did not answer within 1 s",
    ]


def test_internal_check_reports_a_page_in_an_api_document_or_a_csv_row_that_leads_nowhere(tmp_path):
    site = write_site(tmp_path / "site", GOOD_SITE)
    (site / "api" / "v1" / "observations").mkdir(parents=True)
    document = '{"page": "minerals/gallium/", "record": {"items": [{"page": "observations/gone/", "document": null}]}}'
    (site / "api" / "v1" / "observations" / "one.json").write_text(document, encoding="utf-8")
    (site / "downloads").mkdir()
    rows = "\ufeffid,page\r\ngallium,minerals/gallium/\r\ncobalt,minerals/cobalt/\r\nnone,\r\n"
    (site / "downloads" / "minerals.csv").write_text(rows, encoding="utf-8")
    assert check_internal(site) == [
        "api/v1/observations/one.json: broken page 'observations/gone/': no file observations/gone/index.html",
        "downloads/minerals.csv:3: broken page 'minerals/cobalt/': no file minerals/cobalt/index.html",
    ]
