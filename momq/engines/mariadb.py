"""The MySQL dialect on MariaDB 10.11: the local server we start, and an engine for it or for a user's server.

:class:`MariaDBServer` owns a private data directory and a loopback port; it behaves like MySQL 8 where MariaDB
can (utf8mb4 with the ``utf8mb4_uca1400_ai_ci`` collation, MariaDB's counterpart of MySQL 8's
``utf8mb4_0900_ai_ci``; MySQL 8's strict ``sql_mode`` with ONLY_FULL_GROUP_BY). On first start it creates two
accounts: ``momq_admin`` (loads databases) and ``momq_reader`` (SELECT and SHOW VIEW on loaded databases only),
with random passwords kept in ``credentials.json`` (mode 0600) in the state directory.

:class:`MariaDBEngine` (PyMySQL) loads :class:`RelationalDatabase` values and runs untrusted queries with the
safety enforced by the server: the read-only account, a session reset before every query (nothing a query
leaves in its session reaches the next one), a read-only transaction mode, ``max_statement_time``, no
multi-statement flag; the client adds a socket read timeout (a hung server cannot hold a call past its limit)
and an unbuffered cursor read row by row up to ``max_rows`` rows or ``max_result_bytes`` bytes. It works with any
MariaDB/MySQL server given admin and read-only credentials. It does not translate MySQL 8 syntax that MariaDB
lacks (``->>``, LATERAL, ...): such queries fail as they would on MariaDB.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from momq.engines.base import (
    EngineError, EngineUnavailable, ExecutionLimits, QueryFailed, QueryResult, QueryTimeout, ResultBudget,
    UnknownDatabase, UnsafeQueryError,
)
from momq.engines.local import LocalServer
from momq.engines.process import LOOPBACK
from momq.engines.sql_common import CLIENT_MARGIN_S, SQLEngine, close_quietly
from momq.engines.sql_dump import Dump, DumpLoadFailed, read_dump
from momq.schema.relational import Column, ForeignKey, RelationalDatabase, Table, View
from momq.dialects.names import quote_name
from momq.schema.types import ValueType, check_identifier, check_name

log = logging.getLogger(__name__)

SQL_MODE = ("ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
            "NO_ENGINE_SUBSTITUTION")
COLLATION = "utf8mb4_uca1400_ai_ci"  # MariaDB >= 10.10 (checked on 10.11.19); MySQL 8's utf8mb4_0900_ai_ci peer
FALLBACK_COLLATION = "utf8mb4_unicode_ci"  # older MariaDB: the closest collation it has
ADMIN_USER = "momq_admin"
READ_USER = "momq_reader"
_SOCKET_PATH_MAX = 100  # sun_path is 108 bytes

#: ValueType -> column type. TEXT is VARCHAR(255): MariaDB needs a bounded type for keys and indexes.
COLUMN_TYPES = {
    ValueType.INTEGER: "BIGINT",
    ValueType.FLOAT: "DOUBLE",
    ValueType.DECIMAL: "DECIMAL(12,2)",
    ValueType.TEXT: "VARCHAR(255)",
    ValueType.DATE: "DATE",
    ValueType.BOOLEAN: "BOOLEAN",
    ValueType.DATETIME: "DATETIME(6)",
    ValueType.TIME: "TIME(6)",
}  # no INTERVAL: MariaDB has no duration type
#: information_schema DATA_TYPE -> ValueType (BOOLEAN is tinyint(1), told apart by COLUMN_TYPE)
_INTROSPECTED_TYPES = {
    "bigint": ValueType.INTEGER, "int": ValueType.INTEGER, "mediumint": ValueType.INTEGER,
    "smallint": ValueType.INTEGER, "tinyint": ValueType.INTEGER,
    "double": ValueType.FLOAT, "float": ValueType.FLOAT, "decimal": ValueType.DECIMAL,
    "varchar": ValueType.TEXT, "char": ValueType.TEXT, "text": ValueType.TEXT, "mediumtext": ValueType.TEXT,
    "longtext": ValueType.TEXT, "tinytext": ValueType.TEXT, "date": ValueType.DATE, "enum": ValueType.TEXT,
    "set": ValueType.TEXT, "json": ValueType.TEXT, "year": ValueType.INTEGER, "bit": ValueType.INTEGER,
    "datetime": ValueType.DATETIME, "timestamp": ValueType.DATETIME, "time": ValueType.TIME,
    "boolean": ValueType.BOOLEAN,
}
LOADER_USER = "momq_loader"

# MariaDB error codes we map (https://mariadb.com/kb/en/mariadb-error-codes/)
_ER_DBACCESS_DENIED, _ER_ACCESS_DENIED, _ER_BAD_DB = 1044, 1045, 1049
_ER_STATEMENT_TIMEOUT, _ER_QUERY_INTERRUPTED = 1969, 1317
_ER_READ_ONLY = {1792, 1290, 1836}  # read-only transaction / --read-only / read-only mode
_ER_PRIVILEGE = {1142, 1143, 1227, 1370, 1044, 1211, 1410, 1045, 1095}
_CR_CONNECTION = {2002, 2003, 2006, 2013, 2055, 1927, 4031}  # client-side losses; killed / idle-dropped
_ER_TABLE_DENIED, _ER_PROC_DENIED = 1142, 1370
_DENIED_TABLE = re.compile(r"for table `([^`]*)`\.`([^`]*)`")
_DENIED_ROUTINE = re.compile(r"for routine '([^'.]*)\.([^']*)'")
_COM_RESET_CONNECTION = 0x1F


# ============================================================================================== server
class MariaDBServer(LocalServer):
    """A private mariadbd on 127.0.0.1: data in ``<root>/data``, socket ``<root>/sock``."""

    name = "mariadb"
    start_timeout_s = 60.0

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def socket_path(self) -> Path:
        path = self.root / "sock"
        if len(str(path)) > _SOCKET_PATH_MAX:  # too long for a unix socket: keep it short, in the temp dir
            digest = hashlib.sha1(str(self.root).encode()).hexdigest()[:16]
            path = Path(tempfile.gettempdir()) / f"momq-mariadb-{digest}.sock"
        return path

    @property
    def credentials_file(self) -> Path:
        return self.root / "credentials.json"

    def credentials(self) -> dict[str, str]:
        """Passwords of the admin and read-only accounts (created with the data directory)."""
        try:
            return json.loads(self.credentials_file.read_text())
        except (OSError, ValueError) as exc:
            raise EngineUnavailable(f"mariadb credentials missing in {self.credentials_file}: {exc}") from exc

    def _prepare(self) -> None:
        install_db = _binary("mariadb-install-db")
        _binary("mariadbd")
        if not self.credentials_file.exists():
            self.credentials_file.touch(mode=0o600)
            self.credentials_file.write_text(json.dumps(
                {"admin_password": secrets.token_hex(16), "reader_password": secrets.token_hex(16)}))
        if (self.data_dir / "mysql").is_dir():
            return
        log.info("initialising a MariaDB data directory in %s", self.data_dir)
        argv = [install_db, "--no-defaults", f"--datadir={self.data_dir}", "--auth-root-authentication-method=normal",
                "--skip-test-db"] + self._user_args()
        with open(self.root / "install.log", "ab") as out:
            proc = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        if proc.returncode != 0 or not (self.data_dir / "mysql").is_dir():
            shutil.rmtree(self.data_dir, ignore_errors=True)
            tail = (self.root / "install.log").read_text(errors="replace").splitlines()[-10:]
            raise EngineUnavailable(f"mariadb-install-db failed (exit {proc.returncode}):\n" + "\n".join(tail))

    @staticmethod
    def _user_args() -> list[str]:
        # mariadbd refuses to run as root unless told to; as another user it runs as that user
        return ["--user=root"] if os.geteuid() == 0 else []

    def _argv(self, port: int) -> list[str]:
        return [
            _binary("mariadbd"), "--no-defaults", *self._user_args(), f"--datadir={self.data_dir}",
            f"--socket={self.socket_path}", f"--port={port}", f"--bind-address={LOOPBACK}", "--skip-name-resolve",
            f"--pid-file={self.root / 'mariadbd.pid'}", "--character-set-server=utf8mb4",
            f"--collation-server={self._collation()}", f"--sql-mode={SQL_MODE}", "--skip-log-bin",
            "--innodb-buffer-pool-size=64M", "--innodb-flush-log-at-trx-commit=2", "--max-connections=200",
            "--max-allowed-packet=16M",  # also the largest value a result row can carry to the client
        ]

    @staticmethod
    def _collation() -> str:
        """COLLATION when this mariadbd has it (10.10 and later), else FALLBACK_COLLATION with a warning."""
        out = subprocess.run([_binary("mariadbd"), "--version"], capture_output=True, text=True).stdout
        match = re.search(r"Ver (\d+)\.(\d+)", out)
        if match and (int(match.group(1)), int(match.group(2))) >= (10, 10):
            return COLLATION
        log.warning("mariadbd %s lacks %s; using %s (MySQL 8 comparisons of accented text may differ)",
                    match.group(0) if match else "(unknown version)", COLLATION, FALLBACK_COLLATION)
        return FALLBACK_COLLATION

    def _root_connection(self, timeout_s: float = 2.0):
        """root over the private unix socket (root has no password and is reachable only from this machine)."""
        import pymysql

        return pymysql.connect(unix_socket=str(self.socket_path), user="root", connect_timeout=timeout_s,
                               read_timeout=30, autocommit=True, charset="utf8mb4")

    def _ready(self, port: int) -> bool:
        conn = self._root_connection(timeout_s=0.5)
        conn.close()
        return True

    def _version(self) -> str:
        return _server_version(self._root_connection())

    def _after_start(self) -> None:
        creds = self.credentials()
        conn = self._root_connection()
        try:
            with conn.cursor() as cur:
                for user, password in ((ADMIN_USER, creds["admin_password"]),
                                       (READ_USER, creds["reader_password"])):
                    cur.execute(f"CREATE USER IF NOT EXISTS '{user}'@'{LOOPBACK}' IDENTIFIED BY %s", (password,))
                    cur.execute(f"ALTER USER '{user}'@'{LOOPBACK}' IDENTIFIED BY %s", (password,))
                cur.execute(f"GRANT ALL PRIVILEGES ON *.* TO '{ADMIN_USER}'@'{LOOPBACK}' WITH GRANT OPTION")
                # the reader gets SELECT/SHOW VIEW per database at load time, nothing global
                cur.execute(f"ALTER USER '{READ_USER}'@'{LOOPBACK}' WITH MAX_USER_CONNECTIONS 50")
        finally:
            conn.close()

    def connect(self) -> "MariaDBEngine":
        port = self._require_running()
        creds = self.credentials()
        return MariaDBEngine(host=LOOPBACK, port=port, user=ADMIN_USER, password=creds["admin_password"],
                             read_user=READ_USER, read_password=creds["reader_password"])


def _server_version(conn) -> str:
    """The server's ``VERSION()`` through ``conn``, which is closed afterwards."""
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT VERSION()")
            return cur.fetchone()[0]
    finally:
        conn.close()


