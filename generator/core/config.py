"""Where the project's inputs and outputs live, and the site's settings: read and checked once, before any work."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .exceptions import AtlasError, UsageError

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


def refuse_overlapping_outputs(layout: Layout) -> None:
    """Raise UsageError when the docs or site folder is, contains or lies inside a folder it must not touch.

    The write stage replaces the docs folder's content and the build replaces the site folder whole,
    so either one placed over the data, the content, the site configuration, the project itself or
    the other output would destroy it.
    """
    outputs = (("docs folder (--docs-dir)", layout.docs_dir), ("site folder (--site-dir)", layout.site_dir))
    protected = [
        ("data folder", layout.data_dir),
        ("content folder", layout.content_dir),
        ("site configuration folder", layout.root / "site_config"),
    ]
    for name, output in outputs:
        # Inside the project is where outputs belong (build/docs, site); the project itself or a parent of it is not.
        relation = _overlap(output, layout.root)
        if relation in ("is", "contains"):
            raise UsageError(
                f"the {name} {output} {relation} the project folder {layout.root}; "
                "choose a folder inside the project, such as the default"
            )
    docs, site = outputs
    pairs = [(output, other) for output in outputs for other in protected] + [(docs, site)]
    for (name, output), (other_name, other) in pairs:
        relation = _overlap(output, other)
        if relation:
            raise UsageError(
                f"the {name} {output} {relation} the {other_name} {other}; "
                "choose a folder that neither holds nor lies inside it"
            )


def refuse_foreign_site(site_dir: Path) -> None:
    """Raise UsageError when the site folder holds files but is no built site: the build would replace it whole."""
    try:
        foreign = site_dir.is_dir() and not site_dir.is_symlink() and not (site_dir / "index.html").is_file()
        foreign = foreign and any(site_dir.iterdir())
    except OSError:
        return  # what cannot be read here is reported where the site is replaced
    if foreign:
        raise UsageError(
            f"the site folder (--site-dir) {site_dir} holds files but no index.html, so it is not a built site, "
            "and a build replaces its folder whole; choose a new or empty folder, or the one a build made"
        )


def _overlap(folder: Path, other: Path) -> str:
    """How `folder` stands to `other`: "is", "lies inside", "contains", or "" when apart."""
    if folder == other:
        return "is"
    if folder.is_relative_to(other):
        return "lies inside"
    if other.is_relative_to(folder):
        return "contains"
    return ""


# What a published address may hold: letters, digits and the URL punctuation that means nothing in
# HTML. No quote, bracket, backslash, space, control or non-ASCII character, since the theme places
# the addresses into pages and scripts as they are.
PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~!$&*+,;=:@%/-]*)?")


@dataclass(frozen=True)
class Settings:
    """Settings from the environment (only the CLI reads it): where the site is published (ATLAS_SITE_URL) and its
    repository (ATLAS_REPO_URL), each if known."""

    site_url: str | None = None
    repo_url: str | None = None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Settings:
        """Read and check the settings; raise AtlasError naming the variable when one is wrong."""
        site_url = checked_address("ATLAS_SITE_URL", environ.get("ATLAS_SITE_URL", ""))
        repo_url = checked_address("ATLAS_REPO_URL", environ.get("ATLAS_REPO_URL", ""))
        if site_url and not site_url.endswith("/"):
            site_url += "/"
        return cls(site_url, repo_url)


# What a library caller that gives no settings builds with: no known address.
DEFAULT_SETTINGS = Settings()


def checked_address(variable: str, value: str) -> str | None:
    """Return the address set in `variable`, None if unset; raise AtlasError unless it is a plain http(s) address."""
    if not value.strip():
        return None
    if not PLAIN_URL.fullmatch(value):
        shown = value.encode("unicode_escape").decode("ascii").replace("'", "\\'")
        raise AtlasError(
            f"{variable} '{shown}' is not a plain http(s) address: it must start with https:// or http:// and hold "
            "no space, quote, bracket, backslash, control or non-ASCII character; set it to an address such as "
            "https://example.org/atlas/, or unset it"
        )
    return value
