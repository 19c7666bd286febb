"""Reading what can still be read from a file with mistakes.

A role file with one wrong value, or a ``framework.yaml`` with an unquoted version, is
still worth checking: its other fields name tracks, tiers, competencies and roles that
other rules check. :func:`salvage` leaves out the smallest part around each problem
(an optional key, an entry of a mapping, an item of a list) or, for a required text,
puts :data:`~generator.model.UNREADABLE` in its place, and validates the rest. The
problems themselves are reported once, by the loader, from the first validation.
"""

from __future__ import annotations

import copy
import difflib
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from generator.model import UNREADABLE, Metric, Track, original_location
from generator.yaml_loader import Location

ROUNDS = 4
"""Validations tried before giving up (each may reveal a problem the last one hid)."""

_PLACEHOLDERS: dict[tuple[type[BaseModel], str], str] = {
    (Track, "kind"): "shared",  # parity checks ignore shared tracks: no false warning
    (Metric, "unit"): "number",  # no bounds to check against
}


@dataclass(frozen=True)
class Salvaged:
    """What could be read: the model, the lists shortened (list location -> original
    index of each item kept), and the top-level keys that lost something."""

    value: Any
    kept: dict[Location, tuple[int, ...]]
    touched: frozenset[str]


class _Removed:
    """Marks a list item left out (its neighbours keep their original indices until the
    data is compacted)."""


_REMOVED = _Removed()


def salvage(model: Any, data: Any, errors: list[Any]) -> Salvaged | None:
    """``data`` validated as ``model`` without the parts ``errors`` point at; None when
    nothing usable is left (the whole file is the wrong kind of value, say)."""
    working = copy.deepcopy(data)
    touched: set[str] = set()
    for _ in range(ROUNDS):
        for error in errors:
            if not _leave_out(model, working, _plain_location(error), touched):
                return None
        compact, kept = _compacted(working, ())
        try:
            value = _validate(model, compact)
        except ValidationError as exc:
            errors = [{**error, "loc": original_location(tuple(error["loc"]), kept)}
                      for error in exc.errors()]
            continue
        return Salvaged(value, kept, frozenset(touched))
    return None


def model_at(model: Any, location: Location) -> type[BaseModel] | None:
    """The pydantic model that describes the mapping at ``location`` of data validated as
    ``model`` (a model class or a ``TypeAdapter`` of a list of models); None when the
    value there is a list or a plain mapping."""
    if isinstance(model, TypeAdapter):
        items = typing.get_args(getattr(model, "_type", None))  # list[Item] -> (Item,)
        return model_at(items[0], location[1:]) if location and items else None
    if not isinstance(model, type) or not issubclass(model, BaseModel):
        return None
    if not location:
        return model
    info = model.model_fields.get(str(location[0]))
    if info is None:
        return None
    annotation, rest = info.annotation, location[1:]
    while True:
        origin = typing.get_origin(annotation)
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if origin in (list, dict) and rest:
            annotation, rest = args[-1], rest[1:]
        elif args and origin not in (list, dict):
            annotation = args[0]
        else:
            return model_at(annotation, rest)


def _validate(model: Any, data: Any) -> Any:
    if isinstance(model, TypeAdapter):
        return model.validate_python(data)
    return model.model_validate(data)


def _plain_location(error: Any) -> Location:
    """The error's location in the data (without pydantic's union and key markers)."""
    location = tuple(part for part in error["loc"]
                     if not (isinstance(part, str) and part in ("int", "float")))
    return location[:-1] if location and location[-1] == "[key]" else location


def _leave_out(model: Any, data: Any, location: Location, touched: set[str]) -> bool:
    """Leave out (or stand in for) the smallest part of ``data`` around ``location``."""
    for cut in range(len(location), 0, -1):
        place = location[:cut]
        container = _at(data, place[:-1])
        last = place[-1]
        if isinstance(container, list) and isinstance(last, int) and last < len(container):
            container[last] = _REMOVED
        elif isinstance(container, dict):
            if not _leave_out_key(model_at(model, place[:-1]), container, last, place):
                continue
        else:
            continue
        touched.update(_keys_touched(model, location))
        return True
    return False


def _keys_touched(model: Any, location: Location) -> set[str]:
    """The top-level key of ``location``; for an unknown key (a typo such as 'nxt'), also
    the keys it may stand for, since what they hold was not read either."""
    key = str(location[0])
    owner = model_at(model, ())
    if owner is None or key in owner.model_fields:
        return {key}
    return {key, *difflib.get_close_matches(key, list(owner.model_fields), n=3, cutoff=0.6)}


def _leave_out_key(owner: type[BaseModel] | None, mapping: dict, key: Any,
                   place: Location) -> bool:
    """Drop ``key`` of ``mapping`` (or stand in for it); False if the mapping itself has to
    go (a required value that nothing can stand in for)."""
    if owner is None:  # a plain mapping: competency -> level, level number -> level
        if len(place) >= 2 and place[-2] == "levels":
            mapping[key] = {"text": UNREADABLE}  # keeps the numbering 1..n
        else:
            mapping.pop(key, None)
        return True
    info = owner.model_fields.get(str(key))
    if info is None or not info.is_required():
        mapping.pop(key, None)
        return True
    if info.annotation is str and key != "id":
        mapping[key] = UNREADABLE
        return True
    placeholder = _PLACEHOLDERS.get((owner, str(key)))
    if placeholder is not None:
        mapping[key] = placeholder
        return True
    return False


def _at(data: Any, location: Location) -> Any:
    for part in location:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
        if data is _REMOVED:
            return None
    return data


def _compacted(data: Any, location: Location) -> tuple[Any, dict[Location, tuple[int, ...]]]:
    """``data`` without the removed list items, and the original index of each kept item
    of every shortened list."""
    kept: dict[Location, tuple[int, ...]] = {}
    if isinstance(data, dict):
        result: Any = {}
        for key, value in data.items():
            result[key], inner = _compacted(value, (*location, key))
            kept |= inner
        return result, kept
    if isinstance(data, list):
        indices = tuple(index for index, item in enumerate(data) if item is not _REMOVED)
        if len(indices) != len(data):
            kept[location] = indices
        items = []
        for index in indices:
            item, inner = _compacted(data[index], (*location, index))
            items.append(item)
            kept |= inner
        return items, kept
    return data, kept
