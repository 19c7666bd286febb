"""Every web page shows the fields of format 1.1 as SPEC.md "Version 1.1" says.

The 1.1 fixture (``tests/fixtures/v1_1``: the ``_health`` shared folder, nursing and allied
health) is built once with the real MkDocs; each test reads the built HTML of the pages one
part of the SPEC is about. Pay kept internal, hostile statements and the shipped examples
are rendered to Markdown only (no MkDocs needed to see what the templates write).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator.site_render import RenderOptions, framework_json, render_pages
from generator.validation import load_valid_frameworks
from tests.html_tree import Node
from tests.site_fixtures import EXAMPLES, SiteReader, build_site_with_mkdocs, serve_directory

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
V1_1 = HERE / "fixtures" / "v1_1"
V1 = HERE / "fixtures" / "v1"
V1_JSON_GOLDENS = HERE / "goldens" / "v1-framework-json"
"""framework.json of the v1 fixture frameworks as the generator wrote it before format 1.1."""

STAFF = "nursing/roles/staff-nurse/"
SPECIALIST = "nursing/roles/specialist-nurse/"
DEPUTY = "nursing/roles/deputy-ward-manager/"
WARD_MANAGER = "nursing/roles/ward-manager/"
ROLES = (STAFF, SPECIALIST, DEPUTY, WARD_MANAGER)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SiteReader:
    """The 1.1 fixture built once with MkDocs (no printed maps: other tests read them)."""
    work = tmp_path_factory.mktemp("pages-1-1")
    frameworks = Path(shutil.copytree(V1_1, work / "frameworks"))
    return SiteReader(build_site_with_mkdocs(work / "site", work, frameworks, maps=False))


def section(article: Node, heading_id: str) -> Node:
    """The elements between the ``h2`` with ``heading_id`` and the next ``h2``, as one node."""
    nodes: list[Node | str] = []
    inside = False
    for child in article.children:
        if isinstance(child, Node) and child.tag == "h2":
            if inside:
                break
            inside = child.get("id") == heading_id
        elif inside:
            nodes.append(child)
    assert inside, f"no section #{heading_id}"
    return Node("section", children=nodes)


def competency_rows(article: Node) -> dict[str, Node]:
    """The rows of a role page's competency table, by competency name."""
    return {row.select_one("th").text: row for row in article.select(".cp-competencies tbody tr")
            if "cp-category-row" not in row.classes}


def raised(article: Node, target_title: str) -> dict[str, Node]:
    """The "competencies that rise" items of the next step to ``target_title``, by name."""
    step = next(step for step in article.select(".cp-next-step")
                if step.select_one("h3 a").text == target_title)
    items = [child for child in step.select_one("ul.cp-raised").children
             if isinstance(child, Node) and child.tag == "li"]
    return {item.select_one("strong").text: item for item in items}


def matrix_of(page: Node, track: str) -> Node:
    """The competency matrix of a track on the competencies page."""
    return next(matrix for matrix in page.select("div.cp-matrix")
                if matrix.get("aria-label") == f"Levels of the {track} roles")


def texts(node: Node, selector: str) -> list[str]:
    return [found.text for found in node.select(selector)]


def front_matter_jsonld(built: SiteReader, url: str) -> dict:
    scripts = built.page(url).select("script[type=application/ld+json]")
    assert len(scripts) == 1, url
    return json.loads(scripts[0].text)


# --- the scale --------------------------------------------------------------------------------


