"""A relational database definition: tables (optionally in a named SQL schema), typed columns with nullability
and defaults, primary, unique and foreign keys (composite ones too), views, optional rows.

Engine-neutral: the MariaDB and PostgreSQL engines turn it into DDL; introspection turns a live database back
into it (with no rows, or a few sampled ones). A table's ``schema`` is its SQL namespace (a PostgreSQL schema);
None means the database's default one (``public``, or the MariaDB database itself), so the benchmark's own
databases never name one. Defaults and view definitions are kept as the engine's SQL text, for prompts; they
are not re-executed. It does not hold indexes, triggers, routines or engine options.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from momq.schema.types import FieldType, check_identifier, check_name


def qualified(schema: str | None, name: str) -> str:
    """``schema.name``, or ``name`` in the default namespace."""
    return f"{schema}.{name}" if schema else name


@dataclass(frozen=True)
class Column:
    name: str
    type: FieldType
    nullable: bool = True
    description: str = ""
    default: str | None = None  # the column default as the engine's SQL text, e.g. "CURRENT_TIMESTAMP"

    def __post_init__(self) -> None:
        check_name(self.name, "column")


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    ref_schema: str | None = None  # the referenced table's namespace (None: the default one)

    def __post_init__(self) -> None:
        if len(self.columns) != len(self.ref_columns) or not self.columns:
            raise ValueError(f"foreign key {self.columns} -> {self.ref_table}{self.ref_columns}: arity mismatch")

    @property
    def ref_qualified(self) -> str:
        return qualified(self.ref_schema, self.ref_table)


@dataclass
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    rows: list[tuple] = field(default_factory=list)  # values in column order; None is NULL
    description: str = ""
    schema: str | None = None  # the SQL namespace (None: the database's default one)
    unique_keys: tuple[tuple[str, ...], ...] = ()  # UNIQUE constraints other than the primary key

    def __post_init__(self) -> None:
        check_name(self.name, "table")
        if self.schema is not None:
            check_name(self.schema, "schema")
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"table {self.qualified_name}: duplicate column names {names}")
        for key in self.primary_key:
            if key not in names:
                raise ValueError(f"table {self.qualified_name}: primary key column {key!r} is not a column")
        for unique in self.unique_keys:
            for key in unique:
                if key not in names:
                    raise ValueError(f"table {self.qualified_name}: unique key column {key!r} is not a column")
        for fk in self.foreign_keys:
            for col in fk.columns:
                if col not in names:
                    raise ValueError(f"table {self.qualified_name}: foreign key column {col!r} is not a column")

    @property
    def qualified_name(self) -> str:
        return qualified(self.schema, self.name)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"table {self.qualified_name} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@dataclass(frozen=True)
class View:
    """A view: its columns (types as the engine reports them) and its defining query as the engine prints it."""

    name: str
    columns: tuple[Column, ...]
    definition: str = ""
    schema: str | None = None
    description: str = ""

    def __post_init__(self) -> None:
        check_name(self.name, "view")
        if self.schema is not None:
            check_name(self.schema, "schema")

    @property
    def qualified_name(self) -> str:
        return qualified(self.schema, self.name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@dataclass
class RelationalDatabase:
    name: str
    tables: tuple[Table, ...]
    description: str = ""
    views: tuple[View, ...] = ()

    def __post_init__(self) -> None:
        check_identifier(self.name, "database")
        names = [t.qualified_name for t in self.tables] + [v.qualified_name for v in self.views]
        if len(set(names)) != len(names):
            raise ValueError(f"database {self.name}: duplicate table or view names")
        by_name = {t.qualified_name: t for t in self.tables}
        for table in self.tables:
            for fk in table.foreign_keys:
                ref = by_name.get(fk.ref_qualified)
                if ref is None:
                    raise ValueError(f"{table.qualified_name}: foreign key to unknown table {fk.ref_qualified!r}")
                missing = [col for col in fk.ref_columns if col not in ref.column_names]
                if missing:
                    raise ValueError(f"{table.qualified_name}: foreign key to {fk.ref_qualified}: table "
                                     f"{fk.ref_qualified} has no column {missing[0]!r}")

    @property
    def namespaces(self) -> tuple[str, ...]:
        """The named SQL schemas the tables and views live in, in order of appearance."""
        return tuple(dict.fromkeys(x.schema for x in (*self.tables, *self.views) if x.schema))

    def table(self, name: str) -> Table:
        """The table called ``name`` (``schema.table`` or, when unambiguous, the bare table name)."""
        found = [t for t in self.tables if name in (t.qualified_name, t.name)]
        exact = [t for t in found if t.qualified_name == name]
        if exact:
            return exact[0]
        if len(found) == 1:
            return found[0]
        if found:
            raise KeyError(f"database {self.name}: table name {name!r} is ambiguous; name its schema "
                           f"({', '.join(t.qualified_name for t in found)})")
        raise KeyError(f"database {self.name} has no table {name!r}")

    def without_rows(self) -> "RelationalDatabase":
        return RelationalDatabase(self.name, tuple(dataclasses.replace(t, rows=[]) for t in self.tables),
                                  self.description, self.views)
