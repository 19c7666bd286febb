"""What people see on a desktop (1366x900) and a phone (390x844), in Debian's Chromium.

The released example site (both frameworks, "What changed" included) is served like a
static host: a missing address gets the site's 404 page. Screenshots go to
``tests/artifacts/`` (git-ignored) for people to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser import CHROMIUM_ARGS, CHROMIUM_PATH
from tests.site_fixtures import ARTIFACTS

if not Path(CHROMIUM_PATH).exists():
    pytest.skip(f"{CHROMIUM_PATH} is missing: install Debian's chromium (./dev test does)",
                allow_module_level=True)

from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

DESKTOP: dict[str, Any] = {"viewport": {"width": 1366, "height": 900}}
PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "is_mobile": True,
                         "has_touch": True, "device_scale_factor": 2}
ASSESSED = ("contact-centre/assess/#from=csr-2&to=csr-3"
            "&r=call-resolution:2,communication:3,de-escalation:1")
"""A self-assessment with met, gap and unrated rows."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser: Browser, released_server: str) -> Iterator[Any]:
    """``open_page(path, **context options)``: a page of the released site; the test fails
    on a script error of any page it opened."""
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def open_(path: str, **options: Any) -> Page:
        context = browser.new_context(**{**DESKTOP, **options})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{path}: {error}"))
        page.goto(released_server + path)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert errors == []


def screenshot(page: Page, name: str, **options: Any) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), **options)


# --- phone: the results people came for are on screen -----------------------------------------

CELLS_OFF_SCREEN = """selector => [...document.querySelectorAll(selector)]
    .filter(cell => cell.offsetParent !== null)
    .map(cell => [cell.textContent.trim().slice(0, 30), cell.getBoundingClientRect()])
    .filter(([, box]) => box.left < -0.5 || box.right > window.innerWidth + 0.5)
    .map(([text, box]) => `${text}: ${Math.round(box.left)}..${Math.round(box.right)}`)"""


@pytest.mark.parametrize(("path", "table", "ready"), [
    (ASSESSED, ".cp-assess-table", ".cp-assess-table .cp-status"),
    ("contact-centre/changes/", ".cp-changes table", None),
    ("contact-centre/roles/csr-2/", ".cp-competencies table", None),
    ("engineering/roles/staff-engineer/", ".cp-competencies table", None),
])
def test_on_a_phone_every_cell_of_the_results_tables_is_on_screen(
        open_page: Any, path: str, table: str, ready: str | None) -> None:
    page = open_page(path, **PHONE)
    if ready:
        page.locator(ready).first.wait_for()
    cells = page.locator(f"{table} td, {table} tbody th")
    assert cells.count() > 3
    assert page.evaluate(CELLS_OFF_SCREEN, f"{table} td, {table} tbody th") == []
    page.locator(table).first.scroll_into_view_if_needed()
    screenshot(page, "phone-" + re.sub(r"[^a-z0-9]+", "-", path.split("#")[0]).strip("-"))


OVERFLOWING = """() => {
    const intended = '.cp-map-scroll, .cp-matrix, pre, .highlight, .md-typeset__scrollwrap';
    const found = [];
    const readersOnly = element => {  // inside a box of 1px, shown to screen readers only
        for (let up = element.parentElement; up; up = up.parentElement) {
            if (up.getBoundingClientRect().width <= 2) return true;
        }
        return false;
    };
    for (const element of document.querySelectorAll('article *')) {
        if (element.parentElement.closest(intended) || element.offsetParent === null) continue;
        const box = element.getBoundingClientRect();
        const parent = element.parentElement.getBoundingClientRect();
        if (box.width === 0 || readersOnly(element)) continue;
        if (box.left < parent.left - 1 || box.right > parent.right + 1) {
            found.push(`${element.tagName.toLowerCase()}.${element.className}: `
                       + `${Math.round(box.left)}..${Math.round(box.right)} in `
                       + `${Math.round(parent.left)}..${Math.round(parent.right)}`);
        }
    }
    if (document.documentElement.scrollWidth > window.innerWidth) found.push('the page scrolls');
    return found;
}"""


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("path", [
    "contact-centre/roles/csr-2/", "contact-centre/", "contact-centre/pay/",
    "contact-centre/changes/", "engineering/competencies/", ASSESSED,
    "contact-centre/compare/?a=csr-trainee&b=escalations-specialist",
])
def test_no_element_overflows_its_container(open_page: Any, path: str, size: str) -> None:
    page = open_page(path, **(PHONE if size == "phone" else DESKTOP))
    page.wait_for_load_state("networkidle")
    assert page.evaluate(OVERFLOWING) == []


