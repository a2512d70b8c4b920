"""MySQL 8: the prompt instruction, the column type names shown in schemas, and the ```sql fence.

The schema layout and answer extraction are the shared SQL ones (``momq.dialects.prompt``). The benchmark runs
MySQL queries on MariaDB in MySQL-compatible mode; the prompt still asks for MySQL 8, which is what users run.
This module does not execute or validate queries.
"""

from __future__ import annotations

from momq.dialects.prompt import RelationalPromptDialect
from momq.schema import ValueType

_TYPES = {
    ValueType.INTEGER: "BIGINT",
    ValueType.FLOAT: "DOUBLE",
    ValueType.DECIMAL: "DECIMAL(12,2)",
    ValueType.TEXT: "VARCHAR(255)",
    ValueType.DATE: "DATE",
    ValueType.BOOLEAN: "BOOLEAN",
}


class MySQL(RelationalPromptDialect):
    name = "mysql"
    line_comments = ("--", "#")
    instruction = (
        "You are an expert in MySQL 8. Read the database schema below and write one SQL query in MySQL syntax "
        "that answers the question. Use only the tables and columns listed, quote identifiers with backticks "
        "only when needed, and return exactly one read-only SELECT statement in a ```sql code block."
    )

    def type_name(self, value_type: ValueType) -> str:
        return _TYPES[value_type]


DIALECT = MySQL()
