"""Archive copies of one document: which one a citation names, and which are the same copy twice.

A record may list several references: copies of the same telegram kept in different archives
(APRF and AVP RF), or a reference from one footnote beside a fuller one from another. A citation
names the copy marked `primary: true`, or else the most complete one (most of fond, opis, delo,
papka and listy given; the first written on a tie).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .records import ArchiveRef
from .refs import PARTS

_SHEET_RANGE = re.compile(r"^(\d+)([a-zа-я]?)\s*[-–—]\s*(\d+)([a-zа-я]?)$", re.I)


def cited_ref(refs: Sequence[ArchiveRef]) -> ArchiveRef | None:
    """The copy a citation names: the one marked primary, else the most complete; None if none."""
    if not refs:
        return None
    for ref in refs:
        if ref.primary:
            return ref
    return max(refs, key=completeness)  # max keeps the first of equals


def other_refs(refs: Sequence[ArchiveRef]) -> list[ArchiveRef]:
    """Every copy except the cited one, in the order written, each once (a repeat of a copy
    already named, written differently, is left out)."""
    cited = cited_ref(refs)
    seen = {_key(cited)} if cited is not None else set()
    others = []
    for ref in refs:
        if ref is not cited and _key(ref) not in seen:
            seen.add(_key(ref))
            others.append(ref)
    return others


def completeness(ref: ArchiveRef) -> int:
    if ref.call_number:  # a foreign archive's call number ("FO 371/84053") names the whole file
        return len(PARTS) - 1 + bool(ref.listy)
    return sum(1 for part in PARTS if getattr(ref, part))


def duplicate_copies(refs: Sequence[ArchiveRef]) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of references naming the same archive, fond, opis, delo, papka and
    sheets, the sheets perhaps written differently ("ll. 105-6" and "ll. 105-106")."""
    keys = [_key(ref) for ref in refs]
    return [(i, j) for j in range(len(keys)) for i in range(j) if keys[i] == keys[j]]


def _key(ref: ArchiveRef) -> tuple:
    return (ref.archive, *(_unit(getattr(ref, part)) for part in PARTS[:-1]),
            tuple(_sheets(ref.listy)))


def _unit(value: str | None) -> str | None:
    return value.lstrip("0").lower() or "0" if value else None


def _sheets(listy: str | None) -> list[str]:
    """"105-6" -> ["105-106"]; "0141, 0142" -> ["141", "142"]: leading zeros and abbreviated
    range ends (Chicago's "105-6") spelled out, so that two spellings of one range compare equal."""
    if not listy:
        return []
    sheets = []
    for part in listy.split(","):
        part = part.strip()
        match = _SHEET_RANGE.match(part)
        if not match:
            sheets.append(_unit(part) or "")
            continue
        start, start_letter, end, end_letter = match.groups()
        start = start.lstrip("0") or "0"
        end = end.lstrip("0") or "0"
        if len(end) < len(start):
            candidate = start[: len(start) - len(end)] + end
            if int(candidate) >= int(start):
                end = candidate
        sheets.append(f"{start}{start_letter.lower()}-{end}{end_letter.lower()}")
    return sheets


def duplicate_copy_warnings(refs: Sequence[ArchiveRef], text: str) -> list[tuple[int, str]]:
    """(line, message) for each reference that repeats an earlier one, given the file's text
    (the line is where the repeat is written, else the `archive_refs:` line)."""
    lines = text.splitlines()
    key_line = next((n for n, line in enumerate(lines, 1) if line.startswith("archive_refs:")), 1)
    warnings = []
    for first, repeat in duplicate_copies(refs):
        cited = refs[repeat].cited
        line = next((n for n, written in enumerate(lines, 1) if cited and cited in written
                     and n > key_line), key_line)
        warnings.append((line, (
            f"duplicate copy: {_written(refs[repeat])} is the same reference as "
            f"{_written(refs[first])}; remove one")))
    return warnings


def _written(ref: ArchiveRef) -> str:
    if ref.cited:
        return f'"{ref.cited}"'
    return '"' + ", ".join([ref.archive, *(f"{part} {getattr(ref, part)}" for part in PARTS
                                           if getattr(ref, part))]) + '"'
