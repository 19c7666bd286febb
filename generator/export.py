"""Spreadsheet export of a framework: the competency matrix, the roles and the pay bands.

The same tables become CSV files (one per table) and one ``.xlsx`` workbook (one sheet
per table, frozen header rows, readable column widths).  Everything comes from the
public view of a framework (:func:`generator.audience.public_view`): internal notes and
internal pay bands never reach a download.

``careers export`` writes the files into a folder; the site offers the same files under
``/<framework>/downloads/``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from openpyxl import Workbook
from openpyxl.cell.cell import Cell as WorksheetCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from generator.audience import public_view
from generator.describe import describe_criterion
from generator.markdown_fields import plain_text
from generator.model import Framework
from generator.safe_paths import write_file
from generator.urls import printed_url, role_url

Cell = str | int | float | None
ExportFormat = Literal["csv", "xlsx"]

CSV_ENCODING = "utf-8-sig"
"""UTF-8 with a byte-order mark, so that Excel shows accented names correctly."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LIST_SEPARATOR = re.compile(r"([,;\t])")
XLSX_CELL_LIMIT = 32_767
"""The most characters a spreadsheet cell holds (Excel refuses a workbook with more)."""
_FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_WIDTH_MIN, _WIDTH_MAX, _WRAP_FROM = 6, 60, 40


@dataclass(frozen=True)
class Column:
    """One column of a table: its header and how wide it may grow in a spreadsheet."""

    header: str
    max_width: int = _WIDTH_MAX


@dataclass
class Table:
    """A table of the export: a sheet of the workbook and one CSV file."""

    title: str
    """Sheet title (at most 31 characters, Excel's limit)."""
    slug: str
    """File-name part of the CSV: ``<framework>-<slug>.csv``."""
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    frozen_columns: int = 0
    """Columns kept in view when scrolling sideways (besides the frozen header row)."""

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


def framework_tables(framework: Framework, site_url: str = "") -> list[Table]:
    """The export tables of ``framework`` (public data only; bands only when public)."""
    public = public_view(framework)
    tables = [competency_matrix(public), expected_behaviour(public), roles_table(public, site_url)]
    if public.pay_is_public:
        tables.append(bands_table(public))
        if public.zones:
            tables.append(zones_table(public))
    if public.spec.scale:
        tables.append(scale_table(public))
    if _scoped_policies(public):
        tables.append(policies_table(public))
    return tables


def _table_slugs(framework: Framework) -> list[str]:
    """The ``slug`` of each table :func:`framework_tables` makes, in order."""
    public = public_view(framework)
    return ["competency-matrix", "expected-behaviour", "roles",
            *(["bands"] if public.pay_is_public else []),
            *(["zones"] if public.pay_is_public and public.zones else []),
            *(["scale"] if public.spec.scale else []),
            *(["policies"] if _scoped_policies(public) else [])]


def _scoped_policies(framework: Framework) -> bool:
    """Whether a policy says where it applies (format 1.1): then the policies get a table."""
    return any(policy.applies_to != "promotion" or policy.tracks or policy.tiers or policy.roles
               for policy in framework.spec.policies)


def _lines(items: Iterable[str]) -> str:
    return "\n".join(items)


def export_file_names(framework: Framework, export_format: ExportFormat) -> list[str]:
    """The names of the files :func:`export_files` makes, without making them."""
    if export_format == "xlsx":
        return [f"{framework.id}.xlsx"]
    return [f"{framework.id}-{slug}.csv" for slug in _table_slugs(framework)]


def _ordered_roles(framework: Framework) -> list:
    return [role for track in framework.spec.tracks for role in framework.roles_on_track(track.id)]


def competency_matrix(framework: Framework) -> Table:
    """Roles (rows) × competencies (columns), each cell the expected level."""
    table = Table(
        "Competency matrix", "competency-matrix",
        [Column("Role id", 30), Column("Role", 40), Column("Track", 30), Column("Tier", 16)]
        + [Column(competency.name, 18) for competency in framework.competencies],
        frozen_columns=2,
    )
    for role in _ordered_roles(framework):
        table.rows.append([
            role.id, role.title, framework.tracks[role.track].name,
            framework.tiers[role.tier].name,
            *(role.competencies.get(competency.id) for competency in framework.competencies),
        ])
    return table


