"""Semantic validation: the rules of SPEC.md "What valid means", one small function each.

A rule is registered with :func:`rule` under a stable id, a one-line description
and a severity, and yields :class:`Finding` objects that name the file and the
place in it.  Adding a rule touches only this module (and its test).
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import Diagnostic, FrameworkError, Severity, display_path
from generator.loading import (
    COMPETENCIES_FILE,
    FRAMEWORK_FILE,
    ROLES_DIR,
    SALARY_FILE,
    LoadResult,
    load_frameworks,
)
from generator.model import (
    BUILTIN_METRICS,
    UNREADABLE,
    Band,
    Criterion,
    Framework,
    Role,
    is_slug,
)
from generator.site_paths import RESERVED_ROLE_IDS
from generator.value_sizes import (
    DEFAULT_MAX_ITEMS,
    ID_MAX_LENGTH,
    LIST_MAX_ITEMS,
    MARKDOWN_MAX_LENGTH,
    NAME_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    SizeCandidates,
    size_candidates,
    value_at,
)
from generator.wording import did_you_mean, slug_like, some_of
from generator.yaml_loader import LoadedYaml, Location

UNIT_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "percent": (0, 100),
    "quartile": (1, 4),
    "months": (0, None),
    "number": (None, None),
}


@dataclass(frozen=True)
class Finding:
    """A problem a rule found: the file (relative to the framework folder) and the place."""

    file: str
    location: Location
    message: str
    at_key: bool = False


@dataclass
class Context:
    """What a rule may need besides the framework."""

    broken_roles: set[str] = field(default_factory=set)
    incomplete: dict[str, frozenset[str]] = field(default_factory=dict)
    """Files read only in part: file key -> the top-level keys that lost something."""

    def lost(self, file: str, *keys: str) -> bool:
        """True if ``file`` was read without (part of) one of ``keys``."""
        return bool(self.incomplete.get(file, frozenset()) & set(keys))

    def lost_in(self, file_name: str, *keys: str) -> bool:
        """True if the framework's ``file_name`` or its shared folder's lost one of ``keys``."""
        return any(self.lost(file, *keys) for file in self.incomplete
                   if file == file_name or (file.endswith(f"/{file_name}")
                   and not file.startswith(f"{ROLES_DIR}/")))

    def any_role_lost(self, *keys: str) -> bool:
        """True if some role file was read without (part of) one of ``keys``."""
        return any(file.startswith(f"{ROLES_DIR}/") and self.lost(file, *keys)
                   for file in self.incomplete)


RuleCheck = Callable[[Framework, Context], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A validation rule with a stable id."""

    id: str
    description: str
    severity: Severity
    check: RuleCheck


RULES: dict[str, Rule] = {}


def rule(rule_id: str, description: str, severity: Severity = Severity.ERROR):
    """Register the decorated function as the check of rule ``rule_id``."""

    def register(check: RuleCheck) -> RuleCheck:
        RULES[rule_id] = Rule(rule_id, description, severity, check)
        return check

    return register


def validate_path(path: Path, root: Path | None = None, *,
                  jobs: int = 1) -> tuple[LoadResult, list[Diagnostic]]:
    """Load and validate every framework under ``path``; return them with all problems.

    ``jobs`` processes read the files of big frameworks (see :func:`load_frameworks`).
    """
    result = load_frameworks(path, root, jobs=jobs)
    diagnostics = list(result.diagnostics)
    for framework in result.frameworks:
        context = Context(broken_roles=result.broken_roles.get(framework.id, set()),
                          incomplete=result.incomplete.get(framework.id, {}))
        diagnostics.extend(validate_framework(framework, context, root))
    return result, sorted(set(diagnostics))


def validate_framework(
    framework: Framework, context: Context | None = None, root: Path | None = None
) -> list[Diagnostic]:
    """Run every registered rule on one loaded framework."""
    context = context or Context()
    diagnostics = []
    for registered in RULES.values():
        for finding in registered.check(framework, context):
            diagnostics.append(_to_diagnostic(framework, registered, finding, root))
    return diagnostics


def _to_diagnostic(framework: Framework, registered: Rule, finding: Finding,
                   root: Path | None) -> Diagnostic:
    file, location = framework.sources.locate(finding.file, finding.location)
    source = framework.files.get(file)
    if source is None:
        folder = framework.root.parent if file.startswith("_") else framework.root
        path = display_path(folder / file, root)
        return Diagnostic(path, 1, 1, registered.severity, finding.message, registered.id)
    position = source.position(location, key=finding.at_key)
    return Diagnostic(source.display, position.line, position.column, registered.severity,
                      finding.message, registered.id)


def role_file(role_id: str) -> str:
    """The key of a role's file in :attr:`Framework.files`."""
    return f"{ROLES_DIR}/{role_id}.yaml"


def id_hint(word: str, options: Iterable[str]) -> str:
    """``; did you mean 'x'?`` for the closest id, or a short list of the ids there are."""
    choices = sorted(set(options))
    if hint := did_you_mean(word, choices, cutoff=0.5):
        return hint
    return f"; known: {some_of(choices)}" if choices else "; none is defined"


