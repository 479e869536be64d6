"""One declaration per collection: a collection registered at run time gets everything a built-in one gets.

Its model, its two templates and one `register(...)` call, all in this file: pages, an index, a
navigation entry, API documents, CSV, search entries and backlinks on the pages its records name.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from operator import attrgetter
from pathlib import Path
from typing import Annotated

import jsonschema
import pytest
from pydantic import Field

from generator.build import build_site, check
from generator.exceptions import DataError
from generator.models import Id, MineralId, Record, Ref, Text
from generator.registry import Collection, SearchEntry, register, unregister

from .conftest import REPO, TODAY, write_tree
from .html import page_text

SmelterId = Annotated[Id, Ref("smelters")]


class Smelter(Record):
    """A toy record type, declared by the test alone; a smelter may name the smelter that supplies it."""

    name: Text
    minerals: list[MineralId] = Field(default_factory=list)
    supplier: SmelterId | None = None
    summary: Text


SMELTER_PAGE = """---
source_file: {{ source_file }}
---

# {{ record.name }} {: data-pagefind-body="" }

{% include "_search.md.j2" %}

{{ record.summary | md_paragraphs }}{{ cite(*record.sources) }}

Capacity: {{ capacity }}.

Minerals: {% for m in record.minerals %}{{ link("minerals", m) }}{% if not loop.last %}, {% endif %}{% endfor %}.

{% include "_record_footer.md.j2" %}
"""

SMELTERS_INDEX = """{% include "_index_front_matter.md.j2" %}
# Smelters

