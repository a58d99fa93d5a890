"""The query language: parse what a researcher types into a small tree (plain Python, no engine).

    words            AND by default: `Kim Stalin`
    OR, NOT, -word   `Kim OR Pak`, `NOT Mao`, `-Mao` (operators in capitals)
    "a phrase"       `"air cover"`
    prefix*, fuzzy~  `negotiat*`, `Vishinsky~` (`~1`, `~2`: edit distance)
    field:value      title: text: sender: recipient: via: archive: fond: type: language:
                     subject: number: (`subject:"air cover"`, `sender:Filippov`)
    date:            `date:1950-05`, `date:1950-01..1950-06`, `date:..1950-06`, `date:1950-10..`
    ( ... )          grouping

Names: a word or run of words that is a form in the name authority (Vishinsky, Вышинский,
Filippov, "Feng Xi", a unique family name such as Kim) also finds that person's documents as
sender, recipient, via or copy recipient; a free word or run of words that names a place, body or
term (Mukden, CCP, "North Korean army") is also searched as all its other names, and a word as its
irregular forms (sent, send) (archive.expansion); a quoted word or phrase is searched as typed.
`notes` says how the query was understood.
Every mistake raises SearchError with a sentence the user can act on.
"""

from __future__ import annotations

import calendar
import difflib
import re
import unicodedata
import weakref
from dataclasses import dataclass
from datetime import date

from .expansion import Expander
from .people import PeopleAuthority, normalize_name
from .query_tree import (  # noqa: F401 - the tree is part of this module's API
    All,
    And,
    DateRange,
    Exact,
    Not,
    Or,
    Parsed,
    Person,
    Phrase,
    SearchError,
    Term,
)
from .records import DOCUMENT_TYPES

# Bounds on what one query may ask for, so that no query costs a worker more than a moment.
MAX_LENGTH = 1000  # characters of the whole query
MAX_DEPTH = 8  # nested parentheses
MAX_CLAUSES = 40  # terms, phrases, names and field values
MAX_WORDS = 60  # words in all, each word of a phrase counted
MAX_WORD_LENGTH = 64  # characters of one word: edit distances (did you mean, word~) grow with it
MAX_EXPANDING = 10  # prefix (word*) and fuzzy (word~) terms: each stands for many index words
FIELDS = ("title", "text", "sender", "recipient", "via", "archive", "fond", "type", "language",
          "subject", "number", "date")
PEOPLE_FIELDS = ("sender", "recipient", "via")
MAX_NAME_WORDS = 5


# -- lexing ----------------------------------------------------------------------------------

_TOKEN = re.compile(r'\s+|\(|\)|"|[^\s()"]+')
_WORD_TOKEN = re.compile(r'[^\s()"]+(?:\(\w\)(?=[\s)]|$))?')  # VKP(b), ВКП(б): one word


@dataclass
class _Tok:
    kind: str  # word | phrase | lparen | rparen | op | neg
    text: str
    field: str | None = None