def _criteria_of(framework: Framework) -> Iterator[tuple[str, Location, Criterion]]:
    """Every criterion with its file and location: policies, then each role."""
    for index, policy in enumerate(framework.spec.policies):
        for number, criterion in enumerate(policy.criteria):
            yield FRAMEWORK_FILE, ("policies", index, "criteria", number), criterion
    for role in framework.roles.values():
        for list_name in ("requirements", "criteria", "maintain"):
            for number, criterion in enumerate(getattr(role, list_name)):
                yield role_file(role.id), (list_name, number), criterion


def _band_locations(framework: Framework) -> Iterator[tuple[int, Band]]:
    if framework.salary is not None:
        yield from enumerate(framework.salary.bands)


# --- ids -------------------------------------------------------------------------------------

_ID_LISTS = ("tiers", "tracks", "metrics", "policies", "retired")


@rule("invalid-id", "Ids are lower-case slugs: a-z, 0-9 and '-', not starting with '-'.")
def check_id_format(framework: Framework, context: Context) -> Iterator[Finding]:
    for list_name in _ID_LISTS:
        for index, item in enumerate(getattr(framework.spec, list_name)):
            if not is_slug(item.id):
                yield Finding(FRAMEWORK_FILE, (list_name, index, "id"),
                              f"the id '{item.id}' may hold only lower-case letters, digits "
                              "and '-' (ids become web addresses); use for example "
                              f"'{slug_like(item.id)}'")
    for index, competency in enumerate(framework.competencies):
        if not is_slug(competency.id):
            yield Finding(COMPETENCIES_FILE, (index, "id"),
                          f"the id '{competency.id}' may hold only lower-case letters, digits "
                          "and '-' (ids become web addresses); use for example "
                          f"'{slug_like(competency.id)}'")
    for index, zone in enumerate(framework.salary.zones if framework.salary else []):
        if not is_slug(zone.id):
            yield Finding(SALARY_FILE, ("zones", index, "id"),
                          f"the zone id '{zone.id}' may hold only lower-case letters, digits "
                          f"and '-'; use for example '{slug_like(zone.id)}'")
    for role in framework.roles.values():
        for index, alias in enumerate(role.aliases):
            if not is_slug(alias):
                yield Finding(role_file(role.id), ("aliases", index),
                              f"the alias '{alias}' may hold only lower-case letters, digits "
                              "and '-': it is an old file name of this role")


@rule("duplicate-id", "Ids are unique within their kind (tiers, tracks, metrics, ...).")
def check_duplicate_ids(framework: Framework, context: Context) -> Iterator[Finding]:
    for list_name in _ID_LISTS:
        seen: dict[str, int] = {}
        for index, item in enumerate(getattr(framework.spec, list_name)):
            if list_name == "metrics" and item.id in BUILTIN_METRICS:
                yield Finding(FRAMEWORK_FILE, (list_name, index, "id"),
                              f"'{item.id}' is a built-in metric; it needs no definition here")
            elif item.id in seen:
                yield Finding(FRAMEWORK_FILE, (list_name, index, "id"),
                              f"the {list_name} id '{item.id}' is already used by entry "
                              f"{seen[item.id] + 1}; give one of them another id")
            seen.setdefault(item.id, index)
    seen = {}
    for index, competency in enumerate(framework.competencies):
        if competency.id in seen:
            yield Finding(COMPETENCIES_FILE, (index, "id"),
                          f"the competency id '{competency.id}' is already used by entry "
                          f"{seen[competency.id] + 1}; give one of them another id")
        seen.setdefault(competency.id, index)
    seen = {}
    for index, zone in enumerate(framework.salary.zones if framework.salary else []):
        if zone.id in seen:
            yield Finding(SALARY_FILE, ("zones", index, "id"),
                          f"the zone id '{zone.id}' is already used by zone {seen[zone.id] + 1}; "
                          "give one of them another id")
        seen.setdefault(zone.id, index)
    seen = {}
    for index, category in enumerate(framework.spec.categories):
        if category.name in seen:
            yield Finding(FRAMEWORK_FILE, ("categories", index, "name"),
                          f"the category '{category.name}' is already listed (entry "
                          f"{seen[category.name] + 1}); list each category once")
        seen.setdefault(category.name, index)


@rule("id-collision", "No alias or retired id is also a role id, an alias or another retired id.")
def check_id_collisions(framework: Framework, context: Context) -> Iterator[Finding]:
    owners: dict[str, str] = {role_id: f"the role '{role_id}'" for role_id in framework.roles}
    for role in framework.roles.values():
        for index, alias in enumerate(role.aliases):
            if alias in owners:
                yield Finding(role_file(role.id), ("aliases", index),
                              f"the alias '{alias}' is already taken by {owners[alias]}; "
                              "an old URL can lead to only one role")
            else:
                owners[alias] = f"an alias of role '{role.id}'"
    for index, retired in enumerate(framework.spec.retired):
        if retired.id in owners:
            yield Finding(FRAMEWORK_FILE, ("retired", index, "id"),
                          f"the retired id '{retired.id}' is also {owners[retired.id]}; "
                          "remove it from 'retired' or rename the role")
        else:
            owners[retired.id] = "another retired role"


