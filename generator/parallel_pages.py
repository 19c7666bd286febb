"""The generated pages of a MkDocs build, converted and rendered on every core.

MkDocs builds one page after the other on one core: the Markdown conversion of every page,
then its theme template. A framework of thousands of roles is thousands of pages, so the
plugin hands its own pages to forked worker processes that run MkDocs' own code for them:

- once the navigation is known (``on_nav``), workers convert the pages' Markdown
  (``Page.render`` with the plugins' page events), while the build goes on; each page's
  HTML, table of contents and anchors come back as MkDocs reaches the page;
- once every page is converted (``on_env``), workers render the pages' templates and
  write them (MkDocs' ``_build_page``), while the build renders the other pages and the
  search plugin indexes every page.

The output is the same, byte for byte, as a build on one core (a test checks it). Used by
full builds only: the rebuilds of ``careers serve`` run next to a server thread, where
forking is not safe, and rebuild few pages anyway.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from mkdocs.commands.build import _build_page
from mkdocs.structure.pages import Page

from generator.forking import can_fork, cores, start_worker
from generator.safe_paths import signals_deferred

SKIP_TEMPLATE = "career-paths-rendered-elsewhere.html"
"""A template of the shipped theme that renders nothing: the build's own rendering of a page
a worker renders (MkDocs then writes no file, and says so at INFO level)."""
MIN_PAGES = 8
"""Fewer generated pages than this are not worth a fork."""

log = logging.getLogger("mkdocs.plugins.career_paths")


class ParallelPagesError(Exception):
    """A worker failed; the message holds its traceback."""


def worker_count() -> int:
    """How many worker processes to start (0: build on one core)."""
    if not can_fork():
        return 0
    wanted = cores()
    return wanted if wanted > 1 else 0


@dataclass(frozen=True)
class Converted:
    """What converting one page's Markdown produced."""

    content: str
    toc: Any
    title_from_render: str | None
    present_anchor_ids: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None
    """By the ``src_uri`` of the linked file (a File does not travel between processes)."""


_RUNNING: list[_Workers] = []
"""Workers started and not yet stopped, in this process."""


def stop_every_worker() -> None:
    """End the page workers still running: a build interrupted by Ctrl-C or SIGTERM (which
    MkDocs hands no plugin) calls this before its staging folder is removed, so no worker
    writes into a folder that is gone."""
    for workers in list(_RUNNING):
        workers.stop()


class _Workers:
    """Forked processes, each working through every ``count``-th item and sending its
    results in order."""

    def __init__(self, count: int, target: Any, *args: Any) -> None:
        context = multiprocessing.get_context("fork")
        self.pipes: list[Connection] = []
        self.processes: list[BaseProcess] = []
        for index in range(count):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_run_worker,
                                      args=(target, index, count, sender, os.getpid(), *args),
                                      name=f"career-paths-pages-{index}", daemon=True)
            with signals_deferred():  # Ctrl-C in the middle of a fork breaks its bookkeeping
                process.start()
            sender.close()
            self.pipes.append(receiver)
            self.processes.append(process)
        _RUNNING.append(self)

    def receive(self, worker: int) -> Any:
        """The next result of ``worker``; raise :class:`ParallelPagesError` on its failure."""
        try:
            status, value = self.pipes[worker].recv()
        except EOFError:
            status, value = "error", "a worker building pages ended without a word"
        if status != "ok":
            self.stop()
            raise ParallelPagesError(f"building pages in parallel failed:\n{value}")
        return value

    def finish(self) -> None:
        """Wait for every worker to say it is done (results nobody asked for are dropped)."""
        for worker in range(len(self.pipes)):
            while self.receive(worker) is not None:
                pass
        self.stop()

    def stop(self) -> None:
        if self in _RUNNING:
            _RUNNING.remove(self)
        for process in self.processes:
            if process.is_alive():
                process.terminate()
            process.join()
        for pipe in self.pipes:
            pipe.close()
        self.processes, self.pipes = [], []


def _run_worker(target: Any, index: int, count: int, sender: Connection, parent: int,
                *args: Any) -> None:
    start_worker(parent)
    try:
        for result in target(index, count, *args):
            sender.send(("ok", result))
        sender.send(("ok", None))  # done
    except BaseException:  # every failure goes back to the build
        sender.send(("error", traceback.format_exc()))
    finally:
        sender.close()


