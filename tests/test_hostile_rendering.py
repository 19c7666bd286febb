"""Safe rendering: script payloads in every text field of a framework never run on the site.

``tests/fixtures/malicious/evil`` is a valid framework whose every text field (plain and
Markdown, in every file) holds script-injection payloads: ``<script>``, event handlers,
``javascript:`` links in Markdown, frames, ``</script>`` to break out of the JSON-LD block,
attribute break-outs, Markdown link titles, entities, Jinja-like ``{{ }}`` text and
spreadsheet formulas.  Its site is built with the real MkDocs; every file is checked
statically, and Chromium opens every page (and the search) and looks for anything that ran
or was injected.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import typing
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from pydantic import BaseModel

from generator.model import (
    Competency,
    FrameworkSpec,
    RoleSpec,
    SalaryFile,
)
from generator.publish import CHANGES_BASE_ENV, CHANGES_VERSION_ENV
from generator.validation import load_valid_frameworks
from tests.browser import CHROMIUM_ARGS
from tests.site_fixtures import build_site_with_mkdocs, serve_directory

MALICIOUS = Path(__file__).parent / "fixtures" / "malicious"
PAYLOAD = "<script>alert(1)</script>"
REFERENCE_FIELDS = {"id", "track", "tier", "metric", "replaced_by", "next", "lateral",
                    "aliases", "currency", "kind", "unit", "visibility", "tier_max", "extends",
                    "tracks", "tiers", "roles", "zone", "level", "version"}
"""Fields that hold ids, labels or fixed words: validation refuses payloads there."""
FORMULA_START = ("=", "+", "-", "@")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


@pytest.fixture(scope="module")
def malicious_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The malicious framework built with the real MkDocs (site URL set, so JSON-LD has one),
    with a "What changed" page against an earlier version whose every text differs."""
    work = tmp_path_factory.mktemp("malicious")
    previous = work / "previous"
    shutil.copytree(MALICIOUS, previous)
    for path in previous.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8").replace("alert(1)", "alert(2)")
        path.write_text(text.replace("min: 30000", "min: 29000"), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CHANGES_BASE_ENV, str(previous))
        patch.setenv(CHANGES_VERSION_ENV, f"2025.9 {PAYLOAD} \"><svg onload=alert(1)>")
        return build_site_with_mkdocs(work / "site", work, MALICIOUS)


@pytest.fixture(scope="module")
def evil() -> Any:
    frameworks, _warnings = load_valid_frameworks(MALICIOUS)
    return frameworks[0]


def site_pages(site: Path) -> list[str]:
    """Every page and drawing of the site (Material's own assets left out)."""
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*")
                  if path.suffix in (".html", ".svg") and "assets" not in path.parts)


# --- the fixture covers every text field -------------------------------------------------------


def _text_fields(model: type[BaseModel], seen: set[type[BaseModel]] | None = None
                 ) -> Iterator[tuple[str, str]]:
    """(model, field) of every text field in ``model`` and the models inside it."""
    seen = seen if seen is not None else set()
    if model in seen:
        return
    seen.add(model)
    for name, info in model.model_fields.items():
        for inner in _leaf_types(info.annotation):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                yield from _text_fields(inner, seen)
            elif inner is str and name not in REFERENCE_FIELDS:
                yield model.__name__, name


def _leaf_types(annotation: Any) -> Iterator[Any]:
    arguments = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        yield from _leaf_types(arguments[0])
    elif typing.get_origin(annotation) is dict:  # keys are ids (competency -> level)
        yield from _leaf_types(arguments[1])
    elif arguments:
        for argument in arguments:
            yield from _leaf_types(argument)
    else:
        yield annotation


