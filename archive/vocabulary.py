"""The place and term authorities: places (with coordinates) and bodies, states, acronyms and
terms, each with every form its name takes (documents/authority/places.yaml and terms.yaml).

They work as the name authority does (archive.people): a form in any script or spelling resolves to
one entry, matching ignores case, diacritics and punctuation. Acronyms are the exception: they
match only as written (UN, US, VKP(b)), so that the words "un" and "us" stay words.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from .people import AuthorityError, normalize_name
from .yamlnodes import error_line, error_text, load_located

PLACE_FIELDS = {"id", "name", "native", "variants", "historic", "lat", "lon", "note"}
TERM_FIELDS = {"id", "name", "kind", "acronyms", "native", "variants", "note"}
TERM_KINDS = ("state", "party", "army", "ministry", "organisation", "term")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PLACE_WORDS = 4  # the longest place name looked for inside a place_from / place_to value


@dataclass(frozen=True)
class Entry:
    """A place, or a body, state or term, with the forms of its name."""

    id: str
    name: str  # the form shown in facets and notes
    kind: str  # place | state | party | army | ministry | organisation | term
    native: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()  # matched as written, case and all
    historic: tuple[str, ...] = ()  # places: which of the forms are historic names
    lat: float | None = None
    lon: float | None = None
    note: str | None = None

    def all_forms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.name, *self.native, *self.variants, *self.acronyms)))


def entry_from_dict(data: dict) -> Entry:
    tuples = {k: tuple(v) for k, v in data.items() if isinstance(v, list)}
    return Entry(**{**data, **tuples})


def acronym_key(text: str) -> str:
    """An acronym as typed, without diacritics and punctuation but keeping its case."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


