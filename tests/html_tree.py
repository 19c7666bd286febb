"""A tiny HTML tree for tests: the stdlib parser plus a small CSS-selector subset.

``parse_html(text).select("article .cp-next-step h3 a")`` supports descendant selectors
whose parts are ``tag``, ``.class``, ``#id`` and ``[attr]`` / ``[attr=value]``
(quotes optional), combined like ``a.cp-card[href]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID_ELEMENTS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
})

BLOCK_ELEMENTS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul", "title", "desc", "text", "g", "svg",
})
"""Elements whose text is separated from its neighbours (SVG text and links included)."""

_SELECTOR_PART = re.compile(
    r"(?P<tag>[a-zA-Z][\w-]*)|\.(?P<cls>[\w-]+)|#(?P<id>[\w-]+)"
    r"|\[(?P<attr>[\w:-]+)(?:=(?P<quote>['\"]?)(?P<value>[^\]'\"]*)(?P=quote))?\]"
)


@dataclass
class Node:
    """An element: tag, attributes, and children (nodes or text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def get(self, name: str, default: str = "") -> str:
        return self.attrs.get(name, default)

    @property
    def text(self) -> str:
        """All text below this node, whitespace collapsed."""
        return " ".join(self._raw_text().split())

    def _raw_text(self) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag in BLOCK_ELEMENTS:
                parts.append(f" {child._raw_text()} ")
            else:
                parts.append(child._raw_text())
        return "".join(parts)

    def descendants(self) -> list[Node]:
        found: list[Node] = []
        for child in self.children:
            if isinstance(child, Node):
                found.append(child)
                found.extend(child.descendants())
        return found

    def select(self, selector: str) -> list[Node]:
        """Every descendant matching a descendant-combinator ``selector``, in document order."""
        steps = [_compound(part) for part in selector.split()]
        matches = [self]
        for step in steps:
            seen: dict[int, Node] = {}
            for node in matches:
                for candidate in node.descendants():
                    if step(candidate):
                        seen.setdefault(id(candidate), candidate)
            matches = list(seen.values())
        order = {id(node): index for index, node in enumerate(self.descendants())}
        return sorted(matches, key=lambda node: order.get(id(node), -1))

    def select_one(self, selector: str) -> Node:
        """The first match of ``selector``; fails the test when there is none."""
        found = self.select(selector)
        assert found, f"nothing matches {selector!r}"
        return found[0]


def _compound(part: str) -> Callable[[Node], bool]:
    conditions = []
    for match in _SELECTOR_PART.finditer(part):
        if match["tag"]:
            tag = match["tag"].lower()
            conditions.append(lambda n, tag=tag: n.tag == tag)
        elif match["cls"]:
            conditions.append(lambda n, cls=match["cls"]: cls in n.classes)
        elif match["id"]:
            conditions.append(lambda n, id_=match["id"]: n.attrs.get("id") == id_)
        else:
            attr, value = match["attr"], match["value"]
            if value is None:
                conditions.append(lambda n, attr=attr: attr in n.attrs)
            else:
                conditions.append(lambda n, attr=attr, value=value: n.attrs.get(attr) == value)
    return lambda node: all(condition(node) for condition in conditions)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID_ELEMENTS:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    """Parse a document (or fragment) into a :class:`Node` tree."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root
