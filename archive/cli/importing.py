"""`archive import FILE`: records from CSV, CSL-JSON or RIS (Zotero) or this archive's JSONL."""

from __future__ import annotations

import sys
from pathlib import Path

from ..settings import Config
from .common import UserError, require_documents


def add_commands(commands) -> None:
    command = commands.add_parser(
        "import", help="turn a CSV, a Zotero CSL-JSON or RIS export or a JSONL export into documents",
        description="Check every record of FILE as `archive check` would (names matched to the "
        "authority with suggestions, references parsed), skip duplicates of existing documents "
        "(same date, sender, recipient and references), and print what would be written. "
        "Nothing is written without --write, and nothing at all while a record has a problem. "
        "The CSV columns are listed in documents/README.md.")
    command.add_argument("file", type=Path, metavar="FILE")
    command.add_argument("--format", choices=("csv", "jsonl", "csl-json", "ris"),
                         help="default: from the file name (.csv, .jsonl, .json, .ris)")
    command.add_argument("--write", action="store_true", help="write the new documents")
    command.set_defaults(handler=cmd_import)


def cmd_import(args, config: Config) -> int:
    from ..importing import ImportProblem, import_file

    require_documents(config)
    try:
        outcome = import_file(config, args.file, args.format, write=args.write)
    except ImportProblem as error:
        raise UserError(str(error)) from None
    for line in outcome.warnings + outcome.duplicates + outcome.problems:
        print(line)
    verb = "wrote" if args.write and not outcome.problems else "would write"
    for name in outcome.written:
        print(f"{verb} {config.documents_dir / name}")
    summary = (f"{len(outcome.written)} new document(s), {len(outcome.duplicates)} duplicate(s) "
               f"skipped, {len(outcome.problems)} problem(s)")
    if outcome.problems:
        print(f"{summary}: nothing was written; fix the problems and run again", file=sys.stderr)
        return 1
    tail = "" if args.write else "; run again with --write to write them"
    print(summary + tail, file=sys.stderr)
    return 0
