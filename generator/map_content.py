"""What a printed map says about format 1.1's fields, and how its texts are fitted.

:mod:`generator.pdf_maps` asks this module for the words of a map: a tier by its name or
range ("Band 6 to Band 7"), a level by its name ("Practitioner, 3 of 5"), how people
move up (``advancement``), pay over a role's tiers without a made-up midpoint, its pay
points and zones, and the expectations of each competency cut to fit one page
(:func:`fit_texts`). Everything is plain text; the template escapes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.describe import format_band, tier_span_text
from generator.model import CompetencyLevel, Framework, Role

ADVANCEMENT_TEXT = {
    "automatic": "Automatic: people move up as soon as they meet these criteria; no opening "
                 "is needed.",
    "vacancy": "By vacancy: people apply when a position is open.",
    "review": "By review: a promotion case is put to a panel or calibration.",
}
"""How people move into a role (``advancement``), as the map says it next to the criteria."""
ADVANCEMENT_SHORT = {
    "automatic": "Automatic: once the criteria are met.",
    "vacancy": "By vacancy.",
    "review": "By review.",
}
"""The same, once ``short_advancement`` applies (:data:`SHORTENINGS`)."""


def tier_fact_label(framework: Framework, role: Role) -> str:
    """The word in front of a role's tier in the map's header: the framework's tier word,
    unless the tier's name starts with it already ("Band 5" needs no "Band" before it)."""
    label = framework.tier_label
    name = tier_span_text(framework, role)
    return "" if name.casefold().startswith(label.casefold()) else label


def level_words(level: CompetencyLevel) -> str:
    """``Practitioner, 3 of 5`` with a named scale, else ``3 of 5``."""
    numbers = f"{level.number} of {level.of}"
    return f"{level.name}, {numbers}" if level.name else numbers


def advancement_text(framework: Framework, role: Role, *, short: bool = False) -> str:
    """How people move into ``role``, in words (a few with ``short``); "" when the
    framework says nothing."""
    advancement = framework.advancement_of(role)
    words = ADVANCEMENT_SHORT if short else ADVANCEMENT_TEXT
    return words.get(advancement, "") if advancement else ""


def zone_pay_lines(framework: Framework, role: Role) -> list[str]:
    """``Inner London: GBP 36,000 – 43,000`` for each zone the role has pay in."""
    lines = []
    for zone in framework.zones.values():
        pay = framework.pay_range(role, zone.id)
        if pay is not None:
            lines.append(f"{zone.name}: {format_band(pay, framework.spec.currency)}")
    return lines


# --- fitting texts into a page ----------------------------------------------------------------


@dataclass(frozen=True)
class TextBlock:
    """The texts of one table cell or list entry, each a line or more of the printed page."""

    items: tuple[str, ...]


def fit_texts(blocks: Sequence[TextBlock], budget_lines: int, chars_per_line: int,
              ) -> list[tuple[str, ...]]:
    """``blocks`` cut to print in about ``budget_lines`` lines of ``chars_per_line``.

    Every block first gets an equal share of the budget; blocks that need less give the
    rest to the others. Within its share a block keeps its items in order, each cut at a
    word to the lines left (at least one line each); items that get no line are dropped,
    and the last one kept ends in … when something is left out.
    """
    if not blocks:
        return []
    per_line = max(10, chars_per_line)
    needs = [[_lines(item, per_line) for item in block.items] for block in blocks]
    shares = _shares([sum(need) for need in needs], max(budget_lines, len(blocks)))
    return [_fit_block(block, share, per_line) for block, share in zip(blocks, shares,
                                                                        strict=True)]


