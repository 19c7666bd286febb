"""Printable career maps: one PDF per role, rendered by WeasyPrint from ``templates/map/``.

A map shows the role (title, track, tier, framework version), the career map drawing
with the role highlighted, what it takes to get and stay there as a checklist, what
changes at each next step (competencies, pay and, as a checklist, what it takes), the pay
band and lines for notes. It
fits one page for ordinary roles; longer ones flow onto more pages with the header and
footer repeated.

Maps are always rendered from the *public view* of a framework
(:func:`generator.audience.public_view`): internal notes and internal pay never reach a PDF.

Speed: WeasyPrint is CPU-bound, so maps render in parallel processes, and a map renders
again only when what it shows changed. Its cache key is a hash of its complete HTML (every
value it shows, the drawing and the stylesheet, since the templates render into it), the
bundled font files, the WeasyPrint version and the generator's version. Rendered PDFs are
kept between builds in a cache folder of the user, outside the repository
(:func:`default_cache_dir`), never in one a pull request can commit to: see :class:`MapCache`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import hashlib
import json
import logging
import math
import multiprocessing
import os
import re
import stat
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

from markupsafe import Markup
from pydantic import BaseModel

from generator.audience import public_view
from generator.career_map import (
    BOX_WIDTH,
    HIGHLIGHT_FILL,
    TITLE_SIZE,
    CareerMapLayout,
    clean_text,
    layout_career_map,
    neighbourhood,
    render_layout,
)
from generator.describe import (
    describe_criterion,
    format_band,
    format_money,
    format_steps,
    pay_step,
    policy_title,
    tier_span_text,
)
from generator.forking import start_worker
from generator.git import toplevel
from generator.map_content import (
    BODY_LINE_MM,
    COMPACT_SCALE,
    HEADING_MM,
    PAGE_TEXT_MM,
    POLICY_ON_THE_WEB,
    SHORTENINGS,
    TAKES_CHAR_MM,
    TAKES_COLUMN_GAP_MM,
    TAKES_HEAD_MM,
    TAKES_INDENT_MM,
    TAKES_LINE_MM,
    PageUse,
    TextBlock,
    advancement_text,
    checklist_mm,
    fit_texts,
    level_words,
    takes_mm,
    text_lines,
    tier_fact_label,
    zone_pay_lines,
)
from generator.markdown_fields import markdown_inline_html, plain_text
from generator.model import AppliesTo, Criterion, Expectation, Framework, Role, Track
from generator.safe_paths import (
    Project,
    UnsafePathError,
    check_output_folder,
    replace_file,
    write_file,
)
from generator.templating import TEMPLATES_DIR, render_template
from generator.urls import map_pdf_url, printed_url, role_url
from generator.wording import track_kind_text

Paper = Literal["a4", "letter"]
log = logging.getLogger("career_paths")

MAP_TEMPLATE = "map/role.html.j2"
MAP_TEMPLATES_DIR = TEMPLATES_DIR / "map"
FONTS_DIR = MAP_TEMPLATES_DIR / "fonts"
MAPS_CACHE_ENV = "CAREER_PATHS_MAPS_CACHE"
"""Environment variable naming the cache folder (CI, test suites); it wins over the default."""
CACHE_SUBFOLDER = Path("career-paths") / "maps"
"""The cache's place inside the user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``)."""
CACHE_FILE_MODE = 0o600
"""Mode of every cached map: a file checked out by git never has it."""
CACHE_FORMAT = "4"
"""Part of every cache key: bump it to re-render every map after a change of this module."""
CACHE_MAX_AGE_DAYS = 30
"""Cached maps unused for this long are deleted after a build."""

PAPER_SIZES: dict[str, tuple[str, float, float]] = {
    "a4": ("A4", 210.0, 297.0),
    "letter": ("letter", 215.9, 279.4),
}
"""Paper name -> (CSS page size, width mm, height mm)."""
SIDE_MARGIN_MM = 12.0
SIDE_GAP_MM = 5.0
MAP_MAX_HEIGHT_MM = {"a4": 100.0, "letter": 88.0}
"""Tallest a wide drawing gets."""
SIDE_MAP_MAX_HEIGHT_MM = {"a4": 125.0, "letter": 112.0}
"""Tallest a narrow drawing gets: the checklists run beside it."""
WIDE_SIDE_MM = 80.0
NARROW_SIDE_MM = 44.0
MIN_SHRINK = 0.85
"""A wide drawing shrinks at most to this share to leave room for the narrow column."""
PARTIAL_MIN_SHRINK = 0.6
"""The same for a drawing of a role's part of the map, which is larger to begin with."""
NOTES_LINES = {"a4": 5, "letter": 4}
NOTES_LINES_WITH_NEXT_CRITERIA = {"a4": 3, "letter": 2}
MIN_NOTES_LINES = 1
TOP_ROLE_TABLE_SPARE_MM = 8.0
"""A role with no next step gets the table of what it expects only with this much room."""
NOW_COLUMN_PERCENT = 12
NAMED_NOW_EXTRA = 8
"""The "Now" column is this much wider when levels have names."""
"""Fewer lines when the page also lists what each next role takes."""
MIN_TITLE_MM = 1.5
"""Smallest printed role title (about 4 pt) before the map shows only the role's part."""
TITLE_LIMIT = 90
"""Longer names are shortened (a role's full title is printed once, below the header)."""
TEXT_LIMIT = 1000
EXPECTATION_LINES = {"a4": 22, "letter": 16}
"""Lines (6.5 pt) the expectations of the competencies get in the table of next steps."""
EXPECTATION_LINES_SPARE = 6
"""More lines when there is at most one next step (its "what it takes" is shorter)."""
GROW_LINES = {"a4": 8, "letter": 6}
"""Lines of new statements and ``develop`` suggestions under each next role."""
GROW_ITEMS = 2
"""At most this many new statements, and as many suggestions, per competency."""
"""Longer texts are cut: a map is a page, and WeasyPrint slows down on huge paragraphs."""

COLOURS = {
    "text": "#1b1f24",
    "muted": "#57606a",
    "accent": HIGHLIGHT_FILL,
    "rule": "#c9d1d9",
    "now": "#f3f5f7",
    "up_fill": "#fbe3ee",
}


@dataclass(frozen=True)
class MapOptions:
    """Settings of a map build."""

    paper: Paper = "a4"
    site_url: str = ""
    """Absolute base URL of the site; footers then print absolute role URLs."""
    cache_dir: Path | None = field(default_factory=lambda: default_cache_dir())
    """Where rendered PDFs are kept between builds; ``None`` renders everything."""
    jobs: int = 0
    """Worker processes; 0 means one per CPU core."""


