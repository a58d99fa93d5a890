"""Archival references: parsing them as footnotes write them (`archive.ref_formats` writes them back).

A reference names an archive and then its parts: fond, opis, delo, papka and listy (sheets),
each kept exactly as cited ("059a", "0140-0142", "R-5446"), in any order and in any of the
usual words ("f.", "fond", "Ф."; "l.", "ll.", "list", "pp.", "л."; "p.", "pa.", "пап."). An
archive is named by any name in the authority (current or former); an archive the authority
does not know is kept as written ("RGAE", "GANO") and the reference still parses. Other forms:

- dotted short forms after the archive, fond.opis.delo[.listy] ("RGASPI 558.11.329");
- call numbers of foreign archives ("PRO FO 371/84053", "BArch, DY 30/3401", "NARA RG 59",
  "AMFA (Beijing) 106-00021-02"), kept whole in `call_number` and split into fond (the series
  or record group) and delo (the piece or file);
- several files under one fond and opis ("f. 3, op. 65, d. 826, ll. 40-45, and d. 827,
  ll. 3-9" is two references);
- no archive named ("Ф. 3. Оп. 65. Д. 9. Л. 51."): archive "" (or `default_archive`).

Text before the first archive is prose and is skipped ("A copy was found in ..."), and so are
noise ("[Source: ...]", "handwritten:") and a sentence after the sheets ("... ll. 0141.
Translated by ..."). Anything else that cannot be read is a RefError quoting it: no part is ever
dropped silently. "p." is a papka before the delo or when sheets follow, and sheets otherwise.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from archive.archives import ArchiveAuthority, name_key
from archive.records import Archive, ArchiveRef
from archive.ref_formats import PARTS

LABELS = {
    "fond": "fond|f|фонд|ф",
    "opis": "opis|op|опись|оп",
    "delo": r"delo|dd|d|дело|дд|д|ед\.\s?хр",  # "dd. 1–125": several dela
    # "р" is the Cyrillic letter, typed for a Latin "P."; "p." is decided by its place (below)
    "papka": "papka|pap|pa|p|папка|пап|п|р",
    "listy": "listy|list|ll|l|pp|листы|лист|лл|л|bl|ff|fols?|folios?",
}
_LABELS = "|".join(f"(?P<{part}>{labels})" for part, labels in LABELS.items())
_LABEL = re.compile(rf"(?<!\w)(?:{_LABELS})(?!\w)\s*[.:]?\s*", re.I)
_SHEET_LABEL = re.compile(rf"(?<!\w)(?:{LABELS['listy']})(?!\w)\s*[.:]?\s*\d", re.I)
# Fond, opis, delo and papka: a number with at most one letter ("059a", "5а", "1s"), a lettered
# fond ("R-5446", "Р-9401") or a roman opis ("III").
_NUMBER = r"(?:[^\W\d_]{1,2}-)?\d++(?:[^\W\d_](?!\w))?"
_ROMAN = r"[IVXL]+(?![\w])"
_UNIT = re.compile(rf"(?:{_NUMBER}|{_ROMAN})(?![\w/–—-])")  # a range of dela ("d. 3-4") is not
# Sheets: numbers, ranges and lists of them, a sheet's back marked "ob." ("10-12, 15", "5 об.").
_SHEET = _NUMBER + r"(?:\s?(?:ob|об|v)(?!\w)\.?)?"
_RANGE = _SHEET + r"(?:\s*[-–—]\s*" + _SHEET + ")?"
_LISTY = re.compile(
    _RANGE + r"(?:(?:\s*,\s*|\s+(?:and|и)\s+)" + _RANGE + r"(?!\s*(?!(?:and|и)\b)[^\W\d_]{3,}))*(?!\w)", re.I
)
# Fond, opis and delo with a number never occur in prose, unlike "p. 118" in a book citation.
_STRONG = "|".join(LABELS[part] for part in ("fond", "opis", "delo"))
_ARCHIVAL = re.compile(rf"(?<!\w)(?:{_STRONG})(?!\w)\s*[.:]?\s*(?:[^\W\d_]{{1,2}}-)?\d", re.I)
# fond.opis.delo[.listy] right after an archive: "17.162.39.101-102", "558.11.329".
_DOTTED = re.compile(
    r"(?P<fond>\d+[^\W\d_]?)\.(?P<opis>\d+[^\W\d_]?)\.(?P<delo>\d+[^\W\d_]?)"
    r"(?:\.(?P<listy>" + _LISTY.pattern.removesuffix(r"(?!\w)") + r"))?(?![\w.]\w)",
    re.I,
)
# fond, opis, delo[, list] as bare numbers right after an archive: "GARF 9401, 2, 99, 386".
_COMMAS = re.compile(
    r"(?P<fond>\d+[^\W\d_]?), (?P<opis>\d+[^\W\d_]?), (?P<delo>\d+[^\W\d_]?)"
    r"(?:, (?P<listy>\d+(?:\s?[-–]\s?\d+)?))?(?!\s?[,.]?\s?\d)(?!\w)"
)
# Call numbers of archives outside the fond/opis/delo tradition: "FO 371/84053", "DY 30/IV 2/2/123",
# "RG 59", "106-00021-02".
_CALL = re.compile(
    r"(?P<series>[A-Z]{1,5}(?:\s?\d+[A-Z]?|(?=/)))"
    r"(?:\s?/\s?(?P<piece>[\dA-Z][\w.]*(?:/[\dA-Z][\w.]*| [\dIVXJ][\w.]*)*))?(?![\w/])"
    r"(?P<more>:[^;]*?(?=\.?\s*(?:;|$)))?"
    r"|(?P<number>\d+(?:-\d+){2,})(?![\w-])",
)
_SEP = re.compile(r"[\s,.;:()\[\]«»\"“”]*")
_JOIN = re.compile(r"[\s.,'’\-]*")  # what may stand between the words of one archive name
_MERGE = re.compile(r"[\s,.()\[\]]*")  # "Archive of the President ..., APRF" is one name
_CONNECTIVES = re.compile(r"(?:(?:and|also|see|cf|и|см|также)(?!\w)|[\s,.;:()\[\]«»\"“”])*", re.I)
_WORD = re.compile(r"[^\W_]+")
# Words that open a clause before an archive's name but are not part of it.
_LEAD_IN = re.compile(
    r"^.*(?<!\w)(?:in|at|from|see|cf|also|and|source|sources|handwritten|copy|в|см|также|и|источник)"
    r"(?!\w)[\s.:,]*",
    re.I | re.S,
)
_IBID = re.compile(r"(?:ibid|ibidem|там\s+же)\.?", re.I)
_IBID_IN_TEXT = re.compile(r"(?<!\w)(?:ibid|ibidem|там\s+же)(?!\w)\.?", re.I)
_RANK = {"fond": 0, "opis": 1, "papka": 2, "delo": 3, "listy": 4}
MAX_CHARS = 4000
_DIGITS = re.compile(r"\d+")
MAX_DIGITS = 10  # per number; real fonds, dela and sheets have at most 5 or 6


class RefError(ValueError):
    """An archive reference that cannot be read; the message quotes the offending text."""


@dataclass
class _Mention:
    start: int
    end: int
    archive: Archive


def parse_refs(
    text: str, archives: ArchiveAuthority, *, default_archive: str | None = None
) -> list[ArchiveRef]:
    """Every archive reference in `text`, in order.

    An archive the authority does not know is kept as written (`ArchiveRef.archive` is the name);
    parts cited without any archive get `default_archive` (any name of an archive), or "" when
    there is none. Raises RefError for text without a reference or a part that cannot be read.
    """
    source = text.strip()
    if not source:
        raise RefError("empty archive reference")
    if len(source) > MAX_CHARS:  # ten times the longest published footnote in the tests
        raise RefError(f"archive reference too long: {len(source):,} characters (at most "
                       f"{MAX_CHARS:,}); split it into several references")
    default = ""
    if default_archive is not None:
        known = archives.resolve(default_archive)
        default = known.id if known else default_archive.strip()
    mentions = _find_mentions(source, archives)
    lead_end = mentions[0].start if mentions else len(source)
    refs = _read(source, _lead_step(source, lead_end, default), lead_end)
    for i, mention in enumerate(mentions):
        end = mentions[i + 1].start if i + 1 < len(mentions) else len(source)
        refs.extend(_read(source, _Run(mention.start, mention.end, mention.archive.id), end))
    if not refs:
        raise RefError(f'no archive reference found in "{source}"')
    return refs


def ref_from_mapping(data: dict, archives: ArchiveAuthority, *, cited: str = "") -> ArchiveRef:
    """A reference given as a mapping (archive, fond, opis, delo, papka, listy, and `primary: true`
    to make it the copy citations name); raises RefError.

    An archive the authority does not know is kept as written."""
    for key in data:
        if key not in ("archive", *PARTS, "primary"):
            close = difflib.get_close_matches(str(key), ("archive", *PARTS, "primary"), n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            raise RefError(f"unknown archive reference field `{key}`{hint}")
    if not data.get("archive") or not str(data["archive"]).strip():
        raise RefError("archive reference has no `archive`")
    parts = {}
    for part in PARTS:
        value = data.get(part)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise RefError(f"{part}: expected text or a number, got {value!r}")
        value = str(value).strip()
        if not (_LISTY if part == "listy" else _UNIT).fullmatch(value):
            raise RefError(f'{part}: cannot read "{value}"')
        parts[part] = value
    primary = data.get("primary", False)
    if not isinstance(primary, bool):
        raise RefError(f"primary: expected true or false, got {primary!r}")
    _check_lengths(parts, "")
    name = str(data["archive"]).strip()
    known = archives.resolve(name)
    if known is None and "," in name:  # facets and `archive:` queries keep names comma-free
        raise RefError(f'archive: a name not in the authority may not contain a comma, got "{name}"')
    return ArchiveRef(archive=known.id if known else name, cited=cited, primary=primary, **parts)


def _find_mentions(source: str, archives: ArchiveAuthority) -> list[_Mention]:
    """The names the authority knows in `source` (longest first; neighbours naming one archive,
    "Archive of the President ..., APRF", are one mention). Names it does not know are found
    later, by the parts that follow them (`_read_unknown`)."""
    words = list(_WORD.finditer(source))
    mentions: list[_Mention] = []
    i = 0
    while i < len(words):
        best, key = None, ""
        for j in range(i, len(words)):
            if j > i and not _JOIN.fullmatch(source, words[j - 1].end(), words[j].start()):
                break
            key += name_key(words[j].group())
            if key and key not in archives.key_prefixes:
                break
            archive = archives.resolve(key) if key and words[i].group().lower() != "the" else None
            if archive is not None and words[j].group().lower() != "the":
                best = (j, archive)
        if best is None:
            i += 1
            continue
        j, archive = best
        start, end = words[i].start(), words[j].end()
        previous = mentions[-1] if mentions else None
        same = previous is not None and previous.archive == archive
        if same and _MERGE.fullmatch(source, previous.end, start):
            previous.end = end
        else:
            mentions.append(_Mention(start, end, archive))
        i = j + 1
    return mentions


@dataclass
class _Run:
    """Read the parts from `pos` for `archive`, the reference's text starting at `start`."""

    start: int
    pos: int
    archive: str
    inherited: dict | None = None  # the fond (and opis) a continued reference shares


