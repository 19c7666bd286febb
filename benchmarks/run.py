"""Performance benchmarks of Career Paths at 500, 2,000 and 5,000 roles (issue 15's targets).

Every measurement runs the real command in a child process on a synthetic project
(``generator/synthetic.py``: the repository's ``mkdocs.yml``, ``site_docs/`` and
``overrides/`` plus one generated framework) and reads the child's wall time, its CPU
time and its peak memory from ``os.wait4`` (``ru_maxrss``: the largest resident size of
the child, or of a descendant it waited for).  Figures are medians of a few runs where
runs are cheap; the output says how many.

    .venv/bin/python benchmarks/run.py            # 500, 2,000 and 5,000 roles (about an hour)
    .venv/bin/python benchmarks/run.py --quick    # 500 roles only (a few minutes)

Measured at each size: ``careers validate --strict``; ``careers build`` (the whole site,
without PDF maps) with the MkDocs engine and with ``--engine zensical``; the baselines:
plain ``mkdocs build`` with the same theme and configuration on the same pages saved as
Markdown files (``careers render``), with ``navigation.prune`` as the site has it, and
(at 500 and 2,000 roles) with MkDocs' full navigation; ``careers maps`` cold and again
after editing one role; ``careers serve`` (at 500 and 5,000): seconds from saving a role
file to the served page showing the change.  Once: the page weight of the example site (a
role page and the contact-centre overview, gzip-compressed HTML + CSS + JS).  The end is a
table of issue 15's targets, each PASS or FAIL.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import itertools
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator import synthetic as synth

REPO = Path(__file__).resolve().parents[1]

CAREERS = (sys.executable, "-m", "generator")
MKDOCS = (sys.executable, "-m", "mkdocs")
PROJECT_FILES = ("mkdocs.yml", "site_docs", "overrides")
FULL_SIZES = (500, 2000, 5000)
BASELINE_SIZES = (500, 2000)
SERVE_SIZES = (500, 5000)

TARGETS = {
    "validate_5000_s": 1.0,
    "mkdocs_ratio": 0.8,
    "zensical_ratio": 0.6,
    "maps_cold_5000_s": 150.0,
    "maps_warm_5000_s": 2.0,
    "serve_500_s": 1.0,
    "serve_5000_s": 3.0,
    "growth": 11.0,
    "peak_5000_mb": 600.0,
    "role_page_kb": 150.0,
    "overview_kb": 250.0,
}
"""Issue 15's targets."""


@dataclass(frozen=True)
class Run:
    """One child process: wall and CPU seconds, peak resident memory, exit status, output,
    and (when sampled) how many cores its process tree kept busy, 90th percentile."""

    wall: float
    cpu: float
    peak_mb: float
    status: int
    output: str
    busy_cores: float | None = None
    most_running: int | None = None
    """The most processes of its tree running (or ready to run) at one sample."""


class CoreSampler(threading.Thread):
    """Samples, every quarter second, how many cores a process tree keeps busy (Linux).

    CPU time over wall time would say the same if the machine were otherwise idle; this
    also holds when other work shares the machine.
    """

    INTERVAL = 0.25

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.samples: list[tuple[float, float]] = []
        self.most_running = 0
        self.stopped = threading.Event()
        self.tick = os.sysconf("SC_CLK_TCK")

    def run(self) -> None:
        while not self.stopped.wait(self.INTERVAL):
            self.samples.append((time.perf_counter(), self.tree_cpu()))

    def tree_cpu(self) -> float:
        """CPU seconds used so far by the live processes of the tree."""
        parents: dict[int, int] = {}
        used: dict[int, float] = {}
        running: set[int] = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            pid = int(stat.parent.name)
            parents[pid] = int(fields[1])
            if fields[0] == "R":
                running.add(pid)
            used[pid] = (int(fields[11]) + int(fields[12])) / self.tick
        tree, frontier = {self.pid}, [self.pid]
        while frontier:
            parent = frontier.pop()
            children = [pid for pid, ppid in parents.items() if ppid == parent]
            tree.update(children)
            frontier.extend(children)
        self.most_running = max(self.most_running, len(tree & running))
        return sum(used.get(pid, 0.0) for pid in tree)

    def busy_cores(self) -> float | None:
        """The 90th percentile of busy cores over the sampled intervals."""
        self.stopped.set()
        self.join()
        rates = [max(0.0, (c2 - c1) / (t2 - t1))
                 for (t1, c1), (t2, c2) in itertools.pairwise(self.samples)]
        if len(rates) < 4:
            return None
        return statistics.quantiles(rates, n=10)[-1]