@dataclass
class MapReport:
    """What a build produced: the PDF of every role and how many had to be rendered."""

    files: dict[tuple[str, str], Path] = field(default_factory=dict)
    """(framework id, role id) -> PDF path."""
    keys: dict[tuple[str, str], str] = field(default_factory=dict)
    """(framework id, role id) -> cache key (the cached PDF is ``<cache>/<key>.pdf``)."""
    rendered: list[tuple[str, str]] = field(default_factory=list)
    cached: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """``27 maps: 3 rendered, 24 from cache (1.2 s)``."""
        count = f"{len(self.files)} map{'' if len(self.files) == 1 else 's'}"
        return (f"{count}: {len(self.rendered)} rendered, "
                f"{len(self.cached)} from cache ({self.seconds:.1f} s)")

    def site_files(self) -> list[tuple[str, Path]]:
        """(path in the site, PDF) pairs: ``<framework>/maps/<role>.pdf``."""
        return [(map_pdf_url(framework_id, role_id), path)
                for (framework_id, role_id), path in sorted(self.files.items())]


class FrameworkMaps:
    """Builds the map HTML of every role of one framework (from its public view)."""

    def __init__(self, framework: Framework, *, paper: Paper = "a4", site_url: str = "") -> None:
        if paper not in PAPER_SIZES:
            raise ValueError(f"unknown paper '{paper}': use one of {', '.join(PAPER_SIZES)}")
        self.framework = public_view(framework)
        self.paper = paper
        self.site_url = site_url

    @property
    def role_ids(self) -> list[str]:
        return list(self.framework.roles)

    @cached_property
    def _whole_size(self) -> tuple[float, float] | None:
        """Width and height of the whole map with a role highlighted (any: the same size)."""
        if not self.framework.roles:
            return None
        layout = layout_career_map(self.framework, next(iter(self.framework.roles)))
        return layout.width, layout.height

    def html(self, role_id: str) -> str:
        """The complete HTML document of ``role_id``'s map.

        The map is shortened one step of :data:`~generator.map_content.SHORTENINGS` at a
        time while its estimate (:class:`PageUse`) says it does not fit one page; what each
        competency expects now gets the lines left.
        """
        framework = self.framework
        role = framework.roles[role_id]
        steps = [framework.roles[target] for target in role.next if target in framework.roles]
        drawing = self._map_context(role)
        rows = self._comparison_rows(role, steps)
        for count in range(len(SHORTENINGS) + 1):
            context = self._context(role, steps, drawing, frozenset(SHORTENINGS[:count]))
            page = self._page_use(role, steps, rows, context)
            if page.fits:
                break
        named = bool(framework.spec.scale)  # "Working knowledge, 2 of 5" needs a wider cell
        if page.free_lines() < self._expectation_lines(role, len(steps)) \
                and drawing["notes_last"] and context["notes_lines"] > MIN_NOTES_LINES:
            context["notes_lines"] = MIN_NOTES_LINES  # room for what each competency expects
            page = self._page_use(role, steps, rows, context)
        context["comparison"] = self._with_expectations(role, rows, page) \
            if steps or page.free_mm(category_rows=False) >= TOP_ROLE_TABLE_SPARE_MM else []
        context["category_rows"] = page.category_rows_fit
        return render_template(
            MAP_TEMPLATE,
            paper=PAPER_SIZES[self.paper][0],
            colours=COLOURS,
            framework=self._framework_context(),
            name_width=_name_column_percent(len(steps)) - (NAMED_NOW_EXTRA if named else 0),
            now_width=NOW_COLUMN_PERCENT + (NAMED_NOW_EXTRA if named else 0),
            categories=any(row["category"] for row in rows),
            tier_word=framework.tier_label.lower(),
            **context,
        )

    def _context(self, role: Role, steps: Sequence[Role], drawing: dict[str, Any],
                 cuts: frozenset[str]) -> dict[str, Any]:
        """What the template prints besides the table of competencies, shortened by
        ``cuts`` (names of :data:`~generator.map_content.SHORTENINGS`)."""
        framework = self.framework
        titles = "policy_titles" in cuts
        described: dict[tuple[Any, ...], str] = {}
        notes = (NOTES_LINES_WITH_NEXT_CRITERIA if any(s.criteria for s in steps)
                 else NOTES_LINES)[self.paper]
        return {
            "role": self._role_context(role, titles_only=titles,
                                       short_advancement="short_advancement" in cuts),
            "compact": "compact" in cuts,
            "map": drawing,
            "policies": self._policy_items(role, "promotion", titles),
            "staying": self._policy_items(role, "staying", titles),
            "lateral_policies": self._policy_items(role, "lateral", titles),
            "leaving_policies": self._policy_items(role, "leaving", titles),
            "steps": [self._step_context(role, step, len(steps), cuts, first=index == 0,
                                         described=described)
                      for index, step in enumerate(steps)],
            "pay_public": framework.pay_is_public and framework.pay_range(role) is not None,
            "lateral": [shorten(framework.roles[r].title) for r in role.lateral
                        if r in framework.roles],
            "previous": [shorten(framework.roles[r].title)
                         for r in framework.previous_roles[role.id]],
            "notes_lines": MIN_NOTES_LINES if "fewer_notes" in cuts else notes,
        }

    def _framework_context(self) -> dict[str, str]:
        spec = self.framework.spec
        return {
            "name": shorten(spec.name),
            "organisation": shorten(spec.organisation),
            "version": shorten(spec.version),
            "effective": _long_date(spec.effective) if spec.effective else "",
        }

    def _role_context(self, role: Role, *, titles_only: bool = False,
                      short_advancement: bool = False) -> dict[str, Any]:
        framework = self.framework
        pay = framework.pay_range(role) if framework.pay_is_public else None
        currency = framework.spec.currency
        return {
            "title": shorten(role.title, TEXT_LIMIT),
            "short_title": shorten(role.title),
            "track": shorten(framework.tracks[role.track].name),
            "track_kind": _kind_unless_named(framework.tracks[role.track]),
            "tier": shorten(tier_span_text(framework, role)),
            "tier_label": shorten(tier_fact_label(framework, role)),
            "entry": role.entry,
            "summary": markdown_inline_html(role.summary and shorten(role.summary, TEXT_LIMIT)),
            "url": printed_url(self.site_url, role_url(framework.id, role.id)),
            "requirements": [self._criterion(c) for c in role.requirements],
            "criteria": [self._criterion(c) for c in role.criteria],
            "advancement": advancement_text(framework, role, short=short_advancement)
            if role.criteria else "",
            "maintain": [self._criterion(c) for c in role.maintain],
            "band": format_band(pay, currency) if pay else "",
            "band_mid": f"midpoint {format_money(pay.mid, currency)}"
            if pay and pay.mid is not None else "",
            "pay_points": format_steps(pay.steps) if pay else "",
            "zones": [shorten(line) for line in zone_pay_lines(framework, role)] if pay else [],
            "pay_policies": self._policy_items(role, "pay", titles_only) if pay else [],
        }

    def _map_context(self, role: Role) -> dict[str, Any]:
        layout, placement, partial = choose_map(self.framework, role.id, self.paper,
                                                whole_size=self._whole_size)
        return {
            "svg": Markup(render_layout(layout, include_links=False)),
            "height_mm": placement.width_mm * layout.height / layout.width,
            "partial": partial,
            "width_mm": placement.width_mm,
            "side": placement.side,
            "side_kind": placement.side_kind,
            "below": placement.below,
            "notes_last": placement.notes_last,
        }

    def _criterion(self, criterion: Criterion) -> str:
        return shorten(describe_criterion(self.framework, criterion), TEXT_LIMIT)

    def _policy_items(self, role: Role, applies_to: AppliesTo,
                      titles_only: bool = False) -> list[dict[str, str]]:
        """One checklist item per criterion of each policy about ``applies_to`` that covers
        ``role`` (its text when it has none, or "see the web page" with ``titles_only``);
        the policy's title is on its first item only."""
        items = []
        for policy in self.framework.policies_for(role, applies_to):
            texts = [self._criterion(c) for c in policy.criteria] or [
                POLICY_ON_THE_WEB if titles_only else shorten(policy.text, TEXT_LIMIT)]
            items += [{"policy": "" if index else shorten(policy_title(policy)), "text": text}
                      for index, text in enumerate(texts)]
        return items

    def _step_context(self, role: Role, step: Role, columns: int, cuts: frozenset[str], *,
                      first: bool, described: dict[tuple[Any, ...], str]) -> dict[str, Any]:
        """A next role's name, its pay step from ``role``, what it takes to get there and
        how to grow into the competencies that rise there (see :meth:`_growth`)."""
        framework = self.framework
        change = pay_step(framework, role, step) if framework.pay_is_public else None
        return {
            "title": shorten(step.title),
            "track": shorten(framework.tracks[step.track].name),
            "tier": shorten(tier_span_text(framework, step)),
            "pay": _short_pay_step(change.describe(framework.spec.currency)) if change else "",
            "criteria": [self._criterion(c) for c in step.criteria],
            "advancement": advancement_text(framework, step,
                                            short="short_advancement" in cuts),
            "grow": [] if "no_grow" in cuts else self._growth(role, step, columns, cuts,
                                                               first, described),
        }

    def _growth(self, role: Role, step: Role, columns: int, cuts: frozenset[str],
                first: bool, described: dict[tuple[Any, ...], str]) -> list[dict[str, Any]]:
        """For each competency that rises at ``step`` (or is new there): its new level, the
        statements new there and the level's ``develop`` suggestions, as many as ``cuts``
        leave and fitted to :data:`GROW_LINES`. A change ``described`` for an earlier next
        step says "as for" that step instead (``described`` records the ones printed)."""
        framework = self.framework
        names_only = "grow_names" in cuts or ("grow_first_step" in cuts and not first)
        statements_kept = 1 if "first_statement" in cuts else GROW_ITEMS
        develop_kept = 0 if "develop_first_step" in cuts and not first else \
            1 if "first_develop" in cuts else GROW_ITEMS
        entries = []
        for expectation in framework.expectations(step):
            now = role.competencies.get(expectation.competency)
            if now is not None and expectation.number <= now:
                continue
            new = framework.new_statements(role, step, expectation.competency)
            if not new and not expectation.develop:
                continue
            change = (expectation.competency, expectation.number, *new, "", *expectation.develop)
            if change in described:
                entries.append((expectation, (), (), f"as for {described[change]}"))
                continue
            kept = () if names_only else (tuple(new[:statements_kept]),
                                          tuple(expectation.develop[:develop_kept]))
            if kept and any(kept):
                described[change] = shorten(step.title)
            entries.append((expectation, *(kept or ((), ())), ""))
        fitted = fit_texts([TextBlock((*new, *develop)) for _, new, develop, _ in entries],
                           GROW_LINES[self.paper], self._takes_chars(columns))
        return [{"name": shorten(framework.competency_by_id[expectation.competency].name),
                 "level": level_words(expectation.level),
                 "same_as": same_as,
                 "statements": list(texts[:len(new)]),
                 "develop": list(texts[len(new):])}
                for (expectation, new, _, same_as), texts in zip(entries, fitted, strict=True)]

    def _takes_chars(self, columns: int) -> int:
        """Characters (6.5 pt) a line of a next role's column of "what it takes" holds."""
        width, _ = PAGE_TEXT_MM[self.paper]
        columns = max(columns, 1)
        return int(((width - (columns - 1) * TAKES_COLUMN_GAP_MM) / columns - TAKES_INDENT_MM)
                   / TAKES_CHAR_MM)

    def _comparison_rows(self, role: Role, steps: Sequence[Role]) -> list[dict[str, Any]]:
        """One row per competency of the role or of a next role, grouped by category: the
        level now and at each next role (what it expects now is added by
        :meth:`_with_expectations`)."""
        framework = self.framework
        wanted = set(role.competencies)
        for step in steps:
            wanted |= set(step.competencies)
        rows = []
        for group in framework.categories_in_order():
            for competency in group.competencies:
                if competency.id not in wanted:
                    continue
                now = framework.expectation(role, competency.id)
                rows.append({
                    "id": competency.id,
                    "category": shorten(group.name) if group.name else "",
                    "name": shorten(competency.name),
                    "top": framework.level_count(competency.id),
                    "now": now.number if now else None,
                    "now_words": _level_label(now) if now else "",
                    "expects": [],
                    "next": [self._level_cell(now, framework.expectation(step, competency.id))
                             for step in steps],
                })
        return rows

    def _expecting_rows(self, role: Role) -> int:
        return sum(1 for expectation in self.framework.expectations(role)
                   if _expectation_texts(expectation))

    def _expectation_lines(self, role: Role, steps: int) -> int:
        """Lines what the role expects of its competencies takes, uncut."""
        per_line = _name_column_chars(self.paper, steps)
        return sum(_lines_of(text, per_line) for expectation in self.framework.expectations(role)
                   for text in _expectation_texts(expectation))

    def _with_expectations(self, role: Role, rows: list[dict[str, Any]],
                           page: PageUse) -> list[dict[str, Any]]:
        """``rows`` with what the role expects of each competency now (its text and
        statements), cut to the lines left on the page; none when not every row gets one."""
        blocks = [TextBlock(_expectation_texts(self.framework.expectation(role, row["id"])))
                  for row in rows]
        budget = page.free_lines()
        if budget < self._expecting_rows(role):
            return rows
        fitted = fit_texts(blocks, budget, _name_column_chars(self.paper, page.steps))
        return [row | {"expects": list(texts)} for row, texts in zip(rows, fitted, strict=True)]

    def _page_use(self, role: Role, steps: Sequence[Role], rows: list[dict[str, Any]],
                  context: dict[str, Any]) -> PageUse:
        """Estimate what the page holds besides the expectations (see :class:`PageUse`)."""
        width, _ = PAGE_TEXT_MM[self.paper]
        drawing = context["map"]
        side_width = width - drawing["width_mm"] - SIDE_GAP_MM
        scale = COMPACT_SCALE if context["compact"] else 1.0
        above = drawing["height_mm"] + (5.0 if drawing["partial"] else 0.0)
        if drawing["side"]:
            above = max(above, scale * sum(self._section_mm(name, side_width, context)
                                           for name in drawing["side"]))
        if drawing["below"]:
            column = (width - 6.0 * (len(drawing["below"]) - 1)) / len(drawing["below"])
            above += 3.0 + scale * max(sum(self._section_mm(name, column, context)
                                           for name in names) for names in drawing["below"])
        summary = plain_text(role.summary) if role.summary else ""
        above += text_lines([summary], width, 1.5) * 4.3 + 2.5 if summary else 0.0
        below = 7.0 if context["pay_public"] else 0.0
        below += takes_mm(context["steps"], self.paper)
        moves = _moves_texts(context)
        below += text_lines(moves, width) * BODY_LINE_MM + 1.2 * len(moves)
        if drawing["notes_last"]:
            below += HEADING_MM + 6.0 * context["notes_lines"]
        categories = {row["category"] for row in rows} - {""}
        return PageUse(self.paper, above, len(rows), len(categories) + (
            1 if categories and any(not row["category"] for row in rows) else 0),
            len(steps), below, self._expecting_rows(role), context["compact"])

    @staticmethod
    def _section_mm(name: str, width: float, context: dict[str, Any]) -> float:
        """Estimated height of one of the sections beside or below the drawing."""
        role = context["role"]

        def policies(items: list[dict[str, str]]) -> list[str]:
            return [_policy_text(item) for item in items]

        if name == "get_here":
            height = HEADING_MM + (checklist_mm(role["criteria"], width) if role["criteria"]
                                   else BODY_LINE_MM * 2)
            height += text_lines([role["advancement"]], width) * BODY_LINE_MM \
                if role["advancement"] else 0.0
            if role["requirements"]:
                height += HEADING_MM + checklist_mm(role["requirements"], width)
            return height
        if name == "rules":
            return HEADING_MM + checklist_mm(policies(context["policies"]), width) \
                if context["policies"] else 0.0
        if name == "stay_here":
            items = [*role["maintain"], *policies(context["staying"])]
            return HEADING_MM + (checklist_mm(items, width) if items else BODY_LINE_MM)
        if name == "pay":
            if not role["band"]:
                return 0.0
            lines = [role["band"], *(["Pay points: " + role["pay_points"]]
                                     if role["pay_points"] else []), *role["zones"]]
            return (HEADING_MM + text_lines(lines, width, 1.5) * 4.0
                    + checklist_mm(policies(role["pay_policies"]), width))
        if name == "notes":
            return HEADING_MM + 6.0 * context["notes_lines"]
        return 0.0

    @staticmethod
    def _level_cell(now: Expectation | None, then: Expectation | None) -> dict[str, Any]:
        cell = _level_cell(now.number if now else None, then.number if then else None)
        cell["words"] = _level_label(then) if then else ""
        return cell


