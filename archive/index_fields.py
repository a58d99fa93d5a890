"""What a record is indexed as, in plain Python (archive.engines.whoosh.index writes it): the
searchable text without Markdown, every form of every correspondent's name, the people, archive
and fond terms, the stored fields, and the facet values of `archive.facets`."""

from __future__ import annotations

import json
import re

from .people import PeopleAuthority
from .records import Record
from .vocabulary import Vocabulary


def facet_row(record: Record, places: Vocabulary | None = None) -> dict:
    """The facet values of a record; place_from / place_to as the ids of the places they name
    ("Moscow/Sochi": moscow and sochi), when there is a place authority."""
    earliest, latest = record.date.earliest, record.date.latest
    years = [str(y) for y in range(earliest.year, latest.year + 1)]
    months = []
    span = (latest.year - earliest.year) * 12 + latest.month - earliest.month
    if span < 3:  # a day, a month or a short interval; a year-only date has no month
        y, m = earliest.year, earliest.month
        for _ in range(span + 1):
            months.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return {
        "id": record.id,
        "date_start": earliest.toordinal(),
        "date_end": latest.toordinal(),
        "qualified": record.date.uncertain or record.date.approximate,  # `?`, `~` or `%`
        "sender": list(dict.fromkeys(record.sender)),
        "recipient": list(dict.fromkeys(record.recipient)),
        "via": list(dict.fromkeys(record.via)),
        "year": years,
        "month": months,
        "type": [record.type],
        "archive": list(dict.fromkeys(r.archive for r in record.archive_refs)),
        "language": [record.language] if record.language else [],
        "subject": list(dict.fromkeys(record.subjects)),
        "place_from": places.find_in(record.place_from or "") if places is not None else [],
        "place_to": places.find_in(record.place_to or "") if places is not None else [],
    }


def body_text(record: Record) -> str:
    """The searchable text: summary, translation and original (headings dropped), as plain text
    so that snippets show words, not Markdown syntax."""
    sections = record.sections or {}
    if sections:
        return plain_text("\n\n".join(v for v in sections.values() if v))
    return plain_text(record.body)


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_LINE_MARKS = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+\.[ \t]+)", re.MULTILINE)
_EMPHASIS = re.compile(r"(?<![\w*_])[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}(?![\w*_])")


def plain_text(markdown: str) -> str:
    """Markdown without its markup: links keep their text; emphasis, headings, quotes and list
    marks go; code ticks go. Raw HTML stays as text (snippets escape it)."""
    text = _LINK.sub(r"\1", markdown) if "](" in markdown else markdown
    text = _LINE_MARKS.sub("", text)
    if "*" in text or "_" in text:  # the emphasis pattern is the slow one: most texts have none
        text = _EMPHASIS.sub("", text)
    return text.replace("`", "")


def index_fields(record: Record, people: PeopleAuthority, places: Vocabulary | None = None) -> dict:
    text = body_text(record)
    roles = (record.sender, record.recipient, record.via, record.copies_to)
    names = [form for role in roles for pid in role if pid in people
             for form in people.get(pid).all_forms()]
    ids = list(dict.fromkeys(pid for role in roles for pid in role))
    subjects = "\n".join(record.subjects)
    refs = record.archive_refs
    fonds = [f"{r.fond}" for r in refs if r.fond] + [f"{r.archive}/{r.fond}" for r in refs if r.fond]
    summary = (record.sections or {}).get("summary") or text
    return {
        "id": record.id,
        "title": record.title,
        "text": text,
        "spell": f"{record.title}\n{text}\n{subjects}\n{' '.join(names)}",
        "names": "\n".join(names + ([record.signed_as] if record.signed_as else [])),
        "people": ",".join(ids),
        "sender": ",".join(record.sender),
        "recipient": ",".join(record.recipient),
        "via": ",".join(record.via),
        "archive": ",".join(dict.fromkeys(r.archive for r in refs)),
        "fond": ",".join(dict.fromkeys(fonds)),
        "type": record.type,
        "language": record.language or "",
        "subject": subjects,
        "number": record.number or "",
        "date_start": record.date.earliest.toordinal(),
        "date_end": record.date.latest.toordinal(),
        "date_text": record.date.text,
        "summary": summary[:600],
        "facets": json.dumps(facet_row(record, places), ensure_ascii=False).encode(),
    }
