"""Work shared out to forked processes, one per core, where forking is safe.

Big frameworks have thousands of role files to read and thousands of pages to render,
each independent of the others; :func:`fork_map` does such work on every core. A forked
process inherits everything the parent has prepared (frameworks, laid-out maps), so the
work itself needs no pickling; only the results travel back.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

_TASK: Callable[[Any], Any] | None = None
"""The function of the current :func:`fork_map`, which the forked processes inherit."""


JOBS_ENV = "CAREER_PATHS_JOBS"
"""How many processes a build shares its work out to (default: one per core; 1: none)."""


def cores() -> int:
    """How many processes work can be shared out to here: ``$CAREER_PATHS_JOBS``, else one
    per core."""
    wanted = os.environ.get(JOBS_ENV, "")
    return max(1, int(wanted)) if wanted.isdigit() else os.cpu_count() or 1


def can_fork() -> bool:
    """Whether forking is possible and safe: the platform forks, and no other thread runs
    (a thread holding a lock at the fork would leave the child stuck)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def fork_map(function: Callable[[Item], Result], items: Sequence[Item], jobs: int,
             minimum: int = 2) -> list[Result]:
    """``[function(item) for item in items]``, by ``jobs`` forked processes when there are
    at least ``minimum`` items and forking is safe, else in this process."""
    global _TASK
    if jobs <= 1 or len(items) < max(minimum, 2) or not can_fork() or _TASK is not None:
        return [function(item) for item in items]
    _TASK = function
    try:
        with multiprocessing.get_context("fork").Pool(
                min(jobs, len(items)), initializer=_start_pool_worker, initargs=(os.getpid(),)
        ) as pool:
            results = pool.map(_call, items, chunksize=max(1, len(items) // (jobs * 8)))
            pool.close()  # the workers end when the work is done, not by a signal
            pool.join()
            return results
    finally:
        _TASK = None


def _start_pool_worker(parent: int) -> None:
    """A pool worker dies with the build, and ends at once when the pool ends it (the pool
    sends SIGTERM; a handler inherited from the build, which defers it or raises it into
    the build's own clean-up, left a worker waiting for work forever, and the build with
    it); Ctrl-C is the build's to handle."""
    start_worker(parent, interruptible=False)


def _call(item: Any) -> Any:
    assert _TASK is not None
    return _TASK(item)


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None) -> None:
    """Make this worker end when its parent process dies, even by ``kill -9``: an orphaned
    worker would hold the build's output open and keep a core busy.

    ``parent`` is the build's process id when the build forked this worker itself, so a
    build that died before the signal was armed is noticed too; ``None`` when a fork server
    started it (the fork server is the parent then, and ends with the build).
    """
    if sys.platform.startswith("linux"):
        # without prctl, the parent check below still runs
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent is not None and os.getppid() != parent:  # died before the signal was armed
        os._exit(1)


def start_worker(parent: int | None, *, interruptible: bool = True) -> None:
    """Set up a forked worker of ``parent``: it dies with it (:func:`die_with_parent`), ends
    at once on SIGTERM, and on Ctrl-C raises KeyboardInterrupt (``interruptible``, instead
    of the parent's deferral) or leaves it to the parent."""
    die_with_parent(parent)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler if interruptible else signal.SIG_IGN)