def _lines_of(text: str, per_line: int) -> int:
    return max(1, math.ceil(len(text) / max(per_line, 1)))


def _policy_text(item: dict[str, str]) -> str:
    return f"{item['policy']}: {item['text']}" if item["policy"] else item["text"]


def _moves_texts(context: dict[str, Any]) -> list[str]:
    """The paragraphs under the table of next steps, as printed (for estimates)."""
    texts = []
    if context["lateral"]:
        texts.append(" ".join(["Lateral moves at the same tier: " + ", ".join(context["lateral"]),
                               *map(_policy_text, context["lateral_policies"])]))
    if context["leaving_policies"]:
        texts.append(" ".join(["Moving out of this track or framework:",
                               *map(_policy_text, context["leaving_policies"])]))
    if context["previous"]:
        texts.append("People arrive from: " + ", ".join(context["previous"]))
    return texts


def _level_label(expectation: Expectation) -> str:
    """A level in a table cell: ``Practitioner, 3`` with a named scale, else ``3``."""
    number = str(expectation.number)
    return f"{expectation.name}, {number}" if expectation.name else number


def _expectation_texts(expectation: Expectation | None) -> tuple[str, ...]:
    """What a role expects of a competency, as printed: the text, then each statement."""
    if expectation is None:
        return ()
    texts = [expectation.text] if expectation.text and not (
        expectation.statements and expectation.level.text_from_scale) else []
    return tuple(clean_text(text) for text in (*texts, *expectation.statements) if text)


