// Render CSL-JSON items with citeproc-js, the engine inside Zotero.
//
// Usage: node render.js REQUEST.json   (or the request on standard input)
// REQUEST: {"styles": {name: path-to-.csl}, "locale": path-to-locales-en-US.xml,
//           "items": [CSL-JSON, ...],
//           "requests": [{"key": str, "id": item id, "style": name,
//                         "form": "note" | "short-note" | "bibliography",
//                         "output": "text" | "html"}]}
// Prints {key: rendered string} as JSON. Notes come from makeCitationCluster (position
// "first" for a note, "subsequent" for a short note); bibliography entries come from
// makeBibliography with the entry wrapper and trailing newline removed.
"use strict";
const fs = require("fs");
const CSL = require("citeproc");

const request = JSON.parse(fs.readFileSync(process.argv[2] || 0, "utf8"));
const locale = fs.readFileSync(request.locale, "utf8");
const items = Object.fromEntries(request.items.map((item) => [String(item.id), item]));
let current = {};
const sys = {
  retrieveLocale: () => locale,
  retrieveItem: (id) => current[id],
};

const engines = {};
function engine(style, output) {
  const key = style + "\u0000" + output;
  if (!engines[key]) {
    const xml = fs.readFileSync(request.styles[style], "utf8");
    engines[key] = new CSL.Engine(sys, xml, "en-US", true);
    engines[key].setOutputFormat(output);
  }
  return engines[key];
}

// Each request registers its item alone, under an id used once, as archive/csl.py does: the
// engine keeps the data of an id it has seen, and registered items could disambiguate one another.
let serial = 0;
function render(req) {
  const eng = engine(req.style, req.output);
  serial += 1;
  const id = String(req.id) + "\u0000" + serial;
  current = { [id]: { ...items[String(req.id)], id } };
  eng.updateItems([id]);
  if (req.form === "bibliography") {
    const [, entries] = eng.makeBibliography();
    return (entries[0] || "").replace(/^\s*<div class="csl-entry">/, "").replace(/<\/div>\s*$/, "").trim();
  }
  const position = req.form === "short-note" ? CSL.POSITION_SUBSEQUENT : CSL.POSITION_FIRST;
  return eng.makeCitationCluster([{ id, position }]);
}

const out = {};
for (const req of request.requests) {
  out[req.key] = render(req);
}
process.stdout.write(JSON.stringify(out, null, 1) + "\n");
