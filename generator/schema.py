"""JSON Schemas of the framework files, exported from the pydantic models.

Editors that speak the YAML language server read them through the
``# yaml-language-server: $schema=...`` line at the top of each file and then
check and complete what HR types.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from generator.model import Competency, FrameworkSpec, RoleSpec, SalaryFile, SharedSpec

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

SCHEMAS: dict[str, tuple[str, Any]] = {
    "framework.schema.json": ("framework.yaml", FrameworkSpec),
    "competencies.schema.json": ("competencies.yaml", TypeAdapter(list[Competency])),
    "salary.schema.json": ("salary.yaml", SalaryFile),
    "role.schema.json": ("roles/<role-id>.yaml", RoleSpec),
    "shared-framework.schema.json": ("_<shared>/framework.yaml", SharedSpec),
}
"""Schema file -> (the file it describes, its model). A shared folder's competencies.yaml
and salary.yaml use the framework's schemas."""
FORMAT_VERSION = "1.1"


def schema_documents() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema document, for every kind of framework file."""
    documents = {}
    for file_name, (described, model) in SCHEMAS.items():
        adapter = model if isinstance(model, TypeAdapter) else TypeAdapter(model)
        schema = adapter.json_schema()
        documents[file_name] = {
            "$schema": SCHEMA_DIALECT,
            "$id": file_name,
            "title": f"Career Paths {described} (format version {FORMAT_VERSION})",
            **schema,
        }
    return documents


def schema_files() -> dict[str, str]:
    """File name -> the text of its JSON Schema file."""
    return {file_name: json.dumps(document, indent=2, ensure_ascii=False) + "\n"
            for file_name, document in schema_documents().items()}


def write_schemas(out_dir: Path) -> list[Path]:
    """Write every schema document into ``out_dir``; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, text in schema_files().items():
        path = out_dir / file_name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
