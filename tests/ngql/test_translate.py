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
    ('MATCH p = (v)-->(w) RETURN *', "RETURN * with a path variable"),
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


# ORDER BY in MATCH: NebulaGraph sorts a WITH/RETURN on that clause's own column names only (constants ignored)
@pytest.mark.parametrize("text,order", [
    ('MATCH (v:player) WITH v.player.age AS a ORDER BY a RETURN a', "ORDER BY `a`"),
    ('MATCH (v:player) WITH v AS p, v.player.age AS a ORDER BY a DESC RETURN p.player.name', "ORDER BY `a` DESC"),
    ('MATCH (v:player) RETURN v.player.name AS n ORDER BY n DESC', "ORDER BY __c0 DESC"),
    ('MATCH (v:player) WITH v.player.name AS name RETURN name ORDER BY name', "ORDER BY __c0"),
    ('MATCH (v:player) RETURN v.player.name AS n, count(*) AS c ORDER BY c, n', "ORDER BY __c1, __c0"),
    ('MATCH (v:player) RETURN v.player.name AS n ORDER BY 1, n', "ORDER BY __c0 RETURN"),
    ('MATCH (v:player) RETURN v.player.name AS n ORDER BY 1', None),
])
def test_order_by_names_a_column_of_its_clause(text, order):
    t = tr(text)
    if order is None:
        assert "ORDER BY" not in t.cypher
    else:
        assert order in t.cypher


@pytest.mark.parametrize("text,fragment", [
    ('MATCH (v:player) RETURN v.player.name AS n ORDER BY v.player.age', "only column name"),
    ('MATCH (v:player) RETURN v.player.name ORDER BY v.player.name', "only column name"),
    ('MATCH (v:player) WITH v ORDER BY v.player.age DESC RETURN v', "only column name"),
    ('MATCH (v:player) RETURN v.player.age + 1 AS a ORDER BY -a', "only column name"),
    ('MATCH (v:player) WITH v.player.name AS n, v.player.age AS a RETURN n ORDER BY a', "column `a' not found"),
    ('MATCH (v:player) WITH v, v.player.age AS a ORDER BY age RETURN v', "column `age' not found"),
    ('MATCH (v:player) RETURN v.player.name, v.player.name ORDER BY 1', "duplicated columns"),
    ('MATCH (v:player) UNWIND [1, 2] AS v RETURN v', "already declared"),
    ('MATCH (v:player) WITH v AS a, v.player.age AS a RETURN a', "defined twice"),
])
def test_match_scope_errors(text, fragment):
    with pytest.raises(NGQLSemanticError) as info:
        tr(text)
    assert fragment in str(info.value)


# Vertices read back out of lists keep their tag: x.tag.prop is a property read, not a NULL map lookup
@pytest.mark.parametrize("text,fragment", [
    ('MATCH (v:player) WITH collect(v)[..3] AS top UNWIND top AS t RETURN t.player.name', "`t`.`name`"),
    ('MATCH (v:player) WITH collect(v)[0..3] AS top UNWIND top AS t RETURN t.player.name', "`t`.`name`"),
    ('MATCH (v:player) WITH collect(v)[2..] AS top UNWIND top AS t RETURN t.player.name', "`t`.`name`"),
    ('MATCH (v:player) WITH collect(v) AS l RETURN l[0].player.name', "`l`[0].`name`"),
    ('MATCH (v:player) WITH head(collect(v)) AS h RETURN h.player.age', "`h`.`age`"),
    ('MATCH (v) WITH collect(v) AS l UNWIND l AS t RETURN t.team.name', "IN labels(`t`) THEN `t`.`name`"),
    ('MATCH p=(v)-[:follow]->(w) RETURN [n IN nodes(p) | n.player.name]', "IN labels(`n`) THEN `n`.`name`"),
    ('MATCH p=(v)-[:follow]->(w) UNWIND nodes(p) AS n RETURN n.player.age', "IN labels(`n`) THEN `n`.`age`"),
    ('MATCH (v:player) WITH [v] AS l UNWIND l AS t RETURN t.player.name', "`t`.`name`"),
])
def test_vertex_from_a_list_reads_tag_properties(text, fragment):
    assert fragment in tr(text).cypher


@pytest.mark.parametrize("text,error,fragment", [
    ('MATCH (v:player) WITH collect(v) AS l UNWIND l AS t RETURN t.name', UnsupportedNGQL, "t.<tag>.<prop>"),
    ('MATCH (v:player) WITH collect(v) AS l RETURN l[0].age', UnsupportedNGQL, "l[0].<tag>.<prop>"),
    ('MATCH (v:player) WITH collect(v) AS l UNWIND l AS t RETURN t.player.height', NGQLSemanticError,
     "no property 'height'"),
    ('MATCH (v:player) WITH CASE WHEN true THEN v END AS x RETURN x.player.name', UnsupportedNGQL,
     "cannot tell whether x holds a vertex"),
    ('MATCH (v:player)-[e:follow]->() WITH collect(e) AS es UNWIND es AS f RETURN f._rank', NGQLSemanticError,
     "_rank is not a property"),
])
def test_list_element_refusals(text, error, fragment):
    with pytest.raises(error) as info:
        tr(text)
    assert fragment in str(info.value)


@pytest.mark.parametrize("text,name", [
    ('collect(v)[..3]', "collect(v)[..3]"), ('l[0..2]', "l[0..2]"), ('l[2..]', "l[2..]"),
])
def test_slice_column_names(text, name):
    (pipe,) = parse(f"YIELD {text}").statements
    assert column_name(pipe.stages[0].yield_.items[0].expr) == name
