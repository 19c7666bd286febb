"""``careers init``: a new site repository, and what an existing project lacks."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import yaml

from generator.project_init import (
    STARTER_FRAMEWORK,
    WORKFLOWS,
    SiteDetails,
    init_project,
    site_files,
)
from generator.resources import guide_dir, templates_dir
from tests.conftest import Careers
from tests.site_fixtures import EXAMPLES, REPO, project_config


def snapshot(folder: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file below ``folder``."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_init_creates_a_site_whose_starter_framework_is_valid_under_strict(
        tmp_path: Path, careers: Careers):
    done = careers("init", tmp_path / "my-careers", "--organisation", "Acme & Co",
                   "--repo-url", "https://github.com/Acme/careers")
    assert done.returncode == 0, done.stderr
    site = tmp_path / "my-careers"
    for name in ("mkdocs.yml", "README.md", "requirements.txt", ".gitignore",
                 ".pre-commit-config.yaml", ".github/workflows/frameworks.yml",
                 ".github/workflows/frameworks-comment.yml",
                 "schemas/role.schema.json", f"frameworks/{STARTER_FRAMEWORK}/framework.yaml"):
        assert (site / name).is_file(), name
    guides = {path.name for path in guide_dir().glob("*.md")}
    assert {path.name for path in (site / "site_docs" / "guide").iterdir()} == guides
    config = yaml.safe_load((site / "mkdocs.yml").read_text("utf-8"))
    assert config["site_name"] == "Acme & Co career paths"
    assert config["site_url"] == "https://acme.github.io/careers/", "GitHub Pages by default"
    assert config["repo_url"] == "https://github.com/Acme/careers"
    framework = yaml.safe_load(
        (site / "frameworks" / STARTER_FRAMEWORK / "framework.yaml").read_text("utf-8"))
    assert framework["organisation"] == "Acme & Co"
    assert {track["kind"] for track in framework["tracks"]} == {"individual", "management"}
    assert len(framework["tiers"]) == 3
    checked = careers("validate", "--strict", cwd=site)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 errors, 0 warnings" in checked.stderr


def test_every_starter_file_names_its_schema_for_editors(tmp_path: Path):
    init_project(tmp_path, SiteDetails())
    for path in (tmp_path / "frameworks").rglob("*.yaml"):
        first = path.read_text("utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        schema = (path.parent / first.split("=", 1)[1]).resolve()
        assert schema.is_file() and schema.parent == tmp_path / "schemas", path


def test_init_twice_changes_nothing_the_second_time(tmp_path: Path, careers: Careers):
    assert careers("init", tmp_path).returncode == 0
    before = snapshot(tmp_path)
    again = careers("init", tmp_path)
    assert again.returncode == 0, again.stderr
    assert "nothing changed" in again.stdout
    assert snapshot(tmp_path) == before


def test_init_in_an_existing_project_adds_only_what_is_missing(tmp_path: Path):
    shutil.copytree(EXAMPLES / "engineering", tmp_path / "frameworks" / "engineering")
    (tmp_path / "README.md").write_text("# Our own README\n", encoding="utf-8")
    (tmp_path / "site_docs" / "guide").mkdir(parents=True)
    (tmp_path / "site_docs" / "guide" / "reading.md").write_text("# Ours\n", encoding="utf-8")
    before = snapshot(tmp_path)
    report = init_project(tmp_path, SiteDetails(organisation="Example Mutual"))
    after = snapshot(tmp_path)
    assert all(after[path] == digest for path, digest in before.items()), "a file was changed"
    assert not report.starter and not (tmp_path / "frameworks" / STARTER_FRAMEWORK).exists()
    assert {"README.md", "site_docs/guide/reading.md"} <= set(report.kept)
    assert {"mkdocs.yml", "site_docs/guide/editing.md", ".gitignore"} <= set(report.created)
    assert set(after) - set(before) == set(report.created)


def test_init_leaves_a_symbolic_link_where_a_file_would_go(tmp_path: Path):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me\n", encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / "README.md").symlink_to(outside)
    report = init_project(project, SiteDetails())
    assert "README.md" in report.kept
    assert outside.read_text("utf-8") == "keep me\n"


def test_the_new_sites_config_builds_like_this_projects(tmp_path: Path):
    """What makes our pages work (theme features, Markdown extensions, plugins) is the same in
    a new site's mkdocs.yml as in this repository's."""
    init_project(tmp_path, SiteDetails())
    ours, new = project_config(), yaml.safe_load((tmp_path / "mkdocs.yml").read_text("utf-8"))
    for key in ("markdown_extensions", "use_directory_urls", "docs_dir", "nav"):
        assert new[key] == ours[key], key
    assert new["theme"] == ours["theme"]
    assert [next(iter(p)) if isinstance(p, dict) else p for p in new["plugins"]] == \
        [next(iter(p)) if isinstance(p, dict) else p for p in ours["plugins"]]


def test_init_into_a_file_is_a_usage_error(tmp_path: Path, careers: Careers):
    target = tmp_path / "taken"
    target.write_text("", encoding="utf-8")
    done = careers("init", target)
    assert done.returncode == 2
    assert "is a file" in done.stderr and "Traceback" not in done.stderr


def test_the_new_sites_workflows_are_this_repositorys_with_the_package_installed():
    """The workflows ``careers init`` writes are the ones this repository runs, except that
    they install the released package instead of this checkout."""
    for name in WORKFLOWS:
        copy = templates_dir() / "init" / "github" / name
        assert copy.read_bytes() == (REPO / ".github" / "workflows" / name).read_bytes(), \
            f"templates/init/github/{name} is a copy of .github/workflows/{name}: copy it again"
    new = {path: text for path, text in site_files(SiteDetails()).items()}
    installs = new[".github/workflows/frameworks.yml"]
    assert "pip install -r requirements.txt" in installs and "pip install -e ." not in installs
