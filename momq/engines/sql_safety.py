"""A cheap pre-check of untrusted SQL before it reaches MariaDB or PostgreSQL: one read statement, no locking.

A small lexer of our own that knows each dialect's strings, quoted identifiers and comments (MySQL ``#`` and
``-- `` comments and *executable* comments ``/*! ... */`` / ``/*M! ... */``, whose content MariaDB runs as code;
PostgreSQL nested ``/* */`` comments, ``E'...'`` strings and ``$tag$`` dollar quotes) splits the text into
top-level statements. The check refuses, with :class:`UnsafeQueryError`, anything but exactly one statement
that starts like a query (SELECT, WITH, VALUES, TABLE or a parenthesis) and carries no ``INTO`` (SELECT INTO a
table, a file or a variable) and no row-locking clause (FOR UPDATE/SHARE, LOCK IN SHARE MODE).

This is a convenience for clear error messages, NOT the safety boundary: the engines run every query as a
read-only user in a read-only transaction with a statement timeout, so a query this check lets through still
cannot change data. It does not parse SQL; a query it accepts may still be invalid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from momq.engines.base import QueryFailed, UnsafeQueryError

DIALECTS = ("mysql", "postgresql")
READ_STARTS = frozenset({"SELECT", "WITH", "VALUES", "TABLE"})
_LOCK_AFTER_FOR = frozenset({"UPDATE", "SHARE", "NO", "KEY"})
_WORD = re.compile(r"[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*")
_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_DOLLAR_TAG = re.compile(r"\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$")
_EXEC_COMMENT = re.compile(r"/\*M?!\d*")


@dataclass(frozen=True)
class Token:
    kind: str  # "word", "number", "string", "ident", "punct"; "marker" opens/closes a MySQL /*! comment
    text: str
    start: int
    end: int


def tokenize(query: str, dialect: str) -> list[Token]:
    """The code tokens of ``query`` (comments dropped). Raises :class:`QueryFailed` on an unterminated lexeme."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown SQL dialect {dialect!r}; expected one of {DIALECTS}")
    mysql = dialect == "mysql"
    tokens: list[Token] = []
    i, n = 0, len(query)
    exec_comment_depth = 0  # MySQL: inside /*! ... */, whose body is code
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
            continue
        # ---- comments
        if ch == "-" and query.startswith("--", i) and (
                not mysql or i + 2 >= n or query[i + 2].isspace() or ord(query[i + 2]) < 32):
            j = query.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if mysql and ch == "#":
            j = query.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if mysql and exec_comment_depth and query.startswith("*/", i):
            exec_comment_depth -= 1
            tokens.append(Token("marker", "*/", i, i + 2))
            i += 2
            continue
        if ch == "/" and query.startswith("/*", i):
            if mysql:
                m = _EXEC_COMMENT.match(query, i)
                if m:  # MariaDB executes the body of /*! ... */ and /*M! ... */: lex it as code
                    exec_comment_depth += 1
                    tokens.append(Token("marker", m.group(0), i, m.end()))
                    i = m.end()
                    continue
                j = query.find("*/", i + 2)
                if j < 0:
                    raise QueryFailed("unterminated /* comment")
                i = j + 2
                continue
            i = _skip_nested_comment(query, i)
            continue
        # ---- literals and quoted identifiers
        if ch == "'" or (ch in "eE" and query.startswith("'", i + 1) and not mysql):
            backslash = mysql or ch in "eE"
            start = i
            i = _skip_quoted(query, i + (1 if ch in "eE" else 0), "'", backslash)
            tokens.append(Token("string", query[start:i], start, i))
            continue
        if ch == '"':
            start = i
            i = _skip_quoted(query, i, '"', backslash=mysql)
            tokens.append(Token("string" if mysql else "ident", query[start:i], start, i))
            continue
        if ch == "`" and mysql:
            start = i
            i = _skip_quoted(query, i, "`", backslash=False)
            tokens.append(Token("ident", query[start:i], start, i))
            continue
        if ch == "$" and not mysql:
            m = _DOLLAR_TAG.match(query, i)
            if m and not (i > 0 and (query[i - 1].isalnum() or query[i - 1] == "_")):
                tag = m.group(0)
                j = query.find(tag, m.end())
                if j < 0:
                    raise QueryFailed(f"unterminated dollar-quoted string {tag}")
                tokens.append(Token("string", query[i:j + len(tag)], i, j + len(tag)))
                i = j + len(tag)
                continue
        # ---- words, numbers, punctuation
        m = _WORD.match(query, i)
        if m:
            tokens.append(Token("word", m.group(0), i, m.end()))
            i = m.end()
            continue
        m = _NUMBER.match(query, i)
        if m:
            tokens.append(Token("number", m.group(0), i, m.end()))
            i = m.end()
            continue
        tokens.append(Token("punct", ch, i, i + 1))
        i += 1
    if exec_comment_depth:
        raise QueryFailed("unterminated /*! executable comment")
    return tokens


