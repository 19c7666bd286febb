"""Output folders are the build's own: what a pull request commits there is refused or
replaced, never written through, and a site is swapped in whole, or not at all.

Each test reproduces an attack or an accident of issue 11 on a real copy of the project
(a git repository where git is involved) and runs the real ``careers build``.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from generator.safe_paths import (
    SITE_MARKER,
    Project,
    UnsafePathError,
    check_output_folder,
    write_tree,
)
from tests.project_copy import (
    REPO,
    assert_clean_failure,
    careers,
    commit_all,
    leftovers,
    make_project,
    manifest,
)


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project, committed, with a site built once (for this module)."""
    folder = make_project(tmp_path_factory.mktemp("safe-paths") / "project")
    built = careers(folder, "build")
    assert built.returncode == 0, built.stderr
    return folder


@pytest.fixture
def project(built_project: Path, tmp_path: Path) -> Path:
    """A test's own copy of :func:`built_project` (links, modes and the git repository
    included), so that what one test does to it never reaches another."""
    folder = tmp_path / "project"
    shutil.copytree(built_project, folder, symlinks=True)
    return folder


def break_a_role(project: Path) -> None:
    """Make the next build fail validation (a role on an unknown tier)."""
    role = project / "frameworks" / "demo" / "roles" / "team-lead.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("tier: t2", "tier: t9"),
                    encoding="utf-8")


# --- item 2: links and committed files under generated/ and site/ ---------------------------


def test_a_committed_link_in_generated_pages_is_refused_and_nothing_is_written_through_it(
        project: Path, tmp_path: Path) -> None:
    target = tmp_path / "site-packages" / "evil.pth"
    target.parent.mkdir()
    target.write_text("# untouched\n", encoding="utf-8")
    page = project / "generated" / "pages" / "demo" / "roles" / "csr-1" / "index.md"
    page.unlink()
    page.symlink_to(target)
    commit_all(project, "a link where a generated page is written",
               "generated/pages/demo/roles/csr-1/index.md")
    site_before = manifest(project / "site")

    run = careers(project, "build")

    assert_clean_failure(run, "generated/pages: generated holds files tracked by git",
                         "git rm -r --cached generated")
    assert target.read_text(encoding="utf-8") == "# untouched\n"
    assert manifest(project / "site") == site_before


