"""The query language: trees for each form, name resolution, and readable errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from archive.people import load_people
from archive.query import (
    All,
    And,
    DateRange,
    Exact,
    Not,
    Or,
    Person,
    Phrase,
    SearchError,
    Term,
    parse,
)

PEOPLE = load_people(Path(__file__).parent / "data" / "collection" / "authority" / "people.yaml")
ARCHIVES = {"aprf": "APRF", "ap rf": "APRF", "avp rf": "AVP RF", "avp": "AVP RF", "rgaspi": "RGASPI"}


def tree(q: str):
    return parse(q, PEOPLE, ARCHIVES).node


@pytest.mark.parametrize(("q", "expected"), [
    ("", All()),
    ("   ", All()),
    ("air", Term("air")),
    ("air cover", And((Term("air"), Term("cover")))),
    ("air AND cover", And((Term("air"), Term("cover")))),
    ("air OR cover", Or((Term("air"), Term("cover")))),
    ("air OR cover troops", Or((Term("air"), And((Term("cover"), Term("troops")))))),
    ("air -cover", And((Term("air"), Not(Term("cover"))))),
    ("air NOT cover", And((Term("air"), Not(Term("cover"))))),
    ("-cover", Not(Term("cover"))),
    ('"air cover"', Phrase(("air", "cover"))),
    ('"air"', Term("air")),
    ("unif*", Term("unif", prefix=True)),
    ("Kovalyov~", Term("Kovalyov", fuzzy=2)),
    ("Kovalyov~1", Term("Kovalyov", fuzzy=1)),
    ("(air OR sea) cover", And((Or((Term("air"), Term("sea"))), Term("cover")))),
    ("Il-sung", Phrase(("Il", "sung"))),
    ("title:Lushun", Term("Lushun", "title")),
    ('text:"air cover"', Phrase(("air", "cover"), "text")),
    ('subject:"naval base"', Phrase(("naval", "base"), "subject")),
    ("number:8600", Term("8600", "number")),
    ("type:Telegram", Exact("type", "telegram")),
    ("language:RU", Exact("language", "ru")),
    ("archive:avp", Exact("archive", "AVP RF")),
    ('archive:"AP RF"', Exact("archive", "APRF")),
    ("fond:059a", Exact("fond", "059a")),
    ("date:1950-05", DateRange(date(1950, 5, 1), date(1950, 5, 31))),
    ("date:1950", DateRange(date(1950, 1, 1), date(1950, 12, 31))),
    ("date:1950-01..1950-06", DateRange(date(1950, 1, 1), date(1950, 6, 30))),
    ("date:..1949-12", DateRange(None, date(1949, 12, 31))),
    ("date:1950-10-02..", DateRange(date(1950, 10, 2), None)),
    ("Kim date:1950-05", And((Person("kim-il-sung", "Kim", (), ("Kim",)),
                              DateRange(date(1950, 5, 1), date(1950, 5, 31))))),
])
def test_query_forms(q, expected):
    assert tree(q) == expected


@pytest.mark.parametrize(("q", "expected", "notes"), [
    # a variant spelling: the person, and the typed word and the family name in the text
    ("Vishinsky", Person("vyshinsky", "Vishinsky", (), ("Vishinsky", "Vyshinsky")),
     ['Searched for "Vishinsky" as A. Ya. Vyshinsky.']),
    ("Вышинский", Person("vyshinsky", "Вышинский", (), ("Вышинский", "Vyshinsky")),
     ['Searched for "Вышинский" as A. Ya. Vyshinsky.']),
    # a pseudonym: the person, and only the pseudonym itself in the text
    ("Filippov", Person("stalin", "Filippov", (), ("Filippov",)),
     ['Searched for "Filippov" as I. V. Stalin.']),
    ("Feng Xi", Person("stalin", "Feng Xi", (), ("Feng Xi",)), ['Searched for "Feng Xi" as I. V. Stalin.']),
    ('"Feng Xi"', Person("stalin", "Feng Xi", (), ("Feng Xi",)), ['Searched for "Feng Xi" as I. V. Stalin.']),
    # the family name or display name needs no note
    ("Stalin", Person("stalin", "Stalin", (), ("Stalin",)), []),
    ("Kim Il Sung", Person("kim-il-sung", "Kim Il Sung", (), ("Kim Il Sung", "Kim")), []),
    ("sender:Filippov", Person("stalin", "Filippov", ("sender",)),
     ['Searched for "Filippov" as I. V. Stalin.']),
    ('recipient:"Feng Xi"', Person("stalin", "Feng Xi", ("recipient",)),
     ['Searched for "Feng Xi" as I. V. Stalin.']),
    ("via:Roshchin", Person("roshchin", "Roshchin", ("via",)), []),
    ("Filippov Mao", And((Person("stalin", "Filippov", (), ("Filippov",)),
                          Person("mao-zedong", "Mao", (), ("Mao",)))),
     ['Searched for "Filippov" as I. V. Stalin.']),
    # a prefix or fuzzy word is never read as a name
    ("Stalin*", Term("Stalin", prefix=True), []),
])
def test_names(q, expected, notes):
    parsed = parse(q, PEOPLE, ARCHIVES)
    assert parsed.node == expected
    assert parsed.notes == notes


def test_free_words_for_suggestions():
    assert parse('Vishinky "air cover" -troops unif* Kovalyov~ title:base', PEOPLE).words == \
        ["Vishinky", "base"]


@pytest.mark.parametrize(("q", "message"), [
    ('"air cover', 'unbalanced quotes: the phrase "air cover needs a closing "'),
    ('Kim "air', 'unbalanced quotes: the phrase "air needs a closing "'),
    ("(Kim", 'unbalanced parentheses: a "(" is never closed'),
    ("Kim)", 'unbalanced parentheses: a ")" has no matching "("'),
    ("((Kim) OR Mao", 'unbalanced parentheses: a "(" is never closed'),
    ("()", "empty parentheses: put a term between ( and )"),
    ("sendr:Stalin", 'unknown field "sendr:"; did you mean "sender:"?'),
    ("author:x", 'unknown field "author:" (fields: title, text, sender, recipient, via, archive, fond, '
                 'type, language, subject, number, date)'),
    ("title:", 'title: needs a value, e.g. title:"air cover"'),
    ("sender:", "sender: needs a value, e.g. sender:Stalin"),
    ("date:1950-13", 'date: expected a date such as 1950, 1950-05 or 1950-05-14, got "1950-13"'),
    ("date:May", 'date: expected a date such as 1950, 1950-05 or 1950-05-14, got "May"'),
    ("date:1950-02-30", 'date: expected a date such as 1950, 1950-05 or 1950-05-14, got "1950-02-30"'),
    ("date:1950-06..1950-01", "date: the range 1950-06..1950-01 ends before it starts"),
    ("date:..", "date: a range needs at least one end, e.g. date:1950-01..1950-06"),
    ("OR Kim", "OR needs a term on both sides"),
    ("Kim OR", "OR needs a term on both sides"),
    ("Kim OR OR Mao", "OR needs a term on both sides"),
    ("Kim AND", "AND needs a term on both sides"),
    ("NOT", "NOT needs a term after it"),
    ("Kim NOT", "NOT needs a term after it"),
    ('""', "empty phrase: put words between the quotation marks"),
    ("a*", 'a prefix search needs at least 2 letters before *, got "a*"'),
    ("*", 'a prefix search needs at least 2 letters before *, got "*"'),
    ("Kim~3", 'fuzzy search allows 1 or 2 edits (word~1, word~2), got "Kim~3"'),
    ("sender:Nobody", 'sender: no person or body called "Nobody" in the name authority'),
    ("sender:Vishinky",
     'sender: no person or body called "Vishinky" in the name authority; did you mean A. Ya. Vyshinsky?'),
    ("type:telgram", 'type: unknown document type "telgram"; did you mean "telegram"?'),
    ("archive:XYZ", 'archive: no archive called "XYZ"'),
    ("language:russian", 'language: expected a language code such as ru, zh, ko or en, got "russian"'),
    ("(" * 9 + "Kim" + ")" * 9, "the query nests parentheses too deeply (at most 8 levels)"),
    ("x " * 41, "the query has too many terms (at most 40)"),
    ("x" * 1001, "the query is too long (1001 characters; at most 1000)"),
    # hostile costs (#14): each bound answers before any index work
    ("ж" * 999, f'the word "{"ж" * 30}..." is too long (999 characters; a search word has at most 64)'),
    ("Kim " + "a" * 65 + "~2", f'the word "{"a" * 30}..." is too long (65 characters; a search word '
                                "has at most 64)"),
    ("b" * 65 + "*", f'the word "{"b" * 30}..." is too long (65 characters; a search word has at most 64)'),
    ('"' + "word " * 61 + '"', "the query has too many words (at most 60, counting each word of a phrase)"),
    ("ж-" * 400, "the query has too many words (at most 60, counting each word of a phrase)"),
    (" ".join(f"a{c}*" for c in "bcdefghijkl"),
     "the query has too many prefix (word*) and fuzzy (word~) terms (at most 10)"),
    (" ".join(f"Stalin{c}~2" for c in "bcdefghijkl"),
     "the query has too many prefix (word*) and fuzzy (word~) terms (at most 10)"),
])
def test_errors(q, message):
    with pytest.raises(SearchError) as error:
        parse(q, PEOPLE, ARCHIVES)
    assert str(error.value) == message


def test_bounds_allow_what_researchers_type():
    longest = "x" * 64
    assert tree(longest) == Term(longest)
    assert tree(" ".join(f"a{c}*" for c in "bcdefghijk")) == And(tuple(
        Term(f"a{c}", prefix=True) for c in "bcdefghijk"))
    phrase = " ".join(["word"] * 60)
    assert tree(f'"{phrase}"') == Phrase(("word",) * 60)


def test_huge_nesting_fails_fast():
    # 400 levels would overflow a naive recursive parser; the depth cap answers first
    with pytest.raises(SearchError, match="too deeply"):
        parse("(" * 400 + "Kim" + ")" * 400, PEOPLE)
