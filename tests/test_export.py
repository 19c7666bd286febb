"""Spreadsheet export: ``careers export`` and the site's downloads (CSV and xlsx)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from generator.export import CSV_ENCODING, export_files, framework_tables, to_csv, to_xlsx
from generator.model import Framework
from generator.validation import load_valid_frameworks
from tests.conftest import REPO, Careers
from tests.site_fixtures import EXAMPLES

SITE_URL = "https://careers.example.org/"


@pytest.fixture(scope="module")
def examples() -> dict[str, Framework]:
    frameworks, _ = load_valid_frameworks(EXAMPLES, REPO)
    return {framework.id: framework for framework in frameworks}


def load_framework(folder: Path) -> Framework:
    frameworks, _ = load_valid_frameworks(folder)
    return frameworks[0]


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(CSV_ENCODING), newline="")))


def test_xlsx_has_one_sheet_per_table_with_frozen_headers(examples: dict[str, Framework]) -> None:
    framework = examples["contact-centre"]
    data = export_files(framework, "xlsx", SITE_URL)["contact-centre.xlsx"]
    workbook = openpyxl.load_workbook(io.BytesIO(data))

    assert workbook.sheetnames == ["Competency matrix", "Expected behaviour", "Roles", "Bands",
                                   "Zones", "Policies"]  # the last two: format 1.1 fields it uses
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes is not None and sheet.freeze_panes.endswith("2")
        assert all(cell.font.bold for cell in sheet[1])
    roles = workbook["Roles"]
    assert roles.max_row == len(framework.roles) + 1
    headers = [cell.value for cell in roles[1]]
    assert headers[:6] == ["Role id", "Title", "Track", "Track kind", "Tier rank", "Tier"]
    by_id = {row[0]: dict(zip(headers, row, strict=True))
             for row in roles.iter_rows(min_row=2, values_only=True)}
    assert by_id["csr-2"]["Title"] == "Customer Service Representative II"
    assert by_id["csr-2"]["Band min"] == 41000
    assert by_id["csr-2"]["URL"] == "https://careers.example.org/contact-centre/roles/csr-2/"


def test_xlsx_column_widths_fit_the_text_within_limits(examples: dict[str, Framework]) -> None:
    data = export_files(examples["engineering"], "xlsx")["engineering.xlsx"]
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Expected behaviour"]
    widths = {cell.value: sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]}

    assert widths["Level"] < widths["Role"] < widths["Behaviour"] <= 70
    assert all(width >= 6 for width in widths.values())
    assert sheet.cell(row=2, column=8).alignment.wrap_text


def test_competency_matrix_lists_every_role_with_its_levels(
        examples: dict[str, Framework]) -> None:
    framework = examples["contact-centre"]
    data = export_files(framework, "xlsx")["contact-centre.xlsx"]
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Competency matrix"]
    headers = [cell.value for cell in sheet[1]]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    role = framework.roles["csr-2"]

    assert headers[4:] == [competency.name for competency in framework.competencies]
    assert set(rows) == set(framework.roles)
    for competency in framework.competencies:
        assert rows["csr-2"][headers.index(competency.name)] == role.competencies.get(
            competency.id)


def test_expected_behaviour_gives_the_text_and_examples_of_each_level(
        examples: dict[str, Framework]) -> None:
    framework = examples["contact-centre"]
    table = next(t for t in framework_tables(framework) if t.slug == "expected-behaviour")
    rows = [dict(zip(table.headers, row, strict=True)) for row in table.rows]
    csr3 = {row["Competency id"]: row for row in rows if row["Role id"] == "csr-3"}
    level = framework.competency_by_id["call-resolution"].levels[csr3["call-resolution"]["Level"]]

    assert len(rows) == sum(len(role.competencies) for role in framework.roles.values())
    assert csr3["call-resolution"]["Behaviour"] == level.text
    assert csr3["call-resolution"]["Examples"] == "\n".join(level.examples)


def test_csv_round_trips_through_the_csv_module(examples: dict[str, Framework]) -> None:
    for framework in examples.values():
        files = export_files(framework, "csv", SITE_URL)
        for table in framework_tables(framework, SITE_URL):
            rows = read_csv(files[f"{framework.id}-{table.slug}.csv"])
            expected = [["" if value is None else str(value) for value in row]
                        for row in table.rows]
            assert rows == [table.headers, *expected]


def test_csv_keeps_line_breaks_commas_and_quotes_inside_cells() -> None:
    from generator.export import Column, Table

    table = Table("T", "t", [Column("A"), Column("B")],
                  rows=[['He said "yes", twice', "line one\nline two"], [1, 2.5]])
    assert list(csv.reader(io.StringIO(to_csv(table), newline=""))) == [
        ["A", "B"], ['He said "yes", twice', "line one\nline two"], ["1", "2.5"]]


def test_text_that_looks_like_a_formula_stays_text() -> None:
    from generator.export import Column, Table

    table = Table("T", "t", [Column("Text")], rows=[["=HYPERLINK(\"http://x\")"]])
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx([table]))).active

    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == "=HYPERLINK(\"http://x\")"
    assert list(csv.reader(io.StringIO(to_csv(table))))[1] == ["'=HYPERLINK(\"http://x\")"]


def test_xlsx_is_byte_for_byte_reproducible(examples: dict[str, Framework]) -> None:
    framework = examples["engineering"]
    assert export_files(framework, "xlsx") == export_files(framework, "xlsx")


def test_bands_and_notes_stay_out_when_pay_is_internal(tiny_framework: Path) -> None:
    salary = tiny_framework / "salary.yaml"
    salary.write_text(salary.read_text().replace("visibility: public", "visibility: internal"))
    role = tiny_framework / "roles" / "csr-2.yaml"
    role.write_text(role.read_text() + "notes: SECRET-NOTE-42\n")
    framework = load_framework(tiny_framework)

    xlsx = openpyxl.load_workbook(io.BytesIO(export_files(framework, "xlsx")["demo.xlsx"]))
    csv_files = export_files(framework, "csv")

    assert "Bands" not in xlsx.sheetnames
    assert "demo-bands.csv" not in csv_files
    roles_header = read_csv(csv_files["demo-roles.csv"])[0]
    assert not any(header.startswith("Band") for header in roles_header)
    everything = b"".join(csv_files.values()).decode(CSV_ENCODING)
    assert "SECRET-NOTE" not in everything
    assert "34000" not in everything and "34,000" not in everything
    for sheet in xlsx.worksheets:
        values = [value for row in sheet.iter_rows(values_only=True) for value in row]
        assert 34000 not in values and not any("SECRET" in str(v) for v in values)


def test_careers_export_writes_csv_files_for_one_framework(
        careers: Careers, tmp_path: Path) -> None:
    result = careers("export", "--format", "csv", "--framework", "engineering",
                     "--out", tmp_path / "out", "--site-url", SITE_URL)

    assert result.returncode == 0, result.stderr
    names = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert names == ["engineering-bands.csv", "engineering-competency-matrix.csv",
                     "engineering-expected-behaviour.csv", "engineering-policies.csv",
                     "engineering-roles.csv", "engineering-scale.csv", "engineering-zones.csv"]
    roles = read_csv((tmp_path / "out" / "engineering-roles.csv").read_bytes())
    assert roles[0][0] == "Role id"
    url = roles[0].index("URL")
    assert all(row[url].startswith(SITE_URL + "engineering/roles/") for row in roles[1:])


def test_careers_export_writes_one_workbook_per_framework(
        careers: Careers, tmp_path: Path) -> None:
    result = careers("export", "--format", "xlsx", "--out", tmp_path)

    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == [
        "allied-health.xlsx", "contact-centre.xlsx", "engineering.xlsx", "nursing.xlsx"]
    roles = openpyxl.load_workbook(tmp_path / "contact-centre.xlsx")["Roles"]
    assert roles.cell(row=2, column=15).value.startswith(SITE_URL)  # site_url of mkdocs.yml


def test_careers_export_of_an_unknown_framework_is_a_usage_error(
        careers: Careers, tmp_path: Path) -> None:
    result = careers("export", "--framework", "sales", "--out", tmp_path)

    assert result.returncode == 2
    assert "no framework 'sales'" in result.stderr
    assert not list(tmp_path.iterdir())


def test_careers_export_of_an_invalid_framework_reports_and_fails(
        careers: Careers, tiny_framework: Path, tmp_path: Path) -> None:
    role = tiny_framework / "roles" / "csr-1.yaml"
    role.write_text(role.read_text().replace("track: frontline", "track: frontlin"))

    result = careers("export", "--path", tiny_framework.parent, "--out", tmp_path / "out")

    assert result.returncode == 1
    assert "csr-1.yaml:2:8: error:" in result.stderr
    assert not (tmp_path / "out").exists()


def test_site_downloads_open_and_match_the_export(example_site: Path,
                                                   examples: dict[str, Framework]) -> None:
    downloads = example_site / "contact-centre" / "downloads"
    workbook = openpyxl.load_workbook(downloads / "contact-centre.xlsx")

    assert workbook.sheetnames == ["Competency matrix", "Expected behaviour", "Roles", "Bands",
                                   "Zones", "Policies"]  # the last two: format 1.1 fields it uses
    expected = export_files(examples["contact-centre"], "csv", SITE_URL)
    for name, content in expected.items():
        assert (downloads / name).read_bytes() == content


# --- format 1.1 fields ------------------------------------------------------------------------

V1_1 = Path(__file__).resolve().parent / "fixtures" / "v1_1"


def test_the_export_holds_every_format_1_1_field_and_stays_formula_safe() -> None:
    frameworks, _ = load_valid_frameworks(V1_1)
    nursing = next(framework for framework in frameworks if framework.id == "nursing")
    files = export_files(nursing, "csv")
    assert sorted(files) == sorted(f"nursing-{slug}.csv" for slug in (
        "competency-matrix", "expected-behaviour", "roles", "bands", "zones", "scale",
        "policies"))

    def table(slug: str) -> list[dict[str, str]]:
        header, *rows = read_csv(files[f"nursing-{slug}.csv"])
        return [dict(zip(header, row, strict=True)) for row in rows]

    behaviour = {(row["Role id"], row["Competency id"]): row for row in table("expected-behaviour")}
    staff = behaviour[("staff-nurse", "clinical-assessment")]
    assert staff["Statements"] == ("Assesses and records the observations of up to eight "
                                   "patients per shift.")
    assert staff["Role's own statements"] == "yes" and staff["Level name"] == "Working knowledge"
    assert staff["Examples"] == "Recognises a deteriorating patient and calls the outreach team."
    assert behaviour[("ward-manager", "clinical-assessment")]["Develop"] == \
        "Complete the advanced clinical practice module."
    assert [row["Category"] for row in table("expected-behaviour")][:3] == ["Core", "Core",
                                                                       "Clinical"]

    roles = {row["Role id"]: row for row in table("roles")}
    specialist = roles["specialist-nurse"]
    assert specialist["Highest tier"] == "Band 7" and specialist["Advancement"] == "review"
    assert specialist["Band min"] == "37338" and specialist["Band max"] == "52809"
    assert specialist["Band mid"] == ""   # no midpoint over two bands
    assert specialist["Requirements"].splitlines() == [
        "A post-registration qualification in the specialty.",
        "Time on the professional register: at least 24 months"]
    assert roles["staff-nurse"]["Pay steps"] == "29970 32324 34581 36483"

    bands = table("bands")
    assert {row["Zone"] for row in bands} == {"", "Inner London"}
    assert bands[0]["Steps"] == "29970 32324 34581 36483" and bands[0]["Mid"] == ""
    zones = {(row["Zone id"], row["Tier"]): row for row in table("zones")}
    assert zones[("inner-london", "Band 5")]["Min"] == "36000"   # the zone's own band
    assert zones[("inner-london", "Band 5")]["Band named for the zone"] == "yes"
    assert zones[("inner-london", "Band 6")]["Min"] == str(37338 + 7000)  # 20%, at most 7,000
    assert zones[("lower-cost", "Band 5")]["Percent"] == "-15"
    assert [row["Name"] for row in table("scale")][2] == "Practitioner"
    policies = {row["Policy id"]: row for row in table("policies")}
    assert policies["tenure-before-leaving"]["Applies to"] == "leaving"
    assert (policies["tenure-before-leaving"]["Tracks"],
            policies["tenure-before-leaving"]["Tiers"]) == ("foundation", "band-5")
    assert policies["senior-panel"]["Roles"] == "ward-manager"
    # A negative zone percent is a number cell; text starting with "-" would be defused.
    assert to_csv(framework_tables(nursing)[4]).count("'-") == 0
