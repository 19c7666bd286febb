"""``careers init``: a new site repository for an organisation, or what an existing one lacks.

Every file is written only where nothing exists yet, so running it again changes nothing,
and running it in a project that already has frameworks adds the site around them
without touching them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator import __version__
from generator.loading import find_framework_dirs
from generator.resources import guide_dir, templates_dir
from generator.schema import schema_files
from generator.templating import render_template

STARTER_FRAMEWORK = "customer-support"
"""The id (folder) of the starter framework."""
INIT_TEMPLATES = "init"
SITE_FILES = {
    "mkdocs.yml": "mkdocs.yml.j2",
    "README.md": "README.md.j2",
    "requirements.txt": "requirements.txt.j2",
    ".gitignore": "gitignore.j2",
    ".pre-commit-config.yaml": "pre-commit-config.yaml.j2",
}
"""Path in the new project -> its template in ``templates/init/``."""
WORKFLOWS = ("frameworks.yml", "frameworks-comment.yml")
"""This repository's own workflows (copies in ``templates/init/github/``), which every new
site gets with the released package installed instead of this checkout."""
CHECKOUT_INSTALL = "pip install -e ."
PACKAGE_INSTALL = "pip install -r requirements.txt"


class InitError(Exception):
    """The project cannot be created there; the message says why."""


@dataclass(frozen=True)
class SiteDetails:
    """What ``careers init`` asks for (each has a default)."""

    organisation: str = "Example Organisation"
    site_name: str = ""
    site_url: str = ""
    repo_url: str = ""

    @property
    def name(self) -> str:
        return self.site_name or f"{self.organisation} career paths"

    @property
    def url(self) -> str:
        """``site_url``, else the GitHub Pages address of ``repo_url``, else ""."""
        if self.site_url:
            return self.site_url.rstrip("/") + "/"
        match = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+?)(?:\.git)?/?", self.repo_url)
        return f"https://{match.group(1).lower()}.github.io/{match.group(2)}/" if match else ""


@dataclass
class InitReport:
    """The files ``careers init`` wrote, and those it found and left alone."""

    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    starter: bool = False
    """Whether the starter framework was added (only where no framework exists)."""


def init_project(target: Path, details: SiteDetails) -> InitReport:
    """Write into ``target`` every file of a new site that is not there yet."""
    if target.exists() and not target.is_dir():
        raise InitError(f"{target} is a file; name a folder (new or existing)")
    frameworks = target / "frameworks"
    add_starter = not (frameworks.is_dir() and find_framework_dirs(frameworks))
    planned = site_files(details)
    if add_starter:
        planned |= _starter_files(details)
    report = InitReport(starter=add_starter)
    for relative, content in planned.items():
        if _write_new(target / relative, content):
            report.created.append(relative)
        else:
            report.kept.append(relative)
    return report


def site_files(details: SiteDetails) -> dict[str, str]:
    """Path -> content of every file of a new site but the starter framework."""
    context = {"site_name": details.name, "organisation": details.organisation,
               "site_url": details.url, "repo_url": details.repo_url,
               "version": __version__}
    files = {path: render_template(f"{INIT_TEMPLATES}/{template}", **context)
             for path, template in SITE_FILES.items()}
    for name in WORKFLOWS:
        workflow = templates_dir() / INIT_TEMPLATES / "github" / name
        files[f".github/workflows/{name}"] = workflow.read_text(encoding="utf-8").replace(
            CHECKOUT_INSTALL, PACKAGE_INSTALL)
    for guide in sorted(guide_dir().glob("*.md")):
        files[f"site_docs/guide/{guide.name}"] = guide.read_text(encoding="utf-8")
    files |= {f"schemas/{name}": text for name, text in schema_files().items()}
    return files


def _starter_files(details: SiteDetails) -> dict[str, str]:
    starter = templates_dir() / INIT_TEMPLATES / "starter"
    context = {"organisation": details.organisation, "year": dt.date.today().year}
    files = {}
    for template in sorted(starter.rglob("*.j2")):
        relative = template.relative_to(starter).as_posix().removesuffix(".j2")
        files[f"frameworks/{STARTER_FRAMEWORK}/{relative}"] = render_template(
            f"{INIT_TEMPLATES}/starter/{template.relative_to(starter).as_posix()}", **context)
    return files


def _write_new(path: Path, content: str) -> bool:
    """Create ``path`` holding ``content``; False (and nothing written) if anything is there.

    Never writes through a symbolic link: an existing link, even a dangling one, is left.
    """
    if path.exists() or path.is_symlink():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(content)
    return True
