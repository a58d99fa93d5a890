"""`archive cite` and `archive export`."""

from __future__ import annotations

import sys
from pathlib import Path

from .cli import UserError

EXPORT_FORMATS = ("zip", "csv", "jsonl", "bibtex", "ris", "csl-json")


def add_commands(commands) -> None:
    from .citations import FORMATS

    cite = commands.add_parser("cite", help="cite one document (Chicago, MLA, APA, BibTeX, RIS, CSL-JSON)")
    cite.add_argument("id")
    cite.add_argument("--format", "-f", default="chicago-note", choices=FORMATS,
                      help="citation format (default: chicago-note)")
    cite.set_defaults(handler=cmd_cite)

    export = commands.add_parser(
        "export", help="export a search result, a curated set or the whole archive")
    export.add_argument("query", nargs="?", default="", help="search query (default: everything)")
    export.add_argument("--sender", action="append", default=[], metavar="NAME")
    export.add_argument("--recipient", action="append", default=[], metavar="NAME")
    export.add_argument("--date-from", metavar="DATE")
    export.add_argument("--date-to", metavar="DATE")
    export.add_argument("--sort", metavar="SORT", help="relevance, date or -date")
    export.add_argument("--set", dest="set_id", metavar="ID", help="export a curated set instead")
    export.add_argument("--format", "-f", required=True, choices=EXPORT_FORMATS)
    export.add_argument("--output", "-o", required=True, type=Path, metavar="FILE",
                        help="file to write ('-' for standard output)")
    export.add_argument("--bom", action="store_true", help="CSV: start with a UTF-8 BOM (Excel)")
    export.set_defaults(handler=cmd_export)


def _open_catalog(config):
    from .catalog import Catalog

    catalog = Catalog(config.database_url)
    if not catalog.state():
        catalog.dispose()
        raise UserError("no catalog yet: run `archive build` first")
    return catalog


def cmd_cite(args, config) -> int:
    from .citations import cite
    from .export import Context

    catalog = _open_catalog(config)
    try:
        record = catalog.get(args.id)
        if record is None:
            raise UserError(f"no document with id {args.id!r}")
        context = Context.load(config, catalog)
        print(cite(record, context.people, context.archives, context.base_url, args.format))
    finally:
        catalog.dispose()
    return 0


def cmd_export(args, config) -> int:
    from . import export

    catalog = _open_catalog(config)
    service = None
    try:
        context = export.Context.load(config, catalog)
        if args.set_id:
            try:
                chosen = export.curated_set(catalog, args.set_id, config)
            except KeyError:
                known = ", ".join(s.id for s in catalog.sets())
                raise UserError(f"no document set {args.set_id!r} (known: {known})") from None
        elif not (args.query or args.sender or args.recipient or args.date_from or args.date_to):
            chosen = export.whole_archive(catalog, config)
        else:
            service, request = _search_request(args, config, context)
            chosen = export.search_results(service, catalog, request, config)
        total = [0]

        def progress(done: int) -> None:
            total[0] = done
            if sys.stderr.isatty():
                print(f"\rexporting... {done} document(s)", end="", file=sys.stderr, flush=True)

        left_out: list[str] = []
        chunks = export.export(chosen, args.format, context, csv_bom=args.bom, progress=progress,
                               left_out=left_out)
        _write(args.output, chunks)
        if sys.stderr.isatty():
            print(file=sys.stderr)
        print(f"exported {chosen.description} as {args.format} to {args.output}", file=sys.stderr)
        if left_out:
            raise UserError(f"{len(left_out)} source(s) changed or removed since the build were "
                            f"left out (listed in README.txt): {', '.join(left_out)}; run "
                            "`archive build` and export again", status=1)
    finally:
        if service is not None:
            service.close()
        catalog.dispose()
    return 0


def _search_request(args, config, context):
    from .people import normalize_name
    from .search import SearchError, SearchRequest, SearchService

    forms = {normalize_name(f): p.id for p in context.people.values() for f in (p.id, *p.all_forms())}
    params: dict[str, list[str]] = {"q": [args.query]}
    for role in ("sender", "recipient"):
        for name in getattr(args, role):
            if normalize_name(name) not in forms:
                raise UserError(f"unknown {role} {name!r}")
            params.setdefault(role, []).append(forms[normalize_name(name)])
    for key in ("date_from", "date_to", "sort"):
        if getattr(args, key):
            params[key] = [getattr(args, key)]
    try:
        request = SearchRequest.from_params(params)
    except SearchError as error:
        raise UserError(str(error)) from None
    return SearchService(config), request


def _write(output: Path, chunks) -> None:
    if str(output) == "-":
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        return
    partial = output.with_name(output.name + ".part")
    try:
        with partial.open("wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        partial.replace(output)  # a failed export never leaves a truncated file under the name
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise UserError(f"cannot write {output}: {error.strerror}") from None
