"""Which maps an edit makes stale is decided from the model (issue 15).

A build no longer makes every map's HTML to find the few that changed: each map's
*inputs key* hashes the framework-wide data and the roles the map shows, and the cache's
index says which PDF those inputs gave.  These tests hold that decision to the truth: the
maps whose HTML an edit changes are exactly the maps rendered again, and every one of
them has a new inputs key (a map whose HTML changed with the same key would be served
stale).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator import synthetic
from generator.pdf_maps import FrameworkMaps, MapInputs, MapOptions, build_maps
from generator.validation import load_valid_frameworks

REPO = Path(__file__).resolve().parents[1]


def state(frameworks_dir: Path, framework_id: str) -> tuple[dict[str, str], dict[str, str]]:
    """Each role's map HTML and inputs key."""
    frameworks, _ = load_valid_frameworks(frameworks_dir)
    framework = next(f for f in frameworks if f.id == framework_id)
    maps = FrameworkMaps(framework)
    inputs = MapInputs(maps)
    return ({role_id: maps.html(role_id) for role_id in maps.role_ids},
            {role_id: inputs.key(role_id) for role_id in maps.role_ids})


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


def set_field(path: Path, field: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(rf"^{field}: .*$", f"{field}: {value}", text, count=1, flags=re.M)
    assert count == 1, (path, field)
    path.write_text(edited, encoding="utf-8")


@pytest.fixture(scope="module")
def synthetic_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic framework big enough that maps draw only a role's part of the map."""
    folder = tmp_path_factory.mktemp("staleness") / "frameworks"
    synthetic.write_framework(110, folder, seed=3)
    return folder


def test_edits_change_the_inputs_key_of_every_map_whose_html_changes(
        synthetic_dir: Path, tmp_path: Path) -> None:
    frameworks = tmp_path / "frameworks"
    shutil.copytree(synthetic_dir, frameworks)
    roles = frameworks / synthetic.FRAMEWORK_ID / "roles"
    html_before, keys_before = state(frameworks, synthetic.FRAMEWORK_ID)

    edited = sorted(roles.glob("*.yaml"))[40]
    set_field(edited, "title", "Renamed Benchmark Role")
    html_after, keys_after = state(frameworks, synthetic.FRAMEWORK_ID)
    html_changed = changed(html_before, html_after)
    assert edited.stem in html_changed
    assert 1 < len(html_changed) < 12, "a title shows on the role's map and its neighbours'"
    assert html_changed <= changed(keys_before, keys_after)

    # A promotion dropped: the role that loses an arrival changes although not edited.
    mover = roles / "claims-generalist-2.yaml"
    text = mover.read_text(encoding="utf-8")
    assert "\n- claims-manager-3\n" in text
    mover.write_text(text.replace("\n- claims-manager-3\n", "\n", 1), encoding="utf-8")
    html_moved, keys_moved = state(frameworks, synthetic.FRAMEWORK_ID)
    assert {"claims-generalist-2", "claims-manager-3"} <= changed(html_after, html_moved)
    assert changed(html_after, html_moved) <= changed(keys_after, keys_moved)

    set_field(frameworks / synthetic.FRAMEWORK_ID / "framework.yaml", "version", "'2099.9'")
    html_version, keys_version = state(frameworks, synthetic.FRAMEWORK_ID)
    assert changed(html_moved, html_version) == set(html_moved)
    assert changed(keys_moved, keys_version) == set(keys_moved)


def test_a_whole_map_drawing_makes_every_map_of_the_framework_show_each_title(
        tmp_path: Path) -> None:
    frameworks = tmp_path / "frameworks"
    shutil.copytree(REPO / "frameworks", frameworks)
    html_before, keys_before = state(frameworks, "engineering")
    set_field(frameworks / "engineering" / "roles" / "staff-engineer.yaml", "title",
              "Staff Engineer Renamed")
    html_after, keys_after = state(frameworks, "engineering")
    assert changed(html_before, html_after) == set(html_before)  # the drawing names it
    assert changed(keys_before, keys_after) == set(keys_before)
    assert len(set(keys_after.values())) == len(keys_after), "one key per map"


def test_a_build_after_an_edit_renders_exactly_the_maps_that_show_it(
        tmp_path: Path) -> None:
    frameworks = tmp_path / "frameworks"
    shutil.copytree(REPO / "frameworks", frameworks)
    for other in frameworks.iterdir():
        if other.is_dir() and other.name != "contact-centre":
            shutil.rmtree(other)
    options = MapOptions(cache_dir=tmp_path / "cache")
    html_before, _ = state(frameworks, "contact-centre")
    first = build_maps(load_valid_frameworks(frameworks)[0], tmp_path / "out", options)
    assert len(first.rendered) == len(html_before)
    roles = frameworks / "contact-centre" / "roles"
    edited = next(path for path in sorted(roles.glob("*.yaml"))
                  if "\nnext:" in path.read_text(encoding="utf-8"))
    set_field(edited, "title", "Renamed Contact Role")
    html_after, _ = state(frameworks, "contact-centre")
    expected = changed(html_before, html_after)
    assert edited.stem in expected and len(expected) < len(html_after)

    second = build_maps(load_valid_frameworks(frameworks)[0], tmp_path / "out", options)

    assert {role_id for _, role_id in second.rendered} == expected
    assert len(second.cached) == len(html_after) - len(expected)
    again = build_maps(load_valid_frameworks(frameworks)[0], tmp_path / "out", options)
    assert again.rendered == [] and again.keys == second.keys
