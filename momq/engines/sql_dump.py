"""SQL dumps as the engines' own clients would run them: cut into statements with their line numbers, and
screened for anything that reaches outside the database the dump is loaded into.

:func:`read_dump` splits a dump the way ``mariadb`` / ``psql`` do (strings, quoted names, comments, MySQL
``/*! ... */`` executable comments and PostgreSQL dollar quotes by :mod:`momq.dialects.lexical`; the client-side
``DELIMITER`` command; ``COPY ... FROM stdin`` with its data block up to ``\\.``; psql backslash commands) and
gives each statement an action:

- ``run``: sent to the engine as written (CREATE/ALTER/INSERT/COPY FROM stdin, session SETs, ``LOCK TABLES``,
  ``SELECT pg_catalog.set_config(...)``, routines, triggers, views, ``DO`` blocks, trusted extensions, ...);
  ``DEFINER=`` clauses are removed first, so the loading account defines views, triggers and routines;
- ``skip``: the dump's header for its own database (``DROP DATABASE IF EXISTS x``, ``CREATE DATABASE x``,
  ``USE x``, ``\\connect x``, ``ALTER DATABASE x ...``), and in PostgreSQL what only moves ownership or
  privileges (``ALTER ... OWNER TO``, GRANT/REVOKE, default privileges, ``COMMENT ON EXTENSION``): the loaded
  database is owned by the loading account and readable by the read-only one, whatever the dump's source server
  had (a MySQL dump carries no privileges, so there GRANT and REVOKE are refused);
- refused with :class:`DumpRefused` (statement number and line): another database, roles and users, server-wide
  settings (``SET GLOBAL``, ``ALTER SYSTEM``), files and programs (``LOAD DATA``, ``INTO OUTFILE``, ``COPY``
  from/to a file or ``PROGRAM``, ``\\!`` and other client commands), tablespaces, plugins, servers and
  subscriptions, scheduled events, ``SET ROLE`` / ``SET SESSION AUTHORIZATION``.

The screen is a first line with clear messages; the engine is the second: the dump runs as an account that can
touch only the fresh database (see ``MariaDBEngine.load_dump`` and ``PostgresEngine.load_dump``). This module
neither connects to an engine nor parses SQL beyond its leading words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from momq.dialects.lexical import scan
from momq.engines.base import QueryFailed, UnsafeQueryError

DIALECTS = ("mysql", "postgresql")


class DumpRefused(UnsafeQueryError):
    """A dump statement that reaches outside the database being loaded; nothing was loaded."""


class DumpLoadFailed(QueryFailed):
    """The engine refused a dump statement; the partly loaded database was dropped."""


@dataclass(frozen=True)
class DumpStatement:
    number: int  # 1-based, in dump order (client commands and skipped statements count)
    line: int  # the line the statement starts on
    text: str  # as it will be sent (DEFINER clauses removed); for a skipped statement, as written
    action: str  # "run" or "skip"
    copy_data: str | None = None  # COPY ... FROM stdin: the data lines, without the closing "\."
    reason: str = ""  # why a statement is skipped

    def where(self) -> str:
        return f"statement {self.number} (line {self.line})"

    def head(self, width: int = 80) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= width else text[: width - 3] + "..."


@dataclass
class Dump:
    dialect: str
    statements: list[DumpStatement]
    database: str | None = None  # the database the dump's header names (DROP/CREATE DATABASE, USE, \connect)
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count

    @property
    def to_run(self) -> list[DumpStatement]:
        return [s for s in self.statements if s.action == "run"]


# ----------------------------------------------------------------------------------------------- splitting
@dataclass(frozen=True)
class _Raw:
    start: int
    text: str
    code: str  # strings, names and comments blanked; executable-comment bodies kept
    command: bool = False  # a client command (DELIMITER, \connect, ...), not SQL


def _code(text: str, dialect: str) -> str:
    out = []
    for seg in scan(text, dialect):
        if seg.kind == "code":
            out.append(text[seg.start:seg.end])
        elif seg.kind in ("string", "ident"):
            out.append(" ? " if seg.kind == "string" else " _q_ ")
        else:
            out.append(" ")
    return "".join(out)


_CLIENT_COMMAND = re.compile(r"[ \t]*\\[^\n]*")
_DELIMITER = re.compile(r"[ \t]*delimiter[ \t]+(\S+)[^\n]*", re.IGNORECASE)
_COPY_STDIN = re.compile(r"^\s*COPY\b.*\bFROM\s+STDIN\b", re.IGNORECASE | re.DOTALL)


def _blank(text: str, start: int, end: int, dialect: str) -> bool:
    """Whether ``text[start:end]`` holds only whitespace and comments."""
    part = text[start:end]
    return not any(seg.kind != "comment" and part[seg.start:seg.end].strip() for seg in scan(part, dialect))


def _split(text: str, dialect: str) -> list[_Raw]:
    """Statements and client commands with their offsets. Restarts the lexical scan after each COPY data block
    (data lines are not SQL)."""
    out: list[_Raw] = []
    pos, n = 0, len(text)
    delimiter = ";"
    while pos < n:
        stmt_start = pos
        restart = None
        segments = scan(text[pos:], dialect)
        for seg in segments:
            s0, s1 = pos + seg.start, pos + seg.end
            if seg.kind not in ("code", "exec_open", "exec_close"):
                continue
            i = s0
            while i < s1:
                line_start = i == 0 or text[i - 1] == "\n"
                if line_start and _blank(text, stmt_start, i, dialect):
                    m = (_DELIMITER.match(text, i) if dialect == "mysql" else None) or _CLIENT_COMMAND.match(text, i)
                    if m:
                        end = m.end()
                        out.append(_Raw(i, text[i:end].strip(), text[i:end].strip(), command=True))
                        if dialect == "mysql" and m.re is _DELIMITER:
                            delimiter = m.group(1)
                        restart = end
                        break
                if text.startswith(delimiter, i) and seg.kind == "code":
                    body = text[stmt_start:i]
                    if not _blank(text, stmt_start, i, dialect):
                        out.append(_Raw(stmt_start, body, _code(body, dialect)))
                        if dialect == "postgresql" and _COPY_STDIN.match(out[-1].code):
                            restart = _copy_block(text, i + len(delimiter), out)
                            break
                    stmt_start = i + len(delimiter)
                    i = stmt_start
                    continue
                i += 1
            if restart is not None:
                break
        if restart is None:
            if not _blank(text, stmt_start, n, dialect):
                body = text[stmt_start:]
                out.append(_Raw(stmt_start, body, _code(body, dialect)))
            break
        pos = restart
    return out


def _copy_block(text: str, after: int, out: list[_Raw]) -> int:
    """Attach the data lines that follow a COPY ... FROM stdin (up to a line ``\\.``) to its statement."""
    nl = text.find("\n", after)
    start = len(text) if nl < 0 else nl + 1
    match = re.compile(r"^\\\.[ \t\r]*$", re.MULTILINE).search(text, start)
    end = match.start() if match else len(text)
    raw = out[-1]
    out[-1] = _Raw(raw.start, raw.text + "\x00" + text[start:end], raw.code)
    if match is None:
        return len(text)
    nl = text.find("\n", match.end())
    return len(text) if nl < 0 else nl + 1


# ----------------------------------------------------------------------------------------------- screening
_WORD_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*|\S")
_DEFINER = re.compile(
    r"\bDEFINER\s*=\s*(?:CURRENT_USER(?:\s*\(\s*\))?|(?:`[^`]*`|'[^']*'|\"[^\"]*\"|[\w.$-]+)"
    r"(?:\s*@\s*(?:`[^`]*`|'[^']*'|\"[^\"]*\"|[\w.%$-]+))?)", re.IGNORECASE)

# (leading words, why) refused wherever they start a statement
_REFUSED_HEADS: dict[str, list[tuple[tuple[str, ...], str]]] = {
    "common": [
        (("CREATE", "USER"), "creates a user"), (("CREATE", "ROLE"), "creates a role"),
        (("DROP", "USER"), "drops a user"), (("DROP", "ROLE"), "drops a role"),
        (("ALTER", "USER"), "changes a user"), (("ALTER", "ROLE"), "changes a role"),
        (("RENAME", "USER"), "renames a user"), (("SET", "PASSWORD"), "sets a password"),
        (("CREATE", "TABLESPACE"), "creates a tablespace"), (("DROP", "TABLESPACE"), "drops a tablespace"),
        (("ALTER", "TABLESPACE"), "changes a tablespace"), (("CREATE", "SERVER"), "defines a remote server"),
        (("SET", "ROLE"), "changes the session's role"), (("SET", "GLOBAL"), "changes a server-wide setting"),
        (("SET", "PERSIST"), "changes a server-wide setting"), (("LOAD",), "reads a file or loads a module"),
        (("SHUTDOWN",), "stops the server"), (("KILL",), "ends other sessions"),
    ],
    "mysql": [
        (("INSTALL",), "installs a plugin"), (("UNINSTALL",), "removes a plugin"),
        (("FLUSH",), "flushes server state"), (("RESET",), "resets server state"),
        (("PURGE",), "purges server logs"), (("CHANGE", "MASTER"), "changes replication"),
        (("CHANGE", "REPLICATION"), "changes replication"), (("START", "SLAVE"), "starts replication"),
        (("START", "REPLICA"), "starts replication"), (("CREATE", "EVENT"), "schedules work on the server"),
        (("ALTER", "EVENT"), "schedules work on the server"), (("GRANT",), "grants privileges"),
        (("REVOKE",), "revokes privileges"), (("HANDLER",), "opens a low-level handler"),
    ],
    "postgresql": [
        (("CREATE", "GROUP"), "creates a role"), (("ALTER", "GROUP"), "changes a role"),
        (("DROP", "GROUP"), "drops a role"), (("ALTER", "SYSTEM"), "changes a server-wide setting"),
        (("SET", "SESSION", "AUTHORIZATION"), "changes the session's user"),
        (("SET", "LOCAL", "ROLE"), "changes the session's role"), (("SET", "SESSION", "ROLE"), "changes the session's role"),
        (("CREATE", "SUBSCRIPTION"), "subscribes to another server"),
        (("CREATE", "PUBLICATION"), "publishes to other servers"),
        (("CREATE", "FOREIGN", "DATA", "WRAPPER"), "defines a foreign-data wrapper"),
        (("CREATE", "USER", "MAPPING"), "maps users to a remote server"),
        (("IMPORT", "FOREIGN", "SCHEMA"), "imports a remote schema"), (("CHECKPOINT",), "forces a checkpoint"),
        (("REASSIGN", "OWNED"), "reassigns objects of other roles"), (("DROP", "OWNED"), "drops objects of roles"),
        (("CLUSTER",), "rewrites tables server-side"),
    ],
}
_REFUSED_ANYWHERE = {
    "mysql": [(re.compile(r"\bINTO\s+(?:OUTFILE|DUMPFILE)\b", re.I), "writes a file"),
              (re.compile(r"\bLOAD_FILE\s*\(", re.I), "reads a file"),
              (re.compile(r"@@GLOBAL\s*\.", re.I), "reads or changes a server-wide setting"),
              (re.compile(r"\bSET\b[^;]*?,\s*GLOBAL\b", re.I), "changes a server-wide setting")],
    "postgresql": [(re.compile(r"\blo_(?:import|export)\s*\(", re.I), "reads or writes a file"),
                   (re.compile(r"\bpg_(?:read_file|read_binary_file|ls_dir|stat_file)\s*\(", re.I), "reads a file"),
                   (re.compile(r"\bdblink\w*\s*\(", re.I), "connects to another database")],
}
_PSQL_HARMLESS = ("restrict", "unrestrict", "set", "unset", "encoding", "echo", "qecho", "pset", "timing")


def read_dump(text: str, dialect: str, name: str = "dump") -> Dump:
    """The dump's statements with their actions; :class:`DumpRefused` at the first one that reaches outside."""
    if dialect not in DIALECTS:
        raise ValueError(f"SQL dumps are read for {' or '.join(DIALECTS)}, not {dialect!r}")
    if text.startswith("\ufeff"):
        text = text[1:]
    dump = Dump(dialect, [])
    line_of = _LineIndex(text)
    for number, raw in enumerate(_split(text, dialect), start=1):
        line = line_of(raw.start + _first_code(raw.text, dialect))
        body, _, data = raw.text.partition("\x00")
        stmt = DumpStatement(number, line, body.strip(), "run", data if "\x00" in raw.text else None)

        def refuse(why: str) -> DumpRefused:
            return DumpRefused(f"SQL dump {name}: {stmt.where()} {why}, outside the database being loaded: "
                               f"{stmt.head()!r}")

        if raw.command:
            dump.statements.append(_command(stmt, dump, refuse))
            continue
        words = [w.upper() for w in _WORD_RE.findall(raw.code)[:8]]
        action, reason = _classify(words, raw.code, body, dialect, dump, refuse)
        if action == "skip":
            dump.skipped[reason] = dump.skipped.get(reason, 0) + 1
            dump.statements.append(DumpStatement(number, line, stmt.text, "skip", None, reason))
            continue
        sent = _strip_definers(stmt.text, dialect)
        dump.statements.append(DumpStatement(number, line, sent, "run", stmt.copy_data))
    return dump


