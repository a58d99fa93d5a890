"""CLI commands built on the search, citation, export and web layers (added as they land)."""

from __future__ import annotations


def add_commands(commands) -> None:
    return None
