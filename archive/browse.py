"""The read model of the web reader: what each page shows, as plain dataclasses.

Plain Python over the catalog (no Flask, no SQLAlchemy here). Data that every page needs (names,
archives, sets, home statistics, the archive tree) is cached per build (its build id, see
archive.generations), so a rebuilt archive is picked up by the next request without a restart,
even one rebuilt from scratch. Unknown ids raise NotFound; a catalog that cannot be read raises
archive.generations.CatalogUnavailable.
"""

from __future__ import annotations

import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import markdown
import nh3

from . import catalog as queries
from . import generations
from .archives import ArchiveAuthority
from .catalog import Catalog
from .people import PeopleAuthority
from .records import ROLES, DocumentSet, Person, Record
from .ref_formats import format_long, format_russian, format_short
from .settings import Config

TOP_CORRESPONDENTS = 10


class NotFound(LookupError):
    """No document, person, archive or set with this id."""


@dataclass(frozen=True)
class Name:
    id: str
    name: str


@dataclass
class DocLink:
    """A document as lists show it: date as written, sender -> recipient, title."""

    id: str
    title: str
    type: str
    date: str
    date_earliest: str
    number: str | None = None
    sender: list[Name] = field(default_factory=list)
    recipient: list[Name] = field(default_factory=list)


@dataclass
class Month:
    month: str  # "1950-05"
    count: int


@dataclass
class PersonCount:
    person: Name
    kind: str
    sent: int
    received: int
    total: int  # documents naming the person in any role


@dataclass
class Home:
    documents: int
    correspondents: int
    archives: int
    first_date: str | None
    last_date: str | None
    months: list[Month]
    top_correspondents: list[PersonCount]
    sets: list[DocumentSet]
    generation: int


@dataclass
class FormattedRef:
    archive: str
    archive_name: str
    cited: str
    short: str
    long: str
    russian: str


@dataclass
class DocumentView:
    record: Record
    names: dict[str, list[Name]]  # role -> resolved names
    refs: list[FormattedRef]
    body_html: str
    previous: DocLink | None
    next: DocLink | None
    replies_to: list[DocLink]
    replied_by: list[DocLink]
    sets: list[DocumentSet]


@dataclass
class Correspondent:
    person: Name
    to: int  # documents the person sent them
    from_: int  # documents they sent the person

    @property
    def total(self) -> int:
        return self.to + self.from_


@dataclass
class PersonView:
    person: Person
    counts: PersonCount
    documents: list[tuple[DocLink, list[str]]]  # each document with the person's roles in it
    months: list[Month]
    correspondents: list[Correspondent]


@dataclass
class TreeNode:
    """One level of the archive tree: an archive, fond, opis or delo, with its document count."""

    level: str  # archive | fond | opis | delo
    value: str | None  # None: the part is not cited
    label: str
    count: int
    children: list[TreeNode] = field(default_factory=list)
    documents: list[DocLink] = field(default_factory=list)  # at delo level only


@dataclass
class SetView:
    set: DocumentSet
    documents: list[DocLink]


@dataclass
class _Snapshot:
    build: generations.BuildState
    people: dict[str, Person]
    archives: ArchiveAuthority
    sets: list[DocumentSet]
    role_counts: dict[str, Counter]


def render_body(text: str) -> str:
    """Markdown to HTML, then sanitised by nh3: no script, event handler or javascript: URL
    survives, whatever the source holds."""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(html, link_rel="noopener noreferrer nofollow")


