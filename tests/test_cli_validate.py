"""``careers validate`` through the real command: exit codes, formats, clean errors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.diagnostics import Diagnostic, Severity
from generator.validation import RULES

Careers = Callable[..., subprocess.CompletedProcess[str]]
EXAMPLES = Path(__file__).resolve().parents[1] / "frameworks"

GITHUB_LINE = re.compile(
    r"::(error|warning) file=(?P<file>[^,]+),line=(?P<line>\d+),col=(?P<col>\d+),"
    r"title=(?P<rule>[a-z0-9-]+)::(?P<message>.+)"
)
TEXT_LINE = re.compile(
    r"(?P<file>\S+):(?P<line>\d+):(?P<col>\d+): (error|warning): .+ \[(?P<rule>[a-z-]+)\]"
)
EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "framework.yaml").is_file())


def alias_bomb() -> str:
    """Nine levels of nine aliases each: 9**9 values if expanded."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 9)]
    return "\n".join(lines) + "\n"


def rewrite(path: Path, pattern: str, replacement: str) -> int:
    """Replace the first line matching ``pattern``; return its 1-based line number."""
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if re.match(pattern, line))
    lines[number] = re.sub(pattern, replacement, lines[number])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number + 1


def append_lines(path: Path, text: str) -> int:
    """Append ``text`` as new lines; return the line number of its first line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, text]) + "\n", encoding="utf-8")
    return len(lines) + 1


# --- the real examples -----------------------------------------------------------------------


def test_all_examples_are_valid_under_strict(careers: Careers) -> None:
    run = careers("validate", "frameworks", "--strict")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout == ""
    assert "0 errors, 0 warnings: frameworks valid" in run.stderr


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_each_example_folder_validates_on_its_own(name: str, careers: Careers) -> None:
    run = careers("validate", f"frameworks/{name}", "--strict", "--format", "json")
    assert run.returncode == 0, run.stdout
    assert json.loads(run.stdout) == []


def test_five_mistakes_in_five_files_of_an_example_are_reported_in_one_run(
    tmp_path: Path, careers: Careers
) -> None:
    folder = tmp_path / "frameworks" / "contact-centre"
    shutil.copytree(EXAMPLES / "contact-centre", folder)
    expected = {
        ("duplicate-key", "framework.yaml", append_lines(folder / "framework.yaml",
                                                         "name: Written twice")),
        ("invalid-id", "competencies.yaml", 1 + append_lines(
            folder / "competencies.yaml", "- name: Bad\n  id: Bad Id\n  levels: {1: Does it.}")),
        ("unknown-tier", "salary.yaml", rewrite(folder / "salary.yaml", r"(\s*-?\s*)tier: \S+",
                                                r"\1tier: t99")),
        ("unknown-track", "roles/csr-2.yaml", rewrite(folder / "roles/csr-2.yaml",
                                                      r"track: \S+", "track: no-such-track")),
        ("yaml-tab", "roles/csr-1.yaml", 1 + rewrite(folder / "roles/csr-1.yaml", r"title: (.*)",
                                                     "title: \\1\n\tsummary: tab")),
    }
    run = careers("validate", "--format", "json", cwd=tmp_path)
    assert run.returncode == 1
    reported = {(d["rule"], d["file"], d["line"]) for d in json.loads(run.stdout)}
    for rule, file, line in expected:
        assert (rule, f"frameworks/contact-centre/{file}", line) in reported, run.stdout


# --- clean errors, never a traceback ---------------------------------------------------------

BROKEN_FILES = {
    "duplicate key": ("roles/team-lead.yaml", "title: Team Lead\ntitle: Lead\n", "duplicate-key"),
    "unknown key": ("roles/team-lead.yaml", "titel: Team Lead\ntrack: leadership\ntier: t2\n",
                    "unknown-key"),
    "alias bomb": ("roles/team-lead.yaml", alias_bomb(), "yaml-too-complex"),
    "python tag": ("roles/team-lead.yaml",
                   "title: !!python/object/apply:os.system ['touch pwned']\n", "yaml-tag"),
    "not UTF-8": ("competencies.yaml", b"- id: caf\xe9\n", "encoding"),
    "empty file": ("salary.yaml", "", "empty-file"),
    "list instead of mapping": ("framework.yaml", "- name: Demo\n", "wrong-type"),
    "deep nesting": ("roles/team-lead.yaml", "title: " + "[" * 1500 + "]" * 1500,
                     "yaml-too-complex"),
    "impossible date": ("framework.yaml", "effective: 2026-02-30\n", "invalid-value"),
}


@pytest.mark.parametrize("name", BROKEN_FILES)
def test_a_broken_file_is_a_clean_error(
    name: str, tiny_framework: Path, careers: Careers
) -> None:
    file, content, rule = BROKEN_FILES[name]
    path = tiny_framework / file
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    started = time.perf_counter()
    run = careers("validate", cwd=tiny_framework.parents[1])
    assert time.perf_counter() - started < 10
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    lines = [TEXT_LINE.fullmatch(line) for line in run.stdout.splitlines()]
    assert all(lines), run.stdout
    assert (f"frameworks/demo/{file}", rule) in {(m["file"], m["rule"]) for m in lines}
    assert not (tiny_framework.parents[1] / "pwned").exists()


def test_unknown_key_message_suggests_the_right_key(tiny_framework: Path, careers: Careers) -> None:
    (tiny_framework / "roles/team-lead.yaml").write_text(
        "titel: Team Lead\ntrack: leadership\ntier: t2\n", encoding="utf-8"
    )
    run = careers("validate", cwd=tiny_framework.parents[1])
    assert ("frameworks/demo/roles/team-lead.yaml:1:1: error: unknown key 'titel'; "
            "did you mean 'title'? [unknown-key]") in run.stdout.splitlines()


# --- output formats and exit codes -----------------------------------------------------------


def break_two_things(folder: Path) -> None:
    role = folder / "roles/csr-2.yaml"
    role.write_text(role.read_text().replace("tier: t2", "tier: t9"), encoding="utf-8")
    (folder / "roles/team-lead.yaml").write_text(
        "title: Team Lead\ntrack: leadership\ntier: t2\n", encoding="utf-8"
    )


def test_text_format_prints_compiler_style_lines_and_a_summary(
    tiny_framework: Path, careers: Careers
) -> None:
    break_two_things(tiny_framework)
    run = careers("validate", cwd=tiny_framework.parents[1])
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        "frameworks/demo/roles/csr-2.yaml:3:7: error: unknown tier 't9'; did you mean 't2'? "
        "[unknown-tier]",
        "frameworks/demo/roles/team-lead.yaml:1:8: warning: the role 'team-lead' lists no "
        "competencies; add a 'competencies:' mapping so people see what is expected "
        "[no-competencies]",
    ]
    assert "1 error, 1 warning: frameworks invalid" in run.stderr


def test_github_format_annotates_file_line_and_column(
    tiny_framework: Path, careers: Careers
) -> None:
    break_two_things(tiny_framework)
    run = careers("validate", "--format", "github", cwd=tiny_framework.parents[1])
    assert run.returncode == 1
    matches = [GITHUB_LINE.fullmatch(line) for line in run.stdout.splitlines()]
    assert all(matches), run.stdout
    first = matches[0]
    assert first.group(1) == "error"
    assert (first["file"], first["line"], first["col"], first["rule"]) == (
        "frameworks/demo/roles/csr-2.yaml", "3", "7", "unknown-tier"
    )
    assert matches[1].group(1) == "warning"


def test_json_format_is_a_list_of_diagnostics(tiny_framework: Path, careers: Careers) -> None:
    break_two_things(tiny_framework)
    run = careers("validate", "--format", "json", cwd=tiny_framework.parents[1])
    assert run.returncode == 1
    diagnostics = json.loads(run.stdout)
    assert diagnostics[0] == {
        "file": "frameworks/demo/roles/csr-2.yaml", "line": 3, "column": 7, "severity": "error",
        "message": "unknown tier 't9'; did you mean 't2'?", "rule": "unknown-tier",
    }
    assert [d["severity"] for d in diagnostics] == ["error", "warning"]


def test_json_format_of_a_valid_framework_is_an_empty_list(
    tiny_framework: Path, careers: Careers
) -> None:
    run = careers("validate", "frameworks/demo", "--format", "json", cwd=tiny_framework.parents[1])
    assert (run.returncode, json.loads(run.stdout)) == (0, [])


def test_warnings_fail_the_run_only_under_strict(tiny_framework: Path, careers: Careers) -> None:
    (tiny_framework / "roles/team-lead.yaml").write_text(
        "title: Team Lead\ntrack: leadership\ntier: t2\n", encoding="utf-8"
    )
    relaxed = careers("validate", cwd=tiny_framework.parents[1])
    strict = careers("validate", "--strict", cwd=tiny_framework.parents[1])
    assert (relaxed.returncode, strict.returncode) == (0, 1)
    assert "[no-competencies]" in relaxed.stdout


def test_a_path_that_does_not_exist_is_a_usage_error(tmp_path: Path, careers: Careers) -> None:
    run = careers("validate", "no-such-folder", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.startswith(
        "careers validate: error: no frameworks folder at 'no-such-folder': ")


@pytest.mark.parametrize("args", [
    ["validate", "--bogus"], ["validate", "--format", "xml"], ["no-such-command"], [],
])
def test_a_usage_error_exits_with_2(args: list[str], careers: Careers) -> None:
    run = careers(*args)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "usage: careers" in run.stderr + run.stdout


def test_rules_lists_every_rule_id_with_its_severity(careers: Careers) -> None:
    run = careers("rules")
    assert run.returncode == 0
    listed = {line.split()[0]: line.split()[1] for line in run.stdout.splitlines()}
    assert listed == {rule_id: rule.severity.value for rule_id, rule in RULES.items()}


def test_github_annotations_escape_what_would_break_the_command() -> None:
    diagnostic = Diagnostic("a,b:c.yaml", 2, 3, Severity.ERROR, "50% done\nnext line", "x-rule")
    assert diagnostic.format_github() == (
        "::error file=a%2Cb%3Ac.yaml,line=2,col=3,title=x-rule::50%25 done%0Anext line"
    )
