"""The small set of value types shared by relational columns, graph properties and ER attributes.

Each engine maps these to its own column/property types; this module does not know any engine.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import enum
import re

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


def check_identifier(name: str, what: str) -> str:
    """Names of tables, columns, labels and properties must be plain identifiers in every dialect."""
    if not isinstance(name, str) or not _IDENTIFIER.match(name):
        raise ValueError(f"{what} name {name!r} is not a plain identifier ([A-Za-z_][A-Za-z0-9_]*)")
    return name
