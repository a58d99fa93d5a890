"""The query language's tree: what archive.query parses a query into, and the error it raises
(plain data, shared by the parser, the search service and every engine)."""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import field as _field  # Term has a `field` of its own
from datetime import date


class SearchError(ValueError):
    """A readable message for the user (an HTTP 400 in the API)."""


@dataclass(frozen=True)
class Term:
    text: str
    field: str | None = None  # None: title, text, subjects and names
    prefix: bool = False
    fuzzy: int = 0
    quoted: bool = _field(default=False, compare=False)  # typed in quotes: searched as typed


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    field: str | None = None
    quoted: bool = _field(default=False, compare=False)  # typed in quotes (not thirty-eighth)


@dataclass(frozen=True)
class Person:
    """A name form resolved to a person: their documents, plus the typed words in the text."""

    person_id: str
    typed: str
    roles: tuple[str, ...] = ()  # () = any role (sender, recipient, via, copies_to)
    text_forms: tuple[str, ...] = ()  # name forms also searched in the text


@dataclass(frozen=True)
class Exact:
    """An exact keyword value: type:telegram, language:ru, archive:APRF, fond:45."""

    field: str
    value: str


@dataclass(frozen=True)
class DateRange:
    start: date | None
    end: date | None


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: object


@dataclass(frozen=True)
class All:
    """Every document (an empty query, or one made only of negations and dates)."""


@dataclass
class Parsed:
    node: object
    notes: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # positive free words, for "did you mean"
    strict: bool = False  # an explicit AND: every word must match (no relaxing)
    labels: dict = field(default_factory=dict)  # expanded node -> the words typed for it
