"""`archive serve`: the production web server (imports the web package lazily)."""

from __future__ import annotations


def add_commands(commands) -> None:
    return None
