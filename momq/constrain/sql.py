"""The read-only SQL grammars (MySQL 8, PostgreSQL) specialised to one relational database.

:func:`sql_grammar` returns llguidance Lark text for one SELECT statement -- CTEs (``WITH [RECURSIVE]``),
joins (inner, outer, cross, natural, ``USING``), derived tables and subqueries (scalar, ``IN``, ``EXISTS``,
``ANY``/``ALL``), set operations, window functions with frames, ``CASE``, ``CAST``, ``EXTRACT``, ``INTERVAL``,
the dialect's own operators (MySQL ``DIV``/``REGEXP``/``<=>``; PostgreSQL ``::``, ``ILIKE``, ``~``, ``||``,
``FILTER``, ``IS DISTINCT FROM``, ``NULLS FIRST``) and functions -- followed by an optional ``;`` and the
closing code fence.

Schema specialisation: table positions take only the database's tables and views (and, after ``WITH``, names
the query defines -- free identifiers, a CFG cannot check they were defined), a table in a named schema only as
``schema.table``, one in the default schema bare (PostgreSQL: also ``public.table``); column positions take only
its columns (and the views'), bare or after a qualifier. Every schema name may be quoted per the dialect (MySQL
backticks, PostgreSQL double quotes, the quote doubled inside) and must be where the dialect needs it: a name
that is not a plain identifier, a reserved word, or (PostgreSQL, which folds bare names) not lower case.
Qualifiers and aliases are free identifiers (not keywords): a CFG cannot check that
``a.col`` belongs to the table ``a`` stands for. A query may refer to a name it defines itself (an output
alias, a derived table's column) only through ``derived_names`` (default: ``rn``, the benchmark's row-number
alias) -- a deliberate restriction that keeps hallucinated columns out at the cost of forcing such queries to
repeat the expression. Literals are free.

Not here: writes, DDL, ``SELECT ... INTO``, locking clauses, JSON operators, user variables, comments; the
grammar is a subset of each dialect, so the engine still decides what runs.
"""

from __future__ import annotations

import re

from momq.bench.domains._reserved import MYSQL as MYSQL_RESERVED
from momq.bench.domains._reserved import POSTGRESQL as PG_RESERVED
from momq.dialects.names import needs_quoting, quote_name
from momq.constrain.lexical import FENCE_RULE, ascii_case, IGNORE, lark_string, lead_keyword, not_words_regex, words
from momq.schema import RelationalDatabase

#: Names a query may use for what it defines itself (see the module docstring).
DERIVED_NAMES: tuple[str, ...] = ("rn",)

_COMMON_FUNCTIONS = (
    "count sum avg min max abs ceil ceiling floor round sign sqrt power exp ln log log10 mod greatest least "
    "coalesce nullif lower upper length char_length character_length substring substr trim ltrim rtrim replace "
    "concat left right lpad rpad reverse repeat position now current_date row_number rank dense_rank "
    "percent_rank cume_dist ntile lag lead first_value last_value nth_value"
).split()
_MYSQL_FUNCTIONS = (
    "year month day dayofmonth dayofweek dayofyear week quarter hour minute second date_format str_to_date "
    "datediff timestampdiff date_add date_sub adddate subdate curdate curtime sysdate date time timestamp "
    "last_day monthname dayname makedate from_unixtime unix_timestamp ifnull if isnull concat_ws group_concat "
    "locate instr mid format truncate rand pi cot std stddev stddev_pop stddev_samp variance var_pop var_samp "
    "bit_and bit_or bit_xor field elt ascii hex unhex lcase ucase space strcmp regexp_replace regexp_substr "
    "regexp_instr regexp_like any_value json_extract json_unquote"
).split()
_PG_FUNCTIONS = (
    "date_part date_trunc to_char to_date to_timestamp to_number age make_date justify_days string_agg "
    "array_agg bool_and bool_or every stddev stddev_pop stddev_samp variance var_pop var_samp trunc div random "
    "pi cbrt initcap split_part strpos btrim regexp_replace regexp_matches md5 concat_ws format "
    "percentile_cont percentile_disc mode generate_series extract_epoch"
).split()
_TYPES_MYSQL = "SIGNED UNSIGNED DECIMAL CHAR DATE DATETIME TIME DOUBLE FLOAT INTEGER INT BINARY".split()
_TYPES_PG = ("INTEGER INT BIGINT SMALLINT NUMERIC DECIMAL REAL TEXT VARCHAR CHAR DATE TIMESTAMP TIME BOOLEAN "
             "FLOAT INTERVAL").split()
