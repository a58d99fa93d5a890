"""What a search asks for: the query, the selected facet values, dates, sort and page, parsed
from web/API parameters (SearchError for every bad value) and turned back into them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from . import facets, query
from .query import SearchError

FACETS = facets.FACETS
SORTS = ("relevance", "date", "-date")  # "date" = ascending, "-date" = descending
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (facet, selected values)
    date_from: str | None = None  # "1950", "1950-05", "1950-05-14"
    date_to: str | None = None
    sort: str | None = None  # None: relevance with a query, date without
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @classmethod
    def from_params(cls, params: Mapping[str, str | Sequence[str]]) -> SearchRequest:
        """Parse web/API query parameters; raises SearchError for every bad value.

        Unknown parameter names are ignored; empty values count as absent.
        """
        def values(name: str) -> list[str]:
            raw = params.get(name)
            if raw is None:
                return []
            items = [raw] if isinstance(raw, str) else list(raw)
            return [str(v).strip() for v in items if str(v).strip()]

        def single(name: str) -> str | None:
            found = values(name)
            return found[0] if found else None

        page = _int_param("page", single("page"), 1, None, 1)
        page_size = _int_param("page_size", single("page_size"), 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE)
        sort = single("sort")
        if sort is not None and sort not in SORTS:
            raise SearchError(f'sort: expected one of {", ".join(SORTS)}, got "{sort}"')
        filters = tuple((name, tuple(values(name))) for name in FACETS if values(name))
        request = cls(q=single("q") or "", filters=filters, date_from=single("date_from"),
                      date_to=single("date_to"), sort=sort, page=page, page_size=page_size)
        request.validate()
        return request.normalized()

    def validate(self) -> None:
        """Raise SearchError when a value is out of range (the query itself is parsed later)."""
        if self.sort is not None and self.sort not in SORTS:
            raise SearchError(f'sort: expected one of {", ".join(SORTS)}, got "{self.sort}"')
        if not isinstance(self.page, int) or self.page < 1:
            raise SearchError(f'page: expected a whole number from 1, got "{self.page}"')
        if not isinstance(self.page_size, int) or not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise SearchError(f'page_size: expected a whole number from 1 to {MAX_PAGE_SIZE}, '
                              f'got "{self.page_size}"')
        for name, selected in self.filters:
            if name not in FACETS:
                raise SearchError(f'unknown facet "{name}" (facets: {", ".join(FACETS)})')
            for value in selected:
                if name == "year" and not (len(value) == 4 and value.isdigit()):
                    raise SearchError(f'year: expected a year such as 1950, got "{value}"')
                if name == "month" and not is_month(value):
                    raise SearchError(f'month: expected a month such as 1950-05, got "{value}"')
        start, end = self.date_range()
        if start and end and end < start:
            raise SearchError(f"date_to: {self.date_to} is before date_from {self.date_from}")

    def date_range(self) -> tuple[date | None, date | None]:
        start = query.parse_date_bound(self.date_from, end=False, name="date_from") \
            if self.date_from else None
        end = query.parse_date_bound(self.date_to, end=True, name="date_to") if self.date_to else None
        return start, end

    def normalized(self) -> SearchRequest:
        """The same request in canonical form (facets in FACETS order, values sorted, deduplicated)."""
        merged: dict[str, set[str]] = {}
        for name, selected in self.filters:
            merged.setdefault(name, set()).update(v for v in selected if v)
        filters = tuple((name, tuple(sorted(merged[name]))) for name in FACETS if merged.get(name))
        return replace(self, q=" ".join(self.q.split()), filters=filters,
                       date_from=self.date_from or None, date_to=self.date_to or None)

    def selected(self, facet: str) -> tuple[str, ...]:
        return next((values for name, values in self.filters if name == facet), ())

    def toggled(self, facet: str, value: str) -> SearchRequest:
        chosen = set(self.selected(facet)) ^ {value}
        others = tuple(item for item in self.filters if item[0] != facet)
        filters = others + (((facet, tuple(sorted(chosen))),) if chosen else ())
        return replace(self, filters=filters, page=1).normalized()

    def to_params(self) -> list[tuple[str, str]]:
        """The query parameters of this request (defaults omitted, stable order)."""
        request = self.normalized()
        params: list[tuple[str, str]] = [("q", request.q)] if request.q else []
        for name, selected in request.filters:
            params += [(name, value) for value in selected]
        if request.date_from:
            params.append(("date_from", request.date_from))
        if request.date_to:
            params.append(("date_to", request.date_to))
        if request.sort:
            params.append(("sort", request.sort))
        if request.page != 1:
            params.append(("page", str(request.page)))
        if request.page_size != DEFAULT_PAGE_SIZE:
            params.append(("page_size", str(request.page_size)))
        return params


REQUEST_PARAMETERS = ("date_from", "date_to", "sort", "page", "page_size", "year", "month")


def parameter_at_fault(error: SearchError) -> str:
    """The request parameter a SearchError from `SearchRequest` names, or "q" (the query itself)."""
    name = str(error).split(":", 1)[0]
    return name if name in REQUEST_PARAMETERS else "q"


def renamed(message: str, names: Mapping[str, str]) -> str:
    """A SearchError message with parameter names said as the caller's user knows them (the
    CLI's `--limit` for page_size, a form's label); quoted values, as typed, are left alone."""
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")
    return "".join(part if part.startswith('"') else pattern.sub(lambda m: names[m[1]], part)
                   for part in re.split(r'("[^"]*")', message))


def _int_param(name: str, raw: str | None, low: int, high: int | None, default: int) -> int:
    if raw is None:
        return default
    expected = f"a whole number from {low}" + (f" to {high}" if high else "")
    # ASCII digits only: int() would also take "1_000", " 12" and other scripts' digits ("١٢"),
    # and it refuses more than 4,300 digits with a ValueError.
    try:
        if not re.fullmatch(r"-?[0-9]+", raw):
            raise ValueError(raw)
        value = int(raw)
    except ValueError:
        raise SearchError(f'{name}: expected {expected}, got "{raw}"') from None
    if value < low or (high is not None and value > high):
        raise SearchError(f'{name}: expected {expected}, got "{raw}"')
    return value


def is_month(value: str) -> bool:
    return len(value) == 7 and value[4] == "-" and value[:4].isdigit() and value[5:].isdigit() \
        and 1 <= int(value[5:]) <= 12
