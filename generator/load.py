"""Load stage: read `data/<collection>/<id>.yaml` into plain documents that remember where each value stood.

Every scalar is kept as the text the editor wrote; the models decide what it means. This
sidesteps YAML 1.1's guesses (`NO` read as false, `0123` as 83, `2025-02-30` as a crash) and
lets the validate stage explain them instead.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .core.documents import Document, FieldPath, dotted
from .core.models import id_problem
from .core.problems import Problem, Problems
from .core.progress import QUIET, Progress

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - libyaml is in every PyYAML wheel
    from yaml import SafeLoader  # type: ignore[assignment]

TAG_PREFIX = "tag:yaml.org,2002:"
PLAIN_TAGS = {TAG_PREFIX + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
COLLECTION_TAGS = {TAG_PREFIX + "map", TAG_PREFIX + "seq"}
NULL_TAG = TAG_PREFIX + "null"
STR_TAG = TAG_PREFIX + "str"
# YAML 1.2 (the version editors' schema tools speak) reads these as numbers, where YAML 1.1 sees text.
YAML12_NUMBER = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^0o[0-7]+$|^0x[0-9a-fA-F]+$")
# Plain words that YAML 1.2 reads as a boolean or null.
YAML12_WORDS = {"true", "false", "null", "~"}
# The largest record file read; the biggest real record is a small fraction of this.
MAX_RECORD_BYTES = 2_000_000
# The deepest nesting of fields read; the deepest real field (sections[0].figures[0].corrected.note) is 5 levels.
MAX_NESTING = 32
# Control characters (Unicode category Cc) other than tab and line breaks, which quoted text may hold as escapes.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass
class Loaded:
    """What the load stage found: parsed documents, problems, and the id of every record file present."""

    documents: list[Document] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    present: set[tuple[str, str]] = field(default_factory=set)


@dataclass
class ParseCache:
    """Parsed files by path, reused while their size and modification time stay the same (for the live preview)."""

    entries: dict[str, tuple[tuple[int, int], Document | None, list[Problem]]] = field(default_factory=dict)

    def parse(self, path: Path, collection: str, display: str) -> tuple[Document | None, list[Problem]]:
        try:
            info = path.stat()
        except OSError:
            # Not cached: load_document reports why the file cannot be read.
            found = Problems()
            return load_document(path, collection, display, found), found.items
        stamp = (info.st_size, info.st_mtime_ns)
        cached = self.entries.get(str(path))
        if cached is not None and cached[0] == stamp:
            return cached[1], cached[2]
        found = Problems()
        document = load_document(path, collection, display, found)
        self.entries[str(path)] = (stamp, document, found.items)
        return document, found.items


def load_data(
    data_dir: Path,
    collections: list[str],
    root: Path | None = None,
    progress: Progress = QUIET,
    cache: ParseCache | None = None,
) -> Loaded:
    """Read every record file under `data_dir`, in sorted order (reusing `cache` for unchanged files)."""
    loaded = Loaded()
    problems, documents = loaded.problems, loaded.documents
    known = sorted(collections)
    if not data_dir.is_dir():
        problems.add(_display(data_dir, root), 0, 0, "", "data folder not found")
        return loaded
    for entry in _listed(data_dir, root, problems):
        if entry.name.startswith("."):
            continue
        if not entry.is_dir() or entry.name not in known:
            problems.add(
                _display(entry, root), 0, 0, "", f"not a collection; data/ holds only the folders {', '.join(known)}"
            )
    files = [
        (collection, path)
        for collection in known
        if (data_dir / collection).is_dir()
        for path in _listed(data_dir / collection, root, problems)
        if not path.name.startswith(".")
    ]
    inside = data_dir.resolve()
    with progress.stage("load", len(files)):
        for collection, path in files:
            if path.suffix == ".yaml":
                loaded.present.add((collection, path.stem))
            target = _followed(path)
            if target is None:
                problems.add(
                    _display(path, root),
                    0,
                    0,
                    "",
                    "a link that cannot be followed (it loops, or leads nowhere readable); replace it with the file",
                )
                progress.step()
                continue
            if not target.is_relative_to(inside):
                problems.add(_display(path, root), 0, 0, "", "a link to a file outside data/; copy the file in instead")
                progress.step()
                continue
            if cache is None:
                document = load_document(path, collection, _display(path, root), problems)
            else:
                document, found = cache.parse(path, collection, _display(path, root))
                problems.items.extend(found)
            if document is not None:
                documents.append(document)
            progress.step()
    return loaded


def _listed(folder: Path, root: Path | None, problems: Problems) -> list[Path]:
    """The entries of `folder`, sorted; none, and a problem naming it, when it cannot be listed."""
    try:
        return sorted(folder.iterdir())
    except OSError as error:
        problems.add(
            _display(folder, root),
            0,
            0,
            "",
            f"cannot list this folder: {error.strerror or error}; make it readable (chmod u+rx)",
        )
        return []


def _followed(path: Path) -> Path | None:
    """Where `path` leads once every link is followed, or None for a link that loops."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: Python before 3.13 reports a loop so
        return None


