"""The rules of "valid" that SPEC.md version 1.1 adds (rules 7 to 10), one small function each.

They register in :data:`generator.validation.RULES` like the version 1 rules (this module
is imported by :mod:`generator.validation`). Rule 11 (``extends`` and collisions with a
shared folder) is checked while loading (``invalid-extends``, ``shared-collision``,
``shared-folder``), where the folders are read.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from generator.diagnostics import Severity
from generator.loading import COMPETENCIES_FILE, FRAMEWORK_FILE, SALARY_FILE
from generator.model import UNREADABLE, Framework, Level
from generator.validation import (
    Context,
    Finding,
    _band_locations,
    band_name,
    id_hint,
    role_file,
    rule,
)
from generator.yaml_loader import Location

PERCENT_RANGE = (-90, 200)
"""The allowed ``percent`` of a zone."""

# --- rule 7: the scale -----------------------------------------------------------------------


@rule("duplicate-scale-level", "The names of the scale's levels are unique.")
def check_scale_names(framework: Framework, context: Context) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for index, level in enumerate(framework.spec.scale):
        if level.name in seen and level.name != UNREADABLE:
            yield Finding(FRAMEWORK_FILE, ("scale", index, "name"),
                          f"the scale already has a level named '{level.name}' (level "
                          f"{seen[level.name] + 1}); give each level its own name")
        seen.setdefault(level.name, index)


@rule("levels-beyond-scale", "With a scale, no competency has more levels than the scale.")
def check_levels_within_scale(framework: Framework, context: Context) -> Iterator[Finding]:
    size = len(framework.spec.scale)
    if not size:
        return
    for index, competency in enumerate(framework.competencies):
        beyond = sorted(number for number in competency.levels if number > size)
        if beyond:
            yield Finding(COMPETENCIES_FILE, (index, "levels", beyond[0]),
                          f"'{competency.id}' has a level {beyond[0]}, but the scale has "
                          f"{size} levels; a competency has at most the scale's levels",
                          at_key=True)


@rule("level-without-text",
      "A level without text gives statements, or a scale describes it.")
def check_level_text(framework: Framework, context: Context) -> Iterator[Finding]:
    if framework.spec.scale:
        return
    for index, competency in enumerate(framework.competencies):
        for number, level in competency.levels.items():
            if level.text is None and not level.statements:
                yield Finding(COMPETENCIES_FILE, (index, "levels", number),
                              f"level {number} of '{competency.id}' has no 'text' (or "
                              "'statements'); say what someone at this level does: only a "
                              "framework with a 'scale' may leave it to the scale", at_key=True)


# --- rule 8: statements and develop ----------------------------------------------------------


def _blank_items(items: list[str] | None, file: str, location: Location,
                 what: str) -> Iterator[Finding]:
    if items is None:
        return
    if not items:
        yield Finding(file, location, f"'{location[-1]}' is empty; write {what}, one per line "
                                      "('- ...'), or remove the key")
    for number, item in enumerate(items):
        if not item.strip():
            yield Finding(file, (*location, number),
                          f"item {number + 1} of '{location[-1]}' is empty; write {what}, or "
                          "remove the line")


@rule("empty-statement", "'statements' and 'develop' are non-empty lists of non-empty text.")
def check_statements(framework: Framework, context: Context) -> Iterator[Finding]:
    for index, competency in enumerate(framework.competencies):
        for number, level in competency.levels.items():
            yield from _level_lists(level, (index, "levels", number))
    for role in framework.roles.values():
        for competency_id, written in role.competencies_as_written.items():
            yield from _blank_items(written.statements, role_file(role.id),
                                    ("competencies", competency_id, "statements"),
                                    "this role's expectations")


def _level_lists(level: Level, location: Location) -> Iterator[Finding]:
    yield from _blank_items(level.statements, COMPETENCIES_FILE, (*location, "statements"),
                            "the level's expectations")
    yield from _blank_items(level.develop, COMPETENCIES_FILE, (*location, "develop"),
                            "how people grow into the level")


# --- categories ------------------------------------------------------------------------------


@rule("unknown-category",
      "A competency's category close to a listed category is probably that one, misspelt.",
      Severity.WARNING)
def check_category_names(framework: Framework, context: Context) -> Iterator[Finding]:
    listed = [category.name for category in framework.spec.categories]
    if not listed:
        return
    for index, competency in enumerate(framework.competencies):
        category = competency.category
        if category is None or category in listed:
            continue
        close = difflib.get_close_matches(category, listed, n=1, cutoff=0.75)
        if close:
            yield Finding(COMPETENCIES_FILE, (index, "category"),
                          f"the category '{category}' is not in framework.yaml's categories; "
                          f"did you mean '{close[0]}'? (otherwise it is shown after the "
                          "listed ones)")


# --- rule 10: pay ----------------------------------------------------------------------------


@rule("band-steps", "A band's pay steps rise strictly and lie within min..max.")
def check_band_steps(framework: Framework, context: Context) -> Iterator[Finding]:
    for index, band in _band_locations(framework):
        steps = band.steps or []
        for number, step in enumerate(steps):
            if not band.min <= step <= band.max:
                yield Finding(SALARY_FILE, ("bands", index, "steps", number),
                              f"the step {step} of {band_name(band)} lies outside its range "
                              f"{band.min} to {band.max}; steps are pay points within the band")
            elif number and step <= steps[number - 1]:
                yield Finding(SALARY_FILE, ("bands", index, "steps", number),
                              f"the steps of {band_name(band)} must rise: {step} follows "
                              f"{steps[number - 1]}; list them lowest first, each once")


@rule("zone-adjustment",
      "A zone has exactly one of percent (-90..200) and amount; minimum <= maximum.")
def check_zones(framework: Framework, context: Context) -> Iterator[Finding]:
    zones = framework.salary.zones if framework.salary is not None else []
    low, high = PERCENT_RANGE
    for index, zone in enumerate(zones):
        at = ("zones", index)
        if zone.percent is None and zone.amount is None:
            yield Finding(SALARY_FILE, (*at, "id"),
                          f"the zone '{zone.id}' says neither 'percent' nor 'amount'; give the "
                          "supplement as one of them")
        elif zone.percent is not None and zone.amount is not None:
            yield Finding(SALARY_FILE, (*at, "amount"),
                          f"the zone '{zone.id}' has both 'percent' and 'amount'; keep one",
                          at_key=True)
        if zone.percent is not None and not low <= zone.percent <= high:
            yield Finding(SALARY_FILE, (*at, "percent"),
                          f"the percent {zone.percent} of zone '{zone.id}' is outside {low} to "
                          f"{high}")
        if zone.amount is not None and zone.percent is None:
            for bound in ("minimum", "maximum"):
                if getattr(zone, bound) is not None:
                    yield Finding(SALARY_FILE, (*at, bound),
                                  f"'{bound}' bounds a percent supplement; zone '{zone.id}' "
                                  "adds a flat amount, so remove it", at_key=True)
        if zone.minimum is not None and zone.maximum is not None \
                and zone.minimum > zone.maximum:
            yield Finding(SALARY_FILE, (*at, "minimum"),
                          f"the minimum {zone.minimum} of zone '{zone.id}' is above its maximum "
                          f"{zone.maximum}; swap them (for a negative percent both are "
                          "negative: the minimum is the larger cut)")


@rule("unknown-zone", "A band's 'zone' names a zone of salary.yaml.")
def check_zone_refs(framework: Framework, context: Context) -> Iterator[Finding]:
    known = framework.zones
    for index, band in _band_locations(framework):
        if band.zone is not None and band.zone not in known:
            yield Finding(SALARY_FILE, ("bands", index, "zone"),
                          f"unknown zone '{band.zone}'{id_hint(band.zone, known)}")


# --- tier ranges -----------------------------------------------------------------------------


@rule("tier-range", "A role's 'tier_max' is strictly above its 'tier'.")
def check_tier_range(framework: Framework, context: Context) -> Iterator[Finding]:
    rank = framework.tier_rank
    for role in framework.roles.values():
        if role.tier_max is None or role.tier not in rank or role.tier_max not in rank:
            continue
        if rank[role.tier_max] <= rank[role.tier]:
            same = role.tier_max == role.tier
            advice = "remove 'tier_max' (the role has one tier)" if same \
                else "swap 'tier' and 'tier_max' ('tier' is the lowest)"
            yield Finding(role_file(role.id), ("tier_max",),
                          f"'tier_max' '{role.tier_max}' must be above 'tier' '{role.tier}'; "
                          f"{advice}")
