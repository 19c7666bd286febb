"""Pay arithmetic of SPEC.md 1.1: band figures in a location zone, pay ranges, pay steps.

These are plain records and exact functions; :class:`~generator.model.Framework` uses
them to answer "what does this role pay, and where" (``pay_range``, ``band_figures``,
``pay_step``). Amounts are ``int`` when whole, else ``float``, as in the YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from generator.model import Band, Zone

Amount = int | float
PayBasis = Literal["midpoint", "minimum"]


@dataclass(frozen=True)
class BandFigures:
    """The figures of one band, as written or as they are in a location zone.

    ``mid`` is ``None`` when the band has no midpoint; ``steps`` are the band's pay
    points (empty without them). ``zone`` is the zone id the figures are for (``None``:
    the band as written); ``named_band`` is true when a band of ``salary.yaml`` names
    that zone and gives these figures outright (not computed from a percent or amount).
    """

    tier: str
    track: str | None
    min: Amount
    max: Amount
    mid: Amount | None = None
    steps: tuple[Amount, ...] = ()
    zone: str | None = None
    named_band: bool = False

    @classmethod
    def of(cls, band: Band) -> BandFigures:
        """The figures of ``band`` as written."""
        return cls(tier=band.tier, track=band.track, min=band.min, max=band.max, mid=band.mid,
                   steps=tuple(band.steps or ()), zone=band.zone, named_band=band.zone is not None)


@dataclass(frozen=True)
class PayRange:
    """What a role pays: from the band of its lowest tier's minimum to the band of its
    highest tier's maximum (one band for a role at one tier).

    ``mid`` and ``steps`` are those of the band when the role has one tier, else ``None``
    and empty (a range over several bands has no single midpoint). ``bands`` are the
    figures of every band the range runs over, lowest tier first (tiers without a band
    are left out).
    """

    min: Amount
    max: Amount
    mid: Amount | None
    steps: tuple[Amount, ...]
    zone: str | None
    bands: tuple[BandFigures, ...]

    @property
    def spans_tiers(self) -> bool:
        """True when the range runs over the bands of more than one tier."""
        return len({figures.tier for figures in self.bands}) > 1


@dataclass(frozen=True)
class PayStep:
    """The pay difference of a promotion: at the midpoint when both roles' pay has one
    (version 1), else at the minimum (SPEC 1.1: "the difference of the band minimums").

    ``change`` is the new figure minus the old one, ``percent`` that change as a percent of
    the old figure, ``before``/``after`` the two figures compared.
    """

    basis: PayBasis
    before: Amount
    after: Amount

    @property
    def change(self) -> Amount:
        return self.after - self.before

    @property
    def percent(self) -> float:
        return 100 * self.change / self.before if self.before else 0.0

    def describe(self, currency: str | None) -> str:
        """``+USD 7,000 at the midpoint (+18%)`` or ``+GBP 855 at the minimum (+3%)``."""
        from generator.describe import describe_pay_step  # the wording lives there

        return describe_pay_step(self, currency)


def zone_adjustment(figure: Amount, zone: Zone) -> Amount:
    """What ``zone`` adds to a band ``figure``: its ``amount``, or its ``percent`` of the
    figure held between ``minimum`` and ``maximum`` (signed: for a negative percent they
    bound a negative adjustment), rounded to a whole unit, half away from zero (so 12.5
    becomes 13 and -12.5 becomes -13: a negative percent takes as much as a positive one
    adds)."""
    if zone.amount is not None:
        return zone.amount
    exact = Decimal(str(figure)) * Decimal(str(zone.percent or 0)) / 100
    if zone.minimum is not None:
        exact = max(exact, Decimal(str(zone.minimum)))
    if zone.maximum is not None:
        exact = min(exact, Decimal(str(zone.maximum)))
    return int(exact.to_integral_value(rounding=ROUND_HALF_UP))


def figures_in_zone(figures: BandFigures, zone: Zone) -> BandFigures:
    """``figures`` with ``zone``'s adjustment added to each (min, mid, max and steps)."""

    def moved(value: Amount) -> Amount:
        return _whole(value + zone_adjustment(value, zone))

    return replace(
        figures, min=moved(figures.min), max=moved(figures.max),
        mid=moved(figures.mid) if figures.mid is not None else None,
        steps=tuple(moved(step) for step in figures.steps), zone=zone.id, named_band=False)


def pay_range_over(bands: list[BandFigures]) -> PayRange | None:
    """The pay range over the bands of a role's tiers, lowest tier first (None if none)."""
    if not bands:
        return None
    single = bands[0] if len(bands) == 1 else None
    return PayRange(min=bands[0].min, max=bands[-1].max,
                    mid=single.mid if single else None,
                    steps=single.steps if single else (),
                    zone=bands[0].zone, bands=tuple(bands))


def pay_step_between(before: PayRange, after: PayRange) -> PayStep:
    """The step from pay ``before`` to pay ``after``: midpoints when both have one, else
    minimums."""
    if before.mid is not None and after.mid is not None:
        return PayStep("midpoint", before.mid, after.mid)
    return PayStep("minimum", before.min, after.min)


def _whole(value: Amount) -> Amount:
    """``value`` as an ``int`` when it is a whole number (``38000.0`` -> ``38000``)."""
    return int(value) if float(value).is_integer() else value
