"""One pipeline for both engines: everything a site needs before MkDocs or Zensical runs.

:func:`prepare_site` loads and validates the frameworks, renders the pages into the
generated folder, starts the assets (drawings, JSON, downloads), renders the printable
maps (or takes them from the cache) and returns the navigation. The MkDocs plugin
(:mod:`generator.mkdocs_plugin`) and the Zensical build (:mod:`generator.zensical_build`)
both call it and add only what their engine needs. The plugin's options and their
defaults are defined here, once: :class:`SiteOptions`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from generator.diagnostics import Diagnostic, FrameworkError
from generator.forking import cores
from generator.page_context import NavItem, RenderOptions
from generator.pdf_maps import MapOptions, MapReport, build_maps, default_cache_dir
from generator.publish import (
    CHANGES_BASE_ENV,
    CHANGES_VERSION_ENV,
    MIKE_VERSION_ENV,
    SOURCE_COMMIT_ENV,
)
from generator.resources import templates_dir, theme_dir
from generator.safe_paths import Project, check_output_folder, reset_work_folder, write_file
from generator.site_assets import AssetJob
from generator.site_config import SiteConfigError, SiteOptions, read_config
from generator.site_render import SiteRenderer
from generator.urls import edit_url_base
from generator.validation import load_valid_frameworks

Engine = Literal["mkdocs", "zensical"]
"""The site engines (``careers build/serve --engine``)."""


@dataclass(frozen=True)
class SiteProject:
    """A site: the folder of its ``mkdocs.yml`` and what the pipeline needs from that file."""

    project_dir: Path
    options: SiteOptions = field(default_factory=SiteOptions)
    site_url: str = ""
    repo_url: str = ""
    edit_uri: str = ""
    docs_dir: str = "docs"
    """The hand-written pages (relative to the project, or absolute)."""
    custom_dir: str = ""
    """The project's own theme overrides, if any."""

    @property
    def frameworks_dir(self) -> Path:
        return self.project_dir / self.options.frameworks_dir

    @property
    def generated_dir(self) -> Path:
        return self.project_dir / self.options.generated_dir

    @property
    def assets_dir(self) -> Path:
        if self.options.assets_dir:
            return self.project_dir / self.options.assets_dir
        return self.generated_dir.with_name(f"{self.generated_dir.name}-assets")

    @property
    def maps_cache_dir(self) -> Path:
        if self.options.maps_cache_dir:
            return self.project_dir / self.options.maps_cache_dir
        return default_cache_dir()

    @property
    def work_dirs(self) -> tuple[Path, Path]:
        """The folders the pipeline writes before an engine builds: pages and assets."""
        return self.generated_dir, self.assets_dir

    def safety(self, *, with_work_dirs: bool = False) -> Project:
        """The project and its source folders, which no output may replace or enter (for
        a site folder, the work folders too)."""
        sources: list[Path | str | None] = [
            self.project_dir / self.docs_dir, self.project_dir / self.custom_dir
            if self.custom_dir else None, templates_dir(), theme_dir(), self.frameworks_dir]
        return Project.of(self.project_dir, *sources,
                          *(self.work_dirs if with_work_dirs else ()))

    @classmethod
    def from_config(cls, config_file: Path, config: dict[str, Any]) -> SiteProject:
        """The project of ``config_file``, whose content (read as data) is ``config``."""
        theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
        return cls(project_dir=config_file.resolve().parent,
                   options=SiteOptions.from_config(config),
                   site_url=_text(config, "site_url"), repo_url=_text(config, "repo_url"),
                   edit_uri=_text(config, "edit_uri"), docs_dir=_text(config, "docs_dir") or "docs",
                   custom_dir=_text(theme, "custom_dir"))

    def render_options(self) -> RenderOptions:
        """How to render this project's pages (plus what ``careers publish`` passes on)."""
        return RenderOptions(
            site_url=self.site_url,
            nav_role_limit=self.options.nav_role_limit,
            maps=self.options.maps,
            edit_url_base=edit_url_base(self.repo_url, self.edit_uri),
            project_dir=self.project_dir,
            **publishing_options(self.project_dir),
        )

    def map_options(self) -> MapOptions:
        return MapOptions(paper=self.options.maps_paper, site_url=self.site_url,
                          cache_dir=self.maps_cache_dir)


def _text(config: dict[str, Any], key: str) -> str:
    value = config.get(key)
    return value if isinstance(value, str) else ""


@dataclass
class PreparedSite:
    """A site ready for an engine: pages written, assets on their way, maps made."""

    renderer: SiteRenderer
    warnings: list[Diagnostic]
    pages: list[tuple[str, Path | None]]
    """Each generated page's path inside the generated folder, and the YAML it comes from."""
    nav: list[NavItem]
    """The frameworks' navigation sections, to insert into the hand-written ``nav``."""
    assets: AssetJob
    maps: MapReport | None

    def site_nav(self, hand_written: list[Any] | None, position: int) -> list[Any]:
        """The whole navigation: the frameworks inserted after ``position`` hand-written
        entries."""
        if not hand_written:
            return ["index.md", *self.nav]
        return [*hand_written[:position], *self.nav, *hand_written[position:]]