@dataclass
class Sample:
    """Repeated runs of one command, summarised by their medians."""

    runs: list[Run] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(run.wall for run in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(run.cpu for run in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(run.peak_mb for run in self.runs)

    def describe(self) -> str:
        count = len(self.runs)
        label = "1 run" if count == 1 else f"median of {count}"
        return (f"{self.wall:7.2f} s wall, {self.cpu:7.2f} s CPU, peak {self.peak_mb:6.0f} MiB "
                f"({label})")


def run_child(command: Sequence[str | Path], cwd: Path, *, sample_cores: bool = False) -> Run:
    """Run ``command`` and measure it; raise if it fails."""
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        child = subprocess.Popen([str(part) for part in command], cwd=cwd,
                                 stdout=output, stderr=subprocess.STDOUT)
        sampler = CoreSampler(child.pid) if sample_cores else None
        if sampler is not None:
            sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        busy = sampler.busy_cores() if sampler is not None else None
        most_running = sampler.most_running if sampler is not None else None
        child.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} failed ({child.returncode}):\n"
                           f"{text[-3000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
               child.returncode, text, busy, most_running)


def sample(command: Sequence[str | Path], cwd: Path, repeats: int,
           before: Callable[[], None] | None = None) -> Sample:
    """``repeats`` measured runs of ``command`` (``before`` runs unmeasured before each)."""
    result = Sample()
    for _ in range(repeats):
        if before is not None:
            before()
        result.runs.append(run_child(command, cwd))
    return result


# --- projects --------------------------------------------------------------------------------


def make_project(root: Path, roles: int, seed: int) -> Path:
    """A project folder like the repository's, with one synthetic framework of ``roles``."""
    project = root / f"project-{roles}"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            shutil.copy2(source, project / name)
    set_plugin_options(project / "mkdocs.yml", maps=False)  # maps are measured on their own
    synth.write_framework(roles, project / "frameworks", seed)
    return project


def set_plugin_options(config_path: Path, **options: object) -> None:
    """Set options of the ``career-paths`` plugin in a copied ``mkdocs.yml``."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    plugins = config.get("plugins") or []
    for index, entry in enumerate(plugins):
        name = entry if isinstance(entry, str) else next(iter(entry))
        if name == "career-paths":
            current = {} if isinstance(entry, str) else dict(entry[name] or {})
            plugins[index] = {name: {**current, **options}}
    config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
                           encoding="utf-8")


def role_files(project: Path) -> list[Path]:
    return sorted((project / "frameworks" / synth.FRAMEWORK_ID / "roles").glob("*.yaml"))


def edit_role(path: Path, marker: str) -> None:
    """Change a role's title (every page and map that names the role changes)."""
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(r"^title: .*$", f"title: {marker}", text, count=1, flags=re.M)
    assert count == 1, path
    path.write_text(edited, encoding="utf-8")


def count_files(folder: Path, pattern: str) -> int:
    return sum(1 for _ in folder.rglob(pattern))


# --- measurements ----------------------------------------------------------------------------


@dataclass
class SizeResult:
    """The figures of one size."""

    roles: int
    validate: Sample | None = None
    build: Sample | None = None
    zensical: Sample | None = None
    pages: int = 0
    site_pages: int = 0
    pruned: Sample | None = None
    """Plain MkDocs on the same pages, ``navigation.prune`` on (the issue's baseline)."""
    baseline: Sample | None = None
    """Plain MkDocs on the same pages, full navigation (issue 8's baseline)."""
    baseline_pages: int = 0
    maps: MapsResult | None = None
    maps_measured: bool = False
    serve: float | None = None


def measure_validate(project: Path, repeats: int) -> Sample:
    return sample([*CAREERS, "validate", "--strict", "frameworks"], project, repeats)


def measure_build(project: Path, repeats: int, engine: str = "mkdocs"
                  ) -> tuple[Sample, int, int]:
    """``careers build``; also the number of generated pages and of HTML pages built."""
    site = project / f"site-{engine}"
    result = sample([*CAREERS, "build", "--engine", engine, "--site-dir", site], project,
                    repeats)
    generated = count_files(project / "generated" / "pages", "*.md")
    html = count_files(site, "*.html")
    return result, generated, html


