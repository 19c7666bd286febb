"""The built example site in a real browser: Playwright driving Debian's Chromium.

The site is served on 127.0.0.1 like a mike deployment (see ``site_fixtures``). Every
test fails on a console error or an uncaught exception of a page it opened.
Screenshots go to ``tests/artifacts/`` (git-ignored) for people to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import CHROMIUM_ARGS
from tests.site_fixtures import ARTIFACTS

CHROMIUM = Path("/usr/bin/chromium")
CONTRAST_CHECK = (Path(__file__).parent / "wcag_contrast.js").read_text(encoding="utf-8")

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (./dev test does)",
                allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Tab:
    """A page that records console errors and uncaught exceptions."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"{self.page.url}: {message.text}")

    def open(self, path: str, *, settle: bool = False) -> Page:
        """Go to ``path``; with ``settle``, also wait until the page's own requests are done
        (the search index, mike's versions.json), so their errors are caught here."""
        self.page.goto(self.base_url + path)
        if settle:
            self.page.wait_for_load_state("networkidle")
        return self.page

    def screenshot(self, name: str, **options: Any) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), **options)
        return path


@pytest.fixture
def tab_factory(browser: Browser, site_server: str) -> Iterator[Any]:
    contexts = []
    tabs: list[Tab] = []

    def make(**context_options: Any) -> Tab:
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900},
                                         **context_options})
        contexts.append(context)
        tab = Tab(context.new_page(), site_server)
        tabs.append(tab)
        return tab

    yield make
    errors = [error for tab in tabs for error in tab.errors]
    for context in contexts:
        context.close()
    assert errors == [], "console errors:\n" + "\n".join(errors)


@pytest.fixture
def tab(tab_factory: Any) -> Tab:
    return tab_factory()


def search(page: Page, words: str) -> None:
    """Type into Material's search box as a person does (it reacts to key events)."""
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially(words, delay=10)


def test_reader_goes_from_home_through_the_map_to_a_role_and_searches_another(tab: Tab):
    page = tab.open("", settle=True)
    expect(page.locator("article h1")).to_have_text("Career frameworks")

    page.locator("a.cp-card", has_text="Contact Centre Career Framework").click()
    page.wait_for_url(re.compile(r"/contact-centre/$"))
    expect(page.locator("article h1")).to_have_text("Contact Centre Career Framework")

    page.locator('figure.cp-map svg a[href="roles/csr-2/"]').click()
    page.wait_for_url(re.compile(r"/contact-centre/roles/csr-2/$"))
    expect(page.locator("article h1")).to_have_text("Customer Service Representative II")
    tab.screenshot("journey-role-from-map")

    search(page, "Workforce Analyst")
    result = page.locator(".md-search-result__item a", has_text="Workforce Analyst").first
    expect(result).to_be_visible()
    result.click()
    page.wait_for_url(re.compile(r"/contact-centre/roles/workforce-analyst/"))
    expect(page.locator("article h1")).to_have_text("Workforce Analyst")
    tab.screenshot("journey-role-from-search")


def test_search_finds_a_role_by_words_of_its_competencies(tab: Tab):
    page = tab.open("engineering/")
    search(page, "untangles the hardest bugs")
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    assert "Senior Engineer" in page.locator(".md-search-result").inner_text()


def test_keyboard_tab_reaches_the_role_links_of_the_map(tab: Tab):
    page = tab.open("engineering/")
    page.locator("h2#career-map a.headerlink").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.closest('svg') !== null,"
        " document.activeElement.getAttribute('href'),"
        " document.activeElement.getAttribute('aria-label')]")
    in_map, href, label = focused
    assert in_map, "Tab from the map goes past its role links"
    assert href.startswith("roles/") and label
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/engineering/" + re.escape(href) + "$"))
    expect(page.locator("article h1")).to_have_text(label.split(",")[0])


def test_zooming_a_role_pages_map_brings_the_highlighted_role_into_view(tab: Tab):
    page = tab.open("contact-centre/roles/head-of-customer-operations/")
    page.get_by_role("button", name="Zoom to full size").click()
    visible = page.evaluate("""() => {
        const scroller = document.querySelector('.cp-map-scroll');
        const box = scroller.querySelector('.cm-role-highlight').getBoundingClientRect();
        const view = scroller.getBoundingClientRect();
        return scroller.scrollWidth > scroller.clientWidth
            && box.left >= view.left && box.right <= view.right
            && box.top >= view.top && box.bottom <= view.bottom;
    }""")
    assert visible, "the highlighted role is outside the visible part of the zoomed map"


def test_on_a_phone_the_overview_shows_the_ladder_and_the_page_does_not_scroll_sideways(
        tab_factory: Any):
    tab = tab_factory(viewport={"width": 390, "height": 844}, is_mobile=True,
                      has_touch=True, device_scale_factor=2)
    page = tab.open("contact-centre/")
    expect(page.locator("figure.cp-career-map")).to_be_hidden()
    expect(page.locator(".cp-ladder")).to_be_visible()
    sizes = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert sizes[0] <= sizes[1], "the page itself must not scroll sideways"
    page.locator("#career-map").scroll_into_view_if_needed()
    tab.screenshot("phone-overview-map")


def test_a_map_that_fits_does_not_claim_to_scroll(tab: Tab):
    page = tab.open("engineering/")
    figure_classes = page.locator("figure.cp-map").first.get_attribute("class") or ""
    assert "cp-map-overflows" not in figure_classes


SHOWCASE = {
    "role": "contact-centre/roles/csr-2/",
    "overview": "contact-centre/",
    "competencies": "engineering/competencies/",
    "pay": "contact-centre/pay/",
    "track": "engineering/tracks/management/",
    "policies": "contact-centre/policies/",
    "retired": "engineering/roles/lead-engineer/",
    "home": "",
}


SCREENSHOTS = {"role": "", "overview": "#career-map", "competencies": ".cp-matrix",
               "pay": ".cp-pay-table"}
"""Pages saved as ``<name>-<scheme>.png``, scrolled to the part worth looking at."""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_meet_wcag_aa_contrast_in_light_and_dark(tab_factory: Any, scheme: str):
    tab = tab_factory(color_scheme=scheme)
    failures = []
    for name, path in SHOWCASE.items():
        page = tab.open(path)
        expected = "slate" if scheme == "dark" else "default"
        assert page.locator("body").get_attribute("data-md-color-scheme") == expected
        failures += [f"{path}: {failure}"
                     for failure in page.evaluate(CONTRAST_CHECK, "article *")]
        if name in SCREENSHOTS:
            if SCREENSHOTS[name]:
                page.locator(SCREENSHOTS[name]).first.evaluate("e => e.scrollIntoView()")
            tab.screenshot(f"{name}-{scheme}")
    assert failures == []


def test_svgs_have_titles_and_their_links_accessible_names(tab: Tab):
    for path in ("contact-centre/", "contact-centre/pay/", "engineering/roles/staff-engineer/"):
        page = tab.open(path)
        unnamed = page.evaluate("""() => [...document.querySelectorAll('article svg')]
            .filter(svg => !svg.closest('a, button'))
            .filter(svg => !(svg.querySelector(':scope > title') || svg.getAttribute('aria-label')
                             || svg.getAttribute('aria-hidden') === 'true'))
            .map(svg => svg.outerHTML.slice(0, 80))""")
        assert unnamed == [], path
        nameless_links = page.evaluate("""() => [...document.querySelectorAll('article svg a')]
            .filter(a => !a.getAttribute('aria-label')).length""")
        assert nameless_links == 0, path
