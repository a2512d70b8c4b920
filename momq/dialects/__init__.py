"""Dialects: names, families and (per dialect module) prompting and answer extraction.

``get_dialect(name)`` returns the per-dialect prompt object (instruction, schema rendering, code fence, answer
extraction); the shared prompt builder is :func:`momq.dialects.prompt.build_prompt`.
"""

from momq.dialects.base import (
    DIALECT_NAMES,
    DISPLAY_NAME,
    FAMILY,
    Family,
    UnknownDialectError,
    check_dialect,
    family_of,
)
from momq.dialects.prompt import PromptDialect


def _registry() -> dict[str, PromptDialect]:
    from momq.dialects import cypher, mysql, ngql, postgresql

    table = {m.DIALECT.name: m.DIALECT for m in (mysql, postgresql, cypher, ngql)}
    assert tuple(table) == DIALECT_NAMES, "a dialect module is missing from the registry"
    return table


def get_dialect(name: str) -> PromptDialect:
    """The prompt object of a dialect by name (case-insensitive); :class:`UnknownDialectError` otherwise."""
    return _registry()[check_dialect(name)]


__all__ = [
    "DIALECT_NAMES",
    "DISPLAY_NAME",
    "FAMILY",
    "Family",
    "PromptDialect",
    "UnknownDialectError",
    "check_dialect",
    "family_of",
    "get_dialect",
]