_UNITS = "MICROSECOND SECOND MINUTE HOUR DAY WEEK MONTH QUARTER YEAR".split()
_PG_FIELDS = _UNITS + "DOW DOY EPOCH ISODOW ISOYEAR DECADE CENTURY MILLENNIUM".split()

# words the grammar itself uses: free identifiers may not be one of them
_GRAMMAR_WORDS = (
    "select from where group by having order limit offset join on using inner left right full outer cross "
    "natural union intersect except all distinct as and or not in is null true false like between exists case "
    "when then else end cast extract interval over partition rows range unbounded preceding following current "
    "row with recursive asc desc nulls first last filter any some div mod regexp rlike ilike similar escape "
    "fetch next only window lateral separator xor unknown date timestamp"
).split()


def _name(name: str, dialect: str, case_insensitive: bool) -> str:
    """The ways a schema name may be written: quoted (the quote character doubled inside), and bare when the
    dialect reads it bare as itself (a plain identifier, not reserved, for PostgreSQL lower case)."""
    forms = [lark_string(quote_name(name, dialect))]
    if not needs_quoting(name, dialect) and name.lower() not in _GRAMMAR_WORDS:
        forms.append(lark_string(name) + ("i" if case_insensitive else ""))
    return " | ".join(forms)


def _relation(schema: str | None, name: str, dialect: str) -> str:
    """The ways a table or view may be named: ``schema.name`` when it lives in a named schema; bare in the
    default one (PostgreSQL's ``public``, on the search path, may also be written)."""
    table = _name(name, dialect, case_insensitive=dialect == "postgresql")
    if schema is None and dialect == "postgresql":
        schema = "public"
        return f'({table}) | ({_name(schema, dialect, True)}) "." ({table})'
    if schema is None:
        return f"({table})"
    # MySQL: database (schema) names are case-sensitive like tables; PostgreSQL folds bare ones
    return f'({_name(schema, dialect, case_insensitive=dialect == "postgresql")}) "." ({table})'


