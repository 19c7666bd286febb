"""The career map: every role of a framework in one diagram, drawn as SVG.

Tracks are columns (in ``framework.yaml`` order) and tiers are rows with the lowest tier at
the bottom, so promotions point upward. Each role is a box; solid arrows are promotions
(``next``), dashed teal lines are lateral moves, with a head at both ends when the move
goes both ways. :func:`layout_career_map` computes the geometry, the markup lives in
``templates/career_map.svg.j2``, and :func:`render_career_map` joins the two.

Layout rules:

- A track column is as wide as its widest tier: roles of one track at one tier sit side by
  side, sorted by title, centred in the column.
- Promotions leave a box at the top and enter the target at the bottom, drawn as vertical
  and horizontal runs with rounded corners. The horizontal runs sit in the gap below the
  target's row, each on its own level (no two lines share a stretch), so they never cross
  a box. A promotion that skips tiers climbs through a free vertical lane (a gutter or an
  empty cell) past the rows in between. Boxes stacked in a column get straight lines.
- A lateral move between neighbours at least MIN_SIDE_GAP apart is a straight line;
  otherwise it is a bracket over the tops of the boxes in between, inside its own tier's
  band (longer brackets rise higher, so nested ones do not touch).
- Where several lines meet one side of a box they get separate ports, ordered so lines
  cross as little as possible and placed as near the other end as the spacing allows.
- Band heights grow with the number of runs and brackets they hold.
- Format 1.1: a role graded across tiers (``tier_max``) is one box running through its
  rows (its column's cells then start at the left, so the box keeps one place); promotions
  leave it at the top and enter it at the bottom. A ``shared`` track (the roles everyone
  passes before the fork) has no column: its roles span the columns of the tracks they
  lead into, so their promotions fan out into each, and a strip under the rows names it
  (unless a shared role would share a row with another track's: then it keeps a column).
  Promotions into a role with ``advancement: automatic`` end in a double arrowhead (and
  the legend says so); with ``tier_label`` the tier labels get that word as a heading.

Embedding: the root has a ``viewBox`` and ``style="width:100%;height:auto;max-width:<natural
width>px"`` (no width/height attributes, which WeasyPrint would keep as a fixed height), so it
fills its container up to its natural size. Below :attr:`CareerMapLayout.min_width_px` the
text gets too small to read, so wrap it in a scrolling container with that minimum width
(the value is also on the root as ``data-min-width``)::

    <div style="overflow-x:auto"><div style="min-width:{{ min_width_px }}px">{{ svg }}</div></div>

To fill a printed page instead, lift the cap: ``svg.cm-map { max-width: none !important }``.

The map paints its own light background and sets every colour explicitly, so it reads the
same in Material's light and dark (slate) schemes and in print.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

from generator.model import Framework, Role
from generator.templating import render_template

TEMPLATE = "career_map.svg.j2"

HIGHLIGHT_FILL = "#c2185b"
"""Fill of the highlighted role's box and colour of its moves (PDF tests look for it)."""
HIGHLIGHT_TEXT = "#ffffff"
HIGHLIGHT_STROKE = "#880e4f"
HIGHLIGHT_OUTLINE_WIDTH = 3.0
"""Outline width of the boxes the highlighted role can move to (outline is HIGHLIGHT_FILL)."""

BACKGROUND = "#ffffff"
BORDER = "#d0d7de"
BAND_FILLS = ("#f6f8fa", "#ebeff3")
TEXT = "#1b1f24"
MUTED_TEXT = "#4a5561"
NEXT_STROKE = "#37474f"
LATERAL_STROKE = "#00796b"
FADED_NEXT_STROKE = "#d3dbe0"
FADED_LATERAL_STROKE = "#c4e0dc"
FOCUS_RING = "#0b57d0"
EDGE_COLOURS = {
    "next-plain": NEXT_STROKE, "next-faded": FADED_NEXT_STROKE, "next-highlight": HIGHLIGHT_FILL,
    "lateral-plain": LATERAL_STROKE, "lateral-faded": FADED_LATERAL_STROKE,
    "lateral-highlight": HIGHLIGHT_FILL,
}
"""Line and arrowhead colour per ``<edge kind>-<edge state>``."""
FONT_FAMILY = "Arial, 'Liberation Sans', 'Helvetica Neue', Helvetica, sans-serif"


@dataclass(frozen=True)
class TrackColours:
    """A track's colours: light box fill; dark accent for outlines, header and tags."""

    fill: str
    accent: str


TRACK_COLOURS = (
    TrackColours("#e3effc", "#1565c0"),
    TrackColours("#fcf2dc", "#805300"),
    TrackColours("#f1e6f7", "#6a1b9a"),
    TrackColours("#e4f3e6", "#2e7d32"),
    TrackColours("#eceff1", "#455a64"),
)
TRACK_KIND_LABELS = {"individual": "Individual contributor", "management": "People management",
                     "shared": "Shared early career"}

MIN_READABLE_SCALE = 0.85
"""The map is readable down to this scale; ``min_width_px`` is the width at this scale."""

MARGIN = 16.0
BOX_WIDTH = 168.0
BOX_PAD_X = 10.0
SUB_GAP = 14.0
TRACK_GAP = 40.0
TIER_LABEL_WIDTH = 112.0
LABEL_GAP = 28.0
TOP_PAD_MIN = 22.0
BOTTOM_PAD_MIN = 26.0
RUN_TOP_ROOM = 17.0
RUN_BOTTOM_ROOM = 12.0
RUN_STEP = 7.0
CORNER_RADIUS = 7.0
HEADER_GAP = 6.0
TITLE_SIZE = 13.0
TITLE_LINE = 16.0
TITLE_MAX_LINES = 3
SMALL_SIZE = 11.0
TAG_SIZE = 9.5
HEADER_SIZE = 14.0
HEADER_LINE = 17.0
HEADER_PAD = 10.0
HEADER_PAD_X = 12.0
"""Room left and right of a track name inside its header cell."""
PORT_STEP = 15.0
PORT_INSET = 16.0
PORT_ROUNDS = 4
MIN_SIDE_GAP = 36.0
"""Neighbours closer than this get a lateral arc over their tops, not a short line."""
ARC_MIN_RISE = 17.0
ARC_STEP = 7.0
ARC_CLEARANCE = 9.0
LANE_CLEARANCE = 8.0
LANE_SPACING = 6.0
LEGEND_LINE = 24.0
ARROW_SIZE = 9
HIGHLIGHT_ARROW_SIZE = 11

