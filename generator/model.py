"""The framework model: pydantic classes for every file of the format (SPEC.md 1 and 1.1).

The ``*Spec``/``*File`` classes (and the items they hold) describe exactly what a YAML
file may hold and are the source of the exported JSON Schemas. :class:`Framework`
bundles one validated framework folder (merged with the shared folder it extends) and
answers the questions the renderers ask, with every 1.1 rule of meaning applied once,
here:

* competencies: :meth:`Framework.expectation` (a role's level of a competency with its
  name, text, statements, examples and ``develop``), :meth:`Framework.level`,
  :meth:`Framework.levels_of`, :meth:`Framework.level_count`,
  :meth:`Framework.categories_in_order`;
* tiers: :attr:`Framework.tier_label`, :meth:`Framework.tiers_of` (a role graded across
  a range), :meth:`Framework.tier_span`;
* moves: :meth:`Framework.advancement_of`, :meth:`Framework.policies_for`,
  :meth:`Framework.policies_about`;
* pay: :meth:`Framework.band_for` (the band of a role's lowest tier, as in version 1),
  :meth:`Framework.pay_range` (a role's pay, over its tiers and in a zone),
  :meth:`Framework.band_figures` (a band in a zone), :meth:`Framework.pay_step`.

A loaded :class:`Role` keeps version 1's shape: ``competencies`` maps each competency id
to a level *number* (a level name is resolved through the scale when loading); the role's
own statements and examples stay in ``competencies_as_written``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    FiniteFloat,
    GetJsonSchemaHandler,
    Strict,
    StrictBool,
    StrictInt,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from generator.pay import (
    BandFigures,
    PayRange,
    PayStep,
    figures_in_zone,
    pay_range_over,
    pay_step_between,
)
from generator.yaml_loader import LoadedYaml, Location, Position

Number = Annotated[StrictInt | Annotated[FiniteFloat, Strict()], Field(description="A number")]
MarkdownText = Annotated[str, Field(description="Markdown text")]
Notes = Annotated[
    str | None,
    Field(description="Internal remark for HR. Never published."),
]
Unit = Literal["percent", "number", "months", "quartile"]
TrackKind = Literal["individual", "management", "shared"]
Visibility = Literal["public", "internal"]
Advancement = Literal["automatic", "vacancy", "review"]
AppliesTo = Literal["promotion", "lateral", "leaving", "staying", "pay", "general"]

APPLIES_TO: tuple[AppliesTo, ...] = ("promotion", "lateral", "leaving", "staying", "pay",
                                     "general")
"""The values of a policy's ``applies_to``, in the order pages list them."""
DEFAULT_TIER_LABEL = "Tier"

BUILTIN_METRICS: dict[str, tuple[str, Unit]] = {
    "months_in_role": ("Time in the previous role", "months"),
    "quartile": ("Performance quartile", "quartile"),
}


UNREADABLE = "\x00unreadable"
"""Stands in for a required text that could not be read (validation reports the problem
once; the rest of the file is still checked). No YAML file can hold it: NUL is refused."""

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def is_slug(value: str) -> bool:
    """True for lower-case slugs: ``[a-z0-9][a-z0-9-]*``."""
    return bool(SLUG.fullmatch(value))


