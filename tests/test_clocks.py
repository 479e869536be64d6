"""A record's two clocks: pages, the API and `atlas validate` agree on which records are due for review and which may be out of date."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from generator.build import Layout, check, generate
from generator.core import urls
from generator.core.models import Mineral, Source
from generator.records import clocks

from .conftest import VALID_TREE

Key = tuple[str, str]


def changed(path: str, old: str, new: str) -> dict[str, str]:
    assert old in VALID_TREE[path], old
    return {path: VALID_TREE[path].replace(old, new, 1)}


# Each clock runs out on its own day: checked recently against old material (ban), checked long ago
# on a short interval (pause), a source, which has no research cut-off, checked long ago (usgs-gallium).
CLOCK_TREE = {
    **changed("policies/ban.yaml", "research_cutoff: 2026-10-05", "research_cutoff: 2026-01-01"),
    **changed(
        "policies/pause.yaml",
        "last_verified: 2026-11-01\n        research_cutoff: 2026-10-05",
        "last_verified: 2026-05-01\n        research_cutoff: 2026-05-01\n        review_interval_days: 90",
    ),
    **changed("sources/usgs-gallium.yaml", "last_verified: 2026-11-01", "last_verified: 2026-03-01"),
}
DAYS = [dt.date(2026, 11, 24), dt.date(2027, 4, 15), dt.date(2027, 6, 1)]


def by_validate(layout: Layout, day: dt.date) -> tuple[set[Key], set[Key]]:
    """The records `atlas validate` warns of, as due for review and as out of date."""
    due, stale = set(), set()
    for warning in check(layout, day).warnings:
        key = (Path(warning.path).parent.name, Path(warning.path).stem)
        if warning.field == "last_verified" and warning.message.startswith(f"{clocks.REVIEW_DUE}: "):
            due.add(key)
        if warning.field == "research_cutoff" and warning.message.startswith(f"{clocks.KNOWLEDGE_STALE}: "):
            stale.add(key)
    return due, stale


def by_api(docs: Path, keys: list[Key]) -> tuple[set[Key], set[Key]]:
    derived = {key: json.loads((docs / urls.api_document(*key)).read_text(encoding="utf-8"))["derived"] for key in keys}
    return {k for k in keys if derived[k]["review_due"]}, {k for k in keys if derived[k]["knowledge_stale"]}


def by_pages(docs: Path, keys: list[Key]) -> tuple[set[Key], set[Key]]:
    pages = {key: (docs / urls.page(*key)).read_text(encoding="utf-8") for key in keys}
    due = {k for k in keys if f'!!! warning "{clocks.REVIEW_DUE_TITLE}"' in pages[k]}
    stale = {k for k in keys if f'!!! warning "{clocks.KNOWLEDGE_STALE_TITLE}"' in pages[k]}
    return due, stale


@pytest.mark.parametrize("day", DAYS, ids=[day.isoformat() for day in DAYS])
def test_pages_the_api_and_validate_agree_on_both_clocks(data_tree, day: dt.date) -> None:
    layout = data_tree(CLOCK_TREE)
    keys = sorted((c, i) for c, records in check(layout, day).dataset.records.items() for i in records)
    generate(layout, day)
    validated = by_validate(layout, day)
    assert by_api(layout.docs_dir, keys) == validated
    assert by_pages(layout.docs_dir, keys) == validated


def test_the_clocks_run_out_on_their_own_days(data_tree) -> None:
    layout = data_tree(CLOCK_TREE)
    found = [by_validate(layout, day) for day in DAYS]
    everything = {(c, i) for c, records in check(layout, DAYS[0]).dataset.records.items() for i in records}
    researched = {
        (c, i) for c, records in check(layout, DAYS[0]).dataset.records.items() for i in records if c != "sources"
    }
    assert found[0] == (
        {("policies", "pause"), ("sources", "usgs-gallium")},
        {("policies", "ban"), ("policies", "pause")},
    )
    # Facts checked against material of 5 Oct 2026 are more than 180 days old on 15 Apr 2027; the checks of 1 Nov 2026 are not.
    assert found[1] == ({("policies", "pause"), ("sources", "usgs-gallium")}, researched)
    assert found[2] == (everything, researched)


def test_a_source_has_no_research_cutoff_and_is_never_out_of_date() -> None:
    source = Source.model_validate(
        {
            "title": "T",
            "publisher": "P",
            "kind": "primary",
            "last_verified": "2020-01-01",
            "url": "https://example.org/",
        }
    )
    assert clocks.knowledge_stale(source, dt.date(2030, 1, 1)) is None
    assert clocks.review_due(source, dt.date(2030, 1, 1)) == clocks.Overdue(dt.date(2020, 1, 1), 3653, 180)


def test_a_clock_runs_out_the_day_after_its_interval() -> None:
    mineral = Mineral.model_construct(
        last_verified=dt.date(2026, 1, 1), research_cutoff=dt.date(2025, 12, 1), review_interval_days=30
    )
    assert clocks.review_due(mineral, dt.date(2026, 1, 31)) is None
    assert clocks.review_due(mineral, dt.date(2026, 2, 1)) == clocks.Overdue(dt.date(2026, 1, 1), 31, 30)
    assert clocks.knowledge_stale(mineral, dt.date(2025, 12, 31)) is None
    assert clocks.knowledge_stale(mineral, dt.date(2026, 1, 1)) == clocks.Overdue(dt.date(2025, 12, 1), 31, 30)