VERSION_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
VERSION_MAX_LENGTH = 64


def is_version_label(value: str) -> bool:
    """True for a label a published version can have: letters, digits, '.', '-', '_',
    starting with a letter or digit (it becomes a folder of the site and a mike argument)."""
    return len(value) <= VERSION_MAX_LENGTH and bool(VERSION_LABEL.fullmatch(value))


@rule("invalid-version", "The version is a label: letters, digits, '.', '-' and '_', starting "
                         "with a letter or digit.")
def check_version_label(framework: Framework, context: Context) -> Iterator[Finding]:
    version = framework.spec.version
    if version != UNREADABLE and not is_version_label(version):  # UNREADABLE: reported
        yield Finding(FRAMEWORK_FILE, ("version",),
                      f"the version '{version}' is not a label: it names the published "
                      "version's folder, so use letters, digits, '.', '-' and '_' only, "
                      f"starting with a letter or digit, at most {VERSION_MAX_LENGTH} "
                      f"characters (for example \"2026.1\")")


# --- sizes: ids, names, texts, lists (SPEC rule 12; issue 11) --------------------------------

def _long_ids(framework: Framework) -> Iterator[tuple[str, Location, str, bool]]:
    """Every id longer than the limit: (file, location, id, written as a file name)."""
    for name, source in framework.files.items():
        for location, key, length in _size_candidates(name, source.loaded).texts:
            if (key == "id" or key == "aliases") and length > ID_MAX_LENGTH:
                yield name, location, str(value_at(source.loaded.data, location)), False
    for role_id in framework.roles:
        if len(role_id) > ID_MAX_LENGTH:
            yield role_file(role_id), (), role_id, True


@rule("id-too-long", f"Ids (file names of roles too) are at most {ID_MAX_LENGTH} characters.")
def check_id_length(framework: Framework, context: Context) -> Iterator[Finding]:
    if len(framework.id) > ID_MAX_LENGTH:
        yield Finding(FRAMEWORK_FILE, (), f"the framework folder name is {len(framework.id)} "
                      f"characters long; it is the first part of every address of the "
                      f"framework, so rename the folder to {ID_MAX_LENGTH} characters at most")
    for file, location, value, file_name in _long_ids(framework):
        what = "role id (the file name)" if file_name else "id"
        yield Finding(file, location, f"the {what} '{value[:24]}...' is {len(value)} "
                      f"characters long; ids become web addresses and file names, so "
                      f"keep them to {ID_MAX_LENGTH} characters at most")


@rule("reserved-id", "A role id (alias, retired id) is none of the names the site uses for "
                     "its own pages (index, assets, search, maps, ...).")
def check_reserved_role_ids(framework: Framework, context: Context) -> Iterator[Finding]:
    for role in framework.roles.values():
        if role.id in RESERVED_ROLE_IDS:
            yield Finding(role_file(role.id), (), _reserved(role.id, "role id (the file name)"))
        for index, alias in enumerate(role.aliases):
            if alias in RESERVED_ROLE_IDS:
                yield Finding(role_file(role.id), ("aliases", index), _reserved(alias, "alias"))
    for index, retired in enumerate(framework.spec.retired):
        if retired.id in RESERVED_ROLE_IDS:
            yield Finding(FRAMEWORK_FILE, ("retired", index, "id"),
                          _reserved(retired.id, "retired id"))


def _reserved(value: str, what: str) -> str:
    return (f"the {what} '{value}' is a name the site uses for {RESERVED_ROLE_IDS[value]}, so "
            f"the role's page could not be reached; choose another id, for example "
            f"'{value}-role'")


NAME_KEYS = frozenset({"name", "title", "organisation", "category", "tier_label", "unit",
                       "kind", "visibility", "applies_to", "advancement", "currency"})
"""Plain-text names, shown on many pages (navigation, lists, headings, maps)."""
MARKDOWN_KEYS = frozenset({"description", "summary", "responsibilities", "reason"})
_ROLE_CANDIDATES: dict[str, SizeCandidates] = {}
"""By text: a role file read again unchanged (``careers serve``) is not walked again."""


def _size_candidates(file: str, loaded: LoadedYaml) -> SizeCandidates:
    """The size rules' candidates in a file as read, found in one walk shared by the three
    rules (and kept on ``loaded``): thousands of role files hold a million values, nearly
    all short."""
    if loaded.sizes is not None:  # walked already, or kept by the YAML cache
        return loaded.sizes
    # A role file's data is exactly what its text says (nothing is merged into it).
    by_text = loaded.text if file.startswith("roles/") else None
    found = _ROLE_CANDIDATES.get(by_text) if by_text is not None else None
    if found is None:
        found = size_candidates(loaded.data)
        if by_text is not None:
            if len(_ROLE_CANDIDATES) > 20_000:
                _ROLE_CANDIDATES.clear()
            _ROLE_CANDIDATES[by_text] = found
    loaded.sizes = found
    return found


def _naming_key(location: Location) -> str:
    return next((str(part) for part in reversed(location) if isinstance(part, str)), "")


