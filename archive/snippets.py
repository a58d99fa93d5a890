"""Snippets: an escaped window of a document's text around the words a query matched, marked
with <mark> (as archive.analysis would split and stem them), or the opening of a text."""

from __future__ import annotations

import html
import re

from . import analysis

SNIPPET_CHARS = 240


def highlight(text: str, terms: set[str], prefixes: list[str], fuzzy: set[str], *,
              width: int = SNIPPET_CHARS, whole: bool = False, memo: Marker | None = None) -> str:
    """An escaped window of `text` around the best cluster of matches, marked; "" if none match.

    `memo` (a Marker for the same terms) may be shared by the snippets of one page, so that each
    distinct word is analysed once.
    """
    if not text or not (terms or prefixes or fuzzy):
        return ""
    spans = (memo or Marker(terms, prefixes, fuzzy)).spans(text)
    if not spans:
        return ""
    if whole or len(text) <= width:
        lo, hi = 0, len(text)
    else:
        # the first span starting the window with the most distinct terms (spans are in text
        # order: the window's end only moves forward)
        best, best_score, end, inside = 0, -1, 0, {}
        for i, (s, _, term) in enumerate(spans):
            while end < len(spans) and spans[end][0] < s + width - 40:
                inside[spans[end][2]] = inside.get(spans[end][2], 0) + 1
                end += 1
            if len(inside) > best_score:
                best, best_score = i, len(inside)
            inside[term] -= 1
            if not inside[term]:
                del inside[term]
        anchor = spans[best][0]
        lo = max(0, anchor - 60)
        if lo:
            space = text.find(" ", lo)
            lo = space + 1 if 0 <= space < anchor else lo
        hi = min(len(text), lo + width)
        if hi < len(text):
            space = text.rfind(" ", lo, hi)
            hi = space if space > max(spans[best][1], lo) else hi
    out = ["…" if lo else ""]
    cursor = lo
    for s, e, _ in spans:
        if s < lo or e > hi:
            continue
        out.append(html.escape(text[cursor:s], quote=False))
        out.append(f"<mark>{html.escape(text[s:e], quote=False)}</mark>")
        cursor = e
    out.append(html.escape(text[cursor:hi], quote=False))
    out.append("…" if hi < len(text) else "")
    joined = re.sub(r"</mark>(\s+)<mark>", r"\1", "".join(out))  # one mark per phrase
    return " ".join(joined.split())


_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)  # as archive.analysis splits words
_WORD_CHAR = re.compile(r"\w")
_IRREGULAR = {"dying", "lying", "tying"}  # Snowball English: die, lie, tie


class Marker:
    """Finds the words of a text that a snippet marks (as analysis.tokens would split them).

    Each distinct word is analysed once; the marked ones are then found with one regular
    expression instead of a Python step per word (a page of snippets reads ~10,000 words).
    """

    def __init__(self, terms: set[str], prefixes: list[str], fuzzy: set[str]):
        self.terms, self.prefixes, self.fuzzy = terms, prefixes, fuzzy
        self.seen: set[str] = set()
        self.marked: dict[str, str] = {}  # word -> its primary term
        # Stemming keeps a word's first letter (Snowball English changes only endings; folding
        # keeps an ASCII first letter), so only words starting with the first letter of a term,
        # prefix or fuzzy word, or with a non-ASCII letter or "_", can be marked: the others
        # (most words of a page) are neither collected nor analysed. The pattern is _WORD's
        # after one character class and no lookbehind, so that the regular expression engine
        # skips ahead by first character; it also finds runs starting inside a word ("ctice" in
        # "practice"): analysed for nothing, and never marked, as spans() keeps only matches
        # where a word starts. A run never covers the start of a word, so none is missed.
        initials = {w[:1] for w in (*terms, *prefixes, *fuzzy) if w[:1].isascii()}
        letters = "".join(re.escape(c) for c in sorted(initials | {c.upper() for c in initials}))
        self.candidates = re.compile(rf"[{letters}_\u0080-\U0010ffff]\w*(?:['’]\w+)*")
        # Nor does it change a plain ASCII word's second letter, but for three exceptions
        # (_IRREGULAR); so such a word must also share its first two letters with a term.
        starts = (*terms, *prefixes, *fuzzy)
        self.pairs = {w[:2] for w in starts} if all(len(w) > 1 for w in starts) else None

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        words = set(self.candidates.findall(text))
        for run in [w for w in words if not (w[0].isalnum() or w[0] == "_")]:
            words.discard(run)  # "—Kim": a run from a non-ASCII mark, with the word after it
            words.update(_WORD.findall(run))
        pairs = self.pairs
        for word in words - self.seen:
            if pairs is not None and word.isascii() and "_" not in word \
                    and word.replace("'", "")[:2].lower() not in pairs \
                    and word.lower() not in _IRREGULAR:
                continue
            found = analysis.word_terms(word)
            if found and (not self.terms.isdisjoint(found) or (self.prefixes or self.fuzzy)
                          and _folded_hit(word, self.prefixes, self.fuzzy)):
                self.marked[word] = found[0]
        self.seen |= words
        spans = []
        for word in words & self.marked.keys():  # a few words, each a few times
            primary, size, at = self.marked[word], len(word), text.find(word)
            while at >= 0:
                if _starts_word(text, at) and _ends_word(text, at + size):
                    spans.append((at, at + size, primary))
                at = text.find(word, at + 1)
        spans.sort()
        return spans


def _starts_word(text: str, start: int) -> bool:
    """Whether a word of _WORD starts here (not inside "Akim" or after the ' of "Kim's")."""
    if start == 0 or not _WORD_CHAR.match(text, start - 1):
        return not (start >= 2 and text[start - 1] in "'’" and _WORD_CHAR.match(text, start - 2))
    return False


def _ends_word(text: str, end: int) -> bool:
    """Whether a word of _WORD can end here (not inside "Kimura", nor before the 's of "Kim's")."""
    if end == len(text):
        return True
    if _WORD_CHAR.match(text, end):
        return False
    return not (text[end] in "'’" and _WORD_CHAR.match(text, end + 1))


def _folded_hit(word: str, prefixes: list[str], fuzzy: set[str]) -> bool:
    folded = analysis.fold(word)
    return folded in fuzzy or any(folded.startswith(p) for p in prefixes)


def opening(text: str, width: int = SNIPPET_CHARS) -> str:
    """The escaped opening of a text, cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= width:
        return html.escape(text, quote=False)
    cut = text.rfind(" ", 0, width)
    return html.escape(text[:cut if cut > 0 else width], quote=False) + "…"
