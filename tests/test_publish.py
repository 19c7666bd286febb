"""Publishing with mike in a real temporary git repository, and the shipped workflow."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.browser import CHROMIUM_ARGS

REPO = Path(__file__).resolve().parent.parent
CAREERS = [sys.executable, "-m", "generator"]


def run(args: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               PYTHONPATH=str(REPO))
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"{args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def git(cwd: Path, *args: str) -> str:
    return run(["git", *args], cwd).stdout


def show(cwd: Path, path: str) -> str:
    return git(cwd, "show", f"gh-pages:{path}")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project published twice: v1, then v2 with a rename, a raise, a criterion, a removal."""
    project = tmp_path_factory.mktemp("publish") / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "overrides", "site_docs", ".gitignore"):
        source = REPO / name
        copy = shutil.copytree if source.is_dir() else shutil.copy
        copy(source, project / name)
    framework = project / "frameworks" / "contact-centre"
    shutil.copytree(REPO / "frameworks" / "contact-centre", framework)
    git(project, "init", "-q", "-b", "main")
    git(project, "config", "user.email", "test@example.org")
    git(project, "config", "user.name", "Test")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "v1")
    run([*CAREERS, "publish"], project)

    _edit(framework / "framework.yaml", 'version: "2026.1"', 'version: "2026.2"')
    # Rename orders-specialist to order-specialist, keeping the old id as an alias.
    roles = framework / "roles"
    text = (roles / "orders-specialist.yaml").read_text()
    (roles / "orders-specialist.yaml").unlink()
    text = text.replace("title: ", "aliases: [orders-specialist]\ntitle: ", 1)
    (roles / "order-specialist.yaml").write_text(text)
    for role_file in roles.glob("*.yaml"):
        _edit(role_file, "orders-specialist", "order-specialist", required=False)
    _edit(roles / "order-specialist.yaml", "aliases: [order-specialist]",
          "aliases: [orders-specialist]")
    # Raise the shared t3 band; add a criterion to CSR III.
    _edit(framework / "salary.yaml", "min: 41000", "min: 42500")
    _edit(roles / "csr-3.yaml", "criteria:\n", "criteria:\n  - text: Completed the customer "
          "vulnerability course.\n")
    # Remove the workforce analyst, naming a successor.
    (roles / "workforce-analyst.yaml").unlink()
    for role_file in roles.glob("*.yaml"):
        _drop_id(role_file, "workforce-analyst")
    _edit(framework / "framework.yaml", "retired:\n", "retired:\n  - id: workforce-analyst\n"
          "    replaced_by: quality-analyst\n    reason: Planning moved to the central team.\n")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "v2")
    run([*CAREERS, "publish"], project)
    return project


def _edit(path: Path, old: str, new: str, required: bool = True) -> None:
    text = path.read_text()
    assert old in text or not required, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


def _drop_id(path: Path, role_id: str) -> None:
    data = yaml.safe_load(path.read_text())
    text = path.read_text()
    for key in ("next", "lateral"):
        ids = data.get(key) or []
        if role_id in ids:
            kept = [item for item in ids if item != role_id]
            text = re.sub(rf"^{key}:.*$", f"{key}: [{', '.join(kept)}]", text, flags=re.M)
    path.write_text(text)


def test_versions_json_lists_both_versions_with_latest_on_the_newest(published: Path) -> None:
    versions = json.loads(show(published, "versions.json"))
    assert [entry["version"] for entry in versions] == ["2026.2", "2026.1"]
    assert versions[0]["aliases"] == ["latest"]
    assert versions[1]["aliases"] == []


def test_publish_list_shows_what_is_published(published: Path) -> None:
    listing = run([*CAREERS, "publish", "--list"], published).stdout
    assert "2026.2 [latest]" in listing
    assert "2026.1" in listing


