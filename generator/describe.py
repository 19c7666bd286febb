"""Plain-language wording of criteria, pay and levels, shared by pages, maps and diffs."""

from __future__ import annotations

from typing import Protocol

from generator.model import (
    CompetencyLevel,
    Criterion,
    Framework,
    Metric,
    Policy,
    Role,
    Zone,
)
from generator.pay import Amount, PayStep

_UNIT_SUFFIX = {"percent": "%", "number": "", "months": " months", "quartile": ""}


def format_number(value: float | int) -> str:
    """``12`` for whole numbers, ``12.5`` otherwise; thousands separated by commas."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_money(value: float | int, currency: str | None) -> str:
    """An amount with its ISO currency code: ``USD 38,000``."""
    return f"{currency} {format_number(value)}" if currency else format_number(value)


class Figures(Protocol):
    """Anything with a minimum, an optional midpoint and a maximum: a band, its figures in
    a zone, a role's pay range."""

    @property
    def min(self) -> Amount: ...
    @property
    def mid(self) -> Amount | None: ...
    @property
    def max(self) -> Amount: ...


def format_band(band: Figures, currency: str | None) -> str:
    """``USD 34,000 – 42,000 (midpoint 38,000)``; without a midpoint, none is shown."""
    figures = f"{format_money(band.min, currency)} – {format_number(band.max)}"
    return f"{figures} (midpoint {format_number(band.mid)})" if band.mid is not None else figures


def format_steps(steps: tuple[Amount, ...] | list[Amount]) -> str:
    """A band's pay points: ``29,970 · 32,324 · 34,581``; "" without steps."""
    return " · ".join(format_number(step) for step in steps)


def describe_zone(zone: Zone, currency: str | None) -> str:
    """How a zone moves band figures: ``+20% (at least GBP 5,000, at most GBP 7,000)``,
    ``+GBP 2,500``, ``−15% (...)``."""
    if zone.amount is not None:
        sign = "+" if zone.amount >= 0 else "−"
        return f"{sign}{format_money(abs(zone.amount), currency)}"
    percent = zone.percent or 0
    sign = "+" if percent >= 0 else "−"
    bounds = []
    if zone.minimum is not None:
        bounds.append(f"at least {_signed_money(zone.minimum, currency)}")
    if zone.maximum is not None:
        bounds.append(f"at most {_signed_money(zone.maximum, currency)}")
    text = f"{sign}{format_number(abs(percent))}%"
    return f"{text} ({', '.join(bounds)})" if bounds else text


def _signed_money(value: Amount, currency: str | None) -> str:
    return f"{'−' if value < 0 else ''}{format_money(abs(value), currency)}"


def tier_span_text(framework: Framework, role: Role) -> str:
    """The tier of a role by its name ("Band 5"), or its range ("Band 6 to Band 7")."""
    tiers = framework.tiers_of(role)
    if not tiers:
        return framework.tiers[role.tier].name if role.tier in framework.tiers else role.tier
    return tiers[0].name if len(tiers) == 1 else f"{tiers[0].name} to {tiers[-1].name}"


def level_name_text(level: CompetencyLevel) -> str:
    """A level as pages name it: ``Practitioner, 3 of 5`` with a scale, else ``level 3 of 4``."""
    if level.name:
        return f"{level.name}, {level.number} of {level.of}"
    return f"level {level.number} of {level.of}"


ADVANCEMENT_WORDS = {
    "automatic": ("Automatic", "people move into this role as soon as they meet its criteria; "
                               "no opening is needed."),
    "vacancy": ("When a vacancy opens", "the role is filled by applying when one is open."),
    "review": ("By review", "a promotion case is put to a panel or calibration."),
}
"""How people move up (``advancement``): a short name and what it means."""


def advancement_text(advancement: str | None) -> str:
    """``Automatic: people move into this role as soon as ...``; "" when nothing is said."""
    if advancement is None or advancement not in ADVANCEMENT_WORDS:
        return ""
    name, meaning = ADVANCEMENT_WORDS[advancement]
    return f"{name}: {meaning}"


