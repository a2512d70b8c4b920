"""One lexical rule table per dialect, and the one scanner that reads text by those rules.

Every place that must know where a string, a quoted name or a comment starts and ends (the SQL safety
pre-check, the Cypher statement helpers, the nGQL input limits, the prompt's statement splitter, the ordering
check) asks :func:`scan` instead of keeping its own lexer, so that they all agree with each other and with the
engine. :class:`LexicalRules` holds what differs between dialects: quote characters and how each escapes, comment
markers, which characters end a line comment (PostgreSQL also ends ``--`` at a bare ``\\r``), nested block
comments, MySQL executable comments, PostgreSQL ``E'...'`` strings and ``$tag$`` dollar quotes.

The scanner only cuts text into segments (code, string, quoted name, comment, executable-comment markers); it
does not tokenise code into words or parse anything. :func:`bracket_depth` is the one measure built on it here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from momq.dialects.base import check_dialect


class LexicalError(ValueError):
    """Text with an unterminated string, quoted name or comment (only raised by ``scan(..., strict=True)``)."""


@dataclass(frozen=True)
class LexicalRules:
    """How one dialect marks strings, quoted names and comments."""

    dialect: str
    string_quotes: str  # characters that open a string literal
    ident_quotes: str  # characters that open a quoted name
    backslash_escapes: str  # quotes inside which a backslash escapes the next character
    line_comments: tuple[str, ...]  # markers of a comment that runs to the end of the line
    line_ends: str = "\n"  # characters that end a line comment
    dash_comment_needs_space: bool = False  # MySQL: "--" starts a comment only before whitespace/control/end
    dash_comment_not_after: str = ""  # nGQL: "--" right after one of these is an edge pattern, not a comment
    nested_block_comments: bool = False  # PostgreSQL: /* a /* b */ c */ is one comment
    executable_comments: bool = False  # MySQL/MariaDB run the body of /*! ... */ and /*M! ... */ as code
    escape_strings: bool = False  # PostgreSQL E'...' (backslash escapes inside)
    dollar_quotes: bool = False  # PostgreSQL $$...$$ and $tag$...$tag$


RULES: dict[str, LexicalRules] = {
    "mysql": LexicalRules("mysql", string_quotes="'\"", ident_quotes="`", backslash_escapes="'\"",
                          line_comments=("--", "#"), dash_comment_needs_space=True, executable_comments=True),
    "postgresql": LexicalRules("postgresql", string_quotes="'", ident_quotes='"', backslash_escapes="",
                               line_comments=("--",), line_ends="\n\r", nested_block_comments=True,
                               escape_strings=True, dollar_quotes=True),
    # openCypher: a // comment ends at \n or \r; strings take backslash escapes; `name` doubles its quote
    "cypher": LexicalRules("cypher", string_quotes="'\"", ident_quotes="`", backslash_escapes="'\"",
                           line_comments=("//",), line_ends="\n\r"),
    "ngql": LexicalRules("ngql", string_quotes="'\"", ident_quotes="`", backslash_escapes="'\"",
                         line_comments=("//", "#", "--"), dash_comment_not_after=")]<->"),
}


def rules_for(dialect: str) -> LexicalRules:
    return RULES[check_dialect(dialect)]


@dataclass(frozen=True)
class Segment:
    """``text[start:end]`` is one of: "code", "string", "ident", "comment", "exec_open" (``/*!`` or ``/*M!NNNNN``,
    whose body is code), "exec_close" (the ``*/`` that ends it)."""

    kind: str
    start: int
    end: int


_EXEC_OPEN = re.compile(r"/\*M?!\d*")
_DOLLAR_TAG = re.compile(r"\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$")


def scan(text: str, dialect: str, *, strict: bool = False) -> Iterator[Segment]:
    """Cut ``text`` into consecutive segments by ``dialect``'s rules (they cover the text without gaps).

    An unterminated string, name or comment raises :class:`LexicalError` when ``strict``; otherwise it runs to the
    end of the text (the engine will report it).
    """
    rules = rules_for(dialect)
    i, n, code_start = 0, len(text), 0
    exec_depth = 0
    last_code = ""  # the last non-space code character before i (for the nGQL "--" rule)

    def fail(what: str, at: int) -> int:
        if strict:
            raise LexicalError(f"unterminated {what} starting at offset {at}")
        return n

    while i < n:
        ch = text[i]
        kind, end = None, i
        if ch in rules.string_quotes or ch in rules.ident_quotes:
            kind = "string" if ch in rules.string_quotes else "ident"
            end = _quoted_end(text, i, ch, ch in rules.backslash_escapes)
            if end < 0:
                end = fail(f"{ch} quote", i)
        elif rules.escape_strings and ch in "eE" and text.startswith("'", i + 1) and not _word_before(text, i):
            kind = "string"
            end = _quoted_end(text, i + 1, "'", True)
            if end < 0:
                end = fail("E'' string", i)
        elif rules.dollar_quotes and ch == "$" and not _word_before(text, i) and (m := _DOLLAR_TAG.match(text, i)):
            kind = "string"
            close = text.find(m.group(0), m.end())
            end = close + len(m.group(0)) if close >= 0 else fail(f"dollar-quoted string {m.group(0)}", i)
        elif exec_depth and text.startswith("*/", i):
            kind, end = "exec_close", i + 2
            exec_depth -= 1
        elif text.startswith("/*", i):
            m = _EXEC_OPEN.match(text, i) if rules.executable_comments else None
            if m:
                kind, end = "exec_open", m.end()
                exec_depth += 1
            else:
                kind = "comment"
                end = _block_comment_end(text, i, rules.nested_block_comments)
                if end < 0:
                    end = fail("/* comment", i)
        else:
            marker = next((m for m in rules.line_comments if text.startswith(m, i)), None)
            if marker == "--" and rules.dash_comment_needs_space and not (
                    i + 2 >= n or text[i + 2].isspace() or ord(text[i + 2]) < 32):
                marker = None
            if marker == "--" and last_code and last_code in rules.dash_comment_not_after:
                marker = None
            if marker:
                kind = "comment"
                end = next((k for k in range(i + len(marker), n) if text[k] in rules.line_ends), n)
        if kind is None:
            if not ch.isspace():
                last_code = ch
            i += 1
            continue
        if code_start < i:
            yield Segment("code", code_start, i)
        yield Segment(kind, i, end)
        if kind not in ("comment",):
            last_code = text[end - 1] if end > i else last_code
        i = code_start = end
    if exec_depth and strict:
        raise LexicalError("unterminated /*! executable comment")
    if code_start < n:
        yield Segment("code", code_start, n)


def ends_inside_quotes(text: str, dialect: str) -> bool:
    """Whether ``text`` ends inside an unterminated string, quoted name or comment of ``dialect`` (a word written
    next there continues that literal; it does not start a new lexeme)."""
    try:
        for _ in scan(text, dialect, strict=True):
            pass
    except LexicalError:
        return True
    return False


def _word_before(text: str, i: int) -> bool:
    return i > 0 and (text[i - 1].isalnum() or text[i - 1] in "_$")


def _quoted_end(text: str, i: int, quote: str, backslash: bool) -> int:
    """Index just after the literal that opens at ``text[i] == quote`` (a doubled quote escapes it), or -1."""
    j, n = i + 1, len(text)
    while j < n:
        c = text[j]
        if backslash and c == "\\":
            j += 2
            continue
        if c == quote:
            if j + 1 < n and text[j + 1] == quote:
                j += 2
                continue
            return j + 1
        j += 1
    return -1


def _block_comment_end(text: str, i: int, nested: bool) -> int:
    if not nested:
        j = text.find("*/", i + 2)
        return -1 if j < 0 else j + 2
    depth, j, n = 0, i, len(text)
    while j < n:
        if text.startswith("/*", j):
            depth, j = depth + 1, j + 2
        elif text.startswith("*/", j):
            depth, j = depth - 1, j + 2
            if depth == 0:
                return j
        else:
            j += 1
    return -1


def code_text(text: str, dialect: str, *, filler: str = " ") -> str:
    """``text`` with every string, quoted name and comment replaced by ``filler`` (offsets are not kept)."""
    return "".join(text[s.start:s.end] if s.kind == "code" else filler for s in scan(text, dialect))


def bracket_depth(text: str, dialect: str) -> int:
    """The deepest nesting of ``( [ {`` outside strings, quoted names and comments (unbalanced closers ignored)."""
    depth = deepest = 0
    for seg in scan(text, dialect):
        if seg.kind != "code":
            continue
        for c in text[seg.start:seg.end]:
            if c in "([{":
                depth += 1
                if depth > deepest:
                    deepest = depth
            elif c in ")]}" and depth:
                depth -= 1
    return deepest
