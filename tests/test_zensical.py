"""The same generated pages built by Zensical (``careers render`` + ``zensical build``).

These tests pin down what works under Zensical and what does not; the findings are
written up in ``site_docs/guide/engines.md``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.model import Framework
from tests.browser import CHROMIUM_ARGS
from tests.site_fixtures import (
    EXAMPLE_FRAMEWORKS,
    REPO,
    SiteReader,
    broken_links,
    serve_directory,
)

REPO_EDIT = "https://github.com/example/career-paths/edit/main/"
CHROMIUM = Path("/usr/bin/chromium")


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> SiteReader:
    """``careers build --engine zensical`` of the project."""
    out = tmp_path_factory.mktemp("zensical") / "site"
    build = run("generator", "build", "--engine", "zensical", "--site-dir", out, cwd=REPO)
    assert build.returncode == 0, build.stdout + build.stderr
    return SiteReader(out)


def test_render_writes_a_standalone_config_without_inherit(tmp_path: Path):
    out = tmp_path / "out"
    render = run("generator", "render", "--project", REPO, "--out", out, cwd=REPO)
    assert render.returncode == 0, render.stderr
    config = yaml.safe_load((out / "mkdocs.yml").read_text("utf-8"))
    assert "INHERIT" not in config, "Zensical appends inherited lists: the nav would repeat"
    assert config["plugins"] == ["search"], "Zensical runs no third-party MkDocs plugins"
    assert config["theme"]["custom_dir"] == "theme" and (out / "theme" / "main.html").is_file()
    assert "assets/career-paths.css" in config["extra_css"]
    build = run("zensical", "build", "-f", out / "mkdocs.yml", cwd=out)
    assert build.returncode == 0, build.stdout + build.stderr
    assert (out / "site" / "contact-centre" / "roles" / "csr-2" / "index.html").is_file()


def test_zensical_builds_every_role_page_with_its_content(
        zensical_site: SiteReader, example_frameworks: dict[str, Framework]):
    for fid in EXAMPLE_FRAMEWORKS:
        framework = example_frameworks[fid]
        for role in framework.roles.values():
            article = zensical_site.article(f"{fid}/roles/{role.id}/")
            assert article.select_one("h1").text == role.title
            rows = [row for row in article.select(".cp-competencies tbody tr")
                    if "cp-category-row" not in row.classes]  # rows grouped by category
            assert len(rows) == len(role.competencies)
            assert article.select("figure svg a"), f"{role.id}: no career map"


def test_generated_pages_read_the_same_as_under_mkdocs(zensical_site: SiteReader,
                                                       site: SiteReader):
    compared = 0
    for fid in EXAMPLE_FRAMEWORKS:
        for path in sorted((site.root / fid).rglob("index.html")):
            url = path.relative_to(site.root).parent.as_posix() + "/"
            mkdocs_page = site.page(url)
            if not mkdocs_page.select("article"):
                continue  # redirect pages are compared below
            assert zensical_site.article(url).text == site.article(url).text, url
            compared += 1
    assert compared > 40


def test_printable_maps_are_built_and_linked_as_under_mkdocs(zensical_site: SiteReader,
                                                             site: SiteReader):
    def maps(reader: SiteReader) -> dict[str, bytes]:
        return {path.relative_to(reader.root).as_posix(): path.read_bytes()
                for path in reader.root.glob("*/maps/*.pdf")}

    assert maps(zensical_site) == maps(site) != {}
    url = "contact-centre/roles/csr-2/"
    link = zensical_site.article(url).select_one(".cp-print-link a").get("href")
    assert zensical_site.exists(zensical_site.resolve(url, link))


def test_downloads_build_info_and_data_files_are_the_same(zensical_site: SiteReader,
                                                          site: SiteReader):
    for fid in EXAMPLE_FRAMEWORKS:
        for name in ("framework.json", "tools.json", "career-map.svg",
                     f"downloads/{fid}-roles.csv"):
            assert zensical_site.text(f"{fid}/{name}") == site.text(f"{fid}/{name}"), name
    assert json.loads(zensical_site.text("build-info.json")) == \
        json.loads(site.text("build-info.json"))


def test_head_metadata_from_the_overrides_works(zensical_site: SiteReader):
    url = "engineering/roles/staff-engineer/"
    page = zensical_site.page(url)
    tags = {m.get("name") or m.get("property"): m.get("content") for m in page.select("meta")}
    assert page.select_one("head title").text.startswith("Staff Engineer - ")
    assert tags["og:title"] == "Staff Engineer"
    assert tags["og:type"] == "article"
    assert tags["description"].startswith("Staff Engineer (")
    assert page.select_one("link[rel=canonical]").get("href") == \
        f"https://careers.example.org/{url}"
    occupation = json.loads(page.select_one("script[type=application/ld+json]").text)
    assert occupation["@type"] == "Occupation"
    assert occupation["estimatedSalary"]["@type"] == "MonetaryAmountDistribution"


def test_alias_redirects_and_retired_pages_work(zensical_site: SiteReader, site: SiteReader):
    assert zensical_site.text("contact-centre/roles/csr-ii/") == \
        site.text("contact-centre/roles/csr-ii/")
    retired = zensical_site.article("engineering/roles/lead-engineer/")
    assert "Staff Engineer" in retired.select_one(".cp-successor").text


def test_edit_links_open_the_yaml_source_and_the_hand_written_page(zensical_site: SiteReader):
    def edit_link(url: str) -> str:
        links = zensical_site.page(url).select("a[rel=edit]")
        return links[0].get("href") if links else ""

    assert edit_link("contact-centre/roles/csr-2/") == \
        REPO_EDIT + "frameworks/contact-centre/roles/csr-2.yaml"
    assert edit_link("contact-centre/pay/") == REPO_EDIT + "frameworks/contact-centre/salary.yaml"
    assert edit_link("engineering/").startswith(REPO_EDIT + "frameworks/engineering/")
    generated = [path.relative_to(zensical_site.root).parent.as_posix() + "/"
                 for fid in EXAMPLE_FRAMEWORKS
                 for path in (zensical_site.root / fid).glob("*/index.html")]
    assert generated
    for url in generated:  # competencies, pay, policies, tools...: all open a YAML file
        link = edit_link(url)
        assert not link or link.startswith(REPO_EDIT + "frameworks/"), (url, link)
    assert edit_link("guide/reading/") == REPO_EDIT + "site_docs/guide/reading.md"
    assert edit_link("") == "", "the generated home page has no single source to edit"


def test_navigation_tabs_are_listed_once(zensical_site: SiteReader, site: SiteReader):
    def tabs(reader: SiteReader) -> list[str]:
        return [a.text for a in reader.page("engineering/").select("nav.md-tabs a")]

    assert tabs(zensical_site) == tabs(site)
    assert len(tabs(zensical_site)) == len(set(tabs(zensical_site)))


def test_search_index_has_titles_and_honours_exclusions_but_not_boost(
        zensical_site: SiteReader, example_frameworks: dict[str, Framework]):
    items = json.loads(zensical_site.text("search.json"))["items"]
    by_location = {item["location"]: item for item in items}
    for fid in EXAMPLE_FRAMEWORKS:
        framework = example_frameworks[fid]
        for role in framework.roles.values():
            url = f"{fid}/roles/{role.id}/"
            assert by_location[url]["title"] == role.title
            drawing = by_location[f"{url}#career-map"]["text"]
            assert not any(other.title in drawing for other in framework.roles.values()), \
                "data-search-exclude keeps the drawing out of the index"
        for retired in framework.spec.retired:
            assert f"{fid}/roles/{retired.id}/" not in by_location, "search.exclude works"
    assert not any("boost" in item for item in items), \
        "Zensical now records search.boost: update site_docs/guide/engines.md"


def test_sitemap_lists_the_same_pages_but_has_no_gzip_copy(zensical_site: SiteReader,
                                                          site: SiteReader):
    def locations(reader: SiteReader) -> set[str]:
        return set(re.findall(r"<loc>(.*?)</loc>", reader.text("sitemap.xml")))

    assert locations(zensical_site) == locations(site)
    assert site.exists("sitemap.xml.gz") and not zensical_site.exists("sitemap.xml.gz")


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing (./dev test installs it)")
def test_search_box_finds_a_role_by_its_title_in_the_browser(zensical_site: SiteReader):
    from playwright.sync_api import expect, sync_playwright

    errors: list[str] = []
    with serve_directory(zensical_site.root) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base_url + "engineering/")
        page.locator(".md-search__button").first.click()
        page.keyboard.type("Workforce Analyst", delay=10)
        first = page.locator("a:has(mark)").first  # Zensical's results live in a shadow root
        role = re.compile(r"/contact-centre/roles/workforce-analyst/")
        expect(first).to_have_attribute("href", role)
        first.click()
        expect(page.locator("article h1")).to_have_text("Workforce Analyst")
        browser.close()
    assert errors == []


def test_every_link_of_every_page_leads_somewhere(zensical_site: SiteReader):
    assert broken_links(zensical_site) == []


def test_links_are_the_same_as_under_mkdocs(zensical_site: SiteReader, site: SiteReader):
    for url in ("contact-centre/roles/csr-2/", "engineering/tracks/ic/", "contact-centre/pay/",
                "engineering/compare/", "contact-centre/"):
        def links(reader: SiteReader, url: str = url) -> set[str]:
            return {href for a in reader.article(url).select("a") if (href := a.get("href"))}
        assert links(zensical_site) == links(site), url