def test_levels_are_named_on_the_scale_and_the_competencies_page_explains_it_once(
        built: SiteReader) -> None:
    staff = competency_rows(built.article(STAFF))
    assert staff["Communication"].select_one(".cp-level").text == "Working knowledge, 2 of 5"
    assert staff["Safeguarding"].select_one(".cp-level").text == "Working knowledge, 2 of 3"
    # a level given as statements only shows the scale's description as its text
    assert "Uses it in routine work with occasional guidance." in staff["Safeguarding"].text
    step = raised(built.article(STAFF), "Specialist Nurse")
    assert "Working knowledge, 2 of 5 → Advanced, 4 of 5" in step["Communication"].text

    page = built.article("nursing/competencies/")
    assert len(page.select("ol.cp-scale")) == 1
    scale = texts(page, "ol.cp-scale li")
    assert scale[0] == "Awareness: Knows the idea and where it applies; needs guidance to use it."
    assert len(scale) == 5 and scale[4].startswith("Expert: ")
    cell = matrix_of(page, "Registered practice").select_one("a[href='#communication-2']")
    assert cell.text == "2"
    assert cell.get("title").startswith("Working knowledge, 2 of 5: ")
    assert "Working knowledge" in texts(page, ".cp-matrix .cp-level-name")
    # a level without text ({}) shows the scale's description
    assert page.select_one("#clinical-assessment-1").text == (
        "Awareness: Knows the idea and where it applies; needs guidance to use it.")
    # a competency without levels has every level of the scale, described by the scale
    therapy = built.article("allied-health/competencies/")
    assert [li.get("id") for li in therapy.select("ol.cp-levels li[id]")
            if li.get("id").startswith("therapy-planning-")] == [
        f"therapy-planning-{number}" for number in range(1, 6)]
    assert therapy.select_one("#therapy-planning-3").text == (
        "Practitioner: Applies it unaided in their own work.")
    physio = competency_rows(built.article("allied-health/roles/physiotherapist/"))
    assert physio["Therapy planning"].text == (
        "Therapy planning Working knowledge, 2 of 5 Uses it in routine work with occasional "
        "guidance.")


# --- statements, examples, develop ----------------------------------------------------------


def test_statements_examples_and_role_specific_expectations_show_on_role_pages(
        built: SiteReader) -> None:
    staff = competency_rows(built.article(STAFF))
    assert texts(staff["Safeguarding"], "ul.cp-statements li") == [
        "Makes safeguarding referrals without help.",
        "Records concerns in the patient's notes the same shift."]
    clinical = staff["Clinical assessment"]
    # the role's own statements and examples stand instead of the level's
    assert texts(clinical, "ul.cp-statements.cp-role-specific li") == [
        "Assesses and records the observations of up to eight patients per shift."]
    assert "Assesses patients with common conditions unaided." not in clinical.text
    assert texts(clinical, "ul.cp-examples li") == [
        "Recognises a deteriorating patient and calls the outreach team."]
    deputy = competency_rows(built.article(DEPUTY))
    assert texts(deputy["Clinical assessment"], "ul.cp-examples li") == [
        "Spots early sepsis from a change in observations and escalates within the hour."]


def test_what_changes_lists_new_statements_and_develop_where_a_level_rises(
        built: SiteReader) -> None:
    to_specialist = raised(built.article(STAFF), "Specialist Nurse")
    assert texts(to_specialist["Clinical assessment"], "ul.cp-new-statements li") == [
        "Assesses patients across the specialty and advises ward teams."]
    assert texts(to_specialist["Clinical assessment"], "ul.cp-develop li") == [
        "Complete the advanced clinical practice module."]
    assert texts(to_specialist["Safeguarding"], "ul.cp-develop li") == [
        "Take the level 3 safeguarding course.",
        "Shadow the named nurse for safeguarding for a month."]
    assert not to_specialist["Communication"].select("ul.cp-develop")   # its level has none
    to_deputy = raised(built.article(STAFF), "Deputy Ward Manager")
    # the deputy expects the level's own (no role statements): nothing new is listed
    assert not to_deputy["Clinical assessment"].select("ul.cp-new-statements")
    to_manager = raised(built.article(DEPUTY), "Ward Manager")
    assert texts(to_manager["Clinical assessment"], "ul.cp-new-statements li") == [
        "Sets the assessment standards of a specialist service."]
    assert "Safeguarding" not in to_manager   # level 3 at both roles: nothing changes


