"""The site's assets are made in a forked process during a build, the same as in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.model import Framework
from generator.site_assets import AssetError, AssetJob
from generator.site_render import RenderOptions, SiteRenderer
from generator.validation import load_valid_frameworks
from tests.site_fixtures import EXAMPLES


@pytest.fixture(scope="module")
def frameworks() -> list[Framework]:
    loaded, _ = load_valid_frameworks(EXAMPLES, EXAMPLES.parent)
    return loaded


def _contents(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_assets_made_in_the_background_equal_those_made_in_process(
        frameworks: list[Framework], tmp_path: Path) -> None:
    options = RenderOptions(site_url="https://careers.example.org/")
    renderer = SiteRenderer(frameworks, options)
    forked = AssetJob.start(renderer, tmp_path / "forked", background=True)
    inline = AssetJob.start(SiteRenderer(frameworks, options), tmp_path / "inline",
                            background=False)
    assert sorted(forked.finish()) == sorted(inline.finish())
    assert _contents(tmp_path / "forked") == _contents(tmp_path / "inline")
    assert "engineering/downloads/engineering.xlsx" in forked.paths


def test_assets_are_copied_into_the_site_and_left_alone_when_up_to_date(
        frameworks: list[Framework], tmp_path: Path) -> None:
    job = AssetJob.start(SiteRenderer(frameworks), tmp_path / "assets", background=True)
    site = tmp_path / "site"
    job.copy_into(site)
    copied = site / "engineering" / "framework.json"
    assert copied.read_bytes() == (tmp_path / "assets" / "engineering" / "framework.json"
                                   ).read_bytes()
    before = copied.stat().st_mtime_ns
    job.copy_into(site)
    assert copied.stat().st_mtime_ns == before


def test_a_failure_in_the_background_is_reported_with_its_cause(
        frameworks: list[Framework], tmp_path: Path) -> None:
    blocker = tmp_path / "assets"
    blocker.write_text("a file where the assets folder should be", encoding="utf-8")
    job = AssetJob.start(SiteRenderer(frameworks), blocker / "inside", background=True)
    with pytest.raises(AssetError, match="could not be made"):
        job.finish()
