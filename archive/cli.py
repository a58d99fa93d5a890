"""The `archive` command: check, build, show, ref, search, cite, export, serve."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .settings import SETTINGS, Config, load_config


class UserError(Exception):
    """A mistake the user can fix: printed as one sentence, exit status 2 (1 for invalid data)."""

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    config = load_config()
    from .generations import CatalogUnavailable

    try:
        return args.handler(args, config) or 0
    except UserError as error:
        print(f"archive: {error}", file=sys.stderr)
        return error.status
    except CatalogUnavailable as error:  # from any command that reads the catalog
        print(f"archive: {error}; nothing was changed", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("archive: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    settings = "\n".join(f"  {s.name:<24} {s.help} (default: {s.default or 'see help'})"
                         for s in SETTINGS)
    parser = argparse.ArgumentParser(
        prog="archive",
        description="A primary-source archive of diplomatic telegrams.",
        epilog=f"settings (environment variables):\n{settings}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"archive {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

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

    # Commands built on the search, citation, export and web layers, each in its own module.
    from . import cli_export, cli_more, cli_serve

    for module in (cli_more, cli_export, cli_serve):
        module.add_commands(commands)
    return parser


def cmd_check(args, config: Config) -> int:
    from .documents import load_collection

    require_documents(config)
    only = args.paths or None
    if only:
        missing = [str(p) for p in only if not p.exists()]
        if missing:
            raise UserError(f"no such file: {', '.join(missing)}")
    collection = load_collection(config, only=only)
    for problem in collection.problems:
        print(problem)
    checked = len(only) if only else len(collection.records) + len(collection.skipped)
    if collection.problems:
        print(f"{len(collection.problems)} problem(s) in {checked} document(s)", file=sys.stderr)
        return 1
    print(f"ok: {checked} document(s) valid", file=sys.stderr)
    return 0


def cmd_build(args, config: Config) -> int:
    from .build import BuildLocked, rebuild

    require_documents(config)
    progress = None if args.quiet else _progress_printer()
    try:
        report = rebuild(config, allow_invalid=args.allow_invalid, progress=progress,
                         full=args.full)
    except BuildLocked as error:
        raise UserError(str(error), status=1) from None
    for problem in report.problems:
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
    from .catalog import Catalog

    catalog = Catalog(config.database_url)
    try:
        if not catalog.state():
            raise UserError("no catalog yet: run `archive build` first")
        record = catalog.get(args.id)
    finally:
        catalog.dispose()
    if record is None:
        raise UserError(f"no document with id {args.id!r}")
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
    from .archives import AuthorityError, load_archives
    from .refs import RefError, parse_refs, ref_to_json

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
        print(f"{item['archive']}: {item['short']}")
        print(f"  long:    {item['long']}")
        print(f"  russian: {item['russian']}")
    return 0


def require_documents(config: Config) -> None:
    if not config.documents_dir.is_dir():
        raise UserError(f"documents folder {config.documents_dir} does not exist "
                        "(set ARCHIVE_DOCUMENTS_DIR)")


def _progress_printer():
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
