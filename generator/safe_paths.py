"""The folders a build reads and writes, made safe against what a pull request commits:
outputs checked before use and written without following links, a built site swapped in
whole, and source folders copied into the site only if no link in them leads out.

A pull request can commit anything, symbolic links included, and some of it lands where
the build writes (``generated/``, ``site/``).  So the build treats its output folders as
its own, whatever the engine (MkDocs through :mod:`generator.site_build` and the plugin,
Zensical through the same functions):

- :func:`check_output_folder` refuses a folder that is, holds or lies inside the project's
  sources (or the project itself), a folder reached through a symbolic link inside the
  project, and a folder in an area of the project that holds files tracked by git;
- :func:`reset_work_folder` recreates a work folder (generated pages, assets) from nothing;
- :func:`write_tree` and :func:`write_file` write files without ever writing through a link;
- :func:`staged_site` gives a staging folder beside the site and swaps it in by renames
  when the build succeeded, under a lock, after recovering from a build killed mid-swap;
- :func:`check_source_folder` refuses a folder the engine copies into the site
  (``site_docs/``, ``overrides/``) if a symbolic link in it leads out of it;
- :func:`sigterm_raises` turns SIGTERM into :class:`Terminated`, so that clean-up runs.

Every refusal is an :class:`UnsafePathError` whose text is ``path: what is wrong, and
what to do``.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import re
import secrets
import shutil
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import printable
from generator.git import tracked_files

log = logging.getLogger("career_paths")

SITE_MARKER = ".career-paths-site"
"""Written into every site ``careers build`` makes: only such a folder is ever replaced."""
WORK_MARKER = ".career-paths-generated"
"""Written into every work folder (generated pages, assets) the build recreates."""
_SITE_MARKER_TEXT = ("This folder is a site built by Career Paths (careers build), which "
                     "replaces it whole on the next build.\n")
_WORK_MARKER_TEXT = ("This folder is made by Career Paths on every build; do not edit it, "
                     "do not commit it.\n")
GENERATED_TREE = "generated"
"""The project's folder for generated files (git-ignored): work folders below it need no
marker to be recreated."""


class UnsafePathError(ValueError):
    """A folder or file cannot be used safely; ``str()`` is ``path: message``."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = str(path)
        self.message = message
        super().__init__(f"{printable(self.path)}: {message}")


class Terminated(BaseException):
    """The process received SIGTERM (raised by the handler of :func:`sigterm_raises`)."""


@dataclass(frozen=True)
class Project:
    """The project folder and its source folders, which no output may replace or enter."""

    root: Path
    sources: tuple[Path, ...] = ()

    @classmethod
    def of(cls, root: Path, *sources: Path | str | None) -> Project:
        """The project at ``root`` with these source folders (relative ones are below root;
        ``None`` is skipped); its ``.git`` is always one."""
        base = Path(os.path.abspath(root))
        folders = [base / ".git", *(base / source for source in sources if source)]
        return cls(base, tuple(Path(os.path.abspath(folder)) for folder in folders))

    def shown(self, path: Path) -> str:
        """``path`` relative to the project when inside it (for messages)."""
        try:
            return Path(os.path.abspath(path)).relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


# --- checking a folder ---------------------------------------------------------------------


def check_output_folder(folder: Path, project: Project, what: str = "its output") -> Path:
    """Refuse ``folder`` as a place the build writes ``what`` into; return it absolute.

    Refused: a symbolic link at the folder or at any folder between the project and it;
    a file where the folder should be; the project folder or a parent of it; a source
    folder, a folder inside one or one holding one; a folder whose area of the project
    (its first folder below the project) holds files tracked by git.
    """
    folder = Path(os.path.abspath(folder))
    _refuse_links(folder, project, what)
    _refuse_sources(folder, project)
    _refuse_tracked(folder, project)
    return folder


