"""The HTML of every page type of the example site, built once with the real MkDocs."""

from __future__ import annotations

import json
import re

import pytest

from generator.describe import describe_criterion, format_band, pay_step, policy_title
from generator.model import Framework
from tests.html_tree import Node
from tests.site_fixtures import EXAMPLE_FRAMEWORKS, SiteReader, plain_text

pytestmark = pytest.mark.parametrize("fid", EXAMPLE_FRAMEWORKS)


def section(article: Node, heading_id: str) -> list[Node]:
    """The elements between the ``h2`` with ``heading_id`` and the next ``h2``."""
    nodes: list[Node] = []
    inside = False
    for child in article.children:
        if not isinstance(child, Node):
            continue
        if child.tag == "h2":
            if inside:
                break
            inside = child.get("id") == heading_id
        elif inside:
            nodes.append(child)
    assert inside or nodes, f"no section #{heading_id}"
    return nodes


def section_text(article: Node, heading_id: str) -> str:
    return " ".join(node.text for node in section(article, heading_id))


def links_in(nodes: list[Node], page_url: str) -> set[str]:
    return {SiteReader.resolve(page_url, a.get("href"))
            for node in nodes for a in [node, *node.descendants()]
            if a.tag == "a" and a.get("href")}


def role_url(fid: str, role_id: str) -> str:
    return f"{fid}/roles/{role_id}/"


def head(site: SiteReader, url: str) -> dict[str, str]:
    """The page's meta tags (``name`` or ``property`` -> content), canonical link and title."""
    page = site.page(url)
    tags = {meta.get("name") or meta.get("property"): meta.get("content")
            for meta in page.select("head meta") if meta.get("content")}
    tags["title"] = page.select_one("head title").text
    canonical = page.select("head link[rel=canonical]")
    tags["canonical"] = canonical[0].get("href") if canonical else ""
    return tags


def jsonld(site: SiteReader, url: str) -> list[dict]:
    scripts = site.page(url).select("script[type=application/ld+json]")
    return [json.loads(script.text) for script in scripts]


# --- home and overview ------------------------------------------------------------------------


def test_home_page_links_each_framework_with_its_name(site: SiteReader, fid: str,
                                                      example_frameworks: dict[str, Framework]):
    cards = site.article("").select("a.cp-card")
    card = next(c for c in cards if SiteReader.resolve("", c.get("href")) == f"{fid}/")
    assert example_frameworks[fid].spec.name in card.text
    assert f"{len(example_frameworks[fid].roles)} roles" in card.text


def test_overview_embeds_the_career_map_with_a_link_to_every_role(
        site: SiteReader, fid: str, example_frameworks: dict[str, Framework]):
    article = site.article(f"{fid}/")
    svg = article.select_one("figure svg")
    assert svg.select_one("title").text, "the map has no <title>"
    assert svg.get("aria-labelledby") or svg.get("aria-label")
    links = {SiteReader.resolve(f"{fid}/", a.get("href")): a for a in svg.select("a")}
    for role in example_frameworks[fid].roles.values():
        link = links.get(role_url(fid, role.id))
        assert link is not None, f"the map has no box for {role.id}"
        assert role.title in link.get("aria-label"), f"{role.id}'s box has no accessible name"
        assert site.exists(role_url(fid, role.id))


def test_overview_lists_entry_roles_and_every_track(site: SiteReader, fid: str,
                                                    example_frameworks: dict[str, Framework]):
    framework = example_frameworks[fid]
    article = site.article(f"{fid}/")
    assert article.select_one("h1").text == framework.spec.name
    entry_links = links_in(section(article, "where-people-start"), f"{fid}/")
    assert entry_links == {role_url(fid, r.id) for r in framework.roles.values() if r.entry}
    track_links = links_in(section(article, "tracks"), f"{fid}/")
    for track in framework.spec.tracks:
        assert f"{fid}/tracks/{track.id}/" in track_links


def test_track_page_lists_its_roles_lowest_tier_first(site: SiteReader, fid: str,
                                                      example_frameworks: dict[str, Framework]):
    framework = example_frameworks[fid]
    for track in framework.spec.tracks:
        url = f"{fid}/tracks/{track.id}/"
        article = site.article(url)
        assert article.select_one("h1").text == f"{track.name} track"
        shown = [SiteReader.resolve(url, step.select_one("h3 a").get("href"))
                 for step in article.select("section.cp-track-step")]
        expected = [role_url(fid, role.id) for role in framework.roles_on_track(track.id)]
        assert shown == expected
        ranks = [framework.tier_rank[role.tier] for role in framework.roles_on_track(track.id)]
        assert ranks == sorted(ranks)


