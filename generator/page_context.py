"""What every generated page of a framework shares: options, output files, front matter,
and the framework section's addresses and common context.

:class:`FrameworkSection` is the base of the page renderers of
:mod:`generator.site_render` (overview, tracks, roles, ...) and of the tool pages of
:mod:`generator.tool_pages` (compare, assess, downloads); it works on the public view of
one framework.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.describe import (
    describe_criterion,
    format_band,
    level_name_text,
    policy_scope_text,
    policy_title,
    tier_span_text,
)
from generator.markdown_fields import markdown_to_html
from generator.model import AppliesTo, Expectation, Framework, Policy, Role
from generator.templating import render_template
from generator.urls import (
    absolute_url,
    file_url,
    framework_url,
    relative_url,
    role_url,
    section_url,
    track_url,
)

NavItem = str | dict[str, Any]


@dataclass(frozen=True)
class RenderOptions:
    """Settings of one render."""

    site_url: str = ""
    """Absolute base URL of the published site (for canonical links and JSON-LD)."""
    nav_role_limit: int = 400
    """Frameworks with more roles list only tracks in the navigation, not every role."""
    role_map_limit: int = 60
    """Frameworks with more roles draw only a role's neighbourhood on its page, not every role."""
    overview_map_limit: int = 400
    """Frameworks with more roles link to their career map from the overview, not inline it."""
    maps: bool = False
    """Whether printable PDF maps are built (role pages then link to them)."""
    previous: tuple[Framework, ...] = ()
    """The frameworks of the previously published version, for the "What changed" pages."""
    previous_version: str = ""
    source_commit: str = ""
    """The git commit the site is built from, recorded in ``build-info.json``."""
    edit_url_base: str = ""
    """``repo_url`` + ``edit_uri``: generated pages link "edit" to their YAML below it."""
    project_dir: Path | None = None
    """The repository folder that ``edit_url_base`` points at."""

    def edit_url(self, source: Path | None) -> str:
        """The "edit this page" address of a source file inside the project ("" if none)."""
        if not (self.edit_url_base and self.project_dir and source):
            return ""
        try:
            relative = source.resolve().relative_to(self.project_dir.resolve())
        except ValueError:
            return ""
        return self.edit_url_base.rstrip("/") + "/" + relative.as_posix()


@dataclass(frozen=True)
class GeneratedFile:
    """One output file: its path inside the docs folder and its content."""

    path: str
    content: str | bytes
    source: Path | None = None
    """The YAML file the page comes from (for 'edit this page')."""


_FRONT_MATTER_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's safe dumper when there is one: the same YAML, five times faster."""


def markdown_page(path: str, template: str, front_matter: dict[str, Any],
                  source: Path | None = None, **context: Any) -> GeneratedFile:
    """A Markdown page: ``front_matter`` as YAML, then ``template`` rendered with ``context``."""
    body = render_template(template, **context)
    head = yaml.dump(front_matter, Dumper=_FRONT_MATTER_DUMPER, sort_keys=False,
                     allow_unicode=True, width=1000)
    return GeneratedFile(path, f"---\n{head}---\n\n{body}", source)


def front_matter(title: str, description: str, url: str, options: RenderOptions,
                 **extra: Any) -> dict[str, Any]:
    """Front matter of a page. Text is HTML-escaped: themes print it without escaping."""
    canonical = absolute_url(options.site_url, url)
    matter: dict[str, Any] = {
        "title": html.escape(title),
        "description": html.escape(description),
    }
    if canonical:
        matter["canonical_url"] = html.escape(canonical)
    matter.update(extra)
    return matter


def nav_title(text: str) -> str:
    """A navigation section title, HTML-escaped: themes print nav titles without escaping."""
    return html.escape(" ".join(text.split()))


