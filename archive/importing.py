"""`archive import`: records from a spreadsheet (CSV), a Zotero export (CSL-JSON) or a JSONL export
of this archive, turned into document files.

Each record becomes a Markdown file that is checked by the same validator as `archive check`
(names against the authority, with suggestions; references parsed; dates as EDTF), so an import
never writes an invalid file. Records that duplicate an existing document (same date, sender,
recipient and archive references) are reported and skipped. Nothing is written unless asked.
A JSONL line of this archive's export carries its source file (`source`, checked against its
`sha256`), which is written byte for byte: export -> import gives identical documents.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .documents import load_authorities, load_collection, load_document
from .records import Record
from .ref_formats import format_short
from .settings import Config

FORMATS = ("csv", "jsonl", "csl-json", "ris")
LIST_FIELDS = ("sender", "recipient", "via", "copies_to", "subjects", "archive_refs",
               "published_in", "source_copies", "replies_to")
FIELD_ORDER = ("title", "type", "number", "date", "date_note", "sender", "signed_as", "recipient",
               "via", "copies_to", "place_from", "place_to", "language", "subjects",
               "archive_refs", "archive_ref_status", "published_in", "source_url",
               "source_copies", "translator", "replies_to", "confidence", "confidence_note")
CSV_COLUMNS = ("id", *FIELD_ORDER, "summary")
CSV_DERIVED = ("date_earliest", "date_latest", "url")  # in our CSV export; ignored on import
_SLUG_PART = re.compile(r"[^a-z0-9]+")


class ImportProblem(ValueError):
    """The import file itself cannot be read (format, encoding, header)."""


@dataclass
class Draft:
    """One record to write: where it came from, its file name and its Markdown text."""

    origin: str  # "file:line"
    name: str  # file name stem ("" = made from date, sender and recipient)
    text: str = ""
    fields: dict = field(default_factory=dict)


@dataclass
class Outcome:
    written: list[str] = field(default_factory=list)  # file names (written or, dry run, to write)
    duplicates: list[str] = field(default_factory=list)  # "origin: duplicates <id>"
    problems: list[str] = field(default_factory=list)  # "origin: field: message"
    warnings: list[str] = field(default_factory=list)


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "csl-json"
    if suffix == ".ris":
        return "ris"
    raise ImportProblem(f"{path}: cannot tell the format from the name; give --format "
                       f"({', '.join(FORMATS)})")


def read_drafts(path: Path, fmt: str, warnings: list[str], people=None) -> Iterator[Draft]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ImportProblem(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ImportProblem(f"{path}:1: file: not UTF-8 text") from None
    if fmt == "csv":
        yield from _csv(path, text, warnings)
    elif fmt == "jsonl":
        yield from _jsonl(path, text)
    elif fmt == "csl-json":
        yield from _csl_json(path, text, people)
    elif fmt == "ris":
        yield from _ris(path, text, people)
    else:
        raise ImportProblem(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _csv(path: Path, text: str, warnings: list[str]) -> Iterator[Draft]:
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = reader.fieldnames or []
    if "title" not in header or "date" not in header:
        raise ImportProblem(f"{path}:1: header: expected a header row with at least title and "
                           f"date (columns: {', '.join(CSV_COLUMNS)})")
    unknown = [c for c in header if c not in CSV_COLUMNS and c not in CSV_DERIVED]
    if unknown:
        warnings.append(f"{path}:1: header: unknown column(s) {', '.join(unknown)} ignored "
                        f"(known: {', '.join(CSV_COLUMNS)})")
    for row in reader:
        line = reader.line_num
        values = {}
        for column in FIELD_ORDER:
            cell = (row.get(column) or "").strip()
            if not cell:
                continue
            values[column] = [p.strip() for p in cell.split(";") if p.strip()] \
                if column in LIST_FIELDS else cell
        summary = (row.get("summary") or "").strip()
        yield draft_from_fields(f"{path}:{line}", (row.get("id") or "").strip(), values, summary)


def _jsonl(path: Path, text: str) -> Iterator[Draft]:
    for line, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as error:
            raise ImportProblem(f"{path}:{line}: json: {error.msg}") from None
        if not isinstance(data, dict):
            raise ImportProblem(f"{path}:{line}: json: expected one record (an object) a line")
        origin = f"{path}:{line}"
        name = Path(str(data.get("path") or data.get("id") or "")).with_suffix("").as_posix()
        source = data.get("source")
        if isinstance(source, str) and hashlib.sha256(source.encode("utf-8")).hexdigest() \
                == data.get("sha256"):
            yield Draft(origin, name, source)
            continue
        values = {k: v for k, v in data.items() if k in FIELD_ORDER and v not in (None, [], "")}
        for role in ("sender", "recipient", "via", "copies_to"):
            if role in values:
                values[role] = [p["name"] if isinstance(p, dict) else p for p in values[role]]
        if isinstance(values.get("date"), dict):
            values["date"] = values["date"].get("text")
        if "archive_refs" in values:
            values["archive_refs"] = [r.get("cited") or r.get("short") if isinstance(r, dict)
                                      else r for r in values["archive_refs"]]
        body = data.get("body") or ""
        yield draft_from_fields(origin, name, values, "", body=body)


def _csl_json(path: Path, text: str, people=None) -> Iterator[Draft]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportProblem(f"{path}:{error.lineno}: json: {error.msg}") from None
    if not isinstance(items, list):
        raise ImportProblem(f"{path}:1: json: expected a CSL-JSON list of items")
    for number, item in enumerate(items, 1):
        origin = f"{path}:item {number}"
        if not isinstance(item, dict):
            raise ImportProblem(f"{origin}: json: expected an item (an object)")
        values: dict = {"title": item.get("title")}
        values["type"] = "letter" if item.get("type") in ("letter", "personal_communication") \
            else "note" if item.get("type") == "manuscript" else item.get("genre", "letter")
        values["date"] = _csl_date(item.get("issued"))
        values["sender"] = [_csl_name(n, people) for n in item.get("author") or []]
        values["recipient"] = [_csl_name(n, people) for n in item.get("recipient") or []]
        if item.get("number"):
            values["number"] = str(item["number"])
        where = ", ".join(str(item[k]) for k in ("archive", "archive_location") if item.get(k))
        if where:
            values["archive_refs"] = [where]
        else:  # a reference manager's record without an archive location: say so explicitly
            values["archive_ref_status"] = "not-found"
        if item.get("URL"):
            values["source_url"] = item["URL"]
        if item.get("language"):
            values["language"] = item["language"]
        values = {k: v for k, v in values.items() if v not in (None, [], "")}
        yield draft_from_fields(origin, "", values, (item.get("abstract") or "").strip())


_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$")


def _ris(path: Path, text: str, people=None) -> Iterator[Draft]:
    """RIS as Zotero exports letters (TY PCOMM or LETTER): AU sender, A2 recipient, TI, DA/PY,
    M3 the document type, DB the archive, AN its location, AB the summary, LA, UR."""
    tags: dict[str, list[str]] = {}
    start = 0
    for line, raw in enumerate(text.splitlines(), 1):
        match = _RIS_LINE.match(raw.rstrip())
        if not match:
            continue
        tag, value = match.group(1), match.group(2).strip()
        if tag == "TY":
            tags, start = {}, line
        if tag == "ER":
            yield _ris_draft(f"{path}:{start}", tags, people)
            tags = {}
            continue
        tags.setdefault(tag, []).append(value)


def _ris_draft(origin: str, tags: dict[str, list[str]], people) -> Draft:
    from .records import DOCUMENT_TYPES

    def one(tag: str) -> str:
        return (tags.get(tag) or [""])[0]

    def name(text: str) -> str:
        family, _, given = text.partition(",")
        return _csl_name({"family": family.strip(), "given": given.strip()} if given
                         else {"literal": text}, people)

    kind = one("M3").lower().replace(" ", "-")
    date = "-".join(p for p in one("DA").split("/") if p) or one("PY")
    values = {"title": one("TI"), "type": kind if kind in DOCUMENT_TYPES else "letter",
              "date": date, "sender": [name(a) for a in tags.get("AU", [])],
              "recipient": [name(a) for a in tags.get("A2", [])]}
    where = ", ".join(p for p in (one("DB"), one("AN")) if p)
    if where:
        values["archive_refs"] = [where]
    else:  # a reference manager's record without an archive location: say so explicitly
        values["archive_ref_status"] = "not-found"
    for tag, key in (("LA", "language"), ("UR", "source_url")):
        if one(tag):
            values[key] = one(tag)
    values = {k: v for k, v in values.items() if v not in ("", [])}
    return draft_from_fields(origin, "", values, one("AB"))


def _csl_date(issued) -> str | None:
    if not isinstance(issued, dict):
        return None
    if issued.get("raw"):
        return str(issued["raw"])
    parts = (issued.get("date-parts") or [[]])[0]
    return "-".join(f"{int(p):02d}" if i else f"{int(p):04d}" for i, p in enumerate(parts)) or None


def _csl_name(name: dict, people=None) -> str:
    """A CSL name as text: given then family, or family first where the authority knows the name
    that way (Zotero splits "Kim Il Sung" into family Kim, given Il Sung)."""
    if "literal" in name:
        return str(name["literal"])
    parts = [str(name[k]) for k in ("given", "family") if name.get(k)]
    western = " ".join(parts)
    eastern = " ".join(reversed(parts))
    if people is not None and people.resolve(western) is None and people.resolve(eastern):
        return eastern
    return western


def draft_from_fields(origin: str, name: str, values: dict, summary: str, body: str = "") -> Draft:
    ordered = {k: values[k] for k in FIELD_ORDER if k in values}
    front = yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=100,
                           default_flow_style=False)
    if not body:
        body = f"## Summary\n\n{summary or '(no summary yet)'}\n"
    return Draft(origin, name, f"---\n{front}---\n\n{body.strip(chr(10))}\n", ordered)


# -- checking and writing -------------------------------------------------------------------

def import_file(config: Config, path: Path, fmt: str | None = None, *,
                write: bool = False) -> Outcome:
    """Check every record of `path` and (with write=True) write the valid new ones into the
    documents folder. ImportProblem when the file cannot be read at all."""
    fmt = fmt or detect_format(path)
    outcome = Outcome()
    people, archives, problems = load_authorities(config)
    if people is None or archives is None:
        raise ImportProblem("the name or archive authority is invalid: run `archive check` first "
                           + "; ".join(str(p) for p in problems))
    existing = load_collection(config).records if config.documents_dir.is_dir() else {}
    taken = set(existing)
    seen: dict[tuple, list[tuple[frozenset, str]]] = {}
    for record in existing.values():
        _remember(seen, record)
    pending: list[tuple[Path, str]] = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for draft in read_drafts(path, fmt, outcome.warnings, people):
            record, found = check_draft(draft, folder, people, archives, config, taken)
            if found:
                outcome.problems += found
                continue
            twin = _duplicate_of(seen, record)
            if twin is not None:
                outcome.duplicates.append(f"{draft.origin}: duplicates {twin} (same date, "
                                          "sender, recipient and reference): skipped")
                continue
            _remember(seen, record)
            taken.add(record.id)
            pending.append((config.documents_dir / record.path, draft.text))
            outcome.written.append(record.path)
    if write and not outcome.problems:
        for target, text in pending:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("x", encoding="utf-8", newline="") as handle:
                handle.write(text)
    return outcome


def check_draft(draft: Draft, folder: Path, people, archives, config: Config,
           taken: set[str]) -> tuple[Record | None, list[str]]:
    name = draft.name or _made_name(draft.fields, people)
    if ".." in name.split("/") or name.startswith("/") or "\\" in name:
        return None, [f"{draft.origin}: path: {name!r} is not a file name inside the documents folder"]
    if name in taken:  # another document has the name: the next free one (duplicates go later)
        name = _free(name, taken)
    target = folder / f"{name}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(draft.text, encoding="utf-8", newline="")
    record, problems = load_document(target, folder, people, archives,
                                     max_bytes=config.max_file_bytes)
    target.unlink()
    return record, [f"{draft.origin}: {p.field}: {p.message}" for p in problems]


def _made_name(values: dict, people) -> str:
    def who(role: str) -> str:
        names = values.get(role) or []
        person = people.resolve(names[0]) if names else None
        return person.id if person else _SLUG_PART.sub("-", (names[0] if names else "unknown")
                                                       .lower()).strip("-") or "unknown"
    date = _SLUG_PART.sub("-", str(values.get("date", "undated")).lower()).strip("-")
    return f"{date}-{who('sender')}-to-{who('recipient')}"


def _free(name: str, taken: set[str]) -> str:
    number = 2
    while f"{name}-{number}" in taken:
        number += 1
    return f"{name}-{number}"


def _refs(record: Record) -> frozenset:
    return frozenset(f"{r.archive} {format_short(r)}" for r in record.archive_refs)


def _remember(seen: dict, record: Record) -> None:
    key = (record.date.text, tuple(record.sender), tuple(record.recipient))
    seen.setdefault(key, []).append((_refs(record), record.id))


def _duplicate_of(seen: dict, record: Record) -> str | None:
    """The id of a document with the same date, sender and recipient that shares a reference
    with `record` (or, when neither has one, has none either); exports to RIS and CSL-JSON carry
    only a document's first reference."""
    refs = _refs(record)
    key = (record.date.text, tuple(record.sender), tuple(record.recipient))
    for other, doc_id in seen.get(key, []):
        if refs & other or not (refs or other):
            return doc_id
    return None