def _name_column_percent(steps: int) -> int:
    """Width of the competency column (name and what it expects), in percent."""
    return 56 if steps <= 1 else 44 if steps == 2 else 32


def _name_column_chars(paper: Paper, steps: int) -> int:
    """Characters of expectation text (6.5 pt) a line of the competency column holds."""
    _, page_width, _ = PAPER_SIZES[paper]
    width = (page_width - 2 * SIDE_MARGIN_MM) * _name_column_percent(steps) / 100 - 2.4
    return int(width / TAKES_CHAR_MM)


@dataclass(frozen=True)
class MapPlacement:
    """How big the drawing is printed and which sections sit beside it."""

    width_mm: float
    side_kind: Literal["wide", "narrow", ""]
    side: tuple[str, ...]
    below: tuple[tuple[str, ...], ...]
    """Columns of sections under the drawing."""

    @property
    def notes_last(self) -> bool:
        """Whether the notes area closes the page (it is beside a wide drawing otherwise)."""
        return "notes" not in self.side


SECTIONS = ("get_here", "rules", "stay_here", "pay")
"""The checklist and pay sections, in reading order."""
NARROW_SIDE_SECTIONS = ("stay_here", "pay", "notes")


def place_map(width: float, height: float, paper: Paper,
              min_shrink: float = MIN_SHRINK, *, height_cut_mm: float = 0.0) -> MapPlacement:
    """Size the drawing (``width`` x ``height`` user units) for ``paper``.

    The drawing is as large as the height budget allows. A narrow (tall) drawing leaves
    room for every checklist beside it; a wide one leaves a narrow column for "To stay
    here" and the pay band, shrinking a little to make that room if it must. Then the
    height budget is ``height_cut_mm`` lower, for content below the drawing (the
    arrangement stays the one chosen with the whole budget).
    """
    _, page_width, _ = PAPER_SIZES[paper]
    text_width = page_width - 2 * SIDE_MARGIN_MM
    scale = min(text_width / width, MAP_MAX_HEIGHT_MM[paper] / height)
    free = text_width - width * scale - SIDE_GAP_MM
    if free >= WIDE_SIDE_MM:
        scale = min((text_width - SIDE_GAP_MM - WIDE_SIDE_MM) / width,
                    (SIDE_MAP_MAX_HEIGHT_MM[paper] - height_cut_mm) / height)
        return MapPlacement(_mm(width * scale), "wide", SECTIONS, ())
    cut_scale = (MAP_MAX_HEIGHT_MM[paper] - height_cut_mm) / height
    if free < NARROW_SIDE_MM:
        narrower = (text_width - SIDE_GAP_MM - NARROW_SIDE_MM) / width
        if narrower < min_shrink * scale:
            return MapPlacement(_mm(width * min(scale, cut_scale)), "",
                                (), (("get_here", "rules"), ("stay_here", "pay")))
        scale = narrower
    return MapPlacement(_mm(width * min(scale, cut_scale)), "narrow", NARROW_SIDE_SECTIONS,
                        (("get_here",), ("rules",)))


