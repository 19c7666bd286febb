"""``careers serve``: build the site with either engine, serve it, build again on each change.

The server is MkDocs' live-reload server (static files, and pages that reload when a build
finishes). While the site cannot be built (a framework with errors, a broken
``mkdocs.yml``), every page answers at once with the problems, ``file:line:column`` each,
and reloads itself when a save fixes them; the terminal shows the same messages.
"""

from __future__ import annotations

import logging
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.livereload import LiveReloadServer

from generator.diagnostics import FrameworkError, format_report
from generator.pipeline import (
    Engine,
    PreparedSite,
    SiteProject,
    load_project,
    prepare_site,
    preview_pages,
)
from generator.resources import templates_dir, theme_dir
from generator.safe_paths import UnsafePathError
from generator.site_assets import AssetError
from generator.site_config import SiteConfigError
from generator.templating import render_template
from generator.zensical_build import WORK_DIR, ZensicalError, run_zensical, write_zensical_project

log = logging.getLogger("career_paths")
PLUGIN_NAME = "career-paths"

BUILD_ERRORS = (FrameworkError, PluginError, ConfigurationError, Abort, SiteConfigError,
                ZensicalError, UnsafePathError)
"""What stops a build with a message for the person editing (never a traceback)."""


def error_report(error: BaseException, logged: list[str]) -> str:
    """The problems of a failed build, as the error page shows them: what the engine logged
    as errors (MkDocs logs a plugin's error, then aborts with a bare "BuildError"), else
    the error itself."""
    if isinstance(error, FrameworkError):
        return format_report(error.diagnostics)
    text = "\n".join(logged) if logged and isinstance(error, Abort) else str(error)
    return text.replace("the frameworks have errors:\n", "")


class _ErrorLog(logging.Handler):
    """Keeps the messages of errors logged under ``mkdocs`` while it is attached."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class _Server(LiveReloadServer):
    """The live-reload server, answering every page with the error page while it is set."""

    error_page: bytes | None = None
    _bound = False

    def server_bind(self) -> None:
        """Bind once: :func:`serve_site` binds before the first build, to fail at once when
        the port is taken, and ``serve()`` binds again."""
        if not self._bound:
            super().server_bind()
            self._bound = True

    def _serve_request(self, environ: dict[str, Any], start_response: Callable[..., Any]
                       ) -> Iterable[bytes] | None:
        path = environ.get("PATH_INFO", "")
        if self.error_page is None or not _is_page(path):
            return super()._serve_request(environ, start_response)
        with self._epoch_cond:  # a build under way may be the one that fixes it
            self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
            epoch = self._visible_epoch
        if self.error_page is None:
            return super()._serve_request(environ, start_response)
        content = self._inject_js_into_html(self.error_page, epoch)
        start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8"),
                                                     ("Content-Length", str(len(content)))])
        return [content]


def _reload_browsers(server: LiveReloadServer) -> None:
    """Tell the open pages to reload, unless a build is under way (it will)."""
    with server._epoch_cond:
        if server._visible_epoch != server._wanted_epoch:
            return
        epoch = max(server._visible_epoch + 1, round(time.monotonic() * 1000))
        server._wanted_epoch = server._visible_epoch = epoch
        server._epoch_cond.notify_all()


def _rebuild_wanted(server: LiveReloadServer) -> bool:
    """Whether the server saw a change it has not started building yet."""
    with server._rebuild_cond:
        return bool(server._want_rebuild)


def _is_page(path: str) -> bool:
    return path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]


class _MkDocsBuilds:
    """Builds with MkDocs into ``site_dir``: dirty rebuilds (only pages whose Markdown
    changed), the plugin object kept across them, as ``mkdocs serve`` does.

    A save of role files alone shows their pages first: checked against every framework,
    only their pages rendered and built (well under a second at 500 roles); then the full
    rebuild of the pages that show them too (track pages, lists, neighbours) and the assets
    follow, and the browsers reload again.
    """

    def __init__(self, config_file: Path, serve_url: str) -> None:
        self.config_file = config_file
        self.serve_url = serve_url
        self.root = Path(tempfile.mkdtemp(prefix="careers-serve-"))
        self.started = False
        self.complete = False
        """Whether a full build succeeded and no build failed since (a preview needs the
        pages of a full build)."""
        self.changes = _FrameworkChanges(config_file)
        self._plugin: Any = None

    def build(self) -> Callable[[], None] | None:
        """Build; return what is left to do after the pages show: the rest of a preview's
        rebuild, a rebuild's assets."""
        changed = self._changed_framework_files()
        if not (self.complete and changed):
            return self._build_rest()
        if self._build(preview=changed):
            return self._build_rest
        return self._assets_step()  # the change was more than role files: a full build ran

    def _build_rest(self) -> Callable[[], None] | None:
        self._build(preview=None)
        return self._assets_step()

    def _assets_step(self) -> Callable[[], None] | None:
        prepared = getattr(self._plugin, "prepared", None)
        if prepared is None or prepared.assets.deferred is None:
            return None
        return lambda: _make_assets(prepared, self.root)

    def _build(self, preview: set[Path] | None) -> bool:
        """One MkDocs build; True when it was only a preview of the ``preview`` role files."""
        config = load_config(config_file=str(self.config_file), site_dir=str(self.root))
        rebuild = self.started
        if not self.started:
            config.plugins.on_startup(command="serve", dirty=True)
            self.started = True
        plugin = self._plugin = config.plugins.get(PLUGIN_NAME)
        if plugin is not None:
            plugin.defer_assets = rebuild
            plugin.preview_sources = preview
        config.site_url = self.serve_url
        try:
            mkdocs_build(config, serve_url=self.serve_url, dirty=True)
        except BaseException:
            self.complete = False
            raise
        previewed = bool(getattr(plugin, "previewed", False))
        self.complete = self.complete or not previewed
        return previewed

    def _changed_framework_files(self) -> set[Path]:
        return self.changes.since_last_call(getattr(self._plugin, "project", None))


