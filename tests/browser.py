"""Debian's Chromium for the browser tests: Playwright cannot download its own here."""

from __future__ import annotations

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
"""Root needs --no-sandbox; the network flags stop Chromium calling home on a closed network."""
