"""The nGQL parser: a table of valid statements it must accept, invalid ones it must reject with line/column."""

from __future__ import annotations

import pytest

from momq.ngql import ast as A
from momq.ngql.parser import NGQLSyntaxError, check, parse
from momq.ngql.safety import first_mutation, is_read_only, mutating_words, statement_leading_mutation

VALID = [
    # GO
    'GO FROM "player100" OVER follow',
    'GO FROM "player100" OVER follow YIELD dst(edge) AS id',
    'go from "player100" over follow yield dst(edge)',
    'GO 2 STEPS FROM "player100" OVER follow YIELD dst(edge)',
    'GO 1 TO 3 STEPS FROM "player100", "player101" OVER follow REVERSELY YIELD src(edge) AS s',
    'GO FROM "player100" OVER follow, serve BIDIRECT YIELD type(edge), rank(edge), properties(edge)',
    'GO FROM "player100" OVER * YIELD $^.player.name, $$.player.age, id($$), properties($$) AS p',
    'GO FROM "p" OVER follow WHERE follow.degree > 90 AND $$.player.age >= 30 YIELD DISTINCT $$.player.name AS n',
    'GO FROM "p" OVER follow YIELD dst(edge) AS id | GO FROM $-.id OVER serve YIELD $$.team.name AS t, $-.id',
    'GO FROM "p" OVER follow YIELD dst(edge) SAMPLE [2]',
    'GO 2 STEPS FROM "p" OVER follow YIELD dst(edge) LIMIT [1, 2]',
    'GO FROM hash("p") OVER follow YIELD edge AS e',
    '$a = GO FROM "p" OVER follow YIELD dst(edge) AS id; GO FROM $a.id OVER serve YIELD $a.id, $$.team.name',
    # FETCH / LOOKUP
    'FETCH PROP ON player "player100" YIELD properties(vertex)',
    'FETCH PROP ON player, team "player100", "team204" YIELD player.name, team.name, id(vertex)',
    'FETCH PROP ON * "player100" YIELD vertex AS v',
    'FETCH PROP ON follow "player100"->"player101" YIELD properties(edge)',
    'FETCH PROP ON follow "a"->"b"@1, "c"->"d"@0 YIELD follow.degree, src(edge), dst(edge), rank(edge)',
    'GO FROM "a" OVER follow YIELD src(edge) AS s, dst(edge) AS d | FETCH PROP ON follow $-.s->$-.d YIELD edge',
    'LOOKUP ON player YIELD id(vertex)',
    'LOOKUP ON player WHERE player.name == "Tim" YIELD properties(vertex).age AS age',
    'LOOKUP ON follow WHERE follow.degree > 90 YIELD src(edge), dst(edge), rank(edge), edge AS e',
    # MATCH
    'MATCH (v:player{name:"Tim Duncan"}) RETURN v',
    'MATCH (v:player)-[e:follow]->(v2) WHERE v.player.age > 30 RETURN v2.player.name AS n, e.degree',
    'MATCH (v)-[e:follow|serve*1..3]->(v2) WHERE id(v) == "player100" RETURN DISTINCT v2 ORDER BY id(v2) LIMIT 5',
    'MATCH (v)<-[:follow]-(w) WHERE id(v) IN ["a", "b"] RETURN count(*) AS c',
    'MATCH p=(a)-->(b)--(c)<--(d) RETURN p, length(p), nodes(p), relationships(p)',
    'MATCH (v:player) WITH v, v.player.age AS age WHERE age > 30 RETURN avg(age), min(age), max(age), sum(age)',
    'MATCH (v:player) OPTIONAL MATCH (v)-[:serve]->(t:team) RETURN v.player.name, collect(t.team.name) AS teams',
    'UNWIND [1, 2, 3] AS x MATCH (v:player) WHERE v.player.age > x RETURN x, count(v) ORDER BY x DESC SKIP 1',
    'MATCH (v:player) RETURN CASE WHEN v.player.age > 40 THEN "old" ELSE "young" END AS band, count(*)',
    'MATCH (v:player) WHERE v.player.name STARTS WITH "T" OR v.player.name ENDS WITH "s" '
    'OR v.player.name CONTAINS "an" RETURN v',
    'MATCH (v:player) WHERE v.player.age IS NOT NULL AND NOT v.player.age IS NULL XOR false RETURN v',
    # paths and subgraphs
    'FIND SHORTEST PATH FROM "player102" TO "team204" OVER * YIELD path AS p',
    'FIND SINGLE SHORTEST PATH FROM "a" TO "b" OVER follow UPTO 2 STEP YIELD path AS p',
    'FIND ALL PATH FROM "a" TO "b", "c" OVER follow REVERSELY UPTO 3 STEPS YIELD path AS p',
    'FIND NOLOOP PATH WITH PROP FROM "a" TO "b" OVER follow BIDIRECT WHERE follow.degree > 1 YIELD path AS p',
    'GET SUBGRAPH 2 STEPS FROM "player101" YIELD VERTICES AS nodes, EDGES AS relationships',
    'GET SUBGRAPH WITH PROP FROM "a" IN follow OUT serve BOTH like YIELD VERTICES AS nodes',
    # composition
    'YIELD 1 + 2 * 3 - -4 / 2 % 3 AS x',
    'YIELD [1, 2, 3][0], {a: 1, b: "x"}.b, [x IN [1, 2] WHERE x > 1 | x * 2], 1 <> 2, 1 != 2, "a" < \'b\'',
    'GO FROM "a" OVER follow YIELD dst(edge) AS id, follow.degree AS d | GROUP BY $-.id YIELD $-.id, count(*) AS n',
    'GO FROM "a" OVER follow YIELD dst(edge) AS id | ORDER BY $-.id DESC | LIMIT 1, 2',
    'GO FROM "a" OVER follow YIELD dst(edge) AS id | YIELD $-.id AS x WHERE $-.id != "b"',
    'USE basketball; GO FROM "a" OVER follow YIELD dst(edge)',
    'SHOW TAGS',
    'DESCRIBE TAG player',
    # set operations (equal precedence, left to right; a pipe binds tighter), bracketed queries as a stage
    'GO FROM "a" OVER follow UNION GO FROM "b" OVER follow',
    'GO FROM "a" OVER follow YIELD dst(edge) AS x UNION DISTINCT GO FROM "b" OVER follow YIELD dst(edge) AS x',
    'GO FROM "a" OVER follow UNION ALL GO FROM "b" OVER follow INTERSECT GO FROM "c" OVER follow',
    'GO FROM "a" OVER follow MINUS GO FROM "b" OVER follow',
    '(GO FROM "a" OVER follow YIELD dst(edge) AS d UNION GO FROM "t" OVER serve REVERSELY YIELD src(edge) AS d) '
    '| GO FROM $-.d OVER follow YIELD dst(edge)',
    'MATCH (v:player) RETURN v.player.name AS n UNION MATCH (t:team) RETURN t.team.name AS n',
    '$a = GO FROM "a" OVER follow YIELD dst(edge) AS d UNION GO FROM "b" OVER follow YIELD dst(edge) AS d; '
    'GO FROM $a.d OVER serve YIELD dst(edge)',
    # UNWIND as a pipe stage, and UNWIND / WITH opening an openCypher statement
    'YIELD [1, 2, 3] AS a | UNWIND $-.a AS b | YIELD $-.b + 1 AS c',
    'UNWIND [1, 2, 3] AS n RETURN n',
    'WITH [1, 1, 2, 2] AS n UNWIND n AS r WITH DISTINCT r AS r ORDER BY r RETURN collect(r)',
    # shortestPath() / allShortestPaths() inside MATCH
    'MATCH p = shortestPath((a:player)-[e:follow*..5]-(b:player)) WHERE id(a) == "x" RETURN p',
    'MATCH p = allShortestPaths((a)-[:follow*1..3]->(b)) WHERE id(a) == "x" AND id(b) == "y" RETURN p',
    'MATCH shortestPath((a)-[*]->(b)) RETURN a',
    # patterns inside expressions (arrows written without spaces), next to the arithmetic they must not swallow
    'MATCH (v:player)-[e]->(t) WHERE (v)-[e]->(t:team) AND NOT (t)<-[:serve]-(:player{name: "x"}) RETURN (v)-->()',
    'MATCH (v) RETURN size((v)-[:follow*1..2]-()) AS n, (1) - (2) AS d, 3 <-1 AS b',
    'MATCH (a) - [e:follow] -> (b)<- -(c)<- [x] -(d)- -(e) RETURN a',
    # RETURN on its own is a statement (RETURN page), so it also parses after a pipe; the emulation refuses that
    'RETURN 1 + 1, "Amber" AS Name',
    'GO FROM "a" OVER follow YIELD dst(edge) AS d | RETURN $-.d',
    # comments
    '# a comment\nGO FROM "a" OVER follow // another\nYIELD dst(edge) -- and another\n/* block\n comment */',
    # expressions
    'YIELD NULL IS NULL, 1 IN [1], 2 NOT IN [1], "x" IS NOT EMPTY, CASE 1 WHEN 1 THEN "a" END, 1.5e3, 0x1F',
    # mutations and DDL must parse (so that they can be named and refused)
    'INSERT VERTEX player(name, age) VALUES "p1":("Tim", 42), "p2":("Tony", 36)',
    'INSERT VERTEX IF NOT EXISTS t1(), t2(a) VALUES "v":(1)',
    'INSERT EDGE follow(degree) VALUES "a"->"b"@1:(95), "b"->"c":(90)',
    'UPDATE VERTEX ON player "p1" SET age = age + 1 WHEN name == "Tim" YIELD name, age',
    'UPSERT EDGE ON follow "a"->"b"@0 SET degree = 1',
    'DELETE VERTEX "a", "b" WITH EDGE',
    'DELETE EDGE follow "a"->"b"@0, "c"->"d"',
    'DELETE TAG player, team FROM "a"',
    'CREATE SPACE IF NOT EXISTS s(partition_num=1, replica_factor=1, vid_type=FIXED_STRING(64))',
    'CREATE TAG IF NOT EXISTS player(name string NOT NULL DEFAULT "", age int64 NULL COMMENT "years")',
    'CREATE EDGE follow(degree int) TTL_DURATION = 100, TTL_COL = "degree"',
    'CREATE TAG INDEX IF NOT EXISTS player_idx ON player(name(20), age)',
    'DROP SPACE IF EXISTS s',
    'DROP TAG INDEX player_idx',
    'ALTER TAG player ADD (height double)',
    'REBUILD TAG INDEX player_idx',
    'SUBMIT JOB COMPACT',
    'CLEAR SPACE basketball',
    'MATCH (v:player) SET v.player.age = 1',
    'MATCH (v) DETACH DELETE v',
    'MATCH (v) CREATE (v)-[:x]->(:y) RETURN v',
]

