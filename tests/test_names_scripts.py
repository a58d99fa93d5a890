"""Names in every script historians meet, on the bundled collection and its name authority:
hangul and hanja, simplified and traditional characters, Wade-Giles and pinyin all find the same
documents as the person's standard name; person pages answer at any form of the name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archive.build import rebuild
from archive.people import load_people, normalize_name
from archive.search import SearchRequest, SearchService
from archive.settings import load_config
from web import create_app

pytestmark = pytest.mark.engines  # the same tests on Whoosh and OpenSearch (conftest.py)

ROOT = Path(__file__).parent.parent

# (standard name, the person's other forms in every script); each form is the person's own name.
FORMS = {
    "Kim Il Sung": ["김일성", "金日成", "Kim Il-sung", "Ким Ир Сен"],
    "Pak Hon Yong": ["박헌영", "朴憲永", "Pak Heon-yeong", "Пак Хен Ен"],
    "Mao Zedong": ["毛泽东", "毛澤東", "Mao Tse-tung", "Мао Цзэдун"],
    "Zhou Enlai": ["周恩来", "周恩來", "Chou En-lai", "Чжоу Эньлай"],
    "Liu Shaoqi": ["刘少奇", "劉少奇", "Liu Shao-ch'i"],
    "Nie Rongzhen": ["聂荣臻", "聶榮臻", "Nieh Jung-chen"],
    "Lin Biao": ["林彪", "Lin Piao"],
}


@pytest.fixture(scope="module")
def bundled(tmp_path_factory, engine_settings):
    root = tmp_path_factory.mktemp("bundled")
    shutil.copytree(ROOT / "documents", root / "documents")
    config = load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(root / "documents"),
                         ARCHIVE_INDEX_DIR=str(root / "index"), **engine_settings())
    assert rebuild(config, allow_invalid=False).status == "built"
    service = SearchService(config)
    yield config, service
    service.close()


def found(service: SearchService, q: str) -> list[str]:
    result = service.search(SearchRequest(q=q, sort="date", page_size=100))
    return [hit.id for hit in result.hits]


@pytest.mark.parametrize(("standard", "form"), [(s, f) for s, forms in FORMS.items() for f in forms])
def test_every_script_finds_what_the_standard_name_finds(bundled, standard, form):
    _config, service = bundled
    expected = found(service, standard)
    assert expected, standard
    assert found(service, form) == expected


def test_traditional_and_simplified_characters_fold_together():
    assert normalize_name("毛澤東") == normalize_name("毛泽东") == "毛泽东"
    assert normalize_name("朴憲永") == normalize_name("朴宪永")
    assert normalize_name("Mao Tse-tung") == "mao tse tung"  # Latin untouched
    people = load_people(ROOT / "documents" / "authority" / "people.yaml")
    assert [people.resolve(n).id for n in ("劉少奇", "刘少奇", "金日成", "聶榮臻", "蕭克")] == [
        "liu-shaoqi", "liu-shaoqi", "kim-il-sung", "nie-rongzhen", "xiao-ke"]


def test_names_run_together_in_characters_are_each_a_name(bundled):
    _config, service = bundled
    assert found(service, "金日成毛泽东") == found(service, "Kim Il Sung Mao Zedong")
    assert found(service, "毛澤東與周恩來") == found(service, "Mao Zedong Zhou Enlai")
    assert found(service, "김일성박헌영") == found(service, "Kim Il Sung Pak Hon Yong")
    result = service.search(SearchRequest(q="毛澤東與周恩來"))
    assert result.query_note == ('Searched for "毛泽东" as Mao Zedong. '
                                 'Searched for "周恩来" as Zhou Enlai.')


@pytest.mark.parametrize(("path", "target"), [
    ("/people/filippov", "/people/stalin"),
    ("/people/Feng%20Xi", "/people/stalin"),
    ("/people/%E6%AF%9B%E6%BE%A4%E6%9D%B1", "/people/mao-zedong"),  # 毛澤東
    ("/people/%EA%B9%80%EC%9D%BC%EC%84%B1", "/people/kim-il-sung"),  # 김일성
    ("/people/chou-en-lai", "/people/zhou-enlai"),
])
def test_person_pages_answer_at_any_form(bundled, path, target):
    config, _service = bundled
    client = create_app({"TESTING": True, "ARCHIVE_CONFIG": config}).test_client()
    response = client.get(path)
    assert (response.status_code, response.headers["Location"]) == (302, target)
    assert client.get(target).status_code == 200
    assert client.get("/people/nobody-at-all").status_code == 404
