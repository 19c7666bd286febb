"""How long the texts and how big the lists of a file's data are (SPEC rule 12's limits).

The size rules of :mod:`generator.validation` look only at texts longer than the shortest
limit and at lists or mappings holding more items than the smallest limit.  Finding them
means walking every value of every file (a million values at 5,000 roles), so the walk's
result is plain data that :mod:`generator.yaml_cache` keeps beside a role file's parsed
data: a role file read again unchanged is not walked again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.yaml_loader import Location

ID_MAX_LENGTH = 64
"""Ids become web addresses and file names (``maps/<role>.pdf``), so they stay short."""
NAME_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 2_000
"""A sentence: a level's behaviour, a criterion, a policy, a statement, an example."""
MARKDOWN_MAX_LENGTH = 20_000
"""A Markdown field: a description or summary of a few pages at most."""
LIST_MAX_ITEMS: dict[str, int] = {
    "aliases": 50, "next": 100, "lateral": 100, "criteria": 100, "maintain": 100,
    "requirements": 100, "responsibilities": 100, "statements": 50, "examples": 50,
    "develop": 50, "steps": 100, "levels": 20, "scale": 20, "tiers": 100, "tracks": 200,
    "categories": 200, "zones": 100, "metrics": 500, "policies": 500, "competencies": 2_000,
    "retired": 10_000, "bands": 10_000,
}
"""The most items a list (or mapping) may hold, far above any real framework."""
DEFAULT_MAX_ITEMS = 1_000

_SHORTEST_TEXT_LIMIT = min(ID_MAX_LENGTH, NAME_MAX_LENGTH, TEXT_MAX_LENGTH, MARKDOWN_MAX_LENGTH)
_FEWEST_ITEMS_LIMIT = min(*LIST_MAX_ITEMS.values(), DEFAULT_MAX_ITEMS)


@dataclass
class SizeCandidates:
    """What the size rules look at in one file: its texts longer than the shortest limit
    (location, naming key, length) and its lists and mappings holding more items than the
    smallest limit (location, number of items).  ``notes`` are left out (never published)."""

    texts: list[tuple[Location, str, int]] = field(default_factory=list)
    collections: list[tuple[Location, int]] = field(default_factory=list)

    def to_plain(self) -> tuple[Any, ...]:
        """Values :mod:`marshal` keeps."""
        return tuple(self.texts), tuple(self.collections)

    @classmethod
    def from_plain(cls, plain: Any) -> SizeCandidates | None:
        """The candidates :meth:`to_plain` made, or None if ``plain`` is not that shape."""
        if not (isinstance(plain, tuple) and len(plain) == 2
                and all(isinstance(part, tuple) for part in plain)):
            return None
        return cls(list(plain[0]), list(plain[1]))


def size_candidates(data: object) -> SizeCandidates:
    """The size rules' candidates in ``data`` (a file's plain data), found in one walk."""
    found = SizeCandidates()
    _walk(data, [], found)
    return found


def value_at(data: object, location: Location) -> object:
    """The value of ``data`` at ``location``."""
    for part in location:
        data = data[part]  # type: ignore[index]
    return data


def _walk(data: object, location: list[Any], found: SizeCandidates, key: str = "") -> None:
    """Walk ``data`` (at ``location``, named by ``key``: the nearest mapping key above)."""
    if isinstance(data, dict):
        items: Iterable[tuple[Any, object]] = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        if isinstance(data, str) and len(data) > _SHORTEST_TEXT_LIMIT:
            found.texts.append((tuple(location), key, len(data)))
        return
    if len(data) > _FEWEST_ITEMS_LIMIT:
        found.collections.append((tuple(location), len(data)))
    in_mapping = isinstance(data, dict)
    for part, value in items:
        if in_mapping and part == "notes":
            continue
        if type(value) is str and len(value) <= _SHORTEST_TEXT_LIMIT:
            continue
        if type(value) in (int, float, bool) or value is None:
            continue
        location.append(part)
        _walk(value, location, found, part if isinstance(part, str) else key)
        location.pop()
