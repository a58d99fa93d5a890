"""The per-engine mechanism of tests/conftest.py, run as pytest runs it (a pytest subprocess on
sample test modules beside copies of conftest.py and opensearch_nodes.py): a test marked `engines`
that builds through the fixtures runs as [whoosh] and [opensearch], the OpenSearch variant marked
`opensearch` (so `-m "not opensearch"` leaves it out); unmarked tests and marked tests that build
nothing run once; each archive gets settings of its own."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TESTS = Path(__file__).resolve().parent

MARKED = '''
import pytest

pytestmark = pytest.mark.engines


def test_builds(built_archive, search_engine):
    assert bool(built_archive.search_url) == (search_engine == "opensearch")


def test_settings(search_engine, engine_settings, request):
    first, second = engine_settings(), engine_settings()
    if search_engine == "whoosh":
        assert (first, second) == ({}, {})
    else:
        base = request.getfixturevalue("opensearch_url") + "-"
        urls = [first.pop("ARCHIVE_SEARCH_URL"), second.pop("ARCHIVE_SEARCH_URL")]
        assert (first, second, urls[0] != urls[1]) == ({}, {}, True)
        assert all(url.startswith(base) for url in urls), urls


def test_builds_nothing():
    pass
'''

UNMARKED = '''
def test_unmarked(built_archive):
    assert built_archive.search_url == ""
'''


def _sample(root: Path) -> Path:
    for name in ("conftest.py", "opensearch_nodes.py"):
        shutil.copy(TESTS / name, root / name)
    (root / "data").symlink_to(TESTS / "data")
    (root / "test_marked.py").write_text(MARKED, encoding="utf-8")
    (root / "test_unmarked.py").write_text(UNMARKED, encoding="utf-8")
    (root / "pytest.ini").write_text("[pytest]\nfilterwarnings = error\n", encoding="utf-8")
    return root


def _pytest(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                           f"--rootdir={root}", *args, str(root)],
                          cwd=root, capture_output=True, text=True, timeout=600)


def _collected(root: Path, *args: str) -> list[str]:
    done = _pytest(root, "--collect-only", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return sorted(line for line in done.stdout.splitlines() if "::" in line)


def test_a_marked_test_that_builds_runs_once_per_engine(tmp_path):
    root = _sample(tmp_path)
    assert _collected(root) == [
        "test_marked.py::test_builds[opensearch]", "test_marked.py::test_builds[whoosh]",
        "test_marked.py::test_builds_nothing",
        "test_marked.py::test_settings[opensearch]", "test_marked.py::test_settings[whoosh]",
        "test_unmarked.py::test_unmarked"]
    assert _collected(root, "-m", "not opensearch") == [
        "test_marked.py::test_builds[whoosh]", "test_marked.py::test_builds_nothing",
        "test_marked.py::test_settings[whoosh]", "test_unmarked.py::test_unmarked"]


def test_the_variants_run_on_their_engine_or_skip_until_it_exists(tmp_path):
    """Whoosh variants pass; OpenSearch variants pass on the session's node, or (before the
    engine exists) skip saying so."""
    root = _sample(tmp_path)
    report = tmp_path / "report.xml"
    done = _pytest(root, f"--junitxml={report}")
    outcomes = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        skipped = case.find("skipped")
        problem = case.find("failure") if case.find("failure") is not None else case.find("error")
        outcomes[case.get("name")] = (
            f"failed: {problem.get('message')}" if problem is not None else
            f"skipped: {skipped.get('message')}" if skipped is not None else "passed")
    opensearch = outcomes.pop("test_builds[opensearch]")
    assert outcomes.pop("test_settings[opensearch]") == opensearch, done.stdout
    assert outcomes == {"test_builds[whoosh]": "passed", "test_settings[whoosh]": "passed",
                        "test_builds_nothing": "passed", "test_unmarked": "passed"}, done.stdout
    assert opensearch in ("passed", "skipped: the OpenSearch engine is not built yet "
                          "(archive.engines.engine refuses an ARCHIVE_SEARCH_URL)"), done.stdout
