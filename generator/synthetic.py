"""A deterministic generator of valid synthetic career frameworks, at any scale.

One framework of ``N`` roles, shaped like a large employer's: job families, each with
an individual-contributor track per family and a management track, eight tiers, and
several specialisms climbing each family's IC track side by side.  It has everything
the format offers: a competency catalogue (shared and family-specific), pay bands that
mix track-less and track-specific ones, text and metric criteria, promotions (``next``)
and lateral moves (within a family, between IC and management, across families),
aliases, retired roles and internal notes.  The output passes
``careers validate --strict``.

Usage::

    python -m generator.synthetic --roles 5000 --out /tmp/big/frameworks [--seed 0]

writes ``/tmp/big/frameworks/synthetic/``.  From Python: :func:`write_framework`, or
:func:`synthesize` for the file contents without writing them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

FRAMEWORK_ID = "synthetic"
SPECIALISMS_PER_FAMILY = 7
IC_LADDER = range(1, 7)  # tiers 1..6 on each specialism's ladder
MANAGEMENT_LADDER = range(3, 9)  # tiers 3..8 on a family's management track
ROLES_PER_FAMILY = SPECIALISMS_PER_FAMILY * len(IC_LADDER) + len(MANAGEMENT_LADDER) + 2

TIER_NAMES = ("Associate", "Professional", "Senior", "Lead", "Principal", "Staff",
              "Senior Staff", "Distinguished")
FAMILY_WORDS = (
    "Claims", "Underwriting", "Actuarial", "Billing", "Collections", "Customer Care",
    "Data", "Platform", "Security", "Finance", "Payroll", "Procurement", "Legal",
    "Compliance", "Marketing", "Sales", "Product", "Design", "Research", "Facilities",
    "Logistics", "Fleet", "Field Service", "Training", "Recruiting", "Communications",
    "Investments", "Treasury", "Audit", "Risk", "Fraud", "Pricing", "Partnerships",
    "Support", "Quality", "Operations", "Infrastructure", "Networks", "Analytics", "Content",
)
SPECIALISMS = ("Generalist", "Analyst", "Specialist", "Consultant", "Coordinator",
               "Engineer", "Advisor")
MANAGEMENT_TITLES = {3: "Team Lead", 4: "Manager", 5: "Senior Manager", 6: "Head",
                     7: "Director", 8: "Vice President"}
CORE_COMPETENCIES = (
    ("communication", "Communication", "Interpersonal"),
    ("collaboration", "Collaboration", "Interpersonal"),
    ("delivery", "Delivery", "Execution"),
    ("quality", "Quality", "Execution"),
    ("problem-solving", "Problem solving", "Thinking"),
    ("customer-focus", "Customer focus", "Customer"),
    ("business-acumen", "Business acumen", "Thinking"),
    ("mentoring", "Mentoring", "Leadership"),
    ("influence", "Influence", "Leadership"),
    ("people-leadership", "People leadership", "Leadership"),
    ("planning", "Planning", "Execution"),
    ("change", "Leading change", "Leadership"),
)
LEVEL_BEHAVIOURS = (
    "Applies it to routine tasks with guidance.",
    "Applies it independently to the usual work of the team.",
    "Handles the hardest cases and coaches others.",
    "Raises the standard across several teams.",
    "Sets the direction for the whole organisation.",
)
METRICS = (
    ("quality-score", "Quality score", "percent"),
    ("csat", "Customer satisfaction", "percent"),
    ("throughput", "Items completed per week", "number"),
    ("engagement", "Team engagement", "percent"),
    ("months-managing", "People-management experience", "months"),
)
BASE_PAY = 30000
PAY_GROWTH = 1.22
HEADER = "# yaml-language-server: $schema=../../schemas/{}.schema.json\n"
ROLE_HEADER = "# yaml-language-server: $schema=../../../schemas/role.schema.json\n"


@dataclass
class _Family:
    index: int
    slug: str
    name: str


@dataclass
class _Plan:
    """The framework under construction: roles in creation order, edges added as they fit."""

    limit: int
    rng: random.Random
    roles: dict[str, dict[str, Any]] = field(default_factory=dict)
    tier_of: dict[str, int] = field(default_factory=dict)

    @property
    def full(self) -> bool:
        return len(self.roles) >= self.limit

    def add(self, role_id: str, data: dict[str, Any], tier: int, *,
            after: Sequence[str] = ()) -> bool:
        """Create a role reached by ``next`` from the existing roles of ``after``."""
        if self.full:
            return False
        self.roles[role_id] = data
        self.tier_of[role_id] = tier
        for source in after:
            self.promote(source, role_id)
        return True

    def promote(self, source: str, target: str) -> None:
        if source in self.roles and target in self.roles:
            self.roles[source].setdefault("next", []).append(target)

    def lateral(self, first: str, second: str) -> None:
        """A two-way lateral move between two existing roles of the same tier."""
        if first in self.roles and second in self.roles:
            assert self.tier_of[first] == self.tier_of[second]
            self.roles[first].setdefault("lateral", []).append(second)
            self.roles[second].setdefault("lateral", []).append(first)


def synthesize(roles: int, seed: int = 0) -> dict[str, str]:
    """The files of a synthetic framework with ``roles`` roles: relative path -> YAML text."""
    if roles < 1:
        raise ValueError("a framework needs at least one role")
    rng = random.Random(seed)
    families = [_family(index) for index in range(-(-roles // ROLES_PER_FAMILY))]
    plan = _Plan(limit=roles, rng=rng)
    for family in families:
        _plan_family(plan, family, families)
    files = {
        "framework.yaml": HEADER.format("framework") + _dump(_framework_yaml(plan, families)),
        "competencies.yaml": HEADER.format("competencies") + _dump(_competencies(families)),
        "salary.yaml": HEADER.format("salary") + _dump(_salary(families)),
    }
    for role_id, data in plan.roles.items():
        files[f"roles/{role_id}.yaml"] = ROLE_HEADER + _dump(_ordered_role(data))
    return files


def write_framework(roles: int, out: Path, seed: int = 0) -> Path:
    """Write a synthetic framework into ``out/synthetic`` (replacing it); return that folder."""
    folder = out / FRAMEWORK_ID
    if folder.exists():
        shutil.rmtree(folder)
    for relative, text in synthesize(roles, seed).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


# --- structure -------------------------------------------------------------------------------


def _family(index: int) -> _Family:
    word = FAMILY_WORDS[index % len(FAMILY_WORDS)]
    round_ = index // len(FAMILY_WORDS)
    name = word if round_ == 0 else f"{word} {round_ + 1}"
    return _Family(index, _slug(name), name)


def _slug(text: str) -> str:
    return "-".join(text.lower().split())


def _ic_track(family: _Family) -> str:
    return f"{family.slug}-ic"


def _management_track(family: _Family) -> str:
    return f"{family.slug}-mgmt"


def _ic_id(family: _Family, specialism: int, tier: int) -> str:
    return f"{family.slug}-{_slug(SPECIALISMS[specialism])}-{tier}"


def _manager_id(family: _Family, tier: int) -> str:
    return f"{family.slug}-manager-{tier}"


def _plan_family(plan: _Plan, family: _Family, families: list[_Family]) -> None:
    """Add one family's roles, each reached from a role created before it."""
    _plan_ladder(plan, family, 0)
    for tier in MANAGEMENT_LADDER:
        role_id = _manager_id(family, tier)
        after = [_manager_id(family, tier - 1)] if tier > MANAGEMENT_LADDER[0] \
            else [_ic_id(family, 0, tier - 1)]
        plan.add(role_id, _manager_role(plan, family, tier), tier, after=after)
        if tier == MANAGEMENT_LADDER[0]:
            plan.lateral(role_id, _ic_id(family, 0, tier))
    for specialism in range(1, SPECIALISMS_PER_FAMILY):
        _plan_ladder(plan, family, specialism)
    principal, distinguished = f"{family.slug}-principal", f"{family.slug}-distinguished"
    plan.add(principal, _ic_role(plan, family, None, 7), 7, after=[
        _ic_id(family, specialism, IC_LADDER[-1]) for specialism in range(SPECIALISMS_PER_FAMILY)])
    plan.lateral(principal, _manager_id(family, 7))
    plan.add(distinguished, _ic_role(plan, family, None, 8), 8, after=[principal])
    if family.index > 0:  # a move between neighbouring families
        plan.lateral(_ic_id(family, 0, 4), _ic_id(families[family.index - 1], 0, 4))


