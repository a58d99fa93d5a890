"""Citations of one record: CSL-JSON, formatted styles, RIS, BibTeX and Zotero meta tags.

CSL-JSON (`csl_json`) is the source of every formatted citation; `archive.csl` renders it with
citeproc-js, the engine inside Zotero (see that module for why). RIS, BibTeX and the meta tags
follow what Zotero's importers read for a "letter": it keeps recipient, archive and archive
location from them, and the archive's place only from the note/extra line "Archive Place: ...".

Names: persons in western order are {family, given}; bodies and East Asian names are {literal}
so that "Mao Zedong" is never printed "Zedong Mao".

Language: the titles are English descriptions, so every format gives `en` as the item's language;
the original's language goes in the note ("Original language: Russian"). citeproc-js (and so
Zotero) takes `language` as the language of the title and names: given zh it would print "Stalin
I. V.", given anything but English it skips Chicago's title case.

The cited copy is the one `archive.copies.cited_ref` picks (marked primary, else the most
complete); the others go in the note as "Other copies".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping

from archive import csl
from archive.archives import ArchiveAuthority
from archive.copies import cited_ref, other_refs
from archive.records import ArchiveRef, Person, Record
from archive.ref_formats import format_short

STYLE_FORMATS = {
    "chicago-note": ("chicago", "note"),
    "chicago-short-note": ("chicago", "short-note"),
    "chicago-bibliography": ("chicago", "bibliography"),
    "mla": ("mla", "bibliography"),
    "apa": ("apa", "bibliography"),
}
FORMATS = (*STYLE_FORMATS, "csl-json", "ris", "bibtex")
CITATION_LANGUAGE = "en"  # the language of our titles, which is what `language` describes
LANGUAGE_NAMES = {"ru": "Russian", "zh": "Chinese", "ko": "Korean", "en": "English",
                  "de": "German", "fr": "French", "ja": "Japanese"}


# --- CSL-JSON ---------------------------------------------------------------------------------


def csl_json(
    record: Record, people: Mapping[str, Person], archives: ArchiveAuthority, base_url: str
) -> dict:
    """The record as one CSL-JSON item (type personal_communication, as Zotero's "letter")."""
    item: dict = {
        "id": record.id,
        "type": "personal_communication",
        "genre": genre(record),
        "title": record.title,
        "language": CITATION_LANGUAGE,
    }
    if record.sender:
        item["author"] = [csl_name(people[p]) for p in record.sender]
    if record.recipient:
        item["recipient"] = [csl_name(people[p]) for p in record.recipient]
    item["issued"] = csl_date(record.date.text)
    name, location, city = first_copy(record, archives)
    if name:
        item["archive"] = name
    if location:
        item["archive_location"] = location
    if city:
        item["archive-place"] = city
    note = note_lines(record, archives)
    if note:
        item["note"] = "\n".join(note)
    item["URL"] = document_url(record, base_url)
    return item


def csl_json_list(
    records: Iterable[Record],
    people: Mapping[str, Person],
    archives: ArchiveAuthority,
    base_url: str,
) -> list[dict]:
    return [csl_json(r, people, archives, base_url) for r in records]


def csl_name(person: Person) -> dict:
    if person.kind == "person" and person.name_order == "western" and person.family:
        return {"family": person.family, "given": person.given} if person.given else {
            "family": person.family
        }
    return {"literal": person.name}


def csl_date(text: str) -> dict:
    """EDTF -> CSL date: "1950-05" -> {"date-parts": [[1950, 5]]}; intervals give two parts;
    uncertain (?) and approximate (~, %) dates set "circa". No "raw": citeproc-js prefers
    date-parts anyway, and Zotero's CSL-JSON import would take a raw interval as a broken date."""
    qualified = any(mark in text for mark in "?~%")
    ends = [_date_parts(end) for end in text.split("/")]
    parts = [p for p in ends if p]
    date: dict = {"date-parts": parts}
    if qualified:
        date["circa"] = True
    return date


def _date_parts(end: str) -> list[int]:
    end = end.strip().strip("?~%")
    if not end or end == "..":
        return []
    return [int(n) for n in end.split("-")]


def genre(record: Record) -> str:
    """The document type and its number as a genre: "telegram No. 8600", "record of conversation".

    The number belongs to the genre rather than CSL's `number`: the styles capitalise a genre
    that starts a sentence ("Telegram No. 8600." in MLA and a Chicago bibliography) but print
    genre and number as two parts that do not ("telegram No. 8600", "(Telegram No. 8600) [to ...]"
    in APA). Zotero keeps it the same way, as the letter type. A number that is not "No. ..."
    goes in brackets: "directive (Protocol No. 78, item 118) to ..."."""
    kind = record.type.lower().replace("-", " ")
    if not record.number:
        return kind
    if record.number.startswith(("No.", "Nos.", "no.", "nos.")):
        return f"{kind} {record.number}"
    return f"{kind} ({record.number})"


def archive_name(ref: ArchiveRef, archives: ArchiveAuthority) -> str:
    """'Archive of the President of the Russian Federation (APRF)'; an archive not in the
    authority as cited ('GANO')."""
    if ref.archive not in archives:
        return ref.archive
    archive = archives.get(ref.archive)
    return f"{archive.name_en} ({archive.id})"


def first_copy(record: Record, archives: ArchiveAuthority) -> tuple[str, str, str]:
    """The cited copy (see archive.copies): archive name, location and city ("" when absent)."""
    cited = cited_ref(record.archive_refs)
    if cited is None:
        return "", "", ""
    return (archive_name(cited, archives), format_short(cited),
            archives.lookup(cited.archive).city or "")


def other_copies(record: Record) -> str:
    """The copies not cited: "AVP RF, f. 059a, ...; RGASPI, f. 558, ..." or ""."""
    return "; ".join(_ref_text(ref) for ref in other_refs(record.archive_refs))


def original_language(record: Record) -> str:
    """"Original language: Russian", or "" when the record does not say."""
    if not record.language:
        return ""
    return f"Original language: {LANGUAGE_NAMES.get(record.language, record.language)}"


def _ref_text(ref: ArchiveRef) -> str:
    location = format_short(ref)
    return f"{ref.archive}, {location}" if location else ref.archive


def note_lines(record: Record, archives: ArchiveAuthority) -> list[str]:
    """Zotero's "extra" lines: the archive place (kept only from there), the original's language
    and other copies."""
    lines = []
    _name, _location, city = first_copy(record, archives)
    if city:
        lines.append(f"archive-place: {city}")
    language = original_language(record)
    if language:
        lines.append(language)
    copies = other_copies(record)
    if copies:
        lines.append(f"Other copies: {copies}")
    return lines


def document_url(record: Record, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/documents/{record.id}"


# --- Formatted citations ----------------------------------------------------------------------


def format_citation(
    record: Record,
    people: Mapping[str, Person],
    archives: ArchiveAuthority,
    base_url: str,
    style: str,
    form: str,
    output: str = "text",
) -> str:
    """Chicago (note, short-note, bibliography), MLA or APA (bibliography) as text or HTML, exactly
    as citeproc-js renders the record's CSL-JSON. Raises ValueError for an unknown style/form."""
    return csl.render(csl_json(record, people, archives, base_url), style, form, output)


# --- RIS --------------------------------------------------------------------------------------


def ris_entry(
    record: Record, people: Mapping[str, Person], archives: ArchiveAuthority, base_url: str
) -> str:
    """One RIS record as Zotero imports a letter (TY PCOMM), ending with "ER  - " and a newline."""
    lines = [("TY", "PCOMM")]
    lines += [("AU", ris_name(people[p])) for p in record.sender]
    lines += [("A2", ris_name(people[p])) for p in record.recipient]
    lines.append(("TI", record.title))
    parts = csl_date(record.date.text)["date-parts"]
    if parts:
        first = parts[0] + [None] * (3 - len(parts[0]))
        lines.append(("DA", "/".join("" if n is None else f"{n:02d}" for n in first) + "/"))
        lines.append(("PY", str(first[0])))
    lines.append(("M3", genre(record)))
    name, location, city = first_copy(record, archives)
    if name:
        lines.append(("DB", name))
    if location:
        lines.append(("AN", location))
    if city:
        lines.append(("M2", f"Archive Place: {city}"))
    language = original_language(record)
    if language:  # a note: Zotero joins a second M2 (extra) line with "; ", hiding the place
        lines.append(("N1", language))
    copies = other_copies(record)
    if copies:
        lines.append(("N1", f"Other copies: {copies}"))
    lines.append(("LA", CITATION_LANGUAGE))
    lines.append(("UR", document_url(record, base_url)))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_one_line(value)}\n" for tag, value in lines)


def ris(
    records: Iterable[Record],
    people: Mapping[str, Person],
    archives: ArchiveAuthority,
    base_url: str,
) -> str:
    return "\n".join(ris_entry(r, people, archives, base_url) for r in records)


def ris_name(person: Person) -> str:
    """"Stalin, I. V." for persons in western order; a name without a comma (a body, "Mao Zedong")
    is kept whole by Zotero's RIS import."""
    name = csl_name(person)
    if "literal" in name:
        return name["literal"]
    return f"{name['family']}, {name['given']}" if name.get("given") else name["family"]


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- BibTeX -----------------------------------------------------------------------------------

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIAL))


