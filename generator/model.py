"""The framework model: pydantic classes for every file of the format (SPEC.md, version 1).

The ``*Spec``/``*File`` classes describe exactly what a YAML file may hold and are
the source of the exported JSON Schemas.  :class:`Framework` bundles one validated
framework folder and answers the questions the renderers ask (a role's band, the
roles of a track, who leads into a role).
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
    ConfigDict,
    Field,
    FiniteFloat,
    GetJsonSchemaHandler,
    Strict,
    StrictBool,
    StrictInt,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from generator.yaml_loader import LoadedYaml

Number = Annotated[StrictInt | Annotated[FiniteFloat, Strict()], Field(description="A number")]
MarkdownText = Annotated[str, Field(description="Markdown text")]
Notes = Annotated[
    str | None,
    Field(description="Internal remark for HR. Never published."),
]
Unit = Literal["percent", "number", "months", "quartile"]
TrackKind = Literal["individual", "management"]
Visibility = Literal["public", "internal"]

BUILTIN_METRICS: dict[str, tuple[str, Unit]] = {
    "months_in_role": ("Time in the previous role", "months"),
    "quartile": ("Performance quartile", "quartile"),
}


SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def is_slug(value: str) -> bool:
    """True for lower-case slugs: ``[a-z0-9][a-z0-9-]*``."""
    return bool(SLUG.fullmatch(value))


class StrictModel(BaseModel):
    """Base of every file model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Tier(StrictModel):
    """A level of seniority. Tiers are listed lowest first; the position is the rank."""

    id: str
    name: str
    description: MarkdownText | None = None
    notes: Notes = None


class Track(StrictModel):
    """A career track: individual contributor or people management."""

    id: str
    name: str
    kind: TrackKind
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
    """A rule that applies to every promotion."""

    id: str
    name: str | None = None
    text: str
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


class FrameworkSpec(StrictModel):
    """The content of ``framework.yaml``."""

    name: str
    organisation: str
    version: str = Field(description='The label a published version gets, quoted: "2026.1"')
    effective: dt.date | None = None
    currency: str | None = Field(
        default=None, description="ISO 4217 code; required if salary.yaml exists"
    )
    description: MarkdownText | None = None
    tiers: list[Tier] = Field(min_length=1)
    tracks: list[Track] = Field(min_length=1)
    metrics: list[Metric] = Field(default_factory=list)
    policies: list[Policy] = Field(default_factory=list)
    retired: list[RetiredRole] = Field(default_factory=list)
    notes: Notes = None


class Level(StrictModel):
    """One proficiency level of a competency: a behaviour, with optional examples."""

    text: str = Field(description="What someone at this level does, in one or two sentences")
    examples: list[str] = Field(
        default_factory=list,
        description="Short, concrete examples of the behaviour; shown on role pages, in the "
                    "comparison of two roles and in the self-assessment",
    )
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
    category: str | None = None
    description: MarkdownText | None = None
    levels: dict[int, Level] = Field(
        min_length=1, json_schema_extra={"propertyNames": {"pattern": "^[1-9][0-9]*$"}}
    )
    notes: Notes = None


class Band(StrictModel):
    """A salary band for a tier, optionally only for one track."""

    tier: str
    track: str | None = None
    min: Number
    mid: Number
    max: Number
    notes: Notes = None


class SalaryFile(StrictModel):
    """The content of ``salary.yaml``."""

    visibility: Visibility = Field(
        default="internal", description="public bands are published; internal ones never are"
    )
    bands: list[Band] = Field(default_factory=list)
    notes: Notes = None


class RoleSpec(StrictModel):
    """The content of ``roles/<role-id>.yaml``; the file name is the role id."""

    title: str
    track: str
    tier: str
    entry: StrictBool = False
    aliases: list[str] = Field(default_factory=list)
    summary: MarkdownText | None = None
    responsibilities: list[MarkdownText] = Field(default_factory=list)
    competencies: dict[str, StrictInt] = Field(default_factory=dict)
    criteria: list[Criterion] = Field(default_factory=list)
    maintain: list[Criterion] = Field(default_factory=list)
    next: list[str] = Field(default_factory=list)
    lateral: list[str] = Field(default_factory=list)
    notes: Notes = None


class Role(RoleSpec):
    """A role with its id (taken from the file name)."""

    id: str


@dataclass(frozen=True)
class SourceFile:
    """A framework file as read: where it is, and the positions of its values."""

    path: Path
    display: str
    loaded: LoadedYaml


@dataclass
class Framework:
    """One framework folder, loaded: metadata, competencies, bands and roles."""

    id: str
    root: Path
    spec: FrameworkSpec
    competencies: list[Competency]
    salary: SalaryFile | None
    roles: dict[str, Role]
    files: dict[str, SourceFile] = field(default_factory=dict)

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

    def roles_on_track(self, track_id: str) -> list[Role]:
        """Roles of a track, lowest tier first, then by title."""
        return sorted(
            (role for role in self.roles.values() if role.track == track_id),
            key=lambda role: (self.tier_rank.get(role.tier, 0), role.title),
        )

    def band_for(self, role: Role) -> Band | None:
        """The role's pay band: its track's band at its tier, else the track-less band."""
        return self.band_at(role.track, role.tier)

    def band_at(self, track_id: str, tier_id: str) -> Band | None:
        """The band that applies to ``track_id`` at ``tier_id``, if any."""
        if self.salary is None:
            return None
        generic = None
        for band in self.salary.bands:
            if band.tier != tier_id:
                continue
            if band.track == track_id:
                return band
            if band.track is None and generic is None:
                generic = band
        return generic
