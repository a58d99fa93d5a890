"""`archive new`: one document written from its fields, checked as `archive check` would check it,
never replacing a file. Also the field-by-field checks the interactive prompts use."""

from __future__ import annotations

import tempfile
from pathlib import Path

from .documents import load_authorities
from .importing import check_draft, draft_from_fields
from .refs import RefError, parse_refs
from .settings import Config


class NewDocumentError(ValueError):
    """The document cannot be written; the message lists every problem, one a line."""


def authorities(config: Config):
    people, archives, problems = load_authorities(config)
    if people is None or archives is None:
        raise NewDocumentError("the name or archive authority is invalid: run `archive check`")
    return people, archives


def check_name(people, typed: str) -> str | None:
    """None when `typed` is a form in the name authority, else a sentence with suggestions."""
    if people.resolve(typed) is not None:
        return None
    from .people import normalize_name

    family = [p.name for p in people if p.family and normalize_name(p.family) == normalize_name(typed)]
    close = list(dict.fromkeys(family + people.suggest(typed)))[:3]
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    return f"no person or body called {typed!r} in the name authority{hint}"


def check_ref(archives, typed: str) -> str | None:
    """None when the reference parses, else the parser's sentence."""
    try:
        parse_refs(typed, archives)
    except RefError as error:
        return str(error)
    return None


def write_new(config: Config, values: dict, summary: str = "", name: str = "") -> Path:
    """Write the document; NewDocumentError naming each problem (nothing written), or when the
    file exists."""
    people, archives = authorities(config)
    draft = draft_from_fields("new", name, values, summary)
    existing = {p.stem for p in config.documents_dir.glob("*.md")}
    with tempfile.TemporaryDirectory() as scratch:
        record, problems = check_draft(draft, Path(scratch), people, archives, config, set())
    if problems:
        raise NewDocumentError("\n".join(p.removeprefix("new: ") for p in problems))
    target = config.documents_dir / record.path
    if record.id in existing or target.exists():
        raise NewDocumentError(f"{target} already exists; give another --id")
    try:
        with target.open("x", encoding="utf-8", newline="") as handle:
            handle.write(draft.text)
    except FileExistsError:
        raise NewDocumentError(f"{target} already exists; give another --id") from None
    return target


__all__ = ["NewDocumentError", "check_name", "check_ref", "write_new"]
