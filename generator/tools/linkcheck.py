"""Link checks: every link inside the built site resolves, and every source URL still answers."""

from __future__ import annotations

import contextlib
import csv
import http.client
import json
import posixpath
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from ..core.exceptions import AtlasError
from ..core.models import Source
from ..core.problems import Problem, Problems
from ..load import load_data

# The tags and attributes that point at another file; other attributes never hold a link.
LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src"}
# Some servers answer bots differently from browsers; the check asks as a browser would.
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
TIMEOUT_SECONDS = 20.0
MAX_WORKERS = 8
# The fields of the API documents and the column of the CSV files that hold a path from the site root.
DATA_LINK_FIELDS = ("page", "document")
# When this many hosts or more all fail to answer at all, the machine is taken to be offline.
OFFLINE_HOSTS = 2


@dataclass
class _Page:
    """What one HTML page holds: its outgoing links and the ids a fragment can point to."""

    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = LINK_ATTRIBUTES.get(tag)
        for name, value in attrs:
            if value is None:
                continue
            if name == wanted:
                self.page.links.append(value.strip())
            elif name == "id" or (name == "name" and tag == "a"):
                self.page.ids.add(value)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _parse_page(path: Path) -> _Page:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser.page


def check_internal(site_dir: Path, site_url: str | None = None) -> list[str]:
    """Return one message per link in the built site whose file, or whose #fragment, does not exist.

    `site_url` is where the site is published (mkdocs.yml's site_url): links that start with
    its path, as MkDocs writes them on the 404 page, are read from the site folder's root.
    """
    if not site_dir.is_dir():
        raise AtlasError(f"site folder {site_dir} not found; build the site first with `atlas build`")
    pages = {path.relative_to(site_dir).as_posix(): _parse_page(path) for path in sorted(site_dir.rglob("*.html"))}
    base_path = urlsplit(site_url or "/").path.strip("/")
    root = f"/{base_path}/" if base_path else "/"
    messages = set()
    for page_name, page in pages.items():
        for link in page.links:
            problem = _broken(link, page_name, root, site_dir, pages)
            if problem:
                messages.add(f"{page_name}: broken link '{link}': {problem}")
    for where, key, path in _data_links(site_dir):
        problem = _broken(path, "index.html", root, site_dir, pages)
        if problem:
            messages.add(f"{where}: broken {key} '{path}': {problem}")
    return sorted(messages)


def _data_links(site_dir: Path) -> list[tuple[str, str, str]]:
    """Every path from the site root that the API documents and the CSV files give: (file, field, path)."""
    found = []
    for path in sorted((site_dir / "api").rglob("*.json")):
        name = path.relative_to(site_dir).as_posix()
        found += [(name, key, value) for key, value in _fields(json.loads(path.read_text(encoding="utf-8")))]
    for path in sorted((site_dir / "downloads").rglob("*.csv")):
        name = path.relative_to(site_dir).as_posix()
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                if row.get("page"):
                    found.append((f"{name}:{number}", "page", row["page"]))
    return found


def _fields(document: Any) -> list[tuple[str, str]]:
    """The link fields of a JSON document, at any depth, with their values."""
    if isinstance(document, dict):
        found = [(k, v) for k, v in document.items() if k in DATA_LINK_FIELDS and isinstance(v, str)]
        return found + [f for v in document.values() for f in _fields(v)]
    if isinstance(document, list):
        return [f for v in document for f in _fields(v)]
    return []


