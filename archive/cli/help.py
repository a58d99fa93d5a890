"""`archive help [TOPIC]`: the installed documentation (the same text as the web /help page)."""

from __future__ import annotations

import difflib

from .common import UserError


def add_commands(commands) -> None:
    from ..help import topic_list

    help_ = commands.add_parser(
        "help", help="print the documentation of a topic (search, export, cite, documents, ...)",
        description="Print the installed documentation. Topics:\n" + topic_list(),
        formatter_class=_raw())
    help_.add_argument("topic", nargs="?", help="a topic; without one, list them")
    help_.set_defaults(handler=cmd_help)


def _raw():
    import argparse

    return argparse.RawDescriptionHelpFormatter


def cmd_help(args, config) -> int:
    from ..help import TOPICS, topic_list, topic_text

    if not args.topic:
        print("archive help TOPIC prints one of these (the web reader explains searching at /help):")
        print(topic_list())
        return 0
    name = args.topic.strip().lower()
    if name not in TOPICS:
        close = difflib.get_close_matches(name, list(TOPICS), n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]}?" if close else f" (topics: {', '.join(TOPICS)})"
        raise UserError(f"no help topic {args.topic!r}{hint}")
    print(topic_text(name))
    return 0
