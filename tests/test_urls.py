"""One owner of paths and URLs: ids that would collide with generated files are refused, two files for one path fail."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from mkdocs.structure.files import File

from generator.build import check, generate
from generator.core import urls
from generator.core.exceptions import BuildError, DataError
from generator.core.files import OutputFile
from generator.write import write_output

from .conftest import TODAY, VALID_TREE

SOURCE = VALID_TREE["sources/mofcom-ban.yaml"]
MINERAL = VALID_TREE["minerals/gallium.yaml"]


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        (
            "sources/index.yaml",
            SOURCE,
            "data/sources/index.yaml:1:1: file name 'index' is reserved for the index pages of sources/; choose another id",
        ),
        (
            "policies/page-2.yaml",
            VALID_TREE["policies/ban.yaml"],
            "data/policies/page-2.yaml:1:1: file name 'page-2' is reserved for the index pages of policies/; "
            "choose another id",
        ),
        (
            "minerals/atom.yaml",
            MINERAL,
            "data/minerals/atom.yaml:1:1: file name 'atom' is reserved for the site's feed feeds/atom.xml; "
            "choose another id",
        ),
    ],
    ids=["index", "index-page", "site-feed"],
)
def test_an_id_that_collides_with_a_generated_path_is_refused(data_tree, file, text, message) -> None:
    with pytest.raises(DataError) as raised:
        check(data_tree({file: text}), TODAY)
    assert [str(p) for p in raised.value.problems] == [message]


def test_an_id_like_a_reserved_one_is_accepted(data_tree) -> None:
    checked = check(data_tree({"sources/index-of-prices.yaml": SOURCE, "sources/page-two.yaml": SOURCE}), TODAY)
    assert {"index-of-prices", "page-two"} <= set(checked.dataset.sources)


def test_two_files_for_one_path_fail_naming_both_producers(tmp_path: Path) -> None:
    files = [
        OutputFile("sources/index.md", b"index", "template sources_index.md.j2"),
        OutputFile("sources/./index.md", b"record", "template source.md.j2"),
    ]
    with pytest.raises(BuildError) as raised:
        write_output(files, tmp_path / "docs")
    assert str(raised.value) == (
        "two outputs for 'sources/index.md': one from template sources_index.md.j2, "
        "one from template source.md.j2; give one of them another path"
    )
    assert not (tmp_path / "docs" / "sources").exists()


def test_the_build_refuses_a_generated_file_that_shadows_another(data_tree) -> None:
    # A hand-written page named like a generated one.
    content = data_tree().docs_dir.parent / "content"
    content.mkdir()
    (content / "data.md").write_text("# Mine\n", encoding="utf-8")
    layout = replace(data_tree(), content_dir=content)
    with pytest.raises(
        BuildError, match=r"^two outputs for 'data.md': one from template data.md.j2, one from content/data.md;"
    ):
        generate(layout, TODAY)


@pytest.mark.parametrize(
    "path", ["index.md", "data.md", "minerals/index.md", "minerals/page-2.md", "minerals/gallium.md", "a/b/c.md"]
)
def test_page_urls_follow_mkdocs(path: str) -> None:
    # MkDocs writes the root as "./"; the atlas as "", a path from the site root.
    assert urls.url_of(path) == File(path, "docs", "site", use_directory_urls=True).url.removeprefix("./")


def test_links_between_pages_are_relative() -> None:
    assert urls.relative("minerals/gallium.md", urls.page("policies", "ban")) == "../policies/ban.md"
    assert urls.relative("minerals/gallium.md", urls.page("minerals", "germanium")) == "germanium.md"
    assert urls.relative("index.md", urls.feed()) == "feeds/atom.xml"