def _command(stmt: DumpStatement, dump: Dump, refuse) -> DumpStatement:
    """A client command: DELIMITER (used by the splitter), psql's harmless ones, ``\\connect`` to the dump's own
    database; anything else (``\\!``, ``\\copy``, ``\\i``, ``\\o``, ...) is refused."""
    words = stmt.text.split()
    head = words[0].lower()
    if head == "delimiter":
        return DumpStatement(stmt.number, stmt.line, stmt.text, "skip", None, "client delimiter")
    command = head.lstrip("\\")
    if command in _PSQL_HARMLESS:
        return DumpStatement(stmt.number, stmt.line, stmt.text, "skip", None, "client setting")
    if command in ("connect", "c") and len(words) >= 2:
        _own_database(dump, words[1].strip('"'), refuse)
        return DumpStatement(stmt.number, stmt.line, stmt.text, "skip", None, "own database header")
    raise refuse(f"is the client command {words[0]!r}, which runs on the client")


def _own_database(dump: Dump, name: str, refuse) -> None:
    if dump.database is None:
        dump.database = name
    elif dump.database != name:
        raise refuse(f"names database {name!r} after the dump's own {dump.database!r}")


def _starts(words: list[str], *head: str) -> bool:
    return tuple(words[: len(head)]) == head