@dataclass
class _Unknown:
    """Look from `start` for an archive the authority does not know, named before its parts."""

    start: int
    default: str


def _read(source: str, step: _Run | _Unknown | None, end: int) -> list[ArchiveRef]:
    """Every reference in source[:end] from `step` on; each step reads on from where the last
    one stopped, so a string of many references is read in a loop, not by recursion."""
    refs: list[ArchiveRef] = []
    while step is not None:
        if isinstance(step, _Unknown):
            step = _read_unknown(source, step.start, end, step.default)
        else:
            found, step = _read_run(source, step, end)
            refs += found
    return refs


def _lead_step(source: str, end: int, default: str) -> _Run | _Unknown:
    """Before the first known archive: parts without an archive, or an unknown one."""
    start = _SEP.match(source, 0, end).end()
    if _archival_label_at(source, start, end):
        return _Run(start, start, default)
    return _Unknown(start, default)


# "p." and "pp." alone are a book's pages far more often than an archive's papka or sheets.
_BOOK_LABELS = ("p", "pp", "pa")


def _archival_label_at(source: str, pos: int, end: int) -> bool:
    """Whether source[pos:end] starts with a readable part that a book citation never has."""
    label = _LABEL.match(source, pos, end)
    return (label is not None and _readable(source, label, end)
            and label.group().strip(" .:").lower() not in _BOOK_LABELS)


