"""Printable career maps: real WeasyPrint PDFs read back with poppler (pdftotext, pdfinfo,
pdftoppm).

The example maps are rendered once per session (into the suite's shared map cache) and
reused; tests that count renders use caches of their own.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from PIL import Image

from generator.audience import public_view
from generator.career_map import BOX_WIDTH
from generator.describe import describe_criterion, format_band, pay_step, policy_title
from generator.model import Framework
from generator.pdf_maps import (
    HIGHLIGHT_FILL,
    MapOptions,
    MapReport,
    build_maps,
    choose_map,
    default_cache_dir,
    shorten,
)
from generator.urls import printed_url, role_url
from generator.validation import load_valid_frameworks
from tests.conftest import EXAMPLES, REPO, TINY_FRAMEWORK
from tests.site_fixtures import SiteReader

SITE_URL = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
A4_POINTS = (595.28, 841.89)
LETTER_POINTS = (612.0, 792.0)


# --- poppler helpers ------------------------------------------------------------------------

def poppler(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True,
                          check=True, timeout=60).stdout


def pdf_text(pdf: Path, page: int | None = None) -> str:
    """The PDF's text with whitespace collapsed (line breaks inside a sentence vanish)."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return " ".join(poppler("pdftotext", *pages, pdf, "-").split())


def comparable(text: str) -> str:
    """Text as pdftotext gives it back: headings are in capitals, and a hyphen that ends a
    line is dropped (``customer-`` + ``outcome`` reads ``customeroutcome``)."""
    return " ".join(text.split()).casefold().replace("-", "")


def pdf_info(pdf: Path) -> dict[str, str]:
    lines = poppler("pdfinfo", pdf).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


def page_count(pdf: Path) -> int:
    return int(pdf_info(pdf)["Pages"])


def page_size(pdf: Path) -> tuple[float, float]:
    match = re.match(r"([\d.]+) x ([\d.]+) pts", pdf_info(pdf)["Page size"])
    assert match, pdf_info(pdf)
    return float(match[1]), float(match[2])


@dataclass(frozen=True)
class Word:
    page: int
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    text: str


def pdf_words(pdf: Path) -> list[Word]:
    """Every word with its page and bounding box (pdftotext -bbox)."""
    words: list[Word] = []
    page = 0
    for line in poppler("pdftotext", "-bbox", pdf, "-").splitlines():
        if "<page " in line:
            page += 1
        match = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                          r"(.*)</word>", line)
        if match:
            words.append(Word(page, *(float(match[i]) for i in range(1, 5)), match[5]))
    return words


def rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


# --- fixtures ---------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def examples() -> dict[str, Framework]:
    frameworks, _warnings = load_valid_frameworks(EXAMPLES, REPO)
    return {framework.id: framework for framework in frameworks}


@pytest.fixture(scope="session")
def example_maps(examples: dict[str, Framework],
                 tmp_path_factory: pytest.TempPathFactory) -> MapReport:
    """Every example role's map, A4, with the site's absolute URLs (built once)."""
    out = tmp_path_factory.mktemp("maps")
    options = MapOptions(site_url=SITE_URL, cache_dir=default_cache_dir())
    return build_maps(examples.values(), out, options)


def example_roles() -> list[tuple[str, str]]:
    frameworks, _warnings = load_valid_frameworks(EXAMPLES, REPO)
    return [(f.id, role_id) for f in frameworks for role_id in f.roles]


def write_tiny(folder: Path, changes: dict[str, str] | None = None) -> Path:
    """The tiny framework of conftest in ``folder/demo`` with files replaced; the frameworks dir."""
    for name, text in {**TINY_FRAMEWORK, **(changes or {})}.items():
        path = folder / "demo" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def load(folder: Path) -> list[Framework]:
    frameworks, _warnings = load_valid_frameworks(folder)
    return frameworks


# --- every example role -------------------------------------------------------------------

def test_every_example_role_gets_one_a4_page(example_maps: MapReport) -> None:
    assert sorted(example_maps.files) == sorted(example_roles())
    for ident, pdf in example_maps.files.items():
        assert page_count(pdf) == 1, ident
        assert page_size(pdf) == pytest.approx(A4_POINTS, abs=0.5), ident


