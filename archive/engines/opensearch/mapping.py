"""The OpenSearch index: its analysis and mapping (no client import: plain data).

Matching uses the words as archive.analysis analyses them, the same for both engines, so that a
query finds the same documents in OpenSearch as in Whoosh: each matching field is sent as its
analysed words, one position per word, the terms of a word joined by `|` (a Cyrillic word has
its Russian stem and its transliteration's English stem at the same position). The `terms`
analyzer splits on whitespace and emits each `|`-separated term at the word's position
(`pattern_capture`), so phrases keep their positions. Beside them, OpenSearch's own language
analysis reads the plain text (English and Russian stemming with diacritics folded; Chinese,
Japanese and Korean as character bigrams: the analysis plugins for Chinese and Korean are not
published on Maven Central), for more-like-this.
"""

from __future__ import annotations

MATCHED = ("title", "text", "names", "subject", "number")  # pre-analysed, positions kept
KEYWORDS = ("id", "people", "sender", "recipient", "via", "archive", "fond", "type", "language",
            "hash")
WORD_LISTS = ("spell", "title_terms", "number_terms")
PICTURE_KEYS = ("picture_span", "picture_roles", "picture_places")  # documents.picture_keys
FACET_PREFIX = "facet_"  # facet_sender, facet_year, ... (archive.facets.FACETS)

SETTINGS = {
    "analysis": {
        "filter": {
            "archive_alternatives": {"type": "pattern_capture", "preserve_original": False,
                                     "patterns": ["([^|]+)"]},
            "english_possessive": {"type": "stemmer", "language": "possessive_english"},
            "english_snowball": {"type": "stemmer", "language": "porter2"},
            "russian_snowball": {"type": "stemmer", "language": "russian"},
        },
        "analyzer": {
            "terms": {"type": "custom", "tokenizer": "whitespace",
                      "filter": ["archive_alternatives"]},
            "english_folded": {"type": "custom", "tokenizer": "standard",
                               "filter": ["english_possessive", "lowercase", "asciifolding",
                                          "english_snowball"]},
            "russian_stemmed": {"type": "custom", "tokenizer": "standard",
                                "filter": ["lowercase", "russian_snowball"]},
            "cjk_bigrams": {"type": "custom", "tokenizer": "standard",
                            "filter": ["cjk_width", "lowercase", "cjk_bigram"]},
        },
    },
}


def mapping() -> dict:
    properties: dict = {name: {"type": "text", "analyzer": "terms"} for name in MATCHED}
    # folded words (prefix, fuzzy, "did you mean"), and each matching field's terms that a
    # fielded prefix or fuzzy term expands on (title:negot*): keywords, so that their words and
    # document frequencies are read by a terms aggregation
    properties.update({name: {"type": "keyword"} for name in WORD_LISTS})
    properties.update({name: {"type": "keyword", "index": False} for name in PICTURE_KEYS})
    properties.update({name: {"type": "keyword"} for name in KEYWORDS})
    properties["fond"] = {"type": "keyword", "normalizer": "lowercase"}
    from ...facets import FACETS

    properties.update({FACET_PREFIX + name: {"type": "keyword"} for name in FACETS})
    properties["date"] = {"type": "date_range", "format": "strict_date"}
    properties["date_start"] = {"type": "date", "format": "strict_date"}
    properties["date_end"] = {"type": "date", "format": "strict_date"}
    # no term vectors: more-like-this analyses the text again, and highlighting is ours
    # (archive.snippets); they cost the node ~60 % more time a document when loading
    properties["plain_en"] = {"type": "text", "analyzer": "english_folded"}
    properties["plain_ru"] = {"type": "text", "analyzer": "russian_stemmed"}
    properties["plain_cjk"] = {"type": "text", "analyzer": "cjk_bigrams"}
    properties["stored"] = {"type": "object", "enabled": False}  # returned, never searched
    unshown = list(MATCHED) + list(WORD_LISTS) + list(PICTURE_KEYS)
    return {"dynamic": "strict", "_source": {"excludes": unshown}, "properties": properties}


def index_body(shards: int = 1, replicas: int = 0) -> dict:
    return {"settings": {"index": {"number_of_shards": shards, "number_of_replicas": replicas},
                         **SETTINGS},
            "mappings": mapping()}