APPLIES_TO_TITLES = {
    "promotion": "Promotions",
    "lateral": "Lateral moves",
    "leaving": "Moving out of a track or the framework",
    "staying": "Staying in a role",
    "pay": "Pay",
    "general": "General",
}
"""Headings of the policies page, by ``applies_to``."""


def policy_scope_text(framework: Framework, policy: Policy) -> str:
    """Which roles a policy covers, in words: ``Roles on the Registered practice track, at
    Band 5``, ``Ward Manager, at Band 8a``; ``Every role`` when it names no track, tier or
    role."""
    parts = []
    if policy.tracks:
        names = [framework.tracks[t].name if t in framework.tracks else t for t in policy.tracks]
        parts.append(f"on the {_joined(names)} {'track' if len(names) == 1 else 'tracks'}")
    if policy.tiers:
        parts.append("at " + _joined([framework.tiers[t].name if t in framework.tiers else t
                                      for t in policy.tiers]))
    if policy.roles:
        titles = [framework.roles[r].title if r in framework.roles else r for r in policy.roles]
        return ", ".join([_joined(titles), *parts])
    return "Roles " + ", ".join(parts) if parts else "Every role"


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def describe_criterion(framework: Framework, criterion: Criterion) -> str:
    """One criterion as a sentence: ``First-contact resolution of at least 88%``."""
    if criterion.text is not None:
        return criterion.text
    metric = framework.metrics.get(criterion.metric or "")
    if metric is None:
        return f"{criterion.metric}: {criterion.min} to {criterion.max}"
    if metric.id == "months_in_role":
        return _months_in_role(criterion)
    if metric.unit == "quartile":
        return _quartile(metric, criterion)
    return f"{metric.name}: {_bounds(metric, criterion)}"


def _value(metric: Metric, value: float | int) -> str:
    return f"{format_number(value)}{_UNIT_SUFFIX[metric.unit]}"


def _bounds(metric: Metric, criterion: Criterion) -> str:
    low, high = criterion.min, criterion.max
    if low is not None and high is not None:
        return f"between {_value(metric, low)} and {_value(metric, high)}"
    if low is not None:
        return f"at least {_value(metric, low)}"
    assert high is not None
    return f"at most {_value(metric, high)}"


def _months_in_role(criterion: Criterion) -> str:
    low, high = criterion.min, criterion.max
    if low is not None and high is None:
        return f"At least {format_number(low)} months in the previous role"
    if low is None and high is not None:
        return f"At most {format_number(high)} months in the previous role"
    return (f"Between {format_number(low or 0)} and {format_number(high or 0)} months "
            "in the previous role")


def _quartile(metric: Metric, criterion: Criterion) -> str:
    best = int(criterion.min or 1)
    worst = int(criterion.max or 4)
    names = {1: "first", 2: "second", 3: "third", 4: "fourth"}
    if best == 1 and worst < 4:
        allowed = ", ".join(names[q] for q in range(1, worst))
        allowed = f"{allowed} or {names[worst]}" if allowed else names[worst]
        return f"{metric.name}: {allowed} quartile (1 is best)"
    return f"{metric.name}: quartile {best} to {worst} (1 is best)"


def describe_pay_step(step: PayStep, currency: str | None) -> str:
    """``+USD 7,000 at the midpoint (+18%)``, or ``+GBP 855 at the minimum (+3%)`` when a
    band has no midpoint."""
    sign = "+" if step.change >= 0 else "−"
    return (f"{sign}{format_money(abs(step.change), currency)} at the {step.basis} "
            f"({sign}{abs(step.percent):.0f}%)")


def pay_step(framework: Framework, source: Role, target: Role) -> PayStep | None:
    """The pay step from ``source`` to ``target`` (see :meth:`Framework.pay_step`)."""
    return framework.pay_step(source, target)


def policy_title(policy: Policy) -> str:
    """The policy's name, or its id made readable."""
    return policy.name or policy.id.replace("-", " ").capitalize()
