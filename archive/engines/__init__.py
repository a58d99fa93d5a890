"""The search-engine seam: what the search service and the build need from an engine, and the one
function that picks the engine from the settings.

An engine is a package under `archive/engines/` that alone imports its library (Whoosh, the
embedded default; OpenSearch, for an archive past one machine). Everything above the seam (the
query language, the name authority, the `SearchRequest`/`SearchResult` envelope, the web pages,
API, CLI and exports) talks only to the protocols below, and gets an engine only from
`engine(config)`.

A search is a `Plan` (the parsed query, date overlap, facet filters, order, window): the engine
matches, filters, counts facets (multi-select: each facet under the others' filters), orders and
returns the window's documents as `Results`. Whoosh does it in numpy over its posting arrays and
facet columns (archive.engines.columnar); OpenSearch in its query DSL. Then the engine gives the
highlight terms, similar documents and spelling suggestions for the page.

This module is imported by every search (a cold `archive search` too), so it imports no engine:
the chosen engine's package loads its library only when an index is opened or written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ..settings import Config, SettingError
from .plan import FACET_LIMIT, Found, Plan, Results

__all__ = ["FACET_LIMIT", "Engine", "Found", "Plan", "Results", "SearchIndex", "engine",
           "index_path"]

if TYPE_CHECKING:  # for the annotations only: none of these is loaded by this module
    from ..generations import BuildState
    from ..people import PeopleAuthority
    from ..records import Record
    from ..vocabulary import Vocabulary


@runtime_checkable
class SearchIndex(Protocol):
    """One index generation opened for searching; safe to share between threads.

    Query nodes are archive.query's; words are analysed by archive.analysis (the same for every
    engine, so that both find the same documents). Raises query.SearchError for a query too
    costly to run (too many expansions) and deadline.SearchTimeout when out of time."""

    def search(self, plan: Plan) -> Results:
        """Match, filter, count facets, order, and give the plan's window of the matches
        (relaxed to the documents with most of the words when none has all: archive.relax)."""
        ...

    def ids(self, plan: Plan) -> Iterator[str]:
        """Every matching id in the plan's order (the window ignored; for exports)."""
        ...

    def more_like(self, doc_id: str, limit: int) -> list[Found]:
        """Documents whose text is most like one's, the most alike first (never itself; [] for an
        unknown id)."""
        ...

    def highlight_terms(self, node) -> tuple[set[str], list[str], set[str]]:
        """What to mark in a snippet (archive.snippets): analysed terms, folded prefixes,
        folded words a fuzzy term matched."""
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

    def stage(self, path: Path) -> None:
        """Called with a generation's finished folder (index written, build id, authorities and
        lemmas saved) just before the catalog commits it: an engine that keeps the generations'
        files in a store shared by every server saves them there, so that a server on another
        machine finds the generation as soon as the catalog names it. Whoosh: nothing to do."""
        ...

    def publish(self, path: Path, catalog) -> None:
        """Called once the catalog has committed the generation at `path` (its build is the
        current one), and again by an up-to-date build: make it the engine's current index, and
        bring what the engine holds in line with the catalog (`archive.catalog.Catalog`) after a
        killed build. Whoosh: nothing to do (the catalog alone names the current folder)."""
        ...

    def local_generation(self, build: BuildState) -> Path | None:
        """The folder of a committed generation's files (build id, authorities, lemmas) for a
        search service to open: the generation's own folder, or (an engine keeping them in a
        shared store) a local copy fetched for that build; None when there is none."""
        ...

    def open(self, path: Path) -> SearchIndex:
        ...


SEARCH_URL_FORMS = "http(s)://host:port[/prefix] for OpenSearch, or nothing for Whoosh"


class SearchEngineUnavailable(SettingError):
    """The search engine's server cannot be reached or answers with an error (OpenSearch): one
    sentence naming ARCHIVE_SEARCH_URL. Whoever meets it stops; a build has changed nothing
    readers use."""


def engine(config: Config) -> Engine:
    """The configured engine: Whoosh under ARCHIVE_INDEX_DIR unless ARCHIVE_SEARCH_URL names an
    OpenSearch cluster. No request is made and no engine library is imported here.

    Raises SettingError for a search URL that is not an OpenSearch address."""
    if config.search_url:
        from .opensearch import OpenSearchEngine

        return OpenSearchEngine(config)
    from .whoosh import WhooshEngine

    return WhooshEngine(config.index_dir)


def index_path(config: Config, generation: int) -> Path:
    """The folder of a generation, where the configured engine keeps it."""
    return engine(config).generation_path(generation)
