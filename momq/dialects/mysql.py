"""MySQL 8: the prompt instruction, the column type names shown in schemas, and the ```sql fence.

The schema layout and answer extraction are the shared SQL ones (``momq.dialects.prompt``). The column types are
the MariaDB engine's own (``momq.engines.mariadb.COLUMN_TYPES``), so a schema shows the types the engine creates.
The benchmark runs MySQL queries on MariaDB in MySQL-compatible mode; the prompt still asks for MySQL 8, which is
what users run. This module does not execute or validate queries.
"""

from __future__ import annotations

from momq.dialects.prompt import RelationalPromptDialect
from momq.engines.mariadb import COLUMN_TYPES


class MySQL(RelationalPromptDialect):
    name = "mysql"
    column_types = COLUMN_TYPES
    instruction = (
        "You are an expert in MySQL 8. Read the database schema below and write one SQL query in MySQL syntax "
        "that answers the question. Use only the tables and columns listed, quote identifiers with backticks "
        "only when needed, and return exactly one read-only SELECT statement in a ```sql code block."
    )


DIALECT = MySQL()