def expected_behaviour(framework: Framework) -> Table:
    """One row per role and competency: the expected level and what it looks like."""
    table = Table(
        "Expected behaviour", "expected-behaviour",
        [Column("Role id", 30), Column("Role", 40), Column("Competency id", 26),
         Column("Competency", 30), Column("Category", 18), Column("Level"),
         Column("Top level"), Column("Behaviour", 70), Column("Examples", 70),
         Column("Level name", 20), Column("Statements", 70), Column("Role's own statements"),
         Column("Develop", 70)],
        frozen_columns=2,
    )
    ordered = [competency for group in framework.categories_in_order()
               for competency in group.competencies]
    for role in _ordered_roles(framework):
        for competency in ordered:
            level = role.competencies.get(competency.id)
            if level is None:
                continue
            expectation = framework.expectation(role, competency.id)
            if expectation is None:
                continue
            table.rows.append([
                role.id, role.title, competency.id, competency.name, competency.category or "",
                level, expectation.level.of, expectation.text,
                "\n".join(expectation.examples), expectation.name or "",
                _lines(expectation.statements), "yes" if expectation.role_specific else "no",
                _lines(expectation.develop),
            ])
    return table


def roles_table(framework: Framework, site_url: str = "") -> Table:
    """Every role: id, title, track, tier (and highest tier), pay (when public, over its
    tiers), moves, how people move up, requirements, criteria and canonical address."""
    pay = framework.pay_is_public
    columns = [Column("Role id", 30), Column("Title", 40), Column("Track", 30),
               Column("Track kind", 12), Column("Tier rank"), Column("Tier", 16),
               Column("Entry role")]
    if pay:
        columns += [Column("Currency"), Column("Band min"), Column("Band mid"),
                    Column("Band max")]
    columns += [Column("Next roles", 50), Column("Lateral moves", 50), Column("Summary", 70),
                Column("URL", 70),  # the columns above keep their place from version 1
                Column("Highest tier", 16), Column("Advancement", 12),
                Column("Requirements", 70), Column("Criteria", 70), Column("To stay", 70)]
    if pay:
        columns += [Column("Pay steps", 40)]
    table = Table("Roles", "roles", columns, frozen_columns=2)
    for role in _ordered_roles(framework):
        track = framework.tracks[role.track]
        row: list[Cell] = [
            role.id, role.title, track.name, track.kind, framework.tier_rank[role.tier] + 1,
            framework.tiers[role.tier].name, "yes" if role.entry else "no",
        ]
        pay_range = framework.pay_range(role) if pay else None
        if pay:
            row += [framework.spec.currency or "",
                    *((pay_range.min, pay_range.mid, pay_range.max) if pay_range
                      else (None, None, None))]
        row += [" ".join(role.next), " ".join(role.lateral), plain_text(role.summary),
                printed_url(site_url, role_url(framework.id, role.id)),
                framework.tiers[role.tier_max].name
                if role.tier_max in framework.tiers else "",
                framework.advancement_of(role) or "",
                *(_lines(describe_criterion(framework, c) for c in criteria)
                  for criteria in (role.requirements, role.criteria, role.maintain))]
        if pay:
            row.append(" ".join(str(step) for step in pay_range.steps) if pay_range else "")
        table.rows.append(row)
    return table


def bands_table(framework: Framework) -> Table:
    """The salary bands, lowest tier first (call only when pay is public)."""
    table = Table("Bands", "bands", [
        Column("Tier rank"), Column("Tier", 16), Column("Track", 30), Column("Currency"),
        Column("Min"), Column("Mid"), Column("Max"), Column("Steps", 40), Column("Zone", 24),
    ], frozen_columns=2)
    bands = framework.salary.bands if framework.salary else []
    for band in sorted(bands, key=lambda b: (framework.tier_rank[b.tier], b.track or "",
                                             b.zone or "")):
        track = framework.tracks[band.track].name if band.track else "All tracks"
        zone = framework.zones[band.zone].name if band.zone in framework.zones else ""
        table.rows.append([framework.tier_rank[band.tier] + 1, framework.tiers[band.tier].name,
                           track, framework.spec.currency or "", band.min, band.mid, band.max,
                           " ".join(str(step) for step in band.steps or []), zone])
    return table


