"""Comparing two states of the frameworks: every change to roles, criteria, pay and structure.

:func:`diff_frameworks` compares two lists of frameworks, framework by framework, into
typed :class:`Change` records; :func:`summarize` says them in one line.  ``careers diff``
(:mod:`generator.diff_states` reads the two sides, :mod:`generator.diff_report` prints
them) and the site's "What changed" page use the same comparison.

Broken recruiter links
    Every id published in BASE (a role id, an alias, a retired id) must still lead
    somewhere in HEAD: to a role, through an alias, or to a retired role's page.  A
    removed role whose id is an alias of a HEAD role is a *rename*; one listed under
    ``retired:`` with ``replaced_by`` is *retired* (its page links to the successor);
    one listed under ``retired:`` without ``replaced_by`` is a warning (the URL still
    gets a page that explains, but offers no next step).  Anything else is *broken*
    and makes the command exit 1.  Removing a whole framework breaks all its links.

Internal pay
    Pay figures of a framework whose ``salary.yaml`` has ``visibility: internal`` (on
    either side) are withheld by default: the change is still listed (which band,
    raised/lowered/added/removed) and marked *internal*, but no amount or percentage
    is printed, in Markdown or JSON.  ``--include-internal``
    (``include_internal=True``) prints the figures, still marked *internal*.  The
    default is the safe one because a PR comment travels further than the YAML diff
    (notification e-mails, chat integrations) and because the site's "What changed"
    page reuses :func:`diff_frameworks`.  ``notes:`` are never compared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any, TypeVar

from generator.describe import (
    describe_criterion,
    format_band,
    format_number,
    format_steps,
    policy_title,
)
from generator.model import Band, Criterion, Framework, Level, Role, Zone
from generator.wording import counted

BAND_FIGURES = ("min", "mid", "max")
FRAMEWORK_FIELDS = ("name", "organisation", "version", "effective", "currency", "extends",
                    "tier_label", "advancement")
ROLE_FIELDS = ("advancement",)
POLICY_FIELDS = ("name", "text", "applies_to", "tracks", "tiers", "roles")
ZONE_FIELDS = ("name", "percent", "amount", "minimum", "maximum")
ZONE_FIGURES = ("percent", "amount", "minimum", "maximum")


class ChangeSeverity(StrEnum):
    """How much a change matters: ``broken`` fails the command, ``warning`` asks for a look."""

    INFO = "info"
    WARNING = "warning"
    BROKEN = "broken"


class ChangeKind(StrEnum):
    """Every kind of change the diff reports (the ``kind`` of the JSON output)."""

    FRAMEWORK_ADDED = "framework-added"
    FRAMEWORK_REMOVED = "framework-removed"
    FRAMEWORK_CHANGED = "framework-changed"
    ROLE_ADDED = "role-added"
    ROLE_REMOVED = "role-removed"
    ROLE_RENAMED = "role-renamed"
    ROLE_MOVED = "role-moved"
    ROLE_RETITLED = "role-retitled"
    ROLE_ENTRY_CHANGED = "role-entry-changed"
    ALIAS_ADDED = "alias-added"
    ALIAS_REMOVED = "alias-removed"
    ALIAS_MOVED = "alias-moved"
    CRITERION_ADDED = "criterion-added"
    CRITERION_REMOVED = "criterion-removed"
    CRITERION_CHANGED = "criterion-changed"
    EXPECTATION_ADDED = "expectation-added"
    EXPECTATION_REMOVED = "expectation-removed"
    EXPECTATION_RAISED = "expectation-raised"
    EXPECTATION_LOWERED = "expectation-lowered"
    PATH_ADDED = "path-added"
    PATH_REMOVED = "path-removed"
    BAND_ADDED = "band-added"
    BAND_REMOVED = "band-removed"
    BAND_RAISED = "band-raised"
    BAND_LOWERED = "band-lowered"
    BAND_CHANGED = "band-changed"
    PAY_VISIBILITY_CHANGED = "pay-visibility-changed"
    POLICY_ADDED = "policy-added"
    POLICY_REMOVED = "policy-removed"
    POLICY_CHANGED = "policy-changed"
    TIER_ADDED = "tier-added"
    TIER_REMOVED = "tier-removed"
    TIER_RENAMED = "tier-renamed"
    TIERS_REORDERED = "tiers-reordered"
    TRACK_ADDED = "track-added"
    TRACK_REMOVED = "track-removed"
    TRACK_RENAMED = "track-renamed"
    TRACK_CHANGED = "track-changed"
    METRIC_ADDED = "metric-added"
    METRIC_REMOVED = "metric-removed"
    METRIC_RENAMED = "metric-renamed"
    METRIC_CHANGED = "metric-changed"
    COMPETENCY_ADDED = "competency-added"
    COMPETENCY_REMOVED = "competency-removed"
    COMPETENCY_RENAMED = "competency-renamed"
    COMPETENCY_CHANGED = "competency-changed"
    RETIRED_ADDED = "retired-added"
    RETIRED_REMOVED = "retired-removed"
    RETIRED_CHANGED = "retired-changed"
    STATEMENT_ADDED = "statement-added"
    STATEMENT_REMOVED = "statement-removed"
    DEVELOP_CHANGED = "develop-changed"
    ADVANCEMENT_CHANGED = "advancement-changed"
    SCALE_ADDED = "scale-added"
    SCALE_REMOVED = "scale-removed"
    SCALE_RENAMED = "scale-renamed"
    SCALE_CHANGED = "scale-changed"
    PAY_STEPS_CHANGED = "pay-steps-changed"
    ZONE_ADDED = "zone-added"
    ZONE_REMOVED = "zone-removed"
    ZONE_CHANGED = "zone-changed"


Value = str | int | float | bool | dict[str, Any] | list[Any] | None
Key = TypeVar("Key")


@dataclass(frozen=True)
class Change:
    """One difference between BASE and HEAD, with its raw values and their wording."""

    kind: ChangeKind
    framework: str
    subject: str
    subject_text: str = ""
    role: str | None = None
    field: str | None = None
    field_text: str | None = None
    old: Value = None
    new: Value = None
    old_text: str | None = None
    new_text: str | None = None
    severity: ChangeSeverity = ChangeSeverity.INFO
    internal: bool = False
    withheld: bool = False
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The change as a JSON-ready mapping (enums as their string values)."""
        data = asdict(self)
        data["kind"] = str(self.kind)
        data["severity"] = str(self.severity)
        return data


