"""The command line in awkward situations: a busy port, a closed pipe."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def careers(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=240, **kwargs)


@pytest.mark.slow
def test_serve_on_a_busy_port_says_so_and_suggests_another() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = careers("serve", "--dev-addr", f"127.0.0.1:{port}")
    assert done.returncode == 2
    assert f"cannot serve on 127.0.0.1:{port}" in done.stderr
    assert f"--dev-addr 127.0.0.1:{port + 1}" in done.stderr
    assert "Traceback" not in done.stderr


def test_output_cut_short_by_the_reader_is_not_a_traceback(tmp_path: Path) -> None:
    frameworks = tmp_path / "frameworks"
    shutil.copytree(REPO / "frameworks" / "engineering", frameworks / "engineering")
    roles = frameworks / "engineering" / "roles"
    for number in range(1500):  # far more output than a pipe buffers
        (roles / f"extra-{number}.yaml").write_text("title: Extra\ntrack: nowhere\ntier: l1\n")
    reader = subprocess.Popen([sys.executable, "-m", "generator", "validate", str(frameworks)],
                              cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reader.stdout is not None
    assert b"extra-0.yaml" in reader.stdout.readline()
    reader.stdout.close()  # like `careers validate | head -1`
    _, errors = reader.communicate(timeout=120)
    assert b"Traceback" not in errors
    assert reader.returncode == 0


EMPTY_FOLDER_COMMANDS = {
    "validate": "no frameworks folder at 'frameworks'",
    "build": "no mkdocs.yml here",
    "serve": "no mkdocs.yml here",
    "render": "no mkdocs.yml here",
    "export": "no frameworks folder at 'frameworks'",
    "maps": "no frameworks folder at 'frameworks'",
    "publish": "no mkdocs.yml here",
    "publish --list": "no mkdocs.yml here",
    "new role x --framework f --track t --tier t1": "no frameworks folder at 'frameworks'",
}


def test_every_command_in_an_empty_folder_says_what_is_missing(tmp_path: Path) -> None:
    for command, missing in EMPTY_FOLDER_COMMANDS.items():
        done = subprocess.run([sys.executable, "-m", "generator", *command.split()],
                              cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, (command, done.stderr)
        assert missing in done.stderr, (command, done.stderr)
        assert "careers init" in done.stderr, command
        assert "Traceback" not in done.stderr, command


def test_versioned_publishing_with_zensical_says_why_it_cannot(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    for command in (["publish", "--engine", "zensical"], ["serve", "--versions", "--engine",
                                                          "zensical"]):
        done = subprocess.run([sys.executable, "-m", "generator", *command], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, done.stderr
        assert "mike, which builds every version with MkDocs" in done.stderr
        assert "no mike support" in done.stderr
