"""The small set of value types shared by relational columns, graph properties and ER attributes.

Each engine maps these to its own column/property types; this module does not know any engine. A list-valued
property (Cypher lists) is a :class:`ListType` of one element type; :func:`parse_type` reads both kinds back
from their names (``"text"``, ``"list<text>"``).
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import enum
import re
from dataclasses import dataclass

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class ValueType(enum.Enum):
    INTEGER = "integer"  # 64-bit signed
    FLOAT = "float"  # double precision
    DECIMAL = "decimal"  # exact, 2 fractional digits (money)
    TEXT = "text"
    DATE = "date"  # calendar date; graph engines store ISO strings "YYYY-MM-DD"
    BOOLEAN = "boolean"

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
        raise AssertionError(self)


@dataclass(frozen=True)
class ListType:
    """A list of values of one element type (NULL elements allowed), e.g. a movie's ``genres``.

    It answers ``value`` and ``accepts`` like :class:`ValueType`, so code that only names or checks a type
    handles both; code that maps types to engine or prompt names must look at ``element``.
    """

    element: ValueType

    def __post_init__(self) -> None:
        if not isinstance(self.element, ValueType):
            raise ValueError(f"a list's element type must be a ValueType, got {self.element!r}")

    @property
    def value(self) -> str:
        return f"list<{self.element.value}>"

    def accepts(self, value: object) -> bool:
        return isinstance(value, (list, tuple)) and all(v is None or self.element.accepts(v) for v in value)


#: The type of a graph property: one value or a list of values.
PropertyType = ValueType | ListType

_LIST_NAME = re.compile(r"^list<([a-z]+)>$")


def parse_type(name: object) -> PropertyType:
    """The type named ``name`` (``ValueType.value`` or ``ListType.value``); ValueError for anything else."""
    if isinstance(name, str):
        match = _LIST_NAME.match(name)
        if match:
            return ListType(ValueType(match.group(1)))
    return ValueType(name)


def check_identifier(name: str, what: str) -> str:
    """Names of tables, columns, labels and properties must be plain identifiers in every dialect."""
    if not isinstance(name, str) or not _IDENTIFIER.match(name):
        raise ValueError(f"{what} name {name!r} is not a plain identifier ([A-Za-z_][A-Za-z0-9_]*)")
    return name