# --- comparing two lists of frameworks -------------------------------------------------------


def diff_frameworks(
    base: Sequence[Framework], head: Sequence[Framework], *, include_internal: bool = False
) -> list[Change]:
    """Every change from ``base`` to ``head``; internal pay figures withheld unless asked."""
    base_by_id = {framework.id: framework for framework in base}
    head_by_id = {framework.id: framework for framework in head}
    changes: list[Change] = []
    for framework_id in sorted(base_by_id.keys() | head_by_id.keys()):
        old, new = base_by_id.get(framework_id), head_by_id.get(framework_id)
        if old is None and new is not None:
            changes.append(_framework_added(new))
        elif new is None and old is not None:
            changes.append(_framework_removed(old))
        elif old is not None and new is not None:
            changes.extend(_FrameworkDiff(old, new, include_internal).changes())
    return _note_shared(changes, [*base, *head])


def _note_shared(changes: list[Change], frameworks: Sequence[Framework]) -> list[Change]:
    """Name every framework a change reaches when the same change shows in several
    frameworks that extend one shared folder (an edit of ``frameworks/_<name>/``)."""
    shared = {framework.id: framework.shared.id for framework in frameworks
              if framework.shared is not None}
    reached: dict[tuple[Any, ...], list[str]] = {}
    for change in changes:
        if change.framework in shared:
            reached.setdefault(_shared_key(change, shared[change.framework]), []).append(
                change.framework)
    noted = []
    for change in changes:
        targets = (reached.get(_shared_key(change, shared[change.framework]), [])
                   if change.framework in shared else [])
        if len(targets) > 1:
            note = (f"shared definition in {shared[change.framework]}: affects "
                    f"{', '.join(sorted(set(targets)))}")
            change = replace(change, note=f"{change.note}; {note}" if change.note else note)
        noted.append(change)
    return noted


def _shared_key(change: Change, shared_id: str) -> tuple[Any, ...]:
    return (shared_id, change.kind, change.subject, change.role, change.field,
            repr(change.old), repr(change.new))


def broken_links(changes: Iterable[Change]) -> list[Change]:
    """The changes that break a published link (they make ``careers diff`` exit 1)."""
    return [change for change in changes if change.severity is ChangeSeverity.BROKEN]


def _framework_added(framework: Framework) -> Change:
    return Change(ChangeKind.FRAMEWORK_ADDED, framework.id, framework.id,
                  subject_text=framework.spec.name, new=sorted(framework.roles),
                  new_text=framework.spec.name)


def _framework_removed(framework: Framework) -> Change:
    return Change(ChangeKind.FRAMEWORK_REMOVED, framework.id, framework.id,
                  subject_text=framework.spec.name, old=sorted(framework.roles),
                  old_text=framework.spec.name, severity=ChangeSeverity.BROKEN)


@dataclass(frozen=True)
class _Catalogue:
    """A list of named things in a framework, compared by id."""

    noun: str
    items: Callable[[Framework], Sequence[Any]]
    fields: tuple[str, ...]


_CATALOGUES = (
    _Catalogue("tier", lambda framework: framework.spec.tiers, ()),
    _Catalogue("track", lambda framework: framework.spec.tracks, ("kind",)),
    _Catalogue("metric", lambda framework: framework.spec.metrics, ("unit",)),
    _Catalogue("competency", lambda framework: framework.competencies, ("category",)),
)


