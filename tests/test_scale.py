"""Big frameworks stay fast: what the renderer draws and writes differently at scale.

The timing itself lives in ``benchmarks/run.py``; these tests check the behaviour that
keeps it linear (small maps on role pages, no blank matrix rows, unchanged files left
alone for dirty rebuilds) on a synthetic framework with lowered limits.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from generator import synthetic as synth
from generator.career_map import neighbourhood
from generator.export import export_file_names, export_files
from generator.loading import PARALLEL_READ_FROM
from generator.model import Framework
from generator.site_render import (
    GeneratedFile,
    RenderedSite,
    RenderOptions,
    render_assets,
    render_pages,
    render_site,
)
from generator.validation import load_valid_frameworks, validate_path

REPO = Path(__file__).resolve().parents[1]




@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Framework:
    """A synthetic framework of 60 roles in two job families."""
    folder = tmp_path_factory.mktemp("frameworks")
    synth.write_framework(60, folder)
    (framework,), _ = load_valid_frameworks(folder, folder)
    return framework


def _pages(framework: Framework, **options: int) -> dict[str, str]:
    site = render_site([framework], RenderOptions(**options))
    return {f.path: f.content for f in site.files if isinstance(f.content, str)}


def _map_roles(page: str) -> set[str]:
    """Role ids whose boxes the career map on ``page`` links to."""
    figure = page[page.index('<figure class="cp-map"'):]
    return set(re.findall(r'href="\.\./([a-z0-9-]+)/"', figure[:figure.index("</figure>")]))


def test_a_big_framework_shows_the_neighbourhood_map_as_an_image_beside_a_role_page(
        big: Framework) -> None:
    role = big.roles["claims-analyst-3"]
    pages = _pages(big, role_map_limit=20)
    page = pages[f"{big.id}/roles/{role.id}/index.md"]
    assert "<svg" not in page
    assert '<img src="career-map.svg"' in page
    assert "Open the whole career map" in page
    image = pages[f"{big.id}/roles/{role.id}/career-map.svg"]
    drawn = set(re.findall(r'data-role="([a-z0-9-]+)"', image))
    assert drawn == {role.id, *role.next, *role.lateral, *big.previous_roles[role.id]}


def test_a_small_framework_draws_every_role_on_a_role_page(big: Framework) -> None:
    pages = _pages(big, role_map_limit=100)
    page = pages[f"{big.id}/roles/claims-analyst-3/index.md"]
    assert len(_map_roles(page)) == len(big.roles) - 1
    assert "Open the whole career map" not in page


def test_a_big_framework_links_its_map_from_the_overview_instead_of_drawing_it(
        big: Framework) -> None:
    small_overview = _pages(big, overview_map_limit=100)[f"{big.id}/index.md"]
    big_overview = _pages(big, overview_map_limit=20)[f"{big.id}/index.md"]
    assert "<svg" in small_overview
    assert "<svg" not in big_overview
    assert 'href="career-map.svg"' in big_overview


def test_neighbourhood_keeps_the_moves_their_tracks_and_the_tiers_between(
        big: Framework) -> None:
    part = neighbourhood(big, "claims-manager-4")
    role = big.roles["claims-manager-4"]
    assert set(part.roles) == {role.id, *role.next, *role.lateral,
                               *big.previous_roles[role.id]}
    assert {track.id for track in part.spec.tracks} == {r.track for r in part.roles.values()}
    ranks = sorted(big.tier_rank[tier.id] for tier in part.spec.tiers)
    assert ranks == list(range(ranks[0], ranks[-1] + 1))


def test_competency_matrix_has_a_row_only_for_competencies_the_track_expects(
        big: Framework) -> None:
    page = _pages(big)[f"{big.id}/competencies/index.md"]
    matrices = page.split('<div class="cp-table-wrap cp-matrix">')[1:]
    first_track = big.spec.tracks[0].id
    expected = {c for r in big.roles_on_track(first_track) for c in r.competencies}
    rows = set(re.findall(r'<th scope="row"><a href="#([a-z0-9-]+)">', matrices[0]))
    assert rows == expected
    assert len(rows) < len(big.competencies)


def test_writing_a_site_again_leaves_unchanged_files_untouched(tmp_path: Path) -> None:
    out = tmp_path / "pages"
    RenderedSite([GeneratedFile("a.md", "same"), GeneratedFile("b/c.md", "old"),
                  GeneratedFile("gone/d.md", "stale")]).write(out)
    old_time = 1_000_000_000
    for path in out.rglob("*.md"):
        os.utime(path, (old_time, old_time))
    RenderedSite([GeneratedFile("a.md", "same"), GeneratedFile("b/c.md", "new")]).write(out)
    assert (out / "a.md").stat().st_mtime == old_time
    assert (out / "b/c.md").read_text(encoding="utf-8") == "new"
    assert not (out / "gone").exists()


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_download_names_are_known_without_making_the_downloads(
        big: Framework, export_format: str) -> None:
    assert export_file_names(big, export_format) == list(export_files(big, export_format))


def test_pages_and_assets_together_are_the_whole_site(big: Framework) -> None:
    options = RenderOptions(role_map_limit=20)
    whole = {f.path for f in render_site([big], options).files}
    pages = {f.path for f in render_pages([big], options).files}
    assets = {f.path for f in render_assets([big], options)}
    assert pages | assets == whole and not pages & assets
    assert all(path.endswith((".md", ".html", "build-info.json")) for path in pages)


def test_reading_role_files_in_parallel_finds_the_same_roles_and_problems(
        tmp_path: Path) -> None:
    folder = synth.write_framework(PARALLEL_READ_FROM, tmp_path)
    (folder / "roles" / "claims-analyst-1.yaml").write_text(
        "title: A\ntitle: B\ntrack: nope\ntier: t1\n", encoding="utf-8")
    (folder / "roles" / "claims-analyst-2.yaml").write_text("title: [open\n", encoding="utf-8")
    serial, serial_problems = validate_path(tmp_path, tmp_path, jobs=1)
    parallel, parallel_problems = validate_path(tmp_path, tmp_path, jobs=2)
    assert parallel_problems == serial_problems
    assert {d.rule for d in serial_problems} >= {"duplicate-key", "unknown-track"}
    assert parallel.frameworks[0].roles == serial.frameworks[0].roles
