"""The one table of settings: each has a default and a help line, and the environment overrides it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


class SettingError(ValueError):
    """A setting whose value cannot be used; the message names the setting and what to write."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("ARCHIVE_DOCUMENTS_DIR", "documents", "Folder of Markdown documents (the source of truth)."),
    Setting("ARCHIVE_INDEX_DIR", "index", "Folder for build output: Whoosh index, default catalog, lock."),
    Setting(
        "ARCHIVE_DATABASE_URL",
        "",
        "SQLAlchemy URL of the catalog; empty means sqlite:///<ARCHIVE_INDEX_DIR>/catalog.sqlite3. "
        "Use postgresql+psycopg://user:pass@host/db for PostgreSQL.",
    ),
    Setting(
        "ARCHIVE_BASE_URL",
        "http://127.0.0.1:8000",
        "Public address of the web reader, used in citations (URL) and canonical links. When "
        "unset, the web reader uses the address each request came to, and the CLI the default "
        "(saying so on stderr).",
    ),
    Setting(
        "ARCHIVE_SEARCH_URL",
        "",
        "Search engine: empty means the embedded Whoosh index under ARCHIVE_INDEX_DIR; "
        "http(s)://host:port[,host:port...][/prefix] names an OpenSearch 2.x cluster (several "
        "hosts: requests fail over between them), the prefix (default archive) naming this "
        "archive's indexes and alias so that several archives can share a cluster.",
    ),
    Setting("ARCHIVE_SEARCH_SHARDS", "1",
            "OpenSearch only: primary shards of the index a full build creates."),
    Setting("ARCHIVE_SEARCH_REPLICAS", "0",
            "OpenSearch only: replicas of each shard (0 on one node; 1 or more on a cluster). "
            "A full build loads without replicas and adds them when loaded."),
    Setting("ARCHIVE_MAX_FILE_BYTES", "5000000", "Largest document file accepted, in bytes."),
    Setting(
        "ARCHIVE_SEARCH_DEADLINE",
        "2",
        "Seconds of CPU time a search may use before it stops with an error (API: 503) instead "
        "of occupying a worker; checked between its stages. 0 means no deadline.",
    ),
)


@dataclass(frozen=True)
class Config:
    documents_dir: Path
    index_dir: Path
    database_url: str
    base_url: str
    max_file_bytes: int
    search_deadline: float = 2.0  # seconds; 0: none
    base_url_set: bool = False  # ARCHIVE_BASE_URL was given (else base_url is the default)
    search_url: str = ""  # empty: Whoosh under index_dir (archive.engines.engine)
    search_shards: int = 1  # OpenSearch: a new index's primary shards
    search_replicas: int = 0  # OpenSearch: replicas of each shard

    @property
    def authority_dir(self) -> Path:
        return self.documents_dir / "authority"

    @property
    def sets_dir(self) -> Path:
        return self.documents_dir / "sets"


def load_config(env: dict[str, str] | None = None, **overrides: str) -> Config:
    """Defaults, then the environment, then explicit overrides (as the Flask tutorial's factory does)."""
    env = os.environ if env is None else env
    values = {s.name: env.get(s.name) or s.default for s in SETTINGS}
    values.update({k: v for k, v in overrides.items() if v is not None})
    index_dir = Path(values["ARCHIVE_INDEX_DIR"])
    url = values["ARCHIVE_DATABASE_URL"] or f"sqlite:///{index_dir / 'catalog.sqlite3'}"
    return Config(
        documents_dir=Path(values["ARCHIVE_DOCUMENTS_DIR"]),
        index_dir=index_dir,
        database_url=url,
        base_url=values["ARCHIVE_BASE_URL"].rstrip("/"),
        max_file_bytes=int(values["ARCHIVE_MAX_FILE_BYTES"]),
        search_deadline=_seconds("ARCHIVE_SEARCH_DEADLINE", values["ARCHIVE_SEARCH_DEADLINE"]),
        base_url_set=bool(env.get("ARCHIVE_BASE_URL") or overrides.get("ARCHIVE_BASE_URL")),
        search_url=values["ARCHIVE_SEARCH_URL"].strip(),
        search_shards=_count("ARCHIVE_SEARCH_SHARDS", values["ARCHIVE_SEARCH_SHARDS"], 1),
        search_replicas=_count("ARCHIVE_SEARCH_REPLICAS", values["ARCHIVE_SEARCH_REPLICAS"], 0),
    )


def _count(name: str, text: str, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = least - 1
    if not least <= value <= 1024:
        raise ValueError(f'{name}: expected a whole number from {least} to 1024, got "{text}"')
    return value


def _seconds(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise ValueError(f'{name}: expected a number of seconds (0 for none), got "{text}"')
    return value


def base_url_notice(config: Config) -> str | None:
    """The one line the CLI prints on stderr before writing citations with the default address."""
    if config.base_url_set:
        return None
    return (f"note: citations carry the default address {config.base_url}; set ARCHIVE_BASE_URL "
            "to the reader's public address (e.g. ARCHIVE_BASE_URL=https://archive.example.org)")
