"""A build shares its work out to every core (role pages, Markdown conversion, templates,
search indexing) and makes the same site, byte for byte, as a build on one core."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import synthetic
from generator.forking import JOBS_ENV
from tests.site_fixtures import REPO, write_config

ROLES = 120  # above the threshold of the parallel role pages


def files_of(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes()
            for path in sorted(site.rglob("*")) if path.is_file()}


@pytest.mark.slow
def test_a_build_on_every_core_makes_the_site_of_a_build_on_one(tmp_path: Path) -> None:
    synthetic.write_framework(ROLES, tmp_path / "frameworks")
    shutil.copytree(REPO / "frameworks" / "engineering", tmp_path / "frameworks" / "engineering")
    config = write_config(tmp_path, tmp_path / "frameworks")
    sites = {}
    for jobs in ("1", "2"):
        site = tmp_path / f"site-{jobs}"
        done = subprocess.run([sys.executable, "-m", "generator", "build", "--config", config,
                               "--site-dir", site], cwd=tmp_path, capture_output=True,
                              text=True, timeout=600, env={**os.environ, JOBS_ENV: jobs})
        assert done.returncode == 0, done.stderr
        assert "Generated empty output" not in done.stderr
        sites[jobs] = files_of(site)
    assert sites["1"].keys() == sites["2"].keys()
    different = [path for path in sites["1"] if sites["1"][path] != sites["2"][path]]
    assert different == []
    assert any(path.startswith("synthetic/roles/") for path in sites["1"])


FORK_MAP_CHECK = """
import os
from generator.forking import fork_map
items = list(range(50))
assert fork_map(lambda n: n * n, items, jobs=2) == [n * n for n in items]
parent = os.getpid()
assert set(fork_map(lambda _n: os.getpid(), items, jobs=2, minimum=100)) == {parent}
assert parent not in set(fork_map(lambda _n: os.getpid(), items, jobs=2))
# The build's own SIGTERM handler (which raises into its clean-up) is not the workers':
# the pool ends them with SIGTERM, and one that kept the handler could wait forever.
import signal
signal.signal(signal.SIGTERM, lambda *_: None)
assert set(fork_map(lambda _n: signal.getsignal(signal.SIGTERM), items, jobs=2)) == {
    signal.SIG_DFL}
"""


def test_fork_map_keeps_the_order_and_works_in_this_process_below_its_minimum() -> None:
    """Run in a fresh interpreter: this one has threads (servers of other tests), and
    fork_map never forks beside a thread."""
    run = subprocess.run([sys.executable, "-c", FORK_MAP_CHECK], capture_output=True,
                         text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert run.returncode == 0, run.stderr


def test_a_forked_worker_ends_when_the_build_is_killed(tmp_path: Path) -> None:
    """``kill -9`` of the parent: its workers end too, instead of holding its output."""
    script = (f"import os, time\nfrom generator.forking import fork_map\n"
              f"fork_map(lambda n: open({str(tmp_path)!r} + f'/{{os.getpid()}}', 'w')"
              f" and time.sleep(300), list(range(2)), jobs=2)\n")
    build = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                             env={**os.environ, "PYTHONPATH": str(REPO)})
    deadline = time.monotonic() + 60
    while len(list(tmp_path.iterdir())) < 2:
        assert time.monotonic() < deadline and build.poll() is None, "no workers started"
        time.sleep(0.05)
    workers = [int(path.name) for path in tmp_path.iterdir()]
    build.kill()
    build.communicate(timeout=30)  # the workers no longer hold its output open
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() and "Z" not in _state(pid) for pid in workers):
        assert time.monotonic() < deadline, "a worker outlived the killed build"
        time.sleep(0.05)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][:1]
    except (OSError, IndexError):
        return "Z"