def _lines(text: str, per_line: int) -> int:
    return max(1, -(-len(text) // per_line))


def _shares(needs: list[int], budget: int) -> list[int]:
    """Lines for each block: what it needs, or an equal share of what is left."""
    shares = [0] * len(needs)
    open_blocks = list(range(len(needs)))
    left = budget
    while open_blocks:
        equal = max(1, left // len(open_blocks))
        settled = [index for index in open_blocks if needs[index] <= equal]
        if not settled:
            for index in open_blocks:
                shares[index] = equal
            break
        for index in settled:
            shares[index] = needs[index]
            left -= needs[index]
            open_blocks.remove(index)
    return shares


def _fit_block(block: TextBlock, share: int, per_line: int) -> tuple[str, ...]:
    kept: list[str] = []
    left = share
    for item in block.items:
        if left <= 0:
            if kept and not kept[-1].endswith("…"):
                kept[-1] = kept[-1].rstrip(".") + " …"
            break
        need = _lines(item, per_line)
        if need > left:
            item = cut(item, left * per_line)
        kept.append(item)
        left -= min(need, left)
    return tuple(kept)


def cut(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, ending in …."""
    if len(text) <= limit:
        return text
    piece = text[: max(limit - 1, 1)]
    if " " in piece[limit // 2:]:
        piece = piece[: piece.rindex(" ")]
    return piece.rstrip(" ,;:.") + "…"


# --- how much of the page is left -------------------------------------------------------------

PAGE_TEXT_MM = {"a4": (186.0, 252.0), "letter": (191.9, 234.4)}
"""Width and height of a map page's text area (the paper less its margins), in mm."""
BODY_CHAR_MM = 1.36
"""Average width of a character of body text (7.5 pt), for estimates."""
BODY_LINE_MM = 3.4
SMALL_LINE_MM = 2.75
"""Height of a line of the competencies' expectations (6.5 pt)."""
HEADING_MM = 8.6
"""A section heading with the space above and below it."""
ROW_MM = 4.7
CATEGORY_ROW_MM = 4.3
SAFETY_LINES = 2
COMPACT_SCALE = 0.9
"""Share of its height a section keeps in a compact map (body text 7 pt, tighter spacing)."""


def text_lines(texts: Sequence[str], width_mm: float, char_mm: float = BODY_CHAR_MM) -> int:
    """Estimated printed lines of ``texts``, each starting a line, in a column ``width_mm``."""
    per_line = max(1, int(width_mm / char_mm))
    return sum(max(1, -(-len(text) // per_line)) for text in texts)


def checklist_mm(texts: Sequence[str], width_mm: float) -> float:
    """Estimated height of a checklist (a box before each item)."""
    return text_lines(texts, width_mm - 4.4) * BODY_LINE_MM + 0.8 * len(texts)


@dataclass(frozen=True)
class PageUse:
    """What a map page holds besides the expectations, in mm, for :func:`expectation_budget`."""

    paper: str
    above_table_mm: float
    """Summary, drawing and the sections beside and below it."""
    rows: int
    category_rows: int
    steps: int
    below_table_mm: float
    """Pay row, what the next roles take, moves and notes."""
    expecting_rows: int = 0
    """Rows with a text of what the role expects: each needs a line at least."""
    compact: bool = False
    """Whether the map prints compact (every height but the drawing's a little smaller)."""

    def free_mm(self, *, category_rows: bool = True) -> float:
        """Height left on the page (negative when it is full), with or without a row
        heading each category."""
        _, height = PAGE_TEXT_MM[self.paper]
        table = (HEADING_MM + (4 if self.steps <= 1 else 8) + BODY_LINE_MM * 2
                 + self.rows * ROW_MM + category_rows * self.category_rows * CATEGORY_ROW_MM)
        scale = COMPACT_SCALE if self.compact else 1.0
        return height - self.above_table_mm - (table + self.below_table_mm) * scale

    @property
    def category_rows_fit(self) -> bool:
        """Whether a row heading each category still fits (else the category is named in
        the first row of each group). What each competency expects comes first."""
        wanted = (SAFETY_LINES + self.expecting_rows) * SMALL_LINE_MM
        if self.free_mm() >= wanted:
            return True
        if self.free_mm(category_rows=False) >= wanted:
            return False
        return self.free_mm() >= SAFETY_LINES * SMALL_LINE_MM

    @property
    def fits(self) -> bool:
        """Whether everything but the expectations fits, without category rows."""
        return self.free_mm(category_rows=False) >= SAFETY_LINES * SMALL_LINE_MM

    def free_lines(self) -> int:
        """Lines of expectations (6.5 pt) that still fit on the page."""
        free = self.free_mm(category_rows=self.category_rows_fit)
        return max(0, int(free / SMALL_LINE_MM) - SAFETY_LINES)


# --- shortening a map that does not fit -------------------------------------------------------

SHORTENINGS = (
    "fewer_notes",         # the notes area keeps one line
    "first_develop",       # each rising competency keeps its first way to grow
    "policy_titles",       # a policy without criteria prints its title: see the web page
    "first_statement",     # each rising competency keeps its first new statement
    "develop_first_step",  # ways to grow only under the first next step
    "short_advancement",   # "By vacancy." instead of a sentence
    "grow_first_step",     # what is new only under the first next step; the others name
                           # each rising competency and its level
    "grow_names",          # every next step names its rising competencies and levels only
    "no_grow",             # no growth notes: the table shows the rises
    "compact",             # body text 7 pt (from 7.5) and tighter spacing
)
"""What a map gives up, one step more at a time, while its estimate says it does not fit.

Before any of these, what each competency expects now is printed only in the lines left
(:meth:`PageUse.free_lines`); a change already described for an earlier next step always
says "as for" that step. The role, its drawing, how to get here and stay, every next step
with the levels that rise and its criteria are never given up. A page that still does not
fit flows onto a second one.
"""

POLICY_ON_THE_WEB = "see the web page."
"""What a policy without criteria says instead of its text once ``policy_titles`` applies."""

TAKES_CHAR_MM = 1.2
"""Average width of a character of a next role's column (6.5 pt), for estimates."""
TAKES_LINE_MM = 2.7
"""Height of a line of a next role's column (6.5 pt, line height 1.15, rounded up)."""
TAKES_HEAD_MM = 5.5
"""The "What it takes" heading and the space above it."""
TAKES_COLUMN_GAP_MM = 3.0
TAKES_INDENT_MM = 3.4
"""The tick box in front of a criterion."""
GROW_INDENT_MM = 2.0


def takes_mm(steps: Sequence[dict], paper: str) -> float:
    """Estimated height of "What it takes": the tallest column of the next roles' criteria,
    advancement and growth notes (one next role: its criteria in two columns, its notes
    across the page). ``steps`` are the next roles as the template gets them."""
    if not any(step["criteria"] or step["grow"] or step["advancement"] for step in steps):
        return 0.0
    width, _ = PAGE_TEXT_MM[paper]
    single = len(steps) == 1
    column = width if single else (width - (len(steps) - 1) * TAKES_COLUMN_GAP_MM) / len(steps)
    return TAKES_HEAD_MM + max(_takes_column_mm(step, column, single) for step in steps)


def _takes_column_mm(step: dict, column_mm: float, single: bool) -> float:
    criteria_width = (column_mm - 6.0) / 2 if single else column_mm
    lines = 0 if single else text_lines([step["title"]], column_mm, TAKES_CHAR_MM)
    criteria = text_lines(step["criteria"], criteria_width - TAKES_INDENT_MM, TAKES_CHAR_MM) \
        if step["criteria"] else (0 if single else 1)
    lines += -(-criteria // 2) if single else criteria
    if step["advancement"]:
        lines += text_lines([step["advancement"]], column_mm, BODY_CHAR_MM)
    extra = 0.3 * len(step["criteria"]) + (1.0 if step["advancement"] else 0.0)
    for item in step["grow"]:
        head = f"{item['name']} → {item['level']} {item.get('same_as', '')}"
        lines += text_lines([head], column_mm, TAKES_CHAR_MM)
        texts = [f"New: {text}" for text in item["statements"]]
        texts += [f"Develop: {text}" for text in item["develop"]]
        lines += text_lines(texts, column_mm - GROW_INDENT_MM, TAKES_CHAR_MM) if texts else 0
        extra += 0.6
    if step["grow"]:
        extra += 0.8
    return lines * TAKES_LINE_MM + extra
