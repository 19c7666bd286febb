"""The tool pages and role-page tools in the built HTML: compare, assess, recruiters, edit links.

The behaviour in a browser is tested in ``test_browser_tools.py``; this module reads the
HTML and data files of the example site (built once with the real MkDocs) and renders a
tiny framework without MkDocs where a variant is needed.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.describe import describe_criterion, format_money, format_number
from generator.markdown_fields import plain_text
from generator.model import Framework
from generator.site_render import RenderOptions, render_site
from generator.validation import load_valid_frameworks
from tests.html_tree import parse_html
from tests.site_fixtures import EXAMPLE_FRAMEWORKS, SiteReader

REPO_URL = "https://github.com/example/career-paths/edit/main/"
SITE_URL = "https://careers.example.org/"


def role_url(fid: str, role_id: str) -> str:
    return f"{fid}/roles/{role_id}/"


def tools_data(site: SiteReader, fid: str) -> dict:
    return json.loads(site.text(f"{fid}/tools.json"))


def edit_link(site: SiteReader, url: str) -> str:
    """The href of Material's "Edit this page" button."""
    return site.page(url).select_one("article a.md-content__button").get("href")


def rendered(framework_dir: Path, site_url: str = "") -> dict[str, str | bytes]:
    """Render a framework without MkDocs: output path -> content."""
    frameworks, _ = load_valid_frameworks(framework_dir)
    site = render_site(frameworks, RenderOptions(site_url=site_url))
    return {generated.path: generated.content for generated in site.files}


# --- edit links -------------------------------------------------------------------------------


@pytest.mark.parametrize("fid", EXAMPLE_FRAMEWORKS)
def test_edit_link_of_every_role_page_opens_that_roles_yaml_file(
        site: SiteReader, example_frameworks: dict[str, Framework], fid: str) -> None:
    for role_id in example_frameworks[fid].roles:
        assert edit_link(site, role_url(fid, role_id)) == (
            f"{REPO_URL}frameworks/{fid}/roles/{role_id}.yaml")


@pytest.mark.parametrize(("page", "source"), [
    ("", "framework.yaml"),
    ("competencies/", "competencies.yaml"),
    ("pay/", "salary.yaml"),
    ("policies/", "framework.yaml"),
    ("tracks/frontline/", "framework.yaml"),
    ("compare/", "framework.yaml"),
    ("assess/", "competencies.yaml"),
])
def test_edit_link_of_framework_pages_opens_the_file_they_come_from(
        site: SiteReader, page: str, source: str) -> None:
    assert edit_link(site, f"contact-centre/{page}") == (
        f"{REPO_URL}frameworks/contact-centre/{source}")


def test_hand_written_pages_keep_their_markdown_edit_link(site: SiteReader) -> None:
    assert edit_link(site, "guide/editing/") == f"{REPO_URL}site_docs/guide/editing.md"


# --- compare and assess pages --------------------------------------------------------------


@pytest.mark.parametrize("fid", EXAMPLE_FRAMEWORKS)
@pytest.mark.parametrize("tool", ["compare", "assess"])
def test_tool_page_offers_every_role_in_both_pickers_grouped_by_track(
        site: SiteReader, example_frameworks: dict[str, Framework], fid: str, tool: str) -> None:
    framework = example_frameworks[fid]
    article = site.article(f"{fid}/{tool}/")
    root = article.select_one("[data-cp-tool]")
    selects = root.select("select")

    assert root.get("data-cp-tool") == tool
    assert SiteReader.resolve(f"{fid}/{tool}/", root.get("data-cp-data")) == f"{fid}/tools.json"
    assert len(selects) == 2
    for select in selects:
        groups = select.select("optgroup")
        assert [group.get("label") for group in groups] == [
            track.name for track in framework.spec.tracks if framework.roles_on_track(track.id)]
        assert sorted(option.get("value") for option in select.select("option")) == sorted(
            framework.roles)
        assert len(select.select("option[selected]")) == 1
    scripts = [script.get("src") for script in site.page(f"{fid}/{tool}/").select("script[src]")]
    assert any(src.endswith("assets/career-paths-tools.js") for src in scripts)


def test_assess_page_says_that_nothing_is_sent_anywhere(site: SiteReader) -> None:
    text = site.article("engineering/assess/").select_one(".cp-privacy").text

    assert "Nothing you enter is sent anywhere" in text
    assert "never send to a server" in text


