"""One run of ``careers validate`` reports every mistake that can be found (issue 14).

A file with a mistake is still read in part: its other fields, and the references in
them, are checked in the same run, and what could not be read raises no second,
false alarm (an unreadable 'next' does not make roles unreachable).
"""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import Diagnostic
from tests.test_validation_rules import append, listing, replace, validate, write


def found(diagnostics: list[Diagnostic]) -> set[tuple[str, str, int]]:
    """(rule, file, line) of every problem."""
    return {(d.rule, d.file, d.line) for d in diagnostics}


def test_a_role_file_with_one_bad_field_still_has_its_references_checked(
    tiny_framework: Path,
) -> None:
    replace("roles/csr-2.yaml", "track: frontline", "track: frontlne")(tiny_framework)
    append("roles/csr-2.yaml", "entry: maybe\n")(tiny_framework)
    replace("roles/csr-2.yaml", "  - metric: fcr\n    min: 88",
            "  - metric: fcx\n    min: 88")(tiny_framework)
    diagnostics = validate(tiny_framework)
    assert found(diagnostics) == {
        ("wrong-type", "demo/roles/csr-2.yaml", 17),      # entry: maybe
        ("unknown-track", "demo/roles/csr-2.yaml", 2),    # the file's other fields ...
        ("unknown-metric", "demo/roles/csr-2.yaml", 10),  # ... are still checked
    }, listing(diagnostics)


def test_an_unquoted_version_does_not_hide_the_roles_problems(tiny_framework: Path) -> None:
    replace("framework.yaml", 'version: "2026.1"', "version: 2026.10")(tiny_framework)
    replace("roles/team-lead.yaml", "tier: t2", "tier: t3")(tiny_framework)
    diagnostics = validate(tiny_framework)
    assert found(diagnostics) == {
        ("wrong-type", "demo/framework.yaml", 3),
        ("unknown-tier", "demo/roles/team-lead.yaml", 3),  # the tiers are still known
    }, listing(diagnostics)


def test_a_bad_tier_keeps_the_others_for_the_roles(tiny_framework: Path) -> None:
    replace("framework.yaml", "    name: Professional\n", "    name: [Professional]\n")(
        tiny_framework)
    replace("roles/csr-2.yaml", "call-resolution: 2", "call-resolutoin: 2")(tiny_framework)
    diagnostics = validate(tiny_framework)
    assert found(diagnostics) == {
        ("wrong-type", "demo/framework.yaml", 9),
        ("unknown-competency", "demo/roles/csr-2.yaml", 6),
    }, listing(diagnostics)


def test_a_syntax_error_in_one_role_does_not_hide_the_others(tiny_framework: Path) -> None:
    replace("roles/csr-2.yaml", "track: frontline", "track: frontline: retail")(
        tiny_framework)
    replace("roles/team-lead.yaml", "track: leadership", "track: leadershp")(tiny_framework)
    replace("salary.yaml", "min: 40000", "min: 50001")(tiny_framework)
    diagnostics = validate(tiny_framework)
    assert found(diagnostics) == {
        ("yaml-syntax", "demo/roles/csr-2.yaml", 2),
        ("unknown-track", "demo/roles/team-lead.yaml", 2),
        ("band-range", "demo/salary.yaml", 8),
    }, listing(diagnostics)


def test_mistakes_in_every_file_are_reported_in_one_run(tiny_framework: Path) -> None:
    replace("framework.yaml", "    kind: management", "    kind: managment")(tiny_framework)
    replace("competencies.yaml", "    2: Resolves", "    two: Resolves")(tiny_framework)
    replace("salary.yaml", "    max: 42000", "    max: 42,000")(tiny_framework)
    replace("roles/csr-1.yaml", "entry: true", "entry: yes please")(tiny_framework)
    replace("roles/csr-2.yaml", "lateral: [team-lead]", "lateral: [team-leed]")(
        tiny_framework)
    diagnostics = validate(tiny_framework)
    assert found(diagnostics) == {
        ("invalid-value", "demo/framework.yaml", 16),
        ("wrong-type", "demo/competencies.yaml", 5),
        ("wrong-type", "demo/salary.yaml", 6),
        ("wrong-type", "demo/roles/csr-1.yaml", 4),
        ("unknown-role", "demo/roles/csr-2.yaml", 16),
    }, listing(diagnostics)


def test_what_could_not_be_read_raises_no_false_alarm(tiny_framework: Path) -> None:
    replace("roles/csr-1.yaml", "next: [csr-2, team-lead]", "next: csr-2, team-lead: x")(
        tiny_framework)
    replace("roles/team-lead.yaml", "competencies:", "competences:")(tiny_framework)
    diagnostics = validate(tiny_framework)
    # no unreachable-role (csr-1's next was unreadable), no no-competencies (a typo)
    assert {d.rule for d in diagnostics} == {"yaml-syntax", "unknown-key"}, \
        listing(diagnostics)


def test_a_misspelt_entry_key_does_not_say_there_is_no_entry_role(tiny_framework: Path) -> None:
    replace("roles/csr-1.yaml", "entry: true", "entyr: true")(tiny_framework)
    diagnostics = validate(tiny_framework)
    assert [d.rule for d in diagnostics] == ["unknown-key"], listing(diagnostics)


def test_a_number_with_a_thousands_comma_says_to_remove_the_comma(tiny_framework: Path) -> None:
    replace("salary.yaml", "    max: 42000", "    max: 44,000")(tiny_framework)
    (diagnostic,) = validate(tiny_framework)
    assert diagnostic.message == ("the max of the band for tier t1 should be a number, not "
                                  "text: write 44000, without the comma")


def test_a_band_is_named_by_its_tier_and_track(tiny_framework: Path) -> None:
    append("salary.yaml", "  - tier: t2\n    track: leadership\n    min: 40000\n"
                          "    mid: 45,000\n    max: 50000\n")(tiny_framework)
    (diagnostic,) = validate(tiny_framework)
    assert diagnostic.message == ("the mid of the band for tier t2, track leadership should "
                                  "be a number, not text: write 45000, without the comma")


def test_a_currency_sign_and_spaces_in_a_number_are_named(tiny_framework: Path) -> None:
    replace("salary.yaml", "    min: 34000", "    min: $34 000")(tiny_framework)
    (diagnostic,) = validate(tiny_framework)
    assert diagnostic.message.endswith(
        "write 34000, without the '$' sign (the currency is set in framework.yaml) and the "
        "spaces")


def test_an_unreadable_competency_level_keeps_the_numbering(tiny_framework: Path) -> None:
    replace("competencies.yaml", "    2: Resolves every call type independently.",
            "    2: [Resolves every call type]")(tiny_framework)
    diagnostics = validate(tiny_framework)
    # no level-numbering gap and no unknown level 2 in the roles that expect it
    assert [d.rule for d in diagnostics] == ["wrong-type"], listing(diagnostics)


def test_a_file_of_the_wrong_shape_is_skipped_with_one_message(tiny_framework: Path) -> None:
    write("roles/team-lead.yaml", "- title: Team Lead\n")(tiny_framework)
    diagnostics = validate(tiny_framework)
    assert [d.rule for d in diagnostics] == ["wrong-type"], listing(diagnostics)
