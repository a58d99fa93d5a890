"""What a search asks of an engine (`Plan`) and what it answers (`Results`): plain data shared by
the search service and every engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotations only
    from .. import query
    from ..pictures import Pictures
    from ..search_request import SearchRequest


@dataclass
class Plan:
    """One search as an engine runs it: the parsed query with its dates split out, the date
    overlap, the facet filters, the order and the window of the ordered matches wanted."""

    parsed: query.Parsed  # parsed.node: the query without its date terms (archive.query nodes)
    start: date | None  # the matches' date spans must overlap [start, end]
    end: date | None
    filters: dict[str, tuple[str, ...]]  # facet -> selected values (any of them: OR)
    sort: str  # "relevance", "date" (ascending) or "-date"; ties by id
    offset: int = 0
    limit: int | None = None  # None: every match (exports)
    request: SearchRequest | None = None  # what the pictures' links narrow
    pictures: tuple | None = None  # (people, places): also draw the result set's pictures

    @property
    def node(self):
        return self.parsed.node


@dataclass
class Found:
    """One matching document of a page: its id, stored values, score and date span."""

    id: str
    stored: dict  # title, text, sender, recipient, via, type, date_text, summary, ...
    score: float | None
    date_start: date
    date_end: date


@dataclass
class Results:
    total: int  # every match, not only the page's
    found: list[Found]  # the window [offset, offset + limit) of the matches in order
    counts: dict[str, dict[str, int]]  # facet -> value -> documents, each facet counted under
    #   the *other* facets' filters (multi-select); the most frequent values (at least FACET_LIMIT
    #   when there are that many) and every selected one that matches
    pictures: Pictures | None = None  # archive.pictures, when the plan asks for them


FACET_LIMIT = 50  # facet values an engine must count at least (the most frequent)
