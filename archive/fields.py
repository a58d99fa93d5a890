"""The front-matter fields: what each accepts, and the sentence that explains a mistake."""

from __future__ import annotations

import difflib
import re
from datetime import date

from .archives import ArchiveAuthority
from .edtf import DateError, parse_date
from .people import PeopleAuthority
from .records import CONFIDENCE_LEVELS, DOCUMENT_TYPES, ArchiveRef
from .refs import RefError, parse_refs, ref_from_mapping
from .yamlnodes import Located

TEXT_FIELDS = ("title", "number", "date_note", "signed_as", "place_from", "place_to",
               "source_url", "translator", "confidence_note")
NAME_FIELDS = ("sender", "recipient", "via", "copies_to")
LIST_FIELDS = ("subjects", "published_in")
KNOWN_FIELDS = (
    "id", "title", "type", "number", "date", "date_note", *NAME_FIELDS, "signed_as",
    "place_from", "place_to", "language", "subjects", "archive_refs", "archive_ref_status",
    "published_in", "source_url", "source_copies", "translator", "replies_to", "confidence",
    "confidence_note",
)
REQUIRED = ("title", "type", "date")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)

Issue = tuple[int, str, str]  # line, field, message


def validate(located: Located, people: PeopleAuthority,
             archives: ArchiveAuthority) -> tuple[dict, list[Issue]]:
    """Front matter -> keyword arguments for Record, plus every problem found."""
    data: dict = located.value  # type: ignore[assignment]
    lines = located.key_lines
    issues: list[Issue] = []
    values: dict = {}

    def line_of(name: str) -> int:
        return lines.get(name, located.line)

    for name in data:
        if name not in KNOWN_FIELDS:
            close = difflib.get_close_matches(str(name), KNOWN_FIELDS, n=1, cutoff=0.7)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            issues.append((line_of(name), str(name), f"unknown field{hint}"))
    for name in REQUIRED:
        if data.get(name) in (None, ""):
            issues.append((located.line, name, "required field is missing"))

    for name in TEXT_FIELDS:
        if data.get(name) is not None:
            value = data[name]
            if isinstance(value, int | float) and name == "number":
                value = str(value)
            if not isinstance(value, str):
                issues.append((line_of(name), name, f"expected text, got {_kind(value)}"))
            elif name == "source_url" and not _URL.match(value):
                issues.append((line_of(name), name, f"expected an http(s) URL, got {value!r}"))
            else:
                values[name] = value.strip() or None
    if "id" in data:
        values["id"] = str(data["id"])

    if data.get("type") is not None:
        if data["type"] in DOCUMENT_TYPES:
            values["type"] = data["type"]
        else:
            close = difflib.get_close_matches(str(data["type"]), DOCUMENT_TYPES, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            issues.append((line_of("type"), "type", (
                f"unknown type {data['type']!r} (expected one of {', '.join(DOCUMENT_TYPES)}){hint}")))

    if data.get("date") not in (None, ""):
        issues += _date(data["date"], line_of("date"), values)

    for name in NAME_FIELDS:
        if data.get(name) is not None:
            issues += _names(name, data[name], line_of(name), people, values)

    for name in LIST_FIELDS:
        if data.get(name) is not None:
            items = _text_list(data[name])
            if items is None:
                issues.append((line_of(name), name, f"expected a list of text, got {_kind(data[name])}"))
            else:
                values[name] = items

    if data.get("source_copies") is not None:
        issues += _source_copies(data["source_copies"], line_of("source_copies"), values)

    if data.get("language") is not None:
        language = data["language"]
        if isinstance(language, str) and _LANGUAGE.match(language):
            values["language"] = language
        else:
            issues.append((line_of("language"), "language", (
                f"expected a two-letter ISO 639-1 code such as ru, zh, ko or en, got {language!r}")))

    if data.get("confidence") is not None:
        if data["confidence"] in CONFIDENCE_LEVELS:
            values["confidence"] = data["confidence"]
        else:
            issues.append((line_of("confidence"), "confidence", (
                f"expected high, medium or low, got {data['confidence']!r}")))

    if data.get("replies_to") is not None:
        ids = _text_list(data["replies_to"])
        if ids is None:
            issues.append((line_of("replies_to"), "replies_to", "expected an id or a list of ids"))
        else:
            values["replies_to"] = ids

    issues += _archive_refs(data, located, archives, values)
    return values, issues


def _date(value: object, line: int, values: dict) -> list[Issue]:
    if isinstance(value, date):  # YAML reads an unquoted 1950-05-14 as a date
        value = value.isoformat()
    if isinstance(value, int | float):
        return [(line, "date", (
            f"expected an EDTF date written as text, got the number {value}; quote it: '{value}'"))]
    if not isinstance(value, str):
        return [(line, "date", f"expected an EDTF date such as 1950-05-14, got {_kind(value)}")]
    try:
        values["date"] = parse_date(value)
    except DateError as error:
        return [(line, "date", str(error))]
    return []


def _names(field: str, value: object, line: int, people: PeopleAuthority, values: dict) -> list[Issue]:
    names = _text_list(value)
    if names is None:
        return [(line, field, f"expected a name or a list of names, got {_kind(value)}")]
    ids: list[str] = []
    issues: list[Issue] = []
    for name in names:
        person = people.resolve(name)
        if person is None:
            suggestions = people.suggest(name)
            hint = f"; did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
            issues.append((line, field, (
                f"unknown name {name!r} (not in the name authority, authority/people.yaml){hint}")))
        elif person.id not in ids:
            ids.append(person.id)
    values[field] = ids
    return issues


def _archive_refs(data: dict, located: Located, archives: ArchiveAuthority,
                  values: dict) -> list[Issue]:
    issues: list[Issue] = []
    key_line = located.key_lines.get("archive_refs", located.line)
    raw = data.get("archive_refs")
    refs: list[ArchiveRef] = []
    if raw is not None:
        items = [raw] if isinstance(raw, str | dict) else raw
        if not isinstance(items, list):
            return [(key_line, "archive_refs", f"expected a list of references, got {_kind(raw)}")]
        item_lines = located.value_item_lines.get("archive_refs") or [key_line] * len(items)
        for item, line in zip(items, item_lines, strict=False):
            try:
                if isinstance(item, str):
                    refs.extend(parse_refs(item, archives))
                elif isinstance(item, dict):
                    refs.append(ref_from_mapping(item, archives))
                else:
                    issues.append((line, "archive_refs", (
                        f"expected a citation string or a mapping, got {_kind(item)}")))
            except RefError as error:
                issues.append((line, "archive_refs", str(error)))
                continue
            unnamed = next((r for r in refs if not r.archive), None)
            if unnamed is not None:
                issues.append((line, "archive_refs", (
                    f'no archive named in archive reference "{unnamed.cited}"; name it first, '
                    'e.g. "APRF, f. 45, ..."')))
                refs = [r for r in refs if r.archive]
    if sum(ref.primary for ref in refs) > 1:
        issues.append((key_line, "archive_refs", (
            "more than one reference is marked primary; mark only the copy citations should name")))
    values["archive_refs"] = refs
    status = data.get("archive_ref_status")
    status_line = located.key_lines.get("archive_ref_status", located.line)
    if status is not None and status != "not-found":
        issues.append((status_line, "archive_ref_status", f"expected not-found, got {status!r}"))
    elif status == "not-found" and raw:
        issues.append((status_line, "archive_ref_status", (
            "not-found contradicts the archive_refs given; remove one of them")))
    elif status is None and not raw:
        issues.append((located.line, "archive_refs", (
            "no archive reference given; add one, or say archive_ref_status: not-found")))
    else:
        values["archive_ref_status"] = status
    return issues


def _source_copies(value: object, line: int, values: dict) -> list[Issue]:
    """Other places the source can be read (copies, mirrors): secondary to `source_url`."""
    urls = _text_list(value)
    if urls is None:
        return [(line, "source_copies", f"expected a list of http(s) URLs, got {_kind(value)}")]
    bad = [url for url in urls if not _URL.match(url)]
    if bad:
        return [(line, "source_copies", f"expected an http(s) URL, got {bad[0]!r}")]
    values["source_copies"] = urls
    return []


def _text_list(value: object) -> list[str] | None:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    return None


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return f"the value {value}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    return type(value).__name__