def _lex(q: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i = 0
    pending_field: str | None = None
    while i < len(q):
        ch = q[i]
        if ch.isspace():
            i += 1
            continue
        if ch in "()":
            if pending_field:
                raise SearchError(f"{pending_field}: needs a value, e.g. {_example(pending_field)}")
            toks.append(_Tok("lparen" if ch == "(" else "rparen", ch))
            i += 1
            continue
        if ch == '"':
            end = q.find('"', i + 1)
            if end < 0:
                raise SearchError(f'unbalanced quotes: the phrase {_clip(q[i:])} needs a closing "')
            toks.append(_Tok("phrase", q[i + 1:end], pending_field))
            pending_field = None
            i = end + 1
            continue
        if pending_field:
            raise SearchError(f"{pending_field}: needs a value, e.g. {_example(pending_field)}")
        match = _WORD_TOKEN.match(q, i)
        word = match.group()
        i = match.end()
        if word in ("AND", "OR", "NOT"):
            toks.append(_Tok("op", word))
            continue
        if word.startswith("-") and len(word) > 1:
            toks.append(_Tok("neg", "-"))
            word = word[1:]
        name, colon, value = word.partition(":")
        if colon and name and not name.isdigit():
            fieldname = _field(name)
            if not value:
                if i < len(q) and q[i] == '"':
                    pending_field = fieldname
                    continue
                raise SearchError(f"{fieldname}: needs a value, e.g. {_example(fieldname)}")
            toks.append(_Tok("word", value, fieldname))
            continue
        toks.append(_Tok("word", word))
    if pending_field:
        raise SearchError(f"{pending_field}: needs a value, e.g. {_example(pending_field)}")
    return toks


def _field(name: str) -> str:
    lowered = name.lower()
    if lowered in FIELDS:
        return lowered
    if lowered == "subjects":
        return "subject"
    close = difflib.get_close_matches(lowered, FIELDS, n=1, cutoff=0.7)
    hint = f'; did you mean "{close[0]}:"?' if close else f" (fields: {', '.join(FIELDS)})"
    raise SearchError(f'unknown field "{name}:"{hint}')


def _example(fieldname: str) -> str:
    return {"date": "date:1950-05", "sender": "sender:Stalin", "recipient": "recipient:Mao",
            "via": "via:Roshchin", "type": "type:telegram", "language": "language:ru",
            "archive": "archive:APRF", "fond": "fond:45", "number": "number:8600"
            }.get(fieldname, f'{fieldname}:"air cover"')


def _clip(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[:width] + "..."


# -- parsing ---------------------------------------------------------------------------------

class _Parser:
    def __init__(self, toks: list[_Tok], resolver: _Names, archives: dict[str, str]):
        self.toks = toks
        self.i = 0
        self.depth = 0
        self.clauses = 0
        self.words = 0
        self.expanding = 0
        self.names = resolver
        self.archives = archives

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self):
        node = self.or_expr()
        tok = self.peek()
        if tok is not None:  # only a stray ")" stops or_expr early
            raise SearchError('unbalanced parentheses: a ")" has no matching "("')
        return node

    def or_expr(self):
        items = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.kind == "op" and tok.text == "OR":
            self.take()
            if self._at_end_of_group():
                raise SearchError("OR needs a term on both sides")
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self):
        items: list = []
        while (tok := self.peek()) is not None and tok.kind != "rparen":
            if tok.kind == "op" and tok.text == "OR":
                if not items:
                    raise SearchError("OR needs a term on both sides")
                break
            if tok.kind == "op" and tok.text == "AND":
                self.take()
                self.names.strict = True
                if not items or self._at_end_of_group() or self.peek().text == "OR":
                    raise SearchError("AND needs a term on both sides")
                continue
            items.append(self.unary())
        if not items:
            if self.peek() is not None and self.peek().kind == "rparen" and self.depth:
                raise SearchError("empty parentheses: put a term between ( and )")
            return All()
        items = self.names.group(items)
        return items[0] if len(items) == 1 else And(tuple(items))

    def _at_end_of_group(self) -> bool:
        tok = self.peek()
        return tok is None or tok.kind == "rparen"

    def unary(self):
        tok = self.take()
        if tok.kind == "neg" or (tok.kind == "op" and tok.text == "NOT"):
            if self._at_end_of_group() or self.peek().kind == "op" and self.peek().text != "NOT":
                raise SearchError(f"{'NOT' if tok.kind == 'op' else '-'} needs a term after it")
            return Not(self.unary())
        if tok.kind == "lparen":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise SearchError(f"the query nests parentheses too deeply (at most {MAX_DEPTH} levels)")
            node = self.or_expr()
            if self.peek() is None:
                raise SearchError('unbalanced parentheses: a "(" is never closed')
            self.take()
            self.depth -= 1
            return node
        if tok.kind == "rparen":  # pragma: no cover - and_expr stops before ")"
            raise SearchError('unbalanced parentheses: a ")" has no matching "("')
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            raise SearchError(f"the query has too many terms (at most {MAX_CLAUSES})")
        self.words += max(1, len(_WORDS.findall(tok.text)))
        if self.words > MAX_WORDS:
            raise SearchError(f"the query has too many words (at most {MAX_WORDS}, "
                              "counting each word of a phrase)")
        if tok.kind == "phrase":
            return self.phrase(tok)
        return self.word(tok)

    def phrase(self, tok: _Tok):
        words = tuple(_WORDS.findall(tok.text))
        if tok.field == "date":
            return _date_range(tok.text)
        if not words:
            raise SearchError('empty phrase: put words between the quotation marks')
        if tok.field in PEOPLE_FIELDS:
            return self.names.person(tok.text, tok.field)
        if tok.field in ("type", "language", "archive", "fond"):
            return self.exact(tok.field, tok.text)
        if tok.field is None:
            person = self.names.resolve_free(tok.text)
            if person is not None:
                return person
        if len(words) > 1:
            return Phrase(words, tok.field, quoted=True)
        return Term(words[0], tok.field, quoted=True)

    def word(self, tok: _Tok):
        text, fieldname = tok.text, tok.field
        if fieldname == "date":
            return _date_range(text)
        if fieldname in PEOPLE_FIELDS:
            return self.names.person(text, fieldname)
        if fieldname in ("type", "language", "archive", "fond"):
            return self.exact(fieldname, text)
        prefix = fuzzy = 0
        if text.endswith("*"):
            text, prefix = text.rstrip("*"), 1
            if len(_WORDS.findall(text)) != 1 or len(text) < 2:
                raise SearchError(f'a prefix search needs at least 2 letters before *, got "{tok.text}"')
        else:
            fuzzy_match = re.fullmatch(r"(.+?)~(\d*)", text)
            if fuzzy_match:
                text = fuzzy_match.group(1)
                fuzzy = int(fuzzy_match.group(2) or 2)
                if fuzzy not in (1, 2):
                    raise SearchError(f'fuzzy search allows 1 or 2 edits (word~1, word~2), got "{tok.text}"')
        if prefix or fuzzy:
            self.expanding += 1
            if self.expanding > MAX_EXPANDING:
                raise SearchError("the query has too many prefix (word*) and fuzzy (word~) terms "
                                  f"(at most {MAX_EXPANDING})")
        words = tuple(_WORDS.findall(text))
        if not words:
            raise SearchError(f'"{tok.text}" has no letters or digits to search for')
        if len(words) > 1 and not (prefix or fuzzy):
            named = self.names.expand_name(text) if fieldname is None else None
            return named or Phrase(words, fieldname)  # Il-sung, 1950-05-14, No.8600
        return Term(words[-1] if prefix else "".join(words), fieldname, bool(prefix), fuzzy)

    def exact(self, fieldname: str, value: str):
        value = value.strip()
        if fieldname == "type":
            if value.lower() not in DOCUMENT_TYPES:
                close = difflib.get_close_matches(value.lower(), DOCUMENT_TYPES, n=1)
                hint = f'; did you mean "{close[0]}"?' if close else f" (types: {', '.join(DOCUMENT_TYPES)})"
                raise SearchError(f'type: unknown document type "{value}"{hint}')
            return Exact("type", value.lower())
        if fieldname == "archive":
            key = normalize_name(value)
            if key not in self.archives:
                hint = difflib.get_close_matches(key, self.archives, n=1)
                suggestion = f"; did you mean {self.archives[hint[0]]}?" if hint else ""
                raise SearchError(f'archive: no archive called "{value}"{suggestion}')
            return Exact("archive", self.archives[key])
        if fieldname == "language" and not re.fullmatch(r"[A-Za-z]{2,3}", value):
            raise SearchError(f'language: expected a language code such as ru, zh, ko or en, got "{value}"')
        return Exact(fieldname, value.lower())


