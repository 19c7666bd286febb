"""Versioned publishing with mike: every release stays browsable, ``latest`` follows the newest.

``careers publish`` validates the frameworks, works out the version label,
finds the previously published version (so the site can show "What changed"),
and runs ``mike deploy`` into the ``gh-pages`` branch of the current repository.

How the version is chosen
    ``--version`` wins.  Otherwise the label is the ``version`` of the frameworks:
    when several frameworks have different labels, the newest label (compared
    number by number, so ``2026.10`` is newer than ``2026.9``) names the release.
    Publishing a label that is already published replaces that version in place.

Links that never break
    Aliases (``latest`` by default) are full copies of the version (mike's ``copy``
    alias type), so ``/latest/<framework>/roles/<role>/`` is a real page on every
    static host, including ones that do not follow symbolic links.

Each published version carries ``build-info.json`` with the git commit it was built
from; the next release diffs its frameworks against that commit's frameworks.

Values that reach git and mike (the version label, aliases, branch, remote, title) are
passed as ``--option=value`` or after ``--``, so none can become an option; the version
label and aliases must also be labels (:func:`generator.validation.is_version_label`), so
``version: "--branch=main"`` in a framework can never redirect the deploy.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import printable
from generator.git import (
    GitError,
    UnsafeTreeError,
    copy_on_branch,
    extract_tree,
    head_commit,
    path_exists_at,
    resolve_commit,
    run_git,
    show_file,
)
from generator.model import Framework

BUILD_INFO = "build-info.json"
CHANGES_BASE_ENV = "CAREERS_CHANGES_BASE"
CHANGES_VERSION_ENV = "CAREERS_CHANGES_VERSION"
SOURCE_COMMIT_ENV = "CAREERS_SOURCE_COMMIT"
MIKE_VERSION_ENV = "MIKE_DOCS_VERSION"
"""Set by mike while it builds a version; without it the site is unversioned."""


class PublishError(Exception):
    """Publishing cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class PublishedVersion:
    """One entry of mike's ``versions.json``."""

    version: str
    title: str
    aliases: list[str]