def _plan_ladder(plan: _Plan, family: _Family, specialism: int) -> None:
    for tier in IC_LADDER:
        role_id = _ic_id(family, specialism, tier)
        after = [_ic_id(family, specialism, tier - 1)] if tier > IC_LADDER[0] else []
        data = _ic_role(plan, family, specialism, tier)
        # hired into: every third specialism's first tier; experienced hires at tier 3
        if (tier == IC_LADDER[0] and specialism % 3 == 0) or (tier == 3 and specialism % 2):
            data["entry"] = True
        if not plan.add(role_id, data, tier, after=after):
            return
        if specialism > 0 and tier < IC_LADDER[-1]:
            plan.lateral(role_id, _ic_id(family, specialism - 1, tier))


# --- roles -----------------------------------------------------------------------------------


def _ic_role(plan: _Plan, family: _Family, specialism: int | None, tier: int) -> dict[str, Any]:
    if specialism is None:
        title = f"{TIER_NAMES[tier - 1]} {family.name} Expert"
        focus = "the whole family"
    else:
        title = f"{TIER_NAMES[tier - 1]} {family.name} {SPECIALISMS[specialism]}"
        focus = SPECIALISMS[specialism].lower()
    core = [CORE_COMPETENCIES[(tier + offset + (specialism or 0)) % 9][0] for offset in range(4)]
    return _role(plan, family, title, _ic_track(family), tier, focus, core)


