"""Reading framework folders into :class:`~generator.model.Framework` objects.

Every problem met on the way (unreadable YAML, a key that is not in the format,
a value of the wrong type) becomes a :class:`Diagnostic` with the file, line and
column where it is written; loading goes on so that one run reports them all.
"""

from __future__ import annotations

import difflib
import gc
import multiprocessing
import re
import threading
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from generator.diagnostics import Diagnostic, Severity, display_path, resolved_folder
from generator.model import (
    BUILTIN_METRICS,
    Competency,
    Framework,
    FrameworkSpec,
    Role,
    RoleSpec,
    SalaryFile,
    SourceFile,
    is_slug,
)
from generator.yaml_loader import LoadedYaml, Location, YamlProblem, load_yaml_file

FRAMEWORK_FILE = "framework.yaml"
COMPETENCIES_FILE = "competencies.yaml"
SALARY_FILE = "salary.yaml"
ROLES_DIR = "roles"
KNOWN_ENTRIES = (FRAMEWORK_FILE, COMPETENCIES_FILE, SALARY_FILE, ROLES_DIR)

COMPETENCY_LIST = TypeAdapter(list[Competency])

_TYPE_NAMES = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "NoneType": "nothing",
    "list": "a list",
    "dict": "a mapping (key: value)",
    "date": "a date",
    "datetime": "a date and time",
}


@dataclass
class LoadResult:
    """What loading found: the frameworks that could be read, and every problem."""

    frameworks: list[Framework] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    broken_roles: dict[str, set[str]] = field(default_factory=dict)
    """Per framework id, roles whose file exists but could not be read (for reference checks)."""


def find_framework_dirs(path: Path) -> list[Path]:
    """The framework folders at ``path``: itself if it holds ``framework.yaml``, else its
    sub-folders (hidden ones skipped)."""
    if (path / FRAMEWORK_FILE).is_file():
        return [path]
    return sorted(
        child for child in path.iterdir()
        if child.is_dir() and not child.name.startswith((".", "_"))
    )


def load_frameworks(path: Path, root: Path | None = None, *, jobs: int = 1) -> LoadResult:
    """Load every framework under ``path``; problems are collected, not raised.

    With ``jobs`` above 1, thousands of role files are read by that many processes.
    """
    result = LoadResult()
    base = root or Path.cwd()
    if not path.exists():
        result.diagnostics.append(
            Diagnostic(str(path), 1, 1, Severity.ERROR, "no such file or folder", "missing-file")
        )
        return result
    if not path.is_dir():
        result.diagnostics.append(
            Diagnostic(
                display_path(path, base), 1, 1, Severity.ERROR,
                "expected the frameworks folder (or one framework's folder), not a file",
                "missing-file",
            )
        )
        return result
    framework_dirs = find_framework_dirs(path)
    if not framework_dirs:
        result.diagnostics.append(
            Diagnostic(
                display_path(path, base), 1, 1, Severity.ERROR,
                f"no framework found: create a folder holding {FRAMEWORK_FILE}", "missing-file",
            )
        )
    top = path.resolve()
    with _collector_paused():
        for folder in framework_dirs:
            problem = linked_folder_problem(folder, top) if folder != path else None
            if problem is not None:
                result.diagnostics.append(Diagnostic(display_path(folder, base), 1, 1,
                                                     Severity.ERROR, problem, "unsafe-path"))
                continue
            _FolderLoader(folder, path, base, result, jobs).load()
    return result


def linked_folder_problem(folder: Path, top: Path) -> str | None:
    """Why ``folder`` is not read, if it is a symbolic link that leads out of the frameworks
    folder ``top`` (resolved), to it, or back up to a folder holding the link."""
    if not folder.is_symlink():
        return None
    real = folder.resolve()
    target = _printable(str(folder.readlink()))
    if not real.is_relative_to(top):
        return (f"this folder is a link to '{target}', outside the frameworks folder; it is "
                "not read. Make it a real folder inside frameworks/ (copy it in)")
    if folder.parent.resolve().is_relative_to(real):
        return (f"this folder is a link to '{target}', a folder that holds it; it is not "
                "read. Make it a real folder")
    return None


