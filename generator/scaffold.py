"""``careers new role``: a valid role file to start from, with the schema line for editors."""

from __future__ import annotations

import os
from pathlib import Path

from generator.model import Framework, Role, is_slug
from generator.templating import render_template


class ScaffoldError(Exception):
    """The role cannot be created; the message says why and what to do."""


def new_role(framework: Framework, role_id: str, track: str, tier: str,
             title: str | None = None, schemas_dir: Path | None = None) -> Path:
    """Write ``roles/<role_id>.yaml`` in ``framework``'s folder; return its path.

    Competency expectations start from the closest lower-tier role on the same track.
    """
    if not is_slug(role_id):
        raise ScaffoldError(f"'{role_id}' is not a lower-case slug (a-z, 0-9, '-')")
    if track not in framework.tracks:
        raise ScaffoldError(f"unknown track '{track}'; known: {', '.join(framework.tracks)}")
    if tier not in framework.tiers:
        raise ScaffoldError(f"unknown tier '{tier}'; known: {', '.join(framework.tiers)}")
    taken = set(framework.roles) | set(framework.alias_targets) | {
        retired.id for retired in framework.spec.retired}
    if role_id in taken:
        raise ScaffoldError(f"the id '{role_id}' is already used by a role, alias or retired role")
    path = framework.root / "roles" / f"{role_id}.yaml"
    schemas = schemas_dir or framework.root.parent.parent / "schemas"
    schema_path = os.path.relpath(schemas / "role.schema.json", path.parent)
    template = _closest_lower_role(framework, track, tier)
    path.write_text(render_template(
        "role.yaml.j2", title=title or role_id.replace("-", " ").title(), track=track, tier=tier,
        competencies=sorted(template.competencies.items()) if template else [],
        schema_path=Path(schema_path).as_posix(),
    ), encoding="utf-8")
    return path


def _closest_lower_role(framework: Framework, track: str, tier: str) -> Role | None:
    rank = framework.tier_rank[tier]
    candidates = [role for role in framework.roles_on_track(track)
                  if framework.tier_rank.get(role.tier, rank) <= rank]
    return candidates[-1] if candidates else None
