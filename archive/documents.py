"""Reading and validating the Markdown collection into Records.

`load_collection` collects every problem (never stopping at the first) so that `archive check`
can list them all, each as `path:line: field: message`.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple

import yaml

from . import fields
from .archives import ArchiveAuthority, load_archives
from .archives import AuthorityError as ArchiveAuthorityError
from .copies import duplicate_copies, duplicate_copy_warnings
from .files import NotRegular, read_regular
from .people import AuthorityError, PeopleAuthority, load_people
from .records import DocumentSet, Problem, Record
from .ref_formats import unknown_archive_note
from .sets import load_sets
from .settings import Config
from .vocabulary import Vocabulary, load_vocabularies, unknown_place
from .yamlnodes import RefusedYAML, error_line, error_text, load_located

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SECTION = re.compile(r"^##[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_SKIP_DIRS = {"authority", "sets"}

RecordCache = Callable[[str, str], Record | None]  # (relative path, sha256) -> cached record


class KnownFile(NamedTuple):
    """A catalogued file as a build last saw it. While its size and modification time stay the
    same, a build takes its record as catalogued without reading the file (as git does).
    (A named tuple: a build makes one per catalogued file, 100,000 at a time.)"""

    path: str  # relative to the documents folder
    id: str
    sha256: str
    mtime_ns: int
    size: int
    replies_to: tuple[str, ...] = ()

    def stat_matches(self, stat: os.stat_result) -> bool:
        return self.mtime_ns == stat.st_mtime_ns and self.size == stat.st_size


@dataclass
class Collection:
    # Unchanged files come as KnownFile when `load_collection` is given `known` (builds only).
    records: dict[str, Record | KnownFile]
    problems: list[Problem]
    people: PeopleAuthority | None
    archives: ArchiveAuthority | None
    sets: list[DocumentSet] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # paths of invalid documents
    # relative path -> (mtime_ns, size) of every file read this time (for the next build)
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)
    places: Vocabulary | None = None
    terms: Vocabulary | None = None
    # what is valid but worth a look (an unknown archive or place, a date after today); never
    # blocks a build
    warnings: list[Problem] = field(default_factory=list)
    checked: int = 0  # files validated or reported on

    @property
    def ok(self) -> bool:
        return not self.problems


def document_paths(documents_dir: Path) -> list[Path]:
    """Every document file under the folder (README files, authority and sets excluded)."""
    return [Path(name) for name in document_files(documents_dir)]


def document_files(documents_dir: Path) -> list[str]:
    """`document_paths` as strings, in the same order. Walks with os.scandir and sorts strings
    by their parts: at 100,000 files, pathlib's rglob and Path objects cost seconds."""
    names = []
    stack = [(str(documents_dir), True)]
    while stack:
        folder, top = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                if not (top and name in _SKIP_DIRS):
                    stack.append((entry.path, False))
            elif name.endswith(".md") and name.lower() != "readme.md":
                names.append(entry.path)
    if str(documents_dir) == ".":  # as Path(".") / name would be
        names = [name[2:] for name in names]
    # by path parts, as comparing name.split(os.sep) would: NUL sorts before any character
    names.sort(key=lambda name: name.replace(os.sep, "\0"))
    return names


def load_authorities(config: Config) -> tuple[PeopleAuthority | None, ArchiveAuthority | None,
                                              list[Problem]]:
    problems: list[Problem] = []
    people = archives = None
    try:
        people = load_people(config.authority_dir / "people.yaml")
    except AuthorityError as error:
        problems.append(_problem_from_message(str(error), "people"))
    try:
        archives = load_archives(config.authority_dir / "archives.yaml")
    except ArchiveAuthorityError as error:
        problems.extend(error.problems)
    return people, archives, problems