def _text_limit(key: str) -> tuple[int, str]:
    if key in NAME_KEYS:
        return NAME_MAX_LENGTH, "a name"
    if key in MARKDOWN_KEYS:
        return MARKDOWN_MAX_LENGTH, "a description"
    return TEXT_MAX_LENGTH, "a sentence"


@rule("too-long", f"Names are at most {NAME_MAX_LENGTH} characters, sentences "
                  f"{TEXT_MAX_LENGTH:,}, descriptions {MARKDOWN_MAX_LENGTH:,}.")
def check_text_lengths(framework: Framework, context: Context) -> Iterator[Finding]:
    for file, source in framework.files.items():
        for location, key, length in _size_candidates(file, source.loaded).texts:
            if key in ("id", "aliases"):
                continue  # ids have their own rule
            limit, kind = _text_limit(key)
            if length > limit:
                yield Finding(file, location, f"'{key}' is {length:,} characters long; "
                              f"{kind} may have {limit:,} at most (it is shown on many pages). "
                              "Shorten it")


@rule("too-many", "Lists hold no more items than a real framework could need (50 aliases "
                  "per role, 100 criteria, ...).")
def check_list_sizes(framework: Framework, context: Context) -> Iterator[Finding]:
    for file, source in framework.files.items():
        for location, size in _size_candidates(file, source.loaded).collections:
            key = _naming_key(location) or ("competencies" if file == COMPETENCIES_FILE else "")
            limit = LIST_MAX_ITEMS.get(key, DEFAULT_MAX_ITEMS)
            if size > limit:
                yield Finding(file, location, f"'{key or 'the file'}' holds {size:,} items; at "
                              f"most {limit:,} are allowed (no real framework needs more). "
                              "Check that the file is the one you meant")


# --- references ------------------------------------------------------------------------------


def _valid_and_excused(ids: Iterable[str]) -> tuple[set[str], set[str]]:
    """The valid ids (to suggest), and every id a reference may use without a second report:
    the valid ones, plus each invalid id and its corrected form ('FCR' and 'fcr'), since
    ``invalid-id`` already reports it."""
    valid = {item for item in ids if is_slug(item)}
    invalid = set(ids) - valid
    return valid, valid | invalid | {slug_like(item) for item in invalid} | {UNREADABLE}


def _policy_scopes(framework: Framework, list_name: str) -> Iterator[tuple[Location, str]]:
    """Every id in the policies' ``tracks``, ``tiers`` or ``roles`` (``list_name``)."""
    for index, policy in enumerate(framework.spec.policies):
        for number, item in enumerate(getattr(policy, list_name)):
            yield ("policies", index, list_name, number), item


@rule("unknown-track",
      "Every track id used by a role, band or policy is defined in framework.yaml.")
def check_track_refs(framework: Framework, context: Context) -> Iterator[Finding]:
    if not framework.tracks:  # reported once, as a missing key
        return
    valid, excused = _valid_and_excused(framework.tracks)
    for role in framework.roles.values():
        if role.track not in excused:
            hint = id_hint(role.track, valid)
            yield Finding(role_file(role.id), ("track",), f"unknown track '{role.track}'{hint}")
    for index, band in _band_locations(framework):
        if band.track is not None and band.track not in excused:
            hint = id_hint(band.track, valid)
            yield Finding(SALARY_FILE, ("bands", index, "track"),
                          f"unknown track '{band.track}'{hint}")
    for location, track_id in _policy_scopes(framework, "tracks"):
        if track_id not in excused:
            yield Finding(FRAMEWORK_FILE, location,
                          f"unknown track '{track_id}' in the policy's tracks"
                          f"{id_hint(track_id, valid)}")


@rule("unknown-tier",
      "Every tier id used by a role, band or policy is defined in framework.yaml.")
def check_tier_refs(framework: Framework, context: Context) -> Iterator[Finding]:
    if not framework.tiers:  # reported once, as a missing key
        return
    valid, excused = _valid_and_excused(framework.tiers)
    for role in framework.roles.values():
        if role.tier not in excused:
            yield Finding(role_file(role.id), ("tier",),
                          f"unknown tier '{role.tier}'{id_hint(role.tier, valid)}")
        if role.tier_max is not None and role.tier_max not in excused:
            yield Finding(role_file(role.id), ("tier_max",),
                          f"unknown tier '{role.tier_max}' in 'tier_max'"
                          f"{id_hint(role.tier_max, valid)}")
    for index, band in _band_locations(framework):
        if band.tier not in excused:
            yield Finding(SALARY_FILE, ("bands", index, "tier"),
                          f"unknown tier '{band.tier}'{id_hint(band.tier, valid)}")
    for location, tier_id in _policy_scopes(framework, "tiers"):
        if tier_id not in excused:
            yield Finding(FRAMEWORK_FILE, location,
                          f"unknown tier '{tier_id}' in the policy's tiers"
                          f"{id_hint(tier_id, valid)}")


@rule("unknown-competency", "Every competency a role expects is in competencies.yaml.")
def check_competency_refs(framework: Framework, context: Context) -> Iterator[Finding]:
    known = framework.competency_by_id
    if not known and COMPETENCIES_FILE not in framework.files:
        return
    valid, excused = _valid_and_excused(known)
    for role in framework.roles.values():
        for competency_id in role.competencies_as_written:
            if competency_id not in excused:
                yield Finding(role_file(role.id), ("competencies", competency_id),
                              f"unknown competency '{competency_id}'"
                              f"{id_hint(competency_id, valid)}", at_key=True)


