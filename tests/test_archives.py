"""The archive authority: the real file loads, names resolve, broken files report each line."""

from pathlib import Path

import pytest

from archive.archives import AuthorityError, load_archives
from archive.records import Archive

AUTHORITY = Path(__file__).resolve().parent.parent / "documents" / "authority" / "archives.yaml"


@pytest.fixture(scope="session")
def archives():
    return load_archives(AUTHORITY)


def test_real_authority(archives):
    assert len(archives) == 6
    assert [a.id for a in archives] == ["AVP RF", "APRF", "RGASPI", "TsAMO RF", "GARF", "RGANI"]
    assert archives.get("APRF") == Archive(
        id="APRF",
        name_en="Archive of the President of the Russian Federation",
        name_ru="Архив Президента Российской Федерации",
        name_translit="Arkhiv Prezidenta Rossiiskoi Federatsii",
        city="Moscow",
        abbreviations=("AP RF", "APRF", "АПРФ", "АП РФ", "Presidential Archive",
                       "Presidential Archive of the Russian Federation",
                       "Archive of the President RF"),
    )
    assert archives.get("RGANI").former_names[:2] == ("TsKhSD", "ЦХСД")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AVP RF", "AVP RF"),
        ("AVPRF", "AVP RF"),
        ("A.V.P. R.F.", "AVP RF"),
        ("avp", "AVP RF"),
        ("Archive of the Foreign Policy of the Russian Federation", "AVP RF"),
        ("архив внешней политики российской федерации", "AVP RF"),
        ("АП РФ", "APRF"),
        ("presidential archive", "APRF"),
        ("Rossiiskii gosudarstvennyi arkhiv sotsial'no-politicheskoi istorii", "RGASPI"),
        ("ЦАМО", "TsAMO RF"),
        ("ГАРФ", "GARF"),
        ("RGANI", "RGANI"),
        ("TsKhSD", "RGANI"),
        ("Центр хранения современной документации", "RGANI"),
        ("RTsKhIDNI", "RGASPI"),
        ("Российский центр хранения и изучения документов новейшей истории", "RGASPI"),
        ("Archive of the President, RF", "APRF"),
        ("Архив внешней политики РФ", "AVP RF"),
        ("XYZ", None),
        ("", None),
    ],
)
def test_resolve(archives, text, expected):
    found = archives.resolve(text)
    assert (found.id if found else None) == expected


def test_get_unknown(archives):
    with pytest.raises(KeyError):
        archives.get("AVPRF")  # get takes ids only; resolve takes any name


GOOD = """\
- id: APRF
  name_en: Archive of the President of the Russian Federation
  name_ru: Архив Президента Российской Федерации
  abbreviations: [AP RF]
"""


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        ("- [APRF]\n", ["archives.yaml:1: archives: expected a mapping of fields"]),
        ("id: APRF\n", ["archives.yaml:1: archives: expected a list of archives"]),
        (
            "- id: [APRF\n",
            ["archives.yaml:2: yaml: YAML syntax error: expected ',' or ']', but got '<stream end>'"],
        ),
        (
            "- name_en: A\n  name_ru: Б\n",
            ["archives.yaml:1: id: required field is missing"],
        ),
        (
            "- id: ''\n  name_en: A\n  name_ru: Б\n",
            ["archives.yaml:1: id: expected non-empty text"],
        ),
        (
            GOOD + "- id: X\n  name_en: A\n  name_ru: Б\n  citi: Moscow\n",
            ["archives.yaml:8: citi: unknown field (did you mean `city`?)"],
        ),
        (
            GOOD + "- id: X\n  name_en: A\n  name_ru: Б\n  abbreviations: AB\n",
            ["archives.yaml:8: abbreviations: expected a list of names"],
        ),
        (
            GOOD + "- id: APRF\n  name_en: A\n  name_ru: Б\n",
            ['archives.yaml:5: id: duplicate id "APRF" (first at line 1)'],
        ),
        (
            GOOD + "- id: AVP RF\n  name_en: A\n  name_ru: Б\n  abbreviations: [AVP, A.P. R.F.]\n",
            [
                "archives.yaml:8: abbreviations: "
                '"A.P. R.F." is already a name of archive "APRF" (line 1)'
            ],
        ),
    ],
)
def test_malformed_authority(tmp_path, text, messages):
    path = tmp_path / "archives.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AuthorityError) as error:
        load_archives(path)
    assert str(error.value).splitlines() == [f"{tmp_path}/{m}" for m in messages]


def test_missing_authority(tmp_path):
    with pytest.raises(AuthorityError) as error:
        load_archives(tmp_path / "archives.yaml")
    message = "archives.yaml:1: file: cannot read: No such file or directory"
    assert str(error.value) == f"{tmp_path}/{message}"
