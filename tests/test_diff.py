"""``careers diff``: the changes between two states of the frameworks, and its exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.changes import ChangeKind, ChangeSeverity, diff_frameworks, summarize
from generator.diff_report import DiffReport, render_markdown
from generator.diff_states import State
from generator.model import Framework
from generator.validation import validate_path

FRAMEWORK_YAML = """\
name: Acme Support Framework
organisation: Acme
version: "1"
currency: EUR
tiers:
  - {id: t1, name: Junior}
  - {id: t2, name: Intermediate}
  - {id: t3, name: Senior}
  - {id: t4, name: Principal}
tracks:
  - {id: ic, name: Individual Contributors, kind: individual}
  - {id: mgmt, name: Management, kind: management}
metrics:
  - {id: fcr, name: First-contact resolution, unit: percent}
policies:
  - id: quartile-gate
    text: Only first- and second-quartile performers may be promoted.
    criteria:
      - {metric: quartile, max: 2}
"""

COMPETENCIES_YAML = """\
- id: comm
  name: Communication
  levels: {1: Clear with customers., 2: Clear with everyone., 3: Teaches clarity.}
- id: craft
  name: Craft
  levels: {1: Follows the guide., 2: Improves the guide., 3: Writes the guide.}
"""

SALARY_YAML = """\
visibility: {visibility}
bands:
  - {{tier: t1, track: ic, min: 30000, mid: 33000, max: 36000}}
  - {{tier: t2, track: ic, min: 36000, mid: 40000, max: 44000}}
  - {{tier: t3, min: 44000, mid: 50000, max: 56000}}
"""

ROLES: dict[str, str] = {
    "junior": """\
title: Junior Agent
track: ic
tier: t1
entry: true
competencies: {comm: 1, craft: 1}
next: [mid]
""",
    "analyst": """\
title: Support Analyst
track: ic
tier: t1
entry: true
competencies: {craft: 1}
next: [mid]
""",
    "mid": """\
title: Agent
track: ic
tier: t2
competencies: {comm: 2, craft: 2}
criteria:
  - {metric: months_in_role, min: 12}
  - {metric: fcr, min: 85}
maintain:
  - {metric: fcr, min: 80}
next: [senior, lead]
""",
    "senior": """\
title: Senior Agent
track: ic
tier: t3
competencies: {comm: 3, craft: 3}
criteria:
  - {metric: fcr, min: 88}
""",
    "lead": """\
title: Team Lead
track: mgmt
tier: t3
competencies: {comm: 3}
""",
}


def write_framework(folder: Path, roles: dict[str, str] | None = None,
                    framework_extra: str = "", visibility: str = "public") -> Path:
    """Write the small Acme framework into ``folder/acme`` and return ``folder``."""
    root = folder / "acme"
    (root / "roles").mkdir(parents=True, exist_ok=True)
    (root / "framework.yaml").write_text(FRAMEWORK_YAML + framework_extra)
    (root / "competencies.yaml").write_text(COMPETENCIES_YAML)
    (root / "salary.yaml").write_text(SALARY_YAML.format(visibility=visibility))
    for old in (root / "roles").glob("*.yaml"):
        old.unlink()
    for role_id, text in (ROLES if roles is None else roles).items():
        (root / "roles" / f"{role_id}.yaml").write_text(text)
    return folder


def edit(folder: Path, relative: str, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) by ``new`` in a framework file."""
    path = folder / "acme" / relative
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


def load(folder: Path) -> list[Framework]:
    result, diagnostics = validate_path(folder)
    errors = [d.format_text() for d in diagnostics if d.severity == "error"]
    assert not errors, errors
    return result.frameworks


