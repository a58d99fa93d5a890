"""The bundled sets' descriptions against their own documents: every day and every document number
a description names belongs to a document of that set with that date ("2-3 October" to a document
dated 2-3 October, "No. 1476/sh" to the telegram of that number); the stray dates the fact sheet
review found (an event's day given as a document's, a range shortened to one day) fail here."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from archive.documents import load_collection
from archive.settings import load_config

ROOT = Path(__file__).parent.parent
COLLECTION = load_collection(load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(ROOT / "documents")))
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
# "30 January", "2-3 October", "13 and 14 October", "26 September 1950"
DAYS = re.compile(rf"\b(\d{{1,2}})(?:\s*[-–]\s*(\d{{1,2}})|\s+and\s+(\d{{1,2}}))?\s+"
                  rf"({'|'.join(MONTHS)})(?:\s+(\d{{4}}))?\b")
MONTH_ONLY = re.compile(rf"\b(?:in|of|mid-|early |late )\s*({'|'.join(MONTHS)})(?:\s+(\d{{4}}))?\b")
NUMBERS = re.compile(r"\bNos?\.\s*([\w/-]+)")


def named_days(description: str, years: set[int]) -> list[tuple[date, date, str]]:
    """(first day, last day, as written) of every day or range of days the text names."""
    found = []
    for match in DAYS.finditer(description):
        first, last, other, month, year = match.groups()
        assert year or len(years) == 1, f"{match.group()!r}: the year is ambiguous"
        y, m = int(year) if year else next(iter(years)), MONTHS.index(month) + 1
        if last:
            found.append((date(y, m, int(first)), date(y, m, int(last)), match.group()))
        else:
            for day in (first, other):
                if day:
                    found.append((date(y, m, int(day)), date(y, m, int(day)), match.group()))
    return found


def stray_dates(description: str, records: list) -> list[str]:
    years = {r.date.earliest.year for r in records} | {r.date.latest.year for r in records}
    stray = []
    for first, last, written in named_days(description, years):
        if not any((r.date.earliest, r.date.latest) == (first, last) for r in records):
            stray.append(written)
    for match in MONTH_ONLY.finditer(description):
        month = MONTHS.index(match.group(1)) + 1
        if not any(r.date.earliest.month <= month <= r.date.latest.month for r in records):
            stray.append(match.group())
    return stray


def stray_numbers(description: str, records: list) -> list[str]:
    numbers = " ".join(f"{r.number or ''} {r.title}" for r in records)
    return [n for n in NUMBERS.findall(description) if n.rstrip(".,;") not in numbers]


@pytest.mark.parametrize("document_set", COLLECTION.sets, ids=[s.id for s in COLLECTION.sets])
def test_every_named_date_and_number_is_a_document_of_the_set(document_set):
    records = [COLLECTION.records[doc_id] for doc_id in document_set.documents]
    assert (stray_dates(document_set.description, records),
            stray_numbers(document_set.description, records)) == ([], [])


@pytest.mark.parametrize(
    ("set_id", "old_text", "stray"),
    [  # the sentences the review found wrong, as the descriptions had them
        ("green-light-1950", "The set opens with Kim's appeal at the luncheon of 17 January and "
         "Stalin's answer of 30 January", ["17 January"]),
        ("china-decides-october-1950", "On 1 October Stalin asked for divisions; Mao's reply of "
         "2 October declined for the time being", ["2 October"]),
        ("china-decides-october-1950", "After talks with Zhou Enlai and Lin Biao on 11 October "
         "showed that the Chinese troops lacked tanks", ["11 October"]),
    ],
)
def test_the_check_finds_what_the_review_found(set_id, old_text, stray):
    document_set = next(s for s in COLLECTION.sets if s.id == set_id)
    records = [COLLECTION.records[doc_id] for doc_id in document_set.documents]
    assert stray_dates(old_text, records) == stray


def test_numbers_are_checked_too():
    document_set = next(s for s in COLLECTION.sets if s.id == "china-decides-october-1950")
    records = [COLLECTION.records[doc_id] for doc_id in document_set.documents]
    assert stray_numbers("Shtykov's report No. 1476/sh and telegram No. 1298", records) == ["1298"]
