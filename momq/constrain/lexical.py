"""Lexical pieces shared by the dialect grammars: literal alternations, quoted names, word boundaries.

The grammars are llguidance Lark text. Whitespace between lexemes is ignored, so a grammar alone would let
two words run together ("SELECTname" lexed as SELECT + name); llguidance's regexes have no look-ahead to say
"a word ends here". :mod:`momq.constrain.processor` enforces that boundary at decoding time (a word token may
not directly follow a word if the grammar would also take it after a space); whole-text checks
(:func:`momq.constrain.compiled.accepts`) do not. The first word of a query is a lexeme with mandatory
whitespace (:func:`lead_keyword`), which keeps the most common glue ("SELECTname") out of the grammar itself.

This module knows no dialect's keywords or functions and no schema.
"""

from __future__ import annotations

from collections.abc import Iterable

#: The %ignore line of every grammar: whitespace between lexemes.
IGNORE = '%ignore /[ \\t\\r\\n]+/\n'
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


__all__ = ["FENCE_RULE", "IGNORE", "keyword", "lark_string", "lead_keyword", "not_words_regex",
           "words"]
