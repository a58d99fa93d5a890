"""The docs keep up with the code: every setting and every front-matter field is documented."""

from pathlib import Path

import pytest

from archive.fields import KNOWN_FIELDS
from archive.settings import SETTINGS

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
FORMAT = (ROOT / "documents" / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=[s.name for s in SETTINGS])
def test_readme_lists_every_setting(setting):
    assert f"| `{setting.name}` |" in README


@pytest.mark.parametrize("field", KNOWN_FIELDS)
def test_every_field_is_documented(field):
    assert f"`{field}`" in README
    assert f"`{field}`" in FORMAT


def test_readme_opens_with_the_two_commands():
    blocks = README.split("```sh\n")[1:3]
    assert blocks[0].startswith("python3 -m venv .venv && .venv/bin/pip install -e . && "
                                ".venv/bin/archive serve\n")
    assert blocks[1].startswith('python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && '
                                ".venv/bin/python -m pytest\n")