def _read_unknown(source: str, start: int, end: int, default: str) -> _Run | None:
    """An archive the authority does not know, named in source[start:end] before its parts.

    Prose that names no part is skipped: only a fond, opis or delo with a number, a call number
    right after a name, or (in a string that names no archive at all) any readable part starts
    a reference."""
    clue = _ARCHIVAL.search(source, start, end)
    call = _find_call(source, start, end)
    if call is not None and (clue is None or call[0] < clue.start()):
        name_start, name_end = call[1], call[2]
        return _Run(name_start, name_end, source[name_start:name_end])
    if clue is None:
        # "(ibid., l. 14)": parts cited after an "Ibid." stand for the archive cited before.
        for ibid in _IBID_IN_TEXT.finditer(source, start, end):
            parts_start = _SEP.match(source, ibid.end(), end).end()
            if _archival_label_at(source, parts_start, end):
                return _Run(parts_start, parts_start, default)
        return None
    name_start, name = _name_before(source, start, clue.start())
    if not name:
        if _IBID.fullmatch(source[name_start:clue.start()].strip(" ,.;:")):
            name = default
        name_start = clue.start()
        name = name or default
    return _Run(name_start, clue.start(), name)


def _name_before(source: str, start: int, end: int) -> tuple[int, str]:
    """(start, name) of an archive's name at the end of source[start:end]: its last clause,
    without the words that lead into it ("Found in", "Source:")."""
    text = source[start:end]
    clause_start = 0
    for boundary in re.finditer(r"[;\[\]()]|\.\s|:\s|,\s", text):
        if text[boundary.end():].strip(" \t\n,.;:()[]"):
            clause_start = boundary.end()
    clause = text[clause_start:]
    lead = _LEAD_IN.match(clause)
    if lead:
        clause_start += lead.end()
        clause = clause[lead.end():]
    strip = " \t\n,.;:()[]"
    name = clause.strip(strip).rsplit(",", 1)[-1].strip(strip)  # names never hold a comma
    if _IBID.fullmatch(name) or not re.search(r"[^\W\d_]", name):  # "618–9: d. 232" names none
        return start + clause_start, ""
    return start + text.index(name, clause_start), name


