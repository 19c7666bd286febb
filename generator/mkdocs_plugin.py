"""The thin MkDocs adapter: render the frameworks before the build, watch them while serving.

All the work happens in :mod:`generator.site_render`; this plugin only tells
MkDocs where the rendered pages are, adds them to the navigation, points each
page's "edit" link at the YAML it comes from, and turns framework errors into a
clean build failure with the same messages as ``careers validate``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator.diagnostics import FrameworkError, format_report
from generator.model import Framework
from generator.pdf_maps import MapOptions, MapReport, build_maps, default_cache_dir
from generator.publish import (
    CHANGES_BASE_ENV,
    CHANGES_VERSION_ENV,
    MIKE_VERSION_ENV,
    SOURCE_COMMIT_ENV,
)
from generator.resources import SITE_SCRIPTS, SITE_STYLESHEETS, theme_dir
from generator.site_assets import AssetError, AssetJob
from generator.site_render import RenderOptions, SiteRenderer
from generator.templating import TEMPLATES_DIR
from generator.urls import edit_url_base
from generator.validation import load_valid_frameworks

log = logging.getLogger("mkdocs.plugins.career_paths")


class PluginConfig(Config):
    """Options under ``plugins: - career-paths:`` in ``mkdocs.yml``."""

    frameworks_dir = config_options.Type(str, default="frameworks")
    generated_dir = config_options.Type(str, default="generated/pages")
    nav_role_limit = config_options.Type(int, default=400)
    maps = config_options.Type(bool, default=False)
    """Render every role's printable map to ``/<framework>/maps/<role>.pdf``."""
    maps_cache_dir = config_options.Type(str, default="")
    """Where rendered maps are kept (default: $CAREER_PATHS_MAPS_CACHE, else .cache/maps)."""
    maps_paper = config_options.Choice(("a4", "letter"), default="a4")
    insert_nav_after = config_options.Type(int, default=1)
    assets_dir = config_options.Type(str, default="")
    """Where the files beside the pages (drawings, JSON, downloads) are made before they are
    copied into the site (default: beside ``generated_dir``, named ``<generated_dir>-assets``)."""


class CareerPathsPlugin(BasePlugin[PluginConfig]):
    """Runs the Career Paths renderer as part of ``mkdocs build`` and ``mkdocs serve``."""

    def __init__(self) -> None:
        self.generated: list[tuple[str, Path | None]] = []
        self.command = "build"
        self.assets: AssetJob | None = None
        self.maps: MapReport | None = None
        self.project_dir = Path.cwd()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that ``mkdocs serve`` keeps this plugin object across rebuilds."""
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.project_dir = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        _add_theme(config)
        frameworks_dir = self.project_dir / self.config.frameworks_dir
        try:
            frameworks, warnings = load_valid_frameworks(frameworks_dir, self.project_dir)
        except FrameworkError as error:
            raise PluginError(
                "the frameworks have errors:\n" + format_report(error.diagnostics)
            ) from None
        for warning in warnings:
            log.warning(warning.format_text())
        options = RenderOptions(
            site_url=config.site_url or "",
            nav_role_limit=self.config.nav_role_limit,
            maps=self.config.maps,
            edit_url_base=edit_url_base(config.repo_url, config.edit_uri),
            project_dir=self.project_dir,
            **_publishing_options(self.project_dir),
        )
        # The assets are made meanwhile in a forked process, except under `mkdocs serve`,
        # whose server thread makes forking unsafe.
        renderer = SiteRenderer(frameworks, options)
        renderer.lay_out_maps()  # before the fork: pages and assets share the layouts
        self.assets = AssetJob.start(renderer, self.assets_dir,
                                     background=self.command != "serve")
        rendered = renderer.pages()
        rendered.write(self.generated_dir)
        # on_files needs only each file's path and source: the contents (a hundred MB for
        # thousands of roles) can go before MkDocs builds the pages.
        self.generated = [(generated.path, generated.source) for generated in rendered.files]
        self.maps = self._build_maps(frameworks, config) if self.config.maps else None
        config.nav = _merge_nav(config.nav, rendered.nav, self.config.insert_nav_after)
        if MIKE_VERSION_ENV not in os.environ:
            # Outside a mike deploy there is no versions.json to list: no version selector.
            config.extra.pop("version", None)
        return config

    @property
    def generated_dir(self) -> Path:
        return self.project_dir / self.config.generated_dir

    @property
    def assets_dir(self) -> Path:
        if self.config.assets_dir:
            return self.project_dir / self.config.assets_dir
        return self.generated_dir.with_name(f"{self.generated_dir.name}-assets")

    def _build_maps(self, frameworks: list[Framework], config: MkDocsConfig) -> MapReport:
        cache_dir = (self.project_dir / self.config.maps_cache_dir
                     if self.config.maps_cache_dir else default_cache_dir(self.project_dir))
        options = MapOptions(paper=self.config.maps_paper, site_url=config.site_url or "",
                             cache_dir=cache_dir)
        report = build_maps(frameworks, None, options)
        log.info("career maps: %s", report.summary())
        return report

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        docs_dir = Path(config.docs_dir).resolve()
        for file in files:
            if not file.generated_by:
                file.edit_uri = _relative(docs_dir / file.src_uri, self.project_dir)
        for path, source in self.generated:
            existing = files.get_file_from_path(path)
            if existing is not None:
                files.remove(existing)
            file = File.generated(config, path, abs_src_path=str(self.generated_dir / path))
            file.edit_uri = _relative(source, self.project_dir) if source else None
            files.append(file)
        for site_path, pdf in self.maps.site_files() if self.maps else []:
            existing = files.get_file_from_path(site_path)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, site_path, abs_src_path=str(pdf)))
        return files

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.assets is not None:
            try:
                self.assets.copy_into(Path(config.site_dir))
            except AssetError as error:
                raise PluginError(str(error)) from None

    def on_build_error(self, *, error: Exception) -> None:
        if self.assets is not None:
            self.assets.cancel()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> None:
        server.watch(str(self.project_dir / self.config.frameworks_dir))
        server.watch(str(TEMPLATES_DIR))


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


def _publishing_options(project_dir: Path) -> dict[str, Any]:
    """What ``careers publish`` passes through the environment: the previous version's
    frameworks (for "What changed") and the source commit (for ``build-info.json``)."""
    options: dict[str, Any] = {"source_commit": os.environ.get(SOURCE_COMMIT_ENV, "")}
    base = os.environ.get(CHANGES_BASE_ENV)
    if base:
        try:
            previous, _ = load_valid_frameworks(Path(base), project_dir)
        except FrameworkError:
            log.warning("the previously published frameworks do not validate any more; "
                        "'What changed' pages are left out")
        else:
            options |= {"previous": tuple(previous),
                        "previous_version": os.environ.get(CHANGES_VERSION_ENV, "")}
    return options


def _relative(path: Path, base: Path) -> str | None:
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return None


def _merge_nav(nav: list | None, generated: list, position: int) -> list:
    """Insert the generated framework sections into the hand-written navigation."""
    if not nav:
        return ["index.md", *generated]
    return [*nav[:position], *generated, *nav[position:]]