def prepare_site(project: SiteProject, *, background_assets: bool = True,
                 fresh_work_dirs: bool = True, defer_assets: bool = False) -> PreparedSite:
    """Validate and render ``project``'s frameworks for an engine to build.

    Raises :class:`FrameworkError` with every problem when a framework is invalid, and
    :class:`~generator.safe_paths.UnsafePathError` when a work folder cannot be used. The
    work folders are recreated from nothing (``fresh_work_dirs``, the first build of a
    process) or checked (the rebuilds of ``careers serve``, which rewrite only the pages
    an edit changed). The assets are made in a forked process when ``background_assets``
    (not where a server thread runs, which makes forking unsafe), or only when asked
    (``defer_assets``: the rebuilds of ``careers serve`` show the pages first).
    """
    if not project.frameworks_dir.is_dir():
        raise SiteConfigError(
            f"no frameworks folder at {project.frameworks_dir}: create it (careers init does), "
            "or set 'frameworks_dir' of the career-paths plugin in mkdocs.yml")
    frameworks, warnings = load_valid_frameworks(project.frameworks_dir, project.project_dir)
    safety = project.safety()
    for folder in project.work_dirs:
        if fresh_work_dirs:
            reset_work_folder(folder, safety)
        else:
            check_output_folder(folder, safety)
    renderer = SiteRenderer(frameworks, project.render_options(), jobs=cores())
    renderer.lay_out_maps()  # before the fork: the pages and the assets share the layouts
    assets = (AssetJob.later(renderer, project.assets_dir) if defer_assets
              else AssetJob.start(renderer, project.assets_dir, background=background_assets))
    try:
        rendered = renderer.pages()
        rendered.write(project.generated_dir)
        maps = (build_maps([pages.framework for pages in renderer.frameworks], None,
                           project.map_options()) if project.options.maps else None)
    except BaseException:
        assets.cancel()
        raise
    # Only each page's path and source are kept: the contents (a hundred MB for thousands
    # of roles) can go before the engine builds the pages.
    pages = [(generated.path, generated.source) for generated in rendered.files]
    return PreparedSite(renderer, warnings, pages, rendered.nav, assets, maps)


def preview_pages(project: SiteProject, previous: PreparedSite, changed: set[Path]) -> bool:
    """Write only the pages made from the ``changed`` role files (resolved paths), checked
    against every framework as a full build checks them: what ``careers serve`` shows
    first after a save, before it rebuilds the rest. False (nothing written) when the
    change is more than edits of existing roles, kept under their ids: a new or deleted
    file, or any other file, needs the full rebuild at once.

    Raises :class:`FrameworkError` when a framework is invalid, as :func:`prepare_site`.
    """
    role_pages = {Path(os.path.abspath(source)): path for path, source in previous.pages
                  if source is not None and path.endswith(".md") and "/roles/" in path}
    if not changed or not changed <= role_pages.keys():
        return False
    frameworks, _ = load_valid_frameworks(project.frameworks_dir, project.project_dir)
    check_output_folder(project.generated_dir, project.safety())
    pages = SiteRenderer(frameworks, project.render_options()).role_pages_from(changed)
    if sorted(page.path for page in pages) != sorted(role_pages[source] for source in changed):
        return False  # a role's id changed with its file: its address too
    for page in pages:
        data = page.content.encode("utf-8") if isinstance(page.content, str) else page.content
        target = project.generated_dir / page.path
        if not target.is_file() or target.read_bytes() != data:
            write_file(project.generated_dir, page.path, data)
    return True


def publishing_options(project_dir: Path) -> dict[str, Any]:
    """What ``careers publish`` passes through the environment: the previous version's
    frameworks (for "What changed") and the source commit (for ``build-info.json``)."""
    options: dict[str, Any] = {"source_commit": os.environ.get(SOURCE_COMMIT_ENV, "")}
    base = os.environ.get(CHANGES_BASE_ENV)
    if base:
        try:
            previous, _ = load_valid_frameworks(Path(base), project_dir)
        except FrameworkError:
            pass  # the publish step says so; the new version is built without "What changed"
        else:
            options |= {"previous": tuple(previous),
                        "previous_version": os.environ.get(CHANGES_VERSION_ENV, "")}
    return options


def versioned_build() -> bool:
    """True inside a mike deploy (which writes versions.json for the version selector)."""
    return MIKE_VERSION_ENV in os.environ


def load_project(config_file: Path) -> tuple[SiteProject, dict[str, Any]]:
    """The project of ``config_file`` and the file's content."""
    config = read_config(config_file)
    return SiteProject.from_config(config_file, config), config