_CALL_LABEL = re.compile(r"(?i:document|doc|file(?:\s+no)?|dossier|no)\.?\s*")
_NAME_WORD = r"(?!(?i:document|doc|file|dossier|no)\b)[A-Z][\w'’-]*"
_FOREIGN_NAME = re.compile(
    rf"(?P<name>(?:{_NAME_WORD}(?:\s+(?:of|the|and|for|des|der|und|du|de)\s+|\s+))*"
    rf"{_NAME_WORD}(?:\s*\([A-Z][\w ]*\))?)[\s,:]*(?:{_CALL_LABEL.pattern})?$"
)


def _find_call(source: str, start: int, end: int) -> tuple[int, int, int] | None:
    """(call start, name start, name end) of the first call number in source[start:end] that
    follows a capitalised archive name ("PRO FO 371/84053", "AMFA (Beijing) 106-00021-02")."""
    for call in _CALL.finditer(source, start, end):
        before = source[start:call.start()]
        cut = max(before.rfind(";"), before.rfind("["), before.rfind(". "), before.rfind(": "))
        head = before[cut + 1:] if cut >= 0 else before
        named = _FOREIGN_NAME.search(head)
        if named is None:
            continue
        name_start = start + (cut + 1 if cut >= 0 else 0) + named.start("name")
        return call.start(), name_start, name_start + len(named.group("name"))
    return None


