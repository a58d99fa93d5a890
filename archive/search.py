"""The search service: one plain-Python API for the CLI, the web app and exports.

`SearchService.search(SearchRequest)` parses the query (archive.query) into a plan that the
configured engine (archive.engines: Whoosh by default) matches, filters, counts and orders, then
labels the facets and highlights only the page shown (archive.snippets). One opened index per
build is shared by all threads; the current build is checked at most once a second, and results
are cached per (build, request): keyed by the build id, never by the generation number alone,
which starts again at 1 when the index is deleted and rebuilt.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import date

from . import analysis, deadline, engines, generations, lemmas, query
from .archives import archive_names
from .deadline import SearchTimeout
from .engines import FACET_LIMIT, SearchIndex
from .expansion import Expander
from .people import PeopleAuthority, normalize_name
from .query import SearchError
from .search_request import (  # noqa: F401 - the request is part of this module's API
    DEFAULT_PAGE_SIZE,
    FACETS,
    MAX_PAGE_SIZE,
    SORTS,
    SearchRequest,
    is_month,
    parameter_at_fault,
    renamed,
)
from .settings import Config
from .snippets import Marker, highlight, opening
from .vocabulary import Vocabulary

__all__ = ["FACETS", "SORTS", "SearchError", "SearchTimeout", "SearchUnavailable", "SearchRequest",
           "Name", "Hit", "FacetBucket", "SearchResult", "SearchService"]

SUGGESTED_WORDS = 8  # rare words of a query that "did you mean" looks at (each reads a letter's words)
LANGUAGES = {"ru": "Russian", "zh": "Chinese", "ko": "Korean", "en": "English", "de": "German",
             "fr": "French", "ja": "Japanese"}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


class SearchUnavailable(RuntimeError):
    """There is no built index to search yet (run `archive build`)."""


# -- the result ------------------------------------------------------------------------------

@dataclass
class Name:
    id: str
    name: str


@dataclass
class Hit:
    id: str
    title: str
    date: str  # as written, e.g. "1950-05"
    date_earliest: str  # ISO
    type: str
    sender: list[Name]
    recipient: list[Name]
    via: list[Name]
    snippet: str  # HTML: text escaped, matches wrapped in <mark>...</mark>
    score: float | None = None
    date_latest: str = ""  # ISO (added: the end of a month, year or interval)


@dataclass
class FacetBucket:
    value: str
    label: str
    count: int
    selected: bool
    toggle: list[tuple[str, str]]  # the page's query parameters with this value toggled (page 1)


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    page: int
    page_size: int
    facets: dict[str, list[FacetBucket]]
    sort: str
    query_note: str | None = None
    suggestions: list[str] = field(default_factory=list)
    generation: int = 0  # added: the index generation that answered
    pages: int = 0  # added: the number of pages
    pictures: object | None = None  # archive.pictures.Pictures, when asked for (not in to_dict)

    def to_dict(self) -> dict:
        data = asdict(replace(self, pictures=None))
        data.pop("pictures")
        for buckets in data["facets"].values():
            for bucket in buckets:
                bucket["toggle"] = [list(pair) for pair in bucket["toggle"]]
        return data


# -- the service -----------------------------------------------------------------------------

@dataclass
class _Generation:
    build: generations.BuildState
    index: SearchIndex
    people: PeopleAuthority
    archives: dict[str, str]  # normalised archive name -> id
    places: Vocabulary | None = None
    terms: Vocabulary | None = None
    lemmas: lemmas.Lemmas | None = None

    def parse(self, q: str) -> query.Parsed:
        return query.parse(q, self.people, self.archives,
                           Expander(self.places, self.terms, self.lemmas))

    @property
    def number(self) -> int:
        return self.build.generation


class SearchService:
    """Searches the current index generation; safe to share between threads.

    Raises SearchUnavailable when nothing has been built yet, and CatalogUnavailable (from
    archive.generations) when the catalog database cannot be read.
    """

    def __init__(self, config: Config, *, cache_size: int = 256, refresh_seconds: float = 1.0):
        self.config = config
        self._catalog = None  # archive.catalog.Catalog, opened only when needed
        self._current: _Generation | None = None
        self._checked = 0.0
        self._refresh = refresh_seconds
        self._lock = threading.Lock()
        self._retired: list[tuple[float, object]] = []
        self._cache: OrderedDict = OrderedDict()
        self._pictures_cache: OrderedDict = OrderedDict()
        self._cache_size = cache_size

    # generations

    def generation(self) -> int:
        return self._state().number

    def _state(self) -> _Generation:
        now = time.monotonic()
        current = self._current
        if current is not None and now - self._checked < self._refresh:
            return current
        with self._lock:
            if self._current is not None and now - self._checked < self._refresh:
                return self._current
            build = generations.sqlite_state(self.config.database_url)
            if build is None:
                build = generations.current_state(self._open_catalog())
            if self._current is None or self._current.build != build:
                self._swap(build, now)
            self._checked = now
            self._close_retired(now)
            return self._current

    def _swap(self, build: generations.BuildState, now: float) -> None:
        search_engine = engines.engine(self.config)  # the one place a search chooses it
        path = search_engine.local_generation(build)
        if path is None:
            raise SearchUnavailable("no index yet: run `archive build` first")
        written_by = generations.load_build_id(path)
        if written_by is not None and written_by != build.build_id:
            # the folder is not the one the catalog names (deleted and being rebuilt)
            raise SearchUnavailable("the index is being rebuilt: try again in a moment")
        saved = generations.load_authorities(path)
        if saved is None:  # a generation built before its authorities were saved with it
            catalog = self._open_catalog()
            saved = catalog.people(), catalog.archives()
        people = PeopleAuthority(saved[0])
        archives = {normalize_name(name): a.id for a in saved[1] for name in archive_names(a)}
        for cited in generations.load_cited_archives(path):  # archives not in the authority
            archives.setdefault(normalize_name(cited), cited)
        places, terms = generations.load_vocabularies(path)
        generation = _Generation(build, search_engine.open(path), people, archives, places, terms,
                                 lemmas.load(path))
        if self._current is not None:
            # requests in flight may still read the old one: close it a little later
            self._retired.append((now, self._current.index))
        self._current = generation

    def _open_catalog(self):
        """The catalog, for what the SQLite fast path does not cover (imports SQLAlchemy)."""
        if self._catalog is None:
            from .catalog import Catalog

            self._catalog = Catalog(self.config.database_url)
        return self._catalog

    def _close_retired(self, now: float) -> None:
        keep = []
        for retired_at, index in self._retired:
            if now - retired_at > 30:
                index.close()
            else:
                keep.append((retired_at, index))
        self._retired = keep

    def close(self) -> None:
        with self._lock:
            for _, index in self._retired:
                index.close()
            self._retired = []
            if self._current is not None:
                self._current.index.close()
                self._current = None
            if self._catalog is not None:
                self._catalog.dispose()
                self._catalog = None
            self._cache.clear()
            self._pictures_cache.clear()

    # searching

    def search(self, request: SearchRequest, pictures: bool = False) -> SearchResult:
        """Raises SearchError for a malformed query or parameter, SearchUnavailable without an index,
        SearchTimeout when the search runs past the deadline (ARCHIVE_SEARCH_DEADLINE).

        `pictures`: also compute the result set's timeline, network and routes (archive.pictures).
        """
        request.validate()
        request = request.normalized()
        state = self._state()
        key = (state.build, request, pictures)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        with deadline.within(self.config.search_deadline):
            result = self._search(state, request, pictures)
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return result

    def _search(self, state: _Generation, request: SearchRequest, pictures: bool = False
                ) -> SearchResult:
        start = (request.page - 1) * request.page_size
        plan = self._plan(state, request, offset=start, limit=request.page_size)
        if pictures:
            drawn = self._cached_pictures(state, request)
            plan.pictures = None if drawn is not None else (state.people, state.places)
        results = state.index.search(plan)
        if pictures and drawn is None:
            drawn = self._keep_pictures(state, request, results.pictures)
        total = results.total
        hits = self._hits(state, results.found, plan.node)
        deadline.check()
        suggestions = self._suggestions(state, request, plan.parsed, total)
        deadline.check()
        return SearchResult(
            hits=hits, total=total, page=request.page, page_size=request.page_size,
            facets=self._facets(state, request, results.counts), sort=plan.sort,
            query_note=" ".join(plan.parsed.notes) or None, suggestions=suggestions,
            generation=state.number, pages=-(-total // request.page_size),
            pictures=drawn if pictures else None,
        )

    # The pictures of the whole result set are the same on every page (their links go to page
    # 1), so they are kept without the page number (page 2 of a search draws nothing again).

    def _cached_pictures(self, state: _Generation, request: SearchRequest):
        key = (state.build, replace(request, page=1))
        with self._lock:
            if key in self._pictures_cache:
                self._pictures_cache.move_to_end(key)
                return self._pictures_cache[key]
        return None

    def _keep_pictures(self, state: _Generation, request: SearchRequest, drawn):
        key = (state.build, replace(request, page=1))
        with self._lock:
            self._pictures_cache[key] = drawn
            while len(self._pictures_cache) > self._cache_size:
                self._pictures_cache.popitem(last=False)
        return drawn

    def _plan(self, state: _Generation, request: SearchRequest, offset: int = 0,
              limit: int | None = None) -> engines.Plan:
        """Parse the query and split its dates out: what the engine runs."""
        deadline.check()
        parsed = state.parse(request.q)
        node, start, end = _split_dates(parsed.node, *request.date_range())
        parsed.node = node
        has_query = not isinstance(node, query.All)
        sort = request.sort or ("relevance" if has_query else "date")
        if sort == "relevance" and not has_query:
            sort = "date"
        return engines.Plan(parsed, start, end, dict(request.filters), sort, offset, limit,
                            request=request)

    def iter_ids(self, request: SearchRequest) -> Iterator[str]:
        """Every matching id in the request's sort order, ignoring paging (for exports)."""
        request.validate()
        state = self._state()
        with deadline.within(self.config.search_deadline):
            plan = self._plan(state, request.normalized())
            ids = state.index.ids(plan)
            first = next(ids, None)  # matched within the deadline; reading the rest is not
        if first is not None:
            yield first
            yield from ids

    def more_like_this(self, doc_id: str, limit: int = 5) -> list[Hit]:
        """Documents whose text is most like this one's ([] for an unknown id)."""
        state = self._state()
        return self._hits(state, state.index.more_like(doc_id, limit), query.All())

    def person_id(self, name: str, role: str = "sender") -> str:
        """The id of the person or body a name form stands for (for sender=... filters).

        Raises SearchError naming `role` (with the nearest known names) when no one has that name.
        """
        node = query.parse(f'{role}:"{name}"', self._state().people).node
        return node.person_id if isinstance(node, query.Person) else node.items[0].person_id

    # building the result

    def _hits(self, state: _Generation, found: list[engines.Found], node) -> list[Hit]:
        if not found:
            return []
        marks = state.index.highlight_terms(node)
        memo = Marker(*marks)  # the page's words, each analysed once
        hits = []
        for doc in found:
            deadline.check()
            stored = doc.stored
            snippet = highlight(stored.get("text", ""), *marks, memo=memo) or \
                highlight(stored.get("title", ""), *marks, whole=True, memo=memo)
            hits.append(Hit(
                id=doc.id, title=stored.get("title", ""), date=stored.get("date_text", ""),
                date_earliest=doc.date_start.isoformat(),
                type=stored.get("type", ""),
                sender=self._names(state, stored.get("sender")),
                recipient=self._names(state, stored.get("recipient")),
                via=self._names(state, stored.get("via")),
                snippet=snippet or opening(stored.get("summary", "")),
                score=doc.score,
                date_latest=doc.date_end.isoformat(),
            ))
        return hits

    @staticmethod
    def _names(state: _Generation, ids: str | None) -> list[Name]:
        return [Name(pid, state.people.get(pid).name if pid in state.people else pid)
                for pid in (ids or "").split(",") if pid]

    def _facets(self, state: _Generation, request: SearchRequest,
                counts: dict[str, dict[str, int]]) -> dict[str, list[FacetBucket]]:
        toggle = _Toggles(request)
        out = {}
        for name in FACETS:
            selected = set(request.selected(name))
            buckets = [(value, count) for value, count in counts.get(name, {}).items() if count]
            present = {v for v, _ in buckets}
            buckets += [(value, 0) for value in selected - present]
            labelled = [(value, facet_label(name, value, state.people, state.places), count)
                        for value, count in buckets]
            labelled.sort(key=lambda b: (-b[2], b[1].casefold(), b[0]))
            shown = labelled[:FACET_LIMIT] + [b for b in labelled[FACET_LIMIT:] if b[0] in selected]
            out[name] = [FacetBucket(value, label, count, value in selected,
                                     toggle(name, value))
                         for value, label, count in shown]
        return out

    def _suggestions(self, state: _Generation, request: SearchRequest, parsed: query.Parsed,
                     total: int) -> list[str]:
        if total >= 5 or not parsed.words:
            return []
        index = state.index
        replacements: dict[str, str] = {}
        rare = 0
        for word in dict.fromkeys(parsed.words):
            deadline.check()
            frequency = index.frequency(word)
            if frequency > 2:
                continue
            rare += 1
            if rare > SUGGESTED_WORDS:
                break
            better = _name_suggestion(state.people, word)
            if better is None:
                candidates = [w for w, n in index.similar_words(word) if n > frequency]
                better = candidates[0] if candidates else None
            if better and analysis.fold(better) != analysis.fold(word):
                replacements[word] = better
        if not replacements:
            return []
        text = request.q
        for word, better in replacements.items():
            text = _replace_word(text, word, better)
        return [text] if text != request.q else []


