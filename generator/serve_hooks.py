"""MkDocs hooks that only the live preview loads (`atlas serve` passes this file as `hooks`; mkdocs.yml has none).

After each build of the preview, Pagefind indexes the preview's site folder again, as `atlas build`
does after MkDocs. MkDocs' dirty rebuilds keep the pages they did not rewrite, so the index covers
every page. It runs beside the server, so a page reloads without waiting for the index.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from generator.exceptions import AtlasError
from generator.search import index_site

log = logging.getLogger("atlas")
# One Pagefind run at a time: each writes the whole of pagefind/.
_INDEXING = threading.Lock()


def on_post_build(config: Any, **_kwargs: Any) -> None:
    """Index the freshly built preview for search, in the background."""
    threading.Thread(target=_index, args=(Path(config["site_dir"]),), daemon=True).start()


def _index(site_dir: Path) -> None:
    with _INDEXING:
        try:
            index_site(site_dir)
        except AtlasError as error:
            log.error("Search index not updated: %s", error.format_message())