INVALID = [
    ('GO FROM "a" OVER', "end of input"),
    ('GO FROM "a" follow', "OVER"),
    ('GO FROM "a" OVER follow YIELD', "end of input"),
    ('GO 2 STEPS "a" OVER follow', "FROM"),
    ('GO 3 TO 1 STEPS FROM "a" OVER follow', "lower bound"),
    ('FETCH PROP player "a" YIELD vertex', "ON"),
    ('FETCH PROP ON player "a" YIELD properties(vertex', "')'"),
    ('FETCH PROP ON follow, serve "a"->"b" YIELD edge', "exactly one edge type"),
    ('LOOKUP player WHERE player.age > 1', "ON"),
    ('MATCH (v:player RETURN v', "')'"),
    ('MATCH (v) RETURN', "end of input"),
    ('MATCH (v)-[e:follow]>(w) RETURN v', "unexpected"),
    ('FIND PATH FROM "a" TO "b" OVER *', "unexpected"),
    ('YIELD 1 +* 2', "unexpected '*'"),
    ('YIELD "unterminated', "unexpected"),
    ('YIELD 1 ? 2', "unexpected"),
    ('GO FROM "a" OVER follow | | YIELD 1', "unexpected '|'"),
    ('YIELD 1 AS', "end of input"),
    ('ORDER $-.x', "BY"),
    ('GO FROM "a" OVER follow YIELD dst(edge) AS id\n | LIMIT x', "line 2"),
    ('', "empty"),
    ('   ;  ; ', "empty"),
    ('SELECT * FROM player', "unexpected"),
    ('MATCH p = longestPath((a)-->(b)) RETURN p', "only shortestPath() and allShortestPaths()"),
    ('MATCH p = shortestPath((a)-->(b)-->(c)) RETURN p', "exactly one relationship"),
    ('GO FROM "a" OVER follow UNION', "end of input"),
    ('GO FROM "a" OVER follow UNION MINUS GO FROM "b" OVER follow', "unexpected 'MINUS'"),
]


