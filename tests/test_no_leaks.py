"""No leaks: internal notes and internal pay never reach any byte of a public build.

A framework carries ``notes:`` in every kind of mapping of every file, each with its own
marker, and an internal salary file with figures found nowhere else.  The site is built
with the real MkDocs (printable PDF maps included), and every output file is searched:
HTML, the search index, the sitemap (gzipped too), JSON, SVG, CSV, the spreadsheet's XML
and the PDFs' text (``pdftotext``).  A visible marker in a role title proves the search
reaches into each of those formats.
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from generator.site_build import build_site
from tests.conftest import TINY_FRAMEWORK
from tests.site_fixtures import write_config

PLUGIN = "career-paths"
VISIBLE = "VisibleMarker7341"
BANDS = [(61_357, 67_913, 74_471), (78_629, 86_143, 93_659)]
NOTE_KINDS = [
    "framework", "tier", "track", "metric", "policy", "policy-criterion", "retired",
    "competency", "level", "salary", "band", "role", "role-criterion", "role-maintain",
]


def note(kind: str) -> str:
    return f"SecretNote{kind.title().replace('-', '')}"


def internal_framework() -> dict[str, str]:
    """The tiny framework with a note in every kind of mapping and internal pay."""
    files = dict(TINY_FRAMEWORK)
    files["framework.yaml"] = (
        files["framework.yaml"]
        .replace("currency: USD\n", f"currency: USD\nnotes: {note('framework')}\n")
        .replace("    name: Associate\n", f"    name: Associate\n    notes: {note('tier')}\n")
        .replace("    kind: individual\n", f"    kind: individual\n    notes: {note('track')}\n")
        .replace("    unit: percent\n", f"    unit: percent\n    notes: {note('metric')}\n")
        .replace("    text: Only first", f"    notes: {note('policy')}\n    text: Only first")
        .replace("        max: 2\n", f"        max: 2\n        notes: {note('policy-criterion')}\n")
        .replace("    replaced_by: csr-2\n",
                 f"    replaced_by: csr-2\n    reason: Merged.\n    notes: {note('retired')}\n")
    )
    files["competencies.yaml"] = (
        files["competencies.yaml"]
        .replace("  name: Call resolution\n",
                 f"  name: Call resolution\n  notes: {note('competency')}\n")
        .replace("    2: Resolves every call type independently.\n",
                 "    2:\n      text: Resolves every call type independently.\n"
                 f"      notes: {note('level')}\n")
    )
    bands = "".join(
        f"  - tier: t{tier}\n    min: {low}\n    mid: {mid}\n    max: {high}\n"
        f"    notes: {note('band')}\n"
        for tier, (low, mid, high) in enumerate(BANDS, start=1))
    files["salary.yaml"] = f"visibility: internal\nnotes: {note('salary')}\nbands:\n{bands}"
    files["roles/csr-1.yaml"] = (
        files["roles/csr-1.yaml"]
        .replace("title: Customer Service Representative I\n",
                 f"title: Customer Service Representative I {VISIBLE}\nnotes: {note('role')}\n"))
    files["roles/csr-2.yaml"] = (
        files["roles/csr-2.yaml"]
        .replace("  - text: Signed off by a supervisor.\n",
                 f"  - text: Signed off by a supervisor.\n    notes: {note('role-criterion')}\n")
        .replace("    min: 85\n", f"    min: 85\n    notes: {note('role-maintain')}\n"))
    return files


def secrets() -> list[str]:
    """Every note marker, and each internal figure written every way a page could write it."""
    figures = {value for band in BANDS for value in band}
    figures |= {BANDS[1][1] - BANDS[0][1], BANDS[1][0] - BANDS[0][0]}  # pay steps
    written = set()
    for value in figures:
        written |= {str(value), f"{value:,}", f"{value:,}".replace(",", " "),
                    f"{value:,}".replace(",", "\u00a0"), f"{value:,}".replace(",", "\u202f"),
                    f"{value:,}".replace(",", "."), f"{value / 1000:.1f}k"}
    return [note(kind) for kind in NOTE_KINDS] + sorted(written)


def readable_texts(site: Path) -> dict[str, str]:
    """Every file of the site as text a person or a program could read from it."""
    texts = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(site).as_posix()
        data = path.read_bytes()
        if path.suffix == ".gz":
            texts[name] = gzip.decompress(data).decode("utf-8", "replace")
        elif path.suffix in (".xlsx", ".zip"):
            with zipfile.ZipFile(path) as archive:
                texts[name] = "\n".join(archive.read(member).decode("utf-8", "replace")
                                        for member in archive.namelist())
        elif path.suffix == ".pdf":
            extracted = subprocess.run(["pdftotext", "-layout", str(path), "-"],
                                       capture_output=True, check=True).stdout
            texts[name] = extracted.decode("utf-8", "replace") + data.decode("latin-1")
        else:
            texts[name] = data.decode("utf-8", "replace")
    return texts


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The internal framework built as the public site, PDF maps included."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: ./dev setup installs it")
    work = tmp_path_factory.mktemp("no-leaks")
    for name, text in internal_framework().items():
        path = work / "frameworks" / "demo" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config_path = write_config(work, work / "frameworks")
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and PLUGIN in plugin:
            plugin[PLUGIN] |= {"maps": True, "maps_cache_dir": str(work / "maps-cache")}
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return build_site(config_path, work / "site")


def test_every_kind_of_mapping_carries_a_note_in_the_source() -> None:
    files = "\n".join(internal_framework().values())
    assert all(note(kind) in files for kind in NOTE_KINDS)
    assert "visibility: internal" in files


def test_the_search_reaches_into_every_kind_of_output(public_site: Path) -> None:
    texts = readable_texts(public_site)
    kinds = {Path(name).suffix for name, text in texts.items() if VISIBLE in text}
    assert {".html", ".json", ".pdf"} <= kinds, kinds
    produced = {Path(name).suffix for name in texts}
    assert kinds >= {".csv", ".xlsx"} & produced
    assert ".gz" in produced and ".xml" in produced


def test_no_note_and_no_internal_figure_reaches_any_byte_of_the_site(public_site: Path) -> None:
    leaks = {name: [secret for secret in secrets() if secret in text]
             for name, text in readable_texts(public_site).items()}
    assert {name: found for name, found in leaks.items() if found} == {}


def test_internal_pay_leaves_no_trace_on_the_pages(public_site: Path) -> None:
    texts = readable_texts(public_site)
    assert not (public_site / "demo" / "pay" / "index.html").exists()
    framework_pages = {name: text for name, text in texts.items() if name.startswith("demo/")}
    assert framework_pages
    for words in ("estimatedSalary", "at the midpoint", "salary band", r"USD\s?\d"):
        assert [name for name, text in framework_pages.items()
                if re.search(words, text)] == [], words
