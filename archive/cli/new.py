"""`archive new`: write one document from flags, or by answering prompts on a terminal."""

from __future__ import annotations

import sys

from ..records import DOCUMENT_TYPES
from ..settings import Config
from .common import UserError, require_documents

FIELDS = ("title", "type", "date", "sender", "recipient", "ref")


def add_commands(commands) -> None:
    new = commands.add_parser(
        "new", help="write one new document (from flags, or asked field by field)",
        description="Write documents/ID.md from the flags, checked as `archive check` would check "
        "it; never replaces a file. With no flags on a terminal, asks for each field, checking "
        "names and references as they are typed and suggesting names from the authority.")
    new.add_argument("--title")
    new.add_argument("--type", choices=DOCUMENT_TYPES)
    new.add_argument("--date", help="EDTF: 1950-05-14, 1950-05, 1950-10-02?, ~1949-05")
    new.add_argument("--sender", action="append", metavar="NAME", help="repeatable")
    new.add_argument("--recipient", action="append", metavar="NAME", help="repeatable")
    new.add_argument("--ref", action="append", metavar="REFERENCE",
                     help='archive reference as cited, e.g. "APRF, f. 45, op. 1, d. 331, l. 55"')
    new.add_argument("--number", help="the document's own number, e.g. No. 8600")
    new.add_argument("--summary", default="", help="the body's summary paragraph")
    new.add_argument("--id", default="", help="file name (default: DATE-SENDER-to-RECIPIENT)")
    new.set_defaults(handler=cmd_new)


def cmd_new(args, config: Config) -> int:
    from ..newdoc import NewDocumentError, authorities, write_new

    require_documents(config)
    given = any(getattr(args, f) for f in FIELDS)
    try:
        if not given and sys.stdin.isatty():
            _ask(args, *authorities(config))
        elif not given:
            raise UserError("give the fields as flags (--title, --type, --date, --sender, "
                            "--recipient, --ref), or run on a terminal to be asked for them")
        values = {"title": args.title, "type": args.type, "number": args.number,
                  "date": args.date, "sender": args.sender, "recipient": args.recipient,
                  "archive_refs": args.ref}
        if not args.ref:
            values["archive_ref_status"] = "not-found"
        values = {k: v for k, v in values.items() if v}
        path = write_new(config, values, args.summary, args.id)
    except NewDocumentError as error:
        raise UserError(str(error).replace("\n", "\narchive: "), status=1) from None
    except EOFError:
        raise UserError("the input ended before every field was given; nothing was written") from None
    print(f"wrote {path}", file=sys.stderr)
    return 0


def _ask(args, people, archives) -> None:
    from ..newdoc import check_name, check_ref

    def ask(label: str, check=None, required: bool = True) -> str:
        while True:
            answer = input(f"{label}: ").strip()
            if not answer and not required:
                return ""
            problem = "required" if not answer else (check(answer) if check else None)
            if problem is None:
                return answer
            print(f"  {problem}", file=sys.stderr)

    args.title = ask("title")
    args.type = ask(f"type ({', '.join(DOCUMENT_TYPES)})",
                    lambda t: None if t in DOCUMENT_TYPES else f"one of {', '.join(DOCUMENT_TYPES)}")
    args.date = ask("date (EDTF, e.g. 1950-05-14)")
    args.sender = [ask("sender (any form of a name)", lambda n: check_name(people, n))]
    args.recipient = [ask("recipient", lambda n: check_name(people, n))]
    ref = ask("archive reference (empty: none known)", lambda r: check_ref(archives, r),
              required=False)
    args.ref = [ref] if ref else None
    args.summary = ask("summary (one paragraph)", required=False)
