"""An incremental build extends the previous generation's facet columns instead of re-reading
every document; the result must equal the columns built from all documents."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from support import make_archive

from archive import facets
from archive.build import rebuild
from archive.catalog import Catalog
from archive.engines import index_path

COLLECTION = Path(__file__).parent / "data" / "collection"


def columns_from_every_document(path: Path) -> facets.Columns:
    """What a full read of the generation's stored facet rows gives (the reference)."""
    from whoosh import index as whoosh_index  # test-only: read the stored column directly

    ix = whoosh_index.open_dir(str(path))
    with ix.reader() as reader:
        column = reader.column_reader("facets")
        rows = [None if reader.is_deleted(d) else json.loads(column[d])
                for d in range(reader.doc_count_all())]
    ix.close()
    return facets.build(rows)


def assert_same(got: facets.Columns, expected: facets.Columns) -> None:
    for name in ("ids", "live", "id_rank", "date_start", "date_end", "qualified"):
        np.testing.assert_array_equal(getattr(got, name), getattr(expected, name), err_msg=name)
    assert list(got.facets) == list(expected.facets)
    for name, facet in expected.facets.items():
        other = got.facets[name]
        assert other.vocab == facet.vocab, name
        np.testing.assert_array_equal(other.offsets, facet.offsets, err_msg=name)
        np.testing.assert_array_equal(other.values, facet.values, err_msg=name)
        np.testing.assert_array_equal(other.owners, facet.owners, err_msg=name)


@pytest.fixture
def archive(tmp_path):
    config = make_archive(tmp_path, COLLECTION)
    assert rebuild(config).status == "built"
    return config


def generation(config) -> Path:
    catalog = Catalog(config.database_url)
    try:
        return index_path(config, int(catalog.state()["generation"]))
    finally:
        catalog.dispose()


def test_incremental_columns_equal_a_full_read(archive, monkeypatch):
    extended = []
    real_extend = facets.extend
    monkeypatch.setattr(facets, "extend", lambda *args: extended.append(1) or real_extend(*args))
    documents = sorted(p for p in archive.documents_dir.glob("*.md") if p.name != "README.md")
    changed, removed = documents[0], documents[1]
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("type: telegram", "type: letter", 1)
                       if "type: telegram" in text else text + "\nOne more line.\n", encoding="utf-8")
    removed.unlink()
    shutil.copy(documents[2], archive.documents_dir / "a-new-copy.md")
    report = rebuild(archive)
    assert report.status == "built" and report.added == ["a-new-copy"]
    path = generation(archive)
    before = json.loads((path / "segments.json").read_text())
    assert len(before) >= 2 and extended == [1]  # a segment was appended; the columns extended
    assert_same(facets.load(path), columns_from_every_document(path))


def test_full_build_columns_equal_a_full_read(archive):
    path = generation(archive)
    assert_same(facets.load(path), columns_from_every_document(path))


def qualified_ids(columns: facets.Columns) -> list[str]:
    return sorted(str(i) for i in columns.ids[columns.qualified & columns.live])


def test_the_qualified_flag_marks_uncertain_and_approximate_dates(archive):
    # tests/data/collection dates one document "1950-10-02?"; the others are sure, the
    # interval 1950-05-13/1950-05-15 included
    assert qualified_ids(facets.load(generation(archive))) == ["1950-10-02-mao-to-stalin"]


@pytest.mark.parametrize("old, new", [("date: 1950-10-02?", "date: 1950-10-02"),
                                      ("date: 1949-11", "date: ~1949-11"),
                                      ("date: 1949-11", "date: 1949-11%")])
def test_an_incremental_build_changing_only_a_date_qualifier_updates_the_flag(archive, old, new):
    documents = archive.documents_dir
    changed = next(p for p in sorted(documents.glob("*.md")) if old + "\n" in p.read_text("utf-8"))
    changed.write_text(changed.read_text("utf-8").replace(old + "\n", new + "\n", 1), "utf-8")
    report = rebuild(archive)
    assert (report.status, report.updated) == ("built", [changed.stem])
    path = generation(archive)
    expected = sorted({"1950-10-02-mao-to-stalin"} ^ {changed.stem}) if "?" in old else \
        sorted({"1950-10-02-mao-to-stalin", changed.stem})
    assert qualified_ids(facets.load(path)) == expected
    assert_same(facets.load(path), columns_from_every_document(path))


