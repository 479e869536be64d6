"""Who refers to whom: one index of every reference between records, gathered once while validation checks them.

A reference is a field the model marks with `Ref` (`minerals: [gallium]`, `relations[0].policy`)
or an inline citation (`[@usgs-gallium]`). Every backlink on the site ("cited by", "measures of
this mineral", "measures acting on this one") is a question put to this index, for every
collection, registered ones included.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .documents import FieldPath

Key = tuple[str, str]  # (collection, record id)


@dataclass(frozen=True)
class Reference:
    """One record naming another: where (`path`, a field path of the referring record) and whom."""

    collection: str
    id: str
    path: FieldPath
    target_collection: str
    target_id: str

    @property
    def source(self) -> Key:
        return (self.collection, self.id)

    @property
    def target(self) -> Key:
        return (self.target_collection, self.target_id)


@dataclass
class References:
    """Every reference, by the record named and by the record naming."""

    _to: dict[Key, list[Reference]] = field(default_factory=dict)
    _from: dict[Key, list[Reference]] = field(default_factory=dict)

    def add(self, reference: Reference) -> None:
        self._to.setdefault(reference.target, []).append(reference)
        self._from.setdefault(reference.source, []).append(reference)

    def to(self, collection: str, record_id: str, by: str | None = None) -> list[Reference]:
        """The references naming a record, from records of `by` (any collection when None), in a stable order."""
        found = [r for r in self._to.get((collection, record_id), []) if by is None or r.collection == by]
        return sorted(found, key=lambda r: (r.collection, r.id, _sortable(r.path)))

    def referring(self, collection: str, record_id: str, by: str | None = None) -> list[Key]:
        """The records naming a record, each once, sorted."""
        return sorted({r.source for r in self.to(collection, record_id, by)})

    def named_by(self, collection: str, record_id: str, of: str) -> list[str]:
        """The ids of `of` records that a record names, each once, in the order it names them."""
        found = [r.target_id for r in self._from.get((collection, record_id), []) if r.target_collection == of]
        return list(dict.fromkeys(found))

    def linked(self, collection: str, record_id: str, other: str) -> list[str]:
        """The ids of `other` records linked to a record either way: naming it, or named by it; sorted."""
        naming = (i for c, i in self.referring(collection, record_id, other))
        return sorted({*naming, *self.named_by(collection, record_id, other)})

    def targets(self, collection: str) -> list[Key]:
        """Every record of `collection` that some record names, sorted."""
        return sorted(key for key in self._to if key[0] == collection)


def _sortable(path: FieldPath) -> tuple[tuple[int, str], ...]:
    return tuple((part, "") if isinstance(part, int) else (-1, part) for part in path)
