"""MySQL 8: backticks only for reserved words; backslash is an escape character inside string literals.

Idioms: ``YEAR(d)`` for the year of a date, ``DATE_FORMAT(d, '%Y-%m')`` for its month, plain ``LIKE '%x%'`` for a case-insensitive substring (MySQL's
default collations are case-insensitive), ``flag = TRUE`` and quoted date strings compared to DATE columns,
``SUM(condition)`` to count the rows meeting a condition (a comparison is 0 or 1), ``/`` that never truncates,
``CONCAT(a, b, ...)`` for text joined together and ``ORDER BY ISNULL(x), x`` to place unknown values (MySQL has no
``NULLS FIRST/LAST``); set operations are ``UNION`` / ``INTERSECT`` / ``EXCEPT`` (MySQL 8.0.31, MariaDB 10.3).
"""

from __future__ import annotations

from momq.bench.compilers.sql import SqlCompiler

#: MySQL 8.0 reserved words likely to appear as table or column names (not the full list of 260).
MYSQL_RESERVED = frozenset("""
accessible add all alter analyze and as asc before between bigint binary blob both by call cascade case change
char character check collate column condition constraint continue convert create cross cube cume_dist
current_date current_time current_timestamp current_user cursor database databases day_hour day_minute
day_second dec decimal declare default delayed delete dense_rank desc describe distinct div double drop dual
each else elseif empty enclosed escaped except exists exit explain false fetch first_value float for force
foreign from fulltext function generated get grant group grouping groups having high_priority hour_minute
hour_second if ignore in index infile inner inout insert int integer interval into is iterate join json_table
key keys kill lag last_value lateral lead leading leave left like limit linear lines load localtime
localtimestamp lock long loop low_priority match maxvalue minute_second mod modifies natural not nth_value
ntile null numeric of on optimize option optionally or order out outer outfile over partition percent_rank
precision primary procedure purge range rank read reads real recursive references regexp release rename repeat
replace require resignal restrict return revoke right rlike row row_number rows schema schemas select
sensitive separator set show signal smallint spatial specific sql sqlexception sqlstate sqlwarning
ssl starting stored straight_join system table terminated then to trailing trigger true undo union unique
unlock unsigned update usage use using utc_date utc_time utc_timestamp values varbinary varchar varying
virtual when where while window with write xor year_month zerofill
""".split())


class MySQLCompiler(SqlCompiler):
    dialect = "mysql"
    reserved = MYSQL_RESERVED
    quote_char = "`"

    def string(self, text: str) -> str:
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"

    def year_of(self, c: str) -> str:
        return f"YEAR({c})"

    def percent(self, cond: str) -> str:
        return f"ROUND(100 * SUM({cond}) / COUNT(*), 1)"

    def year_month(self, c: str) -> str:
        return f"DATE_FORMAT({c}, '%Y-%m')"

    def per(self, rows: str, groups: str) -> str:
        return f"ROUND({rows} / {groups}, 2)"

    def concat(self, parts: list[str]) -> str:
        return f"CONCAT({', '.join(parts)})"

    def nulls_order(self, c: str, descending: bool, nulls: str) -> list[str]:
        # MySQL has no NULLS FIRST/LAST: ISNULL(c) is 1 for unknown values, so it sorts them to one end
        return [f"ISNULL({c})" + (" DESC" if nulls == "first" else ""), c + (" DESC" if descending else "")]