def check_site_folder(folder: Path, project: Project) -> Path:
    """:func:`check_output_folder` for a site, which must also be new, empty or one we built."""
    folder = check_output_folder(folder, project, "the site")
    if folder.is_dir() and not _is_ours(folder, SITE_MARKER) and not _legacy_site(folder) \
            and any(folder.iterdir()):
        raise UnsafePathError(
            project.shown(folder),
            f"this folder is not empty and is not a site built by careers build (it has no "
            f"{SITE_MARKER} file), so it is not replaced; choose a new or empty folder, or "
            "delete this one if it is an old site")
    return folder


def _refuse_links(folder: Path, project: Project, what: str) -> None:
    for part in _folders_from_project(folder, project):
        if part.is_symlink():
            raise UnsafePathError(
                project.shown(part),
                f"is a symbolic link (to {printable(os.readlink(part))}); the build writes "
                f"{what} here and never through a link. Delete the link (git rm it if it "
                "is committed); the build makes the folder itself")
        if part.exists() and not part.is_dir():
            raise UnsafePathError(
                project.shown(part),
                f"is a file, where the build needs a folder for {what}; delete or move it")


def _folders_from_project(folder: Path, project: Project) -> list[Path]:
    """The folders from the project down to ``folder`` (only ``folder`` if it is outside)."""
    try:
        relative = folder.relative_to(project.root)
    except ValueError:
        return [folder]
    return [project.root.joinpath(*relative.parts[: index + 1])
            for index in range(len(relative.parts))]


def _refuse_sources(folder: Path, project: Project) -> None:
    real = folder.resolve()
    if project.root.resolve().is_relative_to(real):
        raise UnsafePathError(
            str(folder), "is the project folder or one of its parents; the build replaces "
            "its output folder whole, so choose a folder of its own (for example site/)")
    for source in project.sources:
        source_real = source.resolve()
        if real == source_real or real.is_relative_to(source_real) \
                or source_real.is_relative_to(real):
            relation = ("is" if real == source_real else
                        "is inside" if real.is_relative_to(source_real) else "holds")
            raise UnsafePathError(
                project.shown(folder),
                f"{relation} the source folder {project.shown(source)}; the build replaces "
                "its output folders whole, so choose a folder of its own (for example site/)")


def _refuse_tracked(folder: Path, project: Project) -> None:
    try:
        relative = folder.relative_to(project.root)
    except ValueError:
        area = folder
    else:
        area = project.root / relative.parts[0] if relative.parts else folder
    tracked = tracked_files(area)
    if tracked:
        shown = ", ".join(printable(name) for name in tracked[:3])
        raise UnsafePathError(
            project.shown(folder),
            f"{project.shown(area)} holds files tracked by git ({shown}); output folders "
            f"are made by the build, never committed. Remove them from git "
            f"(git rm -r --cached {project.shown(area)}) and list the folder in .gitignore")


def is_built_site(folder: Path) -> bool:
    """Whether ``folder`` is a site a build made (a real folder with the site marker)."""
    return folder.is_dir() and not folder.is_symlink() and (
        _is_ours(folder, SITE_MARKER) or _legacy_site(folder))


def _is_ours(folder: Path, marker: str) -> bool:
    path = folder / marker
    return path.is_file() and not path.is_symlink()


def _legacy_site(folder: Path) -> bool:
    """A site built before the marker existed: MkDocs' sitemap and our build-info.json."""
    return all((folder / name).is_file() and not (folder / name).is_symlink()
               for name in ("sitemap.xml", "build-info.json"))


# --- source folders ------------------------------------------------------------------------


