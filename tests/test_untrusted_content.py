"""What a pull request writes into framework files is refused with a clear message, or made
harmless (issue 11, items 7-12, 14 and 15), checked with the real ``careers`` command on a
copy of the project."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from generator.export import XLSX_CELL_LIMIT, Column, Table, export_files, to_csv, to_xlsx
from generator.validation import load_valid_frameworks
from tests.project_copy import assert_clean_failure, careers, make_project, manifest

DIAGNOSTIC = re.compile(r"\S.*:\d+:\d+: (error|warning): .* \[[a-z0-9-]+\]")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", git=False)


def demo(project: Path, name: str) -> Path:
    return project / "frameworks" / "demo" / name


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_entry_role(project: Path, role_id: str, extra: str = "") -> Path:
    path = demo(project, f"roles/{role_id}.yaml")
    path.write_text("title: Trainee\ntrack: frontline\ntier: t1\nentry: true\n"
                    f"competencies:\n  call-resolution: 1\n{extra}", encoding="utf-8")
    return path


# --- item 7: CSV cells that become formulas after splitting on ; or tab ---------------------


def cells(text: str, delimiter: str, quoting: int = csv.QUOTE_MINIMAL) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter, quoting=quoting)
            for cell in row]


@pytest.mark.parametrize("title", ["Agent;=2+5;x", "Agent,=2+5", "Agent\t@SUM(A1)",
                                   "Lead; -1+1", "=1+1"])
def test_no_csv_cell_is_a_formula_whatever_the_separator(title: str) -> None:
    table = Table("Roles", "roles", [Column("Title")], rows=[[title]])
    text = to_csv(table)
    for delimiter in (",", ";", "\t"):
        for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_NONE):  # a reader that ignores quotes
            found = cells(text, delimiter, quoting)
            assert not any(cell.lstrip(' "').startswith(("=", "+", "-", "@")) for cell in found), \
                (delimiter, quoting, found)
    assert cells(text, ",")[1].replace("'", "") == title  # the text itself is kept


def test_the_site_downloads_defuse_a_title_split_on_semicolons(project: Path) -> None:
    edit(demo(project, "roles/team-lead.yaml"), "title: Team Lead", "title: Agent;=2+5;x")
    run = careers(project, "build")
    assert run.returncode == 0, run.stderr
    roles = (project / "site" / "demo" / "downloads" / "demo-roles.csv").read_text(
        encoding="utf-8-sig")
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells(roles, ";"))
    assert "Agent;'=2+5;x" in cells(roles, ",")


# --- item 15: XLSX cells within the limit ---------------------------------------------------


def test_an_xlsx_cell_never_exceeds_the_spreadsheet_limit(tmp_path: Path) -> None:
    table = Table("Roles", "roles", [Column("Summary")], rows=[["x" * 40_000]])
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx([table])))
    value = workbook.active["A2"].value
    assert len(value) == XLSX_CELL_LIMIT and value.endswith("…")


def test_many_long_examples_of_a_level_fit_one_workbook_cell(project: Path) -> None:
    examples = "".join(f"      - {'Example ' + str(n) + ' ' + 'e' * 1_900}\n" for n in range(20))
    edit(demo(project, "competencies.yaml"), "    2: Resolves every call type independently.\n",
         f"    2:\n      text: Resolves every call type independently.\n      examples:\n"
         f"{examples}")
    frameworks, _ = load_valid_frameworks(project / "frameworks", project)
    workbook = openpyxl.load_workbook(io.BytesIO(export_files(frameworks[0], "xlsx")["demo.xlsx"]))
    longest = max(len(str(cell.value)) for sheet in workbook.worksheets
                  for row in sheet.iter_rows() for cell in row if cell.value is not None)
    assert longest == XLSX_CELL_LIMIT


# --- item 8: YAML 1.1 numbers ---------------------------------------------------------------


@pytest.mark.parametrize(("written", "words"), [
    ("031000", "'031000' starts with 0, so YAML reads it as the octal number 12,800; "
               "write 31000, or quote it"),
    ("0b11", "'0b11' is read by YAML as the binary number 3; write 3, or quote it"),
    ("1:30", "'1:30' is read by YAML as 90 (a number counted in sixties); write 90"),
])
def test_a_yaml_1_1_number_is_refused_where_it_is_written(project: Path, written: str,
                                                          words: str) -> None:
    edit(demo(project, "salary.yaml"), "    min: 34000", f"    min: {written}")
    run = careers(project, "validate", "frameworks")
    assert run.returncode == 1
    assert f"frameworks/demo/salary.yaml:4:10: error: {words}" in run.stdout
    assert "[yaml-number]" in run.stdout


# --- item 9: a linked framework folder ------------------------------------------------------


def test_a_framework_folder_linked_to_etc_is_one_error_and_links_up_are_named_right(
        project: Path) -> None:
    frameworks = project / "frameworks"
    (frameworks / "etc").symlink_to("/etc", target_is_directory=True)
    (frameworks / "here").symlink_to(".", target_is_directory=True)
    (frameworks / "up").symlink_to("..", target_is_directory=True)

    run = careers(project, "validate", "frameworks")

    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert [line.split(": error: ")[0] for line in lines] == [
        "frameworks/etc:1:1", "frameworks/here:1:1", "frameworks/up:1:1"]
    assert all(line.endswith("[unsafe-path]") for line in lines)
    assert "link to '/etc', outside the frameworks folder" in lines[0]


# --- item 10: output amplification -----------------------------------------------------------


def test_huge_titles_are_refused_before_anything_is_rendered(project: Path) -> None:
    for number in range(20):
        add_entry_role(project, f"huge-{number}").write_text(
            f"title: {'T' * 500_000}\ntrack: frontline\ntier: t1\nentry: true\n"
            "competencies:\n  call-resolution: 1\n", encoding="utf-8")

    run = careers(project, "build")

    assert_clean_failure(run, "'title' is 500,000 characters long; a name may have 200 at most",
                         "[too-long]")
    assert not (project / "site").exists()
    assert sum(len(text) for text in manifest(project / "generated").values()) < 10_000


def base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, digit = divmod(number, 36)
        text = digits[digit] + text
        if not number:
            return "x" + text


def test_a_hundred_thousand_aliases_are_refused_before_any_redirect_is_written(
        project: Path) -> None:
    aliases = ", ".join(base36(number) for number in range(120_000))  # within the 1 MB limit
    edit(demo(project, "roles/csr-2.yaml"), "aliases: [csr-ii]\n", f"aliases: [{aliases}]\n")

    run = careers(project, "build")

    assert_clean_failure(run, "'aliases' holds 120,000 items; at most 50 are allowed",
                         "[too-many]")
    assert not (project / "site").exists()
    assert len(manifest(project / "generated")) < 10


# --- items 11 and 12: ids too long for a file name, ids the site uses -----------------------


def test_an_id_too_long_for_a_file_name_stops_build_and_maps_cleanly(project: Path) -> None:
    role_id = "r" * 250
    add_entry_role(project, role_id)
    for command in (["build"], ["maps", "--path", "frameworks"]):
        run = careers(project, *command)
        assert_clean_failure(run, f"roles/{role_id}.yaml:1:1: error: the role id (the file "
                                  f"name) '{'r' * 24}...' is 250 characters long",
                             "[id-too-long]")
    assert not (project / "site").exists()


def test_a_role_called_index_is_refused_with_the_reason(project: Path) -> None:
    add_entry_role(project, "index")
    run = careers(project, "validate", "frameworks")
    assert run.returncode == 1
    assert ("frameworks/demo/roles/index.yaml:1:1: error: the role id (the file name) 'index' "
            "is a name the site uses for the framework's overview, and under roles/ the list "
            "of its roles, so the role's page could not be reached") in run.stdout
    assert "[reserved-id]" in run.stdout


# --- item 14: a duplicate key through an alias ----------------------------------------------


def test_a_duplicate_key_through_an_alias_is_reported_at_the_alias(project: Path) -> None:
    role = demo(project, "roles/team-lead.yaml")
    role.write_text("&k title: Team Lead\ntrack: leadership\ntier: t2\ncompetencies:\n"
                    "  call-resolution: 2\n*k : Another title\n", encoding="utf-8")
    run = careers(project, "validate", "frameworks")
    assert run.returncode == 1
    assert ("frameworks/demo/roles/team-lead.yaml:6:1: error: the key 'title' appears twice in "
            "this mapping through the alias *k (first on line 1)") in run.stdout


# --- item 15: strict warnings, names with control characters --------------------------------


def test_build_strict_prints_the_warning_that_stops_it(project: Path) -> None:
    role = demo(project, "roles/team-lead.yaml")
    edit(role, "competencies:\n  call-resolution: 2\n", "")
    run = careers(project, "build", "--strict")
    assert run.returncode == 1
    assert re.search(r"team-lead\.yaml:\d+:\d+: warning: .*\[no-competencies\]", run.stderr), \
        run.stderr
    assert "Aborted with 1 warnings in strict mode" in run.stderr


@pytest.mark.parametrize("name", ["evil\x1b[31mred.yaml", "two\nlines.yaml", "bell\x07.yaml"])
def test_a_file_name_with_control_characters_is_printed_escaped(project: Path,
                                                                name: str) -> None:
    shutil.copy(demo(project, "roles/team-lead.yaml"), demo(project, f"roles/{name}"))
    run = careers(project, "validate", "frameworks")
    assert run.returncode == 1
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", run.stdout + run.stderr)
    assert all(DIAGNOSTIC.fullmatch(line) for line in run.stdout.splitlines()), run.stdout
    escaped = name.encode("unicode_escape").decode("ascii").replace("\\\\", "\\")
    assert escaped in run.stdout
