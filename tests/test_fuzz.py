"""Never a traceback: broken, random and hostile framework files end cleanly.

``careers validate`` and the site build must end either in success or in
``path:line:column: error: message [rule]`` lines and exit status 1, whatever a pull
request puts in the YAML.  A seed corpus of tricky files (``tests/fixtures/fuzz``) always
runs; hypothesis adds random bytes, random text, mutated copies of the examples and
structurally mutated data (wrong types, missing keys, huge numbers, unicode, nesting).
"""

from __future__ import annotations

import copy
import dataclasses
import io
import re
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.site_build import build_site
from generator.site_render import RenderOptions, render_site
from generator.validation import load_valid_frameworks
from generator.yaml_loader import YamlProblem, load_yaml_file, load_yaml_text
from tests.conftest import EXAMPLES, REPO, TINY_FRAMEWORK
from tests.site_fixtures import write_config

SEEDS = Path(__file__).parent / "fixtures" / "fuzz"
TARGETS = {
    "framework": "framework.yaml",
    "competencies": "competencies.yaml",
    "salary": "salary.yaml",
    "role": "roles/team-lead.yaml",
}
DIAGNOSTIC = re.compile(
    r"(?P<file>[^\n]+?):(?P<line>[1-9]\d*):(?P<column>[1-9]\d*): "
    r"(?P<severity>error|warning): (?P<message>[^\n]+) \[(?P<rule>[a-z0-9-]+)\]"
)
SUMMARY = re.compile(r"\d+ errors?, \d+ warnings?: frameworks (valid|invalid) \(.*\)")


def budget(examples: int) -> settings:
    """A modest hypothesis budget: the whole file runs in well under a minute."""
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


# --- running the real command in-process ------------------------------------------------------


@dataclass
class Outcome:
    """What ``careers validate`` did: exit status, and its parsed output."""

    code: int
    stdout: str
    stderr: str

    @property
    def diagnostics(self) -> list[re.Match[str]]:
        return [DIAGNOSTIC.fullmatch(line) for line in self.stdout.splitlines()]

    @property
    def rules(self) -> set[tuple[str, str]]:
        return {(match["file"], match["rule"]) for match in self.diagnostics if match}


def _utf8_stream() -> io.TextIOWrapper:
    """A stream that, like a real UTF-8 terminal, fails on text it cannot encode."""
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", newline="\n")


def _text_of(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8")


def validate(frameworks: Path) -> Outcome:
    """``careers validate <frameworks>`` through :func:`generator.cli.main`, in this process."""
    out, err = _utf8_stream(), _utf8_stream()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["validate", str(frameworks)])
    return Outcome(code, _text_of(out), _text_of(err))


def assert_clean(outcome: Outcome) -> None:
    """Exit 0 or 1; every output line a compiler-style diagnostic; the summary agrees."""
    assert outcome.code in (0, 1), outcome
    assert "Traceback" not in outcome.stdout + outcome.stderr
    assert all(outcome.diagnostics), f"a line is not path:line:column: ...\n{outcome.stdout}"
    assert SUMMARY.fullmatch(outcome.stderr.strip()), outcome.stderr
    has_error = any(match["severity"] == "error" for match in outcome.diagnostics if match)
    assert (outcome.code == 1) == has_error, outcome


def reported(outcome: Outcome) -> set[tuple[str, str]]:
    """(file below the frameworks folder, rule) of every diagnostic."""
    return {(file.split("frameworks/", 1)[-1], rule) for file, rule in outcome.rules}


def write_tiny(folder: Path, replace: dict[str, bytes] | None = None) -> Path:
    """The tiny valid framework in ``folder/frameworks/demo``; return ``folder/frameworks``."""
    demo = folder / "frameworks" / "demo"
    if demo.exists():
        shutil.rmtree(demo)
    for name, text in TINY_FRAMEWORK.items():
        path = demo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes((replace or {}).get(name, text.encode("utf-8")))
    return folder / "frameworks"


def render_valid(frameworks: Path) -> None:
    """Render every page of valid frameworks; every output path stays inside the site."""
    loaded, _warnings = load_valid_frameworks(frameworks)
    site = render_site(loaded, RenderOptions(site_url="https://careers.example.org/"))
    for generated in site.files:
        assert not generated.path.startswith("/") and ".." not in generated.path.split("/")


