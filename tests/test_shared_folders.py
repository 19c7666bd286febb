"""Shared ``_`` folders used through ``extends`` (SPEC 1.1, rule 11), and every 1.1 rule
when the problem is inside the shared folder: the message names the shared file.

The base is ``tests/fixtures/v1_1``: ``_health`` (grades, scale, zones, core
competencies) extended by ``nursing`` and ``allied-health``; it passes ``--strict``.
Each case edits it and names the rule, the file (relative to the frameworks folder) and
the line (``at`` is text on that line, ``^`` before the column).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.diagnostics import Diagnostic
from generator.validation import load_valid_frameworks, validate_path
from tests.test_validation_rules import append, listing, locate, replace, write

V1_1 = Path(__file__).resolve().parent / "fixtures" / "v1_1"

Mutation = Callable[[Path], None]


@pytest.fixture
def frameworks(tmp_path: Path) -> Path:
    """A copy of the 1.1 fixture frameworks (shared folder and two frameworks)."""
    return Path(shutil.copytree(V1_1, tmp_path / "frameworks"))


def validate(folder: Path) -> list[Diagnostic]:
    _, diagnostics = validate_path(folder, root=folder)
    return diagnostics


@dataclass(frozen=True)
class Case:
    description: str
    mutation: Mutation
    rule: str
    file: str
    at: str | None
    also: frozenset[str] = frozenset()
    occurrence: int = 1

    def __str__(self) -> str:
        return f"{self.rule}: {self.description}"


CASES = [
    # rule 11: extends and collisions
    Case("extends a misspelt shared folder", replace("nursing/framework.yaml",
         "extends: _health", "extends: _helth"), "invalid-extends", "nursing/framework.yaml",
         "extends: ^_helth"),
    Case("extends a folder without '_'", replace("nursing/framework.yaml",
         "extends: _health", "extends: nursing"), "invalid-extends", "nursing/framework.yaml",
         "extends: ^nursing"),
    Case("a tier defined in both", replace("nursing/framework.yaml", "policies:\n",
         "tiers:\n  - id: band-5\n    name: Band Five\npolicies:\n"), "shared-collision",
         "nursing/framework.yaml", "  - id: ^band-5"),
    Case("a currency set in both", append("nursing/framework.yaml", "currency: GBP\n"),
         "shared-collision", "nursing/framework.yaml", "^currency: GBP"),
    Case("a scale set in both", append("nursing/framework.yaml",
         "scale:\n  - name: Novice\n"), "shared-collision", "nursing/framework.yaml",
         "^scale:"),
    Case("a competency defined in both", append("allied-health/competencies.yaml",
         "- {id: safeguarding, name: Safeguarding, levels: {1: Reports concerns.}}\n"),
         "shared-collision", "allied-health/competencies.yaml", "- {id: ^safeguarding"),
    Case("a zone defined in both", write("nursing/salary.yaml",
         "zones:\n  - {id: outer-london, name: Outer London, amount: 3000}\n"),
         "shared-collision", "nursing/salary.yaml", "{id: ^outer-london"),
    Case("a shared folder with a name", append("_health/framework.yaml", "name: Health\n"),
         "shared-folder", "_health/framework.yaml", "^name: Health"),
    Case("a shared folder with a version", append("_health/framework.yaml",
         'version: "2026.1"\n'), "shared-folder", "_health/framework.yaml", "^version:"),
    Case("a shared folder extending another", append("_health/framework.yaml",
         "extends: _trust\n"), "shared-folder", "_health/framework.yaml", "^extends:"),
    Case("a shared folder with roles", write("_health/roles/porter.yaml",
         "title: Porter\ntrack: foundation\ntier: band-5\n"), "shared-folder",
         "_health/roles", None),
    Case("tiers left out of both", replace("_health/framework.yaml",
         "tiers:\n  - id: band-5\n    name: Band 5\n  - id: band-6\n    name: Band 6\n"
         "  - id: band-7\n    name: Band 7\n  - id: band-8a\n    name: Band 8a\n", ""),
         "missing-key", "nursing/framework.yaml", "^name: Nursing",
         frozenset({"unknown-tier"})),
    # rules 1-10, with the problem inside the shared folder
    Case("a tier id twice in the shared folder", replace("_health/framework.yaml",
         "  - id: band-8a\n", "  - id: band-7\n"), "duplicate-id", "_health/framework.yaml",
         "  - id: ^band-7", frozenset({"unknown-tier"}), occurrence=2),
    Case("a shared policy for an unknown track", replace("_health/framework.yaml",
         "    applies_to: pay\n", "    applies_to: pay\n    tracks: [specialst]\n"),
         "unknown-track", "_health/framework.yaml", "tracks: [^specialst]"),
    Case("a shared scale name twice", replace("_health/framework.yaml",
         "  - name: Expert\n", "  - name: Advanced\n"), "duplicate-scale-level",
         "_health/framework.yaml", "  - name: ^Advanced", frozenset({"unknown-level"}),
         occurrence=2),
    Case("falling steps in a shared band", replace("_health/salary.yaml",
         "steps: [37338, 39405, 44962]", "steps: [37338, 44962, 39405]"), "band-steps",
         "_health/salary.yaml", "steps: [37338, 44962, ^39405]"),
    Case("a shared zone with percent and amount", replace("_health/salary.yaml",
         "    amount: 2500\n", "    amount: 2500\n    percent: 5\n"), "zone-adjustment",
         "_health/salary.yaml", "    ^amount: 2500"),
    Case("an empty develop in a shared competency", replace("_health/competencies.yaml",
         "        - Take the level 3 safeguarding course.\n", "        - ' '\n"),
         "empty-statement", "_health/competencies.yaml", "        - ^' '"),
    Case("a shared competency with more levels than the scale", replace(
         "_health/competencies.yaml", "    1: Recognises signs",
         "    6: Sets policy.\n    1: Recognises signs"), "levels-beyond-scale",
         "_health/competencies.yaml", "    ^6: Sets policy.", frozenset({"level-numbering"})),
    Case("a band defined in the framework and the shared folder", write("nursing/salary.yaml",
         "bands:\n  - {tier: band-6, min: 37000, max: 45000}\n"), "duplicate-band",
         "nursing/salary.yaml", "- ^{tier: band-6"),
    Case("a text where a number belongs in a shared band", replace("_health/salary.yaml",
         "    max: 52809", "    max: 52,809"), "wrong-type", "_health/salary.yaml",
         "max: ^52,809"),
]
SHARED_RULES = {case.rule for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_mistake_is_reported_in_the_file_it_is_in(case: Case, frameworks: Path) -> None:
    case.mutation(frameworks)
    diagnostics = validate(frameworks)
    line, column = locate(frameworks / case.file, case.at, case.occurrence)
    reported = {(d.rule, d.file, d.line, d.column) for d in diagnostics}
    assert (case.rule, case.file, line, column) in reported, listing(diagnostics)
    assert {d.rule for d in diagnostics} <= {case.rule, *case.also}, listing(diagnostics)


def test_the_fixture_is_valid_under_strict(frameworks: Path) -> None:
    assert validate(frameworks) == []


def test_a_problem_in_the_shared_folder_is_reported_once_for_all_frameworks(
    frameworks: Path,
) -> None:
    replace("_health/salary.yaml", "    max: 52809", "    max: 52,809")(frameworks)
    assert [d.format_text() for d in validate(frameworks)] == [
        "_health/salary.yaml:14:10: error: the max of the band for tier band-7 should be a "
        "number, not text: write 52809, without the comma [wrong-type]"]


def test_a_collision_names_where_the_shared_entry_is(frameworks: Path) -> None:
    append("nursing/framework.yaml", "currency: GBP\n")(frameworks)
    (message,) = [d.message for d in validate(frameworks)]
    assert message == ("'currency' is already set in the shared folder "
                       "(_health/framework.yaml:5); set it in one place only (remove it "
                       "here, or there)")


def test_an_unknown_shared_folder_suggests_the_existing_one(frameworks: Path) -> None:
    replace("nursing/framework.yaml", "extends: _health", "extends: _helth")(frameworks)
    (message,) = [d.message for d in validate(frameworks)]
    assert message.endswith("; did you mean '_health'?")


def test_a_shared_folder_is_checked_on_its_own(frameworks: Path) -> None:
    append("_health/framework.yaml", "name: Health\n")(frameworks)
    result, diagnostics = validate_path(frameworks / "_health", root=frameworks)
    assert result.frameworks == []
    assert [(d.rule, d.file) for d in diagnostics] == [("shared-folder",
                                                       "_health/framework.yaml")]


def test_a_single_framework_folder_finds_its_shared_folder_beside_it(frameworks: Path) -> None:
    result, diagnostics = validate_path(frameworks / "nursing", root=frameworks)
    assert diagnostics == []
    assert [framework.id for framework in result.frameworks] == ["nursing"]


def test_both_frameworks_use_the_shared_definitions(frameworks: Path) -> None:
    loaded, _ = load_valid_frameworks(frameworks)
    nursing, allied = sorted(loaded, key=lambda framework: framework.id != "nursing")
    for framework in (nursing, allied):
        assert framework.shared is not None and framework.shared.id == "_health"
        assert framework.spec.organisation == "Riverside Health Trust"
        assert framework.spec.currency == "GBP"
        assert [tier.id for tier in framework.spec.tiers] == ["band-5", "band-6", "band-7",
                                                              "band-8a"]
        assert "communication" in framework.competency_by_id
        assert framework.zones.keys() == {"inner-london", "outer-london", "lower-cost"}
    assert [c.id for c in nursing.competencies] == ["communication", "safeguarding",
                                                    "clinical-assessment"]
    assert [p.id for p in nursing.spec.policies][:2] == ["keep-registration",
                                                        "pay-progression"]
    assert allied.expectation(allied.roles["physiotherapist"], "communication").name \
        == "Practitioner"
    assert nursing.shared.description == (
        "Career frameworks of Riverside Health Trust, on one set of pay bands.\n")


def test_a_shared_track_role_leads_into_any_track(frameworks: Path) -> None:
    loaded, _ = load_valid_frameworks(frameworks)
    nursing = next(framework for framework in loaded if framework.id == "nursing")
    staff_nurse = nursing.roles["staff-nurse"]
    assert nursing.tracks[staff_nurse.track].kind == "shared"
    assert {nursing.roles[target].track for target in staff_nurse.next} == {"specialist",
                                                                            "leadership"}
