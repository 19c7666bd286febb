"""Wording of the generated pages that readers asked about."""

from __future__ import annotations

import re

from tests.site_fixtures import SiteReader


def test_track_steps_compare_with_the_role_people_are_promoted_from(site: SiteReader) -> None:
    page = site.text("contact-centre/tracks/specialist/")
    sources = re.findall(r"What this step adds over ([^:<]+)", page)
    # Specialists at one tier are promoted from CSR I, not from each other.
    assert sources[:4] == ["Customer Service Representative I"] * 4


def test_a_competency_new_at_the_next_step_reads_as_new(site: SiteReader) -> None:
    page = site.text("contact-centre/roles/csr-2/")
    assert "new, at level <strong>1</strong>" in page
    assert "level – →" not in page