def test_the_tools_data_carries_names_statements_develop_and_role_expectations(
        built: SiteReader) -> None:
    data = json.loads(built.text("nursing/tools.json"))
    assert [c["id"] for c in data["competencies"]] == [
        "communication", "safeguarding", "clinical-assessment"]   # Core, then Clinical
    clinical = next(c for c in data["competencies"] if c["id"] == "clinical-assessment")
    assert clinical["levels"][3] == {
        "level": 4, "name": "Advanced",
        "text": "Applies it in complex situations and guides others.",
        "statements": ["Sets the assessment standards of a specialist service."],
        "develop": ["Complete the advanced clinical practice module."], "examples": []}
    roles = {role["id"]: role for role in data["roles"]}
    assert roles["specialist-nurse"]["expectations"] == {"clinical-assessment": {
        "statements": ["Assesses patients across the specialty and advises ward teams."],
        "examples": []}}
    assert roles["specialist-nurse"]["tierText"] == "Band 6 to Band 7"
    assert roles["specialist-nurse"]["band"]["text"] == "GBP 37,338 – 52,809"
    assert roles["staff-nurse"]["requirements"] == ["Registered nurse with the national regulator."]
    assert roles["staff-nurse"]["advancement"].startswith("Automatic: ")
    assert roles["ward-manager"]["policies"] == ["senior-panel"]
    assert roles["deputy-ward-manager"]["policies"] == []


# --- categories, tier word, shared track, tier ranges -----------------------------------------


def test_competencies_are_grouped_by_category_in_the_categories_order(
        built: SiteReader) -> None:
    role = built.article(WARD_MANAGER)
    assert texts(role, ".cp-competencies tr.cp-category-row") == ["Core", "Clinical"]
    groups = [[row.select_one("th").text for row in body.select("tr")]
              for body in role.select(".cp-competencies tbody")]
    assert groups == [["Core", "Communication", "Safeguarding"],
                      ["Clinical", "Clinical assessment"]]
    page = built.article("nursing/competencies/")
    headings = [node.text for node in page.descendants()
                if {"cp-category-title", "cp-competency-name"} & node.classes]
    assert [heading.rstrip("¶").strip() for heading in headings] == [
        "Core", "Communication", "Safeguarding", "Clinical", "Clinical assessment"]
    assert "Expected of everyone at the trust." in page.select_one(".cp-category-description").text
    matrix = page.select_one(".cp-matrix table")
    assert texts(matrix, "tr.cp-category-row") == ["Core", "Clinical"]


def test_a_tier_is_shown_by_its_name_and_the_tier_word_is_the_framework_s(
        built: SiteReader) -> None:
    for url in (*ROLES, "nursing/", "nursing/pay/", "nursing/competencies/",
                "nursing/tracks/foundation/", "nursing/policies/"):
        text = built.article(url).text
        assert not re.search(r"\bTiers?\b", text), url
    pay = built.article("nursing/pay/")
    assert pay.select_one(".cp-pay-table thead th").text == "Band"
    assert "Roles, lowest band first" in built.article("nursing/tracks/foundation/").text
    assert "Band 5" in built.article(STAFF).select_one(".cp-meta").text


def test_a_shared_track_is_called_shared_early_roles(built: SiteReader) -> None:
    track = built.article("nursing/tracks/foundation/")
    assert track.select_one(".cp-meta .cp-tag").text == "Shared early roles"
    assert "before the framework forks" in track.select_one(".cp-shared-note").text
    overview = built.article("nursing/")
    tags = {card.select_one("h3 a").text: card.select_one(".cp-tag").text
            for card in overview.select(".cp-track-card")}
    assert tags == {"Registered practice": "Shared early roles",
                    "Specialist practice": "Individual contributor",
                    "Clinical leadership": "People management"}