def version_key(label: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key comparing labels number by number: ``2026.10`` > ``2026.9`` > ``2026.1``."""
    parts = re.split(r"[.\-_]", label)
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in parts)


def choose_version(frameworks: list[Framework]) -> str:
    """The release label: the newest ``version`` among the frameworks."""
    if not frameworks:
        raise PublishError("there is no framework to publish")
    return max((framework.spec.version for framework in frameworks), key=version_key)


def _tool(name: str) -> str:
    """The path of a command installed beside this Python (mike, mkdocs), else its name."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def _tool_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra or {})
    return env


def list_published(project_dir: Path, branch: str = "gh-pages") -> list[PublishedVersion]:
    """The versions published on ``branch``, newest first (empty if nothing is published)."""
    shown = show_file(branch, "versions.json", project_dir)
    if shown is None:
        return []
    try:
        entries = json.loads(shown)
        return [PublishedVersion(str(e["version"]), str(e.get("title", e["version"])),
                                 [str(alias) for alias in e.get("aliases", [])])
                for e in entries]
    except (ValueError, TypeError, KeyError, AttributeError):
        raise PublishError(f"versions.json on the {branch} branch is not what mike writes; "
                           "repair or delete it") from None


def previous_version(published: list[PublishedVersion], version: str) -> PublishedVersion | None:
    """The newest published version older than ``version`` (the base of "What changed")."""
    older = [entry for entry in published if version_key(entry.version) < version_key(version)]
    return max(older, key=lambda entry: version_key(entry.version), default=None)


def source_commit(project_dir: Path, branch: str, version: str) -> str | None:
    """The commit the published ``version`` was built from, if it recorded one."""
    shown = show_file(branch, f"{version}/{BUILD_INFO}", project_dir)
    if shown is None:
        return None
    try:
        commit = json.loads(shown).get("commit")
    except (ValueError, AttributeError):
        return None
    return resolve_commit(commit, project_dir) if isinstance(commit, str) and commit else None


@contextmanager
def frameworks_at(project_dir: Path, commit: str, frameworks_dir: str) -> Iterator[Path]:
    """The frameworks folder as it was at ``commit``, extracted into a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="careers-base-") as tmp:
        try:
            extract_tree(commit, frameworks_dir, project_dir, Path(tmp))
        except (GitError, UnsafeTreeError) as error:
            raise PublishError(f"cannot read {frameworks_dir}/ at commit {commit}: "
                               f"{error}") from None
        yield Path(tmp) / frameworks_dir


def publish(project_dir: Path, *, version: str | None = None,
            aliases: tuple[str, ...] = ("latest",), push: bool = False,
            branch: str = "gh-pages", remote: str = "origin", title: str | None = None,
            frameworks_dir: str = "frameworks") -> str:
    """Build and deploy the site as ``version`` with mike; return the version published."""
    from generator.validation import load_valid_frameworks

    project_dir = project_dir.resolve()
    frameworks, _warnings = load_valid_frameworks(project_dir / frameworks_dir, project_dir)
    label = version or choose_version(frameworks)
    for value, what in [(label, "version"), *((alias, "alias") for alias in aliases)]:
        _check_label(value, what)
    for value, what in ((branch, "branch"), (remote, "remote")):
        if not value or value.startswith("-"):
            raise PublishError(f"the {what} '{printable(value)}' cannot start with '-'")
    previous = previous_version(list_published(project_dir, branch), label)
    base_commit = source_commit(project_dir, branch, previous.version) if previous else None
    env = {SOURCE_COMMIT_ENV: head_commit(project_dir)}
    git_options = [f"--branch={branch}", f"--remote={remote}"]
    with _changes_base(project_dir, base_commit, frameworks_dir) as base_dir:
        if base_dir is not None and previous is not None:
            env |= {CHANGES_BASE_ENV: str(base_dir), CHANGES_VERSION_ENV: previous.version}
        _mike(project_dir, "deploy",
              ["--update-aliases", "--alias-type=copy", *git_options,
               *([f"--title={title}"] if title else [])], [label, *aliases], env)
    if aliases and not _has_default(project_dir, branch):
        _mike(project_dir, "set-default", git_options, [aliases[0]], {})
    # Static hosts (GitHub Pages) serve only /404.html: the newest version's 404 page, which
    # finds the closest role of the version in the mistyped address, goes there.
    copy_on_branch(branch, f"{aliases[0] if aliases else label}/404.html", "404.html",
                   "Career Paths: the site's 404 page", project_dir)
    if push:
        pushed = run_git(["push", "--end-of-options", remote,
                          f"refs/heads/{branch}:refs/heads/{branch}"], project_dir)
        if pushed.returncode != 0:
            said = pushed.stderr.decode(errors="replace").strip()
            raise PublishError(f"git push to {printable(remote)} failed:\n{said}")
    return label


def _check_label(value: str, what: str) -> None:
    from generator.validation import is_version_label

    if not is_version_label(value):
        raise PublishError(
            f"the {what} '{printable(value)}' is not a label: use letters, digits, '.', '-' "
            "and '_', starting with a letter or digit (for example 2026.1)")


@contextmanager
def _changes_base(project_dir: Path, commit: str | None,
                  frameworks_dir: str) -> Iterator[Path | None]:
    if commit is None:
        yield None
        return
    with frameworks_at(project_dir, commit, frameworks_dir) as folder:
        yield folder


def _has_default(project_dir: Path, branch: str) -> bool:
    return path_exists_at(branch, "index.html", project_dir)


def _mike(project_dir: Path, command: str, options: Sequence[str], values: Sequence[str],
          env: dict[str, str]) -> None:
    """Run ``mike command options... -- values...``: no value is ever read as an option."""
    if shutil.which(_tool("mike")) is None:
        raise PublishError("mike is not installed; run ./dev setup")
    done = subprocess.run([_tool("mike"), command, *options, "--config-file=mkdocs.yml",
                           "--", *values],
                          cwd=project_dir, env=_tool_env(env), capture_output=True, text=True)
    if done.returncode != 0:
        output = (done.stderr or done.stdout).strip()
        raise PublishError(f"mike {command} failed:\n{output}")


def serve_versions(project_dir: Path, dev_addr: str = "127.0.0.1:8000",
                   branch: str = "gh-pages") -> None:
    """Preview the versioned site from ``branch`` (``mike serve``)."""
    subprocess.run([_tool("mike"), "serve", f"--branch={branch}", f"--dev-addr={dev_addr}",
                    "--config-file=mkdocs.yml"], cwd=project_dir, env=_tool_env(), check=False)
