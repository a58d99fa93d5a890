"""Archive references: the forms found in real footnotes, the errors, and the three formats."""

from pathlib import Path

import pytest

from archive.archives import ArchiveAuthority, load_archives
from archive.records import ArchiveRef
from archive.ref_formats import format_long, format_russian, format_short, ref_to_json
from archive.refs import RefError, parse_refs, ref_from_mapping

AUTHORITY = Path(__file__).resolve().parent.parent / "documents" / "authority" / "archives.yaml"


@pytest.fixture(scope="session")
def archives() -> ArchiveAuthority:
    return load_archives(AUTHORITY)


def aprf(fond, opis, delo, listy, cited):
    return ArchiveRef("APRF", fond=fond, opis=opis, delo=delo, listy=listy, cited=cited)


def avp(delo, listy, cited, fond="059a", opis="5a", papka="11"):
    parts = {"fond": fond, "opis": opis, "delo": delo, "papka": papka, "listy": listy}
    return ArchiveRef("AVP RF", cited=cited, **parts)


def rgaspi(delo, listy, cited):
    return ArchiveRef("RGASPI", fond="558", opis="11", delo=delo, listy=listy, cited=cited)


# Every string here is as it stands in our fact sheet's footnotes.
PARSES = [
    (
        "Archive of the Foreign Policy of the Russian Federation, Fond 059a, Opis 5a, Delo 3, "
        "Papka 11, listy 10-20.",
        [
            avp(
                "3",
                "10-20",
                "Archive of the Foreign Policy of the Russian Federation, Fond 059a, Opis 5a, "
                "Delo 3, Papka 11, listy 10-20",
            )
        ],
    ),
    (
        "AP RF. F. 4. Op. 1. D. 331. pp. 59-61.",
        [aprf("4", "1", "331", "59-61", "AP RF. F. 4. Op. 1. D. 331. pp. 59-61")],
    ),
    (
        "AVP RF, Fond 059a, Opis 5a, Delo 3, Papka 11, listy 75-77",
        [avp("3", "75-77", "AVP RF, Fond 059a, Opis 5a, Delo 3, Papka 11, listy 75-77")],
    ),
    (
        "Archive of the President of the Russian Federation, APRF, fond.45, opis.1, delo. 334, "
        "listy. 8-9.",
        [
            aprf(
                "45",
                "1",
                "334",
                "8-9",
                "Archive of the President of the Russian Federation, APRF, fond.45, opis.1, "
                "delo. 334, listy. 8-9",
            )
        ],
    ),
    (
        "АПРФ. Ф. 45. Оп. 1 Д. 346 Л. 8.",
        [aprf("45", "1", "346", "8", "АПРФ. Ф. 45. Оп. 1 Д. 346 Л. 8")],
    ),
    ("АПРФ. Ф. 45. Оп. 1 Д. 346.", [aprf("45", "1", "346", None, "АПРФ. Ф. 45. Оп. 1 Д. 346")]),
    (
        "АПРФ. Ф. 45. Оп. 1. Д. 346. Л. 5-7.",
        [aprf("45", "1", "346", "5-7", "АПРФ. Ф. 45. Оп. 1. Д. 346. Л. 5-7")],
    ),
    (
        "AVPRF, Fond 059a, Opis 5a, Delo 3, Papka 11, Listy 96-97.",
        [avp("3", "96-97", "AVPRF, Fond 059a, Opis 5a, Delo 3, Papka 11, Listy 96-97")],
    ),
    (
        "AVPRF, f. 059a, op. 5a, p. 11, d. 3, 100-3.",
        [avp("3", "100-3", "AVPRF, f. 059a, op. 5a, p. 11, d. 3, 100-3")],
    ),
    (
        "A copy was subsequently found in RGASPI, f. 558, op. 11, d. 334, ll.0055.",
        [rgaspi("334", "0055", "RGASPI, f. 558, op. 11, d. 334, ll.0055")],
    ),
    (
        "APRF, f. 45, op. 1, d. 346, l. 104; AVP RF, f. 059a, op. 5a, d. 3, p. 11, l. 107; "
        "and RGASPI, f. 558, op. 11, d. 346, ll. 0104.",
        [
            aprf("45", "1", "346", "104", "APRF, f. 45, op. 1, d. 346, l. 104"),
            avp("3", "107", "AVP RF, f. 059a, op. 5a, d. 3, p. 11, l. 107"),
            rgaspi("346", "0104", "RGASPI, f. 558, op. 11, d. 346, ll. 0104"),
        ],
    ),
    (
        "[Source: APRF, fond 45, opis 1, delo 331, list 79]",
        [aprf("45", "1", "331", "79", "APRF, fond 45, opis 1, delo 331, list 79")],
    ),
    (
        "APRF, f. 45, op. 1, d. 140, l. 140, and RGASPI, f. 558, op. 11, d. 346, ll. 0140-0142.",
        [
            aprf("45", "1", "140", "140", "APRF, f. 45, op. 1, d. 140, l. 140"),
            rgaspi("346", "0140-0142", "RGASPI, f. 558, op. 11, d. 346, ll. 0140-0142"),
        ],
    ),
    (
        "APRF, Fond 45, Opis 1, Delo 347, Listy 12-13 and AVPRF, Fond 059a, Opis 5a, Delo 4, "
        "Papka 11, Listy 159-160",
        [
            aprf("45", "1", "347", "12-13", "APRF, Fond 45, Opis 1, Delo 347, Listy 12-13"),
            avp(
                "4",
                "159-160",
                "AVPRF, Fond 059a, Opis 5a, Delo 4, Papka 11, Listy 159-160",
            ),
        ],
    ),
    (
        "APRF, fond 45, opis 1, delo 347, listy 41-45",
        [aprf("45", "1", "347", "41-45", "APRF, fond 45, opis 1, delo 347, listy 41-45")],
    ),
    (
        "APRF, fond 3, opis 65, delo 828, listy 5-8",
        [aprf("3", "65", "828", "5-8", "APRF, fond 3, opis 65, delo 828, listy 5-8")],
    ),
    (
        "APRF, fond 45, opis 1, delo 334, listy 97-98).",
        [aprf("45", "1", "334", "97-98", "APRF, fond 45, opis 1, delo 334, listy 97-98")],
    ),
    (
        "APRF, fond 45, opis 1, delo 334, listy 105-106",
        [aprf("45", "1", "334", "105-106", "APRF, fond 45, opis 1, delo 334, listy 105-106")],
    ),
    (
        "APRF, f. 45, op. 1, d. 334, pp. 105-6",
        [aprf("45", "1", "334", "105-6", "APRF, f. 45, op. 1, d. 334, pp. 105-6")],
    ),
    (
        "TsAMO RF, fond 5, opis 918795, delo 121, list 720.",
        [
            ArchiveRef(
                "TsAMO RF",
                fond="5",
                opis="918795",
                delo="121",
                listy="720",
                cited="TsAMO RF, fond 5, opis 918795, delo 121, list 720",
            )
        ],
    ),
    (
        "AP RF, f. 45, op. 1, d. 334, l. 141; and RGASPI, f. 558, op. 11, d. 334, ll. 0141. "
        "Translated by Gary Goldberg.",
        [
            aprf("45", "1", "334", "141", "AP RF, f. 45, op. 1, d. 334, l. 141"),
            rgaspi("334", "0141", "RGASPI, f. 558, op. 11, d. 334, ll. 0141"),
        ],
    ),
    (
        "Mansourov, p. 118. 114-5 APRF, fond 45, opis 1, delo 335, listy 1-2",
        [aprf("45", "1", "335", "1-2", "APRF, fond 45, opis 1, delo 335, listy 1-2")],
    ),
    (
        "APRF, f. 45, op. 1, d. 347, pp. 74-5.",
        [aprf("45", "1", "347", "74-5", "APRF, f. 45, op. 1, d. 347, pp. 74-5")],
    ),
    (
        "APRF, fond 45, opis 1, delo 335, list 3.",
        [aprf("45", "1", "335", "3", "APRF, fond 45, opis 1, delo 335, list 3")],
    ),
    (
        "APRF, f. 45, op. 1, d. 331, l. 55",
        [aprf("45", "1", "331", "55", "APRF, f. 45, op. 1, d. 331, l. 55")],
    ),
    # Beyond the fact sheet: our own long form reads back, and so do dotted acronyms,
    # Cyrillic "Р." for papka, versos ("об.") and lists of sheets.
    (
        "Archive of the President of the Russian Federation (APRF), fond 45, opis 1, delo 331, "
        "list 55",
        [
            aprf(
                "45",
                "1",
                "331",
                "55",
                "Archive of the President of the Russian Federation (APRF), fond 45, opis 1, "
                "delo 331, list 55",
            )
        ],
    ),
    (
        "A.V.P. R.F., f. 059a, op. 5a, d. 3, p. 11, ll. 10-12, 15",
        [avp("3", "10-12, 15", "A.V.P. R.F., f. 059a, op. 5a, d. 3, p. 11, ll. 10-12, 15")],
    ),
    (
        "АВП РФ. Ф. 059а. Оп. 5а. Р. 11. Д. 3. Л. 12-12 об.",
        [
            avp(
                "3",
                "12-12 об.",
                "АВП РФ. Ф. 059а. Оп. 5а. Р. 11. Д. 3. Л. 12-12 об.",
                fond="059а",
                opis="5а",
            )
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), PARSES, ids=[t for t, _ in PARSES])
def test_parse_refs(archives, text, expected):
    assert parse_refs(text, archives) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ll. 10-12, 15", [ArchiveRef("APRF", listy="10-12, 15", cited="ll. 10-12, 15")]),
        ("list 3", [ArchiveRef("APRF", listy="3", cited="list 3")]),
        (
            "ll. 10-12; RGASPI, f. 558, op. 11, d. 334, ll.0055",
            [
                ArchiveRef("APRF", listy="10-12", cited="ll. 10-12"),
                rgaspi("334", "0055", "RGASPI, f. 558, op. 11, d. 334, ll.0055"),
            ],
        ),
    ],
)
def test_parse_refs_default_archive(archives, text, expected):
    assert parse_refs(text, archives, default_archive="Presidential Archive") == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty archive reference"),
        ("   ", "empty archive reference"),
        ("Telegram No. 8600.", 'no archive reference found in "Telegram No. 8600."'),
        (
            "APRF, fond 45, opis one, delo 3",
            'cannot read "opis one, delo 3" in archive reference "APRF, fond 45, opis one, delo 3"',
        ),
        (
            "APRF, d. 3-4",
            'cannot read "d. 3-4" in archive reference "APRF, d. 3-4"',
        ),
        ("APRF, f. 45, f. 46", 'fond given twice in archive reference "APRF, f. 45, f. 46"'),
        ("See APRF.", 'no fond, opis, delo, papka or listy after "APRF" in "See APRF."'),
    ],
)
def test_parse_refs_errors(archives, text, message):
    with pytest.raises(RefError) as error:
        parse_refs(text, archives)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Archives the authority does not know are kept as written, and so is the name's place.
        (
            "XYZ, f. 45, op. 1, d. 3",
            [ArchiveRef("XYZ", fond="45", opis="1", delo="3", cited="XYZ, f. 45, op. 1, d. 3")],
        ),
        (
            "[Source: XYZ, fond 45, list 3]",
            [ArchiveRef("XYZ", fond="45", listy="3", cited="XYZ, fond 45, list 3")],
        ),
        (
            "APRF, f. 45, op. 1, d. 3, l. 5; and XYZ, f. 3, op. 1",
            [
                aprf("45", "1", "3", "5", "APRF, f. 45, op. 1, d. 3, l. 5"),
                ArchiveRef("XYZ", fond="3", opis="1", cited="XYZ, f. 3, op. 1"),
            ],
        ),
        (
            "Found in XYZ, f. 3; APRF, f. 45, l. 3",
            [
                ArchiveRef("XYZ", fond="3", cited="XYZ, f. 3"),
                ArchiveRef("APRF", fond="45", listy="3", cited="APRF, f. 45, l. 3"),
            ],
        ),
        # No archive named: the parts are read, and the archive is empty.
        ("ll. 10-12, 15", [ArchiveRef("", listy="10-12, 15", cited="ll. 10-12, 15")]),
        # Prose after the parts names no part: it is skipped.
        (
            "APRF, f. 45, op. 1, d. 346. Translated by Gary Goldberg.",
            [ArchiveRef("APRF", fond="45", opis="1", delo="346", cited="APRF, f. 45, op. 1, d. 346")],
        ),
        (
            "APRF, Listy 146-147, Fond and Opis not given",
            [ArchiveRef("APRF", listy="146-147", cited="APRF, Listy 146-147")],
        ),
    ],
)
def test_parse_refs_unknown_or_no_archive(archives, text, expected):
    assert parse_refs(text, archives) == expected


