"""The employee and recruiter tools of a framework's site section.

- ``/<framework>/compare/``: compare any two roles side by side;
- ``/<framework>/assess/``: rate yourself against a target role;
- ``/<framework>/tools.json``: the compact public data both pages read in the browser
  (``overrides/assets/career-paths-tools.js``; no server, no other request);
- ``/<framework>/downloads/``: the spreadsheet export (:mod:`generator.export`);
- on every role page: "compare with" and "assess" links for each next role, and a
  "For recruiters" box with the canonical link and a plain-text job-ad summary.

Like every page renderer this works on the public view of a framework only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from generator.describe import (
    advancement_text,
    describe_criterion,
    format_band,
    format_money,
    format_number,
    tier_span_text,
)
from generator.export import export_file_names, export_files
from generator.loading import COMPETENCIES_FILE, FRAMEWORK_FILE
from generator.markdown_fields import plain_text
from generator.model import CompetencyLevel, Framework, Role
from generator.page_context import FrameworkSection, GeneratedFile, NavItem, front_matter
from generator.templating import render_template
from generator.urls import absolute_url, page_file, relative_url, roles_url, section_url
from generator.wording import track_kind_text

TOOLS_DATA = "tools.json"
TOP_RESPONSIBILITIES = 3


def tool_pages(pages: FrameworkSection) -> Iterator[GeneratedFile]:
    """The compare and assess pages."""
    yield compare_page(pages)
    yield assess_page(pages)


def tool_assets(pages: FrameworkSection) -> Iterator[GeneratedFile]:
    """The data file of the tool pages and the downloads (spreadsheets)."""
    yield GeneratedFile(f"{pages.fid}/{TOOLS_DATA}", tools_json(pages))
    for name, content in export_files(pages.framework, "xlsx", pages.options.site_url).items():
        yield GeneratedFile(f"{pages.fid}/downloads/{name}", content)
    for name, content in export_files(pages.framework, "csv", pages.options.site_url).items():
        yield GeneratedFile(f"{pages.fid}/downloads/{name}", content)


def tool_nav(fid: str) -> list[NavItem]:
    """Navigation entries of the tool pages."""
    return [{"Compare roles": page_file(section_url(fid, "compare"))},
            {"Self-assessment": page_file(section_url(fid, "assess"))}]


def download_links(pages: FrameworkSection, from_url: str) -> list[dict[str, str]]:
    """The spreadsheet downloads, as linked from the overview page."""
    framework = pages.framework
    names = export_file_names(framework, "csv")
    links = [{"title": "Workbook (Excel, all tables)",
              "link": relative_url(from_url, pages.url("asset", f"downloads/{framework.id}.xlsx"))}]
    for name in names:
        label = name.removeprefix(f"{framework.id}-").removesuffix(".csv").replace("-", " ")
        links.append({"title": f"{label.capitalize()} (CSV)",
                      "link": relative_url(from_url, pages.url("asset", f"downloads/{name}"))})
    return links


# --- pages ----------------------------------------------------------------------------------


def _tool_page(pages: FrameworkSection, kind: str, template: str, title: str, description: str,
               source_file: str, **context: Any) -> GeneratedFile:
    url = pages.url(kind)
    matter = front_matter(f"{title} · {pages.framework.spec.name}", description, url,
                          pages.options, search={"boost": 0.5})
    framework = pages.framework
    roles = [{"track": track.name,
              "roles": [{"id": role.id, "title": role.title,
                         "tier": framework.tiers[role.tier].name}
                        for role in framework.roles_on_track(track.id)]}
             for track in framework.spec.tracks]
    return pages.page(page_file(url), template, matter, pages.root / source_file,
                      framework=pages.framework_context(url), links=pages.section_links(url),
                      tracks=roles, data_url=relative_url(url, pages.url("asset", TOOLS_DATA)),
                      roles_url=relative_url(url, roles_url(pages.fid)), **context)


def compare_page(pages: FrameworkSection) -> GeneratedFile:
    """``/<framework>/compare/``: two role pickers; the comparison is drawn in the browser."""
    framework = pages.framework
    a, b = default_pair(framework)
    return _tool_page(
        pages, "compare", "pages/compare.md.j2", "Compare two roles",
        f"{framework.spec.name}: compare the competencies, criteria, responsibilities and pay "
        "of any two roles.", FRAMEWORK_FILE, default_a=a, default_b=b)


def assess_page(pages: FrameworkSection) -> GeneratedFile:
    """``/<framework>/assess/``: a self-assessment against a target role, in the browser."""
    framework = pages.framework
    a, b = default_pair(framework)
    return _tool_page(
        pages, "assess", "pages/assess.md.j2", "Self-assessment",
        f"{framework.spec.name}: rate yourself against the next role and see what to work on.",
        COMPETENCIES_FILE, default_a=a, default_b=b)


def default_pair(framework: Framework) -> tuple[str, str]:
    """The roles compared when the address names none: an entry role and its first step."""
    roles = [role for track in framework.spec.tracks
             for role in framework.roles_on_track(track.id)]
    first = next((role for role in roles if role.entry and role.next), roles[0])
    second = first.next[0] if first.next else (roles[1].id if len(roles) > 1 else first.id)
    return first.id, second


# --- role pages -----------------------------------------------------------------------------


def role_tools(pages: FrameworkSection, role: Role, from_url: str) -> dict[str, Any]:
    """What a role page shows of the tools: step links and the recruiters' box."""
    compare = pages.link(from_url, "compare")
    assess = pages.link(from_url, "assess")
    return {
        "compare": {target: f"{compare}?{urlencode({'a': role.id, 'b': target})}"
                    for target in role.next},
        "assess": {target: f"{assess}#{urlencode({'from': role.id, 'to': target})}"
                   for target in role.next},
        "compare_any": f"{compare}?{urlencode({'a': role.id})}",
        "recruiters": recruiter_box(pages, role),
    }


