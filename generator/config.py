"""Where the project's inputs and outputs live, and the site's settings: read and checked once, before any work."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .exceptions import AtlasError

SITE_NAME = "Critical Minerals Atlas"
PACKAGE = "critical-minerals-atlas"


def atlas_version() -> str:
    """Return the version of the installed package that builds the site, as its pages state it."""
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class Layout:
    """Where the project's inputs and outputs live."""

    root: Path
    data_dir: Path
    content_dir: Path
    templates_dir: Path
    assets_dir: Path
    schemas_dir: Path
    docs_dir: Path
    site_dir: Path
    config_file: Path

    @classmethod
    def at(
        cls, root: Path, data_dir: Path | None = None, site_dir: Path | None = None, docs_dir: Path | None = None
    ) -> Layout:
        root = root.resolve()
        return cls(
            root=root,
            data_dir=(data_dir or root / "data").resolve(),
            content_dir=root / "content",
            templates_dir=root / "site_config" / "templates",
            assets_dir=root / "site_config" / "assets",
            schemas_dir=root / "site_config" / "schemas",
            docs_dir=(docs_dir or root / "build" / "docs").resolve(),
            site_dir=(site_dir or root / "site").resolve(),
            config_file=root / "mkdocs.yml",
        )

    @property
    def lock_dir(self) -> Path:
        """Where the build lock lives: the folder of the generated Markdown's folder (build/)."""
        return self.docs_dir.parent

    @property
    def inputs(self) -> tuple[Path, ...]:
        """The folders whose content the generated site depends on."""
        return (self.data_dir, self.content_dir, self.templates_dir, self.assets_dir, self.schemas_dir)


@dataclass(frozen=True)
class Settings:
    """Settings from the environment (only the CLI reads it): where the site is published (ATLAS_SITE_URL), if known."""

    site_url: str | None = None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Settings:
        """Read and check the settings; raise AtlasError naming the variable when one is wrong."""
        url = environ.get("ATLAS_SITE_URL", "").strip()
        if not url:
            return cls()
        if not re.match(r"^https?://[^\s/?#]+[^\s]*$", url):
            raise AtlasError(f"ATLAS_SITE_URL '{url}' is not an http(s) address")
        return cls(url if url.endswith("/") else url + "/")


# What a library caller that gives no settings builds with: no known address.
DEFAULT_SETTINGS = Settings()