def test_a_role_across_tiers_shows_its_range_and_pays_from_the_lower_min_to_the_upper_max(
        built: SiteReader) -> None:
    page = built.article(SPECIALIST)
    meta = page.select_one(".cp-meta").text
    assert "Band 6 to Band 7" in meta and "GBP 37,338 – 52,809" in meta
    assert "midpoint" not in meta   # a range over two bands has no single midpoint
    assert texts(page, "ul.cp-pay-bands li") == [
        "Band 6: GBP 37,338 – 44,962 (pay points 37,338 · 39,405 · 44,962)",
        "Band 7: GBP 46,148 – 52,809 (midpoint 49,000)"]
    step = next(step for step in built.article(STAFF).select(".cp-next-step")
                if "Specialist Nurse" in step.select_one("h3").text)
    assert "Band 6 to Band 7" in step.select_one("h3").text
    matrix = matrix_of(built.article("nursing/competencies/"), "Specialist practice")
    assert "Band 6 to Band 7" in matrix.select_one("thead").text
    salary = front_matter_jsonld(built, SPECIALIST)["estimatedSalary"]
    assert (salary["minValue"], salary["maxValue"]) == (37338, 52809)
    assert front_matter_jsonld(built, SPECIALIST)["occupationalCategory"] == (
        "Specialist practice, Band 6 to Band 7")


# --- requirements and advancement -----------------------------------------------------------


def test_requirements_are_shown_to_be_hired_in_the_job_ad_and_in_json_ld(
        built: SiteReader) -> None:
    page = built.article(SPECIALIST)
    hired = section(page, "to-be-hired-into-this-role")
    requirements = ["A post-registration qualification in the specialty.",
                    "Time on the professional register: at least 24 months"]
    assert texts(hired, "ul.cp-checklist li") == requirements
    assert "At least 18 months in the previous role" not in hired.text
    get_here = section(page, "how-to-get-here")
    assert texts(get_here, "ul.cp-checklist li") == ["At least 18 months in the previous role"]
    assert get_here.select_one("ul.cp-checklist").get("aria-label") == (
        "Criteria to be promoted into this role")
    snippet = page.select_one("pre.cp-snippet").text
    assert "To be hired into this role: - A post-registration qualification in the " \
           "specialty." in " ".join(snippet.split())
    assert "Band 6 to Band 7" in snippet and "GBP 37,338 – 52,809" in snippet
    assert front_matter_jsonld(built, SPECIALIST)["qualifications"] == requirements
    assert not section(built.article(DEPUTY), "how-to-get-here").select("ul.cp-checklist")
    assert not built.article(DEPUTY).select("#to-be-hired-into-this-role")


def test_advancement_is_shown_next_to_the_criteria_and_in_what_changes(
        built: SiteReader) -> None:
    own = section(built.article(STAFF), "how-to-get-here").select_one(".cp-advancement").text
    assert own.startswith("How people move up: Automatic: ")
    default = section(built.article(SPECIALIST), "how-to-get-here")   # the shared folder's
    assert default.select_one(".cp-advancement").text.startswith("How people move up: By review")
    steps = {step.select_one("h3 a").text: step.select_one(".cp-advancement").text
             for step in built.article(STAFF).select(".cp-next-step")}
    assert steps["Deputy Ward Manager"].startswith("How people move up: When a vacancy opens")
    assert steps["Specialist Nurse"].startswith("How people move up: By review")


# --- policies where they apply ----------------------------------------------------------------


def test_each_policy_is_shown_where_it_applies(built: SiteReader) -> None:
    pages = {url: built.article(url) for url in ROLES}
    general = "The framework is reviewed every spring"
    for url, page in pages.items():
        assert general not in page.text, url
        stay = section(page, "how-to-stay-here")
        assert "Keep your registration with the regulator current" in stay.text, url
        assert "Moving through a band:" in section(page, "pay").text, url
        get_here = section(page, "how-to-get-here").text
        assert ("interview panel with a patient representative" in get_here) == (
            url == WARD_MANAGER), url
        moves = section(page, "moves").text
        assert ("Two years on a ward" in moves) == (url == STAFF), url   # foundation, band 5
        assert ("A lateral move needs the competencies" in moves) == (url == SPECIALIST), url
    assert "Moving through a band:" in built.article("nursing/pay/").text

    policies = built.article("nursing/policies/")
    assert texts(policies, "h2") == [
        "Promotions", "Lateral moves", "Moving out of a track or the framework",
        "Staying in a role", "Pay", "General"]
    scopes = {section_node.get("id"): section_node.select_one(".cp-policy-scope").text
              for section_node in policies.select("section.cp-policy")
              if section_node.select(".cp-policy-scope")}
    assert scopes == {
        "senior-panel": "Applies to: Ward Manager, on the Clinical leadership track, at Band 7 "
                        "or Band 8a",
        "tenure-before-leaving": "Applies to: Roles on the Registered practice track, at "
                                 "Band 5"}
    assert general in policies.select_one("section#annual-review").text


