"""Where the files that ship with Career Paths are: templates, the theme, the guides.

Installed from a wheel, they are package data under ``generator/_bundled/`` (the build
step in ``setup.py`` copies them there). Run from a source checkout (an editable
install), they are the repository's own folders, so an edited template shows at once.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

BUNDLE = "_bundled"
"""The package folder holding a copy of each shipped folder, at its repository path."""


class MissingResourceError(RuntimeError):
    """The installation lacks files it ships with (a broken or partial install)."""


@cache
def bundled_folder(name: str) -> Path:
    """The shipped folder ``name`` (its path in the repository, e.g. ``templates``)."""
    packaged = Path(str(resources.files("generator"))) / BUNDLE / name
    if packaged.is_dir():
        return packaged
    checkout = source_checkout()
    if checkout is not None and (checkout / name).is_dir():
        return checkout / name
    raise MissingResourceError(
        f"Career Paths is installed without its {name} files ({packaged} is missing); "
        "reinstall it: pip install --force-reinstall career-paths")


def source_checkout() -> Path | None:
    """The repository this package runs from, when it is an editable install of one."""
    root = Path(__file__).resolve().parent.parent
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and 'name = "career-paths"' in pyproject.read_text("utf-8"):
        return root
    return None


def templates_dir() -> Path:
    """The Jinja2 templates of pages, drawings and printable maps."""
    return bundled_folder("templates")


def theme_dir() -> Path:
    """The Material overrides and the site's CSS and JavaScript (``assets/``)."""
    return bundled_folder("overrides")


def guide_dir() -> Path:
    """The employee and HR guides that ``careers init`` copies into a new site."""
    return bundled_folder("site_docs/guide")


SITE_STYLESHEETS = ("assets/career-paths.css", "assets/career-paths-tools.css")
SITE_SCRIPTS = ("assets/career-paths.js", "assets/career-paths-tools.js")
"""The site's own CSS and JavaScript, in ``theme_dir()/assets/``; every engine adds them."""
