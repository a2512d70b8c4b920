"""Which parsed nGQL statements are read-only, and which scripts count as one logical query.

A statement is read-only when it is a query kind (GO, FETCH, LOOKUP, MATCH without Cypher write clauses, FIND
PATH, GET SUBGRAPH, YIELD, GROUP BY, ORDER BY, LIMIT, SHOW/DESCRIBE) and not a :class:`~momq.ngql.ast.Mutation`.
``first_mutation`` also reports the mutating keyword of text that does not parse, so an engine can say "refused:
DROP SPACE" rather than "syntax error" for hostile input. This module does not execute anything.
"""

from __future__ import annotations

import re

from momq.ngql import ast as A

_READ_KINDS = (A.Go, A.FetchVertices, A.FetchEdges, A.Lookup, A.FindPath, A.Subgraph, A.YieldStmt, A.GroupBy,
               A.OrderBy, A.Limit, A.Use, A.Show, A.Unwind)

# Leading words of nGQL statements (and Cypher clauses) that change data, schema, users or the cluster.
MUTATING_KEYWORDS = frozenset({
    "INSERT", "UPDATE", "UPSERT", "DELETE", "DROP", "CREATE", "ALTER", "CLEAR", "SUBMIT", "REBUILD", "KILL", "STOP",
    "GRANT", "REVOKE", "BALANCE", "DOWNLOAD", "INGEST", "RECOVER", "RESTORE", "ADD", "SIGN", "CHANGE", "MERGE",
    "SET", "REMOVE", "DETACH", "BACKUP", "UPDATE_CONFIGS", "MERGE_ZONE",
})

_STRINGS_AND_COMMENTS = re.compile(
    r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|`[^`]*`|#[^\n]*|//[^\n]*|--(?=\s)[^\n]*|/\*.*?\*/', re.S)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def mutation_kind(stmt) -> str | None:
    """The mutating keyword(s) of a parsed statement, or None when it only reads."""
    if isinstance(stmt, A.Mutation):
        return stmt.kind
    if isinstance(stmt, A.Match):
        for clause in stmt.clauses:
            if isinstance(clause, A.CypherMutation):
                return clause.kind
        return None
    if isinstance(stmt, _READ_KINDS):
        return None
    raise TypeError(f"not an nGQL statement: {type(stmt).__name__}")


def is_read_only(stmt) -> bool:
    """True when a statement, pipeline, assignment or script cannot change data."""
    return first_mutation(stmt) is None


def first_mutation(node) -> str | None:
    """The first mutating statement kind inside a script/pipeline/assignment/statement, or None."""
    if isinstance(node, A.Script):
        for s in node.statements:
            kind = first_mutation(s)
            if kind:
                return kind
        return None
    if isinstance(node, A.Assignment):
        return first_mutation(node.pipeline)
    if isinstance(node, A.SetOp):
        return first_mutation(node.left) or first_mutation(node.right)
    if isinstance(node, A.Subquery):
        return first_mutation(node.query)
    if isinstance(node, A.Pipeline):
        for s in node.stages:
            kind = first_mutation(s)
            if kind:
                return kind
        return None
    return mutation_kind(node)


def pipelines(node):
    """Every pipeline inside a query, set operation, bracketed stage or assignment (depth first, left first)."""
    if isinstance(node, A.Assignment):
        yield from pipelines(node.pipeline)
    elif isinstance(node, A.SetOp):
        yield from pipelines(node.left)
        yield from pipelines(node.right)
    elif isinstance(node, A.Pipeline):
        yield node
        for stage in node.stages:
            if isinstance(stage, A.Subquery):
                yield from pipelines(stage.query)


def mutating_words(text: str) -> list[str]:
    """Mutating keywords that appear as words outside strings and comments (a lexical fallback for unparsable text)."""
    bare = _STRINGS_AND_COMMENTS.sub(" ", text)
    return [w.upper() for w in _WORD.findall(bare) if w.upper() in MUTATING_KEYWORDS]


def statement_leading_mutation(text: str) -> str | None:
    """The mutating keyword that starts any ``;``/``|``-separated statement of ``text``, or None."""
    bare = _STRINGS_AND_COMMENTS.sub(" ", text)
    for part in re.split(r"[;|]", bare):
        words = _WORD.findall(part)
        if words and words[0].upper() in MUTATING_KEYWORDS:
            return words[0].upper()
        # `$v = DELETE ...`
        m = re.match(r"\s*\$[A-Za-z_][A-Za-z0-9_]*\s*=\s*([A-Za-z_]+)", part)
        if m and m.group(1).upper() in MUTATING_KEYWORDS:
            return m.group(1).upper()
    return None