@pytest.mark.parametrize("text", VALID)
def test_valid_statements_parse(text):
    script = parse(text)
    assert isinstance(script, A.Script) and script.statements
    assert check(text) == []


@pytest.mark.parametrize("text,hint", INVALID)
def test_invalid_statements_are_rejected_with_position(text, hint):
    with pytest.raises(NGQLSyntaxError) as info:
        parse(text)
    err = info.value
    assert err.line >= 1 and err.column >= 1
    message = str(err)
    assert message.startswith(f"line {err.line}, column {err.column}:")
    assert hint.lower() in message.lower(), message
    diags = check(text)
    assert len(diags) == 1 and (diags[0].line, diags[0].column) == (err.line, err.column)


def test_error_names_offending_token_and_expected():
    with pytest.raises(NGQLSyntaxError) as info:
        parse('GO FROM "a"\nOVER follow\nYIELD dst(edge) AS id BANANA')
    err = info.value
    assert (err.line, err.column, err.token) == (3, 23, "BANANA")
    assert err.expected  # the grammar's alternatives are listed
    assert "SAMPLE" in err.expected or "LIMIT" in err.expected


def test_ast_of_a_go_pipeline():
    script = parse('GO 1 TO 2 STEPS FROM "a" OVER follow REVERSELY WHERE follow.degree > 1 '
                   'YIELD DISTINCT $$.player.name AS n | LIMIT 3')
    (pipe,) = script.statements
    go, limit = pipe.stages
    assert (go.min_steps, go.max_steps, go.over) == (1, 2, A.Over(("follow",), "in"))
    assert go.sources == (A.Lit("a"),)
    assert go.where == A.BinOp(">", A.Prop(A.Name("follow"), "degree"), A.Lit(1))
    assert go.yield_.distinct and go.yield_.items == (A.YieldItem(A.VertexProp("dst", "player", "name"), "n"),)
    assert limit == A.Limit(0, 3)


