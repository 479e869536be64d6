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
    note_corrections: dict[int, dict[str, Any]] = field(default_factory=dict)
    section_note_corrections: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    anomalies: dict[int, dict[str, Any]] = field(default_factory=dict)
    published_shares: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    layout: str = (
        "commodities"  # "commodities": MCS 2026's one long table; "world": earlier editions' wide world tables
    )
    files: str = ""  # for a release in several files (a folder), the pattern of its world tables
    chapters: dict[str, str] = field(default_factory=dict)  # world layout: commodity or file key -> chapter
    units: dict[str, str] = field(default_factory=dict)  # world layout: unit code of a column name -> unit
    areas: dict[str, str] = field(default_factory=dict)  # world layout: area as written -> as MCS 2026 writes it
    review_interval_days: int = 365

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
            note_corrections={int(c["line"]): c for c in _listed(raw, "note_corrections") if "line" in c},
            section_note_corrections={
                (str(c["chapter"]), str(c["section"])): c for c in _listed(raw, "note_corrections") if "section" in c
            },
            anomalies={int(a["line"]): a for a in _listed(raw, "anomalies")},
            published_shares=_by_chapter(_listed(raw, "published_shares")),
            layout=str(raw.get("layout", "commodities")),
            files=str(raw.get("files", "")),
            chapters={str(k): str(v) for k, v in _mapping(raw, "chapters").items()},
            units={str(k): str(v) for k, v in _mapping(raw, "units").items()},
            areas={str(k): str(v) for k, v in _mapping(raw, "areas").items()},
            review_interval_days=int(raw.get("review_interval_days", 365)),
        )