class StrictModel(BaseModel):
    """Base of every file model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


PlainTextList = Annotated[
    list[str] | None,
    WithJsonSchema({"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}),
]
"""Plain text, one item per line ('- ...'); never empty (rule 8)."""


# --- framework.yaml --------------------------------------------------------------------------


class Tier(StrictModel):
    """A level of seniority. Tiers are listed lowest first; the position is the rank."""

    id: str
    name: str
    description: MarkdownText | None = None
    notes: Notes = None


class Track(StrictModel):
    """A career track: individual contributor, people management, or the shared early
    roles everyone passes before the framework forks (``shared``)."""

    id: str
    name: str
    kind: TrackKind = Field(description="individual | management | shared (roles everyone "
                                        "passes before the fork; parity checks ignore it)")
    description: MarkdownText | None = None
    notes: Notes = None


class Metric(StrictModel):
    """A measure that criteria may refer to."""

    id: str
    name: str
    unit: Unit
    description: MarkdownText | None = None
    notes: Notes = None


class Criterion(StrictModel):
    """Either a sentence (``text``) or a ``metric`` with ``min`` and/or ``max``."""

    text: str | None = None
    metric: str | None = None
    min: Number | None = None
    max: Number | None = None
    notes: Notes = None

    @model_validator(mode="after")
    def _one_kind(self) -> Criterion:
        if self.text is not None and self.metric is not None:
            raise ValueError("a criterion has either 'text' or 'metric', not both")
        if self.text is None and self.metric is None:
            raise ValueError(
                "a criterion needs 'text: <a sentence>' or 'metric: <id>' with 'min'/'max'"
            )
        if self.metric is not None and self.min is None and self.max is None:
            raise ValueError(f"the criterion on metric '{self.metric}' needs 'min' or 'max'")
        if self.text is not None and (self.min is not None or self.max is not None):
            raise ValueError("'min' and 'max' belong to a 'metric' criterion, not a 'text' one")
        return self


class Policy(StrictModel):
    """A rule of the framework. By default it applies to every promotion; ``applies_to``
    says which moves it is about, and ``tracks``/``tiers``/``roles`` which roles (a role
    must match each of the lists given)."""

    id: str
    name: str | None = None
    text: str
    applies_to: AppliesTo = Field(
        default="promotion",
        description="What the policy is about: promotion (default: shown with every 'to get "
                    "here') | lateral (lateral moves) | leaving (moves out of the framework or "
                    "track) | staying (how to stay in a role) | pay | general (policies page "
                    "only)")
    tracks: list[str] = Field(default_factory=list,
                              description="Only roles of these tracks (track ids)")
    tiers: list[str] = Field(default_factory=list,
                             description="Only roles at these tiers (tier ids)")
    roles: list[str] = Field(default_factory=list, description="Only these roles (role ids)")
    criteria: list[Criterion] = Field(default_factory=list)
    notes: Notes = None


class RetiredRole(StrictModel):
    """A role that no longer exists; its URL stays alive and explains."""

    id: str
    title: str | None = Field(
        default=None, description="The title the role had, shown on its retired page")
    replaced_by: str | None = None
    reason: MarkdownText | None = None
    notes: Notes = None


class ScaleLevel(StrictModel):
    """One level of the framework's proficiency scale; its position is its number."""

    name: str = Field(description="The level's name, e.g. Practitioner; roles may use it "
                                  "instead of the number")
    description: MarkdownText | None = Field(
        default=None, description="What the level means; stands in for a competency level "
                                  "without text")
    notes: Notes = None


class Category(StrictModel):
    """A group of competencies (the ``category`` of a competency), in the order to show."""

    name: str = Field(description="The category, as competencies write it in 'category'")
    description: MarkdownText | None = None
    notes: Notes = None


_SCALE = Field(
    default_factory=list,
    description="A named proficiency scale shared by every competency, lowest level first "
                "(position = level number)")
_CATEGORIES = Field(
    default_factory=list,
    description="Order and description of the competency categories; categories not listed "
                "follow in order of first appearance")
_TIER_LABEL = Field(
    default=None, description='The word for a tier on pages and maps, e.g. Band or Grade '
                              '(default "Tier")')
_ADVANCEMENT = Field(
    default=None, description="How people move into roles, unless a role says otherwise: "
                              "automatic (once the criteria are met) | vacancy (apply to an "
                              "opening) | review (a promotion case to a panel)")
_CURRENCY = Field(default=None, description="ISO 4217 code; required if salary.yaml exists")


class FrameworkSpec(StrictModel):
    """The content of ``framework.yaml``."""

    model_config = ConfigDict(json_schema_extra={
        "if": {"not": {"required": ["extends"]}},
        "then": {"required": ["organisation", "tiers", "tracks"]},
    })

    name: str
    organisation: str | None = Field(
        default=None, description="Required, unless the shared folder named by 'extends' "
                                  "holds it")
    version: str = Field(description='The label a published version gets, quoted: "2026.1"')
    extends: str | None = Field(
        default=None, description="A shared folder of frameworks/ whose name starts with '_' "
                                  "(e.g. _company): its tiers, tracks, metrics, policies, "
                                  "competencies and bands come first, then this framework's")
    effective: dt.date | None = None
    currency: str | None = _CURRENCY
    description: MarkdownText | None = None
    tier_label: str | None = _TIER_LABEL
    advancement: Advancement | None = _ADVANCEMENT
    scale: list[ScaleLevel] = _SCALE
    categories: list[Category] = _CATEGORIES
    tiers: list[Tier] = Field(
        default_factory=list, min_length=1,
        description="Ordered, lowest first. Required unless the shared folder defines tiers")
    tracks: list[Track] = Field(
        default_factory=list, min_length=1,
        description="Required unless the shared folder defines tracks")
    metrics: list[Metric] = Field(default_factory=list)
    policies: list[Policy] = Field(default_factory=list)
    retired: list[RetiredRole] = Field(default_factory=list)
    notes: Notes = None


