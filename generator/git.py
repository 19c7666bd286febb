"""Reading the repository with git, for ``careers diff``, ``careers publish`` and the build.

Every value that comes from outside (a revision, a path, a branch name) is passed after
``--end-of-options`` or ``--``, so a value such as ``--output=x`` is never read as an
option.  Trees are extracted with :func:`extract_tree`, which refuses links that leave
the folder (tarfile's ``data`` filter) and reports that as :class:`UnsafeTreeError`.
Failures are :class:`GitError` with a message for people, never a traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path


class GitError(Exception):
    """git is missing or refused what was asked; the message says which and why."""


@dataclass
class UnsafeTreeError(Exception):
    """A tree holds a member that may not be extracted (a link leaving the folder)."""

    member: str
    """The member's path inside the tree, as git stores it."""
    reason: str

    def __str__(self) -> str:
        return f"{self.member}: {self.reason}"


def run_git(args: list[str], cwd: Path, *, stdin: bytes | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``git args`` in ``cwd`` (with ``env`` added to the environment); raise
    :class:`GitError` only if git is not installed."""
    try:
        return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True,
                              check=False, env={**os.environ, **env} if env else None)
    except FileNotFoundError:
        raise GitError("git is needed here, and it is not installed") from None
    except NotADirectoryError:
        raise GitError(f"{cwd} is not a folder") from None


def git_text(args: list[str], cwd: Path, failure: str) -> str:
    """The output of ``git args`` as text; raise :class:`GitError` with ``failure`` if it fails."""
    done = run_git(args, cwd)
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip().splitlines()
        raise GitError(f"{failure}: {said[-1]}" if said else failure)
    return done.stdout.decode(errors="replace").strip()


def toplevel(cwd: Path) -> Path | None:
    """The top folder of the work tree holding ``cwd``, or None outside a repository."""
    try:
        done = run_git(["rev-parse", "--show-toplevel"], cwd)
    except GitError:
        return None
    if done.returncode != 0:
        return None
    return Path(done.stdout.decode().strip())


def resolve_commit(revision: str, cwd: Path) -> str | None:
    """The commit id ``revision`` names in the repository of ``cwd``, or None if none."""
    done = run_git(["rev-parse", "--verify", "--quiet", "--end-of-options",
                    f"{revision}^{{commit}}"], cwd)
    return done.stdout.decode().strip() if done.returncode == 0 else None


def short_id(commit: str, cwd: Path) -> str:
    """The abbreviated form of a commit id."""
    return git_text(["rev-parse", "--short", "--end-of-options", commit], cwd,
                    "git rev-parse failed")


def head_commit(cwd: Path) -> str:
    """The commit checked out in ``cwd`` ("" outside a repository or before the first)."""
    done = run_git(["rev-parse", "--verify", "--quiet", "HEAD"], cwd)
    return done.stdout.decode().strip() if done.returncode == 0 else ""


def show_file(revision: str, path: str, cwd: Path) -> bytes | None:
    """The bytes of ``path`` at ``revision`` (e.g. a branch), or None if it is not there."""
    done = run_git(["cat-file", "blob", "--end-of-options", f"{revision}:{path}"], cwd)
    return done.stdout if done.returncode == 0 else None


def path_exists_at(commit: str, path: str, cwd: Path) -> bool:
    """Whether ``path`` (a file or folder) exists at ``commit``."""
    if path in ("", "."):
        return True
    return run_git(["cat-file", "-e", "--end-of-options", f"{commit}:{path}"],
                   cwd).returncode == 0


def tracked_files(path: Path, limit: int = 5) -> list[str]:
    """Up to ``limit`` files at or below ``path`` that git tracks ([] outside a repository).

    ``path`` need not exist; the names are relative to the repository's top folder.
    """
    folder = path if path.is_dir() and not path.is_symlink() else path.parent
    while not folder.is_dir():
        folder = folder.parent
    top = toplevel(folder)
    if top is None:
        return []
    try:
        inside = Path(os.path.abspath(path)).relative_to(os.path.abspath(top))
    except ValueError:
        try:
            inside = path.resolve().relative_to(top.resolve())
        except ValueError:
            return []  # another repository's business
    done = run_git(["ls-files", "-z", "--full-name", "--", f":(literal){inside.as_posix()}"],
                   top)
    if done.returncode != 0:
        return []
    names = [name for name in done.stdout.decode(errors="replace").split("\0") if name]
    return names[:limit]


def extract_tree(commit: str, path: str, cwd: Path, destination: Path) -> None:
    """Write the files under ``path`` at ``commit`` (a commit id) into ``destination``.

    Raises :class:`UnsafeTreeError` for a link that leaves ``destination`` (nothing
    outside it is ever written) and :class:`GitError` if git fails.
    """
    if not re.fullmatch(r"[0-9a-f]{7,64}", commit):
        raise GitError(f"'{commit}' is not a commit id (resolve it with resolve_commit)")
    archived = run_git(["archive", "--format=tar", commit, "--", path], cwd)
    if archived.returncode != 0:
        said = archived.stderr.decode(errors="replace").strip()
        raise GitError(f"git archive of {path} at {commit[:12]} failed: {said}")
    with tarfile.open(fileobj=BytesIO(archived.stdout)) as archive:
        try:
            archive.extractall(destination, filter="data")
        except tarfile.FilterError as refused:
            member = refused.tarinfo.name
            target = refused.tarinfo.linkname
            raise UnsafeTreeError(
                member, f"this is a link to '{target}', outside the folder; links may only "
                "point inside it: replace the link with a copy of what it points at") from None
        except (tarfile.TarError, OSError) as failed:
            raise GitError(f"cannot extract {path} at {commit[:12]}: {failed}") from None


__all__ = [
    "GitError",
    "UnsafeTreeError",
    "extract_tree",
    "git_text",
    "head_commit",
    "path_exists_at",
    "resolve_commit",
    "run_git",
    "short_id",
    "show_file",
    "toplevel",
    "tracked_files",
]


def copy_on_branch(branch: str, source: str, target: str, message: str, cwd: Path) -> bool:
    """Commit on ``branch`` a copy of its file ``source`` at ``target`` (no work tree is
    touched); False when ``source`` is missing or ``target`` already holds the same file."""
    def blob(path: str) -> str:
        done = run_git(["rev-parse", "--verify", "--quiet", "--end-of-options",
                        f"{branch}:{path}"], cwd)
        return done.stdout.decode().strip() if done.returncode == 0 else ""

    copied, parent = blob(source), resolve_commit(branch, cwd)
    if not copied or parent is None or blob(target) == copied:
        return False
    with tempfile.TemporaryDirectory() as scratch:
        index = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
        steps = [["read-tree", "--end-of-options", parent],
                 ["update-index", "--add", "--cacheinfo", f"100644,{copied},{target}"]]
        for step in steps:
            if run_git(step, cwd, env=index).returncode != 0:
                raise GitError(f"cannot copy {source} to {target} on {branch}")
        tree = run_git(["write-tree"], cwd, env=index).stdout.decode().strip()
    commit = git_text(["commit-tree", tree, "-p", parent, "-m", message], cwd,
                      f"cannot commit {target} on {branch}")
    git_text(["update-ref", f"refs/heads/{branch}", commit, parent], cwd,
             f"cannot move {branch}")
    return True