@pytest.mark.parametrize(("framework_id", "role_id"), example_roles())
def test_map_prints_the_role_its_criteria_next_steps_and_pay(
        example_maps: MapReport, examples: dict[str, Framework],
        framework_id: str, role_id: str) -> None:
    framework = public_view(examples[framework_id])
    role = framework.roles[role_id]
    text = pdf_text(example_maps.files[(framework_id, role_id)])
    spec = framework.spec
    expected = [
        role.title, framework.tracks[role.track].name, framework.tiers[role.tier].name,
        spec.name, spec.version, f"{spec.effective.day} {spec.effective:%B %Y}",
        printed_url(SITE_URL, role_url(framework_id, role_id)), "Page 1 of 1",
        "To get here", "To stay here", "Next steps", "Notes",
    ]
    expected += [describe_criterion(framework, c) for c in (*role.criteria, *role.maintain)]
    printed = [p for kind in ("promotion", "staying", "leaving", "pay")
               for p in framework.policies_for(role, kind)]
    printed += framework.policies_for(role, "lateral") if role.lateral else []
    expected += [policy_title(policy) for policy in printed]   # the text may be left out
    expected += [describe_criterion(framework, c) for p in printed for c in p.criteria]
    for target_id in role.next:
        target = framework.roles[target_id]
        expected.append(target.title)
        expected += [describe_criterion(framework, c) for c in target.criteria]
        step = pay_step(framework, role, target)
        assert step is not None
        expected.append(step.describe(spec.currency).replace(" at the midpoint", ""))
    expected += [framework.roles[r].title for r in role.lateral]
    pay = framework.pay_range(role)   # over every tier of a role graded across a range
    assert pay is not None and framework.pay_is_public
    expected.append(format_band(pay, spec.currency))
    text = comparable(text)
    missing = [phrase for phrase in expected if comparable(phrase) not in text]
    assert not missing, f"not in the map of {role_id}: {missing}"


def test_rises_in_competency_level_are_marked_for_each_next_role(
        example_maps: MapReport, examples: dict[str, Framework]) -> None:
    framework = examples["contact-centre"]
    role = framework.roles["csr-2"]
    rises = sum(1 for target in role.next for competency, level in
                framework.roles[target].competencies.items()
                if level > role.competencies.get(competency, 0))
    text = pdf_text(example_maps.files[("contact-centre", "csr-2")])
    assert rises > 0
    assert text.count("▲") == rises


def test_the_highlighted_role_box_is_drawn_in_the_highlight_colour(
        example_maps: MapReport, examples: dict[str, Framework], tmp_path: Path) -> None:
    dpi = 100
    for framework_id, role_id in [("contact-centre", "csr-2"), ("engineering", "staff-engineer")]:
        pdf = example_maps.files[(framework_id, role_id)]
        poppler("pdftoppm", "-png", "-r", dpi, "-f", 1, "-l", 1, pdf, tmp_path / role_id)
        image = Image.open(next(tmp_path.glob(f"{role_id}*.png"))).convert("RGB")
        block = solid_block(image, rgb(HIGHLIGHT_FILL))
        assert block is not None, f"no highlighted box on the map of {role_id}"
        layout, placement, _ = choose_map(examples[framework_id], role_id, "a4")
        mm_per_unit = placement.width_mm / layout.width
        expected_px = BOX_WIDTH * mm_per_unit / 25.4 * dpi
        left, top, right, bottom = block
        assert right - left == pytest.approx(expected_px, rel=0.15), (role_id, block)
        header_px = 30 / 25.4 * dpi
        assert top > header_px and bottom < image.height / 2 + header_px, (role_id, block)


def solid_block(image: Image.Image, colour: tuple[int, int, int],
                min_run: int = 25, min_rows: int = 8) -> tuple[int, int, int, int] | None:
    """The box of the tallest stack of rows holding a long run of ``colour``.

    Text, rules and the legend swatch in that colour are too thin or too short to count:
    only a filled box is.
    """
    width, height = image.size
    pixels = image.load()
    assert pixels is not None

    def close(pixel: tuple[int, int, int]) -> bool:
        return all(abs(a - b) <= 24 for a, b in zip(pixel, colour, strict=True))

    runs: dict[int, tuple[int, int]] = {}
    for y in range(height):
        start = best = None
        for x in range(width + 1):
            if x < width and close(pixels[x, y]):
                start = x if start is None else start
            elif start is not None:
                if x - start >= min_run and (best is None or x - start > best[1] - best[0]):
                    best = (start, x)
                start = None
        if best:
            runs[y] = best
    stacks: list[list[int]] = []
    for y in sorted(runs):
        if stacks and stacks[-1][-1] == y - 1:
            stacks[-1].append(y)
        else:
            stacks.append([y])
    tall = [rows for rows in stacks if len(rows) >= min_rows]
    if not tall:
        return None
    rows = max(tall, key=len)
    # Median edges: a line leaving the box in the same colour lengthens a few rows' runs.
    left = statistics.median_low(runs[y][0] for y in rows)
    right = statistics.median_high(runs[y][1] for y in rows)
    return left, rows[0], right, rows[-1] + 1


