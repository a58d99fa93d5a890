"""Irregular English inflections (sent / send, fought / fight, began / begun / begin, men / man),
so that a query meets the forms that stemming cannot join.

The forms come from simplemma's English lemma table (MIT licence, maintained, no dependencies,
a plain form -> lemma dictionary). Only the pairs the stemmer does not already join are kept
(about 7,000 of 180,000): "sending" and "send" meet through stemming, "sent" and "send" through
this table. Reading simplemma's dictionary and stemming it takes about a second, so a build
works the table out once and saves it with the index generation (`lemmas.json`, ~100 KB);
searching only reads that file.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path

import Stemmer

FILE = "lemmas.json"
_MIN_LENGTH = 3  # "am", "is", "m": too short to be worth meeting
_MAX_GROUP = 8  # lemmas with more irregular forms (be, have) are function words: left alone
_WORD = re.compile(r"^[a-z]+$")
# A form that only adds letters to its lemma is a derivation the table lists (firster,
# firstmost), not an irregular inflection, unless it adds a strong participle's ending
# (taken, children, done).
_PARTICIPLE_ENDINGS = ("n", "en", "ne", "ren")


def table_version() -> str:
    from importlib.metadata import version

    return f"simplemma {version('simplemma')}"


@cache  # once per process (tests build many archives); callers do not change it
def build_table() -> dict[str, list[str]]:
    """lemma -> its forms whose English stem differs from the lemma's, from simplemma."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    dictionary = DefaultDictionaryFactory().get_dictionary("en")
    pairs = []
    for form, lemma in dictionary.items():
        lemma = lemma.decode("utf-8") if isinstance(lemma, bytes) else lemma
        if form != lemma and _WORD.match(form) and _WORD.match(lemma) \
                and len(form) >= _MIN_LENGTH and len(lemma) >= 2:
            pairs.append((form, lemma))
    stemmer = Stemmer.Stemmer("english")
    form_stems = stemmer.stemWords([f for f, _ in pairs])
    lemma_stems = stemmer.stemWords([lemma for _, lemma in pairs])
    groups: dict[str, list[str]] = {}
    for (form, lemma), form_stem, lemma_stem in zip(pairs, form_stems, lemma_stems, strict=True):
        derived = form.startswith(lemma) and form[len(lemma):] not in _PARTICIPLE_ENDINGS
        if form_stem != lemma_stem and not derived:
            groups.setdefault(lemma, []).append(form)
    return {lemma: sorted(forms) for lemma, forms in sorted(groups.items())
            if len(forms) <= _MAX_GROUP}


class Lemmas:
    """Which other words a word should also be searched as."""

    def __init__(self, groups: dict[str, list[str]]):
        self._groups = groups
        self._lemmas: dict[str, list[str]] = {}  # form -> its lemmas (a few forms have two)
        for lemma, forms in groups.items():
            for form in forms:
                self._lemmas.setdefault(form, []).append(lemma)

    def __len__(self) -> int:
        return len(self._groups)

    def others(self, word: str) -> tuple[str, ...]:
        """The other forms of a word's lemma that stemming does not join to it ("sent" ->
        ("send",); "send" -> ("sent",)); () for most words."""
        key = word.casefold()
        lemmas = ([key] if key in self._groups else []) + self._lemmas.get(key, [])
        found = [w for lemma in lemmas for w in (lemma, *self._groups[lemma])]
        return tuple(w for w in dict.fromkeys(found) if w != key)


def save(folder: Path, groups: dict[str, list[str]] | None = None) -> None:
    """Write the table into an index generation's folder (kept when it is already current)."""
    path = folder / FILE
    version = table_version()
    if groups is None and _saved_version(path) == version:
        return
    data = {"source": version, "groups": groups if groups is not None else build_table()}
    scratch = folder / f".{FILE}.{os.getpid()}.tmp"
    scratch.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(scratch, path)  # never write into a hard-linked file


def load(folder: Path) -> Lemmas:
    """The table saved with a generation; worked out here for one built before it was saved."""
    try:
        data = json.loads((folder / FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Lemmas(build_table())
    return Lemmas(data["groups"])


def _saved_version(path: Path) -> str | None:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("source")
    except (OSError, ValueError):
        return None
