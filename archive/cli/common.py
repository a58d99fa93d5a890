"""What the command modules share: UserError, search options, name resolution, output helpers.

Imports none of the command modules (they all import this one), so the CLI has no import cycle.
"""

from __future__ import annotations

import argparse
import os
import sys

from ..settings import Config


class UserError(Exception):
    """A mistake the user can fix: printed as one sentence, exit status 2 (1 for invalid data)."""

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status


def require_documents(config: Config) -> None:
    if not config.documents_dir.is_dir():
        raise UserError(f"documents folder {config.documents_dir} does not exist "
                        "(set ARCHIVE_DOCUMENTS_DIR)")


def open_catalog(config: Config):
    """The catalog, built first when there is none yet (the caller disposes of it)."""
    from ..catalog import Catalog

    build_if_missing(config)
    return Catalog(config.database_url)


def find_record(catalog, typed: str):
    """The record `typed` names (an id, a file name or a path); UserError suggesting ids if none."""
    from ..lookup import find_document_id, not_found_message

    record = catalog.get(typed)
    if record is not None:
        return record
    files = {path: doc_id for path, (_sha, doc_id) in catalog.file_hashes().items()}
    found, suggestions = find_document_id(typed, files)
    if found is None:
        raise UserError(not_found_message(typed, suggestions))
    return catalog.get(found)


def build_if_missing(config: Config) -> None:
    """Build the catalog and index when nothing has been built yet, as `serve` does: with the
    progress bar, leaving out (and listing) invalid documents. Raises UserError when it cannot."""
    from ..engines import engine
    from ..generations import sqlite_state

    state = sqlite_state(config.database_url)  # SQLite: without importing SQLAlchemy
    if state is None:
        from ..catalog import Catalog
        from ..generations import current_state

        catalog = Catalog(config.database_url)
        try:
            state = current_state(catalog)
        finally:
            catalog.dispose()
    generation = state.generation
    # a server sharing the catalog and an OpenSearch cluster fetches the generation's files
    if generation and engine(config).local_generation(state) is not None:
        return
    from ..build import BuildError, BuildLocked, rebuild

    require_documents(config)
    print(f"archive: nothing built yet: building the catalog and index from {config.documents_dir} "
          "first", file=sys.stderr)
    try:
        report = rebuild(config, allow_invalid=True, progress=progress_printer())
    except BuildLocked as error:
        raise UserError(f"{error}; try again when it has finished", status=1) from None
    except BuildError as error:  # e.g. an index folder that cannot be written
        raise UserError(str(error), status=1) from None
    report_automatic_build(report)


def report_automatic_build(report) -> None:
    """What a build started for the user (before reading or serving) says: UserError when the
    authorities are invalid; invalid documents are left out, and said so."""
    if report.status == "invalid":
        raise UserError("cannot build: the name or archive authority is invalid "
                        "(run `archive check`)", status=1)
    if report.skipped:
        print(f"archive: left out {len(report.skipped)} invalid document(s); run `archive check`",
              file=sys.stderr)
    if report.status == "built":
        print(f"archive: built generation {report.generation}: {report.documents} document(s)",
              file=sys.stderr)


# -- search options (search, export) --------------------------------------------------------

FLAGS = {"date_from": "--date-from", "date_to": "--date-to", "sort": "--sort", "page": "--page",
         "page_size": "--limit", "sender": "--sender", "recipient": "--recipient"}


def add_search_options(parser: argparse.ArgumentParser, query_help: str) -> None:
    parser.add_argument("query", nargs="*", default=[], metavar="QUERY",
                        help=query_help + " (several words are one query; no quotes needed)")
    parser.add_argument("--sender", action="append", default=[], metavar="NAME",
                        help="only documents from this person (any known form; repeatable)")
    parser.add_argument("--recipient", action="append", default=[], metavar="NAME",
                        help="only documents to this person (any known form; repeatable)")
    parser.add_argument("--date-from", metavar="D", help="1950, 1950-05 or 1950-05-14")
    parser.add_argument("--date-to", metavar="D", help="1950, 1950-05 or 1950-05-14")
    parser.add_argument("--sort", choices=("relevance", "date", "-date"),
                        help="default: relevance with a query, date without")


def query_text(args: argparse.Namespace) -> str:
    """The words typed after the command, as one query: `archive search 38th parallel`."""
    return " ".join(args.query).strip()


def has_search_options(args: argparse.Namespace) -> bool:
    return bool(query_text(args) or args.sender or args.recipient or args.date_from or args.date_to)


def search_request(args: argparse.Namespace, service, *, page: int = 1, page_size: int = 20):
    """The SearchRequest the options ask for, names resolved by `service`. Raises UserError
    naming the flag at fault, SearchUnavailable when nothing is built."""
    from ..search import SearchError, SearchRequest

    filters = []
    for role in ("sender", "recipient"):
        try:
            ids = tuple(service.person_id(name, role) for name in getattr(args, role))
        except SearchError as error:
            raise UserError(flag_names(str(error))) from None
        if ids:
            filters.append((role, ids))
    request = SearchRequest(q=query_text(args), filters=tuple(filters), date_from=args.date_from,
                            date_to=args.date_to, sort=args.sort, page=page, page_size=page_size)
    try:
        request.validate()
    except SearchError as error:
        raise UserError(flag_names(str(error))) from None
    return request.normalized()


def flag_names(message: str) -> str:
    """A request error as the command line says it: `--limit`, not `page_size`."""
    from ..search import renamed

    return renamed(message, FLAGS)


# -- a list of ids (export --ids, set new) ---------------------------------------------------

def selected_ids(args) -> list[str] | None:
    """The ids `--ids` or `--ids-from` give (None without either); UserError for a bad list."""
    from ..selection import SelectionError, parse_ids, read_ids_file

    if args.ids is None and args.ids_from is None:
        return None
    try:
        if args.ids is not None and args.ids_from is not None:
            raise SelectionError("give --ids or --ids-from, not both")
        if getattr(args, "set_id", None) or (hasattr(args, "query") and has_search_options(args)):
            raise SelectionError("--ids and --ids-from export exactly those documents: "
                                 "give no query, filters or --set with them")
        ids = parse_ids(args.ids) if args.ids is not None else read_ids_file(args.ids_from)
    except SelectionError as error:
        raise UserError(str(error)) from None
    if not ids:
        raise UserError("no ids given (nothing was written)")
    return ids



# -- output ----------------------------------------------------------------------------------

def quiet_broken_pipe() -> None:
    """After `archive ... | head` closed the pipe: the reader has seen enough, exit quietly."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def progress_printer():
    interactive = sys.stderr.isatty()

    def show(stage: str, done: int, total: int) -> None:
        if not total:
            if interactive:
                print(f"\r{stage}...".ljust(60), end="", file=sys.stderr, flush=True)
            return
        width = 30
        filled = width * done // total
        line = f"\r{stage} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        if interactive:
            print(line, end="\n" if done == total else "", file=sys.stderr, flush=True)
        elif done == total:
            print(line.strip(), file=sys.stderr)

    return show


def note_default_base_url(config) -> None:
    """Say once, on stderr, that citations carry the default address (and how to set it)."""
    from ..settings import base_url_notice

    notice = base_url_notice(config)
    if notice:
        print(f"archive: {notice}", file=sys.stderr)