def check_source_folder(folder: Path, project: Project, what: str = "the site") -> None:
    """Refuse ``folder`` (hand-written pages, theme overrides) if a link in it leads out of it.

    Engines copy such folders into the site and follow links as they go: a committed link
    ``site_docs/x -> /etc/passwd`` or ``-> ../frameworks/demo/salary.yaml`` would publish
    what it points at.  A link to a file or folder inside ``folder`` is fine.
    """
    if not folder.is_dir():
        return
    if folder.is_symlink():
        raise UnsafePathError(project.shown(folder),
                              f"is a symbolic link (to {printable(os.readlink(folder))}); "
                              f"it is copied into {what}, so it must be a real folder")
    real_folder = folder.resolve()
    for top, folders, names in os.walk(folder):
        for name in [*folders, *names]:
            path = Path(top) / name
            if path.is_symlink() and not path.resolve().is_relative_to(real_folder):
                raise UnsafePathError(
                    project.shown(path),
                    f"is a symbolic link to {printable(os.readlink(path))}, outside "
                    f"{project.shown(folder)}; it would be copied into {what}. Copy the "
                    "file in instead of linking it")


# --- work folders --------------------------------------------------------------------------


def reset_work_folder(folder: Path, project: Project, what: str = "generated files") -> Path:
    """Check ``folder`` (see :func:`check_output_folder`) and recreate it empty; return it.

    An existing folder is deleted only if the build made it (its marker file), if it is
    below the project's ``generated/`` folder, or if it is empty.
    """
    folder = check_output_folder(folder, project, what)
    if folder.is_dir():
        inside_generated = folder.is_relative_to(project.root / GENERATED_TREE)
        if not (_is_ours(folder, WORK_MARKER) or inside_generated or not any(folder.iterdir())):
            raise UnsafePathError(
                project.shown(folder),
                f"this folder is not empty and was not made by the build (it has no "
                f"{WORK_MARKER} file), so it is not replaced; choose another folder for "
                f"{what}, or delete this one")
        shutil.rmtree(folder)  # never follows links inside: they are removed as links
    make_folder(folder, project)
    (folder / WORK_MARKER).write_text(_WORK_MARKER_TEXT, encoding="utf-8")
    return folder


def make_folder(folder: Path, project: Project) -> None:
    """Create ``folder`` and its missing parents, refusing links inside the project."""
    folder = Path(os.path.abspath(folder))
    for part in [*reversed(folder.parents), folder]:
        inside = part != project.root and part.is_relative_to(project.root)
        if inside and part.is_symlink():
            raise UnsafePathError(project.shown(part), "is a symbolic link; the build never "
                                    "writes through one. Delete it (git rm it if committed)")
        if not part.exists():
            part.mkdir()


def write_tree(folder: Path, files: Sequence[tuple[str, bytes]]) -> None:
    """Make ``folder`` hold exactly ``files`` (relative path, content), never through a link.

    Links found inside are deleted (the build writes none); a file whose content is
    unchanged is left alone, times included, so that a dirty rebuild (``careers serve``)
    rebuilds only what changed.  The work marker stays.
    """
    escaping = [path for path, _ in files if not stays_inside(path)]
    if escaping:  # ids are validated slugs, so this is the last line of defence
        raise UnsafePathError(str(folder), f"refusing to write outside it: {escaping[:3]}")
    if folder.is_symlink():
        raise UnsafePathError(str(folder), "is a symbolic link; the build never writes "
                                             "through one. Delete it")
    wanted = {path for path, _ in files} | {WORK_MARKER}
    if folder.is_dir():
        _remove_all_but(folder, wanted)
    elif folder.exists():
        folder.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    made: set[str] = set()
    for path, data in files:
        _write_below(folder, path, data, made)


def write_file(folder: Path, path: str, data: bytes) -> Path:
    """Write ``folder/path`` atomically, refusing links at every folder below ``folder``."""
    if not stays_inside(path):
        raise UnsafePathError(str(folder), f"refusing to write outside it: {path}")
    if folder.is_symlink():
        raise UnsafePathError(str(folder), "is a symbolic link; the build never writes "
                                           "through one. Delete it")
    folder.mkdir(parents=True, exist_ok=True)
    _make_parents_below(folder, path, set())
    target = folder / path
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        _write_new(temporary, data)
        os.replace(temporary, target)  # replaces a link itself, never what it points at
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    return target