def zones_table(framework: Framework) -> Table:
    """The location pay zones, and each band's figures there (call only when pay is public)."""
    table = Table("Zones", "zones", [
        Column("Zone id", 24), Column("Zone", 30), Column("Percent"), Column("Amount"),
        Column("Minimum"), Column("Maximum"), Column("Tier", 16), Column("Track", 30),
        Column("Min"), Column("Mid"), Column("Max"), Column("Band named for the zone"),
    ], frozen_columns=2)
    bands = [band for band in framework.salary.bands if band.zone is None] \
        if framework.salary else []
    for zone in framework.zones.values():
        for band in sorted(bands, key=lambda b: (framework.tier_rank[b.tier], b.track or "")):
            figures = framework.band_figures(band.track or "", band.tier, zone.id)
            if figures is None:
                continue
            table.rows.append([
                zone.id, zone.name, zone.percent, zone.amount, zone.minimum, zone.maximum,
                framework.tiers[band.tier].name,
                framework.tracks[band.track].name if band.track else "All tracks",
                figures.min, figures.mid, figures.max, "yes" if figures.named_band else "no"])
    return table


def scale_table(framework: Framework) -> Table:
    """The named proficiency scale, lowest level first."""
    table = Table("Scale", "scale", [Column("Level"), Column("Name", 24),
                                     Column("Description", 70)], frozen_columns=1)
    for number, level in enumerate(framework.spec.scale, start=1):
        table.rows.append([number, level.name, plain_text(level.description)])
    return table


def policies_table(framework: Framework) -> Table:
    """Every policy with what it applies to and which roles it covers."""
    table = Table("Policies", "policies", [
        Column("Policy id", 26), Column("Name", 30), Column("Applies to", 12),
        Column("Tracks", 30), Column("Tiers", 30), Column("Roles", 30), Column("Text", 70),
        Column("Criteria", 70)], frozen_columns=1)
    for policy in framework.spec.policies:
        table.rows.append([
            policy.id, policy.name or "", policy.applies_to, " ".join(policy.tracks),
            " ".join(policy.tiers), " ".join(policy.roles), policy.text,
            _lines(describe_criterion(framework, c) for c in policy.criteria)])
    return table


# --- CSV ------------------------------------------------------------------------------------


def to_csv(table: Table) -> str:
    """The table as CSV text (comma-separated, every text quoted, CRLF line ends).

    Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
    ``@``) is prefixed with an apostrophe, as OWASP recommends against CSV injection,
    and so is every part of a text that starts so after a ``,``, ``;`` or tab: a
    spreadsheet that splits on ``;`` (the list separator of many locales) or ignores the
    quotes must not find a formula either.  Quoting every text keeps each cell whole
    for a reader that honours quotes, whatever its separator.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(["" if value is None else _csv_safe(value) for value in row])
    return buffer.getvalue()


def _csv_safe(value: Cell) -> Cell:
    """``value`` with an apostrophe before each part that a spreadsheet could read as a
    formula (the cell itself, or a part after a list separator)."""
    if not isinstance(value, str):
        return value
    parts = _LIST_SEPARATOR.split(value)  # text, separator, text, ...
    for index in range(0, len(parts), 2):
        if parts[index].lstrip(" ").startswith(_FORMULA_START):
            parts[index] = "'" + parts[index]
    return "".join(parts)


# --- XLSX -----------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="3F51B5")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")


def to_xlsx(tables: Sequence[Table], title: str = "", date: dt.date | None = None) -> bytes:
    """A workbook with one sheet per table: bold frozen header, filters, fitted widths.

    The file is reproducible: the same tables and ``date`` (recorded as the creation
    and modification date) always give the same bytes.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        _write_sheet(workbook.create_sheet(table.title[:31]), table)
    workbook.properties.title = title or None
    workbook.properties.creator = "Career Paths"
    stamp = dt.datetime.combine(date, dt.time()) if date else dt.datetime(*_FIXED_ZIP_TIME)
    workbook.properties.created = stamp
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _normalise_zip(buffer.getvalue(), stamp)