def _by_chapter(entries: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        found.setdefault(str(entry["chapter"]), []).append(entry)
    return found


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
    folder = release_file if release_file.is_dir() else release_file.parent
    settings = Settings.read(settings_file or folder / "import.yaml")
    slug = "usgs-" + settings.edition.lower().replace(" ", "-")
    wrong = id_problem(slug)
    if wrong is not None:
        raise AtlasError(
            f"import.yaml: edition '{settings.edition}' gives the file names '{slug}-<chapter>.yaml', and '{slug}' "
            f"{wrong}; write the edition as letters, digits and spaces, such as MCS 2026"
        )
    problems = Problems()
    display = release_file.name
    if settings.layout == "world":
        sources = sorted(folder.glob(settings.files)) if release_file.is_dir() else [release_file]
        chapters: dict[str, list[dict[str, Any]]] = {}
        for path in sources:
            for chapter, rows in _read_world(path, settings, problems).items():
                chapters.setdefault(chapter, []).extend(rows)
    else:
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
    named = {*settings.corrections, *settings.repairs, *settings.unflagged, *settings.note_corrections}
    for line in sorted((named | set(settings.anomalies)) - seen):
        problems.add("import.yaml", 1, 1, "", f"line {line} of {display} is named but no row starts there")
    sections = {(chapter, f["section"]) for chapter, rows in chapters.items() for f in rows}
    for chapter, section in sorted(set(settings.section_note_corrections) - sections):
        problems.add("import.yaml", 1, 1, "", f"the section '{section}' of {chapter} is named but {display} has none")
    for chapter in sorted(set(settings.published_shares) - set(chapters)):
        problems.add("import.yaml", 1, 1, "", f"published shares are given for {chapter}, a chapter {display} lacks")
    return chapters


# A production or capacity column of an earlier edition's world table: "PROD_EST_ 2024", "Prod_kt_est_2022",
# "Cap_Sponge_t_2023". Reserves columns carry no year in the 2023 and 2024 tables and are not read.
_WORLD_COLUMN = re.compile(
    r"^(?P<stat>prod|cap)(?:_(?P<what>[a-z]+?))??(?:_(?P<unit>t|kt|kg|mmt|mct|mcm|kct|mt))?(?:_(?P<est>est))?_\s*(?P<year>\d{4})$",
    re.IGNORECASE,
)
WORLD_SECTION = "World Production"
_STATISTICS = {"prod": "Production", "cap": "Capacity"}


def _read_world(path: Path, settings: Settings, problems: Problems) -> dict[str, list[dict[str, Any]]]:
    """Read one wide world table of an earlier edition: a row per country, a column per statistic and year."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise AtlasError(f"{path}: cannot read the world table: {error}") from error
    key = path.name.split("-", 1)[-1].removesuffix("_world.csv")
    chapters: dict[str, list[dict[str, Any]]] = {}
    header: list[str] = []
    for line, row in _rows(text):
        if line == 1:
            header = [c.strip() for c in row]
            continue
        values = dict(zip(header, (cell.replace("\xa0", " ").strip() for cell in row), strict=False))
        commodity = values.get("COMMODITY", key)
        chapter = settings.chapters.get(commodity) or settings.chapters.get(key)
        if chapter is None:
            continue
        written = values.get("COUNTRY") or values.get("Country") or ""
        if not written:
            continue  # a blank line of the table
        area, detail = _world_area(written, settings)
        country = _country(area, settings)
        if country is None and area not in settings.groups:
            problems.add(
                path.name,
                line,
                1,
                "Country",
                f"'{written}' is not a country this importer knows; add it to import.yaml",
            )
            continue
        scope = values.get("TYPE") or values.get("Type") or ""
        scope = f"{scope} ({detail})" if detail else scope
        notes = values.get("PROD_NOTES") or values.get("Prod_notes") or values.get("Prod_note") or ""
        for column in header:
            found = _WORLD_COLUMN.match(column)
            token = values.get(column, "")
            if not found or not token:
                continue  # an empty cell is W, NA or — alike in these tables: no figure is read from it
            unit = values.get("UNIT_MEAS") or settings.units.get((found.group("unit") or "").lower(), "")
            chapters.setdefault(chapter, []).append(
                {
                    "line": line,
                    "section": WORLD_SECTION,
                    "section_notes": "",
                    "section_notes_corrected": None,
                    "commodity": commodity.strip() if "COMMODITY" in values else chapter.title(),
                    "area": area,
                    "country": country,
                    "statistic": _STATISTICS[found.group("stat").lower()],
                    "scope": scope,
                    "unit": unit,
                    "year": found.group("year"),
                    "value": token,
                    **_numbers(token),
                    "estimated": bool(found.group("est")) or "estimated" in scope.lower(),
                    "notes": notes or None,
                    "corrected": None,
                    "notes_corrected": None,
                    "anomaly": None,
                    "critical": None,
                    "file": path.name,
                }
            )
    return chapters


def _world_area(written: str, settings: Settings) -> tuple[str, str]:
    """An earlier edition's area as MCS 2026 writes it, and what the table adds to it.

    Footnote marks are glued on ("China6", "World total (rounded)10"), and some rows name a form
    beside the country ("Chile, ulexite", "Russia (recoverable)", "World total (ilmenite, rounded)").
    """
    area = re.sub(r"\d+$", "", written).strip()
    area = settings.areas.get(area, area)
    if _country(area, settings) is not None or area in settings.groups:
        return area, ""
    if area.startswith(WORLD_TOTAL_WORDS):
        return WORLD_TOTAL_WORDS, area.removeprefix(WORLD_TOTAL_WORDS).strip(" ,()")
    for separator in (", ", " ("):
        head, _, rest = area.partition(separator)
        head = settings.areas.get(head, head)
        if rest and _country(head, settings) is not None:
            return head, rest.strip(" ()")
    return area, ""


WORLD_TOTAL_WORDS = "World total"


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
    notes_corrected = None
    fix = settings.note_corrections.get(line)
    if fix is not None:
        if values["Notes"] != fix["was"]:
            problems.add(
                display,
                line,
                1,
                "Notes",
                f"import.yaml corrects the note '{fix['was']}' but the row holds '{values['Notes']}'",
            )
            return None
        values["Notes"] = str(fix["now"])
        notes_corrected = {"was": fix["was"], "source": fix["source"], "note": fix["note"]}
    section_fix = settings.section_note_corrections.get((values["MCS chapter"], values["Section"]))
    section_notes_corrected = None
    if section_fix is not None:
        if values["Other notes"] != section_fix["was"]:
            problems.add(
                display,
                line,
                1,
                "Other notes",
                f"import.yaml corrects the section note '{section_fix['was']}' "
                f"but the row holds '{values['Other notes']}'",
            )
            return None
        values["Other notes"] = str(section_fix["now"])
        section_notes_corrected = {
            "was": section_fix["was"],
            "source": section_fix["source"],
            "note": section_fix["note"],
        }
    anomaly = settings.anomalies.get(line)
    if anomaly is not None and values["Value"] != anomaly["value"]:
        problems.add(
            display, line, 1, "Value", f"import.yaml flags '{anomaly['value']}' but the row holds '{values['Value']}'"
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
        "notes_corrected": notes_corrected,
        "section_notes_corrected": section_notes_corrected,
        "anomaly": (
            {"note": anomaly["note"], "evidence": anomaly["evidence"], "source": anomaly["source"]} if anomaly else None
        ),
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
    named = sorted({r["file"] for r in rows if r.get("file")})
    if named:
        lines.append(f"release_file: {_q(', '.join(named))}")
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
        if figures[0]["section_notes_corrected"]:
            lines.append(f"    notes_corrected: {_correction(figures[0]['section_notes_corrected'])}")
        lines.append("    figures:")
        lines += [f"      - {_flow(f)}" for f in figures]
    shares = settings.published_shares.get(chapter, [])
    if shares:
        lines.append("published_shares:")
        for share in shares:
            parts = [f"{key}: {_scalar(share[key])}" for key in ("statistic", "year", "country", "percent", "quote")]
            lines.append("  - {" + ", ".join(parts) + f", source: {share['source']}}}")
    lines.append(f"last_verified: {settings.version_day}")
    # A release is reviewed when its next edition comes, a year on; import.yaml says otherwise for earlier editions.
    lines.append(f"review_interval_days: {settings.review_interval_days}")
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
        parts.append(f"corrected: {_correction(figure['corrected'])}")
    if figure["notes_corrected"]:
        parts.append(f"notes_corrected: {_correction(figure['notes_corrected'])}")
    if figure["anomaly"]:
        anomaly = figure["anomaly"]
        said = f"note: {_q(anomaly['note'])}, evidence: {_q(anomaly['evidence'])}"
        parts.append(f"anomaly: {{{said}, source: {anomaly['source']}}}")
    return "{" + ", ".join(parts) + "}"


def _correction(corrected: dict[str, Any]) -> str:
    return f"{{was: {_q(corrected['was'])}, source: {corrected['source']}, note: {_q(corrected['note'])}}}"


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