def test_a_link_left_in_generated_pages_is_replaced_by_the_page_not_written_through(
        project: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.pth"
    target.write_text("# untouched\n", encoding="utf-8")
    page = project / "generated" / "pages" / "demo" / "roles" / "csr-1" / "index.md"
    page.unlink()
    page.symlink_to(target)  # not committed: a leftover of the working tree

    run = careers(project, "build")

    assert run.returncode == 0, run.stderr
    assert target.read_text(encoding="utf-8") == "# untouched\n"
    assert page.is_file() and not page.is_symlink()
    assert "Customer Service Representative I" in page.read_text(encoding="utf-8")


def test_a_committed_link_as_the_generated_pages_folder_is_refused_and_its_target_kept(
        project: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("precious", encoding="utf-8")
    shutil.rmtree(project / "generated")
    (project / "generated").mkdir()
    (project / "generated" / "pages").symlink_to(victim, target_is_directory=True)
    commit_all(project, "generated/pages is a link", "generated/pages")
    site_before = manifest(project / "site")

    run = careers(project, "build")

    assert_clean_failure(run, "generated/pages: is a symbolic link")
    assert manifest(victim) == {"keep.txt": manifest(victim)["keep.txt"]}
    assert (victim / "keep.txt").read_text(encoding="utf-8") == "precious"
    assert manifest(project / "site") == site_before


def test_a_committed_site_link_is_refused_and_the_folder_it_names_kept(
        tmp_path: Path) -> None:
    folder = make_project(tmp_path / "project")
    victim = tmp_path / "home"
    victim.mkdir()
    (victim / "notes.txt").write_text("mine", encoding="utf-8")
    (folder / "site").symlink_to(victim, target_is_directory=True)
    commit_all(folder, "site is a link", "site")

    run = careers(folder, "build")

    assert_clean_failure(run, "site: is a symbolic link", "no site was built")
    assert manifest(victim) == {"notes.txt": manifest(victim)["notes.txt"]}


def test_a_committed_site_folder_is_refused(project: Path) -> None:
    commit_all(project, "the built site, force-added", "site")
    before = manifest(project / "site")

    run = careers(project, "build")

    assert_clean_failure(run, "site: site holds files tracked by git")
    assert manifest(project / "site") == before


def test_writing_a_tree_never_follows_a_link_inside_it(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "page.md").write_text("outside", encoding="utf-8")
    tree = tmp_path / "tree"
    (tree / "demo").mkdir(parents=True)
    (tree / "demo" / "roles").symlink_to(outside, target_is_directory=True)

    write_tree(tree, [("demo/roles/page.md", b"inside")])

    assert (outside / "page.md").read_text(encoding="utf-8") == "outside"
    assert not (tree / "demo" / "roles").is_symlink()
    assert (tree / "demo" / "roles" / "page.md").read_bytes() == b"inside"


# --- item 5: --site-dir never replaces the project or its sources ---------------------------


@pytest.mark.parametrize("site_dir", [".", "..", "site_docs", "site_docs/guide", "frameworks",
                                      "frameworks/demo", "overrides", ".git", "generated/pages"])
def test_site_dir_refuses_the_project_its_parents_and_its_sources(
        project: Path, site_dir: str) -> None:
    before = manifest(project)

    run = careers(project, "build", "--site-dir", site_dir)

    assert_clean_failure(run)
    assert any(words in run.stderr for words in (
        "is the project folder or one of its parents", "the source folder",
        "should not be within the 'site_dir'", "should not be within the 'docs_dir'")), \
        run.stderr
    assert manifest(project) == before


def test_site_dir_refuses_a_folder_that_is_not_a_site_it_built(project: Path,
                                                               tmp_path: Path) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "cv.txt").write_text("mine", encoding="utf-8")

    run = careers(project, "build", "--site-dir", documents)

    assert_clean_failure(run, "Documents: this folder is not empty and is not a site built by "
                              "careers build")
    assert (documents / "cv.txt").read_text(encoding="utf-8") == "mine"
    assert manifest(documents) == {"cv.txt": manifest(documents)["cv.txt"]}


def test_site_dir_replaces_a_site_it_built_and_fills_a_new_or_empty_folder(
        project: Path, tmp_path: Path) -> None:
    assert (project / "site" / SITE_MARKER).is_file()
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder in (project / "site", empty, tmp_path / "new" / "site"):
        run = careers(project, "build", "--site-dir", folder)
        assert run.returncode == 0, run.stderr
        assert (folder / "demo" / "roles" / "csr-1" / "index.html").is_file()


def test_an_output_folder_below_a_tracked_area_is_refused(tmp_path: Path) -> None:
    folder = make_project(tmp_path / "project")
    with pytest.raises(UnsafePathError,
                       match="frameworks/x: is inside the source folder frameworks"):
        check_output_folder(folder / "frameworks" / "x", Project.of(folder, "frameworks"))
    (folder / "notes").mkdir()
    (folder / "notes" / "a.md").write_text("tracked", encoding="utf-8")
    commit_all(folder, "notes")
    with pytest.raises(UnsafePathError, match="notes/out: notes holds files tracked by git"):
        check_output_folder(folder / "notes" / "out", Project.of(folder))


# --- item 6: kill -9 between the two renames of the swap ------------------------------------

KILL_BETWEEN_RENAMES = textwrap.dedent("""\
    import os, signal, sys
    import generator.safe_paths as folders
    real_replace = os.replace

    def replace_then_die(source, destination):
        real_replace(source, destination)
        if os.path.basename(str(destination)).startswith(".site-old-"):
            os.kill(os.getpid(), signal.SIGKILL)  # the old site is out, the new not yet in

    folders.os.replace = replace_then_die
    from generator.cli import main
    sys.exit(main(["build"]))
    """)


def test_a_build_killed_between_the_two_renames_leaves_the_newest_site_to_the_next(
        project: Path) -> None:
    role = project / "frameworks" / "demo" / "roles" / "csr-2.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace(
        "title: Customer Service Representative II", "title: Senior Agent"), encoding="utf-8")
    killed = subprocess.run([sys.executable, "-c", KILL_BETWEEN_RENAMES], cwd=project,
                            capture_output=True, text=True, timeout=180, check=False,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not (project / "site").exists()
    assert len(leftovers(project / "site")) == 2  # the old site and the finished new one

    break_a_role(project)
    run = careers(project, "build")

    assert_clean_failure(run, "the previous site is unchanged", "unknown tier")
    assert "restored from .site-building-" in run.stderr
    page = project / "site" / "demo" / "roles" / "csr-2" / "index.html"
    assert "Senior Agent" in page.read_text(encoding="utf-8")  # the newest complete site
    assert leftovers(project / "site") == []


def test_without_a_finished_staging_folder_the_old_site_is_put_back(project: Path) -> None:
    site = project / "site"
    before = manifest(site)
    os.replace(site, project / ".site-old-999999999")  # the old one out, killed before the new
    (project / ".site-building-999999999-abcd").mkdir()  # an unfinished staging folder

    break_a_role(project)
    run = careers(project, "build")

    assert_clean_failure(run, "the previous site is unchanged")
    assert manifest(site) == before
    assert leftovers(site) == []


# --- item 13: overlapping builds, full disk, read-only folder, SIGTERM ----------------------


def test_a_build_waits_for_another_build_of_the_same_folder(project: Path) -> None:
    lock = os.open(project, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(lock, fcntl.LOCK_EX)  # what a build running in parallel holds
    said = "another build is writing here; waiting for it to finish"
    lines: list[str] = []
    try:
        waiting = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=project,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
        reader = threading.Thread(target=lambda: lines.extend(waiting.stderr or ()))
        reader.start()
        deadline = time.monotonic() + 120
        while not any(said in line for line in lines):  # it found the lock taken
            assert waiting.poll() is None, "".join(lines)
            assert time.monotonic() < deadline, "".join(lines)
            time.sleep(0.05)
        time.sleep(1.5)  # it would have staged in a few milliseconds if it did not wait
        assert waiting.poll() is None, "".join(lines)
        assert leftovers(project / "site") == []  # it has not started to stage
    finally:
        os.close(lock)
    assert waiting.wait(timeout=180) == 0, "".join(lines)
    reader.join(timeout=30)
    assert said in "".join(lines)


def test_two_builds_at_once_both_succeed_and_leave_one_whole_site(project: Path) -> None:
    builds = [subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=project,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(REPO)}) for _ in range(2)]
    errors = [build.communicate(timeout=300)[1] for build in builds]
    assert [build.returncode for build in builds] == [0, 0], errors
    assert not any("Traceback" in err for err in errors)
    assert leftovers(project / "site") == []
    assert (project / "site" / "demo" / "roles" / "csr-1" / "index.html").is_file()


