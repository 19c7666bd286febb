"""A version-1 framework renders to the same Markdown as before format 1.1 was added.

``tests/fixtures/v1/`` holds copies of the two example frameworks as they were before
format 1.1 (they use no 1.1 field); ``tests/goldens/v1-markdown/`` holds the pages they
rendered to then (the Markdown pages and the redirect pages, by their path in the site).
A failing test prints a unified diff of each page that changed.

When a page is meant to change (a template or wording change), update the goldens with::

    CAREERS_UPDATE_GOLDENS=1 .venv/bin/pytest -q tests/test_v1_golden.py

and review ``git diff tests/goldens`` before committing.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from generator.site_render import RenderOptions, render_pages
from generator.validation import load_valid_frameworks

HERE = Path(__file__).resolve().parent
V1_FRAMEWORKS = HERE / "fixtures" / "v1"
GOLDENS = HERE / "goldens" / "v1-markdown"
UPDATE = os.environ.get("CAREERS_UPDATE_GOLDENS") == "1"
PAGE_SUFFIXES = (".md", ".html")


def rendered_pages() -> dict[str, str]:
    """The pages of the v1 fixture frameworks, by path, as every option can show them:
    with printable maps linked and a "What changed" page against the same version."""
    frameworks, _ = load_valid_frameworks(V1_FRAMEWORKS, V1_FRAMEWORKS)
    previous, _ = load_valid_frameworks(V1_FRAMEWORKS, V1_FRAMEWORKS)
    options = RenderOptions(site_url="https://careers.example.org/", maps=True,
                            previous=tuple(previous), previous_version="2025.2")
    site = render_pages(frameworks, options)
    return {generated.path: str(generated.content) for generated in site.files
            if generated.path.endswith(PAGE_SUFFIXES)}


def golden_pages() -> dict[str, str]:
    return {path.relative_to(GOLDENS).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(GOLDENS.rglob("*")) if path.is_file()}


def write_goldens(pages: dict[str, str]) -> None:
    if GOLDENS.exists():
        shutil.rmtree(GOLDENS)
    for path, content in pages.items():
        target = GOLDENS / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")


def test_version_1_frameworks_render_the_same_markdown_as_before_format_1_1():
    pages = rendered_pages()
    if UPDATE:
        write_goldens(pages)
        pytest.skip("goldens updated; review git diff tests/goldens")
    goldens = golden_pages()
    assert sorted(pages) == sorted(goldens), "pages added or missing"
    differences = []
    for path, expected in goldens.items():
        if pages[path] != expected:
            differences.append("".join(difflib.unified_diff(
                expected.splitlines(keepends=True), pages[path].splitlines(keepends=True),
                fromfile=f"golden/{path}", tofile=f"rendered/{path}", n=2)))
    assert not differences, (
        f"{len(differences)} page(s) differ from tests/goldens/v1-markdown (if intended: "
        "CAREERS_UPDATE_GOLDENS=1 .venv/bin/pytest -q tests/test_v1_golden.py):\n\n"
        + "\n".join(differences)[:20000])
