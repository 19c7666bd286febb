"""The career map SVG: one box per role, promotion and lateral edges, highlight, escaping,
geometry (tiers bottom-up, no overlaps, no edge through a box), contrast, and text that
fits its box in a real browser."""

from __future__ import annotations

import math
import re
import shutil
import xml.etree.ElementTree as ET
from itertools import combinations, pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.career_map import (
    HIGHLIGHT_FILL,
    Rect,
    career_ladder,
    layout_career_map,
    render_career_map,
    text_width,
    wrap_text,
)
from generator.model import Framework, FrameworkSpec, Role, Tier, Track

SVG = "{http://www.w3.org/2000/svg}"
EXAMPLE_IDS = ("contact-centre", "engineering")


# --- helpers ----------------------------------------------------------------------------


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def role_groups(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-role"): g for g in root.iter(f"{SVG}g") if "cm-role" in classes(g)}


def box_rect(group: ET.Element) -> Rect:
    rect = next(r for r in group.iter(f"{SVG}rect") if "cm-box" in classes(r))
    return Rect(*(float(rect.get(name)) for name in ("x", "y", "width", "height")))


def title_text(group: ET.Element) -> str:
    lines = next(g for g in group.iter(f"{SVG}g") if "cm-title" in classes(g))
    return " ".join("".join(lines.itertext()).split())


def edges(root: ET.Element, kind: str) -> list[ET.Element]:
    return [p for p in root.iter(f"{SVG}path") if {"cm-edge", f"cm-{kind}"} <= classes(p)]


def path_points(d: str) -> list[tuple[float, float]]:
    """The corner points of a path made of M, L, H, V and Q commands (Q: its end point)."""
    points: list[tuple[float, float]] = []
    for command, args in re.findall(r"([MLHVQC])([^MLHVQC]*)", d):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        x, y = points[-1] if points else (0.0, 0.0)
        if command == "H":
            points.append((numbers[0], y))
        elif command == "V":
            points.append((x, numbers[0]))
        else:
            points.append((numbers[-2], numbers[-1]))
    return points


def samples(points: list[tuple[float, float]], step: float = 2.0):
    for (x1, y1), (x2, y2) in pairwise(points):
        count = max(1, math.ceil(math.hypot(x2 - x1, y2 - y1) / step))
        for i in range(count + 1):
            yield x1 + (x2 - x1) * i / count, y1 + (y2 - y1) * i / count


def inside(point: tuple[float, float], rect: Rect, margin: float = 1.5) -> bool:
    x, y = point
    return rect.x + margin < x < rect.right - margin and rect.y + margin < y < rect.bottom - margin


def on_border(point: tuple[float, float], rect: Rect) -> bool:
    x, y = point
    within = rect.x - 0.5 <= x <= rect.right + 0.5 and rect.y - 0.5 <= y <= rect.bottom + 0.5
    return within and (min(abs(y - rect.y), abs(y - rect.bottom)) < 0.5
                       or min(abs(x - rect.x), abs(x - rect.right)) < 0.5)


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def role(role_id: str, title: str, track: str, tier: str, **fields: object) -> Role:
    return Role(id=role_id, title=title, track=track, tier=tier, **fields)


def make_framework(tier_count: int, tracks: list[Track], roles: list[Role]) -> Framework:
    spec = FrameworkSpec(
        name="Fixture Framework", organisation="Example Mutual", version="1",
        tiers=[Tier(id=f"t{n}", name=f"Tier {n}") for n in range(1, tier_count + 1)],
        tracks=tracks,
    )
    return Framework(id="fixture", root=Path("."), spec=spec, competencies=[], salary=None,
                     roles={r.id: r for r in roles})


def fixture_framework(*roles: Role) -> Framework:
    """Four tiers, three tracks; by default five specialists share tier t2 and one
    promotion skips tier t3 past an occupied cell."""
    tracks = [Track(id="frontline", name="Frontline", kind="individual"),
              Track(id="specialist", name="Specialists", kind="individual"),
              Track(id="leadership", name="Leadership", kind="management")]
    specialists = [f"spec-{letter}" for letter in "abcde"]
    roles = roles or (
        role("agent", "Agent", "frontline", "t1", entry=True,
             next=["senior-agent", *specialists]),
        *(role(spec_id, f"Specialist {spec_id[-1].upper()} with a long descriptive title",
               "specialist", "t2", lateral=[other for other in specialists if other != spec_id][:2],
               next=["expert"] if spec_id == "spec-a" else [])
          for spec_id in specialists),
        role("senior-agent", "Senior Agent", "frontline", "t2", next=["director"],
             lateral=["spec-c"]),
        role("principal-agent", "Principal Agent", "frontline", "t3"),
        role("expert", "Expert", "specialist", "t3", next=["director"]),
        role("director", "Director", "leadership", "t4"),
    )
    return make_framework(4, tracks, list(roles))


@st.composite
def random_frameworks(draw: st.DrawFn) -> Framework:
    """Up to 5 tiers, 4 tracks and 14 roles, with promotions upward and lateral moves
    within a tier drawn at random (the shapes SPEC allows)."""
    tier_count = draw(st.integers(1, 5))
    tracks = [Track(id=f"k{n}", name=f"Track {n}", kind="individual")
              for n in range(draw(st.integers(1, 4)))]
    cells = draw(st.lists(st.tuples(st.integers(0, len(tracks) - 1),
                                    st.integers(0, tier_count - 1)), min_size=1, max_size=14))
    roles = []
    for index, (track, tier) in enumerate(cells):
        higher = [f"r{j}" for j, (_, other) in enumerate(cells) if other > tier]
        same = [f"r{j}" for j, (_, other) in enumerate(cells) if other == tier and j != index]
        roles.append(role(
            f"r{index}", f"Role {index} " + "word " * draw(st.integers(0, 6)),
            f"k{track}", f"t{tier + 1}", entry=index == 0,
            next=sorted(draw(st.sets(st.sampled_from(higher)))) if higher else [],
            lateral=sorted(draw(st.sets(st.sampled_from(same)))) if same else [],
        ))
    return make_framework(tier_count, tracks, roles)


@pytest.fixture(params=EXAMPLE_IDS)
def example(request: pytest.FixtureRequest,
            example_frameworks: dict[str, Framework]) -> Framework:
    return example_frameworks[request.param]


@pytest.fixture(params=[*EXAMPLE_IDS, "fixture"])
def any_framework(request: pytest.FixtureRequest,
                  example_frameworks: dict[str, Framework]) -> Framework:
    if request.param == "fixture":
        return fixture_framework()
    return example_frameworks[request.param]


# --- structure --------------------------------------------------------------------------


def test_map_is_a_standalone_svg_with_title_description_and_viewbox(example: Framework):
    root = parse(render_career_map(example))
    assert root.tag == f"{SVG}svg"
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", root.get("viewBox"))
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert example.spec.name in title.text
    assert f"{len(example.roles)} roles" in desc.text
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")


def test_every_role_has_a_box_with_its_title_and_a_link_to_its_page(example: Framework):
    root = parse(render_career_map(example))
    groups = role_groups(root)
    assert set(groups) == set(example.roles)
    for link in root.iter(f"{SVG}a"):
        (group,) = [g for g in link if "cm-role" in classes(g)]
        role_id = group.get("data-role")
        assert link.get("href") == f"roles/{role_id}/"
        assert example.roles[role_id].title in link.get("aria-label")
        assert title_text(group) == example.roles[role_id].title
    assert len(list(root.iter(f"{SVG}a"))) == len(example.roles)


def test_one_promotion_arrow_per_next_entry(example: Framework):
    root = parse(render_career_map(example))
    drawn = sorted((p.get("data-source"), p.get("data-target")) for p in edges(root, "next"))
    expected = sorted((r.id, target) for r in example.roles.values() for target in r.next)
    assert drawn == expected
    assert all(p.get("marker-end") and not p.get("stroke-dasharray") for p in edges(root, "next"))


def test_lateral_moves_are_dashed_in_another_colour_with_a_head_per_direction(
        example: Framework):
    root = parse(render_career_map(example))
    promotion_colours = {p.get("stroke") for p in edges(root, "next")}
    pairs = {frozenset((r.id, t)) for r in example.roles.values() for t in r.lateral}
    laterals = edges(root, "lateral")
    assert {frozenset((p.get("data-source"), p.get("data-target"))) for p in laterals} == pairs
    assert len(laterals) == len(pairs)
    for path in laterals:
        assert path.get("stroke-dasharray")
        assert path.get("stroke") not in promotion_colours
        source, target = path.get("data-source"), path.get("data-target")
        both_ways = source in example.roles[target].lateral
        assert target in example.roles[source].lateral
        assert bool(path.get("marker-start")) == both_ways
        assert path.get("marker-end")


def test_ids_are_unique_and_every_marker_reference_resolves(example: Framework):
    plain = parse(render_career_map(example))
    role_id = next(iter(example.roles))
    highlighted = parse(render_career_map(example, highlight=role_id))
    ids = [e.get("id") for root in (plain, highlighted) for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), "two maps on one page would clash"
    for root in (plain, highlighted):
        own_ids = {e.get("id") for e in root.iter()}
        for element in root.iter():
            for name in ("marker-start", "marker-end"):
                if element.get(name):
                    assert element.get(name)[5:-1] in own_ids


def test_entry_roles_carry_an_entry_tag(example: Framework):
    for role_id, group in role_groups(parse(render_career_map(example))).items():
        tags = [t for t in group.iter(f"{SVG}text") if "cm-entry-label" in classes(t)]
        assert bool(tags) == example.roles[role_id].entry


def test_a_role_links_name_says_what_its_box_shows_in_the_same_order(example: Framework):
    """Speech input finds a link by its visible words ("... Foundation ENTRY")."""
    layout = layout_career_map(example)
    for box in layout.boxes:
        visible = [*(line.text for line in box.title_lines), box.tier_label.text]
        if box.entry_label:
            visible.append(box.entry_label.text)
        words = " ".join(re.sub(r"[^\w]+", " ", " ".join(visible)).lower().split())
        name = " ".join(re.sub(r"[^\w]+", " ", box.aria_label).lower().split())
        assert words in name, (box.role_id, visible, box.aria_label)


def test_a_track_named_like_its_kind_gets_no_subtitle_and_its_name_fits_the_header():
    tracks = [Track(id="ic", name="Individual Contributor", kind="individual"),
              Track(id="mgmt", name="Engineering Management", kind="management")]
    layout = layout_career_map(make_framework(2, tracks, [
        role("eng", "Engineer", "ic", "t1", entry=True, next=["lead"]),
        role("lead", "Engineering Lead", "mgmt", "t2")]))
    ic, mgmt = layout.tracks
    assert ic.kind_line is None
    assert mgmt.kind_line is not None and mgmt.kind_line.text == "People management"
    for track in layout.tracks:
        assert all(text_width(line.text, 14, bold=True) <= track.name_width
                   for line in track.name_lines)
        assert track.name_width <= track.header.width - 20


def test_the_ladder_lists_each_track_highest_tier_first_with_its_moves(
        example_frameworks: dict[str, Framework]):
    framework = example_frameworks["contact-centre"]
    ladder = career_ladder(framework, "csr-2", link_for=lambda role_id: f"/{role_id}/")
    assert [track.track_id for track in ladder] == [t.id for t in framework.spec.tracks]
    assert [track.track_id for track in ladder if track.current] == ["frontline"]
    ranks = framework.tier_rank
    tiers = {tier.name: tier.id for tier in framework.spec.tiers}
    for track in ladder:
        order = [ranks[tiers[step.tier]] for step in track.steps]
        assert order == sorted(order, reverse=True), track.track_id
        assert all(step.roles for step in track.steps), "an empty tier is listed"
    roles = {role.role_id: role for track in ladder for step in track.steps for role in step.roles}
    assert set(roles) == set(framework.roles)
    assert [role_id for role_id, role in roles.items() if role.highlight] == ["csr-2"]
    csr2 = roles["csr-2"]
    assert {(move.title, move.track) for move in csr2.next} >= {
        ("Customer Service Representative III", ""), ("Team Lead", "Leadership")}
    assert csr2.next[0].link.startswith("/")
    arrivals = {move.title for move in roles["team-lead"].arrivals}
    assert "Customer Service Representative II" in arrivals
    assert all(move.track for move in roles["team-lead"].arrivals)


# --- geometry ---------------------------------------------------------------------------


def test_higher_tiers_are_drawn_higher(any_framework: Framework):
    layout = layout_career_map(any_framework)
    rank = any_framework.tier_rank
    for first, second in combinations(layout.boxes, 2):
        if rank[first.tier_id] < rank[second.tier_id]:
            assert first.rect.y > second.rect.bottom
        elif rank[first.tier_id] == rank[second.tier_id]:
            assert first.rect.y == second.rect.y
    bands = [tier.band.y for tier in layout.tiers]
    assert bands == sorted(bands)
    top_down = [tier.id for tier in reversed(any_framework.spec.tiers)]
    assert [tier.tier_id for tier in layout.tiers] == top_down


def test_no_two_boxes_overlap(any_framework: Framework):
    rects = [box_rect(g) for g in role_groups(parse(render_career_map(any_framework))).values()]
    for first, second in combinations(rects, 2):
        assert not first.overlaps(second), (first, second)


def test_no_edge_passes_through_a_box(any_framework: Framework):
    root = parse(render_career_map(any_framework))
    rects = {role_id: box_rect(g) for role_id, g in role_groups(root).items()}
    for path in edges(root, "next") + edges(root, "lateral"):
        for point in samples(path_points(path.get("d"))):
            crossed = [role_id for role_id, rect in rects.items() if inside(point, rect)]
            assert not crossed, (path.get("data-source"), path.get("data-target"), crossed)


def test_edges_start_and_end_on_their_boxes(any_framework: Framework):
    root = parse(render_career_map(any_framework))
    rects = {role_id: box_rect(g) for role_id, g in role_groups(root).items()}
    for path in edges(root, "next") + edges(root, "lateral"):
        points = path_points(path.get("d"))
        assert on_border(points[0], rects[path.get("data-source")]), path.get("d")
        assert on_border(points[-1], rects[path.get("data-target")]), path.get("d")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_frameworks())
