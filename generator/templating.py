"""The Jinja2 environment every renderer shares: the shipped templates, strict, escaping."""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache

import jinja2
from markupsafe import Markup

from generator.resources import templates_dir

TEMPLATES_DIR = templates_dir()

_MARKDOWN_INLINE = re.compile(r"([\\`*_{}\[\]|~])")
_MARKDOWN_LIST_MARKER = re.compile(r"^(\d+)([.)])(?=\s|$)")
_MARKDOWN_BLOCK_MARKER = re.compile(r"^([#+\-=])")


def _autoescape(template_name: str | None) -> bool:
    if template_name is None:
        return True
    return template_name.endswith((".html", ".svg", ".xml", ".md.j2", ".html.j2", ".svg.j2"))


def markdown_inline_text(value: object) -> Markup:
    """Plain text made safe inside a Markdown line: HTML-escaped, Markdown syntax escaped."""
    escaped = html.escape(" ".join(str(value).split()), quote=False)
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", escaped)
    escaped = _MARKDOWN_LIST_MARKER.sub(r"\1\\\2", escaped)
    return Markup(_MARKDOWN_BLOCK_MARKER.sub(r"\\\1", escaped))


def yaml_scalar(value: object) -> str:
    """``value`` as a YAML scalar that reads back as the same text (a JSON string)."""
    return json.dumps(str(value), ensure_ascii=False)


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in this process, by template and source checksum (an edited
    template is compiled again)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


THEME_BYTECODE = MemoryBytecodeCache()
"""The theme's compiled templates: ``careers serve`` loads the configuration again for each
rebuild, and MkDocs makes a new theme environment each time (compiling Material's templates
took half a second of every rebuild)."""


@lru_cache(maxsize=1)
def template_env() -> jinja2.Environment:
    """The shared environment: loads the templates, fails on undefined values, escapes."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md_text"] = markdown_inline_text
    env.filters["yaml"] = yaml_scalar
    return env


def render_template(name: str, **context: object) -> str:
    """Render the template ``name`` (a path inside ``templates/``) with ``context``."""
    return template_env().get_template(name).render(**context)
