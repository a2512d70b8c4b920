"""How answers look: JSON-safe values for the API, and the CLI's rich rendering (highlighted query, table,
attempts). It decides nothing about what is asked or run."""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
from typing import Any

from momq.engines.base import GraphEdge, GraphNode, GraphPath

#: pygments lexer per dialect (nGQL is close enough to Cypher for highlighting)
LEXERS = {"mysql": "mysql", "postgresql": "postgresql", "cypher": "cypher", "ngql": "cypher"}


def jsonable(value: Any) -> Any:
    """A JSON value for an engine result value (graph values as plain objects, dates ISO, decimals exact)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, _decimal.Decimal):
        return str(value)
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    if isinstance(value, GraphNode):
        out = {"labels": list(value.labels), "properties": jsonable(value.properties)}
        return {**out, "vid": value.vid} if value.vid is not None else out
    if isinstance(value, GraphEdge):
        return {"type": value.type, "properties": jsonable(value.properties)}
    if isinstance(value, GraphPath):
        return {"nodes": [jsonable(n) for n in value.nodes], "edges": [jsonable(e) for e in value.edges]}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return str(value)


def cell(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return value
    import json

    v = jsonable(value)
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)


def print_answer(console: Any, answer: Any, show_attempts: bool = False) -> None:
    from rich.syntax import Syntax
    from rich.table import Table

    if show_attempts or not answer.found:
        for a in answer.attempts:
            head = f"attempt {a.number + 1}: {a.status}"
            console.print(f"[bold]{head}[/bold]" + (f" - {a.error}" if a.error else ""))
            if a.query:
                console.print(Syntax(a.query, LEXERS[answer.dialect], word_wrap=True))
            for note in a.notes:
                console.print(f"  corrected: {note}")
    if not answer.found:
        console.print(f"[red]no answer after {len(answer.attempts)} attempt(s)[/red]")
        return
    console.print(Syntax(answer.query, LEXERS[answer.dialect], word_wrap=True))
    result = answer.result
    table = Table(*result.columns, show_lines=False)
    for row in result.rows:
        table.add_row(*(cell(v) for v in row))
    console.print(table)
    more = " (cut at the row cap)" if result.truncated else ""
    console.print(f"{len(result.rows)} row(s){more}")
