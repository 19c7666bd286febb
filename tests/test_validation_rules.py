"""Every rule, loader and semantic, triggered by one small mistake in the tiny framework.

Each case edits a few lines of the valid framework from ``conftest.py`` and names the
rule it expects and where: ``at`` is text on the reported line, with ``^`` before the
reported column (no ``^``: the start of the text; ``None``: line 1, column 1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.diagnostics import Diagnostic, Severity
from generator.validation import RULES, validate_path
from generator.yaml_loader import MAX_DEPTH, MAX_FILE_BYTES

Mutation = Callable[[Path], None]

LOADER_RULES = {
    "yaml-syntax", "yaml-tab", "duplicate-key", "yaml-tag", "yaml-too-complex",
    "yaml-merge-key", "file-too-large", "encoding", "empty-file", "unknown-key",
    "missing-key", "wrong-type", "invalid-value", "missing-file", "unknown-file",
    "invalid-id", "unsafe-path", "invalid-extends", "shared-collision", "shared-folder",
    "yaml-number",
}
"""Rules the loader reports; the shared folder's are triggered in tests/test_shared_folders.py."""


# --- mutations -------------------------------------------------------------------------------


def replace(file: str, old: str, new: str) -> Mutation:
    """Replace the one occurrence of ``old`` in ``file``."""

    def mutate(folder: Path) -> None:
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {file}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    return mutate


def append(file: str, text: str) -> Mutation:
    def mutate(folder: Path) -> None:
        with (folder / file).open("a", encoding="utf-8") as stream:
            stream.write(text)

    return mutate


def write(file: str, content: str | bytes) -> Mutation:
    def mutate(folder: Path) -> None:
        path = folder / file
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return mutate


def delete(file: str) -> Mutation:
    return lambda folder: (folder / file).unlink()


def remove_roles(folder: Path) -> None:
    for role in (folder / "roles").iterdir():
        role.unlink()


def link_outside(file: str) -> Mutation:
    """Make ``file`` a symbolic link to a role file outside the frameworks folder."""

    def mutate(folder: Path) -> None:
        outside = folder.parents[1] / "outside.yaml"
        outside.write_text("title: Outsider\ntrack: frontline\ntier: t1\n", encoding="utf-8")
        (folder / file).symlink_to(outside)

    return mutate


# --- the table -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    description: str
    mutation: Mutation
    rule: str
    file: str
    at: str | None
    also: frozenset[str] = frozenset()
    """Other rules the same mistake rightly triggers (every other rule is a failure)."""
    mutation2: Mutation | None = None
    """A second edit the mistake needs (in another file)."""
    occurrence: int = 1
    """Which line holding ``at`` is meant, when several do."""

    def apply(self, folder: Path) -> None:
        self.mutation(folder)
        if self.mutation2 is not None:
            self.mutation2(folder)

    def __str__(self) -> str:
        return f"{self.rule}: {self.description}"


TITLE_2 = "title: Customer Service Representative II"
ENTRY_ROLE = ("title: Trainee\ntrack: frontline\ntier: t1\nentry: true\ncompetencies:\n"
              "  call-resolution: 1\n")
NESTED = "[" * (MAX_DEPTH + 10) + "]" * (MAX_DEPTH + 10)

