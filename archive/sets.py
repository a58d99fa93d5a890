"""Curated document sets (`documents/sets/<id>.yaml`): a title, a paragraph and ordered ids."""

from __future__ import annotations

from pathlib import Path

import yaml

from .files import read_regular
from .records import DocumentSet, Problem
from .yamlnodes import RefusedYAML, error_line, error_text, load_located

_FIELDS = ("title", "description", "documents")


def load_sets(sets_dir: Path, known_ids: set[str]) -> tuple[list[DocumentSet], list[Problem]]:
    sets: list[DocumentSet] = []
    problems: list[Problem] = []
    if not sets_dir.is_dir():
        return sets, problems
    for path in sorted(sets_dir.glob("*.yaml")):
        display = str(path)
        try:
            located = load_located(read_regular(path).decode("utf-8-sig"), where="set")
        except RefusedYAML as error:
            problems.extend(Problem(display, line, name, message)
                            for line, name, message in error.issues)
            continue
        except OSError as error:  # a FIFO among the sets too: never opened
            problems.append(Problem(display, 1, "file", f"cannot read ({error.strerror})"))
            continue
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            line = error_line(error) if isinstance(error, yaml.YAMLError) else 1
            text = error_text(error) if isinstance(error, yaml.YAMLError) else "not UTF-8"
            problems.append(Problem(display, line, "set", text))
            continue
        data = located.value
        if not isinstance(data, dict):
            problems.append(Problem(display, 1, "set", "expected a mapping: title, description, documents"))
            continue
        found = []
        for name in data:
            if name not in _FIELDS:
                found.append(Problem(display, located.key_lines[name], str(name), "unknown field"))
        for name in ("title", "description"):
            if not isinstance(data.get(name), str) or not data[name].strip():
                line = located.key_lines.get(name, 1)
                found.append(Problem(display, line, name, "required text is missing"))
        ids = data.get("documents")
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            found.append(Problem(display, located.key_lines.get("documents", 1), "documents",
                                 "expected a list of document ids"))
        else:
            lines = located.value_item_lines.get("documents", [])
            for doc_id, line in zip(ids, lines, strict=False):
                if doc_id not in known_ids:
                    found.append(Problem(display, line, "documents", f"no document with id {doc_id!r}"))
        problems.extend(found)
        if not found:
            sets.append(DocumentSet(path.stem, data["title"].strip(), data["description"].strip(),
                                    tuple(ids)))
    return sets, problems
