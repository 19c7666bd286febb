"""axe-core finds no accessibility problem on any page type, in the light and dark palettes.

The released example site (both frameworks, with a "What changed" page) is opened in
Debian's Chromium; axe-core (bundled by the axe-playwright-python package) checks every
page type after its scripts have drawn what they draw (comparisons, self-assessment results,
the closest role of a mistyped address, search results). A violation of any impact fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.browser import CHROMIUM_ARGS, CHROMIUM_PATH

if not Path(CHROMIUM_PATH).exists():
    pytest.skip(f"{CHROMIUM_PATH} is missing: install Debian's chromium (./dev test does)",
                allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def search_for(words: str) -> Callable[[Page], None]:
    def run(page: Page) -> None:
        page.locator("label.md-search__icon, .md-search__input").first.click()
        page.locator("input.md-search__input").press_sequentially(words, delay=5)
        page.locator(".md-search-result__item").first.wait_for()
    return run


def shown(selector: str) -> Callable[[Page], None]:
    def run(page: Page) -> None:
        page.locator(selector).first.wait_for()
    return run


def ends_on(path: str) -> Callable[[Page], None]:
    def run(page: Page) -> None:
        page.wait_for_url(f"**/{path}")
        page.locator("article h1").wait_for()
    return run


PAGE_TYPES: dict[str, tuple[str, Callable[[Page], None] | None]] = {
    "home": ("", None),
    "guide": ("guide/reading/", None),
    "guide with code": ("guide/editing/", None),
    "404": ("contact-centre/roles/csr-22/", shown("[data-cp-closest] a")),
    "search results": ("engineering/", search_for("de-escalation")),
    **{f"{kind} ({fid})": (path, ready)
       for fid, role, retired, alias, track in (
           ("contact-centre", "csr-2", "senior-csr", "csr-ii", "frontline"),
           ("engineering", "senior-engineer", "lead-engineer", "junior-engineer", "management"))
       for kind, path, ready in (
           ("overview", f"{fid}/", None),
           ("track", f"{fid}/tracks/{track}/", None),
           ("role", f"{fid}/roles/{role}/", None),
           ("retired role", f"{fid}/roles/{retired}/", None),
           ("alias redirect", f"{fid}/roles/{alias}/", ends_on(f"{fid}/roles/*/")),
           ("competencies", f"{fid}/competencies/", None),
           ("pay", f"{fid}/pay/", None),
           ("policies", f"{fid}/policies/", None),
           ("compare", f"{fid}/compare/", shown(".cp-compare-table")),
           ("assess", f"{fid}/assess/#r=" + ("call-resolution:1,communication:4"
                                             if fid == "contact-centre"
                                             else "technical-craft:1,delivery:4"),
            shown(".cp-assess-table")),
           ("what changed", f"{fid}/changes/", None),
       )},
}
"""Page type -> (address, what to wait for before checking)."""

PHONE_PAGE_TYPES = ("404", "overview (contact-centre)", "role (contact-centre)",
                    "pay (contact-centre)", "compare (contact-centre)",
                    "assess (contact-centre)", "what changed (contact-centre)")
"""Page types whose layout changes most on a phone (tables reflow, the map turns into a
ladder, pickers stack): checked at 390 px too."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def violations(page: Page, name: str) -> list[str]:
    """axe-core's violations on ``page``, one readable line each."""
    found = Axe().run(page).response["violations"]
    return [f"{name}: {v['id']} ({v['impact']}) {v['help']}: "
            + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
            for v in found]


def check(browser: Browser, server: str, scheme: str, viewport: dict[str, int],
          names: tuple[str, ...] | list[str]) -> list[str]:
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    context.set_default_timeout(15_000)
    page = context.new_page()
    found: list[str] = []
    try:
        for name in names:
            path, ready = PAGE_TYPES[name]
            page.goto(server + path)
            expected = "slate" if scheme == "dark" else "default"
            page.locator(f'body[data-md-color-scheme="{expected}"]').wait_for(state="attached")
            if ready:
                ready(page)
            found += violations(page, f"{name} ({path or '/'})")
    finally:
        context.close()
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_type_has_an_accessibility_violation_on_a_desktop(
        browser: Browser, released_server: str, scheme: str) -> None:
    found = check(browser, released_server, scheme, DESKTOP, list(PAGE_TYPES))
    assert found == [], "axe-core violations:\n" + "\n".join(found)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_type_has_an_accessibility_violation_on_a_phone(
        browser: Browser, released_server: str, scheme: str) -> None:
    found = check(browser, released_server, scheme, PHONE, PHONE_PAGE_TYPES)
    assert found == [], "axe-core violations:\n" + "\n".join(found)


def test_the_redirect_of_an_alias_is_a_page_with_a_language_title_and_link(
        released_site: Path) -> None:
    text = (released_site / "contact-centre/roles/csr-ii/index.html").read_text()
    assert '<html lang="en">' in text
    assert "<title>Redirecting to Customer Service Representative II</title>" in text
    assert '<a href="../csr-2/">Customer Service Representative II</a>' in text