def load_document(path: Path, collection: str, display: str, problems: Problems) -> Document | None:
    """Parse one record file; report what is wrong with it to `problems`."""
    if path.suffix != ".yaml" or path.is_dir():
        hint = f" (rename it to {path.stem}.yaml)" if path.suffix == ".yml" else ""
        problems.add(display, 0, 0, "", f"not a record file: records are <id>.yaml{hint}")
        return None
    record_id = path.stem
    wrong = id_problem(record_id)
    if wrong is not None:
        problems.add(display, 1, 1, "", f"file name '{record_id}' {wrong}")
        return None
    raw = _read_record(path, display, problems)
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        col = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        problems.add(
            display,
            line,
            col,
            "",
            f"the file is not UTF-8 (byte 0x{raw[error.start]:02x}); save it with UTF-8 encoding",
        )
        return None
    for number, line_text in enumerate(text.splitlines(), start=1):
        indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
        if "\t" in indent:
            problems.add(
                display, number, indent.index("\t") + 1, "", "tab character in indentation; indent with spaces"
            )
            return None
    try:
        node = yaml.compose(text, Loader=SafeLoader)
    except yaml.reader.ReaderError as error:
        # The reader stops at the first character it refuses, so that character's first occurrence is where.
        where = text.find(chr(error.character))
        line = text.count("\n", 0, where) + 1
        col = where - (text.rfind("\n", 0, where) + 1) + 1
        message = f"the control character U+{error.character:04X} is not allowed in a record file; remove it"
        problems.add(display, line, col, "", message)
        return None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.add(display, line, col, "", f"YAML syntax error: {error.problem or error}")
        return None
    except yaml.YAMLError as error:
        problems.add(display, 1, 1, "", f"YAML syntax error: {error}")
        return None
    if node is None:
        problems.add(
            display, 1, 1, "", "the file is empty; a record is a mapping of fields (run `atlas new` for a skeleton)"
        )
        return None
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        problems.add(display, line, col, "", f"the file holds {kind}; a record is a mapping of fields (`name: ...`)")
        return None
    builder = _Builder(display, problems, text)
    data = builder.build(node, ())
    if builder.failed:
        return None
    return Document(collection, record_id, display, data, builder.positions, builder.values, builder.typed_plain)


def _read_record(path: Path, display: str, problems: Problems) -> bytes | None:
    """Return the bytes of a record file; report a file that is not a regular one, or too big to be a record."""
    try:
        # Checked before opening: opening a FIFO would wait for a writer, reading a device might never end.
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            problems.add(display, 0, 0, "", "not a regular file; a record is a YAML file")
            return None
        if info.st_size > MAX_RECORD_BYTES:
            problems.add(display, 0, 0, "", _too_big(info.st_size))
            return None
        with path.open("rb") as file:
            raw = file.read(MAX_RECORD_BYTES + 1)
            if len(raw) > MAX_RECORD_BYTES:  # it grew after it was checked
                problems.add(display, 0, 0, "", _too_big(max(os.fstat(file.fileno()).st_size, len(raw))))
                return None
    except OSError as error:
        problems.add(display, 0, 0, "", f"cannot be read: {error.strerror or error}")
        return None
    return raw


def _too_big(size: int) -> str:
    return f"the file is {size:,} bytes; a record is at most {MAX_RECORD_BYTES:,} bytes"


