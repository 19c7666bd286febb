"""Fixtures of the site tests: real MkDocs builds into temp folders and a localhost server.

The builds use the project's own ``mkdocs.yml``; only the frameworks folder and the
plugin's generated folder are redirected, so parallel builds never share files.

The example site and the released example site are built once per test run, whatever the
number of test processes (:func:`built_once`), and only read by the tests.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import html
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from generator.markdown_fields import markdown_to_html
from generator.model import Framework
from generator.validation import load_valid_frameworks
from tests.html_tree import Node, parse_html

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "frameworks"
EXAMPLE_FRAMEWORKS = ("contact-centre", "engineering")
ARTIFACTS = REPO / "tests" / "artifacts"
PLUGIN = "career-paths"


def project_config() -> dict[str, Any]:
    """The project's ``mkdocs.yml`` as data."""
    return yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))


def plugins_with(frameworks_dir: Path, generated_dir: Path, **overrides: Any) -> list[Any]:
    """The ``plugins`` of ``mkdocs.yml`` with our plugin pointed at other folders (and
    given the option ``overrides``)."""
    plugins: list[Any] = []
    for entry in project_config().get("plugins", []):
        name = entry if isinstance(entry, str) else next(iter(entry))
        if name == PLUGIN:
            options = {} if isinstance(entry, str) else dict(entry[name] or {})
            options |= {"frameworks_dir": str(frameworks_dir),
                        "generated_dir": str(generated_dir), **overrides}
            entry = {name: options}
        plugins.append(entry)
    return plugins


def build_site_with_mkdocs(site_dir: Path, work_dir: Path, frameworks_dir: Path = EXAMPLES,
                           **plugin_options: Any) -> Path:
    """Build the project's site with MkDocs into ``site_dir``; return it."""
    config = load_config(
        config_file=str(REPO / "mkdocs.yml"), site_dir=str(site_dir),
        plugins=plugins_with(frameworks_dir, work_dir / "generated", **plugin_options),
    )
    mkdocs_build(config)
    return site_dir


def write_config(folder: Path, frameworks_dir: Path) -> Path:
    """A standalone ``mkdocs.yml`` in ``folder`` building ``frameworks_dir`` (for the CLI)."""
    config = project_config()
    config["docs_dir"] = str(REPO / config.get("docs_dir", "docs"))
    if config["theme"].get("custom_dir"):
        config["theme"]["custom_dir"] = str(REPO / config["theme"]["custom_dir"])
    # printable maps are checked with the example site; these builds test the command
    config["plugins"] = plugins_with(frameworks_dir, folder / "generated" / "pages", maps=False)
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def copy_examples(target: Path, *names: str) -> Path:
    """Copy example frameworks (all by default) into ``target``; return ``target``."""
    for name in names or EXAMPLE_FRAMEWORKS:
        shutil.copytree(EXAMPLES / name, target / name)
    return target


def plain_text(markdown: str | None) -> str:
    """What a Markdown field reads like on the page (whitespace collapsed)."""
    return parse_html(str(markdown_to_html(markdown))).text


