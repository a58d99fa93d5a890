"""The JSON API: the same calls as the pages, serialised. Errors come from `web.errors`."""

from __future__ import annotations

import json
from dataclasses import asdict
from functools import cache
from pathlib import Path

from flask import Blueprint, jsonify, request

from archive.browse import DocLink, DocumentView, PersonView, TreeNode

from . import services
from .searching import run_search

bp = Blueprint("api", __name__)
OPENAPI = Path(__file__).with_name("openapi.json")


@bp.get("/")
def index():
    return jsonify({**asdict(services().browser.home()), "links": {
        "search": "/api/search", "people": "/api/people", "archives": "/api/archives",
        "sets": "/api/sets", "openapi": "/api/openapi.json"}})


@bp.get("/search")
def search():
    _search_request, result = run_search(request.args)
    return jsonify(result.to_dict())


@bp.get("/selection")
def selection():
    """The JSON twin of /selection?ids=...: the documents in date order with their references."""
    from .selection import chosen_documents, given_ids, share_url

    ids = given_ids()
    _context, _records, missing, rows = chosen_documents(ids)
    documents = [{"id": row["record"].id, "title": row["record"].title,
                  "type": row["record"].type, "number": row["record"].number,
                  "date": row["record"].date.text, "sender": row["sender"],
                  "recipient": row["recipient"], "archive_refs": row["refs"],
                  "url": f"/documents/{row['record'].id}"} for row in rows]
    joined = ",".join(d["id"] for d in documents)
    return jsonify({"total": len(documents), "documents": documents, "missing": missing,
                    "links": {"html": share_url(joined),
                              "export": f"/selection/export?ids={joined}" if joined else None}})


@bp.get("/documents/<slug:doc_id>")
def document(doc_id: str):
    return jsonify(document_json(services().browser.document(doc_id)))


@bp.get("/people")
def people():
    return jsonify({"people": [
        {**asdict(p.person), "kind": p.kind, "sent": p.sent, "received": p.received,
         "total": p.total, "url": f"/people/{p.person.id}"}
        for p in services().browser.people()
    ]})


@bp.get("/people/<slug:person_id>")
def person(person_id: str):
    return jsonify(person_json(services().browser.person(person_id)))


@bp.get("/archives")
def archives():
    return jsonify({"archives": [node_json(n) for n in services().browser.archive_tree()]})


@bp.get("/archives/<archive_id>")
def archive(archive_id: str):
    return jsonify(node_json(services().browser.archive_node(archive_id)))


@bp.get("/sets")
def sets():
    return jsonify({"sets": [{**asdict(s), "documents": list(s.documents), "url": f"/sets/{s.id}"}
                             for s in services().browser.sets()]})


@bp.get("/sets/<slug:set_id>")
def document_set(set_id: str):
    view = services().browser.set(set_id)
    return jsonify({**asdict(view.set), "documents": [link_json(d) for d in view.documents]})


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_spec())


@cache
def openapi_spec() -> dict:
    return json.loads(OPENAPI.read_text(encoding="utf-8"))


# -- serialisers ---------------------------------------------------------------------------


def link_json(link: DocLink | None) -> dict | None:
    return None if link is None else {**asdict(link), "url": f"/documents/{link.id}"}


def document_json(view: DocumentView) -> dict:
    record = view.record
    data = record.to_dict()
    data["archive_refs"] = [asdict(ref) for ref in view.refs]
    data["names"] = {role: [asdict(n) for n in names] for role, names in view.names.items()}
    data["body_html"] = view.body_html
    data["previous"] = link_json(view.previous)
    data["next"] = link_json(view.next)
    data["thread"] = {"replies_to": [link_json(d) for d in view.replies_to],
                      "replied_by": [link_json(d) for d in view.replied_by]}
    data["sets"] = [{"id": s.id, "title": s.title, "url": f"/sets/{s.id}"} for s in view.sets]
    data["links"] = {
        "html": f"/documents/{record.id}",
        "source": f"/documents/{record.id}.md",
        "ris": f"/documents/{record.id}/cite.ris",
        "bibtex": f"/documents/{record.id}/cite.bib",
        "csl-json": f"/documents/{record.id}/cite.json",
    }
    return data


def person_json(view: PersonView) -> dict:
    return {
        **asdict(view.person),
        "sent": view.counts.sent,
        "received": view.counts.received,
        "documents": [{**link_json(link), "roles": roles} for link, roles in view.documents],
        "months": [asdict(m) for m in view.months],
        "correspondents": [{**asdict(c.person), "to": c.to, "from": c.from_, "total": c.total}
                           for c in view.correspondents],
    }


def node_json(node: TreeNode) -> dict:
    data = {"level": node.level, "value": node.value, "label": node.label, "count": node.count}
    if node.children:
        data["children"] = [node_json(c) for c in node.children]
    if node.level == "delo":
        data["documents"] = [link_json(d) for d in node.documents]
    return data