class SharedSpec(StrictModel):
    """The content of ``framework.yaml`` in a shared folder (``frameworks/_<name>/``):
    definitions several frameworks use through ``extends``. It has no ``name`` or
    ``version`` (those belong to each framework) and extends nothing."""

    organisation: str | None = Field(default=None, description="Shown on the home page")
    description: MarkdownText | None = Field(default=None, description="Shown on the home page")
    currency: str | None = _CURRENCY
    tier_label: str | None = _TIER_LABEL
    advancement: Advancement | None = _ADVANCEMENT
    scale: list[ScaleLevel] = _SCALE
    categories: list[Category] = _CATEGORIES
    tiers: list[Tier] = Field(default_factory=list, description="Ordered, lowest first")
    tracks: list[Track] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)
    policies: list[Policy] = Field(default_factory=list)
    notes: Notes = None


# --- competencies.yaml -----------------------------------------------------------------------


class Level(StrictModel):
    """One proficiency level of a competency: a behaviour (``text``) and/or expectations
    one per line (``statements``), with optional examples and ways to grow into it."""

    text: str | None = Field(
        default=None,
        description="What someone at this level does, in one or two sentences. Optional "
                    "when statements are given, or with a scale (its description stands in)")
    statements: PlainTextList = Field(
        default=None, description="The level's expectations, plain text, one each")
    examples: list[str] = Field(
        default_factory=list,
        description="Short, concrete examples of the behaviour; shown on role pages, in the "
                    "comparison of two roles and in the self-assessment",
    )
    develop: PlainTextList = Field(
        default=None,
        description="How people grow into this level (training, stretch projects, coaching); "
                    "plain text, one suggestion each")
    notes: Notes = None

    @model_validator(mode="before")
    @classmethod
    def _from_plain_text(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        mapping = handler.resolve_ref_schema(handler(core_schema))
        return {"anyOf": [{"type": "string", "description": "The behaviour"}, mapping]}


class Competency(StrictModel):
    """A competency of the catalogue with its proficiency levels 1..n."""

    id: str
    name: str
    category: str | None = Field(
        default=None, description="Groups competencies on pages (order: 'categories' in "
                                  "framework.yaml)")
    description: MarkdownText | None = None
    levels: dict[int, Level] = Field(
        default_factory=dict, min_length=1,
        description="Levels 1..n. Optional with a scale: without levels every level of the "
                    "scale applies, described by the scale",
        json_schema_extra={"propertyNames": {"pattern": "^[1-9][0-9]*$"}},
    )
    notes: Notes = None


# --- salary.yaml -----------------------------------------------------------------------------


class Band(StrictModel):
    """A salary band for a tier, optionally only for one track, optionally the figures
    of one location zone."""

    tier: str
    track: str | None = None
    zone: str | None = Field(
        default=None, description="A zone id: this band gives that zone's figures outright "
                                  "(and wins over the computed ones)")
    min: Number
    mid: Number | None = Field(default=None, description="Optional midpoint")
    max: Number
    steps: list[Number] | None = Field(
        default=None, description="Pay points within the band, rising strictly, within "
                                  "min..max")
    notes: Notes = None


class Zone(StrictModel):
    """A location pay zone: band figures there are raised (or lowered) by ``percent``
    (bounded by ``minimum``/``maximum``) or by a flat ``amount``."""

    id: str
    name: str
    percent: Number | None = Field(
        default=None, description="The supplement as a percent of each band figure "
                                  "(-90..200); or give 'amount'")
    amount: Number | None = Field(default=None,
                                  description="A flat supplement in currency; or 'percent'")
    minimum: Number | None = Field(
        default=None, description="Floor of a percent supplement, in currency (signed)")
    maximum: Number | None = Field(
        default=None, description="Cap of a percent supplement, in currency (signed)")
    description: MarkdownText | None = None
    notes: Notes = None


class SalaryFile(StrictModel):
    """The content of ``salary.yaml``."""

    visibility: Visibility = Field(
        default="internal", description="public bands are published; internal ones never are"
    )
    bands: list[Band] = Field(default_factory=list)
    zones: list[Zone] = Field(default_factory=list,
                              description="Location pay zones, applied to every band")
    notes: Notes = None


# --- roles/<role-id>.yaml --------------------------------------------------------------------


_KIND_WORDS = {bool: "true or false", list: "a list", dict: "a mapping", type(None): "nothing"}


def _level_reference(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | str):
        shown = _KIND_WORDS.get(type(value), str(value))
        raise ValueError(f"a level is a whole number (1, 2, ...) or a level name from the "
                         f"scale, not {shown}")
    return value


LevelReference = Annotated[
    int | str,
    BeforeValidator(_level_reference),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 1},
                              {"type": "string", "description": "A level name of the scale"}],
                    "description": "A level number, or a level name from the scale"}),
]