def rendered_pages(project: Path) -> Path:
    """The site's pages as Markdown files and a plain ``mkdocs.yml`` (``careers render``)."""
    rendered = project / "baseline"
    if not (rendered / "mkdocs.yml").is_file():
        run_child([*CAREERS, "render", "--out", rendered, "--project", "."], project)
    return rendered


def measure_baseline(project: Path, repeats: int, *, prune: bool) -> tuple[Sample, int]:
    """Plain MkDocs on the same pages written as files: with ``navigation.prune`` and the
    site's navigation, or with MkDocs' default full navigation (every page, unpruned)."""
    rendered = rendered_pages(project)
    config = yaml.safe_load((rendered / "mkdocs.yml").read_text(encoding="utf-8"))
    features = [f for f in config.get("theme", {}).get("features", [])
                if f != "navigation.prune"]
    if prune:
        features.append("navigation.prune")
    else:
        config.pop("nav", None)  # MkDocs' default: every page in the navigation
        config.pop("not_in_nav", None)  # ... role pages included
    config["theme"]["features"] = features
    name = "mkdocs-pruned.yml" if prune else "mkdocs-full.yml"
    config_path = rendered / name
    config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
                           encoding="utf-8")
    pages = count_files(rendered / "docs", "*.md")
    result = sample([*MKDOCS, "build", "-q", "-f", config_path, "-d",
                     rendered / f"site-{Path(name).stem}"], project, repeats)
    return result, pages


_MAPS_SUMMARY = re.compile(r"(\d+) maps?: (\d+) rendered, (\d+) from cache")


@dataclass(frozen=True)
class MapsRun:
    """One ``careers maps`` run and how many maps it rendered (of how many)."""

    run: Run
    rendered: int
    total: int

    @classmethod
    def of(cls, run: Run) -> MapsRun:
        found = _MAPS_SUMMARY.search(run.output)
        if found is None:
            raise RuntimeError(f"no summary in the output of careers maps:\n{run.output}")
        return cls(run, int(found.group(2)), int(found.group(1)))

    def describe(self) -> str:
        busy = (f", {self.run.busy_cores:.1f} cores busy (90th percentile), up to "
                f"{self.run.most_running} processes running at once"
                if self.run.busy_cores is not None else "")
        return (f"{self.run.wall:6.1f} s wall, {self.run.cpu:6.1f} s CPU{busy}, "
                f"{self.rendered} of {self.total} maps rendered")


@dataclass(frozen=True)
class MapsResult:
    """Cold maps, then maps again after editing one role's title."""

    cold: MapsRun
    warm: MapsRun
    edited: str
    showing: int
    """How many maps show the edited role (its own, its neighbours')."""


def maps_showing(project: Path, role_id: str) -> int:
    """The maps that show ``role_id``: its own and those of the roles it is a neighbour of
    (a role's map draws the role, its moves and the roles promoted into it)."""
    from generator.validation import load_valid_frameworks

    (framework,), _ = load_valid_frameworks(project / "frameworks", project)
    role = framework.roles[role_id]
    lateral_from = {other.id for other in framework.roles.values() if role_id in other.lateral}
    return len({role_id, *role.next, *role.lateral, *framework.previous_roles[role_id],
                *lateral_from})