def choose_map(framework: Framework, role_id: str, paper: Paper, *,
               whole_size: tuple[float, float] | None = None,
               ) -> tuple[CareerMapLayout, MapPlacement, bool]:
    """The drawing of a role's map, its placement, and whether it shows only part of the map.

    The whole map is drawn unless its role titles would print too small to read; then
    the map shows the role's neighbourhood (its moves and the roles promoted into it).
    The drawing is a little smaller when the page lists what the next roles take, but only
    as far as the whole map stays readable (the texts are shortened instead, see
    :data:`~generator.map_content.SHORTENINGS`).
    ``whole_size`` is the width and height of the whole map with a role highlighted (the
    same whichever role): with it, a map too big to read is not laid out for every role.
    """
    full_cut = next_criteria_mm(framework, role_id, paper)
    cuts = height_cuts(full_cut)
    if whole_size is not None:
        cuts = [cut for cut in cuts if _whole_map_readable(whole_size, paper, cut)]
    if cuts:
        layout = layout_career_map(framework, role_id)
        for cut in cuts:
            placement = place_map(layout.width, layout.height, paper, height_cut_mm=cut)
            if printed_title_mm(layout, placement) >= MIN_TITLE_MM:
                return layout, placement, False
    layout = layout_career_map(neighbourhood(framework, role_id), role_id)
    return layout, place_map(layout.width, layout.height, paper, PARTIAL_MIN_SHRINK,
                             height_cut_mm=full_cut), True


def next_criteria_mm(framework: Framework, role_id: str, paper: Paper) -> float:
    """Estimated height of the "What it takes" checklists of the role's next roles.

    One column per next role (a single next role's list runs in two columns); the
    drawing's height budget shrinks by this much to keep the map on one page.
    """
    role = framework.roles[role_id]
    steps = [framework.roles[t] for t in role.next if t in framework.roles]
    if not any(step.criteria for step in steps):
        return 0.0
    _, page_width, _ = PAPER_SIZES[paper]
    text_width = page_width - 2 * SIDE_MARGIN_MM
    columns = max(len(steps), 2)
    width = (text_width - (columns - 1) * TAKES_COLUMN_GAP_MM) / columns - TAKES_INDENT_MM
    per_line = max(1, int(width / TAKES_CHAR_MM))
    heights = []
    for step in steps:
        lines = sum(math.ceil(len(describe_criterion(framework, c)) / per_line)
                    for c in step.criteria)
        if len(steps) == 1:
            lines = math.ceil(lines / 2)
        else:
            lines += math.ceil(len(step.title) / per_line)
        heights.append(lines * TAKES_LINE_MM)
    return TAKES_HEAD_MM + max(heights)


def printed_title_mm(layout: CareerMapLayout, placement: MapPlacement) -> float:
    """How tall a role title of the drawing prints, in millimetres."""
    return TITLE_SIZE * placement.width_mm / layout.width


def _mm(value: float) -> float:
    return math.floor(value * 10) / 10


def _level_cell(now: int | None, level: int | None) -> dict[str, Any]:
    if level is None:
        change = "absent"
    elif now is None or level > now:
        change = "up"
    else:
        change = "same" if level == now else "down"
    return {"level": level, "change": change}


def shorten(text: str, limit: int = TITLE_LIMIT) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, ending in …."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"


def _kind_unless_named(track: Track) -> str:
    """The track's kind in words, or nothing when its name already says it."""
    kind = track_kind_text(track.kind)
    return "" if kind in track.name.lower() else kind


def _short_pay_step(text: str) -> str:
    """``+USD 7,000 at the midpoint (+18%)`` without the words the row header says."""
    return text.replace(" at the midpoint", "")