BoxState = Literal["plain", "highlight", "target"]
EdgeKind = Literal["next", "lateral"]
EdgeState = Literal["plain", "highlight", "faded"]


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle in SVG user units."""

    x: float
    y: float
    width: float
    height: float

    def __post_init__(self) -> None:
        for name in ("x", "y", "width", "height"):
            object.__setattr__(self, name, _round(getattr(self, name)))

    @property
    def right(self) -> float:
        return _round(self.x + self.width)

    @property
    def bottom(self) -> float:
        return _round(self.y + self.height)

    @property
    def cx(self) -> float:
        return _round(self.x + self.width / 2)

    @property
    def cy(self) -> float:
        return _round(self.y + self.height / 2)

    def grown(self, by: float) -> Rect:
        """This rectangle with ``by`` more on every side."""
        return Rect(self.x - by, self.y - by, self.width + 2 * by, self.height + 2 * by)

    def overlaps(self, other: Rect) -> bool:
        """True when the two rectangles share some area (touching edges do not count)."""
        return (self.x < other.right and other.x < self.right
                and self.y < other.bottom and other.y < self.bottom)


@dataclass(frozen=True)
class TextLine:
    """One line of text; ``x``/``y`` is the anchor point on the baseline."""

    x: float
    y: float
    text: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "x", _round(self.x))
        object.__setattr__(self, "y", _round(self.y))


@dataclass(frozen=True)
class RoleBox:
    """A role's box with its text and colours."""

    role_id: str
    title: str
    track_id: str
    tier_id: str
    entry: bool
    rect: Rect
    title_lines: tuple[TextLine, ...]
    tier_label: TextLine
    entry_tag: Rect | None
    entry_label: TextLine | None
    state: BoxState
    fill: str
    stroke: str
    stroke_width: float
    text_colour: str
    label_colour: str
    tag_fill: str
    tag_text_colour: str
    aria_label: str
    palette: int
    """Index of the track's colours in TRACK_COLOURS (the page restyles them in dark mode)."""
    title_width: float
    """Width the title lines must fit in (a browser with a wider font squeezes them)."""


@dataclass(frozen=True)
class Marker:
    """An arrowhead definition; ``reverse`` heads sit at the start of a path."""

    id: str
    colour: str
    size: float
    reverse: bool
    style: str
    """``<edge kind>-<edge state>`` of the lines that use it."""
    double: bool = False
    """A double head: promotions into roles people move into automatically."""


@dataclass(frozen=True)
class Edge:
    """A promotion or lateral move, drawn as an SVG path from ``source`` to ``target``."""

    kind: EdgeKind
    source: str
    target: str
    two_way: bool
    path: str
    state: EdgeState
    stroke: str
    stroke_width: float
    dash: str | None
    marker_start: str | None
    marker_end: str
    automatic: bool = False
    """A promotion into a role people move into as soon as they meet its criteria."""


@dataclass(frozen=True)
class TierRow:
    """A tier's horizontal band with its label at the left."""

    tier_id: str
    name: str
    band: Rect
    label_lines: tuple[TextLine, ...]
    fill: str
    label_cell: Rect
    """The band's left end under the label: drawn over the roles, so that the labels stay
    readable where the page keeps them in view while the map scrolls sideways."""


@dataclass(frozen=True)
class TrackColumn:
    """A track's column and its header cell."""

    track_id: str
    name: str
    kind: str
    column: Rect
    header: Rect
    name_lines: tuple[TextLine, ...]
    kind_line: TextLine | None
    """The kind of track ("Individual contributor"), unless the name already says it."""
    fill: str
    accent: str
    palette: int
    name_width: float


@dataclass(frozen=True)
class SharedTrackBand:
    """A ``shared`` track drawn across the columns of the tracks it forks into: its roles
    span those columns, and its name runs in a strip under the rows."""

    track_id: str
    name: str
    rect: Rect
    label: TextLine
    fill: str
    accent: str
    palette: int


@dataclass(frozen=True)
class LegendEntry:
    """A legend item: a symbol of ``kind`` drawn in ``symbol`` and its label."""

    kind: str
    symbol: Rect
    label: TextLine
    symbol_text: TextLine | None = None


@dataclass(frozen=True)
class CareerMapLayout:
    """The whole drawing: canvas size, rows, columns, boxes, edges and legend."""

    framework_id: str
    id_prefix: str
    title: str
    description: str
    width: float
    height: float
    min_width_px: int
    """Narrowest width (CSS px) at which the text stays readable; scroll below it."""
    highlight: str | None
    background: Rect
    tiers: tuple[TierRow, ...]
    tracks: tuple[TrackColumn, ...]
    boxes: tuple[RoleBox, ...]
    edges: tuple[Edge, ...]
    markers: tuple[Marker, ...]
    legend: tuple[LegendEntry, ...]
    grid_top: float
    """Where the tier rows start: above it are the track headers."""
    label_width: float
    """Width of the tier labels' column at the left (header cells start right of it)."""
    shared_tracks: tuple[SharedTrackBand, ...] = ()
    tier_heading: str = ""
    """The framework's word for tiers ("Bands") over the row labels, when it names one."""

    def box(self, role_id: str) -> RoleBox:
        """The box of ``role_id``."""
        for box in self.boxes:
            if box.role_id == role_id:
                return box
        raise KeyError(role_id)


def default_link(role_id: str) -> str:
    """The relative link of a role page from the framework's index: ``roles/<id>/``."""
    return f"roles/{role_id}/"


def layout_career_map(framework: Framework, highlight: str | None = None) -> CareerMapLayout:
    """Compute the career map of ``framework``; ``highlight`` names a role to emphasise."""
    if highlight is not None and highlight not in framework.roles:
        raise ValueError(f"cannot highlight unknown role '{highlight}' of '{framework.id}'")
    return _Builder(framework, highlight).build()


def render_career_map(framework: Framework, *, highlight: str | None = None,
                      link_for: Callable[[str], str] | None = None,
                      include_links: bool = True) -> str:
    """The career map of ``framework`` as a standalone SVG document.

    Each box links to ``link_for(role_id)`` (default ``roles/<id>/``) unless
    ``include_links`` is false.
    """
    layout = layout_career_map(framework, highlight)
    return render_layout(layout, link_for=link_for, include_links=include_links)


def render_layout(layout: CareerMapLayout, *, link_for: Callable[[str], str] | None = None,
                  include_links: bool = True) -> str:
    """Render a computed layout to SVG (lets a caller reuse ``layout.min_width_px``)."""
    links = None
    if include_links:
        make_link = link_for or default_link
        links = {box.role_id: make_link(box.role_id) for box in layout.boxes}
    return render_template(
        TEMPLATE, layout=layout, links=links, font_family=FONT_FAMILY,
        colours={"background": BACKGROUND, "border": BORDER, "text": TEXT,
                 "muted": MUTED_TEXT, "next": NEXT_STROKE, "lateral": LATERAL_STROKE,
                 "highlight": HIGHLIGHT_FILL, "focus": FOCUS_RING},
    )


# --- Text measurement -------------------------------------------------------------------

