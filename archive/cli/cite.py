"""`archive cite`."""

from __future__ import annotations

from .common import find_record, note_default_base_url, open_catalog


def add_commands(commands) -> None:
    from ..citations import FORMATS

    cite = commands.add_parser("cite", help="cite one document (Chicago, MLA, APA, BibTeX, RIS, CSL-JSON)")
    cite.add_argument("id")
    cite.add_argument("--format", "-f", default="chicago-note", choices=FORMATS,
                      help="citation format (default: chicago-note); chicago-* follow the Chicago "
                      "Manual of Style, 18th edition; mla the MLA Handbook, 9th edition; apa the "
                      "APA Publication Manual, 7th edition")
    cite.set_defaults(handler=cmd_cite)


def cmd_cite(args, config) -> int:
    from ..citations import cite
    from ..export import Context

    catalog = open_catalog(config)
    try:
        record = find_record(catalog, args.id)
        context = Context.load(config, catalog)
        note_default_base_url(config)
        print(cite(record, context.people, context.archives, context.base_url, args.format))
    finally:
        catalog.dispose()
    return 0
