"""Running a site engine on the rendered pages: MkDocs builds and serves, Zensical renders.

``build_site`` is atomic: MkDocs writes into a fresh folder beside the target, which
replaces the target only when the build succeeded (see
:func:`generator.safe_paths.staged_site`: the checks of the site folder, the lock,
the recovery after a killed build).  A failed or interrupted build leaves the previous
site as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from generator.diagnostics import FrameworkError
from generator.safe_paths import (
    Project,
    UnsafePathError,
    check_source_folder,
    describe_os_error,
    is_built_site,
    reset_work_folder,
    staged_site,
)
from generator.site_render import RenderOptions, edit_url_base, render_site
from generator.templating import TEMPLATES_DIR
from generator.validation import load_valid_frameworks

log = logging.getLogger("career_paths")

PLUGIN_NAME = "career-paths"


class SiteBuildError(Exception):
    """The site could not be built; the message says why (no traceback needed)."""

    def __init__(self, message: str, *, site_kept: bool = True) -> None:
        super().__init__(message)
        self.site_kept = site_kept
        """Whether the previous site is still there (False if there was none)."""


def build_site(config_file: Path, site_dir: Path | None = None, *, strict: bool = False) -> Path:
    """Build the site of ``config_file`` with MkDocs into ``site_dir``; return the folder.

    ``site_dir`` defaults to ``site/`` beside the config.  A folder that is not safe to
    replace (see :func:`generator.safe_paths.check_site_folder`) is refused.
    """
    config_file = Path(os.path.abspath(config_file))
    target = Path(os.path.abspath(site_dir if site_dir is not None
                                  else config_file.parent / "site"))
    try:
        config = load_config(config_file=str(config_file), site_dir=str(target), strict=strict)
        project = mkdocs_project(config)
        for copied in (config.docs_dir, config.theme.custom_dir):
            if copied:
                check_source_folder(Path(copied), project)
        with staged_site(target, project) as staging:
            config.site_dir = str(staging)
            mkdocs_build(config)
    except (PluginError, ConfigurationError, Abort) as error:
        raise SiteBuildError(str(error), site_kept=is_built_site(target)) from None
    except UnsafePathError as error:
        raise SiteBuildError(str(error), site_kept=is_built_site(target)) from None
    except OSError as error:
        raise SiteBuildError(describe_os_error(error), site_kept=is_built_site(target)) from None
    return target


def mkdocs_project(config: MkDocsConfig, *, with_work_dirs: bool = True) -> Project:
    """The project of a loaded MkDocs config and its source folders (which no output may
    replace): the docs, the theme's custom folder, the frameworks, our templates, and (for
    the site) the plugin's work folders."""
    root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
    folders: list[Path | str | None] = [config.docs_dir, config.theme.custom_dir, TEMPLATES_DIR]
    plugin = config.plugins.get(PLUGIN_NAME)
    if plugin is not None:
        folders.append(root / plugin.config.frameworks_dir)
        if with_work_dirs:
            folders.extend(getattr(plugin, "work_dirs", ()))
    return Project.of(root, *folders)


def serve_site(config_file: Path, dev_addr: str = "127.0.0.1:8000") -> None:
    """``mkdocs serve`` with live reload of frameworks, templates and hand-written pages.

    Rebuilds are dirty: MkDocs rebuilds only the pages whose Markdown changed (the plugin
    leaves unchanged generated pages untouched), so an edit shows within seconds even in
    a framework of thousands of roles.  Pages that did not change keep their navigation
    until the next full build.
    """
    from mkdocs.commands.serve import serve

    serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True, build_type="dirty")


def render_docs(project_dir: Path, out_dir: Path, frameworks_dir: Path | None = None) -> Path:
    """Render a complete docs folder plus a config for engines without plugins (Zensical).

    Writes ``out_dir/docs`` (the hand-written pages and the generated ones) and
    ``out_dir/mkdocs.yml``: a copy of the project's ``mkdocs.yml`` with the generated
    navigation, only the built-in search plugin, and paths made relative to ``out_dir``.
    (Not ``INHERIT``: Zensical appends inherited lists, which would list the nav twice.)
    Build it with ``zensical build -f out_dir/mkdocs.yml``.
    """
    project_dir = project_dir.resolve()
    config = yaml.safe_load((project_dir / "mkdocs.yml").read_text(encoding="utf-8"))
    frameworks, warnings = load_valid_frameworks(
        frameworks_dir or project_dir / "frameworks", project_dir)
    for warning in warnings:
        log.warning(warning.format_text())
    rendered = render_site(frameworks, RenderOptions(
        site_url=config.get("site_url") or "",
        edit_url_base=edit_url_base(config.get("repo_url"), config.get("edit_uri")),
        project_dir=project_dir,
    ))
    docs_source = project_dir / config.get("docs_dir", "docs")
    custom_dir = (config.get("theme") or {}).get("custom_dir")
    project = Project.of(project_dir, docs_source, custom_dir, TEMPLATES_DIR,
                         frameworks_dir or project_dir / "frameworks")
    for copied in (docs_source, project_dir / custom_dir if custom_dir else None):
        if copied is not None:
            check_source_folder(copied, project)
    out_dir = reset_work_folder(out_dir, project, "the rendered docs")
    docs = out_dir / "docs"
    rendered.write(docs)
    shutil.copytree(docs_source, docs, dirs_exist_ok=True)
    hand_nav = config.get("nav") or ["index.md"]
    nav = [*hand_nav[:1], *rendered.nav, *hand_nav[1:]]
    theme = dict(config.get("theme") or {"name": "material"})
    if theme.get("custom_dir"):
        theme["custom_dir"] = os.path.relpath(project_dir / theme["custom_dir"], out_dir)
    standalone = {**config, "docs_dir": "docs", "site_dir": "site", "theme": theme,
                  "plugins": ["search"], "nav": nav,
                  # No mike here: without versions.json a version selector would only 404.
                  "extra": {key: value for key, value in (config.get("extra") or {}).items()
                            if key != "version"}}
    if config.get("edit_uri"):  # hand-written pages live in docs_dir of the repository
        standalone["edit_uri"] = (config["edit_uri"].rstrip("/") + "/"
                                  + config.get("docs_dir", "docs").strip("/") + "/")
    config_path = out_dir / "mkdocs.yml"
    config_path.write_text(yaml.safe_dump(standalone, sort_keys=False, allow_unicode=True),
                           encoding="utf-8")
    return config_path


__all__ = ["FrameworkError", "SiteBuildError", "build_site", "mkdocs_project", "render_docs",
           "serve_site"]
