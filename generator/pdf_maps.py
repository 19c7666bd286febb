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
import signal
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
    layout_career_map,
    neighbourhood,
    render_layout,
)
from generator.describe import (
    describe_criterion,
    format_band,
    format_money,
    pay_step,
    policy_title,
)
from generator.git import toplevel
from generator.markdown_fields import markdown_inline_html
from generator.model import Criterion, Framework, Role, Track
from generator.safe_paths import Project, UnsafePathError, check_output_folder, write_file
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
"""Fewer lines when the page also lists what each next role takes."""
TAKES_CHAR_MM = 1.2
"""Average width of a character of a next role's criteria (6.5 pt), for estimates."""
TAKES_LINE_MM = 2.7
TAKES_HEAD_MM = 5.5
"""The "What it takes" heading and the space above it."""
TAKES_COLUMN_GAP_MM = 3.0
TAKES_INDENT_MM = 3.4
MIN_TITLE_MM = 1.5
"""Smallest printed role title (about 4 pt) before the map shows only the role's part."""
TITLE_LIMIT = 90
"""Longer names are shortened (a role's full title is printed once, below the header)."""
TEXT_LIMIT = 1000
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
        """The complete HTML document of ``role_id``'s map."""
        framework = self.framework
        role = framework.roles[role_id]
        steps = [framework.roles[target] for target in role.next if target in framework.roles]
        return render_template(
            MAP_TEMPLATE,
            paper=PAPER_SIZES[self.paper][0],
            colours=COLOURS,
            framework=self._framework_context(),
            role=self._role_context(role),
            map=self._map_context(role),
            policies=self._policy_items(),
            steps=[self._step_context(role, step) for step in steps],
            comparison=self._comparison(role, steps),
            pay_public=framework.pay_is_public and framework.band_for(role) is not None,
            lateral=[shorten(framework.roles[r].title) for r in role.lateral
                     if r in framework.roles],
            previous=[shorten(framework.roles[r].title)
                      for r in framework.previous_roles[role.id]],
            notes_lines=(NOTES_LINES_WITH_NEXT_CRITERIA if any(s.criteria for s in steps)
                         else NOTES_LINES)[self.paper],
        )

    def _framework_context(self) -> dict[str, str]:
        spec = self.framework.spec
        return {
            "name": shorten(spec.name),
            "organisation": shorten(spec.organisation),
            "version": shorten(spec.version),
            "effective": _long_date(spec.effective) if spec.effective else "",
        }

    def _role_context(self, role: Role) -> dict[str, Any]:
        framework = self.framework
        band = framework.band_for(role)
        currency = framework.spec.currency
        return {
            "title": shorten(role.title, TEXT_LIMIT),
            "short_title": shorten(role.title),
            "track": shorten(framework.tracks[role.track].name),
            "track_kind": _kind_unless_named(framework.tracks[role.track]),
            "tier": shorten(framework.tiers[role.tier].name),
            "tier_rank": framework.tier_rank[role.tier] + 1,
            "tier_count": len(framework.spec.tiers),
            "entry": role.entry,
            "summary": markdown_inline_html(role.summary and shorten(role.summary, TEXT_LIMIT)),
            "url": printed_url(self.site_url, role_url(framework.id, role.id)),
            "criteria": [self._criterion(c) for c in role.criteria],
            "maintain": [self._criterion(c) for c in role.maintain],
            "band": format_band(band, currency) if band else "",
            "band_mid": f"midpoint {format_money(band.mid, currency)}"
            if band and band.mid is not None else "",
        }

    def _map_context(self, role: Role) -> dict[str, Any]:
        layout, placement, partial = choose_map(self.framework, role.id, self.paper,
                                                whole_size=self._whole_size)
        return {
            "svg": Markup(render_layout(layout, include_links=False)),
            "partial": partial,
            "width_mm": placement.width_mm,
            "side": placement.side,
            "side_kind": placement.side_kind,
            "below": placement.below,
            "notes_last": placement.notes_last,
        }

    def _criterion(self, criterion: Criterion) -> str:
        return shorten(describe_criterion(self.framework, criterion), TEXT_LIMIT)

    def _policy_items(self) -> list[dict[str, str]]:
        """One checklist item per criterion of each policy (its text when it has none)."""
        items = []
        for policy in self.framework.spec.policies:
            texts = [self._criterion(c) for c in policy.criteria]
            items += [{"policy": shorten(policy_title(policy)), "text": text}
                      for text in texts or [shorten(policy.text, TEXT_LIMIT)]]
        return items

    def _step_context(self, role: Role, step: Role) -> dict[str, Any]:
        """A next role's name, its pay step from ``role`` and what it takes to get there."""
        framework = self.framework
        change = pay_step(framework, role, step) if framework.pay_is_public else None
        return {
            "title": shorten(step.title),
            "track": shorten(framework.tracks[step.track].name),
            "tier": shorten(framework.tiers[step.tier].name),
            "pay": _short_pay_step(change.describe(framework.spec.currency)) if change else "",
            "criteria": [self._criterion(c) for c in step.criteria],
        }

    def _comparison(self, role: Role, steps: Sequence[Role]) -> list[dict[str, Any]]:
        """One row per competency of the role or of a next role: level now and at each."""
        order = list(role.competencies)
        for step in steps:
            order += [c for c in step.competencies if c not in order]
        rows = []
        for competency_id in order:
            competency = self.framework.competency_by_id[competency_id]
            now = role.competencies.get(competency_id)
            rows.append({
                "name": shorten(competency.name),
                "top": self.framework.level_count(competency.id),
                "now": now,
                "next": [_level_cell(now, step.competencies.get(competency_id))
                         for step in steps],
            })
        return rows


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
    The drawing is a little smaller when the page lists what the next roles take.
    ``whole_size`` is the width and height of the whole map with a role highlighted (the
    same whichever role): with it, a map too big to read is not laid out for every role.
    """
    cut = next_criteria_mm(framework, role_id, paper)
    readable = True
    if whole_size is not None:
        readable = _whole_map_readable(whole_size, paper, cut)
    if readable:
        layout = layout_career_map(framework, role_id)
        placement = place_map(layout.width, layout.height, paper, height_cut_mm=cut)
        if printed_title_mm(layout, placement) >= MIN_TITLE_MM:
            return layout, placement, False
    layout = layout_career_map(neighbourhood(framework, role_id), role_id)
    return layout, place_map(layout.width, layout.height, paper, PARTIAL_MIN_SHRINK,
                             height_cut_mm=cut), True


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
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                         CACHE_FILE_MODE)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, CACHE_FILE_MODE)  # whatever the umask
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


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
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_process_context(),
                               initializer=_worker_start)
    try:
        list(pool.map(_render_to_file, [html for html, _ in work],
                      [str(path) for _, path in work],
                      chunksize=max(1, min(8, len(work) // (workers * 4)))))
    except BaseException:  # a failed map, Ctrl-C, SIGTERM: the other workers stop now
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _worker_start() -> None:
    """A map worker ends at once on SIGTERM, even inside WeasyPrint (the parent's Python
    handler would wait for the C code to return), and leaves Ctrl-C to its parent.

    The objects it inherits (the frameworks: hundreds of thousands at 5,000 roles) are
    frozen out of the cycle collector, which would otherwise scan them all again and
    again while WeasyPrint makes its own (a fifth of a map's time at 5,000 roles).
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
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
        cut = next_criteria_mm(self.maps.framework, role_id, self.maps.paper)
        return _whole_map_readable(whole, self.maps.paper, cut)

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