class Browser:
    """Page data for the web reader, read from the catalog at `config.database_url`."""

    def __init__(self, config: Config):
        self.config = config
        self.catalog = Catalog(config.database_url)
        self._lock = threading.Lock()
        self._snapshot: _Snapshot | None = None
        self._cache: dict[str, object] = {}

    def close(self) -> None:
        self.catalog.dispose()

    # -- per-generation data ----------------------------------------------------------------

    def build(self) -> generations.BuildState:
        """The build the catalog names now (what every cache of its data is keyed by)."""
        return generations.current_state(self.catalog)

    def generation(self) -> int:
        return self.build().generation

    def _data(self) -> _Snapshot:
        build = self.build()
        snapshot = self._snapshot
        if snapshot is not None and snapshot.build == build:
            return snapshot
        with self._lock:
            if self._snapshot is None or self._snapshot.build != build:
                counts: dict[str, Counter] = defaultdict(Counter)
                for person_id, role, n in queries.role_counts(self.catalog):
                    counts[person_id][role] += n
                self._snapshot = _Snapshot(
                    build=build,
                    people={p.id: p for p in self.catalog.people()},
                    archives=ArchiveAuthority(self.catalog.archives()),
                    sets=self.catalog.sets(),
                    role_counts=dict(counts),
                )
                self._cache = {}
            return self._snapshot

    def _cached(self, key: str, build):
        snapshot = self._data()
        value = self._cache.get(key)
        if value is None:
            value = build(snapshot)
            self._cache[key] = value
        return value

    def people_map(self) -> Mapping[str, Person]:
        return self._data().people

    def archive_authority(self) -> ArchiveAuthority:
        return self._data().archives

    def person_id_for(self, name: str) -> str | None:
        """The id of the person any form of `name` stands for (a variant, a pseudonym, hanja or
        traditional characters), or None."""
        authority = self._cached("authority", lambda data: PeopleAuthority(list(data.people.values())))
        found = authority.resolve(name[:200])
        return found.id if found else None

    def name(self, person_id: str) -> Name:
        person = self._data().people.get(person_id)
        return Name(person_id, person.name if person else person_id)

    # -- pages ------------------------------------------------------------------------------

    def home(self) -> Home:
        return self._cached("home", self._home)

    def _home(self, data: _Snapshot) -> Home:
        span = queries.date_span(self.catalog)
        months = _month_series(queries.date_counts(self.catalog))
        people = self.people()
        top = sorted((p for p in people if p.sent + p.received),
                     key=lambda p: (-(p.sent + p.received), p.person.name))
        used_archives = {row[0] for row in queries.reference_rows(self.catalog)}
        return Home(
            documents=self.catalog.count(),
            correspondents=sum(1 for p in people if p.sent + p.received),
            archives=len(used_archives),
            first_date=span[0].isoformat() if span else None,
            last_date=span[1].isoformat() if span else None,
            months=months,
            top_correspondents=top[:TOP_CORRESPONDENTS],
            sets=list(data.sets),
            generation=data.build.generation,
        )

    def document(self, doc_id: str) -> DocumentView:
        """Raises NotFound."""
        data = self._data()
        record = self.catalog.get(doc_id)
        if record is None:
            raise NotFound(f"no document with id {doc_id!r}")
        before, after = queries.neighbours(self.catalog, doc_id)
        replied = queries.replied_by(self.catalog, doc_id)
        links = self.links([i for i in (before, after) if i] + record.replies_to + replied)
        return DocumentView(
            record=record,
            names={role: [self.name(p) for p in getattr(record, role)] for role in ROLES},
            refs=[_formatted(ref, data.archives) for ref in record.archive_refs],
            body_html=render_body(record.body),
            previous=links.get(before) if before else None,
            next=links.get(after) if after else None,
            replies_to=[links[i] for i in record.replies_to if i in links],
            replied_by=[links[i] for i in replied if i in links],
            sets=[s for s in data.sets if doc_id in s.documents],
        )

    def source_path(self, doc_id: str):
        """The document's Markdown file, only if it lies inside the documents folder. NotFound."""
        record = self.catalog.get(doc_id)
        if record is None:
            raise NotFound(f"no document with id {doc_id!r}")
        root = self.config.documents_dir.resolve()
        path = (root / record.path).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise NotFound(f"no source file for document {doc_id!r}")
        return path

    def people(self) -> list[PersonCount]:
        """Everyone in the name authority with their counts, by name."""
        data = self._data()
        rows = [self._person_count(p, data) for p in data.people.values()]
        return sorted(rows, key=lambda p: p.person.name.casefold())

    def _person_count(self, person: Person, data: _Snapshot) -> PersonCount:
        counts = data.role_counts.get(person.id, Counter())
        return PersonCount(Name(person.id, person.name), person.kind, counts["sender"],
                           counts["recipient"], sum(counts.values()))

    def person(self, person_id: str) -> PersonView:
        """Raises NotFound."""
        data = self._data()
        person = data.people.get(person_id)
        if person is None:
            raise NotFound(f"no person with id {person_id!r}")
        roles: dict[str, list[str]] = {}
        for doc_id, role in queries.person_documents(self.catalog, person_id):
            roles.setdefault(doc_id, []).append(role)
        links = self.links(roles)
        docs = [(links[i], sorted(r, key=ROLES.index)) for i, r in roles.items() if i in links]
        by_other: dict[str, Correspondent] = {}
        for other, direction, n in queries.correspondents(self.catalog, person_id):
            entry = by_other.setdefault(other, Correspondent(self.name(other), 0, 0))
            if direction == "to":
                entry.to += n
            else:
                entry.from_ += n
        correspondents = sorted(by_other.values(), key=lambda c: (-c.total, c.person.name))
        months = Counter(link.date_earliest[:7] for link, _ in docs)
        return PersonView(
            person=person,
            counts=self._person_count(person, data),
            documents=docs,
            months=_fill_months(months),
            correspondents=correspondents,
        )

    def archive_tree(self) -> list[TreeNode]:
        """archive -> fond -> opis -> delo -> documents, with distinct-document counts."""
        return self._cached("tree", self._tree)

    def archive_node(self, archive_id: str) -> TreeNode:
        """One archive's subtree. Raises NotFound."""
        for node in self.archive_tree():
            if node.value == archive_id:
                return node
        raise NotFound(f"no archive with id {archive_id!r} in the collection")

    def _tree(self, data: _Snapshot) -> list[TreeNode]:
        rows = queries.reference_rows(self.catalog)
        links = self.links(row[4] for row in rows)
        nested: dict = {}
        for archive, fond, opis, delo, doc_id in rows:
            bucket = (nested.setdefault(archive, {}).setdefault(fond, {})
                      .setdefault(opis, {}).setdefault(delo, {}))
            if doc_id in links:
                bucket[doc_id] = links[doc_id]
        names = {a.id: a.name_en for a in data.archives}
        return [_node("archive", key, value, names) for key, value in sorted(nested.items())]

    def sets(self) -> list[DocumentSet]:
        return list(self._data().sets)

    def set(self, set_id: str) -> SetView:
        """Raises NotFound."""
        found = next((s for s in self._data().sets if s.id == set_id), None)
        if found is None:
            raise NotFound(f"no set with id {set_id!r}")
        links = self.links(found.documents)
        return SetView(found, [links[i] for i in found.documents if i in links])

    def links(self, ids: Iterable[str]) -> dict[str, DocLink]:
        """id -> DocLink for the ids that exist (order of the result is date order)."""
        rows = queries.document_summaries(self.catalog, ids)
        people: dict[str, dict[str, list[Name]]] = defaultdict(lambda: defaultdict(list))
        for doc_id, role, _position, person_id in queries.document_roles(self.catalog,
                                                                         [r["id"] for r in rows]):
            people[doc_id][role].append(self.name(person_id))
        return {
            row["id"]: DocLink(
                id=row["id"], title=row["title"], type=row["type"], date=row["date_text"],
                date_earliest=_iso(row["date_earliest"]), number=row["number"],
                sender=list(people[row["id"]]["sender"]),
                recipient=list(people[row["id"]]["recipient"]),
            )
            for row in rows
        }