def _classify(words: list[str], code: str, text: str, dialect: str, dump: Dump, refuse) -> tuple[str, str]:
    for head, why in _REFUSED_HEADS["common"] + _REFUSED_HEADS[dialect]:
        if _starts(words, *head):
            raise refuse(why)
    for pattern, why in _REFUSED_ANYWHERE[dialect]:
        if pattern.search(code):
            raise refuse(why)
    real = [w for w in words if w != "?"]
    # the dump's own database: DROP DATABASE [IF EXISTS] x / CREATE DATABASE [IF NOT EXISTS] x / ALTER / USE x
    # (in MySQL, SCHEMA is a synonym of DATABASE; in PostgreSQL a schema lives inside the database and loads)
    database_words = ("DATABASE", "SCHEMA") if dialect == "mysql" else ("DATABASE",)
    if (len(real) >= 2 and real[0] in ("DROP", "CREATE", "ALTER") and real[1] in database_words) or real[:1] == ["USE"]:
        _own_database(dump, _target_name(text, dialect, 1 if real[0] == "USE" else 2), refuse)
        return "skip", "own database header"
    if dialect == "postgresql":
        if re.search(r"\bOWNER\s+TO\b", code, re.I) and real[:1] == ["ALTER"]:
            return "skip", "ownership"
        if real[:1] in (["GRANT"], ["REVOKE"]):
            return "skip", "privileges"
        if _starts(real, "ALTER", "DEFAULT", "PRIVILEGES"):
            return "skip", "privileges"
        if _starts(real, "COMMENT", "ON", "EXTENSION"):
            return "skip", "extension comment"
        if _starts(real, "SECURITY", "LABEL"):
            return "skip", "security label"
        if real[:1] == ["COPY"]:
            if not re.search(r"\bFROM\s+STDIN\b", code, re.I):
                raise refuse("copies from or to a file or program (only COPY ... FROM stdin is loaded)")
    return "run", ""