class _FrameworkChanges:
    """Which files of the frameworks folder changed between two builds."""

    def __init__(self, config_file: Path) -> None:
        self.config_file = config_file
        self.states: dict[Path, tuple[int, int]] = {}

    def since_last_call(self, project: SiteProject | None = None) -> set[Path]:
        """The files (resolved) changed, added or deleted since the last call."""
        if project is None:
            try:
                project = load_project(self.config_file)[0]
            except SiteConfigError:
                return set()
        now = _file_states(project.frameworks_dir)
        before, self.states = self.states, now
        return {path for path in now.keys() | before.keys() if now.get(path) != before.get(path)}


def _make_assets(prepared: Any, site_dir: Path) -> None:
    """A rebuild's map images, data files and downloads, made once its pages show."""
    try:
        prepared.assets.make_now(site_dir)
    except (AssetError, OSError) as error:
        log.error("the map images, data files and downloads could not be made: %s", error)


def _file_states(folder: Path) -> dict[Path, tuple[int, int]]:
    """Each file below ``folder`` (resolved) with its modification time and size."""
    states = {}
    for path in folder.resolve().rglob("*"):
        try:
            info = path.stat()
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):  # one system call a file (thousands of roles)
            states[path] = (info.st_mtime_ns, info.st_size)
    return states


class _ZensicalBuilds:
    """Renders the site for Zensical and runs ``zensical build`` (which keeps a cache of what
    it built, so a rebuild does only what an edit touched). A save of role files alone
    shows their pages first, as with MkDocs (see :class:`_MkDocsBuilds`)."""

    def __init__(self, config_file: Path) -> None:
        self.config_file = config_file
        self.work_dir = config_file.parent / WORK_DIR
        self.root = self.work_dir / "site"
        self.fresh = True
        self.prepared: PreparedSite | None = None
        """The last full build's site, while no build failed since."""
        self.changes = _FrameworkChanges(config_file)

    def build(self) -> Callable[[], None] | None:
        """Build; return the rest of a preview's rebuild, if it was one."""
        previous, self.prepared = self.prepared, None  # kept again only if this build works
        project, config = load_project(self.config_file)
        changed = self.changes.since_last_call(project)
        if previous is not None and changed and preview_pages(project, previous, changed):
            run_zensical(write_zensical_project(project, config, previous, self.work_dir,
                                                fresh=False))
            self.prepared = previous
            return self._build_all
        return self._build_all()

    def _build_all(self) -> None:
        project, config = load_project(self.config_file)
        self.prepared = None
        # Forking is unsafe where a server thread runs: the assets are made inline.
        prepared = prepare_site(project, background_assets=False, fresh_work_dirs=self.fresh)
        run_zensical(write_zensical_project(project, config, prepared, self.work_dir,
                                            fresh=self.fresh))
        self.fresh = False
        self.prepared = prepared
        return None


