"""Running a site engine on the rendered pages: MkDocs builds and serves, Zensical renders.

``build_site`` is atomic: MkDocs writes into a fresh folder beside the target,
which replaces the target only when the build succeeded.  A failed or
interrupted build leaves the previous site as it was.  A build killed outright
(``kill -9``, power loss) can leave its ``.<site>-building-<pid>-*`` folder behind;
the next build removes such folders of processes that no longer run.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from generator.diagnostics import FrameworkError
from generator.resources import SITE_SCRIPTS, SITE_STYLESHEETS, theme_dir
from generator.site_render import RenderOptions, render_site
from generator.urls import edit_url_base
from generator.validation import load_valid_frameworks

log = logging.getLogger("career_paths")


class SiteBuildError(Exception):
    """The site could not be built; the message says why (no traceback needed)."""


def build_site(config_file: Path, site_dir: Path | None = None, *, strict: bool = False) -> Path:
    """Build the site of ``config_file`` with MkDocs into ``site_dir``; return the folder."""
    config_file = config_file.resolve()
    target = (site_dir or config_file.parent / "site").resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-{os.getpid()}-",
                                    dir=target.parent))
    try:
        config = load_config(config_file=str(config_file), site_dir=str(staging), strict=strict)
        mkdocs_build(config)
        _replace_folder(staging, target)
    except (PluginError, ConfigurationError, Abort) as error:
        raise SiteBuildError(str(error)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _replace_folder(new: Path, target: Path) -> None:
    """Put ``new`` where ``target`` is, swapping by renames so readers never see a mix.

    Ctrl-C and SIGTERM take effect once the swap is done: an interrupt between the two
    renames would leave no site at all.
    """
    old = target.with_name(f".{target.name}-old-{os.getpid()}")
    with _signals_deferred():
        if target.exists():
            os.replace(target, old)
        os.replace(new, target)
        shutil.rmtree(old, ignore_errors=True)


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """SIGINT and SIGTERM received inside the block are acted on when it ends."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread receives Python signals
        return
    received: list[int] = []
    previous = {number: signal.signal(number, lambda number, _frame: received.append(number))
                for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
        for number in received:
            signal.raise_signal(number)


_LEFTOVER = re.compile(r"-(?:building|old)-(\d+)(?:-|$)")


def _remove_leftovers(target: Path) -> None:
    """Remove staging and old folders of earlier builds of ``target`` that were killed."""
    prefix = f".{target.name}-"
    for folder in target.parent.iterdir():
        if not folder.name.startswith(prefix) or folder.is_symlink() or not folder.is_dir():
            continue
        match = _LEFTOVER.match(folder.name.removeprefix(prefix[:-1]))
        if match and not _running(int(match.group(1))):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own leftovers can only be from an earlier build in this process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
    out_dir = out_dir.resolve()
    docs = out_dir / "docs"
    rendered.write(docs)
    shutil.copytree(project_dir / config.get("docs_dir", "docs"), docs, dirs_exist_ok=True)
    hand_nav = config.get("nav") or ["index.md"]
    nav = [*hand_nav[:1], *rendered.nav, *hand_nav[1:]]
    theme = dict(config.get("theme") or {"name": "material"})
    # Zensical runs no plugin to add the shipped theme: the config names a copy of it (a
    # project's own custom_dir is merged over it).
    shipped_theme = out_dir / "theme"
    shutil.rmtree(shipped_theme, ignore_errors=True)
    shutil.copytree(theme_dir(), shipped_theme)
    if theme.get("custom_dir"):
        shutil.copytree(project_dir / theme["custom_dir"], shipped_theme, dirs_exist_ok=True)
    theme["custom_dir"] = "theme"
    extra_css = [*config.get("extra_css", []),
                 *(s for s in SITE_STYLESHEETS if s not in config.get("extra_css", []))]
    extra_js = [*config.get("extra_javascript", []),
                *(s for s in SITE_SCRIPTS if s not in config.get("extra_javascript", []))]
    standalone = {**config, "docs_dir": "docs", "site_dir": "site", "theme": theme,
                  "extra_css": extra_css, "extra_javascript": extra_js,
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


__all__ = ["FrameworkError", "SiteBuildError", "build_site", "render_docs", "serve_site"]