def sql_grammar(database: RelationalDatabase, dialect: str, derived_names: tuple[str, ...] = DERIVED_NAMES
                ) -> str:
    """Lark text (llguidance dialect) for one read-only ``dialect`` SELECT over ``database``, then the fence."""
    if dialect not in ("mysql", "postgresql"):
        raise ValueError(f"not a SQL dialect: {dialect!r}")
    my = dialect == "mysql"
    reserved = MYSQL_RESERVED if my else PG_RESERVED
    relations = [*database.tables, *database.views]  # a view is read like a table
    columns = sorted({c.name for t in relations for c in t.columns} | set(derived_names))
    # MySQL: columns case-insensitive, tables case-sensitive (Linux); PostgreSQL folds bare names to lower case
    table_alts = " | ".join(_relation(t.schema, t.name, dialect) for t in relations)
    column_alts = " | ".join(_name(c, dialect, case_insensitive=True) for c in columns)
    functions = sorted(set(_COMMON_FUNCTIONS) | set(_MYSQL_FUNCTIONS if my else _PG_FUNCTIONS))
    types = _TYPES_MYSQL if my else _TYPES_PG
    banned = set(_GRAMMAR_WORDS) | {w.lower() for w in reserved}
    ident = "/[A-Za-z_][A-Za-z0-9_]{0,29}/"
    quoted_ident = "/`[A-Za-z_][A-Za-z0-9_ ]*`/" if my else '/"[A-Za-z_][A-Za-z0-9_ ]*"/'
    string = "/'([^'\\\\\\n]|''|\\\\.){0,80}'/" if my else "/'([^'\\n]|''){0,80}'/"

    lead_with = lead_keyword("with") + " | " + lead_keyword("with recursive")
    head = f"""start: top_query ";"? {FENCE_RULE}
top_query: lead_with cte_list_w query_body_w | lead_select select_body set_tail order_by? limit_clause?
    | "(" query ")" set_tail order_by? limit_clause?
lead_with: {lead_with}
lead_select: {lead_keyword("select")}
with_clause_w: "WITH"i "RECURSIVE"i? cte_list_w
"""
    rules = f"""query: with_clause_w query_body_w | query_body
cte_list: cte ("," cte)*
cte: IDENT ("(" IDENT ("," IDENT)* ")")? "AS"i "(" query ")"
query_body: query_term set_tail order_by? limit_clause?
set_tail: (set_op query_term)*
set_op: ("UNION"i | "INTERSECT"i | "EXCEPT"i) ("ALL"i | "DISTINCT"i)?
query_term: select_core | "(" query ")"
select_core: "SELECT"i select_body
select_body: ("DISTINCT"i | "ALL"i)? select_list from_clause? where_clause? group_by? having? window_clause?
select_list: select_item ("," select_item)*
select_item: "*" | qualifier "." "*" | expr ("AS"i? alias)?
alias: IDENT | QUOTED_IDENT | STRING
from_clause: "FROM"i table_expr ("," table_expr)*
table_expr: table_primary join*
table_primary: table_ref ("AS"i? IDENT)? | "LATERAL"i? "(" query ")" "AS"i? IDENT ("(" IDENT ("," IDENT)* ")")?
    | "(" table_expr ")"
table_ref: table
join: join_kind "JOIN"i table_primary join_cond | ("CROSS"i | "NATURAL"i (("LEFT"i | "RIGHT"i) "OUTER"i?)?) "JOIN"i table_primary
join_kind: "INNER"i? | ("LEFT"i | "RIGHT"i {'' if my else '| "FULL"i'}) "OUTER"i?
join_cond: "ON"i expr | "USING"i "(" column ("," column)* ")"
where_clause: "WHERE"i expr
group_by: "GROUP"i "BY"i expr ("," expr)* {'("WITH"i "ROLLUP"i)?' if my else ''}
having: "HAVING"i expr
window_clause: "WINDOW"i IDENT "AS"i "(" window_spec ")" ("," IDENT "AS"i "(" window_spec ")")*
order_by: "ORDER"i "BY"i order_item ("," order_item)*
order_item: expr ("ASC"i | "DESC"i)? {'' if my else '("NULLS"i ("FIRST"i | "LAST"i))?'}
limit_clause: "LIMIT"i INT (("," | "OFFSET"i) INT)? {'' if my else '| "LIMIT"i INT | "OFFSET"i INT ("ROW"i | "ROWS"i)? ("FETCH"i ("FIRST"i | "NEXT"i) INT? ("ROW"i | "ROWS"i) "ONLY"i)? | "FETCH"i ("FIRST"i | "NEXT"i) INT? ("ROW"i | "ROWS"i) "ONLY"i'}

expr: or_expr
or_expr: xor_expr ("OR"i xor_expr)*
xor_expr: and_expr {'("XOR"i and_expr)*' if my else ''}
and_expr: not_expr ("AND"i not_expr)*
not_expr: "NOT"i not_expr | predicate
predicate: bit_expr
    | bit_expr comp_op bit_expr
    | bit_expr comp_op ("ANY"i | "ALL"i | "SOME"i) "(" query ")"
    | bit_expr "IS"i "NOT"i? ("NULL"i | "TRUE"i | "FALSE"i | "UNKNOWN"i)
    | bit_expr "IS"i "NOT"i? "DISTINCT"i "FROM"i bit_expr
    | bit_expr "NOT"i? "IN"i "(" (query | expr_list) ")"
    | bit_expr "NOT"i? "BETWEEN"i bit_expr "AND"i bit_expr
    | bit_expr "NOT"i? like_op bit_expr ("ESCAPE"i STRING)?
    | "EXISTS"i "(" query ")"
comp_op: "=" | "<>" | "!=" | "<" | "<=" | ">" | ">=" {'| "<=>"' if my else ''}
like_op: "LIKE"i {'| "REGEXP"i | "RLIKE"i' if my else '| "ILIKE"i | "SIMILAR"i "TO"i | "~" | "~*" | "!~" | "!~*"'}
expr_list: expr ("," expr)*
bit_expr: term (("+" | "-" {'' if my else '| "||"'}) term)*
term: unary (("*" | "/" | "%" {'| "DIV"i | "MOD"i' if my else ''}) unary)*
unary: ("-" | "+") unary | postfix
postfix: primary {'' if my else '("::" type_name)*'}
primary: literal | column_ref | function_call | special_call | case_expr | "(" expr ")" | "(" query ")"
    | "INTERVAL"i {'expr unit' if my else 'STRING'}
    | ("DATE"i | "TIMESTAMP"i | "TIME"i) STRING
column_ref: column | qualifier "." column
qualifier: table | IDENT | QUOTED_IDENT
literal: INT | DECIMAL | STRING | "NULL"i | "TRUE"i | "FALSE"i | "CURRENT_DATE"i | "CURRENT_TIMESTAMP"i
function_call: FUNCTION "(" ("DISTINCT"i? call_args)? ")" {'' if my else 'filter_clause?'} over_clause?
call_args: "*" | expr_list order_by? {'("SEPARATOR"i STRING)?' if my else ''}
{'' if my else 'filter_clause: "FILTER"i "(" "WHERE"i expr ")"'}
over_clause: "OVER"i ("(" window_spec ")" | IDENT)
window_spec: IDENT? ("PARTITION"i "BY"i expr_list)? order_by? frame?
frame: ("ROWS"i | "RANGE"i) (frame_bound | "BETWEEN"i frame_bound "AND"i frame_bound)
frame_bound: "UNBOUNDED"i ("PRECEDING"i | "FOLLOWING"i) | "CURRENT"i "ROW"i | expr ("PRECEDING"i | "FOLLOWING"i)
special_call: "CAST"i "(" expr "AS"i type_name ")"
    | "EXTRACT"i "(" unit "FROM"i expr ")"
    | "POSITION"i "(" bit_expr "IN"i expr ")"
    | "TRIM"i "(" (("BOTH"i | "LEADING"i | "TRAILING"i) expr? "FROM"i)? expr ")"
    | ("SUBSTRING"i | "SUBSTR"i) "(" expr "FROM"i expr ("FOR"i expr)? ")"
    {'| "CONVERT"i "(" expr "," type_name ")"' if my else ''}
case_expr: "CASE"i expr? ("WHEN"i expr "THEN"i expr)+ ("ELSE"i expr)? "END"i
type_name: ({words(types, case_insensitive=True)}) ("(" INT ("," INT)? ")")? {'' if my else '("[" "]")?'}
unit: {words(_UNITS if my else _PG_FIELDS, case_insensitive=True)}
"""
    terminals = f"""
table: {table_alts}
column: {column_alts}
FUNCTION: {words(functions, case_insensitive=True)}
IDENT: {ident} & ~{not_words_regex(banned)}
QUOTED_IDENT: {quoted_ident}
INT: /[0-9]{{1,12}}/
DECIMAL: /[0-9]+\\.[0-9]*([eE][+-]?[0-9]+)?|\\.[0-9]+([eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+/
STRING: {string}
"""
    # the rules twice: as written (tables only from the schema) and, below a WITH, a copy whose table
    # positions also take the names the query defines (free identifiers)
    with_copy = _suffixed(rules, "_w").replace("table_ref_w: table\n", "table_ref_w: table | IDENT\n")
    return ascii_case(head + rules + with_copy + terminals + IGNORE)


def _suffixed(rules: str, suffix: str) -> str:
    """``rules`` with every rule it defines (and every reference to one) renamed ``name + suffix``."""
    names = set(re.findall(r"^([a-z_][a-z0-9_]*):", rules, flags=re.M))
    pattern = re.compile(r"\b(" + "|".join(sorted(names, key=len, reverse=True)) + r")\b(?![_\w])")
    return pattern.sub(lambda m: m.group(1) + suffix, rules)


__all__ = ["DERIVED_NAMES", "sql_grammar"]
