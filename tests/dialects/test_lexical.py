"""The shared lexical rule tables: one table of tricky inputs, checked against the scanner and every user of it.

Each case gives the text and the code the dialect's engine sees once strings, quoted names and comments are
blanked (``code_text`` with an empty filler). The users (the SQL pre-check, the Cypher statement helpers) are
then checked to agree with the scanner on the same table: a ``;`` in code splits statements, one elsewhere
does not.
"""

from __future__ import annotations

import pytest

from momq.dialects.lexical import LexicalError, bracket_depth, code_text, scan
from momq.engines.base import EngineError, UnsafeQueryError
from momq.engines.graph_values import cypher_words, single_statement
from momq.engines.sql_safety import check_read_query, split_statements

TRICKY = [
    # dialect, text, code left once strings/names/comments are removed
    ("postgresql", "SELECT 1 --note\r+ 1 AS v", "SELECT 1 \r+ 1 AS v"),  # a bare \r ends a -- comment
    ("postgresql", "SELECT 1 --note\n+ 1", "SELECT 1 \n+ 1"),
    ("postgresql", "SELECT 1 /* a /* b */ ; */ + 1", "SELECT 1  + 1"),
    ("postgresql", "SELECT E'\\';', 'a''b;'", "SELECT , "),
    ("postgresql", "SELECT $q$ ; $q$, $$;$$", "SELECT , "),
    ("postgresql", "SELECT \"a;b\" FROM t", "SELECT  FROM t"),
    ("postgresql", "SELECT '\\' ; SELECT 2", "SELECT  ; SELECT 2"),  # no backslash escape in a plain string
    ("mysql", "SELECT 1 -- note\r+ 1", "SELECT 1 "),  # MariaDB: only \n ends a comment
    ("mysql", "SELECT 2--1", "SELECT 2--1"),  # "--" needs a space after it
    ("mysql", "SELECT 1 # c ; x\n+ 1", "SELECT 1 \n+ 1"),
    ("mysql", "SELECT 'it\\'s;', \"a;b\", `odd;name`", "SELECT , , "),
    ("mysql", "SELECT 1 /*! + 1 */", "SELECT 1  + 1 "),  # executable comment: its body is code
    ("mysql", "SELECT 1 /* ; */", "SELECT 1 "),
    ("cypher", "RETURN 1 // x ; y\r; RETURN 2", "RETURN 1 \r; RETURN 2"),
    ("cypher", "RETURN 'a;b', \"c\\\";d\", `e``;f`", "RETURN , , "),
    ("cypher", "RETURN 1 /* ; */", "RETURN 1 "),
    ("ngql", "MATCH (a)--(b) RETURN a", "MATCH (a)--(b) RETURN a"),  # an edge pattern, not a comment
    ("ngql", "YIELD 1 -- note ; x\n", "YIELD 1 \n"),
    ("ngql", "YIELD 1 # note ; x\n", "YIELD 1 \n"),
]


@pytest.mark.parametrize("dialect,text,code", TRICKY)
def test_scanner_leaves_the_code_the_engine_sees(dialect, text, code):
    assert code_text(text, dialect, filler="") == code
    segments = list(scan(text, dialect))
    assert segments[0].start == 0 and segments[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(segments, segments[1:])), "segments must cover the text"


@pytest.mark.parametrize("dialect,text,code", [c for c in TRICKY if c[0] in ("mysql", "postgresql")])
def test_sql_pre_check_agrees_with_the_scanner(dialect, text, code):
    statements = [s for s in code.split(";") if s.strip()]
    if len(statements) > 1:
        with pytest.raises(UnsafeQueryError):
            check_read_query(text, dialect)
    else:
        assert len(split_statements(text, dialect)) == 1
        sent = check_read_query(text, dialect)
        # what is sent keeps every code character the scanner found
        assert code_text(sent, dialect, filler="").split() == code.split()


@pytest.mark.parametrize("text,code", [c[1:] for c in TRICKY if c[0] == "cypher"])
def test_cypher_helpers_agree_with_the_scanner(text, code):
    statements = [s for s in code.split(";") if s.strip()]
    if len(statements) > 1:
        with pytest.raises(UnsafeQueryError):
            single_statement(text)
    else:
        single_statement(text)
    assert [w for w in cypher_words(text) if w != "<quoted>"] == [w for w in cypher_words(code)]


@pytest.mark.parametrize("dialect,text", [
    ("postgresql", "SELECT 'x"), ("postgresql", "SELECT /* /* */"), ("postgresql", "SELECT $a$ x"),
    ("mysql", "SELECT `x"), ("mysql", "SELECT /*! 1"), ("cypher", "RETURN \"x"),
])
def test_strict_scan_reports_unterminated_text(dialect, text):
    with pytest.raises(LexicalError):
        list(scan(text, dialect, strict=True))
    list(scan(text, dialect))  # lenient: runs to the end


def test_bracket_depth_ignores_strings_and_comments():
    assert bracket_depth("RETURN ((1)) + [2] // ((((", "cypher") == 2
    assert bracket_depth("SELECT '((((' , (1)", "postgresql") == 1
    assert bracket_depth("", "ngql") == 0


def test_pre_check_refuses_what_a_bare_cr_exposes():
    with pytest.raises(EngineError):
        check_read_query("SELECT 1 --x\r; DROP TABLE t", "postgresql")


@pytest.mark.parametrize("dialect,text,code", TRICKY)
def test_prompt_statement_splitting_agrees_with_the_scanner(dialect, text, code):
    from momq.dialects import get_dialect

    parts = [p for p in get_dialect(dialect).split_statements(text) if p.strip()]
    assert len(parts) == len([s for s in code.split(";") if s.strip()])


@pytest.mark.parametrize("dialect,text,code", [c for c in TRICKY if c[0] in ("cypher", "ngql")])
def test_ordering_tokens_agree_with_the_scanner(dialect, text, code):
    from momq.evaluate.ordering import _tokenize

    words = [t.text for t in _tokenize(text, ngql=dialect == "ngql") if t.text != "'"]
    assert words == [t.text for t in _tokenize(code, ngql=dialect == "ngql")]
