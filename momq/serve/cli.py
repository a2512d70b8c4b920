"""``momq ask``, ``momq serve`` and ``momq mcp``: options in, library calls out.

Order of work in ``ask``: the URL is parsed (bad input fails before anything is contacted), the engine is
reached and its schema introspected or read from the cache (an unreachable engine fails before a model is
loaded), then the model is loaded and asked. Typed errors are not caught here (``momq.cli`` reports them);
"no answer" is not an error: the attempts are shown and the exit status is 1.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Optional

import typer

log = logging.getLogger(__name__)

EXIT_NO_ANSWER = 1


def ask_cmd(
    question: str = typer.Argument(..., help="The question, in English."),
    db: str = typer.Option(..., "--db", help="Connection URL (mysql://, postgresql://, bolt://, neo4j://, "
                                             "falkordb://, nebula://) or demo:<domain>."),
    dialect: Optional[str] = typer.Option(None, "--dialect", help="Override the URL's dialect (demo: default mysql)."),
    adapter: Optional[Path] = typer.Option(None, "--adapter", help="Adapter folder (default: the shipped adapter)."),
    base: Optional[str] = typer.Option(None, "--base", help="Base model: smollm2-135m, a .gguf file, an HF folder."),
    retries: int = typer.Option(2, "--retries", min=0, max=10, help="Corrections after a failed attempt."),
    show_attempts: bool = typer.Option(False, "--show-attempts", help="Show every attempt and its error."),
    refresh: bool = typer.Option(False, "--refresh", help="Introspect the schema again instead of the cached one."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Seconds per query."),
    max_rows: int = typer.Option(1000, "--max-rows", min=1, help="Most rows returned."),
    max_new_tokens: int = typer.Option(160, "--max-new-tokens", min=1, help="Most tokens generated per attempt."),
    constrained: bool = typer.Option(True, "--constrained/--free",
                                     help="Grammar-constrained decoding over the schema (default) or free decoding."),
    no_lint: bool = typer.Option(False, "--no-lint", help="Do not use Neo4j's Cypher linter."),
    as_json: bool = typer.Option(False, "--json", help="Print the answer and attempts as JSON."),
) -> None:
    """Ask a live database a question: generate a query, validate, run it read-only, correct it on failure."""
    from rich.console import Console

    from momq.engines.base import ExecutionLimits
    from momq.engines.manager import momq_home
    from momq.serve.connections import parse_url
    from momq.serve.live_schema import SchemaCache
    from momq.serve.model import QueryModel
    from momq.serve.session import Session

    connection = parse_url(db, dialect)
    home = momq_home()
    linter = None if no_lint or connection.dialect != "cypher" else open_linter()
    session = Session(connection, SchemaCache(home / "schemas"), home=home, linter=linter,
                      limits=ExecutionLimits(timeout_s=timeout, max_rows=max_rows))
    try:
        session.check()
        _spec, introspection_s, _cached = session.schema(refresh)
        model = QueryModel.load(base, adapter, max_new_tokens=max_new_tokens, constrained=constrained)
        answer = session.ask(question, model.proposer(connection.dialect, _spec), retries=retries,
                             budget=model.budget)
        answer.timings["introspection"] = introspection_s  # the schema was read (or introspected) above
    finally:
        session.close()
        if linter is not None:
            linter.close()
    if as_json:
        typer.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=1))
    else:
        from momq.serve.render import print_answer

        print_answer(Console(), answer, show_attempts)
    t = answer.timings
    log.info("introspection %.2f s, generation %.2f s, validation %.2f s, execution %.2f s",
             t["introspection"], t["generation"], t["validation"], t["execution"])
    if not answer.found:
        raise typer.Exit(EXIT_NO_ANSWER)


def open_linter():
    """Neo4j's Cypher linter when it is installed, else None (logged): validation then relies on the schema
    checks and the engine."""
    from momq.dialects.cypher_linter import CypherLinter, CypherLinterUnavailable

    try:
        return CypherLinter().start()
    except CypherLinterUnavailable as exc:
        log.warning("Cypher linter unavailable (%s); validating without it", exc)
        return None


def serve_cmd(
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="YAML file naming connections and limits."),
    connection: list[str] = typer.Option([], "--connection", help="NAME=URL (repeatable); adds to --config's."),
    api_key: Optional[str] = typer.Option(None, "--api-key", envvar="MOMQ_API_KEY", help="Require this API key."),
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    adapter: Optional[Path] = typer.Option(None, "--adapter", help="Adapter folder (default: the shipped adapter)."),
    base: Optional[str] = typer.Option(None, "--base", help="Base model."),
    max_new_tokens: int = typer.Option(160, "--max-new-tokens", min=1),
    constrained: bool = typer.Option(True, "--constrained/--free",
                                     help="Grammar-constrained decoding over the schema (default) or free decoding."),
    no_lint: bool = typer.Option(False, "--no-lint", help="Do not use Neo4j's Cypher linter."),
) -> None:
    """Serve the HTTP API and the web page: the model loaded once, connections named by the server's config."""
    import uvicorn

    from momq.engines.manager import momq_home
    from momq.serve.api import create_app
    from momq.serve.model import QueryModel

    settings = server_config(config, connection, api_key)
    linter = _server_linter(settings, no_lint)
    model = QueryModel.load(base, adapter, max_new_tokens=max_new_tokens, constrained=constrained)
    app = create_app(settings, model, home=momq_home(), linter=linter)
    log.info("serving %d connection(s) on http://%s:%d/ (API key %s)", len(settings.connections), host, port,
             "required" if settings.api_key else "not required")
    try:
        uvicorn.run(app, host=host, port=port, log_level="info")
    finally:
        if linter is not None:
            linter.close()


