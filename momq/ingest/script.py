"""Statements of a script with the line each starts on, and the error that names them.

A statement ends at a ``;`` outside strings, quoted names and comments, as the dialect's rule table in
:mod:`momq.dialects.lexical` finds them; the text after the last ``;`` is a statement too unless it holds only
whitespace and comments. This module does not parse statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from momq.dialects.lexical import LexicalError, scan

#: the most characters of a statement quoted in an error message
EXCERPT_CHARS = 80


class ScriptError(ValueError):
    """A script that cannot be loaded as written: the message names the file, the line and the statement."""


@dataclass(frozen=True)
class Statement:
    text: str  # without the closing ';', stripped
    line: int  # 1-based line of its first character
    index: int  # 1-based position among the script's statements

    def excerpt(self) -> str:
        flat = " ".join(self.text.split())
        return flat if len(flat) <= EXCERPT_CHARS else flat[:EXCERPT_CHARS - 3] + "..."

    def error(self, path: Path | str, why: str) -> ScriptError:
        return ScriptError(f"{path}:{self.line}: statement {self.index} ({self.excerpt()!r}): {why}")


def code_mask(text: str, dialect: str) -> str:
    """``text`` with every character inside a string, quoted name or comment replaced by a space (newlines
    kept), so that offsets into the mask are offsets into ``text``."""
    out = []
    for seg in scan(text, dialect):
        part = text[seg.start:seg.end]
        out.append(part if seg.kind == "code" else "".join(c if c == "\n" else " " for c in part))
    return "".join(out)


def split_script(text: str, dialect: str, path: Path | str = "<script>") -> list[Statement]:
    """The statements of ``text``; ScriptError for an unterminated string, quoted name or comment."""
    try:
        segments = list(scan(text, dialect, strict=True))
    except LexicalError as exc:
        raise ScriptError(f"{path}: {exc}") from exc
    cuts = [i for seg in segments if seg.kind == "code" for i in range(seg.start, seg.end) if text[i] == ";"]
    mask = code_mask(text, dialect)
    out: list[Statement] = []
    start = 0
    for end in [*cuts, len(text)]:
        code = mask[start:end]
        if code.strip():  # leading comments belong to no statement; a part of only comments is none
            first = start + len(code) - len(code.lstrip())
            out.append(Statement(text[first:end].rstrip(), text.count("\n", 0, first) + 1, len(out) + 1))
        start = end + 1
    return out


def read_script(path: Path | str) -> str:
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScriptError(f"{path}: not UTF-8 text (byte {exc.start})") from exc


__all__ = ["ScriptError", "Statement", "code_mask", "read_script", "split_script"]
