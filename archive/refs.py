"""Archival references: parsing them as footnotes write them, and formatting them back.

A reference names an archive (through the archive authority) and then its parts in any order:
fond, opis, delo, papka and listy (sheets), each kept exactly as cited ("059a", "0140-0142").
Text before the first archive name is prose and is skipped ("A copy was found in ..."), and so is
a sentence after the sheets ("... ll. 0141. Translated by ..."). Anything else that cannot be
read is a RefError quoting it: no part is ever dropped silently.

"p." is a papka (as AVP RF citations use it); "pp." are sheets ("AP RF. F. 4. ... pp. 59-61.").
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import NoReturn

from archive.archives import ArchiveAuthority, name_key
from archive.records import Archive, ArchiveRef

PARTS = ("fond", "opis", "delo", "papka", "listy")
LABELS = {
    "fond": "fond|f|фонд|ф",
    "opis": "opis|op|опись|оп",
    "delo": "delo|d|дело|д",
    "papka": "papka|p|папка|п|р",  # "р" is the Cyrillic letter, typed for a Latin "P."
    "listy": "listy|list|ll|l|pp|листы|лист|лл|л",
}
_LABELS = "|".join(f"(?P<{part}>{labels})" for part, labels in LABELS.items())
_LABEL = re.compile(rf"(?<!\w)(?:{_LABELS})(?!\w)\s*[.:]?\s*", re.I)
# Fond, opis, delo and papka are a number with at most one letter ("059a", "5а").
_NUMBER = r"\d+(?:[^\W\d_](?!\w))?"
_UNIT = re.compile(_NUMBER + r"(?![\w/–—-])")  # a range of dela ("d. 3-4") is unreadable
# Sheets: numbers, ranges and lists of them, a sheet's back marked "ob." ("10-12, 15", "5 об.").
_SHEET = _NUMBER + r"(?:\s?(?:ob|об)(?!\w)\.?)?"
_RANGE = _SHEET + r"(?:\s*[-–—]\s*" + _SHEET + ")?"
_LISTY = re.compile(_RANGE + r"(?:\s*,\s*" + _RANGE + r")*(?!\w)", re.I)
# Fond, opis and delo with a number never occur in prose, unlike "p. 118" in a book citation.
_STRONG = "|".join(LABELS[part] for part in ("fond", "opis", "delo"))
_ARCHIVAL = re.compile(rf"(?<!\w)(?:{_STRONG})(?!\w)\s*[.:]?\s*\d", re.I)
_SEP = re.compile(r"[\s,.;:()\[\]]*")
_JOIN = re.compile(r"[\s.'’\-]*")  # what may stand between the words of one archive name
_MERGE = re.compile(r"[\s,.()\[\]]*")  # "Archive of the President ..., APRF" is one name
_CONNECTIVES = re.compile(r"(?:(?:and|also|see|cf|и|см|также)(?!\w)|[\s,.;:()\[\]])*", re.I)
_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")
MAX_DIGITS = 10  # per number; real fonds, dela and sheets have at most 5 or 6


class RefError(ValueError):
    """An archive reference that cannot be read; the message quotes the offending text."""


@dataclass
class _Mention:
    start: int
    end: int
    archive: Archive


def parse_refs(
    text: str, archives: ArchiveAuthority, *, default_archive: str | None = None
) -> list[ArchiveRef]:
    """Every archive reference in `text`, in order.

    `default_archive` (any name of an archive) is used for parts cited without one
    ("ll. 10-12, 15"). Raises RefError for text without a reference, an unknown archive or a
    part that cannot be read.
    """
    source = text.strip()
    if not source:
        raise RefError("empty archive reference")
    mentions = _find_mentions(source, archives)
    refs = []
    lead_end = mentions[0].start if mentions else len(source)
    start = _SEP.match(source, 0, lead_end).end()
    if _LABEL.match(source, start, lead_end):
        if default_archive is None:
            raise RefError(f'no archive named in archive reference "{source}"')
        default = _resolve(default_archive, archives)
        refs.append(_read_parts(source, start, start, lead_end, default, archives))
    else:
        # Prose before the first archive is skipped unless it holds a reference itself.
        clues = (_ARCHIVAL if mentions else _LABEL).finditer(source, start, lead_end)
        for clue in clues:
            if mentions or _read_value(source, clue):
                _unknown_archive(source[start : clue.start()], archives, source)
    for i, mention in enumerate(mentions):
        end = mentions[i + 1].start if i + 1 < len(mentions) else len(source)
        refs.append(
            _read_parts(source, mention.start, mention.end, end, mention.archive, archives)
        )
    if not refs:
        raise RefError(f'no archive reference found in "{source}"')
    return refs


def ref_from_mapping(data: dict, archives: ArchiveAuthority, *, cited: str = "") -> ArchiveRef:
    """A reference given as a mapping (archive, fond, opis, delo, papka, listy); raises RefError."""
    for key in data:
        if key not in ("archive", *PARTS):
            close = difflib.get_close_matches(str(key), ("archive", *PARTS), n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            raise RefError(f"unknown archive reference field `{key}`{hint}")
    if not data.get("archive"):
        raise RefError("archive reference has no `archive`")
    parts = {}
    for part in PARTS:
        value = data.get(part)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise RefError(f"{part}: expected text or a number, got {value!r}")
        value = str(value).strip()
        if not (_LISTY if part == "listy" else _UNIT).fullmatch(value):
            raise RefError(f'{part}: cannot read "{value}"')
        parts[part] = value
    _check_lengths(parts, "")
    archive = _resolve(str(data["archive"]), archives)
    return ArchiveRef(archive=archive.id, cited=cited, **parts)


def format_short(ref: ArchiveRef) -> str:
    """'f. 45, op. 1, d. 331, l. 55' (papka after delo; 'll.' for several sheets)."""
    sheets = "ll." if _plural(ref.listy) else "l."
    labels = (("f.", ref.fond), ("op.", ref.opis), ("d.", ref.delo), ("p.", ref.papka))
    return ", ".join(f"{label} {value}" for label, value in (*labels, (sheets, ref.listy)) if value)


def format_long(ref: ArchiveRef, archives: ArchiveAuthority) -> str:
    """'Archive of the President of the Russian Federation (APRF), fond 45, ..., list 55'."""
    archive = archives.get(ref.archive)
    sheets = "listy" if _plural(ref.listy) else "list"
    labels = (("fond", ref.fond), ("opis", ref.opis), ("delo", ref.delo), ("papka", ref.papka))
    parts = [f"{label} {value}" for label, value in (*labels, (sheets, ref.listy)) if value]
    return ", ".join([f"{archive.name_en} ({archive.id})", *parts])


def format_russian(ref: ArchiveRef, archives: ArchiveAuthority) -> str:
    """'АПРФ. Ф. 45. Оп. 1. Д. 331. Л. 55.' (papka, as Russian citations do, before delo)."""
    archive = archives.get(ref.archive)
    name = next((a for a in archive.abbreviations if re.search("[а-яё]", a, re.I)), archive.id)
    labels = (("Ф.", ref.fond), ("Оп.", ref.opis), ("П.", ref.papka), ("Д.", ref.delo))
    items = [name, *(f"{label} {value}" for label, value in (*labels, ("Л.", ref.listy)) if value)]
    return " ".join(item if item.endswith(".") else item + "." for item in items)


def ref_to_json(ref: ArchiveRef, archives: ArchiveAuthority) -> dict:
    return {
        "archive": ref.archive,
        **{part: getattr(ref, part) for part in PARTS},
        "cited": ref.cited,
        "short": format_short(ref),
        "long": format_long(ref, archives),
        "russian": format_russian(ref, archives),
    }


def _plural(listy: str | None) -> bool:
    return bool(listy) and bool(re.search(r"[-–—,]", listy))


def _resolve(name: str, archives: ArchiveAuthority) -> Archive:
    archive = archives.resolve(name)
    if archive is None:
        _unknown_archive(name, archives, name)
    return archive


def _unknown_archive(name: str, archives: ArchiveAuthority, source: str) -> NoReturn:
    # Keep only the last clause before the parts: "[Source: XYZ, f. 1" names "XYZ".
    name = re.split(r"[;:\[(]|(?:^|\s)(?:and|и)\s|\.\s", name)[-1].strip(" \t\n,.;:()[]")
    if not name:
        raise RefError(f'no archive named in archive reference "{source}"')
    known = ", ".join(archives.ids())
    raise RefError(f'unknown archive "{name}" (known: {known})')


def _find_mentions(source: str, archives: ArchiveAuthority) -> list[_Mention]:
    """Archive names in `source`, longest first; neighbours naming one archive are one name."""
    words = list(_WORD.finditer(source))
    mentions: list[_Mention] = []
    i = 0
    while i < len(words):
        best, key = None, ""
        for j in range(i, len(words)):
            if j > i and not _JOIN.fullmatch(source, words[j - 1].end(), words[j].start()):
                break
            key += name_key(words[j].group())
            if len(key) > archives.longest_key:
                break
            archive = archives.resolve(key) if key and words[i].group().lower() != "the" else None
            if archive is not None and words[j].group().lower() != "the":
                best = (j, archive)
        if best is None:
            i += 1
            continue
        j, archive = best
        start, end = words[i].start(), words[j].end()
        previous = mentions[-1] if mentions else None
        same = previous is not None and previous.archive == archive
        if same and _MERGE.fullmatch(source, previous.end, start):
            previous.end = end
        else:
            mentions.append(_Mention(start, end, archive))
        i = j + 1
    return mentions


def _read_value(source: str, label: re.Match) -> re.Match | None:
    pattern = _LISTY if label.lastgroup == "listy" else _UNIT
    return pattern.match(source, label.end())


def _read_parts(
    source: str, start: int, pos: int, end: int, archive: Archive, archives: ArchiveAuthority
) -> ArchiveRef:
    """The parts cited in source[pos:end] for `archive`; the reference began at `start`."""
    parts: dict[str, str] = {}
    last = pos

    def put(part: str, value: str) -> None:
        if part in parts:
            raise RefError(f'{part} given twice in archive reference "{source}"')
        parts[part] = value

    while True:
        pos = _SEP.match(source, pos, end).end()
        label = _LABEL.match(source, pos, end)
        value = _read_value(source, label) if label else None
        if label and (value is None or value.end() > end):
            break  # a label whose value cannot be read: reported below
        if label:
            put(label.lastgroup, value.group())
        elif "delo" in parts and "listy" not in parts and _LISTY.match(source, pos, end):
            value = _LISTY.match(source, pos, end)  # "d. 3, 100-3": bare sheets after the delo
            put("listy", value.group())
        else:
            break
        pos = last = value.end()

    rest = source[pos:end]
    if not _CONNECTIVES.fullmatch(rest):
        clue = _ARCHIVAL.search(rest)
        if clue and not _LABEL.match(rest):  # "...; and XYZ, f. 3": another, unknown archive
            _unknown_archive(rest[: clue.start()], archives, source)
        if "listy" not in parts or _LABEL.match(rest):  # prose may only follow the sheets
            quoted = rest.strip().rstrip(",;.").strip()
            raise RefError(f'cannot read "{quoted}" in archive reference "{source}"')
    if not parts:
        name = source[start:last]
        raise RefError(f'no fond, opis, delo, papka or listy after "{name}" in "{source}"')
    _check_lengths(parts, source)
    return ArchiveRef(archive=archive.id, cited=source[start:last], **parts)


def _check_lengths(parts: dict[str, str], source: str) -> None:
    """Refuse numbers no archive uses: a part of thousands of digits would reach every page
    that sorts or counts by it (Python reads at most 4,300 digits into a number)."""
    for part, value in parts.items():
        for number in _DIGITS.findall(value):
            if len(number) > MAX_DIGITS:
                where = f' in archive reference "{_shorten(source)}"' if source else ""
                raise RefError(f"{part}: a number of {len(number):,} digits is too long "
                               f"(at most {MAX_DIGITS}){where}")


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