def test_ast_of_match_var_length_and_keywords_as_names():
    script = parse('MATCH p = (v:player)-[e:follow*2..]->(w) RETURN w.player.end AS path, e.type')
    match = script.statements[0].stages[0]
    clause = match.clauses[0]
    rel = clause.patterns[0].rels[0]
    assert clause.patterns[0].path_var == "p"
    assert (rel.var, rel.types, rel.min_hops, rel.max_hops, rel.var_length) == ("e", ("follow",), 2, None, True)
    ret = match.clauses[-1]
    assert ret.items[0] == A.YieldItem(A.Prop(A.Prop(A.Name("w"), "player"), "end"), "path")


def test_string_escapes_and_numbers():
    (pipe,) = parse(r'''YIELD "a\"b\\c\n", 'it\'s', -3, 2.5''').statements
    items = pipe.stages[0].yield_.items
    assert items[0].expr == A.Lit('a"b\\c\n')
    assert items[1].expr == A.Lit("it's")
    assert items[2].expr == A.Lit(-3) and items[3].expr == A.Lit(2.5)


@pytest.mark.parametrize("text,kind", [
    ('INSERT VERTEX player(name) VALUES "a":("A")', "INSERT VERTEX"),
    ('INSERT EDGE follow(degree) VALUES "a"->"b":(1)', "INSERT EDGE"),
    ('UPDATE VERTEX "a" SET player.age = 1', "UPDATE"),
    ('UPSERT VERTEX ON player "a" SET age = 1', "UPSERT"),
    ('DELETE VERTEX "a"', "DELETE VERTEX"),
    ('DROP SPACE s', "DROP"),
    ('CREATE TAG t(a int)', "CREATE TAG/EDGE"),
    ('SUBMIT JOB STATS', "SUBMIT JOB"),
    ('MATCH (v) DETACH DELETE v', "DETACH DELETE"),
    ('MATCH (v) REMOVE v.x RETURN v', "REMOVE"),
    ('MATCH (v) MERGE (v)-[:x]->(w) RETURN v', "MERGE"),
    ('GO FROM "a" OVER follow YIELD dst(edge) AS id | DELETE VERTEX $-.id', "DELETE VERTEX"),
    ('$v = GO FROM "a" OVER follow YIELD dst(edge) AS id; DELETE VERTEX $v.id', "DELETE VERTEX"),
])
def test_mutations_are_classified(text, kind):
    script = parse(text)
    assert first_mutation(script) == kind
    assert not is_read_only(script)


