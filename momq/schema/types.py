"""The small set of value types shared by relational columns, graph properties and ER attributes.

A field's type is a :class:`ValueType` (a scalar) or a :class:`ListType` (a list of one scalar type, e.g. a
movie graph's ``roles``); :data:`FieldType` names the union and :func:`field_type` reads either back from its
name (``"text"``, ``"list<text>"``). Each engine maps these to its own column/property types; this module does not
know any engine.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import enum
import re
from dataclasses import dataclass

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LIST_NAME = re.compile(r"^list<([a-z]+)>$")


class ValueType(enum.Enum):
    INTEGER = "integer"  # 64-bit signed
    FLOAT = "float"  # double precision
    DECIMAL = "decimal"  # exact, 2 fractional digits (money)
    TEXT = "text"
    DATE = "date"  # calendar date; graph engines store ISO strings "YYYY-MM-DD"
    BOOLEAN = "boolean"
    DATETIME = "datetime"  # date and time of day (SQL TIMESTAMP / DATETIME), Python datetime.datetime
    TIME = "time"  # time of day, Python datetime.time
    INTERVAL = "interval"  # a duration (PostgreSQL INTERVAL), Python datetime.timedelta

    def accepts(self, value: object) -> bool:
        """Whether a Python value is a valid non-NULL value of this type."""
        if value is None:
            return False
        if self is ValueType.INTEGER:
            return isinstance(value, int) and not isinstance(value, bool)
        if self is ValueType.FLOAT:
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        if self is ValueType.DECIMAL:
            return isinstance(value, (int, float, _decimal.Decimal)) and not isinstance(value, bool)
        if self is ValueType.TEXT:
            return isinstance(value, str)
        if self is ValueType.DATE:
            return isinstance(value, _dt.date) and not isinstance(value, _dt.datetime)
        if self is ValueType.BOOLEAN:
            return isinstance(value, bool)
        if self is ValueType.DATETIME:
            return isinstance(value, _dt.datetime)
        if self is ValueType.TIME:
            return isinstance(value, _dt.time)
        if self is ValueType.INTERVAL:
            return isinstance(value, _dt.timedelta)
        raise AssertionError(self)


@dataclass(frozen=True)
class ListType:
    """A list of values of one scalar type (a graph property such as ``roles: list<text>``); None items are
    allowed, nested lists are not."""

    element: ValueType

    def __post_init__(self) -> None:
        if not isinstance(self.element, ValueType):
            raise TypeError(f"a list's element type must be a ValueType, got {self.element!r}")

    @property
    def value(self) -> str:
        """The type's name, as ``ValueType.value`` is for scalars: ``list<text>``."""
        return f"list<{self.element.value}>"

    def accepts(self, value: object) -> bool:
        return isinstance(value, (list, tuple)) and all(v is None or self.element.accepts(v) for v in value)


#: The type of a column or property.
FieldType = ValueType | ListType


def field_type(name: str) -> FieldType:
    """The type named ``name`` (a :class:`ValueType` value or ``list<element>``); ValueError if unknown."""
    if isinstance(name, str):
        match = _LIST_NAME.match(name)
        if match:
            return ListType(ValueType(match.group(1)))
    return ValueType(name)


#: the longest schema name accepted (characters); engines have their own, lower limits (MySQL 64, PostgreSQL 63 bytes)
MAX_NAME_CHARS = 256


def check_name(name: str, what: str) -> str:
    """A table, view, schema, column, label, edge type or property name: any non-empty text without NUL and at
    most :data:`MAX_NAME_CHARS` characters. Names that are not plain identifiers are written quoted into queries
    (:mod:`momq.dialects.names`)."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"{what} name {name!r} must be non-empty text")
    if "\0" in name:
        raise ValueError(f"{what} name {name!r} contains NUL")
    if len(name) > MAX_NAME_CHARS:
        raise ValueError(f"{what} name {name[:40]!r}... is longer than {MAX_NAME_CHARS} characters")
    return name


def check_identifier(name: str, what: str) -> str:
    """Names we choose ourselves (databases, graphs, spaces, benchmark domains) must be plain identifiers."""
    if not isinstance(name, str) or not _IDENTIFIER.match(name):
        raise ValueError(f"{what} name {name!r} is not a plain identifier ([A-Za-z_][A-Za-z0-9_]*)")
    return name