# --- role pages -------------------------------------------------------------------------------


def test_role_page_shows_title_track_tier_summary_and_responsibilities(
        site: SiteReader, fid: str, example_frameworks: dict[str, Framework]):
    framework = example_frameworks[fid]
    for role in framework.roles.values():
        article = site.article(role_url(fid, role.id))
        assert article.select_one("h1").text == role.title
        meta = article.select_one(".cp-page-head .cp-meta").text
        assert framework.tracks[role.track].name in meta, role.id
        assert framework.tiers[role.tier].name in meta, role.id
        assert plain_text(role.summary) in article.select_one(".cp-summary").text, role.id
        items = [li.text for li in article.select("ul.cp-responsibilities li")]
        assert items == [plain_text(r) for r in role.responsibilities], role.id


def test_role_page_shows_each_competency_with_its_level_behaviour(
        site: SiteReader, fid: str, example_frameworks: dict[str, Framework]):
    framework = example_frameworks[fid]
    for role in framework.roles.values():
        rows = {row.select_one("th").text: row for row in site.article(
            role_url(fid, role.id)).select(".cp-competencies tbody tr")
            if "cp-category-row" not in row.classes}   # rows grouped under their category
        assert len(rows) == len(role.competencies), role.id
        for expectation in framework.expectations(role):
            level = expectation.level
            row = rows[framework.competency_by_id[expectation.competency].name]
            # "3/4" (version 1), or the scale's name: "Practitioner, 3 of 5"
            shown = f"{level.name}, {level.number} of {level.of}" if level.name \
                else f"{level.number}/{level.of}"
            assert shown in row.text, (role.id, expectation.competency)
            for text in (level.text, *expectation.statements):
                assert " ".join(text.split()) in row.text, (role.id, expectation.competency)


def test_role_page_says_what_changes_at_each_next_step(
        site: SiteReader, fid: str, example_frameworks: dict[str, Framework]):
    framework = example_frameworks[fid]
    checked = 0
    for role in framework.roles.values():
        url = role_url(fid, role.id)
        steps = site.article(url).select("section.cp-next-step")
        assert len(steps) == len(role.next), role.id
        for step, target_id in zip(steps, role.next, strict=True):
            target = framework.roles[target_id]
            assert SiteReader.resolve(url, step.select_one("h3 a").get("href")) == \
                role_url(fid, target_id)
            raised = " ".join(li.text for li in step.select("ul.cp-raised li"))
            for competency_id, level in target.competencies.items():
                name = framework.competency_by_id[competency_id].name
                rises = level > role.competencies.get(competency_id, 0) or bool(
                    framework.new_statements(role, target, competency_id))
                assert (f"{name}:" in raised) == rises, f"{role.id} -> {target_id}: {name}"
            change = pay_step(framework, role, target)
            if change is not None:
                assert change.describe(framework.spec.currency) in \
                    step.select_one(".cp-pay-step").text
            for criterion in target.criteria:
                assert describe_criterion(framework, criterion) in step.text
            checked += 1
    assert checked, "no role of the example has a next step"


def test_role_page_lists_criteria_to_get_here_and_stay_with_the_policies(
        site: SiteReader, fid: str, example_frameworks: dict[str, Framework]):
    framework = example_frameworks[fid]
    for role in framework.roles.values():
        article = site.article(role_url(fid, role.id))
        get_here = section_text(article, "how-to-get-here")
        for criterion in role.criteria:
            assert describe_criterion(framework, criterion) in get_here, role.id
        for policy in framework.policies_for(role, "promotion"):
            assert policy_title(policy) in get_here, f"{role.id}: policy {policy.id}"
            assert " ".join(policy.text.split()) in get_here
        stay = section_text(article, "how-to-stay-here")
        for criterion in role.maintain:
            assert describe_criterion(framework, criterion) in stay, role.id


def test_role_page_links_next_lateral_and_previous_roles(
        site: SiteReader, fid: str, example_frameworks: dict[str, Framework]):
    framework = example_frameworks[fid]
    for role in framework.roles.values():
        url = role_url(fid, role.id)
        moves = site.article(url).select_one(".cp-moves")
        columns = {column.select_one("h3").text: links_in([column], url)
                   for column in moves.children if isinstance(column, Node)}
        assert columns["Promotions"] == {role_url(fid, r) for r in role.next}, role.id
        assert columns["Lateral moves"] == {role_url(fid, r) for r in role.lateral}, role.id
        assert columns["People arrive from"] == \
            {role_url(fid, r) for r in framework.previous_roles[role.id]}, role.id


