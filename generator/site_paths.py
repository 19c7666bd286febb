"""The names the site uses for its own pages, which no role id may take (SPEC rule 12).

A role is published at ``/<framework>/roles/<role-id>/``, beside the framework's own pages
at ``/<framework>/<name>/`` and the site's at ``/<name>/``.  A role id equal to one of
these names gives a page that cannot be reached (``roles/index.md`` is built at
``/<framework>/roles/``, not ``/<framework>/roles/index/``) or an address that means two
things, so validation refuses them (``generator.validation``, rule ``reserved-id``).

``tests/test_site_paths.py`` renders the examples and builds their site and fails if the
renderer or MkDocs writes a name that is missing here.
"""

from __future__ import annotations

FRAMEWORK_PAGES: dict[str, str] = {
    "index": "the framework's overview, and under roles/ the list of its roles",
    "tracks": "the track pages (/<framework>/tracks/)",
    "roles": "the role pages (/<framework>/roles/)",
    "competencies": "the competencies page",
    "pay": "the pay page",
    "policies": "the policies page",
    "changes": "the 'What changed' page",
    "compare": "the tool that compares two roles",
    "assess": "the self-assessment",
    "downloads": "the spreadsheet downloads",
    "maps": "the printable career maps (/<framework>/maps/)",
    "career-map": "the career map drawing (career-map.svg)",
    "framework": "the framework's data (framework.json)",
    "tools": "the data of the compare and self-assessment tools (tools.json)",
}
"""First names below ``/<framework>/`` that the renderer writes, and what they are."""

SITE_PAGES: dict[str, str] = {
    "index": "the home page",
    "assets": "the site's styles, scripts and images (/assets/)",
    "search": "the search index (/search/)",
    "sitemap": "the sitemap for search engines (sitemap.xml)",
    "404": "the page shown for an address that does not exist (404.html)",
    "build-info": "the record of what the site was built from (build-info.json)",
}
"""First names at the site's root that the renderer and the site engine write."""

RESERVED_ROLE_IDS: dict[str, str] = {**SITE_PAGES, **FRAMEWORK_PAGES}
"""Every name a role id (an alias or a retired id too) may not be, with the reason."""

__all__ = ["FRAMEWORK_PAGES", "RESERVED_ROLE_IDS", "SITE_PAGES"]