def _unshare_available() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c",
                            "mount -t tmpfs -o size=1m tmpfs /mnt 2>/dev/null || "
                            "mount -t tmpfs -o size=1m tmpfs \"$TMPDIR\""],
                           capture_output=True, check=False,
                           env={**os.environ, "TMPDIR": "/tmp"})
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(not _unshare_available(),
                                  reason="needs unshare -rm to mount a small file system")

ON_A_SMALL_DISK = textwrap.dedent("""\
    set -eu
    mount -t tmpfs -o size=12m tmpfs "$OUT"
    python -m generator build --site-dir "$OUT/site" > /dev/null 2>&1
    python - "$OUT/site" > "$OUT/../before.txt" <<'EOF'
    import sys; from pathlib import Path; from tests.project_copy import manifest
    print(sorted(manifest(Path(sys.argv[1])).items()))
    EOF
    {damage}
    set +e
    python -m generator build --site-dir "$OUT/site" 2> "$OUT/../stderr.txt"
    echo $? > "$OUT/../status.txt"
    python - "$OUT/site" > "$OUT/../after.txt" <<'EOF'
    import sys; from pathlib import Path; from tests.project_copy import manifest
    print(sorted(manifest(Path(sys.argv[1])).items()))
    EOF
    ls -a "$OUT" > "$OUT/../listing.txt"
    """)


