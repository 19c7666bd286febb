"""Reading framework folders into :class:`~generator.model.Framework` objects.

Every problem met on the way (unreadable YAML, a key that is not in the format,
a value of the wrong type) becomes a :class:`Diagnostic` with the file, line and
column where it is written; loading goes on so that one run reports them all.
"""

from __future__ import annotations

import difflib
import gc
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from generator.diagnostics import (
    Diagnostic,
    Severity,
    display_path,
    printable,
    resolved_folder,
)
from generator.forking import fork_map
from generator.merging import (
    COMPETENCIES_FILE,
    FRAMEWORK_FILE,
    SALARY_FILE,
    Collision,
    SharedDefinitions,
    merge_shared,
    shared_file,
)
from generator.model import (
    BUILTIN_METRICS,
    Competency,
    Framework,
    FrameworkSpec,
    Role,
    RoleSpec,
    SalaryFile,
    ScaleLevel,
    SharedFolder,
    SharedSpec,
    SourceFile,
    SourceMap,
    is_slug,
)
from generator.salvage import model_at, salvage
from generator.wording import did_you_mean, slug_like, some_of
from generator.yaml_cache import ParsedFiles, read_raw
from generator.yaml_loader import LoadedYaml, Location, YamlProblem, load_yaml_file

ROLES_DIR = "roles"
SHARED_FILES = (FRAMEWORK_FILE, COMPETENCIES_FILE, SALARY_FILE)
SHARED_PREFIX = "_"
"""A folder of frameworks/ whose name starts with this holds shared definitions."""
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
    incomplete: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    """Per framework id, the files read only in part (see :mod:`generator.salvage`): file key
    -> the top-level keys that lost something (rules that need them stay silent)."""


def find_framework_dirs(path: Path) -> list[Path]:
    """The framework folders at ``path``: itself if it holds ``framework.yaml``, else its
    sub-folders (hidden ones skipped)."""
    if (path / FRAMEWORK_FILE).is_file():
        return [] if path.name.startswith(SHARED_PREFIX) else [path]
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
    if not framework_dirs and not _shared_dirs(path):
        result.diagnostics.append(
            Diagnostic(
                display_path(path, base), 1, 1, Severity.ERROR,
                f"no framework found: create a folder holding {FRAMEWORK_FILE}", "missing-file",
            )
        )
    shared_cache: dict[Path, SharedDefinitions | None] = {}
    top = path.resolve()
    with _collector_paused():
        for folder in _shared_dirs(path):  # checked even when no framework extends them
            if not _refused_link(folder, path, top, base, result):
                shared_cache[folder.resolve()] = _SharedLoader(folder, base, result).load()
        for folder in framework_dirs:
            if _refused_link(folder, path, top, base, result):
                continue
            _FolderLoader(folder, path, base, result, jobs, shared_cache).load()
    return result


def _shared_dirs(path: Path) -> list[Path]:
    """The shared folders at ``path``: itself if it is one, else its ``_`` sub-folders that
    hold definitions (a ``_`` folder of other files is none of our business)."""
    if path.name.startswith(SHARED_PREFIX) and is_shared_folder(path):
        return [path]
    return sorted(child for child in path.iterdir()
                  if child.name.startswith(SHARED_PREFIX) and is_shared_folder(child))


def is_shared_folder(folder: Path) -> bool:
    """True for a folder that holds shared definitions: any of framework.yaml,
    competencies.yaml and salary.yaml."""
    return folder.is_dir() and any((folder / name).is_file() for name in SHARED_FILES)


def _refused_link(folder: Path, path: Path, top: Path, base: Path, result: LoadResult) -> bool:
    """Report a framework or shared folder that is a link leading out; True if refused."""
    problem = linked_folder_problem(folder, top) if folder != path else None
    if problem is not None:
        result.diagnostics.append(Diagnostic(display_path(folder, base), 1, 1,
                                             Severity.ERROR, problem, "unsafe-path"))
    return problem is not None


