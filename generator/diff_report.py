"""Printing ``careers diff``: a Markdown pull-request comment or a JSON document.

:func:`build_report` compares two loaded sides (:mod:`generator.diff_states`) with
:func:`generator.changes.diff_frameworks`; :func:`render_markdown` writes the comment
(``templates/diff.md.j2``) and :func:`render_json` the document below.

JSON output (``--format json``), version 1::

    {
      "format": 1,
      "base": "HEAD~1 (1a2b3c4)",          # label of each side
      "head": "frameworks (working tree)",
      "summary": "2 roles changed, 1 band raised, 1 broken link",
      "broken_links": 1,
      "warnings": 0,
      "changes": [ <change>, ... ]
    }

Each ``<change>`` has every field of :class:`~generator.changes.Change`: ``kind`` (a
:class:`~generator.changes.ChangeKind` value such as ``"role-renamed"``), ``framework``,
``subject`` (the id the change is about: a role, a band ``tier`` or ``tier/track``, a
policy, a tier ...), ``subject_text`` (its human name), ``role`` (the role id, as of HEAD
when the role still exists, else null), ``field`` (which attribute: ``"tier"``,
``"criteria"``, ``"maintain"``, ``"requirements"``, a competency id, ``"level-3"``,
``"next"``, ``"tier_max"``, ``"applies_to"``, ``"steps"``, ``"percent"`` ...) and
``field_text``, ``old``/``new`` (raw values: ids, numbers, ``{"min","mid","max"}``
for bands, ``{"metric","min","max"}`` or ``{"text"}`` for criteria; null when
absent or withheld), ``old_text``/``new_text`` (the same in words), ``severity``
(``info`` | ``warning`` | ``broken``), ``internal``, ``withheld`` and ``note`` (for a
change made in a shared folder, the frameworks it reaches).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from generator.changes import (
    BAND_FIGURES,
    Change,
    ChangeKind,
    ChangeSeverity,
    broken_links,
    diff_frameworks,
    summarize,
)
from generator.describe import format_number
from generator.diff_states import State
from generator.model import Framework
from generator.templating import render_template

JSON_FORMAT_VERSION = 1

@dataclass(frozen=True)
class DiffReport:
    """Both sides and the changes between them, ready to render."""

    base: State
    head: State
    changes: list[Change]

    @property
    def summary(self) -> str:
        return summarize(self.changes)

    @property
    def broken(self) -> list[Change]:
        return broken_links(self.changes)

    @property
    def warnings(self) -> list[Change]:
        return [change for change in self.changes if change.severity is ChangeSeverity.WARNING]


def build_report(base: State, head: State, *, include_internal: bool = False) -> DiffReport:
    """Compare two loaded states."""
    changes = diff_frameworks(base.frameworks, head.frameworks, include_internal=include_internal)
    return DiffReport(base, head, changes)


def render_json(report: DiffReport) -> str:
    """The documented JSON document (see the module docstring)."""
    document = {
        "format": JSON_FORMAT_VERSION,
        "base": report.base.label,
        "head": report.head.label,
        "summary": report.summary,
        "broken_links": len(report.broken),
        "warnings": len(report.warnings),
        "changes": [change.to_json() for change in report.changes],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def render_markdown(report: DiffReport) -> str:
    """A pull-request comment: summary line, alerts, then one section per framework."""
    return render_template(
        "diff.md.j2", report=report, frameworks=_framework_sections(report),
        withheld=any(change.withheld for change in report.changes),
    )


@dataclass(frozen=True)
class ChangeGroup:
    """The changes of one subject (a role, a policy ...), shown together."""

    key: str
    title: str
    changes: list[Change]


@dataclass(frozen=True)
class BandFigure:
    """One of min/mid/max of a band change, formatted; ``None`` where absent."""

    name: str
    old: str | None
    new: str | None
    delta: str | None
    percent: str | None


@dataclass(frozen=True)
class BandRow:
    """A band change with its figures."""

    change: Change
    figures: list[BandFigure]


@dataclass(frozen=True)
class FrameworkSection:
    """The changes of one framework, grouped the way the comment shows them."""

    id: str
    name: str
    currency: str | None
    general: list[ChangeGroup] = field(default_factory=list)
    roles: list[ChangeGroup] = field(default_factory=list)
    bands: list[BandRow] = field(default_factory=list)
    pay: list[Change] = field(default_factory=list)
    """Pay visibility changes."""
    pay_details: list[ChangeGroup] = field(default_factory=list)
    """Pay steps of bands and location zones."""
    policies: list[ChangeGroup] = field(default_factory=list)
    structure: list[ChangeGroup] = field(default_factory=list)
    retired: list[ChangeGroup] = field(default_factory=list)


def _framework_sections(report: DiffReport) -> list[FrameworkSection]:
    frameworks = {framework.id: framework
                  for framework in [*report.base.frameworks, *report.head.frameworks]}
    sections = []
    for framework_id in sorted({change.framework for change in report.changes}):
        framework = frameworks[framework_id]
        changes = [change for change in report.changes if change.framework == framework_id]
        sections.append(_framework_section(framework, changes))
    return sections


def _framework_section(framework: Framework, changes: list[Change]) -> FrameworkSection:
    by_section: dict[str, list[Change]] = {}
    for change in changes:
        by_section.setdefault(_section_of(change), []).append(change)
    currency = framework.spec.currency
    return FrameworkSection(
        framework.id, framework.spec.name, currency,
        general=_grouped(by_section.get("general", [])),
        roles=sorted(_grouped(by_section.get("roles", []), by_role=True), key=lambda g: g.key),
        bands=[_band_row(change, currency) for change in by_section.get("bands", [])],
        pay=[c for c in by_section.get("pay", []) if c.kind is ChangeKind.PAY_VISIBILITY_CHANGED],
        pay_details=_grouped([c for c in by_section.get("pay", [])
                              if c.kind is not ChangeKind.PAY_VISIBILITY_CHANGED]),
        policies=_grouped(by_section.get("policies", [])),
        structure=_grouped(by_section.get("structure", [])),
        retired=_grouped(by_section.get("retired", [])),
    )


def _section_of(change: Change) -> str:
    kind = change.kind.value
    if kind.startswith("framework-"):
        return "general"
    if kind.startswith("band-"):
        return "bands"
    if kind.startswith(("pay-", "zone-")):
        return "pay"
    if kind.startswith("policy-") or (kind.startswith("criterion-") and change.role is None):
        return "policies"
    if kind.startswith("retired-"):
        return "retired"
    if kind.startswith(("tier", "track-", "metric-", "competency-", "scale-")):
        return "structure"
    if kind.startswith(("statement-", "develop-")) and change.role is None:
        return "structure"
    return "roles"


def _grouped(changes: list[Change], by_role: bool = False) -> list[ChangeGroup]:
    groups: dict[str, ChangeGroup] = {}
    for change in changes:
        key = (change.role or change.subject) if by_role else change.subject
        if key not in groups:
            groups[key] = ChangeGroup(key, change.subject_text or key, [])
        groups[key].changes.append(change)
    return list(groups.values())


def _band_row(change: Change, currency: str | None) -> BandRow:
    if change.withheld:
        return BandRow(change, [])
    old = change.old if isinstance(change.old, dict) else {}
    new = change.new if isinstance(change.new, dict) else {}
    return BandRow(change, [_band_figure(name, old.get(name), new.get(name))
                            for name in BAND_FIGURES])


def _band_figure(name: str, old: float | None, new: float | None) -> BandFigure:
    if old is None or new is None or old == new:
        return BandFigure(name, _number(old), _number(new), None, None)
    delta = new - old
    sign = "+" if delta > 0 else "-"
    percent = f"{sign}{abs(100 * delta / old):.1f}%" if old else None
    return BandFigure(name, _number(old), _number(new), f"{sign}{format_number(abs(delta))}",
                      percent)


def _number(value: float | None) -> str | None:
    return format_number(value) if value is not None else None
