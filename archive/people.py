"""The name authority: every person and body, with all the forms their names take.

Front matter may name a correspondent in any known form (Vishinsky, Вышинский, Filippov); the
authority turns it into the canonical id. Matching ignores case, diacritics and punctuation, and
Chinese characters match in traditional and simplified form alike (毛澤東 = 毛泽东; Korean hanja
such as 朴憲永 too): OpenCC's own conversion tables (the `opencc` package, Apache-2.0), not a
hand-kept list, fold traditional characters to simplified.
A pseudonym whose owner is disputed ("Chan Fu": Stalin or Bulganin) is recorded under one person
with `disputed_with` naming the others; `candidates` gives all of them.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import opencc
import yaml

from .files import read_regular
from .records import Person, Pseudonym
from .yamlnodes import RefusedYAML, error_line, error_text, load_located

_FIELDS = {
    "id", "name", "kind", "family", "given", "name_order", "native", "variants", "pseudonyms",
    "offices", "note",
}
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class AuthorityError(ValueError):
    """The authority file itself is broken; the message is `path:line: field: message`."""


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_TO_SIMPLIFIED = opencc.OpenCC("t2s")


def has_han(text: str) -> bool:
    """Whether `text` holds Chinese characters (hanzi, or hanja in a Korean name)."""
    return bool(_HAN.search(text))


@lru_cache(maxsize=50_000)
def simplified(text: str) -> str:
    """`text` with traditional Chinese characters in simplified form (anything else unchanged)."""
    return _TO_SIMPLIFIED.convert(text) if has_han(text) else text


def normalize_name(text: str) -> str:
    """Fold a name for matching: no case, no diacritics, no punctuation, single spaces;
    Chinese characters in simplified form."""
    text = unicodedata.normalize("NFKD", simplified(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['’ʼʹ`]", "", text.casefold())
    text = re.sub(r"[\W_]+", " ", text)
    return " ".join(text.split())


class PeopleAuthority:
    def __init__(self, people: list[Person]):
        self._by_id = {p.id: p for p in people}
        self._by_form: dict[str, str] = {}
        for person in people:
            for form in (person.id, *person.all_forms()):
                self._by_form.setdefault(normalize_name(form), person.id)

    def __iter__(self) -> Iterator[Person]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, person_id: str) -> bool:
        return person_id in self._by_id

    def get(self, person_id: str) -> Person:
        return self._by_id[person_id]

    def resolve(self, name: str) -> Person | None:
        """The person a name form stands for, or None."""
        person_id = self._by_form.get(normalize_name(name))
        return self._by_id[person_id] if person_id else None

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Display names of the people whose forms come nearest to `name`."""
        matches = difflib.get_close_matches(normalize_name(name), self._by_form, n=12, cutoff=0.6)
        names: list[str] = []
        for form in matches:
            display = self._by_id[self._by_form[form]].name
            if display not in names:
                names.append(display)
        return names[:limit]

    def candidates(self, name: str) -> tuple[Person, ...]:
        """Everyone a name may stand for: one person, or for a disputed pseudonym the person it
        is recorded under and then the others it is attributed to; () for an unknown name."""
        person = self.resolve(name)
        if person is None:
            return ()
        key = normalize_name(name)
        others = next((p.disputed_with for p in person.pseudonyms
                       if normalize_name(p.name) == key), ())
        return (person, *(self._by_id[i] for i in others if i in self._by_id))

    def forms(self) -> dict[str, str]:
        """Every normalised form and the id it resolves to (for search-time expansion)."""
        return dict(self._by_form)