def careers(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real ``careers`` command."""
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd,
                          capture_output=True, text=True, check=False)


def change_keys(document: dict[str, Any]) -> set[tuple[str, str, str | None]]:
    return {(c["kind"], c["subject"], c["field"]) for c in document["changes"]}


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write_framework(tmp_path / "base")


@pytest.fixture
def head(tmp_path: Path) -> Path:
    return write_framework(tmp_path / "head")


def make_pull_request_changes(head: Path) -> None:
    """Rename senior -> staff (alias), raise a band, add a criterion, retire analyst with a
    successor, lower a competency level, move lead to another tier."""
    roles = head / "acme" / "roles"
    (roles / "senior.yaml").rename(roles / "staff.yaml")
    edit(head, "roles/staff.yaml", "title: Senior Agent\n",
         "title: Senior Agent\naliases: [senior]\n")
    edit(head, "roles/mid.yaml", "next: [senior, lead]", "next: [staff, lead]")
    edit(head, "salary.yaml", "{tier: t2, track: ic, min: 36000, mid: 40000, max: 44000}",
         "{tier: t2, track: ic, min: 37000, mid: 41000, max: 45000}")
    edit(head, "roles/mid.yaml", "  - {metric: fcr, min: 85}\n",
         "  - {metric: fcr, min: 85}\n  - text: Mentored a new hire through nesting.\n")
    (roles / "analyst.yaml").unlink()
    edit(head, "framework.yaml", "policies:",
         "retired:\n  - {id: analyst, replaced_by: mid, reason: Merged into Agent.}\npolicies:")
    edit(head, "roles/mid.yaml", "comm: 2", "comm: 1")
    edit(head, "roles/lead.yaml", "tier: t3", "tier: t4")


# --- the changes found -----------------------------------------------------------------------


def test_pull_request_changes_are_reported_exactly(base: Path, head: Path) -> None:
    make_pull_request_changes(head)
    result = careers("diff", str(base), str(head), "--format", "json", cwd=head.parent)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert change_keys(document) == {
        ("role-renamed", "senior", None),
        ("band-raised", "t2/ic", "band"),
        ("criterion-added", "mid", "criteria"),
        ("role-removed", "analyst", None),
        ("expectation-lowered", "mid", "comm"),
        ("role-moved", "lead", "tier"),
    }
    by_kind = {c["kind"]: c for c in document["changes"]}
    assert by_kind["role-renamed"]["role"] == "staff"
    assert by_kind["band-raised"]["old"] == {"min": 36000, "mid": 40000, "max": 44000}
    assert by_kind["band-raised"]["new"] == {"min": 37000, "mid": 41000, "max": 45000}
    assert by_kind["criterion-added"]["new"] == {"text": "Mentored a new hire through nesting."}
    assert (by_kind["role-removed"]["new"], by_kind["role-removed"]["severity"]) == ("mid", "info")
    assert (by_kind["expectation-lowered"]["old"], by_kind["expectation-lowered"]["new"]) == (2, 1)
    assert (by_kind["role-moved"]["old"], by_kind["role-moved"]["new"]) == ("t3", "t4")
    assert document["broken_links"] == 0
    assert document["summary"] == (
        "1 role removed, 1 role renamed, 2 roles changed, 1 band raised")


def test_markdown_comment_mentions_every_change(base: Path, head: Path) -> None:
    make_pull_request_changes(head)
    result = careers("diff", str(base), str(head), cwd=head.parent)
    assert result.returncode == 0, result.stderr
    comment = result.stdout
    assert comment.startswith("**1 role removed, 1 role renamed, 2 roles changed, 1 band raised**")
    assert "Renamed from `senior`" in comment
    assert "36,000 → **37,000** (+1,000, +2.8%)" in comment
    assert "Mentored a new hire through nesting" in comment
    assert "Retired, replaced by `mid`" in comment
    assert "Communication: level lowered" in comment and "level 2" in comment
    assert "Moved to another tier" in comment and "Principal" in comment
    assert "broken" not in comment.lower()


def test_identical_states_report_no_changes(base: Path, head: Path) -> None:
    assert diff_frameworks(load(base), load(head)) == []
    result = careers("diff", str(base), str(head), cwd=head.parent)
    assert (result.returncode, result.stdout.splitlines()[0]) == (0, "**No changes**")


def test_criteria_match_metrics_by_id_and_text_by_text(base: Path, head: Path) -> None:
    edit(head, "roles/mid.yaml", "{metric: fcr, min: 85}", "{metric: fcr, min: 88}")
    edit(head, "roles/mid.yaml", "maintain:\n  - {metric: fcr, min: 80}",
         "maintain:\n  - {metric: fcr, min: 80}\n  - text: Keeps quality above 80.")
    changes = diff_frameworks(load(base), load(head))
    assert [(c.kind, c.field, c.old, c.new) for c in changes] == [
        (ChangeKind.CRITERION_CHANGED, "criteria", {"metric": "fcr", "min": 85, "max": None},
         {"metric": "fcr", "min": 88, "max": None}),
        (ChangeKind.CRITERION_ADDED, "maintain", None, {"text": "Keeps quality above 80."}),
    ]
    assert changes[0].new_text == "First-contact resolution: at least 88%"


def test_path_policy_title_and_structure_changes_are_found(base: Path, head: Path) -> None:
    edit(head, "roles/junior.yaml", "title: Junior Agent", "title: Associate Agent")
    edit(head, "roles/junior.yaml", "next: [mid]", "next: [mid]\nlateral: [analyst]")
    edit(head, "roles/analyst.yaml", "next: [mid]", "next: [mid]\nlateral: [junior]")
    edit(head, "framework.yaml", "{id: t4, name: Principal}", "{id: t4, name: Expert}")
    edit(head, "framework.yaml", "{metric: quartile, max: 2}", "{metric: quartile, max: 3}")
    kinds = {(c.kind, c.subject, c.field) for c in diff_frameworks(load(base), load(head))}
    assert kinds == {
        (ChangeKind.ROLE_RETITLED, "junior", "title"),
        (ChangeKind.PATH_ADDED, "junior", "lateral"),
        (ChangeKind.PATH_ADDED, "analyst", "lateral"),
        (ChangeKind.TIER_RENAMED, "t4", "name"),
        (ChangeKind.CRITERION_CHANGED, "quartile-gate", "criteria"),
    }


def test_notes_changes_are_not_reported(base: Path, head: Path) -> None:
    edit(head, "roles/mid.yaml", "title: Agent", "title: Agent\nnotes: Review in Q3.")
    assert diff_frameworks(load(base), load(head)) == []


# --- broken recruiter links ------------------------------------------------------------------


def test_removed_role_without_alias_or_successor_is_a_broken_link(base: Path, head: Path) -> None:
    (head / "acme" / "roles" / "analyst.yaml").unlink()
    result = careers("diff", str(base), str(head), cwd=head.parent)
    assert result.returncode == 1
    assert "broken" in result.stdout.lower()
    assert "`/acme/roles/analyst/`" in result.stdout
    assert "1 broken link" in result.stdout.splitlines()[0]


def test_retired_role_without_successor_is_a_warning_not_a_failure(base: Path,
                                                                   head: Path) -> None:
    (head / "acme" / "roles" / "analyst.yaml").unlink()
    edit(head, "framework.yaml", "policies:", "retired:\n  - {id: analyst}\npolicies:")
    result = careers("diff", str(base), str(head), "--format", "json", cwd=head.parent)
    assert result.returncode == 0, result.stdout
    document = json.loads(result.stdout)
    assert [(c["kind"], c["severity"]) for c in document["changes"]] == [
        ("role-removed", "warning")]
    assert document["summary"] == "1 role removed, 1 warning"


def test_dropped_alias_is_a_broken_link(base: Path, head: Path) -> None:
    edit(base, "roles/mid.yaml", "title: Agent", "title: Agent\naliases: [agent]")
    changes = diff_frameworks(load(base), load(head))
    assert [(c.kind, c.subject, c.severity) for c in changes] == [
        (ChangeKind.ALIAS_REMOVED, "agent", ChangeSeverity.BROKEN)]


def test_removed_framework_breaks_all_its_links(base: Path) -> None:
    changes = diff_frameworks(load(base), [])
    assert [(c.kind, c.severity) for c in changes] == [
        (ChangeKind.FRAMEWORK_REMOVED, ChangeSeverity.BROKEN)]
    report = DiffReport(State("base", load(base)), State("head", []), changes)
    assert "the whole framework is removed (5 role pages)" in render_markdown(report)


# --- internal pay ----------------------------------------------------------------------------


def test_internal_band_figures_are_withheld_unless_asked(tmp_path: Path) -> None:
    base = write_framework(tmp_path / "base", visibility="internal")
    head = write_framework(tmp_path / "head", visibility="internal")
    edit(head, "salary.yaml", "mid: 50000", "mid: 52000")
    hidden = careers("diff", str(base), str(head), cwd=tmp_path)
    assert hidden.returncode == 0, hidden.stderr
    assert "withheld" in hidden.stdout and "*(internal)*" in hidden.stdout
    assert "50,000" not in hidden.stdout and "52,000" not in hidden.stdout
    as_json = json.loads(careers("diff", str(base), str(head), "--format", "json",
                                 cwd=tmp_path).stdout)
    [change] = as_json["changes"]
    assert (change["kind"], change["internal"], change["withheld"]) == (
        "band-raised", True, True)
    assert (change["old"], change["new"], change["old_text"]) == (None, None, None)
    shown = careers("diff", str(base), str(head), "--include-internal", cwd=tmp_path)
    assert "50,000 → **52,000** (+2,000, +4.0%)" in shown.stdout
    assert "*(internal)*" in shown.stdout


def test_making_pay_public_is_reported(base: Path, tmp_path: Path) -> None:
    internal = write_framework(tmp_path / "internal", visibility="internal")
    changes = diff_frameworks(load(internal), load(base))
    assert [(c.kind, c.old, c.new) for c in changes] == [
        (ChangeKind.PAY_VISIBILITY_CHANGED, "internal", "public")]


# --- input and exit codes --------------------------------------------------------------------


def test_invalid_side_prints_validation_errors_and_exits_1(base: Path, head: Path) -> None:
    edit(head, "roles/mid.yaml", "tier: t2", "tier: t9")
    result = careers("diff", str(base), str(head), cwd=head.parent)
    assert result.returncode == 1
    assert "head has errors" in result.stderr
    assert "head/acme/roles/mid.yaml:3:7: error:" in result.stderr
    assert "[unknown-tier]" in result.stderr


def test_unknown_revision_is_a_usage_error(base: Path) -> None:
    result = careers("diff", "no-such-thing", str(base), cwd=base.parent)
    assert result.returncode == 2
    assert "neither a folder nor a git revision" in result.stderr


def test_missing_base_argument_is_a_usage_error(tmp_path: Path) -> None:
    assert careers("diff", cwd=tmp_path).returncode == 2


def test_summary_line_counts_each_role_once(base: Path, head: Path) -> None:
    edit(head, "roles/mid.yaml", "comm: 2, craft: 2", "comm: 3, craft: 3")
    edit(head, "roles/mid.yaml", "title: Agent", "title: Support Agent")
    changes = diff_frameworks(load(base), load(head))
    assert len(changes) == 3
    assert summarize(changes) == "1 role changed"
    assert summarize([]) == "No changes"


# --- git revisions ---------------------------------------------------------------------------


def git(repo: Path, *args: str) -> None:
    env = os.environ | {
        "GIT_AUTHOR_NAME": "HR", "GIT_AUTHOR_EMAIL": "hr@example.org",
        "GIT_COMMITTER_NAME": "HR", "GIT_COMMITTER_EMAIL": "hr@example.org",
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with two commits: v1, then v2 raising the t3 band."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "--quiet")
    write_framework(repo / "frameworks")
    git(repo, "add", "frameworks")
    git(repo, "commit", "--quiet", "-m", "v1")
    edit(repo / "frameworks", "salary.yaml", "min: 44000, mid: 50000, max: 56000",
         "min: 45000, mid: 51000, max: 57000")
    git(repo, "commit", "--quiet", "-am", "v2")
    return repo


def test_diff_between_two_git_revisions(repo: Path) -> None:
    result = careers("diff", "HEAD~1", "HEAD", "--format", "json", cwd=repo)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert change_keys(document) == {("band-raised", "t3", "band")}
    assert document["base"].startswith("HEAD~1 (")


def test_head_defaults_to_the_working_tree(repo: Path) -> None:
    (repo / "frameworks" / "acme" / "roles" / "analyst.yaml").unlink()
    result = careers("diff", "HEAD", cwd=repo)
    assert result.returncode == 1
    assert "Comparing `HEAD (" in result.stdout
    assert "frameworks (working tree)" in result.stdout
    assert "`/acme/roles/analyst/`" in result.stdout


def test_revision_without_frameworks_folder_counts_everything_as_added(repo: Path) -> None:
    git(repo, "mv", "frameworks", "careers")
    git(repo, "commit", "--quiet", "-m", "move")
    result = careers("diff", "HEAD~2", "HEAD", "--path", "careers", "--format", "json",
                     cwd=repo)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert change_keys(document) == {("framework-added", "acme", None)}
    assert "no careers folder" in document["base"]


# --- format 1.1 fields ------------------------------------------------------------------------

V1_1 = Path(__file__).resolve().parent / "fixtures" / "v1_1"


def edit_file(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_every_format_1_1_field_change_is_reported_readably(tmp_path: Path) -> None:
    """The 1.1 fixture edited in its shared folder and its roles: each edit is one change,
    said in words, and a shared edit names every framework it reaches."""
    base, head = (Path(shutil.copytree(V1_1, tmp_path / side)) for side in ("base", "head"))
    edit_file(head / "nursing" / "roles" / "staff-nurse.yaml",
              "      - Assesses and records the observations of up to eight patients per shift.\n",
              "      - Assesses and records the observations of up to eight patients per shift.\n"
              "      - Hands over every patient with a structured summary.\n")
    edit_file(head / "_health" / "salary.yaml", "    percent: 20\n", "    percent: 25\n")
    edit_file(head / "_health" / "salary.yaml", "    mid: 49000\n", "")
    edit_file(head / "_health" / "salary.yaml", "steps: [37338, 39405, 44962]",
              "steps: [37338, 40000, 44962]")
    edit_file(head / "_health" / "salary.yaml", "zones:\n",
              "zones:\n  - id: fringe\n    name: Fringe\n    amount: 1000\n")
    edit_file(head / "_health" / "competencies.yaml", "        - Take the level 3 safeguarding "
              "course.\n", "        - Take the level 3 safeguarding course online.\n")
    edit_file(head / "_health" / "framework.yaml", "    applies_to: pay\n",
              "    applies_to: pay\n    tiers: [band-5, band-6]\n")
    edit_file(head / "_health" / "framework.yaml", "  - name: Expert\n", "  - name: Mastery\n")
    edit_file(head / "nursing" / "roles" / "ward-manager.yaml", "communication: Expert",
              "communication: Mastery")
    edit_file(head / "nursing" / "roles" / "specialist-nurse.yaml", "tier_max: band-7\n",
              "tier_max: band-8a\n")
    edit_file(head / "nursing" / "roles" / "specialist-nurse.yaml",
              "  - text: A post-registration qualification in the specialty.\n", "")
    edit_file(head / "nursing" / "roles" / "deputy-ward-manager.yaml", "advancement: vacancy",
              "advancement: review")
    edit_file(head / "nursing" / "competencies.yaml", "  category: Clinical\n",
              "  category: Core\n")
    changes = diff_frameworks(load(base), load(head))
    nursing = {(c.kind, c.subject, c.field): c for c in changes if c.framework == "nursing"}

    added = nursing[(ChangeKind.STATEMENT_ADDED, "staff-nurse", "clinical-assessment")]
    assert added.role == "staff-nurse" and added.field_text == "Clinical assessment"
    assert added.new_text == "Hands over every patient with a structured summary."
    percent = nursing[(ChangeKind.ZONE_CHANGED, "inner-london", "percent")]
    assert (percent.old, percent.new, percent.old_text, percent.new_text) == (20, 25, "20%",
                                                                              "25%")
    assert nursing[(ChangeKind.ZONE_ADDED, "fringe", "zone")].new_text == "Fringe: +1,000"
    mid = nursing[(ChangeKind.BAND_CHANGED, "band-7", "band")]
    assert mid.old["mid"] == 49000 and mid.new["mid"] is None
    steps = nursing[(ChangeKind.PAY_STEPS_CHANGED, "band-6", "steps")]
    assert steps.new_text == "37,338 · 40,000 · 44,962"
    develop = nursing[(ChangeKind.DEVELOP_CHANGED, "safeguarding", "level-3")]
    assert "course online" in develop.new_text
    scope = nursing[(ChangeKind.POLICY_CHANGED, "pay-progression", "tiers")]
    assert (scope.old_text, scope.new_text) == ("every tier", "band-5, band-6")
    assert nursing[(ChangeKind.SCALE_RENAMED, "scale-5", "name")].new == "Mastery"
    assert nursing[(ChangeKind.ROLE_MOVED, "specialist-nurse", "tier_max")].new_text == \
        "Band 8a"
    assert nursing[(ChangeKind.CRITERION_REMOVED, "specialist-nurse", "requirements")]
    assert nursing[(ChangeKind.ADVANCEMENT_CHANGED, "deputy-ward-manager",
                    "advancement")].new == "review"
    assert nursing[(ChangeKind.COMPETENCY_CHANGED, "clinical-assessment",
                    "category")].new == "Core"
    assert not any(c.kind.startswith("expectation-") for c in changes)  # Expert -> Mastery

    shared = [c for c in changes if c.kind is ChangeKind.ZONE_CHANGED]
    assert sorted(c.framework for c in shared) == ["allied-health", "nursing"]
    assert all("affects allied-health, nursing" in (c.note or "") for c in shared)
    own = nursing[(ChangeKind.STATEMENT_ADDED, "staff-nurse", "clinical-assessment")]
    assert own.note is None   # a change of one framework's own files names no others

    markdown = render_markdown(DiffReport(State("base", load(base)),
                                          State("head", load(head)), changes))
    for phrase in ("Clinical assessment: statement added", "| Percent changed | 20% | 25%",
                   "**New pay zone**", "Pay steps changed", "Highest tier changed",
                   "Criterion to be hired removed", "How people move up",
                   "level 3: ways to grow changed", "Policy tiers changed",
                   "shared definition in \\_health: affects allied-health, nursing",
                   "~~49,000~~"):
        assert phrase in markdown, phrase
    assert "2 pay zones changed" in summarize(changes) and "ways to grow" in summarize(changes)
