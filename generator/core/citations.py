"""Inline citations in text: `[@source-id]` or `[@one; @two]`, read the same way by validation and rendering."""

from __future__ import annotations

import re
from dataclasses import dataclass

CITATION = re.compile(r"\s*\[@([^\]]*)\]")
_KEY = re.compile(r"^@?([a-z0-9]+(?:-[a-z0-9]+)*)$")
# A sentence ends at . ! or ? (after any closing quote or bracket) followed by a space and a capital,
# a digit or an opening quote; not after the abbreviations editors use inside sentences.
_SENTENCE_END = re.compile(r"(?<=[.!?])([\"”’)]*(?:\s*\[@[^\]]*\])?)\s+(?=[A-Z0-9\"“])")
_ABBREVIATIONS = ("No.", "Art.", "U.S.", "e.g.", "i.e.", "Inc.", "Corp.", "Ltd.", "Co.", "St.", "vs.", "approx.", "cf.")


@dataclass(frozen=True)
class Piece:
    """A run of plain text, followed by the sources cited right after it (none at the end of the text)."""

    text: str
    cites: tuple[str, ...] = ()


def pieces(text: str) -> list[Piece]:
    """Split text into plain runs, each with the citations that follow it."""
    found: list[Piece] = []
    start = 0
    for match in CITATION.finditer(text):
        found.append(Piece(text[start : match.start()], keys(match.group(1))))
        start = match.end()
    found.append(Piece(text[start:]))
    return found


def keys(inside: str) -> tuple[str, ...]:
    """The source ids of one citation's inside: '@a; @b' → ('a', 'b'); a malformed key is kept as written."""
    result = []
    for part in inside.split(";"):
        part = part.strip()
        match = _KEY.match(part)
        result.append(match.group(1) if match else part)
    return tuple(result)


def cited_sources(text: str) -> list[str]:
    """Every source id the text cites, in order of first citation."""
    seen: dict[str, None] = {}
    for piece in pieces(text):
        seen.update(dict.fromkeys(piece.cites))
    return list(seen)


def malformed(text: str) -> list[str]:
    """Citations whose keys are not source ids, as written."""
    return [
        f"[@{m.group(1)}]"
        for m in CITATION.finditer(text)
        if not all(_KEY.match(k.strip()) for k in m.group(1).split(";"))
    ]


def uncited_sentences(text: str) -> list[str]:
    """The sentences of the text that cite no source."""
    return [sentence for sentence in sentences(text) if not CITATION.search(sentence)]


def sentences(text: str) -> list[str]:
    """Split text into sentences, keeping each sentence's citations with it."""
    flat = " ".join(text.split())
    parts = []
    start = 0
    for match in _SENTENCE_END.finditer(flat):
        before = flat[start : match.start()]
        if before.endswith(_ABBREVIATIONS) and not match.group(1):
            continue
        # Closing quotes, and a citation written after the full stop, belong to the sentence before.
        parts.append(before + match.group(1))
        start = match.end()
    parts.append(flat[start:])
    return [part for part in parts if part.strip()]


def without_citations(text: str) -> str:
    """The text as a reader would say it, citations removed."""
    return CITATION.sub("", text)
