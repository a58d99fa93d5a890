"""`archive search`."""

from __future__ import annotations

import json
import re
import sys

from .common import (
    UserError,
    add_search_options,
    build_if_missing,
    quiet_broken_pipe,
    search_request,
)


def add_commands(commands) -> None:
    search = commands.add_parser(
        "search", help="search the archive (the query language: `archive help search`)",
        description="Search the archive. The query language (phrases, OR/NOT, fields such as "
        "sender: and date:) is explained by `archive help search` and on the web reader's /help page.")
    add_search_options(search, 'e.g. Vishinsky, "air cover", sender:Filippov date:1950-05')
    search.add_argument("--limit", type=int, default=10, metavar="N", help="hits per page (1-100)")
    search.add_argument("--page", type=int, default=1, metavar="N", help="page of results (from 1)")
    search.add_argument("--json", action="store_true", help="print the JSON envelope of the API")
    search.set_defaults(handler=cmd_search)


def cmd_search(args, config) -> int:
    from ..facets import IndexOutdated
    from ..search import SearchError, SearchService, SearchTimeout, SearchUnavailable

    build_if_missing(config)
    service = SearchService(config)
    try:
        request = search_request(args, service, page=args.page, page_size=args.limit)
        result = service.search(request)
    except (SearchError, SearchTimeout, SearchUnavailable, IndexOutdated) as error:
        raise UserError(str(error)) from None
    finally:
        service.close()
    if result.total and not result.hits:
        raise UserError(past_the_end(result))
    try:
        if args.json:
            print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        else:
            _print_human(result, sys.stdout.isatty())
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_broken_pipe()
    return 0


def past_the_end(result) -> str:
    return (f"--page: page {result.page} of {result.pages}: past the last page "
            f"({result.total} document(s), {result.page_size} a page)")


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