def _readable(source: str, label: re.Match, end: int) -> bool:
    value = _read_value(source, label)
    return value is not None and value.end() <= end


def _read_value(source: str, label: re.Match) -> re.Match | None:
    several = label.lastgroup == "delo" and label.group().strip(" .:").lower() in ("dd", "дд")
    pattern = _LISTY if label.lastgroup == "listy" or several else _UNIT
    return pattern.match(source, label.end())


def _read_run(source: str, run: _Run, end: int) -> tuple[list[ArchiveRef], _Run | _Unknown | None]:
    """The references in source[run.pos:end] for `run.archive`: one, or several when a delo (or
    opis) is cited again under the same fond ("d. 826, ..., and d. 827, ..."); and where reading
    goes on (another archive, or the same file continued after prose), if anywhere."""
    refs: list[ArchiveRef] = []
    parts: dict[str, str] = dict(run.inherited or {})
    archive, start, pos = run.archive, run.start, run.pos
    ref_start, last = start, pos

    def finish() -> None:
        if parts:
            _check_lengths(parts, source)
            refs.append(ArchiveRef(archive=archive, cited=source[ref_start:last], **parts))

    pos = _SEP.match(source, pos, end).end()
    shortcut = _read_shortcut(source, pos, end)
    if shortcut:
        match, found = shortcut
        parts.update(found)
        pos = last = match.end()
    while True:
        pos = _SEP.match(source, pos, end).end()
        connective = _CONNECTIVES.match(source, pos, end)
        label = _LABEL.match(source, connective.end(), end)
        value = _read_value(source, label) if label else None
        if label and (value is None or value.end() > end):
            break  # a label whose value cannot be read: reported below
        if label:
            part = label.lastgroup
            if part == "papka" and label.group().strip(" .:").lower() in ("p", "р", "п"):
                part = _papka_or_sheets(source, value.end(), end, parts)
            if part in parts:
                # "...; f. 89, ...": after a semicolon, another fond of the same archive
                another_fond = part == "fond" and ";" in source[last:label.start()]
                if not another_fond and (part not in ("delo", "opis") or "fond" not in parts):
                    raise RefError(f'{part} given twice in archive reference "{source}"')
                finish()
                parts = {k: v for k, v in parts.items() if _RANK.get(k, 9) < _RANK[part]}
                ref_start = label.start()
            parts[part] = value.group()
        elif "delo" in parts and "listy" not in parts and _LISTY.match(source, pos, end):
            value = _LISTY.match(source, pos, end)  # "d. 3, 100-3": bare sheets after the delo
            parts["listy"] = value.group()
        else:
            break
        pos = last = value.end()

    rest = source[pos:end]
    if not _CONNECTIVES.fullmatch(rest):
        if _names_another_archive(source, pos, end):
            finish()  # "...; GANO, f. 3": another archive the authority does not know
            return refs, _Unknown(pos, archive)
        again = _continued_part(source, pos, end, parts)
        if again is not None:  # "..., l. 32–6: Feb. 7), 230 (d. 230, l. 67–75": the same file
            finish()
            shared = {k: v for k, v in parts.items() if _RANK.get(k, 9) < _RANK[again.lastgroup]}
            return refs, _Run(again.start(), again.start(), archive, shared)
        # Prose may follow a reference ("..., l. 30: March 20, 1939"; ". Translated by ...");
        # a part that cannot be read ("d. 3-4", "opis one, delo 3") may not.
        if _unreadable_part_at(source, pos, end) or (parts and _ARCHIVAL.search(rest)):
            quoted = rest.strip().rstrip(",;.").strip()
            raise RefError(f'cannot read "{quoted}" in archive reference "{source}"')
    if not parts:
        name = source[start:last]
        raise RefError(f'no fond, opis, delo, papka or listy after "{name}" in "{source}"')
    finish()
    return refs, None


