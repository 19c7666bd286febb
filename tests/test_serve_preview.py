"""``careers serve`` shows the page of a saved role file first (issue 15): only that page is
rendered, after every framework is checked as a full build checks it; the full rebuild
follows, so the pages that name the role catch up."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import FrameworkError
from generator.pipeline import PreparedSite, load_project, prepare_site, preview_pages
from tests.conftest import TINY_FRAMEWORK
from tests.site_fixtures import write_config
from tests.test_serve import ROLE_FILE, ROLE_URL, served, wait_for

__all__ = ["served"]  # the fixture, shared with tests/test_serve.py

NEW_TITLE = "Customer Service Representative Two"


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path, PreparedSite]:
    """A tiny project built once: its mkdocs.yml, framework folder and prepared site."""
    framework = tmp_path / "frameworks" / "demo"
    for name, text in TINY_FRAMEWORK.items():
        (framework / name).parent.mkdir(parents=True, exist_ok=True)
        (framework / name).write_text(text, encoding="utf-8")
    config = write_config(tmp_path, tmp_path / "frameworks")
    site, _ = load_project(config)
    return config, framework, prepare_site(site, background_assets=False)


def generated_pages(config: Path) -> dict[str, bytes]:
    folder = load_project(config)[0].generated_dir
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in folder.rglob("*.md")}


def retitle(framework: Path) -> Path:
    path = framework / ROLE_FILE
    path.write_text(path.read_text("utf-8").replace(
        "title: Customer Service Representative II", f"title: {NEW_TITLE}"), encoding="utf-8")
    return path.resolve()


def test_a_saved_role_file_rewrites_only_its_page_as_the_full_build_renders_it(
        project: tuple[Path, Path, PreparedSite]) -> None:
    config, framework, prepared = project
    before = generated_pages(config)
    saved = retitle(framework)

    assert preview_pages(load_project(config)[0], prepared, {saved})

    previewed = generated_pages(config)
    changed = {path for path in before if previewed[path] != before[path]}
    assert changed == {"demo/roles/csr-2/index.md"}
    prepare_site(load_project(config)[0], background_assets=False, fresh_work_dirs=False)
    full = generated_pages(config)
    assert full["demo/roles/csr-2/index.md"] == previewed["demo/roles/csr-2/index.md"]
    assert NEW_TITLE.encode() in full["demo/tracks/frontline/index.md"]  # the rest, after


def test_a_save_of_more_than_role_files_gets_no_preview(
        project: tuple[Path, Path, PreparedSite]) -> None:
    config, framework, prepared = project
    before = generated_pages(config)
    site = load_project(config)[0]
    competencies = (framework / "competencies.yaml").resolve()
    new_role = (framework / "roles" / "csr-9.yaml").resolve()

    assert not preview_pages(site, prepared, {competencies})
    assert not preview_pages(site, prepared, {retitle(framework), competencies})
    assert not preview_pages(site, prepared, {new_role})
    assert not preview_pages(site, prepared, set())
    assert generated_pages(config) == before


def test_a_preview_checks_every_framework_as_a_full_build(
        project: tuple[Path, Path, PreparedSite]) -> None:
    config, framework, prepared = project
    path = framework / ROLE_FILE
    path.write_text(path.read_text("utf-8").replace("track: frontline", "track: frontlin"),
                    encoding="utf-8")

    with pytest.raises(FrameworkError) as error:
        preview_pages(load_project(config)[0], prepared, {path.resolve()})
    assert "unknown track 'frontlin'" in str(error.value.diagnostics)


def test_serve_shows_the_saved_role_then_the_pages_that_name_it(
        served: tuple[str, Path]) -> None:
    base, framework = served
    retitle(framework)

    wait_for(base + ROLE_URL, NEW_TITLE, seconds=60)
    wait_for(base + "demo/tracks/frontline/", NEW_TITLE, seconds=60)
    wait_for(base + "demo/roles/csr-1/", NEW_TITLE, seconds=60)  # its next step