class _Toggles:
    """`request.toggled(facet, value).to_params()` for every bucket of a page, without building
    a request per bucket (a page shows up to 9 x 50 buckets)."""

    def __init__(self, request: SearchRequest):
        request = request.normalized()
        head = [("q", request.q)] if request.q else []
        tail = replace(request, q="", filters=(), page=1).to_params()
        self.selected = dict(request.filters)
        params = [[(name, v) for v in self.selected.get(name, ())] for name in FACETS]
        # the parameters before and after each facet's own, which are the ones a toggle changes
        self.around = {name: (head + [p for ps in params[:i] for p in ps],
                              [p for ps in params[i + 1:] for p in ps] + tail)
                       for i, name in enumerate(FACETS)}

    def __call__(self, facet: str, value: str) -> list[tuple[str, str]]:
        before, after = self.around[facet]
        chosen = sorted(v for v in set(self.selected.get(facet, ())) ^ {value} if v)
        return before + [(facet, v) for v in chosen] + after


def _split_dates(node, start: date | None, end: date | None):
    """Move date: terms that every match must satisfy into the date filter."""
    items = node.items if isinstance(node, query.And) else (node,)
    ranges = [i for i in items if isinstance(i, query.DateRange)]
    if not ranges:
        return node, start, end
    for r in ranges:
        if r.start and (start is None or r.start > start):
            start = r.start
        if r.end and (end is None or r.end < end):
            end = r.end
    rest = tuple(i for i in items if not isinstance(i, query.DateRange))
    if not rest:
        return query.All(), start, end
    return (rest[0] if len(rest) == 1 else query.And(rest)), start, end


def _name_suggestion(people: PeopleAuthority, word: str) -> str | None:
    import difflib

    forms = people.forms()
    close = difflib.get_close_matches(normalize_name(word), forms, n=1, cutoff=0.75)
    if not close:
        return None
    person = people.get(forms[close[0]])
    return person.family or person.name


def _replace_word(text: str, word: str, better: str) -> str:
    return re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", better, text, count=1, flags=re.IGNORECASE)


def facet_label(facet: str, value: str, people: PeopleAuthority,
                places: Vocabulary | None = None) -> str:
    if facet in ("sender", "recipient", "via"):
        return people.get(value).name if value in people else value
    if facet in ("place_from", "place_to"):
        return places.get(value).name if places is not None and value in places else value
    if facet == "month" and is_month(value):
        return f"{_MONTHS[int(value[5:]) - 1]} {value[:4]}"
    if facet == "type":
        return value.replace("-", " ").capitalize()
    if facet == "language":
        return LANGUAGES.get(value, value)
    return value