def test_both_versions_keep_their_own_role_pages(published: Path) -> None:
    old = show(published, "2026.1/contact-centre/roles/orders-specialist/index.html")
    new = show(published, "2026.2/contact-centre/roles/order-specialist/index.html")
    assert "Orders Specialist" in old and "Orders Specialist" in new
    assert "41,000" in show(published, "2026.1/contact-centre/roles/csr-2/index.html")
    assert "42,500" in show(published, "2026.2/contact-centre/roles/csr-2/index.html")


def test_latest_is_a_real_copy_of_the_newest_version(published: Path) -> None:
    latest = show(published, "latest/contact-centre/roles/csr-3/index.html")
    assert "vulnerability course" in latest
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', latest)
    assert canonical and canonical.group(1).endswith("/latest/contact-centre/roles/csr-3/")


def test_renamed_role_alias_redirects_in_the_new_version(published: Path) -> None:
    redirect = show(published, "2026.2/contact-centre/roles/orders-specialist/index.html")
    assert 'http-equiv="refresh"' in redirect
    assert "../order-specialist/" in redirect


def test_removed_role_leaves_a_page_pointing_to_its_successor(published: Path) -> None:
    page = show(published, "latest/contact-centre/roles/workforce-analyst/index.html")
    assert "no longer exists" in page
    assert "Planning moved to the central team." in page
    assert 'href="../quality-analyst/"' in page


def test_what_changed_page_compares_with_the_previous_version(published: Path) -> None:
    page = show(published, "2026.2/contact-centre/changes/index.html")
    assert "compared with version 2026.1" in page
    assert "band raised" in page
    assert "42,500" in page
    assert "vulnerability course" in page


def test_build_info_records_the_source_commit(published: Path) -> None:
    info = json.loads(show(published, "2026.2/build-info.json"))
    assert info["commit"] == git(published, "rev-parse", "HEAD").strip()
    assert info["frameworks"] == {"contact-centre": "2026.2"}


def test_version_selector_is_configured_for_material() -> None:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text())
    assert config["extra"]["version"]["provider"] == "mike"


def test_diff_between_the_published_commits_reports_the_changes(published: Path) -> None:
    done = run([*CAREERS, "diff", "HEAD~1", "HEAD", "--format", "json"], published)
    changes = {(change["kind"], change["subject"]): change
               for change in json.loads(done.stdout)["changes"]}
    renamed = changes[("role-renamed", "orders-specialist")]
    assert (renamed["old"], renamed["new"]) == ("orders-specialist", "order-specialist")
    assert changes[("band-raised", "t3")]["new"]["min"] == 42500
    assert ("criterion-added", "csr-3") in changes
    retired = changes[("role-removed", "workforce-analyst")]
    assert retired["new"] == "quality-analyst", "the retired role names its successor"
    assert retired["severity"] == "info", "a retired role with a successor breaks no link"
    assert retired["note"] == "Planning moved to the central team."


def test_new_role_scaffold_is_valid_once_linked(tmp_path: Path) -> None:
    frameworks = tmp_path / "frameworks"
    shutil.copytree(REPO / "frameworks" / "engineering", frameworks / "engineering")
    done = run([*CAREERS, "new", "role", "platform-engineer", "--framework", "engineering",
                "--track", "ic", "--tier", "l3", "--frameworks", str(frameworks)], tmp_path)
    created = frameworks / "engineering" / "roles" / "platform-engineer.yaml"
    assert created.read_text().startswith("# yaml-language-server: $schema=")
    assert "next" in done.stdout
    unreachable = run([*CAREERS, "validate", str(frameworks)], tmp_path, check=False)
    assert "[unreachable-role]" in unreachable.stdout
    _edit(created, "entry: false", "entry: true")
    assert run([*CAREERS, "validate", str(frameworks)], tmp_path, check=False).returncode == 0