def test_the_matrix_scrolls_inside_its_own_box_with_the_competencies_in_view(
        open_page: Any) -> None:
    page = open_page("contact-centre/competencies/", **PHONE)
    wrap = page.locator(".cp-matrix").first
    assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")
    assert wrap.get_attribute("tabindex") == "0" and wrap.get_attribute("role") == "region"
    wrap.evaluate("e => { e.scrollLeft = 200; }")
    first = wrap.locator("tbody tr:not(.cp-category-row) th").first.bounding_box()
    view = wrap.bounding_box()
    assert first and view and abs(first["x"] - view["x"]) < 2, "the competency column scrolled away"


# --- the career map -----------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["contact-centre/", "engineering/", "contact-centre/roles/csr-2/"])
def test_on_a_desktop_the_map_fits_its_column(open_page: Any, path: str) -> None:
    page = open_page(path)
    svg = page.locator("figure.cp-career-map svg.cm-map")
    article = page.locator("article").bounding_box()
    box = svg.bounding_box()
    assert article and box
    assert box["x"] >= article["x"] - 0.5
    assert box["x"] + box["width"] <= article["x"] + article["width"] + 0.5
    scroller = page.locator("figure.cp-career-map .cp-map-scroll")
    assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the fitted map scrolls"
    page.locator("#career-map").scroll_into_view_if_needed()
    screenshot(page, "desktop-map-" + path.strip("/").replace("/", "-"))


def test_zoom_shows_the_map_at_full_size_starting_where_roles_are_with_tier_labels_in_view(
        open_page: Any) -> None:
    page = open_page("contact-centre/")
    zoom = page.get_by_role("button", name="Zoom to full size")
    zoom.click()
    expect(page.get_by_role("button", name="Fit the map to the page")).to_have_attribute(
        "aria-pressed", "true")
    svg = page.locator("figure.cp-career-map svg.cm-map")
    drawn = float(svg.get_attribute("data-width") or 0)
    assert abs(svg.bounding_box()["width"] - drawn) < 1, "not at full size"  # type: ignore[index]
    scroller = page.locator("figure.cp-career-map .cp-map-scroll")
    view = scroller.bounding_box()
    header = page.locator(".cm-tracks .cm-strip").bounding_box()
    assert view and header
    in_view = page.evaluate("""([top, bottom, left, right]) =>
        [...document.querySelectorAll('.cm-role .cm-box')].filter(box => {
            const r = box.getBoundingClientRect();
            return r.top >= top && r.bottom <= bottom && r.left >= left && r.right <= right;
        }).length""", [header["y"] + header["height"], view["y"] + view["height"],
                       view["x"], view["x"] + view["width"]])
    assert in_view >= 2, "the zoomed map starts on empty rows"
    scroller.evaluate("e => { e.scrollLeft = 500; e.dispatchEvent(new Event('scroll')); }")
    page.wait_for_timeout(100)
    label = page.locator(".cm-tier-label text").first.bounding_box()
    assert label and view["x"] <= label["x"] <= view["x"] + 40, "tier labels scrolled away"
    page.locator("#career-map").scroll_into_view_if_needed()
    screenshot(page, "desktop-map-zoomed")
    page.get_by_role("button", name="Fit the map to the page").click()
    assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth + 1")


TEXT_SIZES = """() => {
    const sizes = [];
    for (const box of document.querySelectorAll('.cp-ladder-role, svg.cm-map .cm-role')) {
        if (!box.getClientRects().length) continue;
        const svg = box.closest('svg');
        const scale = svg ? svg.getBoundingClientRect().width / svg.viewBox.baseVal.width : 1;
        const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
        let smallest = Infinity;
        while (walker.nextNode()) {
            const holder = walker.currentNode.parentElement;
            if (!walker.currentNode.textContent.trim() || holder.closest('title')) continue;
            if (!holder.getClientRects().length) continue;
            smallest = Math.min(smallest, parseFloat(getComputedStyle(holder).fontSize) * scale);
        }
        sizes.push([box.textContent.trim().split('\\n')[0], smallest]);
    }
    return sizes;
}"""