def _binary(name: str) -> str:
    path = shutil.which(name) or next((str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name)
                                       if p.exists()), None)
    if path is None:
        raise EngineUnavailable(f"MariaDB binary {name!r} not found; install it with "
                                "`apt-get install -y mariadb-server` (scripts/setup.sh does this)")
    return path


# ============================================================================================== engine
def _quote(name: str) -> str:
    """A database, table or column name in backticks (a backtick inside doubled)."""
    return quote_name(check_name(name, "identifier"), "mysql")


class MariaDBEngine(SQLEngine):
    """PyMySQL engine. ``user`` loads databases; ``read_user`` (or ``user`` when not given) runs queries.

    Not thread-safe: use one engine per thread. Connections for untrusted queries are reused per database and
    discarded after any error, timeout or truncated result.
    """

    name = "mariadb"
    dialect = "mysql"
    stands_in_for = "MySQL 8"

    def __init__(self, host: str = LOOPBACK, port: int = 3306, user: str = "root", password: str = "", *,
                 read_user: str | None = None, read_password: str | None = None, connect_timeout_s: float = 5.0):
        self.host, self.port, self.user, self.password = host, int(port), user, password
        self.read_user = read_user
        self.read_password = read_password if read_password is not None else ("" if read_user else password)
        self.connect_timeout_s = connect_timeout_s
        self._readers: dict[str, object] = {}

    # ---- connections
    def _connect(self, user: str, password: str, database: str | None = None, read_timeout: float | None = None,
                 connect_timeout: float | None = None, unbuffered: bool = False):
        import pymysql
        import pymysql.cursors

        try:
            return pymysql.connect(
                host=self.host, port=self.port, user=user, password=password, database=database,
                connect_timeout=connect_timeout or self.connect_timeout_s, read_timeout=read_timeout,
                write_timeout=read_timeout, autocommit=True, charset="utf8mb4", client_flag=0,
                cursorclass=pymysql.cursors.SSCursor if unbuffered else pymysql.cursors.Cursor)
        except pymysql.err.MySQLError as exc:
            raise _map_error(exc, database, connecting=True) from exc

    def _admin(self, database: str | None = None):
        return self._connect(self.user, self.password, database, read_timeout=600)

    def version(self) -> str:
        return _server_version(self._admin())

    # ---- loading
    def load(self, db: RelationalDatabase) -> None:
        t0 = time.monotonic()
        self._forget(db.name)
        conn = self._admin()
        try:
            with conn.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS {_quote(db.name)}")
                cur.execute(f"CREATE DATABASE {_quote(db.name)} CHARACTER SET utf8mb4")
                cur.execute(f"USE {_quote(db.name)}")
                for table in db.tables:
                    cur.execute(_create_table(table))
                for table in db.tables:
                    if table.rows:
                        cols = ", ".join(_quote(c) for c in table.column_names)
                        marks = ", ".join(["%s"] * len(table.columns))
                        cur.executemany(f"INSERT INTO {_quote(table.name)} ({cols}) VALUES ({marks})", table.rows)
                for table in db.tables:  # after the data, so that the server checks every row against its keys
                    for k, fk in enumerate(table.foreign_keys):
                        cur.execute(
                            f"ALTER TABLE {_quote(table.name)} ADD CONSTRAINT {_quote(f'fk_{table.name}_{k}')} "
                            f"FOREIGN KEY ({', '.join(map(_quote, fk.columns))}) REFERENCES {_quote(fk.ref_table)} "
                            f"({', '.join(map(_quote, fk.ref_columns))})")
                if self.read_user and self.read_user != self.user:
                    cur.execute(f"GRANT SELECT, SHOW VIEW ON {_quote(db.name)}.* TO %s@%s",
                                (self.read_user, self._reader_host(cur)))
        except EngineError:
            raise
        except Exception as exc:  # noqa: BLE001 - report which database failed
            raise QueryFailed(f"loading database {db.name!r} into MariaDB failed: {exc}") from exc
        finally:
            conn.close()
        log.info("loaded %s into MariaDB (%d tables, %d rows) in %.2f s", db.name, len(db.tables),
                 sum(len(t.rows) for t in db.tables), time.monotonic() - t0)

    def _reader_host(self, cur) -> str:
        cur.execute("SELECT Host FROM mysql.user WHERE User = %s ORDER BY Host = '%%' LIMIT 1", (self.read_user,))
        row = cur.fetchone()
        if row is None:
            raise EngineUnavailable(f"read-only MariaDB user {self.read_user!r} does not exist")
        return row[0]

    def drop(self, name: str) -> None:
        self._forget(name)
        conn = self._admin()
        try:
            with conn.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS {_quote(name)}")
        finally:
            conn.close()

    def databases(self) -> list[str]:
        conn = self._admin()
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN "
                            "('mysql', 'information_schema', 'performance_schema', 'sys') ORDER BY SCHEMA_NAME")
                return [r[0] for r in cur.fetchall()]
        finally:
            conn.close()

    # ---- untrusted execution
    def _reader(self, db: str, limits: ExecutionLimits):
        """A read-only session on ``db`` that starts clean: a kept connection is reset (COM_RESET_CONNECTION:
        user variables, GET_LOCK locks, LAST_INSERT_ID, FOUND_ROWS, temporary tables, transaction state and
        session settings all go; ~0.06 ms here, against ~67 ms for a new connection), then the read-only
        transaction mode and the limits are set. A kept connection the server dropped is replaced here, before
        any statement of the caller is sent."""
        import pymysql

        budget = limits.timeout_s + CLIENT_MARGIN_S
        conn = self._readers.pop(db, None)
        if conn is not None:
            conn._read_timeout = conn._write_timeout = budget
            t0 = time.monotonic()
            try:
                _reset_session(conn)
            except (pymysql.err.MySQLError, OSError) as exc:
                close_quietly(conn)
                if time.monotonic() - t0 >= limits.timeout_s:  # a frozen server, not a dropped connection
                    raise QueryTimeout(f"MariaDB did not answer within {limits.timeout_s:g} s (+{CLIENT_MARGIN_S:g}"
                                       f" s client margin); connection dropped ({exc})") from exc
                log.info("%s: the kept connection to %s was dropped by the server; reconnecting", self.name, db)
                conn = None
        if conn is None:
            conn = self._connect(self.read_user or self.user, self.read_password, db, read_timeout=budget,
                                 connect_timeout=min(self.connect_timeout_s, budget), unbuffered=True)
        # the socket timeout is per call: a hung server cannot hold us past the limit plus the margin
        # (PyMySQL re-applies these to its socket before the next read/write)
        conn._read_timeout = conn._write_timeout = budget
        try:
            with conn.cursor() as cur:
                # the server stops a top-level SELECT after max_rows + 1 rows unless the query has its own LIMIT
                cur.execute(f"SET SESSION tx_read_only = 1, max_statement_time = {limits.timeout_s:.3f}, "
                            f"sql_select_limit = {limits.max_rows + 1}")
                cur.execute("SELECT 1 FROM DUAL WHERE 0")  # FOUND_ROWS() survives the reset; this clears it
        except pymysql.err.MySQLError as exc:
            close_quietly(conn)
            raise _map_error(exc, db, limits=limits) from exc
        return conn

    def _run_once(self, db: str, statement: str, limits: ExecutionLimits) -> QueryResult:
        import pymysql

        check_identifier(db, "database")
        t0 = time.monotonic()
        conn = self._reader(db, limits)
        keep = False
        t_stmt = time.monotonic()
        try:
            cur = conn.cursor()
            cur.execute(statement)
            columns = tuple(d[0] for d in cur.description or ())
            rows, truncated = [], False
            if cur.description:  # rows are read one by one from the socket, never all at once
                budget = ResultBudget(limits)
                while (row := cur.fetchone()) is not None:
                    if len(rows) == limits.max_rows or not budget.take(row):
                        truncated = True
                        break
                    rows.append(tuple(row))
            if time.monotonic() - t_stmt >= limits.timeout_s:
                # the server's limit may end some functions (GET_LOCK, SLEEP) early with a result instead of an
                # error; an answer at or past the limit is not trusted
                raise QueryTimeout(f"MariaDB query reached its time limit of {limits.timeout_s:g} s")
            if not truncated:
                cur.close()  # the result is fully read: the connection can be reused
                keep = True
            else:  # more rows wait on the socket: abandon them instead of reading them all
                _abandon_unbuffered(conn, cur)
            return QueryResult(columns, rows, truncated, time.monotonic() - t0)
        except pymysql.err.MySQLError as exc:
            err = _map_error(exc, db, elapsed=time.monotonic() - t_stmt, limits=limits)
            raise self._explain_denial(exc, err) from exc
        finally:
            if keep:
                self._keep(db, conn)
            else:  # closing the socket abandons any unread rows; the server stops on its next write
                close_quietly(conn)

    def _explain_denial(self, exc, err: EngineError) -> EngineError:
        """MariaDB tells a user without privileges on an object "command denied" whether or not the object
        exists. For an unknown function, database or table that is a plain mistake, not an unsafe query: ask
        with the admin account whether the object exists, and say which."""
        code = exc.args[0] if exc.args else None
        msg = exc.args[1] if len(exc.args) > 1 else ""
        routine = _DENIED_ROUTINE.search(msg) if code == _ER_PROC_DENIED else None
        table = _DENIED_TABLE.search(msg) if code == _ER_TABLE_DENIED else None
        if not (routine or table):
            return err
        try:
            conn = self._admin()
        except EngineError:
            return err
        try:
            with conn.cursor() as cur:
                if routine:
                    schema, name = routine.group(1), routine.group(2)
                    cur.execute("SELECT 1 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = %s AND "
                                "ROUTINE_NAME = %s", (schema, name))
                    if cur.fetchone() is None:
                        return QueryFailed(f"MariaDB has no function {name}() (MariaDB error {code}: {msg})")
                    return err
                schema, name = table.group(1), table.group(2)
                cur.execute("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", (schema,))
                if cur.fetchone() is None:
                    return QueryFailed(f"MariaDB has no database {schema!r} (MariaDB error {code}: {msg})")
                cur.execute("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s",
                            (schema, name))
                if cur.fetchone() is None:
                    return QueryFailed(f"MariaDB has no table {schema}.{name} (MariaDB error {code}: {msg})")
                return err
        except Exception:  # noqa: BLE001 - the original error is still the right answer
            return err
        finally:
            conn.close()

    # ---- SQL dumps
    def load_dump(self, name: str, text: str, *, source: str | None = None) -> Dump:
        """Run a MySQL/MariaDB dump (``mariadb-dump`` / ``mysqldump`` output, or hand-written SQL) into a new
        database ``name``.

        Screened first (:func:`momq.engines.sql_dump.read_dump`); then executed statement by statement by the
        account ``momq_loader``, whose only privileges are on a fresh database with a temporary name. MariaDB
        cannot rename a database, so on success the base tables move into ``name`` with one atomic ``RENAME
        TABLE`` (an existing ``name`` is dropped first) and the views, routines and triggers are re-created there
        from the server's own ``SHOW CREATE`` text (still defined by the loader); the read-only account gets
        SELECT and SHOW VIEW. On any failure the temporary database (and a half-moved ``name``) is dropped and
        :class:`DumpLoadFailed` names the statement and line.
        """
        import pymysql

        check_identifier(name, "database")
        source = source or name
        dump = read_dump(text, "mysql", source)
        t0 = time.monotonic()
        temp = f"momq_load_{secrets.token_hex(6)}"
        password = secrets.token_hex(16)
        moving, host = False, None
        conn = self._admin()
        try:
            with conn.cursor() as cur:
                host = self._client_host(cur)
                loader = f"'{LOADER_USER}'@'{host}'"
                cur.execute(f"CREATE USER IF NOT EXISTS {loader} IDENTIFIED BY %s", (password,))
                cur.execute(f"ALTER USER {loader} IDENTIFIED BY %s WITH MAX_USER_CONNECTIONS 5", (password,))
                cur.execute(f"CREATE DATABASE {_quote(temp)} CHARACTER SET utf8mb4")
                cur.execute(f"GRANT ALL PRIVILEGES ON {_quote(temp)}.* TO {loader}")
            self._run_dump(dump, temp, password, source)
            moving = True
            with conn.cursor() as cur:
                self._forget(name)
                self._move(cur, temp, name, loader)
                if self.read_user and self.read_user != self.user:
                    cur.execute(f"GRANT SELECT, SHOW VIEW ON {_quote(name)}.* TO %s@%s",
                                (self.read_user, self._reader_host(cur)))
        except BaseException as exc:
            with conn.cursor() as cur:
                for db in ([temp, name] if moving else [temp]):
                    try:
                        cur.execute(f"DROP DATABASE IF EXISTS {_quote(db)}")
                    except pymysql.err.MySQLError:
                        log.exception("could not drop %s after a failed load", db)
            if isinstance(exc, (EngineError, KeyboardInterrupt, SystemExit)):
                raise
            raise DumpLoadFailed(f"SQL dump {source}: loading into MariaDB failed: {exc}") from exc
        finally:
            if host is not None:
                try:
                    with conn.cursor() as cur:
                        cur.execute(f"REVOKE ALL PRIVILEGES ON {_quote(temp)}.* FROM '{LOADER_USER}'@'{host}'")
                except Exception:  # noqa: BLE001 - no grant left to revoke (the load failed before it)
                    pass
            conn.close()
        log.info("loaded SQL dump %s into MariaDB database %s (%d statements run, skipped %s) in %.2f s", source,
                 name, len(dump.to_run), dump.skipped or "none", time.monotonic() - t0)
        return dump

    @staticmethod
    def _client_host(cur) -> str:
        """The host part this server sees for our connections (accounts are per host)."""
        cur.execute("SELECT SUBSTRING_INDEX(USER(), '@', -1)")
        return cur.fetchone()[0]

    def _run_dump(self, dump: Dump, temp: str, password: str, source: str) -> None:
        import pymysql

        conn = self._connect(LOADER_USER, password, temp, read_timeout=3600)
        try:
            with conn.cursor() as cur:
                for stmt in dump.to_run:
                    try:
                        cur.execute(stmt.text)
                        while True:  # a SELECT or CALL in a dump returns rows nobody reads
                            cur.fetchall()
                            if not cur.nextset():
                                break
                    except pymysql.err.MySQLError as exc:
                        detail = exc.args[1] if len(exc.args) > 1 else str(exc)
                        raise DumpLoadFailed(f"SQL dump {source}: {stmt.where()} failed in MariaDB: {detail} "
                                             f"-- {stmt.head()!r}") from exc
        finally:
            conn.close()

    @staticmethod
    def _move(cur, temp: str, name: str, loader: str) -> None:
        """Move everything of ``temp`` into a new database ``name`` (see :meth:`load_dump`)."""
        cur.execute("SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s "
                    "ORDER BY CREATE_TIME, TABLE_NAME", (temp,))
        relations = cur.fetchall()
        creates: list[tuple[str, str, str]] = []  # (kind, sql_mode, CREATE text) to run in the new database
        for kind, query, column in (("TRIGGER", "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
                                                "WHERE TRIGGER_SCHEMA = %s ORDER BY CREATED", 2),
                                    ("PROCEDURE", "SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE "
                                                  "ROUTINE_SCHEMA = %s AND ROUTINE_TYPE = 'PROCEDURE'", 2),
                                    ("FUNCTION", "SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE "
                                                 "ROUTINE_SCHEMA = %s AND ROUTINE_TYPE = 'FUNCTION'", 2)):
            cur.execute(query, (temp,))
            for (obj,) in cur.fetchall():
                cur.execute(f"SHOW CREATE {kind} {_quote(temp)}.{_quote(obj)}")
                row = cur.fetchone()
                creates.append((kind, row[1], row[column]))
                if kind == "TRIGGER":  # a table with triggers cannot move to another database
                    cur.execute(f"DROP TRIGGER {_quote(temp)}.{_quote(obj)}")
        views = []
        for table, table_type in relations:
            if table_type == "VIEW":
                cur.execute(f"SHOW CREATE VIEW {_quote(temp)}.{_quote(table)}")
                views.append(cur.fetchone()[1].replace(f"`{temp}`.", f"{_quote(name)}."))
        cur.execute(f"DROP DATABASE IF EXISTS {_quote(name)}")
        cur.execute(f"CREATE DATABASE {_quote(name)} CHARACTER SET utf8mb4")
        cur.execute(f"GRANT ALL PRIVILEGES ON {_quote(name)}.* TO {loader}")
        tables = [t for t, kind in relations if kind != "VIEW"]
        if tables:
            cur.execute("RENAME TABLE " + ", ".join(f"{_quote(temp)}.{_quote(t)} TO {_quote(name)}.{_quote(t)}"
                                                    for t in tables))
        cur.execute(f"USE {_quote(name)}")
        pending = views
        while pending:  # a view may use another view: create what can be created until nothing is left
            failed, last_error = [], None
            for text in pending:
                try:
                    cur.execute(text)
                except Exception as exc:  # noqa: BLE001 - retried after the views it may need
                    failed.append(text)
                    last_error = exc
            if len(failed) == len(pending):
                raise QueryFailed(f"could not re-create view(s) in {name}: {last_error}")
            pending = failed
        for kind, sql_mode, text in [c for c in creates if c[0] != "TRIGGER"] + [c for c in creates
                                                                                if c[0] == "TRIGGER"]:
            cur.execute("SET SESSION sql_mode = %s", (sql_mode,))
            cur.execute(text)
        cur.execute(f"DROP DATABASE {_quote(temp)}")

    # ---- introspection
    def schema(self, db: str) -> RelationalDatabase:
        """Tables and views of ``db``: columns with types, nullability and defaults; primary, unique and foreign
        keys (composite ones too); view definitions."""
        conn = self._admin()
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", (db,))
                if cur.fetchone() is None:
                    raise UnknownDatabase(f"MariaDB has no database {db!r}")
                cur.execute("SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT "
                            "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = %s "
                            "ORDER BY TABLE_NAME, ORDINAL_POSITION", (db,))
                columns = cur.fetchall()
                table_order = _tables_in_creation_order(cur, db)
                cur.execute("SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, c.CONSTRAINT_TYPE, k.COLUMN_NAME "
                            "FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.TABLE_CONSTRAINTS c "
                            "ON c.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND c.TABLE_NAME = k.TABLE_NAME "
                            "AND c.CONSTRAINT_NAME = k.CONSTRAINT_NAME WHERE k.TABLE_SCHEMA = %s "
                            "AND c.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE') "
                            "ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION", (db,))
                keys = cur.fetchall()
                cur.execute("SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, "
                            "REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
                            "WHERE TABLE_SCHEMA = %s AND REFERENCED_TABLE_NAME IS NOT NULL "
                            "ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION", (db,))
                fks = cur.fetchall()
                cur.execute("SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS "
                            "WHERE TABLE_SCHEMA = %s ORDER BY TABLE_NAME", (db,))
                views = cur.fetchall()
        finally:
            conn.close()
        return _assemble(db, table_order, columns, keys, fks, views)


