"""The safe YAML loader: plain data, positions of every value and key, clean refusals."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from generator.yaml_loader import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    Position,
    YamlProblem,
    load_yaml_file,
    load_yaml_text,
)


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        aliases = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    return "\n".join(lines) + "\n"


def problem_of(text: str) -> YamlProblem:
    with pytest.raises(YamlProblem) as caught:
        load_yaml_text(text)
    return caught.value


def test_plain_yaml_becomes_plain_data() -> None:
    loaded = load_yaml_text("title: CSR\nnext: [a, b]\neffective: 2026-01-01\nlevels:\n  1: x\n")
    assert loaded.data == {
        "title": "CSR", "next": ["a", "b"], "effective": dt.date(2026, 1, 1), "levels": {1: "x"},
    }
    assert loaded.problems == []


def test_values_and_keys_remember_their_line_and_column() -> None:
    loaded = load_yaml_text("title: CSR\ncriteria:\n  - metric: fcr\n    min: 88\n")
    assert loaded.values[("title",)] == Position(1, 8)
    assert loaded.values[("criteria", 0)] == Position(3, 5)
    assert loaded.values[("criteria", 0, "min")] == Position(4, 10)
    assert loaded.keys[("criteria", 0, "min")] == Position(4, 5)


def test_position_of_a_missing_value_is_its_nearest_parent() -> None:
    loaded = load_yaml_text("title: CSR\ncriteria:\n  - metric: fcr\n")
    assert loaded.position(("criteria", 0, "max")) == Position(3, 5)
    assert loaded.position(("criteria", 0, "metric"), key=True) == Position(3, 5)


def test_scalars_keep_the_text_they_were_written_as() -> None:
    loaded = load_yaml_text("version: 2026.10\nentry: yes\n")
    assert loaded.data == {"version": 2026.1, "entry": True}
    assert loaded.raw[("version",)] == "2026.10"
    assert loaded.raw[("entry",)] == "yes"


def test_keys_that_yaml_would_read_as_booleans_stay_text() -> None:
    assert load_yaml_text("on: 1\nno: 2\nnull: 3\n").data == {"on": 1, "no": 2, "null": 3}


def test_every_duplicated_key_is_reported_and_the_first_value_kept() -> None:
    loaded = load_yaml_text("title: A\ntier: t1\ntitle: B\nnested:\n  x: 1\n  x: 2\n")
    assert loaded.data == {"title": "A", "tier": "t1", "nested": {"x": 1}}
    assert [(p.rule, p.position) for p in loaded.problems] == [
        ("duplicate-key", Position(3, 1)),
        ("duplicate-key", Position(6, 3)),
    ]
    assert "first on line 1" in loaded.problems[0].message


def test_an_alias_bomb_stops_quickly_with_a_clean_error() -> None:
    started = time.perf_counter()
    problem = problem_of(billion_laughs())
    assert problem.rule == "yaml-too-complex"
    assert time.perf_counter() - started < 5


def test_ordinary_anchors_and_aliases_are_allowed() -> None:
    loaded = load_yaml_text("a: &moves [csr-2, csr-3]\nb: *moves\n")
    assert loaded.data == {"a": ["csr-2", "csr-3"], "b": ["csr-2", "csr-3"]}


def test_values_nested_past_the_limit_are_refused_where_the_limit_is_crossed() -> None:
    text = "x: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    problem = problem_of(text)
    assert (problem.rule, problem.position) == ("yaml-too-complex", Position(1, 4 + MAX_DEPTH))


def test_thousands_of_nested_brackets_do_not_crash_the_parser() -> None:
    problem = problem_of("x: " + "[" * 5_000 + "]" * 5_000 + "\n")
    assert problem.rule == "yaml-too-complex"


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system", "!!python/name:os.system", "!!binary", "!!set", "!include",
])
def test_tags_beyond_plain_data_are_refused(tag: str, tmp_path: Path) -> None:
    marker = tmp_path / "was-run"
    problem = problem_of(f"title: {tag} ['touch {marker}']\n")
    assert (problem.rule, problem.position) == ("yaml-tag", Position(1, 8))
    assert tag in problem.message
    assert not marker.exists()


def test_a_merge_key_is_refused_at_its_line() -> None:
    problem = problem_of("base: &b {tier: t1}\nrole:\n  <<: *b\n")
    assert (problem.rule, problem.position) == ("yaml-merge-key", Position(3, 3))


def test_a_tab_used_for_indentation_is_named_as_such() -> None:
    problem = problem_of("competencies:\n\tcall-resolution: 2\n")
    assert (problem.rule, problem.position) == ("yaml-tab", Position(2, 1))
    assert "Replace the tab with spaces" in problem.message


def test_a_tab_inside_a_quoted_value_is_fine() -> None:
    assert load_yaml_text('title: "a\tb"\n').data == {"title": "a\tb"}


def test_a_syntax_error_points_at_the_offending_place() -> None:
    problem = problem_of("title: CSR\ntrack: frontline: retail\n")
    assert (problem.rule, problem.position) == ("yaml-syntax", Position(2, 17))
    assert "Check indentation and quoting" in problem.message


def test_a_second_document_is_explained() -> None:
    problem = problem_of("title: A\n---\ntitle: B\n")
    assert (problem.rule, problem.position) == ("yaml-syntax", Position(2, 1))
    assert "more than one YAML document" in problem.message


def test_a_mapping_used_as_a_key_is_refused() -> None:
    assert problem_of("? {a: 1}\n: b\n").rule == "yaml-syntax"


def test_a_date_that_does_not_exist_is_a_clean_error() -> None:
    problem = problem_of("effective: 2026-02-30\n")
    assert (problem.rule, problem.position) == ("invalid-value", Position(1, 12))
    assert "YYYY-MM-DD" in problem.message


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_a_file_without_content_is_empty(text: str) -> None:
    assert problem_of(text).rule == "empty-file"


def test_a_nul_character_is_an_encoding_problem() -> None:
    problem = problem_of("title: a\nb\x00c\n")
    assert (problem.rule, problem.position) == ("encoding", Position(2, 2))


def test_a_file_that_is_not_utf8_points_at_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "role.yaml"
    path.write_bytes(b"title: CSR\nsummary: Caf\xe9 au lait\n")
    with pytest.raises(YamlProblem) as caught:
        load_yaml_file(path)
    assert (caught.value.rule, caught.value.position) == ("encoding", Position(2, 13))
    assert "0xe9" in caught.value.message
    assert "save the file as UTF-8" in caught.value.message


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "role.yaml"
    path.write_bytes(b"\xef\xbb\xbftitle: Caf\xc3\xa9\n")
    assert load_yaml_file(path).data == {"title": "Café"}


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "role.yaml"
    path.write_text("title: " + "x" * MAX_FILE_BYTES, encoding="utf-8")
    with pytest.raises(YamlProblem) as caught:
        load_yaml_file(path)
    assert (caught.value.rule, caught.value.position) == ("file-too-large", Position(1, 1))
