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
    """The catalog, or UserError when nothing has been built yet (the caller disposes of it)."""
    from ..catalog import Catalog

    catalog = Catalog(config.database_url)
    if not catalog.state():
        catalog.dispose()
        raise UserError("no catalog yet: run `archive build` first")
    return catalog


# -- search options (search, export) --------------------------------------------------------

def add_search_options(parser: argparse.ArgumentParser, query_help: str) -> None:
    parser.add_argument("query", nargs="?", default="", help=query_help)
    parser.add_argument("--sender", action="append", default=[], metavar="NAME",
                        help="only documents from this person (any known form; repeatable)")
    parser.add_argument("--recipient", action="append", default=[], metavar="NAME",
                        help="only documents to this person (any known form; repeatable)")
    parser.add_argument("--date-from", metavar="D", help="1950, 1950-05 or 1950-05-14")
    parser.add_argument("--date-to", metavar="D", help="1950, 1950-05 or 1950-05-14")
    parser.add_argument("--sort", choices=("relevance", "date", "-date"),
                        help="default: relevance with a query, date without")


def has_search_options(args: argparse.Namespace) -> bool:
    return bool(args.query or args.sender or args.recipient or args.date_from or args.date_to)


def search_request(args: argparse.Namespace, service, *, page: int = 1, page_size: int = 20):
    """The SearchRequest the options ask for; raises SearchError (names resolved by `service`)."""
    from ..search import SearchRequest

    filters = []
    for role in ("sender", "recipient"):
        names = getattr(args, role)
        if names:
            filters.append((role, tuple(service.person_id(name, role) for name in names)))
    request = SearchRequest(q=args.query, filters=tuple(filters), date_from=args.date_from,
                            date_to=args.date_to, sort=args.sort, page=page, page_size=page_size)
    request.validate()
    return request.normalized()


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
