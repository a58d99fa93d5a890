"""The OpenSearch engine (for an archive past one machine): the only package that imports the
OpenSearch client. `mapping` holds the index's analysis and mapping, `documents` what a record is
indexed as, `client` the connection, `writing` the bulk loads, `registry` the committed
generations every server shares, and `searching` the SearchIndex.

A generation is, as for Whoosh, a folder `<ARCHIVE_INDEX_DIR>/opensearch/000NNN` holding what
the build writes beside the index (build.json, authorities.json, lemmas.json), plus
`opensearch.json` naming the OpenSearch index it searches, `<prefix>-<uuid>`:

- a full build creates a new index; an incremental build applies its changes in place to the
  index its generation's folder (a copy of the current one) names, by content hash;
- just before the catalog commits the generation, `stage` stores its files in the registry
  (`<prefix>-generations`, by build id); once it has, `publish` marks it committed, points the
  alias `<prefix>` at its index (one atomic `_aliases` call), reconciles the index with the
  catalog (ids and content hashes), which repairs whatever a killed build left, and deletes the
  indexes neither it nor the previous generation uses;
- a server whose own index folder lacks the current generation (another machine, sharing the
  catalog and the cluster) fetches its files from the registry (`local_generation`).

Readers search the index the committed generation's opensearch.json names (not the alias), so
a build killed at any moment leaves them the index they were reading.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ... import generations, lemmas
from ...people import PeopleAuthority
from .client import Address, connect, parse_address, reaching

if TYPE_CHECKING:
    from ...generations import BuildState
    from ...records import Record
    from ...settings import Config
    from ...vocabulary import Vocabulary

FOLDER = "opensearch"
INDEX_FILE = "opensearch.json"  # {"index": "<prefix>-<uuid>"}
FILES = (generations.BUILD_FILE, generations.AUTHORITIES_FILE, lemmas.FILE, INDEX_FILE)


class OpenSearchEngine:
    """archive.engines.Engine for an OpenSearch cluster (ARCHIVE_SEARCH_URL), the generations'
    files under `<ARCHIVE_INDEX_DIR>/opensearch`. Raises SettingError for an address it cannot
    use; any method that reaches the cluster raises SearchEngineUnavailable when it cannot."""

    def __init__(self, config: Config):
        self.address: Address = parse_address(config.search_url)
        self.index_dir = config.index_dir
        self.shards = config.search_shards
        self.replicas = config.search_replicas
        self._client = None
        self._writer = uuid.uuid4().hex  # this process's builds, in the registry's marks
        self.last_reconciled = None  # writing.Reconciled of the last publish (for reports)

    @property
    def prefix(self) -> str:
        return self.address.prefix

    @property
    def client(self):
        if self._client is None:
            self._client = connect(self.address)
        return self._client

    # where generations live

    def generations_dir(self) -> Path:
        return self.index_dir / FOLDER

    def generation_path(self, generation: int) -> Path:
        return self.generations_dir() / f"{generation:06d}"

    def index_name(self, path: Path) -> str:
        """The OpenSearch index a generation's folder searches."""
        return json.loads((path / INDEX_FILE).read_text(encoding="utf-8"))["index"]

    # writing

    def create(self, path: Path, records: Iterable[Record], people: PeopleAuthority,
               places: Vocabulary | None = None) -> int:
        from . import writing

        path.mkdir(parents=True)
        name = writing.new_index_name(self.prefix)
        _write_json(path / INDEX_FILE, {"index": name})  # first: a killed build's index is found
        with reaching(self.address):
            return writing.create_index(self.client, name, records, people, places, self.shards,
                                        self.replicas)

    def update(self, path: Path, changed: Iterable[Record], removed: Iterable[str],
               people: PeopleAuthority, places: Vocabulary | None = None) -> None:
        from . import registry, writing

        name = self.index_name(path)
        with reaching(self.address):
            registry.ensure(self.client, self.prefix)
            registry.mark_writing(self.client, self.prefix, name, self._writer)  # before writing
            writing.apply_changes(self.client, name, changed, removed, people, places)

    def document_count(self, path: Path) -> int:
        with reaching(self.address):
            return self.client.count(index=self.index_name(path))["count"]

    # around the catalog's commit

    def stage(self, path: Path) -> None:
        """Save the generation's files in the registry before the catalog names it, so that
        every server finds them as soon as it does."""
        from . import registry

        with reaching(self.address):
            registry.ensure(self.client, self.prefix)
            self._save(path, committed=False)

    def _save(self, path: Path, committed: bool) -> None:
        from . import registry

        files = {f: (path / f).read_text(encoding="utf-8") for f in FILES if (path / f).exists()}
        generation = int(path.name) if path.name.isdigit() else 0
        registry.save_generation(self.client, self.prefix, generations.load_build_id(path) or "",
                                 generation, self.index_name(path), files, committed)

    def publish(self, path: Path, catalog) -> None:
        """Make the committed generation at `path` current and its index exactly the catalog's
        documents. Cheap when a build already did it (an up-to-date build calls it again, to
        finish what a build killed after its commit left undone)."""
        from . import registry, writing

        name = self.index_name(path)
        build_id = generations.load_build_id(path) or ""
        with reaching(self.address):
            client = self.client
            registry.ensure(client, self.prefix)
            record = registry.generation(client, self.prefix, build_id) or {}
            writer = registry.writer(client, self.prefix, name)
            client.indices.refresh(index=name)
            counted = client.count(index=name)["count"] == catalog.count()
            if (record.get("reconciled") and writer is None and counted
                    and self._alias_targets() == {name}):
                self._delete_unused(build_id, name)  # a killed full build's index
                return
            # every hash is compared when a build that never published wrote into the index,
            # when a publish of this generation was killed, or when the counts differ
            thorough = (not counted or record.get("attempted", False)
                        or writer not in (None, self._writer))
            if not record:  # staged by no build (killed before?): saved now
                self._save(path, committed=True)
            registry.mark_publishing(client, self.prefix, build_id)
            self._point_alias(name)
            people, places = _authorities(path)
            self.last_reconciled = writing.reconcile(client, name, catalog, people, places,
                                                     thorough)
            registry.clear_writing(client, self.prefix, name)
            registry.mark_reconciled(client, self.prefix, build_id)
            self._delete_unused(build_id, name)

    def _alias_targets(self) -> set[str]:
        if not self.client.indices.exists_alias(name=self.prefix):  # HEAD: a 404 is not logged
            return set()
        return set(self.client.indices.get_alias(name=self.prefix))

    def _point_alias(self, name: str) -> None:
        """Point the alias at `name` and at nothing else, in one atomic call."""
        actions = [{"remove": {"index": old, "alias": self.prefix}}
                   for old in sorted(self._alias_targets() - {name})]
        actions.append({"add": {"index": name, "alias": self.prefix}})
        self.client.indices.update_aliases(body={"actions": actions})

    def _delete_unused(self, build_id: str, name: str) -> None:
        """Delete this archive's indexes that neither the new generation nor the one before it
        uses (readers in flight may still search that one), with the older generation records
        and those of builds killed before their commit."""
        from . import registry, writing

        client = self.client
        others = [r for r in registry.generations(client, self.prefix) if r["build_id"] != build_id]
        committed = [r for r in others if r.get("committed")]
        kept = committed[:registry.KEPT - 1]
        registry.forget_generations(client, self.prefix,
                                    [r["build_id"] for r in others if r not in kept])
        keep = {name, *(r["index"] for r in kept)}
        ours = [i for i in client.indices.get(index=f"{self.prefix}-*", expand_wildcards="open")
                if writing.is_ours(self.prefix, i)]
        for index in sorted(set(ours) - keep):
            client.indices.delete(index=index, ignore=[404])

    # searching

    def local_generation(self, build: BuildState) -> Path | None:
        """The committed generation's folder here, or its files fetched from the registry (a
        server whose index folder is not the building machine's); None when neither has it."""
        if not build.generation:
            return None
        path = self.generation_path(build.generation)
        if path.is_dir() and generations.load_build_id(path) == build.build_id:
            return path
        from . import registry

        with reaching(self.address):
            record = registry.generation(self.client, self.prefix, build.build_id)
        if record is None:
            return None
        installed = _install(path, record["files"], build.build_id)
        for old in self.generations_dir().iterdir():  # servers keep the last two, as builds do
            if old.name.isdigit() and int(old.name) < build.generation - 1:
                shutil.rmtree(old, ignore_errors=True)
        return installed

    def open(self, path: Path):
        from .searching import OpenSearchIndex

        return _Reaching(OpenSearchIndex(self.client, self.index_name(path)), self.address)