@pytest.mark.parametrize("fid", EXAMPLE_FRAMEWORKS)
def test_tool_pages_are_in_the_navigation_and_section_links(site: SiteReader, fid: str) -> None:
    page = site.page(f"{fid}/")
    nav_links = {SiteReader.resolve(f"{fid}/", a.get("href")) for a in page.select("nav a")}
    section = page.select_one("article .cp-section-nav")
    section_links = {a.text: SiteReader.resolve(f"{fid}/", a.get("href"))
                     for a in section.select("a")}

    assert {f"{fid}/compare/", f"{fid}/assess/"} <= nav_links
    assert section_links["Compare roles"] == f"{fid}/compare/"
    assert section_links["Self-assessment"] == f"{fid}/assess/"


# --- the data file ------------------------------------------------------------------------


@pytest.mark.parametrize("fid", EXAMPLE_FRAMEWORKS)
def test_tools_json_holds_every_role_with_its_public_fields(
        site: SiteReader, example_frameworks: dict[str, Framework], fid: str) -> None:
    framework = example_frameworks[fid]
    data = tools_data(site, fid)
    roles = {role["id"]: role for role in data["roles"]}

    assert set(roles) == set(framework.roles)
    for role_id, role in framework.roles.items():
        entry = roles[role_id]
        assert entry["title"] == role.title
        assert entry["competencies"] == role.competencies
        assert entry["criteria"] == [describe_criterion(framework, c) for c in role.criteria]
        assert entry["responsibilities"] == [plain_text(r) for r in role.responsibilities]
        assert entry["next"] == role.next
        band = framework.band_for(role)
        assert (entry["band"] or {}).get("mid") == (band.mid if band else None)
    text = json.dumps(data, ensure_ascii=False)
    assert '"notes"' not in text
    assert not any(role.notes and role.notes in text for role in framework.roles.values())


@pytest.mark.parametrize("fid", EXAMPLE_FRAMEWORKS)
def test_tools_json_holds_the_examples_of_every_level(
        site: SiteReader, example_frameworks: dict[str, Framework], fid: str) -> None:
    data = {c["id"]: c for c in tools_data(site, fid)["competencies"]}
    framework = example_frameworks[fid]
    for competency in framework.competencies:
        levels = {level["level"]: level for level in data[competency.id]["levels"]}
        for level in framework.levels_of(competency.id):  # the scale's text where it has none
            assert levels[level.number]["text"] == level.text
            assert levels[level.number]["examples"] == list(level.examples)


def test_tools_json_leaves_out_internal_pay_and_notes(tiny_framework: Path) -> None:
    salary = tiny_framework / "salary.yaml"
    salary.write_text(salary.read_text().replace("visibility: public", "visibility: internal"))
    role = tiny_framework / "roles" / "csr-2.yaml"
    role.write_text(role.read_text() + "notes: SECRET-NOTE-7\n")

    data = json.loads(rendered(tiny_framework)["demo/tools.json"])

    assert data["framework"]["payPublic"] is False
    assert all(role["band"] is None for role in data["roles"])
    assert "SECRET-NOTE" not in json.dumps(data)
    assert "34000" not in json.dumps(data)


# --- role pages: step links and the recruiters' box --------------------------------------------


@pytest.mark.parametrize("fid", EXAMPLE_FRAMEWORKS)
def test_each_next_step_links_to_compare_and_assess_with_both_roles(
        site: SiteReader, example_frameworks: dict[str, Framework], fid: str) -> None:
    for role in example_frameworks[fid].roles.values():
        url = role_url(fid, role.id)
        links = site.article(url).select(".cp-next-step .cp-step-tools a")
        compare = [a for a in links if a.text.startswith("Compare with")]
        assess = [a for a in links if a.text.startswith("Rate yourself")]

        assert len(compare) == len(assess) == len(role.next)
        for target, a, b in zip(role.next, compare, assess, strict=True):
            target_title = example_frameworks[fid].roles[target].title
            assert a.text == f"Compare with {target_title}"
            href = urlsplit(a.get("href"))
            assert SiteReader.resolve(url, href.path) == f"{fid}/compare/"
            assert parse_qs(href.query) == {"a": [role.id], "b": [target]}
            fragment = urlsplit(b.get("href"))
            assert SiteReader.resolve(url, fragment.path) == f"{fid}/assess/"
            assert fragment.fragment == f"from={role.id}&to={target}"