PARALLEL_READ_FROM = 1000
"""Role files read in parallel processes from this many on (fewer: not worth the start)."""


def read_yaml_files(paths: list[Path], jobs: int = 1) -> list[LoadedYaml | YamlProblem]:
    """Each file read as YAML, or the problem that stops it; by ``jobs`` forked processes
    when there are many files and this process runs no other thread (forking is safe)."""
    if (jobs <= 1 or len(paths) < PARALLEL_READ_FROM or threading.active_count() > 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        return [_read_yaml(path) for path in paths]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return pool.map(_read_yaml, paths, chunksize=max(1, len(paths) // (jobs * 8)))


def _read_yaml(path: Path) -> LoadedYaml | YamlProblem:
    try:
        return load_yaml_file(path)
    except YamlProblem as problem:
        return problem


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while loading: thousands of role files make millions of
    objects and no cycles, and each collection would scan them all again (a third of the
    time at 5,000 roles)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _FolderLoader:
    """Loads one framework folder, appending problems to a shared :class:`LoadResult`."""

    def __init__(self, folder: Path, top: Path, base: Path, result: LoadResult,
                 jobs: int = 1) -> None:
        self.folder = folder
        self.jobs = jobs
        self.top = top.resolve()
        self.base = base
        self.result = result
        self.files: dict[str, SourceFile] = {}
        self.id = folder.name
        self.id_choices: dict[str, list[str]] = {}
        """Per id field (tier, track, ...), the ids it may name: for hints on wrong types."""

    def load(self) -> None:
        framework_path = self.folder / FRAMEWORK_FILE
        self._check_slug(self.id, framework_path, "framework folder name")
        self._check_entries()
        if not framework_path.is_file():
            self._report(
                framework_path, 1, 1,
                f"the folder '{self.id}' has no {FRAMEWORK_FILE}; every framework needs one",
                "missing-file",
            )
            return
        spec = self._parse(framework_path, FRAMEWORK_FILE, FrameworkSpec)
        self.id_choices = _id_choices(spec, self.folder / ROLES_DIR)
        competencies = self._load_competencies()
        salary = self._load_salary()
        roles, broken = self._load_roles()
        self.result.broken_roles[self.id] = broken
        if spec is None:
            return
        self.result.frameworks.append(
            Framework(
                id=self.id,
                root=self.folder,
                spec=spec,
                competencies=competencies,
                salary=salary,
                roles=roles,
                files=self.files,
            )
        )

    def _check_entries(self) -> None:
        for child in sorted(self.folder.iterdir()):
            if child.name.startswith(".") or child.name in KNOWN_ENTRIES:
                continue
            hint = _did_you_mean(child.name, KNOWN_ENTRIES)
            self._report(
                child, 1, 1,
                f"unexpected '{child.name}' in a framework folder{hint}; a framework holds "
                f"{', '.join(KNOWN_ENTRIES[:-1])} and a {ROLES_DIR}/ folder",
                "unknown-file",
            )

    def _load_competencies(self) -> list[Competency]:
        path = self.folder / COMPETENCIES_FILE
        if not path.is_file():
            self._report(
                path, 1, 1, f"missing {COMPETENCIES_FILE}: list the competencies roles expect",
                "missing-file",
            )
            return []
        return self._parse(path, COMPETENCIES_FILE, COMPETENCY_LIST) or []

    def _load_salary(self) -> SalaryFile | None:
        path = self.folder / SALARY_FILE
        return self._parse(path, SALARY_FILE, SalaryFile) if path.is_file() else None

    def _load_roles(self) -> tuple[dict[str, Role], set[str]]:
        roles: dict[str, Role] = {}
        broken: set[str] = set()
        readable: list[Path] = []
        roles_dir = self.folder / ROLES_DIR
        problem = linked_folder_problem(roles_dir, self.top)
        if problem is not None:
            self._report(roles_dir, 1, 1, problem, "unsafe-path")
            return roles, broken
        if not roles_dir.is_dir():
            self._report(
                roles_dir, 1, 1, f"missing the {ROLES_DIR}/ folder: one YAML file per role",
                "missing-file",
            )
            return roles, broken
        for path in sorted(roles_dir.iterdir()):
            if path.name.startswith("."):
                continue
            if path.suffix != ".yaml" or not path.is_file():
                if path.suffix.lower() in (".yaml", ".yml"):  # a role file misnamed: its id
                    broken.update({path.stem, _slug_like(path.stem)})  # is known to references
                self._report(
                    path, 1, 1,
                    f"'{path.name}' is not a role file: role files are named <role-id>.yaml",
                    "unknown-file",
                )
                continue
            role_id = path.stem
            if not self._check_slug(role_id, path, "file name", suffix=".yaml"):
                broken.update({role_id, _slug_like(role_id)})
            elif not self._inside_top(path):
                broken.add(role_id)
            else:
                readable.append(path)
        for path, read in zip(readable, read_yaml_files(readable, self.jobs), strict=True):
            spec = self._parse(path, f"{ROLES_DIR}/{path.name}", RoleSpec, read)
            if spec is None:
                broken.add(path.stem)
            else:
                roles[path.stem] = Role(id=path.stem, **spec.model_dump(exclude_unset=True))
        return roles, broken

    def _check_slug(self, value: str, path: Path, what: str, suffix: str = "") -> bool:
        if is_slug(value):
            return True
        self._report(
            path, 1, 1,
            f"the {what} '{value}' may hold only lower-case letters, digits and '-' (it "
            f"becomes part of web addresses); rename it, for example to "
            f"'{_slug_like(value)}{suffix}'",
            "invalid-id",
        )
        return False

    def _parse(self, path: Path, name: str, model: Any,
               read: LoadedYaml | YamlProblem | None = None) -> Any:
        """The file as ``model``, or None after reporting its problems. ``read`` is the file
        already read (then it was checked to be inside the frameworks folder)."""
        if read is None:
            if not self._inside_top(path):
                return None
            read = _read_yaml(path)
        if isinstance(read, YamlProblem):
            self._report(path, read.position.line, read.position.column, read.message,
                         read.rule)
            return None
        loaded = read
        source = SourceFile(path=path, display=display_path(path, self.base), loaded=loaded)
        for problem in loaded.problems:
            self._report(path, problem.position.line, problem.position.column,
                         problem.message, problem.rule)
        try:
            if isinstance(model, TypeAdapter):
                parsed = model.validate_python(loaded.data)
            else:
                parsed = model.model_validate(loaded.data)
        except ValidationError as exc:
            errors = _without_misspelt_missing_keys(exc.errors())
            found = dict.fromkeys(schema_diagnostic(source, error, model, self.id_choices)
                                  for error in errors)
            self.result.diagnostics.extend(found)
            return None
        self.files[name] = source
        return parsed

    def _inside_top(self, path: Path) -> bool:
        real = path.resolve() if path.is_symlink() else resolved_folder(path.parent) / path.name
        if real.is_relative_to(self.top):
            return True
        self._report(
            path, 1, 1,
            "this file is a link to a place outside the frameworks folder; copy the file in "
            "instead",
            "unsafe-path",
        )
        return False

    def _report(self, path: Path, line: int, column: int, message: str, rule: str) -> None:
        self.result.diagnostics.append(
            Diagnostic(display_path(path, self.base), line, column, Severity.ERROR, message, rule)
        )


def _id_choices(spec: FrameworkSpec | None, roles_dir: Path) -> dict[str, list[str]]:
    roles = sorted(path.stem for path in roles_dir.glob("*.yaml")) if roles_dir.is_dir() else []
    choices = {"next": roles, "lateral": roles, "replaced_by": roles}
    if spec is not None:
        choices |= {"tier": [tier.id for tier in spec.tiers],
                    "track": [track.id for track in spec.tracks],
                    "metric": sorted({*BUILTIN_METRICS, *(metric.id for metric in spec.metrics)})}
    return choices


_ID_FIELDS = ("tier", "track", "metric", "replaced_by", "next", "lateral")


def schema_diagnostic(source: SourceFile, error: Any, model: Any,
                      id_choices: dict[str, list[str]] | None = None) -> Diagnostic:
    """Translate one pydantic error into a diagnostic that says where and how to fix it."""
    location: Location = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    if location and location[-1] in _UNION_TAGS and kind.startswith(("int", "float")):
        location, kind = location[:-1], "float_type"  # int | float: one error, not two
    if location and location[-1] == "[key]":
        return _key_diagnostic(source, location[:-1], kind, error)
    field_name = location[-1] if location else ""
    if kind in ("extra_forbidden", "invalid_key"):
        allowed = _allowed_keys(model, location[:-1])
        hint = _did_you_mean(str(field_name), allowed)
        listing = f" Allowed here: {', '.join(allowed)}." if allowed and not hint else ""
        message = f"unknown key '{_printable(str(field_name))}'{hint or '.'}{listing}"
        return _at(source, location, message, "unknown-key", key=True)
    if kind == "missing":
        where = _describe(location[:-1])
        message = f"missing required key '{field_name}'{where}"
        return _at(source, location[:-1], message, "missing-key", key=True)
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        options = [option.strip(" '\"") for option in expected.replace(" or ", ",").split(",")]
        hint = _did_you_mean(str(value), [option for option in options if option])
        joint = " Use" if hint else "; use"  # after "did you mean 'x'?" a new sentence
        message = f"'{value}' is not allowed for '{field_name}'{hint}{joint} one of: {expected}"
        return _at(source, location, message, "invalid-value")
    if kind == "value_error":
        message = error["msg"].removeprefix("Value error, ")
        return _at(source, location, message, "invalid-value")
    if kind in ("too_short",):
        message = f"'{field_name}' must not be empty"
        return _at(source, location, message, "invalid-value")
    expected = _expected_type(kind, error)
    got = _TYPE_NAMES.get(type(value).__name__, type(value).__name__)
    subject = _describe_subject(location) if location else "the file"
    message = f"{subject} should be {expected}, not {got}"
    if expected.startswith("a ") and "number" in expected and isinstance(value, str) \
            and (percent := _PERCENT.fullmatch(value)):
        return _at(source, location, f"{message}: write {percent.group(1)} without the % sign",
                   "wrong-type")
    written = source.loaded.raw.get(location)
    id_field = next((str(part) for part in reversed(location) if isinstance(part, str)), "")
    if expected == "text" and id_field in _ID_FIELDS and not isinstance(value, (dict, list)):
        message += _id_hint(str(written if written is not None else value),
                            (id_choices or {}).get(id_field, []))
    elif expected == "text" and written is not None and not isinstance(value, (dict, list)):
        message += f" (put it in quotes: \"{written}\")"
    elif expected.startswith("a mapping") and isinstance(value, list) and location:
        message += " (write its entries as 'key: value' lines, without '- ' in front)"
    elif expected == "a list" and isinstance(value, str):
        message += " (start each item on its own line with '- ', or write [first, second])"
    return _at(source, location, message, "wrong-type")


_UNION_TAGS = ("int", "float")


def _id_hint(written: str, choices: list[str]) -> str:
    """For an id field holding a number: the closest id, or the ids to choose from."""
    close = difflib.get_close_matches(written, choices, n=1, cutoff=0.5)
    if close:
        return f"; did you mean '{close[0]}'?"
    if choices:
        shown = ", ".join(choices[:8]) + (", ..." if len(choices) > 8 else "")
        return f"; write one of the ids: {shown}"
    return "; write the id it names"


def _without_misspelt_missing_keys(errors: list[Any]) -> list[Any]:
    """Drop 'missing key' when the same mapping has an unknown key that is its misspelling:
    ``titel:`` is one mistake, reported once as "unknown key 'titel'; did you mean 'title'?"."""
    unknown: dict[Location, list[str]] = {}
    for error in errors:
        location = tuple(error["loc"])
        if error["type"] in ("extra_forbidden", "invalid_key") and location:
            unknown.setdefault(location[:-1], []).append(str(location[-1]))

    def misspelt(error: Any) -> bool:
        location = tuple(error["loc"])
        return (error["type"] == "missing" and bool(location) and bool(
            difflib.get_close_matches(str(location[-1]), unknown.get(location[:-1], []),
                                      n=1, cutoff=0.6)))

    return [error for error in errors if not misspelt(error)]


def _key_diagnostic(source: SourceFile, location: Location, kind: str, error: Any) -> Diagnostic:
    """A mapping key of the wrong type (pydantic reports it at ``(..., key, "[key]")``)."""
    key, parent = location[-1], location[:-1]
    expected = _expected_type(kind, error)
    quote = ": put it in quotes" if expected == "text" else ""
    message = f"the key '{key}' in {_describe_subject(parent)} should be {expected}{quote}"
    return _at(source, location, message, "wrong-type", key=True)


def _expected_type(kind: str, error: Any) -> str:
    if kind.startswith("string"):
        return "text"
    if kind.startswith(("int", "float")):
        return "a number" if kind.startswith("float") else "a whole number"
    if kind.startswith("bool"):
        return "true or false"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "a mapping (key: value)"
    if kind.startswith("list"):
        return "a list"
    if kind.startswith("date"):
        return "a date (YYYY-MM-DD)"
    return error["msg"].lower()


def _at(source: SourceFile, location: Location, message: str, rule: str,
        *, key: bool = False) -> Diagnostic:
    position = source.loaded.position(location, key=key)
    return Diagnostic(source.display, position.line, position.column, Severity.ERROR, message, rule)


def _describe(location: Location) -> str:
    return f" in {_describe_subject(location)}" if location else ""


_PERCENT = re.compile(r"\s*(-?[0-9]+(?:\.[0-9]+)?)\s*%\s*")
_ITEM_NAMES = {
    "criteria": "criterion", "maintain": "'maintain' criterion", "tiers": "tier",
    "tracks": "track", "metrics": "metric", "policies": "policy", "retired": "retired role",
    "bands": "band", "next": "'next' role", "lateral": "'lateral' role", "aliases": "alias",
    "responsibilities": "responsibility", "": "competency",
}


def _describe_subject(location: Location) -> str:
    """A place in a file in words: ``("criteria", 2, "min")`` -> "the 3rd criterion's min";
    without list items, the key in quotes: ``("version",)`` -> "'version'"."""
    if not any(isinstance(part, int) for part in location):
        return "'" + ".".join(map(str, location)) + "'"
    words: list[str] = []
    for position, part in enumerate(location):
        if isinstance(part, int):
            owner = location[position - 1] if position else ""
            if words and words[-1] == str(owner):
                words.pop()
            item = _ITEM_NAMES.get(str(owner), f"'{owner}' item")
            words.append(f"{_ordinal(part + 1)} {item}")
        else:
            words.append(str(part))
    return "the " + "'s ".join(words)


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(
        number % 10, "th")
    return f"{number}{suffix}"


def _allowed_keys(model: Any, location: Location) -> list[str]:
    """Field names of the model that holds the mapping at ``location``."""
    if model is COMPETENCY_LIST:
        model, location = Competency, location[1:]
    target = _model_at(model, location)
    return list(target.model_fields) if target is not None else []


def _model_at(model: Any, location: Location) -> type[BaseModel] | None:
    if not isinstance(model, type) or not issubclass(model, BaseModel):
        return None
    if not location:
        return model
    info = model.model_fields.get(str(location[0]))
    if info is None:
        return None
    annotation, rest = info.annotation, location[1:]
    while True:
        origin = typing.get_origin(annotation)
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if origin in (list, dict) and rest:
            annotation, rest = args[-1], rest[1:]
        elif args and origin not in (list, dict):
            annotation = args[0]
        else:
            return _model_at(annotation, rest)


def _printable(text: str) -> str:
    """``text`` with invisible characters written as escapes, so a message stays one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _slug_like(value: str) -> str:
    """A slug close to ``value``: ``Senior Trainer`` -> ``senior-trainer``."""
    words = "".join(c if c.isascii() and c.isalnum() else " " for c in value.lower()).split()
    return "-".join(words) or "my-id"


def _did_you_mean(word: str, options: Any) -> str:
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""
