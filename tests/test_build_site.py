"""The real data, built end to end with MkDocs in strict mode, reads as the facts say."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.build import Layout, build_site
from generator.core.exceptions import DataError

from .conftest import REPO
from .html import page_text, parse, search_records, table_after


def build(tmp: Path, day: str) -> Path:
    layout = Layout.at(REPO, site_dir=tmp / "site", docs_dir=tmp / "docs")
    build_site(layout, dt.date.fromisoformat(day))
    return layout.site_dir


@pytest.fixture(scope="module")
def site_nov24(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("nov24"), "2026-11-24")


@pytest.fixture(scope="module")
def site_nov28(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("nov28"), "2026-11-28")


def clause_rows(site: Path, policy: str) -> dict[str, str]:
    """Return {clause id: status text} from a policy page's clause table."""
    return {row[0]: row[-1] for row in table_after(site / "policies" / policy / "index.html", "clauses")}


@pytest.mark.slow
def test_on_nov_24_clause_2_is_suspended_until_nov_27_and_no_72_in_force(site_nov24):
    assert clause_rows(site_nov24, "cn-mofcom-2024-46") == {
        "1": "In force",
        "2": "Suspended until 27 Nov 2026",
    }
    text = page_text(site_nov24 / "policies" / "cn-mofcom-2025-72" / "index.html")
    assert "Status on 24 Nov 2026: In force until 27 Nov 2026" in text


@pytest.mark.slow
def test_on_nov_28_clause_2_is_in_force_and_no_72_expired(site_nov28):
    # Both follow from the measures' own dates; no source after the research cut-off confirms them.
    assert clause_rows(site_nov28, "cn-mofcom-2024-46") == {"1": "In force", "2": "In force (scheduled, not confirmed)"}
    text = page_text(site_nov28 / "policies" / "cn-mofcom-2025-72" / "index.html")
    assert "Status on 28 Nov 2026: Expired since 28 Nov 2026 (scheduled, not confirmed)" in text


@pytest.mark.slow
def test_home_page_leads_with_the_suspension_ending(site_nov24):
    text = page_text(site_nov24 / "index.html")
    assert "Changing soon" in text
    assert "MOFCOM No. 46 of 2024 Clause 2 Suspended until 27 Nov 2026 28 Nov 2026" in text


@pytest.mark.slow
def test_gallium_page_shows_figures_with_year_and_scope(site_nov24):
    text = page_text(site_nov24 / "minerals" / "gallium" / "index.html")
    assert "China Primary 2024 (estimate) primary low-purity gallium 750 t 99 %" in text
    assert "World Refined 2024 (estimate) high-purity refined gallium, world total 320 t" in text
    assert "Wrong scope" in text


@pytest.mark.slow
def test_gallium_page_lists_covering_policies_with_status(site_nov24):
    text = page_text(site_nov24 / "minerals" / "gallium" / "index.html")
    assert (
        "MOFCOM No. 46 of 2024 China Export prohibition Partly suspended clause 2: Suspended until 27 Nov 2026" in text
    )
    assert "MOFCOM/GAC No. 23 of 2023 China Export licensing In force" in text


@pytest.mark.slow
def test_gallium_page_has_footnoted_sources(site_nov24):
    page = parse(site_nov24 / "minerals" / "gallium" / "index.html")
    footnotes = [e for e in page.elements if e.tag == "div" and e.attrs.get("class") == "footnote"]
    assert footnotes, "no footnotes section"
    assert "U.S. Geological Survey, Mineral Commodity Summaries 2025: Gallium" in footnotes[0].text
    refs = [e for e in page.elements if e.tag == "a" and e.attrs.get("href", "").startswith("#fn:")]
    assert any(e.attrs["href"] == "#fn:usgs-mcs-2025-gallium" for e in refs)
    originals = [e.attrs["href"] for e in page.elements if e.tag == "a" and e.text == "Original"]
    assert "https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-gallium.pdf" in originals


@pytest.mark.slow
def test_the_site_carries_pagefind_search(site_nov24):
    bundle = site_nov24 / "pagefind"
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    assert not (site_nov24 / "search" / "search_index.json").exists()
    home = (site_nov24 / "index.html").read_text(encoding="utf-8")
    assert '<script src="pagefind/pagefind-ui.js" data-atlas-pagefind></script>' in home
    assert '<div id="atlas-search"' in home


INDEX_PAGES = [
    "index.html",
    "minerals/index.html",
    "policies/index.html",
    "projects/index.html",
    "events/index.html",
    "countries/index.html",
    "countries/page-2/index.html",
    "timeline/index.html",
    "sources/index.html",
]


@pytest.mark.slow
@pytest.mark.parametrize("page", INDEX_PAGES)
def test_index_pages_and_the_source_list_stay_out_of_search(site_nov24, page):
    assert "data-pagefind-body" not in (site_nov24 / page).read_text(encoding="utf-8")
    url = "/" + page.removesuffix("index.html")
    assert url not in search_records(site_nov24)


@pytest.mark.slow
def test_record_pages_are_searched_with_a_title_that_says_what_they_are(site_nov24):
    records = search_records(site_nov24)
    assert "data-pagefind-body" in (site_nov24 / "minerals" / "antimony" / "index.html").read_text(encoding="utf-8")
    assert records["/minerals/antimony/"]["meta"]["title"] == "Antimony (mineral)"
    assert records["/minerals/antimony/"]["filters"] == {"collection": ["Minerals"], "mineral": ["Antimony"]}
    policy = records["/policies/cn-mofcom-2024-46/"]
    assert policy["meta"]["title"] == "MOFCOM Announcement No. 46 of 2024 (export prohibition)"
    assert "No. 46" in policy["content"]
    assert policy["filters"]["collection"] == ["Policies"]
    assert policy["filters"]["jurisdiction"] == ["China"]
    # Clause 2 also set a stricter review of graphite exports to the United States.
    assert sorted(policy["filters"]["mineral"]) == ["Antimony", "Gallium", "Germanium", "Graphite"]
    assert records["/projects/treasure-creek/"]["meta"]["title"] == "Treasure Creek (project)"
    assert records["/countries/cn/"]["filters"] == {"collection": ["Countries"], "jurisdiction": ["China"]}
    # Source pages are reached from the pages citing them; the footnotes and heading marks are not text.
    assert not [url for url in records if url.startswith("/sources/")]
    assert "¶" not in policy["content"]


