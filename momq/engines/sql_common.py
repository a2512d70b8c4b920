"""What the MariaDB and PostgreSQL engines share: kept read-only connections and the untrusted-query entry point.

:class:`SQLEngine` is the base of :class:`momq.engines.mariadb.MariaDBEngine` and
:class:`momq.engines.postgres.PostgresEngine`. It checks the text's length and nesting
(:meth:`ExecutionLimits.check_text`), runs the textual pre-check
(:func:`momq.engines.sql_safety.check_read_query`) for the engine's dialect, keeps at most :data:`MAX_KEPT`
read-only connections (one per database, least recently used dropped). Each engine supplies ``_run_once``: how its driver runs one statement read-only under
the limits and maps its errors. This module imports no driver and holds no server, loading or introspection
code: those differ between the two servers and stay in each engine's module.
"""

from __future__ import annotations

import abc
import logging

from momq.engines.base import Engine, ExecutionLimits, QueryResult
from momq.engines.sql_safety import check_read_query

log = logging.getLogger(__name__)

MAX_KEPT = 8  # read-only connections kept open per engine (one per database, least recently used dropped)
CLIENT_MARGIN_S = 1.0  # the client gives up on the server this long after the server-side limit


class SQLEngine(Engine):
    """An SQL engine that keeps one read-only connection per database in ``self._readers``.

    Subclasses set ``self._readers = {}`` in ``__init__`` and implement :meth:`_run_once`. Not thread-safe.
    """

    _readers: dict[str, object]

    # ---- untrusted execution
    def execute(self, db: str, query: str, limits: ExecutionLimits = ExecutionLimits()) -> QueryResult:
        limits.check_text(query, self.dialect)
        statement = check_read_query(query, self.dialect)
        return self._run_read_only(db, statement, limits)

    def explain(self, db: str, query: str, limits: ExecutionLimits = ExecutionLimits()) -> QueryResult:
        """The server's plan of one untrusted read statement, without running it: the same pre-check, the same
        read-only session and time limit as :meth:`execute`; an invalid query raises :class:`QueryFailed`."""
        statement = check_read_query(query, self.dialect)
        return self._explain(db, statement, limits)

    def _explain(self, db: str, statement: str, limits: ExecutionLimits) -> QueryResult:
        return self._run_read_only(db, f"EXPLAIN {statement}", limits)

    def _run_read_only(self, db: str, statement: str, limits: ExecutionLimits) -> QueryResult:
        """Run ``statement`` read-only without the textual pre-check (tests use this to show that the server
        itself refuses writes). Never re-runs a statement: a kept connection the server has since dropped is
        found out while the session is prepared, before the statement is sent, and replaced then."""
        return self._run_once(db, statement, limits)

    @abc.abstractmethod
    def _run_once(self, db: str, statement: str, limits: ExecutionLimits) -> QueryResult:
        """Run ``statement`` on a read-only connection to ``db`` (kept with :meth:`_keep` when reusable)."""

    # ---- kept connections
    def _keep(self, db: str, conn) -> None:
        """Keep a read-only connection for the next call on ``db``; at most MAX_KEPT, least recently used go."""
        self._readers[db] = conn
        while len(self._readers) > MAX_KEPT:
            self._forget(next(iter(self._readers)))

    def _forget(self, db: str) -> None:
        conn = self._readers.pop(db, None)
        if conn is not None:
            close_quietly(conn)

    def close(self) -> None:
        for name in list(self._readers):
            self._forget(name)


def close_quietly(conn) -> None:
    """Close a driver connection that may already be broken or closed."""
    try:
        conn.close()
    except Exception:  # noqa: BLE001 - already broken or closed
        pass
