"""The package as an HR team installs it: the built wheel, in a fresh virtual environment,
used in an empty folder outside this repository."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.html_tree import parse_html

BUILD_INPUTS = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE",
                "SECURITY.md", "generator", "templates", "overrides", "site_docs")


def run(*command: str | Path, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr, done.stderr
    return done


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with the wheel built from a copy of the sources (and Zensical) installed."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in BUILD_INPUTS:
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy
        copy(REPO / name, source / name, **({"ignore": shutil.ignore_patterns(
            "__pycache__")} if (REPO / name).is_dir() else {}))
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", work / "dist", source,
        cwd=work)
    wheel = next((work / "dist").glob("career_paths-*.whl"))
    run(sys.executable, "-m", "venv", work / "venv", cwd=work)
    run(work / "venv" / "bin" / "python", "-m", "pip", "install", "-q",
        "--disable-pip-version-check", f"{wheel}[zensical]", cwd=work)
    return work / "venv"


def test_the_installed_package_carries_its_files_and_never_refers_to_the_repository(
        installed_wheel: Path):
    done = run(installed_wheel / "bin" / "python", "-c",
               "from generator import resources as r; import json; print(json.dumps("
               "[str(r.templates_dir()), str(r.theme_dir()), str(r.guide_dir()), "
               "str(r.source_checkout())]))", cwd=installed_wheel)
    *folders, checkout = json.loads(done.stdout)
    assert checkout == "None"
    for folder in folders:
        assert Path(folder).is_relative_to(installed_wheel), folder
    fonts = Path(folders[0]) / "map" / "fonts"
    assert list(fonts.glob("*.ttf")), "the bundled fonts of the printable maps"
    package = next(installed_wheel.glob("lib/python*/site-packages/generator"))
    mentions = [path for path in package.rglob("*") if path.is_file()
                and str(REPO).encode() in path.read_bytes()]
    assert mentions == []
    version = run(installed_wheel / "bin" / "careers", "--version", cwd=installed_wheel)
    assert version.stdout.startswith("careers ")


def test_a_new_site_from_careers_init_builds_alike_with_both_engines(
        installed_wheel: Path, tmp_path: Path):
    careers = installed_wheel / "bin" / "careers"
    run(careers, "init", "my-careers", "--organisation", "Acme", cwd=tmp_path)
    site = tmp_path / "my-careers"
    run(careers, "validate", "--strict", cwd=site)
    run(careers, "build", cwd=site)
    run(careers, "build", "--engine", "zensical", "--site-dir", "site-zensical", cwd=site)
    mkdocs, zensical = site / "site", site / "site-zensical"

    def pages(root: Path) -> set[str]:
        return {path.relative_to(root).as_posix() for path in root.rglob("index.html")}

    assert pages(mkdocs) == pages(zensical)
    maps = sorted(path.relative_to(mkdocs) for path in mkdocs.glob("*/maps/*.pdf"))
    assert len(maps) == 5, maps
    assert maps == sorted(path.relative_to(zensical) for path in zensical.glob("*/maps/*.pdf"))
    redirect = "customer-support/roles/specialist/index.html"
    assert (mkdocs / redirect).read_bytes() == (zensical / redirect).read_bytes()
    assert 'http-equiv="refresh"' in (mkdocs / redirect).read_text("utf-8")

    def occupation(root: Path) -> dict:
        page = parse_html((root / "customer-support/roles/support-specialist/index.html")
                          .read_text("utf-8"))
        return json.loads(page.select_one("script[type=application/ld+json]").text)

    assert occupation(mkdocs) == occupation(zensical)
    assert occupation(mkdocs)["name"] == "Support Specialist"


def test_every_command_works_in_the_new_site(installed_wheel: Path, tmp_path: Path):
    careers = installed_wheel / "bin" / "careers"
    run(careers, "init", "site", cwd=tmp_path)
    site = tmp_path / "site"
    run(careers, "render", cwd=site)
    assert (site / "generated" / "zensical" / "mkdocs.yml").is_file()
    run(careers, "export", "--format", "csv", cwd=site)
    assert (site / "exports" / "customer-support-roles.csv").is_file()
    run(careers, "maps", "--role", "team-lead", cwd=site)
    for command in (["init", "-q", "-b", "main"], ["config", "user.email", "hr@example.org"],
                    ["config", "user.name", "HR"], ["add", "-A"], ["commit", "-qm", "start"]):
        run("git", *command, cwd=site)
    role = site / "frameworks" / "customer-support" / "roles" / "team-lead.yaml"
    role.write_text(role.read_text("utf-8").replace("min: 12", "min: 18"), "utf-8")
    diff = run(careers, "diff", "HEAD", cwd=site)
    assert "Team Leader" in diff.stdout and "18" in diff.stdout
    published = run(careers, "publish", cwd=site)
    assert "published version" in published.stdout
    listing = run(careers, "publish", "--list", cwd=site)
    assert "[latest]" in listing.stdout
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([careers, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=site,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        page = _fetch_when_up(f"http://127.0.0.1:{port}/customer-support/roles/team-lead/")
        assert "<h1" in page and "Team Leader" in page
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    assert "Traceback" not in errors


def _fetch_when_up(url: str, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