def _broken(link: str, page_name: str, root: str, site_dir: Path, pages: dict[str, _Page]) -> str | None:
    """Say what is wrong with one link from `page_name`, or None when it resolves."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not link:
        return None  # http(s), mailto:, data:, javascript:, protocol-relative: not part of the site.
    path = unquote(parts.path)
    if not path:
        target = page_name  # "#id" or "?q=": the page itself.
    elif path.startswith("/"):
        if not (path + "/").startswith(root):
            return f"it leaves the site, which is published under {root}"
        target = path[len(root) :]
    else:
        target = posixpath.join(posixpath.dirname(page_name), path)
    target = posixpath.normpath(target) if target else "."
    if target == ".." or target.startswith("../"):
        return "it points outside the site folder"
    if target == ".":
        target = ""
    file = site_dir / target if target else site_dir
    if file.is_dir() or path.endswith("/"):
        target = posixpath.join(target, "index.html") if target else "index.html"
        file = site_dir / target
    if not file.is_file():
        return f"no file {target}"
    fragment = unquote(parts.fragment)
    if fragment and target in pages and fragment not in pages[target].ids:
        return f"no id '{fragment}' in {target}"
    return None


@dataclass(frozen=True)
class SourceUrl:
    """The `url:` of one source record and where it is written."""

    path: str
    line: int
    col: int
    url: str


@dataclass
class SourceReport:
    """What the check of the source URLs found; `offline` says why nothing could be checked, if so."""

    checked: list[SourceUrl]
    problems: list[Problem]
    offline: str | None = None


@dataclass(frozen=True)
class Failure:
    """Why a URL did not answer; `answered` when a server answered with an error status."""

    reason: str
    answered: bool = False

    def __str__(self) -> str:
        return self.reason


def source_urls(data_dir: Path) -> list[SourceUrl]:
    """Return the `url:` of every source record that has one, sorted by file."""
    # Files that do not load are left out: reporting them is `atlas validate`'s work.
    loaded = load_data(data_dir, [Source.collection], root=data_dir.parent)
    found = []
    for document in loaded.documents:
        url = document.data.get("url")
        if isinstance(url, str) and url.strip():
            line, col = document.position(("url",))
            found.append(SourceUrl(document.path, line, col, url.strip()))
    return found


def check_external(data_dir: Path, *, timeout: float = TIMEOUT_SECONDS, workers: int = MAX_WORKERS) -> SourceReport:
    """Ask every source URL in `data_dir/sources` whether it still answers; warn of each that does not.

    Each distinct URL is asked once, at most `workers` at a time.
    """
    if not data_dir.is_dir():
        raise AtlasError(f"data folder {data_dir} not found")
    urls = source_urls(data_dir)
    distinct = sorted({source.url for source in urls})
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        failures = dict(zip(distinct, pool.map(lambda url: fetch_failure(url, timeout), distinct), strict=True))
    hosts = {urlsplit(url).netloc for url in distinct}
    if len(hosts) >= OFFLINE_HOSTS and all(f is not None and not f.answered for f in failures.values()):
        # No server answered at all: the network, not the sources, is what failed.
        first = failures[distinct[0]]
        return SourceReport(urls, [], offline=f"none of {len(hosts)} hosts could be reached ({first})")
    problems = Problems()
    for source in urls:
        failure = failures[source.url]
        if failure is not None:
            problems.add(source.path, source.line, source.col, "url", f"'{source.url}' {failure}", warning=True)
    return SourceReport(urls, problems.sorted())


def fetch_failure(url: str, timeout: float) -> Failure | None:
    """Ask for `url` (HEAD, then GET where HEAD fails); return why it failed, or None when it answered.

    `timeout` bounds the whole exchange, both requests and every redirect, not each read: a server
    that sends its answer a byte at a time is cut off when the time is up.
    """
    exchange = _Exchange()
    watchdog = threading.Timer(timeout, exchange.cut)
    watchdog.daemon = True
    watchdog.start()
    try:
        failure = _request(url, "HEAD", timeout, exchange)
        if failure is not None and not exchange.expired:
            # Many servers refuse or mishandle HEAD (403, 405, 501...) yet serve the page to a GET.
            failure = _request(url, "GET", timeout, exchange)
    finally:
        watchdog.cancel()
    if exchange.expired and failure is not None:
        return Failure(f"did not answer within {timeout:g} s")
    return failure


class _Exchange:
    """The connections opened for one URL, all shut when its time is up."""

    def __init__(self) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def opened(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def cut(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


def _watched(base: type[http.client.HTTPConnection], exchange: _Exchange) -> Callable[..., http.client.HTTPConnection]:
    """A connection class like `base` that tells `exchange` of each socket it opens."""

    class Watched(base):  # type: ignore[valid-type, misc]
        def connect(self) -> None:
            super().connect()
            exchange.opened(self.sock)

    return Watched


class _WatchedHTTP(urllib.request.HTTPHandler):
    def __init__(self, exchange: _Exchange) -> None:
        super().__init__()
        self.exchange = exchange

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(http.client.HTTPConnection, self.exchange), req)


class _WatchedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, exchange: _Exchange) -> None:
        super().__init__()
        self.exchange = exchange

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(http.client.HTTPSConnection, self.exchange), req, context=self._context)  # type: ignore[attr-defined]


class _SameMethodRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect with HEAD when HEAD was asked; urllib would switch to GET and fetch the whole body."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        redirected = super().redirect_request(req, fp, code, msg, headers, newurl)
        if redirected is not None and req.get_method() == "HEAD":
            redirected.method = "HEAD"
        return redirected


def _request(url: str, method: str, timeout: float, exchange: _Exchange) -> Failure | None:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    opener = urllib.request.build_opener(_SameMethodRedirects, _WatchedHTTP(exchange), _WatchedHTTPS(exchange))
    try:
        # The body is not read: the status line is the answer.
        with opener.open(request, timeout=timeout):
            return None
    except urllib.error.HTTPError as error:
        error.close()
        return Failure(f"answered {error.code} {error.reason}", answered=True)
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            return Failure(f"did not answer within {timeout:g} s")
        return Failure(f"could not be reached: {error.reason}")
    except TimeoutError:
        return Failure(f"did not answer within {timeout:g} s")
    except (OSError, ValueError, http.client.HTTPException) as error:
        return Failure(f"could not be reached: {error}")
