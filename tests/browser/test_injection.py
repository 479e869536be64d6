"""Every page of a site whose every free-text field holds payloads, opened in Chromium: nothing runs, nothing links out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build import Layout, build_site

from ..conftest import REPO, write_tree
from ..injection import EVALUATED, PAYLOADS, RECORD_ID, hostile_tree
from .conftest import serving
from .test_site_in_browser import type_query

# What the DOM holds that could run or lead to script: handler attributes, script URLs, script elements with payloads.
FIND_HAZARDS = """() => {
  const found = [];
  const urlAttributes = ['href', 'xlink:href', 'src', 'action', 'formaction', 'data', 'poster', 'background'];
  for (const el of document.querySelectorAll('*')) {
    const where = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) found.push(`${where}: handler attribute ${name}="${attr.value}"`);
      if (name === 'srcdoc') found.push(`${where}: srcdoc`);
      if (!urlAttributes.includes(name)) continue;
      // Browsers drop leading spaces and control characters and any tab or line break inside the scheme.
      const value = attr.value.replace(/^[\\u0000-\\u0020]+/, '').replace(/[\\t\\n\\r]/g, '').toLowerCase();
      // The theme's share button and Pagefind's search form do nothing by their URL, and are the only ones allowed.
      const own = el.getAttribute('data-md-component') === 'search-share' || el.classList.contains('pagefind-ui__form');
      const nothing = own && /^javascript:void\\(0\\);?$/.test(value);
      if (/^(javascript|vbscript|data:text\\/html)/.test(value) && !nothing) {
        found.push(`${where}: ${name}="${attr.value}"`);
      }
    }
    if (el.tagName === 'SCRIPT' && el.textContent.includes('alert(')) found.push(`script: ${el.textContent}`);
    if (['IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName)) found.push(`${where}: embedded document`);
  }
  return found;
}"""


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("hostile-browser")
    write_tree(tmp / "data", dict(hostile_tree()))
    layout = Layout.at(REPO, data_dir=tmp / "data", site_dir=tmp / "site", docs_dir=tmp / "docs")
    build_site(layout, dt.date(2026, 11, 24), strict=True)
    with serving(layout.site_dir) as url:
        yield url, layout.site_dir


class Alarm:
    """A page that records every dialog it opens and every error thrown in it."""

    def __init__(self, page) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


@pytest.fixture
def alarm(browser) -> Iterator[Alarm]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield Alarm(page)
    context.close()


def paths_of(site: Path) -> list[str]:
    """The address of every page of the built site, relative to its root."""
    paths = []
    for html in sorted(site.rglob("*.html")):
        relative = html.relative_to(site).as_posix()
        paths.append(relative.removesuffix("index.html"))
    return paths


def test_no_page_runs_or_links_to_script(alarm, hostile_url):
    url, site = hostile_url
    paths = paths_of(site)
    assert len(paths) >= 15, paths
    problems: dict[str, list[str]] = {}
    for path in paths:
        alarm.page.goto(f"{url}/{path}")
        alarm.page.wait_for_load_state("networkidle")
        found = alarm.page.evaluate(FIND_HAZARDS)
        text = alarm.page.evaluate("() => document.title + ' ' + document.body.innerText")
        if EVALUATED in text:
            found.append(f"template evaluated: {EVALUATED}")
        if found:
            problems[path] = found
    assert alarm.dialogs == []
    assert alarm.errors == []
    assert problems == {}


@pytest.mark.parametrize("collection", ["minerals", "policies", "projects", "sources", "events"])
def test_a_record_page_shows_the_payloads_as_text(alarm, hostile_url, collection):
    url, _site = hostile_url
    alarm.page.goto(f"{url}/{collection}/{RECORD_ID}/")
    text = " ".join(alarm.page.inner_text("article").split())
    for name in ("script", "attribute-breakout", "markdown-link", "template-expression", "template-block"):
        assert PAYLOADS[name] in text, name
    assert alarm.dialogs == []
    assert alarm.errors == []


def test_searching_for_the_payloads_runs_nothing(alarm, hostile_url):
    url, _site = hostile_url
    page = alarm.page
    page.goto(f"{url}/")
    page.wait_for_selector("#atlas-search .pagefind-ui__search-input")
    page.keyboard.press("/")
    assert type_query(page, "alert")
    assert page.evaluate(FIND_HAZARDS) == []
    assert alarm.dialogs == []
    assert alarm.errors == []


def test_filtering_an_index_table_runs_nothing(alarm, hostile_url):
    url, _site = hostile_url
    page = alarm.page
    page.goto(f"{url}/policies/")
    page.wait_for_selector(".atlas-table-tools select")
    for select in page.locator(".atlas-table-tools select").all():
        options = [o for o in select.locator("option").all_inner_texts() if o]
        for option in options[1:]:
            select.select_option(label=option)
    page.fill(".atlas-table-tools__search", PAYLOADS["attribute-breakout"])
    page.locator("th button.atlas-sort").first.click()
    assert page.evaluate(FIND_HAZARDS) == []
    assert alarm.dialogs == []
    assert alarm.errors == []


def test_the_checks_catch_planted_script(alarm):
    page = alarm.page
    page.set_content(
        '<a href=" JaVa\tScript:alert(1)">a</a><img src="x" onerror="void 0">'
        '<svg><a xlink:href="javascript:alert(1)"><text>b</text></a></svg><script>/* alert(1) */</script>'
    )
    found = page.evaluate(FIND_HAZARDS)
    assert [f.split(":")[0] for f in found] == ["a", "img", "a", "script"], found
    page.evaluate("() => { alert('planted'); setTimeout(() => { throw new Error('planted'); }); }")
    page.wait_for_timeout(200)
    assert alarm.dialogs == ["alert: planted"]
    assert alarm.errors == ["planted"]
