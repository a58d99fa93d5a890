"""What a free word or run of words in a query is also searched as: every form of a place or a
body/term it names (Mukden -> Shenyang, 沈阳, 奉天 ...; CCP -> Chinese Communist Party, КПК ...),
and the irregular forms of its lemma (sent -> send). Plain Python above the search engine: the
query tree (archive.query) gets ordinary terms and phrases, so every engine gives the same results.

Expansions are capped: at most MAX_FORMS_PER_NAME forms for one name and MAX_FORMS in one query,
so a stranger's query of forty place names costs what a few dozen words cost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .analysis import word_terms
from .lemmas import Lemmas
from .people import normalize_name
from .vocabulary import Entry, Vocabulary, acronym_key

MAX_FORMS_PER_NAME = 12
MAX_FORMS = 48
NOTE_FORMS = 5  # forms listed in a note
_WORDS = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
_KINDS = {"place": "the place", "state": "the state", "party": "the party", "army": "the army",
          "ministry": "the ministry", "organisation": "the organisation", "term": "the term"}


@dataclass(frozen=True)
class Expansion:
    forms: tuple[tuple[str, ...], ...]  # each form as its words, the typed one first
    note: str


class Expander:
    """Expands the words of one query (it keeps the query's budget of forms)."""

    def __init__(self, places: Vocabulary | None = None, terms: Vocabulary | None = None,
                 lemmas: Lemmas | None = None):
        self.vocabularies = [v for v in (terms, places) if v is not None]
        self.lemmas = lemmas
        self.budget = MAX_FORMS

    def __bool__(self) -> bool:
        return bool(self.vocabularies or self.lemmas)

    def name(self, typed: str) -> Expansion | None:
        """Every form of the place, body or term `typed` names; None when it names none."""
        for vocabulary in self.vocabularies:
            entry = vocabulary.resolve(typed)
            if entry is not None:
                return self._expand(entry, typed)
        return None

    def word(self, typed: str) -> Expansion | None:
        """The irregular forms of a word's lemma (sent -> send); None when there are none, and
        for a word with a capital letter: in a query that is most often a name (Sung, Lin)."""
        if self.lemmas is None or self.budget <= 0 or typed != typed.lower():
            return None
        others = self.lemmas.others(typed)[:min(self.budget, MAX_FORMS_PER_NAME - 1)]
        if not others:
            return None
        self.budget -= len(others)
        return Expansion(((typed,), *((w,) for w in others)),
                         f'Searched for "{typed}" also as {_listed(others)}.')

    def _expand(self, entry: Entry, typed: str) -> Expansion:
        typed_key = acronym_key(typed)
        candidates = [typed, entry.name, *entry.acronyms, *entry.variants, *entry.native]
        forms: list[tuple[str, ...]] = []
        shown: list[str] = []
        seen: set[tuple] = set()
        limit = max(1, min(MAX_FORMS_PER_NAME, self.budget))
        for form in candidates:
            if form in entry.acronyms and len(acronym_key(form).replace(" ", "")) <= 2 \
                    and acronym_key(form) != typed_key:
                continue  # "US", "UN": searched for only when typed (else every "us" matches)
            words = tuple(_WORDS.findall(form))
            key = tuple(word_terms(w) for w in words)
            if not words or key in seen:
                continue
            seen.add(key)
            forms.append(words)
            if normalize_name(form) not in (normalize_name(typed), normalize_name(entry.name)):
                shown.append(form)
            if len(forms) >= limit:
                break
        self.budget -= len(forms)
        what = _KINDS.get(entry.kind, "")
        reading = "" if normalize_name(typed) == normalize_name(entry.name) else \
            f" as {what} {entry.name},".replace("  ", " ")
        note = f'Searched for "{typed}"{reading} also as {_listed(shown)}.' if shown else \
            f'Searched for "{typed}" as {what} {entry.name}.'
        return Expansion(tuple(forms), note)


def _listed(forms) -> str:
    forms = list(forms)
    head = ", ".join(forms[:NOTE_FORMS])
    more = len(forms) - NOTE_FORMS
    return f"{head} and {more} more" if more > 0 else head
