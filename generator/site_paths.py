"""The names the site uses for its own pages, which no role id may take (SPEC rule 12).

A role is published at ``/<framework>/roles/<role-id>/``, beside the framework's own pages
at ``/<framework>/<name>/`` and the site's at ``/<name>/``.  A role id equal to one of
these names gives a page that cannot be reached (``roles/index.md`` is built at
``/<framework>/roles/``, not ``/<framework>/roles/index/``) or an address that means two
things, so validation refuses them (``generator.validation``, rule ``reserved-id``).

The framework's page and folder names come from :mod:`generator.urls`, where the site's
addresses are defined; ``tests/test_site_paths.py`` renders the examples and builds their
site, and fails if the renderer or MkDocs writes a name that is missing here.
"""

from __future__ import annotations

from generator.urls import FRAMEWORK_FOLDERS
from generator.urls import FRAMEWORK_PAGES as FRAMEWORK_SECTIONS

FRAMEWORK_FILES = ("career-map.svg", "framework.json", "tools.json")
"""Files the renderer writes at ``/<framework>/<file>``."""

FRAMEWORK_NAMES = ("index", *FRAMEWORK_SECTIONS, *FRAMEWORK_FOLDERS,
                   *(name.split(".")[0] for name in FRAMEWORK_FILES))
"""Every first name below ``/<framework>/`` (``index`` is also the list of roles)."""

SITE_NAMES = ("index", "assets", "search", "sitemap", "404", "build-info", "role-addresses")
"""First names at the site's root that the renderer and the site engine write."""

_WHAT_IT_IS = {
    "index": "the framework's overview, and under roles/ the list of its roles",
    "assets": "the site's styles, scripts and images (/assets/)",
    "search": "the search index (/search/)",
    "sitemap": "the sitemap for search engines (sitemap.xml)",
    "404": "the page shown for an address that does not exist (404.html)",
    "build-info": "the record of what the site was built from (build-info.json)",
    "role-addresses": "the role addresses the 404 page suggests from (role-addresses.json)",
    "roles": "the role pages (/<framework>/roles/)",
    "tracks": "the track pages (/<framework>/tracks/)",
    "maps": "the printable career maps (/<framework>/maps/)",
    "downloads": "the spreadsheet downloads",
    "competencies": "the competencies page",
    "pay": "the pay page",
    "policies": "the policies page",
    "changes": "the 'What changed' page",
    "compare": "the tool that compares two roles",
    "assess": "the self-assessment",
    "career-map": "the career map drawing (career-map.svg)",
    "framework": "the framework's data (framework.json)",
    "tools": "the data of the compare and self-assessment tools (tools.json)",
}

RESERVED_ROLE_IDS: dict[str, str] = {
    name: _WHAT_IT_IS.get(name, "one of its own pages") for name in (*SITE_NAMES,
                                                                     *FRAMEWORK_NAMES)}
"""Every name a role id (an alias or a retired id too) may not be, with what it names."""

__all__ = ["FRAMEWORK_FILES", "FRAMEWORK_NAMES", "RESERVED_ROLE_IDS", "SITE_NAMES"]
