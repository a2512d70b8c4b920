"""Every statement form in NebulaGraph's own documentation for MATCH, GO, FETCH, LOOKUP, FIND PATH, GET SUBGRAPH,
pipes, set operations and the built-in date/time, string and list functions: does it parse, and does the emulation
translate it or refuse it (naming the construct)?

The statements are the documentation's examples (NebulaGraph 3.x pages, the ``basketballplayer`` space, whose tags
and edge types tests/ngql/sample_graph.py has too), one per documented form. The expected outcome of each row is
recorded here, so a change in what parses or translates shows up as a failing row, and
``benchmarks/ngql_coverage.py`` prints this table with its counts. Translation only: the emulation's answers are
checked against Cypher in tests/engines/test_ngql_*.py.
"""

from __future__ import annotations

from collections import Counter

import pytest

from momq.ngql.parser import NGQLSyntaxError, parse
from momq.ngql.translate import NGQLSemanticError, UnsupportedNGQL, translate
from tests.ngql.sample_graph import basketball

DOCS = "https://docs.nebula-graph.io/3.6.0/3.ngql-guide/"
PAGES = {
    "MATCH": DOCS + "7.general-query-statements/2.match/",
    "GO": DOCS + "7.general-query-statements/3.go/",
    "FETCH": DOCS + "7.general-query-statements/4.fetch/",
    "LOOKUP": DOCS + "7.general-query-statements/5.lookup/",
    "FIND PATH": DOCS + "16.subgraph-and-path/2.find-path/",
    "GET SUBGRAPH": DOCS + "16.subgraph-and-path/1.get-subgraph/",
    "pipe": DOCS + "5.operators/4.pipe/",
    "set": DOCS + "5.operators/6.set/",
    "date/time": DOCS + "6.functions-and-expressions/3.date-and-time/",
    "string": DOCS + "6.functions-and-expressions/2.string/",
    "list": DOCS + "6.functions-and-expressions/6.list/",
}

T, R, N = "translates", "refused", "no-parse"

