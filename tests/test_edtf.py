from datetime import date

import pytest

from archive.edtf import DateError, parse_bound, parse_date
from archive.records import DocDate

D = date


@pytest.mark.parametrize("text, expected", [
    ("1950-05-14", DocDate("1950-05-14", D(1950, 5, 14), D(1950, 5, 14))),
    ("1950-05", DocDate("1950-05", D(1950, 5, 1), D(1950, 5, 31))),
    ("1950-02", DocDate("1950-02", D(1950, 2, 1), D(1950, 2, 28))),
    ("1952-02", DocDate("1952-02", D(1952, 2, 1), D(1952, 2, 29))),
    ("1950", DocDate("1950", D(1950, 1, 1), D(1950, 12, 31))),
    ("1950-05-13/1950-05-14", DocDate("1950-05-13/1950-05-14", D(1950, 5, 13), D(1950, 5, 14))),
    ("1950-07/1950-08-02", DocDate("1950-07/1950-08-02", D(1950, 7, 1), D(1950, 8, 2))),
    ("1950-10-02?", DocDate("1950-10-02?", D(1950, 10, 2), D(1950, 10, 2), uncertain=True)),
    ("~1949-05", DocDate("~1949-05", D(1949, 5, 1), D(1949, 5, 31), approximate=True)),
    ("1949-05~", DocDate("1949-05~", D(1949, 5, 1), D(1949, 5, 31), approximate=True)),
    ("1950-10%", DocDate("1950-10%", D(1950, 10, 1), D(1950, 10, 31), True, True)),
    ("1950-10-02?/1950-10-03", DocDate("1950-10-02?/1950-10-03", D(1950, 10, 2), D(1950, 10, 3),
                                       uncertain=True)),
    ("1950-06/..", DocDate("1950-06/..", D(1950, 6, 1), D(9999, 12, 31))),
    ("../1950-06", DocDate("../1950-06", D(1, 1, 1), D(1950, 6, 30))),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


EXPECTED = ("expected an EDTF date such as 1950-05-14, 1950-05, 1950, 1950-05-13/1950-05-14, "
            "1950-10-02? or ~1949-05, got \"{}\"")


@pytest.mark.parametrize("text, message", [
    ("14 May 1950", EXPECTED.format("14 May 1950")),
    ("1950-5-14", EXPECTED.format("1950-5-14")),
    ("1950-02-30", '"1950-02-30" is not a real date (1950-02-30 does not exist)'),
    ("1950-13", '"1950-13" is not a real date (1950-13 does not exist)'),
    ("1950-05-14/1950-05-01", 'interval "1950-05-14/1950-05-01" ends before it starts'),
    ("../..", EXPECTED.format("../..")),
    ("~1950?", EXPECTED.format("~1950?")),
    ("", EXPECTED.format("")),
])
def test_bad_dates(text, message):
    with pytest.raises(DateError) as error:
        parse_date(text)
    assert str(error.value) == message


def test_bounds():
    assert parse_bound("1950-05", end=False) == D(1950, 5, 1)
    assert parse_bound("1950-05", end=True) == D(1950, 5, 31)
    assert parse_bound("1950", end=True) == D(1950, 12, 31)
    with pytest.raises(DateError):
        parse_bound("1950-05/1950-06", end=False)
