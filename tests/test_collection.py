"""The bundled collection against the fact sheet it was written from (tests/data/corpus/facts.yaml,
a copy of the project's shared fact sheet): nothing dropped, altered or invented."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from archive.archives import load_archives
from archive.documents import load_collection
from archive.people import normalize_name
from archive.refs import RefError, parse_refs
from archive.settings import load_config

ROOT = Path(__file__).parent.parent
SHEET = yaml.safe_load((Path(__file__).parent / "data" / "corpus" / "facts.yaml")
                       .read_text(encoding="utf-8"))["documents"]
CONFIG = load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(ROOT / "documents"))
COLLECTION = load_collection(CONFIG)
ARCHIVES = load_archives(CONFIG.authority_dir / "archives.yaml")
LANGUAGES = {"Russian": "ru", "Chinese": "zh", "Korean": "ko"}
QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|«([^»]*)»')
IDS = [entry["id_hint"] for entry in SHEET]
WILSON = "https://digitalarchive.wilsoncenter.org/document/"


def entry_people(text: str) -> list[str]:
    """Authority ids named in a sheet string, in the order they first appear."""
    text = re.sub(r"['’]s\b", "", text)  # "the Soviet leadership's instructions"
    folded = f" {normalize_name(text)} "
    found: dict[str, int] = {}
    for person in COLLECTION.people:
        # A pseudonym whose owner is disputed (Chan Fu) proves nothing about who is meant.
        pseudonyms = [p.name for p in person.pseudonyms if "disputed" not in (p.note or "")
                      and "Bulganin" not in (p.note or "")]
        for form in (person.name, *person.variants, *person.native, *pseudonyms):
            key = normalize_name(form)
            position = folded.find(f" {key} ") if key else -1
            if position >= 0:
                found[person.id] = min(found.get(person.id, position), position)
    return sorted(found, key=found.get)


def test_collection_is_valid_and_complete():
    assert COLLECTION.problems == []
    assert sorted(COLLECTION.records) == sorted(IDS)
    assert len(IDS) == 61


@pytest.mark.parametrize("entry", SHEET, ids=IDS)
def test_record_matches_its_sheet_entry(entry):
    record = COLLECTION.records[entry["id_hint"]]
    assert record.date.text == entry["date"]
    assert record.type == entry["type"]
    assert record.confidence == entry["confidence"]
    assert record.language == LANGUAGES[entry["language_original"].split()[0]]
    everyone = set(record.sender + record.recipient + record.via + record.copies_to)
    named = entry_people(" ; ".join(entry[k] for k in ("sender", "recipient", "via")))
    # The first person the sheet names as sender (and as recipient) is the record's.
    senders, recipients = entry_people(entry["sender"]), entry_people(entry["recipient"])
    if senders:
        assert senders[0] in record.sender
    if recipients:
        assert recipients[0] in record.recipient
    # Every correspondent in the record is named by the sheet (nothing invented) ...
    sheet_text = " ; ".join(str(v) for v in entry.values())
    assert set(record.sender + record.recipient + record.via) <= set(named) | set(entry_people(sheet_text))
    # ... and every person the sheet names as correspondent, outside its parenthetical remarks
    # ("to read to Kim Il Sung"), is in the record. Bodies named there are often only an
    # affiliation ("Gromyko, USSR Ministry of Foreign Affairs").
    persons = {p.id for p in COLLECTION.people if p.kind == "person"}
    plain = re.sub(r"\([^)]*\)", "", " ; ".join(entry[k] for k in ("sender", "recipient", "via")))
    assert set(entry_people(plain)) & persons <= everyone
    for name in ("place_from", "place_to"):
        if entry[name]:
            assert getattr(record, name) and getattr(record, name) in entry[name]
        else:
            assert getattr(record, name) is None
    # The source is the Wilson Center's own page; a copy the sheet saw (a test or mirror site)
    # is kept as a secondary link, and the official address is the copy's document slug.
    for copy in record.source_copies:
        assert copy in sheet_text
    if record.source_url and record.source_url not in sheet_text:
        slugs = [c.rsplit("/document/", 1)[-1] for c in record.source_copies if "/document/" in c]
        assert record.source_url in [WILSON + slug for slug in slugs]
    if record.source_url:  # never a test or mirror host
        assert urlparse(record.source_url).netloc == "digitalarchive.wilsoncenter.org"
    if record.translator:
        assert all(part in sheet_text for part in re.split(r" and |, ", record.translator))


@pytest.mark.parametrize("entry", SHEET, ids=IDS)
def test_archive_references_as_cited(entry):
    record = COLLECTION.records[entry["id_hint"]]
    parts = [(r.archive, r.fond, r.opis, r.delo, r.listy) for r in record.archive_refs]
    if not entry["archive"]:
        assert (record.archive_refs, record.archive_ref_status) == ([], "not-found")
        return
    archive = ARCHIVES.resolve(entry["archive"]).id
    main = (archive, *(entry[k] or None for k in ("fond", "opis", "delo", "listy")))
    assert main in parts
    try:
        cited = parse_refs(entry["archive_ref_as_cited"], ARCHIVES)
    except RefError:  # a fragmentary citation, entered as parts (see its confidence note)
        assert record.confidence_note
        return
    assert [(r.archive, r.fond, r.opis, r.delo, r.papka, r.listy) for r in cited] == [
        (r.archive, r.fond, r.opis, r.delo, r.papka, r.listy) for r in record.archive_refs[:len(cited)]]


@pytest.mark.parametrize("entry", SHEET, ids=IDS)
def test_body_quotes_only_key_phrases_and_summary_length(entry):
    record = COLLECTION.records[entry["id_hint"]]
    phrases = {p["phrase"] for p in entry["key_phrases"]}
    quoted = [next(g for g in m.groups() if g is not None) for m in QUOTED.finditer(record.body)]
    assert set(quoted) <= phrases, "only the sheet's key phrases may be quoted"
    assert phrases <= set(quoted), "every key phrase is quoted"
    assert not re.search(r"(?<![\w])'[^']{3,}'(?![\w])", record.body), "no single-quoted quotations"
    words = len(record.sections["summary"].split())
    assert 80 <= words <= 250