def _skip_quoted(query: str, i: int, quote: str, backslash: bool) -> int:
    """Index just after the literal opening at ``query[i] == quote`` (doubled quotes escape it)."""
    j, n = i + 1, len(query)
    while j < n:
        c = query[j]
        if backslash and c == "\\":
            j += 2
            continue
        if c == quote:
            if j + 1 < n and query[j + 1] == quote:
                j += 2
                continue
            return j + 1
        j += 1
    raise QueryFailed(f"unterminated {quote}-quoted literal")


def _skip_nested_comment(query: str, i: int) -> int:
    """PostgreSQL block comments nest: ``/* a /* b */ c */`` is one comment."""
    depth, j, n = 0, i, len(query)
    while j < n:
        if query.startswith("/*", j):
            depth += 1
            j += 2
        elif query.startswith("*/", j):
            depth -= 1
            j += 2
            if depth == 0:
                return j
        else:
            j += 1
    raise QueryFailed("unterminated /* comment")


def split_statements(query: str, dialect: str) -> list[list[Token]]:
    """Top-level statements as token lists; empty statements (``;;``, a trailing ``;``) are dropped."""
    statements: list[list[Token]] = [[]]
    for tok in tokenize(query, dialect):
        if tok.kind == "punct" and tok.text == ";":
            statements.append([])
        else:
            statements[-1].append(tok)
    return [s for s in statements if any(t.kind != "marker" for t in s)]


def check_read_query(query: str, dialect: str) -> str:
    """Refuse anything but one read-only query; return the text to send (trailing ``;`` and comments cut).

    Raises :class:`UnsafeQueryError` (several statements, a non-query statement, INTO, a locking clause) or
    :class:`QueryFailed` (empty or unterminated text).
    """
    statements = split_statements(query, dialect)
    if not statements:
        raise QueryFailed("empty query: no SQL statement found (only whitespace or comments)")
    if len(statements) > 1:
        raise UnsafeQueryError(f"refused: {len(statements)} statements found; exactly one query is allowed per call")
    tokens = statements[0]
    first = next(t for t in tokens if t.kind != "marker")
    if not (first.kind == "punct" and first.text == "(") and first.text.upper() not in READ_STARTS:
        raise UnsafeQueryError(
            f"refused: only read queries (SELECT, WITH, VALUES, TABLE) are allowed, got {first.text.upper()!r}")
    words = [t.text.upper() if t.kind == "word" else None for t in tokens]
    for k, word in enumerate(words):
        if word == "INTO":
            raise UnsafeQueryError("refused: INTO (SELECT INTO a table, a file or a variable) writes data")
        if word == "FOR" and k + 1 < len(words) and words[k + 1] in _LOCK_AFTER_FOR:
            raise UnsafeQueryError("refused: row-locking clause (FOR UPDATE/SHARE) in a read-only query")
        if word == "LOCK" and words[k + 1:k + 4] == ["IN", "SHARE", "MODE"]:
            raise UnsafeQueryError("refused: row-locking clause (LOCK IN SHARE MODE) in a read-only query")
    return query[tokens[0].start:tokens[-1].end]