# --- the seed corpus ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    path: Path

    @property
    def target(self) -> str:
        return TARGETS[self.path.name.split("--")[0]]

    @property
    def expected(self) -> str:
        match = re.search(rb"# expect: ([a-z0-9-]+)", self.path.read_bytes()[:200])
        assert match, f"{self.path.name} must say '# expect: <rule or valid>' on its first line"
        return match.group(1).decode()

    def __str__(self) -> str:
        return self.path.stem


SEED_FILES = [Seed(path) for path in sorted(SEEDS.glob("*.yaml"))]
VALID_SEEDS = [seed for seed in SEED_FILES if seed.expected == "valid"]


def test_the_seed_corpus_is_there_and_covers_every_file_kind() -> None:
    assert len(SEED_FILES) >= 40
    assert {seed.path.name.split("--")[0] for seed in SEED_FILES} == set(TARGETS)


@pytest.mark.parametrize("seed", SEED_FILES, ids=str)
def test_a_tricky_file_ends_in_its_expected_clean_outcome(seed: Seed, tmp_path: Path) -> None:
    frameworks = write_tiny(tmp_path, {seed.target: seed.path.read_bytes()})
    outcome = validate(frameworks)
    assert_clean(outcome)
    if seed.expected == "valid":
        assert outcome.code == 0, outcome.stdout
        render_valid(frameworks)
    else:
        assert outcome.code == 1
        reported = {(file.rsplit("frameworks/demo/", 1)[-1], rule) for file, rule in outcome.rules}
        assert (seed.target, seed.expected) in reported, outcome.stdout
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


@pytest.mark.parametrize("seed", VALID_SEEDS, ids=str)
def test_a_tricky_but_valid_file_builds_a_site(seed: Seed, tmp_path: Path) -> None:
    frameworks = write_tiny(tmp_path, {seed.target: seed.path.read_bytes()})
    config = write_config(tmp_path, frameworks)
    site = build_site(config, tmp_path / "site")
    assert (site / "demo" / "roles" / "team-lead" / "index.html").is_file()


CLI_SEEDS = ["role--lone-surrogate-escape", "role--escaped-control-character",
             "salary--infinite-band", "role--billion-laughs", "competencies--latin-1"]


@pytest.mark.parametrize("name", CLI_SEEDS)
def test_the_real_command_reports_a_tricky_file_cleanly(name: str, tmp_path: Path) -> None:
    seed = Seed(SEEDS / f"{name}.yaml")
    frameworks = write_tiny(tmp_path, {seed.target: seed.path.read_bytes()})
    run = subprocess.run([sys.executable, "-m", "generator", "validate", str(frameworks)],
                         capture_output=True, timeout=60, check=False, cwd=tmp_path)
    outcome = Outcome(run.returncode, run.stdout.decode("utf-8"), run.stderr.decode("utf-8"))
    assert_clean(outcome)
    assert outcome.code == 1
    assert ("frameworks/demo/" + seed.target, seed.expected) in outcome.rules


def test_the_real_build_of_a_tricky_file_fails_cleanly(tmp_path: Path) -> None:
    seed = Seed(SEEDS / "salary--infinite-band.yaml")
    frameworks = write_tiny(tmp_path, {seed.target: seed.path.read_bytes()})
    config = write_config(tmp_path, frameworks)
    run = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--config", str(config),
         "--site-dir", str(tmp_path / "site")],
        capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert DIAGNOSTIC.search(run.stderr) and "[invalid-value]" in run.stderr
    assert not (tmp_path / "site").exists()


# --- random input ------------------------------------------------------------------------------


@budget(300)
@given(st.text())
def test_any_text_either_loads_or_is_a_yaml_problem(text: str) -> None:
    try:
        load_yaml_text(text)
    except YamlProblem as problem:
        assert problem.position.line >= 1 and problem.position.column >= 1
        assert "\n" not in problem.message


YAMLISH = st.lists(st.sampled_from(
    ["a", ":", " ", "  ", "\n", "-", "[", "]", "{", "}", ",", "&x", "*x", "!!", "?", "'", '"',
     "#", "|", ">", "\t", "\\", "1", "0x", "1e9", ".inf", "~", "2026-02-30", "é", "\u2028"]),
    max_size=60).map("".join)