def _manager_role(plan: _Plan, family: _Family, tier: int) -> dict[str, Any]:
    title = f"{family.name} {MANAGEMENT_TITLES[tier]}"
    core = ["people-leadership", "communication", "planning", "change" if tier > 4 else "delivery"]
    data = _role(plan, family, title, _management_track(family), tier, "the team", core)
    if tier > MANAGEMENT_LADDER[0]:
        data["criteria"].insert(1, {"metric": "months-managing", "min": 6 * (tier - 2)})
    return data


def _role(plan: _Plan, family: _Family, title: str, track: str, tier: int, focus: str,
          core: list[str]) -> dict[str, Any]:
    rng = plan.rng
    level = _level(tier)
    competencies = dict.fromkeys(core, level)
    competencies[f"{family.slug}-domain"] = level
    competencies[f"{family.slug}-tools"] = max(1, level - rng.randint(0, 1))
    count = len(plan.roles)
    data: dict[str, Any] = {
        "title": title,
        "track": track,
        "tier": f"t{tier}",
        "summary": f"Owns **{focus}** work in {family.name} at the {TIER_NAMES[tier - 1]} "
                   f"tier, with {('guidance', 'autonomy', 'wide influence')[min(2, tier // 3)]}.",
        "responsibilities": [
            f"Delivers {family.name.lower()} outcomes for {focus} to the agreed standard.",
            f"Keeps the {family.name.lower()} knowledge base current for their area.",
            "Reviews the work of peers and gives *specific*, kind feedback.",
            *rng.sample(_EXTRA_RESPONSIBILITIES, k=rng.randint(1, 3)),
        ],
        "competencies": competencies,
        "criteria": _criteria(rng, tier) if tier > 1 else [],
        "maintain": [{"metric": "quality-score", "min": 70 + tier}],
    }
    if count % 17 == 5:
        data["aliases"] = [f"{_slug(title)}-old"]
    if count % 7 == 3:
        data["notes"] = "Internal: headcount under review this year."
    return data


_EXTRA_RESPONSIBILITIES = [
    "Takes part in the on-call or duty rota for urgent cases.",
    "Onboards new joiners and pairs with them in their first month.",
    "Represents the team in the monthly service review.",
    "Improves one process a quarter and measures the result.",
    "Keeps customers informed about progress without being asked.",
]


def _criteria(rng: random.Random, tier: int) -> list[dict[str, Any]]:
    metric, _name, unit = METRICS[rng.randrange(3)]
    threshold = min(100, 70 + 3 * tier) if unit == "percent" else 10 + 5 * tier
    return [
        {"metric": "months_in_role", "min": 6 + 3 * tier},
        {"metric": metric, "min": threshold},
        {"metric": "quartile", "max": 2},
        {"text": "Shows the expectations of the new role for six months, confirmed by a panel."},
    ]