# (area, form, statement, expected outcome, a fragment of the refusal / syntax error naming the construct)
FORMS = [
    # ---------------------------------------------------------------------------------------------- MATCH
    ("MATCH", "vertex by tag", 'MATCH (v:player) RETURN v LIMIT 3', T, ""),
    ("MATCH", "tag property map", 'MATCH (v:player{name:"Tim Duncan"}) RETURN v', T, ""),
    ("MATCH", "WHERE on a tag property", 'MATCH (v:player) WHERE v.player.name == "Tim Duncan" RETURN v', T, ""),
    ("MATCH", "several tags on a node", 'MATCH (v:player:team) RETURN v LIMIT 10', T, ""),
    ("MATCH", "vertex by VID", "MATCH (v) WHERE id(v) == 'player101' RETURN v", T, ""),
    ("MATCH", "VID list", 'MATCH (v:player { name: \'Tim Duncan\' })--(v2) WHERE id(v2) IN ["player101", '
     '"player102"] RETURN v2', T, ""),
    ("MATCH", "connected vertices --", 'MATCH (v:player{name:"Tim Duncan"})--(v2) RETURN v2.player.name AS Name', T,
     ""),
    ("MATCH", "directed -->", 'MATCH (v:player{name:"Tim Duncan"})-->(v2:player) RETURN v2.player.name AS Name', T,
     ""),
    ("MATCH", "longer pattern", 'MATCH (v:player{name:"Tim Duncan"})-->(v2)<--(v3) RETURN v3.player.name AS Name',
     T, ""),
    ("MATCH", "anonymous vertex", 'MATCH (v:player{name:"Tim Duncan"})-->()<--(v3) RETURN v3.player.name AS Name',
     T, ""),
    ("MATCH", "path variable", 'MATCH p=(v:player{name:"Tim Duncan"})-->(v2) RETURN p', T, ""),
    ("MATCH", "named edge", 'MATCH (v:player{name:"Tim Duncan"})-[e]-(v2) RETURN e', T, ""),
    ("MATCH", "edge type", 'MATCH ()<-[e:follow]-() RETURN e LIMIT 3', T, ""),
    ("MATCH", "edge property map", 'MATCH (v:player{name:"Tim Duncan"})-[e:follow{degree:95}]->(v2) RETURN e', T,
     ""),
    ("MATCH", "several edge types", 'MATCH (v:player{name:"Tim Duncan"})-[e:follow | :serve]->(v2) RETURN e', T,
     ""),
    ("MATCH", "several edges", 'MATCH (v:player{name:"Tim Duncan"})-[]->(v2)<-[e:serve]-(v3) RETURN v2, v3', T, ""),
    ("MATCH", "fixed length", 'MATCH p=(v:player{name:"Tim Duncan"})-[e:follow*2]->(v2) RETURN DISTINCT v2 AS '
     'Friends', T, ""),
    ("MATCH", "zero hops", 'MATCH (v:player{name:"Tim Duncan"}) -[*0]-> (v2) RETURN v2', T, ""),
    ("MATCH", "variable length", 'MATCH p=(v:player{name:"Tim Duncan"})-[e:follow*1..3]->(v2) RETURN v2 AS Friends',
     T, ""),
    ("MATCH", "variable length, several types", 'MATCH p=(v:player{name:"Tim Duncan"})-[e:follow | serve*2]->(v2) '
     'RETURN DISTINCT v2', T, ""),
    ("MATCH", "several patterns", 'MATCH (v1:player{name:"Tim Duncan"}), (v2:team{name:"Spurs"}) RETURN v1,v2', T,
     ""),
    ("MATCH", "OPTIONAL MATCH", 'MATCH (m)-[]->(n) WHERE id(m)=="player100" OPTIONAL MATCH (n)-[]->(l) WHERE '
     'id(n)=="player125" RETURN id(m),id(n),id(l)', T, ""),
    ("MATCH", "WITH and aggregation", 'MATCH (v:player)-[:follow]->(v2) WITH v, count(v2) AS c WHERE c > 1 RETURN '
     'v.player.name, c', T, ""),
    ("MATCH", "UNWIND clause", 'UNWIND [1,2,3] AS n RETURN n', T, ""),
    ("MATCH", "WITH opening the statement", 'WITH [1,1,2,2,3,3] AS n UNWIND n AS r WITH DISTINCT r AS r ORDER BY r '
     'RETURN collect(r)', T, ""),
    ("MATCH", "RETURN statement", 'RETURN 1+1, "Amber" AS Name', T, ""),
    ("MATCH", "RETURN *", 'MATCH (v:player{name:"Tim Duncan"})-[e]->(v2) RETURN *', T, ""),
    ("MATCH", "RETURN * with a path", 'MATCH p=(v:player{name:"Tim Duncan"})-[e]->(v2) RETURN *', R, "RETURN *"),
    ("MATCH", "whole tag as a map", 'MATCH (v:player{name:"Tim Duncan"}) RETURN v.player', T, ""),
    ("MATCH", "properties()", 'MATCH (v:player) RETURN properties(v).name LIMIT 3', T, ""),
    ("MATCH", "ORDER BY, SKIP, LIMIT", 'MATCH (v:player) RETURN v.player.name AS Name, v.player.age AS Age ORDER BY '
     'Age DESC, Name ASC SKIP 1 LIMIT 3', T, ""),
    ("MATCH", "string predicate", 'MATCH (v:player) WHERE v.player.name STARTS WITH "T" RETURN v.player.name', T,
     ""),
    ("MATCH", "regular expression", "MATCH (v:player) WHERE v.player.name =~ 'Tony.*' RETURN v", R, "=~"),
    ("MATCH", "tags() / labels()", 'MATCH (v) WHERE id(v) == "player100" RETURN tags(v), labels(v)', T, ""),
    ("MATCH", "type() / rank()", 'MATCH (v:player{name:"Tim Duncan"})-[e]->() RETURN type(e), rank(e)', T, ""),
    ("MATCH", "shortestPath(), directed", 'MATCH p = shortestPath((a:player{name:"Tim Duncan"})-[e:follow*..5]->'
     '(b:player{name:"Tony Parker"})) RETURN p', T, ""),
    ("MATCH", "shortestPath(), undirected", 'MATCH p = shortestPath((a:player{name:"Tim Duncan"})-[e*..5]-'
     '(b:team{name:"Spurs"})) RETURN p', R, "undirected"),
    ("MATCH", "allShortestPaths(), directed", 'MATCH p = allShortestPaths((a:player{name:"Tim Duncan"})-[e*..5]->'
     '(b:player{name:"Tony Parker"})) RETURN p', T, ""),
    ("MATCH", "allShortestPaths(), undirected", 'MATCH p = allShortestPaths((a:player{name:"Tim Duncan"})-[e*..5]-'
     '(b:player{name:"Tony Parker"})) RETURN p', R, "undirected"),
    ("MATCH", "pattern as a predicate", 'MATCH (v:player{name:"Tim Duncan"})-[e]->(t) WHERE (v)-[e]->(t:team) '
     'RETURN t', T, ""),
    ("MATCH", "pattern as a value", 'MATCH (v:player{name:"Tim Duncan"}) RETURN (v)-->() AS p', T, ""),
    ("MATCH", "pattern with a new variable", 'MATCH (v:player) WHERE (v)-[:follow]->(w) RETURN v', R,
     "introducing the variable `w`"),
    # ---------------------------------------------------------------------------------------------- GO
    ("GO", "one step", 'GO FROM "player102" OVER serve YIELD dst(edge)', T, ""),
    ("GO", "N steps", 'GO 2 STEPS FROM "player102" OVER follow YIELD dst(edge)', T, ""),
    ("GO", "WHERE with properties()", 'GO FROM "player100", "player102" OVER serve WHERE properties(edge).start_year '
     '> 1995 YIELD DISTINCT properties($$).name AS team_name, properties(edge).start_year AS start_year, '
     'properties($^).name AS player_name', T, ""),
    ("GO", "several edge types", 'GO FROM "player100" OVER follow, serve YIELD properties(edge).degree, '
     'properties(edge).start_year', T, ""),
    ("GO", "REVERSELY with src(edge)", 'GO FROM "player100" OVER follow REVERSELY YIELD src(edge) AS destination',
     T, ""),
    ("GO", "REVERSELY then a pipe", 'GO FROM "player100" OVER follow REVERSELY YIELD src(edge) AS id | GO FROM $-.id '
     'OVER serve WHERE properties($^).age > 20 YIELD properties($^).name AS FriendOf, properties($$).name AS Team',
     T, ""),
    ("GO", "REVERSELY with <edge>._dst", 'GO FROM "player100" OVER follow REVERSELY YIELD follow._dst AS id', T, ""),
    ("GO", "M TO N steps", 'GO 1 TO 2 STEPS FROM "player100" OVER follow YIELD dst(edge) AS destination', T, ""),
    ("GO", "GROUP BY after a pipe", 'GO 2 STEPS FROM "player100" OVER follow YIELD src(edge) AS src, dst(edge) AS '
     'dst, properties($$).age AS age | GROUP BY $-.dst YIELD $-.dst AS dst, collect_set($-.src) AS src, '
     'collect($-.age) AS age', T, ""),
    ("GO", "$var, ORDER BY, OFFSET/LIMIT", '$a = GO FROM "player100" OVER follow YIELD src(edge) AS src, dst(edge) '
     'AS dst; GO 2 STEPS FROM $a.dst OVER follow YIELD $a.src AS src, $a.dst, src(edge), dst(edge) | ORDER BY '
     '$-.src | OFFSET 1 LIMIT 2', T, ""),
    ("GO", "IS NOT EMPTY", 'GO FROM "player100" OVER follow WHERE properties($$).name IS NOT EMPTY YIELD dst(edge)',
     R, "EMPTY"),
    ("GO", "BIDIRECT", 'GO FROM "player102" OVER follow BIDIRECT YIELD dst(edge)', T, ""),
    ("GO", "<edge>._type", 'GO FROM "player102" OVER follow BIDIRECT YIELD follow._type', R, "_type"),
    ("GO", "SAMPLE", 'GO 3 STEPS FROM "player100" OVER * YIELD properties($$).name AS NAME, properties($$).age AS '
     'Age SAMPLE [1,2,3]', R, "SAMPLE"),
    ("GO", "LIMIT per step", 'GO 3 STEPS FROM "player102" OVER * YIELD dst(edge) LIMIT [3,4,5]', R, "LIMIT"),
    ("GO", "without YIELD (2.x)", 'GO FROM "player102" OVER serve', T, ""),
    ("GO", "$$.tag.prop / $^.tag.prop", 'GO FROM "player100" OVER follow YIELD $$.player.name AS n, $^.player.age '
     'AS a', T, ""),
    ("GO", "vertex and edge values", 'GO FROM "player100" OVER follow YIELD edge AS e, $$ AS v', T, ""),
    # ---------------------------------------------------------------------------------------------- FETCH
    ("FETCH", "one vertex", 'FETCH PROP ON player "player100" YIELD properties(vertex)', T, ""),
    ("FETCH", "tag property", 'FETCH PROP ON player "player100" YIELD player.name AS name', T, ""),
    ("FETCH", "several vertices", 'FETCH PROP ON player "player101", "player102", "player103" YIELD '
     'properties(vertex)', T, ""),
    ("FETCH", "several tags", 'FETCH PROP ON player, team "player100", "team204" YIELD properties(vertex)', T, ""),
    ("FETCH", "every tag", 'FETCH PROP ON * "player100", "player106", "team200" YIELD properties(vertex)', T, ""),
    ("FETCH", "vertex value", 'FETCH PROP ON player "player100" YIELD vertex AS v', T, ""),
    ("FETCH", "one edge", 'FETCH PROP ON serve "player100" -> "team204" YIELD properties(edge)', T, ""),
    ("FETCH", "edge property", 'FETCH PROP ON serve "player100" -> "team204" YIELD serve.start_year', T, ""),
    ("FETCH", "several edges", 'FETCH PROP ON serve "player100" -> "team204", "player133" -> "team202" YIELD '
     'properties(edge)', T, ""),
    ("FETCH", "edge with rank", 'FETCH PROP ON serve "player100" -> "team204"@1 YIELD properties(edge)', T, ""),
    ("FETCH", "edge ends and rank", 'FETCH PROP ON serve "player100" -> "team204" YIELD src(edge), dst(edge), '
     'rank(edge), type(edge)', T, ""),
    ("FETCH", "edges from a pipe", 'GO FROM "player101" OVER follow YIELD src(edge) AS s, dst(edge) AS d | FETCH '
     'PROP ON follow $-.s -> $-.d YIELD follow.degree', T, ""),
    ("FETCH", "edges from a $var", '$var = GO FROM "player101" OVER follow YIELD src(edge) AS s, dst(edge) AS d; '
     'FETCH PROP ON follow $var.s -> $var.d YIELD follow.degree', R, "$var"),
    ("FETCH", "vertices from a pipe", 'GO FROM "player101" OVER follow YIELD dst(edge) AS id | FETCH PROP ON player '
     '$-.id YIELD player.name AS name', T, ""),
    # ---------------------------------------------------------------------------------------------- LOOKUP
    ("LOOKUP", "tag with WHERE", 'LOOKUP ON player WHERE player.name == "Tony Parker" YIELD id(vertex)', T, ""),
    ("LOOKUP", "properties()", 'LOOKUP ON player WHERE player.name == "Tony Parker" YIELD properties(vertex).name '
     'AS name, properties(vertex).age AS age', T, ""),
    ("LOOKUP", "then GO", 'LOOKUP ON player WHERE player.name == "Tony Parker" YIELD id(vertex) AS VertexID | GO '
     'FROM $-.VertexID OVER serve YIELD properties($$).name AS Team', T, ""),
    ("LOOKUP", "edge type", 'LOOKUP ON follow WHERE follow.degree == 90 YIELD edge AS e', T, ""),
    ("LOOKUP", "edge type then GO", 'LOOKUP ON follow WHERE follow.degree == 60 YIELD dst(edge) AS DstVID, '
     'properties(edge).degree AS Degree | GO FROM $-.DstVID OVER serve YIELD $-.DstVID, properties(edge).start_year,'
     ' properties(edge).end_year, properties($$).name', T, ""),
    ("LOOKUP", "every vertex of a tag", 'LOOKUP ON player YIELD id(vertex)', T, ""),
    ("LOOKUP", "every edge of a type", 'LOOKUP ON follow YIELD edge AS e', T, ""),
    ("LOOKUP", "count", 'LOOKUP ON player YIELD id(vertex) | YIELD COUNT(*) AS Player_Number', T, ""),
    ("LOOKUP", "STARTS WITH and IN", 'LOOKUP ON player WHERE player.name STARTS WITH "B" AND player.age IN [22,30] '
     'YIELD properties(vertex).name, properties(vertex).age', T, ""),
    ("LOOKUP", "then LIMIT", 'LOOKUP ON player YIELD id(vertex) AS id | ORDER BY $-.id | LIMIT 3', T, ""),
    # ---------------------------------------------------------------------------------------------- FIND PATH
    ("FIND PATH", "SHORTEST", 'FIND SHORTEST PATH FROM "player102" TO "team204" OVER * YIELD path AS p', T, ""),
    ("FIND PATH", "SHORTEST REVERSELY", 'FIND SHORTEST PATH FROM "team204" TO "player100" OVER * REVERSELY YIELD '
     'path AS p', T, ""),
    ("FIND PATH", "SHORTEST BIDIRECT", 'FIND SHORTEST PATH FROM "team204" TO "player100" OVER * BIDIRECT YIELD '
     'path AS p', R, "undirected"),
    ("FIND PATH", "WITH PROP and WHERE", 'FIND SHORTEST PATH WITH PROP FROM "team204" TO "player100" OVER * '
     'REVERSELY WHERE properties(edge).degree > 90 OR properties(edge).start_year > 2010 YIELD path AS p', R, "WHERE"),
    ("FIND PATH", "ALL, then ORDER BY and LIMIT", 'FIND ALL PATH FROM "player100" TO "team204" OVER * YIELD path AS '
     'p | ORDER BY $-.p | LIMIT 3', T, ""),
    ("FIND PATH", "NOLOOP", 'FIND NOLOOP PATH FROM "player100" TO "team204" OVER * YIELD path AS p', T, ""),
    ("FIND PATH", "SINGLE SHORTEST", 'FIND SINGLE SHORTEST PATH FROM "player102" TO "team204" OVER * YIELD path AS '
     'p', T, ""),
    ("FIND PATH", "ALL BIDIRECT UPTO", 'FIND ALL PATH FROM "player100" TO "team204" OVER * BIDIRECT UPTO 2 STEPS '
     'YIELD path AS p', T, ""),
    ("FIND PATH", "FROM a pipe", 'GO FROM "player100" OVER follow YIELD dst(edge) AS d | FIND SHORTEST PATH FROM '
     '$-.d TO "team204" OVER * YIELD path AS p', T, ""),
    ("FIND PATH", "FROM a $var", '$a = GO FROM "player100" OVER follow YIELD dst(edge) AS d; FIND ALL PATH FROM '
     '$a.d TO "team204" OVER * UPTO 2 STEPS YIELD path AS p', T, ""),
    ("FIND PATH", "without YIELD (2.x)", 'FIND SHORTEST PATH FROM "player102" TO "team201" OVER *', T, ""),
    # ---------------------------------------------------------------------------------------------- GET SUBGRAPH
    ("GET SUBGRAPH", "one step", 'GET SUBGRAPH 1 STEPS FROM "player101" YIELD VERTICES AS nodes, EDGES AS '
     'relationships', R, "GET SUBGRAPH"),
    ("GET SUBGRAPH", "IN edges", 'GET SUBGRAPH 1 STEPS FROM "player101" IN follow YIELD VERTICES AS nodes, EDGES AS '
     'relationships', R, "GET SUBGRAPH"),
    ("GET SUBGRAPH", "WITH PROP, OUT and BOTH", 'GET SUBGRAPH WITH PROP 2 STEPS FROM "player101" OUT serve BOTH '
     'follow YIELD VERTICES AS nodes, EDGES AS relationships', R, "GET SUBGRAPH"),
    ("GET SUBGRAPH", "WHERE", 'GET SUBGRAPH 2 STEPS FROM "player101" WHERE properties($$).age > 30 YIELD VERTICES '
     'AS nodes, EDGES AS relationships', R, "GET SUBGRAPH"),
    ("GET SUBGRAPH", "without YIELD (2.x)", 'GET SUBGRAPH 1 STEPS FROM "player100"', R, "GET SUBGRAPH"),
    # ---------------------------------------------------------------------------------------------- pipes
    ("pipe", "GO into GO", 'GO FROM "player100" OVER follow YIELD dst(edge) AS dstid, properties($$).name AS Name | '
     'GO FROM $-.dstid OVER follow YIELD dst(edge)', T, ""),
    ("pipe", "$var instead of a pipe", '$var = GO FROM "player100" OVER follow YIELD dst(edge) AS id; GO FROM $var.id'
     ' OVER serve YIELD properties($$).name AS Team, properties($^).name AS Player', T, ""),
    ("pipe", "YIELD ... WHERE", 'GO FROM "player100" OVER follow YIELD dst(edge) AS id | YIELD $-.id AS x WHERE '
     '$-.id != "player101"', T, ""),
    ("pipe", "UNWIND stage", 'YIELD [1, 2, 3] AS a | UNWIND $-.a AS b | YIELD $-.b + 1 AS c', T, ""),
    ("pipe", "UNWIND then GO from literals", "YIELD ['Tim Duncan', 'Tony Parker'] AS a | UNWIND $-.a AS b | GO FROM "
     '"player100" OVER follow WHERE properties($$).name == $-.b YIELD edge AS e', R, "literal VIDs"),
    ("pipe", "GROUP BY", 'GO FROM "player100" OVER follow BIDIRECT YIELD properties($$).name AS Name | GROUP BY '
     '$-.Name YIELD $-.Name AS Player, count(*) AS Name_Count', T, ""),
    ("pipe", "ORDER BY", 'GO FROM "player100" OVER follow YIELD properties($$).age AS age, properties($$).name AS '
     'name | ORDER BY $-.age ASC, $-.name DESC', T, ""),
    ("pipe", "LIMIT offset, count", 'GO FROM "player100" OVER follow YIELD dst(edge) AS d | LIMIT 1, 2', T, ""),
    ("pipe", "RETURN after a pipe", 'GO FROM "player100" OVER follow YIELD dst(edge) AS d | RETURN $-.d', R,
     "cannot read a pipe"),
    # ---------------------------------------------------------------------------------------------- set operations
    ("set", "UNION", 'GO FROM "player102" OVER follow UNION GO FROM "player100" OVER follow', T, ""),
    ("set", "UNION ALL", 'GO FROM "player102" OVER follow UNION ALL GO FROM "player100" OVER follow', T, ""),
    ("set", "UNION DISTINCT with columns", 'GO FROM "player102" OVER follow YIELD dst(edge) AS id, '
     'properties(edge).degree AS Degree, properties($$).age AS Age UNION DISTINCT GO FROM "player100" OVER follow '
     'YIELD dst(edge) AS id, properties(edge).degree AS Degree, properties($$).age AS Age', T, ""),
    ("set", "INTERSECT", 'GO FROM "player102" OVER follow YIELD dst(edge) AS id, properties(edge).degree AS Degree '
     'INTERSECT GO FROM "player100" OVER follow YIELD dst(edge) AS id, properties(edge).degree AS Degree', T, ""),
    ("set", "MINUS", 'GO FROM "player100" OVER follow MINUS GO FROM "player102" OVER follow', T, ""),
    ("set", "pipe binds tighter", 'GO FROM "player102" OVER follow YIELD dst(edge) AS play_dst UNION GO FROM '
     '"team200" OVER serve REVERSELY YIELD src(edge) AS play_dst | GO FROM $-.play_dst OVER follow YIELD dst(edge) '
     'AS play_dst', T, ""),
    ("set", "brackets", '(GO FROM "player102" OVER follow YIELD dst(edge) AS play_dst UNION GO FROM "team200" OVER '
     'serve REVERSELY YIELD src(edge) AS play_dst) | GO FROM $-.play_dst OVER follow YIELD dst(edge) AS play_dst',
     T, ""),
    ("set", "openCypher UNION", 'MATCH (v:player) RETURN v.player.name AS n UNION MATCH (t:team) RETURN '
     't.team.name AS n', T, ""),
    # ---------------------------------------------------------------------------------------------- date/time
    ("date/time", "now()", 'RETURN now()', T, ""),
    ("date/time", "timestamp()", 'RETURN timestamp()', T, ""),
    ("date/time", "timestamp(string)", 'RETURN timestamp("2022-01-05T06:18:43")', R, "timestamp"),
    ("date/time", "date()", 'RETURN date()', T, ""),
    ("date/time", "date(string)", 'RETURN date("2017-03-04")', T, ""),
    ("date/time", "date(map)", 'RETURN date({year:2017, month:3, day:4})', T, ""),
    ("date/time", "date accessor", 'RETURN date("2017-03-04").year', T, ""),
    ("date/time", "time()", 'RETURN time()', T, ""),
    ("date/time", "time(string)", 'RETURN time("13:14:15")', T, ""),
    ("date/time", "time(string with fraction)", 'RETURN time("13:14:15.000")', R, "fractional"),
    ("date/time", "datetime()", 'RETURN datetime()', T, ""),
    ("date/time", "datetime(string)", 'RETURN datetime("2017-03-04T22:30:40")', T, ""),
    ("date/time", "datetime(string with zone)", 'RETURN datetime("2017-03-04T22:30:40.003000+08:00")', R, "zone"),
    ("date/time", "datetime(map)", 'RETURN datetime({year:2017, month:3, day:4, hour:22, minute:30})', T, ""),
    # ---------------------------------------------------------------------------------------------- string
    ("string", "strcasecmp()", 'RETURN strcasecmp("a","aa")', R, "strcasecmp"),
    ("string", "lower() / toLower()", 'RETURN lower("Basketball_Player"), toLower("Basketball_Player")', T, ""),
    ("string", "upper() / toUpper()", 'RETURN upper("Basketball_Player"), toUpper("Basketball_Player")', T, ""),
    ("string", "length()", 'RETURN length("basketball")', T, ""),
    ("string", "trim() / ltrim() / rtrim()", 'RETURN trim(" basketball player "), ltrim(" basketball player "), '
     'rtrim(" basketball player ")', T, ""),
    ("string", "left() / right()", 'RETURN left("basketball_player",6), right("basketball_player",6)', T, ""),
    ("string", "lpad() / rpad()", 'RETURN lpad("abcd",10,"123"), rpad("abcd",10,"123")', R, "lpad"),
    ("string", "substr() / substring()", 'RETURN substr("abcdefg",2,4), substring("abcdefg",2,4)', T, ""),
    ("string", "reverse()", 'RETURN reverse("abcdefg")', T, ""),
    ("string", "replace()", 'RETURN replace("abcdefg","cd","AAAAA")', T, ""),
    ("string", "split()", 'RETURN split("basketballplayer","a")', T, ""),
    ("string", "toString()", 'RETURN toString(9669)', T, ""),
    ("string", "concat()", 'RETURN concat("1","2","3")', T, ""),
    ("string", "concat_ws()", 'RETURN concat_ws("+","a","b","c")', R, "concat_ws"),
    ("string", "extract()", 'RETURN extract("abcd2efg3hij4","[0-9]")', R, "extract"),
    ("string", "json_extract()", 'RETURN json_extract(\'{"a": 1}\')', R, "json_extract"),
    # ---------------------------------------------------------------------------------------------- list
    ("list", "range()", 'RETURN range(1,9,2)', T, ""),
    ("list", "reverse()", 'WITH [NULL, 4923, "abc", 521, 487] AS ids RETURN reverse(ids)', T, ""),
    ("list", "tail()", 'WITH [NULL, 4923, "abc", 521, 487] AS ids RETURN tail(ids)', T, ""),
    ("list", "head() / last()", 'WITH [NULL, 4923, "abc", 521, 487] AS ids RETURN head(ids), last(ids)', T, ""),
    ("list", "size()", 'WITH [NULL, 4923, "abc", 521, 487] AS ids RETURN size(ids)', T, ""),
    ("list", "nodes() / relationships()", 'MATCH p=(v:player{name:"Tim Duncan"})-->(v2) RETURN nodes(p), '
     'relationships(p)', T, ""),
    ("list", "keys()", 'MATCH (v:player{name:"Tim Duncan"}) RETURN keys(v)', T, ""),
    ("list", "labels()", 'MATCH (v:player{name:"Tim Duncan"}) RETURN labels(v)', T, ""),
    ("list", "list comprehension", 'RETURN [n IN range(1, 5) WHERE n > 2 | n * 10] AS l', T, ""),
    ("list", "reduce()", 'RETURN reduce(totalNum = 10, n IN range(1, 3) | totalNum + n) AS r', N, "unexpected"),
]

