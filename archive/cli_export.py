"""`archive cite` and `archive export`."""

from __future__ import annotations


def add_commands(commands) -> None:
    return None
