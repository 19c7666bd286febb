"""Reading the two sides of ``careers diff``: git revisions of this repository, or folders.

A side is a git revision (``main``, ``origin/main``, ``HEAD~1``, a commit id), whose
frameworks folder is extracted with :func:`generator.git.extract_tree`, or a folder.
A folder is given explicitly: as a path starting with ``./``, ``../`` or ``/``, or with
``--dir`` (both sides are folders).  A bare name is a revision; only when it is not one
may it name a folder.  A name that is both a folder and a revision is an error: a pull
request could otherwise add a folder ``HEAD/`` (or ``origin/main/``) holding old
frameworks and make the diff compare against it.  Each side is validated; its errors
stop the command.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, Severity, errors_in, printable
from generator.git import (
    GitError,
    UnsafeTreeError,
    extract_tree,
    path_exists_at,
    resolve_commit,
    short_id,
    toplevel,
)
from generator.model import Framework
from generator.validation import validate_path


@dataclass(frozen=True)
class State:
    """One side of the comparison: a label for people and the frameworks it holds."""

    label: str
    frameworks: list[Framework]


class DiffUsageError(Exception):
    """BASE or HEAD names neither a folder nor a git revision, or both (exit status 2)."""


class InvalidStateError(Exception):
    """A side has validation errors; ``problems`` pairs each side's label with its errors."""

    def __init__(self, problems: list[tuple[str, list[Diagnostic]]]) -> None:
        self.problems = problems
        super().__init__(", ".join(label for label, _ in problems) + " has errors")


def load_states(base: str, head: str | None, frameworks_path: Path, *,
                folders: bool = False) -> tuple[State, State]:
    """Load and validate both sides; ``head=None`` is the working tree's ``frameworks_path``.

    With ``folders`` both sides are folders (``careers diff --dir``), never revisions.
    """
    states: list[State] = []
    problems: list[tuple[str, list[Diagnostic]]] = []
    for spec in (base, head):
        state, errors = load_state(spec, frameworks_path, folder=folders)
        states.append(state)
        if errors:
            problems.append((state.label, errors))
    if problems:
        raise InvalidStateError(problems)
    return states[0], states[1]


def load_state(spec: str | None, frameworks_path: Path, *,
               folder: bool = False) -> tuple[State, list[Diagnostic]]:
    """One side: ``None`` (the working tree), a folder, or a git revision of this repository.

    ``spec`` is a folder if ``folder`` is set or it is written as a path (``./old``,
    ``../x``, ``/tmp/x``); else a revision, or, if it is not one, a folder of that name.
    A name that is both is a :class:`DiffUsageError`.  Returns the state and its errors.
    """
    if spec is None:
        return _load_folder(frameworks_path, f"{frameworks_path.as_posix()} (working tree)")
    if folder or is_written_as_path(spec):
        if not Path(spec).is_dir():
            raise DiffUsageError(f"'{printable(spec)}' is not a folder")
        return _load_folder(Path(spec), spec)
    top = toplevel(Path.cwd())
    commit = resolve_commit(spec, top) if top is not None else None
    is_folder = Path(spec).is_dir() or Path(spec).is_symlink()
    if commit is not None and is_folder:
        raise DiffUsageError(
            f"'{printable(spec)}' names both a git revision and a folder here; write "
            f"./{printable(spec)} (or use --dir) for the folder, or remove the folder to "
            "compare with the revision")
    if commit is not None and top is not None:
        return _load_revision(spec, commit, top, frameworks_path)
    if is_folder:
        return _load_folder(Path(spec), spec)
    where = f"a git revision of {top}" if top is not None else \
        "a git revision (this is not a git repository)"
    raise DiffUsageError(f"'{printable(spec)}' is neither a folder nor {where}")


def is_written_as_path(spec: str) -> bool:
    """Whether ``spec`` is written as a path, not a name: ``.``, ``./x``, ``../x``, ``/x``."""
    return spec in (".", "..") or spec.startswith(("./", "../", "/"))


def _load_folder(path: Path, label: str,
                 root: Path | None = None) -> tuple[State, list[Diagnostic]]:
    result, diagnostics = validate_path(path, root)
    return State(label, result.frameworks), errors_in(diagnostics)


def _load_revision(ref: str, commit: str, top: Path,
                   frameworks_path: Path) -> tuple[State, list[Diagnostic]]:
    try:
        short = short_id(commit, top)
        label = ref if short.startswith(ref) else f"{ref} ({short})"
        inside = _inside_repository(frameworks_path, top)
        if not path_exists_at(commit, inside.as_posix(), top):
            return State(f"{label}, which has no {inside.as_posix()} folder", []), []
        with tempfile.TemporaryDirectory(prefix="careers-diff-") as folder:
            try:
                extract_tree(commit, inside.as_posix(), top, Path(folder))
            except UnsafeTreeError as unsafe:
                return State(label, []), [Diagnostic(unsafe.member, 1, 1, Severity.ERROR,
                                                     unsafe.reason, "unsafe-path")]
            return _load_folder(Path(folder) / inside, label, root=Path(folder))
    except GitError as error:
        raise DiffUsageError(str(error)) from None


def _inside_repository(frameworks_path: Path, top: Path) -> Path:
    try:
        return (Path.cwd() / frameworks_path).resolve().relative_to(top.resolve())
    except ValueError:
        raise DiffUsageError(f"{frameworks_path} is outside the git repository {top}") from None
