from pathlib import Path

import pytest
from support import DATA

from archive.people import AuthorityError, load_people, normalize_name

PEOPLE = load_people(DATA / "minimal" / "authority" / "people.yaml")


@pytest.mark.parametrize("form, person_id", [
    ("I. V. Stalin", "stalin"), ("stalin", "stalin"), ("Сталин", "stalin"), ("Filippov", "stalin"),
    ("FENG XI", "stalin"), ("feng-xi", "stalin"), ("Vishinsky", "vyshinsky"),
    ("Вышинский", "vyshinsky"), ("Vyshinskii", "vyshinsky"), ("Mao Tse-tung", "mao-zedong"),
    ("毛泽东", "mao-zedong"), ("Shtikov", "shtykov"), ("T.F. Shtykov", "shtykov"),
    ("VKP(b) CC Politburo", "politburo"), ("vkp b cc politburo", "politburo"),
])
def test_every_form_resolves(form, person_id):
    assert PEOPLE.resolve(form).id == person_id


def test_unknown_names_get_suggestions():
    assert PEOPLE.resolve("Stallin") is None
    assert PEOPLE.suggest("Stallin") == ["I. V. Stalin"]
    assert PEOPLE.suggest("Vyshinskiy") == ["A. Ya. Vyshinsky"]
    assert PEOPLE.suggest("Zzzz") == []


def test_normalize_name_folds_case_diacritics_and_punctuation():
    assert [normalize_name(n) for n in ("Lüshun", "V. Grigor'yan", "Kim Il-sung", " KIM  IL SUNG ")] == [
        "lushun", "v grigoryan", "kim il sung", "kim il sung"]


@pytest.mark.parametrize("text, message", [
    ("- id: a\n  name: A\n- id: b\n  name: B\n  variants: [a]\n",
     "{path}:3: b: the form 'a' also belongs to 'a'"),
    ("- id: a\n  name: A\n- id: a\n  name: Other\n", "{path}:3: id: duplicate id 'a'"),
    ("- id: Bad Id\n  name: A\n",
     "{path}:1: id: 'Bad Id' is not a slug (lower-case letters, digits, hyphens)"),
    ("- id: a\n", "{path}:1: name: required text is missing"),
    ("- id: a\n  name: A\n  kind: robot\n", "{path}:1: kind: expected person or body, got 'robot'"),
    ("- id: a\n  name: A\n  nickname: x\n", "{path}:1: nickname: unknown field (known: family, given, id, "
     "kind, name, name_order, native, note, offices, pseudonyms, variants)"),
    ("id: a\n", "{path}:1: people: expected a list of people and bodies"),
    ("- id: a\n  name: [A\n", "{path}:3: people: YAML syntax error: while parsing a flow sequence; "
     "did not find expected ',' or ']'"),
])
def test_broken_authority_is_reported_with_its_line(tmp_path: Path, text, message):
    path = tmp_path / "people.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AuthorityError) as error:
        load_people(path)
    assert str(error.value) == message.format(path=path)
