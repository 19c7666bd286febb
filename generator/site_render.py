"""Render validated frameworks into the site's Markdown pages, SVG and JSON assets.

Nothing here depends on MkDocs: the output is a folder of Markdown pages with
front matter plus static files, and a navigation tree, so MkDocs (through the
thin plugin in :mod:`generator.mkdocs_plugin`) or Zensical can build it.

Every page is rendered from the *public view* of a framework
(:func:`generator.audience.public_view`): internal notes and internal pay are
gone before any template sees the data.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from generator.addresses import ADDRESSES_FILE, role_addresses_json
from generator.audience import public_view
from generator.career_map import (
    CareerMapLayout,
    career_ladder,
    layout_career_map,
    neighbourhood,
    render_layout,
)
from generator.changes import diff_frameworks, summarize
from generator.describe import (
    APPLIES_TO_TITLES,
    advancement_text,
    describe_zone,
    format_band,
    format_money,
    format_number,
    format_steps,
    level_name_text,
    pay_step,
    tier_span_text,
)
from generator.forking import fork_map
from generator.loading import COMPETENCIES_FILE, FRAMEWORK_FILE, SALARY_FILE
from generator.markdown_fields import markdown_inline_html, markdown_to_html, plain_text
from generator.model import APPLIES_TO, CategoryGroup, Framework, Role
from generator.page_context import (
    FrameworkSection,
    GeneratedFile,
    NavItem,
    RenderOptions,
    front_matter,
    markdown_page,
    nav_title,
)
from generator.pay_chart import render_pay_chart
from generator.safe_paths import write_tree
from generator.templating import render_template
from generator.tool_pages import download_links, role_tools, tool_assets, tool_nav, tool_pages
from generator.urls import absolute_url, map_pdf_url, page_file, printed_url, relative_url
from generator.wording import slug_like, track_kind_text

PARALLEL_ROLE_PAGES_FROM = 100
"""Role pages are rendered by forked processes from this many on (fewer: not worth it)."""
ROLE_MAP_IMAGE = "career-map.svg"
"""File name of a role's neighbourhood map, beside its page (big frameworks only)."""


@dataclass
class RenderedSite:
    """Everything a render produced."""

    files: list[GeneratedFile] = field(default_factory=list)
    nav: list[NavItem] = field(default_factory=list)

    def write(self, out_dir: Path) -> None:
        """Make ``out_dir`` hold exactly these files, never writing through a link.

        A file whose content is unchanged is left alone, times included, so that a dirty
        rebuild (``careers serve``) rebuilds only the pages an edit changed (see
        :func:`generator.safe_paths.write_tree`).
        """
        write_tree(out_dir, [(generated.path, generated.content if isinstance(
            generated.content, bytes) else generated.content.encode("utf-8"))
            for generated in self.files])


class SiteRenderer:
    """Renders a whole site: the public view of each framework and its whole career map are
    made once, and shared by the pages and the assets (a forked process making the assets
    inherits them)."""

    def __init__(self, frameworks: Sequence[Framework], options: RenderOptions | None = None,
                 *, jobs: int = 1) -> None:
        self.options = options or RenderOptions()
        previous = {framework.id: public_view(framework) for framework in self.options.previous}
        self.frameworks = [FrameworkPages(public_view(framework), self.options,
                                          previous.get(framework.id), jobs=jobs)
                           for framework in frameworks]

    def lay_out_maps(self) -> None:
        """Lay out each framework's whole career map now (a big one takes seconds), so that
        the pages and a forked process making the assets share one layout."""
        for pages in self.frameworks:
            _ = pages.whole_map

    def pages(self) -> RenderedSite:
        """The pages of the site (Markdown, redirects) and its navigation, without assets."""
        site = RenderedSite()
        public = [pages.framework for pages in self.frameworks]
        site.files.append(markdown_page("index.md", "pages/home.md.j2", front_matter(
            "Career frameworks", "Career paths, roles, competencies and pay.", "", self.options,
            edit_url=""),
            groups=_home_groups(public)))
        for pages in self.frameworks:
            site.files.extend(pages.pages())
            site.nav.append({nav_title(pages.framework.spec.name): pages.nav()})
        site.files.append(GeneratedFile(ADDRESSES_FILE, role_addresses_json(public)))
        site.files.append(GeneratedFile("build-info.json", json.dumps({
            "commit": self.options.source_commit,
            "frameworks": {framework.id: framework.spec.version for framework in public},
        }, indent=2) + "\n"))
        return site

    def role_pages_from(self, sources: Collection[Path]) -> list[GeneratedFile]:
        """Only the pages of the roles whose YAML file is one of ``sources`` (the first
        pages ``careers serve`` shows after a save)."""
        return [page for pages in self.frameworks for page in pages.role_pages_from(sources)]

    def assets(self) -> list[GeneratedFile]:
        """The files beside the pages: map drawings, JSON data and downloads.

        No page needs them to be rendered, and in a big framework they take a good part of
        the time, so a build can make them in another process (:mod:`generator.site_assets`).
        """
        return [asset for pages in self.frameworks for asset in pages.assets()]


