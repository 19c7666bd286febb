"""Atomic builds: readers and deploys see the previous site or the new one, never a mix.

``careers build`` builds into a staging folder beside the target and swaps it in by
renames only when MkDocs succeeded.  These tests fail builds, interrupt real
``careers build`` processes with SIGINT at several moments, and kill one outright.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator import synthetic as synth
from generator.site_build import SiteBuildError, build_site
from tests.conftest import TINY_FRAMEWORK
from tests.site_fixtures import write_config

PLUGIN = "career-paths"


def write_project(folder: Path, name: str, roles: int = 0) -> Path:
    """A project in ``folder``: one framework called ``name`` (the tiny one, or a synthetic
    one with ``roles`` roles) and a ``mkdocs.yml`` without PDF maps; return the config."""
    frameworks = folder / "frameworks"
    if roles:
        framework = synth.write_framework(roles, frameworks)
    else:
        framework = frameworks / "demo"
        for file, text in TINY_FRAMEWORK.items():
            (framework / file).parent.mkdir(parents=True, exist_ok=True)
            (framework / file).write_text(text, encoding="utf-8")
    spec = framework / "framework.yaml"
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        f"name: {data['name']}", f"name: {name}", 1), encoding="utf-8")
    config_path = write_config(folder, frameworks)
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and PLUGIN in plugin:
            plugin[PLUGIN]["maps"] = False  # PDFs are not what these tests are about
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config_path


def rename_framework(config: Path, old: str, new: str) -> None:
    for spec in (config.parent / "frameworks").glob("*/framework.yaml"):
        spec.write_text(spec.read_text(encoding="utf-8").replace(f"name: {old}", f"name: {new}"),
                        encoding="utf-8")


def manifest(site: Path) -> dict[str, str]:
    """Every file of ``site`` with the SHA-256 of its bytes."""
    return {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(site.rglob("*")) if path.is_file()}


def leftovers(site: Path) -> list[str]:
    """Staging or swapped-out folders of builds of ``site`` still lying around."""
    return sorted(path.name for path in site.parent.iterdir()
                  if path.name.startswith(f".{site.name}-"))


def pages_naming(site: Path, name: str) -> set[str]:
    """Pages of the site that mention ``name`` (the framework name is on every page's nav)."""
    return {path.relative_to(site).as_posix() for path in site.rglob("*.html")
            if name in path.read_text(encoding="utf-8")}


# --- failed and successful builds --------------------------------------------------------------


ALPHA, BETA = "Version Alpha", "Version Beta"


@pytest.fixture(scope="module")
def alpha_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny framework "Version Alpha" built once, into a folder that did not exist (nor
    did its parents)."""
    folder = tmp_path_factory.mktemp("alpha")
    return build_site(write_project(folder, ALPHA), folder / "out" / "nested" / "site")


def alpha_project(folder: Path, alpha_site: Path) -> tuple[Path, Path]:
    """A project "Version Alpha" in ``folder`` whose site is a copy of :func:`alpha_site`
    (the same bytes as a build of it there); its config and its site."""
    config = write_project(folder, ALPHA)
    site = folder / "site"
    shutil.copytree(alpha_site, site)
    return config, site


def test_a_failed_build_leaves_the_previous_site_untouched(
        alpha_site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config, site = alpha_project(tmp_path, alpha_site)
    before = manifest(site)
    role = tmp_path / "frameworks" / "demo" / "roles" / "team-lead.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("tier: t2", "tier: t9"),
                    encoding="utf-8")
    rename_framework(config, "Version Alpha", "Version Beta")

    with pytest.raises(SiteBuildError):
        build_site(config, site)

    assert re.search(r"team-lead\.yaml:\d+:\d+: error: unknown tier", caplog.text)

    assert manifest(site) == before
    assert leftovers(site) == []


def test_the_command_says_a_failed_build_left_the_previous_site(alpha_site: Path,
                                                                tmp_path: Path) -> None:
    config, site = alpha_project(tmp_path, alpha_site)
    before = manifest(site)
    (tmp_path / "frameworks" / "demo" / "salary.yaml").write_text("bands: {", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--config", str(config),
         "--site-dir", str(site)],
        capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path)
    assert run.returncode == 1
    assert "previous site is unchanged" in run.stderr and "salary.yaml:1:" in run.stderr
    assert "Traceback" not in run.stderr
    assert manifest(site) == before and leftovers(site) == []


def test_a_successful_build_replaces_the_whole_site(alpha_site: Path, tmp_path: Path) -> None:
    config, site = alpha_project(tmp_path, alpha_site)
    (site / "stale.html").write_text("from an older build", encoding="utf-8")
    (site / "demo" / "roles" / "removed-role").mkdir()
    (site / "demo" / "roles" / "removed-role" / "index.html").write_text("gone", encoding="utf-8")
    rename_framework(config, "Version Alpha", "Version Beta")

    build_site(config, site)

    assert not (site / "stale.html").exists()
    assert not (site / "demo" / "roles" / "removed-role").exists()
    assert pages_naming(site, "Version Alpha") == set()
    assert "demo/roles/csr-1/index.html" in pages_naming(site, "Version Beta")
    assert leftovers(site) == []


def test_a_build_into_a_new_folder_creates_it(alpha_site: Path) -> None:
    assert alpha_site.parts[-3:] == ("out", "nested", "site")  # none of them existed
    assert (alpha_site / "demo" / "index.html").is_file()
    assert leftovers(alpha_site) == []


# --- interrupted and killed builds -------------------------------------------------------------

ROLES = 80


def start_build(config: Path, site: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--config", str(config),
         "--site-dir", str(site)],
        cwd=config.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def staging_of(site: Path) -> list[Path]:
    return [path for path in site.parent.iterdir()
            if path.name.startswith(f".{site.name}-building-")]


def wait_until(condition: Callable[[], object], build: subprocess.Popen[str]) -> None:
    """Poll ``condition`` until it holds or the build has ended."""
    deadline = time.monotonic() + 300
    while not condition() and build.poll() is None:
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A synthetic framework as "Version Alpha" and "Version Beta": the file list of each
    complete site, and how long a build takes."""
    folder = tmp_path_factory.mktemp("atomic")
    config = write_project(folder, ALPHA, roles=ROLES)
    files, sites = {}, {}
    started = time.monotonic()
    for name in (ALPHA, BETA):
        if name == BETA:
            rename_framework(config, ALPHA, BETA)
        site = sites[name] = folder / name.replace(" ", "-")
        run = start_build(config, site)
        _out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        files[name] = set(manifest(site))
    return {"config": config, "files": files, "sites": sites,
            "seconds": (time.monotonic() - started) / 2}


def assert_old_or_new(site: Path, before: dict[str, str], new_name: str, new_files: set[str],
                      old_name: str) -> str:
    """The site is exactly the previous one, or completely the new one; say which."""
    now = manifest(site)
    if now == before:
        return "old"
    assert set(now) == new_files, "the site is neither the old nor the new one"
    assert pages_naming(site, old_name) == set(), "pages of the old site remain"
    assert "index.html" in pages_naming(site, new_name)
    return "new"


def test_an_interrupted_build_leaves_the_old_or_the_new_site_never_a_mix(
        versions: dict[str, object], tmp_path: Path) -> None:
    config = versions["config"]
    files = versions["files"]
    seconds = versions["seconds"]
    assert isinstance(config, Path) and isinstance(files, dict) and isinstance(seconds, float)
    site = tmp_path / "site"
    current = BETA  # what the framework files say after the fixture
    shutil.copytree(versions["sites"][BETA], site)  # the fixture's build of them
    outcomes = []
    for moment in ("start", 0.2, 0.4, 0.7, "sitemap written"):
        following = ALPHA if current == BETA else BETA
        rename_framework(config, current, following)
        before = manifest(site)
        run = start_build(config, site)
        wait_until(lambda: staging_of(site), run)  # inside build_site now
        if moment == "sitemap written":  # MkDocs writes it last: interrupt just before the swap
            wait_until(lambda: any((path / "sitemap.xml").exists()
                                   for path in staging_of(site)), run)
        elif moment != "start":
            time.sleep(float(moment) * seconds)
        run.send_signal(signal.SIGINT)
        _out, err = run.communicate(timeout=300)
        assert "Traceback" not in err
        assert run.returncode in (0, 130), err
        state = assert_old_or_new(site, before, following, files[following], current)
        assert leftovers(site) == [], f"interrupted at {moment}"
        if run.returncode == 0:
            assert state == "new"
        outcomes.append((moment, run.returncode, state))
        if state == "new":
            current = following
        else:
            rename_framework(config, following, current)
    assert outcomes[0][2] == "old", outcomes  # interrupted right at the start


def test_leftovers_of_a_killed_build_are_removed_by_the_next_build(
        versions: dict[str, object], tmp_path: Path) -> None:
    config = versions["config"]
    assert isinstance(config, Path)
    site = tmp_path / "site"
    run = start_build(config, site)
    wait_until(lambda: any(any(path.iterdir()) for path in staging_of(site)), run)
    run.kill()  # SIGKILL: no clean-up can run
    run.communicate(timeout=60)
    killed = staging_of(site)
    assert killed, "the build finished before it could be killed"
    assert not site.exists()

    small = write_project(tmp_path / "small", "Version Small")
    build_site(small, site)

    assert not any(path.exists() for path in killed)
    assert leftovers(site) == []