SCHEMA = basketball().without_data()


def classify(text: str) -> tuple[str, str]:
    """(outcome, detail): ``no-parse`` (with line/column), ``refused`` (the construct), ``semantic error`` or
    ``translates``."""
    try:
        script = parse(text)
    except NGQLSyntaxError as exc:
        return N, str(exc)
    try:
        translate(script, SCHEMA, space="basketball")
    except UnsupportedNGQL as exc:
        return R, str(exc)
    except NGQLSemanticError as exc:
        return "semantic error", str(exc)
    return T, ""


def summary() -> dict[str, Counter]:
    """Per area, how many documented forms translate, are refused, or do not parse."""
    out: dict[str, Counter] = {}
    for area, _, text, _, _ in FORMS:
        out.setdefault(area, Counter())[classify(text)[0]] += 1
    return out


@pytest.mark.parametrize("area,form,text,expected,fragment", FORMS, ids=[f"{a}: {f}" for a, f, *_ in FORMS])
def test_documented_form(area, form, text, expected, fragment):
    outcome, detail = classify(text)
    assert outcome == expected, f"{area} / {form}: {outcome}: {detail}"
    assert fragment in detail  # a refusal or syntax error names what it stopped at


def test_every_area_is_covered_and_mostly_runs():
    counts = summary()
    assert set(counts) == set(PAGES)
    for area in ("MATCH", "GO", "FETCH", "LOOKUP", "FIND PATH", "pipe", "set"):
        assert counts[area][T] > counts[area][R] + counts[area][N], (area, counts[area])
