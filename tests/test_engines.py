"""Both engines build from one pipeline: the career-paths options of mkdocs.yml are honoured by
MkDocs and by Zensical alike."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from generator.urls import page_url_of
from tests.conftest import Careers
from tests.site_fixtures import EXAMPLES, REPO, SiteReader, project_config


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose mkdocs.yml sets every option of the plugin away from its default."""
    folder = tmp_path_factory.mktemp("options") / "project"
    shutil.copytree(EXAMPLES / "engineering", folder / "hr" / "frameworks" / "engineering")
    shutil.copytree(REPO / "site_docs", folder / "docs")
    config = project_config()
    config["docs_dir"] = "docs"
    config["plugins"] = ["search", {"career-paths": {
        "frameworks_dir": "hr/frameworks", "generated_dir": "build/pages",
        "assets_dir": "build/files", "nav_role_limit": 3, "maps": False,
        "insert_nav_after": 0}}]
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    (folder / ".gitignore").write_text("/build/\n/site*/\n/generated/\n", "utf-8")
    return folder


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_the_plugin_options_are_honoured_by_both_engines(project: Path, engine: str,
                                                        careers: Careers):
    site_dir = project / f"site-{engine}"
    done = careers("build", "--engine", engine, "--site-dir", site_dir, cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    site = SiteReader(site_dir)
    assert site.exists("engineering/roles/staff-engineer/"), "frameworks_dir"
    assert (project / "build" / "pages" / "engineering").is_dir(), "generated_dir"
    assert (project / "build" / "files" / "engineering" / "framework.json").is_file(), \
        "assets_dir"
    assert not list(site_dir.glob("*/maps/*.pdf")), "maps: false"
    tabs = [a.text.strip() for a in site.page("engineering/").select("nav.md-tabs a")]
    assert tabs[0] == "Engineering Career Framework", f"insert_nav_after: 0 puts it first: {tabs}"
    nav = site.page("engineering/tracks/ic/").select_one("nav.md-nav--primary")
    titles = {a.text.strip() for a in nav.select("a")}
    assert "Staff Engineer" not in titles, "above nav_role_limit the nav lists tracks only"


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_a_generated_page_owns_its_address_over_a_hand_written_one(
        project: Path, engine: str, careers: Careers, tmp_path: Path):
    """``docs/engineering/roles/staff-engineer.md`` would be published at the role's address:
    the generated page wins, whichever engine builds."""
    planted = project / "docs" / "engineering" / "roles" / "staff-engineer.md"
    planted.parent.mkdir(parents=True, exist_ok=True)
    planted.write_text("# PLANTED PAGE\n", encoding="utf-8")
    try:
        site_dir = tmp_path / "site"
        done = careers("build", "--engine", engine, "--site-dir", site_dir, cwd=project)
        assert done.returncode == 0, done.stdout + done.stderr
        page = (site_dir / "engineering" / "roles" / "staff-engineer" / "index.html").read_text(
            "utf-8")
        assert "PLANTED PAGE" not in page and "Staff Engineer" in page
        assert "it would be published at /engineering/roles/staff-engineer/" in done.stderr
        strict = careers("build", "--strict", "--engine", engine, "--site-dir", site_dir,
                         cwd=project)
        assert strict.returncode == 1, "a page left out is a warning: --strict refuses it"
    finally:
        planted.unlink()
        shutil.rmtree(project / "docs" / "engineering")


def test_page_addresses_of_markdown_files_follow_directory_urls():
    assert page_url_of("a/b.md") == "a/b/"
    assert page_url_of("a/b/index.md") == "a/b/"
    assert page_url_of("a/README.md") == "a/"
    assert page_url_of("index.md") == ""
    assert page_url_of("a/b.pdf") is None
