"""Live preview: regenerate the Markdown when data, templates or content change; MkDocs serves and reloads."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from pathlib import Path
from typing import Any

from .build import Layout, generate
from .exceptions import AtlasError, DataError
from .load import ParseCache
from .write import WriteMemory

log = logging.getLogger("atlas")
DEBOUNCE_SECONDS = 0.1


class Regenerator:
    """Regenerate the docs folder after a burst of changes; report problems without stopping."""

    def __init__(self, layout: Layout, today: dt.date) -> None:
        self.layout = layout
        self.today = today
        self._timer: threading.Timer | None = None
        self.cache = ParseCache()
        self.memory = WriteMemory()
        self._lock = threading.Lock()

    def run(self) -> bool:
        """Regenerate once; return whether the data was valid."""
        with self._lock:
            try:
                generated = generate(self.layout, self.today, cache=self.cache, memory=self.memory)
            except DataError as error:
                for problem in error.problems:
                    log.error(str(problem))
                log.error("%s The preview keeps showing the last valid version.", error)
                return False
            except AtlasError as error:
                log.error("%s", error)
                return False
            if generated.report.written or generated.report.removed:
                log.info("Regenerated %d page(s).", len(generated.report.written) + len(generated.report.removed))
            return True

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


def serve(layout: Layout, today: dt.date, dev_addr: str) -> None:
    """Generate, then serve the site with live reload until interrupted.

    After the first full build, MkDocs rebuilds only the pages whose Markdown changed (a dirty
    build), so an edit shows in about a second even with thousands of records; `atlas build` always
    builds everything. After each build, Pagefind indexes every page for search (serve_hooks.py).
    """
    from mkdocs.commands.serve import serve as mkdocs_serve

    if not layout.data_dir.is_dir():
        raise AtlasError(f"data folder {layout.data_dir} not found")
    regenerator = Regenerator(layout, today)
    regenerator.run()
    observer = watch_inputs(layout, regenerator)
    try:
        mkdocs_serve(
            config_file=str(layout.config_file),
            livereload=True,
            build_type="dirty",
            dev_addr=dev_addr,
            docs_dir=str(layout.docs_dir),
            strict=False,
            # Search: Pagefind after each build, through hooks given to the preview alone.
            hooks=[str(Path(__file__).with_name("serve_hooks.py"))],
        )
    finally:
        observer.stop()
