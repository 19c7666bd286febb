"""``careers serve`` with either engine: a broken file shows its errors on every page at once,
and the page comes back by itself when the file is fixed."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import CHROMIUM_ARGS, CHROMIUM_PATH
from tests.conftest import TINY_FRAMEWORK
from tests.site_fixtures import write_config

ROLE_FILE = "roles/csr-2.yaml"
ROLE_URL = "demo/roles/csr-2/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, timeout: float = 10) -> tuple[int, str, float]:
    """Status, body and seconds taken of a GET of ``url``."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), time.monotonic() - started


def wait_for(url: str, text: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, body, _ = fetch(url, timeout=5)
        except OSError:
            status, body = 0, ""
        if status == 200 and text in body:
            return
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {text!r}")


@pytest.fixture(params=["mkdocs", "zensical"])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``careers serve --engine ...`` of a tiny project; yields the base URL and the
    framework folder."""
    framework = tmp_path / "frameworks" / "demo"
    for name, text in TINY_FRAMEWORK.items():
        (framework / name).parent.mkdir(parents=True, exist_ok=True)
        (framework / name).write_text(text, encoding="utf-8")
    config = write_config(tmp_path, tmp_path / "frameworks")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--config", str(config),
         "--dev-addr", f"127.0.0.1:{port}", "--engine", request.param],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(base + ROLE_URL, "Customer Service Representative II")
        yield base, framework
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
        assert "Traceback" not in output, output


def break_role(framework: Path) -> None:
    path = framework / ROLE_FILE
    path.write_text(path.read_text("utf-8").replace("track: frontline", "track: frontlin"),
                    encoding="utf-8")


def fix_role(framework: Path) -> None:
    path = framework / ROLE_FILE
    path.write_text(path.read_text("utf-8").replace("track: frontlin\n", "track: frontline\n"),
                    encoding="utf-8")


def test_a_broken_file_is_shown_on_the_page_within_two_seconds(served: tuple[str, Path]):
    base, framework = served
    break_role(framework)
    time.sleep(1.5)  # the server notices the save (it polls every half second)
    status, body, seconds = fetch(base + ROLE_URL)
    assert seconds < 2, f"the page took {seconds:.1f} s"
    assert status == 500
    assert "csr-2.yaml:2:8: error: unknown track &#39;frontlin&#39;" in body
    assert "did you mean &#39;frontline&#39;?" in body
    other, _, _ = fetch(base + "demo/")
    assert other == 500, "every page shows the errors, not only the broken role's"


def test_the_page_shows_the_role_again_after_the_fix_without_a_reload(
        served: tuple[str, Path]):
    base, framework = served
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(base + ROLE_URL)
        assert page.locator("h1").first.inner_text() == "Customer Service Representative II"
        break_role(framework)
        page.wait_for_selector("#careers-errors", timeout=30_000)  # reloaded by itself
        assert "unknown track 'frontlin'" in page.locator("#careers-errors").inner_text()
        fix_role(framework)
        page.wait_for_function(
            "document.querySelector('h1')?.textContent === 'Customer Service Representative II'",
            timeout=60_000)
        browser.close()
