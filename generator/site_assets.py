"""The site's assets (map drawings, JSON data, downloads), made beside the page build.

No page needs the assets to be rendered, and in a framework of thousands of roles they
take a good share of the build (spreadsheets, a drawing per role), so ``mkdocs build``
makes them in a forked process on the second core while MkDocs builds the pages, and
copies them into the site at the end.  Where forking is not safe (``mkdocs serve``
runs a server thread) or not possible, they are made in the same process first.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from generator.forking import start_worker
from generator.safe_paths import signals_deferred
from generator.site_render import RenderedSite, SiteRenderer


class AssetError(Exception):
    """The assets could not be made; the message holds the cause."""


def write_assets(renderer: SiteRenderer, out_dir: Path) -> list[str]:
    """Render the assets into ``out_dir`` (unchanged files untouched); return their paths."""
    files = renderer.assets()
    RenderedSite(files).write(out_dir)
    return [file.path for file in files]


@dataclass
class AssetJob:
    """Assets being made, in the background or already done."""

    out_dir: Path
    paths: list[str] = field(default_factory=list)
    process: BaseProcess | None = None
    results: Connection | None = None
    deferred: SiteRenderer | None = None
    """Set by :meth:`later`: the renderer whose assets :meth:`make_now` makes."""

    @classmethod
    def later(cls, renderer: SiteRenderer, out_dir: Path) -> AssetJob:
        """Assets made only when :meth:`make_now` is called (``careers serve`` shows the
        pages of a rebuild first); until then the job stands for the assets already in
        ``out_dir``, which an earlier build made."""
        return cls(out_dir, deferred=renderer)

    def make_now(self, site_dir: Path) -> None:
        """Make deferred assets and copy them into the built site."""
        if self.deferred is not None:
            renderer, self.deferred = self.deferred, None
            self.paths = write_assets(renderer, self.out_dir)
        self.copy_into(site_dir)

    @classmethod
    def start(cls, renderer: SiteRenderer, out_dir: Path, *, background: bool) -> AssetJob:
        """Make the assets into ``out_dir``: in a forked process if ``background`` (which
        inherits the renderer's public views and laid-out maps)."""
        if not background or "fork" not in multiprocessing.get_all_start_methods():
            return cls(out_dir, write_assets(renderer, out_dir))
        context = multiprocessing.get_context("fork")
        results, sender = context.Pipe(duplex=False)
        process = context.Process(target=_make_and_report,
                                  args=(renderer, out_dir, sender, os.getpid()),
                                  name="career-paths-assets", daemon=True)
        with signals_deferred():  # Ctrl-C in the middle of a fork breaks its bookkeeping
            process.start()
        sender.close()
        return cls(out_dir, process=process, results=results)

    def finish(self) -> list[str]:
        """Wait for the assets; return their paths, or raise :class:`AssetError`.
        Deferred assets are not made: none are listed (the earlier ones stay in place)."""
        if self.process is None or self.results is None:
            return self.paths
        try:
            status, value = self.results.recv()
        except EOFError:
            status, value = "error", "the process making them ended without a word"
        finally:
            self.results.close()
            self.process.join()
            self.process = None
        if status != "ok":
            raise AssetError(f"the maps, data files and downloads could not be made:\n{value}")
        self.paths = value
        return self.paths

    def cancel(self) -> None:
        """Stop a background job (the build failed)."""
        if self.process is not None:
            self.process.terminate()
            self.process.join()
            self.process = None

    def copy_into(self, site_dir: Path) -> None:
        """Copy the assets into the built site (skipping copies that are up to date)."""
        for path in self.finish():
            source, target = self.out_dir / path, site_dir / path
            if target.is_file() and target.stat().st_mtime >= source.stat().st_mtime \
                    and target.stat().st_size == source.stat().st_size:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _make_and_report(renderer: SiteRenderer, out_dir: Path, sender: Connection,
                     parent: int) -> None:
    """The forked process: make the assets, send ("ok", paths) or ("error", traceback)."""
    start_worker(parent)
    try:
        sender.send(("ok", write_assets(renderer, out_dir)))
    except BaseException:  # every failure goes back to the build
        sender.send(("error", traceback.format_exc()))
    finally:
        sender.close()