CASES = [
    # loading: YAML that cannot be read safely
    Case("a second colon on a line", replace("roles/csr-2.yaml", "track: frontline",
         "track: frontline: retail"), "yaml-syntax", "roles/csr-2.yaml",
         "track: frontline^: retail"),
    Case("a list used as a key", append("roles/csr-2.yaml", "? [a, b]\n: c\n"),
         "yaml-syntax", "roles/csr-2.yaml", "? ^[a, b]"),
    Case("a second document", append("roles/csr-2.yaml", "---\ntitle: Again\n"),
         "yaml-syntax", "roles/csr-2.yaml", "^---"),
    Case("a tab indents a key", replace("roles/csr-2.yaml", "  call-resolution: 2",
         "\tcall-resolution: 2"), "yaml-tab", "roles/csr-2.yaml", "^\tcall-resolution"),
    Case("a non-breaking space indents a key", replace("roles/csr-2.yaml",
         "  call-resolution: 2", "\u00a0 call-resolution: 2"), "yaml-syntax",
         "roles/csr-2.yaml", "^\u00a0 call-resolution"),
    Case("curly quotes around text with a colon", replace("roles/csr-2.yaml",
         "  - text: Signed off by a supervisor.",
         "  - text: \u201cSigned off: by a supervisor\u201d"),
         "yaml-syntax", "roles/csr-2.yaml", "text: ^\u201cSigned"),
    Case("a key written twice", replace("roles/team-lead.yaml", "tier: t2\n",
         "tier: t2\ntier: t1\n"), "duplicate-key", "roles/team-lead.yaml", "^tier: t1"),
    Case("a python tag", replace("roles/csr-2.yaml", TITLE_2,
         "title: !!python/object/apply:os.system [echo hacked]"), "yaml-tag",
         "roles/csr-2.yaml", "title: ^!!python"),
    Case("values nested too deep", replace("roles/csr-2.yaml", TITLE_2, f"title: {NESTED}"),
         "yaml-too-complex", "roles/csr-2.yaml", "title: " + "[" * MAX_DEPTH + "^["),
    Case("a merge key", append("roles/csr-2.yaml", "<<: {entry: true}\n"),
         "yaml-merge-key", "roles/csr-2.yaml", "^<<"),
    Case("a huge file", write("roles/team-lead.yaml", "title: " + "x" * MAX_FILE_BYTES),
         "file-too-large", "roles/team-lead.yaml", None),
    Case("a Latin-1 file", write("roles/team-lead.yaml",
         b"title: Caf\xe9 Lead\ntrack: leadership\ntier: t2\n"), "encoding",
         "roles/team-lead.yaml", "title: Caf^"),
    Case("a NUL character", write("roles/team-lead.yaml", "title: Team\x00Lead\n"),
         "encoding", "roles/team-lead.yaml", "title: Team^\x00"),
    Case("an empty role file", write("roles/team-lead.yaml", ""), "empty-file",
         "roles/team-lead.yaml", None),
    Case("a file of comments only", write("salary.yaml", "# bands follow\n"), "empty-file",
         "salary.yaml", None),
    # loading: YAML that does not fit the format
    Case("a misspelt key", append("roles/csr-2.yaml", "summray: Handles the queue.\n"),
         "unknown-key", "roles/csr-2.yaml", "^summray"),
    Case("a misspelt key in a list item", replace("framework.yaml", "    unit: percent",
         "    unti: percent"), "unknown-key", "framework.yaml", "    ^unti"),
    Case("a number as a key", append("roles/csr-2.yaml", "2: two\n"), "unknown-key",
         "roles/csr-2.yaml", "^2: two"),
    Case("a required key left out", replace("roles/team-lead.yaml", "title: Team Lead\n", ""),
         "missing-key", "roles/team-lead.yaml", "^track: leadership"),
    Case("a required key left out of a tier", replace("framework.yaml",
         "    name: Professional\n", ""), "missing-key", "framework.yaml", "- ^id: t2"),
    Case("a list where text belongs", replace("roles/csr-2.yaml", "tier: t2", "tier: [t2]"),
         "wrong-type", "roles/csr-2.yaml", "tier: ^[t2]"),
    Case("a file that is a list", write("salary.yaml", "- tier: t1\n  min: 1\n"),
         "wrong-type", "salary.yaml", None),
    Case("a number where text belongs", replace("framework.yaml", 'version: "2026.1"',
         "version: 2026.10"), "wrong-type", "framework.yaml", "version: ^2026.10"),
    Case("text where a number belongs", replace("salary.yaml", "mid: 38000", "mid: lots"),
         "wrong-type", "salary.yaml", "mid: ^lots"),
    Case("a level key that is not a number", replace("competencies.yaml", "    2: Resolves",
         "    two: Resolves"), "wrong-type", "competencies.yaml", "    ^two: Resolves"),
    Case("a misspelt track kind", replace("framework.yaml", "kind: management",
         "kind: managment"), "invalid-value", "framework.yaml", "kind: ^managment"),
    Case("a date that does not exist", replace("framework.yaml", "currency: USD\n",
         "currency: USD\neffective: 2026-02-30\n"), "invalid-value", "framework.yaml",
         "effective: ^2026-02-30"),
    Case("a criterion with both text and metric", replace("roles/csr-2.yaml",
         "  - text: Signed off by a supervisor.", "  - text: Signed off.\n    metric: fcr"),
         "invalid-value", "roles/csr-2.yaml", "  - ^text: Signed off."),
    Case("no framework.yaml", delete("framework.yaml"), "missing-file", "framework.yaml",
         None),
    Case("no competencies.yaml", delete("competencies.yaml"), "missing-file",
         "competencies.yaml", None),
    Case("a stray file", write("README.md", "# Demo\n"), "unknown-file", "README.md", None),
    Case("a .yml file", write("competencies.yml", "[]\n"), "unknown-file",
         "competencies.yml", None),
    Case("a role file that is not YAML", write("roles/notes.txt", "todo\n"), "unknown-file",
         "roles/notes.txt", None),
    Case("a role file name that is not a slug", write("roles/CSR_3.yaml",
         "title: CSR III\ntrack: frontline\ntier: t2\n"), "invalid-id", "roles/CSR_3.yaml",
         None),
    Case("a link to a file outside", link_outside("roles/outside.yaml"), "unsafe-path",
         "roles/outside.yaml", None),
    # semantic rules
    Case("a policy id with capitals", replace("framework.yaml", "id: quartile-gate",
         "id: Quartile Gate"), "invalid-id", "framework.yaml", "id: ^Quartile Gate"),
    Case("an alias with a space", replace("roles/csr-2.yaml", "aliases: [csr-ii]",
         "aliases: [CSR II]"), "invalid-id", "roles/csr-2.yaml", "aliases: [^CSR II]"),
    Case("two tracks with one id", replace("framework.yaml", "    kind: management\n",
         "    kind: management\n  - {id: frontline, name: Retail, kind: individual}\n"),
         "duplicate-id", "framework.yaml", "{id: ^frontline"),
    Case("a built-in metric defined again", replace("framework.yaml", "    unit: percent\n",
         "    unit: percent\n  - {id: quartile, name: Quartile, unit: quartile}\n"),
         "duplicate-id", "framework.yaml", "{id: ^quartile"),
    Case("two competencies with one id", append("competencies.yaml",
         "- {id: call-resolution, name: Again, levels: {1: Resolves., 2: Teaches.}}\n"),
         "duplicate-id",
         "competencies.yaml", "- {id: ^call-resolution"),
    Case("an alias that is a role id", replace("roles/csr-2.yaml", "aliases: [csr-ii]",
         "aliases: [csr-1]"), "id-collision", "roles/csr-2.yaml", "aliases: [^csr-1]"),
    Case("a retired id that is an alias", replace("framework.yaml", "id: senior-csr",
         "id: csr-ii"), "id-collision", "framework.yaml", "id: ^csr-ii"),
    Case("a role on a misspelt track", replace("roles/csr-2.yaml", "track: frontline",
         "track: frontlne"), "unknown-track", "roles/csr-2.yaml", "track: ^frontlne"),
    Case("a band on a misspelt track", replace("salary.yaml", "  - tier: t2\n",
         "  - tier: t2\n    track: leadrship\n"), "unknown-track", "salary.yaml",
         "track: ^leadrship"),
    Case("a role at an unknown tier", replace("roles/csr-2.yaml", "tier: t2", "tier: t9"),
         "unknown-tier", "roles/csr-2.yaml", "tier: ^t9"),
    Case("a band at an unknown tier", replace("salary.yaml", "tier: t2", "tier: t3"),
         "unknown-tier", "salary.yaml", "tier: ^t3"),
    Case("a misspelt competency", replace("roles/csr-2.yaml", "  call-resolution: 2",
         "  call-resolutoin: 2"), "unknown-competency", "roles/csr-2.yaml",
         "  ^call-resolutoin"),
    Case("a misspelt metric", replace("roles/csr-2.yaml", "  - metric: fcr\n    min: 88",
         "  - metric: fcrr\n    min: 88"), "unknown-metric", "roles/csr-2.yaml",
         "metric: ^fcrr"),
    Case("a misspelt lateral role", replace("roles/csr-2.yaml", "lateral: [team-lead]",
         "lateral: [team-lead, team-leed]"), "unknown-role", "roles/csr-2.yaml",
         "team-lead, ^team-leed"),
    Case("a retired role replaced by nothing", replace("framework.yaml",
         "replaced_by: csr-2", "replaced_by: csr-9"), "unknown-replacement",
         "framework.yaml", "replaced_by: ^csr-9"),
    Case("a promotion to the same tier", append("roles/csr-2.yaml", "next: [team-lead]\n"),
         "next-not-higher", "roles/csr-2.yaml", "next: [^team-lead]"),
    Case("a lateral move down a tier", replace("roles/csr-2.yaml", "lateral: [team-lead]",
         "lateral: [team-lead, csr-1]"), "lateral-not-same-tier", "roles/csr-2.yaml",
         "team-lead, ^csr-1"),
    Case("a promotion back to the start", append("roles/csr-2.yaml", "next: [csr-1]\n"),
         "promotion-cycle", "roles/csr-2.yaml", "next: [^csr-1]", {"next-not-higher"}),
    Case("no entry role", replace("roles/csr-1.yaml", "entry: true", "entry: false"),
         "no-entry-role", "roles/csr-1.yaml", "title: ^Customer"),
    Case("no role files at all", remove_roles, "no-entry-role", "roles", None,
         {"unknown-replacement"}),
    Case("a role nobody can reach", write("roles/trainer.yaml",
         "title: Trainer\ntrack: frontline\ntier: t2\ncompetencies:\n  call-resolution: 2\n"),
         "unreachable-role", "roles/trainer.yaml", "title: ^Trainer"),
    Case("levels 1 and 3 without 2", append("competencies.yaml",
         "- id: coaching\n  name: Coaching\n  levels: {1: Coaches one., 3: Coaches many.}\n"),
         "level-numbering", "competencies.yaml", "levels: ^{1"),
    Case("a level above the top", replace("roles/csr-2.yaml", "call-resolution: 2",
         "call-resolution: 3"), "unknown-level", "roles/csr-2.yaml", "call-resolution: ^3"),
    Case("a role without competencies", replace("roles/team-lead.yaml",
         "competencies:\n  call-resolution: 2\n", ""), "no-competencies",
         "roles/team-lead.yaml", "title: ^Team Lead"),
    Case("a percentage above 100", replace("roles/csr-2.yaml", "min: 88", "min: 101"),
         "metric-bounds", "roles/csr-2.yaml", "min: ^101"),
    Case("a fifth quartile", replace("framework.yaml", "max: 2", "max: 5"), "metric-bounds",
         "framework.yaml", "max: ^5"),
    Case("min above max", replace("roles/csr-2.yaml", "    min: 85\n",
         "    min: 85\n    max: 80\n"), "metric-bounds", "roles/csr-2.yaml", "min: ^85"),
    Case("salary without a currency", replace("framework.yaml", "currency: USD\n", ""),
         "missing-currency", "framework.yaml", "^name: Demo"),
    Case("a currency in lower case", replace("framework.yaml", "currency: USD",
         "currency: usd"), "missing-currency", "framework.yaml", "currency: ^usd"),
    Case("a midpoint above the maximum", replace("salary.yaml", "mid: 45000", "mid: 55000"),
         "band-range", "salary.yaml", "mid: ^55000"),
    Case("a minimum above the midpoint and the next tier", replace("salary.yaml",
         "min: 34000", "min: 51000"), "band-range", "salary.yaml", "min: ^51000"),
    Case("a negative minimum", replace("salary.yaml", "min: 34000", "min: -1"),
         "band-range", "salary.yaml", "min: ^-1"),
    Case("two bands for one tier", append("salary.yaml",
         "  - {tier: t1, min: 34000, mid: 38000, max: 42000}\n"), "duplicate-band",
         "salary.yaml", "- ^{tier: t1"),
    Case("a higher tier paying less", replace("salary.yaml", "min: 40000", "min: 30000"),
         "band-order", "salary.yaml", "min: ^30000"),
    Case("a leadership band above the same tier", append("salary.yaml",
         "  - {tier: t2, track: leadership, min: 50000, mid: 55000, max: 60000}\n"),
         "band-parity", "salary.yaml", "- ^{tier: t2, track: leadership"),
    Case("a raised individual band beside the management band", append("salary.yaml",
         "  - {tier: t2, track: leadership, min: 40000, mid: 45000, max: 50000}\n"
         "  - {tier: t2, track: frontline, min: 41000, mid: 45000, max: 50000}\n"),
         "band-parity", "salary.yaml", "- ^{tier: t2, track: frontline"),
    # format 1.1
    Case("a scale with one name twice", append("framework.yaml",
         "scale:\n  - name: Practitioner\n  - name: Practitioner\n"), "duplicate-scale-level",
         "framework.yaml", "name: ^Practitioner", occurrence=2),
    Case("a competency with more levels than the scale", append("framework.yaml",
         "scale:\n  - name: Practitioner\n"), "levels-beyond-scale", "competencies.yaml",
         "    ^2: Resolves"),
    Case("a level named in a role but missing from the scale", append("framework.yaml",
         "scale:\n  - name: Aware\n  - name: Practitioner\n"),
         "unknown-level", "roles/csr-2.yaml", "call-resolution: ^Practicioner",
         mutation2=replace("roles/csr-2.yaml", "call-resolution: 2",
                           "call-resolution: Practicioner")),
    Case("a level named without a scale", replace("roles/csr-2.yaml", "call-resolution: 2",
         "call-resolution:\n    level: Practitioner"), "unknown-level", "roles/csr-2.yaml",
         "level: ^Practitioner"),
    Case("a level without text and without a scale", replace("competencies.yaml",
         "    2: Resolves every call type independently.",
         "    2: {examples: [Resolves a billing dispute alone.]}"), "level-without-text",
         "competencies.yaml", "    ^2: {examples"),
    Case("an empty list of statements", replace("competencies.yaml",
         "    2: Resolves every call type independently.",
         "    2:\n      text: Resolves every call type.\n      statements: []"),
         "empty-statement", "competencies.yaml", "statements: ^[]"),
    Case("an empty develop suggestion", replace("competencies.yaml",
         "    2: Resolves every call type independently.",
         "    2:\n      text: Resolves every call type.\n      develop:\n        - ''"),
         "empty-statement", "competencies.yaml", "        - ^''"),
    Case("an empty role statement", replace("roles/csr-2.yaml", "call-resolution: 2",
         "call-resolution:\n    level: 2\n    statements: ['  ']"), "empty-statement",
         "roles/csr-2.yaml", "statements: [^'  ']"),
    Case("a category misspelt", replace("competencies.yaml", "  name: Call resolution\n",
         "  name: Call resolution\n  category: Custmer\n"), "unknown-category",
         "competencies.yaml", "category: ^Custmer",
         mutation2=append("framework.yaml", "categories:\n  - name: Customer\n")),
    Case("a category listed twice", append("framework.yaml",
         "categories:\n  - name: Customer\n  - name: Customer\n"), "duplicate-id",
         "framework.yaml", "  - name: ^Customer", occurrence=2),
    Case("a policy for an unknown track", replace("framework.yaml",
         "    text: Only first-", "    tracks: [frontlin]\n    text: Only first-"),
         "unknown-track", "framework.yaml", "tracks: [^frontlin]"),
    Case("a policy for an unknown tier", replace("framework.yaml",
         "    text: Only first-", "    tiers: [t1, t7]\n    text: Only first-"),
         "unknown-tier", "framework.yaml", "tiers: [t1, ^t7]"),
    Case("a policy for an unknown role", replace("framework.yaml",
         "    text: Only first-", "    roles: [csr-3]\n    text: Only first-"),
         "unknown-role", "framework.yaml", "roles: [^csr-3]"),
    Case("a policy about something unknown", replace("framework.yaml",
         "    text: Only first-", "    applies_to: leave\n    text: Only first-"),
         "invalid-value", "framework.yaml", "applies_to: ^leave"),
    Case("steps that fall", replace("salary.yaml", "    mid: 38000\n",
         "    steps: [34000, 39000, 36000]\n"), "band-steps", "salary.yaml",
         "steps: [34000, 39000, ^36000]"),
    Case("a step above the maximum", replace("salary.yaml", "    mid: 38000\n",
         "    mid: 38000\n    steps: [34000, 43000]\n"), "band-steps", "salary.yaml",
         "steps: [34000, ^43000]"),
    Case("a band without a midpoint in the wrong order", replace("salary.yaml",
         "    mid: 38000\n    max: 42000", "    max: 32000"), "band-range", "salary.yaml",
         "min: ^34000"),
    Case("a zone with percent and amount", append("salary.yaml",
         "zones:\n  - {id: london, name: London, percent: 20, amount: 3000}\n"),
         "zone-adjustment", "salary.yaml", "percent: 20, ^amount"),
    Case("a zone percent below -90", append("salary.yaml",
         "zones:\n  - {id: remote, name: Remote, percent: -95}\n"), "zone-adjustment",
         "salary.yaml", "percent: ^-95"),
    Case("a zone floor above its cap", append("salary.yaml",
         "zones:\n  - {id: london, name: London, percent: 20, minimum: 7000, maximum: 5000}\n"),
         "zone-adjustment", "salary.yaml", "minimum: ^7000"),
    Case("two zones with one id", append("salary.yaml",
         "zones:\n  - {id: london, name: London, amount: 3000}\n"
         "  - {id: london, name: Inner London, amount: 4000}\n"), "duplicate-id",
         "salary.yaml", "  - {id: ^london, name: Inner"),
    Case("a zone id with capitals", append("salary.yaml",
         "zones:\n  - {id: London, name: London, amount: 3000}\n"), "invalid-id",
         "salary.yaml", "{id: ^London"),
    Case("a band in an unknown zone", append("salary.yaml",
         "  - {tier: t1, zone: londn, min: 40000, max: 48000}\n"
         "zones:\n  - {id: london, name: London, amount: 3000}\n"), "unknown-zone",
         "salary.yaml", "zone: ^londn"),
    Case("two bands for one tier in one zone", append("salary.yaml",
         "  - {tier: t1, zone: london, min: 40000, max: 48000}\n"
         "  - {tier: t1, zone: london, min: 41000, max: 49000}\n"
         "zones:\n  - {id: london, name: London, amount: 3000}\n"), "duplicate-band",
         "salary.yaml", "- ^{tier: t1, zone: london, min: 41000"),
    Case("a tier range ending below its start", replace("roles/csr-2.yaml", "tier: t2\n",
         "tier: t2\ntier_max: t1\n"), "tier-range", "roles/csr-2.yaml", "tier_max: ^t1"),
    Case("a tier range ending at an unknown tier", replace("roles/csr-2.yaml", "tier: t2\n",
         "tier: t2\ntier_max: t5\n"), "unknown-tier", "roles/csr-2.yaml", "tier_max: ^t5"),
    Case("a promotion into the range of the role itself", replace("roles/csr-1.yaml",
         "tier: t1\n", "tier: t1\ntier_max: t2\n"), "next-not-higher", "roles/csr-1.yaml",
         "next: [^csr-2"),
    Case("an unknown advancement", append("roles/csr-2.yaml", "advancement: automatc\n"),
         "invalid-value", "roles/csr-2.yaml", "advancement: ^automatc"),
    Case("a requirement on an unknown metric", append("roles/csr-2.yaml",
         "requirements:\n  - metric: tenure\n    min: 12\n"), "unknown-metric",
         "roles/csr-2.yaml", "metric: ^tenure"),
    # issue 11: what a pull request could use against the build and the publishing
    Case("a version that is a mike option", replace("framework.yaml", 'version: "2026.1"',
         'version: "--branch=main"'), "invalid-version", "framework.yaml",
         'version: ^"--branch=main"'),
    Case("an id of 65 characters", replace("framework.yaml", "id: quartile-gate",
         f"id: {'q' * 65}"), "id-too-long", "framework.yaml", f"id: ^{'q' * 65}"),
    Case("a role file name of 65 characters", write(f"roles/{'r' * 65}.yaml", ENTRY_ROLE),
         "id-too-long", f"roles/{'r' * 65}.yaml", None),
    Case("a role id the site uses for its list of roles", write("roles/index.yaml", ENTRY_ROLE),
         "reserved-id", "roles/index.yaml", None),
    Case("an alias the site uses for the printable maps", replace("roles/csr-2.yaml",
         "aliases: [csr-ii]", "aliases: [maps]"), "reserved-id", "roles/csr-2.yaml",
         "aliases: [^maps]"),
    Case("a title of 201 characters", replace("roles/team-lead.yaml", "title: Team Lead",
         f"title: {'T' * 201}"), "too-long", "roles/team-lead.yaml", "title: ^TTT"),
    Case("51 aliases", replace("roles/csr-2.yaml", "aliases: [csr-ii]",
         f"aliases: [{', '.join(f'old-{n}' for n in range(51))}]"), "too-many",
         "roles/csr-2.yaml", "aliases: ^[old-0"),
    Case("a figure with a leading zero (YAML 1.1 octal)", replace("salary.yaml", "min: 34000",
         "min: 034000"), "yaml-number", "salary.yaml", "min: ^034000"),
]


