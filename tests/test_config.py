"""Settings from the environment are checked like data: only plain http(s) addresses reach a page."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from generator.build import build_site
from generator.cli import main
from generator.core.config import Settings
from generator.core.exceptions import AtlasError

from .conftest import TODAY
from .html import parse

ADVICE = (
    "is not a plain http(s) address: it must start with https:// or http:// and hold no space, quote, bracket, "
    "backslash, control or non-ASCII character; set it to an address such as https://example.org/atlas/, or unset it"
)

HOSTILE = [
    ('https://example.org/"><svg/onload=alert(1)>', 'https://example.org/"><svg/onload=alert(1)>'),
    ("javascript:alert(1)", "javascript:alert(1)"),
    ("data:text/html,<script>alert(1)</script>", "data:text/html,<script>alert(1)</script>"),
    ("https://example.org/it's", "https://example.org/it\\'s"),
    ("https://example.org/a b", "https://example.org/a b"),
    (" https://example.org/", " https://example.org/"),
    ("https://example.org/\n", "https://example.org/\\n"),
    ("https://example.org/\x07", "https://example.org/\\x07"),
    ("https://example.org/\u202egro", "https://example.org/\\u202egro"),
    ("https://example.org/[x]", "https://example.org/[x]"),
    ("https://example.org/{{x}}", "https://example.org/{{x}}"),
    ("https://example.org/a\\b", "https://example.org/a\\\\b"),
    ("ftp://example.org/", "ftp://example.org/"),
    ("https:///path", "https:///path"),
]


@pytest.mark.parametrize("variable", ["ATLAS_SITE_URL", "ATLAS_REPO_URL"])
@pytest.mark.parametrize(("value", "shown"), HOSTILE, ids=[v for v, _ in HOSTILE])
def test_an_address_that_is_not_plain_http_is_refused(variable: str, value: str, shown: str) -> None:
    with pytest.raises(AtlasError) as raised:
        Settings.from_environment({variable: value})
    assert raised.value.message == f"{variable} '{shown}' {ADVICE}"


def test_plain_addresses_are_kept_and_the_site_address_ends_with_a_slash() -> None:
    settings = Settings.from_environment(
        {"ATLAS_SITE_URL": "https://example.org:8443/atlas", "ATLAS_REPO_URL": "https://github.com/org/atlas"}
    )
    assert settings == Settings("https://example.org:8443/atlas/", "https://github.com/org/atlas")
    assert Settings.from_environment({}) == Settings()


def test_a_hostile_site_address_stops_the_build_before_any_work(data_tree, monkeypatch: pytest.MonkeyPatch) -> None:
    layout = data_tree()
    monkeypatch.setenv("ATLAS_SITE_URL", 'https://example.org/"><svg/onload=alert(1)>')
    result = CliRunner().invoke(
        main,
        [
            "build",
            "--root",
            str(layout.root),
            "--data",
            str(layout.data_dir),
            "--site-dir",
            str(layout.site_dir),
            "--docs-dir",
            str(layout.docs_dir),
            "--today",
            TODAY.isoformat(),
        ],
    )
    assert result.exit_code == 1
    assert f"Error: ATLAS_SITE_URL 'https://example.org/\"><svg/onload=alert(1)>' {ADVICE}" in result.output
    assert not layout.site_dir.exists() and not layout.docs_dir.exists()


def test_a_repository_address_that_is_not_a_web_address_never_becomes_an_edit_link(
    data_tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The check in Settings is bypassed here, so the theme override's own guard is what is tested.
    layout = data_tree()
    monkeypatch.setenv("ATLAS_REPO_URL", "javascript:alert(1)//")
    build_site(layout, TODAY, settings=Settings())
    pages = [p for p in layout.site_dir.rglob("*.html") if "pagefind" not in p.parts]
    assert pages
    for path in pages:
        page = parse(path)
        assert [e for e in page.elements if e.tag == "a" and e.attrs.get("rel") == "edit"] == [], path
        assert "javascript:" not in path.read_text(encoding="utf-8"), path
