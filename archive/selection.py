"""A reader's selection: a list of document ids gathered from searches, checked against the
catalog, exported like a search and saved as a curated set (`documents/sets/<name>.yaml`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from .catalog import Catalog, document_summaries

MAX_IDS = 5000  # a chapter's worth many times over; bounds the cost of one request
_SEPARATORS = re.compile(r"[\s,]+")
SET_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


class SelectionError(ValueError):
    """A selection that cannot be used as given: too long, unknown ids, a bad set name."""


class UnknownIds(SelectionError):
    def __init__(self, unknown: list[str]):
        self.unknown = unknown
        shown = ", ".join(unknown[:20]) + (f" and {len(unknown) - 20} more" if len(unknown) > 20 else "")
        super().__init__(f"no document with id{'s' if len(unknown) > 1 else ''} {shown}")


def parse_ids(text: str) -> list[str]:
    """Ids separated by commas, spaces or lines, in the order given, each once. Lines starting
    with '#' are comments. SelectionError past MAX_IDS."""
    lines = (line for line in text.splitlines() if not line.lstrip().startswith("#"))
    ids = list(dict.fromkeys(i for i in _SEPARATORS.split(" ".join(lines)) if i))
    if len(ids) > MAX_IDS:
        raise SelectionError(f"a selection holds at most {MAX_IDS} documents, got {len(ids)}")
    return ids


def read_ids_file(path: Path) -> list[str]:
    """The ids in a file (one a line, or separated by commas); SelectionError naming the file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise SelectionError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise SelectionError(f"{path}:1: ids: not UTF-8 text") from None
    try:
        return parse_ids(text)
    except SelectionError as error:
        raise SelectionError(f"{path}: {error}") from None


def in_date_order(catalog: Catalog, ids: Iterable[str]) -> list[dict]:
    """Summaries (id, title, type, number, date_text, date_earliest) of `ids` in date order.
    UnknownIds names every id the catalog does not hold, in the order given."""
    wanted = list(dict.fromkeys(ids))
    rows = document_summaries(catalog, wanted)
    found = {row["id"] for row in rows}
    unknown = [i for i in wanted if i not in found]
    if unknown:
        raise UnknownIds(unknown)
    return rows


def set_yaml(title: str, description: str, ids: list[str]) -> str:
    """A curated set file in the layout of the bundled ones."""
    body = yaml.safe_dump({"title": title, "description": description}, allow_unicode=True,
                          sort_keys=False, width=96)
    return body + "documents:\n" + "".join(f"  - {i}\n" for i in ids)


def write_set(sets_dir: Path, name: str, title: str, description: str, ids: list[str]) -> Path:
    """Write `sets_dir/<name>.yaml`, never replacing a file. SelectionError for a bad name, an
    empty selection or an existing set."""
    if not SET_NAME.match(name):
        raise SelectionError(f"set name {name!r}: use lower-case letters, digits and hyphens "
                             "(e.g. chapter-3)")
    if not ids:
        raise SelectionError("the selection is empty: nothing to save")
    if not title.strip() or not description.strip():
        raise SelectionError("a set needs a title and a description")
    path = sets_dir / f"{name}.yaml"
    sets_dir.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(set_yaml(title.strip(), description.strip(), ids))
    except FileExistsError:
        raise SelectionError(f"{path} already exists; choose another name") from None
    return path
