"""Markdown fields of the format (description, summary, responsibilities, reason) as safe HTML.

The text comes from pull requests and the site is public, so the HTML that
Markdown produces is cleaned by nh3 (Ammonia): no script, no event handlers, no
``javascript:`` links, no frames.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "i", "li", "ol", "p", "pre",
    "strong", "sub", "sup", "ul", "h3", "h4", "h5", "h6", "table", "thead", "tbody",
    "tr", "th", "td", "hr", "del", "s",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")


@lru_cache(maxsize=20_000)
def markdown_to_html(text: str | None) -> Markup:
    """Render a Markdown field to sanitised HTML (empty for ``None``).

    Remembered per text: a summary appears on its role page, its track page, the overview...
    """
    if not text:
        return Markup("")
    converter = _converter()
    converter.reset()
    raw = converter.convert(text)
    return Markup(sanitise_html(_CONTROL_CHARACTERS.sub("", raw)))


_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Python-Markdown's own placeholders (STX, ETX) can leak out of odd input such as an image
whose URL swallows a code span; they are no text and break XML, PDFs and spreadsheets."""


def markdown_inline_html(text: str | None) -> Markup:
    """Like :func:`markdown_to_html` for a one-paragraph field, without the ``<p>`` wrapper."""
    rendered = str(markdown_to_html(text)).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return Markup(rendered)


_BLOCK_ENDS = re.compile(r"</(p|li|h[3-6]|tr|blockquote|pre)>|<br\s*/?>")


@lru_cache(maxsize=20_000)
def plain_text(text: str | None) -> str:
    """A Markdown field as plain text (for JSON, spreadsheets, job-ad snippets)."""
    spaced = _BLOCK_ENDS.sub(lambda match: match.group(0) + " ", str(markdown_to_html(text)))
    stripped = html.unescape(nh3.clean(spaced, tags=set()))
    return " ".join(stripped.split())


def sanitise_html(raw: str) -> str:
    """Keep only harmless tags and attributes; links get ``rel="noopener noreferrer"``."""
    cleaned = nh3.clean(
        raw,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    # Raw HTML blocks in a Markdown page end at a blank line: keep the fragment in one block.
    return "\n".join(line for line in cleaned.splitlines() if line.strip())