def _server_linter(settings, no_lint: bool):
    """Neo4j's Cypher linter when some configured connection speaks Cypher and linting is on, else None."""
    if no_lint or not any(c.dialect == "cypher" for c in settings.connections.values()):
        return None
    return open_linter()


def server_config(config: Optional[Path], connection: list[str], api_key: Optional[str]):
    from momq.serve.config import ServerConfig, ServerConfigError

    settings = ServerConfig.from_file(config) if config else ServerConfig()
    extra = {}
    for item in connection:
        name, sep, url = item.partition("=")
        if not sep or not name.strip():
            raise ServerConfigError(f"--connection {item!r}: expected NAME=URL")
        extra[name.strip()] = url.strip()
    if extra:
        merged = ServerConfig.from_mapping({"connections": extra}, "--connection")
        settings.connections.update(merged.connections)
    if api_key:
        settings.api_key = api_key
    if not settings.connections:
        raise ServerConfigError("no connections: name at least one with --config or --connection NAME=URL")
    return settings


def mcp_cmd(
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="YAML file naming connections and limits."),
    connection: list[str] = typer.Option([], "--connection", help="NAME=URL (repeatable); adds to --config's."),
    adapter: Optional[Path] = typer.Option(None, "--adapter", help="Adapter folder (default: the shipped adapter)."),
    base: Optional[str] = typer.Option(None, "--base", help="Base model."),
    max_new_tokens: int = typer.Option(160, "--max-new-tokens", min=1),
    constrained: bool = typer.Option(True, "--constrained/--free",
                                     help="Grammar-constrained decoding over the schema (default) or free decoding."),
    no_lint: bool = typer.Option(False, "--no-lint", help="Do not use Neo4j's Cypher linter."),
) -> None:
    """Serve the ask and schema tools to an MCP client over stdio (stdout carries only the protocol)."""
    from momq.engines.manager import momq_home
    from momq.serve.mcp import create_mcp
    from momq.serve.model import QueryModel

    settings = server_config(config, connection, None)
    linter = _server_linter(settings, no_lint)
    model = QueryModel.load(base, adapter, max_new_tokens=max_new_tokens, constrained=constrained)
    server = create_mcp(settings, model, home=momq_home(), linter=linter)
    try:
        server.run("stdio")
    finally:
        for session in server.sessions.values():
            session.close()
        if linter is not None:
            linter.close()
