"""YAML loading that remembers where things are, so every problem can name its line."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

try:  # the C loader is several times faster on large collections
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader


class _Loader(_BaseLoader):
    """Safe loading that keeps dates as written: `date: 1950-02-30` must reach the EDTF check."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Located:
    """A loaded YAML value with the 1-based line of each mapping key (or list item)."""

    value: object
    line: int
    key_lines: dict[str, int]
    item_lines: list[int]  # for sequences: the line of each item
    value_item_lines: dict[str, list[int]]  # for a mapping's list values: the line of each item


def load_located(text: str, *, first_line: int = 1) -> Located:
    """Parse one YAML document; raises yaml.YAMLError (with .problem_mark) on bad syntax."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Located(None, first_line, {}, [], {})
        value = loader.construct_document(node)
    finally:
        loader.dispose()
    offset = first_line
    key_lines: dict[str, int] = {}
    item_lines: list[int] = []
    value_item_lines: dict[str, list[int]] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_lines.setdefault(key, key_node.start_mark.line + offset)
            if isinstance(value_node, yaml.SequenceNode):
                value_item_lines[key] = [v.start_mark.line + offset for v in value_node.value]
    elif isinstance(node, yaml.SequenceNode):
        item_lines = [item.start_mark.line + offset for item in node.value]
    return Located(value, node.start_mark.line + offset, key_lines, item_lines, value_item_lines)


def error_line(error: yaml.YAMLError, *, first_line: int = 1) -> int:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return (mark.line + first_line) if mark is not None else first_line


def error_text(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None)
    context = getattr(error, "context", None)
    parts = [p for p in (context, problem) if p]
    return "YAML syntax error: " + ("; ".join(parts) if parts else str(error).splitlines()[0])
