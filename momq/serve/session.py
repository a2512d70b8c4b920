"""One connection in use: its engine (opened on first use), its live schema through a :class:`SchemaCache`, the
prompt layout of that schema, and asking a question on it. Engines are not thread-safe, so one lock serialises
everything a session does with its engine; model generation is serialised separately by the model itself.
It does not parse URLs (``connections``) or decide what a retry is (``ask``)."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

from momq.engines.base import Engine, ExecutionLimits
from momq.schema import Database
from momq.serve.ask import DEFAULT_RETRIES, Answer, Propose, ask
from momq.serve.connections import Connection
from momq.serve.live_schema import SchemaCache

log = logging.getLogger(__name__)


class Session:
    def __init__(self, connection: Connection, cache: SchemaCache | None = None, *,
                 limits: ExecutionLimits = ExecutionLimits(timeout_s=10.0, max_rows=1000),
                 home: Path | str | None = None, linter: Any = None):
        self.connection = connection
        self.cache = cache or SchemaCache()
        self.limits = limits
        self.home = home
        self.linter = linter
        self._engine: Engine | None = None
        self._layouts: dict[int, Any] = {}
        self._lock = threading.RLock()

    @property
    def dialect(self) -> str:
        return self.connection.dialect

    @property
    def database(self) -> str:
        return self.connection.database

    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = self.connection.open(self.home)
            return self._engine

    def check(self) -> str:
        """The server's version: raises ``EngineUnavailable`` now rather than after a model has loaded."""
        with self._lock:
            return self.engine().version()

    def schema(self, refresh: bool = False) -> tuple[Database, float, bool]:
        """(schema with sample values, seconds it took, whether it came from the cache)."""
        from momq.serve.live_schema import introspect

        with self._lock:
            t0 = time.monotonic()
            spec, cached = self.cache.get(
                self.connection.key, lambda: introspect(self.engine(), self.database, self.dialect, self.limits),
                refresh)
            return spec, time.monotonic() - t0, cached

    def layout(self, spec: Database):
        from momq.dialects import get_dialect

        with self._lock:
            if id(spec) not in self._layouts:
                self._layouts = {id(spec): (spec, get_dialect(self.dialect).schema_layout(spec))}
            return self._layouts[id(spec)][1]

    def ask(self, question: str, propose: Propose, *, retries: int = DEFAULT_RETRIES, budget: Any = None,
            refresh: bool = False, evidence: str | None = None) -> Answer:
        with self._lock:
            spec, seconds, _cached = self.schema(refresh)
            return ask(question, engine=self.engine(), db=self.database, dialect=self.dialect, schema=spec,
                       propose=propose, retries=retries, limits=self.limits, linter=self.linter, budget=budget,
                       layout=self.layout(spec), evidence=evidence, introspection_s=seconds)

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.close()
                self._engine = None