def test_role_page_shows_its_public_pay_band(site: SiteReader, fid: str,
                                             example_frameworks: dict[str, Framework]):
    framework = example_frameworks[fid]
    assert framework.pay_is_public
    for role in framework.roles.values():
        band = framework.band_for(role)
        assert band is not None, f"example role {role.id} has no band"
        article = site.article(role_url(fid, role.id))
        assert format_band(band, framework.spec.currency) in section_text(article, "pay")


def test_role_page_highlights_the_role_on_its_career_map(site: SiteReader, fid: str,
                                                         example_frameworks: dict[str, Framework]):
    role = next(iter(example_frameworks[fid].roles.values()))
    url = role_url(fid, role.id)
    svg = site.article(url).select_one("figure svg")
    assert svg.select_one("title").text
    assert role_url(fid, role.id) in {SiteReader.resolve(url, a.get("href"))
                                      for a in svg.select("a")}


# --- head metadata ----------------------------------------------------------------------------


def test_role_page_head_has_title_description_open_graph_and_canonical(
        site: SiteReader, fid: str, example_frameworks: dict[str, Framework]):
    framework = example_frameworks[fid]
    for role in framework.roles.values():
        url = role_url(fid, role.id)
        tags = head(site, url)
        assert tags["title"].startswith(role.title + " - "), tags["title"]
        assert role.title in tags["description"]
        assert framework.tracks[role.track].name in tags["description"]
        assert tags["og:title"] == role.title
        assert tags["og:description"] == tags["description"]
        assert tags["og:type"] == "article"
        assert tags["canonical"] == f"https://careers.example.org/{url}"
        assert tags["og:url"] == tags["canonical"]


def test_role_page_json_ld_is_an_occupation_with_its_public_salary(
        site: SiteReader, fid: str, example_frameworks: dict[str, Framework]):
    framework = example_frameworks[fid]
    for role in framework.roles.values():
        documents = jsonld(site, role_url(fid, role.id))
        assert len(documents) == 1, role.id
        occupation = documents[0]
        assert occupation["@context"] == "https://schema.org"
        assert occupation["@type"] == "Occupation"
        assert occupation["name"] == role.title
        assert framework.tracks[role.track].name in occupation["occupationalCategory"]
        assert occupation["skills"] == [framework.competency_by_id[c].name
                                        for c in role.competencies]
        # what someone hired into it must hold: the requirements (format 1.1), else criteria
        assert occupation["qualifications"] == [describe_criterion(framework, c)
                                                for c in role.requirements or role.criteria]
        pay = framework.pay_range(role)
        assert pay is not None
        salary = occupation["estimatedSalary"]
        assert salary["@type"] == "MonetaryAmountDistribution"
        assert salary["currency"] == framework.spec.currency
        assert (salary["minValue"], salary.get("median"), salary["maxValue"]) == \
            (pay.min, pay.mid, pay.max)  # no median where the band has no midpoint


def test_only_role_pages_carry_json_ld(site: SiteReader, fid: str):
    for url in (f"{fid}/", f"{fid}/competencies/", f"{fid}/pay/", f"{fid}/policies/"):
        assert jsonld(site, url) == [], url
        assert head(site, url)["og:title"]


# --- competencies, pay, policies --------------------------------------------------------------


def test_competency_matrix_cells_link_to_the_level_text(
        site: SiteReader, fid: str, example_frameworks: dict[str, Framework]):
    framework = example_frameworks[fid]
    url = f"{fid}/competencies/"
    article = site.article(url)
    levels = {li.get("id"): li for li in article.select("ol.cp-levels li[id]")}
    for competency in framework.competencies:
        for level in framework.levels_of(competency.id):  # the scale's text where it has none
            item = levels[f"{competency.id}-{level.number}"]
            assert " ".join(level.text.split()) in item.text
    matrices = article.select(".cp-matrix table")
    tracks_with_roles = [t for t in framework.spec.tracks if framework.roles_on_track(t.id)]
    assert len(matrices) == len(tracks_with_roles)
    for track, table in zip(tracks_with_roles, matrices, strict=True):
        roles = framework.roles_on_track(track.id)
        header = [SiteReader.resolve(url, a.get("href")) for a in table.select("thead a")]
        assert header == [role_url(fid, role.id) for role in roles]
        rows = {row.select_one("th a").get("href"): row for row in table.select("tbody tr")}
        expected = [c for c in framework.competencies
                    if any(c.id in role.competencies for role in roles)]
        assert [href for href in rows if href in {f"#{c.id}" for c in expected}] == \
            [f"#{c.id}" for c in expected], "a row for every competency the track uses"
        for competency in expected:
            cells = rows[f"#{competency.id}"].select("td")
            for cell, role in zip(cells, roles, strict=True):
                level = role.competencies.get(competency.id)
                if level is None:
                    assert not cell.select("a"), f"{role.id}/{competency.id}"
                    continue
                badge = cell.select_one("a.cp-level-badge")
                assert badge.text == str(level)
                assert badge.get("href") == f"#{competency.id}-{level}"


