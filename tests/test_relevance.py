"""Search quality on the bundled collection, from the judged queries in tests/data/relevance.yaml
(the same file and code as scripts/search_quality.py)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
import yaml

from archive.build import rebuild
from archive.search import SearchService
from archive.settings import load_config

pytestmark = pytest.mark.engines  # the same tests on Whoosh and OpenSearch (conftest.py)

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("search_quality", ROOT / "scripts" / "search_quality.py")
search_quality = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(search_quality)


@pytest.fixture(scope="module")
def numbers(tmp_path_factory, engine_settings):
    root = tmp_path_factory.mktemp("quality")
    shutil.copytree(ROOT / "documents", root / "documents")
    config = load_config(env={}, ARCHIVE_DOCUMENTS_DIR=str(root / "documents"),
                         ARCHIVE_INDEX_DIR=str(root / "index"), **engine_settings())
    assert rebuild(config).status == "built"
    service = SearchService(config)
    judgments = yaml.safe_load(search_quality.JUDGMENTS.read_text(encoding="utf-8"))
    try:
        yield search_quality.evaluate(service, judgments)
    finally:
        service.close()


def test_the_judgments_cover_at_least_forty_queries_of_every_kind():
    judgments = yaml.safe_load(search_quality.JUDGMENTS.read_text(encoding="utf-8"))
    ids = {p.stem for p in (ROOT / "documents").glob("*.md")}
    assert len(judgments) >= 40
    assert {j["kind"] for j in judgments} == {"topic", "place", "body", "acronym", "paraphrase"}
    assert [d for j in judgments for d in j["relevant"] if d not in ids] == []


def test_recall_at_ten_is_at_least_ninety_percent(numbers):
    missed = [(r["q"], r["missed"]) for r in numbers["rows"] if r["missed"]]
    assert numbers["recall"] >= 0.9, missed


def test_no_judged_query_finds_nothing(numbers):
    assert [r["q"] for r in numbers["rows"] if r["total"] == 0] == []
