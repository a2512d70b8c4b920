"""PostgreSQL 15: the prompt instruction, the column type names shown in schemas, and the ```sql fence.

The schema layout and answer extraction are the shared SQL ones (``momq.dialects.prompt``). The column types are
the PostgreSQL engine's own (``momq.engines.postgres.COLUMN_TYPES``), so a schema shows the types the engine
creates. This module does not execute or validate queries.
"""

from __future__ import annotations

from momq.dialects.prompt import RelationalPromptDialect
from momq.engines.postgres import COLUMN_TYPES


class PostgreSQL(RelationalPromptDialect):
    name = "postgresql"
    column_types = COLUMN_TYPES
    list_type = "{element}[]"
    instruction = (
        "You are an expert in PostgreSQL 15. Read the database schema below and write one SQL query in "
        "PostgreSQL syntax that answers the question. Use only the tables and columns listed, quote identifiers "
        "with double quotes only when needed, and return exactly one read-only SELECT statement in a ```sql "
        "code block."
    )


DIALECT = PostgreSQL()