@pytest.mark.slow
def test_any_framework_gets_a_clean_drawing(framework: Framework):
    root = parse(render_career_map(framework))
    rects = {role_id: box_rect(g) for role_id, g in role_groups(root).items()}
    assert set(rects) == set(framework.roles)
    for first, second in combinations(rects.values(), 2):
        assert not first.overlaps(second)
    promotions = edges(root, "next")
    assert len(promotions) == sum(len(r.next) for r in framework.roles.values())
    for path in promotions + edges(root, "lateral"):
        points = path_points(path.get("d"))
        for point in samples(points):
            assert not [rid for rid, rect in rects.items() if inside(point, rect)]
        assert on_border(points[0], rects[path.get("data-source")])
        assert on_border(points[-1], rects[path.get("data-target")])


def test_promotions_between_stacked_boxes_are_straight(example_frameworks):
    framework = example_frameworks["engineering"]
    layout = layout_career_map(framework)
    stacked = [edge for edge in layout.edges if edge.kind == "next"
               and framework.roles[edge.source].track == framework.roles[edge.target].track]
    assert len(stacked) >= 6, "promotions within the IC and management columns"
    for edge in stacked:
        assert "Q" not in edge.path, f"{edge.source} -> {edge.target} bends: {edge.path}"


def test_roles_sharing_a_tier_sit_side_by_side_in_a_column_as_wide_as_its_widest_tier():
    layout = layout_career_map(fixture_framework())
    specialists = sorted((box for box in layout.boxes if box.role_id.startswith("spec-")),
                         key=lambda box: box.rect.x)
    assert len({box.rect.y for box in specialists}) == 1
    gaps = [b.rect.x - a.rect.right for a, b in pairwise(specialists)]
    assert all(gap > 0 for gap in gaps)
    column = next(track for track in layout.tracks if track.track_id == "specialist")
    assert column.header.x <= specialists[0].rect.x
    assert specialists[-1].rect.right <= column.header.right
    expert = layout.box("expert")
    assert column.header.x < expert.rect.x and expert.rect.right < column.header.right
    frontline = next(track for track in layout.tracks if track.track_id == "frontline")
    assert frontline.header.width < column.header.width


