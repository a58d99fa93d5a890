"""`archive set new`: save a selection of documents as a curated set file."""

from __future__ import annotations

import sys
from pathlib import Path

from ..settings import Config
from .common import UserError, open_catalog, selected_ids


def add_commands(commands) -> None:
    group = commands.add_parser("set", help="save a selection of documents as a curated set",
                                description="Curated sets live in documents/sets/NAME.yaml.")
    actions = group.add_subparsers(dest="set_command", metavar="ACTION", required=True)
    new = actions.add_parser(
        "new", help="write documents/sets/NAME.yaml from a list of ids (never overwrites)",
        description="Write a curated set from the ids a file lists (one a line or separated by "
        "commas; the web reader's selection page offers such a file). The documents are kept in "
        "date order. Nothing else is written: run `archive build` to publish the set.")
    new.add_argument("name", metavar="NAME", help="file name: lower-case letters, digits, hyphens")
    new.add_argument("--ids-from", type=Path, metavar="FILE", help="file listing the ids")
    new.add_argument("--ids", metavar="ID,ID,...", help="the ids themselves")
    new.add_argument("--title", help="the set's title (default: NAME)")
    new.add_argument("--description", help="the set's paragraph (default: a placeholder naming "
                     "how many documents it holds; edit the file afterwards)")
    new.set_defaults(handler=cmd_set_new)


def cmd_set_new(args, config: Config) -> int:
    from ..selection import SelectionError, in_date_order, write_set

    ids = selected_ids(args)
    if ids is None:
        raise UserError("give the documents with --ids-from FILE or --ids ID,ID,...")
    catalog = open_catalog(config)
    try:
        ordered = [row["id"] for row in in_date_order(catalog, ids)]
    except SelectionError as error:
        raise UserError(f"{error} (nothing was written)") from None
    finally:
        catalog.dispose()
    title = args.title or args.name.replace("-", " ").capitalize()
    description = args.description or (f"A selection of {len(ordered)} documents "
                                        "(describe it here).")
    try:
        path = write_set(config.sets_dir, args.name, title, description, ordered)
    except SelectionError as error:
        raise UserError(str(error)) from None
    print(f"wrote {path} ({len(ordered)} document(s)); run `archive build` to publish it",
          file=sys.stderr)
    return 0