@rule("unknown-metric", "Every metric a criterion uses is defined or built in.")
def check_metric_refs(framework: Framework, context: Context) -> Iterator[Finding]:
    valid, excused = _valid_and_excused(framework.metrics)
    for file, location, criterion in _criteria_of(framework):
        if criterion.metric is not None and criterion.metric not in excused:
            yield Finding(file, (*location, "metric"),
                          f"unknown metric '{criterion.metric}'"
                          f"{id_hint(criterion.metric, valid)}")


def _role_references(framework: Framework) -> Iterator[str]:
    for role in framework.roles.values():
        yield from role.next
        yield from role.lateral
    for _, role_id in _policy_scopes(framework, "roles"):
        yield role_id
    for retired in framework.spec.retired:
        if retired.replaced_by is not None:
            yield retired.replaced_by


def renamed_roles(framework: Framework, context: Context) -> dict[str, str]:
    """Guesses of role files renamed without updating references: missing id -> new id.

    A referenced id that names no role is matched with a role that nothing references and
    that is not an entry role (entry roles are often unreferenced): the closest one, or the
    only one.
    """
    referenced = set(_role_references(framework))
    known = set(framework.roles) | context.broken_roles | set(framework.alias_targets)
    missing = sorted(referenced - known)
    orphans = [role.id for role in framework.roles.values()
               if role.id not in referenced and not role.entry
               and not context.lost(role_file(role.id), "entry")]
    guesses: dict[str, str] = {}
    for target in missing:
        matches = difflib.get_close_matches(target, orphans, n=1, cutoff=0.5)
        if matches:
            guesses[target] = matches[0]
            orphans.remove(matches[0])
    unmatched = [target for target in missing if target not in guesses]
    if len(unmatched) == 1 and len(orphans) == 1:
        guesses[unmatched[0]] = orphans[0]
    return guesses


def _unknown_role_hint(framework: Framework, guesses: dict[str, str], target: str) -> str:
    current = framework.alias_targets.get(target)
    if current:
        return f"; '{target}' was renamed: use '{current}'"
    renamed = guesses.get(target)
    if renamed:
        return (f"; was '{target}' renamed to '{renamed}'? Update the references, and keep "
                f"the old id under 'aliases:' in {role_file(renamed)}")
    return _renamed_hint(target, id_hint(target, framework.roles))


@rule("unknown-role",
      "Every role id in 'next', 'lateral' and a policy's 'roles' is an existing role.")
def check_role_refs(framework: Framework, context: Context) -> Iterator[Finding]:
    known = set(framework.roles) | context.broken_roles
    guesses = renamed_roles(framework, context)
    for role in framework.roles.values():
        for list_name in ("next", "lateral"):
            for index, target in enumerate(getattr(role, list_name)):
                if target in known:
                    continue
                hint = _unknown_role_hint(framework, guesses, target)
                yield Finding(role_file(role.id), (list_name, index),
                              f"unknown role '{target}' in '{list_name}'{hint}")
    for location, target in _policy_scopes(framework, "roles"):
        if target not in known:
            hint = _unknown_role_hint(framework, guesses, target)
            yield Finding(FRAMEWORK_FILE, location,
                          f"unknown role '{target}' in the policy's roles{hint}")


def _renamed_hint(target: str, suggestion: str) -> str:
    joint = " " if suggestion.endswith("?") else ". "
    return (f"{suggestion}{joint}If its file was renamed, write the new id here and list "
            f"'{target}' under 'aliases' in that file")


@rule("unknown-replacement", "A retired role's 'replaced_by' names an existing role.")
def check_replacement_refs(framework: Framework, context: Context) -> Iterator[Finding]:
    known = set(framework.roles) | context.broken_roles
    guesses = renamed_roles(framework, context)
    for index, retired in enumerate(framework.spec.retired):
        if retired.replaced_by is not None and retired.replaced_by not in known:
            renamed = guesses.get(retired.replaced_by)
            hint = (f"; was '{retired.replaced_by}' renamed to '{renamed}'? Write the new id "
                    "here" if renamed else id_hint(retired.replaced_by, framework.roles))
            yield Finding(FRAMEWORK_FILE, ("retired", index, "replaced_by"),
                          f"unknown role '{retired.replaced_by}' in 'replaced_by'{hint}")


# --- the promotion graph ---------------------------------------------------------------------


def _top_tier(role: Role) -> str:
    """The highest tier id of a role (``tier_max`` for a role graded across a range)."""
    return role.tier_max or role.tier


@rule("next-not-higher",
      "'next' leads to a role of a strictly higher tier (above a range's 'tier_max').")
