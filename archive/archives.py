"""The archive authority (documents/authority/archives.yaml): which archives a reference may name.

An archive is named by its id, any abbreviation, any of its three full names or any former name
(RTsKhIDNI for RGASPI: a reference citing it resolves to the archive of today). Names match
ignoring case, spaces, punctuation and the word "the", so "AVPRF", "AVP RF" and "A.V.P. R.F."
are one name, as are "Archive of Foreign Policy ..." and "Archive of the Foreign Policy ...".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml

from archive.files import read_regular
from archive.records import Archive, Problem
from archive.yamlnodes import RefusedYAML, compose_checked

FIELDS = ("id", "name_en", "name_ru", "name_translit", "city", "abbreviations", "former_names")
_LISTS = ("abbreviations", "former_names")
REQUIRED = ("id", "name_en", "name_ru")
_WORD = re.compile(r"[^\W_]+")


class AuthorityError(Exception):
    """A malformed authority file; `problems` holds one `path:line: field: message` each."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def name_key(text: str) -> str:
    """The form names are compared in: lower case, letters and digits only, without "the"."""
    return "".join(w for w in _WORD.findall(text.casefold()) if w != "the")


def archive_names(archive: Archive) -> tuple[str, ...]:
    """Every name an archive may be cited by: id, abbreviations, the full names, former names."""
    names = (archive.id, *archive.abbreviations, archive.name_en, archive.name_ru)
    translit = (archive.name_translit,) if archive.name_translit else ()
    return (*names, *translit, *archive.former_names)


class ArchiveAuthority:
    """The known archives, looked up by id (`get`) or by any name (`resolve`)."""

    def __init__(self, archives: Iterable[Archive]):
        self._by_id: dict[str, Archive] = {}
        self._by_key: dict[str, Archive] = {}
        for archive in archives:
            self._by_id[archive.id] = archive
            for name in archive_names(archive):
                self._by_key.setdefault(name_key(name), archive)
        self.longest_key = max((len(k) for k in self._by_key), default=0)
        # every beginning of a name key: a scan for names stops as soon as it leaves them
        self.key_prefixes = frozenset(k[:i] for k in self._by_key for i in range(1, len(k) + 1))

    def get(self, id: str) -> Archive:
        """The archive with this id; raises KeyError if there is none."""
        return self._by_id[id]

    def lookup(self, id: str) -> Archive:
        """The archive with this id, or for an archive not in the authority one standing for
        it under the name as cited (every name is that name; no city)."""
        known = self._by_id.get(id)
        return known if known is not None else Archive(id=id, name_en=id, name_ru=id,
                                                       name_translit="", city="")

    def resolve(self, text: str) -> Archive | None:
        """The archive named by `text` (id, abbreviation or full name), or None."""
        return self._by_key.get(name_key(text))

    def former_name_in(self, id: str, text: str) -> str | None:
        """The former name of archive `id` that `text` cites it by, if any."""
        archive = self._by_id.get(id)
        words = _WORD.findall(text.casefold())
        for name in archive.former_names if archive else ():
            name_words = [w for w in _WORD.findall(name.casefold()) if w != "the"]
            plain = [w for w in words if w != "the"]
            if any(plain[i:i + len(name_words)] == name_words for i in range(len(plain))):
                return name
        return None

    def __contains__(self, id: object) -> bool:
        return id in self._by_id

    def ids(self) -> list[str]:
        return sorted(self._by_id)

    def __iter__(self) -> Iterator[Archive]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)


def load_archives(path: Path) -> ArchiveAuthority:
    """Read an archive authority file; raises AuthorityError listing every problem in it."""
    path = Path(path)
    where = str(path)
    try:
        root = compose_checked(read_regular(path).decode("utf-8"), loader_class=yaml.SafeLoader,
                              where="archives")
    except OSError as error:
        problem = Problem(where, 1, "file", f"cannot read: {error.strerror}")
        raise AuthorityError([problem]) from None
    except RefusedYAML as error:
        raise AuthorityError([Problem(where, line, field, message)
                              for line, field, message in error.issues]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = Problem(where, line, "yaml", f"YAML syntax error: {error.problem}")
        raise AuthorityError([problem]) from None
    if not isinstance(root, yaml.SequenceNode):
        line = root.start_mark.line + 1 if root is not None else 1
        raise AuthorityError([Problem(where, line, "archives", "expected a list of archives")])

    problems: list[Problem] = []
    archives: list[Archive] = []
    id_lines: dict[str, int] = {}
    key_owners: dict[str, tuple[str, int]] = {}  # name key -> (archive id, line)
    for item in root.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            problems.append(Problem(where, line, "archives", "expected a mapping of fields"))
            continue
        fields = _read_fields(item, where, problems)
        for name in REQUIRED:
            if name not in fields:
                problems.append(Problem(where, line, name, "required field is missing"))
        if any(fields.get(name) is None for name in REQUIRED):
            continue
        archive = Archive(
            id=fields["id"][0],
            name_en=fields["name_en"][0],
            name_ru=fields["name_ru"][0],
            name_translit=(fields.get("name_translit") or ("", 0))[0],
            city=(fields.get("city") or ("", 0))[0],
            abbreviations=tuple(a for a, _ in fields.get("abbreviations", [])),
            former_names=tuple(a for a, _ in fields.get("former_names", [])),
        )
        id_line = fields["id"][1]
        if archive.id in id_lines:
            message = f'duplicate id "{archive.id}" (first at line {id_lines[archive.id]})'
            problems.append(Problem(where, id_line, "id", message))
            continue
        id_lines[archive.id] = id_line
        archives.append(archive)
        named = [("id", *fields["id"])]
        named += [(key, *a) for key in _LISTS for a in fields.get(key, [])]
        named += [(f, *fields[f]) for f in ("name_en", "name_ru", "name_translit") if fields.get(f)]
        for field, name, name_line in named:
            owner, owner_line = key_owners.setdefault(name_key(name), (archive.id, name_line))
            if owner != archive.id:
                message = f'"{name}" is already a name of archive "{owner}" (line {owner_line})'
                problems.append(Problem(where, name_line, field, message))
    if problems:
        raise AuthorityError(problems)
    return ArchiveAuthority(archives)


def _read_fields(item: yaml.MappingNode, where: str, problems: list[Problem]) -> dict:
    """Field name -> (text, line), or for abbreviations a list of (text, line)."""
    fields: dict = {}
    for key_node, value_node in item.value:
        key, line = str(key_node.value), key_node.start_mark.line + 1
        if key not in FIELDS:
            close = difflib.get_close_matches(key, FIELDS, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            problems.append(Problem(where, line, key, f"unknown field{hint}"))
        elif key in fields:
            problems.append(Problem(where, line, key, "field given twice"))
        elif key in _LISTS:
            items = value_node.value if isinstance(value_node, yaml.SequenceNode) else None
            if items is None:
                problems.append(Problem(where, line, key, "expected a list of names"))
                continue
            fields[key] = [t for t in (_text(n, key, where, problems) for n in items) if t]
        else:
            fields[key] = _text(value_node, key, where, problems)  # None when unreadable
    return fields


def _text(node: yaml.Node, field: str, where: str, problems: list[Problem]):
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        problems.append(Problem(where, line, field, "expected non-empty text"))
        return None
    return str(node.value).strip(), line
