"""The HTTP API (FastAPI; its OpenAPI spec at ``/openapi.json``): health, connections, schema, generate, and
ask (generate, validate, run with self-correction), plus the web page at ``/``.

- The model is loaded once by the caller and shared; generation is serialised by the model's own lock (its
  routing context is shared state), and each connection's engine by its session's lock.
- Clients name a connection from the server's configuration; a URL is never accepted from a request.
- Limits: request bodies over ``max_request_bytes`` are refused (413) before they are parsed; questions over
  ``max_question_chars`` are refused (422); a request running past ``request_timeout_s`` answers 504 (the work
  already started finishes in the background under the engines' own query timeouts).
- With an API key configured, every endpoint but ``/`` and ``/health`` needs ``X-API-Key`` (or a Bearer token);
  keys are compared in constant time.
It does not start the server process (``momq serve`` runs uvicorn) and does not load models.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from momq.engines.base import EngineUnavailable
from momq.serve.config import ServerConfig
from momq.serve.live_schema import SchemaCache
from momq.serve.session import Session

log = logging.getLogger(__name__)

PAGE = Path(__file__).resolve().parent / "page.html"


class AskRequest(BaseModel):
    connection: str = Field(..., description="A connection name from the server's configuration.", max_length=200)
    question: str = Field(..., min_length=1, description="The question, in English.")
    retries: int | None = Field(None, ge=0, description="Corrections after a failed attempt (default 2).")
    evidence: str | None = Field(None, description="Optional hint text for the prompt.", max_length=2000)


class GenerateRequest(BaseModel):
    connection: str = Field(..., max_length=200)
    question: str = Field(..., min_length=1)
    evidence: str | None = Field(None, max_length=2000)


class GenerateResponse(BaseModel):
    connection: str
    dialect: str
    query: str
    text: str


class AttemptOut(BaseModel):
    number: int
    text: str
    query: str
    status: str
    error: str | None = None
    ran: str | None = None
    notes: list[str] = []
    seconds: dict[str, float] = {}


class ResultOut(BaseModel):
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool


class AskResponse(BaseModel):
    question: str
    dialect: str
    database: str
    found: bool
    query: str | None
    result: ResultOut | None
    attempts: list[AttemptOut]
    timings: dict[str, float]


class ConnectionOut(BaseModel):
    name: str
    dialect: str
    engine: str


class SchemaOut(BaseModel):
    connection: str
    dialect: str
    database: str
    text: str


class HealthOut(BaseModel):
    status: str
    base: str
    adapter: str | None
    connections: list[str]


def create_app(config: ServerConfig, model: Any, *, home: str | Path | None = None, linter: Any = None) -> FastAPI:
    """The app for ``config``; ``model`` answers ``proposer(dialect)`` and ``budget`` (a QueryModel)."""
    cache = SchemaCache()
    sessions = {name: Session(conn, cache, limits=config.limits, home=home,
                              linter=linter if conn.dialect == "cypher" else None)
                for name, conn in config.connections.items()}

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        for session in sessions.values():
            session.close()

    app = FastAPI(title="momq", version="0.1.0", lifespan=lifespan,
                  description="Ask a database a question in English: MySQL, PostgreSQL, Cypher or nGQL.")
    app.state.sessions = sessions

    @app.middleware("http")
    async def limit_size(request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > config.max_request_bytes):
            return JSONResponse({"detail": f"request body over {config.max_request_bytes} bytes"}, 413)
        if request.method in ("POST", "PUT", "PATCH") and length is None:
            body = await request.body()  # chunked: read it (bounded by the server) and check its size
            if len(body) > config.max_request_bytes:
                return JSONResponse({"detail": f"request body over {config.max_request_bytes} bytes"}, 413)
        return await call_next(request)

    def require_key(request: Request) -> None:
        if not config.api_key:
            return
        given = request.headers.get("x-api-key") or ""
        auth = request.headers.get("authorization") or ""
        if not given and auth.lower().startswith("bearer "):
            given = auth[7:].strip()
        if not hmac.compare_digest(given.encode(), config.api_key.encode()):
            raise HTTPException(401, "missing or wrong API key", headers={"WWW-Authenticate": "Bearer"})

    def session_of(name: str) -> Session:
        if name not in sessions:
            raise HTTPException(404, f"unknown connection {name!r}; this server has: {', '.join(sessions) or 'none'}")
        return sessions[name]

    def check_question(question: str) -> None:
        if len(question) > config.max_question_chars:
            raise HTTPException(422, f"question over {config.max_question_chars} characters")

    async def bounded(fn, *args, **kwargs):
        try:
            return await asyncio.wait_for(run_in_threadpool(fn, *args, **kwargs), config.request_timeout_s)
        except asyncio.TimeoutError:
            raise HTTPException(504, f"the request ran past {config.request_timeout_s:g} s") from None
        except EngineUnavailable as exc:
            raise HTTPException(503, str(exc)) from None

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page() -> str:
        return PAGE.read_text(encoding="utf-8")

    @app.get("/health", response_model=HealthOut)
    def health() -> HealthOut:
        return HealthOut(status="ok", base=str(getattr(model, "base", "")),
                         adapter=str(model.adapter) if getattr(model, "adapter", None) else None,
                         connections=list(sessions))

    @app.get("/connections", response_model=list[ConnectionOut], dependencies=[Depends(require_key)])
    def connections() -> list[ConnectionOut]:
        return [ConnectionOut(name=n, dialect=s.dialect, engine=s.connection.kind) for n, s in sessions.items()]

    @app.get("/schema/{connection}", response_model=SchemaOut, dependencies=[Depends(require_key)])
    async def schema(connection: str, refresh: bool = False) -> SchemaOut:
        from momq.dialects import get_dialect

        session = session_of(connection)
        spec, _seconds, _cached = await bounded(session.schema, refresh)
        return SchemaOut(connection=connection, dialect=session.dialect, database=session.database,
                         text=get_dialect(session.dialect).render_schema(spec))

    @app.post("/generate", response_model=GenerateResponse, dependencies=[Depends(require_key)])
    async def generate(req: GenerateRequest) -> GenerateResponse:
        from momq.dialects.prompt import extract_query, fit_prompt

        session = session_of(req.connection)
        check_question(req.question)

        def run() -> GenerateResponse:
            spec, _s, _c = session.schema()
            parts = fit_prompt(req.question, spec, session.dialect, req.evidence, model.budget,
                               layout=session.layout(spec))
            text = model.proposer(session.dialect, spec)(parts, 0)
            return GenerateResponse(connection=req.connection, dialect=session.dialect,
                                    query=extract_query(text, session.dialect) if text.strip() else "", text=text)

        return await bounded(run)

    @app.post("/ask", response_model=AskResponse, dependencies=[Depends(require_key)])
    async def ask(req: AskRequest) -> AskResponse:
        session = session_of(req.connection)
        check_question(req.question)
        retries = 2 if req.retries is None else req.retries
        if retries > config.max_retries:
            raise HTTPException(422, f"retries over the server's limit of {config.max_retries}")
        def run() -> Any:
            spec, _s, _c = session.schema()
            return session.ask(req.question, model.proposer(session.dialect, spec), retries=retries,
                               budget=model.budget, evidence=req.evidence)

        answer = await bounded(run)
        return AskResponse(**answer.to_dict())

    return app