def _write_sheet(sheet: Worksheet, table: Table) -> None:
    sheet.append(table.headers)
    for cell in sheet[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
    styles = _BodyStyles(sheet)
    for row_number, row in enumerate(table.rows, start=2):
        for column_number, value in enumerate(row, start=1):
            if value is None:
                continue  # no cell at all: the matrix of a big framework is mostly blank
            cell = sheet.cell(row=row_number, column=column_number, value=value)
            if isinstance(value, str):
                if len(value) > XLSX_CELL_LIMIT:
                    cell.value = value[: XLSX_CELL_LIMIT - 1] + "…"
                cell.data_type = "s"  # text that starts with "=" stays text, not a formula
            cell._style = styles.of(value)
    for index, column in enumerate(table.columns, start=1):
        values = [column.header, *(row[index - 1] for row in table.rows)]
        sheet.column_dimensions[get_column_letter(index)].width = _width(values, column)
    sheet.freeze_panes = sheet.cell(row=2, column=table.frozen_columns + 1).coordinate
    if table.rows:
        sheet.auto_filter.ref = sheet.dimensions


class _BodyStyles:
    """The few styles of body cells, each made once and copied into cells.

    Setting ``cell.alignment`` hashes the style on every call; copying a finished style
    (openpyxl's own idiom, ``cell._style = copy(other._style)``) keeps a workbook of
    tens of thousands of cells fast.
    """

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.made: dict[tuple[bool, bool], StyleArray] = {}

    def of(self, value: Cell) -> StyleArray:
        key = (_is_long(value),
               isinstance(value, int | float) and not isinstance(value, bool)
               and abs(value) >= 1000)
        if key not in self.made:
            prototype = WorksheetCell(self.sheet)
            prototype.alignment = _WRAP if key[0] else _TOP
            if key[1]:
                prototype.number_format = "#,##0"
            self.made[key] = prototype._style
        return copy(self.made[key])


def _is_long(value: Cell) -> bool:
    return isinstance(value, str) and (len(value) > _WRAP_FROM or "\n" in value)


def _width(values: Iterable[Cell], column: Column) -> float:
    longest = max(
        (len(line) for value in values if value is not None
         for line in (f"{value:,}" if isinstance(value, int | float) else str(value)).split("\n")),
        default=0,
    )
    return float(min(max(longest + 2, _WIDTH_MIN), column.max_width))


def _normalise_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """Rewrite the zip with fixed member times and modification date (openpyxl sets "now")."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(
                    rf"\g<1>{stamp:%Y-%m-%dT%H:%M:%SZ}\g<2>".encode(), content)
            target.writestr(fixed, content)
    return out.getvalue()


# --- files ----------------------------------------------------------------------------------


def export_files(framework: Framework, export_format: ExportFormat,
                 site_url: str = "") -> dict[str, bytes]:
    """File name -> content of the export of one framework in one format."""
    tables = framework_tables(framework, site_url)
    if export_format == "xlsx":
        workbook = to_xlsx(tables, framework.spec.name, framework.spec.effective)
        return {f"{framework.id}.xlsx": workbook}
    return {f"{framework.id}-{table.slug}.csv": to_csv(table).encode(CSV_ENCODING)
            for table in tables}


def write_export(frameworks: Iterable[Framework], export_format: ExportFormat, out_dir: Path,
                 site_url: str = "") -> list[Path]:
    """Write the export of every framework into ``out_dir``; return the paths written."""
    written = []
    for framework in frameworks:
        for name, content in export_files(framework, export_format, site_url).items():
            written.append(write_file(out_dir, name, content))  # never through a link
    return written


def default_site_url(config_file: Path) -> str:
    """``site_url`` of an MkDocs config, or ``""`` when there is none."""
    if not config_file.is_file():
        return ""
    try:
        config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:  # e.g. !!python/name tags of Markdown extensions
        return ""
    return str(config.get("site_url") or "") if isinstance(config, dict) else ""
