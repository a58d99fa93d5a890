"""Pseudonyms whose owner is disputed ("Chan Fu": Stalin or Bulganin; "Matveyev": Zakharov or
Razuvayev): a search finds every candidate's documents and its note states the dispute, while an
undisputed pseudonym (Filippov) still means one person."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import DATA, make_archive

from archive.build import rebuild
from archive.people import AuthorityError, load_people
from archive.search import SearchRequest, SearchService

pytestmark = pytest.mark.engines  # the same tests on Whoosh and OpenSearch (conftest.py)

AUTHORITY = Path(__file__).parent.parent / "documents" / "authority"


@pytest.fixture(scope="module")
def service(tmp_path_factory, engine_settings):
    config = make_archive(tmp_path_factory.mktemp("disputed"), DATA / "minimal", DATA / "disputed",
                          env=engine_settings())
    shutil.copy(AUTHORITY / "people.yaml", config.documents_dir / "authority" / "people.yaml")
    (config.documents_dir / "valid-telegram.md").unlink()
    (config.documents_dir / "sets" / "test-set.yaml").unlink()
    assert rebuild(config).status == "built"
    service = SearchService(config)
    yield service
    service.close()


def found(service, q: str) -> tuple[list[str], str | None]:
    result = service.search(SearchRequest(q=q, sort="date"))
    return [hit.id for hit in result.hits], result.query_note


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Chan Fu", (["stalin-letter", "zakharov-report", "razuvayev-report", "bulganin-copy"],
                     'Searched for "Chan Fu" as I. V. Stalin or Bulganin: sources disagree on whom '
                     "this pseudonym stands for.")),
        ("Chanfu", (["stalin-letter", "zakharov-report", "razuvayev-report", "bulganin-copy"],
                    'Searched for "Chanfu" as I. V. Stalin or Bulganin: sources disagree on whom '
                    "this pseudonym stands for.")),
        ("Matveyev", (["zakharov-report", "razuvayev-report", "bulganin-copy"],
                      'Searched for "Matveyev" as General Zakharov or V. N. Razuvayev: sources '
                      "disagree on whom this pseudonym stands for.")),
        ("sender:Matveyev", (["zakharov-report", "razuvayev-report"],
                             'Searched for "Matveyev" as General Zakharov or V. N. Razuvayev: '
                             "sources disagree on whom this pseudonym stands for.")),
        ("Filippov", (["stalin-letter", "zakharov-report", "razuvayev-report"],
                      'Searched for "Filippov" as I. V. Stalin.')),
    ],
)
def test_a_disputed_pseudonym_finds_every_candidate(service, q, expected):
    assert found(service, q) == expected


def test_a_filter_by_a_disputed_pseudonym_names_the_person_it_is_recorded_under(service):
    assert service.person_id("Chan Fu") == "stalin"


def test_the_authority_lists_the_candidates():
    people = load_people(AUTHORITY / "people.yaml")
    assert {name: [p.id for p in people.candidates(name)]
            for name in ("Chan Fu", "Chanfu", "Matveyev", "Matveev", "Filippov", "Nobody")} == {
        "Chan Fu": ["stalin", "bulganin"], "Chanfu": ["stalin", "bulganin"],
        "Matveyev": ["zakharov", "razuvayev"], "Matveev": ["zakharov", "razuvayev"],
        "Filippov": ["stalin"], "Nobody": [],
    }


def test_disputed_with_must_name_another_person(tmp_path):
    path = tmp_path / "people.yaml"
    path.write_text("- id: stalin\n  name: I. V. Stalin\n  pseudonyms:\n"
                    "    - {name: Chan Fu, disputed_with: [bulganin]}\n", encoding="utf-8")
    with pytest.raises(AuthorityError) as error:
        load_people(path)
    assert str(error.value) == (f"{path}:1: pseudonyms: Chan Fu: disputed_with names 'bulganin', "
                                "not another person in the authority")
