"""The `archive` command: check, build, show, ref, search, cite, export, set, new, import,
serve, help.

One module per command group, each with `add_commands(commands)`; what they share lives in
`common` (which imports none of them).
"""

from __future__ import annotations

import argparse
import sys

from .. import __version__
from ..generations import CatalogUnavailable
from ..settings import SETTINGS, SettingError, load_config
from . import cite, documents, export, help, importing, new, search, serve, sets
from .common import UserError, quiet_broken_pipe

__all__ = ["UserError", "main"]

COMMAND_GROUPS = (documents, search, cite, export, sets, new, importing, serve, help)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        config = load_config()
    except ValueError as error:  # a setting with a value it cannot take
        print(f"archive: {error}", file=sys.stderr)
        return 2
    try:
        return args.handler(args, config) or 0
    except UserError as error:
        print(f"archive: {error}", file=sys.stderr)
        return error.status
    except SettingError as error:  # found when first used (the database URL's scheme)
        print(f"archive: {error}", file=sys.stderr)
        return 2
    except CatalogUnavailable as error:  # from any command that reads the catalog
        print(f"archive: {error}; nothing was changed", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `archive show ... | head`: the reader has seen enough
        quiet_broken_pipe()
        return 0
    except KeyboardInterrupt:
        print("archive: interrupted", file=sys.stderr)
        return 130
    finally:
        if argv is None:  # the program itself, about to exit (tests calling main keep it warm)
            _close_citation_engine()


def _close_citation_engine() -> None:
    """Free V8 now: left to interpreter teardown, mini-racer's destructor can hang (#14)."""
    csl = sys.modules.get("archive.csl")
    if csl is not None:
        csl.close()


def build_parser() -> argparse.ArgumentParser:
    settings = "\n".join(f"  {s.name:<24} {s.help} (default: {s.default or 'see help'})"
                         for s in SETTINGS)
    parser = argparse.ArgumentParser(
        prog="archive",
        description="A primary-source archive of diplomatic telegrams.",
        epilog=f"settings (environment variables):\n{settings}\n\n"
               "documentation: `archive help` lists the topics (the query language: "
               "`archive help search`); the web reader (`archive serve`) explains searching at /help.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"archive {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.add_commands(commands)
    return parser