class SiteReader:
    """Reads pages of a built site by URL path, parsed."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def file(self, url: str) -> Path:
        path = self.root / url.strip("/")
        return path / "index.html" if url.endswith("/") or not url else path

    def exists(self, url: str) -> bool:
        return self.file(url).is_file()

    @staticmethod
    def resolve(page_url: str, href: str) -> str:
        """The site path (no leading slash, no fragment) that ``href`` on ``page_url`` means."""
        absolute = urljoin("http://site/" + page_url, href)
        return urlsplit(absolute).path.lstrip("/")

    def text(self, url: str) -> str:
        return self.file(url).read_text(encoding="utf-8")

    @functools.cache  # noqa: B019 - the reader lives for the test session
    def page(self, url: str) -> Node:
        return parse_html(self.text(url))

    def article(self, url: str) -> Node:
        """The page's main content (Material's ``article``)."""
        return self.page(url).select_one("article")


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str,
               build: Callable[[Path], Path]) -> Path:
    """What ``build(work)`` makes in a folder ``work`` of its own, built once per test run.

    Under pytest-xdist every test process of the run shares it: the first to ask builds it
    while holding a lock, the others wait for it and take the finished build. A build that
    failed is tried again by the next to ask. What it returns is shared: tests only read it
    (one that changes a site works on a copy).
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each process's own
    work, done = root / f"shared-{name}", root / f"shared-{name}.done"
    with open(root / f"shared-{name}.lock", "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not done.is_file():
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir()
            done.write_text(str(build(work).relative_to(work)), encoding="utf-8")
    return work / done.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example frameworks built with the real MkDocs, once per test run (read only)."""
    return built_once(tmp_path_factory, "example-site",
                      lambda work: build_site_with_mkdocs(work / "site", work))


@pytest.fixture(scope="session")
def example_frameworks() -> dict[str, Framework]:
    """The validated example frameworks, by id."""
    frameworks, _warnings = load_valid_frameworks(EXAMPLES, REPO)
    return {framework.id: framework for framework in frameworks}


@pytest.fixture(scope="session")
def site(example_site: Path) -> SiteReader:
    return SiteReader(example_site)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _StaticHostHandler(_QuietHandler):
    """Answers a missing address with the nearest ``404.html`` above it and status 404, as
    static hosts do (a mike version folder has its own)."""

    root_only = False
    """Only the root ``404.html``, as GitHub Pages serves it."""

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        parts = [part for part in urlsplit(self.path).path.split("/") if part not in ("", "..")]
        for depth in range(0 if self.root_only else len(parts), -1, -1):
            page = Path(self.directory).joinpath(*parts[:depth], "404.html")
            if page.is_file():
                body = page.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        super().send_error(code, message, explain)


@contextlib.contextmanager
def serve_directory(folder: Path, *, not_found_pages: bool = False,
                    root_404_only: bool = False) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 at a free port; yields the base URL. With
    ``not_found_pages`` a missing address gets the site's 404 page, as on a static host
    (with ``root_404_only``, only the root one, as on GitHub Pages)."""
    handler_class: type[_QuietHandler] = _QuietHandler
    if not_found_pages:
        handler_class = type("Host", (_StaticHostHandler,), {"root_only": root_404_only})
    handler = functools.partial(handler_class, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def site_server(example_site: Path) -> Iterator[str]:
    """The example site served on 127.0.0.1 at a free port; yields the base URL."""
    with serve_directory(example_site) as url:
        yield url


_LINK = re.compile(r'(?:href|src)="([^"]*)"')


def broken_links(reader: SiteReader) -> list[tuple[str, str]]:
    """(page, link) of every relative link on every page of the site that leads nowhere."""
    broken = []
    for page in sorted(reader.root.rglob("*.html")):
        url = page.relative_to(reader.root).as_posix().removesuffix("index.html")
        for link in set(_LINK.findall(page.read_text(encoding="utf-8"))):
            link = html.unescape(link)
            if not link or link.startswith(("#", "http:", "https:", "mailto:", "data:", "//")):
                continue
            target = reader.resolve(url, link)
            if not (reader.root / target).exists() or (
                    (reader.root / target).is_dir() and not reader.exists(target + "/")):
                broken.append((url, link))
    return broken


PREVIOUS_VERSION = "2025.2"
"""The release the "What changed" pages of :func:`released_site` compare with."""


def previous_release(target: Path) -> Path:
    """The example frameworks as they were in the previous release, in ``target``: the
    contact centre one version earlier with a lower band, an easier criterion and a lower
    level; the engineering framework unchanged (its "What changed" page says so)."""
    copy_examples(target)
    centre = target / "contact-centre"
    edits = {
        centre / "framework.yaml": [('version: "2026.1"', f'version: "{PREVIOUS_VERSION}"')],
        centre / "salary.yaml": [("min: 41000", "min: 40000")],
        centre / "roles" / "csr-3.yaml": [("  de-escalation: 3\n", "  de-escalation: 2\n"),
                                          ("  - metric: fcr\n    min: 88",
                                           "  - metric: fcr\n    min: 86")],
    }
    for path, replacements in edits.items():
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, f"{old!r} is no longer in {path}: update previous_release()"
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    return target


def build_released_site(work: Path) -> Path:
    """The example frameworks built into ``work/site`` as a release after
    :func:`previous_release`."""
    from generator.publish import CHANGES_BASE_ENV, CHANGES_VERSION_ENV

    previous = previous_release(work / "previous")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CHANGES_BASE_ENV, str(previous))
        patch.setenv(CHANGES_VERSION_ENV, PREVIOUS_VERSION)
        return build_site_with_mkdocs(work / "site", work)


@pytest.fixture(scope="session")
def released_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example frameworks built as a release after :func:`previous_release`, so that
    every page type exists, "What changed" included; once per test run (read only)."""
    return built_once(tmp_path_factory, "released-site", build_released_site)


@pytest.fixture(scope="session")
def released_server(released_site: Path) -> Iterator[str]:
    """:func:`released_site` on 127.0.0.1 like a static host (missing pages get the 404 page)."""
    with serve_directory(released_site, not_found_pages=True) as url:
        yield url