def _level(tier: int) -> int:
    return min(5, 1 + (tier - 1) * 4 // 7)


def _ordered_role(data: dict[str, Any]) -> dict[str, Any]:
    order = ("title", "track", "tier", "entry", "aliases", "summary", "responsibilities",
             "competencies", "criteria", "maintain", "next", "lateral", "notes")
    return {key: data[key] for key in order if key in data and data[key] != []}


# --- framework, competencies, salary -------------------------------------------------------


def _framework_yaml(plan: _Plan, families: list[_Family]) -> dict[str, Any]:
    tracks = []
    for family in families:
        tracks.append({"id": _ic_track(family), "name": f"{family.name}",
                       "kind": "individual",
                       "description": f"Specialists of the {family.name} family."})
        tracks.append({"id": _management_track(family), "name": f"{family.name} Management",
                       "kind": "management",
                       "description": f"People leaders of the {family.name} family.",
                       **({"notes": "Reorganised last year."} if family.index % 4 == 0 else {})})
    role_ids = list(plan.roles)
    retired = []
    for number in range(max(1, len(role_ids) // 50)):
        successor = role_ids[(number * 37) % len(role_ids)]
        retired.append({"id": f"legacy-role-{number + 1}", "replaced_by": successor,
                        "reason": f"Merged into **{plan.roles[successor]['title']}**."})
    retired.append({"id": "legacy-role-0", "reason": "The work moved to a partner company."})
    return {
        "name": "Synthetic Career Framework",
        "organisation": "Example Mutual",
        "version": "2026.1",
        "effective": dt.date(2026, 1, 1),
        "currency": "USD",
        "description": f"A generated framework of **{len(plan.roles)} roles** in "
                       f"{len(families)} job families, for benchmarks.",
        "notes": "Generated by generator/synthetic.py.",
        "tiers": [{"id": f"t{rank}", "name": name,
                   "description": f"Tier {rank}: {name.lower()} scope."}
                  for rank, name in enumerate(TIER_NAMES, start=1)],
        "tracks": tracks,
        "metrics": [{"id": metric_id, "name": name, "unit": unit}
                    for metric_id, name, unit in METRICS],
        "policies": [
            {"id": "quartile-gate", "name": "Quartile gate",
             "text": "Only first- and second-quartile performers are eligible for promotion.",
             "criteria": [{"metric": "quartile", "max": 2}]},
            {"id": "promotion-window", "text": "Promotions take effect on 1 April and 1 October."},
        ],
        "retired": retired,
    }


def _competencies(families: list[_Family]) -> list[dict[str, Any]]:
    catalogue = []
    for competency_id, name, category in CORE_COMPETENCIES:
        catalogue.append(_competency(competency_id, name, category))
    for family in families:
        catalogue.append(_competency(f"{family.slug}-domain", f"{family.name} domain knowledge",
                                     family.name))
        catalogue.append(_competency(f"{family.slug}-tools", f"{family.name} tools",
                                     family.name))
    return catalogue


def _competency(competency_id: str, name: str, category: str) -> dict[str, Any]:
    levels: dict[int, Any] = {}
    for number, behaviour in enumerate(LEVEL_BEHAVIOURS, start=1):
        levels[number] = behaviour if number != 3 else {
            "text": behaviour, "examples": [f"Turns around a stalled {name.lower()} problem."]}
    return {"id": competency_id, "name": name, "category": category,
            "description": f"How well someone practises {name.lower()}.", "levels": levels}


def _salary(families: list[_Family]) -> dict[str, Any]:
    bands: list[dict[str, Any]] = []
    for tier in range(1, len(TIER_NAMES) + 1):
        bands.append(_band(tier, None, 1.0))
    for family in families:
        if family.index % 2 == 0:  # IC-only tiers: a family-specific premium
            bands += [_band(1, _ic_track(family), 1.05), _band(2, _ic_track(family), 1.05)]
        if family.index % 5 == 0:  # explicit bands with the same figures keep parity
            bands += [_band(4, _ic_track(family), 1.0),
                      {**_band(4, _management_track(family), 1.0),
                       "notes": "Same figures as the IC band: parity."}]
    return {"visibility": "public", "bands": bands}


def _band(tier: int, track: str | None, factor: float) -> dict[str, Any]:
    low = round(BASE_PAY * PAY_GROWTH ** (tier - 1) * factor, -2)
    band: dict[str, Any] = {"tier": f"t{tier}"}
    if track is not None:
        band["track"] = track
    band |= {"min": int(low), "mid": int(round(low * 1.15, -2)),
             "max": int(round(low * 1.3, -2))}
    return band


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Safe YAML, written by libyaml when it is there (thousands of files)."""


def main(argv: list[str] | None = None) -> int:
    """Command line: write a synthetic framework of ``--roles`` roles into ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--roles", type=int, required=True, help="number of roles")
    parser.add_argument("--out", type=Path, required=True,
                        help="frameworks folder to write into (gets a 'synthetic' folder)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    folder = write_framework(args.roles, args.out, args.seed)
    print(f"wrote {args.roles} roles to {folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
