"""``careers build`` with either engine: the site replaced whole, or not at all.

The engine builds into a fresh folder beside the target, which replaces the target only
when the build succeeded (see :func:`generator.safe_paths.staged_site`: the checks of the
site folder, the lock, the recovery after a killed build). A failed or interrupted build
leaves the previous site as it was. MkDocs runs in this process with the
``career-paths`` plugin; Zensical builds what :mod:`generator.zensical_build` writes out.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from generator.diagnostics import FrameworkError, format_report
from generator.mkdocs_plugin import project_of
from generator.parallel_pages import stop_every_worker
from generator.pipeline import Engine, load_project
from generator.safe_paths import (
    Project,
    UnsafePathError,
    check_source_folder,
    describe_os_error,
    is_built_site,
    staged_site,
)
from generator.site_config import PLUGIN_NAME, SiteConfigError, SiteOptions
from generator.zensical_build import ZensicalError, build_with_zensical


class SiteBuildError(Exception):
    """The site could not be built; the message says why (no traceback needed)."""

    def __init__(self, message: str, *, site_kept: bool = True) -> None:
        super().__init__(message)
        self.site_kept = site_kept
        """Whether the previous site is still there (False if there was none)."""


def build_site(config_file: Path, site_dir: Path | None = None, *, strict: bool = False,
               engine: Engine = "mkdocs") -> Path:
    """Build the site of ``config_file`` with ``engine`` into ``site_dir``; return the folder.

    ``site_dir`` defaults to ``site/`` beside the config.  A folder that is not safe to
    replace (see :func:`generator.safe_paths.check_site_folder`) is refused.
    """
    config_file = Path(os.path.abspath(config_file))
    target = Path(os.path.abspath(site_dir if site_dir is not None
                                  else config_file.parent / "site"))
    try:
        if engine == "zensical":
            _build_with_zensical(config_file, target, strict=strict)
        else:
            _build_with_mkdocs(config_file, target, strict=strict)
    except FrameworkError as error:
        raise SiteBuildError("the frameworks have errors:\n" + format_report(
            error.diagnostics), site_kept=is_built_site(target)) from None
    except (PluginError, ConfigurationError, Abort, UnsafePathError, SiteConfigError,
            ZensicalError) as error:
        raise SiteBuildError(str(error), site_kept=is_built_site(target)) from None
    except OSError as error:
        raise SiteBuildError(describe_os_error(error), site_kept=is_built_site(target)) from None
    return target


def _build_with_mkdocs(config_file: Path, target: Path, *, strict: bool) -> None:
    config = load_config(config_file=str(config_file), site_dir=str(target), strict=strict)
    project = mkdocs_project(config)
    for copied in (config.docs_dir, config.theme.custom_dir):
        if copied:
            check_source_folder(Path(copied), project)
    with staged_site(target, project) as staging:
        config.site_dir = str(staging)
        try:
            mkdocs_build(config)
        finally:  # Ctrl-C or SIGTERM: no page worker may write into the removed staging
            stop_every_worker()


def _build_with_zensical(config_file: Path, target: Path, *, strict: bool) -> None:
    project, _config = load_project(config_file)
    safety = project.safety(with_work_dirs=True)
    for copied in (project.docs_dir, project.custom_dir):
        if copied:
            check_source_folder(project.project_dir / copied, safety)
    with staged_site(target, safety) as staging:
        build_with_zensical(config_file, staging, strict=strict)


def mkdocs_project(config: MkDocsConfig) -> Project:
    """The project of a loaded MkDocs config and its source folders, which no output may
    replace: the docs, the theme's custom folder, the frameworks, our templates, and the
    plugin's work folders."""
    plugin = config.plugins.get(PLUGIN_NAME)
    if plugin is None:
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        return Project.of(root, config.docs_dir, config.theme.custom_dir)
    return project_of(config, SiteOptions(**dict(plugin.config))).safety(with_work_dirs=True)


__all__ = ["FrameworkError", "SiteBuildError", "build_site", "mkdocs_project"]
