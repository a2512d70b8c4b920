"""An MCP server (the official ``mcp`` SDK, v2 ``MCPServer``) over stdio exposing three tools: ``connections``
(names and dialects), ``schema`` (a connection's live schema as the prompt renders it) and ``ask`` (the ask
loop: query, answer rows and attempts). Connections come from the server's configuration, as for the HTTP API;
a tool call names one and can never make the server connect elsewhere. Tool calls run in a worker thread; the
model's and each session's locks serialise what must be serialised. stdout carries only the protocol (logs go
to stderr). It does not load the model or parse the configuration itself (``momq.serve.cli`` does).
"""

from __future__ import annotations

import logging
from typing import Any

from momq.engines.base import EngineUnavailable
from momq.serve.config import ServerConfig
from momq.serve.live_schema import SchemaCache
from momq.serve.session import Session

log = logging.getLogger(__name__)


def create_mcp(config: ServerConfig, model: Any, *, home=None, linter: Any = None):
    import anyio
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError

    cache = SchemaCache()
    sessions = {name: Session(conn, cache, limits=config.limits, home=home,
                              linter=linter if conn.dialect == "cypher" else None)
                for name, conn in config.connections.items()}
    server = MCPServer("momq", instructions="Ask a configured database a question in English; momq writes the "
                                            "MySQL, PostgreSQL, Cypher or nGQL query, checks it, runs it "
                                            "read-only and returns the rows.")

    def session_of(name: str) -> Session:
        if name not in sessions:
            raise ToolError(f"unknown connection {name!r}; this server has: {', '.join(sessions) or 'none'}")
        return sessions[name]

    @server.tool(description="The databases this server can ask: name, dialect and engine kind.")
    def connections() -> list[dict[str, str]]:
        return [{"name": n, "dialect": s.dialect, "engine": s.connection.kind} for n, s in sessions.items()]

    @server.tool(description="The live schema of a connection, as the model sees it (with sample values).")
    async def schema(connection: str) -> dict[str, str]:
        from momq.dialects import get_dialect

        session = session_of(connection)
        try:
            spec, _s, _c = await anyio.to_thread.run_sync(session.schema)
        except EngineUnavailable as exc:
            raise ToolError(str(exc)) from None
        return {"connection": connection, "dialect": session.dialect, "database": session.database,
                "text": get_dialect(session.dialect).render_schema(spec)}

    @server.tool(description="Answer a question on a connection: the query (validated, run read-only with a row "
                             "cap and a timeout, corrected up to `retries` times on failure), the rows and every "
                             "attempt.")
    async def ask(connection: str, question: str, retries: int = 2) -> dict[str, Any]:
        session = session_of(connection)
        if not question.strip() or len(question) > config.max_question_chars:
            raise ToolError(f"the question must have 1 to {config.max_question_chars} characters")
        if not 0 <= retries <= config.max_retries:
            raise ToolError(f"retries must be between 0 and {config.max_retries}")
        try:
            answer = await anyio.to_thread.run_sync(
                lambda: session.ask(question, model.proposer(session.dialect, session.schema()[0]), retries=retries,
                                    budget=model.budget))
        except EngineUnavailable as exc:
            raise ToolError(str(exc)) from None
        return answer.to_dict()

    server.sessions = sessions  # closed by the caller after run()
    return server
