"""Text analysis shared by indexing, querying and highlighting (plain Python, no search engine).

A token's script decides how it is stemmed: Latin (and anything else) is folded to ASCII and
stemmed as English; Cyrillic is stemmed as Russian and *also* transliterated to Latin and stemmed
as English, at the same position, so that Штыков in a Russian original meets Shtykov in an
English summary and the other way round. Diacritics fold (Lüshun = Lushun).

Transliteration and folding use `anyascii` (ISC licence, maintained, table-driven and fast; it
folds every script, so the same call handles Cyrillic, diacritics and CJK). Stemming uses PyStemmer
(the C Snowball stemmers), with a per-process cache because a collection repeats its words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import Stemmer
from anyascii import anyascii

_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ENGLISH = Stemmer.Stemmer("english")
_RUSSIAN = Stemmer.Stemmer("russian")
_STEM_CACHE_SIZE = 200_000


@dataclass(frozen=True)
class Token:
    terms: tuple[str, ...]  # the index terms at this position (first is the primary one)
    pos: int
    start: int  # character offsets in the analysed text
    end: int


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC.search(word))


@lru_cache(maxsize=_STEM_CACHE_SIZE)
def fold(word: str) -> str:
    """Lower-case ASCII form of a word: no diacritics, Cyrillic transliterated, apostrophes gone."""
    if not word.isascii():
        word = anyascii(word)
    return re.sub(r"['’`]", "", word.lower())


@lru_cache(maxsize=_STEM_CACHE_SIZE)
def word_terms(word: str) -> tuple[str, ...]:
    """The index terms of one word (cached: the analyser calls this for every token)."""
    if is_cyrillic(word):
        lower = word.lower().replace("ё", "е")
        russian = _RUSSIAN.stemWord(lower)
        latin = _english(fold(word))
        return (russian, latin) if latin and latin != russian else (russian,)
    folded = fold(word)
    return (_english(folded),) if folded else ()


def _english(folded: str) -> str:
    folded = re.sub(r"[^a-z0-9]", "", folded)
    return _ENGLISH.stemWord(folded) if folded else ""


def tokens(text: str) -> Iterator[Token]:
    """Every word of `text` with its terms and character offsets."""
    pos = 0
    for match in _WORD.finditer(text):
        terms = word_terms(match.group())
        if terms:
            yield Token(terms, pos, match.start(), match.end())
            pos += 1


def words(text: str) -> list[str]:
    """The words of `text`, as `tokens` finds them (without their terms)."""
    return _WORD.findall(text)


def plain_words(text: str) -> Iterator[str]:
    """Folded, unstemmed words (the vocabulary for "did you mean")."""
    for match in _WORD.finditer(text):
        word = fold(match.group())
        if len(word) > 2 and word.isalpha():
            yield word
