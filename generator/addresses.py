"""The role addresses of a site, for its "page not found" page.

A mistyped job-ad link (``/contact-centre/roles/csr-22/``) lands on the site's 404 page,
which a static host serves for every missing address. That page cannot be rendered per
address, so it finds the closest role in the browser (``overrides/assets/career-paths.js``)
from ``/role-addresses.json``: every framework's id and name, and the ids that have a page
under ``/<framework>/roles/``: roles (with their titles), aliases (which redirect) and
retired roles (which explain where they went).
"""

from __future__ import annotations

import json

from generator.model import Framework

ADDRESSES_FILE = "role-addresses.json"


def role_addresses_json(frameworks: list[Framework]) -> str:
    """``role-addresses.json`` of the public views of ``frameworks``."""
    document = {
        "format": 1,
        "frameworks": [
            {
                "id": framework.id,
                "name": framework.spec.name,
                "roles": [[role.id, role.title] for role in framework.roles.values()],
                "aliases": {alias: role.id for role in framework.roles.values()
                            for alias in role.aliases},
                "retired": {retired.id: retired.title or retired.id
                            for retired in framework.spec.retired},
            }
            for framework in frameworks
        ],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