def check_next_tiers(framework: Framework, context: Context) -> Iterator[Finding]:
    rank = framework.tier_rank
    for role in framework.roles.values():
        top = _top_tier(role)
        for index, target_id in enumerate(role.next):
            target = framework.roles.get(target_id)
            if target is None or top not in rank or target.tier not in rank:
                continue
            if rank[target.tier] <= rank[top]:
                word = _tier_word(framework)
                move = f"the same {word}: list it under 'lateral'" if target.tier == top \
                    else f"a lower {word}"
                where = f"its highest {word} (tier_max)" if role.tier_max else word
                yield Finding(role_file(role.id), ("next", index),
                              f"'{target_id}' is at {word} '{target.tier}', {move}; 'next' "
                              f"must lead above {where} '{top}'")


@rule("lateral-not-same-tier",
      "'lateral' leads to a role of the same tier (for tier ranges: an overlapping one).")
def check_lateral_tiers(framework: Framework, context: Context) -> Iterator[Finding]:
    for role in framework.roles.values():
        for index, target_id in enumerate(role.lateral):
            target = framework.roles.get(target_id)
            if target_id == role.id:
                yield Finding(role_file(role.id), ("lateral", index),
                              "a role cannot be a lateral move from itself; remove it")
            elif (target is not None
                  and {role.tier, target.tier, _top_tier(role), _top_tier(target)}
                  <= framework.tiers.keys() and not framework.tiers_overlap(role, target)):
                word = _tier_word(framework)
                yield Finding(role_file(role.id), ("lateral", index),
                              f"'{target_id}' is at {_tiers_text(target, word)}, not "
                              f"{_tiers_text(role, word)}; a lateral move stays at the same "
                              f"{word} (use 'next' for a promotion)")


def _tier_word(framework: Framework) -> str:
    """The framework's word for a tier inside a sentence: "tier", "band", "NHS band"."""
    label = framework.tier_label
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def _tiers_text(role: Role, word: str) -> str:
    plural = word if word.endswith("s") else f"{word}s"
    if role.tier_max and role.tier_max != role.tier:
        return f"{plural} '{role.tier}' to '{role.tier_max}'"
    return f"{word} '{role.tier}'"


@rule("promotion-cycle", "Following 'next' never leads back to where it started.")
def check_promotion_cycles(framework: Framework, context: Context) -> Iterator[Finding]:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    reported: set[frozenset[str]] = set()

    def visit(role_id: str, path: list[str]) -> Iterator[Finding]:
        state[role_id] = 1
        path.append(role_id)
        for target in framework.roles[role_id].next:
            if target not in framework.roles:
                continue
            if state.get(target) == 1:
                cycle = path[path.index(target):]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    loop = " -> ".join([*cycle, target])
                    index = framework.roles[role_id].next.index(target)
                    yield Finding(role_file(role_id), ("next", index),
                                  f"promotions go round in a circle: {loop}; remove one step")
            elif target not in state:
                yield from visit(target, path)
        path.pop()
        state[role_id] = 2

    for role_id in framework.roles:
        if role_id not in state:
            yield from visit(role_id, [])


@rule("no-entry-role", "At least one role is 'entry: true' (people are hired into it).")
def check_entry_exists(framework: Framework, context: Context) -> Iterator[Finding]:
    if context.broken_roles or context.any_role_lost("entry"):  # it may be the entry role
        return
    if not framework.roles and (framework.root / ROLES_DIR).is_dir():
        yield Finding(ROLES_DIR, (),
                      "the framework has no roles; add one YAML file per role to roles/, at "
                      "least one of them with 'entry: true'")
    if framework.roles and not any(role.entry for role in framework.roles.values()):
        first = min(framework.roles.values(),
                    key=lambda role: framework.tier_rank.get(role.tier, 0))
        yield Finding(role_file(first.id), ("title",),
                      "no role is marked 'entry: true'; mark the roles people are hired into "
                      f"(for example this one, '{first.id}')")


@rule("unreachable-role", "Every role is reachable from an entry role through next and lateral.")
def check_reachability(framework: Framework, context: Context) -> Iterator[Finding]:
    entries = [role.id for role in framework.roles.values() if role.entry]
    if not entries or context.broken_roles or context.any_role_lost("next", "lateral", "entry"):
        return  # paths may run through what could not be read
    renamed = renamed_roles(framework, context)  # reported by unknown-role: follow the guess
    reached = set(entries)
    queue = list(entries)
    while queue:
        role = framework.roles[queue.pop()]
        for written in (*role.next, *role.lateral):
            target = renamed.get(written, written)
            if target in framework.roles and target not in reached:
                reached.add(target)
                queue.append(target)
    for role in framework.roles.values():
        if role.id not in reached:
            yield Finding(role_file(role.id), ("title",),
                          f"no path of 'next'/'lateral' moves leads to '{role.id}' from an entry "
                          "role; add it to another role's 'next' or 'lateral', or mark it "
                          "'entry: true'")


# --- competencies ----------------------------------------------------------------------------


@rule("level-numbering", "A competency's levels are numbered 1, 2, ... n without gaps.")
def check_level_numbering(framework: Framework, context: Context) -> Iterator[Finding]:
    for index, competency in enumerate(framework.competencies):
        numbers = sorted(competency.levels)
        expected = list(range(1, len(numbers) + 1))
        if numbers and numbers != expected:
            yield Finding(COMPETENCIES_FILE, (index, "levels"),
                          f"levels of '{competency.id}' are numbered {numbers}; number them "
                          f"{expected}")


