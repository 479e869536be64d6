"""`atlas import usgs-mcs`: the USGS Mineral Commodity Summaries data release, as figure-set records.

One record per chapter, `data/observations/<release>-<chapter>.yaml`, holding every figure with its
line in the release file, the value token exactly as printed and its number where it has one. The
importer owns those files and no others: it refuses to overwrite a file it did not write, writes
nothing when any row is malformed, and changes no file when run twice on the same release.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry
import yaml

from ..core.exceptions import AtlasError, DataError
from ..core.models import FigureSet, id_problem
from ..core.problems import Problems

COLUMNS = [
    "MCS chapter",
    "Section",
    "Commodity",
    "Country",
    "Statistics",
    "Statistics_detail",
    "Unit",
    "Year",
    "Value",
    "Notes",
    "Is critical mineral 2025",
    "Other notes",
]
FOLDER = FigureSet.collection
# The first lines of every file the importer writes; a file without them is an editor's.
MARK = "# Written by `atlas import usgs-mcs` from the USGS data release: do not edit by hand."
HEADER = f"# yaml-language-server: $schema=../../site_config/schemas/{FOLDER}.schema.json\n{MARK}\n"
# ASCII digits only, matched as the whole token: int() and float() would read other scripts' digits too.
_NUMBER = re.compile(r"\d{1,3}(,\d{3})*(\.\d+)?|\d+(\.\d+)?", re.ASCII)
_BOUND = re.compile(r"([<>])\s*(\d[\d,]*(?:\.\d+)?)", re.ASCII)
_RANGE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*[–-]\s*(\d[\d,]*(?:\.\d+)?)", re.ASCII)


@dataclass
class ImportReport:
    """What an import changed in the data folder."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    figures: int = 0


@dataclass(frozen=True)
class Settings:
    """How to read one release: its import.yaml beside the release file."""

    edition: str
    release_source: str
    version_day: str  # the day of the release version (with its corrections) the import reflects
    corrections: dict[int, dict[str, Any]]
    repairs: dict[int, dict[str, Any]]
    unflagged: frozenset[int]
    chapter_sources: dict[str, str]
    countries: dict[str, str]
    groups: frozenset[str]

    @classmethod
    def read(cls, path: Path) -> Settings:
        try:
            raw = yaml.safe_load(read_regular_file(path, SETTINGS_LIMIT, "import settings").decode("utf-8"))
        except (UnicodeDecodeError, yaml.YAMLError) as error:
            raise AtlasError(f"{path}: cannot read the import settings: {error}") from None
        try:
            return cls._from_mapping(raw)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise AtlasError(
                f"{path}: {_settings_problem(error)}; see releases/usgs-mcs-2026/import.yaml for the form"
            ) from None

    @classmethod
    def _from_mapping(cls, raw: Any) -> Settings:
        if not isinstance(raw, dict):
            raise TypeError("the import settings should be a group of fields (edition, release_source, ...)")
        return cls(
            edition=str(raw["edition"]),
            release_source=str(raw["release_source"]),
            version_day=str(raw["version_day"]),
            corrections={int(c["line"]): c for c in _listed(raw, "corrections")},
            repairs={int(r["line"]): r for r in _listed(raw, "repairs")},
            unflagged=frozenset(int(n) for n in _listed(raw, "unflagged")),
            chapter_sources={str(k): str(v) for k, v in _mapping(raw, "chapter_sources").items()},
            countries={str(k): str(v) for k, v in _mapping(raw, "countries").items()},
            groups=frozenset(str(g) for g in _listed(raw, "groups")),
        )


# The largest release and settings file read: USGS's MCS 2026 release is 3.2 MB.
RELEASE_LIMIT = 256 * 1024 * 1024
SETTINGS_LIMIT = 1024 * 1024


def read_regular_file(path: Path, limit: int, what: str) -> bytes:
    """Read `path` whole if it is a regular file of at most `limit` bytes; raise AtlasError naming it otherwise.

    The file is opened without blocking, so a named pipe or a device is refused instead of waited on.
    """
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise AtlasError(f"{path}: cannot open the {what}: {error.strerror or error}") from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise AtlasError(f"{path}: the {what} is not a regular file (a named pipe, device or folder); give a file")
        if info.st_size > limit:
            raise AtlasError(
                f"{path}: the {what} is {info.st_size:,} bytes, more than the {limit:,} read; is this the right file?"
            )
        with os.fdopen(handle, "rb", closefd=False) as stream:
            content: bytes = stream.read(limit + 1)
    except OSError as error:
        raise AtlasError(f"{path}: cannot read the {what}: {error.strerror or error}") from None
    finally:
        os.close(handle)
    if len(content) > limit:
        raise AtlasError(f"{path}: the {what} grew past {limit:,} bytes while being read; import again")
    return content


def _listed(raw: dict[str, Any], key: str) -> list[Any]:
    value = raw.get(key) or []
    if not isinstance(value, list):
        raise TypeError(f"'{key}' should be a list (lines starting with '- '), not {_shown(value)}")
    if key in ("corrections", "repairs") and not all(isinstance(item, dict) for item in value):
        raise TypeError(f"each entry of '{key}' should be a group of fields with its 'line'")
    return value


