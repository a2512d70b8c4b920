"""The read-only Cypher grammar (Neo4j 5) specialised to one property graph.

:func:`cypher_grammar` returns llguidance Lark text for one read query: ``MATCH`` / ``OPTIONAL MATCH`` (with
``WHERE``), ``WITH`` (``DISTINCT``, ``ORDER BY``, ``SKIP``, ``LIMIT``, ``WHERE``), ``UNWIND``, ``RETURN``,
``UNION [ALL]``; patterns with variable-length relationships, named paths, ``shortestPath`` /
``allShortestPaths``; expressions with ``CASE``, list and pattern comprehensions, quantifiers
(``all/any/none/single``), ``EXISTS { }`` / ``COUNT { }`` subqueries, ``IS [NOT] NULL``, ``STARTS WITH`` /
``ENDS WITH`` / ``CONTAINS`` / ``IN`` / ``=~``, label predicates and Neo4j's built-in functions; then an
optional ``;`` and the closing code fence.

Schema specialisation: labels, relationship types and property keys (after ``.`` and in pattern property maps)
take only the graph's names, quoted with backticks or bare; typed, directed relationships follow the schema's
directions between labeled (or implicitly labeled) nodes (:mod:`momq.constrain.patterns`). Variables and map
keys of expression maps are free identifiers; literals are free.

Not here: writes (``CREATE``, ``MERGE``, ``SET``, ``DELETE``, ``REMOVE``), ``CALL`` procedures, ``LOAD CSV``,
``FOREACH``, map projections, parameters' types; the grammar is a subset of Neo4j 5, whose linter and the
engine still decide validity.
"""

from __future__ import annotations

from momq.constrain.lexical import (
    FENCE_RULE,
    GRAPH_LITERALS,
    IGNORE,
    ascii_case,
    lark_string,
    lead_keyword,
    name_or_backquoted,
    not_words_regex,
    symbol,
    words,
)
from momq.constrain.patterns import chain_rules
from momq.schema import GraphDatabase

FUNCTIONS = (
    "count sum avg min max collect stDev stDevP percentileCont percentileDisc abs ceil floor round sign sqrt "
    "exp log log10 rand e pi sin cos tan toInteger toFloat toString toBoolean toIntegerOrNull toFloatOrNull "
    "toStringOrNull toLower toUpper trim ltrim rtrim replace substring left right split reverse size length "
    "head last tail range keys labels type id elementId startNode endNode nodes relationships properties "
    "coalesce exists date datetime localdatetime time duration timestamp isEmpty"
).split()
#: property keys of non-graph values (temporal values) that may follow a dot besides the schema's properties
VALUE_KEYS = ("year", "month", "day", "hour", "minute", "second", "days", "months", "years")
_WORDS = (
    "match optional where with unwind as return distinct order by skip limit asc desc ascending descending "
    "union all and or xor not in is null true false starts ends contains case when then else end exists count "
    "any none single shortestpath allshortestpaths call create merge set delete detach remove foreach load"
).split()


