"""A role page printed from the browser (Ctrl+P) is a handout for a career talk: at most two
pages on A4 and on US letter for every example role, no heading at the foot of a page with
its content on the next, no navigation or tools, tables without scroll boxes, and the career
map replaced by the address of the role's printable PDF map.

Every role of both example frameworks is printed by Debian's Chromium, and the PDFs are
read back with poppler.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest

from generator.model import Framework
from generator.urls import map_pdf_url, printed_url, role_url
from tests.browser import CHROMIUM_ARGS, CHROMIUM_PATH

PAPERS = ("A4", "Letter")
NAVIGATION_TEXT = ("Search", "Skip to content", "Guides", "For recruiters",
                   "Rate yourself", "Compare with", "Download the printable")
"""Header, search and navigation text, and the links to tools: nothing to do on paper."""

HEADINGS = """els => els.map(e => e.innerText.replace(/\\s+/g, ' ').trim()).filter(t => t)"""
HEADING_SELECTOR = ("article h1, article h2, article h3, article p:not(.cp-advancement):has(+ ul), "
                    "article p:not(.cp-advancement):has(+ .cp-checklist)")


def pdf_pages(pdf: Path) -> list[list[str]]:
    """Each page's non-empty text lines, whitespace collapsed."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    return [[" ".join(line.split()) for line in page.splitlines() if line.strip()]
            for page in text.split("\f") if page.strip()]


def stranded(pages: list[list[str]], headings: list[str]) -> list[str]:
    """Headings (or list labels) that end a page while their content starts the next."""
    found = []
    for lines in pages[:-1]:
        last = lines[-1]
        if len(last) >= 6 and any(heading.startswith(last) or heading == last
                                  for heading in headings):
            found.append(last)
    return found


@pytest.fixture(scope="module")
def printed(example_site: Path, site_server: str, example_frameworks: dict[str, Framework],
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict]]:
    """Every example role page printed on both papers: role url -> what was printed."""
    from playwright.sync_api import sync_playwright

    folder = tmp_path_factory.mktemp("printed-pages")
    results: dict[str, dict] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for framework in example_frameworks.values():
            for role_id in framework.roles:
                url = role_url(framework.id, role_id)
                page.goto(urljoin(site_server, url))
                page.emulate_media(media="print")
                scrolling = page.eval_on_selector_all(
                    ".cp-table-wrap, .md-typeset__scrollwrap, .md-typeset__table",
                    "els => els.map(e => getComputedStyle(e).overflowX)"
                    ".filter(o => o !== 'visible')")
                maps_shown = page.eval_on_selector_all(
                    "article svg, article .cp-map img",
                    "els => els.filter(e => e.getBoundingClientRect().height > 0).length")
                result = {"headings": page.eval_on_selector_all(HEADING_SELECTOR, HEADINGS),
                          "scrolling": scrolling, "maps_shown": maps_shown,
                          "map_pdf": printed_url(example_site_url(example_site),
                                                 map_pdf_url(framework.id, role_id))}
                for paper in PAPERS:
                    pdf = folder / f"{framework.id}-{role_id}-{paper}.pdf"
                    page.pdf(path=str(pdf), format=paper, print_background=True)
                    result[paper] = pdf_pages(pdf)
                results[url] = result
        browser.close()
    yield results


def example_site_url(example_site: Path) -> str:
    """The site's own address, as its pages give it in their canonical link."""
    home = (example_site / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<link rel="canonical" href="([^"]+)"', home)
    return match[1] if match else ""


def test_every_role_page_prints_on_at_most_two_pages_of_a4_and_letter(
        printed: dict[str, dict], example_frameworks: dict[str, Framework]) -> None:
    too_long = {f"{url} ({paper})": len(result[paper]) for url, result in printed.items()
                for paper in PAPERS if len(result[paper]) > 2}
    assert len(printed) == sum(len(f.roles) for f in example_frameworks.values())
    assert not too_long, f"printed role pages longer than two pages: {too_long}"


def test_no_heading_is_left_at_the_foot_of_a_printed_page(printed: dict[str, dict]) -> None:
    found = {f"{url} ({paper})": lines for url, result in printed.items() for paper in PAPERS
             if (lines := stranded(result[paper], result["headings"]))}
    assert not found, f"headings printed at a page's foot, their content on the next: {found}"


def test_a_printed_role_page_has_no_navigation_no_scroll_boxes_and_the_map_as_an_address(
        printed: dict[str, dict], example_frameworks: dict[str, Framework]) -> None:
    for url, result in printed.items():
        text = " ".join(line for page in result["A4"] for line in page)
        assert "Responsibilities" in text and "How to get here" in text, url
        others = [f.spec.name for f in example_frameworks.values()
                  if not url.startswith(f.id + "/")]
        leaked = [phrase for phrase in (*NAVIGATION_TEXT, *others) if phrase in text]
        assert not leaked, f"navigation or tools printed on {url}: {leaked}"
        assert not result["scrolling"], f"tables print as scroll boxes on {url}"
        assert result["maps_shown"] == 0, f"a squeezed career map is printed on {url}"
        # pdftotext drops a hyphen that ends a line: compare without hyphens and spaces.
        assert result["map_pdf"].replace("-", "") in text.replace("-", "").replace(" ", ""), url