def stays_inside(path: str) -> bool:
    """True if ``path`` is relative and cannot climb out of the folder it is written below."""
    return (bool(path) and not path.startswith("/") and "\\" not in path and ":" not in path
            and all(part not in ("", ".", "..") for part in path.split("/")))


def _remove_all_but(folder: Path, kept: set[str]) -> None:
    """Delete links, unwanted files and empty folders below ``folder`` (links not followed)."""
    for top, folders, names in os.walk(folder, topdown=False):
        base = Path(top)
        for name in names:
            path = base / name
            if path.is_symlink() or path.relative_to(folder).as_posix() not in kept:
                path.unlink()
        for name in folders:
            path = base / name
            if path.is_symlink():
                path.unlink()
            elif not any(path.iterdir()):
                path.rmdir()


def _make_parents_below(folder: Path, path: str, made: set[str]) -> None:
    parts = path.split("/")[:-1]
    for index in range(len(parts)):
        relative = "/".join(parts[: index + 1])
        if relative in made:
            continue
        current = folder / relative
        if current.is_symlink() or (current.exists() and not current.is_dir()):
            current.unlink()
        if not current.exists():
            current.mkdir()
        made.add(relative)


def _write_below(folder: Path, path: str, data: bytes, made: set[str]) -> None:
    _make_parents_below(folder, path, made)
    target = folder / path
    if target.is_symlink():
        target.unlink()
    elif target.is_dir():
        shutil.rmtree(target)
    elif target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
        return
    _write_new(target, data, truncate=True)


def _write_new(path: Path, data: bytes, *, truncate: bool = False) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | (os.O_TRUNC if truncate else os.O_EXCL)
    descriptor = os.open(path, flags, 0o666)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


# --- the site: staged, locked, swapped -----------------------------------------------------


@contextmanager
def staged_site(target: Path, project: Project) -> Iterator[Path]:
    """A new folder to build the site into; it replaces ``target`` when the block succeeds.

    The target is checked first (:func:`check_site_folder`).  Builds of the same folder
    wait for each other (a lock on the folder holding it).  Before staging, leftovers of
    builds that were killed are cleared up: if a kill left no site at all, the newest
    complete one (a finished staging folder, else the swapped-out old site) is put back.
    The staging folder is made like any new folder (``0o777`` less the umask) and is
    always removed when the block ends, whether it succeeded or not.
    """
    target = check_site_folder(target, project)
    make_folder(target.parent, project)
    with _lock(target):
        _recover_leftovers(target)
        check_site_folder(target, project)
        staging = target.with_name(
            f".{target.name}-building-{os.getpid()}-{secrets.token_hex(4)}")
        try:  # made inside the try: a Ctrl-C right after it still removes it
            staging.mkdir(mode=0o777)
            yield staging
            (staging / SITE_MARKER).write_text(_SITE_MARKER_TEXT, encoding="utf-8")
            _replace_folder(staging, target)
        finally:
            _remove_staging(staging)


def _remove_staging(staging: Path, attempts: int = 20) -> None:
    """Remove a staging folder, again if a worker that is ending still wrote into it."""
    for _ in range(attempts):
        shutil.rmtree(staging, ignore_errors=True)
        if not os.path.lexists(staging):
            return
        time.sleep(0.05)


