"""The installed documentation: what `archive help TOPIC` prints and the web /help page shows.

The query language's sections are the same for both (the web page renders each example as a
link that runs it), so a pip install, which has no README, still carries the manual.
"""

from __future__ import annotations

import textwrap

from .settings import SETTINGS

QUERY_SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (  # (heading, text, examples)
    ("Words", "Every word must occur (AND is the default). Words are matched by their stem, so "
     "“negotiation” also finds “negotiations”.", ("Kim Stalin", "air cover")),
    ("Phrases", "Quotation marks keep the words together and in order.",
     ('"air cover"', '"volunteers"')),
    ("OR and NOT", "Operators are written in capitals. A minus sign before a word is NOT.",
     ("Kim OR Pak", "Mao NOT Stalin", "troops -Korea")),
    ("Names in any form", "A name from the name authority, in any of its forms, also finds that "
     "person's documents as sender, recipient or intermediary. The note above the results says "
     "how the name was understood.", ("Filippov", "Вышинский", '"Feng Xi"')),
    ("Places, bodies and acronyms", "A place, state, party, army, ministry or organisation is "
     "searched under all its names, historic and modern, in every script: Mukden also finds "
     "Shenyang and 沈阳, CCP also finds Chinese Communist Party and КПК, North Korean army also "
     "finds KPA. Names of several words are recognised without quotation marks. Acronyms count "
     "only when written in capitals (UN, US). The note above the results says how each word was "
     "read.", ("Mukden", "Port Arthur", "CCP", "North Korean army", "VKP(b)", "ООН")),
    ("Other forms of a word", "A word also finds the irregular forms of the same word (sent and "
     "send, began and begin, men and man), besides the regular endings stemming already joins.",
     ("sent home", "fought")),
    ("No dead ends", "When no document has every word, the results show the documents with most "
     "of them, rarest words counting most, and the note says so. A question of three or more "
     "words with only a few complete matches shows those first, then the nearest others.",
     ("weapons stockpile in North Korea", "Korean soldiers in the Chinese army sent home")),
    ("Strict matching", "Quotation marks search a word or phrase exactly as typed: no other "
     "names, no other forms. Joining words with AND requires every one of them: such a query is "
     "never relaxed.", ('"Mukden"', '"North Korean army"', "weapons AND arsenal")),
    ("Prefixes and near spellings", "A star matches any ending; a tilde allows small misspellings "
     "(~1 or ~2 edits).", ("negotiat*", "Vishinsky~")),
    ("Fields", "field:value searches one field: title, text, sender, recipient, via, archive, "
     "fond, type, language, subject, number.",
     ("sender:Filippov", "recipient:Mao", 'subject:"air cover"', "type:directive", "archive:APRF",
      "language:zh")),
    ("Dates", "date: takes a year, month or day, or a range with two dots; either end may be left "
     "open. A document dated only by month matches every day of that month.",
     ("date:1950-05", "date:1950-01..1950-06", "date:1950-10..")),
    ("Grouping", "Parentheses group the parts of a query.", ("(Kim OR Pak) date:1950-10",)),
)

_COMMAND_LINE_SEARCH = """\
On the command line the words after `archive search` are the query, so quotes are only needed for
phrases and for characters the shell treats specially:

  archive search 38th parallel
  archive search '"air cover"' --date-from 1950-05 --date-to 1950-10
  archive search Filippov --sender Stalin --sort date --limit 20 --page 2
  archive search Kim --json            (the JSON envelope of the web API's /api/search)

--sender and --recipient take any known form of a name and may be repeated; --date-from and
--date-to take 1950, 1950-05 or 1950-05-14."""

_EXPORT = """\
archive export writes every document a search finds (all pages), a curated set, or the whole
archive, in one of these formats: zip (the Markdown sources with a CSV and a README), csv, jsonl,
bibtex, ris, csl-json. It prints how many documents it wrote, and writes nothing when the search
finds none.

  archive export Kim --date-from 1950 -f csv -o kim.csv
  archive export Kim -f csv --bom -o kim.csv    (CSV for spreadsheets such as Excel: UTF-8 with a BOM)
  archive export --set green-light-1950 -f zip -o set.zip
  archive export -f jsonl -o -                  (the whole archive, to standard output)
  archive export --ids ID,ID,... -f bibtex -o chapter.bib   (exactly these documents, in date order)
  archive export --ids-from ids.txt -f zip -o chapter.zip   (ids one a line, e.g. a saved selection)

An unknown id is named and nothing is written. `archive set new NAME --ids-from ids.txt
[--title T] [--description D]` saves such a list as documents/sets/NAME.yaml (never replacing a
file); `archive build` then publishes it as a curated set.

On the web reader the same exports are linked below every result list ("CSV for Excel" is
the variant with the BOM)."""

_CITE = """\
archive cite ID prints one document's citation: chicago-note (the default), chicago-short-note,
chicago-bibliography, mla, apa, bibtex, ris or csl-json (-f FORMAT). ID may also be the
document's file name or path; `archive show` prints the record itself.

  archive cite 1950-05-14-stalin-to-mao-no-8600 -f apa
  archive show documents/1950-05-14-stalin-to-mao-no-8600.md"""

_API = """\
Every page of the web reader (`archive serve`) has a JSON twin: /api/search takes the same
parameters as the /search page (q, sender, recipient, year, type, date_from, date_to, sort, page,
page_size); /api/pictures, the same, gives the numbers of the search's pictures (timeline,
network, routes). The API is described by /api/openapi.json."""