def test_a_promotion_that_skips_a_tier_climbs_past_the_roles_in_between():
    layout = layout_career_map(fixture_framework())
    edge = next(e for e in layout.edges if (e.source, e.target) == ("senior-agent", "director"))
    blocker = layout.box("principal-agent").rect
    assert not any(inside(point, blocker) for point in samples(path_points(edge.path)))


def test_titles_stay_readable_at_the_minimum_width(any_framework: Framework):
    layout = layout_career_map(any_framework)
    assert 0 < layout.min_width_px <= layout.width
    assert 13 * layout.min_width_px / layout.width >= 11
    root = parse(render_career_map(any_framework))
    assert root.get("data-min-width") == str(layout.min_width_px)
    assert f"max-width:{layout.width}px" in root.get("style")


# --- highlight --------------------------------------------------------------------------


def test_highlight_fills_exactly_that_box_with_the_highlight_colour(example: Framework):
    for role_id in example.roles:
        root = parse(render_career_map(example, highlight=role_id))
        filled = [rid for rid, g in role_groups(root).items()
                  if any(r.get("fill") == HIGHLIGHT_FILL for r in g.iter(f"{SVG}rect"))]
        assert filled == [role_id]


def test_highlight_emphasises_its_moves_outlines_their_targets_and_fades_the_rest(
        example_frameworks: dict[str, Framework]):
    framework = example_frameworks["contact-centre"]
    chosen = framework.roles["csr-2"]
    layout = layout_career_map(framework, highlight="csr-2")
    moves = {*chosen.next, *chosen.lateral}
    for edge in layout.edges:
        own = edge.source == "csr-2" or (edge.kind == "lateral" and edge.two_way
                                        and edge.target == "csr-2")
        assert edge.state == ("highlight" if own else "faded"), edge
        if own:
            assert edge.stroke == HIGHLIGHT_FILL and edge.stroke_width > 2
    plain = layout_career_map(framework)
    assert all(edge.state == "plain" for edge in plain.edges)
    for box in layout.boxes:
        if box.role_id in moves:
            assert box.state == "target" and box.stroke == HIGHLIGHT_FILL
        elif box.role_id != "csr-2":
            assert box.state == "plain" and box.stroke != HIGHLIGHT_FILL
    assert layout.edges[-1].state == "highlight", "emphasised edges are drawn on top"
    assert "csr-2" in layout.id_prefix