def test_no_page_speaks_of_regression_unless_the_framework_does(
        built: SiteReader, tmp_path: Path) -> None:
    pages = [built.root / "index.html", *built.root.glob("nursing/**/*.html"),
             *built.root.glob("allied-health/**/*.html")]   # the guide is not a framework's
    for page in pages:
        text = page.read_text("utf-8").lower()
        assert "support plan" not in text and "earlier stage" not in text, page
    # The shipped examples with every "support plan" and "earlier stage" of their own YAML
    # renamed: what is left would be the generator's own wording.
    examples = Path(shutil.copytree(EXAMPLES, tmp_path / "examples"))
    for source in examples.rglob("*.yaml"):
        text = re.sub(r"support\s+plan", "SUPPORT-PLAN", source.read_text("utf-8"),
                      flags=re.IGNORECASE)
        source.write_text(re.sub(r"earlier\s+stage", "EARLIER-STAGE", text,
                                 flags=re.IGNORECASE), "utf-8")
    frameworks, _ = load_valid_frameworks(examples, examples)
    assert {framework.id for framework in frameworks} >= {"contact-centre", "engineering"}
    pages = render_pages(frameworks, RenderOptions()).files
    assert any("SUPPORT-PLAN" in str(page.content) for page in pages)
    for page in pages:
        text = re.sub(r"\s+", " ", str(page.content)).lower()
        assert "support plan" not in text and "earlier stage" not in text, page.path


# --- pay ---------------------------------------------------------------------------------------


def test_pay_shows_no_missing_midpoint_lists_steps_and_steps_at_the_minimum(
        built: SiteReader) -> None:
    page = built.article(STAFF)
    pay = section(page, "pay")
    assert pay.select_one(".cp-pay-band").text == "GBP 29,970 – 36,483"
    assert pay.select_one(".cp-pay-steps").text == "Pay points: 29,970 · 32,324 · 34,581 · 36,483"
    assert "midpoint" not in page.text.lower()
    assert "+GBP 7,368 at the minimum (+25%)" in page.select_one(".cp-pay-step").text
    table = built.article("nursing/pay/").select_one(".cp-pay-table table")
    rows = {row.select_one("th").text: row for row in table.select("tbody tr")}
    assert "29,970 – 36,483" in rows["Band 5"].text and "mid" not in rows["Band 5"].text
    assert "pay points 29,970 · 32,324 · 34,581 · 36,483" in rows["Band 5"].text
    assert "mid 49,000" in rows["Band 7"].text
    salary = front_matter_jsonld(built, STAFF)["estimatedSalary"]
    assert "median" not in salary and salary["minValue"] == 29970


def test_pay_in_each_zone_on_the_pay_page_and_the_role_page(built: SiteReader) -> None:
    zones = {row.select_one("th").text: row.select_one("td").text
             for row in section(built.article(STAFF), "pay").select(".cp-pay-zones tbody tr")}
    assert zones == {
        "Inner London": "GBP 36,000 – 43,000",   # the band naming the zone wins
        "Outer London": "GBP 32,470 – 38,983 pay points 32,470 · 34,824 · 37,081 · 38,983",
        "Lower-cost locations": "GBP 25,474 – 31,011 pay points 25,474 · 27,475 · 29,394 · "
                                "31,011"}   # -15% of 29,970 is -4,495.5: -4,496
    pay = built.article("nursing/pay/")
    assert texts(pay, ".cp-pay-table caption") == [
        "Salary bands in Inner London", "Salary bands in Outer London",
        "Salary bands in Lower-cost locations"]
    assert texts(pay, ".cp-zone-how") == [
        "+20% (at least GBP 5,000, at most GBP 7,000)", "+GBP 2,500",
        "−15% (at least −GBP 6,000, at most −GBP 1,000)"]
    inner = pay.select(".cp-pay-table table")[1]
    rows = {row.select_one("th").text: row.text for row in inner.select("tbody tr")}
    assert "44,338 – 51,962" in rows["Band 6"] and "36,000 – 43,000" in rows["Band 5"]


