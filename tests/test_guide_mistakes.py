"""The editing guide's "twenty most common mistakes" show what ``careers validate`` prints.

Each mistake is made in a copy of the contact-centre example and the real command is
run; every line it prints must appear, word for word, in ``site_docs/guide/editing.md``.
When a message is improved, this test says which block of the guide to paste it into.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO

GUIDE = REPO / "site_docs" / "guide" / "editing.md"
FOLDER = "frameworks/contact-centre"
Mistake = Callable[[Path], None]


def replace(file: str, old: str, new: str) -> Mistake:
    def make(folder: Path) -> None:
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is no longer in {file}: update the mistake"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return make


def rename(old: str, new: str) -> Mistake:
    return lambda folder: (folder / old).rename(folder / new)


def write(file: str, text: str) -> Mistake:
    return lambda folder: (folder / file).write_text(text, encoding="utf-8")


def no_entry_role(folder: Path) -> None:
    for role in (folder / "roles").glob("*.yaml"):
        role.write_text(role.read_text(encoding="utf-8").replace("entry: true\n", ""),
                        encoding="utf-8")


LEAD = "roles/team-lead.yaml"
COMPETENCIES = ("  call-resolution: 3\n  communication: 3\n  de-escalation: 3\n"
                "  product-knowledge: 3\n  compliance: 3\n  coaching: 3\n"
                "  data-and-improvement: 1\n  leadership: 1\n")
MISTAKES: dict[str, Mistake] = {
    "A typo in a key": replace(LEAD, "competencies:", "competences:"),
    "A tab used for indentation": replace(LEAD, "  coaching: 3", "\tcoaching: 3"),
    "A version without quotes": replace("framework.yaml", 'version: "2026.1"',
                                        "version: 2026.10"),
    "A reference to an id that does not exist": replace(LEAD, "track: leadership",
                                                        "track: leadership-track"),
    "A promotion to a role of the same tier": replace(LEAD, "next: [",
                                                      "next: [escalations-specialist, "),
    "No entry role": no_entry_role,
    "A pay band that falls as the tier rises": replace(
        "salary.yaml", "  - tier: t4\n    min: 46000", "  - tier: t4\n    min: 40000"),
    "A key written twice": replace(LEAD, "  coaching: 3\n",
                                   "  coaching: 3\n  communication: 2\n"),
    "A competency level that does not exist": replace(LEAD, "  coaching: 3", "  coaching: 6"),
    "A percentage above 100": replace(LEAD, "  - metric: fcr\n    min: 88",
                                      "  - metric: fcr\n    min: 880"),
    "A colon in text without quotes": replace(
        LEAD, "  - Takes escalated calls and approves goodwill payments within limits.",
        "  - Escalations: takes escalated calls: approves goodwill payments within limits."),
    "A list where a mapping belongs": replace(
        LEAD, COMPETENCIES, COMPETENCIES.replace("  ", "  - ")),
    "A line of a list item that does not line up": replace(
        LEAD, "  - metric: fcr\n    min: 88", "  - metric: fcr\n  min: 88"),
    "A role file renamed without an alias": rename(
        "roles/csr-2.yaml", "roles/customer-service-representative-2.yaml"),
    "A required key left out": replace(LEAD, "title: Team Lead\n", ""),
    "A value that is not one of the choices": replace("framework.yaml", "kind: individual",
                                                      "kind: individul"),
    "Band figures in the wrong order": replace(
        "salary.yaml", "    min: 41000\n    mid: 45500\n    max: 50000",
        "    min: 51000\n    mid: 45500\n    max: 50000"),
    "A file name with capitals or spaces": rename("roles/trainer.yaml",
                                                  "roles/Senior Trainer.yaml"),
    "A new role that nobody can reach": write(
        "roles/night-shift-lead.yaml",
        "title: Night Shift Lead\ntrack: leadership\ntier: t4\ncompetencies:\n  leadership: 1\n"),
    "A quote that is never closed": replace(LEAD, "title: Team Lead", 'title: "Team Lead'),
}


def test_the_guide_lists_twenty_mistakes_in_this_order() -> None:
    headings = [line.split(". ", 1)[1] for line in GUIDE.read_text(encoding="utf-8").splitlines()
                if line.startswith("### ") and ". " in line]
    assert headings == list(MISTAKES)


@pytest.mark.parametrize("heading", MISTAKES)
def test_the_guide_shows_the_real_message_of_a_mistake(heading: str, tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "contact-centre", tmp_path / FOLDER)
    MISTAKES[heading](tmp_path / FOLDER)
    run = subprocess.run([sys.executable, "-m", "generator", "validate"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 1
    guide = GUIDE.read_text(encoding="utf-8")
    section = guide.split(f". {heading}\n", 1)[1].split("\n### ", 1)[0]
    printed = run.stdout.strip()
    assert f"```text\n{printed}\n```" in section, (
        f"paste the new output under '{heading}' in {GUIDE.relative_to(REPO)}:\n{printed}")
