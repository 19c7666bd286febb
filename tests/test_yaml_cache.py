"""Parsed role files are cached by content (issue 15): a cached load is the load, an edit is
never missed, and a cache file this generator did not write is ignored."""

from __future__ import annotations

import marshal
import re
from pathlib import Path

import pytest

from generator import synthetic, yaml_cache
from generator.validation import load_valid_frameworks, validate_path


@pytest.fixture
def frameworks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(yaml_cache.CACHE_ENV, str(tmp_path / "cache"))
    folder = tmp_path / "frameworks"
    synthetic.write_framework(yaml_cache.MIN_FILES + 20, folder, seed=5)
    return folder


def loaded(folder: Path) -> tuple[dict[str, str], list[str]]:
    """Every role as JSON, and every diagnostic."""
    result, diagnostics = validate_path(folder, folder.parent)
    (framework,) = result.frameworks
    roles = {role_id: role.model_dump_json() for role_id, role in framework.roles.items()}
    return roles, [d.format_text() for d in diagnostics]


def test_a_cached_load_is_the_same_load_and_sees_every_edit(
        frameworks: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = loaded(frameworks)
    (cache_file,) = (tmp_path / "cache").glob("*.marshal")
    assert cache_file.stat().st_mode & 0o777 == yaml_cache.FILE_MODE
    assert len(marshal.loads(cache_file.read_bytes())["entries"]) == yaml_cache.MIN_FILES + 20
    assert loaded(frameworks) == first  # from the cache

    role = sorted((frameworks / synthetic.FRAMEWORK_ID / "roles").glob("*.yaml"))[7]
    text = role.read_text(encoding="utf-8")
    role.write_text(re.sub(r"^title: .*$", "title: Edited While Cached", text, count=1,
                           flags=re.M), encoding="utf-8")
    edited, _ = loaded(frameworks)
    assert '"title":"Edited While Cached"' in edited[role.stem]
    assert {k for k in edited if edited[k] != first[0][k]} == {role.stem}

    role.write_text(text.replace("track:", "track: [", 1), encoding="utf-8")  # broken
    _, problems = loaded(frameworks)
    assert any(f"{role.name}:" in problem and "error" in problem for problem in problems)

    monkeypatch.setenv(yaml_cache.CACHE_ENV, "off")
    assert loaded(frameworks)[1] == problems


def test_a_cache_file_not_written_by_the_generator_is_ignored(
        frameworks: Path, tmp_path: Path) -> None:
    truth = load_valid_frameworks(frameworks)[0][0].roles
    (cache_file,) = (tmp_path / "cache").glob("*.marshal")
    content = marshal.loads(cache_file.read_bytes())
    for key in content["entries"]:
        content["entries"][key] = {"title": "Planted", "track": "nowhere", "tier": "t1"}
    cache_file.write_bytes(marshal.dumps(content))
    cache_file.chmod(0o644)  # as git would check it out
    roles = load_valid_frameworks(frameworks)[0][0].roles
    assert roles == truth
    assert cache_file.stat().st_mode & 0o777 == yaml_cache.FILE_MODE  # written again


def test_the_size_rules_see_a_long_text_in_a_role_file_read_from_the_cache(
        frameworks: Path, tmp_path: Path) -> None:
    from generator import validation

    role = sorted((frameworks / synthetic.FRAMEWORK_ID / "roles").glob("*.yaml"))[3]
    text = role.read_text(encoding="utf-8")
    role.write_text(re.sub(r"^title: .*$", f"title: {'T' * 201}", text, count=1, flags=re.M)
                    + f"aliases: [{'a' * 65}]\n", encoding="utf-8")
    _, first = loaded(frameworks)
    assert [p for p in first if "[too-long]" in p and role.name in p]
    assert [p for p in first if "[id-too-long]" in p and role.name in p]

    validation._ROLE_CANDIDATES.clear()  # as in a new process: only the cache knows
    (cache_file,) = (tmp_path / "cache").glob("*.marshal")
    entries = marshal.loads(cache_file.read_bytes())["entries"]
    assert all(isinstance(entry, tuple) and len(entry) == 2 for entry in entries.values())
    _, again = loaded(frameworks)
    assert again == first