# --- long text, paper, hostile text ---------------------------------------------------------

LONG_CRITERIA = [
    f"Criterion {n}: sustained evidence over several quarters that the person resolves "
    f"complex customer situations, documents each one in the knowledge base and teaches "
    f"the lessons to colleagues at the monthly calibration session (marker {n:02d})."
    for n in range(1, 25)
]
LONG_ROLE = yaml.safe_dump({
    "title": "Customer Service Representative II",
    "track": "frontline",
    "tier": "t2",
    "summary": "A role whose criteria run far longer than a page.",
    "competencies": {"call-resolution": 2},
    "criteria": [{"text": criterion} for criterion in LONG_CRITERIA],
    "maintain": [{"metric": "fcr", "min": 85}],
    "lateral": ["team-lead"],
}, sort_keys=False, width=1000)


@pytest.fixture(scope="module")
def long_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long")
    frameworks = load(write_tiny(folder / "frameworks", {"roles/csr-2.yaml": LONG_ROLE}))
    report = build_maps(frameworks, folder / "maps", MapOptions(cache_dir=None),
                        role_id="csr-2")
    return report.files[("demo", "csr-2")]


def test_a_role_with_long_text_flows_onto_a_second_page_without_losing_any(
        long_map: Path) -> None:
    assert page_count(long_map) == 2
    text = pdf_text(long_map)
    for criterion in LONG_CRITERIA:
        assert criterion in text


def test_the_second_page_repeats_the_header_and_numbers_the_pages(long_map: Path) -> None:
    for page in (1, 2):
        text = pdf_text(long_map, page)
        assert "Customer Service Representative II" in text
        assert "DEMO FRAMEWORK" in text and "/demo/roles/csr-2/" in text
        assert f"Page {page} of 2" in text


def test_no_criterion_is_cut_across_pages_and_nothing_leaves_the_page(long_map: Path) -> None:
    width, height = page_size(long_map)
    words = pdf_words(long_map)
    for word in words:
        assert word.x_min >= 0 and word.x_max <= width, word
        assert word.y_min >= 0 and word.y_max <= height, word
    for n in range(1, len(LONG_CRITERIA) + 1):
        marker = f"{n:02d})."
        first = next(w for w in words if w.text == f"{n}:" and w.page in (1, 2))
        last = next(w for w in words if w.text == marker)
        assert first.page == last.page, f"criterion {n} is split across pages"


@pytest.mark.parametrize(("framework_id", "role_id", "next_role_id"), [
    ("contact-centre", "csr-2", "team-lead"),
    ("engineering", "senior-engineer", "staff-engineer"),
])
def test_what_the_next_role_takes_is_printed_after_its_name_as_a_checklist(
        example_maps: MapReport, examples: dict[str, Framework],
        framework_id: str, role_id: str, next_role_id: str) -> None:
    framework = public_view(examples[framework_id])
    criteria = [describe_criterion(framework, c)
                for c in framework.roles[next_role_id].criteria]
    text = comparable(pdf_text(example_maps.files[(framework_id, role_id)]))
    takes = text.split(comparable("What it takes"), 1)
    assert len(takes) == 2, "no 'What it takes' block"
    assert comparable(framework.roles[next_role_id].title) in takes[1]
    missing = [c for c in criteria if comparable(c) not in takes[1]]
    assert criteria and not missing, missing


def test_every_example_role_fits_one_letter_page(examples: dict[str, Framework],
                                                  tmp_path: Path) -> None:
    options = MapOptions(paper="letter", cache_dir=default_cache_dir())
    report = build_maps(examples.values(), tmp_path, options)
    for ident, pdf in report.files.items():
        assert page_count(pdf) == 1, ident


def test_letter_paper_gives_letter_pages_that_still_fit_one_page(
        examples: dict[str, Framework], tmp_path: Path) -> None:
    selected = [examples["contact-centre"]]
    report = build_maps(selected, tmp_path, MapOptions(paper="letter", cache_dir=None),
                        role_id="csr-1")
    pdf = report.files[("contact-centre", "csr-1")]
    assert page_size(pdf) == pytest.approx(LETTER_POINTS, abs=0.5)
    assert page_count(pdf) == 1