class _Builder:
    """Turn a composed node tree into plain Python values, recording positions."""

    def __init__(self, display: str, problems: Problems, text: str) -> None:
        self.display = display
        self.problems = problems
        self.text = text
        self.positions: dict[FieldPath, tuple[int, int]] = {(): (1, 1)}
        self.typed_plain: dict[FieldPath, str] = {}
        self.values: dict[FieldPath, tuple[int, int]] = {}
        self.seen: set[int] = set()
        self.too_deep: set[FieldPath] = set()
        self.failed = False

    def error(self, node: yaml.Node, path: FieldPath, message: str) -> None:
        self.failed = True
        line, col = self.positions.get(path) or (node.start_mark.line + 1, node.start_mark.column + 1)
        self.problems.add(self.display, line, col, dotted(path), message)

    def build(self, node: yaml.Node, path: FieldPath) -> Any:
        if len(path) > MAX_NESTING:
            # Reported once, at the top-level field: the path down to here would be MAX_NESTING levels long.
            if path[:1] not in self.too_deep:
                self.too_deep.add(path[:1])
                message = f"nested more than {MAX_NESTING} levels deep; no field of a record nests so deep"
                self.error(node, path[:1], message)
            return None
        if id(node) in self.seen:
            # An alias is the very node it names, which stands at the anchor: report it at the field holding it.
            field = path[: max((i for i, part in enumerate(path) if isinstance(part, str)), default=-1) + 1]
            self.failed = True
            message = "anchors and aliases (&name, *name) are not allowed; write the value out"
            self.problems.add(self.display, *self.positions.get(field, (1, 1)), dotted(path), message)
            return None
        self.seen.add(id(node))
        if node.tag not in PLAIN_TAGS | COLLECTION_TAGS:
            self.error(node, path, f"YAML tag '{node.tag}' is not allowed; remove it")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.positions[path + (index,)] = (item.start_mark.line + 1, item.start_mark.column + 1)
                items.append(self.build(item, path + (index,)))
            return items
        assert isinstance(node, yaml.ScalarNode)
        self.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        control = CONTROL.search(node.value)
        if control is not None:
            self.failed = True
            written = node.value if len(node.value) <= 40 else node.value[:37] + "..."
            message = f"'{written}' holds the control character U+{ord(control.group()):04X}; remove it"
            self.problems.add(self.display, *self.values[path], dotted(path), message)
            return None
        plain = not node.style
        if plain and node.tag == NULL_TAG:
            return None
        if plain:
            if node.tag != STR_TAG:
                self.typed_plain[path] = node.tag.removeprefix(TAG_PREFIX)
            elif YAML12_NUMBER.match(node.value):
                self.typed_plain[path] = "float"
        return node.value

    @staticmethod
    def _is_word(key: yaml.Node) -> bool:
        """Tell whether a key is text: not a list or mapping, and not what YAML reads as a number, boolean or null."""
        if not isinstance(key, yaml.ScalarNode) or key.tag != STR_TAG:
            return False
        return bool(key.style) or not (YAML12_NUMBER.match(key.value) or key.value.lower() in YAML12_WORDS)

    def _source(self, node: yaml.Node) -> str:
        """Return a node as written, on one line and cut short."""
        written = " ".join(self.text[node.start_mark.index : node.end_mark.index].split()) or "(nothing)"
        return written if len(written) <= 40 else written[:37] + "..."

    def _mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not self._is_word(key_node):
                self.failed = True
                line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                message = f"field names must be plain words, not '{self._source(key_node)}'"
                self.problems.add(self.display, line, col, dotted(path), message)
                continue
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in result:
                self.failed = True
                message = f"duplicate field '{key}' (first written on line {first_line[key]}); keep one"
                self.problems.add(self.display, line, key_node.start_mark.column + 1, dotted(path + (key,)), message)
                continue
            first_line[key] = line
            self.positions[path + (key,)] = (line, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, path + (key,))
        return result


def _display(path: Path, root: Path | None) -> str:
    # A link is shown where it stands, not where it points.
    if root is not None:
        for base in (root, root.resolve()):
            try:
                return path.relative_to(base).as_posix()
            except ValueError:
                pass
    return path.as_posix()
