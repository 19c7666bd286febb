"""The resolved model of format 1.1 that renderers use (:class:`generator.model.Framework`).

Frameworks are built from the pydantic models directly, each as small as the question.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.describe import format_band
from generator.model import (
    Band,
    Competency,
    Framework,
    FrameworkSpec,
    Role,
    RoleSpec,
    SalaryFile,
    Zone,
)
from generator.pay import zone_adjustment

TIERS = [{"id": "t1", "name": "Band 5"}, {"id": "t2", "name": "Band 6"},
         {"id": "t3", "name": "Band 7"}, {"id": "t4", "name": "Band 8a"}]
TRACKS = [{"id": "core", "name": "Core", "kind": "shared"},
          {"id": "ic", "name": "Specialist", "kind": "individual"},
          {"id": "lead", "name": "Leadership", "kind": "management"}]
SCALE = [{"name": "Awareness", "description": "Knows the idea."},
         {"name": "Practitioner", "description": "Applies it unaided."},
         {"name": "Expert", "description": "Shapes how others apply it."}]


def role(role_id: str, scale: list[dict[str, Any]] | None = None, **fields: Any) -> Role:
    spec = RoleSpec.model_validate({"title": role_id.title(), "track": "ic", "tier": "t1",
                                    **fields})
    return Role.from_spec(role_id, spec, FrameworkSpec.model_validate(
        {"name": "x", "version": "1", "scale": scale or []}).scale)


def framework(*roles: Role, competencies: list[dict[str, Any]] | None = None,
              salary: dict[str, Any] | None = None, **spec: Any) -> Framework:
    return Framework(
        id="demo", root=Path("demo"),
        spec=FrameworkSpec.model_validate({"name": "Demo", "organisation": "Example",
                                           "version": "1", "tiers": TIERS, "tracks": TRACKS,
                                           **spec}),
        competencies=[Competency.model_validate(c) for c in competencies or []],
        salary=SalaryFile.model_validate(salary) if salary is not None else None,
        roles={r.id: r for r in roles},
    )


def zone(**fields: Any) -> Zone:
    return Zone.model_validate({"id": "london", "name": "London", **fields})


# --- zones -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("figure", "fields", "adjustment"), [
    (30000, {"percent": 20}, 6000),
    (20000, {"percent": 20, "minimum": 5000}, 5000),             # the floor lifts it
    (40000, {"percent": 20, "maximum": 7000}, 7000),             # the cap holds it
    (30000, {"percent": 20, "minimum": 5000, "maximum": 7000}, 6000),
    (30000, {"percent": -15}, -4500),                            # a negative percent
    (50000, {"percent": -15, "minimum": -6000}, -6000),          # its floor is negative too
    (4000, {"percent": -15, "maximum": -1000}, -1000),           # and so is its cap
    (30000, {"amount": 2500}, 2500),                             # a flat amount
    (29970, {"percent": 2.5}, 749),                              # 749.25 rounds down
    (29980, {"percent": 2.5}, 750),                              # 749.5 rounds half up
    (29980, {"percent": -2.5}, -750),                            # -749.5: as much as up
    (12345.5, {"percent": 10}, 1235),                            # 1234.55 -> 1235
    (3000, {"percent": 1.15}, 35),          # exactly 34.5 (floats make it 34.4999...)
])
def test_a_zone_adjustment_follows_the_spec(figure: float, fields: dict[str, Any],
                                            adjustment: int) -> None:
    assert zone_adjustment(figure, zone(**fields)) == adjustment


SALARY = {
    "visibility": "public",
    "bands": [
        {"tier": "t1", "min": 29970, "max": 36483, "steps": [29970, 32324, 36483]},
        {"tier": "t2", "min": 37338, "max": 44962},
        {"tier": "t3", "min": 46148, "mid": 49000, "max": 52809},
        {"tier": "t4", "min": 53755, "mid": 57000, "max": 60504},
        {"tier": "t4", "track": "lead", "min": 54000, "mid": 58000, "max": 62000},
        {"tier": "t1", "zone": "inner", "min": 36000, "max": 43000},
        {"tier": "t4", "track": "lead", "zone": "inner", "min": 64000, "max": 72000},
    ],
    "zones": [
        {"id": "inner", "name": "Inner London", "percent": 20, "minimum": 5000,
         "maximum": 7000},
        {"id": "outer", "name": "Outer London", "amount": 2500},
        {"id": "low", "name": "Lower-cost", "percent": -15, "minimum": -6000,
         "maximum": -1000},
    ],
}


def test_a_band_in_a_zone_is_computed_for_every_figure() -> None:
    pay = framework(salary=SALARY)
    outer = pay.band_figures("ic", "t1", "outer")
    assert (outer.min, outer.max, outer.steps) == (32470, 38983, (32470, 34824, 38983))
    low = pay.band_figures("ic", "t3", "low")
    # -15% of 46148 is -6922.2: floored at -6000; of 49000 -7350 -> -6000; of 52809 -> -6000
    assert (low.min, low.mid, low.max) == (40148, 43000, 46809)
    assert not low.named_band and low.zone == "low"


def test_a_band_that_names_a_zone_wins_over_the_computed_figures() -> None:
    pay = framework(salary=SALARY)
    inner = pay.band_figures("ic", "t1", "inner")
    assert (inner.min, inner.max, inner.named_band) == (36000, 43000, True)
    assert pay.band_figures("lead", "t4", "inner").min == 64000   # the track's own
    computed = pay.band_figures("ic", "t4", "inner")               # none for ic: computed
    assert (computed.min, computed.named_band) == (53755 + 7000, False)


def test_zone_bands_are_not_the_bands_of_a_role() -> None:
    pay = framework(salary=SALARY)
    assert pay.band_at("ic", "t1").max == 36483
    assert pay.band_figures("ic", "t1").zone is None


# --- pay of a role ---------------------------------------------------------------------------


def test_a_role_spanning_tiers_is_paid_from_the_lower_minimum_to_the_upper_maximum() -> None:
    spanning = role("specialist", tier="t2", tier_max="t3")
    pay = framework(spanning, salary=SALARY)
    paid = pay.pay_range(spanning)
    assert (paid.min, paid.max, paid.mid, paid.spans_tiers) == (37338, 52809, None, True)
    assert [tier.id for tier in pay.tiers_of(spanning)] == ["t2", "t3"]
    assert pay.tier_span(spanning) == (1, 2)
    in_zone = pay.pay_range(spanning, "outer")
    assert (in_zone.min, in_zone.max) == (37338 + 2500, 52809 + 2500)


def test_a_role_at_one_tier_is_paid_its_band_with_midpoint_and_steps() -> None:
    one = role("nurse")
    paid = framework(one, salary=SALARY).pay_range(one)
    assert (paid.min, paid.max, paid.mid, paid.steps) == (29970, 36483, None,
                                                         (29970, 32324, 36483))


def test_the_pay_step_without_midpoints_is_the_difference_of_minimums() -> None:
    nurse, senior = role("nurse", next=["senior"]), role("senior", tier="t2")
    step = framework(nurse, senior, salary=SALARY).pay_step(nurse, senior)
    assert (step.basis, step.change) == ("minimum", 37338 - 29970)
    assert step.describe("GBP") == "+GBP 7,368 at the minimum (+25%)"


def test_the_pay_step_with_midpoints_on_both_bands_stays_at_the_midpoint() -> None:
    lower, upper = role("lower", tier="t3"), role("upper", tier="t4")
    step = framework(lower, upper, salary=SALARY).pay_step(lower, upper)
    assert (step.basis, step.change) == ("midpoint", 57000 - 49000)
    assert step.describe("GBP") == "+GBP 8,000 at the midpoint (+16%)"


def test_the_pay_step_with_one_midpoint_is_at_the_minimum() -> None:
    lower, upper = role("lower", tier="t2"), role("upper", tier="t3")
    step = framework(lower, upper, salary=SALARY).pay_step(lower, upper)
    assert (step.basis, step.change) == ("minimum", 46148 - 37338)


def test_a_band_without_midpoint_shows_none() -> None:
    band = Band(tier="t1", min=29970, max=36483)
    assert format_band(band, "GBP") == "GBP 29,970 – 36,483"


# --- policies --------------------------------------------------------------------------------

POLICIES = [
    {"id": "gate", "text": "Only the top two quartiles."},
    {"id": "tenure", "applies_to": "leaving", "tracks": ["core"], "tiers": ["t1", "t2"],
     "text": "Two years before leaving."},
    {"id": "panel", "applies_to": "promotion", "tracks": ["lead"], "tiers": ["t3", "t4"],
     "roles": ["head"], "text": "A panel."},
    {"id": "steps", "applies_to": "pay", "tiers": ["t2"], "text": "One step a year."},
    {"id": "review", "applies_to": "general", "text": "Reviewed every spring."},
]


def test_a_policy_without_applies_to_is_about_promotion_for_every_role() -> None:
    anyone = role("anyone", track="ic", tier="t4")
    found = framework(anyone, policies=POLICIES).policies_for(anyone)
    assert [policy.id for policy in found] == ["gate"]


def test_tracks_tiers_and_roles_of_a_policy_combine() -> None:
    head = role("head", track="lead", tier="t3")
    deputy = role("deputy", track="lead", tier="t3")
    head_elsewhere = role("head-ic", track="ic", tier="t3")
    pay = framework(head, deputy, head_elsewhere, policies=POLICIES)
    assert [p.id for p in pay.policies_for(head)] == ["gate", "panel"]
    assert [p.id for p in pay.policies_for(deputy)] == ["gate"]      # not in its roles
    assert [p.id for p in pay.policies_for(head_elsewhere)] == ["gate"]  # not its track


def test_a_policy_for_tiers_covers_a_role_graded_across_them() -> None:
    core_low = role("trainee", track="core", tier="t1")
    core_high = role("senior", track="core", tier="t3")
    spanning = role("span", track="core", tier="t2", tier_max="t3")
    pay = framework(core_low, core_high, spanning, policies=POLICIES)
    assert [p.id for p in pay.policies_for(core_low, "leaving")] == ["tenure"]
    assert pay.policies_for(core_high, "leaving") == []
    assert [p.id for p in pay.policies_for(spanning, "leaving")] == ["tenure"]
    assert [p.id for p in pay.policies_for(spanning, "pay")] == ["steps"]
    assert [p.id for p in pay.policies_about("general")] == ["review"]


# --- advancement -----------------------------------------------------------------------------


def test_the_framework_advancement_is_the_default_and_a_role_wins() -> None:
    own = role("own", advancement="vacancy")
    default = role("default")
    pay = framework(own, default, advancement="automatic")
    assert (pay.advancement_of(own), pay.advancement_of(default)) == ("vacancy", "automatic")
    assert framework(default).advancement_of(default) is None


# --- competencies ----------------------------------------------------------------------------

COMPETENCIES = [
    {"id": "communication", "name": "Communication", "category": "Core"},
    {"id": "design", "name": "Design", "category": "Craft", "levels": {
        1: "Designs a component.",
        2: {"statements": ["Breaks a project into tasks.", "Writes down why."],
            "develop": ["Pair on a design review."]},
        3: {"text": "Designs systems across teams.", "examples": ["Led the queue move."]}}},
    {"id": "hiring", "name": "Hiring", "category": "Leadership", "levels": {1: "Interviews."}},
    {"id": "safety", "name": "Safety"},
]


def test_a_level_name_resolves_through_the_scale() -> None:
    named = role("named", scale=SCALE, competencies={
        "communication": "Practitioner", "design": {"level": "Expert"}, "hiring": 1})
    assert named.competencies == {"communication": 2, "design": 3, "hiring": 1}
    assert named.competencies_as_written["communication"].level == "Practitioner"


def test_a_level_name_the_scale_lacks_is_left_for_validation() -> None:
    assert role("typo", scale=SCALE, competencies={"design": "Expret"}).competencies == {}


def test_a_competency_without_levels_has_the_scale_levels_with_their_descriptions() -> None:
    pay = framework(competencies=COMPETENCIES, scale=SCALE)
    levels = pay.levels_of("communication")
    assert [(level.number, level.name, level.text, level.text_from_scale)
            for level in levels] == [(1, "Awareness", "Knows the idea.", True),
                                     (2, "Practitioner", "Applies it unaided.", True),
                                     (3, "Expert", "Shapes how others apply it.", True)]
    assert pay.level_count("communication") == 3 and pay.level_count("hiring") == 1


def test_a_level_without_text_takes_the_scale_description() -> None:
    pay = framework(competencies=COMPETENCIES, scale=SCALE)
    second = pay.level("design", 2)
    assert (second.text, second.text_from_scale, second.statements, second.develop) == (
        "Applies it unaided.", True, ("Breaks a project into tasks.", "Writes down why."),
        ("Pair on a design review.",))
    third = pay.level("design", 3)
    assert (third.text, third.text_from_scale, third.name, third.of) == (
        "Designs systems across teams.", False, "Expert", 3)
    assert pay.level("design", 4) is None and pay.level("nothing", 1) is None


def test_without_a_scale_a_level_has_no_name() -> None:
    pay = framework(competencies=COMPETENCIES)
    assert pay.level("design", 1).name is None
    assert pay.level("design", 2).text == ""   # statements only, and no scale to stand in


def test_the_expectation_shows_the_role_statements_instead_of_the_level() -> None:
    own = role("own", scale=SCALE, competencies={"design": {
        "level": 2, "statements": ["Reviews designs across two teams."],
        "examples": ["Wrote the payments decision record."]}})
    shared = role("shared", scale=SCALE, competencies={"design": 2})
    pay = framework(own, shared, competencies=COMPETENCIES, scale=SCALE)
    mine = pay.expectation(own, "design")
    assert (mine.number, mine.name, mine.role_specific) == (2, "Practitioner", True)
    assert mine.statements == ("Reviews designs across two teams.",)
    assert mine.examples == ("Wrote the payments decision record.",)
    assert mine.develop == ("Pair on a design review.",)
    theirs = pay.expectation(shared, "design")
    assert theirs.statements == ("Breaks a project into tasks.", "Writes down why.")
    assert not theirs.role_specific
    assert pay.expectation(shared, "hiring") is None


def test_new_statements_are_those_the_next_role_adds() -> None:
    source = role("source", competencies={"design": {"level": 2, "statements": ["A", "B"]}})
    target = role("target", tier="t2", competencies={"design": {"level": 3,
                                                                "statements": ["B", "C"]}})
    pay = framework(source, target, competencies=COMPETENCIES)
    assert pay.new_statements(source, target, "design") == ["C"]


def test_categories_are_in_the_listed_order_then_by_first_appearance() -> None:
    pay = framework(competencies=COMPETENCIES,
                    categories=[{"name": "Leadership", "description": "Leading people."},
                                {"name": "Core"}, {"name": "Unused"}])
    groups = pay.categories_in_order()
    assert [(group.name, [c.id for c in group.competencies]) for group in groups] == [
        ("Leadership", ["hiring"]), ("Core", ["communication"]), ("Craft", ["design"]),
        (None, ["safety"])]
    assert groups[0].description == "Leading people."


# --- tiers -----------------------------------------------------------------------------------


def test_the_tier_word_is_tier_unless_the_framework_names_it() -> None:
    assert (framework().tier_label, framework().tier_label_plural) == ("Tier", "Tiers")
    banded = framework(tier_label="Band")
    assert (banded.tier_label, banded.tier_label_plural) == ("Band", "Bands")


def test_roles_whose_tiers_overlap_can_be_a_lateral_move_apart() -> None:
    spanning = role("span", tier="t2", tier_max="t3")
    above, below = role("above", tier="t3"), role("below", tier="t1")
    pay = framework(spanning, above, below)
    assert pay.tiers_overlap(spanning, above) and not pay.tiers_overlap(spanning, below)
