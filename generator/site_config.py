"""The site's settings as ``mkdocs.yml`` holds them: the ``career-paths`` plugin's options
(defined once, for both engines) and the file read as data.

Light on purpose (no renderer is imported), so the command line can read the settings to
find its defaults.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

PLUGIN_NAME = "career-paths"
CONFIG_FILE = "mkdocs.yml"


class SiteConfigError(Exception):
    """``mkdocs.yml`` cannot be used; the message says what is wrong and how to fix it."""


@dataclass(frozen=True)
class SiteOptions:
    """The options under ``plugins: - career-paths:`` in ``mkdocs.yml``; both engines read
    them (the MkDocs plugin's config takes its defaults from here)."""

    frameworks_dir: str = "frameworks"
    """The folder of the frameworks, relative to ``mkdocs.yml``."""
    generated_dir: str = "generated/pages"
    """Where the rendered pages are written before the engine builds them."""
    assets_dir: str = ""
    """Where the files beside the pages (drawings, JSON, downloads) are made before they are
    copied into the site (default: beside ``generated_dir``, named ``<generated_dir>-assets``)."""
    nav_role_limit: int = 400
    """Frameworks with more roles list only their tracks in the navigation."""
    maps: bool = False
    """Render every role's printable map to ``/<framework>/maps/<role>.pdf``."""
    maps_cache_dir: str = ""
    """Where rendered maps are kept between builds (default: see :func:`default_cache_dir`)."""
    maps_paper: Literal["a4", "letter"] = "a4"
    insert_nav_after: int = 1
    """How many entries of the hand-written ``nav`` come before the frameworks."""

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> SiteOptions:
        """The plugin's options as written in a ``mkdocs.yml`` read as data."""
        for entry in config.get("plugins") or []:
            if entry == PLUGIN_NAME:
                return cls()
            if isinstance(entry, dict) and PLUGIN_NAME in entry:
                return cls.from_mapping(entry[PLUGIN_NAME] or {})
        raise SiteConfigError(
            f"mkdocs.yml does not list the '{PLUGIN_NAME}' plugin: add it under 'plugins:' "
            f"(- {PLUGIN_NAME}:), as 'careers init' writes it")

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> SiteOptions:
        """Options from the plugin's mapping, each checked against its default's type."""
        if not isinstance(values, dict):
            raise SiteConfigError(f"the options of '{PLUGIN_NAME}' in mkdocs.yml must be "
                                  "'key: value' lines")
        known = {option.name: option for option in dataclasses.fields(cls)}
        checked: dict[str, Any] = {}
        for name, value in values.items():
            if name not in known:
                raise SiteConfigError(
                    f"unknown option '{name}' of '{PLUGIN_NAME}' in mkdocs.yml; known: "
                    f"{', '.join(known)}")
            expected = type(known[name].default)
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise SiteConfigError(
                    f"the option '{name}' of '{PLUGIN_NAME}' in mkdocs.yml should be "
                    f"{_TYPE_WORDS[expected]}, not {value!r}")
            checked[name] = value
        if checked.get("maps_paper", "a4") not in ("a4", "letter"):
            raise SiteConfigError("the option 'maps_paper' of 'career-paths' in mkdocs.yml is "
                                  "a4 or letter")
        return cls(**checked)


_TYPE_WORDS = {str: "text", int: "a whole number", bool: "true or false"}


@dataclass(frozen=True)
class TaggedValue:
    """A value written with a YAML tag that only MkDocs or Zensical can resolve
    (``!ENV``, ``!!python/name:...``): kept as written, to be written back as it was."""

    tag: str
    value: Any


class _ConfigLoader(yaml.SafeLoader):
    """Reads ``mkdocs.yml`` as data, keeping engine-specific tags as :class:`TaggedValue`."""


def _keep_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> TaggedValue:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return TaggedValue(node.tag, value)


_ConfigLoader.add_multi_constructor("!", _keep_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _keep_tag)


class _ConfigDumper(yaml.SafeDumper):
    """Writes a config read by :func:`read_config` back, tags included."""


def _write_tag(dumper: yaml.SafeDumper, tagged: TaggedValue) -> yaml.Node:
    if isinstance(tagged.value, list):
        return dumper.represent_sequence(tagged.tag, tagged.value)
    if isinstance(tagged.value, dict):
        return dumper.represent_mapping(tagged.tag, tagged.value)
    return dumper.represent_scalar(tagged.tag, str(tagged.value))


_ConfigDumper.add_representer(TaggedValue, _write_tag)


def read_config(config_file: Path) -> dict[str, Any]:
    """``mkdocs.yml`` as data (engine-specific tags kept as they are written)."""
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except OSError as error:
        raise SiteConfigError(f"cannot read {config_file}: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise SiteConfigError(f"{config_file} is not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise SiteConfigError(f"{config_file} should hold 'key: value' settings")
    return data


def write_config(config: dict[str, Any], config_file: Path) -> None:
    """Write a config read by :func:`read_config` (possibly changed) to ``config_file``."""
    config_file.write_text(yaml.dump(config, Dumper=_ConfigDumper, sort_keys=False,
                                     allow_unicode=True), encoding="utf-8")


