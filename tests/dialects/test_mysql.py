"""MySQL prompts: instruction, MySQL column types, ```sql fence, and answer extraction with MySQL quoting."""

from __future__ import annotations

import pytest

from momq.dialects import get_dialect
from momq.dialects.prompt import build_prompt, extract_query
from tests.dialects.test_prompt import QUESTION, library_relational


def test_prompt_names_mysql_and_uses_mysql_types():
    prompt = build_prompt(QUESTION, library_relational(), "mysql")
    assert "MySQL 8" in prompt.splitlines()[0]
    assert "pages BIGINT, not null, e.g. 387, 204, 183" in prompt
    assert "title VARCHAR(255)" in prompt and "joined DATE" in prompt
    assert "id BIGINT, primary key" in prompt
    assert prompt.endswith("### MySQL query\n```sql\n")


@pytest.mark.parametrize("text,expected", [
    ("SELECT `a;b` FROM t; SELECT 2", "SELECT `a;b` FROM t"),
    ("SELECT 'it''s; fine' FROM t;\n```", "SELECT 'it''s; fine' FROM t"),
    ("SELECT \"x\\\";y\" FROM t;", "SELECT \"x\\\";y\" FROM t"),
    ("SELECT 1 # note; not a split\n FROM t; DROP TABLE t", "SELECT 1 # note; not a split\n FROM t"),
    ("  SELECT name FROM author  \n```\n", "SELECT name FROM author"),
])
def test_extract_mysql(text, expected):
    assert extract_query(text, "mysql") == expected
    assert get_dialect("mysql").fence == "sql"
