"""Finding a document from what a user typed: its id, part of it, its file name or its path."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import PurePath

MAX_SUGGESTIONS = 8


def find_document_id(typed: str, files: Mapping[str, str]) -> tuple[str | None, list[str]]:
    """(the id `typed` names, []) or (None, the ids it may mean, best first).

    `files` maps each catalogued document's file path (as the catalog stores it) to its id. An id,
    a file name (`x.md`) or a path ending in a catalogued file names that document; a part of an
    id, or a near spelling, gives suggestions.
    """
    text = typed.strip()
    ids = set(files.values())
    if text in ids:
        return text, []
    path = PurePath(text.replace("\\", "/"))
    if path.suffix == ".md":
        named = {doc_id: PurePath(stored) for stored, doc_id in files.items()
                 if PurePath(stored).name == path.name}
        if len(named) > 1:  # the same file name in two folders: the folders typed decide
            named = {i: p for i, p in named.items()
                     if p.parts[-min(len(p.parts), len(path.parts)):]
                     == path.parts[-min(len(p.parts), len(path.parts)):]}
        if len(named) == 1:
            return next(iter(named)), []
        if named:  # still several: name them all
            return None, sorted(named)[:MAX_SUGGESTIONS]
    stem = path.name.removesuffix(".md")
    if stem in ids:
        return stem, []
    needle = stem.casefold()
    containing = sorted(i for i in ids if needle and needle in i.casefold())
    if containing:
        return None, containing[:MAX_SUGGESTIONS]
    words = [w for w in _words(needle) if len(w) > 2 and not w.isdigit()]
    known = sorted({w for i in ids for w in _words(i.casefold())})
    # each typed word, or the id word nearest to it ("stalni" -> "stalin")
    words = [w if w in known else next(iter(difflib.get_close_matches(w, known, n=1, cutoff=0.7)), w)
             for w in words]
    sharing = sorted(i for i in ids if words and all(w in i.casefold() for w in words))
    if sharing:
        return None, sharing[:MAX_SUGGESTIONS]
    return None, difflib.get_close_matches(stem, sorted(ids), n=3, cutoff=0.6)


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[-_\s.]+", text) if w]


def not_found_message(typed: str, suggestions: list[str]) -> str:
    message = f"no document with id {typed!r}"
    if not suggestions:
        return message
    if len(suggestions) == 1:
        return f"{message}; did you mean {suggestions[0]}?"
    return f"{message}; did you mean one of these?\n  " + "\n  ".join(suggestions)