@budget(300)
@given(YAMLISH)
def test_yaml_like_noise_either_loads_or_is_a_yaml_problem(text: str) -> None:
    try:
        load_yaml_text(text)
    except YamlProblem as problem:
        assert "\n" not in problem.message


@budget(25)
@given(target=st.sampled_from(sorted(TARGETS.values())), content=st.binary(max_size=400))
def test_random_bytes_in_any_file_are_reported_cleanly(
    tmp_path: Path, target: str, content: bytes
) -> None:
    frameworks = write_tiny(tmp_path, {target: content})
    assert_clean(validate(frameworks))


# --- mutated copies of the example frameworks -------------------------------------------------


@pytest.fixture(scope="module")
def example_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the contact-centre example (``<tmp>/frameworks/contact-centre``)."""
    frameworks = tmp_path_factory.mktemp("examples") / "frameworks"
    shutil.copytree(EXAMPLES / "contact-centre", frameworks / "contact-centre")
    return frameworks


EXAMPLE_FILES = sorted(
    path.relative_to(EXAMPLES / "contact-centre").as_posix()
    for path in (EXAMPLES / "contact-centre").rglob("*.yaml")
)
NOISE = st.sampled_from(["", " ", "  ", "\t", ":", ": ", "- ", "[", "]", "{", "}", "'", '"',
                         "&a ", "*a", "!!python/object ", "#", "\n", "\r", "é", "\u00a0",
                         "999999999999999999999", ".nan", "-1", "notes: x", "<script>"])


@st.composite
def text_mutation(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few edits: lines dropped, duplicated or swapped, noise spliced in."""
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "duplicate", "swap", "splice", "indent", "cut"]))
        if action == "drop":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "splice":
            line = lines[index]
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(NOISE) + line[at:]
        elif action == "indent":
            lines[index] = draw(st.sampled_from([" ", "    ", "\t"])) + lines[index]
        else:
            lines = lines[:index]
    return "".join(lines)


@budget(40)
@given(data=st.data())
def test_mutated_copies_of_the_example_are_reported_cleanly(
    example_copy: Path, data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(EXAMPLE_FILES), label="file")
    path = example_copy / "contact-centre" / name
    original = (EXAMPLES / "contact-centre" / name).read_text(encoding="utf-8")
    try:
        path.write_text(data.draw(text_mutation(original), label="mutated"), encoding="utf-8")
        outcome = validate(example_copy)
        assert_clean(outcome)
        if outcome.code == 0:
            render_valid(example_copy)
    finally:
        path.write_text(original, encoding="utf-8")


# --- structurally mutated data ----------------------------------------------------------------

SCALARS = st.one_of(
    st.none(), st.booleans(),
    st.integers(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.text(alphabet=st.characters(categories=["Cc", "Cs", "Zl", "Cf"]), max_size=5),
    st.sampled_from(["t1", "t2", "frontline", "leadership", "csr-1", "csr-2", "team-lead",
                     "call-resolution", "fcr", "quartile", "months_in_role", "public",
                     "internal", "individual", "management", "../../etc/passwd", "CSR 1",
                     "2026-01-01", "<script>alert(1)</script>", "{{ 7*7 }}", ""]),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=12), st.integers(-3, 9),
                                  st.sampled_from(["id", "name", "notes", "min", "max"])),
                        children, max_size=4),
    ),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``value`` (``()`` is the whole document)."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _parent(document: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        document = document[part]
    return document


@st.composite
def data_mutation(draw: st.DrawFn, document: Any) -> Any:
    """``document`` with a value replaced, a key deleted, or an item or key added."""
    mutated = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(mutated)))
        action = draw(st.sampled_from(["replace", "delete", "add", "nest"]))
        if not path:
            mutated = draw(VALUES) if action == "replace" else mutated
            continue
        parent, last = _parent(mutated, path), path[-1]
        if action == "replace":
            parent[last] = draw(VALUES)
        elif action == "delete":
            del parent[last]
        elif action == "nest":
            parent[last] = [[[[{"x": [parent[last]]}]]]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["notes", "id", "extra", "titel", "min", 3]))] = \
                draw(VALUES)
        else:
            parent.append(draw(VALUES))
    return mutated


