"""The common interface of every engine: load a database, execute one read-only query, introspect a schema.

Two roles are kept apart:
- a :class:`Server` is a local engine process this project starts and stops (MariaDB, PostgreSQL, FalkorDB);
- an :class:`Engine` is a connection that loads databases and runs queries, whether the server is ours or a
  user's (Bolt, NebulaGraph).
This module holds no engine-specific code. Graph results are converted by each engine into the plain
:class:`GraphNode` / :class:`GraphEdge` / :class:`GraphPath` values defined here, so that the comparator never
sees a driver's own classes.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Any, ClassVar

from momq.schema import Database


# ----------------------------------------------------------------------------------------------- errors
class EngineError(Exception):
    """Base class of every error an engine raises on purpose. Messages are meant for people."""


class EngineUnavailable(EngineError):
    """The engine cannot be reached or started: binary missing, port taken, server down, bad credentials."""


class UnsafeQueryError(EngineError):
    """The query was refused before or during execution because it could change data, has several statements,
    reaches files or the network, or exceeds a limit checked on its text (length, nesting)."""


class QueryTimeout(EngineError):
    """The query ran longer than its time limit and was cancelled."""


class QueryFailed(EngineError):
    """The engine rejected or failed the query (syntax error, unknown table, type error, ...)."""


class InvalidDatabase(EngineError, ValueError):
    """A database definition or script the engine cannot load as given (an edge whose endpoint does not exist, a
    statement the engine rejects, ...). Loads raise it before changing anything, or after discarding what they
    had loaded under a temporary name: the database of that name, if any, is left as it was."""


class UnknownDatabase(EngineError):
    """The named database/graph is not loaded on this engine."""


# ----------------------------------------------------------------------------------------------- values
@dataclass(frozen=True)
class GraphNode:
    labels: tuple[str, ...]
    properties: dict[str, Any] = field(hash=False)
    #: the nGQL vertex id where the engine has one (NebulaGraph, the emulation); identity only, never compared
    vid: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class GraphEdge:
    type: str
    properties: dict[str, Any] = field(hash=False)
    #: nGQL edge identity (source VID, target VID, rank) where the engine has one; never compared
    source_vid: str | None = field(default=None, compare=False)
    target_vid: str | None = field(default=None, compare=False)
    rank: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class GraphPath:
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]


@dataclass(frozen=True)
class ExecutionLimits:
    """Limits applied to every untrusted query.

    ``max_query_chars`` and ``max_nesting`` are checked on the text before any parser or server sees it (a
    parser's cost can grow with them faster than any timeout can stop); ``max_result_bytes`` bounds what a
    result may hold in the client while it is fetched, alongside ``max_rows`` (either cap sets ``truncated``).
    """

    timeout_s: float = 10.0
    max_rows: int = 10_000
    max_result_bytes: int = 64 * 1024 * 1024
    max_query_chars: int = 20_000
    max_nesting: int = 64  # brackets ( [ { inside one another, outside strings and comments

    def __post_init__(self) -> None:
        if not (self.timeout_s > 0):
            raise ValueError(f"timeout_s must be positive, got {self.timeout_s}")
        for name in ("max_rows", "max_result_bytes", "max_query_chars", "max_nesting"):
            value = getattr(self, name)
            if not (isinstance(value, int) and value > 0):
                raise ValueError(f"{name} must be a positive integer, got {value}")

    def check_text(self, query: str, dialect: str) -> None:
        """Refuse, with :class:`UnsafeQueryError`, text longer than ``max_query_chars`` or nested deeper than
        ``max_nesting``. Length is checked first, so the nesting scan is bounded too."""
        if len(query) > self.max_query_chars:
            raise UnsafeQueryError(f"refused: the query is {len(query):,} characters long; the limit is "
                                   f"{self.max_query_chars:,}")
        from momq.dialects.lexical import bracket_depth

        depth = bracket_depth(query, dialect)
        if depth > self.max_nesting:
            raise UnsafeQueryError(f"refused: brackets nest {depth} deep; the limit is {self.max_nesting}")


@dataclass
class QueryResult:
    columns: tuple[str, ...]
    rows: list[tuple]
    truncated: bool = False  # True when more rows existed than max_rows, or the rows reached max_result_bytes
    elapsed_s: float = 0.0


class ResultBudget:
    """Counts the client-side size of result rows against ``ExecutionLimits.max_result_bytes``.

    Every engine charges each row before keeping it and stops once :meth:`take` says the budget is spent. The
    size of a row is an estimate of what it holds in memory here: the length of every text/bytes value, what
    lists, maps and graph values contain, plus a fixed cost per value. The SQL engines fetch rows in small
    batches, so a result is never materialised whole before it is measured; the graph engines receive their
    reply whole (its rows are bounded by the server's result-set size) and stop converting at the cap.
    """

    PER_VALUE = 16

    def __init__(self, limits: ExecutionLimits):
        self.left = limits.max_result_bytes
        self.last = 0  # the size of the last row charged

    def take(self, row) -> bool:
        """Charge ``row``; False when it does not fit (the row is then not kept)."""
        self.last = sum(value_size(v) for v in row)
        self.left -= self.last
        return self.left >= 0


def value_size(value: Any) -> int:
    """An estimate of the bytes ``value`` holds (see :class:`ResultBudget`)."""
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        return ResultBudget.PER_VALUE + len(value)
    if isinstance(value, (list, tuple)):
        return ResultBudget.PER_VALUE + sum(value_size(v) for v in value)
    if isinstance(value, dict):
        return ResultBudget.PER_VALUE + sum(value_size(k) + value_size(v) for k, v in value.items())
    if isinstance(value, (GraphNode, GraphEdge)):
        return ResultBudget.PER_VALUE + value_size(value.properties)
    if isinstance(value, GraphPath):
        return value_size(value.nodes) + value_size(value.edges)
    return ResultBudget.PER_VALUE


# ----------------------------------------------------------------------------------------------- engine
class Engine(abc.ABC):
    """A connection to one engine that can hold many databases (SQL databases / named graphs)."""

    #: short engine name, e.g. "mariadb", "postgresql", "falkordb", "ngql-emulation"
    name: ClassVar[str]
    #: the dialect this engine executes
    dialect: ClassVar[str]
    #: which engine this one stands in for in reports (e.g. FalkorDB for Neo4j), or None when it is the real one
    stands_in_for: ClassVar[str | None] = None

    @abc.abstractmethod
    def version(self) -> str:
        """The server's own version string."""

    @abc.abstractmethod
    def load(self, db: Database) -> None:
        """Create (or replace) the database ``db.name`` with its schema and data."""

    @abc.abstractmethod
    def drop(self, name: str) -> None:
        """Remove a database; no error when it does not exist."""

    @abc.abstractmethod
    def databases(self) -> list[str]:
        """Names of the databases/graphs loaded on this engine."""

    @abc.abstractmethod
    def execute(self, db: str, query: str, limits: ExecutionLimits = ExecutionLimits()) -> QueryResult:
        """Run one untrusted statement read-only, within ``limits``; raise an :class:`EngineError` otherwise."""

    @abc.abstractmethod
    def schema(self, db: str) -> Database:
        """Introspect a loaded database: tables/columns/keys or labels/edge types/properties, with no data."""

    def close(self) -> None:
        """Release connections. Idempotent."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# ----------------------------------------------------------------------------------------------- server
@dataclass
class ServerStatus:
    name: str
    running: bool
    pid: int | None = None
    port: int | None = None
    version: str | None = None
    data_dir: str | None = None
    detail: str = ""


class Server(abc.ABC):
    """A local engine process owned by this project: private data directory, loopback port."""

    name: ClassVar[str]

    @abc.abstractmethod
    def start(self) -> ServerStatus:
        """Start if not running (idempotent). Raise :class:`EngineUnavailable` with the reason when it cannot."""

    @abc.abstractmethod
    def stop(self) -> None:
        """Stop and wait until no process of this server is left (idempotent)."""

    @abc.abstractmethod
    def status(self) -> ServerStatus:
        """Whether it runs, with pid, port and version."""

    @abc.abstractmethod
    def connect(self) -> Engine:
        """An :class:`Engine` connected to this running server."""
