"""The sweep of issue 11: for every folder the build reads or writes, a committed link to
outside and a committed planted file are each refused or ignored.

Each case commits one thing into a real copy of the project (a git repository), as a pull
request would, and runs the real ``careers build``.  Whatever the outcome, nothing outside
the project is touched, no byte of the secret or of the planted file is published, and a
refusal is a clean ``path: message`` error.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from generator.pdf_maps import MAPS_CACHE_ENV, FrameworkMaps, map_key
from generator.validation import load_valid_frameworks
from tests.project_copy import careers, commit_all, make_project, manifest

SECRET = "TOP-SECRET-4711"
PLANTED = "PLANTED-BY-A-PULL-REQUEST"
SITE_URL = yaml.safe_load((Path(__file__).parents[1] / "mkdocs.yml").read_text(
    encoding="utf-8"))["site_url"]


@dataclass(frozen=True)
class Attack:
    """What a pull request commits into one folder, and what the build must do about it."""

    folder: str
    kind: str
    """``link`` (a link to a secret outside the project) or ``planted`` (a file of its own)."""
    commit: Callable[[Path, Path], list[str]]
    """Makes the change in (project, secret); returns the paths to force-add."""
    refusal: str | None
    """Words of the error if the build must refuse; ``None`` if it must ignore the change."""
    maps: bool = False

    def __str__(self) -> str:
        return f"{self.folder}-{self.kind}"


def link(path: str, *, folder: bool = False) -> Callable[[Path, Path], list[str]]:
    def commit(project: Path, secret: Path) -> list[str]:
        target = project / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() or target.is_symlink():
            target.unlink()
        target.symlink_to(secret.parent if folder else secret, target_is_directory=folder)
        return [path]
    return commit


def plant(path: str, content: str = f"<script>{PLANTED}</script>\n"
          ) -> Callable[[Path, Path], list[str]]:
    def commit(project: Path, _secret: Path) -> list[str]:
        target = project / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        return [path]
    return commit


def cached_maps(kind: str) -> Callable[[Path, Path], list[str]]:
    """Links or PDFs at the old default cache, named by the real cache keys of the maps."""
    def commit(project: Path, secret: Path) -> list[str]:
        frameworks, _ = load_valid_frameworks(project / "frameworks", project)
        maps = FrameworkMaps(frameworks[0], site_url=SITE_URL)
        cache = project / ".cache" / "maps"
        cache.mkdir(parents=True)
        for role_id in maps.role_ids:
            pdf = cache / f"{map_key(maps.html(role_id))}.pdf"
            if kind == "link":
                pdf.symlink_to(secret)
            else:
                pdf.write_bytes(f"%PDF-1.4 /JS (app.alert('{PLANTED}'))".encode())
        return [".cache/maps"]
    return commit


TRACKED = "holds files tracked by git"
ATTACKS = [
    Attack("frameworks", "link", link("frameworks/demo/roles/leak.yaml"),
           "link to a place outside the frameworks folder"),
    Attack("frameworks", "planted", plant("frameworks/demo/planted.html"),
           "unexpected 'planted.html' in a framework folder"),
    Attack("generated", "link", link("generated/pages/demo/roles/csr-1.md"), TRACKED),
    Attack("generated", "planted", plant("generated/pages/demo/roles/csr-1.md"), TRACKED),
    Attack("assets", "link", link("generated/pages-assets/demo/framework.json"), TRACKED),
    Attack("assets", "planted", plant("generated/pages-assets/demo/tools.json"), TRACKED),
    Attack("maps-cache", "link", cached_maps("link"), None, maps=True),
    Attack("maps-cache", "planted", cached_maps("planted"), None, maps=True),
    Attack("site", "link", link("site", folder=True), "site: is a symbolic link"),
    Attack("site", "planted", plant("site/index.html"), TRACKED),
    Attack("site_docs", "link", link("site_docs/leak.txt"),
           "site_docs/leak.txt: is a symbolic link to"),
    Attack("site_docs", "planted", plant("site_docs/demo/roles/csr-1.md",
                                         f"# {PLANTED}\n"), None),
    Attack("site_docs", "planted-index", plant("site_docs/demo/roles/csr-2/index.md",
                                               f"# {PLANTED}\n"), None),
    Attack("overrides", "link", link("overrides/partials/leak.html"),
           "overrides/partials/leak.html: is a symbolic link to"),
    Attack("overrides", "planted", plant("overrides/demo/roles/csr-2/index.html"), None),
]


def published_bytes(site: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(site.rglob("*"))
                    if path.is_file() and not path.is_symlink())


@pytest.mark.parametrize("attack", ATTACKS, ids=str)
def test_a_committed_link_or_planted_file_is_refused_or_ignored(attack: Attack,
                                                                tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    project = make_project(tmp_path / "project", maps=attack.maps)
    commit_all(project, f"a pull request: {attack}", *attack.commit(project, secret))
    env = {key: value for key, value in os.environ.items() if key != MAPS_CACHE_ENV}
    env["XDG_CACHE_HOME"] = str(tmp_path / "user-cache")  # the user's own, empty cache

    run = careers(project, "build", env=env, timeout=300)

    assert "Traceback" not in run.stderr, run.stderr
    if attack.refusal is not None:
        assert run.returncode == 1, run.stderr
        assert attack.refusal in run.stderr, run.stderr
        assert "careers: build failed" in run.stderr
    else:
        assert run.returncode == 0, run.stderr
        published = published_bytes(project / "site")
        assert PLANTED.encode() not in published
        if attack.maps:
            assert len(list((project / "site" / "demo" / "maps").glob("*.pdf"))) == 3
    if (project / "site").is_dir() and not (project / "site").is_symlink():
        assert SECRET.encode() not in published_bytes(project / "site")
    assert manifest(outside) == {"secret.txt": manifest(outside)["secret.txt"]}
    assert secret.read_text(encoding="utf-8") == f"{SECRET}\n"

