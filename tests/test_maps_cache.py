"""The cache of rendered maps is never a way in (issue 11, item 1).

A map's cache key is a hash of its HTML, which anyone can compute from the public
framework, so a pull request could plant ``<key>.pdf`` (a link to a secret, or a PDF of
its own) where the build looks.  The cache lives in the user's cache folder, a cache
folder holding committed files is refused, and only regular files this generator wrote
are ever taken from it.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
import yaml

from generator import pdf_maps
from generator.pdf_maps import (
    CACHE_FILE_MODE,
    MAPS_CACHE_ENV,
    MapCache,
    MapOptions,
    build_maps,
    default_cache_dir,
    map_key,
)
from generator.safe_paths import UnsafePathError
from generator.validation import load_valid_frameworks
from tests.project_copy import (
    assert_clean_failure,
    careers,
    commit_all,
    make_project,
    manifest,
)

SECRET = "internal-figure-9417"
SITE_URL = yaml.safe_load((Path(__file__).parents[1] / "mkdocs.yml").read_text(
    encoding="utf-8"))["site_url"]


def without_cache_variable() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key != MAPS_CACHE_ENV}


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """A project with maps whose site was built once; the maps it cached, by file name."""
    folder = tmp_path_factory.mktemp("maps-cache")
    project = make_project(folder / "project", maps=True)
    cache = folder / "probe-cache"
    built = careers(project, "build", env={MAPS_CACHE_ENV: str(cache)})
    assert built.returncode == 0, built.stderr
    return project, {pdf.name: pdf.read_bytes() for pdf in cache.glob("*.pdf")}


def plant_links(folder: Path, names: list[str], target: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).symlink_to(target)


def test_a_committed_cache_of_links_to_secrets_is_refused(
        probe: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    template, maps = probe
    project = tmp_path / "project"
    shutil.copytree(template, project, symlinks=True)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "career-paths" in plugin:
            plugin["career-paths"]["maps_cache_dir"] = ".cache/maps"  # the old default
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    plant_links(project / ".cache" / "maps", sorted(maps), project / ".git" / "config")
    commit_all(project, "a cache of maps", ".cache/maps")
    site_before = manifest(project / "site")

    run = careers(project, "build", env=without_cache_variable())

    assert_clean_failure(run, ".cache/maps: .cache holds files tracked by git",
                         "the previous site is unchanged")
    assert manifest(project / "site") == site_before


def test_the_default_cache_is_outside_the_repository_so_a_planted_cache_is_ignored(
        probe: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    template, maps = probe
    project = tmp_path / "project"
    shutil.copytree(template, project, symlinks=True)
    secret = project / "frameworks" / "demo" / "salary.yaml"
    secret.write_text(secret.read_text(encoding="utf-8") + f"# {SECRET}\n", encoding="utf-8")
    plant_links(project / ".cache" / "maps", sorted(maps), secret)
    commit_all(project, "a cache of maps at the old default place", ".cache/maps")
    user_cache = tmp_path / "xdg" / "career-paths" / "maps"
    user_cache.mkdir(parents=True)
    for name, data in maps.items():  # what the user's own earlier builds cached
        (user_cache / name).write_bytes(data)
        (user_cache / name).chmod(CACHE_FILE_MODE)

    run = careers(project, "build",
                  env={**without_cache_variable(), "XDG_CACHE_HOME": str(tmp_path / "xdg")})

    assert run.returncode == 0, run.stderr
    published = sorted((project / "site" / "demo" / "maps").glob("*.pdf"))
    assert len(published) == len(maps) == 3
    assert sorted(path.read_bytes() for path in published) == sorted(maps.values())
    assert all(SECRET.encode() not in path.read_bytes() for path in published)


@pytest.fixture(scope="module")
def tiny_frameworks(probe: tuple[Path, dict[str, bytes]]) -> list:
    """The probe's frameworks; the keys of their maps are the names the site build cached."""
    project, maps = probe
    frameworks, _ = load_valid_frameworks(project / "frameworks", project)
    assert {f"{key}.pdf" for key in keys_of(frameworks)} == set(maps)
    return frameworks


def keys_of(frameworks: list) -> list[str]:
    maps = pdf_maps.FrameworkMaps(frameworks[0], site_url=SITE_URL)
    return [map_key(maps.html(role_id)) for role_id in maps.role_ids]


def options(cache: Path | None) -> MapOptions:
    return MapOptions(site_url=SITE_URL, cache_dir=cache)


def filled_cache(folder: Path, maps: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True)
    for name, data in maps.items():
        (folder / name).write_bytes(data)
        (folder / name).chmod(CACHE_FILE_MODE)
    return folder


