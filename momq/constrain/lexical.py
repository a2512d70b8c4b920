"""Lexical pieces shared by the dialect grammars: literal alternations, quoted names, word boundaries.

The grammars are llguidance Lark text. Whitespace between lexemes is ignored, which alone would let two words
run together ("SELECTname" lexed as SELECT + name). :data:`IGNORE` therefore also ignores a *glue* lexeme, a
run of word characters closed by a control byte that :mod:`momq.constrain.processor` never lets a model emit:
llguidance's lexer munches the longest lexeme, so a word typed straight after another word can only continue
as glue, which never completes. The first word of a query is a lexeme of its own with mandatory whitespace
(:func:`lead_keyword`), because ignored lexemes only start after the first lexeme.

This module knows no dialect's keywords or functions and no schema.
"""

from __future__ import annotations

from collections.abc import Iterable

#: The control byte that closes a glue lexeme; never allowed as model output.
GLUE_BYTE = "\x01"
#: The %ignore line of every grammar: whitespace, and glued words (see the module docstring).
IGNORE = 'GLUE: /[A-Za-z0-9_$]+\\x01/\n%ignore /[ \\t\\r\\n]+/ | GLUE\n'
#: Where the answer stops: the code fence the prompt opened is closed on a line of its own.
FENCE_RULE = '"\\n```"'


def lark_string(text: str) -> str:
    """``text`` as a Lark string literal."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{out}"'


def keyword(word: str) -> str:
    """A case-insensitive keyword literal."""
    return lark_string(word) + "i"


def words(names: Iterable[str], case_insensitive: bool = False) -> str:
    """An alternation of literal names (sorted, longest first); ``case_insensitive`` adds the ``i`` flag."""
    uniq = sorted(set(names), key=lambda s: (-len(s), s))
    if not uniq:
        raise ValueError("an empty alternation would match nothing")
    flag = "i" if case_insensitive else ""
    return " | ".join(lark_string(n) + flag for n in uniq)


def lead_keyword(word: str) -> str:
    """The first keyword of a query as one lexeme with mandatory trailing whitespace."""
    return f"/(?i:{word})[ \\t\\r\\n]+/"


def not_words_regex(words_: Iterable[str]) -> str:
    """A regex alternation of ``words_`` (case-insensitive) to subtract from an identifier lexeme."""
    return "/(?i:" + "|".join(sorted(set(words_))) + ")/"


__all__ = ["FENCE_RULE", "GLUE_BYTE", "IGNORE", "keyword", "lark_string", "lead_keyword", "not_words_regex",
           "words"]
