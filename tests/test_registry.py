"""One declaration per collection: a collection registered at run time gets pages, an index, API documents and CSV."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from operator import attrgetter
from pathlib import Path

import jsonschema
import pytest
from pydantic import Field

from generator.build import build_site, check
from generator.exceptions import DataError
from generator.models import MineralId, Record, Text
from generator.registry import COLLECTIONS, Collection, register, unregister

from .conftest import REPO, TODAY, write_tree
from .html import page_text


class Company(Record):
    """A toy record type, declared by the test alone."""

    name: Text
    minerals: list[MineralId] = Field(default_factory=list)
    summary: Text


COMPANY_PAGE = """---
source_file: {{ source_file }}
---

# {{ record.name }}

{{ record.summary | md_paragraphs }}{{ cite(*record.sources) }}

Minerals: {% for m in record.minerals %}{{ link("minerals", m) }}{% if not loop.last %}, {% endif %}{% endfor %}.

{% include "_record_footer.md.j2" %}
"""

COMPANIES_INDEX = """{% include "_index_front_matter.md.j2" %}
# Companies

| Company | Minerals |
|---|---|
{% for cid, c in rows %}
| {{ link("companies", cid) }} | {{ c.minerals | join(", ") }} |
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
def companies() -> Iterator[Collection]:
    collection = register(
        Collection(
            name="companies",
            singular="company",
            model=Company,
            display_name=attrgetter("name"),
            columns=(("name", attrgetter("record.name")), ("minerals", attrgetter("record.minerals"))),
        )
    )
    yield collection
    unregister("companies")


@pytest.fixture
def toy_layout(data_tree, tmp_path: Path, companies: Collection):
    """The valid tree with two companies, and the project's templates plus the company's two."""
    layout = data_tree()
    write_tree(
        layout.data_dir,
        {
            "companies/acme.yaml": ACME,
            "companies/beta.yaml": ACME.replace("Acme Gallium Refining", "Beta <b>Metals</b>"),
        },
    )
    templates = tmp_path / "templates"
    shutil.copytree(layout.templates_dir, templates)
    (templates / "company.md.j2").write_text(COMPANY_PAGE, encoding="utf-8")
    (templates / "companies_index.md.j2").write_text(COMPANIES_INDEX, encoding="utf-8")
    return replace(layout, templates_dir=templates)


@pytest.mark.slow
def test_a_collection_registered_at_run_time_is_built_everywhere(toy_layout) -> None:
    build_site(toy_layout, TODAY)
    site = toy_layout.site_dir
    page = site / "companies" / "beta" / "index.html"
    assert "Beta <b>Metals</b>" in page_text(page)
    assert "Refines gallium." in page_text(page)
    index = (site / "companies" / "index.html").read_text(encoding="utf-8")
    assert 'href="acme/"' in index and 'href="beta/"' in index
    document = json.loads((site / "api" / "v1" / "companies" / "acme.json").read_text(encoding="utf-8"))
    assert (document["collection"], document["record"]["name"], document["page"]) == (
        "companies",
        "Acme Gallium Refining",
        "companies/acme/",
    )
    listing = json.loads((site / "api" / "v1" / "companies" / "index.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in listing["items"]] == ["acme", "beta"]
    schema = json.loads((site / "api" / "v1" / "schema.json").read_text(encoding="utf-8"))
    for published in (document, listing):
        assert list(jsonschema.Draft202012Validator(schema).iter_errors(published)) == []
    rows = list(csv.DictReader(io.StringIO((site / "downloads" / "companies.csv").read_text(encoding="utf-8-sig"))))
    assert [(r["id"], r["name"], r["minerals"], r["page"]) for r in rows] == [
        ("acme", "Acme Gallium Refining", "gallium", "companies/acme/"),
        ("beta", "Beta <b>Metals</b>", "gallium", "companies/beta/"),
    ]
    # The source the companies cite lists them.
    source = page_text(site / "sources" / "usgs-gallium" / "index.html")
    assert "Acme Gallium Refining" in source


def test_a_registered_collection_has_its_references_checked(toy_layout) -> None:
    write_tree(toy_layout.data_dir, {"companies/acme.yaml": ACME.replace("[gallium]", "[galium]")})
    with pytest.raises(DataError) as raised:
        check(toy_layout, TODAY)
    assert [str(p) for p in raised.value.problems] == [
        "data/companies/acme.yaml:3:12: minerals[0]: unknown mineral 'galium' (did you mean 'gallium'?)"
    ]


def test_a_collection_cannot_take_a_generated_folder_or_a_used_name(companies) -> None:
    for name in ("companies", "feeds", "api"):
        with pytest.raises(ValueError, match=f"collection name '{name}' is already used"):
            register(replace(companies, name=name))


def test_the_navigation_and_the_404_page_list_every_collection() -> None:
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    not_found = (REPO / "site_config" / "overrides" / "404.html").read_text(encoding="utf-8")
    for name in (c.name for c in COLLECTIONS.values() if c.pages):
        assert f": {name}/index.md\n" in config, name
        assert f"{{{{ '{name}/' | url }}}}" in not_found, name
