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
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

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


def _git(args: list[str], cwd: Path, *, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check)


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
    shown = _git(["show", f"{branch}:versions.json"], project_dir, check=False)
    if shown.returncode != 0:
        return []
    entries = json.loads(shown.stdout)
    return [PublishedVersion(e["version"], e.get("title", e["version"]), e.get("aliases", []))
            for e in entries]


def previous_version(published: list[PublishedVersion], version: str) -> PublishedVersion | None:
    """The newest published version older than ``version`` (the base of "What changed")."""
    older = [entry for entry in published if version_key(entry.version) < version_key(version)]
    return max(older, key=lambda entry: version_key(entry.version), default=None)


def source_commit(project_dir: Path, branch: str, version: str) -> str | None:
    """The commit the published ``version`` was built from, if it recorded one."""
    shown = _git(["show", f"{branch}:{version}/{BUILD_INFO}"], project_dir, check=False)
    if shown.returncode != 0:
        return None
    return json.loads(shown.stdout).get("commit")


@contextmanager
def frameworks_at(project_dir: Path, commit: str, frameworks_dir: str) -> Iterator[Path]:
    """The frameworks folder as it was at ``commit``, extracted into a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="careers-base-") as tmp:
        archive = subprocess.run(["git", "archive", "--format=tar", commit, frameworks_dir],
                                 cwd=project_dir, capture_output=True, check=False)
        if archive.returncode != 0:
            raise PublishError(f"cannot read {frameworks_dir}/ at commit {commit}: "
                               f"{archive.stderr.decode(errors='replace').strip()}")
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
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
    head = _git(["rev-parse", "HEAD"], project_dir, check=False).stdout.strip()
    previous = previous_version(list_published(project_dir, branch), label)
    base_commit = source_commit(project_dir, branch, previous.version) if previous else None
    env = {SOURCE_COMMIT_ENV: head}
    with _changes_base(project_dir, base_commit, frameworks_dir) as base_dir:
        if base_dir is not None and previous is not None:
            env |= {CHANGES_BASE_ENV: str(base_dir), CHANGES_VERSION_ENV: previous.version}
        _mike(project_dir, ["deploy", "--update-aliases", "--alias-type", "copy",
                            "--branch", branch, "--remote", remote,
                            *(["--title", title] if title else []),
                            *(["--push"] if push else []), label, *aliases], env)
    if aliases and not _has_default(project_dir, branch):
        _mike(project_dir, ["set-default", "--branch", branch, "--remote", remote,
                            *(["--push"] if push else []), aliases[0]], {})
    return label


@contextmanager
def _changes_base(project_dir: Path, commit: str | None,
                  frameworks_dir: str) -> Iterator[Path | None]:
    if commit is None:
        yield None
        return
    with frameworks_at(project_dir, commit, frameworks_dir) as folder:
        yield folder


def _has_default(project_dir: Path, branch: str) -> bool:
    found = _git(["cat-file", "-e", f"{branch}:index.html"], project_dir, check=False)
    return found.returncode == 0


def _mike(project_dir: Path, args: list[str], env: dict[str, str]) -> None:
    if shutil.which(_tool("mike")) is None:
        raise PublishError("mike is not installed; run ./dev setup")
    done = subprocess.run([_tool("mike"), *args, "--config-file", "mkdocs.yml"],
                          cwd=project_dir, env=_tool_env(env), capture_output=True, text=True)
    if done.returncode != 0:
        output = (done.stderr or done.stdout).strip()
        raise PublishError(f"mike {args[0]} failed:\n{output}")


def serve_versions(project_dir: Path, dev_addr: str = "127.0.0.1:8000",
                   branch: str = "gh-pages") -> None:
    """Preview the versioned site from ``branch`` (``mike serve``)."""
    subprocess.run([_tool("mike"), "serve", "--branch", branch, "--dev-addr", dev_addr,
                    "--config-file", "mkdocs.yml"], cwd=project_dir, env=_tool_env(), check=False)