def _fields_with_payload(value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            item = getattr(value, name)
            texts = item if isinstance(item, list) else [item]
            if any(isinstance(text, str) and PAYLOAD in text for text in texts):
                yield type(value).__name__, name
            yield from _fields_with_payload(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _fields_with_payload(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _fields_with_payload(item)


def test_the_malicious_fixture_has_payloads_in_every_text_field(evil: Any) -> None:
    every = {field for model in (FrameworkSpec, Competency, SalaryFile, RoleSpec)
             for field in _text_fields(model)}
    covered = set(_fields_with_payload([evil.spec, evil.competencies, evil.salary,
                                        list(evil.roles.values())]))
    role_fields = {("Role", name) for model, name in every if model == "RoleSpec"}
    missing = every - covered - {("RoleSpec", name) for _, name in role_fields
                                 if ("Role", name) in covered}
    assert not missing, f"text fields without a payload in the malicious fixture: {missing}"


# --- static checks of every file ---------------------------------------------------------------


class _Injected(HTMLParser):
    """Collects markup that a payload could have injected into an HTML or SVG file."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.script_type: str | None = None
        self.json_ld: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {name: (value or "").lower() for name, value in attrs}
        if tag == "meta" and named.get("http-equiv") == "refresh" and \
                "javascript:" in named.get("content", ""):
            self.found.append("<meta> refreshing to a script URL")
        if tag in ("iframe", "object", "embed", "frame", "frameset", "base"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            lowered = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction", "data", "xlink:href") and \
                    lowered.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"<{tag} {name}={lowered[:30]}>")
        if tag == "script":
            self.script_type = dict(attrs).get("type") or "text/javascript"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.script_type = None

    def handle_data(self, data: str) -> None:
        if self.script_type == "application/ld+json":
            self.json_ld.append(data)
        elif self.script_type is not None and "alert" in data:
            self.found.append(f"<script>{data[:40]}")


def parse(path: Path) -> _Injected:
    parser = _Injected()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def test_no_file_of_the_site_holds_injected_markup(malicious_site: Path) -> None:
    pages = site_pages(malicious_site)
    assert len(pages) >= 15
    assert "evil/changes/index.html" in pages  # the "What changed" page, old and new texts
    found = {page: parse(malicious_site / page).found for page in pages}
    assert {page: items for page, items in found.items() if items} == {}


def test_json_ld_of_every_role_parses_and_keeps_the_title_whole(
        malicious_site: Path, evil: Any) -> None:
    for role in evil.roles.values():
        page = malicious_site / "evil" / "roles" / role.id / "index.html"
        blocks = parse(page).json_ld
        assert len(blocks) == 1, page
        data = json.loads(blocks[0])
        assert data["name"] == role.title
        assert "</script>" in data["name"] and "</script" not in blocks[0]


def test_no_generated_text_holds_control_characters(malicious_site: Path) -> None:
    """Python-Markdown's placeholders (STX, ETX) must not leak out of odd Markdown."""
    leaking = [path.relative_to(malicious_site).as_posix() for path in malicious_site.rglob("*")
               if path.suffix in (".html", ".svg", ".json", ".xml", ".csv")
               and CONTROL.search(path.read_text(encoding="utf-8"))]
    assert leaking == []


def test_plain_text_payloads_are_shown_as_text(malicious_site: Path) -> None:
    html = (malicious_site / "evil" / "roles" / "victim" / "index.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "{% if true %}" in html


def test_downloads_hold_no_spreadsheet_formula(malicious_site: Path) -> None:
    downloads = malicious_site / "evil" / "downloads"
    tables = sorted(downloads.glob("*.csv"))
    assert tables
    cells = [cell for path in tables
             for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")))
             for cell in row]
    assert any("HYPERLINK" in cell for cell in cells)
    assert [cell for cell in cells if cell.startswith(FORMULA_START)] == []
    for workbook_path in downloads.glob("*.xlsx"):
        workbook = openpyxl.load_workbook(workbook_path)
        formulas = [cell.coordinate for sheet in workbook.worksheets for row in sheet.iter_rows()
                    for cell in row if cell.data_type == "f"]
        assert formulas == [], workbook_path


# --- in a real browser -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(malicious_site: Path) -> Iterator[str]:
    with serve_directory(malicious_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    context.set_default_timeout(15_000)
    page = context.new_page()
    dialogs: list[str] = []

    def record(dialog: Any) -> None:
        dialogs.append(f"{page.url}: {dialog.type} {dialog.message}")
        dialog.dismiss()

    page.on("dialog", record)
    page.dialogs = dialogs  # type: ignore[attr-defined]
    yield page
    context.close()


INJECTED = """() => {
  const found = [];
  for (const script of document.querySelectorAll('script')) {
    if (script.type !== 'application/ld+json' && script.textContent.includes('alert'))
      found.push('script: ' + script.textContent.slice(0, 60));
  }
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith('on'))
        found.push(element.tagName + ' ' + attribute.name + '=' + attribute.value.slice(0, 40));
    }
  }
  for (const element of document.querySelectorAll('iframe, frame, object, embed'))
    found.push(element.tagName);
  for (const element of document.querySelectorAll('[href], [src], [action], [formaction]')) {
    for (const name of ['href', 'src', 'action', 'formaction']) {
      const value = (element.getAttribute(name) || '').trim().toLowerCase();
      if (value.startsWith('javascript:') || value.startsWith('data:'))
        found.push(element.tagName + ' ' + name + '=' + value.slice(0, 40));
    }
  }
  if (window.pwned !== undefined) found.push('window.pwned');
  return found;
}"""

JSON_LD = """() => [...document.querySelectorAll('script[type="application/ld+json"]')]
  .map(script => JSON.parse(script.textContent).name)"""


def visit(page: Page, url: str) -> list[str]:
    page.goto(url, wait_until="load")
    page.wait_for_timeout(100)  # let handlers of late-loading images fire, if any
    return page.evaluate(INJECTED)


def test_every_page_opens_without_a_dialog_or_an_injected_element(
        page: Page, served: str, malicious_site: Path, evil: Any) -> None:
    found = {}
    for path in site_pages(malicious_site):
        injected = visit(page, served + path)
        if injected:
            found[path] = injected
    assert found == {}
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_json_ld_parses_in_the_browser_with_the_title_intact(
        page: Page, served: str, evil: Any) -> None:
    for role in evil.roles.values():
        page.goto(f"{served}evil/roles/{role.id}/")
        assert page.evaluate(JSON_LD) == [role.title]
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_tool_pages_given_the_hostile_roles_inject_nothing(
        page: Page, served: str, malicious_site: Path) -> None:
    addresses = []
    if (malicious_site / "evil" / "compare" / "index.html").is_file():
        addresses.append("evil/compare/?a=victim&b=lead&all=1")
        addresses.append("evil/compare/?a=peer&b=victim&all=1")
    if (malicious_site / "evil" / "assess" / "index.html").is_file():
        addresses.append("evil/assess/#from=victim&to=lead&r=resilience:1,courage:1")
    for address in addresses:
        assert visit(page, served + address) == [], address
        page.wait_for_timeout(300)
        assert page.evaluate(INJECTED) == [], address
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_search_results_for_the_payloads_inject_nothing(page: Page, served: str) -> None:
    page.goto(served + "evil/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    shown: list[str] = []
    for query in ("framework", "summary", "title", "criterion", "reason"):
        box = page.locator("input.md-search__input")
        box.fill("")
        box.press_sequentially(query, delay=10)  # Material reacts to key events
        page.wait_for_selector(".md-search-result__item", timeout=15_000)
        page.wait_for_timeout(200)
        assert page.evaluate(INJECTED) == [], query
        shown.append(page.locator(".md-search-result").inner_text())
    assert any(PAYLOAD in text for text in shown)  # the payloads are in the results, as text
    assert page.dialogs == []  # type: ignore[attr-defined]