def load_collection(config: Config, *, only: Iterable[Path] | None = None,
                    cache: RecordCache | None = None,
                    known: dict[str, KnownFile] | None = None) -> Collection:
    """Validate the whole collection (or report only on `only`, still checking links against all).

    `cache` lets a build reuse the validated record of a file whose bytes have not changed;
    `known` (relative path -> KnownFile) lets it skip reading a file whose size and
    modification time have not changed: such files come back as their KnownFile.
    """
    people, archives, problems = load_authorities(config)
    places, terms, messages = load_vocabularies(config.authority_dir,
                                                people.forms() if people else None)
    problems += [_problem_from_message(m, "places") for m in messages]
    if people is None or archives is None or places is None or terms is None:
        return Collection({}, problems, people, archives, places=places, terms=terms)
    documents_dir = config.documents_dir
    files = document_files(documents_dir)
    given = None if only is None else _expand(only)
    selected = None if given is None else {p.resolve() for p in given}
    seen: set[Path] = set()  # the selected files found in the collection
    records: dict[str, Record | KnownFile] = {}
    first_path: dict[str, str] = {}
    skipped: list[str] = []
    stats: dict[str, tuple[int, int]] = {}
    base = str(documents_dir) + os.sep
    for text in files:
        if selected is None:
            report = True
        else:
            resolved = Path(text).resolve()
            report = resolved in selected
            if report:
                seen.add(resolved)
        if not text.isascii() and not _encodable(text):  # not UTF-8: nothing could store or print it
            shown = _printable(text)
            skipped.append(shown)
            if report:
                problems.append(Problem(shown, 1, "file", (
                    f"the file name is not UTF-8 ({_bad_bytes(text)}); rename the file")))
            continue
        display = text if text.startswith(base) else _display(Path(text), documents_dir)
        record = None
        if known is not None:
            relative = (text[len(base):] if text.startswith(base)
                        else Path(text).relative_to(documents_dir).as_posix())
            entry = known.get(relative)
            try:
                stat = os.stat(text)
            except OSError:
                stat = None
            if entry is not None and stat is not None and entry.stat_matches(stat):
                record, file_problems = entry, []
            elif stat is not None:
                stats[relative] = (stat.st_mtime_ns, stat.st_size)
        if record is None:
            path = Path(text)
            record, file_problems = load_document(path, documents_dir, people, archives,
                                                  max_bytes=config.max_file_bytes, cache=cache)
        if record is not None and record.id in first_path:
            file_problems.append(Problem(display, 1, "id", (
                f"duplicate id {record.id!r}: {first_path[record.id]} has the same id")))
            record = None
        if record is None:
            skipped.append(display)
        else:
            first_path[record.id] = display
            records[record.id] = record
        if report:
            problems.extend(file_problems)
    problems.extend(_check_links(records, documents_dir, selected))
    # Only records read this time: an unchanged catalogued file was looked at when it was read.
    warnings = [w for w in (_future_date(r, documents_dir / r.path, documents_dir)
                            for r in records.values() if isinstance(r, Record))
                if w is not None and (selected is None or Path(w.path).resolve() in selected)]
    checked = len(records) + len(skipped)
    sets, set_problems = load_sets(config.sets_dir, set(records))
    if given is None:
        problems.extend(set_problems)
    else:
        # Authority and set files named are checked as what they are (the authorities always
        # are: any problem in them is already listed); any other file as a document.
        own = {config.authority_dir.resolve(), config.sets_dir.resolve()}
        yaml_given = {p.resolve() for p in given if p.resolve().parent in own}
        problems.extend(p for p in set_problems if Path(p.path).resolve() in yaml_given)
        outside = [p for p in given if p.resolve() not in seen and p.resolve() not in yaml_given]
        problems.extend(_check_outside(outside, records, config, people, archives, warnings))
        checked = len(given)
    problems.sort(key=lambda p: (p.path, p.line))
    warnings += unknown_archive_warnings(
        [r for r in records.values() if isinstance(r, Record)
         and (selected is None or (documents_dir / r.path).resolve() in selected)],
        archives, documents_dir)
    warnings += _place_warnings(records, places, documents_dir, selected)
    warnings += _copy_warnings(records, documents_dir, selected)
    warnings.sort(key=lambda p: (p.path, p.line))
    return Collection(records, problems, people, archives, sets, skipped, stats, places, terms,
                      warnings, checked)


def unknown_archive_warnings(records: Iterable[Record], archives: ArchiveAuthority,
                             documents_dir: Path) -> list[Problem]:
    """One warning per reference to an archive the authority does not know, on its line."""
    warnings = []
    for record in records:
        unknown = [r for r in record.archive_refs if r.archive not in archives]
        if not unknown:
            continue
        path = documents_dir / record.path
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except OSError:
            lines = []
        for ref in unknown:
            needle = ref.cited or ref.archive
            line = next((i for i, text in enumerate(lines, 1) if needle in text),
                        next((i for i, t in enumerate(lines, 1) if t.startswith("archive_refs")),
                             1))
            message = "warning: " + unknown_archive_note(ref.archive)
            warnings.append(Problem(_display(path, documents_dir), line, "archive_refs", message))
    return warnings


