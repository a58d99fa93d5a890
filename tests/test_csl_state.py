"""The citation engine is shared by the process but keeps no document between renders (#14):
a document rendered again with other data (a rebuild, or another archive in the same process
with the same ids) is printed from the data given, never from what the engine saw first."""

from __future__ import annotations

from dataclasses import replace

from archive import citations
from archive.browse import Browser
from web.pages import CITE_STYLES

DOC = "1950-05-14-stalin-to-mao-no-8600"


def test_the_same_id_with_another_title_is_cited_with_that_title(built_archive):
    browser = Browser(built_archive)
    try:
        record = browser.catalog.get(DOC)
        people, archives = browser.people_map(), browser.archive_authority()

        def cite(title: str) -> list[str]:
            return [citations.format_citation(replace(record, title=title), people, archives,
                                              built_archive.base_url, style, form)
                    for _key, _label, style, form in CITE_STYLES]

        first, second = cite("First version of the title"), cite("Second version of the title")
        assert all("First" in c for c in first) and all("Second" in c for c in second)
        assert [c.replace("Second", "First") for c in second] == first
        assert cite("First version of the title") == first
    finally:
        browser.close()
