"""The four query dialects by name, and the error raised for a name we do not know.

This module only names dialects and says which family (relational or graph) each belongs to. Prompt
templates, schema rendering and answer extraction for a dialect live in that dialect's own module.
"""

from __future__ import annotations

import enum


class Family(enum.Enum):
    RELATIONAL = "relational"
    GRAPH = "graph"


#: The dialects this project targets, in their canonical order (the order of dialect ids).
DIALECT_NAMES: tuple[str, ...] = ("mysql", "postgresql", "cypher", "ngql")

FAMILY: dict[str, Family] = {
    "mysql": Family.RELATIONAL,
    "postgresql": Family.RELATIONAL,
    "cypher": Family.GRAPH,
    "ngql": Family.GRAPH,
}

#: How each dialect is named to people (prompts, reports).
DISPLAY_NAME: dict[str, str] = {
    "mysql": "MySQL",
    "postgresql": "PostgreSQL",
    "cypher": "Cypher (Neo4j)",
    "ngql": "nGQL (NebulaGraph)",
}


class UnknownDialectError(ValueError):
    """A dialect name that is not one of the known ones."""

    def __init__(self, name: object, known: tuple[str, ...] = DIALECT_NAMES):
        self.name = name
        self.known = known
        super().__init__(f"unknown dialect {name!r}; expected one of: {', '.join(known)}")


def check_dialect(name: str, known: tuple[str, ...] = DIALECT_NAMES) -> str:
    """Return ``name`` normalised to lower case, or raise :class:`UnknownDialectError`."""
    if not isinstance(name, str) or name.strip().lower() not in known:
        raise UnknownDialectError(name, known)
    return name.strip().lower()


def family_of(name: str) -> Family:
    return FAMILY[check_dialect(name)]
