"""Citations: CSL-JSON, formatted styles against citeproc-js, RIS, BibTeX and meta tags.

The records are built here from the dataclasses: one per document type, covering persons, bodies,
eastern-order names, several senders and recipients, month-only, year-only, interval, uncertain
and approximate dates, several archive copies, a fragmentary reference and none at all. Their
CSL-JSON is stored in tests/data/citations/items.json and citeproc-js's rendering of it in
expected.json (regenerate with scripts/generate_citation_fixtures.py).
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from citeproc_node import require_node

from archive.archives import ArchiveAuthority
from archive.citations import (
    FORMATS,
    bibtex,
    bibtex_entry,
    cite,
    csl_date,
    csl_json,
    csl_json_list,
    format_citation,
    ris,
    ris_entry,
    zotero_meta_tags,
)
from archive.records import DOCUMENT_TYPES, Archive, ArchiveRef, DocDate, Person, Record

BASE_URL = "https://archive.example.org"

PEOPLE = {
    p.id: p
    for p in (
        Person(id="stalin", name="I. V. Stalin", family="Stalin", given="I. V."),
        Person(id="mao-zedong", name="Mao Zedong", family="Mao", given="Zedong",
               name_order="eastern"),
        Person(id="politburo", name="VKP(b) CC Politburo", kind="body"),
        Person(id="shtykov", name="T. F. Shtykov", family="Shtykov", given="T. F."),
        Person(id="kim-il-sung", name="Kim Il Sung", family="Kim", given="Il Sung",
               name_order="eastern"),
    )
}

ARCHIVES = ArchiveAuthority(
    [
        Archive("AVP RF", "Archive of Foreign Policy of the Russian Federation",
                "Архив внешней политики Российской Федерации",
                "Arkhiv vneshnei politiki Rossiiskoi Federatsii", "Moscow"),
        Archive("APRF", "Archive of the President of the Russian Federation",
                "Архив Президента Российской Федерации",
                "Arkhiv Prezidenta Rossiiskoi Federatsii", "Moscow"),
        Archive("RGASPI", "Russian State Archive of Socio-Political History",
                "Российский государственный архив социально-политической истории",
                "Rossiiskii gosudarstvennyi arkhiv sotsial'no-politicheskoi istorii", "Moscow"),
        Archive("TsAMO RF", "Central Archive of the Ministry of Defence of the Russian Federation",
                "Центральный архив Министерства обороны Российской Федерации",
                "Tsentral'nyi arkhiv Ministerstva oborony Rossiiskoi Federatsii", "Podolsk"),
    ]
)


def doc_date(text: str, earliest: str, latest: str) -> DocDate:
    return DocDate(
        text=text,
        earliest=date.fromisoformat(earliest),
        latest=date.fromisoformat(latest),
        uncertain="?" in text or "%" in text,
        approximate="~" in text or "%" in text,
    )


def record(id: str, type: str, title: str, date: DocDate, **fields) -> Record:
    return Record(id=id, path=f"{id}.md", title=title, type=type, date=date, body="",
                  sha256="0" * 64, **fields)


RECORDS = [
    record(
        "1950-05-14-stalin-to-mao-no-8600", "telegram",
        "Stalin to Mao Zedong on Kim Il Sung's proposal, 14 May 1950",
        doc_date("1950-05-14", "1950-05-14", "1950-05-14"),
        number="No. 8600", sender=["stalin"], recipient=["mao-zedong"], language="ru",
        archive_refs=[
            ArchiveRef("APRF", fond="45", opis="1", delo="331", listy="55"),
            ArchiveRef("AVP RF", fond="059a", opis="5a", delo="3", papka="11", listy="75-77"),
            ArchiveRef("RGASPI", fond="558", opis="11", delo="334", listy="0055"),
        ],
    ),
    record(
        "1950-05-13-mao-to-stalin-cable", "cable",
        'Mao Zedong to Stalin: "the Korean comrades" and the timing of unification',
        doc_date("1950-05-13/1950-05-14", "1950-05-13", "1950-05-14"),
        sender=["mao-zedong"], recipient=["stalin"], language="zh",
        archive_refs=[ArchiveRef("APRF", fond="45", opis="1", delo="331", listy="54")],
    ),
    record(
        "1950-10-02-stalin-to-shtykov-and-kim", "letter",
        "Stalin to Shtykov and Kim Il Sung on the situation at the front",
        doc_date("1950-10-02?", "1950-10-02", "1950-10-02"),
        sender=["stalin"], recipient=["shtykov", "kim-il-sung"], language="ru",
        archive_refs=[ArchiveRef("APRF", fond="45", opis="1", delo="347", listy="65-67")],
    ),
    record(
        "1950-09-politburo-directive-to-shtykov", "directive",
        "Politburo directive to Shtykov on the evacuation of Soviet specialists",
        doc_date("1950-09", "1950-09-01", "1950-09-30"),
        sender=["politburo"], recipient=["shtykov"], language="ru",
        archive_refs=[ArchiveRef("RGASPI", fond="17", opis="162", delo="45", listy="12")],
    ),
    record(
        "1949-05-shtykov-kim-conversation", "record-of-conversation",
        "Record of conversation between Shtykov and Kim Il Sung",
        doc_date("~1949-05", "1949-05-01", "1949-05-31"),
        sender=["shtykov", "kim-il-sung"], recipient=["politburo"], language="ru",
        archive_refs=[
            ArchiveRef("AVP RF", fond="059a", opis="5a", delo="3", papka="11", listy="75-77"),
        ],
    ),
    record(
        "1950-shtykov-report-on-the-kpa", "report",
        "Shtykov's report on the KPA's supply & training (50% of divisions ready)",
        doc_date("1950", "1950-01-01", "1950-12-31"),
        sender=["shtykov"], recipient=["stalin"], language="ru",
        archive_refs=[ArchiveRef("TsAMO RF", fond="5", opis="918795", delo="124", listy="1-5")],
    ),
    record(
        "1950-03-kim-memorandum-to-stalin", "memorandum",
        "Kim Il Sung's memorandum to Stalin on arms deliveries",
        doc_date("1950-03", "1950-03-01", "1950-03-31"),
        sender=["kim-il-sung"], recipient=["stalin"], language="ko",
        archive_ref_status="not-found",
    ),
    record(
        "1950-07-mao-note-to-kim", "note",
        "Mao Zedong's note to Kim Il Sung",
        doc_date("1950-07-20", "1950-07-20", "1950-07-20"),
        number="No. 4", sender=["mao-zedong"], recipient=["kim-il-sung"], language="zh",
        archive_refs=[ArchiveRef("APRF", listy="146-147")],
    ),
]


RECORDS_BY_ID = {r.id: r for r in RECORDS}
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "citations"
ITEMS = json.loads((DATA / "items.json").read_text(encoding="utf-8"))
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
NODE_MODULES = ROOT / "tests" / "js" / "node_modules" / "citeproc"
FORM_KEYS = [
    (style, form, output)
    for style, forms in (("chicago", ("note", "short-note", "bibliography")),
                         ("mla", ("bibliography",)), ("apa", ("bibliography",)))
    for form in forms
    for output in ("text", "html")
]


def ours(record_id: str, style: str, form: str, output: str) -> str:
    record = RECORDS_BY_ID[record_id]
    return format_citation(record, PEOPLE, ARCHIVES, BASE_URL, style, form, output)


# --- CSL-JSON -------------------------------------------------------------------------------


def test_fixture_covers_every_document_type():
    assert sorted(r.type for r in RECORDS) == sorted(DOCUMENT_TYPES)


def test_csl_json_of_a_telegram_with_several_copies():
    record = RECORDS_BY_ID["1950-05-14-stalin-to-mao-no-8600"]
    assert csl_json(record, PEOPLE, ARCHIVES, BASE_URL) == {
        "id": "1950-05-14-stalin-to-mao-no-8600",
        "type": "personal_communication",
        "genre": "telegram No. 8600",
        "title": "Stalin to Mao Zedong on Kim Il Sung's proposal, 14 May 1950",
        "language": "en",
        "author": [{"family": "Stalin", "given": "I. V."}],
        "recipient": [{"literal": "Mao Zedong"}],
        "issued": {"date-parts": [[1950, 5, 14]]},
        # the most complete copy (five parts) is cited, the others noted as written
        "archive": "Archive of Foreign Policy of the Russian Federation (AVP RF)",
        "archive_location": "f. 059a, op. 5a, d. 3, p. 11, ll. 75-77",
        "archive-place": "Moscow",
        "note": "archive-place: Moscow\nOriginal language: Russian\nOther copies: APRF, f. 45, "
        "op. 1, d. 331, l. 55; RGASPI, f. 558, op. 11, d. 334, l. 0055",
        "URL": "https://archive.example.org/documents/1950-05-14-stalin-to-mao-no-8600",
    }


def test_a_copy_marked_primary_is_cited_however_incomplete():
    record = RECORDS_BY_ID["1950-05-14-stalin-to-mao-no-8600"]
    first, second, third = record.archive_refs
    marked = replace(record, archive_refs=[first, second, replace(third, primary=True)])
    item = csl_json(marked, PEOPLE, ARCHIVES, BASE_URL)
    assert (item["archive"], item["archive_location"], item["note"]) == (
        "Russian State Archive of Socio-Political History (RGASPI)",
        "f. 558, op. 11, d. 334, l. 0055",
        "archive-place: Moscow\nOriginal language: Russian\nOther copies: APRF, f. 45, op. 1, "
        "d. 331, l. 55; AVP RF, f. 059a, op. 5a, d. 3, p. 11, ll. 75-77")


@pytest.mark.parametrize("item", ITEMS, ids=[item["id"] for item in ITEMS])
def test_csl_json_equals_the_stored_input(item):
    assert csl_json(RECORDS_BY_ID[item["id"]], PEOPLE, ARCHIVES, BASE_URL) == item


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1950-05-14", {"date-parts": [[1950, 5, 14]]}),
        ("1950-05", {"date-parts": [[1950, 5]]}),
        ("1950", {"date-parts": [[1950]]}),
        ("1950-05-13/1950-05-14", {"date-parts": [[1950, 5, 13], [1950, 5, 14]]}),
        ("1950-10-02?", {"date-parts": [[1950, 10, 2]], "circa": True}),
        ("~1949-05", {"date-parts": [[1949, 5]], "circa": True}),
        ("1950-10-02%", {"date-parts": [[1950, 10, 2]], "circa": True}),
        ("1950-06/..", {"date-parts": [[1950, 6]]}),
    ],
)
def test_csl_date(text, expected):
    assert csl_date(text) == expected


def test_csl_json_list_keeps_order():
    items = csl_json_list(RECORDS[:2], PEOPLE, ARCHIVES, BASE_URL)
    assert [item["id"] for item in items] == [r.id for r in RECORDS[:2]]


# --- Formatted text against citeproc-js ------------------------------------------------------


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_formatted_citation_equals_stored_citeproc_js_output(key):
    record_id, style, form, output = key.split("|")
    assert ours(record_id, style, form, output) == EXPECTED[key]


def test_stored_outputs_cover_every_record_style_form_and_output():
    keys = {f"{r.id}|{s}|{f}|{o}" for r in RECORDS for s, f, o in FORM_KEYS}
    assert set(EXPECTED) == keys


def test_eastern_names_and_bodies_print_whole():
    note = ours("1950-07-mao-note-to-kim", "chicago", "note", "text")
    assert note.startswith("Mao Zedong, “Mao Zedong’s Note to Kim Il Sung,” note No. 4 to Kim Il Sung,")
    bibliography = ours("1950-09-politburo-directive-to-shtykov", "apa", "bibliography", "text")
    assert bibliography.startswith("VKP(b) CC Politburo. (1950, September).")


def test_citeproc_js_under_node_renders_what_we_render():
    require_node()
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from generate_citation_fixtures import render_with_node
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    live = render_with_node(ITEMS)
    assert live == EXPECTED  # the stored outputs are current
    assert {key: ours(*key.split("|")) for key in live} == live


def test_shipped_citeproc_js_is_the_pinned_npm_build():
    require_node()
    shipped = (ROOT / "archive" / "data" / "citeproc.js").read_bytes()
    assert shipped == (NODE_MODULES / "citeproc_commonjs.js").read_bytes()


@pytest.mark.parametrize(("style", "form"), [
    ("chicago", "note"), ("chicago", "short-note"), ("chicago", "bibliography"),
    ("mla", "bibliography"), ("apa", "bibliography"),
])
def test_a_record_cited_again_with_new_data_prints_the_new_data(style, form):
    """citeproc-js keeps the data of an id it has seen: a record rebuilt with a new title, or
    cited with another address, printed as first seen."""
    record = RECORDS_BY_ID["1950-05-14-stalin-to-mao-no-8600"]
    first = format_citation(record, PEOPLE, ARCHIVES, BASE_URL, style, form)
    changed = replace(record, title="Revised: Stalin to Mao, 14 May 1950")
    again = format_citation(changed, PEOPLE, ARCHIVES, "https://mirror.example.net", style, form)
    assert "Revised: Stalin to Mao, 14 May 1950" in again and "Kim Il Sung" not in again
    if form != "short-note":  # the short form carries no address
        assert "https://mirror.example.net/documents/" in again and BASE_URL not in again
    assert format_citation(record, PEOPLE, ARCHIVES, BASE_URL, style, form) == first


@pytest.mark.parametrize(
    ("style", "form", "output"),
    [("harvard", "bibliography", "text"), ("mla", "note", "text"), ("apa", "bibliography", "rtf")],
)
def test_format_citation_rejects_unknown_style_form_or_output(style, form, output):
    with pytest.raises(ValueError):
        ours(RECORDS[0].id, style, form, output)


# --- RIS ------------------------------------------------------------------------------------


def test_ris_entry_text():
    record = RECORDS_BY_ID["1949-05-shtykov-kim-conversation"]
    assert ris_entry(record, PEOPLE, ARCHIVES, BASE_URL) == (
        "TY  - PCOMM\n"
        "AU  - Shtykov, T. F.\n"
        "AU  - Kim Il Sung\n"
        "A2  - VKP(b) CC Politburo\n"
        "TI  - Record of conversation between Shtykov and Kim Il Sung\n"
        "DA  - 1949/05//\n"
        "PY  - 1949\n"
        "M3  - record of conversation\n"
        "DB  - Archive of Foreign Policy of the Russian Federation (AVP RF)\n"
        "AN  - f. 059a, op. 5a, d. 3, p. 11, ll. 75-77\n"
        "M2  - Archive Place: Moscow\n"
        "N1  - Original language: Russian\n"
        "LA  - en\n"
        "UR  - https://archive.example.org/documents/1949-05-shtykov-kim-conversation\n"
        "ER  - \n"
    )


def test_ris_parsed_back_by_rispy():
    entries = rispy.loads(ris(RECORDS, PEOPLE, ARCHIVES, BASE_URL))
    for entry in entries:
        entry["unknown_tag"] = dict(entry.get("unknown_tag", {}))
    assert len(entries) == len(RECORDS)
    assert entries[0] == {
        "type_of_reference": "PCOMM",
        "authors": ["Stalin, I. V."],
        "secondary_authors": ["Mao Zedong"],
        "title": "Stalin to Mao Zedong on Kim Il Sung's proposal, 14 May 1950",
        "date": "1950/05/14/",
        "year": "1950",
        "type_of_work": "telegram No. 8600",
        "name_of_database": "Archive of Foreign Policy of the Russian Federation (AVP RF)",
        "accession_number": "f. 059a, op. 5a, d. 3, p. 11, ll. 75-77",
        "unknown_tag": {"M2": ["Archive Place: Moscow"]},
        "notes": ["Original language: Russian",
                  "Other copies: APRF, f. 45, op. 1, d. 331, l. 55; "
                  "RGASPI, f. 558, op. 11, d. 334, l. 0055"],
        "language": "en",
        "urls": ["https://archive.example.org/documents/1950-05-14-stalin-to-mao-no-8600"],
    }
    by_title = {e["title"]: e for e in entries}
    assert by_title["Kim Il Sung's memorandum to Stalin on arms deliveries"] == {
        "type_of_reference": "PCOMM",
        "authors": ["Kim Il Sung"],
        "secondary_authors": ["Stalin, I. V."],
        "title": "Kim Il Sung's memorandum to Stalin on arms deliveries",
        "date": "1950/03//",
        "year": "1950",
        "type_of_work": "memorandum",
        "unknown_tag": {},
        "notes": ["Original language: Korean"],
        "language": "en",
        "urls": ["https://archive.example.org/documents/1950-03-kim-memorandum-to-stalin"],
    }
    assert [e["date"] for e in entries] == [
        "1950/05/14/", "1950/05/13/", "1950/10/02/", "1950/09//", "1949/05//", "1950///",
        "1950/03//", "1950/07/20/",
    ]


# --- BibTeX ---------------------------------------------------------------------------------


def _parse_bibtex(text: str) -> dict[str, tuple[str, dict]]:
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert library.failed_blocks == []
    return {e.key: (e.entry_type, {f.key: f.value for f in e.fields}) for e in library.entries}


def test_bibtex_parsed_back_by_bibtexparser():
    entries = _parse_bibtex(bibtex(RECORDS, PEOPLE, ARCHIVES, BASE_URL))
    assert list(entries) == [r.id for r in RECORDS]
    assert entries["1950-05-14-stalin-to-mao-no-8600"] == ("unpublished", {
        "author": "Stalin, I. V.",
        "title": "Stalin to Mao Zedong on Kim Il Sung's proposal, 14 May 1950",
        "type": "telegram",
        "number": "No. 8600",
        "year": "1950",
        "month": "5",
        "date": "1950-05-14",
        "note": "AVP RF, f. 059a, op. 5a, d. 3, p. 11, ll. 75-77; original language: Russian; "
        "other copies: APRF, f. 45, op. 1, d. 331, l. 55; RGASPI, f. 558, op. 11, d. 334, l. 0055",
        "langid": "english",
        "url": "https://archive.example.org/documents/1950-05-14-stalin-to-mao-no-8600",
    })
    assert entries["1950-shtykov-report-on-the-kpa"] == ("unpublished", {
        "author": "Shtykov, T. F.",
        "title": "Shtykov's report on the KPA's supply & training (50% of divisions ready)",
        "type": "report",
        "year": "1950",
        "date": "1950",
        "note": "TsAMO RF, f. 5, op. 918795, d. 124, ll. 1-5; original language: Russian",
        "langid": "english",
        "url": "https://archive.example.org/documents/1950-shtykov-report-on-the-kpa",
    })
    assert entries["1949-05-shtykov-kim-conversation"][1]["author"] == (
        "Shtykov, T. F. and Kim Il Sung"
    )
    # biber reads `date` as EDTF, not as LaTeX (where "~" would be a non-breaking space).
    raw = bibtexparser.parse_string(bibtex(RECORDS, PEOPLE, ARCHIVES, BASE_URL))
    assert [e["date"] for e in raw.entries] == [
        "1950-05-14", "1950-05-13/1950-05-14", "1950-10-02?", "1950-09", "1949-05~", "1950",
        "1950-03", "1950-07-20",
    ]
    assert entries["1950-03-kim-memorandum-to-stalin"][1]["note"] == "original language: Korean"


def test_bibtex_keeps_literal_names_whole_and_utf8():
    record = replace(RECORDS[3], title="Директива Политбюро: Штыков & co_")
    entry = bibtex_entry(record, PEOPLE, ARCHIVES, BASE_URL, key="x")
    assert "  author = {{VKP(b) CC Politburo}},\n" in entry
    assert "  title = {Директива Политбюро: Штыков \\& co\\_},\n" in entry
    two = bibtex_entry(RECORDS_BY_ID["1949-05-shtykov-kim-conversation"], PEOPLE, ARCHIVES,
                       BASE_URL)
    middleware = [SeparateCoAuthors(), SplitNameParts()]
    library = bibtexparser.parse_string(entry + two, append_middleware=middleware)
    names = [[(n.last, n.first) for n in e["author"]] for e in library.entries]
    assert names == [
        [(["{VKP(b) CC Politburo}"], [])],
        [(["Shtykov"], ["T.", "F."]), (["{Kim Il Sung}"], [])],
    ]


def test_bibtex_keys_are_unique_across_a_list():
    entries = _parse_bibtex(bibtex([RECORDS[0], RECORDS[0], RECORDS[1]], PEOPLE, ARCHIVES,
                                   BASE_URL))
    first = RECORDS[0].id
    assert list(entries) == [first, f"{first}-2", RECORDS[1].id]


# --- Embedded metadata ----------------------------------------------------------------------


def test_zotero_meta_tags():
    record = RECORDS_BY_ID["1949-05-shtykov-kim-conversation"]
    assert zotero_meta_tags(record, PEOPLE, ARCHIVES, BASE_URL) == [
        ("z.itemType", "letter"),
        ("DC.title", "Record of conversation between Shtykov and Kim Il Sung"),
        ("DC.creator", "Shtykov, T. F."),
        ("DC.creator", "Kim Il Sung"),
        ("z.recipients", "VKP(b) CC Politburo"),
        ("DC.date", "1949-05"),
        ("DC.type", "record of conversation"),
        ("z.archive", "Archive of Foreign Policy of the Russian Federation (AVP RF)"),
        ("DC.coverage", "f. 059a, op. 5a, d. 3, p. 11, ll. 75-77"),
        ("z.extra", "Archive Place: Moscow"),
        ("DC.language", "en"),
    ]


def test_zotero_meta_tags_without_archive_reference():
    record = RECORDS_BY_ID["1950-03-kim-memorandum-to-stalin"]
    assert zotero_meta_tags(record, PEOPLE, ARCHIVES, BASE_URL) == [
        ("z.itemType", "letter"),
        ("DC.title", "Kim Il Sung's memorandum to Stalin on arms deliveries"),
        ("DC.creator", "Kim Il Sung"),
        ("z.recipients", "Stalin, I. V."),
        ("DC.date", "1950-03"),
        ("DC.type", "memorandum"),
        ("DC.language", "en"),
    ]


# --- Dispatch -------------------------------------------------------------------------------


def test_formats():
    assert FORMATS == ("chicago-note", "chicago-short-note", "chicago-bibliography", "mla", "apa",
                       "csl-json", "ris", "bibtex")


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("chicago-note", EXPECTED[f"{RECORDS[0].id}|chicago|note|text"]),
        ("chicago-short-note", EXPECTED[f"{RECORDS[0].id}|chicago|short-note|text"]),
        ("chicago-bibliography", EXPECTED[f"{RECORDS[0].id}|chicago|bibliography|text"]),
        ("mla", EXPECTED[f"{RECORDS[0].id}|mla|bibliography|text"]),
        ("apa", EXPECTED[f"{RECORDS[0].id}|apa|bibliography|text"]),
        ("csl-json", json.dumps(ITEMS[0], ensure_ascii=False, indent=2)),
        ("ris", ris_entry(RECORDS[0], PEOPLE, ARCHIVES, BASE_URL)),
        ("bibtex", bibtex_entry(RECORDS[0], PEOPLE, ARCHIVES, BASE_URL)),
    ],
)
def test_cite_dispatches_on_format(fmt, expected):
    assert cite(RECORDS[0], PEOPLE, ARCHIVES, BASE_URL, fmt) == expected


def test_cite_rejects_an_unknown_format_listing_the_known_ones():
    with pytest.raises(ValueError, match="unknown citation format 'endnote'; expected one of "
                       "chicago-note, chicago-short-note, .*, bibtex"):
        cite(RECORDS[0], PEOPLE, ARCHIVES, BASE_URL, "endnote")