def watched_paths(config_file: Path) -> list[Path]:
    """What a change of rebuilds the site: ``mkdocs.yml``, the hand-written pages, the
    frameworks, the templates and the theme (the shipped one and the project's own)."""
    paths = [config_file, templates_dir(), theme_dir()]
    try:
        project, config = load_project(config_file)
    except SiteConfigError:  # watch what is known; the error page says what is wrong
        return [*paths, config_file.parent / "frameworks", config_file.parent / "docs"]
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    custom = [project.project_dir / theme["custom_dir"]] if theme.get("custom_dir") else []
    return [*paths, project.frameworks_dir,
            project.project_dir / str(config.get("docs_dir") or "docs"), *custom]


def _mount_path(config_file: Path) -> str:
    """The path the site is served under: that of its ``site_url`` (as ``mkdocs serve``)."""
    try:
        site_url = load_project(config_file)[0].site_url
    except SiteConfigError:
        site_url = ""
    path = urlsplit(site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def serve_site(config_file: Path, dev_addr: str = "127.0.0.1:8000",
               engine: Engine = "mkdocs") -> None:
    """Build, serve on ``dev_addr`` and rebuild on every change of the frameworks, the
    hand-written pages, ``mkdocs.yml``, the templates and the theme; until Ctrl-C."""
    config_file = config_file.resolve()
    host, _, port = dev_addr.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    mount = _mount_path(config_file)
    builds: _MkDocsBuilds | _ZensicalBuilds
    if engine == "zensical":
        builds = _ZensicalBuilds(config_file)
    else:
        builds = _MkDocsBuilds(config_file, f"http://{dev_addr}{mount}")
    builds.root.mkdir(parents=True, exist_ok=True)
    lock = threading.Lock()
    builds_asked = 0  # how many builds the server asked for so far

    Step = Callable[[], Any]

    def run(step: Step) -> Step | None:
        """Run one step of a build, one at a time; while the site cannot be built, every
        page shows why. Return the next step (the rest of the rebuild, its assets)."""
        errors = _ErrorLog()
        engine_log = logging.getLogger("mkdocs")
        with lock:
            engine_log.addHandler(errors)
            try:
                pending = step()
            except BUILD_ERRORS as error:
                report = error_report(error, errors.messages)
                log.error("the site cannot be built; every page shows this until it is "
                          "fixed:\n%s", report)
                server.error_page = render_template(
                    "pages/serve_error.html.j2", title="The site has errors",
                    report=report).encode("utf-8")
                return None
            finally:
                engine_log.removeHandler(errors)
            if server.error_page is not None:
                log.info("fixed: the site builds again")
            server.error_page = None
            return pending

    def build() -> None:
        """A build, as the server asks for it (it reloads the browsers once it returns);
        what is left of it runs next, and the browsers reload again after each step."""
        nonlocal builds_asked
        builds_asked += 1
        asked = builds_asked
        pending = run(builds.build)
        if pending is not None:
            threading.Thread(target=finish, args=(pending, asked), daemon=True,
                             name="career-paths-rest").start()

    def finish(pending: Step | None, asked: int) -> None:
        while pending is not None:
            if builds_asked != asked or _rebuild_wanted(server):
                return  # a newer save: its build does all this again
            pending = run(pending)
            _reload_browsers(server)

    server = _Server(builder=build, host=host, port=int(port or 8000), root=str(builds.root),
                     mount_path=mount)
    server.server_bind()  # fail now, before building, when the port is taken
    try:
        build()
        for path in watched_paths(config_file):
            if path.exists():
                server.watch(str(path))
        server.serve()
    except KeyboardInterrupt:
        log.info("shutting down")
    finally:
        server.shutdown()