def _mapping(raw: dict[str, Any], key: str) -> dict[Any, Any]:
    value = raw.get(key) or {}
    if not isinstance(value, dict):
        raise TypeError(f"'{key}' should be a group of fields (name: value), not {_shown(value)}")
    return value


def _shown(value: Any) -> str:
    return f"'{value}'" if not isinstance(value, list | dict) else ("a list" if isinstance(value, list) else "a group")


def _settings_problem(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"the field '{error.args[0]}' is missing"
    return str(error)


def import_usgs_mcs(
    release_file: Path, data_dir: Path, settings_file: Path | None = None, allow_removals: bool = False
) -> ImportReport:
    """Write the release's figures into `data_dir/observations/`, or raise DataError and write nothing."""
    settings = Settings.read(settings_file or release_file.parent / "import.yaml")
    slug = "usgs-" + settings.edition.lower().replace(" ", "-")
    wrong = id_problem(slug)
    if wrong is not None:
        raise AtlasError(
            f"import.yaml: edition '{settings.edition}' gives the file names '{slug}-<chapter>.yaml', and '{slug}' "
            f"{wrong}; write the edition as letters, digits and spaces, such as MCS 2026"
        )
    problems = Problems()
    display = release_file.name
    chapters = _read_chapters(release_file, display, settings, problems)
    if problems.errors:
        raise DataError(problems.errors)
    files = {
        f"{slug}-{_slug(chapter)}.yaml": _record_text(chapter, rows, settings) for chapter, rows in chapters.items()
    }
    return _write(data_dir / FOLDER, slug, files, sum(len(rows) for rows in chapters.values()), allow_removals)


def _read_chapters(
    release_file: Path, display: str, settings: Settings, problems: Problems
) -> dict[str, list[dict[str, Any]]]:
    """Read every row, checking each; return the figures by chapter, in the file's order."""
    try:
        text = read_regular_file(release_file, RELEASE_LIMIT, "release").decode("cp1252")
    except UnicodeDecodeError as error:
        raise AtlasError(
            f"{release_file}: not a Windows-1252 file (byte {error.start}); is this the release?"
        ) from None
    chapters: dict[str, list[dict[str, Any]]] = {}
    seen: set[int] = set()
    for line, row in _rows(text):
        if line == 1:
            if row != COLUMNS:
                problems.add(display, 1, 1, "", f"the header is not the release's: expected {', '.join(COLUMNS)}")
                return {}
            continue
        seen.add(line)
        figure = _figure(line, row, display, settings, problems)
        if figure is not None:
            chapters.setdefault(row[0], []).append(figure)
    for line in sorted({*settings.corrections, *settings.repairs, *settings.unflagged} - seen):
        problems.add("import.yaml", 1, 1, "", f"line {line} of {display} is named but no row starts there")
    return chapters


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each CSV row with the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for row in reader:
        yield start, row
        start = reader.line_num + 1


def _figure(line: int, row: list[str], display: str, settings: Settings, problems: Problems) -> dict[str, Any] | None:
    if len(row) != len(COLUMNS):
        problems.add(
            display,
            line,
            1,
            "",
            f"the row has {len(row)} columns, not {len(COLUMNS)}; fix the file or name the row in import.yaml",
        )
        return None
    values = dict(zip(COLUMNS, (cell.replace("\xa0", " ").strip() for cell in row), strict=True))
    repair = settings.repairs.get(line)
    if repair is not None:
        found = {k: values[k] for k in repair["was"]}
        if found != repair["was"]:
            problems.add(
                display, line, 1, "", f"import.yaml repairs this row but it holds {found}, not {repair['was']}"
            )
            return None
        values.update(repair["now"])
    flag = values["Is critical mineral 2025"]
    if flag not in ("Yes", "No") and not (flag == "" and line in settings.unflagged):
        problems.add(display, line, 1, "Is critical mineral 2025", f"'{flag}' is not Yes or No")
        return None
    if not values["Value"]:
        problems.add(display, line, 1, "Value", "the value is empty")
        return None
    area = values["Country"]
    country = _country(area, settings)
    if country is None and area not in settings.groups:
        problems.add(
            display, line, 1, "Country", f"'{area}' is not a country this importer knows; add it to import.yaml"
        )
        return None
    token = values["Value"]
    correction = settings.corrections.get(line)
    corrected = None
    if correction is not None:
        if token != correction["was"]:
            problems.add(
                display, line, 1, "Value", f"import.yaml corrects '{correction['was']}' but the row holds '{token}'"
            )
            return None
        token = str(correction["value"])
        corrected = {"was": correction["was"], "source": correction["source"], "note": correction["note"]}
    figure: dict[str, Any] = {
        "line": line,
        "section": values["Section"],
        "section_notes": values["Other notes"],
        "commodity": values["Commodity"],
        "area": area,
        "country": country,
        "statistic": values["Statistics"],
        "scope": values["Statistics_detail"],
        "unit": values["Unit"],
        "year": values["Year"],
        "value": token,
        **_numbers(token),
        "estimated": "estimated" in values["Notes"].lower(),
        "notes": values["Notes"] or None,
        "corrected": corrected,
        "critical": {"Yes": True, "No": False}.get(values["Is critical mineral 2025"]),
    }
    return figure


def _country(area: str, settings: Settings) -> str | None:
    if area in settings.countries:
        return settings.countries[area]
    if area in settings.groups:
        return None
    found = pycountry.countries.get(name=area) or pycountry.countries.get(common_name=area)
    return str(found.alpha_2) if found is not None else None


def _numbers(token: str) -> dict[str, float]:
    """The number a token states, or the bounds it gives; nothing for W, NA, — and words."""
    if _NUMBER.fullmatch(token):
        return {"number": _float(token)}
    bound = _BOUND.fullmatch(token)
    if bound:
        return {"low" if bound.group(1) == ">" else "high": _float(bound.group(2))}
    span = _RANGE.fullmatch(token)
    if span:
        return {"low": _float(span.group(1)), "high": _float(span.group(2))}
    return {}


def _float(text: str) -> float:
    return float(text.replace(",", ""))


def _slug(chapter: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", chapter.lower()).strip("-")


def _record_text(chapter: str, rows: list[dict[str, Any]], settings: Settings) -> str:
    """The record of one chapter as YAML, one figure a line, every string quoted: the same bytes for the same rows."""
    flags = {r["critical"] for r in rows if r["critical"] is not None}
    lines = [
        HEADER.rstrip("\n"),
        f"release: {settings.release_source}",
        f"edition: {_q(settings.edition)}",
        f"chapter: {_q(chapter)}",
    ]
    if chapter in settings.chapter_sources:
        lines.append(f"chapter_source: {settings.chapter_sources[chapter]}")
    if len(flags) == 1:
        lines.append(f"critical: {'true' if flags.pop() else 'false'}")
    lines.append("sections:")
    sections: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        sections.setdefault(row["section"], []).append(row)
    for name, figures in sections.items():
        lines.append(f"  - name: {_q(name)}")
        if figures[0]["section_notes"]:
            lines.append(f"    notes: {_q(figures[0]['section_notes'])}")
        lines.append("    figures:")
        lines += [f"      - {_flow(f)}" for f in figures]
    lines.append(f"last_verified: {settings.version_day}")
    # A release is reviewed when its next edition comes, a year on.
    lines.append("review_interval_days: 365")
    return "\n".join(lines) + "\n"


_KEYS = ("line", "commodity", "area", "country", "statistic", "scope", "unit", "year", "value", "number", "low", "high")


def _flow(figure: dict[str, Any]) -> str:
    parts = []
    for key in _KEYS:
        value = figure.get(key)
        if value is None:
            continue
        parts.append(f"{key}: {_scalar(value)}")
    if figure["estimated"]:
        parts.append("estimated: true")
    if figure["notes"]:
        parts.append(f"notes: {_q(figure['notes'])}")
    if figure["corrected"]:
        corrected = figure["corrected"]
        parts.append(
            f"corrected: {{was: {_q(corrected['was'])}, source: {corrected['source']}, note: {_q(corrected['note'])}}}"
        )
    return "{" + ", ".join(parts) + "}"


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return _q(str(value))


def _q(text: str) -> str:
    """A double-quoted YAML string (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _write(folder: Path, prefix: str, files: dict[str, str], figures: int, allow_removals: bool) -> ImportReport:
    """Make `folder` hold exactly this release's files (`prefix-*`), leaving every other file alone.

    A file an earlier import wrote for a chapter this release lacks is removed only with `allow_removals`:
    a release cut short would otherwise delete chapters without a word.
    """
    report = ImportReport(figures=figures)
    try:
        existing = {p.name: p for p in folder.glob(f"{prefix}-*.yaml")} if folder.is_dir() else {}
        current = {name: read_regular_file(path, RELEASE_LIMIT, "figure-set file") for name, path in existing.items()}
        for name, path in existing.items():
            if name in files and not _ours(current[name]):
                raise AtlasError(
                    f"{path} was not written by the importer; move it away or delete it, then import again"
                )
        removals = sorted(name for name in set(existing) - set(files) if _ours(current[name]))
        if removals and not allow_removals:
            raise AtlasError(
                f"the release has no figures for {len(removals)} chapter{'s' if len(removals) != 1 else ''} an earlier "
                f"import wrote ({', '.join(removals)}); is the release cut short? If it is whole, import again with "
                "--allow-removals to delete those files"
            )
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in sorted(files.items()):
            path = folder / name
            content = text.encode("utf-8")
            if name in existing:
                if current[name] == content:
                    report.unchanged += 1
                    continue
                report.changed.append(name)
            else:
                report.added.append(name)
            temp = path.with_name(f".{name}.tmp")
            temp.write_bytes(content)
            temp.replace(path)
        for name in removals:
            existing[name].unlink()
            report.removed.append(name)
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        raise AtlasError(
            f"cannot write the figures into {folder}: {error.strerror or error}{where}; fix that, then import again"
        ) from None
    return report


def _ours(content: bytes) -> bool:
    return MARK.encode() in content[: len(HEADER.encode()) + 10]