@rule("unknown-level",
      "A level a role expects exists in that competency's levels (a level name, in the scale).")
def check_levels_exist(framework: Framework, context: Context) -> Iterator[Finding]:
    names = framework.scale_numbers
    for role in framework.roles.values():
        for competency_id, written in role.competencies_as_written.items():
            at = ("competencies", competency_id, "level")  # a plain level: its value
            if isinstance(written.level, str):
                if written.level in names:
                    continue
                if not names:
                    message = (f"'{written.level}' names a level, but framework.yaml has no "
                               "'scale' of named levels; write the level number")
                else:
                    hint = _level_name_hint(written.level, list(names))
                    message = f"'{written.level}' is not a level of the scale{hint}"
                yield Finding(role_file(role.id), at, message)
                continue
            competency = framework.competency_by_id.get(competency_id)
            count = framework.level_count(competency_id)
            if competency is not None and count and not 1 <= written.level <= count:
                yield Finding(role_file(role.id), at,
                              f"'{competency_id}' has levels 1 to {count}; level "
                              f"{written.level} does not exist")


def _level_name_hint(written: str, names: list[str]) -> str:
    """"; did you mean 'Practitioner'?" (matching case-insensitively), or the names."""
    lowered = {name.lower(): name for name in names}
    matches = difflib.get_close_matches(written.lower(), list(lowered), n=1, cutoff=0.6)
    if matches:
        return f"; did you mean '{lowered[matches[0]]}'?"
    return f"; the levels are: {', '.join(names)}"


@rule("no-competencies", "A role should say which competencies it expects.", Severity.WARNING)
def check_role_has_competencies(framework: Framework, context: Context) -> Iterator[Finding]:
    for role in framework.roles.values():
        if not role.competencies_as_written \
                and not context.lost(role_file(role.id), "competencies"):
            yield Finding(role_file(role.id), ("title",),
                          f"the role '{role.id}' lists no competencies; add a 'competencies:' "
                          "mapping so people see what is expected")


# --- metrics ---------------------------------------------------------------------------------


@rule("metric-bounds", "Criterion bounds fit the metric's unit, and min <= max.")
def check_metric_bounds(framework: Framework, context: Context) -> Iterator[Finding]:
    for file, location, criterion in _criteria_of(framework):
        metric = framework.metrics.get(criterion.metric or "")
        if metric is None:
            continue
        low, high = UNIT_BOUNDS[metric.unit]
        for bound_name in ("min", "max"):
            value = getattr(criterion, bound_name)
            if value is None:
                continue
            if (low is not None and value < low) or (high is not None and value > high):
                allowed = f"{low} to {high}" if high is not None else f"{low} or more"
                yield Finding(file, (*location, bound_name),
                              f"{bound_name} {value} does not fit '{metric.id}' (unit "
                              f"{metric.unit}: {allowed})")
        least, most = criterion.min, criterion.max
        if least is not None and most is not None and least > most:
            yield Finding(file, (*location, "min"),
                          f"min {criterion.min} is above max {criterion.max}; swap them")


# --- salary ----------------------------------------------------------------------------------


@rule("missing-currency", "framework.yaml names an ISO 4217 currency when salary.yaml exists.")
def check_currency(framework: Framework, context: Context) -> Iterator[Finding]:
    currency = framework.spec.currency
    if framework.salary is not None and currency is None:
        yield Finding(FRAMEWORK_FILE, (),
                      "salary.yaml exists but framework.yaml has no 'currency'; add for example "
                      "'currency: USD'")
    elif currency is not None and not re.fullmatch(r"[A-Z]{3}", currency):
        yield Finding(FRAMEWORK_FILE, ("currency",),
                      f"'{currency}' is not an ISO 4217 code: three capital letters such as "
                      "USD, EUR or GBP")


def band_name(band: Band) -> str:
    """A band in words, by what it is for: "the band for tier t3, track frontline"."""
    words = f"the band for tier {band.tier}"
    if band.track is not None:
        words += f", track {band.track}"
    return words + (f", zone {band.zone}" if band.zone is not None else "")


@rule("band-range", "Each band has 0 < min <= mid <= max (mid is optional).")
def check_band_range(framework: Framework, context: Context) -> Iterator[Finding]:
    for index, band in _band_locations(framework):
        for name in ("min", "mid", "max"):
            value = getattr(band, name)
            if value is not None and value <= 0:
                yield Finding(SALARY_FILE, ("bands", index, name),
                              f"{name} of {band_name(band)} must be a positive amount, not "
                              f"{value}")
        if not _band_in_order(band):
            figures = f"min {band.min}, mid {band.mid}, max {band.max}" if band.mid is not None \
                else f"min {band.min}, max {band.max}"
            rising = "from min to mid to max" if band.mid is not None else "from min to max"
            yield Finding(SALARY_FILE, ("bands", index, _figure_out_of_order(band)),
                          f"the figures of {band_name(band)} must rise {rising}, but they are "
                          f"{figures}")


def _band_in_order(band: Band) -> bool:
    if band.mid is None:
        return band.min <= band.max
    return band.min <= band.mid <= band.max