def test_markup_in_plain_text_is_printed_as_text(tmp_path: Path) -> None:
    title = "<b>Lead</b> {{ 7*7 }} & Co"
    role = TINY_FRAMEWORK["roles/team-lead.yaml"].replace(
        "title: Team Lead", f"title: {json.dumps(title)}")
    frameworks = load(write_tiny(tmp_path / "frameworks", {"roles/team-lead.yaml": role}))
    report = build_maps(frameworks, tmp_path / "maps", MapOptions(cache_dir=None),
                        role_id="team-lead")
    assert title in pdf_text(report.files[("demo", "team-lead")])


def test_a_very_long_title_is_shortened_in_the_header_and_printed_once_below() -> None:
    title = "Senior " * 40 + "Representative"
    assert len(shorten(title)) <= 90 and shorten(title).endswith("…")
    assert shorten("Team Lead") == "Team Lead"


# --- cache ------------------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path: Path, example_maps: MapReport) -> tuple[Path, Path]:
    """A copy of the example frameworks, and a cache holding exactly their maps."""
    frameworks = tmp_path / "frameworks"
    shutil.copytree(EXAMPLES, frameworks)
    cache = tmp_path / "cache"
    cache.mkdir()
    for key in example_maps.keys.values():
        shutil.copy2(default_cache_dir() / f"{key}.pdf", cache)
    return frameworks, cache


def rebuild(frameworks: Path, cache: Path, out: Path) -> MapReport:
    options = MapOptions(site_url=SITE_URL, cache_dir=cache)
    return build_maps(load(frameworks), out, options)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unchanged_frameworks_come_entirely_from_the_cache(
        project: tuple[Path, Path], tmp_path: Path) -> None:
    frameworks, cache = project
    report = rebuild(frameworks, cache, tmp_path / "out")
    assert report.rendered == []
    assert len(report.cached) == len(example_roles())
    assert report.summary().startswith(f"{len(example_roles())} maps: 0 rendered, "
                                       f"{len(example_roles())} from cache")


def test_changing_a_criterion_renders_only_that_roles_map(
        project: tuple[Path, Path], tmp_path: Path) -> None:
    frameworks, cache = project
    role_file = frameworks / "contact-centre" / "roles" / "csr-3.yaml"
    maintain = yaml.safe_load(role_file.read_text(encoding="utf-8"))["maintain"][0]
    edit(role_file, f"min: {maintain['min']}\n", f"min: {maintain['min'] - 1}\n")
    report = rebuild(frameworks, cache, tmp_path / "out")
    changed = yaml.safe_load(role_file.read_text(encoding="utf-8"))["maintain"][0]["min"]
    assert changed == maintain["min"] - 1, "the edit hit the wrong criterion"
    assert report.rendered == [("contact-centre", "csr-3")]


def test_changing_a_competency_level_renders_the_role_and_the_roles_leading_to_it(
        project: tuple[Path, Path], examples: dict[str, Framework], tmp_path: Path) -> None:
    frameworks, cache = project
    role_file = frameworks / "contact-centre" / "roles" / "csr-3.yaml"
    edit(role_file, "  call-resolution: 3\n", "  call-resolution: 4\n")
    report = rebuild(frameworks, cache, tmp_path / "out")
    expected = {"csr-3", *examples["contact-centre"].previous_roles["csr-3"]}
    assert len(expected) > 1
    assert sorted(report.rendered) == sorted(("contact-centre", r) for r in expected)
    assert len(report.cached) == len(example_roles()) - len(expected)


def test_renaming_a_role_renders_every_map_of_its_framework_and_no_other(
        project: tuple[Path, Path], examples: dict[str, Framework], tmp_path: Path) -> None:
    frameworks, cache = project
    edit(frameworks / "engineering" / "roles" / "staff-engineer.yaml",
         "title: Staff Engineer", "title: Staff Software Engineer")
    report = rebuild(frameworks, cache, tmp_path / "out")
    assert sorted(report.rendered) == sorted(
        ("engineering", r) for r in examples["engineering"].roles)
    assert sorted(report.cached) == sorted(
        (f, r) for f in examples if f != "engineering" for r in examples[f].roles)
    drawing = pdf_text(report.files[("engineering", "associate-engineer")])
    assert "Staff Software Engineer" in drawing


def test_a_removed_role_loses_its_stale_pdf(tmp_path: Path) -> None:
    frameworks = write_tiny(tmp_path / "frameworks")
    out = tmp_path / "maps"
    stale = out / "demo" / "gone.pdf"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"%PDF-")
    build_maps(load(frameworks), out, MapOptions(cache_dir=tmp_path / "cache"))
    assert not stale.exists()
    assert sorted(p.name for p in (out / "demo").iterdir()) == [
        "csr-1.pdf", "csr-2.pdf", "team-lead.pdf"]


