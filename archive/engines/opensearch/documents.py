"""A record as an OpenSearch document (plain data: no client import).

The matching fields carry the words as archive.analysis analyses them (see mapping); `stored`
carries what a results page shows, returned as it was given; `plain_*` carry the text for
OpenSearch's own language analysis (more-like-this).
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache

from ... import analysis
from ...index_fields import facet_row, index_fields
from ...people import PeopleAuthority
from ...records import Record
from ...vocabulary import Vocabulary
from .mapping import FACET_PREFIX, MATCHED, PICTURE_KEYS

STORED = ("id", "title", "text", "sender", "recipient", "via", "archive", "type", "language",
          "subject", "number", "date_text", "summary")
_CJK_LANGUAGES = {"zh", "ko", "ja"}


def analysed(text: str) -> str:
    """The words of `text` as the `terms` analyzer reads them: one per position, a word's
    terms joined by `|` (archive.analysis.tokens, a word at a time: most of a build's time)."""
    return " ".join(filter(None, map(_joined_terms, analysis.words(text))))


@lru_cache(maxsize=200_000)
def _joined_terms(word: str) -> str:
    return "|".join(analysis.word_terms(word))


@lru_cache(maxsize=200_000)
def _spelled(word: str) -> str:
    folded = analysis.fold(word)
    return folded if len(folded) > 2 and folded.isalpha() else ""


def picture_keys(row: dict) -> dict:
    """What the pictures (archive.pictures) read of a document, as keywords that documents
    alike share (their date span; their correspondents in each role; their places), so that
    the result set's pictures are drawn from the counts of each distinct key."""
    qualified = 1 if row.get("qualified") else 0  # an uncertain or approximate date
    return {PICTURE_KEYS[0]: f"{row['date_start']} {row['date_end']} {qualified}",
            PICTURE_KEYS[1]: json.dumps([row["sender"], row["recipient"], row["via"]],
                                        ensure_ascii=False),
            PICTURE_KEYS[2]: json.dumps([row["place_from"], row["place_to"]], ensure_ascii=False)}


def _terms(text: str) -> list[str]:
    return sorted({term for token in analysis.tokens(text) for term in token.terms})


def document(record: Record, people: PeopleAuthority, places: Vocabulary | None = None) -> dict:
    fields = index_fields(record, people, places)
    doc: dict = {name: analysed(fields[name]) for name in MATCHED}
    doc["spell"] = sorted(set(filter(None, map(_spelled, analysis.words(fields["spell"])))))
    doc["title_terms"] = _terms(fields["title"])
    doc["number_terms"] = _terms(fields["number"])
    for name in ("people", "sender", "recipient", "via", "archive", "fond"):
        doc[name] = [v for v in fields[name].split(",") if v]
    doc["id"] = record.id
    doc["type"] = fields["type"]
    doc["language"] = fields["language"]
    doc["hash"] = record.sha256
    row = facet_row(record, places)
    for name, values in row.items():
        if isinstance(values, list):
            doc[FACET_PREFIX + name] = values
    earliest, latest = date.fromordinal(row["date_start"]), date.fromordinal(row["date_end"])
    doc["date"] = {"gte": earliest.isoformat(), "lte": latest.isoformat()}
    doc["date_start"], doc["date_end"] = earliest.isoformat(), latest.isoformat()
    sections = record.sections or {}
    original = sections.get("original", "")
    doc["plain_en"] = fields["text"] if not original else \
        "\n\n".join(v for k, v in sections.items() if k != "original" and v)
    doc["plain_ru"] = original if record.language == "ru" else ""
    doc["plain_cjk"] = original if record.language in _CJK_LANGUAGES else ""
    doc["stored"] = {name: fields[name] for name in STORED}
    doc.update(picture_keys(row))
    return doc
