"""A real copy of a Career Paths project in a temp folder, as a pull request would check out.

The copy holds the project's ``mkdocs.yml``, ``site_docs/``, ``overrides/`` and the tiny
framework, optionally as a git repository with one commit, so that tests can commit what
an attacker would commit and run the real ``careers`` command on it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import TINY_FRAMEWORK

REPO = Path(__file__).resolve().parents[1]
PLUGIN = "career-paths"


def make_project(folder: Path, *, git: bool = True, maps: bool = False) -> Path:
    """Copy the project into ``folder`` (tiny framework ``demo``); return ``folder``.

    With ``git``, it is a repository with everything committed on ``main``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("site_docs", "overrides"):
        shutil.copytree(REPO / name, folder / name)
    shutil.copy(REPO / ".gitignore", folder / ".gitignore")
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = "overrides"  # a project's own theme overrides
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and PLUGIN in plugin:
            plugin[PLUGIN]["maps"] = maps
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False),
                                       encoding="utf-8")
    for name, text in TINY_FRAMEWORK.items():
        path = folder / "frameworks" / "demo" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if git:
        run_git(folder, "init", "-q", "-b", "main")
        run_git(folder, "config", "user.email", "test@example.org")
        run_git(folder, "config", "user.name", "Test")
        commit_all(folder, "the project")
    return folder


def run_git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, f"git {args}: {done.stderr}"
    return done.stdout


def commit_all(folder: Path, message: str, *forced: str) -> None:
    """Commit every change, and the ``forced`` paths even if git ignores them (``git add -f``,
    as anyone opening a pull request can)."""
    run_git(folder, "add", "-A")
    if forced:
        run_git(folder, "add", "-f", "--", *forced)
    run_git(folder, "commit", "-q", "--allow-empty", "-m", message)


def careers(folder: Path, *args: str | Path, env: dict[str, str] | None = None,
            timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run the real ``careers`` command in ``folder``."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)], cwd=folder,
        capture_output=True, text=True, timeout=timeout, check=False,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})})


def manifest(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` (links not followed) with the SHA-256 of its bytes."""
    found = {}
    for top, _folders, names in os.walk(folder):
        for name in names:
            path = Path(top) / name
            if path.is_symlink():
                found[path.relative_to(folder).as_posix()] = "link:" + os.readlink(path)
            else:
                found[path.relative_to(folder).as_posix()] = hashlib.sha256(
                    path.read_bytes()).hexdigest()
    return found


def leftovers(site: Path) -> list[str]:
    """Staging or swapped-out folders of builds of ``site`` still lying around."""
    return sorted(path.name for path in site.parent.iterdir()
                  if path.name.startswith(f".{site.name}-"))


def assert_clean_failure(run: subprocess.CompletedProcess[str], *expected: str) -> None:
    """Exit status 1, every ``expected`` text in stderr, and no traceback."""
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    for text in expected:
        assert text in run.stderr, run.stderr
