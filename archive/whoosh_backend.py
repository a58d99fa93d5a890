"""The Whoosh index: the only module that imports Whoosh.

One directory per index generation; a build writes a new generation and the catalog's state says
which one is current, so readers never see a half-written index.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

from .people import PeopleAuthority
from .records import Record

_folding = RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
ENGLISH = _folding | StemFilter(lang="en")
RUSSIAN = _folding | StemFilter(lang="ru")


def schema() -> Schema:
    return Schema(
        id=ID(unique=True, stored=True, sortable=True),
        title=TEXT(analyzer=ENGLISH, stored=True, field_boost=2.0),
        text=TEXT(analyzer=ENGLISH, stored=True, chars=True),
        original=TEXT(analyzer=RUSSIAN, stored=True, chars=True),
        names=TEXT(analyzer=_folding),
        sender=KEYWORD(commas=True, stored=True, sortable=True),
        recipient=KEYWORD(commas=True, stored=True, sortable=True),
        via=KEYWORD(commas=True, stored=True),
        archive=KEYWORD(commas=True, stored=True),
        fond=KEYWORD(commas=True),
        type=ID(stored=True, sortable=True),
        language=ID(stored=True, sortable=True),
        subject=KEYWORD(commas=True, lowercase=True, stored=True),
        number=TEXT(analyzer=_folding, stored=True),
        date_start=NUMERIC(int, bits=32, stored=True, sortable=True),
        date_end=NUMERIC(int, bits=32, stored=True, sortable=True),
        date_text=STORED(),
        updated=DATETIME(),
    )


def _fields(record: Record, people: PeopleAuthority) -> dict:
    sections = record.sections or {}
    original = sections.get("original", "")
    text = record.body if not original else record.body.replace(original, "")
    names = [form for role in (record.sender, record.recipient, record.via, record.copies_to)
             for pid in role if pid in people for form in people.get(pid).all_forms()]
    return {
        "id": record.id,
        "title": record.title,
        "text": text,
        "original": original,
        "names": " ".join(names + ([record.signed_as] if record.signed_as else [])),
        "sender": ",".join(record.sender),
        "recipient": ",".join(record.recipient),
        "via": ",".join(record.via),
        "archive": ",".join(dict.fromkeys(r.archive for r in record.archive_refs)),
        "fond": ",".join(dict.fromkeys(f"{r.archive}/{r.fond}" for r in record.archive_refs if r.fond)),
        "type": record.type,
        "language": record.language or "",
        "subject": ",".join(s.replace(",", " ") for s in record.subjects),
        "number": record.number or "",
        "date_start": int(record.date.earliest.strftime("%Y%m%d")),
        "date_end": int(record.date.latest.strftime("%Y%m%d")),
        "date_text": record.date.text,
    }


def create_index(path: Path, records: Iterable[Record], people: PeopleAuthority) -> int:
    """Write a new index at `path` (which must not exist yet); returns the number of documents."""
    path.mkdir(parents=True)
    ix = whoosh_index.create_in(str(path), schema())
    count = 0
    with ix.writer(limitmb=256) as writer:
        for record in records:
            writer.add_document(**_fields(record, people))
            count += 1
    ix.close()
    return count


def update_index(path: Path, changed: Iterable[Record], removed: Iterable[str],
                 people: PeopleAuthority) -> None:
    """Apply changes to an index copy at `path` (a new generation, never the one being served)."""
    ix = whoosh_index.open_dir(str(path))
    with ix.writer(limitmb=128) as writer:
        for doc_id in removed:
            writer.delete_by_term("id", doc_id)
        for record in changed:
            writer.update_document(**_fields(record, people))
    ix.close()


def document_count(path: Path) -> int:
    ix = whoosh_index.open_dir(str(path))
    try:
        return ix.doc_count()
    finally:
        ix.close()