def _names_another_archive(source: str, pos: int, end: int) -> bool:
    """Whether source[pos:end] goes on with a name and then parts: not with a part itself."""
    clue = _ARCHIVAL.search(source, pos, end)
    call = _find_call(source, pos, end)
    first = min(x for x in (clue.start() if clue else end, call[1] if call else end))
    if first >= end:
        return False
    if call is not None and call[1] == first:
        return True
    name_start, name = _name_before(source, pos, first)
    return bool(name) and not _LABEL.match(name)


def _continued_part(source: str, pos: int, end: int, parts: dict) -> re.Match | None:
    """The label of a delo or opis cited again after prose that names no archive ("), 230 (d.
    230"), under the fond already read; None otherwise."""
    clue = _ARCHIVAL.search(source, pos, end)
    if clue is None or "fond" not in parts:
        return None
    label = _LABEL.match(source, clue.start(), end)
    if label.lastgroup not in ("delo", "opis") or label.lastgroup not in parts:
        return None
    _, name = _name_before(source, pos, clue.start())
    return label if not name else None


def _unreadable_part_at(source: str, pos: int, end: int) -> bool:
    """Whether source[pos:end] starts with a label and a number that cannot be read ("d. 3-4")."""
    start = _CONNECTIVES.match(source, pos, end).end()
    label = _LABEL.match(source, start, end)
    return bool(label) and bool(re.match(r"\d|[^\W\d_]{1,2}-\d", source[label.end():end]))


def _papka_or_sheets(source: str, pos: int, end: int, parts: dict) -> str:
    """"p." is a papka before the delo or when sheets follow it, and the sheets otherwise."""
    if "delo" not in parts or "listy" in parts or "papka" in parts:
        return "papka"
    return "papka" if _SHEET_LABEL.search(source, pos, end) else "listy"


def _read_shortcut(source: str, pos: int, end: int) -> tuple[re.Match, dict] | None:
    """A dotted fond.opis.delo[.listy] or a call number, right after the archive's name."""
    dotted = _DOTTED.match(source, pos, end) or _COMMAS.match(source, pos, end)
    if dotted:
        return dotted, {k: v for k, v in dotted.groupdict().items() if v}
    pos = _CALL_LABEL.match(source, pos, end).end() if _CALL_LABEL.match(source, pos, end) else pos
    call = _CALL.match(source, pos, end)
    if call is None:
        return None
    if call.group("number"):
        return call, {"delo": call.group("number"), "call_number": call.group()}
    found = {"fond": call.group("series").strip(), "call_number": call.group()}
    if call.group("piece"):
        found["delo"] = call.group("piece")
    return call, found


def _check_lengths(parts: dict[str, str], source: str) -> None:
    """Refuse numbers no archive uses: a part of thousands of digits would reach every page
    that sorts or counts by it (Python reads at most 4,300 digits into a number)."""
    for part, value in parts.items():
        for number in _DIGITS.findall(value):
            if len(number) > MAX_DIGITS:
                where = f' in archive reference "{_shorten(source)}"' if source else ""
                raise RefError(f"{part}: a number of {len(number):,} digits is too long "
                               f"(at most {MAX_DIGITS}){where}")


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