def test_recruiters_box_has_the_canonical_link_and_a_plain_text_summary(
        site: SiteReader, example_frameworks: dict[str, Framework]) -> None:
    framework = example_frameworks["contact-centre"]
    role = framework.roles["csr-2"]
    box = site.article(role_url("contact-centre", "csr-2")).select_one(".cp-recruiters")
    canonical = f"{SITE_URL}contact-centre/roles/csr-2/"
    snippet = box.select_one("pre.cp-snippet")
    lines = "".join(child for child in snippet.children if isinstance(child, str)).splitlines()
    band = framework.band_for(role)
    assert band is not None

    assert box.select_one("a.cp-canonical").get("href") == canonical
    assert lines[0] == "Customer Service Representative II at Example Mutual"
    assert lines[1] == "Customer Service track (individual contributor), Professional"
    assert plain_text(role.summary) in lines
    assert [line[2:] for line in lines if line.startswith("- ")] == [
        plain_text(item) for item in role.responsibilities[:3]]
    assert (f"Pay: {format_money(band.min, 'USD')} – {format_number(band.max)} a year, "
            f"base salary (midpoint {format_number(band.mid)})") in lines
    assert lines[-1] == f"Role profile and career path: {canonical}"
    assert "**" not in snippet.text
    button = box.select_one("button[data-cp-copy]")
    assert button.get("data-cp-copy") == snippet.get("id")


def test_every_role_page_has_a_recruiters_box(
        site: SiteReader, example_frameworks: dict[str, Framework]) -> None:
    for fid in EXAMPLE_FRAMEWORKS:
        for role in example_frameworks[fid].roles.values():
            snippet = site.article(role_url(fid, role.id)).select_one(".cp-recruiters pre")
            assert snippet.text.startswith(role.title)


def test_recruiters_summary_leaves_out_internal_pay(tiny_framework: Path) -> None:
    salary = tiny_framework / "salary.yaml"
    salary.write_text(salary.read_text().replace("visibility: public", "visibility: internal"))

    page = parse_html(str(rendered(tiny_framework, SITE_URL)["demo/roles/csr-2/index.md"]))
    snippet = page.select_one(".cp-recruiters pre").text

    assert "Pay" not in snippet and "34,000" not in snippet and "40,000" not in snippet
    assert snippet.endswith(f"{SITE_URL}demo/roles/csr-2/")


def test_without_a_site_url_the_page_address_is_added_in_the_browser(
        tiny_framework: Path) -> None:
    page = parse_html(str(rendered(tiny_framework)["demo/roles/csr-2/index.md"]))
    box = page.select_one(".cp-recruiters")

    assert not box.select("a.cp-canonical")
    assert "data-cp-add-page-url" in box.select_one("pre").attrs
    assert "Role profile" not in box.select_one("pre").text


def test_markup_in_yaml_text_is_escaped_in_the_summary(tiny_framework: Path) -> None:
    role = tiny_framework / "roles" / "csr-2.yaml"
    role.write_text(role.read_text().replace(
        "title: Customer Service Representative II",
        "title: CSR </pre><script>alert(1)</script>")
        + "responsibilities:\n  - '<script>alert(2)</script>**Bold** duty'\n")

    page = str(rendered(tiny_framework)["demo/roles/csr-2/index.md"])
    body = page.split("---\n", 2)[2]  # the front matter is escaped by the theme template

    snippet = parse_html(body).select_one(".cp-recruiters pre").text
    assert "<script>" not in body
    assert "- Bold duty" in snippet
    assert "CSR &lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt; at Example Mutual" in body


# --- examples and downloads ---------------------------------------------------------------


def test_role_page_shows_the_examples_of_the_expected_level(
        site: SiteReader, example_frameworks: dict[str, Framework]) -> None:
    framework = example_frameworks["contact-centre"]
    role = framework.roles["csr-3"]
    level = framework.competency_by_id["call-resolution"].levels[role.competencies[
        "call-resolution"]]
    assert level.examples, "the example framework should have examples at this level"

    table = site.article(role_url("contact-centre", "csr-3")).select_one(".cp-competencies")
    assert all(example in table.text for example in level.examples)


@pytest.mark.parametrize("fid", EXAMPLE_FRAMEWORKS)
def test_overview_links_every_download_and_each_exists(site: SiteReader, fid: str) -> None:
    links = site.article(f"{fid}/").select(".cp-downloads a")
    targets = [SiteReader.resolve(f"{fid}/", a.get("href")) for a in links]

    assert targets[0] == f"{fid}/downloads/{fid}.xlsx"
    assert f"{fid}/downloads/{fid}-competency-matrix.csv" in targets
    assert f"{fid}/downloads/{fid}-roles.csv" in targets
    assert f"{fid}/downloads/{fid}-bands.csv" in targets
    assert all(site.exists(target) for target in targets)
    assert all("download" in a.attrs for a in links)
