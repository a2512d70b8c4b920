"""Dialects: names, families and (per dialect module) prompting and answer extraction."""

from momq.dialects.base import (
    DIALECT_NAMES,
    DISPLAY_NAME,
    FAMILY,
    Family,
    UnknownDialectError,
    check_dialect,
    family_of,
)

__all__ = [
    "DIALECT_NAMES",
    "DISPLAY_NAME",
    "FAMILY",
    "Family",
    "UnknownDialectError",
    "check_dialect",
    "family_of",
]
