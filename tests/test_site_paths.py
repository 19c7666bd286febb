"""The names no role id may take are exactly those the site uses: everything the renderer
and MkDocs write at ``/<framework>/...``, ``/<framework>/roles/...`` and the root."""

from __future__ import annotations

from pathlib import Path

from generator.model import Framework
from generator.page_context import RenderOptions
from generator.site_paths import FRAMEWORK_NAMES, RESERVED_ROLE_IDS, SITE_NAMES
from generator.site_render import render_site
from generator.urls import map_pdf_url
from tests.site_fixtures import REPO, project_config


def stem(name: str) -> str:
    return name.split(".", 1)[0]


def test_every_name_the_renderer_writes_below_a_framework_is_reserved(
        example_frameworks: dict[str, Framework]) -> None:
    frameworks = list(example_frameworks.values())
    options = RenderOptions(maps=True, previous=tuple(frameworks), previous_version="1")
    paths = [file.path for file in render_site(frameworks, options).files]
    paths += [map_pdf_url(framework.id, role_id) for framework in frameworks
              for role_id in framework.roles]  # the printable maps
    below_framework, below_roles = set(), set()
    for path in paths:
        parts = path.split("/")
        if parts[0] in example_frameworks and len(parts) > 1:
            below_framework.add(stem(parts[1]))
            if parts[1] == "roles" and len(parts) > 2:
                below_roles.add(stem(parts[2]))
    role_ids = {id_ for framework in frameworks for id_ in framework.roles}
    old_ids = {alias for framework in frameworks for alias in framework.alias_targets} | {
        retired.id for framework in frameworks for retired in framework.spec.retired}
    assert below_framework <= set(FRAMEWORK_NAMES), below_framework - set(FRAMEWORK_NAMES)
    assert below_roles - role_ids - old_ids == set()  # roles/<id> is a role's, nothing else
    assert {"changes", "maps", "compare", "assess", "downloads"} <= below_framework


def test_every_name_at_the_site_root_is_reserved(example_site: Path) -> None:
    frameworks = {path.name for path in (REPO / "frameworks").iterdir() if path.is_dir()}
    docs = {stem(path.name) for path in (REPO / project_config()["docs_dir"]).iterdir()}
    at_root = {stem(path.name) for path in example_site.iterdir()} - frameworks
    assert at_root - docs <= set(SITE_NAMES), at_root - docs - set(SITE_NAMES)
    assert {"assets", "search", "sitemap", "404", "index", "build-info"} <= at_root


def test_the_spec_names_are_all_reserved_each_with_what_it_names() -> None:
    assert {"index", "assets", "search", "maps", "downloads", "compare", "assess", "tracks",
            "roles", "competencies", "pay", "policies", "changes"} <= set(RESERVED_ROLE_IDS)
    assert "one of its own pages" not in RESERVED_ROLE_IDS.values()