def load_people(path: Path) -> PeopleAuthority:
    """Load people.yaml; raises AuthorityError naming the file, line and field of a problem."""
    try:
        located = load_located(read_regular(path).decode("utf-8"), where="people")
    except RefusedYAML as error:
        line, field, message = error.issues[0]
        raise AuthorityError(f"{path}:{line}: {field}: {message}") from None
    except yaml.YAMLError as error:
        raise AuthorityError(f"{path}:{error_line(error)}: people: {error_text(error)}") from None
    except OSError as error:
        raise AuthorityError(f"{path}:1: people: cannot read the name authority ({error.strerror})") from None
    if not isinstance(located.value, list):
        raise AuthorityError(f"{path}:{located.line}: people: expected a list of people and bodies")
    people: list[Person] = []
    owner: dict[str, str] = {}
    for entry, line in zip(located.value, located.item_lines, strict=True):
        person = _person(entry, path, line)
        if person.id in {p.id for p in people}:
            raise AuthorityError(f"{path}:{line}: id: duplicate id {person.id!r}")
        for form in (person.id, *person.all_forms()):
            key = normalize_name(form)
            if owner.get(key, person.id) != person.id:
                raise AuthorityError(
                    f"{path}:{line}: {person.id}: the form {form!r} also belongs to {owner[key]!r}"
                )
            owner[key] = person.id
        people.append(person)
    ids = {p.id for p in people}
    for person, line in zip(people, located.item_lines, strict=False):
        for pseudonym in person.pseudonyms:
            missing = [i for i in pseudonym.disputed_with if i not in ids or i == person.id]
            if missing:
                raise AuthorityError(f"{path}:{line}: pseudonyms: {pseudonym.name}: disputed_with "
                                     f"names {missing[0]!r}, not another person in the authority")
    return PeopleAuthority(people)


def _person(entry: object, path: Path, line: int) -> Person:
    def fail(field: str, message: str) -> AuthorityError:
        return AuthorityError(f"{path}:{line}: {field}: {message}")

    if not isinstance(entry, dict):
        raise fail("people", "each entry must be a mapping with at least id and name")
    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        raise fail(unknown[0], f"unknown field (known: {', '.join(sorted(_FIELDS))})")
    for field in ("id", "name"):
        if not isinstance(entry.get(field), str) or not entry[field].strip():
            raise fail(field, "required text is missing")
    if not _ID.match(entry["id"]):
        raise fail("id", f"{entry['id']!r} is not a slug (lower-case letters, digits, hyphens)")
    kind = entry.get("kind", "person")
    if kind not in ("person", "body"):
        raise fail("kind", f"expected person or body, got {kind!r}")
    order = entry.get("name_order", "western")
    if order not in ("western", "eastern"):
        raise fail("name_order", f"expected western or eastern, got {order!r}")
    pseudonyms = []
    for item in _strings_or_mappings(entry.get("pseudonyms"), fail):
        item = {"name": item} if isinstance(item, str) else item
        unknown = sorted(set(item) - {"name", "note", "disputed_with"})
        if unknown:
            raise fail("pseudonyms", f"unknown field {unknown[0]!r} (known: name, note, disputed_with)")
        if not isinstance(item.get("name"), str):
            raise fail("pseudonyms", "each pseudonym needs a name")
        disputed = _texts(item.get("disputed_with"), "pseudonyms", fail)
        pseudonyms.append(Pseudonym(name=item["name"], note=item.get("note"), disputed_with=disputed))
    return Person(
        id=entry["id"],
        name=entry["name"],
        kind=kind,
        family=entry.get("family"),
        given=entry.get("given"),
        name_order=order,
        native=_texts(entry.get("native"), "native", fail),
        variants=_texts(entry.get("variants"), "variants", fail),
        pseudonyms=tuple(pseudonyms),
        offices=_texts(entry.get("offices"), "offices", fail),
        note=entry.get("note"),
    )


def _texts(value: object, field: str, fail) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise fail(field, "expected text or a list of text")


def _strings_or_mappings(value: object, fail) -> list:
    if value is None:
        return []
    if isinstance(value, list) and all(isinstance(v, str | dict) for v in value):
        return value
    raise fail("pseudonyms", "expected a list of names or {name, note} mappings")
