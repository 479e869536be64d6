"""The JSON API: one document per record and one index per collection, built from typed output models.

The published JSON Schema is generated from the same models, so it cannot drift from the documents.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, Final, Literal, cast

from pydantic import BaseModel, Field, create_model
from pydantic.json_schema import models_json_schema

from ..core import licences, urls
from ..core.config import SITE_NAME
from ..core.files import OutputFile
from ..records.dataset import Dataset, Derived
from ..records.outputs import Day, IndexItem, LicenceOut, Output, RepublishedOut
from ..records.registry import COLLECTIONS, Collection, Row, display_name, page_of
from ..records.wording import Basis, Status

SCHEMA_VERSION: Final = "1.1"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

Json = dict[str, Any]


class Header(Output):
    schema_version: Literal["1.1"] = SCHEMA_VERSION
    generated_at: Day = Field(description="The as-of date: statuses under `derived` hold on this day.")


def _const(value: str) -> Any:
    """The type whose only value is `value` (a JSON Schema `const`)."""
    return cast(Any, Literal)[value]


@cache
def document_model(collection: Collection) -> type[BaseModel]:
    """The model of one record's document: the record as recorded, and what the site derives from it."""
    return create_model(
        f"{collection.name}_document",
        __base__=Header,
        __doc__=f"One {collection.singular}: {urls.api_document(collection.name, '<id>')}",
        collection=(_const(collection.name), ...),
        id=(str, ...),
        last_verified=(Day, ...),
        page=(
            str | None,
            Field(
                description="The record's page, as a path from the site root; for a figure set, the mineral page "
                "that shows it, or null when no page does."
            ),
        ),
        record=(collection.model, ...),
        derived=(collection.facts_model, ...),
    )


@cache
def index_model(collection: Collection) -> type[BaseModel]:
    """The model of a collection's index: a summary of every record."""
    return create_model(
        f"{collection.name}_index",
        __base__=Header,
        __doc__=f"Every {collection.singular}: {urls.api_index(collection.name)}",
        collection=(_const(collection.name), ...),
        count=(int, ...),
        license=(LicenceOut, Field(description="The terms on which the documents may be reused.")),
        items=(list[collection.item_model], ...),  # type: ignore[name-defined]
    )


def json_bytes(document: Json) -> bytes:
    # Compact, so the C encoder does the work; readers' tools pretty-print.
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def api_files(dataset: Dataset, derived: Derived) -> list[OutputFile]:
    """Return one document per record and one index per collection under api/v1/, and the schema."""
    files: list[OutputFile] = []
    terms = licence(dataset)
    for collection in COLLECTIONS.values():
        documents = document_model(collection)
        items: list[IndexItem] = []
        for record_id, record in dataset.get(collection.name).items():
            row = Row(collection.name, record_id, record, derived)
            page = page_of(collection.name, record_id, derived)
            document = documents(
                generated_at=derived.today,
                collection=collection.name,
                id=record_id,
                last_verified=record.last_verified,
                page=page,
                record=record,
                derived=collection.facts_model(
                    **collection.facts(row),
                    review_due=(collection.name, record_id) in derived.review_due,
                    knowledge_stale=(collection.name, record_id) in derived.knowledge_stale,
                ),
            )
            dumped = document.model_dump(mode="json", exclude={"record"})
            # The record as its data file gives it: defaults filled in, empty optional fields left out.
            dumped["record"] = record.model_dump(mode="json", exclude_none=True, exclude={"id"})
            files.append(OutputFile(urls.api_document(collection.name, record_id), json_bytes(dumped), "the JSON API"))
            items.append(
                collection.item_model(
                    id=record_id,
                    name=display_name(record),
                    last_verified=record.last_verified,
                    page=page,
                    document=urls.api_document(collection.name, record_id),
                    **collection.item(row),
                )
            )
        index = index_model(collection)(
            generated_at=derived.today, collection=collection.name, count=len(items), license=terms, items=items
        )
        files.append(
            OutputFile(urls.api_index(collection.name), json_bytes(index.model_dump(mode="json")), "the JSON API")
        )
    vocabulary = (*Status.every(), *Basis.every())
    files.append(OutputFile(urls.API_SCHEMA, _schema_bytes(tuple(COLLECTIONS.values()), vocabulary), "the JSON API"))
    return files


def licence(dataset: Dataset) -> LicenceOut:
    """The terms of reuse, naming the releases whose figures are republished."""
    releases = sorted({figures.release for figures in dataset.figure_sets.values()})
    return LicenceOut(
        spdx=licences.TEXT_AND_DATA.spdx,
        name=licences.TEXT_AND_DATA.name,
        url=licences.TEXT_AND_DATA.url,
        attribution=f"{licences.ATTRIBUTION}, and the sources each record cites",
        republished=[
            RepublishedOut(
                what="Figures of the USGS Mineral Commodity Summaries data release (api/v1/observations/)",
                terms=licences.USGS_RELEASE_TERMS,
                sources=releases,
            )
        ]
        if releases
        else [],
        sources=licences.SOURCES_TERMS,
    )


@cache
def _schema_bytes(collections: tuple[Collection, ...], vocabulary: tuple[str, ...]) -> bytes:
    """The schema's bytes, made once for each set of collections and each vocabulary (which its enums list)."""
    return json_bytes(api_schema(collections))


def api_schema(collections: tuple[Collection, ...]) -> Json:
    """The JSON Schema of every API document, generated from the output models."""
    models: list[type[BaseModel]] = []
    for collection in collections:
        models += [document_model(collection), index_model(collection)]
    _, schema = models_json_schema([(m, "serialization") for m in models], ref_template="#/$defs/{model}")
    for collection in collections:
        # A record is published without its id, which is the document's own `id`.
        schema["$defs"][collection.model.__name__]["properties"].pop("id", None)
    return {
        "$schema": SCHEMA_DIALECT,
        "title": f"{SITE_NAME} API v{SCHEMA_VERSION}: a record document or a collection index",
        "description": "Facts as recorded are under `record`; what the site computes from them for the date "
        "`generated_at` (statuses, backlinks) is under `derived`.",
        "oneOf": [{"$ref": f"#/$defs/{m.__name__}"} for m in models],
        "$defs": dict(sorted(schema["$defs"].items())),
    }