def _target_name(text: str, dialect: str, skip: int) -> str:
    """The name after the statement's first ``skip`` words and an optional ``IF [NOT] EXISTS``."""
    plain = "".join(text[s.start:s.end] if s.kind != "comment" else " " for s in scan(text, dialect)
                    if s.kind not in ("exec_open", "exec_close"))
    match = re.match(r"\s*(?:\w+\s+){%d}(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(`(?:[^`]|``)+`|\"(?:[^\"]|\"\")+\"|[\w$]+)"
                     % skip, plain, re.IGNORECASE)
    if match is None:
        return ""
    name = match.group(1)
    return name[1:-1].replace(name[0] * 2, name[0]) if name[0] in "`\"" else name


def _strip_definers(text: str, dialect: str) -> str:
    if dialect != "mysql" or "DEFINER" not in text.upper():
        return text
    code_spans = [(s.start, s.end) for s in scan(text, dialect) if s.kind == "code"]
    out, last = [], 0
    for m in _DEFINER.finditer(text):
        if any(a <= m.start() < b for a, b in code_spans):
            out.append(text[last:m.start()])
            last = m.end()
    out.append(text[last:])
    return "".join(out)


def _first_code(text: str, dialect: str) -> int:
    """Offset of the first character that is not whitespace or a comment (a statement's line is its own, not
    that of the comment block a dump writes above it)."""
    for seg in scan(text, dialect):
        if seg.kind == "comment":
            continue
        part = text[seg.start:seg.end]
        if part.strip():
            return seg.start + len(part) - len(part.lstrip())
    return 0


class _LineIndex:
    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __call__(self, offset: int) -> int:
        import bisect

        return bisect.bisect_right(self.starts, offset)


__all__ = ["DIALECTS", "Dump", "DumpLoadFailed", "DumpRefused", "DumpStatement", "read_dump"]
