"""The synthetic frameworks of the benchmarks are valid, complete and reproducible."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import synthetic as synth
from generator.validation import validate_path

REPO = Path(__file__).resolve().parents[1]




@pytest.mark.parametrize("roles", [1, 9, 50, 120])
def test_a_synthetic_framework_passes_strict_validation(roles: int, tmp_path: Path) -> None:
    synth.write_framework(roles, tmp_path)
    result, diagnostics = validate_path(tmp_path, tmp_path)
    assert diagnostics == []
    (framework,) = result.frameworks
    assert len(framework.roles) == roles


def test_a_synthetic_framework_uses_every_part_of_the_format(tmp_path: Path) -> None:
    synth.write_framework(120, tmp_path)
    result, _ = validate_path(tmp_path, tmp_path)
    (framework,) = result.frameworks
    roles = list(framework.roles.values())
    assert {track.kind for track in framework.spec.tracks} == {"individual", "management"}
    assert any(role.entry for role in roles) and not all(role.entry for role in roles)
    assert any(role.next for role in roles) and any(role.lateral for role in roles)
    assert any(role.aliases for role in roles) and any(role.notes for role in roles)
    assert framework.spec.retired and any(r.replaced_by for r in framework.spec.retired)
    criteria = [criterion for role in roles for criterion in role.criteria]
    assert any(c.metric and c.metric not in ("months_in_role", "quartile") for c in criteria)
    assert any(c.text for c in criteria)
    assert framework.salary is not None
    bands = framework.salary.bands
    assert any(band.track is None for band in bands) and any(band.track for band in bands)


def test_the_same_size_and_seed_give_the_same_files() -> None:
    assert synth.synthesize(60, seed=3) == synth.synthesize(60, seed=3)
    assert synth.synthesize(60, seed=3) != synth.synthesize(60, seed=4)