def _long_date(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


# --- Rendering ----------------------------------------------------------------------------

class _Renderer:
    """WeasyPrint with the fonts and each stylesheet loaded once per process.

    A map's stylesheet is the same for every map of a paper size, and parsing it (with
    its ``@font-face`` fonts) was a tenth of a map's time: the document's stylesheet is
    taken out of its ``<head>`` and given to WeasyPrint parsed, from a cache of them.
    """

    MAX_STYLESHEETS = 16

    def __init__(self) -> None:
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self.stylesheets: dict[str, Any] = {}

    def render(self, html: str) -> bytes:
        import weasyprint

        stylesheets = None
        head_end = html.find("</head>")
        found = _HEAD_STYLE.search(html, 0, head_end if head_end >= 0 else 0)
        if found is not None:
            stylesheets = [self._stylesheet(found.group(1))]
            html = html[:found.start()] + html[found.end():]
        document = weasyprint.HTML(string=html, base_url=_BASE_URL)
        return document.write_pdf(stylesheets=stylesheets, font_config=self.font_config)

    def _stylesheet(self, text: str) -> Any:
        import weasyprint

        sheet = self.stylesheets.get(text)
        if sheet is None:
            if len(self.stylesheets) >= self.MAX_STYLESHEETS:
                self.stylesheets.clear()
            sheet = self.stylesheets[text] = weasyprint.CSS(
                string=text, base_url=_BASE_URL, font_config=self.font_config)
        return sheet


_HEAD_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_BASE_URL = MAP_TEMPLATES_DIR.as_uri() + "/"
_renderer: _Renderer | None = None


def render_pdf(html: str) -> bytes:
    """Render a map's HTML to PDF bytes with the bundled fonts."""
    global _renderer
    if _renderer is None:
        _renderer = _Renderer()
    return _renderer.render(html)


def _render_to_file(html: str, path: str) -> None:
    """Worker: render ``html`` and store the PDF at ``path`` (a file of the cache)."""
    store_pdf(Path(path), render_pdf(html))


def store_pdf(path: Path, data: bytes) -> None:
    """Write a cache file atomically with :data:`CACHE_FILE_MODE` (links never followed)."""
    replace_file(path, data, CACHE_FILE_MODE)


@lru_cache(maxsize=1)
def _renderer_fingerprint() -> str:
    """Hash of everything besides the HTML that changes a PDF: fonts and WeasyPrint."""
    from importlib import metadata

    try:  # without importing WeasyPrint (a second): a build taking every map from the
        weasyprint_version = metadata.version("weasyprint")  # cache never needs it
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        import weasyprint

        weasyprint_version = weasyprint.__version__
    digest = hashlib.sha256(
        f"{CACHE_FORMAT}\0{weasyprint_version}\0{_generator_version()}\0".encode())
    for font in sorted(FONTS_DIR.glob("*.[ot]tf")):
        digest.update(font.name.encode() + b"\0" + font.read_bytes())
    return digest.hexdigest()


def _generator_version() -> str:
    """The installed Career Paths version ("" when run from a plain checkout)."""
    from importlib import metadata

    try:
        return metadata.version("career-paths")
    except metadata.PackageNotFoundError:
        return ""


def map_key(html: str) -> str:
    """The cache key of a map: its HTML plus the renderer fingerprint."""
    digest = hashlib.sha256(_renderer_fingerprint().encode())
    digest.update(html.encode("utf-8"))
    return digest.hexdigest()


def _render_all(work: list[tuple[str, Path]], jobs: int) -> None:
    """Render (html, path) pairs, in parallel processes when there is more than one."""
    workers = min(jobs or os.cpu_count() or 1, len(work))
    if workers <= 1:
        gc.freeze()
        try:
            for html, path in work:
                _render_to_file(html, str(path))
        finally:
            gc.unfreeze()
        return
    context = _process_context()
    forked_here = context.get_start_method() == "fork"
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_worker_start,
                               initargs=(os.getpid() if forked_here else None,))
    try:
        list(pool.map(_render_to_file, [html for html, _ in work],
                      [str(path) for _, path in work],
                      chunksize=max(1, min(8, len(work) // (workers * 4)))))
    except BaseException:  # a failed map, Ctrl-C, SIGTERM: the other workers stop now
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _worker_start(parent: int | None) -> None:
    """A map worker ends at once on SIGTERM, even inside WeasyPrint (the parent's Python
    handler would wait for the C code to return), leaves Ctrl-C to its parent, and dies
    with it, even by ``kill -9``.

    The objects it inherits (the frameworks: hundreds of thousands at 5,000 roles) are
    frozen out of the cycle collector, which would otherwise scan them all again and
    again while WeasyPrint makes its own (a fifth of a map's time at 5,000 roles).
    """
    start_worker(parent, interruptible=False)
    gc.freeze()


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the pool's worker processes at once (instead of after the maps queued)."""
    stop = getattr(pool, "terminate_workers", None)  # Python 3.14
    if stop is not None:
        stop()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            process.terminate()


def _process_context() -> multiprocessing.context.BaseContext:
    """Fork when safe (fast: WeasyPrint is already imported); a fork server otherwise."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver")


# --- Building ------------------------------------------------------------------------------

INDEX_FILE = "inputs.json"
"""The cache's index: the inputs key of each map built before -> the key of its PDF."""
INDEX_MAX_ENTRIES = 50_000
"""An index never grows beyond this (the oldest entries go first)."""
_KEY = re.compile(r"[0-9a-f]{64}")


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """Hash of the generator's code and templates: any change of them makes every map's
    inputs key new (its HTML is then made again and compared with the cached PDFs')."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted([*package.rglob("*.py"), *TEMPLATES_DIR.rglob("*")]):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(path.parents[1])).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


class MapInputs:
    """Decides from the model which maps an edit touches, without rendering any HTML.

    A map's HTML is made from the framework-wide data (metadata, tracks, tiers,
    competencies, policies, metrics, public pay) and from the roles it shows: the role,
    its next and lateral roles and the roles promoted into it, or every role when the
    whole career map may be drawn on it. The *inputs key* of a map hashes exactly these
    (each role by its complete public data, in the order they are shown), the paper, the
    site URL and the code and templates; the cache's index maps it to the key of the PDF
    rendered from them. Editing one role's title therefore changes the keys of the maps
    that show that role and no other; a framework-wide change changes them all.

    :class:`FrameworkMaps` must keep to this: a map may show other roles than these only
    if :meth:`shown_roles` lists them (``tests/test_maps_staleness.py`` checks it).
    """

    def __init__(self, maps: FrameworkMaps) -> None:
        self.maps = maps
        framework = maps.framework
        digest = hashlib.sha256("\0".join([
            _renderer_fingerprint(), _code_fingerprint(), maps.paper, maps.site_url,
            framework.id]).encode())
        for item in dataclasses.fields(framework):
            if item.name not in ("roles", "files", "sources", "root"):
                digest.update(item.name.encode() + b"\0")
                digest.update(_dump(getattr(framework, item.name)).encode() + b"\0")
        self.base = digest.hexdigest()
        self.role_hashes = {
            role_id: hashlib.sha256(role.model_dump_json().encode()).hexdigest()
            for role_id, role in framework.roles.items()}
        if self._surely_too_wide and "_whole_size" not in vars(maps):
            # Laying the whole map out takes seconds at thousands of roles, only for
            # choose_map to find it too big to read: a size it is at least as wide as
            # leads to the same choice.
            vars(maps)["_whole_size"] = (self._narrowest_whole_width, 1.0)

    def shown_roles(self, role_id: str) -> list[str]:
        """The roles whose data ``role_id``'s map is made from, in the order it shows them."""
        framework = self.maps.framework
        if self._whole_map_possible(role_id):
            return list(framework.roles)
        role = framework.roles[role_id]
        return [role_id, *role.next, *role.lateral, *framework.previous_roles[role_id]]

    def key(self, role_id: str) -> str:
        """The inputs key of ``role_id``'s map."""
        digest = hashlib.sha256(f"{self.base}\0{role_id}".encode())
        for shown in self.shown_roles(role_id):
            digest.update(f"\0{shown}\0{self.role_hashes.get(shown, '')}".encode())
        return digest.hexdigest()

    def _whole_map_possible(self, role_id: str) -> bool:
        """Whether the map may draw the whole career map (as :func:`choose_map` decides),
        judged from a lower bound of its width before laying it out."""
        if self._surely_too_wide:
            return False
        whole = self.maps._whole_size
        if whole is None:
            return False
        full_cut = next_criteria_mm(self.maps.framework, role_id, self.maps.paper)
        return any(_whole_map_readable(whole, self.maps.paper, cut)
                   for cut in height_cuts(full_cut))

    @cached_property
    def _surely_too_wide(self) -> bool:
        """True when the whole map cannot print readably on this paper whatever its
        layout: its track columns alone are too wide (every track holding roles is at
        least one role box wide), twice over."""
        _, page_width, _ = PAPER_SIZES[self.maps.paper]
        widest = TITLE_SIZE * (page_width - 2 * SIDE_MARGIN_MM) / MIN_TITLE_MM
        return self._narrowest_whole_width > 2 * widest

    @cached_property
    def _narrowest_whole_width(self) -> float:
        """A lower bound of the whole map's width: one role box per track holding roles."""
        return BOX_WIDTH * len({role.track for role in self.maps.framework.roles.values()})


def height_cuts(full_cut: float) -> list[float]:
    """The heights (mm) :func:`choose_map` tries to give up for the next roles' criteria,
    most first: all they need, half of it, none."""
    return [full_cut, full_cut / 2, 0.0] if full_cut else [0.0]


def _whole_map_readable(whole_size: tuple[float, float], paper: Paper, cut: float) -> bool:
    """The first test of :func:`choose_map`: would the whole map's titles print readably?"""
    width, height = whole_size
    placement = place_map(width, height, paper, height_cut_mm=cut)
    return TITLE_SIZE * placement.width_mm / width >= MIN_TITLE_MM


def _dump(value: Any) -> str:
    """A stable text of a framework-wide value (pydantic models as JSON)."""
    if isinstance(value, BaseModel):
        return value.model_dump_json()
    if isinstance(value, list | tuple):
        return "[" + ",".join(_dump(item) for item in value) + "]"
    return repr(value)


@dataclass
class _PlannedMap:
    framework_id: str
    role_id: str
    inputs: str
    maps: FrameworkMaps
    key: str | None = None
    """The PDF's key (a hash of its HTML), once known."""
    html: str | None = None

    @property
    def ident(self) -> tuple[str, str]:
        return (self.framework_id, self.role_id)

    def make_html(self) -> None:
        """Make the map's HTML and its key."""
        self.html = self.maps.html(self.role_id)
        self.key = map_key(self.html)


class MapCache:
    """A folder of rendered maps (``<key>.pdf``) that only this generator writes.

    The folder is refused if it is a symbolic link, or if it lies in a git repository and
    is reached through a link there or holds files git tracks: a cache must never come
    from a pull request.  A file is taken from it only if it is a regular file (not a
    link) with one name, owned by the user running the build, with mode 0600 (git checks
    files out as 0644 or 0755) and starting like a PDF; anything else under a map's name
    is deleted (a link as a link) and the map rendered again.  The same holds for its
    index (:data:`INDEX_FILE`), which names PDFs by their keys only.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def open(cls, folder: Path) -> MapCache:
        """The cache at ``folder``, created (mode 0700) if missing; raise
        :class:`~generator.safe_paths.UnsafePathError` if it cannot be trusted."""
        folder = Path(os.path.abspath(folder))
        if folder.is_symlink():
            raise UnsafePathError(str(folder), "the maps cache is a symbolic link (to "
                                  f"{os.readlink(folder)}); point the cache at a real folder")
        existing = next(parent for parent in [folder, *folder.parents] if parent.exists())
        top = toplevel(existing if existing.is_dir() else existing.parent)
        if top is not None and folder.is_relative_to(top):
            check_output_folder(folder, Project.of(top), "the maps cache")
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return cls(folder)

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.pdf"

    def take(self, key: str) -> Path | None:
        """The cached map of ``key`` if there is one written by us (its use time refreshed)."""
        path = self.path(key)
        if not self._ours(path, _starts_like_pdf):
            return None
        now = time.time()
        os.utime(path, (now, now))
        return path

    def _ours(self, path: Path, looks_right: Any) -> bool:
        """Whether ``path`` is a file this generator wrote; anything else there is deleted."""
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            return False
        if (stat.S_ISREG(info.st_mode) and info.st_nlink == 1 and info.st_uid == os.getuid()
                and stat.S_IMODE(info.st_mode) == CACHE_FILE_MODE and looks_right(path)):
            return True
        log.warning("%s: not a file this generator cached (a link, a file of another owner "
                    "or one checked out by git); it is made again", path)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return False

    def read_index(self) -> dict[str, str]:
        """The index: inputs key -> PDF key (empty if missing or not ours)."""
        path = self.folder / INDEX_FILE
        if not self._ours(path, lambda _path: True):
            return {}
        try:
            entries = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(entries, dict):
            return {}
        return {inputs: key for inputs, key in entries.items()
                if isinstance(key, str) and _KEY.fullmatch(inputs) and _KEY.fullmatch(key)}

    def write_index(self, index: dict[str, str]) -> None:
        """Store the index (the newest :data:`INDEX_MAX_ENTRIES` entries)."""
        newest = dict(list(index.items())[-INDEX_MAX_ENTRIES:])
        store_pdf(self.folder / INDEX_FILE, json.dumps(newest).encode())

    def prune(self, used: set[str], max_age_days: int = CACHE_MAX_AGE_DAYS) -> None:
        """Delete cached maps other than ``used`` that no build has used for ``max_age_days``."""
        oldest = time.time() - max_age_days * 86400
        for pdf in self.folder.glob("*.pdf"):
            with contextlib.suppress(FileNotFoundError):
                if pdf.stem not in used and pdf.lstat().st_mtime < oldest:
                    pdf.unlink()


def _starts_like_pdf(path: Path) -> bool:
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    with os.fdopen(descriptor, "rb") as handle:
        return handle.read(5) == b"%PDF-"


def build_maps(frameworks: Iterable[Framework], out_dir: Path | None,
               options: MapOptions | None = None, *, framework_id: str | None = None,
               role_id: str | None = None) -> MapReport:
    """Write ``out_dir/<framework>/<role>.pdf`` for every role (or the ones selected).

    Maps whose inputs are in the cache's index, or whose HTML's key is in the cache, are
    taken from it; the others are rendered in parallel. A full build of a framework
    removes PDFs of roles that no longer exist. With ``out_dir=None`` nothing is copied:
    the report points at the cached PDFs (content-addressed and never changed, so
    concurrent site builds can share them). Raises
    :class:`~generator.safe_paths.UnsafePathError` for a cache or output folder that
    cannot be trusted.
    """
    options = options or MapOptions()
    if out_dir is None and options.cache_dir is None:
        raise ValueError("build_maps needs an out_dir or a cache_dir")
    started = time.perf_counter()
    planned = _plan(frameworks, options, framework_id, role_id)
    report = MapReport()
    with tempfile.TemporaryDirectory(prefix="career-maps-") as scratch:
        cache = MapCache.open(options.cache_dir) if options.cache_dir else MapCache(Path(scratch))
        index = cache.read_index() if options.cache_dir else {}
        taken = _render_missing(planned, cache, index, options.jobs, report)
        for item in planned:
            assert item.key is not None
            report.keys[item.ident] = item.key
            cached = cache.path(item.key) if item.key in taken else cache.take(item.key)
            if cached is None:
                raise UnsafePathError(str(cache.path(item.key)),
                                      "the map rendered here was replaced during the build")
            if out_dir is None:
                report.files[item.ident] = cached
            else:
                report.files[item.ident] = _copy_unless_same(
                    cached, out_dir, f"{item.framework_id}/{item.role_id}.pdf")
        if options.cache_dir is not None:
            if any(index.get(item.inputs) != item.key for item in planned):
                for item in planned:
                    assert item.key is not None
                    index.pop(item.inputs, None)  # to the end: the newest entries are kept
                    index[item.inputs] = item.key
                cache.write_index(index)
            cache.prune({item.key for item in planned if item.key})
    if out_dir is not None and role_id is None:
        for fid in {item.framework_id for item in planned}:
            _remove_stale(out_dir / fid, {rid for (f, rid) in report.files if f == fid})
    report.seconds = time.perf_counter() - started
    return report


def _copy_unless_same(cached: Path, out_dir: Path, relative: str) -> Path:
    """Write the cached PDF to ``out_dir/relative`` (checked like every output), unless a
    regular file with the same bytes is there already."""
    data = cached.read_bytes()
    target = out_dir / relative
    with contextlib.suppress(OSError):
        info = os.lstat(target)
        if (stat.S_ISREG(info.st_mode) and info.st_size == len(data)
                and _read_nofollow(target) == data):
            return target
    return write_file(out_dir, relative, data)


def _read_nofollow(path: Path) -> bytes:
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(descriptor, "rb") as handle:
        return handle.read()


def _plan(frameworks: Iterable[Framework], options: MapOptions, framework_id: str | None,
          role_id: str | None) -> list[_PlannedMap]:
    """The inputs key of every selected map."""
    planned = []
    for framework in frameworks:
        if framework_id is not None and framework.id != framework_id:
            continue
        if role_id is not None and role_id not in framework.roles:
            raise KeyError(f"framework '{framework.id}' has no role '{role_id}'")
        maps = FrameworkMaps(framework, paper=options.paper, site_url=options.site_url)
        inputs = MapInputs(maps)
        for current in [role_id] if role_id is not None else maps.role_ids:
            planned.append(_PlannedMap(framework.id, current, inputs.key(current), maps))
    return planned


def _render_missing(planned: list[_PlannedMap], cache: MapCache, index: dict[str, str],
                    jobs: int, report: MapReport) -> set[str]:
    """Render the maps that are not in the cache yet; count hits and renders; return the
    keys of the cached maps found (and checked) on the way.

    A map whose inputs key the index knows, with that PDF in the cache, is taken as it
    is; the others get their HTML made, and are rendered unless a PDF of that HTML is
    cached already.
    """
    missing: dict[str, str] = {}
    taken: set[str] = set()

    def cached(key: str) -> bool:
        if key not in taken and cache.take(key) is not None:
            taken.add(key)
        return key in taken

    for item in planned:
        known = index.get(item.inputs)
        if known is not None and (known in missing or cached(known)):
            item.key = known
            (report.rendered if known in missing else report.cached).append(item.ident)
            continue
        item.make_html()
        assert item.key is not None and item.html is not None
        if item.key not in missing and cached(item.key):
            report.cached.append(item.ident)
        else:
            missing.setdefault(item.key, item.html)
            report.rendered.append(item.ident)
    _render_all([(html, cache.path(key)) for key, html in missing.items()], jobs)
    return taken


def _remove_stale(folder: Path, keep: set[str]) -> None:
    for pdf in folder.glob("*.pdf"):
        if pdf.stem not in keep:
            pdf.unlink()


def prune_cache(cache_dir: Path, used: set[str], max_age_days: int = CACHE_MAX_AGE_DAYS) -> None:
    """Delete cached maps other than ``used`` that no build has used for ``max_age_days``."""
    MapCache(cache_dir).prune(used, max_age_days)


def default_cache_dir() -> Path:
    """``$CAREER_PATHS_MAPS_CACHE`` if set, else ``career-paths/maps`` in the user's cache
    folder (``$XDG_CACHE_HOME``, else ``~/.cache``): outside every repository."""
    if os.environ.get(MAPS_CACHE_ENV):
        return Path(os.environ[MAPS_CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or ""
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / CACHE_SUBFOLDER


__all__ = [
    "CACHE_FILE_MODE",
    "HIGHLIGHT_FILL",
    "FrameworkMaps",
    "MapCache",
    "MapOptions",
    "MapReport",
    "build_maps",
    "default_cache_dir",
    "map_key",
    "render_pdf",
]
