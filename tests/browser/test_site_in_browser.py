"""The built site works for a reader in a real browser: search, tables, charts, navigation, no leaks."""

from __future__ import annotations

import re

import pytest

from .conftest import AXE, CHINESE_TITLE, SCREENSHOTS


def result_paths(page) -> list[str]:
    hrefs = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.getAttribute('href'))")
    return [re.sub(r"^(https?://[^/]+)?/", "", h).split("#")[0].split("?")[0] for h in hrefs]


def search(watched, site_url: str, query: str, key: str = "/") -> list[str]:
    """Open the header's search with a key, type a query and return the result links' paths, best first."""
    page = watched.page
    page.goto(f"{site_url}/")
    page.wait_for_selector("#atlas-search .pagefind-ui__search-input")
    page.keyboard.press(key)
    return type_query(page, query)


def type_query(page, query: str) -> list[str]:
    """Enter `query` in the focused search box as one input, as a paste or an input method does, and return the results.

    Typed key by key, a loaded machine lets the search run on a part of the query ("No. 4") and show its
    results under the whole query's heading; one input runs one search.
    """
    page.keyboard.insert_text(query)
    return wait_for_results(page, query)


def wait_for_results(page, query: str) -> list[str]:
    """Wait until the results for `query` are shown (each result loads its own data), and return their paths."""
    page.wait_for_function(
        """q => document.querySelector('.pagefind-ui__message')?.textContent.includes(q)
            && document.querySelectorAll('.pagefind-ui__result-link').length
               === document.querySelectorAll('.pagefind-ui__result').length
            && document.querySelectorAll('.pagefind-ui__result').length > 0""",
        arg=query,
        timeout=20_000,
    )
    return result_paths(page)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("antimony", "minerals/antimony/"),
        ("No. 46", "policies/cn-mofcom-2024-46/"),
        ("Sb", "minerals/antimony/"),
        ("cobalt", "minerals/cobalt/"),
        ("Treasure Creek", "projects/treasure-creek/"),
        # Names the release reports within a chapter lead to that chapter's page.
        ("dysprosium", "minerals/heavy-rare-earths/"),
        ("neodymium", "minerals/rare-earths/"),
        ("palladium", "minerals/platinum-group-metals/"),
        ("hafnium", "minerals/zirconium-and-hafnium/"),
    ],
)
def test_search_finds_the_record_first(watched, site_url, query, first):
    results = search(watched, site_url, query)
    assert results[0] == first, (query, results)
    assert watched.foreign_requests == []
    assert watched.console_errors == []


def test_search_opens_with_s_and_says_what_each_result_is(watched, site_url):
    page = watched.page
    assert search(watched, site_url, "antimony", key="s")[0] == "minerals/antimony/"
    assert page.evaluate("document.getElementById('__search').checked")
    titles = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.textContent.trim())")
    assert titles[0] == "Antimony (mineral)"
    assert "MOFCOM and GAC Announcement No. 33 of 2024 (export licensing)" in titles
    assert "Stibnite Gold Project (project)" in titles
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    # Index pages and the source list are not results.
    assert not [p for p in result_paths(page) if p.endswith(("minerals/", "policies/", "sources/")) or p == ""]


def filter_by(page, name: str, value: str) -> None:
    """Tick a value in one of the search's filter groups and wait for the results to change."""
    before = page.inner_text(".pagefind-ui__message")
    group = page.locator(".pagefind-ui__filter-block", has=page.locator("summary", has_text=name))
    if not group.evaluate("e => e.open"):
        group.locator("summary").click()
    group.locator("label", has_text=re.compile(rf"^{re.escape(value)}")).click()
    page.wait_for_function("b => document.querySelector('.pagefind-ui__message').textContent !== b", arg=before)


def result_count(page) -> int:
    return int(re.match(r"\d+", page.inner_text(".pagefind-ui__message")).group())


def test_filters_by_jurisdiction_and_status_narrow_the_results(watched, site_url):
    page = watched.page
    search(watched, site_url, "antimony")
    everything = result_count(page)
    filter_by(page, "jurisdiction", "China")
    in_china = result_count(page)
    assert 0 < in_china < everything
    filter_by(page, "status", "Suspended")
    suspended = result_count(page)
    assert 0 < suspended < in_china
    paths = wait_for_results(page, "antimony")
    assert "policies/cn-mofcom-2024-46/" in paths
    assert all(p.startswith("policies/") for p in paths)
    assert watched.foreign_requests == []


def test_a_result_opens_by_instant_navigation_and_search_works_again(watched, site_url):
    page = watched.page
    search(watched, site_url, "No. 46")
    page.evaluate("window.__atlasMarker = 7")
    page.locator(".pagefind-ui__result-link").first.click()
    page.wait_for_url(f"{site_url}/policies/cn-mofcom-2024-46/")
    page.wait_for_selector("h1:has-text('MOFCOM Announcement No. 46 of 2024')")
    assert page.evaluate("window.__atlasMarker") == 7, "the page was reloaded instead of navigated instantly"
    assert not page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("/")
    page.keyboard.press("Control+A")
    assert type_query(page, "Sb")[0] == "minerals/antimony/"
    assert watched.foreign_requests == []
    assert watched.console_errors == []


def test_search_finds_a_title_in_chinese(browser, fixture_site_url):
    from .conftest import Watched

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    watched = Watched(page, fixture_site_url)
    try:
        for query in (CHINESE_TITLE, "商务部公告"):
            assert search(watched, fixture_site_url, query)[0] == "policies/ban/", query
        assert watched.foreign_requests == []
    finally:
        context.close()


def _reading_order(text: str) -> list[tuple[int, int | str]]:
    """Sort key of text as the tables sort it: runs of digits by their value, the rest ignoring case."""
    return [(0, int(part)) if part.isdigit() else (1, part.casefold()) for part in re.split(r"(\d+)", text) if part]


def test_index_table_sorts_and_filters(watched, site_url):
    page = watched.page
    page.goto(f"{site_url}/policies/")
    page.wait_for_selector(".atlas-table-tools select")
    first_column = "Array.from(document.querySelectorAll('table tbody tr')).filter(r => !r.hidden).map(r => r.cells[1].textContent.trim())"
    before = page.evaluate(first_column)
    page.locator("th button.atlas-sort", has_text="Number").click()
    ascending = page.evaluate(first_column)
    # The table sorts as people read numbers: "Decree 57/2023" before "Decree 563/2025" (localeCompare, numeric).
    assert ascending == sorted(before, key=_reading_order)
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