class Vocabulary:
    """The entries of one authority file, found by any form of their names."""

    def __init__(self, entries: list[Entry], lines: dict[str, int] | None = None,
                 path: Path | None = None):
        self._by_id = {e.id: e for e in entries}
        self.lines = lines or {}  # entry id -> line in the file (for problems)
        self.path = path
        self._forms: dict[str, str] = {}
        self._acronyms: dict[str, str] = {}
        for entry in entries:
            for form in (entry.name, *entry.native, *entry.variants):  # not ids: "un", "usa"
                self._forms.setdefault(normalize_name(form), entry.id)
            for form in entry.acronyms:
                self._acronyms.setdefault(acronym_key(form), entry.id)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, entry_id: str) -> bool:
        return entry_id in self._by_id

    def get(self, entry_id: str) -> Entry:
        return self._by_id[entry_id]

    def resolve(self, text: str) -> Entry | None:
        """The entry a form stands for (acronyms only as written), or None."""
        entry_id = self._acronyms.get(acronym_key(text)) or self._forms.get(normalize_name(text))
        return self._by_id[entry_id] if entry_id else None

    def forms(self) -> dict[str, str]:
        """Every normalised form (acronyms folded too) and the id it stands for."""
        folded = {normalize_name(k): v for k, v in self._acronyms.items()}
        return {**folded, **self._forms}

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Names of the entries whose forms come nearest to `text`."""
        names: list[str] = []
        for form in difflib.get_close_matches(normalize_name(text), self._forms, n=12, cutoff=0.7):
            name = self._by_id[self._forms[form]].name
            if name not in names:
                names.append(name)
        return names[:limit]

    def find_in(self, text: str) -> list[str]:
        """The ids of the entries named inside a free text such as "Sochi (via Moscow)" or
        "Moscow, then by VCh to Stalin in the south", longest names first, in order."""
        words = normalize_name(text).split()
        found: list[str] = []
        i = 0
        while i < len(words):
            for size in range(min(_PLACE_WORDS, len(words) - i), 0, -1):
                entry_id = self._forms.get(" ".join(words[i:i + size]))
                if entry_id:
                    if entry_id not in found:
                        found.append(entry_id)
                    i += size
                    break
            else:
                i += 1
        return found

    def to_list(self) -> list[dict]:
        return [asdict(e) for e in sorted(self, key=lambda e: e.id)]


def vocabulary_from_list(data: list[dict]) -> Vocabulary:
    return Vocabulary([entry_from_dict(d) for d in data])


# -- loading ---------------------------------------------------------------------------------

def load_places(path: Path) -> Vocabulary:
    """Load places.yaml; raises AuthorityError naming the file, line and field of a problem."""
    return _load(path, "places", _place)


def load_terms(path: Path) -> Vocabulary:
    """Load terms.yaml; raises AuthorityError naming the file, line and field of a problem."""
    return _load(path, "terms", _term)


def overlaps(vocabulary: Vocabulary, others: dict[str, dict[str, str]]) -> list[str]:
    """`path:line: id: message` for each form of `vocabulary` that is also a form in another
    authority (`others`: file name -> normalised form -> id)."""
    problems = []
    for entry in vocabulary:
        for form in entry.all_forms():
            key = normalize_name(form)
            for name, forms in others.items():
                if key in forms:
                    line = vocabulary.lines.get(entry.id, 1)
                    problems.append(f"{vocabulary.path}:{line}: {entry.id}: the form {form!r} is also "
                                    f"a form of {forms[key]!r} in {name}")
    return problems


def _load(path: Path, what: str, make) -> Vocabulary:
    try:
        located = load_located(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise AuthorityError(f"{path}:{error_line(error)}: {what}: {error_text(error)}") from None
    except OSError as error:
        raise AuthorityError(f"{path}:1: {what}: cannot read the {what} authority "
                             f"({error.strerror})") from None
    if located.value is None:
        return Vocabulary([], {}, path)
    if not isinstance(located.value, list):
        raise AuthorityError(f"{path}:{located.line}: {what}: expected a list of entries")
    entries: list[Entry] = []
    lines: dict[str, int] = {}
    owner: dict[str, str] = {}
    for raw, line in zip(located.value, located.item_lines, strict=True):
        entry = make(raw, path, line, what)
        if entry.id in lines:
            raise AuthorityError(f"{path}:{line}: id: duplicate id {entry.id!r} "
                                 f"(first at line {lines[entry.id]})")
        for form in (entry.id, *entry.all_forms()):
            key = acronym_key(form) if form in entry.acronyms else normalize_name(form)
            if owner.get(key, entry.id) != entry.id:
                raise AuthorityError(f"{path}:{line}: {entry.id}: the form {form!r} also belongs "
                                     f"to {owner[key]!r}")
            owner[key] = entry.id
        lines[entry.id] = line
        entries.append(entry)
    return Vocabulary(entries, lines, path)


def _common(raw: object, path: Path, line: int, what: str, known: set[str]):
    def fail(field: str, message: str) -> AuthorityError:
        return AuthorityError(f"{path}:{line}: {field}: {message}")

    if not isinstance(raw, dict):
        raise fail(what, "each entry must be a mapping with at least id and name")
    unknown = sorted(set(raw) - known)
    if unknown:
        close = difflib.get_close_matches(unknown[0], known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(known))}"
        raise fail(unknown[0], f"unknown field ({hint})")
    for field in ("id", "name"):
        if not isinstance(raw.get(field), str) or not raw[field].strip():
            raise fail(field, "required text is missing")
    if not _ID.match(raw["id"]):
        raise fail("id", f"{raw['id']!r} is not a slug (lower-case letters, digits, hyphens)")
    texts = {field: _texts(raw.get(field), field, fail)
             for field in ("native", "variants", "acronyms", "historic")}
    note = raw.get("note")
    if note is not None and not isinstance(note, str):
        raise fail("note", "expected text")
    return fail, texts


def _place(raw: object, path: Path, line: int, what: str) -> Entry:
    fail, texts = _common(raw, path, line, what, PLACE_FIELDS)
    coordinates = {}
    for field, limit in (("lat", 90), ("lon", 180)):
        value = raw.get(field)
        if value is None:
            raise fail(field, "required: the place's coordinates in decimal degrees")
        if isinstance(value, bool) or not isinstance(value, int | float) or not -limit <= value <= limit:
            raise fail(field, f"expected a number from -{limit} to {limit}, got {value!r}")
        coordinates[field] = float(value)
    names = {normalize_name(f) for f in (raw["name"], *texts["native"], *texts["variants"])}
    for form in texts["historic"]:
        if normalize_name(form) not in names:
            raise fail("historic", f"{form!r} is not among the place's name, native or variants")
    return Entry(id=raw["id"], name=raw["name"], kind="place", native=texts["native"],
                 variants=texts["variants"], historic=texts["historic"], note=raw.get("note"),
                 **coordinates)


def _term(raw: object, path: Path, line: int, what: str) -> Entry:
    fail, texts = _common(raw, path, line, what, TERM_FIELDS)
    kind = raw.get("kind")
    if kind not in TERM_KINDS:
        raise fail("kind", f"expected one of {', '.join(TERM_KINDS)}, got {kind!r}")
    for form in texts["acronyms"]:
        if not acronym_key(form):
            raise fail("acronyms", f"{form!r} has no letters or digits")
    return Entry(id=raw["id"], name=raw["name"], kind=kind, native=texts["native"],
                 variants=texts["variants"], acronyms=texts["acronyms"], note=raw.get("note"))


def _texts(value: object, field: str, fail) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(value)
    raise fail(field, "expected text or a list of text")


def load_vocabularies(authority_dir: Path, people_forms: dict[str, str] | None
                      ) -> tuple[Vocabulary | None, Vocabulary | None, list[str]]:
    """places.yaml and terms.yaml (each optional: a missing file is an empty authority) and
    every problem as `path:line: field: message`, forms shared with people.yaml included."""
    problems: list[str] = []
    loaded: dict[str, Vocabulary | None] = {}
    for name, load in (("places.yaml", load_places), ("terms.yaml", load_terms)):
        path = authority_dir / name
        if not path.exists():
            loaded[name] = Vocabulary([], {}, path)
            continue
        try:
            loaded[name] = load(path)
        except AuthorityError as error:
            problems.append(str(error))
            loaded[name] = None
    places, terms = loaded["places.yaml"], loaded["terms.yaml"]
    others = {"people.yaml": people_forms or {}}
    if places is not None:
        problems += overlaps(places, others)
        others["places.yaml"] = places.forms()
    if terms is not None:
        problems += overlaps(terms, others)
    return places, terms, problems


def unknown_place(value: str, places: Vocabulary) -> str | None:
    """A warning for a place_from / place_to value that names no known place, else None."""
    if not value.strip() or places.find_in(value):
        return None
    close = places.suggest(value, limit=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    return f"warning: no place in {places.path.name if places.path else 'places.yaml'} is " \
           f"named in {value!r}{hint} (add it there to facet and map it)"
