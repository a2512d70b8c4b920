"""Connection URLs: which engine, which dialect and which database a URL names, and opening that engine.

``mysql://user:pw@host:port/db`` (MariaDB/MySQL), ``postgresql://`` (or ``postgres://``), ``bolt://`` /
``neo4j://`` (+s, +ssc; Neo4j or Memgraph over Bolt; the path names the server database) and
``falkordb://[:pw@]host:port/graph`` for Cypher, ``nebula://user:pw@host:port/space`` for nGQL, and
``demo:<domain>``: a benchmark domain's database served by our own local engines, started on demand, its data
generated deterministically as the benchmark build does and loaded when the engine does not hold it yet.

``dialect`` overrides the scheme's dialect only where the engine can run it (a FalkorDB URL asked for nGQL
runs the nGQL emulation over that server; a demo database runs any dialect). A bad URL raises
:class:`ConnectionURLError` (bad input) before anything is contacted; an engine that cannot be reached raises
``EngineUnavailable`` from the engine itself. This module does not introspect, cache or run queries, and never
shows a password: :attr:`Connection.display` is the URL without it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from momq.dialects.base import DIALECT_NAMES
from momq.engines.base import Engine

log = logging.getLogger(__name__)

#: scheme -> (engine kind, default dialect)
SCHEMES: dict[str, tuple[str, str]] = {
    "mysql": ("mysql", "mysql"), "mariadb": ("mysql", "mysql"),
    "postgresql": ("postgresql", "postgresql"), "postgres": ("postgresql", "postgresql"),
    "bolt": ("bolt", "cypher"), "bolt+s": ("bolt", "cypher"), "bolt+ssc": ("bolt", "cypher"),
    "neo4j": ("bolt", "cypher"), "neo4j+s": ("bolt", "cypher"), "neo4j+ssc": ("bolt", "cypher"),
    "falkordb": ("falkordb", "cypher"), "redis": ("falkordb", "cypher"),
    "nebula": ("nebula", "ngql"),
}
#: the dialects each engine kind can run
ENGINE_DIALECTS = {"mysql": ("mysql",), "postgresql": ("postgresql",), "bolt": ("cypher",),
                   "falkordb": ("cypher", "ngql"), "nebula": ("ngql",), "demo": DIALECT_NAMES}
DEFAULT_PORTS = {"mysql": 3306, "postgresql": 5432, "bolt": 7687, "falkordb": 6379, "nebula": 9669}


class ConnectionURLError(ValueError):
    """A connection URL that names no engine we know, or is malformed (bad input, exit status 2)."""


@dataclass(frozen=True)
class Connection:
    """A parsed URL: engine kind, dialect, database name and how to reach it (password kept out of ``display``)."""

    kind: str
    dialect: str
    database: str
    host: str = ""
    port: int = 0
    user: str | None = None
    password: str | None = None
    scheme: str = ""

    @property
    def display(self) -> str:
        if self.kind == "demo":
            return f"demo:{self.database} ({self.dialect})"
        user = f"{self.user}@" if self.user else ""
        return f"{self.scheme}://{user}{self.host}:{self.port}/{self.database} ({self.dialect})"

    @property
    def key(self) -> str:
        """Identity for caches: everything but the password."""
        return f"{self.kind}|{self.user or ''}@{self.host}:{self.port}/{self.database}|{self.dialect}"

    def open(self, home: Path | str | None = None) -> Engine:
        """A connected engine for this URL (demo: the local server is started and the database loaded)."""
        if self.kind == "demo":
            return _open_demo(self, home)
        if self.kind == "mysql":
            from momq.engines.mariadb import MariaDBEngine

            return MariaDBEngine(self.host, self.port, self.user or "root", self.password or "")
        if self.kind == "postgresql":
            from momq.engines.postgres import PostgresEngine

            return PostgresEngine(self.host, self.port, self.user or "postgres", self.password,
                                  maintenance_db=self.database)
        if self.kind == "bolt":
            from momq.engines.bolt import BoltEngine

            return BoltEngine(f"{self.scheme}://{self.host}:{self.port}", self.user, self.password, self.database)
        if self.kind == "falkordb":
            if self.dialect == "ngql":
                from momq.engines.ngql_emulation import NGQLEmulationEngine

                return NGQLEmulationEngine(self.host, self.port)
            from momq.engines.falkordb import FalkorDBEngine

            return FalkorDBEngine(self.host, self.port, self.password)
        if self.kind == "nebula":
            from momq.engines.nebula import NebulaEngine

            return NebulaEngine([(self.host, self.port)], self.user or "root", self.password or "nebula")
        raise ConnectionURLError(f"no engine for {self.kind!r}")  # unreachable: parse() checks kinds


def parse_url(url: str, dialect: str | None = None) -> Connection:
    """The :class:`Connection` a URL names; ``dialect`` overrides the scheme's (where the engine can run it)."""
    from momq.dialects.base import check_dialect

    if not isinstance(url, str) or not url.strip():
        raise ConnectionURLError("empty connection URL")
    url = url.strip()
    if dialect is not None:
        try:
            dialect = check_dialect(dialect)
        except ValueError as exc:
            raise ConnectionURLError(str(exc)) from None
    if url.startswith("demo:"):
        domain = url[len("demo:"):].strip("/")
        from momq.bench.domains import domain_names

        if domain not in domain_names():
            raise ConnectionURLError(f"unknown demo database {domain!r}; known: {', '.join(domain_names())}")
        return Connection("demo", dialect or "mysql", domain)
    if "://" not in url:
        raise ConnectionURLError(f"malformed connection URL {_redact(url)!r}: expected scheme://host[:port]/database "
                                 f"or demo:<domain>")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ConnectionURLError(f"malformed connection URL {_redact(url)!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise ConnectionURLError(f"unknown URL scheme {scheme!r}; known: {', '.join(sorted(SCHEMES))}, demo:")
    kind, default_dialect = SCHEMES[scheme]
    if not parts.hostname:
        raise ConnectionURLError(f"malformed connection URL {_redact(url)!r}: no host")
    database = unquote(parts.path.lstrip("/"))
    if not database:
        if kind == "bolt":
            database = "neo4j"
        else:
            raise ConnectionURLError(f"malformed connection URL {_redact(url)!r}: no database name after the host "
                                     f"({scheme}://host:port/NAME)")
    if "/" in database:
        raise ConnectionURLError(f"malformed connection URL {_redact(url)!r}: the database name has a '/'")
    chosen = dialect or default_dialect
    if chosen not in ENGINE_DIALECTS[kind]:
        raise ConnectionURLError(f"a {scheme}:// engine cannot run {chosen}; it runs {', '.join(ENGINE_DIALECTS[kind])}")
    return Connection(kind, chosen, database, parts.hostname, port or DEFAULT_PORTS[kind],
                      unquote(parts.username) if parts.username else None,
                      unquote(parts.password) if parts.password is not None else None,
                      scheme)


def _redact(url: str) -> str:
    """The URL with any password replaced by ``***``."""
    try:
        parts = urlsplit(url)
        if parts.password is not None:
            return url.replace(f":{parts.password}@", ":***@", 1)
    except ValueError:
        pass
    return url


# ----------------------------------------------------------------------------------------------- demo databases
def demo_database(domain: str, dialect: str):
    """The definition (schema and rows) of a benchmark domain for ``dialect``: generated with the benchmark
    build's default seed and the small build's data scale, so it is the same on every machine."""
    from momq.bench.build import BuildConfig
    from momq.bench.domains import get_domain
    from momq.bench.generate import generate
    from momq.bench.project import to_graph, to_relational
    from momq.dialects.base import Family, family_of

    config = BuildConfig(size="small")
    data = generate(get_domain(domain), config.seed, config.profile.data_scale)
    return to_relational(data) if family_of(dialect) is Family.RELATIONAL else to_graph(data)


def _open_demo(conn: Connection, home) -> Engine:
    from momq.engines.manager import DIALECT_SERVERS, EngineManager
    from momq.engines.process import LOOPBACK

    manager = EngineManager(home)
    name = DIALECT_SERVERS[conn.dialect]
    (report,) = manager.up([name])
    server = manager.server(name)
    if conn.dialect == "ngql":
        from momq.engines.ngql_emulation import NGQLEmulationEngine

        engine: Engine = NGQLEmulationEngine(LOOPBACK, report.status.port)
    else:
        engine = server.connect()
    try:
        if conn.database not in engine.databases():
            log.info("loading the demo database %s into %s", conn.database, name)
            engine.load(demo_database(conn.database, conn.dialect))
    except BaseException:
        engine.close()
        raise
    return engine
