"""Index words near a word: the candidates of fuzzy terms (`word~`) and of "did you mean".

Whoosh finds them with an edit-distance automaton built in Python for every query word, or (over
several segments) with a Python edit distance against every word sharing the first letters, so
the cost grew with the word's length and with the vocabulary: a 999-letter word took 92 s at
3,000 documents (#14). Here a field's vocabulary is read once per index generation, one first
letter at a time (only when a query needs it), into buckets by word length. A word's candidates
are then only the words with its first letter whose length is within the allowed edits, compared
by rapidfuzz (C++, bit-parallel) with the optimal string alignment distance: Levenshtein plus
adjacent transpositions, Whoosh's own measure. No Whoosh here: the engine hands in a function
that lists a field's words by prefix.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

WordsStarting = Callable[[str, str], Iterable[str]]  # (field, prefix) -> the field's words


class Lexicon:
    """The words of an index generation's fields, grouped by first letter and length; thread-safe."""

    def __init__(self, words_starting: WordsStarting):
        self._words_starting = words_starting
        self._groups: dict[tuple[str, str], dict[int, list[str]]] = {}
        self._lock = threading.Lock()

    def within(self, field: str, word: str, maxdist: int) -> list[str]:
        """The field's words with the same first letter as `word` and at most `maxdist` edits
        from it (`word` itself included when indexed), in alphabetical order."""
        if not word:
            return []
        group = self._group(field, word[0])
        candidates = [w for size in range(max(1, len(word) - maxdist), len(word) + maxdist + 1)
                      for w in group.get(size, ())]
        if not candidates:
            return []
        found = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=maxdist,
                                limit=None)
        return sorted(w for w, _, _ in found)

    def _group(self, field: str, letter: str) -> dict[int, list[str]]:
        key = (field, letter)
        group = self._groups.get(key)
        if group is None:
            with self._lock:
                group = self._groups.get(key)
                if group is None:
                    group = {}
                    for w in self._words_starting(field, letter):
                        group.setdefault(len(w), []).append(w)
                    self._groups[key] = group
        return group
