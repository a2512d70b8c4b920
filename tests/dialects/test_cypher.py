"""Cypher prompts: instruction, node labels and directed relationship types, ```cypher fence, extraction."""

from __future__ import annotations

import pytest

from momq.dialects.prompt import build_prompt, extract_query
from tests.dialects.test_prompt import QUESTION, library_graph


def test_prompt_names_neo4j_and_draws_directions():
    prompt = build_prompt(QUESTION, library_graph(), "cypher")
    assert "Cypher for Neo4j" in prompt.splitlines()[0]
    assert "Node labels:" in prompt and "Relationship types:" in prompt
    assert "(:Author)" in prompt and "  name: STRING, always set, e.g. \"Ursula Le Guin\", \"Stanislaw Lem\"" in prompt
    assert "  id: INTEGER, key\n" in prompt
    assert "(:Book)-[:WRITTEN_BY]->(:Author) -- book is written by author" in prompt
    assert prompt.endswith("### Cypher (Neo4j) query\n```cypher\n")


@pytest.mark.parametrize("text,expected", [
    ("MATCH (b:Book) RETURN b.title\n```", "MATCH (b:Book) RETURN b.title"),
    ("```cypher\nMATCH (a)--(b) RETURN count(*);\n```", "MATCH (a)--(b) RETURN count(*)"),  # '--' is a pattern
    ("MATCH (b:Book) // books; all\nRETURN b;\nMATCH (x) RETURN x", "MATCH (b:Book) // books; all\nRETURN b"),
    ("MATCH (b:Book {title: 'A;B'}) RETURN b", "MATCH (b:Book {title: 'A;B'}) RETURN b"),
])
def test_extract_cypher(text, expected):
    assert extract_query(text, "cypher") == expected
