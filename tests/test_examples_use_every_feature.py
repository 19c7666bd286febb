"""The shipped example frameworks, together, use every field of format 1.1 (issue #13).

The examples are loaded with the generator's own loader (shared folders merged, level
names resolved) and validated with ``--strict``'s rules: no error and no warning. Each
feature is a path into the loaded model (``*`` walks every item of a list or mapping)
with an optional test of the value; it must hold for at least one value of at least one
example. A feature dropped from every example fails here, by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from generator.model import (
    APPLIES_TO,
    Category,
    Framework,
    RoleCompetency,
    ScaleLevel,
    SharedSpec,
    Zone,
)
from generator.validation import load_valid_frameworks
from tests.conftest import EXAMPLES

Check = Callable[[Any], bool]


def is_set(value: Any) -> bool:
    return value is not None and value != [] and value != {} and value != ""


def equals(expected: Any) -> Check:
    return lambda value: value == expected


FEATURES: dict[str, tuple[str, Check]] = {
    # framework.yaml (or a shared folder's)
    "a named proficiency scale": ("spec.scale.*.name", is_set),
    "a scale level's description": ("spec.scale.*.description", is_set),
    "categories": ("spec.categories.*.name", is_set),
    "a category's description": ("spec.categories.*.description", is_set),
    "tier_label": ("spec.tier_label", is_set),
    "a kind: shared track": ("spec.tracks.*.kind", equals("shared")),
    "advancement in framework.yaml": ("spec.advancement", is_set),
    "extends": ("spec.extends", is_set),
    "a tier's description": ("spec.tiers.*.description", is_set),
    "a track's description": ("spec.tracks.*.description", is_set),
    "a metric's description": ("spec.metrics.*.description", is_set),
    "a policy's name": ("spec.policies.*.name", is_set),
    "a retired role's title": ("spec.retired.*.title", is_set),
    **{f"a policy applying to {value}": ("spec.policies.*.applies_to", equals(value))
       for value in APPLIES_TO},
    "a policy limited to tracks": ("spec.policies.*.tracks", is_set),
    "a policy limited to tiers": ("spec.policies.*.tiers", is_set),
    "a policy limited to roles": ("spec.policies.*.roles", is_set),
    # competencies.yaml
    "a competency without levels (the scale's)": ("competencies.*.levels", equals({})),
    "a level's statements": ("competencies.*.levels.*.statements", is_set),
    "a level's examples": ("competencies.*.levels.*.examples", is_set),
    "a level's develop": ("competencies.*.levels.*.develop", is_set),
    "a level without text (the scale's description)": (
        "competencies.*.levels.*.text", equals(None)),
    # roles
    "a role naming a level of the scale": (
        "roles.*.competencies_as_written.*.level", lambda value: isinstance(value, str)),
    "a role's own statements": ("roles.*.competencies_as_written.*.statements", is_set),
    "a role's own examples": ("roles.*.competencies_as_written.*.examples", is_set),
    "tier_max": ("roles.*.tier_max", is_set),
    "requirements": ("roles.*.requirements", is_set),
    "a metric requirement": ("roles.*.requirements.*.metric", is_set),
    **{f"advancement: {value}": ("roles.*.advancement", equals(value))
       for value in ("automatic", "vacancy", "review")},
    # salary.yaml
    "pay steps": ("salary.bands.*.steps", is_set),
    "a band without mid": ("salary.bands.*.mid", equals(None)),
    "a band with its own zone": ("salary.bands.*.zone", is_set),
    "a zone": ("salary.zones.*.id", is_set),
    "a zone's name": ("salary.zones.*.name", is_set),
    "a zone's description": ("salary.zones.*.description", is_set),
    "a percent zone": ("salary.zones.*.percent", lambda value: is_set(value) and value > 0),
    "a negative percent zone": ("salary.zones.*.percent",
                                lambda value: is_set(value) and value < 0),
    "a zone's minimum": ("salary.zones.*.minimum", is_set),
    "a zone's maximum": ("salary.zones.*.maximum", is_set),
    "an amount zone": ("salary.zones.*.amount", is_set),
}
"""Feature -> (path into a loaded Framework, test of a value found there)."""

NEW_MODELS: dict[type[BaseModel], str] = {
    ScaleLevel: "spec.scale.*.", Category: "spec.categories.*.", Zone: "salary.zones.*.",
    RoleCompetency: "roles.*.competencies_as_written.*.",
}
"""Models that format 1.1 added: every field of each (but notes) must be a feature."""


@pytest.fixture(scope="module")
def examples() -> list[Framework]:
    frameworks, warnings = load_valid_frameworks(EXAMPLES)
    assert warnings == [], "the examples pass careers validate --strict"
    return frameworks


def values_at(item: Any, path: list[str]) -> Iterator[Any]:
    """Every value at ``path`` under ``item`` (``*``: each item of a list or mapping)."""
    if not path:
        yield item
        return
    step, rest = path[0], path[1:]
    if step == "*":
        children = item.values() if isinstance(item, dict) else item
        for child in children if isinstance(item, dict | list | tuple) else ():
            yield from values_at(child, rest)
    elif isinstance(item, dict):
        if step in item:
            yield from values_at(item[step], rest)
    elif item is not None and hasattr(item, step):
        yield from values_at(getattr(item, step), rest)


def users_of(examples: list[Framework], path: str, check: Check) -> list[str]:
    return [framework.id for framework in examples
            if any(check(value) for value in values_at(framework, path.split(".")))]


@pytest.mark.parametrize("feature", FEATURES)
def test_some_example_uses_the_feature(examples: list[Framework], feature: str) -> None:
    path, check = FEATURES[feature]
    assert users_of(examples, path, check), f"no example framework has {feature} ({path})"


def test_every_field_of_the_new_models_is_a_feature() -> None:
    paths = {path for path, _check in FEATURES.values()}
    for model, prefix in NEW_MODELS.items():
        for name in model.model_fields:
            if name != "notes":
                assert prefix + name in paths, f"{model.__name__}.{name} has no feature"


def test_a_shared_folder_is_extended_by_two_frameworks(examples: list[Framework]) -> None:
    extended: dict[str, list[str]] = {}
    for framework in examples:
        if framework.shared is not None:
            extended.setdefault(framework.shared.id, []).append(framework.id)
    assert any(len(users) >= 2 for users in extended.values()), extended
    written: set[str] = set()
    for shared in extended:
        data = yaml.safe_load((EXAMPLES / shared / "framework.yaml").read_text(encoding="utf-8"))
        written |= set(data) & set(SharedSpec.model_fields)
    assert {"currency", "tier_label", "advancement", "scale", "categories", "tiers", "tracks",
            "metrics", "policies"} <= written
    assert [path for shared in extended
            for path in ("competencies.yaml", "salary.yaml")
            if not (EXAMPLES / shared / path).is_file()] == []


def test_the_kept_examples_keep_their_folders_and_role_ids(examples: list[Framework]) -> None:
    by_id = {framework.id: framework for framework in examples}
    assert {"contact-centre", "engineering"} <= set(by_id)
    assert {"csr-1", "csr-2", "csr-3", "csr-trainee", "team-lead", "supervisor",
            "contact-centre-manager"} <= set(by_id["contact-centre"].roles)
    assert {"associate-engineer", "software-engineer", "senior-engineer", "staff-engineer",
            "engineering-manager", "vp-engineering"} <= set(by_id["engineering"].roles)
    staying = by_id["contact-centre"].policies_for(by_id["contact-centre"].roles["csr-2"],
                                                   "staying")
    assert any("support plan" in policy.text for policy in staying), \
        "the support plan and return to an earlier stage are written as a staying policy"