TINY_DATA = {name: yaml.safe_load(text) for name, text in TINY_FRAMEWORK.items()}


@budget(120)
@given(data=st.data())
def test_structurally_mutated_files_are_reported_cleanly_or_render(
    tmp_path: Path, data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(sorted(TINY_DATA)), label="file")
    mutated = data.draw(data_mutation(TINY_DATA[name]), label="data")
    text = yaml.safe_dump(mutated, allow_unicode=True, sort_keys=False)
    frameworks = write_tiny(tmp_path, {name: text.encode("utf-8")})
    outcome = validate(frameworks)
    assert_clean(outcome)
    if outcome.code == 0:
        render_valid(frameworks)


TEXT_FIELDS = [
    ("framework.yaml", ("name",)), ("framework.yaml", ("organisation",)),
    ("framework.yaml", ("version",)), ("framework.yaml", ("tiers", 1, "name")),
    ("framework.yaml", ("tracks", 0, "name")), ("framework.yaml", ("metrics", 0, "name")),
    ("framework.yaml", ("policies", 0, "text")), ("competencies.yaml", (0, "name")),
    ("competencies.yaml", (0, "levels", 2)), ("roles/csr-2.yaml", ("title",)),
    ("roles/csr-2.yaml", ("criteria", 2, "text")), ("roles/team-lead.yaml", ("title",)),
]


@budget(4)
@given(field=st.sampled_from(TEXT_FIELDS), text=st.text(min_size=1, max_size=80))
def test_any_text_in_a_text_field_builds_or_is_reported(
    tmp_path: Path, field: tuple[str, tuple[Any, ...]], text: str
) -> None:
    name, path = field
    document = copy.deepcopy(TINY_DATA[name])
    _parent(document, path)[path[-1]] = text
    frameworks = write_tiny(
        tmp_path, {name: yaml.safe_dump(document, allow_unicode=True).encode("utf-8")})
    outcome = validate(frameworks)
    assert_clean(outcome)
    if outcome.code == 0:
        config = write_config(tmp_path, frameworks)
        build_site(config, tmp_path / "site")
        assert (tmp_path / "site" / "demo" / "index.html").is_file()


# --- files that cannot be read at all ----------------------------------------------------------


def test_a_file_far_over_the_size_limit_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:  # sparse: 4 GB that take no disk space
        stream.truncate(4 * 1024**3)
    with pytest.raises(YamlProblem) as caught:
        load_yaml_file(path)
    assert caught.value.rule == "file-too-large"


def test_the_repository_is_not_touched_by_hostile_tags() -> None:
    assert not (REPO / "pwned").exists()


# --- hostile file names and links ----------------------------------------------------------------


@pytest.mark.parametrize(("name", "rule"), [
    ("%2e%2e%2f%2e%2e%2fetc.yaml", "invalid-id"), ("CSR-1.yaml", "invalid-id"),
    ("csr 1.yaml", "invalid-id"), ("csr_1.yaml", "invalid-id"), ("-csr.yaml", "invalid-id"),
    ("csr.1.yaml", "invalid-id"), ("caf\u00e9.yaml", "invalid-id"), ("csr-1.YAML", "unknown-file"),
    ("csr-9.yml", "unknown-file"),
])
def test_a_role_file_whose_name_is_no_slug_is_refused(name: str, rule: str, tmp_path: Path) -> None:
    frameworks = write_tiny(tmp_path)
    (frameworks / "demo" / "roles" / name).write_text(
        "title: Intruder\ntrack: frontline\ntier: t2\n", encoding="utf-8")
    outcome = validate(frameworks)
    assert_clean(outcome)
    assert outcome.code == 1
    assert (f"demo/roles/{name}", rule) in reported(outcome)


