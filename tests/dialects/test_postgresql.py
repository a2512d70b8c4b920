"""PostgreSQL prompts: instruction, PostgreSQL column types, ```sql fence, and answer extraction."""

from __future__ import annotations

import pytest

from momq.dialects.prompt import build_prompt, extract_query
from tests.dialects.test_prompt import QUESTION, library_relational


def test_prompt_names_postgresql_and_uses_its_types():
    prompt = build_prompt(QUESTION, library_relational(), "postgresql")
    assert "PostgreSQL 15" in prompt.splitlines()[0]
    assert "title TEXT, not null" in prompt and "VARCHAR" not in prompt
    assert "loan_date DATE, not null, e.g. '2022-06-01'" in prompt
    assert prompt.endswith("### PostgreSQL query\n```sql\n")


@pytest.mark.parametrize("text,expected", [
    ('SELECT "a;b" FROM t; SELECT 2', 'SELECT "a;b" FROM t'),
    ("SELECT 5 # 3;\n```", "SELECT 5 # 3"),  # '#' is an operator in PostgreSQL, not a comment
    ("SELECT 1 -- why; because\nFROM t;", "SELECT 1 -- why; because\nFROM t"),
    ("SELECT 1 /* a; b */ FROM t; SELECT 2", "SELECT 1 /* a; b */ FROM t"),
])
def test_extract_postgresql(text, expected):
    assert extract_query(text, "postgresql") == expected
