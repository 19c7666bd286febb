"""Plain-language wording of criteria, pay and levels, shared by pages, maps and diffs."""

from __future__ import annotations

from generator.model import Band, Criterion, Framework, Metric, Policy, Role
from generator.pay import PayStep

_UNIT_SUFFIX = {"percent": "%", "number": "", "months": " months", "quartile": ""}


def format_number(value: float | int) -> str:
    """``12`` for whole numbers, ``12.5`` otherwise; thousands separated by commas."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_money(value: float | int, currency: str | None) -> str:
    """An amount with its ISO currency code: ``USD 38,000``."""
    return f"{currency} {format_number(value)}" if currency else format_number(value)


def format_band(band: Band, currency: str | None) -> str:
    """``USD 34,000 – 42,000 (midpoint 38,000)``; without a midpoint, none is shown."""
    figures = f"{format_money(band.min, currency)} – {format_number(band.max)}"
    return f"{figures} (midpoint {format_number(band.mid)})" if band.mid is not None else figures


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
