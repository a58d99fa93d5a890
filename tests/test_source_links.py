"""A document's source: the publisher's page as the link, copies of it as secondary links that
the document page labels as unofficial; the JSON twin carries both."""

from __future__ import annotations

import re

import pytest
from support import DATA, make_archive

from archive.build import rebuild
from web import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    config = make_archive(tmp_path_factory.mktemp("source-links"), DATA / "minimal",
                          DATA / "source-copies")
    assert rebuild(config).status == "built"
    return create_app({"TESTING": True, "ARCHIVE_CONFIG": config}).test_client()


def source_lines(html: str) -> list[str]:
    found = re.findall(r'<p class="source(?:-copies)?">(.*?)</p>', html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", line)).strip() for line in found]


def test_official_page_first_and_the_copy_as_unofficial(client):
    html = client.get("/documents/official-and-copy").get_data(as_text=True)
    assert source_lines(html) == [
        "Source: https://digitalarchive.wilsoncenter.org/document/some-slug",
        "Also seen at (unofficial copy, not the publisher's own page): "
        "https://test.example.org/document/some-slug",
    ]


def test_a_copy_alone_is_shown_as_an_unofficial_copy(client):
    html = client.get("/documents/copy-only").get_data(as_text=True)
    assert source_lines(html) == [
        "Source (unofficial copy, not the publisher's own page): https://mirror.example.org/node/1",
    ]


def test_json_twin_carries_both(client):
    data = client.get("/api/documents/official-and-copy").get_json()
    assert (data["source_url"], data["source_copies"]) == (
        "https://digitalarchive.wilsoncenter.org/document/some-slug",
        ["https://test.example.org/document/some-slug"],
    )
