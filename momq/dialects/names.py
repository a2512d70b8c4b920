"""How each dialect writes a schema name (table, column, view, schema, label, property) into a query or DDL.

A name in the schema model is any non-empty text without NUL (:func:`momq.schema.types.check_name`); real
databases have columns such as ``Free Meal Count (K-12)``, mixed-case and reserved-word names. Every place that
writes a name into text asks here: :func:`quote_name` always quotes it (MySQL backticks, PostgreSQL double
quotes, Cypher and nGQL backticks, the quote character doubled inside), :func:`write_name` quotes it only where
the dialect needs it, so a plain name (``[A-Za-z_][A-Za-z0-9_]*``, not reserved, and for PostgreSQL, whose bare
names fold to lower case, lower case) is written as it is. It does not parse or check queries.
"""

from __future__ import annotations

import re

from momq.dialects.base import check_dialect

#: The quote character of a name in each dialect.
NAME_QUOTE: dict[str, str] = {"mysql": "`", "postgresql": '"', "cypher": "`", "ngql": "`"}

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _reserved(dialect: str) -> frozenset[str]:
    from momq.bench.domains import _reserved

    return {"mysql": _reserved.MYSQL, "postgresql": _reserved.POSTGRESQL, "cypher": _reserved.CYPHER,
            "ngql": _reserved.NGQL}[dialect]


def is_plain(name: str) -> bool:
    """Whether ``name`` is an identifier in every dialect's bare-name syntax (reserved words aside)."""
    return bool(_PLAIN.match(name))


def needs_quoting(name: str, dialect: str) -> bool:
    """Whether ``name`` must be quoted to mean itself in ``dialect``."""
    dialect = check_dialect(dialect)
    if not is_plain(name) or name.upper() in _reserved(dialect):
        return True
    return dialect == "postgresql" and name != name.lower()


def quote_name(name: str, dialect: str) -> str:
    """``name`` quoted for ``dialect``, the quote character doubled inside."""
    q = NAME_QUOTE[check_dialect(dialect)]
    return q + name.replace(q, q + q) + q


def write_name(name: str, dialect: str) -> str:
    """``name`` as a query should write it: bare when it may be, quoted otherwise."""
    return quote_name(name, dialect) if needs_quoting(name, dialect) else name


def write_qualified(schema: str | None, name: str, dialect: str) -> str:
    """``schema.name`` (or ``name`` in the default namespace), each part written by :func:`write_name`."""
    return (f"{write_name(schema, dialect)}." if schema else "") + write_name(name, dialect)


__all__ = ["NAME_QUOTE", "is_plain", "needs_quoting", "quote_name", "write_name", "write_qualified"]