def locate(path: Path, at: str | None, occurrence: int = 1) -> tuple[int, int]:
    """Line and column of ``at`` in the file (``^`` marks the column); 1, 1 for ``None``.
    ``at`` must be on one line only, or ``occurrence`` says which one is meant."""
    if at is None:
        return 1, 1
    offset = at.index("^") if "^" in at else 0
    needle = at.replace("^", "", 1)
    lines = path.read_bytes().decode("utf-8", errors="replace").split("\n")
    hits = [(number, line.index(needle)) for number, line in enumerate(lines, 1) if needle in line]
    assert len(hits) == 1 or occurrence > 1, \
        f"{needle!r} must be on exactly one line of {path.name}: {hits}"
    number, start = hits[occurrence - 1]
    return number, start + offset + 1


def validate(folder: Path) -> list[Diagnostic]:
    """Validate the frameworks folder holding ``folder``; paths relative to it."""
    _, diagnostics = validate_path(folder.parent, root=folder.parent)
    return diagnostics


def listing(diagnostics: list[Diagnostic]) -> str:
    return "\n".join(d.format_text() for d in diagnostics) or "(no problems reported)"


def test_tiny_framework_is_valid_even_under_strict(tiny_framework: Path) -> None:
    assert validate(tiny_framework) == []