def render_site(frameworks: Sequence[Framework], options: RenderOptions | None = None
                ) -> RenderedSite:
    """Render the home page and every framework's pages and assets."""
    renderer = SiteRenderer(frameworks, options)
    site = renderer.pages()
    site.files.extend(renderer.assets())
    return site


def render_pages(frameworks: Sequence[Framework], options: RenderOptions | None = None
                 ) -> RenderedSite:
    """The pages of the site (Markdown, redirects) and its navigation, without the assets."""
    return SiteRenderer(frameworks, options).pages()


def render_assets(frameworks: Sequence[Framework], options: RenderOptions | None = None
                  ) -> list[GeneratedFile]:
    """The files beside the pages (see :meth:`SiteRenderer.assets`)."""
    return SiteRenderer(frameworks, options).assets()


def _home_groups(frameworks: Sequence[Framework]) -> list[dict[str, Any]]:
    """The home page's frameworks: those that extend the same shared folder together (with
    the folder's organisation and description), the others in a group without a title."""
    groups: dict[str, dict[str, Any]] = {}
    for framework in frameworks:
        shared = framework.shared
        key = shared.id if shared is not None else ""
        if key not in groups:
            groups[key] = {
                "title": (shared.organisation or "") if shared is not None else "",
                "description": markdown_to_html(shared.description) if shared else "",
                "shared": shared is not None, "frameworks": []}
        groups[key]["frameworks"].append(_framework_card(framework))
    return list(groups.values())


def _framework_card(framework: Framework) -> dict[str, Any]:
    return {
        "id": framework.id,
        "name": framework.spec.name,
        "organisation": framework.spec.organisation,
        "version": framework.spec.version,
        "role_count": len(framework.roles),
        "tracks": [track.name for track in framework.spec.tracks],
    }


