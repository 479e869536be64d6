"""The built site works for a reader in a real browser: search, tables, charts, navigation, no leaks."""

from __future__ import annotations

import re

import pytest

from .conftest import AXE, SCREENSHOTS


def search(watched, site_url: str, query: str) -> list[str]:
    """Type into the search box and return the result links' paths."""
    page = watched.page
    page.goto(f"{site_url}/")
    page.locator("input.md-search__input").click()
    page.keyboard.type(query, delay=30)
    page.wait_for_selector(".md-search-result__item", timeout=20_000)
    page.wait_for_timeout(300)
    hrefs = page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.getAttribute('href'))")
    return [re.sub(r"^https?://[^/]+/", "", h).split("#")[0].split("?")[0] for h in hrefs]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("antimony", ["minerals/antimony/", "policies/cn-mofcom-2024-33/"]),
        ("No. 46", ["policies/cn-mofcom-2024-46/"]),
        ("Sb", ["minerals/antimony/"]),
        ("cobalt", ["minerals/cobalt/"]),
        # Names the release reports within a chapter lead to that chapter's page.
        ("dysprosium", ["minerals/heavy-rare-earths/"]),
        ("neodymium", ["minerals/rare-earths/"]),
        ("palladium", ["minerals/platinum-group-metals/"]),
        ("hafnium", ["minerals/zirconium-and-hafnium/"]),
    ],
)
def test_search_finds(watched, site_url, query, expected):
    results = search(watched, site_url, query)
    for path in expected:
        assert path in results, (query, results)


def test_index_table_sorts_and_filters(watched, site_url):
    page = watched.page
    page.goto(f"{site_url}/policies/")
    page.wait_for_selector(".atlas-table-tools select")
    first_column = "Array.from(document.querySelectorAll('table tbody tr')).filter(r => !r.hidden).map(r => r.cells[1].textContent.trim())"
    before = page.evaluate(first_column)
    page.locator("th button.atlas-sort", has_text="Number").click()
    ascending = page.evaluate(first_column)
    assert ascending == sorted(before, key=str.casefold) != before or ascending == sorted(before, key=str.casefold)
    page.locator("th button.atlas-sort", has_text="Number").click()
    assert page.evaluate(first_column) == list(reversed(ascending))
    page.select_option("select[data-column='Jurisdiction']", "European Union")
    assert page.evaluate(first_column) == ["Regulation (EU) 2024/1252"]
    assert page.inner_text(".atlas-table-tools__count") == f"1 of {len(before)} shown"
    page.select_option("select[data-column='Jurisdiction']", "")
    page.select_option("select[data-column='Status']", "Suspended")
    assert page.evaluate(first_column) == ["MOFCOM Announcement No. 46 of 2024"]
    page.select_option("select[data-column='Status']", "")
    page.fill(".atlas-table-tools__search", "CHIPS")
    assert page.evaluate(first_column) == ["Public Law 117-167 (H.R. 4346)"]


def test_chart_is_visible_with_a_text_alternative(watched, site_url):
    page = watched.page
    page.goto(f"{site_url}/minerals/antimony/")
    chart = page.locator("figure.atlas-chart svg[role='img']").first
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 20
    assert chart.locator("title").first.text_content() == "Antimony: share of world output by country"
    assert "China 34 %" in (chart.locator("desc").first.text_content() or "")
    page.goto(f"{site_url}/policies/cn-mofcom-2024-46/")
    desc = page.locator("figure.atlas-chart svg desc").first.text_content() or ""
    assert "Clause 2: in force from 3 Dec 2024 to 8 Nov 2025; suspended from 9 Nov 2025 to 27 Nov 2026" in desc


def test_instant_navigation_palette_and_no_leaks(watched, site_url):
    page = watched.page
    page.goto(f"{site_url}/")
    page.evaluate("window.__atlasMarker = 42")
    page.locator(".md-tabs__link", has_text="Policies").click()
    page.wait_for_url(f"{site_url}/policies/")
    page.wait_for_selector("h1:has-text('Policies and measures')")
    assert page.evaluate("window.__atlasMarker") == 42, "the page was reloaded instead of navigated instantly"
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    page.goto(f"{site_url}/minerals/gallium/")
    page.wait_for_load_state("networkidle")
    assert watched.console_errors == []
    assert watched.foreign_requests == []


def test_phone_shows_pages_without_horizontal_scrolling(phone, site_url):
    page = phone.page
    for path in ("", "minerals/gallium/", "policies/cn-mofcom-2024-46/", "policies/"):
        page.goto(f"{site_url}/{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (path, overflow)
    assert phone.console_errors == []
    assert phone.foreign_requests == []


@pytest.mark.parametrize("path", ["", "minerals/gallium/", "policies/cn-mofcom-2024-46/", "policies/"])
def test_no_serious_accessibility_violations(watched, site_url, path):
    page = watched.page
    page.goto(f"{site_url}/{path}")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "\n".join(serious)


@pytest.mark.parametrize(
    "path", ["", "minerals/gallium/", "policies/cn-mofcom-2024-46/"], ids=["home", "mineral", "policy"]
)
def test_screenshots(watched, phone, site_url, path):
    name = path.strip("/").replace("/", "-") or "home"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for kind, viewer in (("desktop", watched), ("phone", phone)):
        viewer.page.goto(f"{site_url}/{path}")
        target = SCREENSHOTS / f"{name}-{kind}.png"
        viewer.page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
