"""Shared fixtures: a tiny framework that is valid under ``--strict``, and the real CLI."""

from __future__ import annotations

import functools
import inspect
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

pytest_plugins = ["tests.site_fixtures"]

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "frameworks"

# Every site build of the suite (and its subprocesses) shares one cache of rendered PDF
# maps, so a map that many tests build is rendered once; keys are content hashes.
os.environ.setdefault("CAREER_PATHS_MAPS_CACHE", str(REPO / ".cache" / "maps"))

TINY_FRAMEWORK: dict[str, str] = {
    "framework.yaml": """\
name: Demo Framework
organisation: Example Mutual
version: "2026.1"
currency: USD
tiers:
  - id: t1
    name: Associate
  - id: t2
    name: Professional
tracks:
  - id: frontline
    name: Customer Service
    kind: individual
  - id: leadership
    name: Leadership
    kind: management
metrics:
  - id: fcr
    name: First-contact resolution
    unit: percent
policies:
  - id: quartile-gate
    text: Only first- and second-quartile performers are eligible.
    criteria:
      - metric: quartile
        max: 2
retired:
  - id: senior-csr
    replaced_by: csr-2
""",
    "competencies.yaml": """\
- id: call-resolution
  name: Call resolution
  levels:
    1: Resolves general inquiries with guidance.
    2: Resolves every call type independently.
""",
    "salary.yaml": """\
visibility: public
bands:
  - tier: t1
    min: 34000
    mid: 38000
    max: 42000
  - tier: t2
    min: 40000
    mid: 45000
    max: 50000
""",
    "roles/csr-1.yaml": """\
title: Customer Service Representative I
track: frontline
tier: t1
entry: true
competencies:
  call-resolution: 1
next: [csr-2, team-lead]
""",
    "roles/csr-2.yaml": """\
title: Customer Service Representative II
track: frontline
tier: t2
aliases: [csr-ii]
competencies:
  call-resolution: 2
criteria:
  - metric: months_in_role
    min: 12
  - metric: fcr
    min: 88
  - text: Signed off by a supervisor.
maintain:
  - metric: fcr
    min: 85
lateral: [team-lead]
""",
    "roles/team-lead.yaml": """\
title: Team Lead
track: leadership
tier: t2
competencies:
  call-resolution: 2
""",
}


@pytest.fixture
def tiny_framework(tmp_path: Path) -> Path:
    """``tmp_path/frameworks/demo``: a small framework that passes ``validate --strict``."""
    folder = tmp_path / "frameworks" / "demo"
    for name, text in TINY_FRAMEWORK.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


Careers = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def careers() -> Careers:
    """Run the real ``careers`` command (``python -m generator``); ``cwd`` is a keyword."""

    def run(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "generator", *map(str, args)],
            cwd=cwd, capture_output=True, text=True, timeout=60, check=False,
        )

    return run


# --- markers -------------------------------------------------------------------------------
# `browser`, `git` and `slow` are given here, from what a test uses, so a new test is marked
# without anyone remembering to: `./dev test -m "not slow"` is the quick run (under a minute).
BROWSER_FIXTURES = {"browser", "page", "tab", "tab_factory", "context", "served"}
SITE_FIXTURES = {"site", "example_site", "site_server", "internal_site", "public_site",
                 "malicious_site", "hostile_site", "zensical_site", "published", "versions",
                 "example_maps", "long_map", "big", "project", "installed_wheel"}
"""Fixtures that build a whole site, a wheel or PDF maps: seconds each."""
GIT_FIXTURES = {"repo", "published", "versions"}


def _source(item: pytest.Item) -> str:
    function = getattr(item, "function", None)
    return _source_of(function) if function is not None else ""


@functools.cache
def _source_of(function: Callable[..., object]) -> str:
    """The source of a test function (read once, however many parameters it has)."""
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


# --- order ---------------------------------------------------------------------------------
# pytest-xdist (`./dev test`: a file's tests in one process) hands out files in the order
# of the collection. The longest files go first, so that no long file starts last and
# keeps the run going on one core while the other has nothing left to do. By default
# xdist would hand out the files with the most tests first (--loadscope-reorder), which
# puts the few long tests of a browser, a wheel or a publish file at the very end.
SECONDS_ALONE = {
    "test_accessibility.py": 100, "test_wheel.py": 80, "test_safe_paths.py": 53,
    "test_browser_layout.py": 48, "test_atomic_build.py": 39, "test_publish.py": 41,
    "test_pdf_maps.py": 39, "test_printed_pages.py": 37, "test_serve.py": 28,
    "test_site_build.py": 24, "test_zensical.py": 23, "test_sweep.py": 22,
    "test_browser_tools.py": 21, "test_browser.py": 21, "test_fuzz.py": 20,
    "test_hostile_rendering.py": 19, "test_engines.py": 18, "test_parallel_build.py": 18,
    "test_untrusted_content.py": 17, "test_cli_validate.py": 15, "test_scale.py": 14,
    "test_maps_cache.py": 13, "test_git_inputs.py": 13, "test_maps_staleness.py": 13,
    "test_diff.py": 11, "test_serve_preview.py": 20, "test_guide_mistakes_1_1.py": 12,
}
"""Seconds each long test file takes alone (`pytest tests/FILE`, on a 2-core machine that
was not idle): only their order matters. A file not listed runs after these, in the
usual order; list one here once it takes more than about ten seconds."""


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config.option, "loadscopereorder"):  # pytest-xdist: keep the order below
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the longest files first (:data:`SECONDS_ALONE`), and mark each test ``browser``,
    ``git`` and ``slow`` from the fixtures and tools it uses."""
    # A stable sort: a file's tests stay together and in their order.
    items.sort(key=lambda item: -SECONDS_ALONE.get(item.path.name, 0))
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        source = _source(item)
        if fixtures & BROWSER_FIXTURES or "sync_playwright" in source:
            item.add_marker(pytest.mark.browser)
        if fixtures & GIT_FIXTURES or '"git"' in source:
            item.add_marker(pytest.mark.git)
        if item.get_closest_marker("browser") or fixtures & SITE_FIXTURES:
            item.add_marker(pytest.mark.slow)
