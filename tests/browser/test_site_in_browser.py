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


# One page of every type a reader can reach.
EVERY_PAGE_TYPE = [
    "",
    "minerals/gallium/",
    "minerals/antimony/",
    "policies/cn-mofcom-2024-46/",
    "projects/stibnite-gold/",
    "countries/cn/",
    "sources/mofcom-2024-46/",
    "events/kuala-lumpur-talks-2025-10/",
    "minerals/",
    "policies/",
    "projects/",
    "countries/",
    "events/",
    "sources/",
    "timeline/",
    "data/",
    "about/",
    "methodology/",
]
# The pages most read, looked at in screenshots and checked for accessibility at both sizes.
MOST_READ = {
    "home": "",
    "mineral": "minerals/gallium/",
    "measure": "policies/cn-mofcom-2024-46/",
    "policies": "policies/",
    "timeline": "timeline/",
    "sources": "sources/",
}
# What a phone reader could not read: the page scrolling sideways, a status badge hidden, clipped or
# squeezed to nothing, chart text under 11 px (its font size times the scale the SVG is drawn at).
# The width is the device's: a phone browser widens its window (innerWidth) to fit a page that overflows.
UNREADABLE = """(width) => {
  const problems = [];
  const scroll = document.scrollingElement.scrollWidth;
  if (scroll > width) problems.push(`scrolls sideways: ${scroll} px wide in ${width}`);
  for (const badge of document.querySelectorAll("article .atlas-status")) {
    const box = badge.getBoundingClientRect();
    const label = badge.textContent.trim();
    if (!badge.checkVisibility() || box.width < 1 || box.height < 1) { problems.push(`status hidden: ${label}`); continue; }
    if (box.left < 0 || box.right > width) problems.push(`status off screen: ${label} at ${box.left}-${box.right}`);
    for (let up = badge.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX === "visible") continue;
      const frame = up.getBoundingClientRect();
      if (box.left < frame.left - 1 || box.right > frame.right + 1) problems.push(`status clipped: ${label}`);
    }
  }
  for (const text of document.querySelectorAll("article svg text")) {
    const size = parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a;
    if (size < 11) problems.push(`chart text ${size.toFixed(1)} px: ${text.textContent}`);
  }
  return problems;
}"""


def test_phone_shows_every_page_type_readably(phone, site_url):
    page = phone.page
    problems = {}
    for path in EVERY_PAGE_TYPE:
        page.goto(f"{site_url}/{path}")
        page.wait_for_selector("article")
        found = page.evaluate(UNREADABLE, page.viewport_size["width"])
        if found:
            problems[path] = found
    assert problems == {}
    assert phone.console_errors == []
    assert phone.foreign_requests == []


def test_readability_check_catches_an_unreadable_page(phone, site_url):
    page = phone.page
    page.goto(f"{site_url}/policies/cn-mofcom-2024-46/")
    page.wait_for_selector("article .atlas-status")
    page.add_style_tag(
        content=".atlas-chart text { font-size: 8px !important } article .atlas-status { display: none }"
        " body { min-width: 600px }"
    )
    found = page.evaluate(UNREADABLE, page.viewport_size["width"])
    assert any(p.startswith("scrolls sideways") for p in found)
    assert any(p.startswith("status hidden") for p in found)
    assert any(p.startswith("chart text 8.0 px") for p in found)


def test_phone_tables_become_cards_with_status_and_date_first(phone, site_url):
    page = phone.page
    page.goto(f"{site_url}/policies/")
    page.wait_for_selector("table[data-atlas-stack] tbody tr")
    first = page.locator("table[data-atlas-stack] tbody tr").first
    cells = first.locator("td")
    tops = [cells.nth(i).bounding_box()["y"] for i in range(cells.count())]
    status = first.locator("td[data-atlas-key]")
    assert status.get_attribute("data-label") == "Status on 24 Nov 2026"
    assert status.bounding_box()["y"] == min(tops), "the status comes first in a card"
    assert (
        page.evaluate(
            "getComputedStyle(document.querySelector('table[data-atlas-stack] tbody td'), '::before').content"
        )
        != "none"
    )
    page.goto(f"{site_url}/timeline/")
    row = page.locator("table[data-atlas-stack] tbody tr").first
    assert row.locator("td[data-atlas-key]").get_attribute("data-label") == "Date"


def test_footnote_marks_and_filters_are_big_enough_to_tap_and_show_where_they_lead(phone, site_url):
    page = phone.page
    page.goto(f"{site_url}/policies/cn-mofcom-2024-46/")
    marks = page.locator("article a.footnote-ref")
    assert marks.count() > 3
    for i in range(marks.count()):
        box = marks.nth(i).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, (i, box)
    mark = marks.first
    target = (mark.get_attribute("href") or "").split("#")[1]
    mark.click()
    page.wait_for_function(
        "id => { const e = document.querySelector(':target'); return e && e.id === id"
        " && getComputedStyle(e).outlineStyle === 'solid'; }",
        arg=target,
    )
    assert page.evaluate("getComputedStyle(document.querySelector(':target')).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.goto(f"{site_url}/policies/")
    page.wait_for_selector(".atlas-table-tools select")
    for control in page.locator(".atlas-table-tools input, .atlas-table-tools select").all():
        box = control.bounding_box()
        assert box["height"] >= 24 and box["width"] >= 24, box


@pytest.mark.parametrize("viewer", ["watched", "phone"], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", list(MOST_READ.values()), ids=list(MOST_READ))
def test_no_serious_accessibility_violations(request, site_url, path, viewer):
    page = request.getfixturevalue(viewer).page
    page.goto(f"{site_url}/{path}")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "\n".join(serious)


@pytest.mark.parametrize("path", list(MOST_READ.values()), ids=list(MOST_READ))
def test_screenshots(watched, phone, site_url, path):
    name = path.strip("/").replace("/", "-") or "home"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for kind, viewer in (("desktop", watched), ("phone", phone)):
        viewer.page.goto(f"{site_url}/{path}")
        viewer.page.wait_for_selector("article")
        target = SCREENSHOTS / f"{name}-{kind}.png"
        viewer.page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
