"""A framework that uses every field of format 1.1 goes through every command without a
traceback: validate, build (with printable maps), export and diff.

How the new fields are shown is tested where each output is built; this checks that
none of them breaks a command, and that what version 1 showed stays right (no midpoint
where there is none, the pay step at the minimum).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import Careers
from tests.site_fixtures import REPO, plugins_with, project_config

V1_1 = Path(__file__).resolve().parent / "fixtures" / "v1_1"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 1.1 fixture built by ``careers build`` with printable maps."""
    work = tmp_path_factory.mktemp("format-1-1")
    frameworks = Path(shutil.copytree(V1_1, work / "frameworks"))
    config = project_config()
    config["docs_dir"] = str(REPO / config.get("docs_dir", "docs"))
    config["plugins"] = plugins_with(frameworks, work / "generated", maps=True)
    (work / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "generator", "build", "--config", "mkdocs.yml",
                          "--site-dir", "site"], cwd=work, capture_output=True, text=True,
                         timeout=600, check=False)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    return work


def test_the_framework_using_every_1_1_field_is_valid_under_strict(careers: Careers) -> None:
    run = careers("validate", "--strict", V1_1)
    assert run.returncode == 0, run.stdout + run.stderr


def test_it_builds_every_page_and_printable_map(built: Path) -> None:
    site = built / "site"
    for page in ("nursing/roles/specialist-nurse/index.html", "nursing/pay/index.html",
                 "nursing/competencies/index.html", "nursing/tracks/foundation/index.html",
                 "allied-health/roles/physiotherapist/index.html", "nursing/compare/index.html",
                 "nursing/assess/index.html", "nursing/policies/index.html"):
        assert (site / page).is_file(), page
    maps = sorted(path.name for path in (site / "nursing" / "maps").glob("*.pdf"))
    assert maps == ["deputy-ward-manager.pdf", "specialist-nurse.pdf", "staff-nurse.pdf",
                    "ward-manager.pdf"]
    assert not (site / "_health").exists()   # a shared folder is never published


def staff_nurse_page(built: Path) -> str:
    """The generated Markdown of the staff nurse's role page."""
    return (built / "generated" / "nursing" / "roles" / "staff-nurse" / "index.md").read_text(
        "utf-8")


def test_a_band_without_midpoint_shows_no_midpoint(built: Path) -> None:
    page = staff_nurse_page(built)
    assert "GBP 29,970 – 36,483" in page
    assert "midpoint" not in page.lower()
    assert "+GBP 7,368 at the minimum (+25%)" in page   # 37,338 - 29,970


def test_a_level_without_text_shows_the_scale_description(built: Path) -> None:
    page = staff_nurse_page(built)
    assert "Uses it in routine work with occasional guidance." in page   # Working knowledge


def test_the_tools_data_has_every_scale_level_of_a_competency_without_levels(
    built: Path,
) -> None:
    data = json.loads((built / "site" / "allied-health" / "tools.json").read_text("utf-8"))
    therapy = next(c for c in data["competencies"] if c["id"] == "therapy-planning")
    assert [level["level"] for level in therapy["levels"]] == [1, 2, 3, 4, 5]
    assert therapy["levels"][2]["text"] == "Applies it unaided in their own work."


def test_it_exports_and_diffs(tmp_path: Path, careers: Careers) -> None:
    exported = careers("export", "--format", "csv", "--path", V1_1, "--out", tmp_path / "out")
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "out" / "nursing-expected-behaviour.csv").is_file()
    head = Path(shutil.copytree(V1_1, tmp_path / "head"))
    role = head / "nursing" / "roles" / "ward-manager.yaml"
    role.write_text(role.read_text("utf-8").replace("title: Ward Manager",
                                                    "title: Ward Sister"), "utf-8")
    salary = head / "_health" / "salary.yaml"   # a band without midpoint raised
    salary.write_text(salary.read_text("utf-8").replace("max: 36483", "max: 37000"), "utf-8")
    diffed = careers("diff", V1_1, head, "--path", V1_1)
    assert diffed.returncode == 0 and "Traceback" not in diffed.stderr, diffed.stderr
    assert "Ward Sister" in diffed.stdout
    assert "36,483 → **37,000**" in diffed.stdout