_WORDS = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
_LETTER_RUNS = re.compile(r"\w+", re.UNICODE)


# -- names -----------------------------------------------------------------------------------

class _Names:
    """Resolves runs of free words to people and records how each was understood."""

    def __init__(self, people: PeopleAuthority | None, expander: Expander | None = None):
        self.people = people
        self.expander = expander or Expander()
        self.strict = False
        self.labels: dict = {}
        self.notes: list[str] = []
        self.forms, self.family_forms = _name_forms(people) if people else ({}, {})

    def lookup(self, text: str) -> str | None:
        key = normalize_name(text)
        return self.forms.get(key) or self.family_forms.get(key)

    def resolve_free(self, typed: str) -> Person | Or | None:
        person_id = self.lookup(typed)
        if person_id is None:
            return None
        disputed = self.disputed(typed, ())
        if disputed is not None:
            return disputed
        person = self.people.get(person_id)
        key = normalize_name(typed)
        if key not in (normalize_name(person.name), normalize_name(person.family or "")):
            self.note(typed, person.name)
        pseudonyms = {normalize_name(p.name) for p in person.pseudonyms}
        forms = (typed,) if key in pseudonyms or not person.family else (typed, person.family)
        return Person(person_id, typed, (), tuple(dict.fromkeys(forms)))

    def person(self, typed: str, role: str) -> Person | Or:
        person_id = self.lookup(typed)
        if person_id is None:
            close = self.people.suggest(typed, limit=1) if self.people else []
            hint = f"; did you mean {close[0]}?" if close else ""
            raise SearchError(f'{role}: no person or body called "{typed}" in the name authority{hint}')
        disputed = self.disputed(typed, (role,))
        if disputed is not None:
            return disputed
        person = self.people.get(person_id)
        if normalize_name(typed) not in (normalize_name(person.name), normalize_name(person.family or "")):
            self.note(typed, person.name)
        return Person(person_id, typed, (role,))

    def disputed(self, typed: str, roles: tuple[str, ...]) -> Or | None:
        """A pseudonym whose owner is disputed ("Chan Fu": Stalin or Bulganin) stands for every
        candidate, and the note says so; None for any other name."""
        candidates = self.people.candidates(typed) if self.people else ()
        if len(candidates) < 2:
            return None
        names = " or ".join(p.name for p in candidates)
        text = (f'Searched for "{typed}" as {names}: sources disagree on whom this pseudonym '
                "stands for.")
        if text not in self.notes:
            self.notes.append(text)
        forms = () if roles else (typed,)
        return Or(tuple(Person(p.id, typed, roles, forms) for p in candidates))

    def note(self, typed: str, name: str) -> None:
        text = f'Searched for "{typed}" as {name}.'
        if text not in self.notes:
            self.notes.append(text)

    def group(self, items: list) -> list:
        """Replace runs of plain free words that form a known name by one Person node, or by
        all the forms of the place, body or term they name; a lone word also meets the
        irregular forms of its lemma."""
        if not self.forms and not self.expander:
            return items
        out: list = []
        i = 0
        while i < len(items):
            for size in range(min(MAX_NAME_WORDS, len(items) - i), 0, -1):
                run = items[i:i + size]
                if not all(_plain(t) for t in run):
                    continue
                typed = " ".join(t.text if isinstance(t, Term) else " ".join(t.words) for t in run)
                if size == 1 and isinstance(run[0], Phrase):
                    continue  # a hyphenated word alone was looked up already
                found = self.resolve_free(typed) if self.forms else None
                if found is None and size == 1 and isinstance(run[0], Term) and self.forms:
                    found = self.names_in_run(typed)
                found = found or self.expand_name(typed) or \
                    (self.expand_word(typed) if size == 1 else None)
                if found is not None:
                    out.append(found)
                    i += size
                    break
            else:
                out.append(items[i])
                i += 1
        return out

    def names_in_run(self, typed: str) -> And | None:
        """A run of Chinese or Korean characters written without spaces (金日成毛泽东,
        毛澤東與周恩來): the names in it, longest first, as if typed apart; a joining word
        (和, 与, 與, 及, 同, 跟) between them is dropped. None unless the run holds a name and
        nothing but names and joining words."""
        if not _CJK_RUN.fullmatch(typed):
            return None
        key = normalize_name(typed)
        parts: list[str] = []
        i = 0
        while i < len(key):
            end = next((j for j in range(min(len(key), i + _MAX_CJK_NAME), i, -1)
                        if key[i:j] in self.forms), None)
            if end is None:
                if key[i] not in _JOINERS:
                    return None
                i += 1
                continue
            parts.append(key[i:end])
            i = end
        if not parts or len(parts) > MAX_NAME_WORDS:
            return None
        return And(tuple(self.resolve_free(_recompose(part)) for part in parts))

    def expand_name(self, typed: str) -> Or | None:
        return self._node(self.expander.name(typed), typed)

    def expand_word(self, typed: str) -> Or | None:
        return self._node(self.expander.word(typed), typed)

    def _node(self, expansion, typed: str) -> Or | None:
        if expansion is None:
            return None
        if expansion.note not in self.notes:
            self.notes.append(expansion.note)
        node = Or(tuple(Phrase(words) if len(words) > 1 else Term(words[0])
                        for words in expansion.forms))
        self.labels[node] = typed
        return node


