"""Archive references formatted back: English short and long forms, the Russian form in Cyrillic
throughout, the JSON `archive ref --json` prints, and the notes on how a reference was read."""

from __future__ import annotations

import re

from archive.archives import ArchiveAuthority
from archive.records import ArchiveRef

PARTS = ("fond", "opis", "delo", "papka", "listy")
_ROMAN = r"[IVXL]+(?![\w])"


def unknown_archive_note(name: str) -> str:
    """What `archive check` and `archive ref` say about an archive the authority does not know."""
    return (f'archive "{name}" is not in the archive authority; it is kept as written. To resolve '
            "it, add it to documents/authority/archives.yaml (id, name_en, name_ru, "
            "abbreviations; a former name goes under former_names)")


def ref_notes(ref: ArchiveRef, archives: ArchiveAuthority) -> list[str]:
    """What a reader should know about how `ref` was read (unknown archive, none named)."""
    if not ref.archive:
        return ["no archive named: the parts were read without an archive"]
    if ref.archive not in archives:
        return [unknown_archive_note(ref.archive)]
    former = archives.former_name_in(ref.archive, ref.cited)
    if former:
        return [f'"{former}" is a former name of {ref.archive}']
    return []


def format_short(ref: ArchiveRef) -> str:
    """'f. 45, op. 1, d. 331, l. 55' (papka after delo; 'll.' for several sheets);
    a call number as written ('FO 371/84053, p. 5')."""
    if ref.call_number:
        pages = (f"{'pp.' if _plural(ref.listy) else 'p.'} {ref.listy}",) if ref.listy else ()
        return ", ".join((ref.call_number, *pages))
    sheets = "ll." if _plural(ref.listy) else "l."
    labels = (("f.", ref.fond), ("op.", ref.opis), ("d.", ref.delo), ("p.", ref.papka))
    return ", ".join(f"{label} {value}" for label, value in (*labels, (sheets, ref.listy)) if value)


def format_long(ref: ArchiveRef, archives: ArchiveAuthority) -> str:
    """'Archive of the President of the Russian Federation (APRF), fond 45, ..., list 55'."""
    name = _archive_label(ref, archives)
    if ref.call_number:
        return ", ".join(x for x in (name, format_short(ref)) if x)
    sheets = "listy" if _plural(ref.listy) else "list"
    labels = (("fond", ref.fond), ("opis", ref.opis), ("delo", ref.delo), ("papka", ref.papka))
    parts = [f"{label} {value}" for label, value in (*labels, (sheets, ref.listy)) if value]
    return ", ".join([name, *parts] if name else parts)


def format_russian(ref: ArchiveRef, archives: ArchiveAuthority) -> str:
    """'АПРФ. Ф. 45. Оп. 1. Д. 331. Л. 55.' (papka, as Russian citations do, before delo), in
    Cyrillic throughout ('Ф. 059а'); a foreign call number stays as written."""
    name = _russian_name(ref, archives)
    if ref.call_number:
        items = [name, ref.call_number, *([f"Л. {_cyrillic(ref.listy)}"] if ref.listy else [])]
    else:
        labels = (("Ф.", ref.fond), ("Оп.", ref.opis), ("П.", ref.papka), ("Д.", ref.delo))
        items = [name, *(f"{label} {_cyrillic(value)}"
                         for label, value in (*labels, ("Л.", ref.listy)) if value)]
    return " ".join(item if item.endswith(".") else item + "." for item in items if item)


def ref_to_json(ref: ArchiveRef, archives: ArchiveAuthority) -> dict:
    return {
        "archive": ref.archive,
        "archive_known": ref.archive in archives,
        **{part: getattr(ref, part) for part in PARTS},
        "call_number": ref.call_number,
        "cited": ref.cited,
        "short": format_short(ref),
        "long": format_long(ref, archives),
        "russian": format_russian(ref, archives),
        "notes": ref_notes(ref, archives),
    }


def _archive_label(ref: ArchiveRef, archives: ArchiveAuthority) -> str:
    if ref.archive in archives:
        archive = archives.get(ref.archive)
        return f"{archive.name_en} ({archive.id})"
    return ref.archive


# Latin letters in numbers ("059a", "R-5446", "1s") as Russian citations write them.
_TO_CYRILLIC = str.maketrans(
    "abvgdezijklmnoprstufhcABVGDEZIJKLMNOPRSTUFHC",
    "абвгдезийклмнопрстуфхцАБВГДЕЗИЙКЛМНОПРСТУФХЦ",
)
_ACRONYM_DIGRAPHS = (("Kh", "Х"), ("Ts", "Ц"), ("Ch", "Ч"), ("Sh", "Ш"), ("Zh", "Ж"),
                     ("Yu", "Ю"), ("Ya", "Я"), ("E", "Э"))
_LATIN_ACRONYM = re.compile(r"(?:[A-Z]|Kh|Ts|Ch|Sh|Zh|Yu|Ya)+")


def _cyrillic(value: str) -> str:
    """A part in Cyrillic: Latin letters become their Cyrillic counterparts; roman numerals stay."""
    if re.fullmatch(_ROMAN, value):
        return value
    return re.sub(r"\b(ob|v)\.?(?=\s|$)", "об.", value).translate(_TO_CYRILLIC)


def _russian_name(ref: ArchiveRef, archives: ArchiveAuthority) -> str:
    if ref.archive in archives:
        archive = archives.get(ref.archive)
        return next((a for a in archive.abbreviations if re.search("[а-яё]", a, re.I)), archive.id)
    if ref.call_number or not _LATIN_ACRONYM.fullmatch(ref.archive):
        return ref.archive  # a foreign archive, or a name that is no transliterated acronym
    name = ref.archive
    for latin, cyrillic in _ACRONYM_DIGRAPHS:
        name = name.replace(latin, cyrillic)
    return name.translate(_TO_CYRILLIC)


def _plural(listy: str | None) -> bool:
    return bool(listy) and bool(re.search(r"[-–—,]", listy))
