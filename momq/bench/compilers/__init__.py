"""Per-dialect compilers from the query IR to query text, found by dialect name.

``compile_query(query, dialect, domain)`` is the entry point; adding a dialect means adding a module with a
:class:`~momq.bench.compilers.base.Compiler` subclass and registering it here.
"""

from __future__ import annotations

from momq.bench.compilers.base import Compiler
from momq.bench.compilers.cypher import CypherCompiler
from momq.bench.compilers.mysql import MySQLCompiler
from momq.bench.compilers.ngql import NGQLCompiler
from momq.bench.compilers.postgresql import PostgreSQLCompiler
from momq.bench.er import Domain
from momq.bench.ir import Query
from momq.dialects.base import check_dialect

COMPILERS: dict[str, type[Compiler]] = {
    "mysql": MySQLCompiler,
    "postgresql": PostgreSQLCompiler,
    "cypher": CypherCompiler,
    "ngql": NGQLCompiler,
}


def compiler_for(dialect: str, domain: Domain) -> Compiler:
    return COMPILERS[check_dialect(dialect, tuple(COMPILERS))](domain)


def compile_query(query: Query, dialect: str, domain: Domain) -> str:
    """The gold query text of ``query`` in ``dialect`` over ``domain``'s projected schema."""
    return compiler_for(dialect, domain).compile(query)


def compile_all(query: Query, domain: Domain) -> dict[str, str]:
    """The query in every registered dialect, in canonical dialect order."""
    return {d: compile_query(query, d, domain) for d in COMPILERS}


__all__ = ["COMPILERS", "Compiler", "compile_all", "compile_query", "compiler_for"]
