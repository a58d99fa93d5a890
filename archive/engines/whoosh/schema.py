"""The Whoosh schema and its analysis, and the one patch of a Whoosh class (imported by the
engine's writing and reading modules alike).

Analysis is archive.analysis wrapped as a Whoosh tokenizer: Latin words stemmed as English,
Cyrillic words stemmed as Russian plus their transliteration, diacritics folded. `spell` keeps
the folded, unstemmed words (doc ids only) for prefix, fuzzy and "did you mean". A word-pair
(shingle) field for phrases was tried and dropped: Whoosh pays ~50-90 us per distinct term at
commit, and pairs multiplied the vocabulary (345,000 terms for 1,000 documents; build 3x slower).
"""

from __future__ import annotations

from whoosh.analysis import Token as WhooshToken
from whoosh.analysis import Tokenizer
from whoosh.codec import whoosh3 as w3
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from ... import analysis


def _cache_missing_length_columns() -> None:
    """Whoosh 2.7's per-document reader checks the disk (a stat) on every posting of a field that
    has no length column (ID, KEYWORD, NUMERIC fields), because it caches only the columns it
    finds. Caching the absence too removed ~265,000 stat calls from indexing 1,000 documents
    (74 -> 85 documents/s)."""
    reader_class = w3.W3PerDocReader
    if getattr(reader_class, "_archive_caches_absence", False):
        return
    find = reader_class._cached_reader

    def cached_reader(self, fieldname, column):
        if fieldname not in self._readers:
            self._readers[fieldname] = find(self, fieldname, column)
        return self._readers[fieldname]

    reader_class._cached_reader = cached_reader
    reader_class._archive_caches_absence = True


_cache_missing_length_columns()


class _Mixed(Tokenizer):
    """Words -> stems (English for Latin, Russian + transliteration for Cyrillic), with offsets."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost, t.stopped = 1.0, False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for token in analysis.tokens(value):
            for term in token.terms:
                t.text = term
                t.boost, t.stopped = 1.0, False
                if positions:
                    t.pos = start_pos + token.pos
                if chars:
                    t.startchar, t.endchar = start_char + token.start, start_char + token.end
                yield t


class _Plain(Tokenizer):
    """Folded, unstemmed words (the spelling vocabulary)."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        words = analysis.plain_words(value) if tokenize else [value]
        for i, word in enumerate(words):
            t.text, t.boost, t.stopped = word, 1.0, False
            if positions:
                t.pos = start_pos + i
            yield t


MIXED = _Mixed()
PLAIN = _Plain()


def _keyword(analyzer) -> KEYWORD:
    """Terms without frequencies or positions (doc ids only: the cheapest postings to write)."""
    field = KEYWORD()
    field.analyzer = analyzer
    return field


def schema() -> Schema:
    return Schema(
        id=ID(unique=True, stored=True, sortable=True),
        title=TEXT(analyzer=MIXED, stored=True),
        text=TEXT(analyzer=MIXED, stored=True),
        spell=_keyword(PLAIN),
        names=TEXT(analyzer=MIXED),
        people=KEYWORD(commas=True),
        sender=KEYWORD(commas=True, stored=True),
        recipient=KEYWORD(commas=True, stored=True),
        via=KEYWORD(commas=True, stored=True),
        archive=KEYWORD(commas=True, stored=True),
        fond=KEYWORD(commas=True, lowercase=True),
        type=ID(stored=True),
        language=ID(stored=True),
        subject=TEXT(analyzer=MIXED, stored=True),
        number=TEXT(analyzer=MIXED, stored=True),
        date_start=NUMERIC(int, bits=32, stored=True),
        date_end=NUMERIC(int, bits=32, stored=True),
        date_text=STORED(),
        summary=STORED(),
        facets=COLUMN(),
    )