class RoleCompetency(StrictModel):
    """What a role expects of one competency: a level (number, or name from the scale),
    and optionally the role's own statements and examples."""

    level: LevelReference
    statements: PlainTextList = Field(
        default=None, description="This role's own expectations, shown instead of the "
                                  "level's; plain text, one each")
    examples: list[str] = Field(default_factory=list,
                                description="This role's own examples of the expectations")
    notes: Notes = None

    @model_validator(mode="before")
    @classmethod
    def _from_level(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else {"level": value}

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        mapping = handler.resolve_ref_schema(handler(core_schema))
        return {"anyOf": [{"type": "integer", "minimum": 1, "description": "The level number"},
                          {"type": "string", "description": "A level name of the scale"},
                          mapping]}


class RoleSpec(StrictModel):
    """The content of ``roles/<role-id>.yaml``; the file name is the role id."""

    title: str
    track: str
    tier: str = Field(description="A tier id: the role's tier (its lowest, with tier_max)")
    tier_max: str | None = Field(
        default=None, description="The highest tier of a role graded across a range "
                                  "(strictly above 'tier')")
    entry: StrictBool = False
    aliases: list[str] = Field(default_factory=list)
    summary: MarkdownText | None = None
    responsibilities: list[MarkdownText] = Field(default_factory=list)
    competencies: dict[str, RoleCompetency] = Field(
        default_factory=dict,
        description="Competency id -> expected level (a number, a level name of the scale, "
                    "or a mapping with 'level', 'statements' and 'examples')")
    requirements: list[Criterion] = Field(
        default_factory=list,
        description="What someone hired into this role from outside must hold")
    advancement: Advancement | None = Field(
        default=None, description="How people move into this role: automatic | vacancy | "
                                  "review (default: the framework's)")
    criteria: list[Criterion] = Field(
        default_factory=list, description="What it takes to be promoted into this role")
    maintain: list[Criterion] = Field(default_factory=list)
    next: list[str] = Field(default_factory=list)
    lateral: list[str] = Field(default_factory=list)
    notes: Notes = None


class Role(RoleSpec):
    """A role as loaded: its id (the file name), and each competency's level as a number.

    ``competencies`` maps competency id -> level number, as in version 1 (a level name is
    resolved through the scale; a name the scale lacks is left out, and validation reports
    it). ``competencies_as_written`` keeps every entry as the file gives it, with the role's
    own statements and examples; :meth:`Framework.expectation` combines both.
    """

    id: str
    competencies: dict[str, int] = Field(default_factory=dict)  # type: ignore[assignment]
    competencies_as_written: dict[str, RoleCompetency] = Field(default_factory=dict)

    @classmethod
    def from_spec(cls, role_id: str, spec: RoleSpec, scale: list[ScaleLevel]) -> Role:
        """The role of ``spec``, with level names resolved through ``scale``."""
        numbers = {level.name: number for number, level in enumerate(scale, start=1)}
        resolved: dict[str, int] = {}
        for competency_id, written in spec.competencies.items():
            level = written.level if isinstance(written.level, int) \
                else numbers.get(written.level)
            if level is not None:
                resolved[competency_id] = level
        fields = {name: getattr(spec, name) for name in RoleSpec.model_fields}
        fields |= {"id": role_id, "competencies": resolved,
                   "competencies_as_written": spec.competencies}
        return cls.model_construct(  # the spec is validated: no need to check it again
            _fields_set={*spec.model_fields_set, "id", "competencies_as_written"}, **fields)


# --- resolved views --------------------------------------------------------------------------


@dataclass(frozen=True)
class CompetencyLevel:
    """One level of one competency as pages show it.

    ``name`` is the scale's name of the level (``None`` without a scale); ``text`` is the
    level's own text, else the scale's description of that level (``text_from_scale``),
    else ``""``; ``statements``, ``examples`` and ``develop`` are the level's.
    """

    competency: str
    number: int
    of: int
    name: str | None
    text: str
    text_from_scale: bool
    statements: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    develop: tuple[str, ...] = ()


@dataclass(frozen=True)
class Expectation:
    """What one role expects of one competency: the level, and what is shown for it.

    ``statements`` and ``examples`` are the role's own when its file gives them
    (``role_specific``), else the level's. ``develop`` (how to grow into the level) is
    always the level's.
    """

    role: str
    competency: str
    level: CompetencyLevel
    statements: tuple[str, ...]
    examples: tuple[str, ...]
    role_specific: bool

    @property
    def number(self) -> int:
        return self.level.number

    @property
    def name(self) -> str | None:
        return self.level.name

    @property
    def text(self) -> str:
        return self.level.text

    @property
    def develop(self) -> tuple[str, ...]:
        return self.level.develop


@dataclass(frozen=True)
class CategoryGroup:
    """Competencies of one category, for pages that group them. ``name`` is ``None`` for
    the competencies without a category; ``description`` comes from ``categories``."""

    name: str | None
    description: str | None
    competencies: tuple[Competency, ...]


# --- where things are written ----------------------------------------------------------------


def original_location(location: Location, kept: dict[Location, tuple[int, ...]]) -> Location:
    """``location`` in data whose lists were shortened (``kept``: list location -> original
    index of each item kept), as a location in the data before."""
    if not kept:
        return location
    result: list[str | int] = []
    for part in location:
        indices = kept.get(tuple(result)) if isinstance(part, int) else None
        if indices is not None and part < len(indices):
            part = indices[part]
        result.append(part)
    return tuple(result)


@dataclass(frozen=True)
class SourceFile:
    """A framework file as read: where it is, and the positions of its values.

    ``kept`` records lists that loading had to shorten (an item too broken to use was left
    out so the rest could still be checked): list location -> the original index of each
    item kept.
    """

    path: Path
    display: str
    loaded: LoadedYaml
    kept: dict[Location, tuple[int, ...]] = field(default_factory=dict)

    def original_location(self, location: Location) -> Location:
        """``location`` in the loaded data, as a place in the file as written."""
        return original_location(location, self.kept)

    def position(self, location: Location, *, key: bool = False) -> Position:
        """Where ``location`` of the loaded data is written (its key, if ``key``)."""
        return self.loaded.position(self.original_location(location), key=key)


@dataclass
class SourceMap:
    """Where merged data comes from, when a framework extends a shared folder.

    ``items``: (file key, list location) of the merged model -> for each merged item, the
    (file key, location) it is written at. ``values``: (file key, top-level key) -> the file
    key of the file that sets that single value (``scale``, ``currency``, ...).
    """

    items: dict[tuple[str, Location], list[tuple[str, Location]]] = field(default_factory=dict)
    values: dict[tuple[str, str], str] = field(default_factory=dict)

    def locate(self, file: str, location: Location) -> tuple[str, Location]:
        """The file key and location where ``location`` of merged ``file`` is written."""
        for cut in range(len(location)):
            if isinstance(location[cut], int):
                origins = self.items.get((file, location[:cut]))
                if origins is not None and location[cut] < len(origins):
                    origin_file, origin = origins[location[cut]]
                    return origin_file, (*origin, *location[cut + 1:])
                break
        if location and isinstance(location[0], str):
            return self.values.get((file, location[0]), file), location
        return file, location


@dataclass(frozen=True)
class SharedFolder:
    """The shared folder (``frameworks/_<name>/``) a framework extends."""

    id: str
    root: Path
    organisation: str | None = None
    description: str | None = None
    """Markdown; shown on the home page."""


# --- the framework ---------------------------------------------------------------------------


@dataclass
class Framework:
    """One framework folder, loaded: metadata, competencies, bands and roles.

    With ``extends``, ``spec``, ``competencies`` and ``salary`` hold the shared folder's
    entries followed by the framework's own (``shared`` names the folder).
    """

    id: str
    root: Path
    spec: FrameworkSpec
    competencies: list[Competency]
    salary: SalaryFile | None
    roles: dict[str, Role]
    files: dict[str, SourceFile] = field(default_factory=dict)
    shared: SharedFolder | None = None
    sources: SourceMap = field(default_factory=SourceMap)

    # --- lookups -----------------------------------------------------------------------------

    @cached_property
    def tier_rank(self) -> dict[str, int]:
        """Tier id -> rank (0 for the lowest tier)."""
        return {tier.id: rank for rank, tier in enumerate(self.spec.tiers)}

    @cached_property
    def tiers(self) -> dict[str, Tier]:
        return {tier.id: tier for tier in self.spec.tiers}

    @cached_property
    def tracks(self) -> dict[str, Track]:
        return {track.id: track for track in self.spec.tracks}

    @cached_property
    def competency_by_id(self) -> dict[str, Competency]:
        return {competency.id: competency for competency in reversed(self.competencies)}

    @cached_property
    def metrics(self) -> dict[str, Metric]:
        """Declared metrics plus the built-in ``months_in_role`` and ``quartile``."""
        builtins = {
            metric_id: Metric(id=metric_id, name=name, unit=unit)
            for metric_id, (name, unit) in BUILTIN_METRICS.items()
        }
        return builtins | {metric.id: metric for metric in self.spec.metrics}

    @cached_property
    def zones(self) -> dict[str, Zone]:
        """Zone id -> location pay zone, in the order of ``salary.yaml``."""
        found: dict[str, Zone] = {}
        for zone in self.salary.zones if self.salary is not None else []:
            found.setdefault(zone.id, zone)
        return found

    @cached_property
    def previous_roles(self) -> dict[str, list[str]]:
        """Role id -> ids of the roles whose ``next`` leads to it."""
        previous: dict[str, list[str]] = {role_id: [] for role_id in self.roles}
        for role in self.roles.values():
            for target in role.next:
                if target in previous:
                    previous[target].append(role.id)
        return previous

    @cached_property
    def alias_targets(self) -> dict[str, str]:
        """Old role id (alias) -> current role id."""
        return {alias: role.id for role in self.roles.values() for alias in role.aliases}

    @property
    def pay_is_public(self) -> bool:
        return self.salary is not None and self.salary.visibility == "public"

    @property
    def tier_label(self) -> str:
        """The word for a tier where pages talk about tiers in general (``tier_label``,
        "Tier" by default): table headings, map row labels."""
        return self.spec.tier_label or DEFAULT_TIER_LABEL

    @property
    def tier_label_plural(self) -> str:
        """:attr:`tier_label` for several tiers ("Tiers", "Bands", "Grades")."""
        label = self.tier_label
        return label if label.endswith("s") else f"{label}s"

    def roles_on_track(self, track_id: str) -> list[Role]:
        """Roles of a track, lowest tier first, then by title."""
        return sorted(
            (role for role in self.roles.values() if role.track == track_id),
            key=lambda role: (self.tier_rank.get(role.tier, 0), role.title),
        )

    # --- tiers of a role ---------------------------------------------------------------------

    def tiers_of(self, role: Role) -> list[Tier]:
        """The tiers a role is graded at, lowest first: its ``tier``, or every tier from
        ``tier`` to ``tier_max``."""
        low, high = self.tier_span(role)
        return self.spec.tiers[low:high + 1] if role.tier in self.tier_rank else []

    def tier_span(self, role: Role) -> tuple[int, int]:
        """The ranks (0 = lowest tier) of a role's lowest and highest tier; equal for a role
        at one tier. An unknown ``tier_max`` counts as ``tier``."""
        low = self.tier_rank.get(role.tier, 0)
        high = self.tier_rank.get(role.tier_max, low) if role.tier_max else low
        return low, max(low, high)

    def tiers_overlap(self, first: Role, second: Role) -> bool:
        """True when two roles share at least one tier (a lateral move may join them)."""
        low_a, high_a = self.tier_span(first)
        low_b, high_b = self.tier_span(second)
        return low_a <= high_b and low_b <= high_a

    # --- competencies ------------------------------------------------------------------------

    @cached_property
    def scale_numbers(self) -> dict[str, int]:
        """Scale level name -> level number (1 for the first level of the scale)."""
        return {level.name: number for number, level in enumerate(self.spec.scale, start=1)}

    def level_count(self, competency_id: str) -> int:
        """How many levels a competency has: its own, or the scale's when it gives none."""
        competency = self.competency_by_id.get(competency_id)
        if competency is None:
            return 0
        return len(competency.levels) if competency.levels else len(self.spec.scale)

    def level(self, competency_id: str, number: int) -> CompetencyLevel | None:
        """Level ``number`` of a competency, with the scale's name and (for a level without
        text, or a competency without levels) the scale's description; None if there is no
        such level."""
        competency = self.competency_by_id.get(competency_id)
        if competency is None:
            return None
        own = competency.levels.get(number)
        if competency.levels and own is None:
            return None
        scale = self.spec.scale[number - 1] if 0 < number <= len(self.spec.scale) else None
        if own is None and scale is None:
            return None
        text = own.text if own is not None else None
        from_scale = text is None and scale is not None and scale.description is not None
        if text is None:
            text = scale.description if scale is not None else None
        return CompetencyLevel(
            competency=competency_id, number=number, of=self.level_count(competency_id),
            name=scale.name if scale is not None else None, text=text or "",
            text_from_scale=from_scale,
            statements=tuple(own.statements or ()) if own is not None else (),
            examples=tuple(own.examples) if own is not None else (),
            develop=tuple(own.develop or ()) if own is not None else (),
        )

    def levels_of(self, competency_id: str) -> list[CompetencyLevel]:
        """Every level of a competency, lowest first (its own, or the scale's)."""
        levels = (self.level(competency_id, number)
                  for number in range(1, self.level_count(competency_id) + 1))
        return [level for level in levels if level is not None]

    def level_text(self, competency_id: str, number: int) -> str:
        """The text of a level (the scale's description standing in); "" if none."""
        level = self.level(competency_id, number)
        return level.text if level is not None else ""

    def expectation(self, role: Role, competency_id: str) -> Expectation | None:
        """What ``role`` expects of a competency, or None if it expects nothing of it (or
        its level does not exist)."""
        number = role.competencies.get(competency_id)
        level = self.level(competency_id, number) if number is not None else None
        if level is None:
            return None
        written = role.competencies_as_written.get(competency_id)
        own_statements = written.statements if written is not None else None
        own_examples = written.examples if written is not None else []
        return Expectation(
            role=role.id, competency=competency_id, level=level,
            statements=tuple(own_statements) if own_statements else level.statements,
            examples=tuple(own_examples) if own_examples else level.examples,
            role_specific=bool(own_statements),
        )

    def expectations(self, role: Role) -> list[Expectation]:
        """Every expectation of a role, in the order its file lists the competencies."""
        found = (self.expectation(role, competency_id) for competency_id in role.competencies)
        return [expectation for expectation in found if expectation is not None]

    def new_statements(self, source: Role, target: Role, competency_id: str) -> list[str]:
        """The statements ``target`` expects of a competency that ``source`` does not
        ("what changes" for a next role)."""
        after = self.expectation(target, competency_id)
        if after is None:
            return []
        before = self.expectation(source, competency_id)
        known = set(before.statements) if before is not None else set()
        return [statement for statement in after.statements if statement not in known]

    def categories_in_order(self) -> list[CategoryGroup]:
        """The competencies grouped by category: the categories of ``categories`` first, in
        that order, then the others in order of first appearance, then (name ``None``)
        the competencies without a category. Categories without competencies are left out."""
        described = {category.name: category.description for category in self.spec.categories}
        order = [category.name for category in self.spec.categories]
        grouped: dict[str | None, list[Competency]] = {}
        for competency in self.competencies:
            grouped.setdefault(competency.category, []).append(competency)
        names = [name for name in order if name in grouped]
        names += [name for name in grouped if name is not None and name not in names]
        if None in grouped:
            names.append(None)
        return [CategoryGroup(name, described.get(name) if name else None,
                              tuple(grouped[name])) for name in names]

    # --- moves -------------------------------------------------------------------------------

    def advancement_of(self, role: Role) -> Advancement | None:
        """How people move into ``role``: its own ``advancement``, else the framework's (or
        its shared folder's), else None (the framework says nothing about how)."""
        return role.advancement or self.spec.advancement

    def policy_applies(self, policy: Policy, role: Role) -> bool:
        """True when ``policy`` covers ``role``: the role matches each of its ``tracks``,
        ``tiers`` and ``roles`` given (any tier of a role graded across a range counts)."""
        if policy.tracks and role.track not in policy.tracks:
            return False
        if policy.tiers and not {tier.id for tier in self.tiers_of(role)} & set(policy.tiers):
            return False
        return not policy.roles or role.id in policy.roles

    def policies_for(self, role: Role, applies_to: AppliesTo = "promotion") -> list[Policy]:
        """The policies about ``applies_to`` (promotion, lateral, leaving, staying, pay,
        general) that cover ``role``, in the order of framework.yaml."""
        return [policy for policy in self.spec.policies
                if policy.applies_to == applies_to and self.policy_applies(policy, role)]

    def policies_about(self, applies_to: AppliesTo) -> list[Policy]:
        """Every policy about ``applies_to``, whichever roles it covers."""
        return [policy for policy in self.spec.policies if policy.applies_to == applies_to]

    # --- pay ---------------------------------------------------------------------------------

    def band_for(self, role: Role) -> Band | None:
        """The band of the role's track at its tier (its lowest, for a role graded across a
        range), else the track-less band; None without one. Zone bands are not considered."""
        return self.band_at(role.track, role.tier)

    def band_at(self, track_id: str, tier_id: str) -> Band | None:
        """The band (not a zone's) that applies to ``track_id`` at ``tier_id``, if any."""
        return self._band_named(track_id, tier_id, None)

    def band_figures(self, track_id: str, tier_id: str,
                     zone_id: str | None = None) -> BandFigures | None:
        """The figures of the band for ``track_id`` at ``tier_id``; with ``zone_id``, in that
        zone: a band naming the zone (its track's, else a track-less one) wins; else the
        band's figures plus the zone's adjustment (SPEC: percent of each figure held between
        minimum and maximum, or the amount; rounded half up to a whole unit)."""
        if zone_id is not None:
            named = self._band_named(track_id, tier_id, zone_id)
            if named is not None:
                return BandFigures.of(named)
        band = self.band_at(track_id, tier_id)
        if band is None:
            return None
        figures = BandFigures.of(band)
        zone = self.zones.get(zone_id) if zone_id is not None else None
        return figures_in_zone(figures, zone) if zone is not None else figures

    def pay_range(self, role: Role, zone_id: str | None = None) -> PayRange | None:
        """What ``role`` pays (in ``zone_id``, if given): from the minimum of its lowest
        tier's band to the maximum of its highest tier's band; None when none of its tiers
        has a band."""
        bands = [self.band_figures(role.track, tier.id, zone_id) for tier in self.tiers_of(role)]
        return pay_range_over([figures for figures in bands if figures is not None])

    def pay_step(self, source: Role, target: Role) -> PayStep | None:
        """The pay difference of a move from ``source`` to ``target``: at the midpoint when
        both roles' pay has one, else at the minimum; None unless both have pay."""
        before, after = self.pay_range(source), self.pay_range(target)
        if before is None or after is None:
            return None
        return pay_step_between(before, after)

    def _band_named(self, track_id: str, tier_id: str, zone_id: str | None) -> Band | None:
        if self.salary is None:
            return None
        generic = None
        for band in self.salary.bands:
            if band.tier != tier_id or band.zone != zone_id:
                continue
            if band.track == track_id:
                return band
            if band.track is None and generic is None:
                generic = band
        return generic