_ARIAL_WIDTHS = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
    "abcdefghijklmnopqrstuvwxyz{|}~",
    (278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
     556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
     1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
     667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
     333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
     556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584),
    strict=True,
))
_UNKNOWN_WIDTH = 600
_BOLD_FACTOR = 1.08
_SAFETY_FACTOR = 1.05
"""Room for fonts a little wider than Arial (Roboto is narrower, DejaVu wider)."""
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` on one line, without characters XML cannot carry."""
    return " ".join(_XML_INVALID.sub("", text).split())


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Estimated rendered width of ``text`` at font ``size`` (Arial metrics, with slack)."""
    units = sum(_ARIAL_WIDTHS.get(char, _UNKNOWN_WIDTH) for char in text)
    return units / 1000 * size * (_BOLD_FACTOR if bold else 1.0) * _SAFETY_FACTOR


def wrap_text(text: str, max_width: float, size: float, *, bold: bool = False,
              max_lines: int = TITLE_MAX_LINES) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines; the last one ends in … if cut."""
    lines: list[str] = []
    for word in clean_text(text).split(" "):
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and text_width(candidate, size, bold=bold) <= max_width:
            lines[-1] = candidate
        else:
            lines.extend(_split_long_word(word, max_width, size, bold))
        if len(lines) > max_lines:
            break  # the rest is cut off anyway; a title of 100,000 characters stays fast
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], _ellipsize(" ".join(lines[max_lines - 1:]),
                                                     max_width, size, bold)]
    return lines or [""]


def _split_long_word(word: str, max_width: float, size: float, bold: bool) -> list[str]:
    pieces = [""]
    for char in word:
        if pieces[-1] and text_width(pieces[-1] + char, size, bold=bold) > max_width:
            pieces.append("")
        pieces[-1] += char
    return pieces


def _ellipsize(text: str, max_width: float, size: float, bold: bool) -> str:
    if text_width(text, size, bold=bold) <= max_width:
        return text
    while text and text_width(text + "…", size, bold=bold) > max_width:
        text = text[:-1]
    return text.rstrip() + "…"


# --- Routing state ----------------------------------------------------------------------

RouteShape = Literal["climb", "side", "arc"]


@dataclass(eq=False)
class _Hop:
    """A horizontal run of a climbing edge in the channel above row ``channel``."""

    channel: int
    start: float
    end: float
    level: int = 0


@dataclass(eq=False)
class _Route:
    """An edge while it is being routed."""

    kind: EdgeKind
    source: str
    target: str
    two_way: bool
    shape: RouteShape
    ports: dict[str, float] = field(default_factory=dict)
    lane: float | None = None
    hops: list[_Hop] = field(default_factory=list)
    level: int = 0
    """For arcs: 1 for the lowest arc over its row, higher for arcs spanning it."""

    def other(self, role_id: str) -> str:
        return self.target if role_id == self.source else self.source


@dataclass
class _Column:
    track_id: str
    x: float
    width: float
    slots: int


class _Builder:
    """Computes one :class:`CareerMapLayout`: x geometry, routes, y geometry, then paths."""

    def __init__(self, framework: Framework, highlight: str | None) -> None:
        self.framework = framework
        self.highlight = highlight
        self.prefix = _id_prefix(framework.id, highlight)
        self.tier_ids = [tier.id for tier in framework.spec.tiers]
        self.rank = {tier_id: rank for rank, tier_id in enumerate(self.tier_ids)}
        self.roles = {role_id: role for role_id, role in framework.roles.items()
                      if role.tier in self.rank and role.track in framework.tracks}
        self.span = {role_id: framework.tier_span(role) for role_id, role in self.roles.items()}
        self.spanning_tracks = self._spanning_tracks()
        self.cells = self._cells()
        self.title_lines = {role_id: wrap_text(role.title, BOX_WIDTH - 2 * BOX_PAD_X,
                                               TITLE_SIZE, bold=True)
                            for role_id, role in self.roles.items()}
        self.box_height = _box_height(max((len(lines) for lines in self.title_lines.values()),
                                          default=1))
        self.columns: list[_Column] = []
        self.box_x: dict[str, float] = {}
        self.box_w: dict[str, float] = {}
        """Widths of boxes wider than BOX_WIDTH (shared roles spanning the tracks)."""
        self.row_top: dict[str, float] = {}
        self.run_top: dict[int, float] = {}
        self.bands: dict[str, Rect] = {}
        self.row_xs: dict[int, list[float]] = {}
        self.has_automatic = False

    # Top-level steps

    def build(self) -> CareerMapLayout:
        self._place_columns()
        routes = self._routes()
        self.has_automatic = any(self._automatic(route) for route in routes)
        self._choose_lanes(routes)
        self._assign_ports(routes)
        arc_levels = self._arc_levels(routes)
        run_levels = self._run_levels(routes)
        header_height = self._header_height()
        grid_top = MARGIN + header_height + HEADER_GAP
        grid_bottom = self._place_rows(grid_top, arc_levels, run_levels)
        width = self.columns[-1].x + self.columns[-1].width + LABEL_GAP + MARGIN
        shared = self._shared_track_bands(grid_bottom)
        legend = self._legend((shared[-1].rect.bottom if shared else grid_bottom) + 10, width,
                              automatic=self.has_automatic)
        height = legend[-1].symbol.bottom + 14 + MARGIN
        boxes = self._boxes()
        edges = self._edges(routes)
        return CareerMapLayout(
            framework_id=self.framework.id,
            id_prefix=self.prefix,
            title=clean_text(f"Career map: {self.framework.spec.name}"),
            description=self._description(),
            width=_round(width),
            height=_round(height),
            min_width_px=math.ceil(width * MIN_READABLE_SCALE),
            highlight=self.highlight,
            background=Rect(0.5, 0.5, width - 1, height - 1),
            tiers=self._tier_rows(width),
            tracks=self._track_columns(header_height, grid_bottom),
            boxes=boxes,
            edges=edges,
            markers=self._markers(),
            legend=legend,
            grid_top=_round(grid_top),
            label_width=MARGIN + TIER_LABEL_WIDTH,
            shared_tracks=shared,
            tier_heading=clean_text(self.framework.tier_label_plural)
            if self.framework.spec.tier_label else "",
        )

    def _shared_track_bands(self, grid_bottom: float) -> tuple[SharedTrackBand, ...]:
        """A strip naming each shared track under the rows, as wide as its roles' boxes."""
        bands = []
        y = grid_bottom + 6
        for track in self.framework.spec.tracks:
            roles = [role_id for role_id, role in self.roles.items() if role.track == track.id]
            if track.id not in self.spanning_tracks or not roles:
                continue
            left = min(self.box_x[role_id] for role_id in roles)
            right = max(self.box_x[role_id] + self._width(role_id) for role_id in roles)
            palette = self._palette(track.id)
            rect = Rect(left, y, right - left, 24)
            text = _ellipsize(clean_text(f"{track.name} ({TRACK_KIND_LABELS['shared'].lower()})"),
                              rect.width - 2 * HEADER_PAD_X, TITLE_SIZE, True)
            bands.append(SharedTrackBand(track.id, clean_text(track.name), rect,
                                         TextLine(rect.cx, rect.cy + TITLE_SIZE * 0.35, text),
                                         TRACK_COLOURS[palette].fill,
                                         TRACK_COLOURS[palette].accent, palette))
            y = rect.bottom + 6
        return tuple(bands)

    # Cells and columns

    def _spanning_tracks(self) -> set[str]:
        """The ``shared`` tracks drawn across the other tracks' columns (the fork): every
        one, unless a shared role would share a row with a role of another track (then
        they keep a column of their own)."""
        tracks = self.framework.spec.tracks
        shared = {track.id for track in tracks if track.kind == "shared"}
        if not shared or all(track.id in shared for track in tracks):
            return set()
        rows = {False: set(), True: set()}
        for role_id, role in self.roles.items():
            low, high = self.span[role_id]
            rows[role.track in shared].update(range(low, high + 1))
        return set() if rows[True] & rows[False] else shared

    def _cells(self) -> dict[tuple[str, str], list[Role]]:
        """(track, tier) -> its roles; a role graded across tiers is in the cell of each,
        first (its box runs through them)."""
        cells: dict[tuple[str, str], list[Role]] = {}
        for role in sorted(self.roles.values(),
                           key=lambda role: (not role.tier_max, role.title, role.id)):
            low, high = self.span[role.id]
            for rank in range(low, high + 1):
                cells.setdefault((role.track, self.tier_ids[rank]), []).append(role)
        return cells

    def _place_columns(self) -> None:
        x = MARGIN + TIER_LABEL_WIDTH + LABEL_GAP
        for track in self.framework.spec.tracks:
            if track.id in self.spanning_tracks:
                continue
            slots = max((len(roles) for (track_id, _), roles in self.cells.items()
                         if track_id == track.id), default=1)
            width = slots * BOX_WIDTH + (slots - 1) * SUB_GAP
            self.columns.append(_Column(track.id, x, width, slots))
            x += width + TRACK_GAP
        for column in self.columns:
            spanning = any(role.tier_max for (track_id, _), roles in self.cells.items()
                           if track_id == column.track_id for role in roles)
            for tier_id in self.tier_ids:
                roles = self.cells.get((column.track_id, tier_id), [])
                used = len(roles) * BOX_WIDTH + max(len(roles) - 1, 0) * SUB_GAP
                # A box running through rows keeps one place: the column's cells start left.
                start = column.x + (0 if spanning else (column.width - used) / 2)
                for index, role in enumerate(roles):
                    self.box_x.setdefault(role.id, start + index * (BOX_WIDTH + SUB_GAP))
        self._place_spanning_roles()

    def _place_spanning_roles(self) -> None:
        """Shared roles: each tier's across the columns of the tracks they lead into (all
        columns when they lead nowhere, or when several share a tier)."""
        by_tier: dict[str, list[Role]] = {}
        for (track_id, tier_id), roles in self.cells.items():
            if track_id in self.spanning_tracks:
                by_tier.setdefault(tier_id, []).extend(roles)
        for roles in by_tier.values():
            targets = {self.roles[t].track for t in roles[0].next if t in self.roles}
            columns = [column for column in self.columns
                       if column.track_id in targets] if len(roles) == 1 else []
            columns = columns or self.columns
            left, right = columns[0].x, columns[-1].x + columns[-1].width
            width = (right - left - (len(roles) - 1) * SUB_GAP) / len(roles)
            for index, role in enumerate(roles):
                self.box_x[role.id] = left + index * (width + SUB_GAP)
                self.box_w[role.id] = width

    def _width(self, role_id: str) -> float:
        return self.box_w.get(role_id, BOX_WIDTH)

    def _centre_x(self, role_id: str) -> float:
        return self.box_x[role_id] + self._width(role_id) / 2

    def _row_of(self, role_id: str) -> int:
        """The row of the role's (lowest) tier."""
        return self.span[role_id][0]

    def _top_row_of(self, role_id: str) -> int:
        """The row of the role's highest tier (its tier_max; else its tier)."""
        return self.span[role_id][1]

    def _rows_overlap(self, first: str, second: str) -> bool:
        return (self._row_of(first) <= self._top_row_of(second)
                and self._row_of(second) <= self._top_row_of(first))

    def _shared_row(self, first: str, second: str) -> int:
        """The lowest row two roles whose rows overlap both sit in."""
        return max(self._row_of(first), self._row_of(second))

    # Routes

    def _routes(self) -> list[_Route]:
        routes = [self._route("next", role.id, target, two_way=False)
                  for role in self._roles_in_order() for target in role.next
                  if target in self.roles and target != role.id]
        seen: set[frozenset[str]] = set()
        for role in self._roles_in_order():
            for other in role.lateral:
                pair = frozenset((role.id, other))
                if other not in self.roles or other == role.id or pair in seen:
                    continue
                seen.add(pair)
                two_way = role.id in self.roles[other].lateral
                source, target = role.id, other
                if two_way and self._centre_x(target) < self._centre_x(source):
                    source, target = target, source  # a two-way line runs left to right
                routes.append(self._route("lateral", source, target, two_way=two_way))
        return routes

    def _route(self, kind: EdgeKind, source: str, target: str, *, two_way: bool) -> _Route:
        if not self._rows_overlap(source, target):
            shape: RouteShape = "climb"
        elif self._adjacent(source, target):
            shape = "side"
        else:
            shape = "arc"
        return _Route(kind, source, target, two_way, shape)

    def _roles_in_order(self) -> list[Role]:
        """Roles lowest tier first, then left to right: the reading and tab order."""
        return sorted(self.roles.values(),
                      key=lambda role: (self.rank[role.tier], self.box_x[role.id]))

    def _adjacent(self, first: str, second: str) -> bool:
        """True for neighbours in a row with room for a straight line between them."""
        (left, left_id), (right, _) = sorted(((self.box_x[first], first),
                                              (self.box_x[second], second)))
        if right - left - self._width(left_id) < MIN_SIDE_GAP:
            return False
        row = self._box_xs_by_row()[self._shared_row(first, second)]
        after_left = bisect.bisect_right(row, left)
        return after_left == len(row) or row[after_left] >= right

    def _box_xs_by_row(self) -> dict[int, list[float]]:
        """Row -> the x of its boxes, sorted (for big maps: no scan of every box per line)."""
        if not self.row_xs:
            for role_id in self.roles:
                for row in range(self._row_of(role_id), self._top_row_of(role_id) + 1):
                    self.row_xs.setdefault(row, []).append(self.box_x[role_id])
            for xs in self.row_xs.values():
                xs.sort()
        return self.row_xs

    def _ends(self, route: _Route) -> tuple[str, str]:
        """(lower, upper) role ids of a climbing route."""
        if self._row_of(route.source) < self._row_of(route.target):
            return route.source, route.target
        return route.target, route.source

    # Lanes for promotions that skip tiers

    def _choose_lanes(self, routes: list[_Route]) -> None:
        used: dict[float, int] = {}
        for route in routes:
            if route.shape != "climb":
                continue
            lower, upper = self._ends(route)
            rows = range(self._top_row_of(lower) + 1, self._row_of(upper))
            if rows:
                route.lane = self._lane(self._centre_x(lower), self._centre_x(upper), rows, used)

    def _lane(self, start: float, end: float, rows: range, used: dict[float, int]) -> float:
        blocked = [(self.box_x[role_id] - LANE_CLEARANCE,
                    self.box_x[role_id] + self._width(role_id) + LANE_CLEARANCE)
                   for role_id in self.roles
                   if self._row_of(role_id) <= rows[-1] and self._top_row_of(role_id) >= rows[0]]

        def free(x: float) -> bool:
            return not any(low < x < high for low, high in blocked)

        middle = (start + end) / 2
        candidates = [x for x in (start, end, middle, *self._gutters()) if free(x)]
        best = min(candidates, key=lambda x: (abs(x - start) + abs(x - end), abs(x - middle)))
        count = used.get(best, 0)
        used[best] = count + 1
        shifted = best + (-1) ** count * math.ceil(count / 2) * LANE_SPACING
        return shifted if free(shifted) else best

    def _gutters(self) -> list[float]:
        first = self.columns[0].x
        last = self.columns[-1]
        gutters = [first - LABEL_GAP / 2, last.x + last.width + LABEL_GAP / 2]
        for left, right in pairwise(self.columns):
            gutters.append((left.x + left.width + right.x) / 2)
        for column in self.columns:
            gutters.extend(column.x + slot * (BOX_WIDTH + SUB_GAP) - SUB_GAP / 2
                           for slot in range(1, column.slots))
        return gutters

    # Ports: where lines meet a box side

    def _assign_ports(self, routes: list[_Route]) -> None:
        """Spread the lines meeting each box side, each as near as it can to its other end.

        A few rounds let both ends of a line settle on the same x, so boxes stacked in
        one column are joined by straight lines.
        """
        sides: dict[tuple[str, str], list[tuple[tuple[int, float], _Route]]] = {}
        for route in routes:
            for role_id, side, key in self._attachments(route):
                sides.setdefault((role_id, side), []).append((key, route))
        for attached in sides.values():
            attached.sort(key=lambda item: item[0])
        for _ in range(PORT_ROUNDS):
            for (role_id, _side), attached in sides.items():
                wanted = [self._wanted_port(route, role_id) for _key, route in attached]
                for x, (_key, route) in zip(self._spread(role_id, wanted), attached,
                                            strict=True):
                    route.ports[role_id] = x

    def _attachments(self, route: _Route) -> Iterable[tuple[str, str, tuple[int, float]]]:
        """(role, side, order key) for each end of ``route`` that needs a port.

        On a box top, arcs heading left take the leftmost ports (nearest first), arcs
        heading right the rightmost, climbs sit between, ordered by where they go.
        """
        if route.shape == "climb":
            lower, upper = self._ends(route)
            yield lower, "top", (1, self._toward(route, lower))
            yield upper, "bottom", (1, self._toward(route, upper))
        elif route.shape == "arc":
            for role_id in (route.source, route.target):
                other_x = self._centre_x(route.other(role_id))
                group = 0 if other_x < self._centre_x(role_id) else 2
                yield role_id, "top", (group, -other_x)

    def _toward(self, route: _Route, role_id: str) -> float:
        """The x a line leaving ``role_id`` heads for: its lane, else the other box."""
        if route.lane is not None:
            return route.lane
        return route.ports.get(route.other(role_id), self._centre_x(route.other(role_id)))

    def _wanted_port(self, route: _Route, role_id: str) -> float:
        low = self.box_x[role_id] + PORT_INSET
        return min(max(self._toward(route, role_id), low),
                   low + self._width(role_id) - 2 * PORT_INSET)

    def _spread(self, role_id: str, wanted: list[float]) -> list[float]:
        """Ports in the given order, at least PORT_STEP apart, as near ``wanted`` as can be."""
        low = self.box_x[role_id] + PORT_INSET
        room = self._width(role_id) - 2 * PORT_INSET
        count = len(wanted)
        if count == 1:
            return [min(max(wanted[0], low), low + room)]
        step = min(PORT_STEP, room / (count - 1))
        shifted = _isotonic([x - index * step for index, x in enumerate(wanted)])
        highest_first = low + room - (count - 1) * step
        return [min(max(x, low), highest_first) + index * step
                for index, x in enumerate(shifted)]

    # Arcs: how high each lateral arc rises above its row

    def _arc_levels(self, routes: list[_Route]) -> dict[str, int]:
        """Give each arc a level (longer arcs span shorter ones); per tier, the highest."""
        by_tier: dict[str, list[_Route]] = {}
        for route in routes:
            if route.shape == "arc":
                by_tier.setdefault(self.roles[route.source].tier, []).append(route)
        for arcs in by_tier.values():
            # Placed arcs sorted by start: only those starting near this one can overlap it
            # (none is wider), so big maps do not compare every pair of arcs.
            starts: list[float] = []
            placed: list[tuple[tuple[float, float], _Route]] = []
            for route in sorted(arcs, key=_span_width):
                span = _span(route)
                reach = 2 * CORNER_RADIUS + (span[1] - span[0]) + 1e-6
                first = bisect.bisect_left(starts, span[0] - reach)
                last = bisect.bisect_right(starts, span[1] + 2 * CORNER_RADIUS + 1e-6)
                route.level = 1 + max((other.level for other_span, other in placed[first:last]
                                       if _overlap(span, other_span)), default=0)
                index = bisect.bisect_right(starts, span[0])
                starts.insert(index, span[0])
                placed.insert(index, (span, route))
        return {tier_id: max(route.level for route in arcs) for tier_id, arcs in by_tier.items()}

    # Runs: the horizontal part of each climb, one level per line in each channel

    def _run_levels(self, routes: list[_Route]) -> dict[int, int]:
        """Plan the hops of every climb; per channel, how many levels its runs need."""
        by_channel: dict[int, list[_Hop]] = {}
        for route in routes:
            if route.shape == "climb":
                route.hops = self._hops(route)
                for hop in route.hops:
                    if abs(hop.end - hop.start) >= 1:
                        by_channel.setdefault(hop.channel, []).append(hop)
        return {channel: _stack_runs(hops) for channel, hops in by_channel.items()}

    def _hops(self, route: _Route) -> list[_Hop]:
        lower, upper = self._ends(route)
        start, end = route.ports[lower], route.ports[upper]
        if route.lane is None:
            return [_Hop(self._top_row_of(lower), start, end)]
        return [_Hop(self._top_row_of(lower), start, route.lane),
                _Hop(self._row_of(upper) - 1, route.lane, end)]

    # Rows

    def _place_rows(self, grid_top: float, arc_levels: dict[str, int],
                    run_levels: dict[int, int]) -> float:
        """Stack the tier bands from the top: arcs above each row, runs below it."""
        y = grid_top
        for rank in reversed(range(len(self.tier_ids))):
            tier_id = self.tier_ids[rank]
            arcs = arc_levels.get(tier_id, 0)
            top_pad = max(TOP_PAD_MIN, _arc_rise(arcs) + ARC_CLEARANCE if arcs else 0)
            runs = run_levels.get(rank - 1, 0)
            bottom_pad = max(BOTTOM_PAD_MIN, RUN_TOP_ROOM + (runs - 1) * RUN_STEP
                             + RUN_BOTTOM_ROOM if runs else 0)
            self.row_top[tier_id] = y + top_pad
            self.run_top[rank - 1] = y + top_pad + self.box_height + RUN_TOP_ROOM
            height = top_pad + self.box_height + bottom_pad
            self.bands[tier_id] = Rect(MARGIN, y, 0, height)
            y += height
        return y

    def _rect(self, role_id: str) -> Rect:
        """A role's box: in its tier's row, or from its highest tier's row down to its
        lowest tier's (a role graded across tiers)."""
        low, high = self.span[role_id]
        top = self.row_top[self.tier_ids[high]]
        bottom = self.row_top[self.tier_ids[low]] + self.box_height
        return Rect(self.box_x[role_id], top, self._width(role_id), bottom - top)

    def _tier_rows(self, width: float) -> tuple[TierRow, ...]:
        rows = []
        for index, tier in enumerate(reversed(self.framework.spec.tiers)):
            band = self.bands[tier.id]
            band = Rect(band.x, band.y, width - 2 * MARGIN, band.height)
            lines = wrap_text(tier.name, TIER_LABEL_WIDTH - 12, TITLE_SIZE, bold=True)
            first_y = (self.row_top[tier.id] + self.box_height / 2
                       - (len(lines) - 1) * TITLE_LINE / 2 + TITLE_SIZE * 0.35)
            label_lines = tuple(TextLine(MARGIN + 12, first_y + i * TITLE_LINE, line)
                                for i, line in enumerate(lines))
            cell = Rect(band.x, band.y, TIER_LABEL_WIDTH, band.height)
            rows.append(TierRow(tier.id, clean_text(tier.name), band, label_lines,
                                BAND_FILLS[index % 2], cell))
        return tuple(rows)

    # Header

    def _header_lines(self, column: _Column) -> list[str]:
        track = self.framework.tracks[column.track_id]
        return wrap_text(track.name, column.width - 2 * HEADER_PAD_X, HEADER_SIZE, bold=True,
                         max_lines=3)

    def _kind_label(self, column: _Column) -> str | None:
        """The kind of track under its name, unless the name says it ("Individual
        Contributor" needs no "Individual contributor" below it)."""
        track = self.framework.tracks[column.track_id]
        kind = TRACK_KIND_LABELS.get(track.kind, track.kind)
        return None if clean_text(track.name).casefold() == kind.casefold() else kind

    def _header_block(self, column: _Column) -> float:
        """Height of a header's text: the name's lines and the kind line, if any."""
        kind_room = SMALL_SIZE + 4 if self._kind_label(column) else 0
        return len(self._header_lines(column)) * HEADER_LINE + kind_room

    def _header_height(self) -> float:
        return 2 * HEADER_PAD + max(self._header_block(column) for column in self.columns)

    def _track_columns(self, header_height: float, grid_bottom: float) -> tuple[TrackColumn, ...]:
        return tuple(self._track_column(column, header_height, grid_bottom)
                     for column in self.columns)

    def _track_column(self, column: _Column, header_height: float,
                      grid_bottom: float) -> TrackColumn:
        """A header cell: the track name and its kind, centred as one block."""
        track = self.framework.tracks[column.track_id]
        palette = self._palette(track.id)
        colours = TRACK_COLOURS[palette]
        lines = self._header_lines(column)
        kind = self._kind_label(column)
        first_y = (MARGIN + 3 + (header_height - self._header_block(column)) / 2
                   + HEADER_SIZE * 0.9)
        centre = column.x + column.width / 2
        name_lines = tuple(TextLine(centre, first_y + i * HEADER_LINE, line)
                           for i, line in enumerate(lines))
        kind_line = TextLine(centre, name_lines[-1].y + SMALL_SIZE + 5, kind) if kind else None
        return TrackColumn(
            track.id, clean_text(track.name), track.kind,
            Rect(column.x, MARGIN, column.width, grid_bottom - MARGIN),
            Rect(column.x, MARGIN, column.width, header_height),
            name_lines, kind_line, colours.fill, colours.accent, palette,
            _round(column.width - 2 * HEADER_PAD_X),
        )

    # Boxes

    def _palette(self, track_id: str) -> int:
        """The track's colours: by its place in framework.yaml (a column's, in version 1)."""
        index = next(i for i, track in enumerate(self.framework.spec.tracks)
                     if track.id == track_id)
        return index % len(TRACK_COLOURS)

    def _track_colours(self, track_id: str) -> TrackColours:
        return TRACK_COLOURS[self._palette(track_id)]

    def _moves_of_highlight(self) -> set[str]:
        if self.highlight is None:
            return set()
        role = self.roles[self.highlight]
        return {role_id for role_id in (*role.next, *role.lateral) if role_id in self.roles}

    def _boxes(self) -> tuple[RoleBox, ...]:
        targets = self._moves_of_highlight()
        return tuple(self._box(role, targets) for role in self._roles_in_order())

    def _box(self, role: Role, targets: set[str]) -> RoleBox:
        rect = self._rect(role.id)
        colours = self._track_colours(role.track)
        state: BoxState = ("highlight" if role.id == self.highlight
                           else "target" if role.id in targets else "plain")
        tag, tag_label = _entry_tag(rect) if role.entry else (None, None)
        tier_name = clean_text(self._tier_text(role))
        tier_width = rect.width - 2 * BOX_PAD_X - (tag.width + 6 if tag else 0)
        tier_label = TextLine(rect.x + BOX_PAD_X, rect.bottom - 9,
                              _ellipsize(tier_name, tier_width, SMALL_SIZE, False))
        highlighted = state == "highlight"
        return RoleBox(
            role_id=role.id, title=clean_text(role.title), track_id=role.track,
            tier_id=role.tier, entry=role.entry, rect=rect,
            title_lines=self._title_lines(role.id, rect), tier_label=tier_label,
            entry_tag=tag, entry_label=tag_label, state=state,
            fill=HIGHLIGHT_FILL if highlighted else colours.fill,
            stroke=(HIGHLIGHT_STROKE if highlighted
                    else HIGHLIGHT_FILL if state == "target" else colours.accent),
            stroke_width=HIGHLIGHT_OUTLINE_WIDTH if state == "target" else 1.25,
            text_colour=HIGHLIGHT_TEXT if highlighted else TEXT,
            label_colour=HIGHLIGHT_TEXT if highlighted else MUTED_TEXT,
            tag_fill=HIGHLIGHT_TEXT if highlighted else colours.accent,
            tag_text_colour=HIGHLIGHT_FILL if highlighted else HIGHLIGHT_TEXT,
            aria_label=self._aria_label(role, state),
            palette=self._palette(role.track),
            title_width=BOX_WIDTH - 2 * BOX_PAD_X,
        )

    def _tier_text(self, role: Role) -> str:
        """The role's tier by name, or its range ("Band 6 to Band 7")."""
        low, high = self.span[role.id]
        names = self.framework.spec.tiers
        return names[low].name if low == high else f"{names[low].name} to {names[high].name}"

    def _title_lines(self, role_id: str, rect: Rect) -> tuple[TextLine, ...]:
        lines = self.title_lines[role_id]
        area_top, area_bottom = rect.y + 6, rect.bottom - 22
        first_y = ((area_top + area_bottom) / 2 - (len(lines) - 1) * TITLE_LINE / 2
                   + TITLE_SIZE * 0.35)
        return tuple(TextLine(rect.cx, first_y + i * TITLE_LINE, line)
                     for i, line in enumerate(lines))

    def _aria_label(self, role: Role, state: BoxState) -> str:
        """The link's name: the box's visible words in their order (title, tier, "entry"),
        so that speech input finds the link by what it shows, then its track and state."""
        track = self.framework.tracks[role.track].name
        tier = self._tier_text(role)
        parts = [role.title, tier]
        if role.entry:
            parts.append("entry role")
        parts.append(f"{track} track")
        if state == "highlight":
            parts.append("this role")
        elif state == "target":
            parts.append("a next move from the highlighted role")
        return clean_text(", ".join(parts))

    # Edges

    def _edges(self, routes: list[_Route]) -> tuple[Edge, ...]:
        order = {"faded": 0, "plain": 1, "highlight": 2}
        edges = [self._edge(route) for route in routes]
        return tuple(sorted(edges, key=lambda edge: (order[edge.state], edge.kind == "next")))

    def _edge_state(self, route: _Route) -> EdgeState:
        if self.highlight is None:
            return "plain"
        if route.source == self.highlight:
            return "highlight"
        if route.kind == "lateral" and route.target == self.highlight and route.two_way:
            return "highlight"
        return "faded"

    def _automatic(self, route: _Route) -> bool:
        return (route.kind == "next"
                and self.framework.advancement_of(self.roles[route.target]) == "automatic")

    def _edge(self, route: _Route) -> Edge:
        state = self._edge_state(route)
        style = f"{route.kind}-{state}"
        automatic = self._automatic(route)
        width = 3.0 if state == "highlight" else 1.5
        dash = None if route.kind == "next" else ("7 4" if state == "highlight" else "5 4")
        return Edge(
            kind=route.kind, source=route.source, target=route.target,
            two_way=route.two_way, path=self._path(route), state=state,
            stroke=EDGE_COLOURS[style], stroke_width=width, dash=dash,
            marker_start=f"{self.prefix}-{style}-start" if route.two_way else None,
            marker_end=f"{self.prefix}-{'auto-' + state if automatic else style}-end",
            automatic=automatic,
        )

    def _path(self, route: _Route) -> str:
        if route.shape == "side":
            return self._side_path(route)
        if route.shape == "arc":
            return self._arc_path(route)
        return self._climb_path(route)

    def _side_path(self, route: _Route) -> str:
        source, target = self._rect(route.source), self._rect(route.target)
        row = self.tier_ids[self._shared_row(route.source, route.target)]
        y = self.row_top[row] + self.box_height / 2
        if source.x < target.x:
            return f"M{_n(source.right)},{_n(y)} H{_n(target.x)}"
        return f"M{_n(source.x)},{_n(y)} H{_n(target.right)}"

    def _arc_path(self, route: _Route) -> str:
        x1, x2 = route.ports[route.source], route.ports[route.target]
        top1, top2 = self._rect(route.source).y, self._rect(route.target).y
        crest = min(top1, top2) - _arc_rise(route.level)
        return _rounded_path([(x1, top1), (x1, crest), (x2, crest), (x2, top2)])

    def _climb_path(self, route: _Route) -> str:
        lower, upper = self._ends(route)
        points = [(route.ports[lower], self._rect(lower).y)]
        for hop in route.hops:
            if hop.level:
                y = self.run_top[hop.channel] + (hop.level - 1) * RUN_STEP
                points += [(hop.start, y), (hop.end, y)]
        points.append((route.ports[upper], self._rect(upper).bottom))
        if lower != route.source:
            points.reverse()
        return _rounded_path(points)

    def _markers(self) -> tuple[Marker, ...]:
        markers = [
            Marker(f"{self.prefix}-{style}-{end}", colour,
                   HIGHLIGHT_ARROW_SIZE if style.endswith("highlight") else ARROW_SIZE,
                   reverse=end == "start", style=style)
            for style, colour in EDGE_COLOURS.items() for end in ("end", "start")
        ]
        if self.has_automatic:
            markers += [
                Marker(f"{self.prefix}-auto-{state}-end", EDGE_COLOURS[f"next-{state}"],
                       (HIGHLIGHT_ARROW_SIZE if state == "highlight" else ARROW_SIZE) * 1.4,
                       reverse=False, style=f"next-{state}", double=True)
                for state in ("plain", "faded", "highlight")]
        return tuple(markers)

    # Legend and description

    def _legend(self, top: float, width: float, *,
                automatic: bool = False) -> tuple[LegendEntry, ...]:
        """Legend items left to right, wrapping onto more lines when the map is narrow."""
        items = [("next", 30.0, "Promotion"), ("lateral", 30.0, "Lateral move"),
                 ("entry", 38.0, "Entry role (hired from outside)")]
        if automatic:
            items.insert(1, ("automatic", 30.0, "Automatic promotion (once the criteria are met)"))
        if self.highlight is not None:
            items += [("highlight", 22.0, "Selected role"),
                      ("target", 22.0, "Where it can move next")]
        entries = []
        left = x = MARGIN + 12
        y = top
        for kind, symbol_width, label in items:
            item_width = symbol_width + 7 + text_width(label, SMALL_SIZE)
            if x > left and x + item_width > width - MARGIN - 12:
                x, y = left, y + LEGEND_LINE
            symbol = Rect(x, y + 6, symbol_width, 14)
            label_line = TextLine(symbol.right + 7, symbol.cy + SMALL_SIZE * 0.35, label)
            symbol_text = (TextLine(symbol.cx, symbol.cy + TAG_SIZE * 0.35, "ENTRY")
                           if kind == "entry" else None)
            entries.append(LegendEntry(kind, symbol, label_line, symbol_text))
            x += item_width + 22
        return tuple(entries)

    def _description(self) -> str:
        framework = self.framework
        # Semicolons: a track name may hold commas ("Quality, Training and Planning").
        tracks = "; ".join(track.name for track in framework.spec.tracks)
        text = (f"{len(self.roles)} roles of {framework.spec.organisation} on "
                f"{len(framework.spec.tracks)} tracks ({tracks}) across "
                f"{len(self.tier_ids)} tiers, from {framework.spec.tiers[0].name} at the bottom "
                f"to {framework.spec.tiers[-1].name} at the top. Solid arrows point to "
                "promotions; dashed lines show lateral moves, with a head at both ends when "
                "the move goes both ways.")
        if framework.spec.tier_label:
            text = text.replace(f"{len(self.tier_ids)} tiers",
                                f"{len(self.tier_ids)} {framework.tier_label_plural.lower()}", 1)
        shared = [track.name for track in framework.spec.tracks
                  if track.id in self.spanning_tracks]
        if shared:
            text += (f" {'; '.join(shared)}: shared early roles, drawn across the tracks "
                     "they fork into.")
        if self.has_automatic:
            text += (" A double arrowhead marks an automatic promotion, made once the criteria "
                     "are met.")
        if self.highlight is not None:
            role = self.roles[self.highlight]
            moves = [self.roles[role_id].title for role_id in (*role.next, *role.lateral)
                     if role_id in self.roles]
            text += f" Highlighted: {role.title}"
            text += f"; it can move to {', '.join(moves)}." if moves else "."
        return clean_text(text)


def _box_height(title_lines: int) -> float:
    return 12 + title_lines * TITLE_LINE + 8 + SMALL_SIZE + 10


def _entry_tag(rect: Rect) -> tuple[Rect, TextLine]:
    width = text_width("ENTRY", TAG_SIZE, bold=True) + 10
    tag = Rect(rect.right - BOX_PAD_X + 3 - width, rect.bottom - 21, width, 15)
    return tag, TextLine(tag.cx, tag.cy + TAG_SIZE * 0.35, "ENTRY")


def _span(route: _Route) -> tuple[float, float]:
    low, high = sorted(route.ports.values())
    return low, high


def _span_width(route: _Route) -> float:
    low, high = _span(route)
    return high - low


def _overlap(first: tuple[float, float], second: tuple[float, float]) -> bool:
    """True when two x-intervals come closer than a corner's width."""
    return first[0] <= second[1] + 2 * CORNER_RADIUS and second[0] <= first[1] + 2 * CORNER_RADIUS


def _stack_runs(hops: list[_Hop]) -> int:
    """Give overlapping runs of one channel separate levels (1 is nearest the row above).

    Runs heading right are stacked by their start from the left, runs heading left by
    their start from the right: that order keeps a run's vertical legs off the others'.
    """
    rightward = sorted((hop for hop in hops if hop.end > hop.start),
                       key=lambda hop: (hop.start, hop.end))
    leftward = sorted((hop for hop in hops if hop.end < hop.start),
                      key=lambda hop: (-hop.start, -hop.end))
    placed: list[_Hop] = []
    for hop in rightward + leftward:
        span = (min(hop.start, hop.end), max(hop.start, hop.end))
        hop.level = 1 + max((other.level for other in placed
                             if _overlap(span, (min(other.start, other.end),
                                                max(other.start, other.end)))), default=0)
        placed.append(hop)
    return max((hop.level for hop in placed), default=0)


def _isotonic(values: list[float]) -> list[float]:
    """The non-decreasing sequence nearest ``values`` (pool adjacent violators)."""
    blocks: list[list[float]] = []
    for value in values:
        blocks.append([value, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    return [total / count for total, count in blocks for _ in range(int(count))]


def _arc_rise(level: int) -> float:
    return ARC_MIN_RISE + (level - 1) * ARC_STEP


def _rounded_path(points: list[tuple[float, float]], radius: float = CORNER_RADIUS) -> str:
    """A polyline through ``points`` with rounded corners."""
    points = _without_redundant_points(points)
    commands = [f"M{_n(points[0][0])},{_n(points[0][1])}"]
    for before, corner, after in zip(points, points[1:], points[2:], strict=False):
        r = min(radius, _distance(before, corner) / 2, _distance(corner, after) / 2)
        entry, leave = _towards(corner, before, r), _towards(corner, after, r)
        commands.append(f"L{_n(entry[0])},{_n(entry[1])} "
                        f"Q{_n(corner[0])},{_n(corner[1])} {_n(leave[0])},{_n(leave[1])}")
    commands.append(f"L{_n(points[-1][0])},{_n(points[-1][1])}")
    return " ".join(commands)


def _without_redundant_points(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop repeated points and middle points of straight stretches."""
    kept: list[tuple[float, float]] = []
    for point in points:
        if kept and _distance(kept[-1], point) < 0.5:
            continue
        if len(kept) >= 2 and _collinear(kept[-2], kept[-1], point):
            kept[-1] = point
        else:
            kept.append(point)
    return kept


def _collinear(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> bool:
    return abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])) < 0.5


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(b[0] - a[0], b[1] - a[1])


def _towards(origin: tuple[float, float], target: tuple[float, float],
             length: float) -> tuple[float, float]:
    distance = _distance(origin, target) or 1.0
    return (origin[0] + (target[0] - origin[0]) * length / distance,
            origin[1] + (target[1] - origin[1]) * length / distance)


def _round(value: float) -> float:
    """Coordinates to 0.01: enough for any screen or printer, short in the markup."""
    rounded = round(float(value), 2)
    return int(rounded) if rounded.is_integer() else rounded


def _n(value: float) -> str:
    """A coordinate with at most one decimal."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _id_prefix(framework_id: str, highlight: str | None) -> str:
    raw = f"cm-{framework_id}" + (f"-{highlight}" if highlight else "")
    return re.sub(r"[^A-Za-z0-9_-]", "-", raw)


def neighbourhood(framework: Framework, role_id: str) -> Framework:
    """The part of ``framework`` a map centred on one role draws: the role, the roles it can
    move to (``next``, ``lateral``) and the roles promoted into it, on their tracks, over the
    tiers they span (up to a role's ``tier_max``) (the same moves as the role page lists).

    A big framework's role pages draw this instead of every role: a full map on each of
    thousands of pages would make the site grow with the square of the roles.
    """
    role = framework.roles[role_id]
    arrivals = framework.previous_roles.get(role_id, [])
    kept = {kept_id: framework.roles[kept_id]
            for kept_id in (role_id, *role.next, *role.lateral, *arrivals)
            if kept_id in framework.roles}
    tracks = [track for track in framework.spec.tracks
              if any(kept_role.track == track.id for kept_role in kept.values())]
    ranks = [rank for kept_role in kept.values() if kept_role.tier in framework.tier_rank
             for rank in framework.tier_span(kept_role)]
    tiers = framework.spec.tiers[min(ranks):max(ranks) + 1] if ranks else framework.spec.tiers
    spec = framework.spec.model_copy(update={"tracks": tracks, "tiers": tiers})
    return dataclasses.replace(framework, spec=spec, roles=kept)


# --- The ladder: the map's readable form on a phone ---------------------------------------


@dataclass(frozen=True)
class LadderMove:
    """A move out of (or into) a ladder's role; ``track`` is set when it crosses tracks."""

    title: str
    link: str
    track: str


@dataclass(frozen=True)
class LadderRole:
    """A role on its track's ladder, with the moves the map draws as lines."""

    role_id: str
    title: str
    link: str
    entry: bool
    highlight: bool
    next: tuple[LadderMove, ...]
    lateral: tuple[LadderMove, ...]
    arrivals: tuple[LadderMove, ...]
    """Promotions into the role from other tracks (those from its own track are below it)."""


@dataclass(frozen=True)
class LadderStep:
    """The roles of one track at one tier."""

    tier: str
    roles: tuple[LadderRole, ...]


@dataclass(frozen=True)
class LadderTrack:
    """One track as a ladder: its tiers that hold roles, highest first, as on the map."""

    track_id: str
    name: str
    kind: str
    steps: tuple[LadderStep, ...]
    current: bool
    """The track shown first: the highlighted role's, else the first one."""


def career_ladder(framework: Framework, highlight: str | None = None,
                  link_for: Callable[[str], str] = default_link) -> tuple[LadderTrack, ...]:
    """Every track of ``framework`` as a vertical ladder listing each role's moves.

    On a phone the whole map would shrink below reading size; a ladder per track keeps
    every title at body size and spells out the lines of the map: promotions, lateral
    moves and the promotions arriving from other tracks. Empty tiers are left out.
    """
    roles = framework.roles
    highlighted_track = roles[highlight].track if highlight in roles else None

    def move(role_id: str, own_track: str) -> LadderMove:
        role = roles[role_id]
        track = framework.tracks[role.track].name if role.track != own_track else ""
        return LadderMove(clean_text(role.title), link_for(role_id), clean_text(track))

    tracks = []
    for index, track in enumerate(framework.spec.tracks):
        by_tier: dict[str, list[LadderRole]] = {}
        for role in framework.roles_on_track(track.id):
            arrivals = [source for source in framework.previous_roles.get(role.id, [])
                        if roles[source].track != track.id]
            by_tier.setdefault(role.tier, []).append(LadderRole(
                role.id, clean_text(role.title), link_for(role.id), role.entry,
                role.id == highlight,
                tuple(move(target, track.id) for target in role.next if target in roles),
                tuple(move(other, track.id) for other in role.lateral if other in roles),
                tuple(move(source, track.id) for source in arrivals)))
        steps = tuple(LadderStep(clean_text(tier.name), tuple(by_tier[tier.id]))
                      for tier in reversed(framework.spec.tiers) if tier.id in by_tier)
        if steps:
            current = (track.id == highlighted_track if highlighted_track
                       else not tracks and index == 0)
            tracks.append(LadderTrack(track.id, clean_text(track.name), track.kind, steps,
                                      current))
    if tracks and not any(track.current for track in tracks):
        tracks[0] = dataclasses.replace(tracks[0], current=True)
    return tuple(tracks)
