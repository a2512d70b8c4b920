"""A relational database definition: tables, typed columns, primary and foreign keys, optional rows.

Engine-neutral: the MariaDB and PostgreSQL engines turn it into DDL; introspection turns a live database back
into it (with no rows). It does not hold indexes, views or engine options.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from momq.schema.types import ValueType, check_identifier


@dataclass(frozen=True)
class Column:
    name: str
    type: ValueType
    nullable: bool = True
    description: str = ""

    def __post_init__(self) -> None:
        check_identifier(self.name, "column")


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.columns) != len(self.ref_columns) or not self.columns:
            raise ValueError(f"foreign key {self.columns} -> {self.ref_table}{self.ref_columns}: arity mismatch")


@dataclass
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    rows: list[tuple] = field(default_factory=list)  # values in column order; None is NULL
    description: str = ""

    def __post_init__(self) -> None:
        check_identifier(self.name, "table")
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"table {self.name}: duplicate column names {names}")
        for key in self.primary_key:
            if key not in names:
                raise ValueError(f"table {self.name}: primary key column {key!r} is not a column")
        for fk in self.foreign_keys:
            for col in fk.columns:
                if col not in names:
                    raise ValueError(f"table {self.name}: foreign key column {col!r} is not a column")

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"table {self.name} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@dataclass
class RelationalDatabase:
    name: str
    tables: tuple[Table, ...]
    description: str = ""

    def __post_init__(self) -> None:
        check_identifier(self.name, "database")
        names = [t.name for t in self.tables]
        if len(set(names)) != len(names):
            raise ValueError(f"database {self.name}: duplicate table names")
        by_name = {t.name: t for t in self.tables}
        for table in self.tables:
            for fk in table.foreign_keys:
                ref = by_name.get(fk.ref_table)
                if ref is None:
                    raise ValueError(f"{table.name}: foreign key to unknown table {fk.ref_table!r}")
                missing = [col for col in fk.ref_columns if col not in ref.column_names]
                if missing:
                    raise ValueError(f"{table.name}: foreign key to {fk.ref_table}: table {fk.ref_table} has no "
                                     f"column {missing[0]!r}")

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(f"database {self.name} has no table {name!r}")

    def without_rows(self) -> "RelationalDatabase":
        return RelationalDatabase(
            self.name,
            tuple(Table(t.name, t.columns, t.primary_key, t.foreign_keys, [], t.description) for t in self.tables),
            self.description,
        )
