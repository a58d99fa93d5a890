"""`archive export`."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import (
    UserError,
    add_search_options,
    has_search_options,
    note_default_base_url,
    open_catalog,
    search_request,
    selected_ids,
)

EXPORT_FORMATS = ("zip", "csv", "jsonl", "bibtex", "ris", "csl-json")


def add_commands(commands) -> None:
    export = commands.add_parser(
        "export", help="export a search result, a curated set or the whole archive",
        description="Export the documents a search finds (the same query and filters as "
        "`archive search`; see `archive help search`), a curated set, or the whole archive.")
    add_search_options(export, "search query (default: everything)")
    export.add_argument("--set", dest="set_id", metavar="ID", help="export a curated set instead")
    export.add_argument("--ids", metavar="ID,ID,...",
                        help="export exactly these documents (in date order) instead")
    export.add_argument("--ids-from", type=Path, metavar="FILE",
                        help="export the documents whose ids FILE lists (one a line, or commas)")
    export.add_argument("--format", "-f", required=True, choices=EXPORT_FORMATS)
    export.add_argument("--output", "-o", required=True, type=Path, metavar="FILE",
                        help="file to write ('-' for standard output)")
    export.add_argument("--bom", action="store_true", help="CSV: start with a UTF-8 BOM (Excel)")
    export.set_defaults(handler=cmd_export)


def cmd_export(args, config) -> int:
    from .. import export

    catalog = open_catalog(config)
    service = None
    try:
        context = export.Context.load(config, catalog)
        ids = selected_ids(args)
        if ids is not None:
            chosen = _selection(catalog, ids, config)
        elif args.set_id:
            try:
                chosen = export.curated_set(catalog, args.set_id, config)
            except KeyError:
                known = ", ".join(s.id for s in catalog.sets())
                raise UserError(f"no document set {args.set_id!r} (known: {known})") from None
        elif not has_search_options(args):
            chosen = export.whole_archive(catalog, config)
        else:
            service, request = _search(args, config)
            chosen = export.search_results(service, catalog, request, config)
        count = [0]

        def progress(done: int) -> None:
            count[0] = done
            if sys.stderr.isatty():
                print(f"\rexporting... {done} document(s)", end="", file=sys.stderr, flush=True)

        note_default_base_url(config)  # every format carries document URLs
        left_out: list[str] = []
        chunks = export.export(chosen, args.format, context, csv_bom=args.bom, progress=progress,
                               left_out=left_out)
        _write(args.output, chunks, keep=lambda: count[0] > 0)
        if sys.stderr.isatty():
            print(file=sys.stderr)
    finally:
        if service is not None:
            service.close()
        catalog.dispose()
    if not count[0]:
        where = "" if str(args.output) == "-" else f"; {args.output} was not written"
        raise UserError(f"exported nothing: {chosen.description} has no documents{where}", status=1)
    target = "standard output" if str(args.output) == "-" else args.output
    print(f"exported {count[0]} document(s), {chosen.description}, as {args.format} to {target}",
          file=sys.stderr)
    if left_out:
        raise UserError(f"{len(left_out)} source(s) changed or removed since the build were "
                        f"left out (listed in README.txt): {', '.join(left_out)}; run "
                        "`archive build` and export again", status=1)
    return 0


def _selection(catalog, ids: list[str], config):
    from .. import export
    from ..selection import UnknownIds

    try:
        return export.selection(catalog, ids, config)
    except UnknownIds as error:
        raise UserError(f"{error} (nothing was written)") from None


def _search(args, config):
    """The search service and request the options ask for; UserError for a bad or empty search
    (with the search's own suggestions), before anything is written."""
    from dataclasses import replace

    from ..facets import IndexOutdated
    from ..search import SearchError, SearchService, SearchTimeout, SearchUnavailable

    service = SearchService(config)
    try:
        request = search_request(args, service)
        first = service.search(replace(request, page_size=1))
    except (SearchError, SearchTimeout, SearchUnavailable, IndexOutdated) as error:
        service.close()
        raise UserError(str(error)) from None
    except UserError:
        service.close()
        raise
    if not first.total:
        service.close()
        hint = " or ".join(f'"{s}"' for s in first.suggestions)
        hint = f"; did you mean {hint}?" if hint else ""
        raise UserError(f"nothing to export: no documents match{hint} (nothing was written)",
                        status=1)
    return service, request


def _write(output: Path, chunks, keep=lambda: True) -> None:
    """Write the chunks to `output` ('-': standard output). A file replaces `output` only once
    complete, and only when `keep()` says so afterwards (an empty export leaves it alone)."""
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
        if keep():
            partial.replace(output)  # a failed export never leaves a truncated file under the name
        else:
            partial.unlink()
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise UserError(f"cannot write {output}: {error.strerror}") from None