class _FrameworkDiff:
    """The changes between two states of one framework."""

    def __init__(self, old: Framework, new: Framework, include_internal: bool) -> None:
        self.old = old
        self.new = new
        self.include_internal = include_internal
        self.removed = sorted(old.roles.keys() - new.roles.keys())
        self.added = sorted(new.roles.keys() - old.roles.keys())
        self.renamed = {
            role_id: new.alias_targets[role_id]
            for role_id in self.removed if role_id in new.alias_targets
        }
        self.pairs = self._rename_pairs()
        self.old_retired = {entry.id: entry for entry in old.spec.retired}
        self.new_retired = {entry.id: entry for entry in new.spec.retired}

    def changes(self) -> list[Change]:
        return [
            *self._metadata(), *self._roles(), *self._aliases(), *self._bands(),
            *self._zones(), *self._policies(), *self._structure(), *self._scale(),
            *self._levels(), *self._retired(),
        ]

    def _change(self, kind: ChangeKind, subject: str, **details: Any) -> Change:
        return Change(kind, self.new.id, subject, **details)

    def _rename_pairs(self) -> dict[str, str]:
        """New role id -> old role id, for added roles that take over a renamed one."""
        pairs: dict[str, str] = {}
        for old_id, new_id in sorted(self.renamed.items()):
            if new_id in self.added:
                pairs.setdefault(new_id, old_id)
        return pairs

    def _still_published(self, old_id: str) -> bool:
        """True if ``old_id``'s URL leads somewhere in HEAD: a role, an alias or a retired page."""
        return (old_id in self.new.roles or old_id in self.new.alias_targets
                or old_id in self.new_retired)

    def _current_id(self, role_id: str) -> str:
        return self.renamed.get(role_id, role_id)

    def _title(self, role_id: str) -> str:
        role = self.new.roles.get(role_id) or self.old.roles.get(role_id)
        return role.title if role is not None else role_id

    # framework.yaml metadata

    def _metadata(self) -> Iterator[Change]:
        for name in FRAMEWORK_FIELDS:
            before = _plain(getattr(self.old.spec, name))
            after = _plain(getattr(self.new.spec, name))
            if before != after:
                yield self._change(ChangeKind.FRAMEWORK_CHANGED, self.new.id,
                                   subject_text=self.new.spec.name, field=name, old=before,
                                   new=after, old_text=_text(before), new_text=_text(after))

    # roles

    def _roles(self) -> Iterator[Change]:
        for role_id in self.removed:
            yield self._removed_role(self.old.roles[role_id])
        for role_id in self.added:
            if role_id not in self.pairs:
                yield self._added_role(self.new.roles[role_id])
        for role_id, new_role in self.new.roles.items():
            old_role = self.old.roles.get(self.pairs.get(role_id, role_id))
            if old_role is not None:
                yield from self._role_changes(old_role, new_role)

    def _added_role(self, role: Role) -> Change:
        where = f"{self.new.tracks[role.track].name}, {self.new.tiers[role.tier].name}"
        return self._change(ChangeKind.ROLE_ADDED, role.id, subject_text=role.title,
                            role=role.id, new=role.id, new_text=f"{role.title} ({where})")

    def _removed_role(self, role: Role) -> Change:
        if role.id in self.renamed:
            target = self.renamed[role.id]
            return self._change(ChangeKind.ROLE_RENAMED, role.id,
                                subject_text=self._title(target), role=target, old=role.id,
                                new=target, old_text=role.title, new_text=self._title(target))
        retired = self.new_retired.get(role.id)
        if retired is None:
            severity = ChangeSeverity.BROKEN
        elif retired.replaced_by is None:
            severity = ChangeSeverity.WARNING
        else:
            severity = ChangeSeverity.INFO
        successor = retired.replaced_by if retired is not None else None
        return self._change(
            ChangeKind.ROLE_REMOVED, role.id, subject_text=role.title, old=role.id,
            new=successor, old_text=role.title,
            new_text=self._title(successor) if successor else None, severity=severity,
            note=retired.reason if retired is not None else None,
        )

    def _role_changes(self, old: Role, new: Role) -> Iterator[Change]:
        yield from self._moves(old, new)
        if old.title != new.title:
            yield self._role_change(new, ChangeKind.ROLE_RETITLED, "title", old.title, new.title)
        if old.entry != new.entry:
            yield self._role_change(new, ChangeKind.ROLE_ENTRY_CHANGED, "entry", old.entry,
                                    new.entry)
        for name in ROLE_FIELDS:
            before, after = getattr(old, name), getattr(new, name)
            if before != after:
                yield self._role_change(new, ChangeKind.ADVANCEMENT_CHANGED, name, before,
                                        after, old_text=before or "framework default",
                                        new_text=after or "framework default")
        for list_name in ("requirements", "criteria", "maintain"):
            yield from self._criteria(new.id, new.title, list_name, getattr(old, list_name),
                                      getattr(new, list_name), role=new.id)
        yield from self._expectations(old, new)
        yield from self._role_statements(old, new)
        for list_name in ("next", "lateral"):
            yield from self._paths(new, list_name, getattr(old, list_name),
                                   getattr(new, list_name))

    def _role_change(self, role: Role, kind: ChangeKind, name: str, before: Value,
                     after: Value, **texts: Any) -> Change:
        texts.setdefault("old_text", _text(before))
        texts.setdefault("new_text", _text(after))
        return self._change(kind, role.id, subject_text=role.title, role=role.id, field=name,
                            old=before, new=after, **texts)

    def _moves(self, old: Role, new: Role) -> Iterator[Change]:
        if old.track != new.track:
            yield self._role_change(new, ChangeKind.ROLE_MOVED, "track", old.track, new.track,
                                    old_text=self._track_name(old.track),
                                    new_text=self.new.tracks[new.track].name)
        if old.tier != new.tier:
            yield self._role_change(new, ChangeKind.ROLE_MOVED, "tier", old.tier, new.tier,
                                    old_text=self._tier_name(old.tier),
                                    new_text=self.new.tiers[new.tier].name)
        if old.tier_max != new.tier_max:
            yield self._role_change(
                new, ChangeKind.ROLE_MOVED, "tier_max", old.tier_max, new.tier_max,
                old_text=self._tier_name(old.tier_max) if old.tier_max else "one tier only",
                new_text=self._tier_name(new.tier_max) if new.tier_max else "one tier only")

    def _role_statements(self, old: Role, new: Role) -> Iterator[Change]:
        """Statements and examples a role writes for a competency (format 1.1)."""
        for competency_id in _ordered_union(new.competencies_as_written,
                                            old.competencies_as_written):
            before = old.competencies_as_written.get(competency_id)
            after = new.competencies_as_written.get(competency_id)
            yield from self._statement_changes(
                new.id, new.title, competency_id,
                list(before.statements or []) if before else [],
                list(after.statements or []) if after else [], role=new.id)

    def _tier_name(self, tier_id: str) -> str:
        tier = self.new.tiers.get(tier_id) or self.old.tiers.get(tier_id)
        return tier.name if tier is not None else tier_id

    def _track_name(self, track_id: str) -> str:
        track = self.new.tracks.get(track_id) or self.old.tracks.get(track_id)
        return track.name if track is not None else track_id

    def _criteria(self, subject: str, subject_text: str, list_name: str,
                  old: list[Criterion], new: list[Criterion], role: str | None) -> Iterator[Change]:
        for before, after in _match_criteria(old, new):
            if before is not None and after is not None and _same_bounds(before, after):
                continue
            if before is None:
                kind = ChangeKind.CRITERION_ADDED
            elif after is None:
                kind = ChangeKind.CRITERION_REMOVED
            else:
                kind = ChangeKind.CRITERION_CHANGED
            yield self._change(
                kind, subject, subject_text=subject_text, role=role, field=list_name,
                old=_criterion_value(before), new=_criterion_value(after),
                old_text=describe_criterion(self.old, before) if before else None,
                new_text=describe_criterion(self.new, after) if after else None,
            )

    def _expectations(self, old: Role, new: Role) -> Iterator[Change]:
        for competency_id in _ordered_union(new.competencies, old.competencies):
            before = old.competencies.get(competency_id)
            after = new.competencies.get(competency_id)
            if before == after:
                continue
            yield self._change(
                _expectation_kind(before, after), new.id, subject_text=new.title, role=new.id,
                field=competency_id, field_text=self._competency_name(competency_id),
                old=before, new=after, old_text=self._level_text(self.old, competency_id, before),
                new_text=self._level_text(self.new, competency_id, after),
            )

    def _competency_name(self, competency_id: str) -> str:
        competency = (self.new.competency_by_id.get(competency_id)
                      or self.old.competency_by_id.get(competency_id))
        return competency.name if competency is not None else competency_id

    @staticmethod
    def _level_text(framework: Framework, competency_id: str, level: int | None) -> str | None:
        found = framework.level(competency_id, level) if level is not None else None
        return found.text if found is not None else None

    def _paths(self, role: Role, list_name: str, old: list[str],
               new: list[str]) -> Iterator[Change]:
        before = [self._current_id(target) for target in old]
        for target in new:
            if target not in before:
                yield self._role_change(role, ChangeKind.PATH_ADDED, list_name, None, target,
                                        new_text=self._title(target))
        for target in before:
            if target not in new:
                yield self._role_change(role, ChangeKind.PATH_REMOVED, list_name, target, None,
                                        old_text=self._title(target))

    # aliases: published ids that redirect to a role

    def _aliases(self) -> Iterator[Change]:
        old_targets, new_targets = self.old.alias_targets, self.new.alias_targets
        for alias, old_target in sorted(old_targets.items()):
            new_target = new_targets.get(alias)
            if new_target is None:
                yield self._alias_removed(alias, old_target)
            elif new_target != self._current_id(old_target):
                yield self._alias_change(ChangeKind.ALIAS_MOVED, alias, new_target,
                                         old=self._current_id(old_target), new=new_target)
        for alias, new_target in sorted(new_targets.items()):
            if alias not in old_targets and alias not in self.renamed:
                yield self._alias_change(ChangeKind.ALIAS_ADDED, alias, new_target, new=alias)

    def _alias_removed(self, alias: str, old_target: str) -> Change:
        target = self._current_id(old_target)
        role = target if target in self.new.roles else None
        severity = (ChangeSeverity.INFO if self._still_published(alias)
                    else ChangeSeverity.BROKEN)
        return self._change(ChangeKind.ALIAS_REMOVED, alias, subject_text=self._title(target),
                            role=role, field="aliases", old=alias, severity=severity)

    def _alias_change(self, kind: ChangeKind, alias: str, target: str, **values: Any) -> Change:
        old_target = values.get("old")
        return self._change(kind, alias, subject_text=self._title(target), role=target,
                            field="aliases", **values,
                            old_text=self._title(old_target) if old_target else None,
                            new_text=self._title(target))

    # pay

    def _bands(self) -> Iterator[Change]:
        if self._visibility(self.old) != self._visibility(self.new):
            yield self._change(ChangeKind.PAY_VISIBILITY_CHANGED, "salary",
                               subject_text="Pay visibility", field="visibility",
                               old=self._visibility(self.old), new=self._visibility(self.new))
        old_bands, new_bands = _bands_by_key(self.old), _bands_by_key(self.new)
        for key in sorted(old_bands.keys() | new_bands.keys(), key=self._band_order):
            before, after = old_bands.get(key), new_bands.get(key)
            if before is None or after is None or _figures(before) != _figures(after):
                yield self._band_change(key, before, after)
            if before is not None and after is not None and before.steps != after.steps:
                yield self._steps_change(key, before, after)

    def _band_subject(self, key: tuple[str, str | None, str | None]) -> tuple[str, str]:
        """A band's id (``tier``, ``tier/track``, ``tier@zone``) and its name."""
        tier, track, zone = key
        subject = f"{tier}/{track}" if track else tier
        text = f"{self._tier_name(tier)} · {self._track_name(track) if track else 'every track'}"
        if zone is not None:
            zones = self.new.zones.get(zone) or self.old.zones.get(zone)
            subject, text = f"{subject}@{zone}", f"{text} · {zones.name if zones else zone}"
        return subject, text

    def _withheld(self, before: object, after: object) -> tuple[bool, bool]:
        internal = ((before is not None and self._visibility(self.old) == "internal")
                    or (after is not None and self._visibility(self.new) == "internal"))
        return internal, internal and not self.include_internal

    def _steps_change(self, key: tuple[str, str | None, str | None], before: Band,
                      after: Band) -> Change:
        subject, text = self._band_subject(key)
        internal, withheld = self._withheld(before, after)
        figures = {} if withheld else {
            "old": list(before.steps or []), "new": list(after.steps or []),
            "old_text": _steps_text(before.steps), "new_text": _steps_text(after.steps)}
        return self._change(ChangeKind.PAY_STEPS_CHANGED, subject, subject_text=text,
                            field="steps", internal=internal, withheld=withheld, **figures)

    # location pay zones

    def _zones(self) -> Iterator[Change]:
        old_zones, new_zones = self.old.zones, self.new.zones
        for zone_id in _ordered_union(new_zones, old_zones):
            before, after = old_zones.get(zone_id), new_zones.get(zone_id)
            internal, withheld = self._withheld(before, after)
            if before is None or after is None:
                zone = after or before
                assert zone is not None
                kind = ChangeKind.ZONE_ADDED if before is None else ChangeKind.ZONE_REMOVED
                words = None if withheld else _zone_text(zone, self.new.spec.currency)
                yield self._change(kind, zone_id, subject_text=zone.name, field="zone",
                                   internal=internal, withheld=withheld,
                                   old=None if before is None else zone_id,
                                   new=zone_id if before is None else None,
                                   old_text=None if before is None else words,
                                   new_text=words if before is None else None)
                continue
            for name in ZONE_FIELDS:
                old_value, new_value = getattr(before, name), getattr(after, name)
                if old_value == new_value:
                    continue
                hidden = withheld and name in ZONE_FIGURES
                yield self._change(
                    ChangeKind.ZONE_CHANGED, zone_id, subject_text=after.name, field=name,
                    internal=internal and name in ZONE_FIGURES, withheld=hidden,
                    old=None if hidden else old_value, new=None if hidden else new_value,
                    old_text=None if hidden else _zone_value(name, old_value),
                    new_text=None if hidden else _zone_value(name, new_value))

    @staticmethod
    def _visibility(framework: Framework) -> str | None:
        return framework.salary.visibility if framework.salary is not None else None

    def _band_order(self, key: tuple[str, str | None, str | None]) -> tuple[int, int, str, str]:
        tier, track, zone = key
        rank = self.new.tier_rank.get(tier, self.old.tier_rank.get(tier, 0))
        return rank, 0 if track is None else 1, track or "", zone or ""

    def _band_change(self, key: tuple[str, str | None, str | None], before: Band | None,
                     after: Band | None) -> Change:
        subject, text = self._band_subject(key)
        internal, withheld = self._withheld(before, after)
        figures = {} if withheld else {
            "old": _figures(before), "new": _figures(after),
            "old_text": format_band(before, self.old.spec.currency) if before else None,
            "new_text": format_band(after, self.new.spec.currency) if after else None,
        }
        return self._change(
            _band_kind(before, after), subject, subject_text=text, field="band",
            internal=internal, withheld=withheld, **figures,
        )

    # policies

    def _policies(self) -> Iterator[Change]:
        old_policies = {policy.id: policy for policy in self.old.spec.policies}
        new_policies = {policy.id: policy for policy in self.new.spec.policies}
        for policy_id in _ordered_union(new_policies, old_policies):
            before, after = old_policies.get(policy_id), new_policies.get(policy_id)
            if before is None and after is not None:
                yield self._change(ChangeKind.POLICY_ADDED, policy_id,
                                   subject_text=policy_title(after), new=after.text,
                                   new_text=after.text)
            elif after is None and before is not None:
                yield self._change(ChangeKind.POLICY_REMOVED, policy_id,
                                   subject_text=policy_title(before), old=before.text,
                                   old_text=before.text)
            elif before is not None and after is not None:
                yield from self._policy_changes(before, after)

    def _policy_changes(self, before: Any, after: Any) -> Iterator[Change]:
        title = policy_title(after)
        for name in POLICY_FIELDS:
            old_value, new_value = getattr(before, name), getattr(after, name)
            if old_value != new_value:
                yield self._change(ChangeKind.POLICY_CHANGED, after.id, subject_text=title,
                                   field=name, old=old_value, new=new_value,
                                   old_text=_scope_text(name, old_value),
                                   new_text=_scope_text(name, new_value))
        yield from self._criteria(after.id, title, "criteria", before.criteria, after.criteria,
                                  role=None)

    # tiers, tracks, metrics, competencies

    def _structure(self) -> Iterator[Change]:
        for catalogue in _CATALOGUES:
            yield from self._catalogue_changes(catalogue)
        old_order = [tier.id for tier in self.old.spec.tiers if tier.id in self.new.tiers]
        new_order = [tier.id for tier in self.new.spec.tiers if tier.id in self.old.tiers]
        if old_order != new_order:
            yield self._change(ChangeKind.TIERS_REORDERED, "tiers", subject_text="Tier order",
                               field="tiers", old=old_order, new=new_order,
                               old_text=", ".join(self._tier_name(t) for t in old_order),
                               new_text=", ".join(self._tier_name(t) for t in new_order))

    def _catalogue_changes(self, catalogue: _Catalogue) -> Iterator[Change]:
        old_items = {item.id: item for item in catalogue.items(self.old)}
        new_items = {item.id: item for item in catalogue.items(self.new)}
        for item_id in _ordered_union(new_items, old_items):
            before, after = old_items.get(item_id), new_items.get(item_id)
            if before is None:
                yield self._change(ChangeKind(f"{catalogue.noun}-added"), item_id,
                                   subject_text=after.name, new=after.name, new_text=after.name)
            elif after is None:
                yield self._change(ChangeKind(f"{catalogue.noun}-removed"), item_id,
                                   subject_text=before.name, old=before.name,
                                   old_text=before.name)
            else:
                yield from self._item_changes(catalogue, before, after)

    def _item_changes(self, catalogue: _Catalogue, before: Any, after: Any) -> Iterator[Change]:
        if before.name != after.name:
            yield self._change(ChangeKind(f"{catalogue.noun}-renamed"), after.id,
                               subject_text=after.name, field="name", old=before.name,
                               new=after.name, old_text=before.name, new_text=after.name)
        for name in catalogue.fields:
            old_value, new_value = getattr(before, name), getattr(after, name)
            if old_value != new_value:
                yield self._change(ChangeKind(f"{catalogue.noun}-changed"), after.id,
                                   subject_text=after.name, field=name, old=old_value,
                                   new=new_value, old_text=_text(old_value),
                                   new_text=_text(new_value))

    # the proficiency scale and the levels of each competency (format 1.1)

    def _scale(self) -> Iterator[Change]:
        old_scale, new_scale = self.old.spec.scale, self.new.spec.scale
        for index in range(max(len(old_scale), len(new_scale))):
            before = old_scale[index] if index < len(old_scale) else None
            after = new_scale[index] if index < len(new_scale) else None
            subject = f"scale-{index + 1}"
            if before is None or after is None:
                level = after or before
                assert level is not None
                kind = ChangeKind.SCALE_ADDED if before is None else ChangeKind.SCALE_REMOVED
                yield self._change(kind, subject, subject_text=f"Scale level {index + 1}",
                                   field="scale", old=before.name if before else None,
                                   new=after.name if after else None,
                                   old_text=before.name if before else None,
                                   new_text=after.name if after else None)
                continue
            if before.name != after.name:
                yield self._change(ChangeKind.SCALE_RENAMED, subject,
                                   subject_text=f"Scale level {index + 1}", field="name",
                                   old=before.name, new=after.name, old_text=before.name,
                                   new_text=after.name)
            if before.description != after.description:
                yield self._change(ChangeKind.SCALE_CHANGED, subject,
                                   subject_text=f"Scale level {index + 1}: {after.name}",
                                   field="description", old=before.description,
                                   new=after.description, old_text=before.description,
                                   new_text=after.description)

    def _levels(self) -> Iterator[Change]:
        """Statements and ``develop`` of each level of the competencies in both states."""
        for competency_id, after in self.new.competency_by_id.items():
            before = self.old.competency_by_id.get(competency_id)
            if before is None:
                continue
            for number in sorted(before.levels.keys() | after.levels.keys()):
                old_level, new_level = before.levels.get(number), after.levels.get(number)
                yield from self._statement_changes(
                    competency_id, after.name, competency_id, _statements(old_level),
                    _statements(new_level), role=None, level=number)
                old_develop, new_develop = _develop(old_level), _develop(new_level)
                if old_develop != new_develop:
                    yield self._change(
                        ChangeKind.DEVELOP_CHANGED, competency_id, subject_text=after.name,
                        field=f"level-{number}", field_text=f"level {number}",
                        old=old_develop or None, new=new_develop or None,
                        old_text="; ".join(old_develop) or None,
                        new_text="; ".join(new_develop) or None)

    def _statement_changes(self, subject: str, subject_text: str, competency_id: str,
                           old: list[str], new: list[str], *, role: str | None,
                           level: int | None = None) -> Iterator[Change]:
        """A change for each statement added to or removed from a list of statements."""
        name = self._competency_name(competency_id)
        field_name = competency_id if level is None else f"level-{level}"
        field_text = name if level is None else f"level {level}"
        for statement in new:
            if statement not in old:
                yield self._change(ChangeKind.STATEMENT_ADDED, subject,
                                   subject_text=subject_text, role=role, field=field_name,
                                   field_text=field_text, new=statement, new_text=statement)
        for statement in old:
            if statement not in new:
                yield self._change(ChangeKind.STATEMENT_REMOVED, subject,
                                   subject_text=subject_text, role=role, field=field_name,
                                   field_text=field_text, old=statement, old_text=statement)

    # retired roles

    def _retired(self) -> Iterator[Change]:
        for retired_id, entry in self.new_retired.items():
            if retired_id not in self.old_retired and retired_id not in self.removed:
                severity = (ChangeSeverity.WARNING if entry.replaced_by is None
                            else ChangeSeverity.INFO)
                yield self._retired_change(ChangeKind.RETIRED_ADDED, retired_id, None,
                                           entry.replaced_by, severity, entry.reason)
        for retired_id, entry in self.old_retired.items():
            new_entry = self.new_retired.get(retired_id)
            if new_entry is None:
                severity = (ChangeSeverity.INFO if self._still_published(retired_id)
                            else ChangeSeverity.BROKEN)
                yield self._retired_change(ChangeKind.RETIRED_REMOVED, retired_id,
                                           entry.replaced_by, None, severity, None)
            elif _optional_id(self._current_id, entry.replaced_by) != new_entry.replaced_by:
                yield self._retired_change(ChangeKind.RETIRED_CHANGED, retired_id,
                                           entry.replaced_by, new_entry.replaced_by,
                                           ChangeSeverity.INFO, new_entry.reason)

    def _retired_change(self, kind: ChangeKind, retired_id: str, before: str | None,
                        after: str | None, severity: ChangeSeverity,
                        reason: str | None) -> Change:
        return self._change(kind, retired_id, subject_text=retired_id, field="replaced_by",
                            old=before, new=after,
                            old_text=self._title(before) if before else None,
                            new_text=self._title(after) if after else None,
                            severity=severity, note=reason)


