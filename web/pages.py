"""HTML pages. Each view parses the request, calls `archive`, renders; `web.api` serves the same
calls as JSON."""

from __future__ import annotations

import logging
from functools import lru_cache
from urllib.parse import quote_plus

from flask import Blueprint, Flask, Response, g, redirect, render_template, request, url_for
from markupsafe import Markup

from archive import citations
from archive.search import SearchError

from . import public_config, services
from .searching import export_links, run_search, search_error_page, search_page

log = logging.getLogger(__name__)


bp = Blueprint("pages", __name__)

CITE_STYLES = (  # (format key, label, style, form)
    ("chicago-note", "Chicago 18th edition, note", "chicago", "note"),
    ("chicago-short-note", "Chicago 18th edition, short note", "chicago", "short-note"),
    ("chicago-bibliography", "Chicago 18th edition, bibliography", "chicago", "bibliography"),
    ("mla", "MLA 9th edition", "mla", "bibliography"),
    ("apa", "APA 7th edition", "apa", "bibliography"),
)
CITE_FILES = {  # extension -> (citation format, media type, label)
    "ris": ("ris", "application/x-research-info-systems; charset=utf-8", "RIS"),
    "bib": ("bibtex", "application/x-bibtex; charset=utf-8", "BibTeX"),
    "json": ("csl-json", "application/vnd.citationstyles.csl+json; charset=utf-8", "CSL-JSON"),
}
LANGUAGES = citations.LANGUAGE_NAMES
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@bp.get("/")
def home():
    return render_template("home.html", home=services().browser.home())


@bp.get("/search")
def search():
    try:
        search_request, result = run_search(request.args, pictures=True)
    except SearchError as error:  # a 400 that keeps what the user typed and the active filters
        page = search_error_page(request.args, error, services().browser.people_map())
        return render_template("search.html", page=page), 400
    return render_template("search.html", page=search_page(search_request, result))


@bp.get("/documents/<slug:doc_id>")
def document(doc_id: str):
    browser = services().browser
    view = browser.document(doc_id)
    people, archives = browser.people_map(), browser.archive_authority()
    base_url = public_config().base_url
    record = view.record
    # per app, keyed by the build id (a rebuild from scratch starts the generations at 1 again)
    # and the address citations carry (the request's own when ARCHIVE_BASE_URL is unset)
    cites = services().citations.get((browser.build(), doc_id, base_url), lambda: [
        (key, label, Markup(citations.format_citation(record, people, archives, base_url, style, form,
                                                      output="html")))
        for key, label, style, form in CITE_STYLES])
    return render_template(
        "document.html",
        view=view,
        cites=cites,
        cite_files=CITE_FILES,
        meta_tags=citations.zotero_meta_tags(record, people, archives, base_url),
        canonical=citations.document_url(record, base_url),
        similar=_more_like_this(doc_id),
    )


@bp.get("/documents/<slug:doc_id>.md")
def document_source(doc_id: str):
    path = services().browser.source_path(doc_id)
    return Response(path.read_bytes(), content_type="text/markdown; charset=utf-8",
                    headers={"Content-Disposition": f'inline; filename="{doc_id}.md"'})


@bp.get("/documents/<slug:doc_id>/cite.<any(ris, bib, json):ext>")
def document_citation(doc_id: str, ext: str):
    browser = services().browser
    record = browser.document(doc_id).record
    fmt, media_type, _label = CITE_FILES[ext]
    text = citations.cite(record, browser.people_map(), browser.archive_authority(),
                          public_config().base_url, fmt)
    return Response(text, content_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{doc_id}.{ext}"'})


@bp.get("/people")
def people():
    return render_template("people.html", people=services().browser.people())


@bp.get("/people/<person_id>")
def person(person_id: str):
    """A person's page; any other form of the name (Filippov, 毛澤東) redirects to it."""
    browser = services().browser
    if person_id not in browser.people_map():
        found = browser.person_id_for(person_id)
        if found is not None:
            return redirect(url_for("pages.person", person_id=found), 302)
    return render_template("person.html", view=browser.person(person_id))


@bp.get("/archives")
def archives():
    return render_template("archives.html", tree=services().browser.archive_tree())


@bp.get("/archives/<archive_id>")
def archive(archive_id: str):
    return render_template("archive.html", node=services().browser.archive_node(archive_id))


@bp.get("/sets")
def sets():
    return render_template("sets.html", sets=services().browser.sets())


@bp.get("/sets/<slug:set_id>")
def document_set(set_id: str):
    return render_template("set.html", view=services().browser.set(set_id),
                           export_links=export_links(f"/sets/{set_id}/export", []))


@bp.get("/help")
def help():
    from archive.help import PICTURE_SECTIONS, QUERY_SECTIONS

    return render_template("help.html", sections=QUERY_SECTIONS, pictures=PICTURE_SECTIONS)


def _more_like_this(doc_id: str) -> list:
    """Similar documents; a search failure never fails the document page."""
    try:
        return services().search.more_like_this(doc_id, limit=5)
    except Exception:  # noqa: BLE001 - an optional panel
        log.exception("more like this failed for %s", doc_id)
        return []


def query_url(params, endpoint: str = "pages.search") -> str:
    """The URL of `endpoint` with these query parameters (pairs, as the search service gives).

    The same as `url_for(endpoint) + "?" + urlencode(params)`, made cheaper because a search
    page builds ~200 of these (a link per facet value, all sharing most of their pairs): each
    pair is encoded once per process, and each endpoint resolved once per request.
    """
    query = "&".join([_encoded_pair(str(k), str(v)) for k, v in params])
    return _endpoint_url(endpoint) + (f"?{query}" if query else "")


@lru_cache(maxsize=8192)
def _encoded_pair(key: str, value: str) -> str:
    return f"{quote_plus(key)}={quote_plus(value)}"


def _endpoint_url(endpoint: str) -> str:
    urls = g.setdefault("endpoint_urls", {})
    if endpoint not in urls:
        urls[endpoint] = url_for(endpoint)
    return urls[endpoint]


def month_label(month: str) -> str:
    """"1950-05" -> "May 1950"."""
    try:
        return f"{MONTHS[int(month[5:7]) - 1]} {month[:4]}"
    except (ValueError, IndexError):
        return month


def names(people) -> str:
    return ", ".join(p.name for p in people) or "unknown"


def init_app(app: Flask) -> None:
    app.add_template_filter(query_url)
    app.add_template_filter(month_label)
    app.add_template_filter(names)
    app.add_template_global(LANGUAGES, "LANGUAGES")