@pytest.mark.parametrize("case", CASES, ids=str)
def test_mistake_is_reported_with_rule_file_line_and_column(
    case: Case, tiny_framework: Path
) -> None:
    case.apply(tiny_framework)
    diagnostics = validate(tiny_framework)
    line, column = locate(tiny_framework / case.file, case.at, case.occurrence)
    reported = {(d.rule, d.file, d.line, d.column) for d in diagnostics}
    assert (case.rule, f"demo/{case.file}", line, column) in reported, listing(diagnostics)
    assert {d.rule for d in diagnostics} == {case.rule, *case.also}, listing(diagnostics)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_rule_reports_with_its_registered_severity(case: Case, tiny_framework: Path) -> None:
    case.apply(tiny_framework)
    registered = RULES.get(case.rule)
    expected = registered.severity if registered else Severity.ERROR
    severities = {d.severity for d in validate(tiny_framework) if d.rule == case.rule}
    assert severities == {expected}


def test_every_rule_has_a_case_that_triggers_it() -> None:
    from tests.test_shared_folders import SHARED_RULES

    covered = {case.rule for case in CASES} | SHARED_RULES
    untested = (set(RULES) | LOADER_RULES) - covered
    assert not untested, f"add a Case to CASES for: {', '.join(sorted(untested))}"


