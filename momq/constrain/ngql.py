"""The read-only nGQL grammar (NebulaGraph 3) specialised to one graph space.

:func:`ngql_grammar` returns llguidance Lark text for one read statement or pipeline (``stage | stage ...``)
then the closing code fence: ``GO`` (steps, ``REVERSELY`` / ``BIDIRECT``, ``SAMPLE``, ``LIMIT``),
``FETCH PROP ON`` (vertices and edges), ``LOOKUP ON``, ``FIND ... PATH``, ``GET SUBGRAPH``, piped ``YIELD``,
``GROUP BY``, ``ORDER BY``, ``LIMIT``, and openCypher-style ``MATCH`` / ``OPTIONAL MATCH`` / ``WITH`` /
``UNWIND`` / ``RETURN`` with nGQL's property access (``v.Tag.prop``, ``$$.Tag.prop``, ``$^.Tag.prop``,
``Edge.prop``, ``$-.alias``, ``properties(v).prop``) and ``==`` comparisons.

The reference for nGQL is our own parser (``momq/ngql/grammar.lark``, Lark/LALR with a contextual lexer, which
llguidance's Lark dialect cannot take as is: aliases, inlined ``?rules`` and the admin statements' catch-all
terminal). This grammar is therefore written separately for the read subset and tested against that parser:
every gold query must pass both, and everything generated under this grammar must parse with ours.

Schema specialisation: tags, edge types and properties take only the space's names (``Tag.prop`` pairs only a
tag's own properties; edge properties only after an edge type or an edge variable), bare or in backticks;
MATCH patterns follow the schema's directions (:mod:`momq.constrain.patterns`). Variables, aliases and
literals are free. Not here: mutations, DDL, admin and ``SHOW`` / ``USE`` statements, variable assignments
and several statements separated by ``;``.
"""

from __future__ import annotations

from momq.constrain.lexical import (
    FENCE_RULE,
    GRAPH_LITERALS,
    IGNORE,
    ascii_case,
    lead_keyword,
    name_or_backquoted,
    not_words_regex,
    symbol,
    words,
)
from momq.constrain.patterns import chain_rules
from momq.schema import GraphDatabase

FUNCTIONS = (
    "id count sum avg min max collect collect_set std bit_and bit_or abs ceil floor round sqrt pow exp log "
    "log10 rand toInteger toFloat toString toBoolean lower upper toLower toUpper left right substr substring "
    "trim ltrim rtrim length size properties src dst type rank tags labels coalesce concat concat_ws split "
    "reverse replace now date datetime time timestamp nodes relationships head last tail range hash startNode "
    "endNode lpad rpad keys vertex edge"
).split()
_WORDS = (
    "go from to over reversely bidirect where yield distinct as sample limit fetch prop on lookup find shortest "
    "single all noloop path with upto get subgraph in out both group by order asc desc ascending descending "
    "optional match unwind return skip and or xor not is null empty true false contains starts ends case when "
    "then else end steps step"
).split()


