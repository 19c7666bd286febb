"""What a pull request commits never steers git or mike, nor fools ``careers diff``
(issue 11, items 3, 4 and the diff part of 13), on real git repositories in temp folders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.project_copy import (
    careers,
    commit_all,
    make_project,
    run_git,
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def set_version(project: Path, version: str) -> None:
    spec = project / "frameworks" / "demo" / "framework.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        'version: "2026.1"', f'version: "{version}"'), encoding="utf-8")


def branches(project: Path) -> dict[str, str]:
    listed = run_git(project, "for-each-ref", "--format=%(refname:short) %(objectname)",
                     "refs/heads")
    return dict(line.split() for line in listed.splitlines())


# --- item 3: the version label never becomes a mike option -----------------------------------


@pytest.mark.parametrize("version", ["--branch=main", "--remote=https://evil.example/x.git",
                                     "-p", "../outside", ".."])
def test_a_version_that_is_not_a_label_stops_publish_before_mike_runs(
        project: Path, version: str) -> None:
    set_version(project, version)
    commit_all(project, "a version that is an option")
    before = branches(project)

    run = careers(project, "publish", "--push")

    assert run.returncode == 1, run.stderr
    assert "framework.yaml:3:10: error: the version" in run.stderr
    assert "[invalid-version]" in run.stderr and "Traceback" not in run.stderr
    assert branches(project) == before  # nothing committed, no gh-pages branch


@pytest.mark.parametrize("option", ["--version=--branch=main", "--alias=--push",
                                    "--branch=--help", "--remote=-x"])
def test_command_line_values_that_look_like_options_are_refused(project: Path,
                                                                option: str) -> None:
    before = branches(project)
    run = careers(project, "publish", option)
    assert run.returncode == 1, run.stderr
    assert "careers: publish failed:" in run.stderr and "Traceback" not in run.stderr
    assert branches(project) == before


def test_a_title_that_looks_like_an_option_is_only_a_title(project: Path) -> None:
    main_before = branches(project)["main"]

    run = careers(project, "publish", "--title=--branch=main")

    assert run.returncode == 0, run.stderr
    assert branches(project)["main"] == main_before
    versions = json.loads(run_git(project, "show", "gh-pages:versions.json"))
    assert [(entry["version"], entry["title"]) for entry in versions] == [
        ("2026.1", "--branch=main")]


# --- item 4: a folder named like a revision ------------------------------------------------


def pull_request_hiding_a_removed_role(project: Path, folder_name: str) -> None:
    """Remove a published role and add a folder ``folder_name`` holding the old frameworks."""
    hidden = project / folder_name
    shutil.copytree(project / "frameworks", hidden)
    role = project / "frameworks" / "demo" / "roles" / "team-lead.yaml"
    role.unlink()
    for other in (project / "frameworks" / "demo" / "roles").glob("*.yaml"):
        other.write_text(other.read_text(encoding="utf-8").replace(", team-lead", "").replace(
            "lateral: [team-lead]\n", ""), encoding="utf-8")
    commit_all(project, "remove team-lead, add a decoy folder")


@pytest.mark.parametrize("decoy", ["HEAD", "main"])
def test_a_folder_that_is_also_a_revision_is_an_error_not_a_silent_no_change(
        project: Path, decoy: str) -> None:
    pull_request_hiding_a_removed_role(project, decoy)

    run = careers(project, "diff", "main", "HEAD")  # what the workflow runs

    assert run.returncode == 2, run.stdout + run.stderr
    assert f"'{decoy}' names both a git revision and a folder here" in run.stderr
    assert f"./{decoy}" in run.stderr and "Traceback" not in run.stderr
    assert "No changes" not in run.stdout


def test_the_removed_role_is_found_once_the_revisions_are_read(project: Path) -> None:
    pull_request_hiding_a_removed_role(project, "decoy")
    run = careers(project, "diff", "HEAD~1", "HEAD")
    assert run.returncode == 1, run.stderr  # the broken recruiter link
    assert "`/demo/roles/team-lead/`" in run.stdout


def test_folders_are_given_as_paths_or_with_dir(project: Path) -> None:
    shutil.copytree(project / "frameworks", project / "HEAD")  # a folder named like a revision
    for arguments in (["./HEAD", "./frameworks"], ["--dir", "HEAD", "frameworks"]):
        run = careers(project, "diff", *arguments)
        assert run.returncode == 0, run.stderr
        assert "No changes" in run.stdout
    run = careers(project, "diff", "--dir", "missing", "frameworks")
    assert run.returncode == 2 and "'missing' is not a folder" in run.stderr


# --- item 13: a revision holding a link out of the repository ------------------------------


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../../../etc/passwd"])
def test_a_revision_with_a_link_leaving_the_folder_is_a_clean_error(project: Path,
                                                                    target: str) -> None:
    (project / "frameworks" / "demo" / "roles" / "evil.yaml").symlink_to(target)
    commit_all(project, "a role file that is a link out")

    run = careers(project, "diff", "HEAD~1", "HEAD")

    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert "careers diff: HEAD (" in run.stderr and ") has errors:" in run.stderr
    assert (f"frameworks/demo/roles/evil.yaml:1:1: error: this is a link to '{target}', "
            "outside the folder") in run.stderr
    assert "[unsafe-path]" in run.stderr