def _convert(index: int, count: int, pages: Sequence[Page], config: Any, files: Any
             ) -> Iterator[Converted]:
    """A worker's share of the conversions, as ``_populate_page`` would do them."""
    for page in pages[index::count]:
        config._current_page = page
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page,
                                                        config=config, files=files)
        page.render(config, files)
        content = config.plugins.on_page_content(page.content, page=page, config=config,
                                                 files=files)
        links = {file.src_uri: anchors for file, anchors in (page.links_to_anchors or {}).items()}
        yield Converted(content, page.toc, page._title_from_render, page.present_anchor_ids,
                        links if page.links_to_anchors is not None else None)


def _render(index: int, count: int, pages: Sequence[Page], config: Any, doc_files: Any,
            nav: Any, env: Any) -> Iterator[list[dict[str, Any]]]:
    """A worker's share of the templates, rendered and written as ``_build_page`` does; for
    each page, the entries the search plugin made of it."""
    search = search_index(config)
    for page in pages[index::count]:
        before = len(search.entries) if search is not None else 0
        _build_page(page, config, doc_files, nav, env)
        yield search.entries[before:] if search is not None else []


def search_index(config: Any) -> Any:
    """The search index Material's search plugin builds, if that plugin is in the build."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if type(plugin).__module__.startswith("material.plugins.search") and index is not None:
            return index
    return None


class ParallelPages:
    """The parallel conversion and rendering of one build's generated pages."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.active = False
        """True in a worker: the plugin's page events then leave the pages alone."""
        self.pages: list[Page] = []
        self.slot: dict[str, int] = {}
        self.files: Any = None
        self.search: Any = None
        self.search_meta: dict[str, Any] = {}
        self.converting: _Workers | None = None
        self.rendering: _Workers | None = None

    def convert(self, pages: list[Page], config: Any, files: Any) -> None:
        """Start converting ``pages`` (``on_nav``)."""
        if self.jobs < 2 or len(pages) < MIN_PAGES:
            return
        self.pages, self.files = pages, files
        self.slot = {page.file.src_uri: index for index, page in enumerate(pages)}
        self.active = True  # what the workers inherit
        try:
            self.converting = _Workers(self.jobs, _convert, pages, config, files)
        finally:
            self.active = False

    def owns(self, page: Page) -> bool:
        return page.file.src_uri in self.slot

    def converted(self, page: Page) -> str:
        """The page's HTML from its worker (``on_page_content``); its table of contents and
        anchors are set on the page as its own conversion would have set them."""
        assert self.converting is not None
        result: Converted = self.converting.receive(self.slot[page.file.src_uri] % self.jobs)
        page.toc = result.toc
        page._title_from_render = result.title_from_render
        page.present_anchor_ids = result.present_anchor_ids
        if result.links_to_anchors is not None:
            page.links_to_anchors = {self.files.get_file_from_path(src): anchors
                                     for src, anchors in result.links_to_anchors.items()}
        return result.content

    def render(self, config: Any, doc_files: Any, nav: Any, env: Any) -> None:
        """Start rendering the pages' templates (``on_env``, every page converted); the
        build's own rendering of them is then skipped, and so is its search indexing: the
        workers index them (see :meth:`indexed`)."""
        if self.converting is None:
            return
        self.converting.finish()
        self.converting = None
        self.active = True
        try:
            self.rendering = _Workers(self.jobs, _render, self.pages, config, doc_files, nav,
                                      env)
        finally:
            self.active = False
        self.search = search_index(config)
        for page in self.pages:
            page.meta["template"] = SKIP_TEMPLATE
            if self.search is not None:
                self.search_meta[page.file.src_uri] = page.meta.get("search")
                page.meta["search"] = {"exclude": True}

    def rendered_elsewhere(self, page: Page) -> bool:
        return self.rendering is not None and self.owns(page)

    def indexed(self, page: Page) -> None:
        """Add the search entries the page's worker made, where the build's own indexing of
        the page would have added them (``on_page_context``)."""
        assert self.rendering is not None
        entries = self.rendering.receive(self.slot[page.file.src_uri] % self.jobs)
        if self.search is not None:
            meta = self.search_meta.pop(page.file.src_uri)
            if meta is None:
                page.meta.pop("search", None)
            else:
                page.meta["search"] = meta
            self.search.entries.extend(entries)

    def finish(self) -> None:
        """Wait for the rendered pages (``on_post_build``)."""
        if self.rendering is not None:
            self.rendering.finish()
            self.rendering = None

    def stop(self) -> None:
        """Stop every worker (the build failed)."""
        for workers in (self.converting, self.rendering):
            if workers is not None:
                workers.stop()
        self.converting = self.rendering = None


class QuietSkippedPages(logging.Filter):
    """Hides MkDocs' notice that a page rendered nothing, for the pages workers rendered."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Generated empty output" not in record.getMessage()
