"""PostgreSQL: double quotes only for reserved words; standard strings (a backslash is an ordinary character).

Idioms: ``EXTRACT(YEAR FROM d)`` for the year of a date, ``to_char(d, 'YYYY-MM')`` for its month, ``ILIKE`` for a case-insensitive substring (``LIKE``
is case-sensitive here), typed ``DATE '...'`` literals, bare boolean tests (``WHERE flag`` / ``WHERE NOT flag``)
``COUNT(*) FILTER (WHERE ...)`` for the rows meeting a condition, ``100.0 *`` or ``::numeric`` before a division of
counts (integer division truncates here), ``ROUND(x::numeric, 2)`` where an average of a double would have no two-argument ROUND,
``a || b`` for text joined together and ``ORDER BY x NULLS FIRST/LAST`` to place unknown values.
"""

from __future__ import annotations

import datetime as _dt

from momq.bench.compilers.sql import SqlCompiler
from momq.schema.types import ValueType

#: PostgreSQL reserved key words (SQL:2016 "reserved" column of the PostgreSQL appendix, plus non-reserved
#: words that cannot be column names).
POSTGRES_RESERVED = frozenset("""
all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation
column concurrently constraint create cross current_catalog current_date current_role current_schema
current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for
foreign freeze from full grant group having ilike in initially inner intersect into is isnull join lateral
leading left like limit localtime localtimestamp natural not notnull null offset on only or order outer
overlaps placing primary references returning right select session_user similar some symmetric system_user
table tablesample then to trailing true union unique user using variadic verbose when where window with
""".split())


class PostgreSQLCompiler(SqlCompiler):
    dialect = "postgresql"
    reserved = POSTGRES_RESERVED
    quote_char = '"'

    def agg(self, a, rounded: bool = True) -> str:
        text = super().agg(a, rounded)
        # ROUND(x, n) exists for numeric only: the average of a double precision column needs a cast
        if rounded and text.startswith("ROUND(") and a.col is not None:
            if self.attribute(a.col).type is ValueType.FLOAT:
                text = f"ROUND({text[len('ROUND('):-len(', 2)')]}::numeric, 2)"
        return text

    like_ci = "ILIKE"

    def year_of(self, c: str) -> str:
        return f"EXTRACT(YEAR FROM {c})"

    def literal(self, value) -> str:
        if isinstance(value, _dt.date):
            return f"DATE '{value.isoformat()}'"
        return super().literal(value)

    def flag(self, c: str, value: bool) -> str:
        return c if value else f"NOT {c}"

    def percent(self, cond: str) -> str:
        return f"ROUND(100.0 * COUNT(*) FILTER (WHERE {cond}) / COUNT(*), 1)"

    def year_month(self, c: str) -> str:
        return f"to_char({c}, 'YYYY-MM')"

    def per(self, rows: str, groups: str) -> str:
        return f"ROUND({rows}::numeric / {groups}, 2)"

    def concat(self, parts: list[str]) -> str:
        return " || ".join(parts)

    def nulls_order(self, c: str, descending: bool, nulls: str) -> list[str]:
        return [f"{c}{' DESC' if descending else ''} NULLS {nulls.upper()}"]