def _workflow_commands() -> list[str]:
    workflow = yaml.safe_load((REPO / ".github/workflows/frameworks.yml").read_text())
    commands = []
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            for line in step.get("run", "").splitlines():
                line = line.strip()
                if line.startswith("careers "):
                    commands.append(line.split(">")[0].strip())
    return commands


def test_workflow_is_valid_yaml_with_pull_request_and_push_triggers() -> None:
    workflow = yaml.safe_load((REPO / ".github/workflows/frameworks.yml").read_text())
    triggers = workflow.get("on") or workflow.get(True)
    assert "pull_request" in triggers and "push" in triggers
    assert _workflow_commands(), "the workflow runs no careers command"


@pytest.mark.slow
def test_workflow_commands_exist_and_run(tmp_path: Path) -> None:
    """Every careers command of the workflow runs in a repo shaped like the project."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "overrides", "site_docs", "frameworks"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    git(project, "init", "-q", "-b", "main")
    git(project, "config", "user.email", "test@example.org")
    git(project, "config", "user.name", "Test")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    remote = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(project, "remote", "add", "origin", str(remote))
    git(project, "push", "-q", "origin", "main")
    git(project, "fetch", "-q", "origin")
    for command in _workflow_commands():
        command = command.replace("$BASE_REF", "main").replace('"', "")
        args = shlex.split(command)
        done = run([*CAREERS, *args[1:]], project, check=False)
        assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
    assert "versions.json" in git(remote, "ls-tree", "--name-only", "gh-pages")


def test_pre_commit_hook_runs_careers_validate() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "careers-validate"
    assert hooks[0]["entry"].startswith("careers validate")


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium for the module's browser tests (each opens pages of its own)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_version_selector_lists_both_versions_and_switches(published: Path, browser: Any,
                                                           tmp_path: Path) -> None:
    from tests.site_fixtures import serve_directory

    pages = tmp_path / "gh-pages"
    pages.mkdir()
    archive = subprocess.run(["git", "archive", "gh-pages"], cwd=published,
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(pages)], input=archive, check=True)
    with serve_directory(pages) as base:
        page = browser.new_page()
        page.goto(base)  # the root redirects to the default alias
        page.wait_for_url("**/latest/**")
        page.goto(f"{base}2026.2/contact-centre/roles/csr-3/")
        selector = page.locator(".md-version")
        selector.wait_for()
        listed = page.locator(".md-version__list .md-version__link").all_text_contents()
        assert any("2026.2" in text for text in listed)
        assert any("2026.1" in text for text in listed)
        selector.hover()
        page.locator(".md-version__list .md-version__link", has_text="2026.1").click()
        page.wait_for_url("**/2026.1/**")
        assert "older version" in page.content()
        page.close()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
@pytest.mark.parametrize("github_pages", [False, True], ids=["any-404", "root-404-only"])
def test_a_mistyped_role_address_in_a_version_links_that_versions_closest_role(
        published: Path, browser: Any, tmp_path: Path, github_pages: bool) -> None:
    """Also where the host serves only the site's root ``404.html`` (GitHub Pages): publish
    puts the newest version's 404 page there."""
    from tests.site_fixtures import serve_directory

    pages = tmp_path / "gh-pages"
    pages.mkdir()
    archive = subprocess.run(["git", "archive", "gh-pages"], cwd=published,
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(pages)], input=archive, check=True)
    assert (pages / "404.html").is_file(), "the root 404 page is published"
    with serve_directory(pages, not_found_pages=True, root_404_only=github_pages) as base:
        page = browser.new_page()
        for version, typed, closest in (("2026.2", "order-specialst", "order-specialist"),
                                        ("2026.1", "orders-specialst", "orders-specialist")):
            response = page.goto(f"{base}{version}/contact-centre/roles/{typed}/")
            assert response is not None and response.status == 404
            link = page.locator("[data-cp-closest] a")
            link.wait_for()
            assert link.get_attribute("href") == f"/{version}/contact-centre/roles/{closest}/"
        page.close()
