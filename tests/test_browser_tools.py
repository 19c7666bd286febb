"""The tools in a real browser: compare two roles, self-assessment, copying the job-ad summary.

Chromium (through Playwright) opens the example site served on 127.0.0.1, built once
with the real MkDocs; a second, tiny site with hostile YAML text and Material's instant
navigation checks that framework text is never run as markup and that the page scripts
survive navigation without a reload.
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from generator.model import Framework
from generator.site_build import build_site
from generator.tool_pages import job_ad_text
from tests.browser import CHROMIUM_ARGS
from tests.conftest import TINY_FRAMEWORK
from tests.site_fixtures import write_config

CLIPBOARD = ["clipboard-read", "clipboard-write"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        executable = shutil.which("chromium") or "/usr/bin/chromium"
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(permissions=CLIPBOARD, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    return page


def visible_rows(page: Page) -> list[str]:
    """Competency ids of the comparison rows a reader can see."""
    return page.eval_on_selector_all(
        ".cp-compare-table tbody tr[data-competency]",
        "rows => rows.filter(r => r.offsetParent !== null).map(r => r.dataset.competency)")


def differing(framework: Framework, a: str, b: str) -> list[str]:
    first, second = framework.roles[a].competencies, framework.roles[b].competencies
    return [c.id for c in framework.competencies
            if (c.id in first or c.id in second) and first.get(c.id) != second.get(c.id)]


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


THEIRS = (
    "Invalid URL",  # Material's version banner outside a mike deployment
    "Cannot set property href of #<SVGAElement>",  # Material's instant navigation, SVG links
)


def own_script_errors(page: Page) -> list[str]:
    """Page errors of our scripts (Material's own known ones left out)."""
    errors: list[str] = page.errors  # type: ignore[attr-defined]
    return [error for error in errors if not any(known in error for known in THEIRS)]


# --- compare ----------------------------------------------------------------------------------


def test_compare_from_the_address_shows_only_the_differences_with_a_toggle_for_all(
        page: Page, site_server: str, example_frameworks: dict[str, Framework]) -> None:
    framework = example_frameworks["contact-centre"]
    page.goto(site_server + "contact-centre/compare/?a=csr-2&b=team-lead")
    expect(page.locator(".cp-compare-table")).to_be_visible()
    expected = differing(framework, "csr-2", "team-lead")
    shared = [c.id for c in framework.competencies
              if c.id in framework.roles["csr-2"].competencies
              or c.id in framework.roles["team-lead"].competencies]

    assert expected and len(expected) < len(shared)
    assert visible_rows(page) == expected
    assert page.locator("select[name=a]").input_value() == "csr-2"
    assert page.locator("select[name=b]").input_value() == "team-lead"
    headers = page.locator(".cp-compare-heads h2").all_inner_texts()
    assert headers == ["Customer Service Representative II", "Team Lead"]
    row = page.locator(".cp-compare-table tr[data-competency=coaching]")
    levels = (framework.roles["csr-2"].competencies["coaching"],
              framework.roles["team-lead"].competencies["coaching"])
    assert row.locator(".cp-level-badge [aria-hidden=true]").all_inner_texts()[:2] == [
        f"{levels[0]}/4", f"{levels[1]}/4"]
    assert "cp-higher" in (row.locator("td").nth(1).get_attribute("class") or "")
    assert f"+{levels[1] - levels[0]} levels" in row.locator(".cp-delta").inner_text()
    assert "Team Lead is a promotion from Customer Service Representative II." in page.inner_text(
        ".cp-relation")
    expect(page.locator(".cp-diff-count")).to_have_text(
        f"{len(expected)} of {len(shared)} competencies differ.")

    page.get_by_label("Show all competencies").check()

    assert visible_rows(page) == shared
    assert query(page)["all"] == ["1"]
    assert own_script_errors(page) == []


def test_compare_shows_criteria_responsibilities_and_public_pay_side_by_side(
        page: Page, site_server: str, example_frameworks: dict[str, Framework]) -> None:
    framework = example_frameworks["engineering"]
    a, b = framework.roles["software-engineer"], framework.roles["senior-engineer"]
    page.goto(site_server + f"engineering/compare/?a={a.id}&b={b.id}")
    sides = page.locator(".cp-side-by-side")
    expect(sides.first).to_be_visible()

    responsibilities = sides.nth(0).locator(".cp-side").nth(1).locator("li").all_inner_texts()
    assert len(responsibilities) == len(b.responsibilities)
    criteria = sides.nth(1).locator(".cp-side").nth(1).locator("li").all_inner_texts()
    assert len(criteria) == len(b.criteria)
    band_a, band_b = framework.band_for(a), framework.band_for(b)
    assert band_a and band_b
    pay = sides.nth(3).inner_text()
    assert f"{band_a.mid:,}" in pay and f"{band_b.mid:,}" in pay
    assert f"+USD {band_b.mid - band_a.mid:,} at the midpoint" in page.inner_text(".cp-pay-step")


def test_compare_with_the_pickers_updates_the_table_and_the_address(
        page: Page, site_server: str, example_frameworks: dict[str, Framework]) -> None:
    framework = example_frameworks["contact-centre"]
    page.goto(site_server + "contact-centre/compare/")
    expect(page.locator(".cp-compare-table")).to_be_visible()

    page.select_option("select[name=a]", "csr-1")
    page.select_option("select[name=b]", "csr-3")

    assert query(page) == {"a": ["csr-1"], "b": ["csr-3"]}
    assert visible_rows(page) == differing(framework, "csr-1", "csr-3")
    expect(page.locator(".cp-compare-heads h2").first).to_have_text(
        "Customer Service Representative I")

    page.get_by_role("button", name="Swap the two roles").click()

    assert query(page) == {"a": ["csr-3"], "b": ["csr-1"]}
    expect(page.locator(".cp-compare-heads h2").first).to_have_text(
        "Customer Service Representative III")
    page.reload()
    expect(page.locator(".cp-compare-heads h2").first).to_have_text(
        "Customer Service Representative III")
    assert visible_rows(page) == differing(framework, "csr-3", "csr-1")


def test_compare_follows_a_renamed_roles_old_id_in_the_address(
        page: Page, site_server: str) -> None:
    page.goto(site_server + "contact-centre/compare/?a=csr-ii&b=csr-3")
    expect(page.locator(".cp-compare-heads h2").first).to_have_text(
        "Customer Service Representative II")
    assert query(page)["a"] == ["csr-2"]


def test_compare_link_of_a_role_page_opens_that_comparison(
        page: Page, site_server: str) -> None:
    page.goto(site_server + "engineering/roles/software-engineer/")
    page.get_by_role("link", name="Compare with Senior Engineer").click()

    expect(page.locator(".cp-compare-heads h2")).to_have_text(
        ["Software Engineer", "Senior Engineer"])


# --- self-assessment --------------------------------------------------------------------------


def rate(page: Page, competency: str, level: int) -> None:
    page.locator(f"fieldset[data-competency='{competency}'] input[value='{level}']").check()


def assessment_state(page: Page) -> dict[str, Any]:
    return {
        "from": page.locator("select[name=from]").input_value(),
        "to": page.locator("select[name=to]").input_value(),
        "checked": page.eval_on_selector_all(
            "fieldset.cp-rate input:checked",
            "inputs => inputs.map(i => [i.closest('fieldset').dataset.competency, i.value])"),
        "gaps": page.eval_on_selector_all("[data-cp-gaps] > li",
                                          "items => items.map(li => li.dataset.competency)"),
        "summary": page.inner_text("[data-cp-summary]"),
        "table": page.locator(".cp-assess-table tbody tr").all_inner_texts(),
    }


def test_self_assessment_comes_back_the_same_from_the_copied_link(
        context: BrowserContext, page: Page, site_server: str,
        example_frameworks: dict[str, Framework]) -> None:
    framework = example_frameworks["contact-centre"]
    target = framework.roles["csr-3"]
    page.goto(site_server + "contact-centre/assess/")
    expect(page.locator("[data-cp-actions]")).to_be_visible()  # the framework's data is in
    page.select_option("select[name=from]", "csr-2")
    assert page.locator("select[name=to]").input_value() == "csr-3"  # the first next step

    expected_gaps = []
    for index, (competency, level) in enumerate(target.competencies.items()):
        short = index % 2 == 0
        rate(page, competency, level - 1 if short else level)
        if short:
            expected_gaps.append(competency)
    before = assessment_state(page)
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("[data-cp-copy-status]")).to_have_text("Link copied.")
    link = page.evaluate("navigator.clipboard.readText()")

    assert urlsplit(link).fragment.startswith("from=csr-2&to=csr-3&r=")
    assert before["gaps"] == [c.id for c in framework.competencies if c.id in expected_gaps]
    assert before["summary"].startswith(
        f"You meet {len(target.competencies) - len(expected_gaps)} of "
        f"{len(target.competencies)} competency expectations of {target.title}.")

    fresh = context.new_page()
    fresh.goto(link)
    expect(fresh.locator("[data-cp-summary]")).to_be_visible()

    assert assessment_state(fresh) == before
    fresh.reload()
    assert assessment_state(fresh) == before