| Smelter | Minerals |
|---|---|
{% for cid, c in rows %}
| {{ link("smelters", cid) }} | {{ c.minerals | join(", ") }} |
{% endfor %}
{% include "_pager.md.j2" %}
"""

ACME = """
    name: Acme Gallium Refining
    minerals: [gallium]
    summary: Refines gallium.
    last_verified: 2026-11-01
    sources: [usgs-gallium]
    """


@pytest.fixture
def smelters() -> Iterator[Collection]:
    collection = register(
        Collection(
            name="smelters",
            singular="smelter",
            model=Smelter,
            display_name=attrgetter("name"),
            columns=(("name", attrgetter("record.name")), ("minerals", attrgetter("record.minerals"))),
            context=lambda record_id, record, _dataset, _derived, _page: {"capacity": f"{len(record.name)} t"},
            search=lambda _id, record, _dataset, _derived: SearchEntry(
                f"{record.name} (smelter)", (("collection", "Smelters"),)
            ),
            description="Every smelter the atlas knows.",
            nav_title="Smelting",
            nav_position=35,
            listed_on_referred_pages="Smelters supplied or refining it",
        )
    )
    yield collection
    unregister("smelters")


@pytest.fixture
def toy_layout(data_tree, tmp_path: Path, smelters: Collection):
    """The valid tree with two smelters (beta supplied by acme), and the project's templates plus the smelter's two."""
    layout = data_tree()
    write_tree(
        layout.data_dir,
        {
            "smelters/acme.yaml": ACME,
            "smelters/beta.yaml": ACME.replace("Acme Gallium Refining", "Beta <b>Metals</b>").replace(
                "    last_verified", "    supplier: acme\n    last_verified"
            ),
        },
    )
    templates = tmp_path / "templates"
    shutil.copytree(layout.templates_dir, templates)
    (templates / "smelter.md.j2").write_text(SMELTER_PAGE, encoding="utf-8")
    (templates / "smelters_index.md.j2").write_text(SMELTERS_INDEX, encoding="utf-8")
    return replace(layout, templates_dir=templates)


@pytest.mark.slow
def test_a_collection_registered_at_run_time_is_built_everywhere(toy_layout, monkeypatch) -> None:
    monkeypatch.delenv("ATLAS_SITE_URL", raising=False)
    build_site(toy_layout, TODAY)
    site = toy_layout.site_dir
    page = site / "smelters" / "beta" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "Beta <b>Metals</b>" in page_text(page)
    assert "Refines gallium." in page_text(page)
    # The page context the collection declares.
    assert "Capacity: 18 t." in page_text(page)
    # The search entry it declares.
    assert '<span data-pagefind-meta="title">Beta &lt;b&gt;Metals&lt;/b&gt; (smelter)</span>' in html
    assert '<span data-pagefind-filter="collection">Smelters</span>' in html
    # Its index, described as declared, and its navigation entry between Projects and Countries on every page.
    index = (site / "smelters" / "index.html").read_text(encoding="utf-8")
    assert 'href="acme/"' in index and 'href="beta/"' in index
    assert '<meta name="description" content="Every smelter the atlas knows.">' in index
    home = (site / "index.html").read_text(encoding="utf-8")
    assert home.index('href="projects/"') < home.index('href="smelters/"') < home.index('href="countries/"')
    assert "Smelting" in page_text(site / "index.html")
    assert 'href="smelters/">Smelting</a>' in home  # the home page's list of indexes
    assert '<li><a href="/smelters/">Smelting</a></li>' in (site / "404.html").read_text(encoding="utf-8")
    # Backlinks from the records naming it: the mineral both name, and beta's supplier.
    mineral = page_text(site / "minerals" / "gallium" / "index.html")
    assert "Smelters supplied or refining it" in mineral
    assert "Acme Gallium Refining" in mineral and "Beta <b>Metals</b>" in mineral
    supplier = page_text(site / "smelters" / "acme" / "index.html")
    assert "Smelters supplied or refining it" in supplier and "Beta <b>Metals</b>" in supplier
    assert "Smelters supplied or refining it" not in page_text(page)
    document = json.loads((site / "api" / "v1" / "smelters" / "acme.json").read_text(encoding="utf-8"))
    assert (document["collection"], document["record"]["name"], document["page"]) == (
        "smelters",
        "Acme Gallium Refining",
        "smelters/acme/",
    )
    listing = json.loads((site / "api" / "v1" / "smelters" / "index.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in listing["items"]] == ["acme", "beta"]
    schema = json.loads((site / "api" / "v1" / "schema.json").read_text(encoding="utf-8"))
    for published in (document, listing):
        assert list(jsonschema.Draft202012Validator(schema).iter_errors(published)) == []
    rows = list(csv.DictReader(io.StringIO((site / "downloads" / "smelters.csv").read_text(encoding="utf-8-sig"))))
    assert [(r["id"], r["name"], r["minerals"], r["page"]) for r in rows] == [
        ("acme", "Acme Gallium Refining", "gallium", "smelters/acme/"),
        ("beta", "Beta <b>Metals</b>", "gallium", "smelters/beta/"),
    ]
    # The source the smelters cite lists them.
    source = page_text(site / "sources" / "usgs-gallium" / "index.html")
    assert "Acme Gallium Refining" in source


def test_a_registered_collection_has_its_references_checked(toy_layout) -> None:
    write_tree(toy_layout.data_dir, {"smelters/acme.yaml": ACME.replace("[gallium]", "[galium]")})
    with pytest.raises(DataError) as raised:
        check(toy_layout, TODAY)
    assert [str(p) for p in raised.value.problems] == [
        "data/smelters/acme.yaml:3:12: minerals[0]: unknown mineral 'galium' (did you mean 'gallium'?)"
    ]


def test_a_collection_cannot_take_a_generated_folder_or_a_used_name(smelters) -> None:
    for name in ("smelters", "feeds", "api"):
        with pytest.raises(ValueError, match=f"collection name '{name}' is already used"):
            register(replace(smelters, name=name))


def test_no_doc_uses_the_toy_collections_name() -> None:
    """Following the editors' guide's example must not collide with the collection this test registers."""
    for doc in (REPO / "CONTRIBUTING.md", REPO / "README.md", *sorted((REPO / "content").glob("*.md"))):
        assert "smelter" not in doc.read_text(encoding="utf-8").lower(), doc.name


def test_the_config_names_no_collection() -> None:
    """The navigation comes from the registry: mkdocs.yml and the theme name no collection's folder."""
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    theme = [p.read_text(encoding="utf-8") for p in sorted((REPO / "site_config" / "overrides").rglob("*.html"))]
    for name in ("minerals", "policies", "projects", "events", "sources"):
        assert f"{name}/" not in config, name
        assert not any(f"'{name}/'" in text for text in theme), name
