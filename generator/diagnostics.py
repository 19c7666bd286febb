"""Problems found in framework files, and the ways they are printed."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from generator.wording import counted


class Severity(StrEnum):
    """How serious a problem is: errors fail a run, warnings only under ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place of one file."""

    file: str
    line: int
    column: int
    severity: Severity
    message: str
    rule: str

    def format_text(self) -> str:
        """``path:line:column: error: message [rule-id]``, the compiler-style line."""
        place = f"{printable(self.file)}:{self.line}:{self.column}"
        return f"{place}: {self.severity}: {printable(self.message)} [{self.rule}]"

    def format_github(self) -> str:
        """A GitHub Actions workflow command that annotates the line in a pull request."""
        level = "error" if self.severity is Severity.ERROR else "warning"
        message = _escape_github_data(printable(self.message, keep="\n\r"))
        props = (
            f"file={_escape_github_property(printable(self.file))},line={self.line},"
            f"col={self.column},title={_escape_github_property(self.rule)}"
        )
        return f"::{level} {props}::{message}"


def printable(text: str, keep: str = "") -> str:
    """``text`` with control characters (newlines, ANSI escapes ...) written as escapes
    (``\\n``, ``\\x1b``), so that a file name or value cannot break a message line or
    colour the terminal; characters in ``keep`` stay as they are."""
    if text.isprintable():
        return text
    return "".join(character if character.isprintable() or character == " "
                   or character in keep else repr(character)[1:-1] for character in text)


class FrameworkError(Exception):
    """Raised when frameworks cannot be used because they have errors."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__(format_report(diagnostics))


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as printed in messages: relative to ``root`` (or the working dir) when inside it."""
    folder = _display_folder(os.path.abspath(path.parent),
                             os.path.abspath(root) if root is not None else None, os.getcwd())
    if folder is None:
        return path.as_posix()
    return path.name if folder == "." else f"{folder}/{path.name}"  # a link is named as itself


@lru_cache(maxsize=1024)
def _display_folder(folder: str, root: str | None, cwd: str) -> str | None:
    """How ``folder`` is printed, remembered: thousands of role files share a few folders."""
    target = Path(folder).resolve()
    for base in (root, cwd):
        if base is None:
            continue
        try:
            return target.relative_to(Path(base).resolve()).as_posix()
        except ValueError:
            continue
    return None


def resolved_folder(folder: Path) -> Path:
    """``folder.resolve()``, remembered (see :func:`display_path`)."""
    return _resolve_absolute(os.path.abspath(folder))


@lru_cache(maxsize=1024)
def _resolve_absolute(folder: str) -> Path:
    return Path(folder).resolve()


def errors_in(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Only the errors of ``diagnostics``."""
    return [d for d in diagnostics if d.severity is Severity.ERROR]


def format_report(diagnostics: Iterable[Diagnostic], fmt: str = "text") -> str:
    """All diagnostics in one of the output formats: ``text``, ``github`` or ``json``."""
    ordered = sorted(diagnostics)
    if fmt == "json":
        return json.dumps([asdict(d) for d in ordered], indent=2)
    if fmt == "github":
        return "\n".join(d.format_github() for d in ordered)
    return "\n".join(d.format_text() for d in ordered)


def summary_line(diagnostics: list[Diagnostic]) -> str:
    """A closing line such as ``2 errors, 1 warning``."""
    errors = len(errors_in(diagnostics))
    warnings = len(diagnostics) - errors
    return f"{counted(errors, 'error')}, {counted(warnings, 'warning')}"


def _escape_github_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_github_property(value: str) -> str:
    return _escape_github_data(value).replace(":", "%3A").replace(",", "%2C")