class FrameworkPages(FrameworkSection):
    """The pages, drawings and data files of one (public) framework."""

    # --- maps --------------------------------------------------------------------------------

    def inline_map(self, from_url: str, highlight: str | None = None) -> dict[str, Any]:
        """The career map for the page at ``from_url``: the SVG, its natural width (the
        page's "full size" zoom) and the width below which it scrolls instead of shrinking,
        the ladder shown instead on a phone, and the full-size file."""
        layout = self.whole_map if highlight is None else layout_career_map(self.framework,
                                                                              highlight)

        def link(role_id: str) -> str:
            return self.link(from_url, "roles", role_id)

        return {
            "svg": render_layout(layout, link_for=link),
            "min_width": layout.min_width_px,
            "width": layout.width,
            "ladder": career_ladder(self.framework, highlight, link),
            "full_size": relative_url(from_url, self.url("asset", "career-map.svg")),
            "partial": False,
        }

    @cached_property
    def whole_map(self) -> CareerMapLayout:
        """The layout of the whole framework's map, computed once (a big one takes seconds)."""
        return layout_career_map(self.framework)

    def overview_map(self, from_url: str) -> dict[str, Any]:
        """The map on the overview: inline while the framework is small enough to read it on
        a page, else only the link to the full-size file (``svg`` is empty)."""
        if len(self.framework.roles) <= self.options.overview_map_limit:
            return self.inline_map(from_url)
        return {"svg": "", "min_width": 0, "partial": False,
                "full_size": relative_url(from_url, self.url("asset", "career-map.svg"))}

    def role_map(self, from_url: str, role: Role) -> dict[str, Any]:
        """The map on a role's page: the whole framework, inline, while it is small; else the
        role's neighbourhood as an image beside the page (whole maps on thousands of pages
        grow with the square of the roles, and MkDocs parses inline SVG twice per page)."""
        if len(self.framework.roles) <= self.options.role_map_limit:
            return {**self.inline_map(from_url, highlight=role.id), "image": ""}
        return {"svg": "", "image": ROLE_MAP_IMAGE, "min_width": 0, "partial": True,
                "full_size": relative_url(from_url, self.url("asset", "career-map.svg"))}

    def role_map_image(self, role: Role) -> Iterator[GeneratedFile]:
        """The neighbourhood map image of a big framework's role page (see :meth:`role_map`)."""
        if len(self.framework.roles) > self.options.role_map_limit:
            layout = layout_career_map(neighbourhood(self.framework, role.id), role.id)
            yield GeneratedFile(f"{self.fid}/roles/{role.id}/{ROLE_MAP_IMAGE}",
                                render_layout(layout, include_links=False))

    # --- pages -------------------------------------------------------------------------------

    def pages(self) -> Iterator[GeneratedFile]:
        """The Markdown pages (and the redirects of aliases)."""
        yield self.overview()
        yield from (self.track_page(track.id) for track in self.framework.spec.tracks)
        # Thousands of role pages are rendered on every core (the same pages, in order).
        yield from fork_map(self.role_page, list(self.framework.roles.values()), self.jobs,
                            minimum=PARALLEL_ROLE_PAGES_FROM)
        yield from self.alias_redirects()
        yield from self.retired_pages()
        yield self.competencies_page()
        if self.framework.pay_is_public:
            yield self.pay_page()
        yield self.policies_page()
        if self.previous is not None:
            yield self.changes_page(self.previous)
        yield from tool_pages(self)

    def assets(self) -> Iterator[GeneratedFile]:
        """The files beside the pages: map drawings, JSON data, downloads."""
        yield GeneratedFile(f"{self.fid}/career-map.svg", render_layout(
            self.whole_map, link_for=lambda role_id: f"roles/{role_id}/"))
        for role in self.framework.roles.values():
            yield from self.role_map_image(role)
        yield GeneratedFile(f"{self.fid}/framework.json", framework_json(self.framework))
        yield from tool_assets(self)

    def nav(self) -> list[NavItem]:
        framework = self.framework
        tracks: list[NavItem] = []
        list_roles = len(framework.roles) <= self.options.nav_role_limit
        for track in framework.spec.tracks:
            entries: list[NavItem] = [page_file(self.url("tracks", track.id))]
            if list_roles:
                entries += [page_file(self.url("roles", role.id))
                            for role in framework.roles_on_track(track.id)]
            tracks.append({nav_title(track.name): entries})
        items: list[NavItem] = [page_file(self.url("overview")), {"Tracks": tracks},
                                {"Competencies": page_file(self.url("competencies"))}]
        if framework.pay_is_public:
            items.append({"Pay": page_file(self.url("pay"))})
        items.append({"Policies": page_file(self.url("policies"))})
        items += tool_nav(self.fid)
        if self.previous is not None:
            items.append({"What changed": page_file(self.url("changes"))})
        return items

    def overview(self) -> GeneratedFile:
        framework = self.framework
        url = self.url("overview")
        tracks = [
            {"name": track.name, "kind": track.kind, "link": self.link(url, "tracks", track.id),
             "description": markdown_inline_html(track.description),
             "roles": [self.role_ref(url, role) for role in framework.roles_on_track(track.id)]}
            for track in framework.spec.tracks
        ]
        track_order = {track.id: index for index, track in enumerate(framework.spec.tracks)}
        entries = [self.role_ref(url, role) for role in sorted(
            (role for role in framework.roles.values() if role.entry),
            key=lambda role: (framework.tier_rank[role.tier], track_order[role.track], role.title))]
        matter = front_matter(
            framework.spec.name,
            f"{framework.spec.organisation}: {len(framework.roles)} roles on "
            f"{len(framework.spec.tracks)} tracks, with competencies, criteria and pay.",
            url, self.options, hide=["toc"])  # the wide career map needs the room
        return self.page(page_file(url), "pages/overview.md.j2", matter,
                     self.root / FRAMEWORK_FILE,
                     framework=self.framework_context(url), tracks=tracks,
                     entry_roles=entries, downloads=download_links(self, url),
                     career_map=self.overview_map(url),
                     links=self.section_links(url))

    def track_page(self, track_id: str) -> GeneratedFile:
        framework = self.framework
        track = framework.tracks[track_id]
        url = self.url("tracks", track_id)
        steps = []
        for role in framework.roles_on_track(track_id):
            previous = self.step_from(role)
            steps.append({
                "role": self.role_ref(url, role),
                "summary": markdown_inline_html(role.summary),
                "tier_description": markdown_inline_html(framework.tiers[role.tier].description),
                "adds": self.competency_changes(previous, role) if previous else [],
                "previous_title": previous.title if previous else "",
            })
        matter = front_matter(
            f"{track.name} track · {framework.spec.name}",
            f"{framework.spec.name}: the {track.name} track, "
            f"{track_kind_text(track.kind)}"
            f", {len(steps)} roles.",
            url, self.options)
        return self.page(page_file(url), "pages/track.md.j2", matter,
                     self.root / FRAMEWORK_FILE,
                     framework=self.framework_context(url), track={
                         "name": track.name, "kind": track.kind,
                         "description": markdown_to_html(track.description)},
                     steps=steps, links=self.section_links(url))

    def step_from(self, role: Role) -> Role | None:
        """The role a step up the track starts from: a role promoted into it (one on the
        same track first), else the nearest lower-tier role of its track."""
        framework = self.framework
        sources = [framework.roles[source] for source in framework.previous_roles[role.id]]
        same_track = [source for source in sources if source.track == role.track]
        if same_track or sources:
            return (same_track or sources)[0]
        rank = framework.tier_rank[role.tier]
        lower = [other for other in framework.roles_on_track(role.track)
                 if framework.tier_rank[other.tier] < rank]
        return lower[-1] if lower else None

    def competency_changes(self, source: Role, target: Role) -> list[dict[str, Any]]:
        """Competencies whose expected level rises (or that are new) from source to target,
        and those whose expectations are new at the same level, with the statements new at
        the target and the level's ways to grow into it (``develop``, where the level
        rises)."""
        framework = self.framework
        changes = []
        for expectation in framework.expectations(target):
            competency_id, level = expectation.competency, expectation.number
            before = source.competencies.get(competency_id, 0)
            new = framework.new_statements(source, target, competency_id)
            if level <= before and not new:
                continue
            earlier = framework.level(competency_id, before) if before else None
            changes.append({
                "name": framework.competency_by_id[competency_id].name,
                "before": before, "after": level, "rises": level > before,
                "before_label": level_name_text(earlier) if earlier else "",
                "after_label": level_name_text(expectation.level),
                "named": expectation.name is not None,
                "behaviour": expectation.text,
                "statements": new,
                "develop": list(expectation.develop) if level > before else [],
            })
        return changes

    def expected_competencies(self, role: Role) -> list[dict[str, Any]]:
        """The role's expectations grouped by category (in ``categories_in_order``), each
        group in the order the role's file lists them."""
        framework = self.framework
        rows: dict[str | None, list[dict[str, Any]]] = {}
        for expectation in framework.expectations(role):
            competency = framework.competency_by_id[expectation.competency]
            rows.setdefault(competency.category, []).append({
                "id": competency.id, "name": competency.name, **self.expectation(expectation)})
        return [{**_category_heading(group), "rows": rows[group.name]}
                for group in framework.categories_in_order() if group.name in rows]

    def role_source(self, role: Role) -> Path:
        """The YAML file a role's page is made from."""
        return self.root / "roles" / f"{role.id}.yaml"

    def role_pages_from(self, sources: Collection[Path]) -> Iterator[GeneratedFile]:
        """The pages of the roles whose YAML file is one of ``sources`` (resolved paths)."""
        roles = self.root.resolve() / "roles"
        for role in self.framework.roles.values():
            if roles / f"{role.id}.yaml" in sources:
                yield self.role_page(role)

    def role_page(self, role: Role) -> GeneratedFile:
        framework = self.framework
        url = self.url("roles", role.id)
        pay = framework.pay_range(role)
        track = framework.tracks[role.track]
        tier_text = tier_span_text(framework, role)
        next_steps = []
        for target_id in role.next:
            target = framework.roles[target_id]
            step = pay_step(framework, role, target)
            next_steps.append({
                "role": self.role_ref(url, target),
                "raised": self.competency_changes(role, target),
                "criteria": self.criteria(target, "criteria"),
                "advancement": advancement_text(framework.advancement_of(target)),
                "pay": step.describe(self.currency) if step else "",
            })
        description = _plain_summary(role, track.name, tier_text, framework.spec.name)
        matter = front_matter(
            role.title, description, url, self.options,
            og_type="article",
            jsonld=self.occupation_jsonld(role, description),
            search={"boost": 2},
        )
        return self.page(
            page_file(url), "pages/role.md.j2", matter,
            self.role_source(role),
            framework=self.framework_context(url),
            role={
                "id": role.id, "title": role.title, "track": track.name, "track_kind": track.kind,
                "track_link": self.link(url, "tracks", track.id), "tier": tier_text,
                "tier_rank": framework.tier_rank[role.tier] + 1, "entry": role.entry,
                "summary": markdown_to_html(role.summary),
                "responsibilities": [markdown_inline_html(r) for r in role.responsibilities],
                "band": format_band(pay, self.currency) if pay else "",
                "requirements": self.criteria(role, "requirements"),
                "criteria": self.criteria(role, "criteria"),
                "advancement": advancement_text(framework.advancement_of(role)),
                "maintain": self.criteria(role, "maintain"),
                "aliases": role.aliases,
            },
            competencies=self.expected_competencies(role),
            next_steps=next_steps,
            lateral=[self.role_ref(url, framework.roles[r]) for r in role.lateral],
            previous=[self.role_ref(url, framework.roles[r])
                      for r in framework.previous_roles[role.id]],
            policies=self.role_policies(role, "promotion"),
            move_policies={kind: self.role_policies(role, kind)
                           for kind in ("lateral", "leaving", "staying")},
            pay=self.role_pay(role),
            career_map=self.role_map(url, role),
            map_pdf=relative_url(url, map_pdf_url(self.fid, role.id))
            if self.options.maps else "",
            map_pdf_printed=printed_url(self.options.site_url, map_pdf_url(self.fid, role.id)),
            links=self.section_links(url),
            tools=role_tools(self, role, url),
        )

    def role_pay(self, role: Role) -> dict[str, Any]:
        """The pay section of a role page: the band's steps (a role at one tier), the
        bands of a role graded across tiers, its pay in each zone and the pay policies.
        Empty when its pay is not published (zones follow the file's visibility)."""
        framework = self.framework
        pay = framework.pay_range(role) if framework.pay_is_public else None
        if pay is None:
            return {"steps": "", "bands": [], "zones": [], "policies": []}
        bands = [{"tier": framework.tiers[figures.tier].name,
                  "text": format_band(figures, self.currency),
                  "steps": format_steps(figures.steps)} for figures in pay.bands] \
            if pay.spans_tiers else []
        zones = []
        for zone in framework.zones.values():
            figures = framework.pay_range(role, zone.id)
            if figures is not None:
                zones.append({"name": zone.name, "text": format_band(figures, self.currency),
                              "steps": format_steps(figures.steps)})
        return {"steps": format_steps(pay.steps), "bands": bands, "zones": zones,
                "policies": self.role_policies(role, "pay")}

    def occupation_jsonld(self, role: Role, description: str) -> dict[str, Any]:
        """schema.org ``Occupation`` of a role; pay only when public. Its
        ``qualifications`` are what someone hired into it must hold (``requirements``),
        else (as in version 1) the criteria to be promoted into it."""
        framework = self.framework
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Occupation",
            "name": role.title,
            "description": description,
            "occupationalCategory": f"{framework.tracks[role.track].name}, "
                                    f"{tier_span_text(framework, role)}",
            "skills": [framework.competency_by_id[c].name for c in role.competencies],
            "qualifications": self.criteria(
                role, "requirements" if role.requirements else "criteria"),
            "responsibilities": [plain_text(r) for r in role.responsibilities],
        }
        if self.options.site_url:
            data["url"] = absolute_url(self.options.site_url, self.url("roles", role.id))
        band = framework.pay_range(role)
        if band is not None and framework.pay_is_public:
            data["estimatedSalary"] = {
                "@type": "MonetaryAmountDistribution",
                "name": "base salary",
                "currency": self.currency,
                "duration": "P1Y",
                "minValue": band.min,
                "median": band.mid,
                "maxValue": band.max,
            }
            if band.mid is None:  # no midpoint: none is published
                del data["estimatedSalary"]["median"]
        return data

    def alias_redirects(self) -> Iterator[GeneratedFile]:
        for role in self.framework.roles.values():
            for alias in role.aliases:
                url = self.url("roles", alias)
                canonical = absolute_url(self.options.site_url, self.url("roles", role.id))
                yield GeneratedFile(
                    f"{self.fid}/roles/{alias}/index.html",
                    render_template("pages/redirect.html.j2", title=role.title,
                                    target=self.link(url, "roles", role.id),
                                    canonical=canonical),
                )

    def retired_pages(self) -> Iterator[GeneratedFile]:
        framework = self.framework
        for retired in framework.spec.retired:
            url = self.url("roles", retired.id)
            successor = framework.roles.get(retired.replaced_by or "")
            matter = front_matter(
                f"{retired.title or retired.id} (retired role)",
                f"This role no longer exists in the {framework.spec.name}.", url, self.options,
                search={"exclude": True})
            yield self.page(page_file(url), "pages/retired.md.j2", matter,
                        self.root / FRAMEWORK_FILE,
                        framework=self.framework_context(url), retired_id=retired.id,
                        retired_title=retired.title or "",
                        reason=markdown_to_html(retired.reason),
                        successor=self.role_ref(url, successor) if successor else None)

    def competencies_page(self) -> GeneratedFile:
        framework = self.framework
        url = self.url("competencies")
        groups = framework.categories_in_order()
        catalogue = [{**_category_heading(group), "competencies": [
            {"id": c.id, "name": c.name, "category": c.category or "",
             "description": markdown_to_html(c.description),
             "levels": [{"number": level.number, "name": level.name or "", "text": level.text,
                         "statements": list(level.statements), "develop": list(level.develop),
                         "examples": list(level.examples)}
                        for level in framework.levels_of(c.id)]}
            for c in group.competencies]} for group in groups]
        matrices = []
        for track in framework.spec.tracks:
            roles = framework.roles_on_track(track.id)
            if not roles:
                continue
            expected = {competency_id for role in roles for competency_id in role.competencies}
            row_groups = []
            for group in groups:
                rows = [self.matrix_row(competency.id, roles) for competency in
                        group.competencies if competency.id in expected]
                if rows:  # a row of blanks says nothing; big frameworks have hundreds
                    row_groups.append({**_category_heading(group), "rows": rows})
            matrices.append({"name": track.name, "id": track.id, "kind": track.kind,
                             "roles": [self.role_ref(url, role) for role in roles],
                             "groups": row_groups})
        matter = front_matter(
            f"Competencies · {framework.spec.name}",
            f"{framework.spec.name}: the competencies and what each level means, per role.",
            url, self.options,
            # A competency's own entry comes before the role pages that mention it.
            search={"boost": 4})
        return self.page(page_file(url), "pages/competencies.md.j2", matter,
                     self.root / COMPETENCIES_FILE,
                     framework=self.framework_context(url), catalogue=catalogue,
                     matrices=matrices, links=self.section_links(url),
                     scale=[{"name": level.name,
                             "description": markdown_inline_html(level.description)}
                            for level in framework.spec.scale],
                     tier_label=framework.tier_label)

    def matrix_row(self, competency_id: str, roles: list[Role]) -> dict[str, Any]:
        """A row of a track's matrix: the level each role expects of a competency."""
        framework = self.framework
        cells = []
        for role in roles:
            number = role.competencies.get(competency_id)
            level = framework.level(competency_id, number) if number else None
            cells.append({"level": number, "name": level.name or "" if level else "",
                          "label": level_name_text(level) if level else "",
                          "text": level.text if level else ""})
        return {"id": competency_id, "name": framework.competency_by_id[competency_id].name,
                "cells": cells}

    def pay_page(self) -> GeneratedFile:
        framework = self.framework
        url = self.url("pay")
        order = {"shared": 0, "individual": 1, "management": 2}
        ordered_tracks = sorted(framework.spec.tracks, key=lambda t: order.get(t.kind, 3))
        zones = [{"name": zone.name, "how": describe_zone(zone, self.currency),
                  "description": markdown_inline_html(zone.description),
                  "rows": self.pay_rows(ordered_tracks, zone.id)}
                 for zone in framework.zones.values()]
        matter = front_matter(
            f"Pay · {framework.spec.name}",
            f"{framework.spec.name}: salary bands per track and {framework.tier_label.lower()}.",
            url, self.options)
        return self.page(page_file(url), "pages/pay.md.j2", matter,
                     self.root / SALARY_FILE,
                     framework=self.framework_context(url),
                     tracks=[{"name": t.name, "kind": t.kind} for t in ordered_tracks],
                     rows=self.pay_rows(ordered_tracks), currency=self.currency or "",
                     zones=zones, tier_label=framework.tier_label,
                     pay_policies=self.policies(framework.policies_about("pay")),
                     chart=render_pay_chart(framework), links=self.section_links(url),
                     fmt=format_number, money=format_money)

    def pay_rows(self, tracks: list[Any], zone_id: str | None = None) -> list[dict[str, Any]]:
        """The rows of a pay table, highest tier first: each track's band at that tier (in
        ``zone_id``, if given), with its steps; tiers without any band are left out."""
        framework = self.framework
        rows = []
        for tier in reversed(framework.spec.tiers):
            cells = []
            for track in tracks:
                band = framework.band_figures(track.id, tier.id, zone_id)
                has_roles = any(tier in framework.tiers_of(r) and r.track == track.id
                                for r in framework.roles.values())
                cells.append({"band": band, "has_roles": has_roles,
                              "steps": format_steps(band.steps) if band else "",
                              "text": format_band(band, self.currency) if band else ""})
            if any(cell["band"] for cell in cells):
                rows.append({"tier": tier.name, "cells": cells})
        return rows

    def changes_page(self, previous: Framework) -> GeneratedFile:
        """What changed since the previously published version (public data only)."""
        url = self.url("changes")
        changes = diff_frameworks([previous], [self.framework])
        matter = front_matter(
            f"What changed · {self.framework.spec.name}",
            f"{self.framework.spec.name}: changes since version {self.options.previous_version}.",
            url, self.options)
        return self.page(page_file(url), "pages/changes.md.j2", matter,
                     self.root / FRAMEWORK_FILE,
                     framework=self.framework_context(url), changes=changes,
                     summary=summarize(changes),
                     previous_version=self.options.previous_version or previous.spec.version,
                     previous_framework_version=previous.spec.version,
                     links=self.section_links(url))

    def policies_page(self) -> GeneratedFile:
        """Every policy; grouped by what it applies to when any is about something else
        than every promotion (version 1's only kind)."""
        framework = self.framework
        url = self.url("policies")
        policies = self.policies()
        grouped = any(policy["applies_to"] != "promotion" or policy["scope"]
                      for policy in policies)
        groups = [{"id": kind, "title": APPLIES_TO_TITLES[kind],
                   "policies": [policy for policy in policies if policy["applies_to"] == kind]}
                  for kind in APPLIES_TO]
        matter = front_matter(
            f"Policies · {framework.spec.name}",
            f"{framework.spec.name}: the rules of promotions, moves, staying in a role and pay."
            if grouped else f"{framework.spec.name}: the rules that apply to every promotion.",
            url, self.options)
        return self.page(page_file(url), "pages/policies.md.j2", matter,
                     self.root / FRAMEWORK_FILE,
                     framework=self.framework_context(url), policies=policies,
                     grouped=grouped, groups=[group for group in groups if group["policies"]],
                     links=self.section_links(url))


