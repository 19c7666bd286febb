"""Printed maps and the career map of a format 1.1 framework (tests/fixtures/v1_1).

Two real A4 PDFs of the nursing framework are rendered once for the module and read back
with pdftotext; the career map is laid out and its SVG read as XML.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.career_map import BOX_WIDTH, render_career_map
from generator.model import Framework
from generator.pdf_maps import MapOptions, build_maps
from generator.validation import load_valid_frameworks
from tests.test_pdf_maps import comparable, page_count, pdf_text

V1_1 = Path(__file__).resolve().parent / "fixtures" / "v1_1"
SVG = "{http://www.w3.org/2000/svg}"


def load(folder: Path) -> dict[str, Framework]:
    frameworks, _ = load_valid_frameworks(folder)
    return {framework.id: framework for framework in frameworks}


@pytest.fixture(scope="module")
def nursing() -> Framework:
    return load(V1_1)["nursing"]


@pytest.fixture(scope="module")
def maps(nursing: Framework, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The text of the staff nurse's and the specialist nurse's A4 maps (one page each)."""
    out = tmp_path_factory.mktemp("maps-1-1")
    texts = {}
    for role_id in ("staff-nurse", "specialist-nurse"):
        report = build_maps([nursing], out, MapOptions(cache_dir=None), role_id=role_id)
        pdf = report.files[("nursing", role_id)]
        assert page_count(pdf) == 1, role_id
        texts[role_id] = pdf_text(pdf)
    return texts


def missing(text: str, phrases: list[str]) -> list[str]:
    return [phrase for phrase in phrases if comparable(phrase) not in comparable(text)]


def test_the_staff_nurse_map_prints_every_1_1_field_it_has(maps: dict[str, str]) -> None:
    text = maps["staff-nurse"]
    assert not missing(text, [
        # level names and what each competency expects now (the role's own statement)
        "Working knowledge, 2 of 5", "▲ Advanced, 4", "▲ Practitioner, 3",
        "Assesses and records the observations of up to eight patients per shift.",
        "Makes safeguarding referrals without help.",
        # categories, in the order of framework.yaml
        "Core", "Clinical",
        # how to grow into each next role: new statements and develop
        "New: Assesses patients across the specialty and advises ward teams.",
        "Develop: Take the level 3 safeguarding course.",
        "Develop: Complete the advanced clinical practice module.",
        # hiring, advancement next to the criteria (own, and of each next role)
        "To be hired into this role", "Registered nurse with the national regulator.",
        "Automatic: people move up as soon as they meet these criteria",
        "By review: a promotion case is put to a panel or calibration.",
        "By vacancy: people apply when a position is open.",
        # tiers by name, a range for a role graded across two
        "Band 5", "Band 6 to Band 7",
        # pay without a midpoint, its steps, zones, the pay step at the minimum, pay policy
        "GBP 29,970 – 36,483", "Pay points: 29,970 · 32,324 · 34,581 · 36,483",
        "Inner London: GBP 36,000 – 43,000", "Lower-cost locations: GBP 25,474 – 31,011",
        "+GBP 7,368 at the minimum (+25%)",
        "Moving through a band: People move up one pay step each year",
        # staying and leaving policies where they belong
        "How to stay here", "Keep your registration: Keep your registration with the regulator",
        "Moving out of this track or framework",
        "Two years on a ward before moving to a role outside nursing.",
    ])
    assert comparable(text).index(comparable("How to stay here")) < comparable(text).index(
        comparable("Keep your registration"))
    for absent in ("midpoint", "support plan", "earlier stage", "Tier"):
        assert absent.casefold() not in text.casefold(), absent
    assert not re.search(r"\b\d+ of 4: Band", text)   # no "Tier N of M: Band 5"
    # a general policy and a promotion policy for another role stay off this map
    assert "reviewed every spring" not in text and "interview panel" not in text


def test_a_role_across_two_bands_prints_its_range_and_the_pay_over_both(
        maps: dict[str, str]) -> None:
    text = maps["specialist-nurse"]
    assert not missing(text, [
        "Band 6 to Band 7", "GBP 37,338 – 52,809", "Advanced, 4 of 5",
        "A post-registration qualification in the specialty.",
        "Time on the professional register: at least 24 months",
        "At least 18 months in the previous role",
        "By review: a promotion case is put to a panel or calibration.",
        "Assesses patients across the specialty and advises ward teams.",
        "top of its track",
    ])
    assert "midpoint" not in text   # band 7 has one, but a range over two bands has none
    assert "support plan" not in text and "No standards of its own" not in text


# --- the career map ---------------------------------------------------------------------------