def _tables_in_creation_order(cur, db: str) -> list[str]:
    """Base tables in the order they were created (InnoDB table ids grow), by name where that is not visible."""
    cur.execute("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s "
                "AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME", (db,))
    names = [r[0] for r in cur.fetchall()]
    try:
        cur.execute("SELECT NAME, TABLE_ID FROM information_schema.INNODB_SYS_TABLES WHERE NAME LIKE %s",
                    (db.replace("_", "\\_") + "/%",))
        ids = {name.split("/", 1)[1]: table_id for name, table_id in cur.fetchall()}
    except Exception:  # noqa: BLE001 - needs the PROCESS privilege; a user's account may lack it
        return names
    return sorted(names, key=lambda n: (ids.get(n, float("inf")), n))


def _create_table(table: Table) -> str:
    parts = [f"{_quote(c.name)} {COLUMN_TYPES[c.type]}{'' if c.nullable else ' NOT NULL'}" for c in table.columns]
    if table.primary_key:
        parts.append(f"PRIMARY KEY ({', '.join(map(_quote, table.primary_key))})")
    return f"CREATE TABLE {_quote(table.name)} ({', '.join(parts)}) ENGINE=InnoDB"


def _column(db: str, table: str, name: str, data_type: str, column_type: str, nullable: str,
            default: str | None) -> Column:
    if column_type.lower().startswith("tinyint(1)"):
        vtype, note = ValueType.BOOLEAN, ""
    else:
        vtype = _INTROSPECTED_TYPES.get(data_type.lower())
        note = "" if vtype is not None else f"type {column_type}"
    # MariaDB reports "no default" of a nullable column as the text NULL
    return Column(name, vtype or ValueType.TEXT, nullable == "YES", note, None if default in (None, "NULL") else default)