def test_pay_page_shows_bands_as_table_and_chart_with_tracks_side_by_side(
        site: SiteReader, fid: str, example_frameworks: dict[str, Framework]):
    framework = example_frameworks[fid]
    article = site.article(f"{fid}/pay/")
    table = article.select_one(".cp-pay-table table")
    headers = [th.text for th in table.select("thead th")][1:]
    kinds = [track.kind for track in framework.spec.tracks
             if any(track.name in header for header in headers)]
    assert "individual" in kinds and "management" in kinds
    order = {"shared": 0, "individual": 1}  # the shared early roles, then the fork
    assert kinds == sorted(kinds, key=lambda kind: order.get(kind, 2)), \
        "shared tracks first, then individual tracks, management next to them"
    rows = {row.select_one("th").text: row for row in table.select("tbody tr")}
    for tier in framework.spec.tiers:
        for index, track in enumerate(t for t in framework.spec.tracks
                                      if t.kind == "individual"):
            band = framework.band_at(track.id, tier.id)
            if band is None or index:
                continue
            assert f"{band.min:,} – {band.max:,}" in rows[tier.name].text
    chart = article.select_one("figure svg")
    assert chart.select_one("title").text.startswith("Salary bands")
    assert chart.get("role") == "img" and chart.get("aria-labelledby")
    assert chart.select("rect.cp-pc-individual") and chart.select("rect.cp-pc-management")


def test_policies_page_states_every_policy_with_its_criteria(
        site: SiteReader, fid: str, example_frameworks: dict[str, Framework]):
    framework = example_frameworks[fid]
    article = site.article(f"{fid}/policies/")
    for policy in framework.spec.policies:
        block = article.select_one(f"section#{policy.id}")
        heading = (block.select("h2") or block.select("h3"))[0]   # h3 when grouped
        assert heading.text.startswith(policy_title(policy))
        assert " ".join(policy.text.split()) in block.text
        for criterion in policy.criteria:
            assert describe_criterion(framework, criterion) in block.text


# --- exports, redirects, retired roles --------------------------------------------------------


def test_framework_json_is_the_public_model(site: SiteReader, fid: str,
                                           example_frameworks: dict[str, Framework]):
    framework = example_frameworks[fid]
    document = json.loads(site.text(f"{fid}/framework.json"))
    assert document["id"] == fid
    assert document["framework"]["name"] == framework.spec.name
    assert set(document["roles"]) == set(framework.roles)
    assert [c["id"] for c in document["competencies"]] == [c.id for c in framework.competencies]
    assert document["salary"]["visibility"] == "public"
    assert '"notes"' not in site.text(f"{fid}/framework.json")


def test_alias_pages_redirect_to_the_role(site: SiteReader, fid: str,
                                          example_frameworks: dict[str, Framework]):
    aliases = [(alias, role) for role in example_frameworks[fid].roles.values()
               for alias in role.aliases]
    assert aliases, "the example has no alias to test"
    for alias, role in aliases:
        url = role_url(fid, alias)
        page = site.page(url)
        refresh = page.select_one("meta[http-equiv=refresh]").get("content")
        delay, target = re.fullmatch(r"(\d+);\s*url=(.+)", refresh).groups()
        assert delay == "0"
        assert SiteReader.resolve(url, target) == role_url(fid, role.id)
        assert role.title in page.select_one("body a").text
        canonical = page.select_one("link[rel=canonical]").get("href")
        assert canonical.startswith("https://") and canonical.endswith(role_url(fid, role.id))
        assert "location.hash" in page.select_one("script").text  # keeps #section links


