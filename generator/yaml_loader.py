"""Safe YAML loading that remembers where every value came from.

PyYAML's ``SafeLoader`` composes the document into nodes that carry marks
(line and column).  We turn those nodes into plain Python data ourselves, so
that we can keep a map from each value's path (``("roles", 0, "title")``) to
its position, refuse duplicated keys and foreign tags, and bound the work an
alias bomb could cause.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 200_000
MAX_DEPTH = 40
MAX_NUMBER = 10**15
"""Numbers stay below this size: no pay or measure needs more, and every page can print it."""

Location = tuple[str | int, ...]

_STANDARD_TAG = "tag:yaml.org,2002:"
_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_PLAIN_INT = re.compile(r"-?(0|[1-9][0-9]*)")
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


@dataclass(frozen=True)
class Position:
    """A 1-based line and column."""

    line: int
    column: int


@dataclass
class YamlProblem(Exception):
    """A file that cannot be read as safe YAML."""

    message: str
    position: Position
    rule: str

    def __reduce__(self) -> tuple[type[YamlProblem], tuple[str, Position, str]]:
        """Pickled by its fields (files may be read in other processes)."""
        return (YamlProblem, (self.message, self.position, self.rule))


@dataclass
class Located:
    """Where every value and key of a document is written."""

    values: dict[Location, Position] = field(default_factory=dict)
    keys: dict[Location, Position] = field(default_factory=dict)
    raw: dict[Location, str] = field(default_factory=dict)
    """The text of each scalar value as written (``2026.10``, ``yes``), before conversion."""


@dataclass
class LoadedYaml:
    """Plain data of one YAML file, with the position of every value and key.

    A file without problems rarely needs positions, so they are worked out from
    ``text`` on first use (loading thousands of role files stays fast).
    """

    data: Any
    problems: list[YamlProblem] = field(default_factory=list)
    text: str | None = field(default=None, repr=False)
    located: Located | None = field(default=None, repr=False)
    sizes: Any = field(default=None, repr=False, compare=False)
    """The file's :class:`generator.value_sizes.SizeCandidates` once known (found by the
    size rules, or kept with the parsed data by :mod:`generator.yaml_cache`), else None."""

    @property
    def values(self) -> dict[Location, Position]:
        return self._located().values

    @property
    def keys(self) -> dict[Location, Position]:
        return self._located().keys

    @property
    def raw(self) -> dict[Location, str]:
        return self._located().raw

    def _located(self) -> Located:
        if self.located is None:
            node = _compose(self.text or "")
            self.located = _Converter(self.text or "").convert_document(node).located
        assert self.located is not None
        return self.located

    def position(self, location: Location, *, key: bool = False) -> Position:
        """Where ``location`` is written (its key, if ``key``), else its nearest parent."""
        if key and location in self.keys:
            return self.keys[location]
        for cut in range(len(location), -1, -1):
            if location[:cut] in self.values:
                return self.values[location[:cut]]
        return Position(1, 1)


def load_yaml_file(path: Path) -> LoadedYaml:
    """Read ``path`` as safe YAML with positions; raise :class:`YamlProblem` if it cannot be."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)  # never more: the file may be huge
    except OSError as exc:
        raise YamlProblem(
            f"cannot read file: {exc.strerror}", Position(1, 1), "file-unreadable"
        ) from None
    if len(raw) > MAX_FILE_BYTES:
        raise YamlProblem(
            f"file is larger than the limit of {MAX_FILE_BYTES:,} bytes. "
            "Split it, or check that it is the file you meant",
            Position(1, 1),
            "file-too-large",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblem(
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
            Position(line, column),
            "encoding",
        ) from None
    return load_yaml_text(text)


def load_yaml_text(text: str) -> LoadedYaml:
    """Parse ``text`` as one safe YAML document with positions."""
    if "\x00" in text:
        offset = text.index("\x00")
        raise YamlProblem(
            "the file contains a NUL character, so it is not a text file; save it as "
            "plain UTF-8 text",
            _offset_position(text, offset),
            "encoding",
        )
    if match := _NBSP_INDENT.search(text):
        position = _offset_position(text, match.end() - 1)
        raise YamlProblem(
            f"a non-breaking space is used for indentation on line {position.line}; replace "
            "it with ordinary spaces",
            position,
            "yaml-syntax",
        )
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        raise _curly_quote_problem(text, exc) or _syntax_problem(exc) from None
    except yaml.reader.ReaderError as exc:
        raise YamlProblem(
            f"the file contains an invisible control character (U+{exc.character:04X}), "
            "usually pasted in by accident; delete it",
            _offset_position(text, exc.position),
            "encoding",
        ) from None
    except ValueError:  # PyYAML's scanner: an escape such as "\U00110000" names no character
        raise YamlProblem(
            "an escape in quoted text (such as \"\\U00110000\") names no real character; "
            "write the character itself",
            _bad_escape_position(text),
            "encoding",
        ) from None
    except RecursionError:
        raise YamlProblem(
            f"values are nested far more than {MAX_DEPTH} levels deep (thousands of '[' or "
            "'{'?); no framework file needs that",
            Position(1, 1),
            "yaml-too-complex",
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors
        raise YamlProblem(str(exc), Position(1, 1), "yaml-syntax") from None
    if node is None:
        raise YamlProblem(
            "the file is empty (or holds only comments); write its content, or delete the file",
            Position(1, 1),
            "empty-file",
        )
    try:
        return LoadedYaml(data=_plain_data(node), text=text)
    except _NeedsReport:
        return _Converter(text).convert_document(node)


class _CachedResolver(yaml.resolver.Resolver):
    """The safe resolver, remembering the tag of each plain scalar it has seen."""

    _tags: ClassVar[dict[tuple[Any, str, tuple[bool, bool]], str]] = {}

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """Path resolvers are not used: nothing to track."""

    def ascend_resolver(self) -> None:
        """Path resolvers are not used: nothing to track."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)
        key = (kind, value, implicit)
        tag = self._tags.get(key)
        if tag is None:
            if len(self._tags) > 100_000:
                self._tags.clear()
            tag = self._tags[key] = super().resolve(kind, value, implicit)
        return tag


try:
    from yaml.cyaml import CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _LIBYAML_LOADER: type | None = None
else:
    class _LibyamlLoader(CParser, yaml.constructor.SafeConstructor, _CachedResolver):
        """libyaml's parser with the safe constructor and resolver (``yaml.CSafeLoader``)."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            _CachedResolver.__init__(self)

    _LIBYAML_LOADER = _LibyamlLoader


def _compose(text: str) -> yaml.Node | None:
    """Compose with libyaml (about 20x faster, same nodes and marks) when it is there.

    A document libyaml refuses is composed again by the pure-Python parser, whose
    error messages are the ones :func:`_syntax_problem` knows how to explain.
    """
    if _LIBYAML_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_LIBYAML_LOADER)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


_NBSP_INDENT = re.compile("^[ \t]*\u00a0", re.MULTILINE)
_CURLY_QUOTES = "\u201c\u201d\u2018\u2019"
_CURLY_QUOTED = re.compile(f"[:-][ \t]+([{_CURLY_QUOTES}])")


def _curly_quote_problem(text: str, exc: yaml.MarkedYAMLError) -> YamlProblem | None:
    """A syntax error on a line whose value is in curly quotes (pasted from a word
    processor): YAML reads those as ordinary characters, not as quotes."""
    lines = text.split("\n")
    for mark in (exc.problem_mark, exc.context_mark):
        if mark is None or mark.line >= len(lines):
            continue
        match = _CURLY_QUOTED.search(lines[mark.line])
        if match:
            return YamlProblem(
                "this text is in curly quotes (\u201c \u201d or \u2018 \u2019), which YAML "
                "does not read as quotes; use straight quotes (\" or ')",
                Position(mark.line + 1, match.start(1) + 1),
                "yaml-syntax",
            )
    return None


_LONG_ESCAPE = re.compile(r"\\U([0-9A-Fa-f]{8})")


def _bad_escape_position(text: str) -> Position:
    for match in _LONG_ESCAPE.finditer(text):
        if int(match.group(1), 16) > 0x10FFFF:
            return _offset_position(text, match.start())
    return Position(1, 1)


def _offset_position(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    return Position(line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def _syntax_problem(exc: yaml.MarkedYAMLError) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    position = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
    problem = exc.problem or "invalid YAML"
    if "'\\t'" in problem or "tab" in problem.lower():
        return YamlProblem(
            "a tab character is used for indentation; YAML allows only spaces. "
            "Replace the tab with spaces",
            position,
            "yaml-tab",
        )
    if "expected a single document" in f"{problem} {exc.context}":
        return YamlProblem(
            "the file holds more than one YAML document (a second '---'); keep one per file",
            position,
            "yaml-syntax",
        )
    said = f"{problem} {exc.context or ''}"
    for words, at_start, message in _SYNTAX_HINTS:
        if words in said:
            start = exc.context_mark if at_start and exc.context_mark else mark
            where = Position(start.line + 1, start.column + 1) if start else position
            character = re.search(r"found character '(.)'", problem)
            text = message.replace("{}", character.group(1) if character else "")
            return YamlProblem(text, where, "yaml-syntax")
    context = f" {exc.context}" if exc.context else ""
    return YamlProblem(
        f"YAML syntax error: {problem}{context}. Check indentation and quoting on this line "
        "and the one above",
        position,
        "yaml-syntax",
    )


_SYNTAX_HINTS: list[tuple[str, bool, str]] = [
    # (words of PyYAML's message, report where the broken part starts, what to tell HR)
    ("while scanning a quoted scalar", True,
     "the quote that opens this text is never closed; add the closing quote at the end of "
     "the text"),
    ("mapping values are not allowed here", False,
     "': ' here starts another 'key: value', which YAML does not allow here: if this is text "
     "that holds a colon, put the whole text in quotes (\"...\"). Check indentation and "
     "quoting on this line and the one above"),
    ("could not find expected ':'", True,
     "this line is neither 'key: value' nor a list item ('- ...'): if it goes on with the text "
     "of the line above, indent it further than that line's key; otherwise add its key"),
    ("while parsing a block collection", False,
     "this line does not fit the list above it: every item of a list starts with '- ', and "
     "the keys of one item line up under the first key after its '- '"),
    ("expected <block end>, but found '<scalar>'", False,
     "more text follows where YAML expected the end of the value: if a quoted text goes on "
     "after its closing quote, put all of it inside the quotes"),
    ("expected <block end>", False,
     "this line is indented differently from the lines above it: the keys of one mapping "
     "start in the same column"),
    ("that cannot start any token", False,
     "a value cannot start with '{}' in YAML; put the whole text in quotes (\"...\")"),
    ("while scanning an alias", True,
     "a value that starts with '*' is read as a YAML alias; put the whole text in quotes "
     "(\"...\")"),
    ("while scanning an anchor", True,
     "a value that starts with '&' is read as a YAML anchor; put the whole text in quotes "
     "(\"...\")"),
    ("while parsing a flow", True,
     "the [list] or {mapping} that starts here is not closed, or an item in it holds ': ' or "
     "',' and needs quotes"),
]


class _NeedsReport(Exception):
    """The document has something to report: convert it again with positions."""


def _plain_data(node: yaml.Node) -> Any:
    """The data of a document, as :class:`_Converter` makes it but without positions.

    Raises :class:`_NeedsReport` at the first thing the converter would report.
    """
    scalars = yaml.SafeLoader("")
    nodes_seen = 0

    def convert(node: yaml.Node, depth: int) -> Any:
        nonlocal nodes_seen
        nodes_seen += 1
        if nodes_seen > MAX_NODES or depth > MAX_DEPTH or node.tag not in _ALLOWED_TAGS:
            raise _NeedsReport
        if isinstance(node, yaml.MappingNode):
            mapping: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _ALLOWED_TAGS:
                    raise _NeedsReport
                key = scalar(key_node)
                if isinstance(key, bool) or key is None:
                    key = key_node.value
                if key in mapping:
                    raise _NeedsReport
                mapping[key] = convert(value_node, depth + 1)
            return mapping
        if isinstance(node, yaml.SequenceNode):
            return [convert(item, depth + 1) for item in node.value]
        return scalar(node)

    def scalar(node: yaml.Node) -> Any:
        if node.tag == _INT_TAG and _PLAIN_INT.fullmatch(node.value) and len(node.value) < 15:
            return int(node.value)
        try:
            return _scalar_value(scalars, node)
        except YamlProblem:
            raise _NeedsReport from None

    return convert(node, 0)


class _Converter:
    """Turns composed nodes into plain data, recording positions as it goes."""

    def __init__(self, text: str = "") -> None:
        self.text = text
        self.located = Located()
        self.result = LoadedYaml(data=None, located=self.located)
        self.nodes_seen = 0
        self.scalars = yaml.SafeLoader("")

    def convert_document(self, node: yaml.Node) -> LoadedYaml:
        self.result.data = self.convert(node, (), 0)
        return self.result

    def convert(self, node: yaml.Node, location: Location, depth: int) -> Any:
        self.nodes_seen += 1
        position = _position(node)
        if self.nodes_seen > MAX_NODES:
            raise YamlProblem(
                f"the document expands to more than {MAX_NODES:,} values "
                "(anchors and aliases repeated over and over?); write the values out plainly",
                position,
                "yaml-too-complex",
            )
        if depth > MAX_DEPTH:
            raise YamlProblem(
                f"values are nested more than {MAX_DEPTH} levels deep; no framework file "
                "needs that",
                position,
                "yaml-too-complex",
            )
        _check_tag(node)
        self.located.values.setdefault(location, position)
        if isinstance(node, yaml.MappingNode):
            return self.convert_mapping(node, location, depth)
        if isinstance(node, yaml.SequenceNode):
            return [
                self.convert(item, (*location, index), depth + 1)
                for index, item in enumerate(node.value)
            ]
        self.located.raw.setdefault(location, node.value)
        return self.scalar(node)

    def scalar(self, node: yaml.Node) -> Any:
        return _scalar_value(self.scalars, node)

    def convert_mapping(self, node: yaml.MappingNode, location: Location, depth: int) -> dict:
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key_position = _position(key_node)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem(
                    "merge keys ('<<') are not supported; write the keys out in full",
                    key_position,
                    "yaml-merge-key",
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(
                    "a key must be a plain word or number, not a list or mapping",
                    key_position,
                    "yaml-syntax",
                )
            _check_tag(key_node)
            key = self.scalar(key_node)
            if isinstance(key, bool) or key is None:
                key = key_node.value
            if key in mapping:
                first = self.located.keys[(*location, key)]
                alias = _alias_position(self.text, node, key_node, first) \
                    if key_position == first else None
                through = ""
                if alias is not None:
                    key_position, through = alias[0], f" through the alias *{alias[1]}"
                self.result.problems.append(
                    YamlProblem(
                        f"the key {key!r} appears twice in this mapping{through} (first on "
                        f"line {first.line}); keep one and delete the other",
                        key_position,
                        "duplicate-key",
                    )
                )
                continue
            self.located.keys[(*location, key)] = key_position
            mapping[key] = self.convert(value_node, (*location, key), depth + 1)
        return mapping


def _alias_position(text: str, mapping: yaml.MappingNode, key_node: yaml.Node,
                    first: Position) -> tuple[Position, str] | None:
    """Where a key that repeats an anchored key (``*k :``) is written, and the anchor's name.

    Composed nodes forget aliases (the alias *is* the anchored node), so the text is
    scanned again for the alias of the anchor set right before the key.
    """
    try:
        tokens = list(yaml.scan(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    start = key_node.start_mark.index
    anchors = [token for token in tokens if isinstance(token, yaml.AnchorToken)
               and token.start_mark.index <= start]
    if not anchors:
        return None
    name = anchors[-1].value
    uses = [token for token in tokens if isinstance(token, yaml.AliasToken)
            and token.value == name
            and mapping.start_mark.index <= token.start_mark.index <= mapping.end_mark.index
            and (token.start_mark.line + 1, token.start_mark.column + 1)
            != (first.line, first.column)]
    repeats = [item for item, _value in mapping.value if item is key_node]
    index = len(repeats) - 2  # the anchored key itself is the first of them
    if not uses or index < 0:
        return None
    mark = uses[min(index, len(uses) - 1)].start_mark
    return Position(mark.line + 1, mark.column + 1), name


_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _scalar_value(scalars: yaml.SafeLoader, node: yaml.Node) -> Any:
    """The value of a scalar key or value; refused if it cannot be used or published."""
    if node.tag == _STR_TAG:
        value = node.value  # what the constructor would return, without its overhead
    elif node.tag in _NUMBER_TAGS and (problem := _yaml11_number(node)) is not None:
        raise problem
    else:
        try:
            value = scalars.construct_object(node, deep=True)
        except Exception:  # PyYAML raises ValueError, KeyError, ... on values it cannot read
            raise _unreadable_scalar(node) from None
    return _checked_scalar(value, node)


_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+")
_BASE_PREFIX = re.compile(r"[-+]?0([bx])[0-9a-fA-F_]+")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")


def _yaml11_number(node: yaml.Node) -> YamlProblem | None:
    """A number written in a form only YAML 1.1 reads as a number (``031000`` is octal
    12800, ``0b11`` is 3, ``1:30`` is 90): HR means something else, so it is refused.
    A huge one is left to the size check."""
    written = node.value
    if len(written) > 40:
        return None
    if _LEADING_ZERO.fullmatch(written):
        digits = written.lstrip("+-").lstrip("0_").replace("_", "") or "0"
        meant = ("-" if written.startswith("-") else "") + digits
        how = (f"as the octal number {int(written.replace('_', ''), 8):,}"
               if set(written.lstrip("+-")) <= set("01234567_") else "as text or an octal number")
        message = (f"'{written}' starts with 0, so YAML reads it {how}; write "
                   f"{meant}, or quote it (\"{written}\") if it is text")
    elif match := _BASE_PREFIX.fullmatch(written):
        base = {"b": ("binary", 2), "x": ("hexadecimal", 16)}[match.group(1)]
        value = int(written.replace("_", "").replace("0" + match.group(1), "", 1), base[1])
        if abs(value) >= MAX_NUMBER:
            return None
        message = (f"'{written}' is read by YAML as the {base[0]} number {value:,}; "
                   f"write {value}, or quote it (\"{written}\") if it is text")
    elif _SEXAGESIMAL.fullmatch(written):
        value = _sexagesimal(written)
        if abs(value) >= MAX_NUMBER:
            return None
        message = (f"'{written}' is read by YAML as {value:,} (a number counted in "
                   f"sixties); write {value} if you mean that number, or quote it "
                   f"(\"{written}\") if it is text such as a time")
    else:
        return None
    return YamlProblem(message, _position(node), "yaml-number")


def _sexagesimal(written: str) -> int | float:
    """The value YAML 1.1 gives ``1:30`` (90) or ``1:30.5`` (90.5)."""
    sign = -1 if written.startswith("-") else 1
    total: int | float = 0
    for part in written.lstrip("+-").replace("_", "").split(":"):
        total = total * 60 + (float(part) if "." in part else int(part))
    return sign * total


def _unreadable_scalar(node: yaml.Node) -> YamlProblem:
    written = _shown(node.value)
    if node.tag == "tag:yaml.org,2002:timestamp":
        message = (f"'{written}' looks like a date but is not a real one; write the date as "
                   "YYYY-MM-DD, or put the value in quotes if it is text")
    elif node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        message = (f"'{written}' cannot be read as a number (too many digits?); write a plain "
                   "number, or put the value in quotes if it is text")
    else:
        message = (f"'{written}' does not fit the tag '{_written_tag(node.tag)}'; remove the tag "
                   "or correct the value")
    return YamlProblem(message, _position(node), "invalid-value")


def _checked_scalar(value: Any, node: yaml.Node) -> Any:
    """``value``, unless it is text with invisible characters or a number out of range."""
    if isinstance(value, str):
        if match := _UNPRINTABLE.search(value):
            raise YamlProblem(
                f"the text holds an invisible control character (U+{ord(match.group()):04X}), "
                "pasted in or written as an escape such as \"\\a\" or \"\\x1b\"; delete it",
                _position(node),
                "encoding",
            )
        if match := _SURROGATE.search(value):
            raise YamlProblem(
                f"the text holds half of a character pair (U+{ord(match.group()):04X}, from an "
                "escape such as \"\\ud800\"); write the character itself instead",
                _position(node),
                "encoding",
            )
    elif isinstance(value, float) and not math.isfinite(value):
        raise YamlProblem(
            f"'{_shown(node.value)}' is not a number that can be used here; write a plain "
            "number such as 42000",
            _position(node),
            "invalid-value",
        )
    elif isinstance(value, int | float) and not isinstance(value, bool) \
            and abs(value) >= MAX_NUMBER:
        raise YamlProblem(
            f"the number '{_shown(node.value)}' is too large; numbers in framework files stay "
            f"below {MAX_NUMBER:,}",
            _position(node),
            "invalid-value",
        )
    return value


def _shown(written: str, limit: int = 40) -> str:
    """A value as written, cut short if it is long (so a message stays one readable line)."""
    return written if len(written) <= limit else written[: limit - 3] + "..."


def _check_tag(node: yaml.Node) -> None:
    if node.tag not in _ALLOWED_TAGS:
        raise YamlProblem(
            f"the tag '{_written_tag(node.tag)}' is not allowed; framework files hold only plain "
            "text, numbers, dates, lists and mappings",
            _position(node),
            "yaml-tag",
        )


def _written_tag(tag: str) -> str:
    """A tag as it is written in YAML: ``!!python/object`` rather than its long form."""
    return "!!" + tag.removeprefix(_STANDARD_TAG) if tag.startswith(_STANDARD_TAG) else tag


def _position(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)
