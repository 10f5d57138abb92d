"""Strict YAML reading for every parameter and reference file.

Plain ``yaml.safe_load`` accepts two equal keys (keeping the last silently), expands aliases
(a 560-byte "billion laughs" file fills the memory) and ends a non-UTF-8 file in a
UnicodeDecodeError traceback. Here each is an error that names the file (and line), raised as
the caller's error class so the CLI prints one message. Files above :data:`MAX_BYTES` are refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from homecare.core import paths
from homecare.core.errors import HomecareError

MAX_BYTES = 1_000_000  # parameter and reference YAML files are a few kilobytes


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that rejects a mapping with the same key twice, and aliases (``*name``):
    parameter and reference files never need them, and nested aliases are how a few hundred
    bytes expand into gigabytes (a "billion laughs" file)."""

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"alias *{event.anchor} is not allowed (write the value out)", event.start_mark
            )
        return super().compose_node(parent, index)


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice (first at line {seen[key]})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: str | Path, error: type[HomecareError] = HomecareError, *, what: str = "file") -> Any:
    """Parse a UTF-8 YAML file strictly; any problem (missing file, not UTF-8, invalid YAML,
    a key given twice) raises ``error`` naming the file. ``what`` names it in messages."""
    p = paths.resolve(path)
    where = paths.relative(p)
    if not p.is_file():
        raise error(f"{what} {where} does not exist")
    if p.stat().st_size > MAX_BYTES:
        raise error(f"{where}: {p.stat().st_size:,} bytes is too large for a {what} (limit {MAX_BYTES:,})")
    data = p.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"{where}: not UTF-8 text (line {line}); save the file as UTF-8") from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        raise error(f"{where}: not valid YAML: {exc}") from None


def load_yaml_mapping(path: str | Path, error: type[HomecareError] = HomecareError, *, what: str = "file") -> dict:
    """:func:`load_yaml` for files whose top level is a mapping (an empty file gives ``{}``)."""
    raw = load_yaml(path, error, what=what)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise error(f"{paths.relative(paths.resolve(path))}: expected a mapping of settings at the top level")
    return raw
