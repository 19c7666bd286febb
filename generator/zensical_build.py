"""The Zensical engine: the prepared site as a folder Zensical can build, and the build.

Zensical reads ``mkdocs.yml`` and Material's templates but runs no third-party plugins, so
it gets what the MkDocs plugin would add, written out: one docs folder with the
hand-written pages, the generated pages, the assets and the printable maps; a copy of the
shipped theme (with the project's own ``custom_dir`` over it); and a standalone
``mkdocs.yml`` naming them. Files that did not change are left alone, so Zensical's own
cache and ``serve`` rebuild only what an edit touched.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from generator.diagnostics import printable
from generator.page_context import GeneratedFile
from generator.pipeline import PreparedSite, SiteProject, load_project, prepare_site
from generator.resources import SITE_SCRIPTS, SITE_STYLESHEETS, theme_dir
from generator.safe_paths import check_output_folder, check_source_folder, reset_work_folder
from generator.site_config import SiteConfigError, write_config
from generator.site_render import RenderedSite
from generator.urls import page_url_of

log = logging.getLogger("career_paths")

WORK_DIR = "generated/zensical"
"""Where the Zensical project is written, relative to ``mkdocs.yml`` (``careers render``)."""
DOCS = "docs"
THEME = "theme"
SITE = "site"
KEPT_PLUGINS = ("search",)
"""Plugins of ``mkdocs.yml`` that Zensical runs itself; every other one is left out."""


class ZensicalError(Exception):
    """Zensical could not build the site; the message holds its output."""


def zensical_version() -> str | None:
    """The installed Zensical's version, or None when it is not installed."""
    try:
        import zensical
    except ImportError:
        return None
    return str(zensical.version())


def render_zensical_project(config_file: Path, out_dir: Path | None = None) -> Path:
    """Validate and render ``config_file``'s site for Zensical into ``out_dir`` (default
    ``generated/zensical/`` beside it); return the config Zensical builds."""
    project, config = load_project(config_file)
    prepared = prepare_site(project)
    return write_zensical_project(project, config, prepared,
                                  out_dir or project.project_dir / WORK_DIR)


def write_zensical_project(project: SiteProject, config: dict[str, Any],
                           prepared: PreparedSite, out_dir: Path, *, fresh: bool = True,
                           strict: bool = False) -> Path:
    """Write the docs folder, the theme and the standalone config into ``out_dir``.

    ``out_dir`` is recreated from nothing when ``fresh``, else checked and updated (the
    rebuilds of ``careers serve``, which keep Zensical's cache). A hand-written page where
    a generated one is published is left out with a warning (an error when ``strict``).
    """
    docs_dir = project.project_dir / project.docs_dir
    if not docs_dir.is_dir():
        raise SiteConfigError(f"no docs folder at {docs_dir}: create it or set docs_dir in "
                              "mkdocs.yml")
    safety = project.safety(with_work_dirs=True)
    custom_dir = project.project_dir / project.custom_dir if project.custom_dir else None
    for copied in (docs_dir, custom_dir):
        if copied is not None:
            check_source_folder(copied, safety)
    if fresh:
        out_dir = reset_work_folder(out_dir, safety, "the site written out for Zensical")
    else:
        out_dir = check_output_folder(out_dir, safety, "the site written out for Zensical")
    files, left_out = _docs_files(project, docs_dir, prepared)
    for warning in left_out:
        log.warning("%s", warning)
    if strict and left_out:
        raise ZensicalError("warnings fail the build under --strict:\n" + "\n".join(left_out))
    RenderedSite(files).write(out_dir / DOCS)
    RenderedSite(_theme_files(custom_dir)).write(out_dir / THEME)
    config_file = out_dir / "mkdocs.yml"
    write_config(standalone_config(config, project, prepared, docs_dir), config_file)
    return config_file


def _docs_files(project: SiteProject, docs_dir: Path, prepared: PreparedSite
                ) -> tuple[list[GeneratedFile], list[str]]:
    """Every file of the docs folder: hand-written, then generated ones (which win, also
    over a hand-written page at the same address: ``x.md`` and ``x/index.md``)."""
    generated = {path: project.generated_dir / path for path, _source in prepared.pages}
    taken = {page_url_of(path) for path in generated} - {None}
    files, left_out = {}, []
    for path in _files_below(docs_dir):
        relative = path.relative_to(docs_dir).as_posix()
        if page_url_of(relative) in taken and relative not in generated:
            left_out.append(f"{printable(str(path))}: it would be published at "
                            f"/{page_url_of(relative)}, where a generated page is; it is left "
                            "out. Move or rename it")
        else:
            files[relative] = path
    files |= generated
    files |= {path: project.assets_dir / path for path in prepared.assets.finish()}
    if prepared.maps is not None:
        files |= dict(prepared.maps.site_files())
    return ([GeneratedFile(path, source.read_bytes()) for path, source in sorted(files.items())],
            left_out)


