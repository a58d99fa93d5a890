"""`archive serve`: the production web server (imports the web package lazily).

Gunicorn with one worker process per core (threads within each): a search spends most of its
time in Python, so threads of one process share one core, while processes use them all. Measured
at 100,000 documents on 2 cores, 16 clients, every request a different search: one process with
8 threads answered 50 requests/s; see BENCHMARKS.md for two processes. Each worker opens the
catalog and index itself (after the fork: Whoosh's files and the citation engine are not shared
between processes) and follows rebuilds on its own.
"""

from __future__ import annotations

import os
import sys

from ..settings import Config
from .common import UserError, report_automatic_build, require_documents

MAX_DEFAULT_WORKERS = 4  # each worker holds its own caches: ~0.5 GB resident at 100,000
# documents after 700 searches (columns, posting arrays up to 256 MB, citations)


def add_commands(commands) -> None:
    serve = commands.add_parser("serve", help="serve the web reader and JSON API (gunicorn)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=port_number, default=8000, help="port (default: 8000)")
    serve.add_argument("--workers", type=int, default=default_workers(),
                       help=f"worker processes (default: one per core, at most {MAX_DEFAULT_WORKERS}:"
                       f" {default_workers()} here)")
    serve.add_argument("--threads", type=int, default=8, help="threads per worker (default: 8)")
    serve.set_defaults(handler=cmd_serve)


def port_number(text: str) -> int:
    """A TCP port for argparse: 1-65535 (a larger one used to reach socket's OverflowError)."""
    import argparse

    if not text.strip().isascii() or not text.strip().isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to 65535, got {text!r}")
    return int(text)


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS))


def cmd_serve(args, config: Config) -> int:
    from ..build import BuildError, BuildLocked, rebuild

    if args.workers < 1 or args.threads < 1:
        raise UserError("--workers and --threads must be at least 1")
    require_documents(config)
    _check_address(args.host, args.port)
    # Build first when the index is missing or stale; an incremental build is a no-op when
    # nothing changed. Invalid documents are left out (and listed) so the reader still starts.
    try:
        report = rebuild(config, allow_invalid=True)
    except BuildLocked as error:
        print(f"archive: {error}; serving the current index", file=sys.stderr)
    except BuildError as error:
        raise UserError(str(error), status=1) from None
    else:
        report_automatic_build(report)

    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"serving {report_count(config)} document(s) on http://{host}:{args.port}/ "
          f"({args.workers} worker(s) x {args.threads} threads; Ctrl-C to stop)", file=sys.stderr)
    _server_class()(config, {
        "bind": f"{host}:{args.port}",
        "workers": args.workers,
        "threads": args.threads,
        "worker_class": "web.gunicorn_errors.SecureThreadWorker",  # gthread + headers on its errors
        "proc_name": "archive",
        # One request per connection, as gunicorn's own default worker and nginx's upstreams do:
        # a kept-alive connection stays with the worker that accepted it, and under steady load
        # 16 such connections split unevenly between 2 workers (81-133 requests/s measured at
        # 100,000 documents, run to run); closed ones go to whichever worker is free (113-123).
        "keepalive": 0,
        "timeout": 120,  # a worker silent this long is restarted (exports stream in threads)
        "graceful_timeout": 10,
        "limit_request_line": 8190,  # the largest gunicorn allows: long faceted search URLs
        "loglevel": "warning",
        "errorlog": "-",
        "control_socket_disable": True,  # gunicorn 27 would open a control socket under $HOME
    }).run()
    return 0


def _check_address(host: str, port: int) -> None:
    """Fail at once, in one line, when the address cannot be listened on (gunicorn would retry
    for five seconds, then log five errors)."""
    import socket

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
            sock.bind(address)
    except (OSError, UnicodeError, OverflowError) as error:  # socket.gaierror is an OSError;
        reason = getattr(error, "strerror", None) or str(error)  # a 64+ letter label a UnicodeError
        raise UserError(f"cannot listen on {host}:{port}: {reason}") from None


def _server_class():
    from gunicorn.app.base import BaseApplication

    class ArchiveServer(BaseApplication):
        """Gunicorn run from our CLI; the app is created in each worker after the fork."""

        def __init__(self, config: Config, options: dict):
            self.config, self.options = config, options
            super().__init__()

        def load_config(self) -> None:
            for key, value in self.options.items():
                if key in self.cfg.settings:  # an older gunicorn lacks the newest settings
                    self.cfg.set(key, value)

        def load(self):
            from web import create_app

            app = create_app({"ARCHIVE_CONFIG": self.config})
            _warm_up(app)
            return app

    return ArchiveServer


def _warm_up(app) -> None:
    """Open the index and start the citation engine now (seconds), not on a reader's first page."""
    with app.test_client() as client:
        client.get("/search?q=telegram")
        first = client.get("/api/search?page_size=1").get_json() or {}
        for hit in first.get("hits", [])[:1]:
            client.get(f"/documents/{hit['id']}")


def report_count(config: Config) -> int:
    from ..catalog import Catalog

    catalog = Catalog(config.database_url)
    try:
        return catalog.count()
    finally:
        catalog.dispose()
