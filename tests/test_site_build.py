"""Whole-site builds: what an internal audience keeps out, and what an invalid framework stops."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.loading import COMPETENCIES_FILE, FRAMEWORK_FILE, SALARY_FILE
from generator.safe_paths import SITE_MARKER
from tests.conftest import Careers
from tests.site_fixtures import (
    EXAMPLE_FRAMEWORKS,
    EXAMPLES,
    SiteReader,
    broken_links,
    build_site_with_mkdocs,
    copy_examples,
    write_config,
)

SECRET = "SECRET-NOTE-"


def unmistakable(figure: int) -> int:
    """A pay figure of the internal copy: ``41000`` becomes ``410007`` (``410,007``).

    The order of figures is kept, so the bands stay valid, and no SVG coordinate or
    other number of a page looks like it (coordinates are small, never ``,007``).
    """
    return figure * 10 + 7


# --- helpers ----------------------------------------------------------------------------------


class NoteWriter:
    """Puts a distinct ``notes:`` on every mapping kind of the format."""

    def __init__(self) -> None:
        self.counter = itertools.count(1)
        self.kinds: set[str] = set()

    def note(self, mapping: dict[str, Any], kind: str) -> None:
        mapping["notes"] = f"{SECRET}{next(self.counter)}-{kind}"
        self.kinds.add(kind)

    def criteria(self, items: list[dict[str, Any]]) -> None:
        for criterion in items:
            self.note(criterion, "criterion")

    def framework(self, data: dict[str, Any]) -> None:
        self.note(data, "framework")
        for key, kind in (("tiers", "tier"), ("tracks", "track"), ("metrics", "metric"),
                          ("policies", "policy"), ("retired", "retired")):
            for item in data.get(key, []):
                self.note(item, kind)
        for policy in data.get("policies", []):
            self.criteria(policy.get("criteria", []))

    def competencies(self, data: list[dict[str, Any]]) -> None:
        for competency in data:
            self.note(competency, "competency")
            for number, level in competency["levels"].items():
                level = level if isinstance(level, dict) else {"text": level}
                self.note(level, "level")
                competency["levels"][number] = level

    def salary(self, data: dict[str, Any]) -> None:
        data["visibility"] = "internal"
        self.note(data, "salary")
        for band in data["bands"]:
            self.note(band, "band")
            for key in ("min", "mid", "max"):
                band[key] = unmistakable(band[key])

    def role(self, data: dict[str, Any]) -> None:
        self.note(data, "role")
        self.criteria(data.get("criteria", []))
        self.criteria(data.get("maintain", []))


def rewrite(path: Path, change: Any) -> Any:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return data


def make_internal(folder: Path) -> tuple[NoteWriter, list[int]]:
    """Notes everywhere and internal pay in the framework at ``folder``; return the figures."""
    writer = NoteWriter()
    rewrite(folder / FRAMEWORK_FILE, writer.framework)
    rewrite(folder / COMPETENCIES_FILE, writer.competencies)
    salary = rewrite(folder / SALARY_FILE, writer.salary)
    for role_file in sorted((folder / "roles").glob("*.yaml")):
        rewrite(role_file, writer.role)
    figures = [band[key] for band in salary["bands"] for key in ("min", "mid", "max")]
    return writer, figures


def readable_bytes(path: Path) -> bytes:
    """A file's bytes; for a PDF, the text of its pages too (PDF streams are compressed)."""
    content = path.read_bytes()
    if path.suffix == ".pdf":
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                              check=True, timeout=60).stdout
        content += b"\n" + text
    return content


def files_containing(root: Path, needles: list[bytes | re.Pattern[bytes]]) -> list[str]:
    """``file: needle`` for every needle (text or pattern) found in a file below ``root``."""
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        content = readable_bytes(path)
        for needle in needles:
            if isinstance(needle, re.Pattern):
                found += [f"{path.relative_to(root)}: {match.group().decode()}"
                          for match in needle.finditer(content)]
            elif needle in content:
                found.append(f"{path.relative_to(root)}: {needle.decode()}")
    return found


def figures_pattern(figures: set[int]) -> re.Pattern[bytes]:
    """Any of ``figures`` written plainly or with thousands separators, as a whole number."""
    spellings = [spelling.encode() for figure in sorted(figures)
                 for spelling in (str(figure), f"{figure:,}",
                                  f"{figure:,}".replace(",", "\u202f"))]
    alternatives = b"|".join(re.escape(spelling) for spelling in spellings)
    return re.compile(rb"(?<![\d.])(?:" + alternatives + rb")(?![\d])")


# --- audiences --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def internal_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, NoteWriter, list[int]]:
    work = tmp_path_factory.mktemp("internal")
    frameworks = copy_examples(work / "frameworks")
    writer, figures = NoteWriter(), []
    for name in EXAMPLE_FRAMEWORKS:
        folder_writer, folder_figures = make_internal(frameworks / name)
        writer.kinds |= folder_writer.kinds
        figures += folder_figures
    site = build_site_with_mkdocs(work / "site", work, frameworks, maps=True)  # PDFs too
    return site, writer, figures


def test_internal_copy_has_notes_on_every_mapping_kind(internal_site):
    _site, writer, _figures = internal_site
    assert writer.kinds == {"framework", "tier", "track", "metric", "policy", "retired",
                            "criterion", "competency", "level", "salary", "band", "role"}


