"""The connection to an OpenSearch cluster, from ARCHIVE_SEARCH_URL.

`http(s)://host:port[,host:port...][/prefix]`: the hosts the client spreads requests over (a
request that fails on one host by a connection error or a timeout is retried on the others),
and the prefix naming every index and alias of one archive (default `archive`), so that several
archives share a cluster. Parsing the address imports nothing; the client library is imported
when a connection is made.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ...settings import SettingError
from .. import SEARCH_URL_FORMS, SearchEngineUnavailable

DEFAULT_PREFIX = "archive"
TIMEOUT = 30  # seconds a request may take (bulk chunks included) before another host is tried
MAX_RETRIES = 2  # other hosts tried after a connection error or a timeout (at least)
_PREFIX = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")  # an index name's safe part: lower case
_ERRNO = re.compile(r"\[Errno -?\d+\] ([^)'\"]+)")


@dataclass(frozen=True)
class Address:
    url: str  # as given, for messages (credentials hidden)
    hosts: tuple[dict, ...]  # opensearch-py host dicts: host, port, and url_prefix-free
    use_ssl: bool
    prefix: str
    auth: tuple[str, str] | None = None


def parse_address(url: str) -> Address:
    """The address in ARCHIVE_SEARCH_URL; raises SettingError naming the setting and the fix."""
    shown = re.sub(r"//[^/@]*@", "//***@", url)
    match = re.fullmatch(r"(https?)://([^/?#]+)(?:/([^?#]*))?", url)
    if not match:
        raise SettingError(f'ARCHIVE_SEARCH_URL: "{shown}" is not a search address; expected '
                           f"{SEARCH_URL_FORMS}")
    scheme, hosts_text, path = match.groups()
    prefix = (path or "").strip("/") or DEFAULT_PREFIX
    if not _PREFIX.match(prefix):
        raise SettingError(f'ARCHIVE_SEARCH_URL: "{shown}": the prefix "{prefix}" cannot name '
                           "OpenSearch indexes; use lower-case letters, digits, - and _ (e.g. "
                           f"{scheme}://localhost:9200/archive)")
    hosts, auth = [], None
    for part in hosts_text.split(","):
        try:
            parsed = urlsplit(f"{scheme}://{part.strip()}")
            port = parsed.port or (443 if scheme == "https" else 9200)
        except ValueError:
            parsed, port = None, None
        if parsed is None or not parsed.hostname:
            raise SettingError(f'ARCHIVE_SEARCH_URL: "{shown}": "{part}" is not a host[:port]; '
                               f"expected {SEARCH_URL_FORMS}")
        if parsed.username is not None:
            auth = (unquote(parsed.username), unquote(parsed.password or ""))
        hosts.append({"host": parsed.hostname, "port": port})
    return Address(shown, tuple(hosts), scheme == "https", prefix, auth)


def connect(address: Address, timeout: float = TIMEOUT):
    """An opensearch-py client for the address (connects lazily: no request is made here)."""
    from opensearchpy import OpenSearch

    return OpenSearch(hosts=list(address.hosts), use_ssl=address.use_ssl,
                      verify_certs=address.use_ssl, http_auth=address.auth, timeout=timeout,
                      max_retries=max(MAX_RETRIES, len(address.hosts)), retry_on_timeout=True)


@contextmanager
def reaching(address: Address) -> Iterator[None]:
    """Turn a cluster that cannot be reached (every host refused or timed out), or that answers
    with a server error, into SearchEngineUnavailable: one sentence naming the address."""
    from opensearchpy import ConnectionError as Unreachable
    from opensearchpy import TransportError

    try:
        yield
    except Unreachable as error:  # ConnectionTimeout is one too
        raise SearchEngineUnavailable(
            f"ARCHIVE_SEARCH_URL: cannot reach OpenSearch at {address.url} "
            f"({_reason(error)})") from None
    except TransportError as error:
        status = error.status_code if isinstance(error.status_code, int) else 0
        if status < 500 and status != 429:
            raise
        raise SearchEngineUnavailable(
            f"ARCHIVE_SEARCH_URL: OpenSearch at {address.url} answered {status} "
            f"({error.error})") from None


def _reason(error: Exception) -> str:
    text = str(error)
    found = _ERRNO.search(text)
    if found:
        return found.group(1).strip().lower()
    if "timed out" in text.lower() or "timeout" in type(error).__name__.lower():
        return "timed out"
    return type(error).__name__