def cypher_grammar(graph: GraphDatabase) -> str:
    """Lark text (llguidance dialect) for one read-only Cypher query over ``graph``, then the fence."""
    props = sorted({p.name for n in graph.node_types for p in n.properties}
                   | {p.name for e in graph.edge_types for p in e.properties})
    label_terms = "".join(f"LABEL_{symbol(n.label).upper()}: {name_or_backquoted(n.label)}\n" for n in graph.node_types)
    type_terms = "".join(f"TYPE_{symbol(e.type).upper()}: {name_or_backquoted(e.type)}\n" for e in graph.edge_types)
    any_label = " | ".join(f"LABEL_{symbol(n.label).upper()}" for n in graph.node_types)
    keys = " | ".join(name_or_backquoted(p) for p in props)
    value_keys = " | ".join(name_or_backquoted(k) for k in VALUE_KEYS if k not in props)
    lead_optional = lead_keyword("optional match")
    return ascii_case(f"""start: top_query ";"? {FENCE_RULE}
top_query: lead_single (union single_query)*
lead_single: lead_clause clause* return_clause | lead_return return_body
lead_clause: ({lead_keyword("match")} | {lead_optional}) match_body
    | {lead_keyword("unwind")} unwind_body | {lead_keyword("with")} with_body
lead_return: {lead_keyword("return")}
single_query: clause* return_clause
union: "UNION"i "ALL"i?
clause: "OPTIONAL"i? "MATCH"i match_body | "UNWIND"i unwind_body | "WITH"i with_body
match_body: pattern_list where?
unwind_body: expr "AS"i VAR
with_body: projection order_by? skip? limit? where?
return_clause: "RETURN"i return_body
return_body: projection order_by? skip? limit?
projection: "DISTINCT"i? ("*" | proj_item ("," proj_item)*)
proj_item: expr ("AS"i VAR)?
where: "WHERE"i expr
order_by: "ORDER"i "BY"i sort_item ("," sort_item)*
sort_item: expr ("ASC"i | "DESC"i | "ASCENDING"i | "DESCENDING"i)?
skip: "SKIP"i expr
limit: "LIMIT"i expr
pattern_list: pattern ("," pattern)*
pattern: (VAR "=")? (("shortestPath"i | "allShortestPaths"i) "(" chain_any ")" | chain_any)
node_map: "{{" (KEY ":" expr ("," KEY ":" expr)*)? "}}"
var_length: "*" INT? (".." INT?)?
{chain_rules(graph, "node_map", "node_map")}
expr: or_expr
or_expr: xor_expr ("OR"i xor_expr)*
xor_expr: and_expr ("XOR"i and_expr)*
and_expr: not_expr ("AND"i not_expr)*
not_expr: "NOT"i not_expr | comparison
comparison: add_expr (comp_op add_expr)*
    | add_expr "IS"i "NOT"i? "NULL"i
    | add_expr ("STARTS"i "WITH"i | "ENDS"i "WITH"i | "CONTAINS"i | "IN"i | "=~") add_expr
    | add_expr ":" ({any_label})
comp_op: "=" | "<>" | "<" | "<=" | ">" | ">="
add_expr: mul_expr (("+" | "-") mul_expr)*
mul_expr: pow_expr (("*" | "/" | "%") pow_expr)*
pow_expr: unary ("^" unary)*
unary: ("-" | "+") unary | postfix
postfix: atom ("." (KEY | VALUE_KEY) | "[" expr "]" | "[" expr? ".." expr? "]")*
atom: literal | PARAM | VAR | "(" expr ")" | chain_any
    | FUNCTION "(" "DISTINCT"i? (expr ("," expr)*)? ")" | "count"i "(" "*" ")"
    | ("all"i | "any"i | "none"i | "single"i) "(" VAR "IN"i expr "WHERE"i expr ")"
    | "reduce"i "(" VAR "=" expr "," VAR "IN"i expr "|" expr ")"
    | "[" (expr ("," expr)*)? "]"
    | "[" VAR "IN"i expr ("WHERE"i expr)? ("|" expr)? "]"
    | "[" (VAR "=")? chain_any ("WHERE"i expr)? "|" expr "]"
    | "{{" (MAP_KEY ":" expr ("," MAP_KEY ":" expr)*)? "}}"
    | "CASE"i expr? ("WHEN"i expr "THEN"i expr)+ ("ELSE"i expr)? "END"i
    | ("EXISTS"i | "COUNT"i) "{{" ("MATCH"i pattern_list where? | pattern_list where?) "}}"
literal: INT | FLOAT | STRING | "true"i | "false"i | "null"i

{label_terms}{type_terms}KEY: {keys}
VALUE_KEY: {value_keys or lark_string("year")}
FUNCTION: {words(FUNCTIONS, case_insensitive=True)}
VAR: /[A-Za-z_][A-Za-z0-9_]{{0,29}}/ & ~{not_words_regex(_WORDS)} | /`[^`]+`/
MAP_KEY: /[A-Za-z_][A-Za-z0-9_]{{0,29}}/
PARAM: /\\$[A-Za-z_][A-Za-z0-9_]*/
{GRAPH_LITERALS}{IGNORE}""")


__all__ = ["FUNCTIONS", "cypher_grammar"]
