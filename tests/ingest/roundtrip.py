"""The graph-script round trip shared by the ingest tests and ``benchmarks/graph_script_roundtrip.py``: the
scripts under ``tests/ingest/data``, the queries each must answer, and a comparison of rows."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).parent / "data"
CYPHER_SCRIPT = DATA / "movies.cypher"
NGQL_SCRIPT = DATA / "basketball.ngql"


def queries(script: Path) -> list[dict]:
    """The query table beside ``script``: ``query``, expected ``rows`` and, optionally, ``unordered``."""
    return json.loads((script.parent / f"{script.stem}.queries.json").read_text(encoding="utf-8"))


def _plain(value):
    return [_plain(v) for v in value] if isinstance(value, (list, tuple)) else value


def matches(case: dict, rows: list[tuple]) -> bool:
    got, want = _plain(rows), case["rows"]
    if case.get("unordered"):
        return sorted(map(json.dumps, got)) == sorted(map(json.dumps, want))
    return got == want