def test_unknown_default_archive_is_kept(archives):
    assert parse_refs("l. 3", archives, default_archive="XYZ") == [
        ArchiveRef("XYZ", listy="3", cited="l. 3")
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"archive": "APRF", "listy": "146-147"}, ArchiveRef("APRF", listy="146-147")),
        (
            {"archive": "AVPRF", "fond": "059a", "opis": "5a", "delo": 3, "papka": 11, "listy": 75},
            avp("3", "75", ""),
        ),
        ({"archive": "РГАСПИ", "fond": 558, "papka": None}, ArchiveRef("RGASPI", fond="558")),
        ({"archive": "XYZ", "fond": "45"}, ArchiveRef("XYZ", fond="45")),
        ({"archive": "TsKhSD", "fond": "R-5446"}, ArchiveRef("RGANI", fond="R-5446")),
    ],
)
def test_ref_from_mapping(archives, data, expected):
    assert ref_from_mapping(data, archives) == expected


def test_ref_from_mapping_keeps_cited(archives):
    ref = ref_from_mapping({"archive": "APRF", "listy": "3"}, archives, cited="APRF, list 3")
    assert ref == ArchiveRef("APRF", listy="3", cited="APRF, list 3")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"archive": "APRF", "folio": "3"}, "unknown archive reference field `folio`"),
        (
            {"archive": "APRF", "lsty": "3"},
            "unknown archive reference field `lsty` (did you mean `listy`?)",
        ),
        ({"fond": "45"}, "archive reference has no `archive`"),
        ({"archive": "APRF", "fond": "forty"}, 'fond: cannot read "forty"'),
        ({"archive": "APRF", "delo": True}, "delo: expected text or a number, got True"),
        ({"archive": "APRF", "listy": [1, 2]}, "listy: expected text or a number, got [1, 2]"),
        ({"archive": "BAB, SAPMO", "fond": "1"},
         'archive: a name not in the authority may not contain a comma, got "BAB, SAPMO"'),
    ],
)
def test_ref_from_mapping_errors(archives, data, message):
    with pytest.raises(RefError) as error:
        ref_from_mapping(data, archives)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("ref", "short", "long", "russian"),
    [
        (
            aprf("45", "1", "331", "55", ""),
            "f. 45, op. 1, d. 331, l. 55",
            "Archive of the President of the Russian Federation (APRF), fond 45, opis 1, "
            "delo 331, list 55",
            "АПРФ. Ф. 45. Оп. 1. Д. 331. Л. 55.",
        ),
        (
            avp("3", "75-77", ""),
            "f. 059a, op. 5a, d. 3, p. 11, ll. 75-77",
            "Archive of Foreign Policy of the Russian Federation (AVP RF), fond 059a, opis 5a, "
            "delo 3, papka 11, listy 75-77",
            "АВП РФ. Ф. 059а. Оп. 5а. П. 11. Д. 3. Л. 75-77.",
        ),
        (
            aprf("45", "1", "346", None, ""),
            "f. 45, op. 1, d. 346",
            "Archive of the President of the Russian Federation (APRF), fond 45, opis 1, delo 346",
            "АПРФ. Ф. 45. Оп. 1. Д. 346.",
        ),
        (
            ArchiveRef("RGASPI", listy="10-12, 15"),
            "ll. 10-12, 15",
            "Russian State Archive of Socio-Political History (RGASPI), listy 10-12, 15",
            "РГАСПИ. Л. 10-12, 15.",
        ),
        (
            ArchiveRef("TsAMO RF", fond="5", opis="918795", delo="121", listy="720 об."),
            "f. 5, op. 918795, d. 121, l. 720 об.",
            "Central Archive of the Ministry of Defence of the Russian Federation (TsAMO RF), "
            "fond 5, opis 918795, delo 121, list 720 об.",
            "ЦАМО РФ. Ф. 5. Оп. 918795. Д. 121. Л. 720 об.",
        ),
    ],
)
def test_formats(archives, ref, short, long, russian):
    assert (format_short(ref), format_long(ref, archives), format_russian(ref, archives)) == (
        short,
        long,
        russian,
    )