@pytest.mark.parametrize("path", ["contact-centre/", "engineering/",
                                  "contact-centre/roles/trainer/"])
def test_on_a_phone_every_role_box_of_the_map_has_text_of_11px_or_more(
        open_page: Any, path: str) -> None:
    page = open_page(path, **PHONE)
    sizes = page.evaluate(TEXT_SIZES)
    assert len(sizes) >= 2, "the phone shows no role of the map"
    assert [(title, size) for title, size in sizes if size < 11] == []
    page.locator("#career-map").scroll_into_view_if_needed()
    screenshot(page, "phone-map-" + path.strip("/").replace("/", "-"))


def test_on_a_phone_the_ladder_shows_one_track_at_a_time_with_its_moves(open_page: Any) -> None:
    page = open_page("contact-centre/roles/trainer/", **PHONE)
    picker = page.get_by_label("Track", exact=True)
    expect(picker).to_have_value("support")  # the highlighted role's track comes first
    shown = page.locator(".cp-ladder-track:visible")
    expect(shown).to_have_count(1)
    expect(shown.locator(".cp-ladder-here > a")).to_have_text("Contact Centre Trainer")
    expect(shown.locator(".cp-ladder-here")).to_contain_text("Promotion to")
    picker.select_option("leadership")
    expect(page.locator(".cp-ladder-track:visible")).to_have_attribute("data-track", "leadership")
    tiers = page.locator(".cp-ladder-track:visible .cp-ladder-tier").all_inner_texts()
    assert [tier.casefold() for tier in tiers] == ["executive", "manager", "lead", "senior"]


def test_in_dark_mode_the_map_and_the_pay_chart_have_no_bright_panel(open_page: Any) -> None:
    luminance = """selector => [...document.querySelectorAll(selector)].map(e => {
        const [r, g, b] = getComputedStyle(e).fill.match(/\\d+/g).map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; })"""
    page = open_page("contact-centre/roles/csr-2/", color_scheme="dark")
    page.get_by_role("button", name="Zoom to full size").click()
    fills = page.evaluate(luminance, ".cm-background, .cm-tier-band, .cm-role-plain .cm-box")
    assert fills and max(fills) < 0.3, fills
    page.locator("#career-map").scroll_into_view_if_needed()
    screenshot(page, "dark-role-map")
    page = open_page("contact-centre/pay/", color_scheme="dark")
    assert max(page.evaluate(luminance, ".cp-pc-bg")) < 0.3
    screenshot(page, "dark-pay-chart", full_page=True)


@pytest.mark.parametrize("path", ["engineering/", "contact-centre/"])
def test_map_text_stays_inside_its_boxes(open_page: Any, path: str) -> None:
    page = open_page(path)
    overflowing = page.evaluate("""() => [...document.querySelectorAll('svg.cm-map [data-fit]')]
        .flatMap(group => [...group.querySelectorAll('text')].map(text =>
            [text.textContent, text.getBBox().width, parseFloat(group.dataset.fit)]))
        .filter(([, width, fit]) => width > fit + 1)""")
    assert overflowing == []
    if path == "engineering/":
        assert page.locator(".cm-track-kind", has_text="Individual contributor").count() == 0, \
            "the header 'Individual Contributor' needs no subtitle saying the same"


def test_the_pay_chart_says_it_is_a_chart_when_it_scrolls(open_page: Any) -> None:
    page = open_page("contact-centre/pay/", **PHONE)
    chart = page.locator("figure.cp-chart")
    expect(chart).to_have_class(re.compile(r"\bcp-map-overflows\b"))
    hint = chart.evaluate("e => getComputedStyle(e, '::before').content")
    assert "chart" in hint and "track" not in hint and "map" not in hint


# --- finding and reading ----------------------------------------------------------------------