def test_a_link_in_the_cache_is_deleted_and_the_map_rendered_again(
        tiny_frameworks: list, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    cache = tmp_path / "cache"
    key = keys_of(tiny_frameworks)[0]
    plant_links(cache, [f"{key}.pdf"], secret)

    report = build_maps(tiny_frameworks, tmp_path / "out", options(cache))

    assert len(report.rendered) == 3 and report.cached == []
    pdf = cache / f"{key}.pdf"
    assert not pdf.is_symlink() and pdf.read_bytes().startswith(b"%PDF-")
    assert secret.read_text(encoding="utf-8") == SECRET
    assert all(SECRET.encode() not in path.read_bytes() for path in report.files.values())


def test_a_planted_pdf_is_not_taken_from_the_cache(
        probe: tuple[Path, dict[str, bytes]], tiny_frameworks: list, tmp_path: Path) -> None:
    _project, maps = probe
    cache = filled_cache(tmp_path / "cache", maps)
    planted = b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\n"
    key = keys_of(tiny_frameworks)[1]
    (cache / f"{key}.pdf").unlink()
    (cache / f"{key}.pdf").write_bytes(planted)  # as git would check it out: mode 0644
    (cache / f"{key}.pdf").chmod(0o644)

    report = build_maps(tiny_frameworks, tmp_path / "out", options(cache))

    assert len(report.rendered) == 1 and len(report.cached) == 2
    assert all(path.read_bytes() != planted for path in report.files.values())
    assert (cache / f"{key}.pdf").stat().st_mode & 0o777 == CACHE_FILE_MODE


def test_a_cached_map_with_a_second_name_is_not_taken(
        probe: tuple[Path, dict[str, bytes]], tiny_frameworks: list, tmp_path: Path) -> None:
    _project, maps = probe
    cache = filled_cache(tmp_path / "cache", maps)
    key = keys_of(tiny_frameworks)[2]
    os.link(cache / f"{key}.pdf", tmp_path / "second-name.pdf")

    report = build_maps(tiny_frameworks, None, options(cache))

    assert len(report.rendered) == 1 and len(report.cached) == 2


def test_a_cache_folder_that_is_a_link_is_refused(tiny_frameworks: list,
                                                  tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "cache").symlink_to(tmp_path / "real", target_is_directory=True)
    with pytest.raises(UnsafePathError, match="cache: the maps cache is a symbolic link"):
        build_maps(tiny_frameworks, None, options(tmp_path / "cache"))


def test_a_cache_folder_with_files_tracked_by_git_is_refused(tiny_frameworks: list,
                                                             tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    (project / "maps-cache").mkdir()
    (project / "maps-cache" / "old.pdf").write_bytes(b"%PDF-1.4")
    commit_all(project, "a committed cache", "maps-cache")
    with pytest.raises(UnsafePathError, match="maps-cache holds files tracked by git"):
        MapCache.open(project / "maps-cache")


def test_cache_keys_change_with_the_generator_version(
        tiny_frameworks: list, monkeypatch: pytest.MonkeyPatch) -> None:
    before = keys_of(tiny_frameworks)
    pdf_maps._renderer_fingerprint.cache_clear()
    monkeypatch.setattr(pdf_maps, "_generator_version", lambda: "99.0.0")
    try:
        after = keys_of(tiny_frameworks)
    finally:
        pdf_maps._renderer_fingerprint.cache_clear()
    assert set(before).isdisjoint(after)


def test_the_default_cache_is_the_users_cache_folder_unless_the_variable_names_one(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(MAPS_CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "career-paths" / "maps"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "career-paths" / "maps"
    monkeypatch.setenv(MAPS_CACHE_ENV, str(tmp_path / "shared"))
    assert default_cache_dir() == tmp_path / "shared"


@pytest.mark.parametrize("other_thread", [False, True], ids=["forked", "fork-server"])
def test_maps_render_on_two_cores_whether_forked_or_started_by_a_fork_server(
        tiny_frameworks: list, tmp_path: Path, other_thread: bool) -> None:
    """With another thread running, map workers come from a fork server (forking then is
    unsafe); they are its children, not the build's, and must still render every map."""
    stop = threading.Event()
    waiting = threading.Thread(target=stop.wait) if other_thread else None
    if waiting is not None:
        waiting.start()
    try:
        report = build_maps(tiny_frameworks, tmp_path / "out",
                            MapOptions(site_url=SITE_URL, cache_dir=tmp_path / "cache", jobs=2))
    finally:
        stop.set()
        if waiting is not None:
            waiting.join()

    assert len(report.rendered) == 3
    assert all(path.read_bytes().startswith(b"%PDF-") for path in report.files.values())
