"""What each audience may see: the public view of a framework drops everything internal.

Every renderer of a public build works from :func:`public_view`, so internal
``notes:`` and internal pay bands cannot leak even through a template mistake.
"""

from __future__ import annotations

import dataclasses
import weakref
from typing import Any

from pydantic import BaseModel

from generator.model import Framework

_PUBLIC_VIEWS: weakref.WeakValueDictionary[int, Framework] = weakref.WeakValueDictionary()
"""The public views made so far (by id), so that a view is never made twice."""


def public_view(framework: Framework) -> Framework:
    """A copy of ``framework`` without ``notes`` anywhere, without internal pay and without
    the files as read (which hold the notes too). A public view is returned as it is, so a
    build makes each view once however many renderers ask for it."""
    if is_public_view(framework):
        return framework
    salary = framework.salary if framework.pay_is_public else None
    view = dataclasses.replace(
        framework,
        spec=_without_notes(framework.spec),
        competencies=[_without_notes(competency) for competency in framework.competencies],
        salary=_without_notes(salary) if salary is not None else None,
        roles={role_id: _without_notes(role) for role_id, role in framework.roles.items()},
        files={},
    )
    _PUBLIC_VIEWS[id(view)] = view
    return view


def is_public_view(framework: Framework) -> bool:
    """True for a framework made by :func:`public_view`."""
    return _PUBLIC_VIEWS.get(id(framework)) is framework


_PLAIN = (str, int, float, bool, type(None))
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _without_notes(value: Any) -> Any:
    """``value`` with every ``notes`` dropped; parts without notes are kept as they are
    (the models are frozen), so a framework with few notes is copied little."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, BaseModel):
        model = type(value)
        names = _FIELD_NAMES.get(model)
        if names is None:
            names = _FIELD_NAMES[model] = tuple(model.model_fields)
        updates = {}
        for name in names:
            current = getattr(value, name)
            if name == "notes":
                if current is not None:
                    updates[name] = None
            elif type(current) not in _PLAIN:
                cleaned = _without_notes(current)
                if cleaned is not current:
                    updates[name] = cleaned
        return value.model_copy(update=updates) if updates else value
    if isinstance(value, list):
        items = [item if type(item) in _PLAIN else _without_notes(item) for item in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, dict):
        entries = {key: item if type(item) in _PLAIN else _without_notes(item)
                   for key, item in value.items()}
        return value if all(entries[key] is item for key, item in value.items()) else entries
    return value
