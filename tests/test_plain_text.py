"""Indexed text is plain text, so snippets show the words of a summary, not its Markdown."""

import pytest

from archive.index_fields import plain_text


@pytest.mark.parametrize("markdown, text", [
    ("Roshchin writes to *Filippov*, the **pseudonym**.", "Roshchin writes to Filippov, the pseudonym."),
    ("See [the Wilson listing](https://example.org/x) and snake_case_words.",
     "See the Wilson listing and snake_case_words."),
    ("- first point\n- second\n1. numbered", "first point\nsecond\nnumbered"),
    ('> "air cover" (quoted by Shen Zhihua)', '"air cover" (quoted by Shen Zhihua)'),
    ("## Key phrases\n\nText with `code`.", "Key phrases\n\nText with code."),
    ("2 * 3 = 6 and a_b", "2 * 3 = 6 and a_b"),
    ("<b>raw</b> stays as text", "<b>raw</b> stays as text"),
])
def test_plain_text(markdown, text):
    assert plain_text(markdown) == text