def measure_maps(project: Path) -> MapsResult | None:
    """``careers maps``: cold (empty cache), then after editing one role's title."""
    if not (REPO / "generator" / "pdf_maps.py").is_file():
        return None
    cache = project / "maps-cache"
    shutil.rmtree(cache, ignore_errors=True)
    command = [*CAREERS, "maps", "--framework", synth.FRAMEWORK_ID, "--out", project / "maps",
               "--cache-dir", cache]
    cold = MapsRun.of(run_child(command, project, sample_cores=True))
    roles = role_files(project)
    edited = roles[len(roles) // 2]
    edit_role(edited, f"Maps Benchmark Edited Role {time.time_ns()}")
    warm = MapsRun.of(run_child(command, project))
    return MapsResult(cold, warm, edited.stem, maps_showing(project, edited.stem))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(check: Callable[[], bool], timeout: float, step: float = 0.1) -> float | None:
    """Seconds until ``check()`` holds, or None after ``timeout``."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if check():
            return time.perf_counter() - start
        time.sleep(step)
    return None


@contextlib.contextmanager
def serving(project: Path, port: int, engine: str = "mkdocs"
            ) -> Iterator[subprocess.Popen[bytes]]:
    """``careers serve`` in its own process group, stopped (by its id) afterwards."""
    log = (project / "serve.log").open("wb")
    server = subprocess.Popen([*CAREERS, "serve", "--dev-addr", f"127.0.0.1:{port}",
                               "--engine", engine],
                              cwd=project, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def measure_serve(project: Path, edits: int = 5, engine: str = "mkdocs") -> float:
    """Median seconds from saving a role file to ``careers serve`` serving the changed page."""
    port = free_port()
    roles = role_files(project)
    with serving(project, port, engine) as server:
        first = f"http://127.0.0.1:{port}/{synth.FRAMEWORK_ID}/roles/{roles[0].stem}/"
        started = wait_for(lambda: fetch(first) is not None, timeout=900, step=0.5)
        if started is None or server.poll() is not None:
            log = (project / "serve.log").read_text(errors="replace")
            raise RuntimeError(f"careers serve did not start:\n{log[-2000:]}")
        time.sleep(2)  # let the watcher settle after the first build
        data = f"http://127.0.0.1:{port}/{synth.FRAMEWORK_ID}/tools.json"
        seconds: list[float] = []
        everything: list[float] = []
        for number in range(edits):
            role = roles[(number + 1) * len(roles) // (edits + 1)]
            url = f"http://127.0.0.1:{port}/{synth.FRAMEWORK_ID}/roles/{role.stem}/"
            marker = f"Serve Benchmark {number} {time.time_ns()}"
            edit_role(role, marker)
            shown = wait_for(lambda url=url, marker=marker: marker in (fetch(url) or ""),
                             timeout=300, step=0.05)
            seconds.append(shown if shown is not None else float("inf"))
            # The save is measured from an idle server: the rest of the rebuild (the pages
            # that name the role, then the data files) finishes before the next one.
            rest = wait_for(lambda marker=marker: marker in (fetch(data) or ""),
                            timeout=300, step=0.1)
            everything.append((shown or 0) + rest if rest is not None else float("inf"))
            time.sleep(1)
    say(f"careers serve: first page after {started:.1f} s; a saved role file shows on its "
        f"page after {statistics.median(seconds):.2f} s (median of {edits} edits: "
        f"{', '.join(f'{s:.2f}' for s in seconds)} s); every page and data file after "
        f"{statistics.median(everything):.2f} s")
    return statistics.median(seconds)


# --- the run ---------------------------------------------------------------------------------


MEASUREMENTS = ("validate", "build", "zensical", "baseline", "serve", "maps")


def measure_size(root: Path, roles: int, args: argparse.Namespace) -> SizeResult:
    result = SizeResult(roles)
    project = make_project(root, roles, args.seed)
    wanted = set(args.only)
    say(f"\n== {roles:,} roles ({project}) ==")
    if "validate" in wanted:
        result.validate = measure_validate(project, args.validate_repeats)
        say(f"careers validate --strict:   {result.validate.describe()}")
    repeats = args.build_repeats if roles <= 500 else 1
    if "build" in wanted:
        result.build, result.pages, result.site_pages = measure_build(project, repeats)
        say(f"careers build (MkDocs):      {result.build.describe()}")
        say(f"  {result.pages:,} generated pages ({result.site_pages:,} HTML files): "
            f"{1000 * result.build.wall / result.pages:.1f} ms wall per generated page")
    if "zensical" in wanted:
        result.zensical, _, _ = measure_build(project, repeats, engine="zensical")
        say(f"careers build (Zensical):    {result.zensical.describe()}")
    if "baseline" in wanted:
        result.pruned, result.baseline_pages = measure_baseline(project, repeats, prune=True)
        say(f"plain mkdocs, pruned nav:    {result.pruned.describe()}")
        for name, ours in (("MkDocs", result.build), ("Zensical", result.zensical)):
            if ours is not None:
                say(f"  {name} engine / pruned baseline = "
                    f"{ours.wall / result.pruned.wall:.2f} (wall)")
        if roles in args.baseline_sizes:
            result.baseline, _ = measure_baseline(project, repeats, prune=False)
            say(f"plain mkdocs, full nav:      {result.baseline.describe()}")
            if result.build is not None:
                say(f"  ours / full-navigation baseline = "
                    f"{result.build.wall / result.baseline.wall:.2f} (wall)")
    if "serve" in wanted and roles in args.serve_sizes:
        result.serve = measure_serve(project)
    if "maps" in wanted and roles in args.maps_sizes:
        result.maps_measured = True
        result.maps = measure_maps(project)
        if result.maps is None:
            say("maps: not available")
        else:
            say(f"careers maps, cold:          {result.maps.cold.describe()}",
                f"careers maps, after editing {result.maps.edited}: "
                f"{result.maps.warm.describe()}; {result.maps.showing} maps show that role")
    if not args.keep:
        shutil.rmtree(project, ignore_errors=True)
    return result


# --- page weight -------------------------------------------------------------------------------

_ASSET_REFERENCE = re.compile(
    r"""<(?:link[^>]*\brel=["']?stylesheet["']?[^>]*\bhref|script[^>]*\bsrc)=["']?([^"' >]+)""")


def page_weight(site: Path, page: Path) -> float:
    """KB a browser transfers for ``page`` with gzip: its HTML (inline SVG included) and the
    stylesheets and scripts it loads from the site (fonts and images left out)."""
    html = page.read_bytes()
    total = len(gzip.compress(html, 6))
    for reference in sorted(set(_ASSET_REFERENCE.findall(html.decode("utf-8", "replace")))):
        if "//" in reference:
            continue  # another host: not part of the site
        asset = (page.parent / reference.split("?")[0].split("#")[0]).resolve()
        if asset.is_file() and asset.is_relative_to(site.resolve()):
            total += len(gzip.compress(asset.read_bytes(), 6))
    return total / 1024


@dataclass(frozen=True)
class Weights:
    role_page: float
    role_page_name: str
    overview: float


def measure_page_weight(root: Path) -> Weights:
    """The example site's heaviest role page and its contact-centre overview."""
    project = root / "example"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    for name in (*PROJECT_FILES, "frameworks"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            shutil.copy2(source, project / name)
    set_plugin_options(project / "mkdocs.yml", maps=False)
    site = project / "site"
    run_child([*CAREERS, "build", "--site-dir", site], project)
    roles = {page: page_weight(site, page) for page in site.glob("*/roles/*/index.html")}
    heaviest = max(roles, key=roles.__getitem__)
    overview = page_weight(site, site / "contact-centre" / "index.html")
    return Weights(roles[heaviest], str(heaviest.relative_to(site).parent), overview)


# --- the table ---------------------------------------------------------------------------------


def say(*lines: str) -> None:
    for line in lines:
        print(line, flush=True)


def summary(results: dict[int, SizeResult], weights: Weights | None) -> bool:
    """Issue 15's targets next to the figures measured; True if every measured one passes."""
    say("\n== targets (issue 15) ==")
    rows: list[tuple[str, str, bool | None]] = []

    def row(label: str, figure: float | None, limit: float, unit: str = "",
            fmt: str = ".2f") -> None:
        if figure is None:
            rows.append((label, "not measured", None))
        else:
            rows.append((label, f"{figure:{fmt}}{unit}", figure <= limit))

    def at(size: int) -> SizeResult | None:
        return results.get(size)

    for size in FULL_SIZES:
        result = at(size)
        validate = result.validate.wall if result and result.validate else None
        if size == 5000:
            row("validate 5,000 roles < 1 s", validate, TARGETS["validate_5000_s"], " s")
    for size in FULL_SIZES:
        result = at(size)
        ratio = (result.build.wall / result.pruned.wall
                 if result and result.build and result.pruned else None)
        row(f"MkDocs build {size:,} <= 0.8x pruned MkDocs", ratio, TARGETS["mkdocs_ratio"],
            "x")
    for size in FULL_SIZES:
        result = at(size)
        ratio = (result.zensical.wall / result.pruned.wall
                 if result and result.zensical and result.pruned else None)
        row(f"Zensical build {size:,} <= 0.6x pruned MkDocs", ratio,
            TARGETS["zensical_ratio"], "x")
    big, small = at(5000), at(500)
    cold = big.maps.cold.run.wall if big and big.maps else None
    warm = big.maps.warm.run.wall if big and big.maps else None
    row("cold maps, 5,000 roles < 150 s", cold, TARGETS["maps_cold_5000_s"], " s", ".1f")
    row("warm maps after one edit, 5,000 < 2 s", warm, TARGETS["maps_warm_5000_s"], " s")
    for size, result in sorted(results.items()):
        if result.maps:
            rows.append((f"maps rendered after one edit, {size:,}",
                         f"{result.maps.warm.rendered} of {result.maps.showing}",
                         result.maps.warm.rendered <= result.maps.showing))
    row("serve: edit visible, 500 roles < 1 s", small.serve if small else None,
        TARGETS["serve_500_s"], " s")
    row("serve: edit visible, 5,000 roles < 3 s", big.serve if big else None,
        TARGETS["serve_5000_s"], " s")
    growth = (big.build.wall / small.build.wall
              if big and small and big.build and small.build else None)
    row("growth 500 -> 5,000 <= 11x", growth, TARGETS["growth"], "x", ".1f")
    peaks = [sample.peak_mb for sample in (big.build, big.zensical) if sample] if big else []
    row("peak memory, 5,000 roles < 600 MiB", max(peaks) if peaks else None,
        TARGETS["peak_5000_mb"], " MiB", ".0f")
    row(f"role page weight < 150 KB ({weights.role_page_name if weights else '-'})",
        weights.role_page if weights else None, TARGETS["role_page_kb"], " KB", ".0f")
    row("contact-centre overview < 250 KB", weights.overview if weights else None,
        TARGETS["overview_kb"], " KB", ".0f")
    for label, figure, met in rows:
        verdict = "-" if met is None else "PASS" if met else "FAIL"
        say(f"{label:48} {figure:>14}  {verdict}")
    return all(met is not False for _, _, met in rows)


def parse_sizes(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="500 roles only")
    parser.add_argument("--sizes", type=parse_sizes, default=FULL_SIZES,
                        help="role counts, comma-separated (default 500,2000,5000)")
    parser.add_argument("--baseline-sizes", type=parse_sizes, default=BASELINE_SIZES,
                        help="sizes that also get the plain-MkDocs baseline (default 500,2000)")
    parser.add_argument("--maps-sizes", type=parse_sizes, default=None,
                        help="sizes whose PDF maps are rendered, a PDF per role (default: "
                             "every size; 5,000 roles take about 10 minutes)")
    parser.add_argument("--serve-sizes", type=parse_sizes, default=SERVE_SIZES,
                        help="sizes whose 'careers serve' reload is timed (default 500,5000)")
    parser.add_argument("--validate-repeats", type=int, default=5)
    parser.add_argument("--build-repeats", type=int, default=3,
                        help="runs of builds at 500 roles (bigger builds run once)")
    parser.add_argument("--only", type=lambda text: tuple(text.split(",")),
                        default=MEASUREMENTS,
                        help=f"measure only these ({','.join(MEASUREMENTS)}; default all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work-dir", type=Path, default=None,
                        help="where the projects go (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the projects afterwards")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = (500,)
    if args.maps_sizes is None:
        args.maps_sizes = args.sizes
    say(f"Career Paths benchmarks: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
        f"sizes {', '.join(f'{size:,}' for size in args.sizes)} roles",
        f"command: {' '.join([Path(sys.executable).name, *sys.argv])}",
        f"validate: median of {args.validate_repeats}; builds at 500 roles: median of "
        f"{args.build_repeats}, bigger builds and maps: 1 run. CPU = user + system time of "
        "the command and the processes it waited for; peak = largest resident size among "
        "them (os.wait4 ru_maxrss).")
    root = args.work_dir or Path(tempfile.mkdtemp(prefix="career-paths-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    weights = measure_page_weight(root) if set(args.only) == set(MEASUREMENTS) else None
    if weights is not None:
        say(f"\npage weight (gzip, HTML + CSS + JS): heaviest role page "
            f"{weights.role_page_name} {weights.role_page:.0f} KB, contact-centre overview "
            f"{weights.overview:.0f} KB")
    results = {size: measure_size(root, size, args) for size in args.sizes}
    passed = summary(results, weights)
    if args.work_dir is None and not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