def test_a_mistyped_role_address_gets_a_404_page_linking_the_closest_role(
        open_page: Any, released_server: str) -> None:
    page = open_page("contact-centre/roles/csr-22/")
    expect(page.locator("h1")).to_have_text("This page does not exist")
    closest = page.locator("[data-cp-closest] a")
    expect(closest).to_have_text("Customer Service Representative II")
    assert closest.get_attribute("href") == "/contact-centre/roles/csr-2/"
    expect(page.get_by_label("Search the career frameworks")).to_be_visible()
    frameworks = page.locator(".cp-not-found-frameworks a").all_inner_texts()
    assert {"Contact Centre Career Framework", "Engineering Career Framework"} <= set(frameworks)
    assert len(frameworks) == len(set(frameworks)) >= 4
    screenshot(page, "404-mistyped-role")
    closest.click()
    page.wait_for_url("**/contact-centre/roles/csr-2/")
    page = open_page("engineering/roles/principle-engineer/", **PHONE)
    expect(page.locator("[data-cp-closest] a")).to_have_text("Principal Engineer")


def test_the_404_page_searches_the_site(open_page: Any) -> None:
    page = open_page("no/such/page/")
    page.get_by_label("Search the career frameworks").fill("de-escalation")
    page.get_by_role("button", name="Search", exact=True).click()
    page.locator(".md-search-result__item").first.wait_for()


def search(page: Page, words: str) -> list[list[tuple[str, str]]]:
    """The results of a search typed as a person types it: per page found, best first, the
    (title, link) of the page and of its matching sections."""
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially(words, delay=10)
    page.locator(".md-search-result__item").first.wait_for()
    read = """() => [...document.querySelectorAll('.md-search-result__item')]
        .map(item => [...item.querySelectorAll('.md-search-result__link')].map(a =>
            [a.querySelector('h1, h2').textContent.trim(), a.getAttribute('href')]))"""
    # Results come after each key: wait until those of the whole query stay the same
    # for half a second.
    results, steady = page.evaluate(read), 0
    for _ in range(50):
        page.wait_for_timeout(100)
        latest = page.evaluate(read)
        steady = steady + 1 if latest == results else 0
        results = latest
        if steady == 5:
            break
    return results


def test_search_results_name_their_framework(open_page: Any) -> None:
    pages = [links[0][0] for links in search(open_page(""), "pay")]
    pay_pages = [page for page in pages if page.startswith("Pay · ")]
    assert {"Pay · Contact Centre Career Framework", "Pay · Engineering Career Framework"} <= \
        set(pay_pages[:4]) and len(set(pay_pages)) == len(pay_pages), pages


def test_a_competency_word_finds_the_competencys_own_entry_first(open_page: Any) -> None:
    first = search(open_page("contact-centre/"), "de-escalation")[0]
    page, best = (urlsplit(link) for _, link in first[:2])
    assert page.path.endswith("/contact-centre/competencies/"), first
    assert (first[1][0], best.path, best.fragment) == (
        "Complaints and de-escalation", page.path, "de-escalation")


def test_without_javascript_the_controls_that_need_it_stay_hidden(open_page: Any) -> None:
    for path, control in (("contact-centre/roles/csr-2/", "Copy the summary"),
                          ("contact-centre/compare/", "Swap the two roles"),
                          ("contact-centre/", "Zoom to full size"),
                          ("contact-centre/assess/", "Copy link")):
        page = open_page(path, java_script_enabled=False)
        expect(page.get_by_role("button", name=control, include_hidden=True)).to_be_hidden()
    page = open_page("contact-centre/", java_script_enabled=False, **PHONE)
    expect(page.locator(".cp-ladder-track")).to_have_count(4)  # every track, one after another
    expect(page.locator(".cp-ladder-track:visible")).to_have_count(4)


def test_pickers_show_the_whole_title_of_the_chosen_role(open_page: Any) -> None:
    for size in (DESKTOP, PHONE):
        page = open_page("contact-centre/compare/?a=csr-trainee&b=escalations-specialist", **size)
        page.locator(".cp-compare-table").wait_for()
        faces = page.evaluate("""() => [...document.querySelectorAll('.cp-select-face')].map(f =>
            [f.textContent, f.scrollWidth <= f.clientWidth,
             f.nextElementSibling.selectedOptions[0].textContent])""")
        assert [text for text, _, _ in faces] == [
            "Customer Service Representative Trainee · Foundation",
            "Complaints and Escalations Specialist · Senior"]
        assert all(fits and text == option for text, fits, option in faces)