def test_highlighting_an_unknown_role_is_an_error(example: Framework):
    with pytest.raises(ValueError, match="no-such-role"):
        render_career_map(example, highlight="no-such-role")


# --- links, escaping, accessibility -----------------------------------------------------


def test_links_follow_link_for_and_can_be_left_out(example: Framework):
    root = parse(render_career_map(example, link_for=lambda rid: f"/{example.id}/r/{rid}/"))
    hrefs = {a.get("href") for a in root.iter(f"{SVG}a")}
    assert hrefs == {f"/{example.id}/r/{rid}/" for rid in example.roles}
    assert root.get("role") == "group", "an img role would hide the links from screen readers"
    bare = parse(render_career_map(example, include_links=False))
    assert not list(bare.iter(f"{SVG}a"))
    assert bare.get("role") == "img"
    assert set(role_groups(bare)) == set(example.roles)


def test_markup_in_a_title_is_escaped():
    hostile = "<script>alert('x')</script> & \"Quoted\" Role"
    framework = fixture_framework(
        role("evil", hostile, "frontline", "t1", entry=True, next=["boss"]),
        role("boss", 'Boss" onload="alert(1)', "leadership", "t2"),
    )
    svg = render_career_map(framework, highlight="evil",
                            link_for=lambda rid: f'javascript:"{rid}"<b>')
    root = parse(svg)
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert all(e.get("onload") is None for e in root.iter())
    link = next(a for a in root.iter(f"{SVG}a") if a.find(f"{SVG}g").get("data-role") == "evil")
    assert link.get("href") == 'javascript:"evil"<b>'
    assert link.get("aria-label").startswith(hostile)
    assert "".join(next(g for g in role_groups(root).values()).find(f"{SVG}title").itertext())


