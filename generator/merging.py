"""Definitions shared by several frameworks: a ``frameworks/_<name>/`` folder used through
``extends`` (SPEC.md 1.1).

:func:`merge_shared` puts the shared folder's entries first and the framework's own after
them, and records where each entry is written (:class:`~generator.model.SourceMap`) so
that every message names the file the problem is in. An id defined in both places, or a
single value set in both, is a :class:`Collision` (never a silent override); the
framework's duplicate is left out so that it is reported once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.model import (
    Competency,
    FrameworkSpec,
    SalaryFile,
    SharedSpec,
    SourceFile,
    SourceMap,
)
from generator.yaml_loader import Location

FRAMEWORK_FILE = "framework.yaml"
COMPETENCIES_FILE = "competencies.yaml"
SALARY_FILE = "salary.yaml"

MERGED_LISTS: dict[str, Callable[[Any], str]] = {
    "tiers": lambda item: item.id,
    "tracks": lambda item: item.id,
    "metrics": lambda item: item.id,
    "policies": lambda item: item.id,
    "categories": lambda item: item.name,
}
"""The lists of framework.yaml a shared folder may add to, and what names an entry."""
SINGLE_VALUES = ("organisation", "currency", "tier_label", "advancement", "scale")
"""The values of framework.yaml that the shared folder or the framework may set, not both."""
_KINDS = {"tiers": "tier", "tracks": "track", "metrics": "metric", "policies": "policy",
          "categories": "category", "zones": "zone", "": "competency"}


def shared_file(shared_id: str, name: str) -> str:
    """The key of a shared folder's file in :attr:`Framework.files`: ``_company/salary.yaml``."""
    return f"{shared_id}/{name}"


@dataclass
class SharedDefinitions:
    """A shared folder as loaded: each file's content (None when absent or unreadable)."""

    id: str
    root: Path
    spec: SharedSpec | None = None
    competencies: list[Competency] | None = None
    salary: SalaryFile | None = None
    files: dict[str, SourceFile] = field(default_factory=dict)
    incomplete: dict[str, frozenset[str]] = field(default_factory=dict)
    """Files read only in part: file key -> the top-level keys that lost something."""


@dataclass(frozen=True)
class Collision:
    """An id or single value defined both in the shared folder and in the framework."""

    file: str
    location: Location
    message: str
    at_key: bool = False


@dataclass
class Merged:
    """A framework's definitions merged with its shared folder's."""

    spec: FrameworkSpec
    competencies: list[Competency]
    salary: SalaryFile | None
    sources: SourceMap
    collisions: list[Collision]


def merge_shared(spec: FrameworkSpec, competencies: list[Competency] | None,
                 salary: SalaryFile | None, shared: SharedDefinitions) -> Merged:
    """The framework's ``spec``, ``competencies`` and ``salary`` with ``shared``'s first."""
    merger = _Merger(shared)
    shared_spec = shared.spec or SharedSpec()
    updates: dict[str, Any] = {}
    for list_name, name_of in MERGED_LISTS.items():
        updates[list_name] = merger.merge_list(
            FRAMEWORK_FILE, (list_name,), getattr(shared_spec, list_name),
            getattr(spec, list_name), name_of, _KINDS[list_name], FRAMEWORK_FILE)
    for value_name in SINGLE_VALUES:
        updates[value_name] = merger.single_value(FRAMEWORK_FILE, value_name, shared_spec, spec,
                                                  FRAMEWORK_FILE)
    merged_competencies = merger.merge_list(
        COMPETENCIES_FILE, (), shared.competencies or [], competencies or [],
        lambda item: item.id, _KINDS[""], COMPETENCIES_FILE)
    return Merged(spec.model_copy(update=updates), merged_competencies,
                  merger.merge_salary(salary, shared.salary), merger.sources, merger.collisions)


class _Merger:
    def __init__(self, shared: SharedDefinitions) -> None:
        self.shared = shared
        self.sources = SourceMap()
        self.collisions: list[Collision] = []

    def merge_list(self, file: str, location: Location, shared_items: Sequence[Any],
                   own_items: Sequence[Any], name_of: Callable[[Any], str], kind: str,
                   shared_name: str) -> list[Any]:
        """Shared items, then the framework's own that do not collide with one of them."""
        shared_key = shared_file(self.shared.id, shared_name)
        defined = {name_of(item): index for index, item in enumerate(shared_items)}
        merged = list(shared_items)
        origins: list[tuple[str, Location]] = [(shared_key, (*location, index))
                                               for index in range(len(shared_items))]
        for index, item in enumerate(own_items):
            name = name_of(item)
            if name in defined:
                place = self._where(shared_key, (*location, defined[name]))
                what = "name" if kind == "category" else "id"
                self.collisions.append(Collision(
                    file, (*location, index, what),
                    f"the {kind} {what} '{name}' is already defined in the shared folder "
                    f"({place}); a {kind} is defined in one place only: remove it here, or "
                    f"give it another {what}"))
                continue
            merged.append(item)
            origins.append((file, (*location, index)))
        if shared_items:
            self.sources.items[(file, location)] = origins
        return merged

    def single_value(self, file: str, name: str, shared: BaseModel, own: BaseModel,
                     shared_name: str) -> Any:
        """The value set in one of the two files (the shared one's, when both set it: that
        is reported)."""
        if name not in shared.model_fields_set:
            return getattr(own, name)
        shared_key = shared_file(self.shared.id, shared_name)
        self.sources.values[(file, name)] = shared_key
        if name in own.model_fields_set:
            place = self._where(shared_key, (name,), key=True)
            self.collisions.append(Collision(
                file, (name,),
                f"'{name}' is already set in the shared folder ({place}); set it in one place "
                "only (remove it here, or there)", at_key=True))
        return getattr(shared, name)

    def merge_salary(self, own: SalaryFile | None,
                     shared: SalaryFile | None) -> SalaryFile | None:
        """The bands and zones of both files; ``visibility`` set in one of them."""
        if shared is None:
            return own
        if own is None:
            own = SalaryFile()
        bands = self.merge_list(SALARY_FILE, ("bands",), shared.bands, own.bands,
                                lambda band: f"{id(band)}", "band", SALARY_FILE)
        zones = self.merge_list(SALARY_FILE, ("zones",), shared.zones, own.zones,
                                lambda zone: zone.id, _KINDS["zones"], SALARY_FILE)
        visibility = self.single_value(SALARY_FILE, "visibility", shared, own, SALARY_FILE)
        return own.model_copy(update={"bands": bands, "zones": zones, "visibility": visibility})

    def _where(self, file_key: str, location: Location, *, key: bool = False) -> str:
        """``path:line`` of ``location`` in a shared file, for messages."""
        source = self.shared.files.get(file_key)
        if source is None:
            return file_key
        position = source.position(location, key=key)
        return f"{source.display}:{position.line}"