# --- what a public map must never show ------------------------------------------------------

SECRET_NOTE = "Confidential remark for HR only"


def test_internal_pay_and_notes_never_reach_a_map(tmp_path: Path) -> None:
    salary = TINY_FRAMEWORK["salary.yaml"].replace("visibility: public", "visibility: internal")
    salary = salary.replace("    max: 42000\n", f"    max: 42000\n    notes: {SECRET_NOTE} 1\n")
    role = TINY_FRAMEWORK["roles/csr-2.yaml"] + f"notes: {SECRET_NOTE} 2\n"
    framework = TINY_FRAMEWORK["framework.yaml"].replace(
        'version: "2026.1"\n', f'version: "2026.1"\nnotes: {SECRET_NOTE} 3\n')
    frameworks = load(write_tiny(tmp_path / "frameworks", {
        "salary.yaml": salary, "roles/csr-2.yaml": role, "framework.yaml": framework}))
    assert not frameworks[0].pay_is_public and frameworks[0].roles["csr-2"].notes
    report = build_maps(frameworks, tmp_path / "maps", MapOptions(cache_dir=None))
    assert len(report.files) == 3
    for pdf in report.files.values():
        text = pdf_text(pdf)
        for secret in ("34,000", "38,000", "42,000", "40,000", "45,000", "50,000",
                       "34000", "45000", SECRET_NOTE, "Pay band", "Pay step"):
            assert secret not in text, (pdf.name, secret)


def test_public_pay_is_printed(tmp_path: Path) -> None:
    frameworks = load(write_tiny(tmp_path / "frameworks"))
    report = build_maps(frameworks, tmp_path / "maps", MapOptions(cache_dir=None),
                        role_id="csr-1")
    text = pdf_text(report.files[("demo", "csr-1")])
    assert "USD 34,000 – 42,000 (midpoint 38,000)" in text
    assert "+USD 7,000 (+18%)" in text


# --- the command ------------------------------------------------------------------------------

def test_careers_maps_reports_rendered_and_cached_maps(careers, tmp_path: Path) -> None:
    args = ["maps", "--framework", "engineering", "--role", "staff-engineer",
            "--out", tmp_path / "out", "--cache-dir", tmp_path / "cache", "--paper", "letter"]
    first = careers(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("1 map: 1 rendered, 0 from cache")
    second = careers(*args)
    assert second.stdout.startswith("1 map: 0 rendered, 1 from cache")
    pdf = tmp_path / "out" / "engineering" / "staff-engineer.pdf"
    assert page_size(pdf) == pytest.approx(LETTER_POINTS, abs=0.5)
    assert printed_url(SITE_URL, role_url("engineering", "staff-engineer")) in pdf_text(pdf)


def test_careers_maps_rejects_an_unknown_role(careers) -> None:
    result = careers("maps", "--role", "no-such-role")
    assert result.returncode == 2
    assert "no role 'no-such-role'" in result.stderr


# --- the site ---------------------------------------------------------------------------------

def test_the_site_publishes_every_map_and_each_role_page_links_to_it(
        site: SiteReader, examples: dict[str, Framework]) -> None:
    for framework_id, role_id in example_roles():
        url = f"{framework_id}/roles/{role_id}/"
        links = [a.get("href") for a in site.article(url).select("a")
                 if (a.get("href") or "").endswith(".pdf")]
        assert links, f"{url} has no link to its printable map"
        top = [a.get("href") for a in site.article(url).select(".cp-meta a")
               if (a.get("href") or "").endswith(".pdf")]
        assert top == links[:1], f"{url}: the link to the map is not under the title"
        target = site.resolve(url, links[0])
        assert target == f"{framework_id}/maps/{role_id}.pdf"
        pdf = site.file(target)
        assert pdf.is_file() and page_count(pdf) == 1
        assert examples[framework_id].roles[role_id].title in pdf_text(pdf)


def test_a_map_too_wide_to_read_in_print_shows_the_roles_part_of_it(
        example_maps: MapReport, examples: dict[str, Framework]) -> None:
    wide = pdf_text(example_maps.files[("contact-centre", "csr-2")])
    assert "The part of the career map around this role" in wide
    assert "Workforce Analyst" not in wide.split("TO GET HERE")[0]  # not a neighbour of CSR II
    assert "Team Lead" in wide  # a next step is drawn
    assert choose_map(examples["contact-centre"], "csr-2", "a4")[2]
    tall = pdf_text(example_maps.files[("engineering", "staff-engineer")])
    assert "The part of the career map" not in tall
    assert not choose_map(examples["engineering"], "staff-engineer", "a4")[2]