def test_text_has_aa_contrast_against_what_it_sits_on(example: Framework):
    for role_id in (None, next(iter(example.roles))):
        layout = layout_career_map(example, highlight=role_id)
        for box in layout.boxes:
            assert contrast(box.text_colour, box.fill) >= 4.5, box.role_id
            assert contrast(box.label_colour, box.fill) >= 4.5, box.role_id
            if box.entry:
                assert contrast(box.tag_text_colour, box.tag_fill) >= 4.5, box.role_id
        root = parse(render_career_map(example, highlight=role_id))
        backgrounds = {r.get("fill") for r in root.iter(f"{SVG}rect")
                       if classes(r) & {"cm-tier-band", "cm-track-header", "cm-background"}}
        loose_text = [t.get("fill") for t in root.iter()
                      if classes(t) & {"cm-tier-label", "cm-track-name", "cm-track-kind"}]
        for text_fill in set(loose_text):
            for background in backgrounds:
                assert contrast(text_fill, background) >= 4.5, (text_fill, background)


# --- text fitting -----------------------------------------------------------------------


def test_long_titles_wrap_to_three_lines_and_end_in_an_ellipsis():
    title = "Principal Customer Experience Transformation and Escalations Programme Manager"
    lines = wrap_text(title, 148, 13, bold=True)
    assert len(lines) == 3
    assert lines[-1].endswith("…")
    assert all(text_width(line, 13, bold=True) <= 148 for line in lines)
    assert wrap_text("Team Lead", 148, 13, bold=True) == ["Team Lead"]
    unbroken = wrap_text("Supercalifragilisticexpialidocious" * 3, 60, 13)
    assert all(text_width(line, 13) <= 60 for line in unbroken)


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_text_fits_its_box_in_a_real_browser(example_frameworks: dict[str, Framework]):
    sync_api = pytest.importorskip("playwright.sync_api")
    framework = example_frameworks["contact-centre"]
    svg = render_career_map(framework, highlight="csr-1")
    measure = """() => {
        const rect = (e) => { const b = e.getBBox();
                              return {cls: e.getAttribute('class'), x: b.x, y: b.y,
                                      w: b.width, h: b.height}; };
        return [...document.querySelectorAll('g.cm-role')].map(g => ({
            role: g.dataset.role, box: rect(g.querySelector('.cm-box')),
            parts: [...g.querySelectorAll('.cm-title, .cm-tier, .cm-entry-tag')].map(rect),
        }));
    }"""
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch()
        except Exception:
            if _chromium() is None:
                pytest.skip("no Chromium available")
            browser = playwright.chromium.launch(executable_path=_chromium(),
                                                 args=["--no-sandbox"])
        page = browser.new_page()
        page.set_content(f"<!doctype html><html><body>{svg}</body></html>")
        boxes = page.evaluate(measure)
        browser.close()
    assert len(boxes) == len(framework.roles)
    for item in boxes:
        box = item["box"]
        parts = {part["cls"]: part for part in item["parts"]}
        for part in parts.values():
            assert box["x"] + 2 <= part["x"] and part["x"] + part["w"] <= box["x"] + box["w"] - 2, \
                (item["role"], part)
            assert box["y"] <= part["y"] and part["y"] + part["h"] <= box["y"] + box["h"], \
                (item["role"], part)
        title, tier = parts["cm-title"], parts["cm-tier"]
        assert title["y"] + title["h"] <= tier["y"] + 2, f"{item['role']}: title runs into tier"
        if "cm-entry-tag" in parts:
            assert tier["x"] + tier["w"] < parts["cm-entry-tag"]["x"], item["role"]