def test_a_role_file_named_like_a_way_up_is_hidden_and_never_becomes_a_page(
        tmp_path: Path) -> None:
    frameworks = write_tiny(tmp_path)
    (frameworks / "demo" / "roles" / "..%2f..yaml").write_text(
        "title: Intruder\ntrack: frontline\ntier: t2\n", encoding="utf-8")
    outcome = validate(frameworks)
    assert outcome.code == 0 and "3 roles" in outcome.stderr
    loaded, _warnings = load_valid_frameworks(frameworks)
    paths = [generated.path for generated in render_site(loaded).files]
    assert not any("%2f" in path or "Intruder" in path for path in paths)


def _outside_framework(tmp_path: Path) -> Path:
    """A complete framework folder outside the frameworks folder."""
    outside = write_tiny(tmp_path / "elsewhere") / "demo"
    (outside / "roles" / "spy.yaml").write_text(
        "title: Spy\ntrack: frontline\ntier: t2\nnotes: secret from outside\n", encoding="utf-8")
    return outside


def test_a_role_linked_from_outside_by_a_relative_path_is_refused(tmp_path: Path) -> None:
    frameworks = write_tiny(tmp_path / "repo")
    outside = _outside_framework(tmp_path)
    link = frameworks / "demo" / "roles" / "spy.yaml"
    link.symlink_to(Path("..", "..", "..", "..", "elsewhere", "frameworks", "demo", "roles",
                         "spy.yaml"))
    assert link.resolve() == (outside / "roles" / "spy.yaml").resolve()
    outcome = validate(frameworks)
    assert_clean(outcome)
    assert ("demo/roles/spy.yaml", "unsafe-path") in reported(outcome)


def test_a_roles_folder_linked_from_outside_is_refused_once(tmp_path: Path) -> None:
    frameworks = write_tiny(tmp_path / "repo")
    outside = _outside_framework(tmp_path)
    shutil.rmtree(frameworks / "demo" / "roles")
    (frameworks / "demo" / "roles").symlink_to(outside / "roles", target_is_directory=True)
    outcome = validate(frameworks)
    assert_clean(outcome)
    refused = [file.rsplit("frameworks/", 1)[-1] for file, rule in outcome.rules
               if rule == "unsafe-path"]
    assert refused == ["demo/roles"]


def test_a_framework_folder_linked_from_outside_loads_nothing(tmp_path: Path) -> None:
    frameworks = write_tiny(tmp_path / "repo")
    outside = _outside_framework(tmp_path)
    (frameworks / "linked").symlink_to(outside, target_is_directory=True)
    outcome = validate(frameworks)
    assert_clean(outcome)
    assert "linked" not in outcome.stderr.split("framework(s):", 1)[-1]
    assert [(file.rsplit("frameworks/", 1)[-1], rule) for file, rule in outcome.rules] == [
        ("linked", "unsafe-path")]  # one error, not one per file it holds


def test_a_link_to_a_file_inside_the_frameworks_folder_is_fine(tmp_path: Path) -> None:
    frameworks = write_tiny(tmp_path)
    role = frameworks / "demo" / "roles" / "team-lead.yaml"
    (frameworks / "_shared").mkdir()
    role.rename(frameworks / "_shared" / "team-lead.yaml")
    role.symlink_to(Path("..", "..", "_shared", "team-lead.yaml"))
    outcome = validate(frameworks)
    assert_clean(outcome)
    assert outcome.code == 0, outcome.stdout


def test_a_link_that_loops_is_a_clean_error(tmp_path: Path) -> None:
    frameworks = write_tiny(tmp_path)
    (frameworks / "demo" / "roles" / "loop.yaml").symlink_to("loop.yaml")
    outcome = validate(frameworks)
    assert_clean(outcome)
    assert outcome.code == 1


@pytest.mark.parametrize("framework_id", ["../../escaped", "/tmp/escaped", "a/../../escaped"])
def test_no_rendered_file_can_be_written_outside_the_output_folder(
        framework_id: str, tmp_path: Path) -> None:
    """Ids are validated slugs; even so, the renderer refuses a path that climbs out."""
    loaded, _warnings = load_valid_frameworks(write_tiny(tmp_path / "in"))
    hostile = dataclasses.replace(loaded[0], id=framework_id)
    site = render_site([hostile])
    out = tmp_path / "deep" / "out" / "docs"
    with pytest.raises(ValueError, match="outside"):
        site.write(out)
    assert sorted(path.name for path in tmp_path.rglob("*escaped*")) == []