def _theme_files(custom_dir: Path | None) -> list[GeneratedFile]:
    """The shipped theme, with the project's own ``custom_dir`` over it."""
    files = {path.relative_to(theme_dir()).as_posix(): path for path in _files_below(theme_dir())}
    if custom_dir is not None and custom_dir.is_dir():
        files |= {path.relative_to(custom_dir).as_posix(): path
                  for path in _files_below(custom_dir)}
    return [GeneratedFile(path, source.read_bytes()) for path, source in sorted(files.items())]


def _files_below(folder: Path) -> list[Path]:
    """The files below ``folder``, hidden ones and Python caches left out."""
    return [path for path in sorted(folder.rglob("*"))
            if path.is_file() and not any(part.startswith(".") or part == "__pycache__"
                                          for part in path.relative_to(folder).parts)]


def standalone_config(config: dict[str, Any], project: SiteProject, prepared: PreparedSite,
                      docs_dir: Path) -> dict[str, Any]:
    """``config`` made to build the written-out site without plugins.

    A complete copy, not a file that uses ``INHERIT``: Zensical appends inherited lists
    instead of replacing them, so an inherited ``nav`` would list every tab twice.
    """
    theme = dict(config.get("theme") or {"name": "material"})
    theme["custom_dir"] = THEME
    extra_css = list(config.get("extra_css") or [])
    extra_js = list(config.get("extra_javascript") or [])
    standalone = {
        **config,
        "docs_dir": DOCS,
        "site_dir": SITE,
        "theme": theme,
        "extra_css": extra_css + [s for s in SITE_STYLESHEETS if s not in extra_css],
        "extra_javascript": extra_js + [s for s in SITE_SCRIPTS if s not in extra_js],
        "plugins": [entry for entry in config.get("plugins") or []
                    if (entry if isinstance(entry, str) else next(iter(entry), ""))
                    in KEPT_PLUGINS] or ["search"],
        "nav": prepared.site_nav(config.get("nav"), project.options.insert_nav_after),
        # No mike here: without versions.json a version selector would only 404.
        "extra": {key: value for key, value in (config.get("extra") or {}).items()
                  if key != "version"},
    }
    if isinstance(config.get("edit_uri"), str) and docs_dir.resolve().is_relative_to(
            project.project_dir):  # the hand-written pages live in docs_dir of the repository
        relative = docs_dir.resolve().relative_to(project.project_dir).as_posix()
        standalone["edit_uri"] = config["edit_uri"].rstrip("/") + "/" + relative + "/"
    return standalone


def run_zensical(config_file: Path, *, strict: bool = False, clean: bool = False) -> Path:
    """``zensical build`` of ``config_file``; return the folder it built the site into."""
    if zensical_version() is None:
        raise ZensicalError("Zensical is not installed: pip install 'career-paths[zensical]'")
    command = [sys.executable, "-m", "zensical", "build", "--config-file", str(config_file)]
    done = subprocess.run([*command, *(["--strict"] if strict else []),
                           *(["--clean"] if clean else [])],
                          cwd=config_file.parent, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        output = "\n".join(part.strip() for part in (done.stdout, done.stderr) if part.strip())
        raise ZensicalError(f"zensical build failed:\n{output}")
    return config_file.parent / SITE


def build_with_zensical(config_file: Path, into: Path, *, strict: bool = False) -> None:
    """Build ``config_file``'s site with Zensical into the empty folder ``into``."""
    project, config = load_project(config_file)
    prepared = prepare_site(project)
    if strict and prepared.warnings:
        raise ZensicalError("warnings fail the build under --strict:\n" + "\n".join(
            warning.format_text() for warning in prepared.warnings))
    built = run_zensical(write_zensical_project(project, config, prepared,
                                                project.project_dir / WORK_DIR, strict=strict),
                         strict=strict)
    # A copy, not a move: Zensical's cache expects its own site folder to stay as it left it.
    shutil.copytree(built, into, dirs_exist_ok=True)