def test_no_file_of_the_site_contains_a_note(internal_site):
    site, _writer, _figures = internal_site
    assert (site / "engineering" / "roles" / "senior-engineer" / "index.html").is_file()
    roles = [path for name in EXAMPLE_FRAMEWORKS for path in (EXAMPLES / name).glob("roles/*")]
    assert len(list(site.glob("*/maps/*.pdf"))) == len(roles), "the PDF maps are checked too"
    assert files_containing(site, [SECRET.encode()]) == []


def test_no_file_of_the_site_contains_an_internal_pay_figure(internal_site):
    site, _writer, figures = internal_site
    assert files_containing(site, [figures_pattern(set(figures))]) == []


def test_internal_pay_leaves_no_pay_page_link_or_salary_data(internal_site):
    site, _writer, _figures = internal_site
    for name in EXAMPLE_FRAMEWORKS:
        assert not (site / name / "pay").exists()
        overview = (site / name / "index.html").read_text(encoding="utf-8")
        assert 'href="pay/"' not in overview and "/pay/" not in overview
        role = (site / name / "roles" / next((EXAMPLES / name / "roles").glob("*.yaml")).stem
                / "index.html").read_text(encoding="utf-8")
        assert "estimatedSalary" not in role
        assert 'id="pay"' not in role
        assert '"salary": null' in (site / name / "framework.json").read_text(encoding="utf-8")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/pay/" not in sitemap


def example_notes() -> list[str]:
    """Every ``notes:`` value the example frameworks hold."""
    notes: list[str] = []

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            notes.extend(str(v) for k, v in value.items() if k == "notes")
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for path in EXAMPLES.rglob("*.yaml"):
        collect(yaml.safe_load(path.read_text(encoding="utf-8")))
    return notes


def test_public_example_site_contains_none_of_the_example_notes(example_site: Path):
    notes = example_notes()
    assert len(notes) >= 5, "the examples should show notes being kept internal"
    assert files_containing(example_site, [note.encode() for note in notes]) == []


# --- invalid frameworks -----------------------------------------------------------------------


@pytest.fixture
def broken_project(tmp_path: Path) -> Path:
    """A project whose contact-centre framework has two errors; its site folder exists."""
    frameworks = copy_examples(tmp_path / "frameworks", "contact-centre")
    role = frameworks / "contact-centre" / "roles" / "csr-2.yaml"
    text = role.read_text(encoding="utf-8")
    text = text.replace("track: frontline", "track: frontlne", 1)
    text = re.sub(r"call-resolution: (\d)", r"call-reslution: \1", text, count=1)
    role.write_text(text, encoding="utf-8")
    write_config(tmp_path, frameworks)
    site = tmp_path / "site"
    (site / "contact-centre").mkdir(parents=True)
    (site / SITE_MARKER).write_text("", encoding="utf-8")  # a site careers build made
    (site / "index.html").write_text("previous site", encoding="utf-8")
    (site / "contact-centre" / "index.html").write_text("previous overview", encoding="utf-8")
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*") if p.is_file()}


def diagnostic_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(r"\S+:\d+:\d+: error: ", line)]


def test_invalid_framework_stops_careers_build_with_the_validate_messages(
        broken_project: Path, careers: Careers):
    validate = careers("validate", "frameworks", cwd=broken_project)
    expected = diagnostic_lines(validate.stdout)
    assert validate.returncode == 1 and len(expected) == 2
    assert "csr-2.yaml:" in expected[0]
    before = snapshot(broken_project / "site")

    build = careers("build", "--config", "mkdocs.yml", "--site-dir", "site", cwd=broken_project)

    assert build.returncode == 1
    assert diagnostic_lines(build.stderr) == expected
    assert "Traceback" not in build.stderr + build.stdout
    assert "previous site is unchanged" in build.stderr
    assert snapshot(broken_project / "site") == before
    assert [p.name for p in broken_project.iterdir() if p.name.startswith(".site")] == [], \
        "the staging folder is cleaned up"


def test_invalid_framework_stops_plain_mkdocs_and_careers_render(broken_project: Path,
                                                                 careers: Careers):
    expected = diagnostic_lines(careers("validate", "frameworks", cwd=broken_project).stdout)
    plain = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml"],
                           cwd=broken_project, capture_output=True, text=True, timeout=60,
                           check=False)
    assert plain.returncode == 1
    assert diagnostic_lines(plain.stderr) == expected
    assert "Traceback" not in plain.stderr
    render = careers("render", "--project", ".", "--out", "out", cwd=broken_project)
    assert render.returncode == 1
    assert diagnostic_lines(render.stderr) == expected
    assert "Traceback" not in render.stderr


def test_careers_build_replaces_the_previous_site_when_valid(tmp_path: Path, careers: Careers):
    frameworks = copy_examples(tmp_path / "frameworks", "engineering")
    write_config(tmp_path, frameworks)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / SITE_MARKER).write_text("", encoding="utf-8")
    (tmp_path / "site" / "stale.html").write_text("old", encoding="utf-8")

    build = careers("build", "--config", "mkdocs.yml", "--site-dir", "site", cwd=tmp_path)

    assert build.returncode == 0, build.stderr
    assert not (tmp_path / "site" / "stale.html").exists()
    assert (tmp_path / "site" / "engineering" / "roles" / "staff-engineer" / "index.html").is_file()


def test_every_link_of_every_page_of_the_example_site_leads_somewhere(site: SiteReader) -> None:
    assert broken_links(site) == []