# --- small helpers ---------------------------------------------------------------------------


def _statements(level: Level | None) -> list[str]:
    return list(level.statements or []) if level is not None else []


def _develop(level: Level | None) -> list[str]:
    return list(level.develop or []) if level is not None else []


def _steps_text(steps: list[float | int] | None) -> str | None:
    return format_steps(steps) if steps else None


def _scope_text(name: str, value: Any) -> str | None:
    """A policy field in words; an empty list of tracks, tiers or roles means every one."""
    if name in ("tracks", "tiers", "roles"):
        return ", ".join(value) if value else f"every {name[:-1]}"
    return _text(value)


def _zone_value(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if name == "percent":
        return f"{format_number(value)}%"
    return _text(value)


def _zone_text(zone: Zone, currency: str | None) -> str:
    """``Inner London: +20% (at least 5,000, at most 7,000)`` or ``... +2,500``."""
    if zone.amount is not None:
        return f"{zone.name}: {'+' if zone.amount >= 0 else ''}{format_number(zone.amount)}"
    bounds = [f"{word} {format_number(value)}" for word, value in
              (("at least", zone.minimum), ("at most", zone.maximum)) if value is not None]
    percent = zone.percent or 0
    text = f"{zone.name}: {'+' if percent >= 0 else ''}{format_number(percent)}%"
    return f"{text} ({', '.join(bounds)})" if bounds else text


def _plain(value: Any) -> Value:
    """A JSON-ready value: dates as ISO text."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def _text(value: Value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return format_number(value)
    return str(value)


def _optional_id(mapping: Callable[[str], str], value: str | None) -> str | None:
    return mapping(value) if value is not None else None


def _ordered_union(first: Iterable[Key], second: Iterable[Key]) -> list[Key]:
    """The keys of ``first`` in order, then those only in ``second``."""
    return list(dict.fromkeys([*first, *second]))


def _criterion_key(criterion: Criterion) -> tuple[str, str]:
    """Metric criteria match by metric id, text criteria by their (whitespace-normalised) text."""
    if criterion.metric is not None:
        return "metric", criterion.metric
    return "text", " ".join((criterion.text or "").split())


def _keyed_criteria(criteria: list[Criterion]) -> dict[tuple[str, str, int], Criterion]:
    keyed: dict[tuple[str, str, int], Criterion] = {}
    for criterion in criteria:
        kind, value = _criterion_key(criterion)
        occurrence = sum(1 for key in keyed if key[:2] == (kind, value))
        keyed[(kind, value, occurrence)] = criterion
    return keyed


def _match_criteria(
    old: list[Criterion], new: list[Criterion]
) -> Iterator[tuple[Criterion | None, Criterion | None]]:
    """Pairs (old, new) of matching criteria; ``None`` on the side where one is missing."""
    old_keyed, new_keyed = _keyed_criteria(old), _keyed_criteria(new)
    for key in _ordered_union(new_keyed, old_keyed):
        yield old_keyed.get(key), new_keyed.get(key)


def _same_bounds(before: Criterion, after: Criterion) -> bool:
    return (before.min, before.max) == (after.min, after.max)


def _criterion_value(criterion: Criterion | None) -> dict[str, Any] | None:
    if criterion is None:
        return None
    if criterion.metric is not None:
        return {"metric": criterion.metric, "min": criterion.min, "max": criterion.max}
    return {"text": criterion.text}


def _expectation_kind(before: int | None, after: int | None) -> ChangeKind:
    if before is None:
        return ChangeKind.EXPECTATION_ADDED
    if after is None:
        return ChangeKind.EXPECTATION_REMOVED
    return ChangeKind.EXPECTATION_RAISED if after > before else ChangeKind.EXPECTATION_LOWERED


def _bands_by_key(framework: Framework) -> dict[tuple[str, str | None, str | None], Band]:
    if framework.salary is None:
        return {}
    return {(band.tier, band.track, band.zone): band for band in framework.salary.bands}


def _figures(band: Band | None) -> dict[str, float | int] | None:
    if band is None:
        return None
    return {name: getattr(band, name) for name in BAND_FIGURES}


def _band_kind(before: Band | None, after: Band | None) -> ChangeKind:
    if before is None:
        return ChangeKind.BAND_ADDED
    if after is None:
        return ChangeKind.BAND_REMOVED
    if any((getattr(before, name) is None) != (getattr(after, name) is None)
           for name in BAND_FIGURES):
        return ChangeKind.BAND_CHANGED  # a midpoint added or removed
    deltas = [getattr(after, name) - getattr(before, name) for name in BAND_FIGURES
              if getattr(after, name) is not None and getattr(before, name) is not None]
    if all(delta >= 0 for delta in deltas):
        return ChangeKind.BAND_RAISED
    if all(delta <= 0 for delta in deltas):
        return ChangeKind.BAND_LOWERED
    return ChangeKind.BAND_CHANGED


# --- the summary line ------------------------------------------------------------------------

_NOUNS: dict[str, tuple[str, str]] = {
    "role": ("role", "roles"),
    "band": ("band", "bands"),
    "pay-visibility": ("pay visibility change", "pay visibility changes"),
    "policy": ("policy", "policies"),
    "framework": ("framework", "frameworks"),
    "tier": ("tier", "tiers"),
    "tier-order": ("tier order", "tier orders"),
    "track": ("track", "tracks"),
    "metric": ("metric", "metrics"),
    "competency": ("competency", "competencies"),
    "alias": ("old link", "old links"),
    "retired": ("retired entry", "retired entries"),
    "statement": ("statement", "statements"),
    "develop": ("list of ways to grow", "lists of ways to grow"),
    "advancement": ("advancement", "advancements"),
    "scale": ("scale level", "scale levels"),
    "pay-steps": ("list of pay steps", "lists of pay steps"),
    "zone": ("pay zone", "pay zones"),
}
_VERBS = ("added", "removed", "renamed", "raised", "lowered", "changed", "")
_ROLE_LIFECYCLE = (ChangeKind.ROLE_ADDED, ChangeKind.ROLE_REMOVED, ChangeKind.ROLE_RENAMED)


def _tally_key(change: Change) -> tuple[str, str, str]:
    """(noun, verb, what is counted) for the summary line."""
    thing = f"{change.framework}/{change.subject}"
    if change.kind in _ROLE_LIFECYCLE:
        return "role", change.kind.value.removeprefix("role-"), thing
    if change.role is not None:
        return "role", "changed", f"{change.framework}/{change.role}"
    if change.kind.value.startswith("criterion-") or change.kind is ChangeKind.POLICY_CHANGED:
        return "policy", "changed", thing
    if change.kind is ChangeKind.TIERS_REORDERED:
        return "tier-order", "changed", thing
    if change.kind is ChangeKind.PAY_VISIBILITY_CHANGED:
        return "pay-visibility", "", thing
    noun, _, verb = change.kind.value.rpartition("-")
    return noun, verb, thing


def summarize(changes: Sequence[Change]) -> str:
    """One line such as ``2 roles changed, 1 band raised, 1 broken link``."""
    if not changes:
        return "No changes"
    tallies: dict[tuple[str, str], set[str]] = {}
    for change in changes:
        noun, verb, thing = _tally_key(change)
        tallies.setdefault((noun, verb), set()).add(thing)
    order = {noun: index for index, noun in enumerate(_NOUNS)}
    parts = [
        counted(len(things), *_NOUNS[noun]) + (f" {verb}" if verb else "")
        for (noun, verb), things in sorted(
            tallies.items(), key=lambda item: (order[item[0][0]], _VERBS.index(item[0][1])))
    ]
    broken = len(broken_links(changes))
    warnings = sum(1 for change in changes if change.severity is ChangeSeverity.WARNING)
    if broken:
        parts.append(counted(broken, "broken link", "broken links"))
    if warnings:
        parts.append(counted(warnings, "warning", "warnings"))
    return ", ".join(parts)


