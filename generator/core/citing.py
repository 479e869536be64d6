"""How to cite a page of the atlas: the same reference as plain text, BibTeX and CSL-JSON.

A page is cited as of the day the site was built (its statuses hold on that day); the day its
record was last checked against its sources is given beside it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from urllib.parse import quote

from .config import SITE_NAME
from .formatting import date_long

# LaTeX's special characters, written so that BibTeX and LaTeX print them as text. BibTeX counts every
# brace, escaped or not, so a brace from the data becomes a command whose own braces are balanced.
_BIBTEX = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "#": r"\#",
        "$": r"\$",
        "%": r"\%",
        "&": r"\&",
        "_": r"\_",
        "^": r"\^{}",
        "~": r"\~{}",
        '"': '{"}',
    }
)


@dataclass(frozen=True)
class PageCitation:
    """One page's reference in three formats."""

    text: str
    bibtex: str
    csl_json: str


def bibtex_text(value: str) -> str:
    """Escape text for a brace-delimited BibTeX field: on one line, every special character as text."""
    return " ".join(value.split()).translate(_BIBTEX)


def bibtex_url(url: str) -> str:
    """Percent-encode what would end a BibTeX field or break a LaTeX URL: braces, backslash, quotes, spaces."""
    return quote(url, safe=":/?#@!$&'*+,;=~[]()")


def page_citation(key: str, title: str, url: str | None, as_of: dt.date, last_verified: dt.date) -> PageCitation:
    """Return the reference to a page; `url` is None when the site's address is not known."""
    title = " ".join(title.split())
    checked = f"record last checked against its sources on {date_long(last_verified)}"
    text = f"{SITE_NAME}. “{title}”. " + (f"{url}. " if url else "") + f"As of {date_long(as_of)} ({checked})."
    fields = [
        ("author", f"{{{bibtex_text(SITE_NAME)}}}"),
        ("title", f"{{{bibtex_text(title)}}}"),
        ("year", str(as_of.year)),
        ("date", as_of.isoformat()),
        *([("url", bibtex_url(url)), ("urldate", as_of.isoformat())] if url else []),
        ("note", bibtex_text(f"As of {date_long(as_of)}; {checked}")),
    ]
    bibtex = f"@misc{{{key},\n" + "".join(f"  {name} = {{{value}}},\n" for name, value in fields) + "}"
    item: dict[str, object] = {
        "id": key,
        "type": "webpage",
        "title": title,
        "container-title": SITE_NAME,
        "author": [{"literal": SITE_NAME}],
        "issued": {"date-parts": [[as_of.year, as_of.month, as_of.day]]},
    }
    if url:
        item["URL"] = url
        item["accessed"] = {"date-parts": [[as_of.year, as_of.month, as_of.day]]}
    item["note"] = f"As of {date_long(as_of)}; {checked}."
    # One field a line, each value on its line: as readable as indented JSON, a third as long.
    lines = ",\n".join(f"    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in item.items())
    return PageCitation(text, bibtex, f"[\n  {{\n{lines}\n  }}\n]")