def _future_date(record: Record, path: Path, documents_dir: Path) -> Problem | None:
    """A warning when a document is dated after today (a mistyped year, most likely)."""
    today = date.today()
    if record.date.earliest <= today:
        return None
    return Problem(_display(path, documents_dir), _key_line(path, "date"), "date", (
        f'warning: "{record.date.text}" is after today ({today.isoformat()}); '
        "check the year (the document is accepted)"))


def load_document(path: Path, documents_dir: Path, people: PeopleAuthority,
                  archives: ArchiveAuthority, *, max_bytes: int,
                  cache: RecordCache | None = None) -> tuple[Record | None, list[Problem]]:
    """One file -> (record or None, its problems). Cross-document links are checked later."""
    display = _display(path, documents_dir)

    def problem(line: int, field_name: str, message: str) -> list[Problem]:
        return [Problem(display, line, field_name, message)]

    if path.is_symlink() and not _inside(path.resolve(), documents_dir.resolve()):
        return None, problem(1, "file", "refused: a symbolic link pointing outside the documents folder")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, problem(1, "file", (
                f"refused: {size:,} bytes is over the limit of {max_bytes:,} "
                "(ARCHIVE_MAX_FILE_BYTES)"))
        raw = read_regular(path, max_bytes)
    except NotRegular as error:  # never opened: a FIFO would block the first read forever
        return None, problem(1, "file", f"skipped: {error.strerror}")
    except OSError as error:
        return None, problem(1, "file", f"cannot read ({error.strerror})")
    digest = hashlib.sha256(raw).hexdigest()
    try:
        relative = path.relative_to(documents_dir).as_posix()
    except ValueError:  # `archive check` on a file outside the documents folder
        relative = path.as_posix()
    if cache is not None:
        cached = cache(relative, digest)
        if cached is not None:
            return cached, []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, problem(line, "file", (
            f"not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start}); "
            "save the file as UTF-8"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return None, problem(1, "file", "empty file: expected YAML front matter between --- lines")
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, problem(1, "front matter", "missing: the file must start with a --- line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        return None, problem(1, "front matter", "unterminated: no closing --- line")
    front = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1:]).strip("\n") + "\n"
    try:
        located = load_located(front, first_line=2)
    except RefusedYAML as error:
        return None, [Problem(display, line, name, message) for line, name, message in error.issues]
    except yaml.YAMLError as error:
        return None, problem(error_line(error, first_line=2), "front matter", error_text(error))
    if not isinstance(located.value, dict):
        kind = "empty" if located.value is None else type(located.value).__name__
        kind = {"list": "a list", "str": "text", "int": "a number"}.get(kind, kind)
        return None, problem(2, "front matter", f"expected a mapping of fields, got {kind}")
    doc_id = path.stem
    problems = []
    if not SLUG.match(doc_id):
        problems += problem(1, "id", (
            f"file name {path.name!r} is not a valid id: use lower-case letters, digits and "
            "hyphens, e.g. 1950-05-14-stalin-to-mao.md"))
    values, field_problems = fields.validate(located, people, archives)
    problems += [Problem(display, line, name, message) for line, name, message in field_problems]
    if "id" in values and values.pop("id") != doc_id:
        problems += problem(located.key_lines["id"], "id", (
            f"id {located.value['id']!r} does not match the file name {path.name!r}"))
    if problems:
        return None, problems
    record = Record(id=doc_id, path=relative, body=body, sha256=digest,
                    sections=split_sections(body), **values)
    return record, []


def split_sections(body: str) -> dict[str, str]:
    """`## Summary` / `## Translation` / `## Original` ... -> {"summary": text, ...}."""
    sections: dict[str, str] = {}
    matches = list(_SECTION.finditer(body))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(body)
        name = re.sub(r"[^a-z0-9]+", "-", match.group(1).casefold()).strip("-")
        sections[name] = body[match.end():end].strip()
    return sections


def _check_links(records: dict[str, Record | KnownFile], documents_dir: Path,
                 selected: set[Path] | None) -> list[Problem]:
    problems = []
    for record in records.values():
        if selected is not None and (documents_dir / record.path).resolve() not in selected:
            continue
        for target in record.replies_to:
            if target == record.id:
                message = "a document cannot reply to itself"
            elif target not in records:
                message = f"no document with id {target!r} in the collection"
            else:
                continue
            line = _key_line(documents_dir / record.path, "replies_to")
            problems.append(Problem(_display(documents_dir / record.path, documents_dir),
                                    line, "replies_to", message))
    return problems


def _place_warnings(records: dict[str, Record | KnownFile], places: Vocabulary,
                    documents_dir: Path, selected: set[Path] | None) -> list[Problem]:
    warnings = []
    if not len(places):
        return warnings
    for record in records.values():
        if not isinstance(record, Record):
            continue
        path = documents_dir / record.path
        if selected is not None and path.resolve() not in selected:
            continue
        for key in ("place_from", "place_to"):
            message = unknown_place(getattr(record, key) or "", places)
            if message:
                warnings.append(Problem(_display(path, documents_dir), _key_line(path, key), key,
                                        message))
    return warnings


def _copy_warnings(records: dict[str, Record | KnownFile], documents_dir: Path,
                   selected: set[Path] | None) -> list[Problem]:
    """Warnings (not errors: the record stays valid) for a reference listed twice, written
    differently ("ll. 105-6" beside "ll. 105-106")."""
    warnings = []
    for record in records.values():
        if (not isinstance(record, Record) or len(record.archive_refs) < 2
                or not duplicate_copies(record.archive_refs)):
            continue
        path = documents_dir / record.path
        if selected is not None and path.resolve() not in selected:
            continue
        text = path.read_text(encoding="utf-8-sig")
        for line, message in duplicate_copy_warnings(record.archive_refs, text):
            warnings.append(Problem(_display(path, documents_dir), line, "archive_refs",
                                    f"warning: {message}"))
    return warnings


def _key_line(path: Path, key: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def _expand(paths: Iterable[Path]) -> list[Path]:
    """The files named, a folder standing for the documents in it."""
    files: list[Path] = []
    for path in paths:
        files.extend(document_paths(path) if path.is_dir() else [path])
    return files


def _check_outside(paths: list[Path], records: dict[str, Record | KnownFile], config: Config,
                   people: PeopleAuthority, archives: ArchiveAuthority,
                   warnings: list[Problem]) -> list[Problem]:
    """Files given to `archive check` that the collection does not hold (outside the documents
    folder, or a README, authority or set file within it): checked as documents all the same,
    their replies against the collection."""
    problems: list[Problem] = []
    for path in paths:
        if not _encodable(str(path)):
            problems.append(Problem(_printable(str(path)), 1, "file", (
                f"the file name is not UTF-8 ({_bad_bytes(str(path))}); rename the file")))
            continue
        record, found = load_document(path, config.documents_dir, people, archives,
                                      max_bytes=config.max_file_bytes)
        problems.extend(found)
        if record is None:
            continue
        warning = _future_date(record, path, config.documents_dir)
        if warning is not None:
            warnings.append(warning)
        for target in record.replies_to:
            if target == record.id or target not in records:
                message = ("a document cannot reply to itself" if target == record.id
                           else f"no document with id {target!r} in the collection")
                problems.append(Problem(_display(path, config.documents_dir),
                                        _key_line(path, "replies_to"), "replies_to", message))
    return problems


def _encodable(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # os.scandir gives undecodable bytes as lone surrogates
        return False
    return True


def _printable(name: str) -> str:
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _bad_bytes(name: str) -> str:
    raw = os.fsencode(name)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"byte 0x{raw[error.start]:02x}"
    return "unknown bytes"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _display(path: Path, documents_dir: Path) -> str:
    try:
        return str(documents_dir / path.relative_to(documents_dir))
    except ValueError:
        return str(path)


def _problem_from_message(message: str, default_field: str) -> Problem:
    match = re.match(r"^(.*?):(\d+): ([^:]+): (.*)$", message, re.DOTALL)
    if match:
        return Problem(match[1], int(match[2]), match[3], match[4])
    return Problem("documents/authority", 1, default_field, message)
