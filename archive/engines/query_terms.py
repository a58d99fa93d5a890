"""What every engine reads off a parsed query the same way: the words to mark in a snippet, the
refusal of a query whose prefix and fuzzy terms stand for too many index words, and that limit
(engine-neutral; only archive.query and archive.analysis)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .. import analysis
from .. import query as q

MAX_EXPANSIONS = 300  # index words all prefix and fuzzy terms of one query may stand for


def positive(node) -> Iterator:
    """The query's parts that must or may match (not those under NOT)."""
    if isinstance(node, q.And | q.Or):
        for item in node.items:
            yield from positive(item)
    elif not isinstance(node, q.Not):
        yield node


def highlight_terms(node, fuzzy_words: Callable[[str, int], list[str]]
                    ) -> tuple[set[str], list[str], set[str]]:
    """What to mark in a snippet: analysed terms, folded prefixes, and the folded index words a
    fuzzy term matched (`fuzzy_words(folded word, edits)`: the engine's own expansion)."""
    terms: set[str] = set()
    prefixes: list[str] = []
    fuzzy: set[str] = set()
    for item in positive(node):
        if isinstance(item, q.Term) and item.prefix:
            prefixes.append(analysis.fold(item.text))
        elif isinstance(item, q.Term) and item.fuzzy:
            fuzzy.update(fuzzy_words(analysis.fold(item.text), item.fuzzy))
        elif isinstance(item, q.Term):
            terms.update(analysis.word_terms(item.text))
        elif isinstance(item, q.Phrase):
            terms.update(t for w in item.words for t in analysis.word_terms(w))
        elif isinstance(item, q.Person):
            for form in item.text_forms:
                terms.update(t for w in analysis.words(form) for t in analysis.word_terms(w))
    return terms, prefixes, fuzzy


def too_many_expansions(node: q.Term, limit: int, alone: bool) -> str:
    typed = f"{node.text}*" if node.prefix else f"{node.text}~{node.fuzzy}"
    if alone:
        return f'"{typed}" stands for more than {limit} words of the index; use more letters'
    return (f'"{typed}" and the other prefix and fuzzy terms of the query stand for more than '
            f"{limit} words of the index; use fewer of them, or more letters")