@pytest.mark.parametrize("text", [VALID[i] for i in range(0, 48)])
def test_read_statements_are_read_only(text):
    assert is_read_only(parse(text)), text


def test_lexical_fallback_ignores_strings_and_comments():
    assert mutating_words('GO FROM "DELETE" OVER follow # DROP\nYIELD 1') == []
    assert statement_leading_mutation('YIELD 1; /* hi */ drop space x') == "DROP"
    assert statement_leading_mutation('YIELD "a;DROP"') is None
    assert statement_leading_mutation('$x = DELETE VERTEX "a"') == "DELETE"


@pytest.mark.parametrize("text,shape", [
    ('GO FROM "a" OVER follow UNION GO FROM "b" OVER follow MINUS GO FROM "c" OVER follow',
     ("MINUS", ("UNION", "Go", "Go"), "Go")),  # left to right
    ('GO FROM "a" OVER follow UNION GO FROM "b" OVER follow | GO FROM $-.id OVER follow',
     ("UNION", "Go", "Go|Go")),  # the pipe binds tighter
    ('GO FROM "a" OVER follow UNION ALL GO FROM "b" OVER follow', ("UNION ALL", "Go", "Go")),
    ('GO FROM "a" OVER follow UNION DISTINCT GO FROM "b" OVER follow', ("UNION", "Go", "Go")),
    ('(GO FROM "a" OVER follow INTERSECT GO FROM "b" OVER follow) | YIELD 1', "(INTERSECT Go Go)|YieldStmt"),
])
def test_set_operation_precedence(text, shape):
    def describe(q):
        if isinstance(q, A.SetOp):
            return (q.op, describe(q.left), describe(q.right))
        return "|".join(f"({' '.join(_flat(describe(s.query)))})" if isinstance(s, A.Subquery)
                        else type(s).__name__ for s in q.stages)

    def _flat(d):
        return [d] if isinstance(d, str) else [x for part in d for x in _flat(part)]

    (stmt,) = parse(text).statements
    assert describe(stmt) == shape


def test_path_functions_and_unwind_stage_build_their_nodes():
    (pipe,) = parse('MATCH p = ALLSHORTESTPATHS((a)-[e:follow*..3]->(b)) RETURN p').statements
    (pattern,) = pipe.stages[0].clauses[0].patterns
    assert (pattern.shortest, pattern.path_var, len(pattern.rels)) == ("allShortestPaths", "p", 1)
    assert pattern.rels[0].max_hops == 3 and pattern.rels[0].types == ("follow",)
    (pipe,) = parse('YIELD [1, 2] AS a | UNWIND $-.a AS b').statements
    assert pipe.stages[1] == A.Unwind(A.InputProp("a"), "b")


def test_mutations_inside_set_operations_and_brackets_are_found():
    assert first_mutation(parse('MATCH (v) RETURN v UNION MATCH (w) DELETE w')) == "DELETE"
    assert first_mutation(parse('(YIELD 1 AS x UNION DELETE VERTEX "a") | YIELD 1')) == "DELETE VERTEX"
    assert first_mutation(parse('UNWIND [1] AS x CREATE (:t)')) == "CREATE"
    assert is_read_only(parse('YIELD 1 AS x MINUS YIELD 2 AS x'))


def test_patterns_inside_expressions_and_arithmetic_stay_apart():
    (pipe,) = parse('MATCH (v) RETURN (v)-[:follow]->(:player) AS p, (1) - (2) AS d, 3 <-1 AS b').statements
    p, d, b = (item.expr for item in pipe.stages[0].clauses[-1].items)
    assert isinstance(p, A.PatternExpr) and p.pattern.rels[0].types == ("follow",)
    assert p.pattern.nodes[1].labels == ("player",) and p.pattern.rels[0].direction == "out"
    assert d == A.BinOp("-", A.Lit(1), A.Lit(2)) and b == A.BinOp("<", A.Lit(3), A.Lit(-1))
    with pytest.raises(NGQLSyntaxError, match="must start with a node"):
        parse('MATCH (v) RETURN [1]-->(v)')