def test_retired_role_pages_name_the_retired_title(site: SiteReader, fid: str,
                                                   example_frameworks: dict[str, Framework]):
    for retired in example_frameworks[fid].spec.retired:
        assert retired.title, "the examples name every retired role's title"
        page = site.page(role_url(fid, retired.id))
        assert retired.title in page.select_one("title").text
        assert retired.title in page.select_one(".cp-meta").text


def test_retired_role_pages_explain_and_link_to_the_replacement(
        site: SiteReader, fid: str, example_frameworks: dict[str, Framework]):
    framework = example_frameworks[fid]
    assert framework.spec.retired
    for retired in framework.spec.retired:
        url = role_url(fid, retired.id)
        article = site.article(url)
        assert "no longer exists" in article.select_one("h1").text
        assert plain_text(retired.reason) in article.text
        links = links_in([article.select_one(".cp-retired")], url)
        if retired.replaced_by:
            assert role_url(fid, retired.replaced_by) in links
            assert framework.roles[retired.replaced_by].title in article.text
        else:
            assert f"{fid}/" in links


# --- the whole site ---------------------------------------------------------------------------


def test_search_index_holds_role_titles_and_competency_words(
        site: SiteReader, fid: str, example_frameworks: dict[str, Framework]):
    index = json.loads(site.text("search/search_index.json"))
    framework = example_frameworks[fid]
    for role in framework.roles.values():
        url = role_url(fid, role.id)
        docs = {doc["location"]: doc for doc in index["docs"]
                if doc["location"].split("#")[0] == url}
        assert docs[url]["title"] == role.title
        text = " ".join(" ".join(doc["text"].split()) for doc in docs.values())
        for competency_id, level in role.competencies.items():
            competency = framework.competency_by_id[competency_id]
            assert re.search(re.escape(competency.name) + r"(?![\w])", text), \
                f"{role.id}: {competency.name!r} is not a separate word in the index"
            words = framework.level_text(competency_id, level).split()[:4]
            assert " ".join(words) in text, (role.id, competency_id)
        career_map = docs.get(f"{url}#career-map", {"text": ""})["text"]
        others = [r.title for r in framework.roles.values() if r.title not in role.title]
        assert not [title for title in others if title in career_map], \
            "the map's boxes would make every role title match every role page"
    for retired in framework.spec.retired:
        assert all(not doc["location"].startswith(role_url(fid, retired.id))
                   for doc in index["docs"]), "retired pages stay out of search"


def test_search_index_keeps_the_cells_of_the_matrix_apart(
        site: SiteReader, fid: str, example_frameworks: dict[str, Framework]):
    index = json.loads(site.text("search/search_index.json"))
    text = " ".join(doc["text"] for doc in index["docs"]
                    if doc["location"].startswith(f"{fid}/competencies/#"))
    for competency in example_frameworks[fid].competencies:
        if competency.name in text:
            assert not re.search(re.escape(competency.name) + r"[\w–]", text), \
                f"{competency.name!r} is glued to the next cell in the search index"


def test_every_link_and_asset_of_the_framework_resolves(site: SiteReader, fid: str):
    broken = []
    for path in sorted((site.root / fid).rglob("index.html")):
        url = path.relative_to(site.root).parent.as_posix() + "/"
        page = site.page(url)
        for node in page.descendants():
            ref = node.get("href") or node.get("src")
            if not ref or re.match(r"^(https?:|mailto:|#|data:)", ref):
                continue
            target = SiteReader.resolve(url, ref)
            if not (site.exists(target) or site.exists(target + "/" if target else target)):
                broken.append(f"{url}: {ref}")
    assert not broken, "\n".join(broken[:20])


def test_sitemap_lists_role_pages(site: SiteReader, fid: str,
                                  example_frameworks: dict[str, Framework]):
    sitemap = site.text("sitemap.xml")
    for role in example_frameworks[fid].roles.values():
        assert f"https://careers.example.org/{role_url(fid, role.id)}</loc>" in sitemap


def test_generated_pages_show_no_raw_markdown_or_template_syntax(site: SiteReader, fid: str,
                                                                 example_frameworks):
    urls = [f"{fid}/", f"{fid}/competencies/", f"{fid}/pay/", f"{fid}/policies/",
            *(role_url(fid, r) for r in example_frameworks[fid].roles)]
    for url in urls:
        text = site.article(url).text
        for leftover in ("**", "{{", "{%", "]("):
            assert leftover not in text, f"{url}: {leftover!r}"


