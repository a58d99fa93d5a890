"""CLI commands built on the search, citation, export and web layers (added as they land)."""

from __future__ import annotations

import json
import os
import re
import sys


def add_commands(commands) -> None:
    search = commands.add_parser("search", help="search the archive (see the query language in README)")
    search.add_argument("query", nargs="?", default="",
                        help='e.g. Vishinsky, "air cover", sender:Filippov date:1950-05')
    search.add_argument("--sender", action="append", default=[], metavar="NAME",
                        help="only documents from this person (any known form; repeatable)")
    search.add_argument("--recipient", action="append", default=[], metavar="NAME",
                        help="only documents to this person (any known form; repeatable)")
    search.add_argument("--date-from", metavar="D", help="1950, 1950-05 or 1950-05-14")
    search.add_argument("--date-to", metavar="D", help="1950, 1950-05 or 1950-05-14")
    search.add_argument("--sort", choices=("relevance", "date", "-date"),
                        help="default: relevance with a query, date without")
    search.add_argument("--limit", type=int, default=10, metavar="N", help="hits per page (1-100)")
    search.add_argument("--page", type=int, default=1, metavar="N")
    search.add_argument("--json", action="store_true", help="print the JSON envelope of the API")
    search.set_defaults(handler=cmd_search)


def cmd_search(args, config) -> int:
    from .cli import UserError
    from .search import SearchError, SearchRequest, SearchService, SearchTimeout, SearchUnavailable

    service = SearchService(config)
    try:
        filters = []
        for role in ("sender", "recipient"):
            names = getattr(args, role)
            if names:
                filters.append((role, tuple(service.person_id(n, role) for n in names)))
        request = SearchRequest(q=args.query, filters=tuple(filters), date_from=args.date_from,
                                date_to=args.date_to, sort=args.sort, page=args.page,
                                page_size=args.limit)
        result = service.search(request)
    except (SearchError, SearchTimeout, SearchUnavailable) as error:
        raise UserError(str(error)) from None
    finally:
        service.close()
    try:
        if args.json:
            print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        else:
            _print_human(result, sys.stdout.isatty())
        sys.stdout.flush()
    except BrokenPipeError:  # `archive search ... | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _print_human(result, color: bool) -> None:
    if result.query_note:
        print(result.query_note)
    if result.suggestions:
        print("Did you mean: " + " / ".join(result.suggestions))
    first = (result.page - 1) * result.page_size + 1
    shown = f"{first}-{first + len(result.hits) - 1} of " if result.hits else ""
    print(f"{shown}{result.total} document(s), sorted by {result.sort}")
    for hit in result.hits:
        senders = ", ".join(n.name for n in hit.sender) or "?"
        recipients = ", ".join(n.name for n in hit.recipient) or "?"
        print()
        print(f"{hit.date}  {senders} -> {recipients}")
        print(f"  {hit.title}")
        print(f"  [{hit.id}]")
        print(f"  {_terminal(hit.snippet, color)}")


def _terminal(snippet: str, color: bool) -> str:
    """Snippet HTML as terminal text: marks as ANSI bold (or **...**), entities unescaped."""
    import html

    on, off = ("\033[1m", "\033[0m") if color else ("**", "**")
    text = re.sub(r"</?mark>", lambda m: off if m.group().startswith("</") else on, snippet)
    return html.unescape(text)