_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff]+")
_JOINERS = frozenset(normalize_name(c) for c in "和与與及同跟")
_MAX_CJK_NAME = 12  # normalised characters: Hangul syllables fold to two or three jamo each


def _recompose(key: str) -> str:
    """A normalised name (Hangul as jamo) back in composed form, as the note shows it."""
    return unicodedata.normalize("NFC", key)


def _plain(node) -> bool:
    """A free word (or hyphenated words) typed without quotes, field, * or ~."""
    if isinstance(node, Term):
        return node.field is None and not node.prefix and not node.fuzzy and not node.quoted
    return isinstance(node, Phrase) and node.field is None and not node.quoted


_FORMS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _name_forms(people: PeopleAuthority) -> tuple[dict[str, str], dict[str, str]]:
    """Every name form, and every unique family name that is not already a form, with the id it
    stands for; worked out once per authority (an index generation has one), not per query."""
    found = _FORMS.get(people)
    if found is None or found[0] != len(people):
        forms = people.forms()
        families: dict[str, set[str]] = {}
        for person in people:
            if person.family:
                families.setdefault(normalize_name(person.family), set()).add(person.id)
        family_forms = {k: next(iter(v)) for k, v in families.items()
                        if len(v) == 1 and k not in forms}
        found = _FORMS[people] = (len(people), forms, family_forms)
    return found[1], found[2]