def test_a_role_picked_while_the_data_loads_is_kept(page: Page, site_server: str) -> None:
    held: list[Any] = []
    page.route("**/tools.json", lambda route: held.append(route))  # released below
    page.goto(site_server + "contact-centre/assess/")
    page.select_option("select[name=from]", "csr-2")
    assert len(held) == 1

    held[0].continue_()

    expect(page.locator("[data-cp-actions]")).to_be_visible()
    assert page.locator("select[name=from]").input_value() == "csr-2"
    assert page.locator("select[name=to]").input_value() == "csr-3"  # csr-2's first next step
    assert urlsplit(page.url).fragment.startswith("from=csr-2&to=csr-3")


def test_gap_list_names_the_target_level_behaviour_and_the_criteria(
        page: Page, site_server: str, example_frameworks: dict[str, Framework]) -> None:
    framework = example_frameworks["contact-centre"]
    target = framework.roles["csr-3"]
    level = target.competencies["call-resolution"]
    page.goto(site_server + "contact-centre/assess/#from=csr-2&to=csr-3&r=call-resolution:1")

    gap = page.locator("[data-cp-gaps] li[data-competency=call-resolution]")
    expected = framework.competency_by_id["call-resolution"].levels[level]
    expect(gap).to_contain_text(f"from level 1 to level {level}: {expected.text}")
    for example in expected.examples:
        expect(gap).to_contain_text(example)
    criteria = page.locator(".cp-assess-results .cp-checklist li").all_inner_texts()
    assert len(criteria) == len(target.criteria)


