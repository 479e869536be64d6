"""Shared helpers: a small valid data tree that tests copy and break one way at a time."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from generator.build import Layout

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)

HEADER = "# yaml-language-server: $schema=../../site_config/schemas/{collection}.schema.json\n"

VALID_TREE: dict[str, str] = {
    "minerals/gallium.yaml": """
        name: Gallium
        symbol: Ga
        atomic_number: 31
        aliases: [Ga]
        summary: A by-product metal used in chips. [@usgs-gallium]
        production:
          - country: CN
            year: 2024
            stage: primary
            scope: primary low-purity gallium
            value: 750
            share: 99
            estimated: true
            source: usgs-gallium
        last_verified: 2026-11-01
        research_cutoff: 2026-10-05
        sources: [usgs-gallium]
        """,
    "policies/ban.yaml": """
        document_number: Announcement No. 1
        title: A ban with two clauses
        jurisdiction: CN
        authorities: [MOFCOM]
        instrument: export-prohibition
        minerals: [gallium]
        summary: Bans exports. [@mofcom-ban]
        dates:
          announced: 2024-12-03
          effective: 2024-12-03
        clauses:
          - id: "1"
            summary: Military end users. [@mofcom-ban]
            instrument: end-user-ban
          - id: "2"
            summary: Everything else. [@mofcom-ban]
            instrument: export-prohibition
        last_verified: 2026-11-01
        research_cutoff: 2026-10-05
        sources: [mofcom-ban]
        """,
    "policies/pause.yaml": """
        document_number: Announcement No. 2
        title: Suspends clause 2 of No. 1
        jurisdiction: CN
        authorities: [MOFCOM]
        instrument: suspension
        minerals: [gallium]
        summary: Suspends clause 2. [@mofcom-pause]
        dates:
          announced: 2025-11-09
          effective: 2025-11-09
          expires: 2026-11-27
        relations:
          - type: suspends
            policy: ban
            clause: "2"
            start: 2025-11-09
            end: 2026-11-27
            source: mofcom-pause
        last_verified: 2026-11-01
        research_cutoff: 2026-10-05
        sources: [mofcom-pause]
        """,
    "projects/mine.yaml": """
        name: Test Mine
        operator:
          name: Mine Co
          tickers: ["ASX:ABC"]
        location:
          country: US
          region: Alaska
        minerals: [gallium]
        stage: exploration
        stage_source: mofcom-ban
        summary: A prospect. [@mofcom-ban]
        last_verified: 2026-11-01
        research_cutoff: 2026-10-05
        """,
    "events/talks.yaml": """
        title: Talks
        date: 2025-10-25
        summary: Two sides met. [@mofcom-pause]
        minerals: [gallium]
        last_verified: 2026-11-01
        research_cutoff: 2026-10-05
        sources: [mofcom-pause]
        """,
    "sources/usgs-gallium.yaml": """
        title: Mineral Commodity Summaries 2025, Gallium
        publisher: USGS
        url: https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-gallium.pdf
        published: "2025"
        kind: primary
        last_verified: 2026-11-01
        """,
    "sources/mofcom-ban.yaml": """
        title: Announcement No. 1
        publisher: MOFCOM
        published: 2024-12-03
        kind: primary
        last_verified: 2026-11-01
        """,
    "sources/mofcom-pause.yaml": """
        title: Announcement No. 2
        publisher: MOFCOM
        published: 2025-11-09
        kind: primary
        last_verified: 2026-11-01
        """,
}


def write_tree(data_dir: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write a data tree from {relative path: YAML text}; None removes a file, bytes are written as is."""
    for relative, text in files.items():
        path = data_dir / relative
        if text is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            collection = relative.split("/")[0]
            path.write_text(HEADER.format(collection=collection) + textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return data_dir


@pytest.fixture
def data_tree(tmp_path: Path):
    """Return a function that writes the valid tree with some files changed, and gives its Layout."""

    def make(changes: dict[str, str | bytes | None] | None = None) -> Layout:
        data_dir = tmp_path / "data"
        write_tree(data_dir, {**VALID_TREE, **(changes or {})})
        return Layout.at(REPO, data_dir=data_dir, site_dir=tmp_path / "site", docs_dir=tmp_path / "docs")

    return make


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real data built into a site with MkDocs, as of 25 Nov 2026: one build shared by the tests that read it."""
    from generator.build import build_site

    tmp = tmp_path_factory.mktemp("real-site")
    layout = Layout.at(REPO, docs_dir=tmp / "docs", site_dir=tmp / "site")
    build_site(layout, dt.date(2026, 11, 25))
    return layout.site_dir