def test_ref_to_json(archives):
    [first, second] = parse_refs(
        "APRF, f. 45, op. 1, d. 140, l. 140, and RGASPI, f. 558, op. 11, d. 346, ll. 0140-0142.",
        archives,
    )
    assert [ref_to_json(first, archives), ref_to_json(second, archives)] == [
        {
            "archive": "APRF",
            "fond": "45",
            "opis": "1",
            "delo": "140",
            "papka": None,
            "listy": "140",
            "cited": "APRF, f. 45, op. 1, d. 140, l. 140",
            "short": "f. 45, op. 1, d. 140, l. 140",
            "long": "Archive of the President of the Russian Federation (APRF), fond 45, opis 1, "
            "delo 140, list 140",
            "russian": "АПРФ. Ф. 45. Оп. 1. Д. 140. Л. 140.",
            "archive_known": True,
            "call_number": None,
            "notes": [],
        },
        {
            "archive": "RGASPI",
            "fond": "558",
            "opis": "11",
            "delo": "346",
            "papka": None,
            "listy": "0140-0142",
            "cited": "RGASPI, f. 558, op. 11, d. 346, ll. 0140-0142",
            "short": "f. 558, op. 11, d. 346, ll. 0140-0142",
            "long": "Russian State Archive of Socio-Political History (RGASPI), fond 558, "
            "opis 11, delo 346, listy 0140-0142",
            "russian": "РГАСПИ. Ф. 558. Оп. 11. Д. 346. Л. 0140-0142.",
            "archive_known": True,
            "call_number": None,
            "notes": [],
        },
    ]


