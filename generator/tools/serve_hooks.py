"""MkDocs hooks that only the live preview loads (`atlas serve` passes this file as `hooks`; mkdocs.yml has none).

After each build of the preview, Pagefind indexes the preview's site folder again, as `atlas build`
does after MkDocs. MkDocs' dirty rebuilds keep the pages they did not rewrite, so the index covers
every page. It runs beside the server, so a page reloads without waiting for the index.
"""

from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path
from typing import Any

from generator.core.exceptions import AtlasError
from generator.search import index_site, pagefind_command

log = logging.getLogger("atlas")
# One Pagefind run at a time: each writes the whole of pagefind/.
_INDEXING = threading.Lock()


def on_post_build(config: Any, **_kwargs: Any) -> None:
    """Index the freshly built preview for search, in the background."""
    threading.Thread(target=_index, args=(Path(config["site_dir"]),), daemon=True).start()


def _index(site_dir: Path) -> None:
    # At a lower priority than the preview's own rebuilds, which readers wait for.
    nice = shutil.which("nice")
    with _INDEXING:
        try:
            command = pagefind_command(site_dir)
            index_site(site_dir, [nice, "-n", "10", *command] if nice else command)
        except AtlasError as error:
            log.error("Search index not updated: %s", error.format_message())
