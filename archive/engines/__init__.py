"""The search-engine seam: what the search service and the build need from an engine, and the one
function that picks the engine from the settings.

An engine is a package under `archive/engines/` that alone imports its library (Whoosh today;
OpenSearch is the next step). Everything above the seam (the query language, the name authority,
the `SearchRequest`/`SearchResult` envelope, the web pages, API, CLI and exports) talks only to
the protocols below, and gets an engine only from `engine(config)`.

A search works on document numbers (0..size-1 of one generation): the engine matches and scores
a parsed query (`archive.query` nodes) and hands out the generation's `Columns` (archive.facets:
ids, date spans, facet values and live documents by document number), over which the search
service filters by facets and date overlap and counts the facets; then the engine gives the
stored values, highlight terms, similar documents and spelling suggestions for the page.

This module is imported by every search (a cold `archive search` too), so it imports no engine:
the chosen engine's package loads its library only when an index is opened or written.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ..settings import Config, SettingError

if TYPE_CHECKING:  # for the annotations only: none of these is loaded by this module
    import numpy as np

    from ..facets import Columns
    from ..people import PeopleAuthority
    from ..records import Record
    from ..vocabulary import Vocabulary


@runtime_checkable
class SearchIndex(Protocol):
    """One index generation opened for searching; safe to share between threads."""

    columns: Columns  # ids, date spans, facet values, live documents by document number

    def match(self, node, *, scored: bool) -> tuple[np.ndarray, np.ndarray | None]:
        """The sorted document numbers matching a parsed query (`archive.query` node), and
        their relevance scores when `scored`. Raises query.SearchError for a query too costly
        to run (too many expansions) and deadline.SearchTimeout when out of time."""
        ...

    def highlight_terms(self, node) -> tuple[set[str], list[str], set[str]]:
        """What to mark in a snippet (archive.snippets): analysed terms, folded prefixes,
        folded words a fuzzy term matched."""
        ...

    def stored(self, docnums: Iterable[int]) -> list[dict]:
        """The stored values of documents (title, text, sender, date_text, summary, ...)."""
        ...

    def more_like(self, docnum: int, limit: int) -> list[int]:
        """Document numbers of documents like one (the document itself may be among them)."""
        ...

    def frequency(self, word: str) -> int:
        """In how many documents a free word occurs (for "did you mean")."""
        ...

    def similar_words(self, word: str, limit: int = 3) -> list[tuple[str, int]]:
        """Index words near a word's spelling with their document frequencies, most frequent
        first (the suggestions' lexicon)."""
        ...

    def close(self) -> None:
        ...


@runtime_checkable
class Engine(Protocol):
    """Where an engine keeps its generations, and how a build writes and a search opens one.

    A generation's folder holds what the build writes beside the index (build id, authorities,
    lemmas: archive.generations), whatever the engine keeps inside or outside it."""

    def generations_dir(self) -> Path:
        """The folder holding one sub-folder per generation (and a build's scratch folders)."""
        ...

    def generation_path(self, generation: int) -> Path:
        ...

    def create(self, path: Path, records: Iterable[Record], people: PeopleAuthority,
               places: Vocabulary | None = None) -> int:
        """Write a full index into the new folder `path`; returns the number of documents."""
        ...

    def update(self, path: Path, changed: Iterable[Record], removed: Iterable[str],
               people: PeopleAuthority, places: Vocabulary | None = None) -> None:
        """Apply changes to `path`, a copy of the current generation's folder (never the one
        being served): add or replace `changed`, delete the ids in `removed`."""
        ...

    def document_count(self, path: Path) -> int:
        ...

    def open(self, path: Path) -> SearchIndex:
        ...


SEARCH_URL_FORMS = "http(s)://host:port[/prefix] for OpenSearch, or nothing for Whoosh"


def engine(config: Config) -> Engine:
    """The configured engine: Whoosh under ARCHIVE_INDEX_DIR unless ARCHIVE_SEARCH_URL is set.

    Raises SettingError for a search URL (the OpenSearch engine is not built yet)."""
    if config.search_url:
        raise SettingError(_search_url_problem(config.search_url))
    from .whoosh import WhooshEngine

    return WhooshEngine(config.index_dir)


def _search_url_problem(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return (f'ARCHIVE_SEARCH_URL: "{url}": the OpenSearch engine is not built yet; unset '
                "ARCHIVE_SEARCH_URL to search with Whoosh under ARCHIVE_INDEX_DIR")
    return f'ARCHIVE_SEARCH_URL: "{url}" is not a search address; expected {SEARCH_URL_FORMS}'