def _category_heading(group: CategoryGroup) -> dict[str, Any]:
    """The heading of a group of competencies: its name, an anchor and its description
    (all empty for the competencies without a category)."""
    return {"category": group.name or "",
            "category_id": f"category-{slug_like(group.name)}" if group.name else "",
            "category_description": markdown_inline_html(group.description)}


def _plain_summary(role: Role, track: str, tier: str, framework: str) -> str:
    summary = plain_text(role.summary)
    return f"{role.title} ({track}, {tier}) in the {framework}. {summary}".strip()


NEW_IN_1_1_DEFAULTS: dict[str, dict[str, Any]] = {
    "framework": {"scale": [], "categories": []},
    "policy": {"applies_to": "promotion", "tracks": [], "tiers": [], "roles": []},
    "salary": {"zones": []},
    "role": {"requirements": []},
}
"""Fields format 1.1 added, with the value that means "not used": left out of
``framework.json`` at that value, so that a version-1 framework's document stays exactly the
version-1 document."""


def framework_json(framework: Framework) -> str:
    """The public model of a framework as JSON: ``/<framework>/framework.json``.

    Version 1's document, plus every 1.1 field the framework uses (scale, categories,
    tier_label, advancement, statements, develop, requirements, tier_max, policy scope,
    steps, zones...): with ``extends`` it holds the shared folder's entries merged in. A
    role's ``competencies`` are level numbers as in version 1; its own statements and
    examples are under ``expectations``, and ``advancement`` is the one that applies to it
    (its own, else the framework's).
    """
    public = public_view(framework)
    spec = _unused_dropped(public.spec.model_dump(mode="json", exclude_none=True,
                                                  exclude={"notes"}), "framework")
    spec["policies"] = [_unused_dropped(policy, "policy") for policy in spec["policies"]]
    salary = _unused_dropped(public.salary.model_dump(mode="json", exclude_none=True),
                             "salary") if public.salary else None
    document = {
        "format": 1,
        "id": public.id,
        "framework": spec,
        "competencies": [c.model_dump(mode="json", exclude_none=True)
                         for c in public.competencies],
        "salary": salary,
        "roles": {role_id: _role_document(public, role)
                  for role_id, role in public.roles.items()},
    }
    return json.dumps(_drop_notes(document), indent=2, ensure_ascii=False) + "\n"


def _unused_dropped(data: dict[str, Any], kind: str) -> dict[str, Any]:
    unused = NEW_IN_1_1_DEFAULTS[kind]
    return {key: value for key, value in data.items()
            if not (key in unused and value == unused[key])}


def _role_document(framework: Framework, role: Role) -> dict[str, Any]:
    data = _unused_dropped(role.model_dump(mode="json", exclude_none=True,
                                           exclude={"competencies_as_written"}), "role")
    own = {competency_id: written.model_dump(mode="json", exclude_none=True,
                                             exclude={"level", "notes"})
           for competency_id, written in role.competencies_as_written.items()
           if written.statements or written.examples}
    if own:
        data["expectations"] = own
    advancement = framework.advancement_of(role)
    if advancement is not None:
        data["advancement"] = advancement
    return data


def _drop_notes(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _drop_notes(item) for key, item in value.items() if key != "notes"}
    if isinstance(value, list):
        return [_drop_notes(item) for item in value]
    return value