def test_an_unknown_path_is_a_missing_file(tmp_path: Path) -> None:
    _, diagnostics = validate_path(tmp_path / "nowhere", root=tmp_path)
    assert [(d.rule, d.line, d.column) for d in diagnostics] == [("missing-file", 1, 1)]


def test_a_framework_folder_name_must_be_a_slug(tiny_framework: Path) -> None:
    renamed = tiny_framework.rename(tiny_framework.with_name("Demo_Framework"))
    diagnostics = validate(renamed)
    assert [(d.rule, d.file) for d in diagnostics] == [
        ("invalid-id", "Demo_Framework/framework.yaml")
    ]


# --- what the messages say -------------------------------------------------------------------


def messages(folder: Path, *mutations: Mutation) -> str:
    for mutation in mutations:
        mutation(folder)
    return "\n".join(d.message for d in validate(folder))


def test_unknown_key_suggests_the_closest_key(tiny_framework: Path) -> None:
    text = messages(tiny_framework, append("roles/csr-2.yaml", "summray: Handles it.\n"))
    assert text == "unknown key 'summray'; did you mean 'summary'?"


def test_unknown_key_without_a_close_match_lists_the_allowed_keys(tiny_framework: Path) -> None:
    text = messages(tiny_framework, append("salary.yaml", "colour: blue\n"))
    assert text == "unknown key 'colour'. Allowed here: visibility, bands, zones, notes."