def _figure_out_of_order(band: Band) -> str:
    """The figure whose removal leaves the other two in order (mid first: it sits between)."""
    if band.mid is None:
        return "min"
    figures = {"min": band.min, "mid": band.mid, "max": band.max}
    for name in ("mid", "min", "max"):
        low, high = (value for key, value in figures.items() if key != name)
        if low <= high:
            return name
    return "min"


@rule("duplicate-band",
      "No two bands share (track, tier, zone); no two track-less bands share a tier and zone.")
def check_duplicate_bands(framework: Framework, context: Context) -> Iterator[Finding]:
    seen: set[tuple[str | None, str, str | None]] = set()
    for index, band in _band_locations(framework):
        key = (band.track, band.tier, band.zone)
        if key in seen:
            which = "" if band.track else " (for every track)"
            yield Finding(SALARY_FILE, ("bands", index),
                          f"{band_name(band)}{which} is defined twice; merge the two")
        seen.add(key)


@rule("band-order", "Along each track the band minimum does not fall as the tier rises.")
def check_band_order(framework: Framework, context: Context) -> Iterator[Finding]:
    if framework.salary is None or context.lost_in(SALARY_FILE, "bands"):
        return
    index_of = {id(band): index for index, band in _band_locations(framework)}
    reported: set[int] = set()
    for track in framework.spec.tracks:
        previous: tuple[str, Band] | None = None
        for tier in framework.spec.tiers:
            band = framework.band_at(track.id, tier.id)
            if band is None:
                continue
            if (previous is not None and band.min < previous[1].min and id(band) not in reported
                    and _band_in_order(band) and _band_in_order(previous[1])):
                reported.add(id(band))
                yield Finding(SALARY_FILE, ("bands", index_of[id(band)], "min"),
                              f"on track '{track.id}' the minimum falls from {previous[1].min} "
                              f"at tier '{previous[0]}' to {band.min} at tier '{tier.id}'; a "
                              "higher tier must not pay less")
            previous = (tier.id, band)


@rule("band-parity",
      "Same-tier roles on an individual and a management track have equal bands.",
      Severity.WARNING)
def check_band_parity(framework: Framework, context: Context) -> Iterator[Finding]:
    if framework.salary is None or context.lost_in(SALARY_FILE, "bands"):
        return
    # The band depends only on (track, tier): compare tracks, named by their first role.
    first_role: dict[str, dict[str, dict[str, Role]]] = defaultdict(lambda: defaultdict(dict))
    for role in framework.roles.values():
        track = framework.tracks.get(role.track)
        if track is not None:
            first_role[role.tier][track.kind].setdefault(role.track, role)
    for tier_id, kinds in first_role.items():
        individuals = [(role.track, framework.band_for(role))
                       for role in kinds.get("individual", {}).values()]
        for manager in kinds.get("management", {}).values():
            manager_band = framework.band_for(manager)
            if manager_band is None:
                continue
            figures = (manager_band.min, manager_band.mid, manager_band.max)  # mid may be None
            for individual_track, individual_band in individuals:
                if individual_band is None:
                    continue
                other = (individual_band.min, individual_band.mid, individual_band.max)
                if figures != other:
                    yield Finding(SALARY_FILE, ("bands", _parity_band_index(
                                      framework, manager_band, individual_band)),
                                  f"at tier '{tier_id}' the '{manager.track}' band "
                                  f"{_band_text(manager_band, individual_band)} differs from "
                                  f"the '{individual_track}' band "
                                  f"{_band_text(individual_band, manager_band)}; "
                                  "equal tiers on the two tracks should pay alike")


def _parity_band_index(framework: Framework, management: Band, individual: Band) -> int:
    """Which band of a differing pair to point at: a track's own band rather than the
    track-less default; of two track-specific bands, the individual one (the management
    band is the usual reference that the individual band is kept equal to)."""
    chosen = individual if individual.track is not None or management.track is None \
        else management
    index_of = {id(band): index for index, band in _band_locations(framework)}
    return index_of[id(chosen)]


def _band_text(band: Band, other: Band) -> str:
    """``40,000-50,000``, with the midpoints when only they differ."""
    text = f"{band.min:,}-{band.max:,}"
    if (band.min, band.max) == (other.min, other.max):
        text += f" (midpoint {band.mid:,})" if band.mid is not None else " (no midpoint)"
    return text


def rule_catalogue() -> list[tuple[str, str, str]]:
    """(id, severity, description) of every semantic rule, for docs and ``careers rules``."""
    return [(r.id, r.severity.value, r.description) for r in RULES.values()]


__all__ = ["FRAMEWORK_FILE", "RULES", "Finding", "band_name", "is_slug", "is_version_label",
           "load_valid_frameworks", "role_file", "rule_catalogue", "validate_path"]


def load_valid_frameworks(
    path: Path, root: Path | None = None
) -> tuple[list[Framework], list[Diagnostic]]:
    """Load the frameworks under ``path``; raise :class:`FrameworkError` if any has an error.

    Returns the frameworks and the warnings.
    """
    result, diagnostics = validate_path(path, root)
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise FrameworkError(diagnostics)
    return result.frameworks, diagnostics


from generator import validation_1_1  # noqa: E402,F401  (registers the rules of format 1.1)