def _assemble(db: str, table_order: list[str], columns, keys, fks, views) -> RelationalDatabase:
    view_names = {v for v, _ in views}
    cols: dict[str, list[Column]] = {name: [] for name in [*table_order, *view_names]}
    for table, name, data_type, column_type, nullable, default in columns:
        if table in cols:
            cols[table].append(_column(db, table, name, data_type, column_type, nullable, default))
    pk: dict[str, list[str]] = {}
    uniques: dict[tuple[str, str], list[str]] = {}
    for table, constraint, kind, name in keys:
        if kind == "PRIMARY KEY":
            pk.setdefault(table, []).append(name)
        else:
            uniques.setdefault((table, constraint), []).append(name)
    fk: dict[tuple[str, str], tuple[list[str], str, list[str]]] = {}
    for table, constraint, name, ref_db, ref_table, ref_name in fks:
        if ref_db != db:
            continue  # a key into another database: not part of this schema
        entry = fk.setdefault((table, constraint), ([], ref_table, []))
        entry[0].append(name)
        entry[2].append(ref_name)
    tables = []
    for name in table_order:
        refs = tuple(ForeignKey(tuple(c), rt, tuple(rc)) for (t, _), (c, rt, rc) in fk.items() if t == name)
        unique = tuple(tuple(c) for (t, _), c in uniques.items() if t == name)
        tables.append(Table(name, tuple(cols[name]), tuple(pk.get(name, ())), refs, unique_keys=unique))
    view_defs = tuple(View(v, tuple(cols[v]), (definition or "").strip()) for v, definition in views)
    return RelationalDatabase(db, tuple(tables), views=view_defs)