def test_unknown_track_suggests_the_closest_track(tiny_framework: Path) -> None:
    text = messages(tiny_framework, replace("roles/csr-2.yaml", "track: frontline",
                                            "track: frontlne"))
    assert text == "unknown track 'frontlne'; did you mean 'frontline'?"


def test_next_to_a_renamed_role_names_its_new_id(tiny_framework: Path) -> None:
    text = messages(tiny_framework, append("roles/team-lead.yaml", "lateral: [csr-ii]\n"))
    assert "'csr-ii' was renamed: use 'csr-2'" in text


def test_quote_hint_repeats_the_value_as_written(tiny_framework: Path) -> None:
    text = messages(tiny_framework, replace("framework.yaml", 'version: "2026.1"',
                                            "version: 2026.10"))
    assert 'put it in quotes: "2026.10"' in text


def test_a_number_that_is_not_a_number_is_reported_once(tiny_framework: Path) -> None:
    text = messages(tiny_framework, replace("roles/csr-2.yaml", "min: 88", "min: high"))
    assert text == "the 2nd criterion's min should be a number, not text"


def test_a_percentage_sign_after_a_number_is_named(tiny_framework: Path) -> None:
    text = messages(tiny_framework, replace("roles/csr-2.yaml", "min: 88", "min: 85%"))
    assert text == ("the 2nd criterion's min should be a number, not text: write 85 without "
                    "the % sign")