def test_assessment_sends_nothing_beyond_this_machine(
        context: BrowserContext, site_server: str,
        example_frameworks: dict[str, Framework]) -> None:
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto(site_server + "engineering/assess/#from=software-engineer&to=senior-engineer")
    expect(page.locator("fieldset.cp-rate").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    loaded = len(requests)

    for competency, level in example_frameworks["engineering"].roles[
            "senior-engineer"].competencies.items():
        rate(page, competency, max(level - 1, 0))
    page.select_option("select[name=to]", "staff-engineer")
    page.get_by_role("button", name="Copy link").click()
    page.get_by_role("button", name="Clear ratings").click()
    page.wait_for_load_state("networkidle")

    assert requests, "the request recorder saw nothing"
    assert {urlsplit(url).hostname for url in requests} == {"127.0.0.1"}
    # Chromium asks for the favicon again whenever the address changes; nothing else moves.
    later = [url for url in requests[loaded:] if not url.endswith("/assets/images/favicon.png")]
    assert later == []
    assert not any("r=" in url or "#" in url for url in requests)


# --- the recruiters' box ----------------------------------------------------------------------


def test_job_ad_summary_is_copied_to_the_clipboard(
        page: Page, site_server: str, example_frameworks: dict[str, Framework]) -> None:
    framework = example_frameworks["engineering"]
    role = framework.roles["staff-engineer"]
    page.goto(site_server + "engineering/roles/staff-engineer/")

    page.get_by_role("button", name="Copy the summary").click()

    expect(page.locator(".cp-recruiters .cp-copy-status")).to_have_text("Copied to the clipboard.")
    copied = page.evaluate("navigator.clipboard.readText()")
    expected = job_ad_text(framework, role,
                           "https://careers.example.org/engineering/roles/staff-engineer/")
    assert copied == expected
    assert copied == page.inner_text(".cp-recruiters pre")


# --- hostile text and instant navigation ---------------------------------------------------

HOSTILE = '<img src=x onerror="window.pwned=1">'


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A tiny framework whose texts hold markup, built with instant navigation; base URL."""
    work = tmp_path_factory.mktemp("hostile")
    folder = work / "frameworks" / "demo"
    for name, text in TINY_FRAMEWORK.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    competencies = folder / "competencies.yaml"
    competencies.write_text(competencies.read_text().replace(
        "name: Call resolution", f"name: '{HOSTILE}'").replace(
        "2: Resolves every call type independently.",
        f"2:\n      text: '{HOSTILE} level two'\n"
        "      examples: ['<script>window.pwned=2</script>']"))
    role = folder / "roles" / "csr-2.yaml"
    role.write_text(role.read_text().replace(
        "title: Customer Service Representative II", f"title: 'CSR {HOSTILE}'").replace(
        "  - text: Signed off by a supervisor.", f"  - text: '{HOSTILE} signed off'"))
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(_Quiet, directory=str(work / "site")))
    base_url = f"http://127.0.0.1:{server.server_port}/"
    config_path = write_config(work, work / "frameworks")
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["theme"]["features"].append("navigation.instant")
    config["site_url"] = base_url  # instant navigation follows the sitemap's addresses
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    build_site(config_path, work / "site")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_markup_in_yaml_text_is_shown_as_text_and_never_runs(
        page: Page, hostile_site: str) -> None:
    page.goto(hostile_site + "demo/compare/?a=csr-1&b=csr-2&all=1")
    expect(page.locator(".cp-compare-table")).to_be_visible()
    page.goto(hostile_site + "demo/assess/#from=csr-1&to=csr-2&r=call-resolution:1")
    expect(page.locator("[data-cp-gaps] > li")).to_have_count(1)

    assert HOSTILE in page.inner_text("fieldset[data-competency=call-resolution] legend")
    assert f"{HOSTILE} level two" in page.inner_text("[data-cp-gaps]")
    assert "<script>window.pwned=2</script>" in page.inner_text("[data-cp-gaps]")
    assert f"{HOSTILE} signed off" in page.inner_text(".cp-assess-results")
    assert page.locator("article img[src=x]").count() == 0
    assert page.evaluate("window.pwned") is None


def test_tools_start_after_instant_navigation_without_a_reload(
        page: Page, hostile_site: str) -> None:
    page.goto(hostile_site + "demo/")
    page.evaluate("window.sameDocument = true")

    page.locator(".cp-section-nav a", has_text="Compare roles").click()
    expect(page.locator(".cp-compare-table")).to_be_visible()
    page.locator(".cp-section-nav a", has_text="Self-assessment").click()
    expect(page.locator("fieldset.cp-rate").first).to_be_visible()
    page.go_back()
    expect(page.locator(".cp-compare-table")).to_be_visible()
    assert urlsplit(page.url).fragment == ""  # the assessment left the compare address alone

    assert page.evaluate("window.sameDocument") is True  # instant navigation, no page load
    assert own_script_errors(page) == []
