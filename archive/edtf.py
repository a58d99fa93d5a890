"""EDTF dates (levels 0 and 1, as historians use them), kept as written.

`parse_date("1950-05")` -> DocDate(text="1950-05", earliest=1950-05-01, latest=1950-05-31).
Accepted: day, month, year, intervals `a/b` (either end may be `..` or empty for open), and the
level-1 qualifiers `?` (uncertain), `~` (approximate) and `%` (both), as a prefix or suffix.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from .records import DocDate

_PART = re.compile(r"^(?P<pre>[~?%]?)(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?(?P<post>[~?%]?)$")
_OPEN_START = date(1, 1, 1)
_OPEN_END = date(9999, 12, 31)


class DateError(ValueError):
    """The text is not an EDTF date this archive understands."""


def parse_date(text: str) -> DocDate:
    text = text.strip()
    if "/" in text:
        start_text, _, end_text = text.partition("/")
        start = _parse_part(start_text, text) if start_text not in ("", "..") else None
        end = _parse_part(end_text, text) if end_text not in ("", "..") else None
        if start is None and end is None:
            raise DateError(_expected(text))
        earliest = start[0] if start else _OPEN_START
        latest = end[1] if end else _OPEN_END
        if earliest > latest:
            raise DateError(f'interval "{text}" ends before it starts')
        flags = [p[2] for p in (start, end) if p]
        return DocDate(
            text, earliest, latest,
            uncertain=any(f[0] for f in flags),
            approximate=any(f[1] for f in flags),
        )
    earliest, latest, (uncertain, approximate) = _parse_part(text, text)
    return DocDate(text, earliest, latest, uncertain=uncertain, approximate=approximate)


def _parse_part(part: str, whole: str):
    match = _PART.match(part)
    if not match:
        raise DateError(_expected(whole))
    qualifiers = match["pre"] + match["post"]
    if len(qualifiers) > 1 or (match["pre"] and match["post"]):
        raise DateError(_expected(whole))
    year = int(match["y"])
    month = int(match["m"]) if match["m"] else None
    day = int(match["d"]) if match["d"] else None
    try:
        if month is None:
            earliest, latest = date(year, 1, 1), date(year, 12, 31)
        elif day is None:
            last = calendar.monthrange(year, month)[1]
            earliest, latest = date(year, month, 1), date(year, month, last)
        else:
            earliest = latest = date(year, month, day)
    except ValueError:
        raise DateError(f'"{whole}" is not a real date ({part} does not exist)') from None
    uncertain = qualifiers in ("?", "%")
    approximate = qualifiers in ("~", "%")
    return earliest, latest, (uncertain, approximate)


def _expected(text: str) -> str:
    return (
        "expected an EDTF date such as 1950-05-14, 1950-05, 1950, 1950-05-13/1950-05-14, "
        f'1950-10-02? or ~1949-05, got "{text}"'
    )


def parse_bound(text: str, *, end: bool) -> date:
    """A date filter bound (`1950`, `1950-05` or `1950-05-14`): its first day, or last when `end`."""
    value = parse_date(text)
    if value.is_interval or value.uncertain or value.approximate:
        raise DateError(f'expected a date such as 1950, 1950-05 or 1950-05-14, got "{text}"')
    return value.latest if end else value.earliest