# -- dates -----------------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def parse_date_bound(text: str, *, end: bool, name: str = "date") -> date:
    """`1950`, `1950-05` or `1950-05-14` as the first (or, with end=True, last) day it covers."""
    match = _DATE.fullmatch(text.strip())
    problem = f'{name}: expected a date such as 1950, 1950-05 or 1950-05-14, got "{text}"'
    if not match:
        raise SearchError(problem)
    year, month, day = int(match.group(1)), match.group(2), match.group(3)
    try:
        if month is None:
            return date(year, 12, 31) if end else date(year, 1, 1)
        month_number = int(month)
        if day is None:
            last = calendar.monthrange(year, month_number)[1]
            return date(year, month_number, last if end else 1)
        return date(year, month_number, int(day))
    except ValueError:
        raise SearchError(problem) from None


def _date_range(text: str) -> DateRange:
    text = text.strip()
    if ".." in text:
        left, _, right = text.partition("..")
        start = parse_date_bound(left, end=False) if left.strip() else None
        end = parse_date_bound(right, end=True) if right.strip() else None
        if start is None and end is None:
            raise SearchError('date: a range needs at least one end, e.g. date:1950-01..1950-06')
        if start and end and end < start:
            raise SearchError(f"date: the range {text} ends before it starts")
        return DateRange(start, end)
    return DateRange(parse_date_bound(text, end=False), parse_date_bound(text, end=True))


# -- entry point -----------------------------------------------------------------------------

def parse(q: str, people: PeopleAuthority | None = None,
          archives: dict[str, str] | None = None, expander: Expander | None = None) -> Parsed:
    """Parse a query; raises SearchError with a readable message.

    `archives` maps normalised archive names and abbreviations to archive ids; `expander` knows
    the places, bodies, terms and irregular forms that free words are also searched as.
    """
    q = q.strip()
    if len(q) > MAX_LENGTH:
        raise SearchError(f"the query is too long ({len(q)} characters; at most {MAX_LENGTH})")
    long_word = next((w for w in _LETTER_RUNS.findall(q) if len(w) > MAX_WORD_LENGTH), None)
    if long_word:
        raise SearchError(f'the word "{_clip(long_word)}" is too long ({len(long_word)} characters; '
                          f"a search word has at most {MAX_WORD_LENGTH})")
    if not q:
        return Parsed(All())
    names = _Names(people, expander)
    node = _Parser(_lex(q), names, archives or {}).parse()
    return Parsed(_simplify(node), names.notes, _free_words(node, names.labels), names.strict,
                  names.labels)


def _simplify(node):
    if isinstance(node, And | Or):
        items = tuple(_simplify(i) for i in node.items)
        if isinstance(node, And):
            items = tuple(i for i in items if not isinstance(i, All)) or (All(),)
        return items[0] if len(items) == 1 else type(node)(items)
    if isinstance(node, Not):
        return Not(_simplify(node.item))
    return node


def _free_words(node, labels: dict) -> list[str]:
    if isinstance(node, Term) and node.field in (None, "text", "title") and not (node.prefix or node.fuzzy):
        return [node.text]
    if node in labels:  # an expanded name or word: its typed word, not every form
        return [labels[node]] if " " not in labels[node] else []
    if isinstance(node, And | Or):
        return [w for i in node.items for w in _free_words(i, labels)]
    return []
