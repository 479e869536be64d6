"""The terms on which the atlas may be reused: its own text and data, its code, and what it republishes.

The JSON API, the about page and the licence files in the repository state the same terms; a test
checks that they agree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Licence:
    spdx: str  # the SPDX identifier
    name: str
    url: str


TEXT_AND_DATA = Licence(
    "CC-BY-4.0", "Creative Commons Attribution 4.0 International", "https://creativecommons.org/licenses/by/4.0/"
)
CODE = Licence("MIT", "MIT License", "https://opensource.org/license/mit")
# Whom a reuse credits, as CC BY asks.
ATTRIBUTION = "Critical Minerals Atlas"

# The figures the importer copies from the USGS Mineral Commodity Summaries data release are works of the
# US Government; everything else from a source is cited, not republished.
USGS_RELEASE_TERMS = "US public domain (a work of the US Government, not subject to copyright in the United States)"
SOURCES_TERMS = "Cited, not republished: each source keeps its own terms."
