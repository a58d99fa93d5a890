"""`archive serve`: the production web server (imports the web package lazily)."""

from __future__ import annotations

import sys

from .settings import Config


def add_commands(commands) -> None:
    serve = commands.add_parser("serve", help="serve the web reader and JSON API (waitress)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--threads", type=int, default=8, help="worker threads (default: 8)")
    serve.set_defaults(handler=cmd_serve)


def cmd_serve(args, config: Config) -> int:
    from .build import BuildLocked, rebuild
    from .cli import UserError, require_documents

    require_documents(config)
    # Build first when the index is missing or stale; an incremental build is a no-op when
    # nothing changed. Invalid documents are left out (and listed) so the reader still starts.
    try:
        report = rebuild(config, allow_invalid=True)
    except BuildLocked as error:
        print(f"archive: {error}; serving the current index", file=sys.stderr)
    else:
        if report.status == "invalid":
            raise UserError("cannot build: the name or archive authority is invalid "
                            "(run `archive check`)", status=1)
        if report.skipped:
            print(f"left out {len(report.skipped)} invalid document(s); run `archive check`",
                  file=sys.stderr)
        if report.status == "built":
            print(f"built generation {report.generation}: {report.documents} document(s)",
                  file=sys.stderr)

    import waitress

    from web import create_app

    app = create_app({"ARCHIVE_CONFIG": config})
    _warm_up(app)
    print(f"serving {report_count(config)} document(s) on http://{args.host}:{args.port}/ "
          "(Ctrl-C to stop)", file=sys.stderr)
    waitress.serve(app, host=args.host, port=args.port, threads=args.threads, ident="archive")
    return 0


def _warm_up(app) -> None:
    """Open the index and start the citation engine now (seconds), not on a reader's first page."""
    with app.test_client() as client:
        client.get("/search?q=telegram")
        first = client.get("/api/search?page_size=1").get_json() or {}
        for hit in first.get("hits", [])[:1]:
            client.get(f"/documents/{hit['id']}")


def report_count(config: Config) -> int:
    from .catalog import Catalog

    catalog = Catalog(config.database_url)
    try:
        return catalog.count()
    finally:
        catalog.dispose()
