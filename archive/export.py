"""Bulk export of any document set: a search result, a curated set, or the whole archive.

Every format is a generator of bytes, so a web response or a file fills as the records stream
from the catalog; memory stays flat however many documents there are. ZIP members other than
the sources are spooled to temporary files during the single pass over the records.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from zipstream import ZIP_DEFLATED, ZipStream

from . import citations
from .archives import ArchiveAuthority
from .catalog import Catalog
from .files import read_regular
from .records import Person, Record
from .ref_formats import format_short
from .settings import Config

FORMATS = {  # name -> (file extension, media type)
    "zip": ("zip", "application/zip"),
    "csv": ("csv", "text/csv; charset=utf-8"),
    "jsonl": ("jsonl", "application/x-ndjson; charset=utf-8"),
    "bibtex": ("bib", "application/x-bibtex; charset=utf-8"),
    "ris": ("ris", "application/x-research-info-systems; charset=utf-8"),
    "csl-json": ("json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
}
CSV_COLUMNS = (
    "id", "title", "type", "number", "date", "date_earliest", "date_latest", "date_note",
    "sender", "recipient", "via", "copies_to", "signed_as", "place_from", "place_to", "language",
    "subjects", "archive_refs", "archive_ref_status", "published_in", "source_url", "source_copies",
    "translator", "replies_to", "confidence", "confidence_note", "url",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets read as a formula (OWASP)
_SPOOL_BYTES = 1 << 20  # members spill to disk past 1 MB
ZIP_LEVEL = 1  # zlib's fastest: 3.1x faster than the default 6 on our sources and metadata, 13 % larger


@dataclass
class ExportSet:
    """What is exported: a description for README.txt and a way to stream the records."""

    description: str  # e.g. 'search "Filippov" with sender=stalin' or 'set "The green light"'
    records: Callable[[], Iterable[Record]]
    source_url: str  # where the set can be seen again (a search URL, a set page)


@dataclass
class Context:
    """What serialisers need besides the records: names, archives, paths, public address."""

    people: dict[str, Person]
    archives: ArchiveAuthority
    documents_dir: Path
    base_url: str
    max_file_bytes: int = 5_000_000

    @classmethod
    def load(cls, config: Config, catalog: Catalog) -> Context:
        return cls({p.id: p for p in catalog.people()}, ArchiveAuthority(catalog.archives()),
                   config.documents_dir, config.base_url, config.max_file_bytes)


def export(export_set: ExportSet, fmt: str, context: Context, *, csv_bom: bool = False,
           progress: Callable[[int], None] | None = None,
           left_out: list[str] | None = None) -> Iterator[bytes]:
    """Stream `export_set` as `fmt` (one of FORMATS); ValueError for an unknown format.

    A ZIP holds each source only as catalogued: a file changed or removed since the build is
    left out of `documents/` (its metadata and citations are the catalogued version's), named
    at the top of README.txt, and appended to `left_out` ("path (changed)") as it streams.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    records = _counting(export_set.records(), progress)
    if fmt == "zip":
        return _zip(export_set, records, context, [] if left_out is None else left_out)
    writer = _WRITERS[fmt](context, csv_bom=csv_bom)
    return _stream(writer, records)


def filename(stem: str, fmt: str) -> str:
    return f"{stem}.{FORMATS[fmt][0]}"


class _Writer:
    """Turns records into text, piece by piece: head(), one item per record, tail()."""

    def __init__(self, context: Context, csv_bom: bool = False):
        self.context = context
        self.count = 0

    def head(self) -> str:
        return ""

    def item(self, record: Record) -> str:
        raise NotImplementedError

    def tail(self) -> str:
        return ""


class _CSV(_Writer):
    def __init__(self, context: Context, csv_bom: bool = False):
        super().__init__(context)
        self.bom = csv_bom
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")

    def head(self) -> str:
        self.writer.writerow(CSV_COLUMNS)
        return ("\ufeff" if self.bom else "") + self._take()

    def item(self, record: Record) -> str:
        row = csv_row(record, self.context)
        self.writer.writerow([spreadsheet_safe(row[c]) for c in CSV_COLUMNS])
        return self._take()

    def _take(self) -> str:
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: one that starts like a formula gets a leading
    single quote, as OWASP advises against CSV injection (CSV only: JSONL and the Markdown
    sources keep the text as written)."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


class _JSONL(_Writer):
    def item(self, record: Record) -> str:
        return json.dumps(json_record(record, self.context), ensure_ascii=False) + "\n"


class _BibTeX(_Writer):
    def __init__(self, context: Context, csv_bom: bool = False):
        super().__init__(context)
        self.seen: dict[str, int] = {}

    def item(self, record: Record) -> str:
        key = citations.bibtex_key(record)
        self.seen[key] = self.seen.get(key, 0) + 1
        if self.seen[key] > 1:
            key = f"{key}-{self.seen[key]}"
        c = self.context
        prefix = "\n" if self.count else ""
        self.count += 1
        return prefix + citations.bibtex_entry(record, c.people, c.archives, c.base_url, key=key)


class _RIS(_Writer):
    def item(self, record: Record) -> str:
        c = self.context
        prefix = "\n" if self.count else ""
        self.count += 1
        return prefix + citations.ris_entry(record, c.people, c.archives, c.base_url)


class _CSLJSON(_Writer):
    def head(self) -> str:
        return "["

    def item(self, record: Record) -> str:
        c = self.context
        item = citations.csl_json(record, c.people, c.archives, c.base_url)
        prefix = "," if self.count else ""
        self.count += 1
        return prefix + "\n  " + json.dumps(item, ensure_ascii=False)

    def tail(self) -> str:
        return "\n]\n" if self.count else "]\n"


_WRITERS: dict[str, type[_Writer]] = {
    "csv": _CSV, "jsonl": _JSONL, "bibtex": _BibTeX, "ris": _RIS, "csl-json": _CSLJSON,
}


def _stream(writer: _Writer, records: Iterable[Record]) -> Iterator[bytes]:
    yield writer.head().encode("utf-8")
    pending: list[str] = []
    size = 0
    for record in records:
        text = writer.item(record)
        pending.append(text)
        size += len(text)
        if size > 64 * 1024:
            yield "".join(pending).encode("utf-8")
            pending, size = [], 0
    pending.append(writer.tail())
    yield "".join(pending).encode("utf-8")


def _zip(export_set: ExportSet, records: Iterable[Record], context: Context,
         left_out: list[str]) -> Iterator[bytes]:
    members = {
        "manifest.csv": _CSV(context, csv_bom=True),
        "documents.jsonl": _JSONL(context),
        "citations.bib": _BibTeX(context),
        "citations.ris": _RIS(context),
        "citations.json": _CSLJSON(context),
    }
    spools = {name: tempfile.SpooledTemporaryFile(_SPOOL_BYTES, mode="w+b") for name in members}
    stream = ZipStream(compress_type=ZIP_DEFLATED, compress_level=ZIP_LEVEL, sized=False)
    count = 0
    try:
        for name, writer in members.items():
            spools[name].write(writer.head().encode("utf-8"))
        for record in records:
            source = _catalogued_source(record, context)
            if isinstance(source, bytes):
                stream.add(source, f"documents/{record.path}")
            else:
                left_out.append(f"documents/{record.path} ({source})")
            for name, writer in members.items():
                spools[name].write(writer.item(record).encode("utf-8"))
            count += 1
            yield from stream.all_files()
        for name, writer in members.items():
            spool = spools[name]
            spool.write(writer.tail().encode("utf-8"))
            spool.seek(0)
            stream.add(iter(lambda s=spool: s.read(1 << 16), b""), name)
            yield from stream.all_files()
        stream.add(readme(export_set, count, context, left_out).encode("utf-8"), "README.txt")
        yield from stream.all_files()
        yield from stream.footer()
    finally:
        for spool in spools.values():
            spool.close()


def _catalogued_source(record: Record, context: Context) -> bytes | str:
    """The file's bytes if they are still those the build catalogued, else why not."""
    try:
        raw = read_regular(context.documents_dir / record.path, context.max_file_bytes)
    except FileNotFoundError:
        return "removed"
    except OSError as error:
        return f"unreadable: {error.strerror or error}"
    return raw if hashlib.sha256(raw).hexdigest() == record.sha256 else "changed"


def readme(export_set: ExportSet, count: int, context: Context,
           left_out: list[str] = ()) -> str:
    now = datetime.now(UTC)
    what = export_set.description[:1].upper() + export_set.description[1:]
    warning = [
        f"WARNING: {len(left_out)} source file(s) changed or removed since the archive was "
        "built are NOT in documents/;",
        "their rows and citations here describe the version that was catalogued. Rebuild the "
        "archive and export again for a complete set:",
        *(f"  {item}" for item in left_out),
        "",
    ] if left_out else []
    complete = ("complete (nothing was truncated)" if not left_out
                else f"{count - len(left_out)} with their source (see the warning above)")
    return "\n".join([
        "Export from the archive of diplomatic telegrams on the origins of the Korean War",
        "",
        *warning,
        f"What:     {export_set.description}",
        f"Count:    {count} document(s), {complete}",
        f"Exported: {now:%Y-%m-%d %H:%M:%S} UTC",
        f"See it:   {export_set.source_url}",
        "",
        "Contents",
        "  documents/       the Markdown source of every document, byte for byte",
        "  manifest.csv     one row per document (UTF-8 with BOM; multi-valued fields joined by '; ')",
        "  documents.jsonl  one JSON record per line, with parsed references and canonical names",
        "  citations.bib    BibTeX (@unpublished; the archive reference is in note)",
        "  citations.ris    RIS, as Zotero imports letters",
        "  citations.json   CSL-JSON",
        "",
        "How to cite this set",
        f"  {what}. Exported {now:%d %B %Y} from {export_set.source_url}.",
        "  Cite each document individually from citations.* (each carries its archive reference).",
        "",
    ])


def csv_row(record: Record, context: Context) -> dict[str, str]:
    names = _names(context)
    return {
        "id": record.id,
        "title": record.title,
        "type": record.type,
        "number": record.number or "",
        "date": record.date.text,
        "date_earliest": record.date.earliest.isoformat(),
        "date_latest": record.date.latest.isoformat(),
        "date_note": record.date_note or "",
        "sender": "; ".join(names(record.sender)),
        "recipient": "; ".join(names(record.recipient)),
        "via": "; ".join(names(record.via)),
        "copies_to": "; ".join(names(record.copies_to)),
        "signed_as": record.signed_as or "",
        "place_from": record.place_from or "",
        "place_to": record.place_to or "",
        "language": record.language or "",
        "subjects": "; ".join(record.subjects),
        "archive_refs": "; ".join(f"{r.archive}, {format_short(r)}" for r in record.archive_refs),
        "archive_ref_status": record.archive_ref_status or "",
        "published_in": "; ".join(record.published_in),
        "source_url": record.source_url or "",
        "source_copies": "; ".join(record.source_copies),
        "translator": record.translator or "",
        "replies_to": "; ".join(record.replies_to),
        "confidence": record.confidence or "",
        "confidence_note": record.confidence_note or "",
        "url": citations.document_url(record, context.base_url),
    }


def json_record(record: Record, context: Context) -> dict:
    data = record.to_dict()
    for role in ("sender", "recipient", "via", "copies_to"):
        data[role] = [{"id": pid, "name": context.people[pid].name if pid in context.people else pid}
                      for pid in getattr(record, role)]
    data["archive_refs"] = [{**ref, "short": format_short(r)}
                            for ref, r in zip(data["archive_refs"], record.archive_refs, strict=True)]
    data["url"] = citations.document_url(record, context.base_url)
    data["source"] = _source(record, context)
    return data


def _source(record: Record, context: Context) -> str | None:
    """The document's file as written, when it still is what was catalogued (`archive import`
    writes it back byte for byte)."""
    try:
        raw = (context.documents_dir / record.path).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(raw).hexdigest() != record.sha256:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _names(context: Context) -> Callable[[list[str]], list[str]]:
    def names(ids: list[str]) -> list[str]:
        return [context.people[i].name if i in context.people else i for i in ids]
    return names


def _counting(records: Iterable[Record], progress: Callable[[int], None] | None) -> Iterator[Record]:
    """The records, telling `progress` every 200 and once more with the final count (0 included)."""
    done = 0
    for done, record in enumerate(records, 1):
        if progress is not None and done % 200 == 0:
            progress(done)
        yield record
    if progress is not None and done % 200:
        progress(done)
    elif progress is not None and not done:
        progress(0)


# --- What can be exported ---------------------------------------------------------------------


def whole_archive(catalog: Catalog, config: Config) -> ExportSet:
    return ExportSet("the whole archive", lambda: catalog.records(), f"{config.base_url}/")


def curated_set(catalog: Catalog, set_id: str, config: Config) -> ExportSet:
    """A curated set, in its own order; KeyError when there is no such set."""
    found = {s.id: s for s in catalog.sets()}[set_id]
    return ExportSet(f'the document set "{found.title}"', lambda: catalog.records(found.documents),
                     f"{config.base_url}/sets/{found.id}")


def search_results(service, catalog: Catalog, request, config: Config) -> ExportSet:
    """Every document a search request matches (all pages), in its sort order."""
    from urllib.parse import urlencode

    params = [(k, v) for k, v in request.to_params() if k not in ("page", "page_size")]
    query = urlencode(params)
    described = ", ".join(f"{k}={v}" for k, v in params) or "all documents"
    return ExportSet(f"search results for {described}",
                     lambda: catalog.records(service.iter_ids(request)),
                     f"{config.base_url}/search" + (f"?{query}" if query else ""))


def selection(catalog: Catalog, ids: list[str], config: Config) -> ExportSet:
    """The documents `ids` name, in date order (a reader's selection); selection.UnknownIds
    naming every id the catalog does not hold, before anything is streamed."""
    from urllib.parse import quote

    from .selection import in_date_order

    ordered = [row["id"] for row in in_date_order(catalog, ids)]
    return ExportSet(f"a selection of {len(ordered)} document(s)",
                     lambda: catalog.records(ordered),
                     f"{config.base_url}/selection?ids={quote(','.join(ordered), safe=',')}")