def svg_of(framework: Framework) -> ET.Element:
    return ET.fromstring(render_career_map(framework))


def box(svg: ET.Element, role_id: str) -> tuple[float, float, float, float]:
    group = svg.find(f".//{SVG}g[@data-role='{role_id}']")
    assert group is not None, role_id
    rect = group.find(f"{SVG}rect[@class='cm-box']")
    assert rect is not None
    x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
    return x, y, x + float(rect.get("width", 0)), y + float(rect.get("height", 0))


def rect_of(svg: ET.Element, selector: str) -> tuple[float, float, float, float]:
    rect = svg.find(f".//{SVG}rect[{selector}]")
    assert rect is not None, selector
    x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
    return x, y, x + float(rect.get("width", 0)), y + float(rect.get("height", 0))


def path_ends(d: str) -> tuple[tuple[float, float], tuple[float, float]]:
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return (numbers[0], numbers[1]), (numbers[-2], numbers[-1])


def test_the_career_map_draws_the_fork_a_tier_range_and_the_tier_word(
        nursing: Framework) -> None:
    svg = svg_of(nursing)
    headers = {rect.get("data-track"): rect for rect in svg.iter(f"{SVG}rect")
               if rect.get("class", "").startswith("cm-track-header")}
    assert sorted(headers) == ["leadership", "specialist"]   # no column of its own
    specialist = rect_of(svg, "@data-track='specialist'")
    leadership = rect_of(svg, "@data-track='leadership'")
    staff = box(svg, "staff-nurse")
    assert staff[2] - staff[0] > 2 * BOX_WIDTH
    assert staff[0] <= specialist[0] and staff[2] >= leadership[2]   # across both tracks
    strip = svg.find(f".//{SVG}g[@data-track='foundation']")
    assert strip is not None and "Registered practice" in "".join(strip.itertext())

    fan = {edge.get("data-target"): path_ends(edge.get("d", ""))
           for edge in svg.iter(f"{SVG}path") if edge.get("data-source") == "staff-nurse"}
    assert sorted(fan) == ["deputy-ward-manager", "specialist-nurse"]
    (start_a, end_a), (start_b, end_b) = fan["specialist-nurse"], fan["deputy-ward-manager"]
    assert start_a[1] == start_b[1] == staff[1] and start_a[0] != start_b[0]
    assert specialist[0] <= end_a[0] <= specialist[2] and leadership[0] <= end_b[0] <= \
        leadership[2]

    band_6 = rect_of(svg, "@data-tier='band-6'")
    band_7 = rect_of(svg, "@data-tier='band-7'")
    ranged = box(svg, "specialist-nurse")
    assert band_7[1] < ranged[1] < band_7[3] and band_6[1] < ranged[3] < band_6[3]
    deputy = box(svg, "deputy-ward-manager")
    assert ranged[3] == deputy[3] and ranged[1] < deputy[1]   # through band 7 down to band 6
    texts = [text.text or "" for text in svg.iter(f"{SVG}text")]
    assert "Band 6 to Band 7" in texts and "Bands" in texts
    assert not any(edge.get("class", "").count("cm-automatic")
                   for edge in svg.iter(f"{SVG}path"))   # nothing promotes into staff nurse
    assert "Automatic promotion" not in " ".join(texts)


def test_promotions_into_automatic_roles_get_their_own_arrowhead_and_legend(
        tmp_path: Path) -> None:
    frameworks = Path(shutil.copytree(V1_1, tmp_path / "frameworks"))
    role = frameworks / "nursing" / "roles" / "specialist-nurse.yaml"
    role.write_text(role.read_text("utf-8") + "advancement: automatic\n", "utf-8")
    svg = svg_of(load(frameworks)["nursing"])
    edges = {edge.get("data-target"): edge for edge in svg.iter(f"{SVG}path")
             if edge.get("data-source") == "staff-nurse"}
    automatic, other = edges["specialist-nurse"], edges["deputy-ward-manager"]
    assert "cm-automatic" in automatic.get("class", "")
    assert "cm-automatic" not in other.get("class", "")
    assert automatic.get("marker-end") != other.get("marker-end")   # a shape, not a colour
    assert automatic.get("stroke") == other.get("stroke")
    marker_id = automatic.get("marker-end", "")[5:-1]
    marker = svg.find(f".//{SVG}marker[@id='{marker_id}']/{SVG}path")
    assert marker is not None and marker.get("d", "").count("Z") == 2   # a double head
    legend = svg.find(f".//{SVG}g[@class='cm-legend']")
    assert legend is not None
    assert "Automatic promotion (once the criteria are met)" in "".join(legend.itertext())
    assert legend.find(f"{SVG}path[@class='cm-legend-automatic']") is not None