def recruiter_box(pages: FrameworkSection, role: Role) -> dict[str, Any]:
    """The canonical link and the plain-text job-ad summary of a role."""
    framework = pages.framework
    site_url = pages.options.site_url
    link = absolute_url(site_url, pages.url("roles", role.id))
    return {"id": role.id, "link": link, "snippet": job_ad_text(framework, role, link)}


def job_ad_text(framework: Framework, role: Role, link: str) -> str:
    """A short plain-text summary of a role for a job ad: title, level, duties, what a hire
    must hold (``requirements``), pay, link."""
    track = framework.tracks[role.track]
    band = framework.pay_range(role) if framework.pay_is_public else None
    text = render_template(
        "pages/job_ad.txt.j2",
        title=role.title, organisation=framework.spec.organisation, track=track.name,
        kind=track_kind_text(track.kind),
        tier=tier_span_text(framework, role), rank=framework.tier_rank[role.tier] + 1,
        tier_count=len(framework.spec.tiers), summary=plain_text(role.summary),
        responsibilities=[plain_text(item)
                          for item in role.responsibilities[:TOP_RESPONSIBILITIES]],
        requirements=[describe_criterion(framework, item) for item in role.requirements],
        pay={"range": f"{format_money(band.min, framework.spec.currency)} – "
                      f"{format_number(band.max)}",
             "mid": format_number(band.mid) if band.mid is not None else ""}
        if band else None, link=link,
    )
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


# --- data -----------------------------------------------------------------------------------


def tools_json(pages: FrameworkSection) -> str:
    """The compact public data of the compare and assess pages."""
    framework = pages.framework
    document = {
        "format": 1,
        "framework": {
            "id": framework.id, "name": framework.spec.name,
            "organisation": framework.spec.organisation, "version": framework.spec.version,
            "currency": framework.spec.currency or "", "payPublic": framework.pay_is_public,
            "tierLabel": framework.tier_label,
        },
        "tracks": [{"id": t.id, "name": t.name, "kind": t.kind} for t in framework.spec.tracks],
        "tiers": [{"id": t.id, "name": t.name, "rank": rank + 1}
                  for rank, t in enumerate(framework.spec.tiers)],
        "scale": [{"name": level.name, "description": plain_text(level.description)}
                  for level in framework.spec.scale],
        # grouped by category, in the framework's order of categories
        "competencies": [_competency_data(framework, c)
                         for group in framework.categories_in_order()
                         for c in group.competencies],
        "policies": pages.policies(),
        "roles": [_role_data(pages, role) for track in framework.spec.tracks
                  for role in framework.roles_on_track(track.id)],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def _competency_data(framework: Framework, competency: Any) -> dict[str, Any]:
    return {
        "id": competency.id, "name": competency.name, "category": competency.category or "",
        "description": plain_text(competency.description),
        "levels": [_level_data(level) for level in framework.levels_of(competency.id)],
    }


def _level_data(level: CompetencyLevel) -> dict[str, Any]:
    """A level as the tools read it; the 1.1 fields only when the level has them."""
    data: dict[str, Any] = {"level": level.number, "text": level.text,
                            "examples": list(level.examples)}
    if level.name:
        data["name"] = level.name
    if level.statements:
        data["statements"] = list(level.statements)
    if level.develop:
        data["develop"] = list(level.develop)
    return data


def _role_data(pages: FrameworkSection, role: Role) -> dict[str, Any]:
    framework = pages.framework
    band = framework.pay_range(role) if framework.pay_is_public else None
    own = {expectation.competency: {"statements": list(expectation.statements),
                                    "examples": list(expectation.examples)}
           for expectation in framework.expectations(role) if expectation.role_specific}
    return {
        "id": role.id, "title": role.title, "track": role.track, "tier": role.tier,
        "tierText": tier_span_text(framework, role),
        "entry": role.entry, "aliases": role.aliases,
        "summary": plain_text(role.summary),
        "responsibilities": [plain_text(item) for item in role.responsibilities],
        "competencies": role.competencies,
        "expectations": own,
        "requirements": pages.criteria(role, "requirements"),
        "criteria": pages.criteria(role, "criteria"),
        "advancement": advancement_text(framework.advancement_of(role)),
        "maintain": pages.criteria(role, "maintain"),
        "policies": [policy.id for policy in framework.policies_for(role, "promotion")],
        "next": role.next, "lateral": role.lateral,
        "band": {"min": band.min, "mid": band.mid, "max": band.max,
                 "text": format_band(band, framework.spec.currency),
                 "midText": format_number(band.mid) if band.mid is not None else ""}
        if band else None,
    }