@pytest.mark.slow
def test_the_status_filter_is_the_status_on_the_build_date(site_nov24, site_nov28):
    # Clause 2 of No. 46 is suspended until 27 Nov 2026: partly suspended on the 24th, in force whole on the 28th.
    assert search_records(site_nov24)["/policies/cn-mofcom-2024-46/"]["filters"]["status"] == [
        "Partly suspended",
        "Suspended",
    ]
    assert search_records(site_nov28)["/policies/cn-mofcom-2024-46/"]["filters"]["status"] == ["In force"]


@pytest.mark.slow
def test_no_page_lists_every_record_in_its_nav(site_nov24):
    page = parse(site_nov24 / "minerals" / "gallium" / "index.html")
    nav_links = {
        e.attrs.get("href", "") for e in page.elements if e.tag == "a" and "md-nav__link" in e.attrs.get("class", "")
    }
    assert not any("cn-mofcom" in href or "treasure-creek" in href for href in nav_links)
    assert any(href.endswith("policies/") for href in nav_links)


@pytest.mark.slow
def test_record_pages_edit_their_yaml_file(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_REPO_URL", "https://example.org/atlas")
    site = build(tmp_path, "2026-11-24")
    page = parse(site / "policies" / "cn-mofcom-2024-46" / "index.html")
    edits = [e.attrs["href"] for e in page.elements if e.tag == "a" and e.attrs.get("rel") == "edit"]
    assert edits == ["https://example.org/atlas/edit/main/data/policies/cn-mofcom-2024-46.yaml"]
    index = parse(site / "policies" / "index.html")
    assert [e for e in index.elements if e.tag == "a" and e.attrs.get("rel") == "edit"] == []


@pytest.mark.slow
def test_failed_build_leaves_site_and_data_untouched(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    layout = Layout.at(REPO, data_dir=data, site_dir=tmp_path / "site", docs_dir=tmp_path / "docs")
    build_site(layout, dt.date(2026, 11, 24))
    before = {p: p.read_bytes() for p in sorted((tmp_path / "site").rglob("*")) if p.is_file()}
    docs_before = {p: p.read_bytes() for p in sorted((tmp_path / "docs").rglob("*")) if p.is_file()}
    broken = data / "policies" / "cn-mofcom-2025-72.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("policy: cn-mofcom-2024-46", "policy: cn-mofcom-2024-64"),
        encoding="utf-8",
    )
    data_before = {p: p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}
    with pytest.raises(DataError) as caught:
        build_site(layout, dt.date(2026, 11, 28))
    line = broken.read_text(encoding="utf-8").splitlines().index("    policy: cn-mofcom-2024-64") + 1
    assert [str(p) for p in caught.value.problems] == [
        f"data/policies/cn-mofcom-2025-72.yaml:{line}:13: relations[0].policy: unknown policy 'cn-mofcom-2024-64' "
        "(did you mean 'cn-mofcom-2024-46'?)"
    ]
    after = {p: p.read_bytes() for p in sorted((tmp_path / "site").rglob("*")) if p.is_file()}
    assert after == before
    assert {p: p.read_bytes() for p in sorted((tmp_path / "docs").rglob("*")) if p.is_file()} == docs_before
    assert {p: p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()} == data_before


def test_pages_show_both_dates_and_warn_when_the_knowledge_is_old(data_tree):
    from .conftest import TODAY, VALID_TREE

    # Checked recently, against old material: the knowledge is what ages.
    old_knowledge = VALID_TREE["policies/ban.yaml"].replace(
        "research_cutoff: 2026-10-05", "research_cutoff: 2025-01-01"
    )
    # Checked long ago, against recent material: not out of date.
    old_check = VALID_TREE["policies/pause.yaml"].replace("last_verified: 2026-11-01", "last_verified: 2025-01-01")
    layout = data_tree({"policies/ban.yaml": old_knowledge, "policies/pause.yaml": old_check})
    build_site(layout, TODAY)
    stale = page_text(layout.site_dir / "policies" / "ban" / "index.html")
    fresh = page_text(layout.site_dir / "policies" / "pause" / "index.html")
    assert (
        "Research cut-off: 1 Jan 2025 (the newest material these facts were checked against) · Last checked: 1 Nov 2026"
        in stale
    )
    assert (
        "This record may be out of date Its facts were checked against material up to 1 Jan 2025, more than 180 days "
        "before 24 Nov 2026. What changed since then is not known here." in stale
    )
    assert (
        "Research cut-off: 5 Oct 2026 (the newest material these facts were checked against) · Last checked: 1 Jan 2025"
        in fresh
    )
    assert "may be out of date" not in fresh
    assert (
        "This record is due for review It was last checked on 1 Jan 2025, more than 180 days before 24 Nov 2026."
        in fresh
    )
    assert "due for review" not in stale


@pytest.mark.slow
def test_the_404_page_offers_search(site_nov24):
    page = parse(site_nov24 / "404.html")
    assert [e.text.strip() for e in page.find("label", **{"for": "__search"}) if e.text.strip()] == ["Search the atlas"]
    assert "Page not found" in page.text
