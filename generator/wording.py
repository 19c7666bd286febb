"""Small pieces of wording every part of Career Paths shares: counts with their noun,
track kinds in words, "did you mean" hints and slug suggestions."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

TRACK_KIND_WORDS = {
    "individual": "individual contributor",
    "management": "people management",
    "shared": "shared early career",
}


def track_kind_text(kind: str) -> str:
    """A track kind as people say it: ``management`` -> "people management"."""
    return TRACK_KIND_WORDS.get(kind, kind)


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """``1 role``, ``3 roles``; ``plural`` for nouns that do not take an "s"."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def closest(word: str, options: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The option most like ``word``, if one is close enough."""
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=cutoff)
    return matches[0] if matches else None


def did_you_mean(word: str, options: Iterable[str], cutoff: float = 0.6) -> str:
    """``; did you mean 'x'?`` for the option most like ``word``, or "" when none is close."""
    match = closest(word, options, cutoff)
    return f"; did you mean '{match}'?" if match is not None else ""


def some_of(options: Iterable[str], limit: int = 8) -> str:
    """The first ``limit`` options, comma-separated, with ``...`` when there are more."""
    listed = list(options)
    return ", ".join(listed[:limit]) + (", ..." if len(listed) > limit else "")


def slug_like(value: str) -> str:
    """A lower-case slug close to ``value``: ``Senior Trainer`` -> ``senior-trainer``."""
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return slug or "my-id"