def ngql_grammar(graph: GraphDatabase) -> str:
    """Lark text (llguidance dialect) for one read-only nGQL statement over ``graph``, then the fence."""
    tags = [n.label for n in graph.node_types]
    tag_terms = "".join(f"TAG_{symbol(t).upper()}: {name_or_backquoted(t)}\n" for t in tags)
    edge_terms = "".join(f"TYPE_{symbol(e.type).upper()}: {name_or_backquoted(e.type)}\n" for e in graph.edge_types)
    any_tag = " | ".join(f"TAG_{symbol(t).upper()}" for t in tags)
    any_edge = " | ".join(f"TYPE_{symbol(e.type).upper()}" for e in graph.edge_types)
    # Tag.prop with the tag's own properties; Edge.prop likewise
    tag_prop = " | ".join(f'TAG_{symbol(n.label).upper()} "." ({" | ".join(name_or_backquoted(p.name) for p in n.properties)})'
                          for n in graph.node_types if n.properties)
    edge_with_props = [e for e in graph.edge_types if e.properties]
    edge_prop = " | ".join(f'TYPE_{symbol(e.type).upper()} "." ({" | ".join(name_or_backquoted(p.name) for p in e.properties)})'
                           for e in edge_with_props)
    props = sorted({p.name for n in graph.node_types for p in n.properties})
    eprops = sorted({p.name for e in graph.edge_types for p in e.properties})
    eprop_rule = f"EPROP: {' | '.join(name_or_backquoted(p) for p in eprops)}\n" if eprops else ""
    lead = {w: lead_keyword(w) for w in ("go", "fetch", "lookup", "find", "get", "match", "unwind", "with",
                                          "yield")}
    lead_optional = lead_keyword("optional match")
    return ascii_case(f"""start: top ";"? {FENCE_RULE}
top: first_stage ("|" stage)*
first_stage: {lead["go"]} go_body | {lead["fetch"]} fetch_body | {lead["lookup"]} lookup_body
    | {lead["find"]} find_body | {lead["get"]} subgraph_body | {lead["yield"]} yield_body where?
    | ({lead["match"]} | {lead_optional}) match_body match_part* return_clause
    | {lead["unwind"]} unwind_body match_part* return_clause
    | {lead["with"]} with_body match_part* return_clause
stage: "GO"i go_body | "FETCH"i fetch_body | "LOOKUP"i lookup_body | "FIND"i find_body
    | "GET"i subgraph_body | yield_clause where? | "GROUP"i "BY"i expr_list yield_clause
    | order_by | "LIMIT"i INT ("," INT)?
go_body: (INT ("TO"i INT)? ("STEPS"i | "STEP"i))? "FROM"i vid_list over where? yield_clause? ("SAMPLE"i list_lit)? ("LIMIT"i list_lit)?
over: "OVER"i ("*" | EDGE ("," EDGE)*) ("REVERSELY"i | "BIDIRECT"i)?
fetch_body: "PROP"i "ON"i ("*" | TAG ("," TAG)*) vid_list yield_clause?
    | "PROP"i "ON"i EDGE edge_key ("," edge_key)* yield_clause?
edge_key: vid "->" vid ("@" INT)?
lookup_body: "ON"i (TAG | EDGE) where? yield_clause?
find_body: ("SHORTEST"i | "SINGLE"i "SHORTEST"i | "ALL"i | "NOLOOP"i) "PATH"i ("WITH"i "PROP"i)? "FROM"i vid_list "TO"i vid_list over where? ("UPTO"i INT ("STEPS"i | "STEP"i))? yield_clause?
subgraph_body: "SUBGRAPH"i ("WITH"i "PROP"i)? (INT ("STEPS"i | "STEP"i))? "FROM"i vid_list (("IN"i | "OUT"i | "BOTH"i) EDGE ("," EDGE)*)* where? yield_clause?
vid_list: vid ("," vid)*
vid: STRING | INT | "-" INT | INPUT_REF "." ALIAS | VARIABLE "." ALIAS | FUNCTION "(" expr_list? ")"
yield_clause: "YIELD"i yield_body
yield_body: "DISTINCT"i? yield_item ("," yield_item)*
yield_item: expr ("AS"i ALIAS)?
where: "WHERE"i expr
match_body: pattern_list where?
match_part: "OPTIONAL"i? "MATCH"i match_body | "UNWIND"i unwind_body | "WITH"i with_body
unwind_body: expr "AS"i VAR
with_body: projection order_by? skip? limit? where?
return_clause: "RETURN"i projection order_by? skip? limit?
projection: "DISTINCT"i? ("*" | yield_item ("," yield_item)*)
order_by: "ORDER"i "BY"i sort_item ("," sort_item)*
sort_item: expr ("ASC"i | "DESC"i | "ASCENDING"i | "DESCENDING"i)?
skip: "SKIP"i expr
limit: "LIMIT"i expr
pattern_list: pattern ("," pattern)*
pattern: (VAR "=")? chain_any
node_map: "{{" (PROP ":" expr ("," PROP ":" expr)*)? "}}"
edge_map: "{{" ({'EPROP' if eprops else 'PROP'} ":" expr ("," {'EPROP' if eprops else 'PROP'} ":" expr)*)? "}}"
var_length: "*" INT? (".." INT?)?
{chain_rules(graph, "node_map", "edge_map", label_ref="TAG_{label}")}
expr_list: expr ("," expr)*
expr: or_expr
or_expr: xor_expr ("OR"i xor_expr)*
xor_expr: and_expr ("XOR"i and_expr)*
and_expr: not_expr ("AND"i not_expr)*
not_expr: "NOT"i not_expr | comparison
comparison: add_expr (comp_op add_expr)*
    | add_expr "IS"i "NOT"i? ("NULL"i | "EMPTY"i)
    | add_expr "NOT"i? ("STARTS"i "WITH"i | "ENDS"i "WITH"i | "CONTAINS"i | "IN"i) add_expr
    | add_expr "=~" add_expr
comp_op: "==" | "!=" | "<>" | "<" | "<=" | ">" | ">="
add_expr: mul_expr (("+" | "-") mul_expr)*
mul_expr: unary (("*" | "/" | "%") unary)*
unary: ("-" | "+") unary | postfix
postfix: atom ("[" expr "]" | "[" expr? ".." expr? "]")*
atom: literal | list_lit | map_lit | "(" expr ")"
    | FUNCTION "(" "DISTINCT"i? expr_list? ")" | "count"i "(" "*" ")"
    | "properties"i "(" (VAR | "vertex"i | "edge"i | "$$" | "$^") ")" "." (PROP | {'EPROP' if eprops else 'PROP'})
    | VAR "." tag_prop {'| VAR "." EPROP' if eprops else ''}
    | ("$$" | "$^") "." tag_prop
    | tag_prop {'| edge_prop' if edge_prop else ''}
    | INPUT_REF "." ALIAS | VARIABLE "." ALIAS
    | "$$" | "$^" | "vertex"i | "edge"i | VAR
    | "CASE"i expr? ("WHEN"i expr "THEN"i expr)+ ("ELSE"i expr)? "END"i
    | "[" VAR "IN"i expr ("WHERE"i expr)? ("|" expr)? "]"
tag_prop: {tag_prop}
{'edge_prop: ' + edge_prop if edge_prop else ''}
literal: INT | FLOAT | STRING | "true"i | "false"i | "null"i
list_lit: "[" expr_list? "]"
map_lit: "{{" (ALIAS ":" expr ("," ALIAS ":" expr)*)? "}}"

{tag_terms}{edge_terms}TAG: {any_tag}
EDGE: {any_edge}
PROP: {" | ".join(name_or_backquoted(p) for p in props)}
{eprop_rule}FUNCTION: {words(FUNCTIONS, case_insensitive=True)}
VAR: /[A-Za-z_][A-Za-z0-9_]{{0,29}}/ & ~{not_words_regex(_WORDS)} | /`[^`]+`/
ALIAS: /[A-Za-z_][A-Za-z0-9_]{{0,29}}/ | /`[^`]+`/
INPUT_REF: "$-"
VARIABLE: /\\$[A-Za-z_][A-Za-z0-9_]*/
{GRAPH_LITERALS}{IGNORE}""")


__all__ = ["FUNCTIONS", "ngql_grammar"]
