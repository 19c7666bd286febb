"""``careers schema``: the JSON Schemas written match the committed ones and the examples."""

from __future__ import annotations

import difflib
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.schema import SCHEMAS
from generator.yaml_loader import load_yaml_file

Careers = Callable[..., subprocess.CompletedProcess[str]]
REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "schemas"
SCHEMA_FILES = sorted(SCHEMAS)
UPDATE_HINT = "the committed schemas are stale: run `careers schema` and commit schemas/"


def test_schema_writes_a_schema_file_for_each_kind_of_file(tmp_path: Path,
                                                          careers: Careers) -> None:
    run = careers("schema", "--out", tmp_path / "out")
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == SCHEMA_FILES == [
        "competencies.schema.json", "framework.schema.json", "role.schema.json",
        "salary.schema.json", "shared-framework.schema.json",
    ]
    for name in SCHEMA_FILES:
        document = json.loads((tmp_path / "out" / name).read_text(encoding="utf-8"))
        assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_committed_schemas_equal_the_generated_ones(tmp_path: Path, careers: Careers) -> None:
    assert careers("schema", "--out", tmp_path).returncode == 0
    diffs = []
    for name in SCHEMA_FILES:
        committed = (COMMITTED / name).read_text(encoding="utf-8").splitlines()
        generated = (tmp_path / name).read_text(encoding="utf-8").splitlines()
        diffs += difflib.unified_diff(
            committed, generated, f"schemas/{name}", f"generated {name}", lineterm="", n=2
        )
    if diffs:
        pytest.fail(f"{UPDATE_HINT}\n" + "\n".join(diffs), pytrace=False)


def as_json(data: Any) -> Any:
    """YAML data as JSON sees it: dates become text, integer keys become text."""
    return json.loads(json.dumps(data, default=str))


def example_files() -> list[tuple[Path, str]]:
    """(YAML file, its schema file name) for every file of every example framework."""
    pairs = []
    for folder in sorted(p for p in (REPO / "frameworks").iterdir() if p.is_dir()):
        for name in ("framework", "competencies", "salary"):
            if (folder / f"{name}.yaml").is_file():
                schema = "shared-framework" if folder.name.startswith("_") and \
                    name == "framework" else name
                pairs.append((folder / f"{name}.yaml", f"{schema}.schema.json"))
        pairs += [(role, "role.schema.json") for role in sorted(folder.glob("roles/*.yaml"))]
    return pairs


def test_every_example_file_fits_its_committed_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schemas = {
        name: json.loads((COMMITTED / name).read_text(encoding="utf-8")) for name in SCHEMA_FILES
    }
    failures = []
    for path, schema_name in example_files():
        validator = jsonschema.Draft202012Validator(schemas[schema_name])
        data = as_json(load_yaml_file(path).data)
        failures += [f"{path.relative_to(REPO)}: {error.message}"
                     for error in validator.iter_errors(data)]
    assert example_files(), "no example framework files found"
    assert not failures, "\n".join(failures)


V1_1 = REPO / "tests" / "fixtures" / "v1_1"
FIELDS_OF_1_1 = {
    "framework.schema.json": ["extends", "tier_label", "advancement", "scale", "categories"],
    "shared-framework.schema.json": ["organisation", "description", "scale", "tiers"],
    "salary.schema.json": ["zones"],
    "role.schema.json": ["tier_max", "requirements", "advancement", "competencies"],
}
DEFINITIONS_OF_1_1 = {
    "framework.schema.json": {"ScaleLevel": ["name", "description"], "Category": ["name"],
                              "Policy": ["applies_to", "tracks", "tiers", "roles"],
                              "Track": ["kind"]},
    "competencies.schema.json": {"Level": ["text", "statements", "develop"],
                                 "Competency": ["levels", "category"]},
    "salary.schema.json": {"Band": ["zone", "mid", "steps"],
                           "Zone": ["percent", "amount", "minimum", "maximum"]},
    "role.schema.json": {"RoleCompetency": ["level", "statements", "examples"]},
}


def _properties(schema: dict[str, Any]) -> dict[str, Any]:
    """The properties of a definition (one written as 'text, or a mapping' included)."""
    for option in schema.get("anyOf", [schema]):
        if "properties" in option:
            return option["properties"]
    raise AssertionError(f"no properties in {schema}")


def test_every_field_of_format_1_1_is_in_the_schemas_with_a_description() -> None:
    undescribed = []
    for name, fields in FIELDS_OF_1_1.items():
        schema = json.loads((COMMITTED / name).read_text(encoding="utf-8"))
        undescribed += [f"{name}: {field}" for field in fields
                        if not schema["properties"][field].get("description")]
    for name, definitions in DEFINITIONS_OF_1_1.items():
        schema = json.loads((COMMITTED / name).read_text(encoding="utf-8"))
        for definition, fields in definitions.items():
            properties = _properties(schema["$defs"][definition])
            undescribed += [f"{name}: {definition}.{field}" for field in fields
                            if not properties[field].get("description")]
    assert not undescribed, "fields without a description: " + ", ".join(undescribed)


def test_a_framework_using_every_1_1_field_fits_the_schemas() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    failures = []
    for path in sorted(V1_1.rglob("*.yaml")):
        relative = path.relative_to(V1_1)
        if relative.parts[0].startswith("_") and path.name == "framework.yaml":
            schema_name = "shared-framework.schema.json"
        elif relative.parts[1] == "roles":
            schema_name = "role.schema.json"
        else:
            schema_name = path.name.replace(".yaml", ".schema.json")
        schema = json.loads((COMMITTED / schema_name).read_text(encoding="utf-8"))
        validator = jsonschema.Draft202012Validator(schema)
        failures += [f"{relative}: {error.message}"
                     for error in validator.iter_errors(as_json(load_yaml_file(path).data))]
    assert not failures, "\n".join(failures)


def test_the_framework_schema_requires_tiers_and_tracks_only_without_extends() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((COMMITTED / "framework.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    alone = {"name": "Nursing", "version": "2026.1"}
    assert any("'tiers' is a required property" in error.message
               for error in validator.iter_errors(alone))
    assert list(validator.iter_errors({**alone, "extends": "_health"})) == []
