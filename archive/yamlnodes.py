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


_MAX_INT_DIGITS = 4300  # sys.get_int_max_str_digits() by default
_MAX_ISSUES = 10  # refused anchors or duplicate keys reported per file (one per line)


@dataclass
class Located:
    """A loaded YAML value with the 1-based line of each mapping key (or list item)."""

    value: object
    line: int
    key_lines: dict[str, int]
    item_lines: list[int]  # for sequences: the line of each item
    value_item_lines: dict[str, list[int]]  # for a mapping's list values: the line of each item


class RefusedYAML(yaml.YAMLError):
    """Valid YAML that we refuse: anchors and aliases (an alias bomb of a few hundred bytes
    expands to gigabytes), a key given twice (YAML would silently keep the last), a number too
    long to read. `issues` lists each as (line, field, message)."""

    def __init__(self, issues: list[tuple[int, str, str]]):
        self.issues = issues
        super().__init__("; ".join(f"line {line}: {field}: {message}"
                                   for line, field, message in issues))


def load_located(text: str, *, first_line: int = 1, where: str = "front matter") -> Located:
    """Parse one YAML document; raises yaml.YAMLError (with .problem_mark) on bad syntax,
    RefusedYAML (a YAMLError too) on anchors, aliases, duplicate keys and overlong numbers."""
    loader = _Loader(text)
    try:
        node = _compose(loader, text, first_line, where)
        if node is None:
            return Located(None, first_line, {}, [], {})
        try:
            value = loader.construct_document(node)
        except ValueError:  # int("9" * 4301): Python refuses to read numbers that long
            line, digits = _long_number(node)
            message = (f"a number of {digits:,} digits is too long to read" if digits
                       else "a value YAML cannot read")
            raise RefusedYAML([(line + first_line, _top_key(node, line) or where,
                                message)]) from None
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


def compose_checked(text: str, *, first_line: int = 1, loader_class: type = _Loader,
                    where: str = "front matter") -> yaml.Node | None:
    """The node tree of one YAML document, refusing anchors, aliases and duplicate keys.
    Each refusal names the key of the outermost mapping it is in, else `where`."""
    loader = loader_class(text)
    try:
        return _compose(loader, text, first_line, where)
    finally:
        loader.dispose()


def _compose(loader, text: str, first_line: int, where: str) -> yaml.Node | None:
    if "&" in text or "*" in text:  # only then can there be an anchor or alias to find
        _refuse_anchors(text, first_line, type(loader), where)
    node = loader.get_single_node()
    if node is not None and not isinstance(node, yaml.ScalarNode):
        issues = _find_duplicate_keys(node, first_line, where)
        if issues:
            raise RefusedYAML(issues)
    return node


def _refuse_anchors(text: str, first_line: int, loader_class: type, where: str) -> None:
    """Walk the parser's events (never building the document) and refuse every anchor and
    alias, naming the key it sits under."""
    parser = loader_class(text)
    issues: list[tuple[int, str, str]] = []
    # per open collection: [is_mapping, next node is a key, the key being read]
    stack: list[list] = []
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.NodeEvent):
                if stack and stack[-1][0]:
                    is_key = stack[-1][1]
                    stack[-1][1] = not is_key
                    if is_key:
                        stack[-1][2] = str(getattr(event, "value", None) or "?")
                # named by the key of the outermost mapping: a field, or a person's field
                field = next((frame[2] for frame in stack if frame[0]), where)
                line = event.start_mark.line + first_line
                if event.anchor is not None and not (issues and issues[-1][0] == line):
                    mark = "*" if isinstance(event, yaml.AliasEvent) else "&"
                    kind = "alias" if mark == "*" else "anchor"
                    issues.append((line, field, (
                        f"YAML {kind} {mark}{event.anchor} refused: anchors and aliases are "
                        "not accepted; write the value out in full")))
                    if len(issues) == _MAX_ISSUES:
                        break
                if isinstance(event, yaml.CollectionStartEvent):
                    stack.append([isinstance(event, yaml.MappingStartEvent), True, where])
            elif isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
    finally:
        parser.dispose()
    if issues:
        raise RefusedYAML(issues)


def _find_duplicate_keys(root: yaml.Node, first_line: int, where: str
                         ) -> list[tuple[int, str, str]]:
    """Every key given twice in one mapping, named by its top-level field (iterative: libyaml
    allows nesting 1,000 deep, Python's recursion limit is about that). Only collections are
    visited, and a mapping's lines are looked at only when a set shows a repeated key."""
    issues: list[tuple[int, str, str]] = []
    stack: list[tuple[yaml.Node, str | None]] = [(root, None)]
    scalar, sequence = yaml.ScalarNode, yaml.SequenceNode
    while stack and len(issues) < _MAX_ISSUES:
        node, field = stack.pop()
        if isinstance(node, sequence):
            stack.extend((item, field) for item in node.value if not isinstance(item, scalar))
            continue
        pairs = node.value  # a MappingNode: scalars are never pushed
        names = [(k.tag, k.value) for k, _ in pairs if isinstance(k, scalar)]
        if len(set(names)) != len(names):
            seen: dict[tuple[str, str], int] = {}
            for key_node, _ in pairs:
                if isinstance(key_node, scalar):
                    line = key_node.start_mark.line + first_line
                    name = (key_node.tag, key_node.value)
                    if name in seen:
                        issues.append((line, field or key_node.value or where, (
                            f"key {key_node.value!r} given twice (lines {seen[name]} and {line}):"
                            " keep one (YAML would silently keep only the last)")))
                    seen.setdefault(name, line)
        for key_node, value_node in pairs:
            if not isinstance(value_node, scalar):
                name = key_node.value if isinstance(key_node, scalar) else None
                stack.append((value_node, field or name))
    issues.sort()
    return issues[:_MAX_ISSUES]


def _long_number(node: yaml.Node) -> tuple[int, int]:
    """(0-based line, length) of the first integer scalar too long for int()."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode):
            if current.tag.endswith(":int") and len(current.value) > _MAX_INT_DIGITS:
                return current.start_mark.line, len(current.value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(reversed(current.value))
        elif isinstance(current, yaml.MappingNode):
            for key, value in reversed(current.value):
                stack.extend((value, key))
    return node.start_mark.line, 0


def _top_key(node: yaml.Node, line: int) -> str | None:
    """The top-level key whose entry spans the 0-based `line`."""
    if not isinstance(node, yaml.MappingNode):
        return None
    found = None
    for key_node, _ in node.value:
        if key_node.start_mark.line <= line and isinstance(key_node, yaml.ScalarNode):
            found = key_node.value
    return found


def error_line(error: yaml.YAMLError, *, first_line: int = 1) -> int:
    if isinstance(error, RefusedYAML):
        return error.issues[0][0]
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return (mark.line + first_line) if mark is not None else first_line


def error_text(error: yaml.YAMLError) -> str:
    if isinstance(error, RefusedYAML):
        return error.issues[0][2]
    problem = getattr(error, "problem", None)
    context = getattr(error, "context", None)
    parts = [p for p in (context, problem) if p]
    return "YAML syntax error: " + ("; ".join(parts) if parts else str(error).splitlines()[0])