def _reset_session(conn) -> None:
    """COM_RESET_CONNECTION (MariaDB >= 10.2, MySQL >= 5.7): a clean session on the same connection, with the
    same user and current database. PyMySQL has no call for it; its command and OK-packet primitives send it."""
    conn._execute_command(_COM_RESET_CONNECTION, b"")
    conn._read_ok_packet()


def _abandon_unbuffered(conn, cur) -> None:
    """Forget an unbuffered result without reading it: PyMySQL would otherwise drain every remaining row when
    the cursor or result is closed or collected. The connection is then closed (the server stops sending)."""
    result = getattr(conn, "_result", None)
    if result is not None:
        result.unbuffered_active = False
    conn._result = None
    cur.connection = None
    close_quietly(conn)


def _map_error(exc, db: str | None, *, connecting: bool = False, elapsed: float = 0.0,
               limits: ExecutionLimits | None = None) -> EngineError:
    code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
    msg = exc.args[1] if len(exc.args) > 1 else str(exc)
    if code in (_ER_BAD_DB, _ER_DBACCESS_DENIED) and connecting and db:
        return UnknownDatabase(f"MariaDB has no database {db!r} readable by this user ({msg})")
    if code == _ER_ACCESS_DENIED and connecting:
        return EngineUnavailable(f"MariaDB refused the credentials: {msg}")
    if code in (_ER_STATEMENT_TIMEOUT, _ER_QUERY_INTERRUPTED):
        limit = f" of {limits.timeout_s:g} s" if limits else ""
        return QueryTimeout(f"MariaDB query exceeded its time limit{limit} and was cancelled")
    if code in _CR_CONNECTION or code is None:
        if (limits is not None and elapsed >= limits.timeout_s) or (connecting and "timed out" in str(msg)):
            # a server that accepts connections but never answers is frozen: the query timed out
            if connecting:
                return QueryTimeout(f"MariaDB did not answer the connection within its timeout ({msg})")
            return QueryTimeout(f"MariaDB did not answer within {limits.timeout_s:g} s (+{CLIENT_MARGIN_S:g} s "
                                f"client margin); connection dropped ({msg})")
        return EngineUnavailable(f"MariaDB is not reachable: {msg}")
    if code in _ER_READ_ONLY:
        return UnsafeQueryError(f"refused by MariaDB: the session is read-only ({msg})")
    if code in _ER_PRIVILEGE:
        return UnsafeQueryError(f"refused by MariaDB: the read-only user may not do this ({msg})")
    return QueryFailed(f"MariaDB error {code}: {msg}")