def test_columns_an_older_version_wrote_are_refused_not_misread(archive, capsys, monkeypatch):
    """Columns without the qualified flag (INDEX_FORMAT 4) are never read as "no date doubted":
    the command line says to rebuild, the API answers 503 saying so, and a build rebuilds."""
    from archive.cli import main
    from web import create_app

    monkeypatch.setenv("ARCHIVE_DOCUMENTS_DIR", str(archive.documents_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(archive.index_dir))
    monkeypatch.delenv("ARCHIVE_DATABASE_URL", raising=False)
    path = generation(archive)
    with np.load(path / facets.FILENAME) as data:
        older = {key: data[key] for key in data.files if key != "qualified"}
    np.savez(path / facets.FILENAME, **older)
    message = ("the index was written by an older version of archive (it lacks qualified): run "
               "`archive build` to rebuild it")

    with pytest.raises(facets.IndexOutdated) as raised:
        facets.load(path)
    assert str(raised.value) == message
    for command in (["search", "Stalin"], ["export", "Stalin", "--format", "csv", "-o",
                                            str(archive.index_dir.parent / "out.csv")]):
        assert main(command) == 2
        assert capsys.readouterr().err == f"archive: {message}\n"
    client = create_app({"TESTING": True, "ARCHIVE_CONFIG": archive}).test_client()
    response = client.get("/api/search?q=Stalin")
    assert (response.status_code, response.get_json()) == (
        503, {"ok": False, "status": 503, "error": message})

    monkeypatch.setattr("archive.build.INDEX_FORMAT", "older")  # what a new version's build sees
    assert rebuild(archive).added  # a full build: every document indexed again
    assert qualified_ids(facets.load(generation(archive))) == ["1950-10-02-mao-to-stalin"]


def _random_rows(rng, size: int) -> list[dict | None]:
    people = [f"p{i}" for i in range(12)]
    rows = []
    for d in range(size):
        if rng.random() < 0.05:
            rows.append(None)  # a deleted document
            continue
        row = {"id": f"doc-{d:04d}", "date_start": 712000 + d, "date_end": 712000 + d,
               "qualified": bool(rng.random() < 0.2)}
        for name in facets.FACETS:
            row[name] = sorted(set(rng.choice(people, size=rng.integers(0, 4)).tolist()))
        rows.append(row)
    return rows


@pytest.mark.parametrize("density", [0.01, 0.1, 0.5, 0.9])
def test_facet_counts_and_filters_equal_a_count_by_document(density):
    """Counting by matched documents (selective queries), counting by mask (broad ones) and
    filtering by inverted lists all agree with counting each document's values one by one."""
    rng = np.random.default_rng(int(density * 100))
    rows = _random_rows(rng, 800)
    columns = facets.build(rows)
    base = columns.live & (rng.random(800) < density)
    selected = {"sender": ["p1", "p7", "nobody"], "year": ["p3"]}

    final, counts = facets.filter_and_count(columns, base, selected)

    def having(name, values, d):
        return rows[d] is not None and bool(set(rows[d][name]) & set(values))

    expected_final = [bool(base[d]) and all(having(n, v, d) for n, v in selected.items())
                      for d in range(800)]
    assert final.tolist() == expected_final
    for name in facets.FACETS:
        docs = [d for d in range(800) if base[d]
                and all(having(n, v, d) for n, v in selected.items() if n != name)]
        expected = {}
        for d in docs:
            for value in rows[d][name]:
                expected[value] = expected.get(value, 0) + 1
        vocab = columns.facets[name].vocab
        got = {vocab[code]: int(n) for code, n in enumerate(counts[name]) if n}
        assert got == expected, name


def test_columns_survive_whoosh_merging_the_small_segments(tmp_path, monkeypatch):
    """Whoosh merges the small segments that incremental builds append (every fifth commit
    here) and keeps the first, big one: its documents keep their columns (only the documents
    after it are read), and the result still equals a full read after every build."""
    config = make_archive(tmp_path, Path(__file__).resolve().parent.parent / "documents")
    assert rebuild(config).status == "built"
    first = json.loads((generation(config) / "segments.json").read_text())
    assert len(first) == 1 and first[0][1] > 40
    reused = []
    real_extend = facets.extend
    monkeypatch.setattr(facets, "extend",
                        lambda previous, *rest: reused.append(previous.size) or real_extend(previous, *rest))
    documents = sorted(p for p in config.documents_dir.glob("*.md") if p.name != "README.md")
    layouts = []
    for i, document in enumerate(documents[:6]):
        document.write_text(document.read_text(encoding="utf-8") + f"\nAn added line {i}.\n",
                            encoding="utf-8")
        assert rebuild(config).status == "built"
        path = generation(config)
        layouts.append([n for _, n in json.loads((path / "segments.json").read_text())])
        assert_same(facets.load(path), columns_from_every_document(path))
    merged = next(i for i in range(1, len(layouts)) if len(layouts[i]) < len(layouts[i - 1]))
    assert layouts[merged][0] == first[0][1]  # the big segment was kept...
    assert reused[merged] == first[0][1]  # ...and its documents' columns reused