def test_zones_and_pay_policies_follow_the_visibility_of_pay(tmp_path: Path) -> None:
    frameworks_dir = Path(shutil.copytree(V1_1, tmp_path / "frameworks"))
    salary = frameworks_dir / "_health" / "salary.yaml"
    salary.write_text(salary.read_text("utf-8").replace("visibility: public",
                                                        "visibility: internal"), "utf-8")
    frameworks, _ = load_valid_frameworks(frameworks_dir, frameworks_dir)
    pages = {page.path: str(page.content) for page in render_pages(frameworks).files}
    assert "nursing/pay/index.md" not in pages
    staff = pages["nursing/roles/staff-nurse/index.md"]
    for hidden in ("Inner London", "29,970", "Pay points", "GBP"):
        assert hidden not in staff, hidden


# --- shared folders, home page, framework.json --------------------------------------------------


def test_the_home_page_groups_the_frameworks_of_a_shared_folder(built: SiteReader) -> None:
    assert not (built.root / "_health").exists()
    family = built.article("").select_one("section.cp-family")
    assert family.select_one("h2").text == "Riverside Health Trust"
    assert family.select_one(".cp-family-description").text == (
        "Career frameworks of Riverside Health Trust, on one set of pay bands.")
    assert sorted(card.get("href") for card in family.select("a.cp-card")) == [
        "allied-health/", "nursing/"]


def test_framework_json_of_a_version_1_framework_is_the_version_1_document() -> None:
    frameworks, _ = load_valid_frameworks(V1, V1)
    for framework in frameworks:
        golden = (V1_JSON_GOLDENS / f"{framework.id}.json").read_text("utf-8")
        assert framework_json(framework) == golden, framework.id


def test_framework_json_of_a_1_1_framework_has_every_new_field(built: SiteReader) -> None:
    document = json.loads(built.text("nursing/framework.json"))
    spec = document["framework"]
    assert spec["tier_label"] == "Band" and spec["advancement"] == "review"
    assert [level["name"] for level in spec["scale"]][:2] == ["Awareness", "Working knowledge"]
    assert spec["categories"][0] == {"name": "Core",
                                     "description": "Expected of everyone at the trust."}
    assert next(t for t in spec["tracks"] if t["id"] == "foundation")["kind"] == "shared"
    policies = {policy["id"]: policy for policy in spec["policies"]}
    assert policies["senior-panel"]["tiers"] == ["band-7", "band-8a"]
    assert policies["keep-registration"]["applies_to"] == "staying"
    assert "applies_to" not in policies.get("lateral-competence", {}) or \
        policies["lateral-competence"]["applies_to"] == "lateral"
    levels = {c["id"]: c["levels"] for c in document["competencies"]}
    assert levels["safeguarding"]["3"]["develop"][0] == "Take the level 3 safeguarding course."
    assert levels["safeguarding"]["2"]["statements"] == [
        "Makes safeguarding referrals without help.",
        "Records concerns in the patient's notes the same shift."]
    bands = document["salary"]["bands"]
    assert bands[0]["steps"] == [29970, 32324, 34581, 36483] and "mid" not in bands[0]
    assert [zone["id"] for zone in document["salary"]["zones"]] == [
        "inner-london", "outer-london", "lower-cost"]
    roles = document["roles"]
    assert roles["specialist-nurse"]["tier_max"] == "band-7"
    assert roles["specialist-nurse"]["requirements"][1] == {"metric": "months-registered",
                                                           "min": 24}
    assert roles["staff-nurse"]["expectations"]["clinical-assessment"]["examples"] == [
        "Recognises a deteriorating patient and calls the outreach team."]
    assert {role_id: role.get("advancement") for role_id, role in roles.items()} == {
        "staff-nurse": "automatic", "specialist-nurse": "review",
        "deputy-ward-manager": "vacancy", "ward-manager": "review"}
    assert "competencies_as_written" not in built.text("nursing/framework.json")
    assert '"notes"' not in built.text("nursing/framework.json")