def bibtex_escape(text: str) -> str:
    """Escape TeX's special characters; non-ASCII stays as UTF-8 (biber and bibtex8 read it)."""
    return _BIBTEX_SPECIAL_RE.sub(lambda m: _BIBTEX_SPECIAL[m.group()], _one_line(text))


def bibtex_name(person: Person) -> str:
    """"Stalin, I. V."; bodies and eastern-order names in braces so they are never split."""
    name = csl_name(person)
    if "literal" in name:
        return "{" + bibtex_escape(name["literal"]) + "}"
    family = bibtex_escape(name["family"])
    return f"{family}, {bibtex_escape(name['given'])}" if name.get("given") else family


def bibtex_key(record: Record) -> str:
    """The record id: stable (it is the permalink) and unique in the collection."""
    return record.id


def bibtex_entry(
    record: Record,
    people: Mapping[str, Person],
    archives: ArchiveAuthority,
    base_url: str,
    key: str | None = None,
) -> str:
    """One `@unpublished` entry; the archive reference goes in `note`, which every client keeps."""
    fields: list[tuple[str, str]] = []
    if record.sender:
        fields.append(("author", " and ".join(bibtex_name(people[p]) for p in record.sender)))
    fields.append(("title", bibtex_escape(record.title)))
    fields.append(("type", bibtex_escape(record.type.lower().replace("-", " "))))
    if record.number:
        fields.append(("number", bibtex_escape(record.number)))
    parts = csl_date(record.date.text)["date-parts"]
    if parts:
        fields.append(("year", str(parts[0][0])))
        if len(parts[0]) > 1:
            fields.append(("month", str(parts[0][1])))
    fields.append(("date", bibtex_date(record.date.text)))
    note = bibtex_note(record)
    if note:
        fields.append(("note", bibtex_escape(note)))
    fields.append(("langid", "english"))  # biblatex: the language of the title
    fields.append(("url", document_url(record, base_url)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@unpublished{{{key or bibtex_key(record)},\n{body}\n}}\n"


def bibtex(
    records: Iterable[Record],
    people: Mapping[str, Person],
    archives: ArchiveAuthority,
    base_url: str,
) -> str:
    """Entries for several records; keys made unique by a suffix (-2, -3) should two collide."""
    seen: dict[str, int] = {}
    entries = []
    for record in records:
        key = bibtex_key(record)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key}-{seen[key]}"
        entries.append(bibtex_entry(record, people, archives, base_url, key=key))
    return "\n".join(entries)


def bibtex_date(text: str) -> str:
    """biblatex's EDTF: qualifiers after the date ("~1949-05" -> "1949-05~")."""
    ends = []
    for end in text.split("/"):
        marks = "".join(c for c in end if c in "?~%")
        ends.append(end.strip("?~%") + marks)
    return "/".join(ends)


def bibtex_note(record: Record) -> str:
    """"APRF, f. 45, op. 1, d. 334, ll. 97-98; original language: Russian; other copies: AVP RF,
    f. 059a, ..."."""
    cited = cited_ref(record.archive_refs)
    parts = [_ref_text(cited)] if cited else []
    language = original_language(record)
    if language:
        parts.append(language[0].lower() + language[1:])
    copies = other_copies(record)
    if copies:
        parts.append(f"other copies: {copies}")
    return "; ".join(parts)


# --- Embedded metadata ------------------------------------------------------------------------


def zotero_meta_tags(
    record: Record, people: Mapping[str, Person], archives: ArchiveAuthority, base_url: str
) -> list[tuple[str, str]]:
    """(name, content) pairs for the document page's <head>, so that Zotero's Connector saves a
    complete letter. No citation_* tags and no COinS: either makes Zotero drop the recipient and
    the archive. The page adds the canonical link itself."""
    tags = [("z.itemType", "letter"), ("DC.title", record.title)]
    tags += [("DC.creator", ris_name(people[p])) for p in record.sender]
    tags += [("z.recipients", ris_name(people[p])) for p in record.recipient]
    parts = csl_date(record.date.text)["date-parts"]
    if parts:
        tags.append(("DC.date", "-".join(f"{n:02d}" if i else str(n) for i, n in enumerate(parts[0]))))
    tags.append(("DC.type", genre(record)))
    name, location, city = first_copy(record, archives)
    if name:
        tags.append(("z.archive", name))
    if location:
        tags.append(("DC.coverage", location))
    if city:
        tags.append(("z.extra", f"Archive Place: {city}"))
    tags.append(("DC.language", CITATION_LANGUAGE))
    return tags


# --- Dispatch ---------------------------------------------------------------------------------


def cite(
    record: Record,
    people: Mapping[str, Person],
    archives: ArchiveAuthority,
    base_url: str,
    fmt: str,
) -> str:
    """The record in one of FORMATS (plain text for the styles); ValueError for any other."""
    if fmt in STYLE_FORMATS:
        style, form = STYLE_FORMATS[fmt]
        return format_citation(record, people, archives, base_url, style, form)
    if fmt == "csl-json":
        return json.dumps(csl_json(record, people, archives, base_url), ensure_ascii=False,
                          indent=2)
    if fmt == "ris":
        return ris_entry(record, people, archives, base_url)
    if fmt == "bibtex":
        return bibtex_entry(record, people, archives, base_url)
    raise ValueError(f"unknown citation format {fmt!r}; expected one of {', '.join(FORMATS)}")
