"""unAPI (https://web.archive.org/web/2020/http://unapi.info/specs/): Zotero's way into a page.

Every document page links here (`<link rel="unapi-server">`) and names its id in
`<abbr class="unapi-id">`. Zotero's unAPI translator outranks its Embedded Metadata one, asks
which formats an id has, and imports the best it knows. We offer RIS only: it carries single-field
names, recipients, archive, archive location, letter type and Extra exactly (Dublin Core splits
"Mao Zedong" into "Zedong, Mao"), while MODS, which Zotero would prefer, loses the archive fields.

The Connector asks on every page view, so each answer is cheap: the format list is a constant,
an id costs one catalog lookup by primary key.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from archive import citations

from . import public_config, services
from .pages import CITE_FILES

bp = Blueprint("unapi", __name__)

RIS_TYPE = CITE_FILES["ris"][1].split(";")[0]
FORMATS = {"ris": RIS_TYPE}
MAX_ID_LENGTH = 200  # the catalog's id column
_XML = "application/xml; charset=utf-8"


def formats_xml(doc_id: str | None = None) -> str:
    """The formats list, for the server (no id) or for one id."""
    attribute = "" if doc_id is None else f' id="{_xml_escape(doc_id)}"'
    items = "".join(f'  <format name="{name}" type="{media_type}"/>\n'
                    for name, media_type in FORMATS.items())
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<formats{attribute}>\n{items}</formats>\n'


@bp.get("/unapi")
def unapi():
    doc_id = request.args.get("id") or None  # empty counts as absent, as everywhere
    fmt = request.args.get("format") or None
    if doc_id is None:
        if fmt is not None:
            return _text(400, "unAPI: a format needs an id (?id=DOCUMENT-ID&format=ris)")
        return Response(formats_xml(), status=200, content_type=_XML)
    record = _record(doc_id)
    if record is None:
        return _text(404, f"unAPI: no document with id {doc_id[:MAX_ID_LENGTH]!r}")
    if fmt is None:
        return Response(formats_xml(doc_id), status=300, content_type=_XML)
    if fmt not in FORMATS:
        return _text(406, f"unAPI: format {fmt[:40]!r} is not offered; the only format is ris")
    browser = services().browser
    text = citations.ris_entry(record, browser.people_map(), browser.archive_authority(),
                               public_config().base_url)
    return Response(text, status=200, content_type=CITE_FILES["ris"][1])


def _record(doc_id: str):
    if not doc_id or len(doc_id) > MAX_ID_LENGTH:
        return None
    return services().browser.catalog.get(doc_id)


def _text(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def _xml_escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))