@contextmanager
def _lock(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on the folder holding ``target`` (released even by kill -9)."""
    descriptor = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("%s: another build is writing here; waiting for it to finish",
                        printable(str(target)))
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _replace_folder(new: Path, target: Path) -> None:
    """Put ``new`` where ``target`` is, by renames, so readers never see a mix.

    Ctrl-C and SIGTERM take effect once the swap is done: an interrupt between the two
    renames would leave no site at all.
    """
    old = target.with_name(f".{target.name}-old-{os.getpid()}")
    with signals_deferred():
        moved = False
        if target.exists():
            os.replace(target, old)
            moved = True
        try:
            os.replace(new, target)
        except OSError:
            if moved:
                os.replace(old, target)
            raise
        shutil.rmtree(old, ignore_errors=True)


_LEFTOVER = re.compile(r"-(building|old)-(\d+)(?:-|$)")


def _recover_leftovers(target: Path) -> None:
    """Clear up after builds of ``target`` that were killed; restore a site if none is left."""
    leftovers = _leftovers(target)
    if not leftovers:
        return
    if not os.path.lexists(target):
        finished = [folder for kind, folder in leftovers
                    if kind == "building" and _is_ours(folder, SITE_MARKER)]
        previous = [folder for kind, folder in leftovers if kind == "old"]
        candidates = sorted(finished, key=_mtime) or sorted(previous, key=_mtime)
        if candidates:
            restored = candidates[-1]
            os.replace(restored, target)
            log.warning("%s: restored from %s, left by a build that was stopped during its "
                        "swap", printable(str(target)), printable(restored.name))
    for _kind, folder in leftovers:
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)


def _leftovers(target: Path) -> list[tuple[str, Path]]:
    prefix = f".{target.name}"
    found = []
    for folder in target.parent.iterdir():
        if not folder.name.startswith(prefix + "-") or folder.is_symlink() or not folder.is_dir():
            continue
        match = _LEFTOVER.match(folder.name.removeprefix(prefix))
        if match and not _running(int(match.group(2))):
            found.append((match.group(1), folder))
    return found


def _mtime(folder: Path) -> float:
    try:
        return folder.stat().st_mtime
    except OSError:
        return 0.0


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own leftovers can only be from an earlier build in this process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- signals -------------------------------------------------------------------------------


@contextmanager
def signals_deferred() -> Iterator[None]:
    """SIGINT and SIGTERM received inside the block are acted on when it ends."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread receives Python signals
        return
    received: list[int] = []
    previous = {number: signal.signal(number, lambda number, _frame: received.append(number))
                for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
        for number in received:
            signal.raise_signal(number)


@contextmanager
def sigterm_raises() -> Iterator[None]:
    """Inside the block SIGTERM raises :class:`Terminated` (so ``finally`` clean-up runs:
    staging folders removed, worker processes stopped), instead of ending the process.

    Processes forked meanwhile (workers) inherit the handler; in them SIGTERM keeps its
    usual meaning and ends them at once.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()
    asked: list[int] = []

    def terminate(number: int, _frame: object) -> None:
        if os.getpid() != owner:  # a forked worker: end as if no handler were installed
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
            return
        asked.append(number)
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
    if asked:  # raised where Python only prints it (an at-fork hook of os.fork): end now
        raise Terminated


def describe_os_error(error: OSError) -> str:
    """``path: reason`` for an error of the file system (full disk, read-only folder ...)."""
    reason = error.strerror or str(error)
    hint = {errno.ENOSPC: "; free some space and build again",
            errno.EROFS: "; build into a folder that can be written",
            errno.EACCES: "; build into a folder you may write",
            errno.ENAMETOOLONG: "; an id is too long for a file name"}.get(error.errno or 0, "")
    where = error.filename if error.filename is not None else "the output folder"
    return f"{printable(str(where))}: {reason}{hint}"


__all__ = [
    "GENERATED_TREE",
    "SITE_MARKER",
    "WORK_MARKER",
    "Project",
    "Terminated",
    "UnsafePathError",
    "check_output_folder",
    "check_site_folder",
    "check_source_folder",
    "describe_os_error",
    "is_built_site",
    "make_folder",
    "reset_work_folder",
    "signals_deferred",
    "sigterm_raises",
    "staged_site",
    "stays_inside",
    "write_file",
    "write_tree",
]


def replace_file(path: Path, data: bytes, mode: int) -> None:
    """Put ``data`` at ``path`` atomically with permissions ``mode`` whatever the umask,
    through a new file that follows no link (for our caches in the user's folder)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    finally:
        with suppress(FileNotFoundError):
            temporary.unlink()