def test_statements_and_requirements_are_plain_text(tmp_path: Path) -> None:
    frameworks_dir = Path(shutil.copytree(V1_1, tmp_path / "frameworks"))
    role = frameworks_dir / "nursing" / "roles" / "staff-nurse.yaml"
    data = yaml.safe_load(role.read_text("utf-8"))
    hostile = "<b>Bold</b> & *stars* <script>alert(1)</script>"
    data["requirements"] = [{"text": hostile}]
    data["competencies"]["clinical-assessment"]["statements"] = [hostile]
    role.write_text(yaml.safe_dump(data), "utf-8")
    frameworks, _ = load_valid_frameworks(frameworks_dir, frameworks_dir)
    page = next(str(page.content) for page in render_pages(frameworks).files
                if page.path == "nursing/roles/staff-nurse/index.md")
    escaped = "&lt;b&gt;Bold&lt;/b&gt; &amp; *stars* &lt;script&gt;alert(1)&lt;/script&gt;"
    assert page.count(escaped) >= 3   # the statement, the requirement, the job-ad snippet
    body = page.split("\n---\n", 1)[1]   # the front matter's JSON-LD is written with tojson
    assert "<script>" not in body and "<b>Bold" not in body


# --- the self-assessment in a browser -----------------------------------------------------------


@pytest.fixture(scope="module")
def served(built: SiteReader) -> Iterator[str]:
    with serve_directory(built.root) as url:
        yield url


def test_statements_can_be_ticked_in_the_self_assessment_and_compare_shows_them(
        served: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    from tests.browser import CHROMIUM_ARGS, CHROMIUM_PATH

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(10_000)
            page.goto(served + "nursing/assess/#from=staff-nurse&to=specialist-nurse"
                               "&r=clinical-assessment:2")
            box = page.get_by_label("Assesses patients across the specialty and advises ward "
                                    "teams.")
            expect(box).to_be_visible()
            assert box.get_attribute("type") == "checkbox" and not box.is_checked()
            gap = page.locator(".cp-gap-list li[data-competency=clinical-assessment]")
            expect(gap.locator(".cp-develop li")).to_have_text(
                ["Complete the advanced clinical practice module."])
            expect(gap.locator(".cp-statements li")).to_have_count(1)
            assert "(Advanced)" in gap.inner_text()
            box.check()
            expect(gap.locator(".cp-statements li")).to_have_count(0)
            assert "t=clinical-assessment.0" in page.url
            page.reload()
            assert page.get_by_label("Assesses patients across the specialty and advises "
                                     "ward teams.").is_checked()
            policies = page.locator(".cp-assess-results .cp-policies-short")
            expect(policies).to_have_count(0)   # the ward manager's panel is not the specialist's
            assert "By review" in page.locator(".cp-assess-results .cp-advancement").inner_text()

            page.goto(served + "nursing/compare/?a=staff-nurse&b=specialist-nurse")
            row = page.locator(".cp-compare-table tr[data-competency=clinical-assessment]")
            expect(row.locator(".cp-level-badge [aria-hidden=true]")).to_have_text(
                ["Working knowledge, 2 of 4", "Advanced, 4 of 4"])
            expect(row.locator("td").nth(1).locator(".cp-statements li")).to_have_text(
                ["Assesses patients across the specialty and advises ward teams."])
            expect(row.locator("td").nth(0).locator(".cp-statements li")).to_have_text(
                ["Assesses and records the observations of up to eight patients per shift."])
            assert "Band 6 to Band 7" in page.locator(".cp-compare-heads").inner_text()
            hired = page.get_by_role("heading", name="To be hired into the role")
            expect(hired).to_be_visible()
            assert "Automatic: " in page.locator(".cp-advancement").first.inner_text()
        finally:
            browser.close()
