"""``careers serve`` shows a rebuild's pages first and makes its assets after (issue 15):
the edited page shows the change, then the data files, map images and downloads follow,
and the open pages reload once more when they are in place."""

from __future__ import annotations

import json
import time
from pathlib import Path

from tests.test_serve import ROLE_FILE, ROLE_URL, fetch, served, wait_for

__all__ = ["served"]  # the fixture, shared with tests/test_serve.py

NEW_TITLE = "Customer Service Representative Two"


def framework_titles(base: str, *, rebuilding: bool = False) -> set[str]:
    """The role titles of the served framework.json (none while a rebuild replaces it)."""
    status, body, _ = fetch(base + "demo/framework.json")
    if rebuilding and status == 404:
        return set()
    assert status == 200
    return {role["title"] for role in json.loads(body)["roles"].values()}


def test_an_edit_shows_on_its_page_and_then_in_the_assets(served: tuple[str, Path]) -> None:
    base, framework = served
    assert "Customer Service Representative II" in framework_titles(base)
    path = framework / ROLE_FILE
    path.write_text(path.read_text("utf-8").replace(
        "title: Customer Service Representative II", f"title: {NEW_TITLE}"), encoding="utf-8")

    wait_for(base + ROLE_URL, NEW_TITLE, seconds=60)
    deadline = time.monotonic() + 60
    while NEW_TITLE not in framework_titles(base, rebuilding=True):
        assert time.monotonic() < deadline, "the assets never caught up with the edit"
        time.sleep(0.3)
    assert "Customer Service Representative II" not in framework_titles(base)