def build_on_a_small_disk(project: Path, damage: str) -> dict[str, str]:
    """Build onto a 12 MB file system of its own, do ``damage`` to it, build again."""
    out = project / "out"
    out.mkdir()
    script = ON_A_SMALL_DISK.format(damage=damage)
    subprocess.run(["unshare", "-rm", "sh", "-c", script], cwd=project, check=True,
                   timeout=300, env={**os.environ, "OUT": str(out), "PYTHONPATH": str(REPO),
                                     "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"})
    return {name: (project / f"{name}.txt").read_text(encoding="utf-8")
            for name in ("before", "after", "stderr", "status", "listing")}


@needs_mounts
def test_a_full_disk_ends_the_build_with_a_clean_error_and_keeps_the_site(
        project: Path) -> None:
    result = build_on_a_small_disk(
        project, 'dd if=/dev/zero of="$OUT/filler" bs=64k 2>/dev/null || true')
    assert result["status"].strip() == "1", result["stderr"]
    assert "No space left on device" in result["stderr"]
    assert "the previous site is unchanged" in result["stderr"]
    assert "Traceback" not in result["stderr"]
    assert result["after"] == result["before"] and "index.html" in result["before"]
    assert result["listing"].split() == [".", "..", "filler", "site"]


@needs_mounts
def test_a_read_only_output_folder_ends_the_build_with_a_clean_error(project: Path) -> None:
    result = build_on_a_small_disk(project, 'mount -o remount,ro "$OUT"')
    assert result["status"].strip() == "1", result["stderr"]
    assert "Read-only file system" in result["stderr"]
    assert "Traceback" not in result["stderr"]
    assert result["after"] == result["before"] and "index.html" in result["before"]


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def test_sigterm_during_a_build_removes_the_staging_folder_and_stops_its_workers(
        tmp_path: Path) -> None:
    folder = make_project(tmp_path / "project", maps=True)
    build = subprocess.Popen(
        [sys.executable, "-m", "generator", "build"], cwd=folder, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(REPO),
             "CAREER_PATHS_MAPS_CACHE": str(tmp_path / "empty-cache")})  # maps render now
    deadline = time.monotonic() + 120
    while len(children_of(build.pid)) < 2 and build.poll() is None:
        assert time.monotonic() < deadline, "no workers started"
        time.sleep(0.01)
    assert leftovers(folder / "site"), "the build had not started to stage"

    build.send_signal(signal.SIGTERM)
    _out, err = build.communicate(timeout=60)

    assert build.returncode == 143, err
    assert "terminated" in err and "Traceback" not in err
    assert leftovers(folder / "site") == []
    deadline = time.monotonic() + 10
    while group_alive(build.pid):  # every worker ends (at once, unless the machine is busy)
        assert time.monotonic() < deadline, "a worker of the build is still running"
        time.sleep(0.05)


def group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


# --- item 15: the site folder's mode --------------------------------------------------------


def test_the_site_folder_gets_the_mode_of_any_new_folder(project: Path) -> None:
    umask = os.umask(0)
    os.umask(umask)
    assert (project / "site").stat().st_mode & 0o777 == 0o777 & ~umask
