"""`archive check`, `build`, `show` and `ref`: the documents and the catalog built from them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..settings import Config
from .common import UserError, find_record, open_catalog, progress_printer, require_documents


def add_commands(commands) -> None:
    check = commands.add_parser("check", help="validate documents; print every problem")
    check.add_argument("paths", nargs="*", type=Path, help="files to check (default: all)")
    check.set_defaults(handler=cmd_check)

    build = commands.add_parser("build", help="validate, then build the catalog and index")
    build.add_argument("--allow-invalid", action="store_true",
                       help="build from the valid documents and list those left out")
    build.add_argument("--full", action="store_true", help="rebuild everything from scratch")
    build.add_argument("--quiet", "-q", action="store_true", help="no progress output")
    build.set_defaults(handler=cmd_build)

    show = commands.add_parser("show", help="print one record as stored in the catalog")
    show.add_argument("id")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=cmd_show)

    ref = commands.add_parser("ref", help="parse an archive reference as cited in a footnote")
    ref.add_argument("text", help='e.g. "APRF, f. 45, op. 1, d. 331, l. 55"')
    ref.add_argument("--json", action="store_true", help="print JSON")
    ref.set_defaults(handler=cmd_ref)


def cmd_check(args, config: Config) -> int:
    from ..documents import load_collection

    require_documents(config)
    only = args.paths or None
    if only:
        missing = [str(p) for p in only if not p.exists()]
        if missing:
            raise UserError(f"no such file: {', '.join(missing)}")
    collection = load_collection(config, only=only)
    for problem in sorted(collection.problems + collection.warnings,
                          key=lambda p: (p.path, p.line)):
        print(problem)
    checked = collection.checked
    warned = f", {len(collection.warnings)} warning(s)" if collection.warnings else ""
    if collection.problems:
        print(f"{len(collection.problems)} problem(s){warned} in {checked} document(s)",
              file=sys.stderr)
        return 1
    print(f"ok: {checked} document(s) valid{warned}", file=sys.stderr)
    return 0


def cmd_build(args, config: Config) -> int:
    from ..build import BuildError, rebuild

    require_documents(config)
    progress = None if args.quiet else progress_printer()
    try:
        report = rebuild(config, allow_invalid=args.allow_invalid, progress=progress,
                         full=args.full)
    except BuildError as error:  # another build holds the lock, or the index is not writable
        raise UserError(str(error), status=1) from None
    for problem in sorted(report.problems + report.warnings, key=lambda p: (p.path, p.line)):
        print(problem)
    if report.status == "invalid":
        print(f"build refused: {len(report.problems)} problem(s); nothing was changed "
              "(fix them, or use --allow-invalid)", file=sys.stderr)
        return 1
    if report.skipped:
        print(f"left out {len(report.skipped)} invalid document(s): {', '.join(report.skipped)}",
              file=sys.stderr)
    if report.status == "up-to-date":
        print(f"up to date: {report.documents} document(s), generation {report.generation}",
              file=sys.stderr)
    else:
        print(f"built generation {report.generation}: {report.documents} document(s) "
              f"({len(report.added)} added, {len(report.updated)} updated, "
              f"{len(report.removed)} removed) in {report.seconds:.1f} s", file=sys.stderr)
    return 0


def cmd_show(args, config: Config) -> int:
    catalog = open_catalog(config)
    try:
        record = find_record(catalog, args.id)
    finally:
        catalog.dispose()
    data = record.to_dict()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for key, value in data.items():
        if key in ("body", "sections") or value in (None, [], {}):
            continue
        print(f"{key}: {json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value}")
    print()
    print(record.body)
    return 0


def cmd_ref(args, config: Config) -> int:
    from ..archives import AuthorityError, load_archives
    from ..ref_formats import ref_to_json
    from ..refs import RefError, parse_refs

    try:
        archives = load_archives(config.authority_dir / "archives.yaml")
        refs = parse_refs(args.text, archives)
    except (RefError, AuthorityError) as error:
        raise UserError(str(error), status=1) from None
    data = [ref_to_json(ref, archives) for ref in refs]
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for item in data:
        print(f"{item['archive'] or '(no archive named)'}: {item['short']}")
        print(f"  long:    {item['long']}")
        print(f"  russian: {item['russian']}")
        for note in item["notes"]:
            print(f"  note:    {note}")
    return 0