class FrameworkSection:
    """The addresses and shared context of the pages of one (public) framework."""

    def __init__(self, framework: Framework, options: RenderOptions,
                 previous: Framework | None = None, *, jobs: int = 1) -> None:
        self.framework = framework
        self.jobs = jobs
        """How many processes may render this framework's pages (see :mod:`generator.forking`)."""
        self.previous = previous
        self.root = framework.root
        self.options = options
        self.fid = framework.id
        self.currency = framework.spec.currency

    # --- addresses -----------------------------------------------------------------------

    def url(self, kind: str, item: str = "") -> str:
        """URL (from the site root) of a page of this framework: ``overview``, ``roles`` or
        ``tracks`` with an id, ``asset`` with a file name, or one of the section pages."""
        if kind == "overview":
            return framework_url(self.fid)
        if kind == "roles":
            return role_url(self.fid, item)
        if kind == "tracks":
            return track_url(self.fid, item)
        if kind == "asset":
            return file_url(self.fid, item)
        return section_url(self.fid, kind)

    def link(self, from_url: str, kind: str, item: str = "") -> str:
        """A relative link from the page at ``from_url`` to a page of this framework."""
        return relative_url(from_url, self.url(kind, item))

    def page(self, path: str, template: str, matter: dict[str, Any], source: Path,
             **context: Any) -> GeneratedFile:
        """A page of this framework whose "edit" link (``edit_url``) opens its YAML source.

        The link lives in the front matter, not in a plugin hook, so Zensical shows it too.
        """
        edit_url = self.options.edit_url(source)
        if edit_url:
            matter["edit_url"] = edit_url
        return markdown_page(path, template, matter, source, **context)

    # --- context every page shares ---------------------------------------------------------

    def framework_context(self, url: str) -> dict[str, Any]:
        """The framework's name, version and description, and the link to its overview."""
        spec = self.framework.spec
        return {
            "id": self.fid,
            "name": spec.name,
            "organisation": spec.organisation,
            "version": spec.version,
            "effective": spec.effective.isoformat() if spec.effective else "",
            "description": markdown_to_html(spec.description),
            "overview_link": self.link(url, "overview"),
            "pay_public": self.framework.pay_is_public,
            "tier_label": self.framework.tier_label,
            "tier_label_plural": self.framework.tier_label_plural,
        }

    def section_links(self, url: str) -> dict[str, str]:
        """Links from the page at ``url`` to the framework's own pages."""
        links = {
            "overview": self.link(url, "overview"),
            "competencies": self.link(url, "competencies"),
            "policies": self.link(url, "policies"),
            "json": relative_url(url, self.url("asset", "framework.json")),
            "compare": self.link(url, "compare"),
            "assess": self.link(url, "assess"),
        }
        if self.framework.pay_is_public:
            links["pay"] = self.link(url, "pay")
        return links

    def role_ref(self, from_url: str, role: Role) -> dict[str, Any]:
        """A role as pages list it: title, link, tier (or range of tiers), track and pay."""
        framework = self.framework
        pay = framework.pay_range(role)
        return {
            "id": role.id,
            "title": role.title,
            "link": self.link(from_url, "roles", role.id),
            "tier": tier_span_text(framework, role),
            "track": framework.tracks[role.track].name,
            "entry": role.entry,
            "band": format_band(pay, self.currency) if pay else "",
        }

    def criteria(self, role: Role, list_name: str) -> list[str]:
        """The role's ``criteria`` or ``maintain`` list, each as a sentence."""
        return [describe_criterion(self.framework, c) for c in getattr(role, list_name)]

    def policies(self, policies: list[Policy] | None = None) -> list[dict[str, Any]]:
        """The policies (every policy of the framework by default) with their criteria as
        sentences, what they apply to and which roles they cover."""
        return [self.policy(policy) for policy in (
            self.framework.spec.policies if policies is None else policies)]

    def policy(self, policy: Policy) -> dict[str, Any]:
        """One policy as pages and the tools data show it."""
        scoped = bool(policy.tracks or policy.tiers or policy.roles)
        return {"id": policy.id, "title": policy_title(policy), "text": policy.text,
                "criteria": [describe_criterion(self.framework, c) for c in policy.criteria],
                "applies_to": policy.applies_to,
                "scope": policy_scope_text(self.framework, policy) if scoped else ""}

    def role_policies(self, role: Role, applies_to: AppliesTo) -> list[dict[str, Any]]:
        """The policies about ``applies_to`` that cover ``role``."""
        return self.policies(self.framework.policies_for(role, applies_to))

    def expectation(self, expectation: Expectation) -> dict[str, Any]:
        """What a role expects of a competency, as pages show it: the level (with its scale
        name), its text, the statements (the role's own, else the level's), examples and
        the ways to grow into it."""
        level = expectation.level
        return {
            "level": level.number, "top": level.of, "level_name": level.name or "",
            "label": level_name_text(level),
            "behaviour": level.text,
            "statements": list(expectation.statements),
            "role_specific": expectation.role_specific,
            "examples": list(expectation.examples),
            "develop": list(expectation.develop),
        }