def linked_folder_problem(folder: Path, top: Path) -> str | None:
    """Why ``folder`` is not read, if it is a symbolic link that leads out of the frameworks
    folder ``top`` (resolved), to it, or back up to a folder holding the link."""
    if not folder.is_symlink():
        return None
    real = folder.resolve()
    target = printable(str(folder.readlink()))
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
    when there are many files and this process runs no other thread (forking is safe).
    Files parsed before with the same bytes come from :mod:`generator.yaml_cache`."""
    if not paths:
        return []
    cache = ParsedFiles.of(paths[0].parent, len(paths))
    if cache.path is None:
        return fork_map(_read_yaml, paths, jobs, minimum=PARALLEL_READ_FROM)
    raws = [read_raw(path) for path in paths]
    results: list[LoadedYaml | YamlProblem | None] = [
        cache.get(raw) if raw is not None else None for raw in raws]
    missing = [index for index, result in enumerate(results) if result is None]
    parsed = fork_map(_read_yaml, [paths[index] for index in missing], jobs,
                      minimum=PARALLEL_READ_FROM)
    for index, result in zip(missing, parsed, strict=True):
        results[index] = result
        raw = raws[index]
        if raw is not None and isinstance(result, LoadedYaml):
            cache.put(raw, result)
    cache.save()  # before anything downstream could touch the data
    return [result for result in results if result is not None]


def _is_file(entry: os.DirEntry[str]) -> bool:
    """``entry`` is a regular file or a link to one (a link that loops is not)."""
    try:
        return entry.is_file()
    except OSError:
        return False


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
                 jobs: int = 1, shared_cache: dict[Path, SharedDefinitions | None] | None = None
                 ) -> None:
        self.folder = folder
        self.jobs = jobs
        self.top = top.resolve()
        self.base = base
        self.result = result
        self.files: dict[str, SourceFile] = {}
        self.incomplete: dict[str, frozenset[str]] = {}
        """Files read only in part (a value too broken to use was left out): file key ->
        the top-level keys that lost something."""
        self.id = folder.name
        self.id_choices: dict[str, list[str]] = {}
        """Per id field (tier, track, ...), the ids it may name: for hints on wrong types."""
        self.shared_cache = shared_cache if shared_cache is not None else {}

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
        shared = self._load_shared(spec) if spec is not None and spec.extends else None
        if spec is not None and spec.extends and shared is None:
            spec = None  # without the shared definitions, references would all look wrong
        competencies = self._load_competencies(required=shared is None
                                               or shared.competencies is None)
        salary = self._load_salary()
        merged = None
        if spec is not None and shared is not None:
            merged = merge_shared(spec, competencies, salary, shared)
            spec, competencies, salary = merged.spec, merged.competencies, merged.salary
            self.files |= shared.files
            self.incomplete |= shared.incomplete
            self._report_collisions(merged.collisions)
        if spec is not None:
            self._check_required(spec)
            self._check_levels_given(spec, competencies or [],
                                     merged.sources if merged is not None else SourceMap())
        self.id_choices = _id_choices(spec, self.folder / ROLES_DIR)
        roles, broken = self._load_roles(spec.scale if spec is not None else [])
        self.result.broken_roles[self.id] = broken
        self.result.incomplete[self.id] = self.incomplete
        if spec is None:
            return
        self.result.frameworks.append(
            Framework(
                id=self.id,
                root=self.folder,
                spec=spec,
                competencies=competencies or [],
                salary=salary,
                roles=roles,
                files=self.files,
                shared=_shared_folder(shared),
                sources=merged.sources if merged is not None else SourceMap(),
            )
        )

    def _check_entries(self) -> None:
        for child in sorted(self.folder.iterdir()):
            if child.name.startswith(".") or child.name in KNOWN_ENTRIES:
                continue
            hint = did_you_mean(child.name, KNOWN_ENTRIES)
            self._report(
                child, 1, 1,
                f"unexpected '{child.name}' in a framework folder{hint}; a framework holds "
                f"{', '.join(KNOWN_ENTRIES[:-1])} and a {ROLES_DIR}/ folder",
                "unknown-file",
            )

    def _check_required(self, spec: FrameworkSpec) -> None:
        """What framework.yaml must hold unless the shared folder does (SPEC 1.1)."""
        source = self.files.get(FRAMEWORK_FILE)
        written = source.loaded.data if source is not None else None
        unknown = [str(key) for key in written if key not in FrameworkSpec.model_fields] \
            if isinstance(written, dict) else []
        for name in ("organisation", "tiers", "tracks"):
            if getattr(spec, name) or source is None or name in self.incomplete.get(
                    FRAMEWORK_FILE, ()) or difflib.get_close_matches(name, unknown, 1, 0.6):
                continue  # a misspelt key is reported once, as unknown (did you mean)
            position = source.position(())
            where = " (or in the shared folder it extends)" if spec.extends else ""
            self._report(source.path, position.line, position.column,
                         f"missing required key '{name}'{where}", "missing-key")

    def _check_levels_given(self, spec: FrameworkSpec, competencies: list[Competency],
                            sources: SourceMap) -> None:
        """Without a scale, every competency lists its levels (as in version 1)."""
        if spec.scale:
            return
        for index, competency in enumerate(competencies):
            if competency.levels:
                continue
            file, location = sources.locate(COMPETENCIES_FILE, (index,))
            source = self.files.get(file)
            written = _item_at(source.loaded.data, source.original_location(location)) \
                if source is not None else None
            if source is None or not isinstance(written, dict) or "levels" in written:
                continue  # 'levels' was written but could not be read: reported already
            position = source.position(location)
            self._report(source.path, position.line, position.column,
                         f"missing required key 'levels' in {_describe_subject(location)} "
                         "(or add a 'scale' of named levels to framework.yaml: then a "
                         "competency may leave its levels to the scale)", "missing-key")

    def _load_competencies(self, *, required: bool = True) -> list[Competency] | None:
        path = self.folder / COMPETENCIES_FILE
        if not path.is_file():
            if required:
                self._report(
                    path, 1, 1,
                    f"missing {COMPETENCIES_FILE}: list the competencies roles expect",
                    "missing-file",
                )
            return None
        return self._parse(path, COMPETENCIES_FILE, COMPETENCY_LIST) or []

    def _load_salary(self) -> SalaryFile | None:
        path = self.folder / SALARY_FILE
        return self._parse(path, SALARY_FILE, SalaryFile) if path.is_file() else None

    def _load_shared(self, spec: FrameworkSpec) -> SharedDefinitions | None:
        """The shared folder named by ``extends`` (read once per run), or None after
        reporting why it cannot be used."""
        name = spec.extends or ""
        source = self.files[FRAMEWORK_FILE]
        folder = self.folder.parent / name
        problem = ""
        if not name.startswith(SHARED_PREFIX) or not is_slug(name[1:]):
            problem = (f"'extends' names a shared folder beside this framework's folder, "
                       f"whose name starts with '{SHARED_PREFIX}' and goes on with lower-case "
                       f"letters, digits and '-' (such as '_{slug_like(name)}'), not "
                       f"'{printable(name)}'")
        elif not is_shared_folder(folder):
            others = sorted(child.name for child in self.folder.parent.iterdir()
                            if child.name.startswith(SHARED_PREFIX) and is_shared_folder(child))
            hint = did_you_mean(name, others) or (
                f"; the shared folders are: {', '.join(others)}" if others else "")
            problem = (f"there is no shared folder '{name}' beside this framework's folder "
                       f"(one holding {', '.join(SHARED_FILES)}){hint}")
        if problem:
            position = source.position(("extends",))
            self._report(source.path, position.line, position.column, problem,
                         "invalid-extends")
            return None
        key = folder.resolve()
        if key not in self.shared_cache:
            self.shared_cache[key] = _SharedLoader(folder, self.base, self.result).load()
        return self.shared_cache[key]

    def _report_collisions(self, collisions: list[Collision]) -> None:
        for collision in collisions:
            source = self.files[collision.file]
            position = source.position(collision.location, key=collision.at_key)
            self._report(source.path, position.line, position.column, collision.message,
                         "shared-collision")

    def _load_roles(self, scale: list[ScaleLevel]) -> tuple[dict[str, Role], set[str]]:
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
        with os.scandir(roles_dir) as scan:  # one system call for the folder, not per file
            entries = sorted(scan, key=lambda entry: entry.name)
        folder_inside = resolved_folder(roles_dir).is_relative_to(self.top)
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = roles_dir / entry.name
            if path.suffix != ".yaml" or not _is_file(entry):
                if path.suffix.lower() in (".yaml", ".yml"):  # a role file misnamed: its id
                    broken.update({path.stem, slug_like(path.stem)})  # is known to references
                self._report(
                    path, 1, 1,
                    f"'{path.name}' is not a role file: role files are named <role-id>.yaml",
                    "unknown-file",
                )
                continue
            role_id = path.stem
            if not self._check_slug(role_id, path, "file name", suffix=".yaml"):
                broken.update({role_id, slug_like(role_id)})
            elif (entry.is_symlink() or not folder_inside) and not self._inside_top(path):
                broken.add(role_id)
            else:
                readable.append(path)
        for path, read in zip(readable, read_yaml_files(readable, self.jobs), strict=True):
            spec = self._parse(path, f"{ROLES_DIR}/{path.name}", RoleSpec, read)
            if spec is None:
                broken.add(path.stem)
            else:
                roles[path.stem] = Role.from_spec(path.stem, spec, scale)
        return roles, broken

    def _check_slug(self, value: str, path: Path, what: str, suffix: str = "") -> bool:
        if is_slug(value):
            return True
        self._report(
            path, 1, 1,
            f"the {what} '{value}' may hold only lower-case letters, digits and '-' (it "
            f"becomes part of web addresses); rename it, for example to "
            f"'{slug_like(value)}{suffix}'",
            "invalid-id",
        )
        return False

    def _parse(self, path: Path, name: str, model: Any,
               read: LoadedYaml | YamlProblem | None = None,
               refused: dict[str, str] | None = None) -> Any:
        """The file as ``model``, or None after reporting its problems. ``read`` is the file
        already read (then it was checked to be inside the frameworks folder). ``refused``:
        top-level keys this kind of file must not hold -> what to say about each.

        A file with problems is read in part when it can be (see :mod:`generator.salvage`):
        its problems are reported, and what is left is still checked by the other rules.
        """
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
        data = self._without_refused_keys(source, refused or {})
        try:
            parsed = model.validate_python(data) if isinstance(model, TypeAdapter) \
                else model.model_validate(data)
        except ValidationError as exc:
            errors = _without_misspelt_missing_keys(exc.errors())
            found = dict.fromkeys(schema_diagnostic(source, error, model, self.id_choices)
                                  for error in errors)
            self.result.diagnostics.extend(found)
            salvaged = salvage(model, data, errors)
            if salvaged is None:
                return None
            self.files[name] = replace(source, kept=salvaged.kept)
            self.incomplete[name] = salvaged.touched
            return salvaged.value
        self.files[name] = source
        return parsed

    def _without_refused_keys(self, source: SourceFile, refused: dict[str, str]) -> Any:
        data = source.loaded.data
        if not refused or not isinstance(data, dict) or not refused.keys() & data.keys():
            return data
        for key in refused.keys() & data.keys():
            position = source.position((key,), key=True)
            self._report(source.path, position.line, position.column, refused[key],
                         "shared-folder")
        return {key: value for key, value in data.items() if key not in refused}

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


_SHARED_REFUSED = {
    "name": "a shared folder has no 'name': each framework that extends it has its own; "
            "remove it here",
    "version": "a shared folder has no 'version': each framework that extends it is "
               "published with its own; remove it here",
    "extends": "a shared folder cannot extend another: move what you need from that folder "
               "into this one, or let the framework extend it instead",
    "retired": "'retired' belongs to the framework whose roles were retired, not to a shared "
               "folder (it holds no roles); move it there",
    "effective": "'effective' belongs to each framework that extends this folder; move it "
                 "there",
}


class _SharedLoader(_FolderLoader):
    """Loads a shared folder (``frameworks/_<name>/``): definitions, never roles."""

    def __init__(self, folder: Path, base: Path, result: LoadResult) -> None:
        super().__init__(folder, folder.parent, base, result)

    def load(self) -> SharedDefinitions:  # type: ignore[override]
        shared = SharedDefinitions(id=self.id, root=self.folder)
        self._check_slug(self.id[1:], self.folder, "shared folder name (after the '_')")
        for child in sorted(self.folder.iterdir()):
            if child.name.startswith(".") or child.name in KNOWN_ENTRIES[:-1]:
                continue
            if child.name == ROLES_DIR:
                message = ("a shared folder holds no roles (it is never published); move "
                           f"these role files into the {ROLES_DIR}/ folder of a framework that "
                           "extends it")
            else:
                hint = did_you_mean(child.name, KNOWN_ENTRIES[:-1])
                message = (f"unexpected '{child.name}' in a shared folder{hint}; it holds "
                           f"{', '.join(KNOWN_ENTRIES[:-1])}")
            self._report(child, 1, 1, message,
                         "shared-folder" if child.name == ROLES_DIR else "unknown-file")
        if (self.folder / FRAMEWORK_FILE).is_file():
            shared.spec = self._parse(self.folder / FRAMEWORK_FILE, FRAMEWORK_FILE, SharedSpec,
                                      refused=_SHARED_REFUSED)
        if (self.folder / COMPETENCIES_FILE).is_file():
            shared.competencies = self._parse(self.folder / COMPETENCIES_FILE,
                                              COMPETENCIES_FILE, COMPETENCY_LIST) or []
        if (self.folder / SALARY_FILE).is_file():
            shared.salary = self._parse(self.folder / SALARY_FILE, SALARY_FILE, SalaryFile)
        shared.files = {shared_file(self.id, name): source for name, source in self.files.items()}
        shared.incomplete = {shared_file(self.id, name): keys
                             for name, keys in self.incomplete.items()}
        return shared


def _shared_folder(shared: SharedDefinitions | None) -> SharedFolder | None:
    if shared is None:
        return None
    spec = shared.spec
    return SharedFolder(id=shared.id, root=shared.root,
                        organisation=spec.organisation if spec else None,
                        description=spec.description if spec else None)


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
        hint = did_you_mean(str(field_name), allowed)
        listing = f" Allowed here: {', '.join(allowed)}." if allowed and not hint else ""
        message = f"unknown key '{printable(str(field_name))}'{hint or '.'}{listing}"
        return _at(source, location, message, "unknown-key", key=True)
    if kind == "missing":
        where = _describe(location[:-1], source.loaded.data)
        message = f"missing required key '{field_name}'{where}"
        return _at(source, location[:-1], message, "missing-key", key=True)
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        options = [option.strip(" '\"") for option in expected.replace(" or ", ",").split(",")]
        hint = did_you_mean(str(value), [option for option in options if option])
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
    subject = _describe_subject(location, source.loaded.data) if location else "the file"
    message = f"{subject} should be {expected}, not {got}"
    if expected.startswith("a ") and "number" in expected and isinstance(value, str) \
            and (percent := _PERCENT.fullmatch(value)):
        return _at(source, location, f"{message}: write {percent.group(1)} without the % sign",
                   "wrong-type")
    if expected.startswith("a ") and "number" in expected and isinstance(value, str) \
            and (amount := _number_as_written(value)):
        return _at(source, location, f"{message}: {amount}", "wrong-type")
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
    if hint := did_you_mean(written, choices, cutoff=0.5):
        return hint
    return f"; write one of the ids: {some_of(choices)}" if choices else "; write the id it names"


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
    message = (f"the key '{key}' in {_describe_subject(parent, source.loaded.data)} should be "
               f"{expected}{quote}")
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


def _describe(location: Location, data: Any = None) -> str:
    return f" in {_describe_subject(location, data)}" if location else ""


_GROUPED_NUMBER = re.compile(
    r"\s*(?P<symbol>[$€£¥]?)\s*(?P<sign>-?)\s*(?P<symbol2>[$€£¥]?)"
    r"(?P<whole>[0-9]{1,3}(?:(?P<separator>[,' \u00a0\u202f])[0-9]{3})+|[0-9]+)"
    r"(?P<fraction>\.[0-9]+)?\s*")
_SEPARATOR_NAMES = {",": "comma", "'": "apostrophe"}


def _number_as_written(value: str) -> str:
    """How to write a number typed as text with thousands separators or a currency symbol
    (``44,000``, ``$44,000``, ``44 000``): "write 44000, without the comma"; "" otherwise."""
    match = _GROUPED_NUMBER.fullmatch(value)
    if match is None:
        return ""
    symbol = match["symbol"] or match["symbol2"]
    separator = match["separator"]
    if not symbol and not separator:
        return ""
    digits = re.sub(r"[^0-9]", "", match["whole"])
    number = f"{match['sign']}{digits}{match['fraction'] or ''}"
    left_out = []
    if symbol:
        left_out.append(f"the '{symbol}' sign (the currency is set in framework.yaml)")
    if separator:
        name = _SEPARATOR_NAMES.get(separator, "spaces")
        left_out.append(f"the {name}" if name != "spaces" else "the spaces")
    return f"write {number}, without {' and '.join(left_out)}"


_PERCENT = re.compile(r"\s*(-?[0-9]+(?:\.[0-9]+)?)\s*%\s*")
_ITEM_NAMES = {
    "criteria": "criterion", "maintain": "'maintain' criterion", "tiers": "tier",
    "tracks": "track", "metrics": "metric", "policies": "policy", "retired": "retired role",
    "bands": "band", "next": "'next' role", "lateral": "'lateral' role", "aliases": "alias",
    "responsibilities": "responsibility", "": "competency",
}


def _describe_subject(location: Location, data: Any = None) -> str:
    """A place in a file in words: ``("criteria", 2, "min")`` -> "the 3rd criterion's min";
    without list items, the key in quotes: ``("version",)`` -> "'version'". A band (found
    in ``data``, the file's content) is named by what it is for: ``("bands", 1, "max")`` ->
    "the max of the band for tier t3, track frontline"."""
    if not any(isinstance(part, int) for part in location):
        return "'" + ".".join(map(str, location)) + "'"
    words: list[str] = []
    named_at = -1
    for position, part in enumerate(location):
        if isinstance(part, int):
            owner = location[position - 1] if position else ""
            if words and words[-1] == str(owner):
                words.pop()
            if isinstance(_item_at(data, location[:position]), dict):  # keyed by number
                words.append(f"level {part}" if owner == "levels" else f"'{owner}' {part}")
                continue
            name = _item_name(str(owner), _item_at(data, location[:position + 1]))
            if name:
                words, named_at = [name], 0
                continue
            item = _ITEM_NAMES.get(str(owner), f"'{owner}' item")
            words.append(f"{_ordinal(part + 1)} {item}")
        else:
            words.append(str(part))
    if named_at == 0 and len(words) > 1:
        return "the " + "'s ".join(words[1:]) + " of " + words[0]
    return words[0] if named_at == 0 else "the " + "'s ".join(words)


_NAMED_BY_ID = {"": "competency", "tiers": "tier", "tracks": "track", "metrics": "metric",
                "policies": "policy", "retired": "retired role"}
"""List items that have an id, named by it: "competency 'call-resolution'"."""


def _item_name(owner: str, item: Any) -> str:
    """A list item named by its id or by what it is for (bands: tier, track, zone), or ""."""
    if not isinstance(item, dict):
        return ""
    if owner in _NAMED_BY_ID and isinstance(item.get("id"), str) and item["id"].strip():
        return f"{_NAMED_BY_ID[owner]} '{printable(item['id'][:40])}'"
    if owner != "bands" or not isinstance(item.get("tier"), str):
        return ""
    words = f"the band for tier {item['tier']}"
    if isinstance(item.get("track"), str):
        words += f", track {item['track']}"
    return words + (f", zone {item['zone']}" if isinstance(item.get("zone"), str) else "")


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(
        number % 10, "th")
    return f"{number}{suffix}"


def _allowed_keys(model: Any, location: Location) -> list[str]:
    """Field names of the model that holds the mapping at ``location``."""
    target = model_at(model, location)
    return list(target.model_fields) if target is not None else []


def _item_at(data: Any, location: Location) -> Any:
    """The value at ``location`` of plain ``data``, or None if there is none."""
    for part in location:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data



