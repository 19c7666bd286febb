"""The editing guide's format 1.1 section shows what ``careers validate`` prints.

Each message block under "Everything else a framework can say (format 1.1)" in
``site_docs/guide/editing.md`` quotes the output for one or more mistakes. Each mistake
is made in a copy of the whole example ``frameworks/`` folder (nursing and allied health
extend the shared folder ``_trust``) and the real command is run: every line it prints,
with its file:line:column, must appear word for word in a message block of that
heading, and every message quoted in the section must be printed by one of the mistakes
(a mistake that prints more than one line says so in ``ALSO_PRINTED``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO
from tests.test_guide_mistakes import GUIDE, Mistake, replace

SECTION_HEADING = "## Everything else a framework can say (format 1.1)\n"
# A printed message: path:line:column: error|warning: text [rule-id]
MESSAGE = re.compile(r"^frameworks/\S.*?:\d+:\d+: (error|warning): .+ \[[a-z0-9-]+\]$")


def insert_after(file: str, anchor: str, lines: str) -> Mistake:
    """Insert ``lines`` after the first line that is exactly ``anchor``."""
    return replace(file, f"{anchor}\n", f"{anchor}\n{lines}")


# Files below the copied ``frameworks/`` folder.
SENIOR = "engineering/roles/senior-engineer.yaml"
MANAGER = "engineering/roles/engineering-manager.yaml"
ENGINEERING = "engineering/framework.yaml"
CENTRE = "contact-centre/framework.yaml"
TRUST = "_trust/framework.yaml"
NURSING = "nursing/framework.yaml"

# Under each heading of the 1.1 section: where the mistake's first message points
# (as the guide quotes it), and how to make the mistake.
MISTAKES: dict[str, dict[str, Mistake]] = {
    "A named proficiency scale": {
        "frameworks/engineering/roles/senior-engineer.yaml:28:11":
            replace(SENIOR, "  hiring: Learning\n", "  hiring: Learner\n"),
        "frameworks/engineering/competencies.yaml:22:5":
            insert_after("engineering/competencies.yaml",
                         "    5: Is an authority in a technical field inside and outside the "
                         "company.",
                         "    6: Is quoted by name in the field's textbooks.\n"),
        "frameworks/contact-centre/competencies.yaml:61:5":
            replace("contact-centre/competencies.yaml",
                    "    1: Knows the core products and where to find answers in the "
                    "knowledge base.\n",
                    "    1:\n      examples:\n        - Finds the cancellation terms of a "
                    "policy in the knowledge base.\n"),
    },
    "Several expectations for one level": {
        "frameworks/_trust/competencies.yaml:16:19":
            replace("_trust/competencies.yaml",
                    "      statements:\n        - Makes safeguarding referrals without help.\n"
                    "        - Records concerns in the patient's notes during the same shift.\n",
                    "      statements: []\n"),
    },
    "How to grow into a level": {
        "frameworks/contact-centre/competencies.yaml:10:16":
            replace("contact-centre/competencies.yaml",
                    "      develop:\n        - Take the knowledge-block course for your next "
                    "call type.\n",
                    "      develop: Take the knowledge-block course for your next call type.\n"),
    },
    "Expectations that belong to one role": {
        "frameworks/engineering/roles/engineering-manager.yaml:16:3":
            replace(MANAGER, "  technical-craft:\n    level: Advanced\n", "  technical-craft:\n"),
        "frameworks/engineering/roles/senior-engineer.yaml:22:5":
            replace(SENIOR, "    level: Advanced\n    statements:\n",
                    "    level: Advanced\n    statement:\n"),
    },
    "Groups of competencies": {
        "frameworks/engineering/framework.yaml:41:5":
            replace(ENGINEERING, "  - name: Craft\n", "  - nme: Craft\n"),
    },
    "The word for a tier": {
        "frameworks/nursing/framework.yaml:5:1":
            insert_after(NURSING, "effective: 2026-04-01", "tier_label: Band\n"),
    },
    "Early roles everyone passes: `kind: shared`": {
        "frameworks/engineering/framework.yaml:70:11":
            replace(ENGINEERING, "    kind: shared\n", "    kind: shard\n"),
    },
    "A role graded across two tiers": {
        "frameworks/nursing/roles/clinical-nurse-specialist.yaml:5:11":
            replace("nursing/roles/clinical-nurse-specialist.yaml", "tier_max: band-7",
                    "tier_max: band-6"),
    },
    "Hiring requirements": {
        "frameworks/nursing/roles/staff-nurse.yaml:15:5":
            replace("nursing/roles/staff-nurse.yaml",
                    "  - text: Registered nurse with the national nursing regulator.\n",
                    "  - Registered nurse with the national nursing regulator.\n"),
    },
    "How people move up: `advancement`": {
        "frameworks/contact-centre/roles/csr-2.yaml:23:14":
            replace("contact-centre/roles/csr-2.yaml", "advancement: automatic",
                    "advancement: automatc"),
    },
    "Where a policy applies": {
        "frameworks/contact-centre/framework.yaml:155:17":
            replace(CENTRE, "    applies_to: leaving\n    tracks: [frontline, specialist]\n",
                    "    applies_to: leave\n    tracks: [frontline, specialist]\n"),
        "frameworks/contact-centre/framework.yaml:156:25":
            replace(CENTRE, "    tracks: [frontline, specialist]\n",
                    "    tracks: [frontline, specialists]\n"),
    },
    "Pay points and bands without a midpoint": {
        "frameworks/_trust/salary.yaml:13:27":
            replace("_trust/salary.yaml", "steps: [38682, 40823, 46580]",
                    "steps: [38682, 46580, 40823]"),
        "frameworks/_trust/salary.yaml:9:27":
            replace("_trust/salary.yaml", "steps: [31049, 33487, 37796]",
                    "steps: [31049, 33487, 38796]"),
    },
    "Location pay zones": {
        "frameworks/contact-centre/salary.yaml:46:5":
            insert_after("contact-centre/salary.yaml", "    amount: 2000", "    percent: 5\n"),
        "frameworks/engineering/salary.yaml:51:14":
            replace("engineering/salary.yaml", "    percent: -10\n", "    percent: -100\n"),
        "frameworks/_trust/salary.yaml:41:14":
            replace("_trust/salary.yaml", "    minimum: 4600\n    maximum: 5800\n",
                    "    minimum: 5800\n    maximum: 4600\n"),
        "frameworks/_trust/salary.yaml:27:11":
            replace("_trust/salary.yaml", "    zone: inner-london", "    zone: inner-londn"),
    },
    "Definitions shared by several frameworks": {
        "frameworks/allied-health/framework.yaml:5:10":
            replace("allied-health/framework.yaml", "extends: _trust", "extends: trust"),
        "frameworks/nursing/framework.yaml:21:9":
            replace(NURSING, "policies:\n",
                    "metrics:\n  - id: months-registered\n    name: Months registered\n"
                    "    unit: months\npolicies:\n"),
        "frameworks/_trust/framework.yaml:5:1":
            insert_after(TRUST, "organisation: Example Hospitals Trust",
                         "name: Example Hospitals Trust Frameworks\n"),
    },
}
# What a mistake prints besides its first message, in the order printed.
ALSO_PRINTED: dict[str, tuple[str, ...]] = {
    # the lateral moves between the two band-6/7 roles no longer share a tier
    "frameworks/nursing/roles/clinical-nurse-specialist.yaml:5:11": (
        "frameworks/nursing/roles/clinical-nurse-specialist.yaml:36:11",
        "frameworks/nursing/roles/ward-sister.yaml:32:11"),
}
CASES = [(heading, where) for heading, made in MISTAKES.items() for where in made]


def printed_at(where: str) -> list[str]:
    return [where, *ALSO_PRINTED.get(where, ())]


def section_blocks() -> dict[str, list[list[str]]]:
    """The message blocks (```text with path:line:column lines) under each 1.1 heading."""
    guide = GUIDE.read_text(encoding="utf-8")
    assert SECTION_HEADING in guide, f"no '{SECTION_HEADING.strip()}' in the guide"
    section = guide.split(SECTION_HEADING, 1)[1].split("\n## ", 1)[0]
    blocks: dict[str, list[list[str]]] = {}
    for part in section.split("\n### ")[1:]:
        heading, body = part.split("\n", 1)
        for block in re.findall(r"```text\n(.*?)\n```", body, flags=re.DOTALL):
            lines = block.splitlines()
            if any(MESSAGE.match(line) for line in lines):
                blocks.setdefault(heading, []).append(lines)
    return blocks


def locations(line: str) -> str:
    return line.split(": ", 1)[0]


def test_every_quoted_1_1_message_has_a_mistake() -> None:
    quoted = {heading: [locations(line) for block in blocks for line in block]
              for heading, blocks in section_blocks().items()}
    made = {heading: [line for where in wheres for line in printed_at(where)]
            for heading, wheres in MISTAKES.items()}
    assert quoted == made
    assert set(ALSO_PRINTED) <= {where for _, where in CASES}


def validate(mistake: Mistake, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    shutil.copytree(EXAMPLES, tmp_path / "frameworks")
    mistake(tmp_path / "frameworks")
    return subprocess.run([sys.executable, "-m", "generator", "validate"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(("heading", "where"), CASES)
def test_the_guide_shows_the_real_message_of_a_1_1_mistake(heading: str, where: str,
                                                          tmp_path: Path) -> None:
    run = validate(MISTAKES[heading][where], tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    printed = run.stdout.strip().splitlines()
    quoted = [line for block in section_blocks().get(heading, []) for line in block]
    missing = [line for line in printed if line not in quoted]
    assert not missing, (
        f"paste what careers validate prints now under '### {heading}' in "
        f"{GUIDE.relative_to(REPO)}:\n" + "\n".join(printed))
    assert [locations(line) for line in printed] == printed_at(where), (
        f"the mistake for {where} no longer prints what the guide quotes for it:\n"
        + "\n".join(printed))