def _formatted(ref, archives: ArchiveAuthority) -> FormattedRef:
    # An archive not in the authority (or dropped from it since the build) shows as cited.
    name = archives.lookup(ref.archive).name_en
    long, russian = format_long(ref, archives), format_russian(ref, archives)
    return FormattedRef(ref.archive, name, ref.cited, format_short(ref), long, russian)


_LEVELS = ("archive", "fond", "opis", "delo")
_NOT_CITED = {"fond": "fond not cited", "opis": "opis not cited", "delo": "delo not cited"}
_PREFIX = {"fond": "f.", "opis": "op.", "delo": "d."}


def _node(level: str, key, value: dict, names: dict[str, str]) -> TreeNode:
    if level == "archive":
        label = f"{names.get(key, key)} ({key})" if names.get(key) else key
    else:
        label = f"{_PREFIX[level]} {key}" if key is not None else _NOT_CITED[level]
    if level == "delo":
        docs = sorted(value.values(), key=lambda d: (d.date_earliest, d.id))
        return TreeNode(level, key, label, len(docs), documents=docs)
    child = _LEVELS[_LEVELS.index(level) + 1]
    children = [_node(child, k, v, names)
                for k, v in sorted(value.items(), key=lambda kv: _part_key(kv[0]))]
    return TreeNode(level, key, label, len(_doc_ids(value)), children=children)


def _doc_ids(value: dict) -> set[str]:
    found: set[str] = set()
    for key, child in value.items():
        if isinstance(child, dict):
            found |= _doc_ids(child)
        else:
            found.add(key)
    return found


def _part_key(part: str | None) -> tuple:
    """Natural order for "5", "5a", "45", "059a"; uncited parts last. Numbers compare by
    length, then digit by digit: no int(), which refuses more than 4,300 digits (a catalog
    built before references were bounded may hold such a part)."""
    if part is None:
        return (2, 0, "", "")
    digits = "".join(str(unicodedata.decimal(c)) for c in part if c.isdecimal()).lstrip("0")
    return (0, len(digits), digits, part) if any(c.isdecimal() for c in part) else (1, 0, "", part)


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _month_series(day_counts: Iterable[tuple[object, int]]) -> list[Month]:
    months: Counter = Counter()
    for day, n in day_counts:
        months[_iso(day)[:7]] += n
    return _fill_months(months)


def _fill_months(months: Mapping[str, int]) -> list[Month]:
    """Every month from the first to the last, empty months included (a timeline has no gaps)."""
    if not months:
        return []
    first, last = min(months), max(months)
    year, month = int(first[:4]), int(first[5:7])
    series = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        series.append(Month(key, months.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return series