@pytest.mark.parametrize(
    "text",
    [
        "APRF, f. 45, op. 1, d. 331, l. 55",
        "AVP RF, Fond 059a, Opis 5a, Delo 3, Papka 11, listy 75-77",
        "TsAMO RF, fond 5, opis 918795, delo 121, list 720.",
    ],
)
def test_formats_read_back(archives, text):
    [ref] = parse_refs(text, archives)
    for formatted in (format_long(ref, archives), format_russian(ref, archives)):
        [again] = parse_refs(formatted, archives)
        # The Russian form writes the letters of "059a" in Cyrillic.
        assert _latin(again) == ArchiveRef(**{**ref.__dict__, "cited": again.cited})


def _latin(ref: ArchiveRef) -> ArchiveRef:
    table = str.maketrans("абвгдеопрс", "abvgdeoprs")
    parts = {k: v.translate(table) if v and k != "cited" else v for k, v in ref.__dict__.items()}
    return ArchiveRef(**parts)


def parts(ref: ArchiveRef) -> tuple:
    return (ref.archive, ref.fond, ref.opis, ref.delo, ref.papka, ref.listy, ref.call_number)


# The kinds issue 13 lists, with its own illustrations (the published footnotes are in
# tests/test_refs_footnotes.py).
@pytest.mark.parametrize(
    ("text", "expected", "russian"),
    [
        ("GARF, f. R-5446, op. IV, d. 12, l. 3", [("GARF", "R-5446", "IV", "12", None, "3", None)],
         ["ГАРФ. Ф. Р-5446. Оп. IV. Д. 12. Л. 3."]),
        ("Archive of the President, RF, f. 3, op. 65, d. 826, ll. 40-45, and d. 827, ll. 3-9",
         [("APRF", "3", "65", "826", None, "40-45", None),
          ("APRF", "3", "65", "827", None, "3-9", None)],
         ["АПРФ. Ф. 3. Оп. 65. Д. 826. Л. 40-45.", "АПРФ. Ф. 3. Оп. 65. Д. 827. Л. 3-9."]),
        ("handwritten: APRF, f. 45, op. 1, d. 331, l. 55.", [("APRF", "45", "1", "331", None, "55", None)],
         ["АПРФ. Ф. 45. Оп. 1. Д. 331. Л. 55."]),
        ("RGASPI 17.162.39.101-102", [("RGASPI", "17", "162", "39", None, "101-102", None)],
         ["РГАСПИ. Ф. 17. Оп. 162. Д. 39. Л. 101-102."]),
        ("Архив внешней политики РФ, ф. 07, оп. 23а, п. 18, д. 234, л. 5",
         [("AVP RF", "07", "23а", "234", "18", "5", None)], ["АВП РФ. Ф. 07. Оп. 23а. П. 18. Д. 234. Л. 5."]),
        ("AVPRF, f. 059a, op. 5a, d. 3, p. 11, l. 14 ob.",
         [("AVP RF", "059a", "5a", "3", "11", "14 ob.", None)],
         ["АВП РФ. Ф. 059а. Оп. 5а. П. 11. Д. 3. Л. 14 об."]),
        ("TsKhSD, f. 5, op. 28, d. 5, ll. 1-3", [("RGANI", "5", "28", "5", None, "1-3", None)],
         ["РГАНИ. Ф. 5. Оп. 28. Д. 5. Л. 1-3."]),
        ("RGAE, f. 4372, op. 11, d. 52", [("RGAE", "4372", "11", "52", None, None, None)],
         ["РГАЭ. Ф. 4372. Оп. 11. Д. 52."]),
        ("GAKhK, f. P-137, op. 1, d. 2", [("GAKhK", "P-137", "1", "2", None, None, None)],
         ["ГАХК. Ф. П-137. Оп. 1. Д. 2."]),
        ("Ф. 3. Оп. 65. Д. 9. Л. 51.", [("", "3", "65", "9", None, "51", None)],
         ["Ф. 3. Оп. 65. Д. 9. Л. 51."]),
        ("PRO FO 371/84053", [("PRO", "FO 371", None, "84053", None, None, "FO 371/84053")],
         ["PRO. FO 371/84053."]),
        ("BArch, DY 30/3401", [("BArch", "DY 30", None, "3401", None, None, "DY 30/3401")],
         ["BArch. DY 30/3401."]),
        ("NARA RG 59", [("NARA", "RG 59", None, None, None, None, "RG 59")], ["NARA. RG 59."]),
        ("TsKhSD, f. 5, op. 30, d. 3, ll. 1-2; f. 89, op. 46, d. 1, l. 5",
         [("RGANI", "5", "30", "3", None, "1-2", None), ("RGANI", "89", "46", "1", None, "5", None)],
         ["РГАНИ. Ф. 5. Оп. 30. Д. 3. Л. 1-2.", "РГАНИ. Ф. 89. Оп. 46. Д. 1. Л. 5."]),
        ("AMFA (Beijing) 106-00021-02",
         [("AMFA (Beijing)", None, None, "106-00021-02", None, None, "106-00021-02")],
         ["AMFA (Beijing). 106-00021-02."]),
    ],
)
def test_issue_forms(archives, text, expected, russian):
    refs = parse_refs(text, archives)
    assert ([parts(r) for r in refs], [format_russian(r, archives) for r in refs]) == (expected, russian)


def test_notes_say_how_the_archive_was_read(archives):
    texts = ["GANO, f. 3, l. 5", "Ф. 3. Оп. 65. Д. 9.", "TsKhSD, f. 5", "APRF, f. 3"]
    notes = [ref_to_json(parse_refs(t, archives)[0], archives)["notes"] for t in texts]
    assert notes == [
        ['archive "GANO" is not in the archive authority; it is kept as written. To resolve it, '
         "add it to documents/authority/archives.yaml (id, name_en, name_ru, abbreviations; a "
         "former name goes under former_names)"],
        ["no archive named: the parts were read without an archive"],
        ['"TsKhSD" is a former name of RGANI'],
        [],
    ]


def test_many_references_in_one_string_are_read_without_recursion(archives):
    text = "A,f.1;" * 660  # once a RecursionError: each archive not in the authority recursed
    refs = parse_refs(text, archives)
    assert (len(refs), refs[-1]) == (660, ArchiveRef("A", fond="1", cited="A,f.1"))


def test_an_overlong_reference_is_refused(archives):
    with pytest.raises(RefError) as error:
        parse_refs("APRF, f. 1; " * 400, archives)
    assert str(error.value) == ("archive reference too long: 4,799 characters (at most 4,000); "
                                "split it into several references")