def test_a_file_of_the_wrong_shape_says_what_it_should_hold(tiny_framework: Path) -> None:
    text = messages(tiny_framework, write("salary.yaml", "- tier: t1\n"))
    assert text == "the file should be a mapping (key: value), not a list"


def test_duplicate_key_names_the_first_line(tiny_framework: Path) -> None:
    text = messages(tiny_framework, append("roles/team-lead.yaml", "title: Lead\n"))
    assert text == ("the key 'title' appears twice in this mapping (first on line 1); "
                    "keep one and delete the other")


# --- one run reports everything, and nothing twice -------------------------------------------


def test_mistakes_in_different_files_are_all_reported_in_one_run(tiny_framework: Path) -> None:
    by_description = {case.description: case for case in CASES}
    for description in ("a key written twice", "a percentage above 100",
                        "a retired role replaced by nothing", "a band at an unknown tier",
                        "levels 1 and 3 without 2"):
        by_description[description].mutation(tiny_framework)
    rules = {(d.rule, d.file) for d in validate(tiny_framework)}
    assert rules == {
        ("duplicate-key", "demo/roles/team-lead.yaml"),
        ("metric-bounds", "demo/roles/csr-2.yaml"),
        ("unknown-replacement", "demo/framework.yaml"),
        ("unknown-tier", "demo/salary.yaml"),
        ("level-numbering", "demo/competencies.yaml"),
    }


def test_an_unreadable_competency_file_does_not_make_every_competency_unknown(
    tiny_framework: Path,
) -> None:
    write("competencies.yaml", "- id: call-resolution\n  name: Call resolution\n")(tiny_framework)
    assert {d.rule for d in validate(tiny_framework)} == {"missing-key"}


def test_an_unreadable_entry_role_does_not_hide_the_entry(tiny_framework: Path) -> None:
    write("roles/csr-1.yaml", "title: [unclosed\n")(tiny_framework)
    assert {d.rule for d in validate(tiny_framework)} == {"yaml-syntax"}


def test_references_to_an_unreadable_role_are_not_unknown(tiny_framework: Path) -> None:
    write("roles/csr-2.yaml", "- title: CSR II\n- track: frontline\n")(tiny_framework)
    assert {d.rule for d in validate(tiny_framework)} == {"wrong-type"}


# --- one mistake, one message ----------------------------------------------------------------


def rename(old: str, new: str) -> Mutation:
    return lambda folder: (folder / old).rename(folder / new)


def test_a_role_file_renamed_without_its_references_suggests_the_new_id(
    tiny_framework: Path,
) -> None:
    rename("roles/team-lead.yaml", "roles/team-leader.yaml")(tiny_framework)
    diagnostics = validate(tiny_framework)
    assert {d.rule for d in diagnostics} == {"unknown-role"}, listing(diagnostics)
    assert all("was 'team-lead' renamed to 'team-leader'? Update the references, and keep "
               "the old id under 'aliases:' in roles/team-leader.yaml" in d.message
               for d in diagnostics)


