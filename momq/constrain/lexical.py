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

import re
from collections.abc import Iterable

from momq.dialects.names import is_plain, quote_name

#: The %ignore line of every grammar: whitespace between lexemes.
IGNORE = '%ignore /[ \\t\\r\\n]+/\n'
#: Where the answer stops: the code fence the prompt opened is closed on a line of its own.
FENCE_RULE = '"\\n```"'


#: The literal terminals of the Cypher and nGQL grammars (integers, floats, quoted strings, length-capped).
GRAPH_LITERALS = r"""INT: /[0-9]{1,12}/
FLOAT: /[0-9]+\.[0-9]+([eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+/
STRING: /'([^'\\\n]|\\.){0,80}'/ | /"([^"\\\n]|\\.){0,80}"/
"""


def lark_string(text: str) -> str:
    """``text`` as a Lark string literal."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{out}"'



def name_or_backquoted(name: str) -> str:
    """A Lark alternative accepting a schema name in backquotes (Cypher and nGQL quote names with backticks, a
    backtick inside doubled) and, when it is a plain identifier, bare."""
    quoted = lark_string(quote_name(name, "cypher"))
    return f"{lark_string(name)} | {quoted}" if is_plain(name) else quoted


def symbol(name: str) -> str:
    """A lower-case grammar symbol for a schema name, unique per name: the name itself, lower-cased, when it is a
    plain identifier; ``q_`` and the hex of its UTF-8 bytes otherwise."""
    return name.lower() if is_plain(name) else "q_" + name.encode("utf-8").hex()


def ci_pattern(word: str) -> str:
    """A regex body matching ``word`` in any ASCII letter case; a space stands for any whitespace run.

    llguidance's ``"..."i`` and ``(?i:...)`` fold Unicode case too (``ſ`` matches ``s``, ``K`` matches ``k``),
    which no SQL or graph engine accepts in a keyword, so every case-insensitive word is spelled out.
    """
    out = []
    for ch in word:
        if ch.isascii() and ch.isalpha():
            out.append(f"[{ch.upper()}{ch.lower()}]")
        elif ch == " ":
            out.append("[ \\t\\r\\n]+")
        elif ch.isascii() and (ch.isalnum() or ch == "_"):
            out.append(ch)
        else:
            out.append("\\" + ch if ch in "\\/.^$*+?()[]{}|-" else ch)
    return "".join(out)


def keyword(word: str) -> str:
    """A case-insensitive (ASCII) keyword lexeme."""
    return f"/{ci_pattern(word)}/"


def words(names: Iterable[str], case_insensitive: bool = False) -> str:
    """An alternation of literal names (sorted, longest first), in any ASCII case if ``case_insensitive``."""
    uniq = sorted(set(names), key=lambda s: (-len(s), s))
    if not uniq:
        raise ValueError("an empty alternation would match nothing")
    if case_insensitive:
        return " | ".join(keyword(n) for n in uniq)
    return " | ".join(lark_string(n) for n in uniq)


def lead_keyword(word: str) -> str:
    """The first keyword(s) of a query (a space: any whitespace) as one lexeme with trailing whitespace."""
    return f"/{ci_pattern(word)}[ \\t\\r\\n]+/"


def not_words_regex(words_: Iterable[str]) -> str:
    """A regex alternation of ``words_`` (any ASCII case) to subtract from an identifier lexeme."""
    return "/(" + "|".join(ci_pattern(w) for w in sorted(set(words_))) + ")/"


# a string literal (group 1 its body, group 2 the flag) or a regex literal, read left to right so that one
# literal's closing quote is never taken for the next one's opening
_LITERALS = re.compile(r'"((?:[^"\\\n]|\\.)*)"(i?)|/(?:[^/\\\n]|\\.)+/')


def ascii_case(grammar: str) -> str:
    """``grammar`` with every ``"word"i`` literal rewritten as an ASCII-only case-insensitive regex."""

    def one(m: re.Match) -> str:
        if m.group(2):
            return keyword(m.group(1).replace('\\"', '"').replace("\\\\", "\\"))
        return m.group(0)

    return _LITERALS.sub(one, grammar)


__all__ = ["FENCE_RULE", "IGNORE", "ascii_case", "ci_pattern", "keyword", "lark_string", "lead_keyword", "not_words_regex",
           "words"]
