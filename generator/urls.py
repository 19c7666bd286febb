"""Every address the site publishes, in one place.

Page URLs are directory URLs from the site root, without a leading slash
(``contact-centre/roles/csr-2/``); links between pages are relative, so a site works at
any path (mike's ``/2026.1/`` and ``/latest/`` included). Addresses for people outside
the site (canonical links, JSON-LD, job ads, printed maps, spreadsheets) are absolute
and exist only when ``site_url`` is known (:func:`absolute_url`); printed maps and
spreadsheets fall back to the path from the site root (:func:`printed_url`).
"""

from __future__ import annotations

import posixpath

FRAMEWORK_PAGES = ("competencies", "pay", "policies", "changes", "compare", "assess")
"""Pages of a framework at ``<framework>/<page>/``."""
FRAMEWORK_FOLDERS = ("roles", "tracks", "maps", "downloads")
"""Folders of a framework: role and track pages, printable maps, spreadsheets."""


def framework_url(framework_id: str) -> str:
    """The framework's overview: ``<framework>/``."""
    return f"{framework_id}/"


def role_url(framework_id: str, role_id: str) -> str:
    """A role's page (also a retired role's, or an alias's redirect): ``<fw>/roles/<id>/``."""
    return f"{framework_id}/roles/{role_id}/"


def track_url(framework_id: str, track_id: str) -> str:
    """A track's page: ``<framework>/tracks/<track>/``."""
    return f"{framework_id}/tracks/{track_id}/"


def section_url(framework_id: str, page: str) -> str:
    """One of the framework's own pages (:data:`FRAMEWORK_PAGES`): ``<framework>/<page>/``."""
    return f"{framework_id}/{page}/"


def file_url(framework_id: str, name: str) -> str:
    """A file of the framework (``career-map.svg``, ``maps/<role>.pdf``): ``<framework>/<name>``."""
    return f"{framework_id}/{name}"


def map_pdf_url(framework_id: str, role_id: str) -> str:
    """Where a role's printable map is published: ``<framework>/maps/<role>.pdf``."""
    return file_url(framework_id, f"maps/{role_id}.pdf")


def page_file(url: str) -> str:
    """The Markdown file of the page at directory URL ``url``: ``<url>index.md``.

    Every generated page is an ``index.md`` in its own folder, so a link relative to the
    page's address is also relative to its file: MkDocs keeps the links of raw HTML as
    written, Zensical reads them relative to the file, and both then agree.
    """
    return f"{url}index.md" if url.endswith("/") or not url else f"{url}/index.md"


def page_url_of(path: str) -> str | None:
    """The directory URL a Markdown file of the docs folder is published at (``a/b.md`` and
    ``a/b/index.md`` are both ``a/b/``), or None for a file that is no page."""
    if not path.endswith(".md"):
        return None
    folder, _, name = path.removesuffix(".md").rpartition("/")
    if name in ("index", "README"):
        return f"{folder}/" if folder else ""
    return f"{folder}/{name}/" if folder else f"{name}/"


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url`` (both URLs from the site root)."""
    directory = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url)
    link = posixpath.relpath("/" + to_url, "/" + directory)
    if to_url.endswith("/") and not link.endswith("/"):
        link += "/"
    return "./" if link in (".", "./") else link


def roles_url(framework_id: str) -> str:
    """The folder of a framework's role pages: ``<framework>/roles/``."""
    return f"{framework_id}/roles/"


def absolute_url(site_url: str, url: str) -> str:
    """``url`` (from the site root) as an absolute address; "" when ``site_url`` is unknown.

    For addresses that machines follow (canonical links, JSON-LD, the recruiters' link):
    without the site's address there is nothing right to give.
    """
    return site_url.rstrip("/") + "/" + url if site_url else ""


def printed_url(site_url: str, url: str) -> str:
    """``url`` as people read it on paper or in a spreadsheet: absolute when ``site_url`` is
    known, else from the site root (``/contact-centre/roles/csr-2/``)."""
    return absolute_url(site_url, url) or "/" + url


def edit_url_base(repo_url: str | None, edit_uri: str | None) -> str:
    """Where "edit this page" links start: ``repo_url`` joined with ``edit_uri`` ("" if unset)."""
    if not edit_uri:
        return ""
    if edit_uri.startswith(("http://", "https://")):
        return edit_uri.rstrip("/") + "/"
    if not repo_url:
        return ""
    return repo_url.rstrip("/") + "/" + edit_uri.strip("/") + "/"
