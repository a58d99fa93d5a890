"""The place and term authorities: loading, validation, overlap checks, query expansion,
irregular forms and the no-dead-end fallback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archive import engines, generations, lemmas, query
from archive.build import rebuild
from archive.cli import main
from archive.expansion import MAX_FORMS, Expander
from archive.people import AuthorityError, load_people
from archive.search import SearchRequest, SearchService
from archive.settings import load_config
from archive.vocabulary import load_places, load_terms, load_vocabularies

pytestmark = pytest.mark.engines  # the same tests on Whoosh and OpenSearch (conftest.py)

ROOT = Path(__file__).resolve().parent.parent
AUTHORITY = ROOT / "documents" / "authority"


@pytest.fixture(scope="module")
def places():
    return load_places(AUTHORITY / "places.yaml")


@pytest.fixture(scope="module")
def terms():
    return load_terms(AUTHORITY / "terms.yaml")


@pytest.fixture(scope="module")
def table():
    return lemmas.Lemmas(lemmas.build_table())


def test_every_name_of_a_place_or_body_resolves_to_one_entry(places, terms):
    resolved = {form: (places.resolve(form) or terms.resolve(form)).id for form in [
        "Mukden", "Shenyang", "奉天", "沈阳", "Мукден", "Andong", "Dandong", "安東", "丹东",
        "Port Arthur", "Lüshun", "Lushun", "Ryojun", "旅順", "Dalny", "Dalian", "Dairen", "大连",
        "Peking", "Peiping", "Beijing", "北平", "北京", "Keijo", "Seoul", "서울", "Pyongyang",
        "平壤", "평양", "Пхеньян", "DPRK", "North Korea", "КНДР", "조선민주주의인민공화국",
        "KPA", "Korean People's Army", "north korean army", "КНА", "PLA",
        "Chinese People's Liberation Army", "CCP", "Chinese Communist Party", "КПК", "中国共产党",
        "VKP(b)", "All-Union Communist Party (Bolsheviks)", "Soviet Communist Party", "ВКП(б)",
        "MFA", "Ministry of Foreign Affairs", "Foreign Ministry", "МИД", "UN", "United Nations",
        "ООН", "USSR", "Soviet Union", "СССР"]}
    assert resolved == {
        "Mukden": "shenyang", "Shenyang": "shenyang", "奉天": "shenyang", "沈阳": "shenyang",
        "Мукден": "shenyang", "Andong": "dandong", "Dandong": "dandong", "安東": "dandong",
        "丹东": "dandong", "Port Arthur": "lushun", "Lüshun": "lushun", "Lushun": "lushun",
        "Ryojun": "lushun", "旅順": "lushun", "Dalny": "dalian", "Dalian": "dalian",
        "Dairen": "dalian", "大连": "dalian", "Peking": "beijing", "Peiping": "beijing",
        "Beijing": "beijing", "北平": "beijing", "北京": "beijing", "Keijo": "seoul",
        "Seoul": "seoul", "서울": "seoul", "Pyongyang": "pyongyang", "平壤": "pyongyang",
        "평양": "pyongyang", "Пхеньян": "pyongyang", "DPRK": "dprk", "North Korea": "dprk",
        "КНДР": "dprk", "조선민주주의인민공화국": "dprk", "KPA": "kpa",
        "Korean People's Army": "kpa", "north korean army": "kpa", "КНА": "kpa", "PLA": "pla",
        "Chinese People's Liberation Army": "pla", "CCP": "ccp", "Chinese Communist Party": "ccp",
        "КПК": "ccp", "中国共产党": "ccp", "VKP(b)": "vkpb",
        "All-Union Communist Party (Bolsheviks)": "vkpb", "Soviet Communist Party": "vkpb",
        "ВКП(б)": "vkpb", "MFA": "mfa", "Ministry of Foreign Affairs": "mfa",
        "Foreign Ministry": "mfa", "МИД": "mfa", "UN": "un", "United Nations": "un", "ООН": "un",
        "USSR": "ussr", "Soviet Union": "ussr", "СССР": "ussr"}


def test_acronyms_match_only_as_written(terms):
    assert [terms.resolve(w) for w in ("us", "un", "Us", "kpa")] == [None, None, None, None]
    assert [terms.resolve(w).id for w in ("US", "UN", "KPA")] == ["usa", "un", "kpa"]


def test_every_place_has_coordinates(places):
    assert [p.id for p in places if not (-90 <= p.lat <= 90 and -180 <= p.lon <= 180)] == []
    assert (places.get("shenyang").lat, places.get("shenyang").lon) == (41.81, 123.43)


def test_place_values_are_read_for_the_places_they_name(places):
    assert [places.find_in(v) for v in ("Moscow/Sochi", "Sochi (via Moscow)",
                                        "Moscow, then by VCh to Stalin in the south", "China")] == \
        [["moscow", "sochi"], ["sochi", "moscow"], ["moscow"], []]


def test_the_bundled_authorities_share_no_form_with_people():
    people = load_people(AUTHORITY / "people.yaml")
    assert load_vocabularies(AUTHORITY, people.forms())[2] == []


@pytest.mark.parametrize("text, expected", [
    ("- id: x\n  name: X\n  lat: 1\n",
     "places.yaml:1: lon: required: the place's coordinates in decimal degrees"),
    ("- id: x\n  name: X\n  lat: 91\n  lon: 1\n",
     "places.yaml:1: lat: expected a number from -90 to 90, got 91"),
    ("- id: x\n  name: X\n  lat: 1\n  lon: 1\n  variant: [Y]\n",
     "places.yaml:1: variant: unknown field (did you mean 'variants'?)"),
    ("- id: x\n  name: X\n  lat: 1\n  lon: 1\n  historic: [Y]\n",
     "places.yaml:1: historic: 'Y' is not among the place's name, native or variants"),
    ("- id: x\n  name: X\n  lat: 1\n  lon: 1\n- id: y\n  name: Y\n  variants: [x]\n  lat: 1\n  lon: 1\n",
     "places.yaml:5: y: the form 'x' also belongs to 'x'"),
    ("- id: X\n  name: X\n  lat: 1\n  lon: 1\n",
     "places.yaml:1: id: 'X' is not a slug (lower-case letters, digits, hyphens)"),
    ("- id: x\n  name: X\n  lat: [1\n", "places.yaml:4: places: "),
])
def test_a_broken_place_authority_names_file_line_and_field(tmp_path, text, expected):
    path = tmp_path / "places.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AuthorityError) as error:
        load_places(path)
    assert str(error.value).startswith(f"{tmp_path}/{expected}")


@pytest.mark.parametrize("text, expected", [
    ("- id: x\n  name: X\n", "terms.yaml:1: kind: expected one of state, party, army, ministry, "
                              "organisation, term, got None"),
    ("- id: x\n  name: X\n  kind: term\n  acronyms: ['()']\n",
     "terms.yaml:1: acronyms: '()' has no letters or digits"),
    ("- id: x\n  name: X\n  kind: term\n  native: 3\n",
     "terms.yaml:1: native: expected text or a list of text"),
])
def test_a_broken_term_authority_names_file_line_and_field(tmp_path, text, expected):
    path = tmp_path / "terms.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AuthorityError) as error:
        load_terms(path)
    assert str(error.value) == f"{tmp_path}/{expected}"


@pytest.fixture
def bundled(tmp_path):
    shutil.copytree(ROOT / "documents", tmp_path / "documents")
    return load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(tmp_path / "documents"),
                       ARCHIVE_INDEX_DIR=str(tmp_path / "index"))


def test_check_reports_a_term_form_that_is_also_a_person(bundled, capsys, monkeypatch):
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(bundled.documents_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(bundled.index_dir))
    terms = bundled.authority_dir / "terms.yaml"
    terms.write_text(terms.read_text(encoding="utf-8").replace(
        "variants: [Foreign Ministry, Foreign Office]", "variants: [Foreign Ministry, Politburo]"),
        encoding="utf-8")
    line = next(i for i, text in enumerate(terms.read_text().splitlines(), 1) if text == "- id: mfa")
    assert main(["check"]) == 1
    path = bundled.documents_dir / "1949-05-18-kovalev-to-stalin-no-54611.md"
    assert capsys.readouterr().out.splitlines() == [
        f"{path}:9: place_from: warning: no place in places.yaml is named in 'China' "
        "(add it there to facet and map it)",
        f"{terms}:{line}: mfa: the form 'Politburo' is also a form of 'politburo' in people.yaml"]


def test_check_warns_about_a_place_it_does_not_know_but_passes(bundled, capsys, monkeypatch):
    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(bundled.documents_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(bundled.index_dir))
    assert main(["check"]) == 0
    out = capsys.readouterr().out.splitlines()
    path = bundled.documents_dir / "1949-05-18-kovalev-to-stalin-no-54611.md"
    assert out == [f"{path}:9: place_from: warning: no place in places.yaml is named in 'China' "
                   "(add it there to facet and map it)"]


def test_a_build_saves_the_authorities_and_the_lemma_table_with_its_generation(bundled):
    assert rebuild(bundled).status == "built"
    folder = engines.index_path(bundled, 1)
    places, terms = generations.load_vocabularies(folder)
    assert (places.to_list(), terms.to_list()) == (
        load_places(bundled.authority_dir / "places.yaml").to_list(),
        load_terms(bundled.authority_dir / "terms.yaml").to_list())
    assert lemmas.load(folder).others("sent") == ("send",)


# -- queries ---------------------------------------------------------------------------------

def test_a_place_name_is_searched_as_all_its_names(places, terms):
    parsed = query.parse("Mukden", expander=Expander(places, terms))
    # 沈阳 and 奉天 fold to Shenyang and Fengtian (archive.analysis), so they are not repeated
    assert parsed.node == query.Or((
        query.Term("Mukden"), query.Term("Shenyang"), query.Term("Fengtian"),
        query.Term("Fengtien"), query.Term("Hoten"), query.Term("선양"), query.Term("심양"),
        query.Term("Шэньян"), query.Term("Мукден")))
    assert parsed.notes == ['Searched for "Mukden" as the place Shenyang, also as Fengtian, '
                            'Fengtien, Hoten, 선양, 심양 and 2 more.']


def test_a_multi_word_name_is_recognised_in_an_unquoted_query(places, terms):
    parsed = query.parse("North Korean army Seoul", expander=Expander(places, terms))
    kpa, seoul = parsed.node.items
    assert kpa.items[:3] == (query.Phrase(("North", "Korean", "army")),
                             query.Phrase(("Korean", "People's", "Army")), query.Term("KPA"))
    assert seoul.items[:2] == (query.Term("Seoul"), query.Term("Keijo"))
    assert parsed.labels == {kpa: "North Korean army", seoul: "Seoul"}


def test_a_hyphenated_word_joins_a_multi_word_name(places, terms):
    parsed = query.parse("enemy cross the thirty-eighth parallel", expander=Expander(places, terms))
    parallel = parsed.node.items[-1]
    assert parallel.items[:3] == (query.Phrase(("thirty", "eighth", "parallel")),
                                  query.Phrase(("38th", "parallel")),
                                  query.Phrase(("38", "parallel")))
    assert parsed.labels == {parallel: "thirty eighth parallel"}


def test_quoted_words_are_searched_as_typed(places, terms, table):
    parsed = query.parse('"Mukden" "sent" "North Korean army"', expander=Expander(places, terms, table))
    assert parsed.node == query.And((query.Term("Mukden"), query.Term("sent"),
                                     query.Phrase(("North", "Korean", "army"))))
    assert parsed.notes == []


def test_irregular_forms_meet_through_the_lemma_table(table):
    parsed = query.parse("sent began fought men", expander=Expander(lemmas=table))
    assert parsed.node == query.And((
        query.Or((query.Term("sent"), query.Term("send"))),
        query.Or((query.Term("began"), query.Term("begin"), query.Term("begun"))),
        query.Or((query.Term("fought"), query.Term("fight"), query.Term("foughten"))),
        query.Or((query.Term("men"), query.Term("man")))))
    assert parsed.notes[0] == 'Searched for "sent" also as send.'
    # a capitalised word is most often a name: Lin is not a form of "lan"
    assert query.parse("Lin Sung", expander=Expander(lemmas=table)).node == \
        query.And((query.Term("Lin"), query.Term("Sung")))


def test_two_letter_acronyms_are_searched_only_when_typed(terms):
    forms = query.parse("United States", expander=Expander(terms=terms)).node.items
    assert query.Term("US") not in forms and query.Phrase(("U", "S")) not in forms
    assert query.Term("US") in query.parse("US", expander=Expander(terms=terms)).node.items


def test_expansions_are_capped_per_query(places, terms, table):
    q = " ".join(["Mukden Peking Seoul Pyongyang sent"] * 8)
    parsed = query.parse(q, expander=Expander(places, terms, table))
    forms = [i for item in parsed.node.items for i in (item.items if isinstance(item, query.Or) else [item])]
    assert len(forms) <= MAX_FORMS + len(parsed.node.items)


# -- no dead ends ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def service(tmp_path_factory, engine_settings):
    root = tmp_path_factory.mktemp("vocabulary")
    shutil.copytree(ROOT / "documents", root / "documents")
    config = load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(root / "documents"),
                         ARCHIVE_INDEX_DIR=str(root / "index"), **engine_settings())
    assert rebuild(config).status == "built"
    service = SearchService(config)
    yield service
    service.close()


def test_a_query_no_document_matches_in_full_shows_those_with_most_words(service):
    result = service.search(SearchRequest(q="weapons stockpile arsenal Pyongyang"))
    assert result.hits[0].id == "1949-11-03-shtykov-cables-826-827-arsenal"
    assert result.query_note.endswith(
        "No document contains all of: weapons, stockpile, arsenal, Pyongyang; "
        "showing those with most of them.")


def test_the_issue_s_examples_meet(service):
    def ids(q):
        return [h.id for h in service.search(SearchRequest(q=q, page_size=100)).hits]

    assert ids("Mukden") == ids("Shenyang") == ["1949-05-15-shtykov-to-vyshinsky-kim-il-mission"]
    assert ids("Andong") == ids("Dandong") != []
    assert ids("CCP") == ids("Chinese Communist Party") != []
    assert ids("KPA") == ids("North Korean army") != []
    assert ids("MFA") == ids("Foreign Ministry") != []
    assert ids("VKP(b)") == ids("Soviet Communist Party") == ids("ВКП(б)") != []
    assert ids("Korean soldiers in the Chinese army sent home")[0] == \
        "1949-12-29-nie-rongzhen-to-mao-korean-pla-soldiers"
    assert ids("first North Korean ambassador in Beijing")[0] == "1949-12-15-zhou-enlai-to-wen-shizhen"


def test_explicit_and_and_quoted_phrases_stay_strict(service):
    for q in ("weapons AND stockpile AND arsenal", '"weapons stockpile" arsenal Pyongyang'):
        result = service.search(SearchRequest(q=q))
        assert (result.total, result.hits) == (0, []), q


def test_documents_are_faceted_and_filtered_by_the_places_they_were_sent_from(service):
    sochi = sorted(p.stem for p in (ROOT / "documents").glob("1*.md")
                   if any(line.startswith("place_from:") and "Sochi" in line
                          for line in p.read_text(encoding="utf-8").splitlines()))
    result = service.search(SearchRequest(filters=(("place_from", ("sochi",)),), page_size=100))
    assert sorted(h.id for h in result.hits) == sochi and len(sochi) == 5
    assert [(b.value, b.label, b.count, b.selected) for b in result.facets["place_from"]] == [
        ("moscow", "Moscow", 26, False), ("pyongyang", "Pyongyang", 21, False),
        ("beijing", "Beijing", 12, False), ("sochi", "Sochi", 5, True)]
