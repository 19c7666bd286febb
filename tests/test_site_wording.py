"""Wording of the generated pages that readers asked about."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.site_fixtures import PREVIOUS_VERSION, SiteReader


def test_track_steps_compare_with_the_role_people_are_promoted_from(site: SiteReader) -> None:
    page = site.text("contact-centre/tracks/specialist/")
    sources = re.findall(r"What this step adds over ([^:<]+)", page)
    # Specialists at one tier are promoted from CSR I, not from each other.
    assert sources[:4] == ["Customer Service Representative I"] * 4


def test_a_competency_new_at_the_next_step_reads_as_new(site: SiteReader) -> None:
    page = site.text("contact-centre/roles/csr-2/")
    assert "new, at level <strong>1</strong>" in page
    assert "level – →" not in page


def test_a_tier_is_shown_by_its_name_never_as_tier_n_name(site: SiteReader) -> None:
    meta = site.article("engineering/roles/senior-engineer/").select_one(".cp-meta").text
    assert "Level 3" in meta and "Tier" not in meta
    for url in ("contact-centre/roles/csr-2/", "engineering/roles/staff-engineer/"):
        assert not re.search(r"Tier \d+:", site.article(url).text), url


def test_the_home_page_lists_tracks_whose_names_hold_commas_without_mixing_them_up(
        site: SiteReader) -> None:
    card = next(card for card in site.article("").select("a.cp-card")
                if "Contact Centre" in card.text)
    assert ("4 tracks: Customer Service · Call-type Specialists · Quality, Training and "
            "Planning · Leadership") in card.text


def test_where_people_start_lists_entry_roles_lowest_tier_first(
        site: SiteReader, example_frameworks: dict) -> None:
    framework = example_frameworks["contact-centre"]
    titles = [a.text for a in site.article("contact-centre/").select(".cp-role-list li a")]
    ranks = [framework.tier_rank[role.tier] for title in titles
             for role in framework.roles.values() if role.title == title]
    assert len(titles) > 2 and ranks == sorted(ranks)
    assert titles[0] == "Customer Service Representative Trainee"


def test_the_greyed_figures_note_shows_only_where_figures_are_greyed(site: SiteReader) -> None:
    for fid in ("contact-centre", "engineering"):
        article = site.article(f"{fid}/pay/")
        greyed = article.select("td.cp-no-role")
        assert ("Greyed figures" in article.text) == bool(greyed), fid
    assert site.article("contact-centre/pay/").select("td.cp-no-role")


def test_search_titles_of_framework_pages_name_the_framework(site: SiteReader) -> None:
    index = json.loads(site.text("search/search_index.json"))
    titles = {doc["location"]: doc["title"] for doc in index["docs"]}
    assert titles["contact-centre/pay/"] == "Pay · Contact Centre Career Framework"
    assert titles["engineering/competencies/"] == "Competencies · Engineering Career Framework"
    assert titles["contact-centre/competencies/#de-escalation"] == "Complaints and de-escalation"


def test_what_changed_never_compares_a_version_with_itself(released_site: Path) -> None:
    released = SiteReader(released_site)
    changed = released.article("contact-centre/changes/").select_one(".cp-meta").text
    assert changed == f"Version 2026.1 compared with version {PREVIOUS_VERSION}"
    unchanged = released.article("engineering/changes/")
    assert unchanged.select_one(".cp-meta").text == (
        "Version 2026.1, the same as in the previous release")
    assert f"Nothing that readers see changed since version {PREVIOUS_VERSION}." in unchanged.text


def test_role_addresses_list_every_address_under_roles(
        site: SiteReader, example_frameworks: dict) -> None:
    published = {f["id"]: f for f in json.loads(site.text("role-addresses.json"))["frameworks"]}
    assert set(published) == set(example_frameworks)
    for fid, framework in example_frameworks.items():
        entry = published[fid]
        assert entry["name"] == framework.spec.name
        assert dict(entry["roles"]) == {r.id: r.title for r in framework.roles.values()}
        assert entry["aliases"] == framework.alias_targets
        assert set(entry["retired"]) == {retired.id for retired in framework.spec.retired}
        for role_id in [*dict(entry["roles"]), *entry["aliases"], *entry["retired"]]:
            assert site.exists(f"{fid}/roles/{role_id}/"), role_id