PICTURE_SECTIONS: tuple[tuple[str, str], ...] = (  # (heading, text): the web /help page too
    ("When: the timeline", "Documents per month of the whole result set (not just the page shown), "
     "per day when the results span under three months, per year when they span twenty years. "
     "The dark part of a bar counts the documents dated within that period; the light part, "
     "those whose date is wider (a month, a year or an interval such as 1950-05-13/1950-05-15) "
     "and overlaps it, so a document dated only 1950 lightens every month of 1950. Documents "
     "whose date the archive doubts, uncertain (1950-10-02?) or approximate (~1949-05, "
     "1950-05%), are counted where the date as written falls and hatched: the hatched share of "
     "each part of a bar, the bar's description (“2 uncertain or approximate”) and the table's "
     "last column say how many. A bar opens the search narrowed to its period."),
    ("Who wrote to whom: the network", "People and bodies as circles, sized by the documents "
     "they sent, received or relayed; an arrow from sender to recipient, as wide as the number "
     "of documents; a dashed arrow for a relay (via: sender to intermediary, intermediary to "
     "recipient). The 30 most frequent correspondents are drawn, the rest summed as “others”. "
     "Circles stand in a ring, largest first, so the same results always give the same picture. "
     "A circle opens the documents that person sent, received or relayed; an arrow, the "
     "documents between the two."),
    ("From where to where: the routes", "Arrows from the place a document was sent from to the "
     "place it was sent to, as wide as the number of documents, on an outline of today's "
     "borders (Natural Earth, public domain). Places come from the place authority with their "
     "coordinates; a place off the map is drawn at its edge. An arrow opens the documents sent "
     "along that route."),
    ("Tables, files and JSON", "Below each picture a table holds the same numbers (for screen "
     "readers, and for copying). Each picture downloads as SVG or PNG (1920 pixels wide) for a "
     "slide or a paper; /api/pictures gives the numbers as JSON, with the same parameters as "
     "/search."),
)


def _pictures_text() -> str:
    return "\n\n".join(f"{heading}\n" + textwrap.fill(text, 96, initial_indent="  ",
                                                       subsequent_indent="  ")
                       for heading, text in PICTURE_SECTIONS)


def _documents_text() -> str:
    from .fields import KNOWN_FIELDS, REQUIRED
    from .records import CONFIDENCE_LEVELS, DOCUMENT_TYPES

    def wrapped(text: str) -> str:
        return textwrap.fill(text, 96, subsequent_indent="  ")

    return "\n".join([
        wrapped("Each document is one UTF-8 file <id>.md in the documents folder "
                "(ARCHIVE_DOCUMENTS_DIR): YAML front matter between two --- lines, then a Markdown "
                "body. The id is the file name's stem."),
        "",
        wrapped("required: " + ", ".join(REQUIRED)),
        wrapped("fields: " + ", ".join(KNOWN_FIELDS)),
        wrapped("type: one of " + ", ".join(DOCUMENT_TYPES)),
        wrapped("confidence: one of " + ", ".join(CONFIDENCE_LEVELS)),
        wrapped("date: an EDTF date, e.g. 1950-05-14, 1950-05, 1950, 1950-05-13/1950-05-14, "
                "1950-10-02? (uncertain), ~1949-05 (approximate)"),
        wrapped("sender, recipient, via, copies_to: a name or a list of names, in any form the "
                "name authority (authority/people.yaml) knows"),
        wrapped("archive_refs: citation strings such as \"APRF, f. 45, op. 1, d. 334, ll. 97-98\" "
                "(try one with `archive ref`), or archive_ref_status: not-found"),
        "",
        wrapped("`archive check` prints every problem as path:line: field: message; "
                "`archive build` builds the catalog and index."),
    ])


def _settings_text() -> str:
    lines = ["Settings are environment variables; each has a default:", ""]
    for setting in SETTINGS:
        lines.append(f"{setting.name} (default: {setting.default or 'see below'})")
        lines += textwrap.wrap(setting.help, 96, initial_indent="  ", subsequent_indent="  ")
    return "\n".join(lines)


def _search_text() -> str:
    parts = ["Type words, names and phrases; narrow the results with filters."]
    for heading, text, examples in QUERY_SECTIONS:
        parts.append(f"{heading}\n" + textwrap.fill(text, 96, initial_indent="  ",
                                                     subsequent_indent="  ")
                     + "\n  e.g. " + "   ".join(examples))
    parts.append(_COMMAND_LINE_SEARCH)
    return "\n\n".join(parts)


TOPICS = {  # name -> (summary, text)
    "search": ("the query language, filters and paging", _search_text),
    "export": ("exporting search results, sets or everything", lambda: _EXPORT),
    "cite": ("citing a document, finding one by id or file name", lambda: _CITE),
    "documents": ("the document format: front-matter fields", _documents_text),
    "settings": ("environment variables", _settings_text),
    "api": ("the web reader's JSON API", lambda: _API),
    "pictures": ("the timeline, network and routes drawn for a search", _pictures_text),
}


def topic_text(name: str) -> str:
    """The text of one topic; KeyError for an unknown name."""
    return TOPICS[name][1]()


def topic_list() -> str:
    width = max(len(name) for name in TOPICS)
    return "\n".join(f"  {name:<{width}}  {summary}" for name, (summary, _) in TOPICS.items())
