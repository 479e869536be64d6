"""Live preview: regenerate the Markdown when data, templates or content change; MkDocs serves and reloads."""

from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import threading
from pathlib import Path
from typing import Any

from ..build import Layout, Settings, generate, theme_extra
from ..core.config import DEFAULT_SETTINGS
from ..core.exceptions import AtlasError, DataError
from ..core.files import OutputFile
from ..load import ParseCache
from ..lock import build_lock
from ..records.registry import mkdocs_nav
from ..write import WriteMemory

log = logging.getLogger("atlas")
DEBOUNCE_SECONDS = 0.1
# A script the preview adds to every page: it shows the last build's errors above the page, if any.
PREVIEW_SCRIPT = "assets/preview-errors.js"
_BANNER = """
(function () {
  var errors = window.atlasPreviewErrors || [];
  function show() {
    var old = document.getElementById("atlas-preview-errors");
    if (old) old.remove();
    if (!errors.length) return;
    var box = document.createElement("div");
    box.id = "atlas-preview-errors";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:sticky;top:0;z-index:10;background:#b71c1c;color:#fff;padding:.8em 1em;" +
      "font:14px/1.4 monospace;white-space:pre-wrap;max-height:50vh;overflow:auto";
    var title = document.createElement("strong");
    title.textContent = "The data has errors; the preview shows the last valid version.";
    box.appendChild(title);
    errors.forEach(function (line) {
      var item = document.createElement("div");
      item.textContent = line;
      box.appendChild(item);
    });
    document.body.prepend(box);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", show); else show();
})();
"""


def preview_script(errors: list[str]) -> OutputFile:
    """The preview's error script: the messages as JSON data, shown as text (never as HTML) by the banner code."""
    data = json.dumps(errors, ensure_ascii=True).replace("<", "\\u003c")
    return OutputFile(PREVIEW_SCRIPT, f"window.atlasPreviewErrors = {data};\n{_BANNER}".encode(), "the live preview")


class Regenerator:
    """Regenerate the docs folder after a burst of changes; report problems without stopping."""

    def __init__(
        self, layout: Layout, today: dt.date, settings: Settings = DEFAULT_SETTINGS, calendar_day: dt.date | None = None
    ) -> None:
        self.layout = layout
        self.today = today
        self.settings = settings
        self.calendar_day = calendar_day
        self._timer: threading.Timer | None = None
        self.cache = ParseCache()
        self.memory = WriteMemory()
        self._lock = threading.Lock()

    def run(self) -> bool:
        """Regenerate once; return whether the data was valid. Errors show in the terminal and in the browser."""
        with self._lock:
            try:
                with build_lock(self.layout.lock_dir):
                    generated = generate(
                        self.layout,
                        self.today,
                        cache=self.cache,
                        settings=self.settings,
                        memory=self.memory,
                        extra=[preview_script([])],
                        calendar_day=self.calendar_day,
                    )
            except DataError as error:
                messages = [str(problem) for problem in error.problems]
                for message in messages:
                    log.error(message)
                log.error("%s The preview keeps showing the last valid version.", error)
                self._show_in_browser([*messages, str(error)])
                return False
            except AtlasError as error:
                log.error("%s", error)
                self._show_in_browser([str(error)])
                return False
            if generated.report.written or generated.report.removed:
                log.info("Regenerated %d page(s).", len(generated.report.written) + len(generated.report.removed))
            return True

    def _show_in_browser(self, messages: list[str]) -> None:
        """Replace only the preview's error script, leaving the last valid pages as they are."""
        script = preview_script(messages)
        target = self.layout.docs_dir / script.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(script.content)

    def schedule(self, *_args: Any) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(DEBOUNCE_SECONDS, self.run)
        self._timer.daemon = True
        self._timer.start()


def watch_inputs(layout: Layout, regenerator: Regenerator) -> Any:
    """Start watching the inputs of the generator; return the running observer."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in ("created", "modified", "deleted", "moved"):
                regenerator.schedule()

    observer = Observer()
    for folder in (layout.data_dir, layout.templates_dir, layout.content_dir, layout.assets_dir, layout.schemas_dir):
        if Path(folder).is_dir():
            observer.schedule(Handler(), str(folder), recursive=True)
    observer.daemon = True
    observer.start()
    return observer


def serve(
    layout: Layout,
    today: dt.date,
    dev_addr: str,
    settings: Settings = DEFAULT_SETTINGS,
    calendar_day: dt.date | None = None,
) -> None:
    """Generate, then serve the site with live reload until interrupted.

    After the first full build, MkDocs rebuilds only the pages whose Markdown changed (a dirty
    build), so an edit shows in about a second even with thousands of records; `atlas build` always
    builds everything. After each build, Pagefind indexes every page for search (serve_hooks.py).
    """
    from mkdocs.commands.serve import serve as mkdocs_serve

    if not layout.data_dir.is_dir():
        raise AtlasError(f"data folder {layout.data_dir} not found")
    regenerator = Regenerator(layout, today, settings, calendar_day)
    regenerator.run()
    observer = watch_inputs(layout, regenerator)
    quiet = _QuietAboutDirtyBuilds()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    log.info(
        "Serving the preview on http://%s/ (Ctrl+C to stop); edits to data, templates and content show there.", dev_addr
    )
    try:
        mkdocs_serve(
            config_file=str(layout.config_file),
            livereload=True,
            build_type="dirty",
            dev_addr=dev_addr,
            docs_dir=str(layout.docs_dir),
            nav=mkdocs_nav(),
            extra={**_configured_extra(layout), **theme_extra()},
            strict=False,
            extra_javascript=[*_configured_scripts(layout), PREVIEW_SCRIPT],
            # Search: Pagefind after each build, through hooks given to the preview alone.
            hooks=[str(Path(__file__).with_name("serve_hooks.py"))],
        )
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise AtlasError(
                f"cannot serve on {dev_addr}: the address is in use; pick another port with --dev-addr "
                "(or `make serve PORT=8001`)"
            ) from None
        raise
    finally:
        observer.stop()
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)


class _QuietAboutDirtyBuilds(logging.Filter):
    """Drop MkDocs' warning that a dirty build is inaccurate: the preview does dirty builds on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def _configured_scripts(layout: Layout) -> list[str]:
    """The scripts mkdocs.yml lists, which the preview's own script joins."""
    return [str(script) for script in _configured(layout).extra_javascript]


def _configured_extra(layout: Layout) -> dict[str, Any]:
    """The `extra` settings of mkdocs.yml, which the preview adds the theme's links to."""
    return dict(_configured(layout).extra)


def _configured(layout: Layout) -> Any:
    from mkdocs.config import load_config

    return load_config(config_file=str(layout.config_file), docs_dir=str(layout.docs_dir))