class _Reaching:
    """An opened index whose every call turns a cluster gone away since (every host refused or
    timed out, or a server error) into SearchEngineUnavailable: one sentence for the CLI, a 503
    for the API, never a traceback."""

    def __init__(self, index, address: Address):
        self.index = index
        self.address = address

    def search(self, plan):
        with reaching(self.address):
            return self.index.search(plan)

    def ids(self, plan):
        with reaching(self.address):
            yield from self.index.ids(plan)

    def more_like(self, doc_id: str, limit: int):
        with reaching(self.address):
            return self.index.more_like(doc_id, limit)

    def highlight_terms(self, node):
        with reaching(self.address):
            return self.index.highlight_terms(node)

    def frequency(self, word: str) -> int:
        with reaching(self.address):
            return self.index.frequency(word)

    def similar_words(self, word: str, limit: int = 3):
        with reaching(self.address):
            return self.index.similar_words(word, limit)

    def close(self) -> None:
        self.index.close()


def _authorities(path: Path) -> tuple[PeopleAuthority, Vocabulary | None]:
    saved = generations.load_authorities(path)
    places, _terms = generations.load_vocabularies(path)
    return PeopleAuthority(saved[0] if saved else []), places


def _write_json(path: Path, data: dict) -> None:
    scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    scratch.write_text(json.dumps(data), encoding="utf-8")
    os.replace(scratch, path)


def _install(path: Path, files: dict[str, str], build_id: str) -> Path | None:
    """Write a generation's files into `path` atomically: a scratch folder renamed into place
    (a folder left by another build, with another id, is moved aside first)."""
    scratch = path.with_name(f"tmp-fetch-{path.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    scratch.mkdir(parents=True)
    for name, text in files.items():
        (scratch / name).write_text(text, encoding="utf-8")
    if path.exists() and generations.load_build_id(path) != build_id:
        aside = path.with_name(f"tmp-stale-{path.name}-{uuid.uuid4().hex[:8]}")
        try:
            os.rename(path, aside)
            shutil.rmtree(aside, ignore_errors=True)
        except FileNotFoundError:
            pass  # another server moved it
    try:
        os.rename(scratch, path)
    except OSError:  # another server installed it first
        shutil.rmtree(scratch, ignore_errors=True)
    return path if generations.load_build_id(path) == build_id else None