@pytest.mark.parametrize(("new_name", "rule"), [
    ("roles/team-lead.yml", "unknown-file"),
    ("roles/Team-Lead.yaml", "invalid-id"),
])
def test_a_misnamed_role_file_is_reported_once_not_at_every_reference(
    new_name: str, rule: str, tiny_framework: Path,
) -> None:
    rename("roles/team-lead.yaml", new_name)(tiny_framework)
    diagnostics = validate(tiny_framework)
    assert [d.rule for d in diagnostics] == [rule], listing(diagnostics)


def test_a_metric_id_in_capitals_is_reported_once_and_never_suggested(
    tiny_framework: Path,
) -> None:
    replace("framework.yaml", "  - id: fcr\n", "  - id: FCR\n")(tiny_framework)
    assert [d.rule for d in validate(tiny_framework)] == ["invalid-id"]
    replace("roles/csr-2.yaml", "  - metric: fcr\n    min: 88",
            "  - metric: fcx\n    min: 88")(tiny_framework)
    text = "\n".join(d.message for d in validate(tiny_framework) if d.rule == "unknown-metric")
    assert text.startswith("unknown metric 'fcx'") and "FCR" not in text


def test_a_misspelt_required_key_is_reported_once(tiny_framework: Path) -> None:
    text = messages(tiny_framework, replace("roles/team-lead.yaml", "title: Team Lead",
                                            "titel: Team Lead"))
    assert text == "unknown key 'titel'; did you mean 'title'?"


def test_curly_quotes_are_named_as_the_cause(tiny_framework: Path) -> None:
    text = messages(tiny_framework, replace("roles/csr-2.yaml", "  - text: Signed off by a",
                                            "  - text: \u2018Signed off: by a"))
    assert text.endswith("use straight quotes (\" or ')")


def test_a_non_breaking_space_in_indentation_is_named_with_its_line(
    tiny_framework: Path,
) -> None:
    text = messages(tiny_framework, replace("roles/csr-2.yaml", "  call-resolution: 2",
                                            "\u00a0 call-resolution: 2"))
    assert text == ("a non-breaking space is used for indentation on line 6; replace it with "
                    "ordinary spaces")


def test_a_number_where_an_id_belongs_suggests_the_id_not_quotes(tiny_framework: Path) -> None:
    text = messages(tiny_framework, replace("roles/csr-2.yaml", "tier: t2", "tier: 2"))
    assert text == "'tier' should be text, not a whole number; did you mean 't2'?"


def test_a_mistake_inside_a_level_names_the_level_not_a_list_position(
        tiny_framework: Path) -> None:
    """Levels are keyed by their number: "level 2", never "the 3rd 'levels' item"; the
    competency by its id, not its position."""
    replace("competencies.yaml", "    2: Resolves every call type independently.",
            "    2:\n      text: Resolves every call type independently.\n"
            "      develop: Shadow a specialist.")(tiny_framework)
    messages = [d.message for d in validate(tiny_framework) if d.rule == "wrong-type"]
    assert any("the level 2's develop of competency 'call-resolution' should be a list" in m
               for m in messages), messages
    assert not any("'levels' item" in m or "1st" in m for m in messages), messages


def test_tier_messages_use_the_frameworks_word_for_a_tier(tiny_framework: Path) -> None:
    same_tier = append("roles/team-lead.yaml", "next: [csr-2]\n")
    default = messages(tiny_framework, same_tier)
    assert default == ("'csr-2' is at tier 't2', the same tier: list it under 'lateral'; "
                       "'next' must lead above tier 't2'")

    banded = messages(tiny_framework, replace("framework.yaml", "tiers:\n",
                                              "tier_label: Band\ntiers:\n"))
    assert banded == ("'csr-2' is at band 't2', the same band: list it under 'lateral'; "
                      "'next' must lead above band 't2'")


def test_a_lateral_move_to_another_band_says_band(tiny_framework: Path) -> None:
    text = messages(tiny_framework,
                    replace("framework.yaml", "tiers:\n", "tier_label: Pay band\ntiers:\n"),
                    replace("roles/csr-2.yaml", "lateral: [team-lead]", "lateral: [csr-1]"))
    assert text == ("'csr-1' is at pay band 't1', not pay band 't2'; a lateral move stays "
                    "at the same pay band (use 'next' for a promotion)")


def test_a_mistake_inside_a_tier_names_the_tier_by_its_id(tiny_framework: Path) -> None:
    text = messages(tiny_framework, replace("framework.yaml", "    name: Professional",
                                            "    name: [Professional]"))
    assert text.startswith("the name of tier 't2' should be text, not a list"), text
