"""nGQL -> openCypher translation without an engine: names, parameters, refusals. Execution is checked against
real FalkorDB in tests/engines/test_ngql_emulation.py."""

from __future__ import annotations

import pytest

from momq.ngql.parser import parse
from momq.ngql.translate import NGQLSemanticError, UnsupportedNGQL, column_name, translate
from tests.ngql.sample_graph import basketball

SCHEMA = basketball().without_data()


def tr(text: str):
    return translate(parse(text), SCHEMA, space="basketball")


def test_string_literals_travel_as_parameters():
    t = tr('GO FROM "x\' }) DETACH DELETE n //" OVER follow WHERE $$.player.name == "a\\"b" YIELD dst(edge)')
    assert "DETACH" not in t.cypher and "a\"b" not in t.cypher
    assert ["x' }) DETACH DELETE n //"] in t.params.values() and 'a"b' in t.params.values()


def test_vid_and_rank_mapping():
    t = tr('GO FROM "p" OVER follow YIELD id($$), rank(edge), src(edge), dst(edge), properties($^)')
    assert "._vid" in t.cypher and "._rank" in t.cypher and "startNode(" in t.cypher and "endNode(" in t.cypher
    assert t.columns == ("id($$)", "rank(EDGE)", "src(EDGE)", "dst(EDGE)", "properties($^)")
    assert t.cypher.startswith("MATCH") and t.cypher.rsplit(" RETURN ", 1)[1].count(",") == 4


def test_match_tag_property_becomes_plain_property_under_its_label():
    t = tr('MATCH (v:player) WHERE v.player.age > 30 RETURN v.player.name AS n')
    assert "`v`.`age`" in t.cypher and "`v`.`name`" in t.cypher and t.columns == ("n",)


def test_multi_step_go_is_one_match_per_step():
    t = tr('GO 3 STEPS FROM "p" OVER follow YIELD dst(edge)')
    assert t.cypher.count("MATCH (") == 4  # the start vertices, then one MATCH per step
    assert t.cypher.count("WITH DISTINCT") == 3  # start set and two frontiers de-duplicated


@pytest.mark.parametrize("text,fragment", [
    ('GET SUBGRAPH FROM "a" YIELD VERTICES AS nodes', "GET SUBGRAPH"),
    ('GO FROM "a" OVER follow YIELD dst(edge) SAMPLE [1]', "SAMPLE"),
    ('MATCH (v) WHERE v.player.name =~ "a" RETURN v', "=~"),
    ('YIELD "a" IS EMPTY', "EMPTY"),
    ('MATCH (v) RETURN *', "RETURN *"),
    ('MATCH (v) RETURN v.name', "v.<tag>.<prop>"),
    ('YIELD hash("a")', "hash"),
    ('FIND SHORTEST PATH FROM "a" TO "b" OVER * BIDIRECT YIELD path AS p', "undirected"),
    ('FIND ALL PATH FROM "a" TO "b" OVER * WHERE follow.degree > 1 YIELD path AS p', "WHERE"),
])
def test_untranslatable_is_refused_not_guessed(text, fragment):
    with pytest.raises(UnsupportedNGQL, match=None) as info:
        tr(text)
    assert fragment in str(info.value)


@pytest.mark.parametrize("text,fragment", [
    ('GO FROM "a" OVER likes YIELD dst(edge)', "no edge type 'likes'"),
    ('GO FROM "a" OVER follow YIELD $$.coach.name', "no tag 'coach'"),
    ('GO FROM "a" OVER follow YIELD follow.weight', "no property 'weight'"),
    ('GO FROM "a" OVER follow YIELD $-.id', "cannot read $- or $var"),
    ('GO FROM "a" OVER follow YIELD dst(edge) AS id | YIELD $-.nope', "no column 'nope'"),
    ('GO FROM $x.id OVER follow YIELD dst(edge)', "$x is not defined"),
    ('$a = YIELD 1 AS x', "ends with an assignment"),
    ('USE other; YIELD 1', "USE other"),
    ('LIMIT 3', "pipe input"),
    ('MATCH (v) RETURN w', "'w' is not defined"),
    ('YIELD $^.player.name', "only valid in GO"),
])
def test_semantic_errors(text, fragment):
    with pytest.raises(NGQLSemanticError) as info:
        tr(text)
    assert fragment in str(info.value)


@pytest.mark.parametrize("text,name", [
    ('$$.player.name', "$$.player.name"), ('dst(edge)', "dst(EDGE)"), ('$-.id', "$-.id"),
    ('count(*)', "count(*)"), ('follow.degree', "follow.degree"), ('"x"', '"x"'),
])
def test_default_column_names(text, name):
    (pipe,) = parse(f"YIELD {text}").statements
    assert column_name(pipe.stages[0].yield_.items[0].expr) == name
