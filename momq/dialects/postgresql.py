"""PostgreSQL 15: the prompt instruction, the column type names shown in schemas, and the ```sql fence.

The schema layout and answer extraction are the shared SQL ones (``momq.dialects.prompt``). This module does not
execute or validate queries.
"""

from __future__ import annotations

from momq.dialects.prompt import RelationalPromptDialect
from momq.schema import ValueType

_TYPES = {
    ValueType.INTEGER: "BIGINT",
    ValueType.FLOAT: "DOUBLE PRECISION",
    ValueType.DECIMAL: "NUMERIC(12,2)",
    ValueType.TEXT: "TEXT",
    ValueType.DATE: "DATE",
    ValueType.BOOLEAN: "BOOLEAN",
}


class PostgreSQL(RelationalPromptDialect):
    name = "postgresql"
    instruction = (
        "You are an expert in PostgreSQL 15. Read the database schema below and write one SQL query in "
        "PostgreSQL syntax that answers the question. Use only the tables and columns listed, quote identifiers "
        "with double quotes only when needed, and return exactly one read-only SELECT statement in a ```sql "
        "code block."
    )

    def type_name(self, value_type: ValueType) -> str:
        return _TYPES[value_type]


DIALECT = PostgreSQL()
