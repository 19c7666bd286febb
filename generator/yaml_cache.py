"""A cache of parsed role files, by content, so that validating again is quick.

``careers validate``, ``careers maps`` and every rebuild of ``careers serve`` read every
role file; at thousands of roles parsing the YAML is half of that work, although nearly
every file is the one parsed last time.  The plain data of each file parsed without a
problem (and what the size rules look at in it, :mod:`generator.value_sizes`) is kept
under the SHA-256 of its bytes, in one file per roles folder in the user's cache folder
(``career-paths/yaml`` in ``$XDG_CACHE_HOME`` or ``~/.cache``; ``$CAREER_PATHS_YAML_CACHE``
names another, ``off`` turns the cache off).  A changed file
has another hash, so it is parsed again; a file whose parse had problems is never cached.

The cache is trusted as the maps cache is: only a regular file with one name, owned by the
user and of mode 0600, is read (anything else is ignored and replaced), and it is read with
:mod:`marshal`, which makes plain values and never runs code.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import marshal
import os
import stat
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.safe_paths import replace_file
from generator.value_sizes import SizeCandidates, size_candidates
from generator.yaml_loader import MAX_FILE_BYTES, LoadedYaml

CACHE_ENV = "CAREER_PATHS_YAML_CACHE"
FILE_MODE = 0o600
MIN_FILES = 200
"""Folders with fewer files are parsed every time (quick enough, and no cache file)."""


@lru_cache(maxsize=1)
def _format() -> str:
    """Part of every cache: the code that parses (a change of it parses everything again)."""
    digest = hashlib.sha256(b"1\0")
    package = Path(__file__).resolve().parent
    for name in ("yaml_loader.py", "yaml_cache.py", "value_sizes.py"):
        digest.update((package / name).read_bytes())
    return digest.hexdigest()


def cache_folder() -> Path | None:
    """Where the caches are kept, or None when turned off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return None if chosen in ("", "off") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "career-paths" / "yaml"


class ParsedFiles:
    """The cached data of one folder's files: content hash -> (plain data, the plain form of
    its size candidates)."""

    def __init__(self, path: Path | None, entries: dict[str, Any]) -> None:
        self.path = path
        self.entries = entries
        self.used: dict[str, Any] = {}
        self.changed = False

    @classmethod
    def of(cls, folder: Path, files: int) -> ParsedFiles:
        """The cache of ``folder`` (empty, and never written, when turned off or small)."""
        root = cache_folder()
        if root is None or files < MIN_FILES:
            return cls(None, {})
        name = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:32]
        path = root / f"{name}.marshal"
        return cls(path, _read(path))

    def get(self, raw: bytes) -> LoadedYaml | None:
        """The file of these bytes as parsed before, if it is cached."""
        key = hashlib.sha256(raw).hexdigest()
        entry = self.entries.get(key)
        if not (isinstance(entry, tuple) and len(entry) == 2):
            return None
        sizes = SizeCandidates.from_plain(entry[1])
        if sizes is None:
            return None
        self.used[key] = entry
        text = raw[3:].decode() if raw.startswith(codecs.BOM_UTF8) else raw.decode()
        return LoadedYaml(data=entry[0], text=text, sizes=sizes)

    def put(self, raw: bytes, loaded: LoadedYaml) -> None:
        """Keep ``loaded`` (the file of ``raw``) if it was parsed without a problem."""
        if self.path is None or loaded.problems or loaded.located is not None:
            return
        sizes = size_candidates(loaded.data)
        entry = (loaded.data, sizes.to_plain())
        try:
            marshal.dumps(entry)
        except ValueError:  # a value marshal cannot keep (a date): parsed every time
            return
        loaded.sizes = sizes
        self.used[hashlib.sha256(raw).hexdigest()] = entry
        self.changed = True

    def save(self) -> None:
        """Store the entries used this time (files gone are forgotten), if any is new."""
        if self.path is None or not (self.changed or len(self.used) < len(self.entries)):
            return
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            _write(self.path, marshal.dumps({"format": _format(), "entries": self.used}))


def read_raw(path: Path) -> bytes | None:
    """The bytes of ``path`` if it can be read and is not too large (else the parser
    reports why)."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    return raw if len(raw) <= MAX_FILE_BYTES else None


def _read(path: Path) -> dict[str, Any]:
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return {}
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not (stat.S_ISREG(info.st_mode) and info.st_nlink == 1
                and info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) == FILE_MODE):
            return {}
        try:
            content = marshal.loads(handle.read())
        except (EOFError, ValueError, TypeError, OSError):
            return {}
    if not isinstance(content, dict) or content.get("format") != _format():
        return {}
    entries = content.get("entries")
    return entries if isinstance(entries, dict) else {}


def _write(path: Path, data: bytes) -> None:
    """Write atomically with :data:`FILE_MODE` (links never followed)."""
    replace_file(path, data, FILE_MODE)
