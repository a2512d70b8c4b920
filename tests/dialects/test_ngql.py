"""nGQL prompts: instruction, tags with VIDs and edge types, ```ngql fence, extraction of composite queries."""

from __future__ import annotations

import pytest

from momq.dialects.prompt import build_prompt, extract_query
from tests.dialects.test_prompt import QUESTION, library_graph


def test_prompt_names_nebulagraph_with_tags_edges_and_vids():
    prompt = build_prompt(QUESTION, library_graph(), "ngql")
    assert "nGQL for NebulaGraph 3" in prompt.splitlines()[0]
    assert "Tags:" in prompt and "Edge types:" in prompt
    assert 'Tag Member\n  (VID: string, e.g. "member_1")\n  id: int64, key' in prompt
    assert "  pages: int64, always set, e.g. 387, 204, 183" in prompt
    assert "Edge BORROWED: (Member)-[:BORROWED]->(Book)" in prompt
    assert "v.Tag.property" in prompt
    assert prompt.endswith("### nGQL (NebulaGraph) query\n```ngql\n")


@pytest.mark.parametrize("text,expected", [
    ('GO FROM "book_1" OVER WRITTEN_BY YIELD dst(edge) AS a\n```', 'GO FROM "book_1" OVER WRITTEN_BY YIELD dst(edge) AS a'),
    # a pipe is one statement
    ('GO FROM "m_1" OVER BORROWED YIELD dst(edge) AS b | FETCH PROP ON Book $-.b YIELD Book.title;',
     'GO FROM "m_1" OVER BORROWED YIELD dst(edge) AS b | FETCH PROP ON Book $-.b YIELD Book.title'),
    # variable assignments stay with the statement that uses them
    ('$a = GO FROM "m_1" OVER BORROWED YIELD dst(edge) AS id; GO FROM $a.id OVER WRITTEN_BY YIELD dst(edge);'
     ' SHOW SPACES', '$a = GO FROM "m_1" OVER BORROWED YIELD dst(edge) AS id; GO FROM $a.id OVER WRITTEN_BY '
     'YIELD dst(edge)'),
    ("MATCH (v:Book) RETURN v.Book.title # titles; all\n; SHOW HOSTS", "MATCH (v:Book) RETURN v.Book.title # titles; all"),
    ("```ngql\nMATCH (a)--(b) RETURN count(*)\n```", "MATCH (a)--(b) RETURN count(*)"),
    ("USE library; MATCH (v:Book) RETURN count(v); SHOW SPACES", "USE library; MATCH (v:Book) RETURN count(v)"),
])
def test_extract_ngql(text, expected):
    assert extract_query(text, "ngql") == expected
