"""The thin MkDocs adapter: the pipeline's pages, assets and maps as MkDocs files.

All the work happens in :func:`generator.pipeline.prepare_site`, which the Zensical build
calls too; this plugin only adds the shipped theme and the site's CSS and JavaScript,
tells MkDocs where the rendered pages are, puts them into the navigation, points each
page's "edit" link at the YAML it comes from, copies the assets into the built site, and
turns framework errors into a clean build failure with the same messages as
``careers validate``.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator.diagnostics import FrameworkError, format_report, printable
from generator.parallel_pages import (
    ParallelPages,
    ParallelPagesError,
    QuietSkippedPages,
    worker_count,
)
from generator.pipeline import (
    PreparedSite,
    SiteProject,
    prepare_site,
    preview_pages,
    versioned_build,
)
from generator.resources import SITE_SCRIPTS, SITE_STYLESHEETS, templates_dir, theme_dir
from generator.safe_paths import UnsafePathError
from generator.site_assets import AssetError
from generator.site_config import SiteConfigError, SiteOptions
from generator.templating import THEME_BYTECODE

log = logging.getLogger("mkdocs.plugins.career_paths")
_QUIET_SKIPPED = QuietSkippedPages()
_DEFAULTS = SiteOptions()


class PluginConfig(Config):
    """Options under ``plugins: - career-paths:`` in ``mkdocs.yml`` (see
    :class:`generator.pipeline.SiteOptions`, which defines them for both engines)."""

    frameworks_dir = config_options.Type(str, default=_DEFAULTS.frameworks_dir)
    generated_dir = config_options.Type(str, default=_DEFAULTS.generated_dir)
    nav_role_limit = config_options.Type(int, default=_DEFAULTS.nav_role_limit)
    maps = config_options.Type(bool, default=_DEFAULTS.maps)
    maps_cache_dir = config_options.Type(str, default=_DEFAULTS.maps_cache_dir)
    maps_paper = config_options.Choice(("a4", "letter"), default=_DEFAULTS.maps_paper)
    insert_nav_after = config_options.Type(int, default=_DEFAULTS.insert_nav_after)
    assets_dir = config_options.Type(str, default=_DEFAULTS.assets_dir)


class CareerPathsPlugin(BasePlugin[PluginConfig]):
    """Runs the Career Paths pipeline as part of ``mkdocs build`` and ``mkdocs serve``."""

    def __init__(self) -> None:
        self.command = "build"
        self.prepared: PreparedSite | None = None
        self.project: SiteProject | None = None
        self.fresh_work_dirs = True
        """The first build of this process recreates the work folders from nothing."""
        self.parallel: ParallelPages | None = None
        self.nav: Navigation | None = None
        self.defer_assets = False
        """Set by ``careers serve`` for its rebuilds: pages first, assets after."""
        self.preview_sources: set[Path] | None = None
        """Set by ``careers serve``: the role files a save changed, whose pages it shows
        first (resolved paths)."""
        self.previewed = False
        """Whether this build wrote only those pages (the rest is the last build's)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that ``mkdocs serve`` keeps this plugin object across rebuilds."""
        self.command = command

    @event_priority(100)  # before the search plugin makes its first environment
    def _cache_theme_templates(self, config: MkDocsConfig) -> None:
        """Compile the theme's templates once per process (see ``THEME_BYTECODE``)."""
        make_env = config.theme.get_env

        def get_env() -> Environment:
            env = make_env()
            env.bytecode_cache = THEME_BYTECODE
            return env

        config.theme.get_env = get_env  # type: ignore[method-assign]

    def _prepare(self, config: MkDocsConfig) -> MkDocsConfig:
        _add_theme(config)
        self.project = project_of(config, SiteOptions(**dict(self.config)))
        if self._preview():
            # The other pages, the assets and the maps are those of the last build.
            config.theme.static_templates.clear()  # the 404 page and sitemap: next build
            self.parallel = None
            return self._finish_config(config)
        with _as_plugin_errors():
            # Forking is unsafe where a server thread runs: assets inline under serve.
            self.prepared = prepare_site(self.project, background_assets=self.command != "serve",
                                         fresh_work_dirs=self.fresh_work_dirs,
                                         defer_assets=self.defer_assets)
        self.fresh_work_dirs = False
        for warning in self.prepared.warnings:
            log.warning(warning.format_text())
        if self.prepared.maps is not None:
            log.info("career maps: %s", self.prepared.maps.summary())
        # A full build converts and renders its pages on every core; the rebuilds of serve
        # run beside a server thread, where forking is not safe.
        jobs = worker_count() if self.command != "serve" else 0
        self.parallel = ParallelPages(jobs) if jobs else None
        return self._finish_config(config)

    on_config = CombinedEvent(_cache_theme_templates, _prepare)

    def _preview(self) -> bool:
        """Write only the pages of the saved role files (``preview_sources``, set by
        ``careers serve``), if that is all the save changed; see
        :func:`generator.pipeline.preview_pages`."""
        self.previewed = False
        if self.preview_sources and self.prepared is not None and self.project is not None:
            with _as_plugin_errors():
                self.previewed = preview_pages(self.project, self.prepared,
                                               self.preview_sources)
        return self.previewed

    def _finish_config(self, config: MkDocsConfig) -> MkDocsConfig:
        assert self.prepared is not None
        config.nav = self.prepared.site_nav(config.nav, self.config.insert_nav_after)
        if not versioned_build():
            # Outside a mike deploy there is no versions.json to list: no version selector.
            config.extra.pop("version", None)
        return config

    @property
    def work_dirs(self) -> tuple[Path, ...]:
        """The folders this plugin writes before MkDocs builds: pages and assets."""
        return (self.project.generated_dir, self.project.assets_dir) if self.project else ()

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.prepared is not None and self.project is not None
        docs_dir = Path(config.docs_dir).resolve()
        for file in files:
            if not file.generated_by:
                file.edit_uri = _relative(docs_dir / file.src_uri, self.project.project_dir)
        for path, source in self.prepared.pages:
            file = File.generated(config, path,
                                  abs_src_path=str(self.project.generated_dir / path))
            file.edit_uri = _relative(source, self.project.project_dir) if source else None
            if "/roles/" in path:  # retired roles, and every role of a big framework, are
                file.inclusion = InclusionLevel.NOT_IN_NAV  # pages without a place in the nav
            _replace(files, file)
        for site_path, pdf in self.prepared.maps.site_files() if self.prepared.maps else []:
            _replace(files, File.generated(config, site_path, abs_src_path=str(pdf)))
        _leave_out_hidden(files, docs_dir)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Start converting the generated pages on the other cores."""
        self.nav = nav
        if self.parallel is not None and self.prepared is not None:
            ours = {path for path, _source in self.prepared.pages}
            pages = []
            for file in files.documentation_pages():
                if file.src_uri in ours:
                    if file.page is None:  # a page without a place in the nav: made as
                        Page(None, file, config)  # MkDocs makes it, a little earlier
                    pages.append(file.page)
            self.parallel.convert(pages, config, files)
        return nav

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        if self._converted_elsewhere(page):
            return ""  # its worker converts the real Markdown
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        if self._converted_elsewhere(page):
            assert self.parallel is not None
            try:
                return self.parallel.converted(page)
            except ParallelPagesError as error:
                raise PluginError(str(error)) from None
        return html

    def _converted_elsewhere(self, page: Page) -> bool:
        return (self.parallel is not None and not self.parallel.active
                and self.parallel.converting is not None and self.parallel.owns(page))

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """Every page is converted: render the generated pages' templates on other cores."""
        if self.parallel is not None and self.nav is not None:
            try:
                self.parallel.render(config, files.documentation_pages(), self.nav, env)
            except ParallelPagesError as error:
                raise PluginError(str(error)) from None
            logging.getLogger("mkdocs.commands.build").addFilter(_QUIET_SKIPPED)
        return env

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> dict[str, Any]:
        if self.parallel is not None and not self.parallel.active \
                and self.parallel.rendered_elsewhere(page):
            try:
                self.parallel.indexed(page)
            except ParallelPagesError as error:
                raise PluginError(str(error)) from None
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.parallel is not None:
            logging.getLogger("mkdocs.commands.build").removeFilter(_QUIET_SKIPPED)
            try:
                self.parallel.finish()
            except ParallelPagesError as error:
                raise PluginError(str(error)) from None
        if self.prepared is not None and not self.previewed:
            try:
                self.prepared.assets.copy_into(Path(config.site_dir))
            except AssetError as error:
                raise PluginError(str(error)) from None

    def on_build_error(self, *, error: Exception) -> None:
        if self.parallel is not None:
            logging.getLogger("mkdocs.commands.build").removeFilter(_QUIET_SKIPPED)
            self.parallel.stop()
        if self.prepared is not None:
            self.prepared.assets.cancel()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> None:
        """Plain ``mkdocs serve`` rebuilds when a framework or a template changes, too."""
        if self.project is not None:
            server.watch(str(self.project.frameworks_dir))
        server.watch(str(templates_dir()))


@contextlib.contextmanager
def _as_plugin_errors() -> Iterator[None]:
    """Framework and path problems end the build as MkDocs plugin errors (no traceback)."""
    try:
        yield
    except FrameworkError as error:
        raise PluginError(
            "the frameworks have errors:\n" + format_report(error.diagnostics)) from None
    except (UnsafePathError, SiteConfigError) as error:
        raise PluginError(str(error)) from None


def project_of(config: MkDocsConfig, options: SiteOptions) -> SiteProject:
    """The pipeline's view of a loaded MkDocs config."""
    return SiteProject(
        project_dir=Path(config.config_file_path or "mkdocs.yml").resolve().parent,
        options=options, site_url=config.site_url or "", repo_url=config.repo_url or "",
        edit_uri=config.edit_uri or "", docs_dir=str(config.docs_dir),
        custom_dir=str(config.theme.custom_dir or ""))


def _add_theme(config: MkDocsConfig) -> None:
    """Put the shipped Material overrides and the site's CSS and JavaScript into the build:
    after the project's own ``custom_dir`` (which may override them), before Material."""
    if config.theme.name != "material":
        raise PluginError(
            f"the career-paths plugin needs the Material theme, not '{config.theme.name}': "
            "set 'theme: name: material' in mkdocs.yml")
    shipped = str(theme_dir())
    dirs = [str(Path(folder).resolve()) for folder in config.theme.dirs]
    if shipped not in dirs:
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, shipped)
    for stylesheet in SITE_STYLESHEETS:
        if stylesheet not in config.extra_css:
            config.extra_css.append(stylesheet)
    scripts = {str(script) for script in config.extra_javascript}
    config.extra_javascript.extend(s for s in SITE_SCRIPTS if s not in scripts)


def _leave_out_hidden(files: Files, docs_dir: Path) -> None:
    """Remove the docs folder's files published where a generated file is (the generated
    file wins); each is a warning, so ``--strict`` refuses it."""
    generated = {file.dest_uri for file in files if file.generated_by}
    for file in [file for file in files if not file.generated_by]:
        if file.dest_uri in generated:
            files.remove(file)
            log.warning("%s: it would be published at /%s, where a generated page is; it is "
                        "left out. Move or rename it", printable(str(docs_dir / file.src_uri)),
                        file.url)


def _replace(files: Files, file: File) -> None:
    """Add ``file``, replacing a file of the docs folder at the same path."""
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)


def _relative(path: Path, base: Path) -> str | None:
    """``path`` relative to the project folder ``base`` (resolved), or None outside it."""
    absolute = os.path.abspath(path)  # no system call: thousands of pages
    if absolute.startswith(str(base) + os.sep):
        return Path(absolute).relative_to(base).as_posix()
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return None
