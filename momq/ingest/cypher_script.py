"""Load a Cypher script (``CREATE``, ``MERGE``, ``UNWIND``, ``SET``, ``LOAD CSV``, indexes) into a FalkorDB graph.

FalkorDB itself executes every statement, one at a time and in order (statements cut by
:func:`momq.ingest.script.split_script`), so whatever FalkorDB accepts loads exactly as FalkorDB loads it; this
module re-implements no Cypher. What it does change, before FalkorDB sees a statement:

- ``LOAD CSV [WITH HEADERS] FROM 'file' AS row [FIELDTERMINATOR 'c']`` becomes ``UNWIND $rows AS row`` over
  rows read here with Python's ``csv`` module, as Neo4j reads them (every field a string; an empty field is
  NULL; with headers a row is a map). Only files inside the script's folder are read (``file:///x.csv`` and
  ``x.csv`` both mean ``<folder>/x.csv``); URLs, absolute paths elsewhere and ``..`` out of the folder are
  refused. A file is sent in batches of :data:`CSV_BATCH` rows, each batch running the statement once (as
  Neo4j's ``USING PERIODIC COMMIT``, whose prefix is dropped);
- Neo4j's index and uniqueness-constraint forms (``CREATE INDEX name IF NOT EXISTS FOR (n:L) ON (n.p)``,
  ``CREATE CONSTRAINT ... FOR (n:L) REQUIRE n.p IS UNIQUE`` / ``ON (n:L) ASSERT n.p IS UNIQUE``) become
  FalkorDB's ``CREATE INDEX FOR (n:L) ON (n.p)``: FalkorDB enforces no uniqueness here;
- cypher-shell's ``:begin`` / ``:commit`` lines are dropped (the whole load is one unit anyway); any other
  ``:command`` is refused.

The load goes into a new graph under a temporary name (:meth:`momq.engines.falkordb.FalkorDBEngine.staged`), which
replaces the graph ``name`` only when every statement succeeded; a failure raises :class:`ScriptError` naming the
file, line and statement, and leaves nothing behind. It does not read Neo4j dumps (``.dump`` files) or APOC calls.
"""

from __future__ import annotations

import csv
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from momq.engines.graph_values import file_or_network_clause
from momq.ingest.script import ScriptError, Statement, code_mask, read_script, split_script

if TYPE_CHECKING:
    from momq.engines.falkordb import FalkorDBEngine

log = logging.getLogger(__name__)

#: rows of a CSV file sent with one run of its statement
CSV_BATCH = 1000
#: the server-side time limit of one statement (or one CSV batch), in seconds
STATEMENT_TIMEOUT_S = 300.0
ROWS_PARAM = "momq_csv_rows"

_LOAD_CSV = re.compile(r"\bLOAD\s+CSV(\s+WITH\s+HEADERS)?\s+FROM\b", re.IGNORECASE)
_AS_VAR = re.compile(r"\s*AS\s+([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)
_TERMINATOR = re.compile(r"\s*FIELDTERMINATOR\b", re.IGNORECASE)
_PERIODIC = re.compile(r"^\s*USING\s+PERIODIC\s+COMMIT(\s+\d+)?\s*", re.IGNORECASE)
_SHELL = re.compile(r"^\s*:([A-Za-z]+)[^\n]*(\n|$)")
_INDEX = re.compile(
    r"^\s*CREATE\s+(?:(?:RANGE|BTREE)\s+)?INDEX(?:\s+(?!IF\b|FOR\b|ON\b)[A-Za-z_][A-Za-z0-9_]*)?(?:\s+IF\s+NOT\s+EXISTS)?"
    r"\s+FOR\s*\(\s*(\w+)\s*:\s*(\w+)\s*\)\s*ON\s*\(\s*(\w+)\s*\.\s*(\w+)\s*\)\s*$", re.IGNORECASE)
_CONSTRAINT = re.compile(
    r"^\s*CREATE\s+CONSTRAINT(?:\s+(?!IF\b|FOR\b|ON\b)[A-Za-z_][A-Za-z0-9_]*)?(?:\s+IF\s+NOT\s+EXISTS)?"
    r"\s+(?:FOR|ON)\s*\(\s*(\w+)\s*:\s*(\w+)\s*\)\s*(?:REQUIRE|ASSERT)\s*\(?\s*(\w+)\s*\.\s*(\w+)\s*\)?"
    r"\s+IS\s+(?:UNIQUE|NODE\s+KEY)\s*$", re.IGNORECASE)


@dataclass
class LoadReport:
    """What a script load did, summed over its statements (FalkorDB's own counters)."""

    graph: str
    statements: int = 0
    csv_rows: int = 0
    counters: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, stats: dict[str, Any]) -> None:
        for key, value in stats.items():
            self.counters[key] = self.counters.get(key, 0) + int(value or 0)


@dataclass(frozen=True)
class CsvSource:
    """A ``LOAD CSV`` clause of one statement: the file it reads and the statement to run per batch."""

    path: Path
    headers: bool
    delimiter: str
    query: str  # the statement with the clause replaced by ``UNWIND $momq_csv_rows AS var``


def load_cypher_script(engine: "FalkorDBEngine", path: Path | str, name: str, *,
                       timeout_s: float = STATEMENT_TIMEOUT_S) -> LoadReport:
    """Run the Cypher script at ``path`` into the graph ``name`` (replacing it only when all succeeded)."""
    path = Path(path)
    statements = split_script(read_script(path), "cypher", path)
    if not statements:
        raise ScriptError(f"{path}: no Cypher statement in the file")
    prepared = [(st, *prepare(st, path)) for st in statements]  # every refusal before the server sees anything
    report = LoadReport(name)
    t0 = time.monotonic()
    timeout_ms = max(1, int(timeout_s * 1000))
    with engine.staged(name) as graph:
        for st, query, source in prepared:
            if query is None:
                continue
            try:
                if source is None:
                    report.add(_stats(graph, query, None, timeout_ms))
                else:
                    for batch in read_csv_batches(source, st, path):
                        report.csv_rows += len(batch)
                        report.add(_stats(graph, source.query, {ROWS_PARAM: batch}, timeout_ms))
            except ScriptError:
                raise
            except Exception as exc:  # noqa: BLE001 - redis/FalkorDB errors: the statement is what failed
                raise st.error(path, f"FalkorDB: {exc}") from exc
            report.statements += 1
    report.seconds = time.monotonic() - t0
    log.info("loaded %s into graph %s: %d statements, %s", path, name, report.statements, report.counters)
    return report


_COUNTERS = ("nodes_created", "relationships_created", "properties_set", "labels_added", "indices_created",
             "nodes_deleted", "relationships_deleted")


def _stats(graph: Any, query: str, params: dict | None, timeout_ms: int) -> dict[str, Any]:
    res = graph.query(query, params, timeout=timeout_ms)
    return {name: getattr(res, name) for name in _COUNTERS}


def prepare(st: Statement, script: Path) -> tuple[str | None, CsvSource | None]:
    """(the statement FalkorDB runs, its CSV source) — (None, None) for a statement to skip; ScriptError for one
    that is refused (a URL or a path outside the script's folder, a cypher-shell command, a second LOAD CSV)."""
    text = st.text
    while True:  # cypher-shell lines before the statement
        m = _SHELL.match(text)
        if not m:
            break
        if m.group(1).lower() not in ("begin", "commit", "rollback"):
            raise st.error(script, f"cypher-shell command :{m.group(1)} is not supported in a script load")
        if m.group(1).lower() == "rollback":
            raise st.error(script, ":rollback would undo part of the script; remove it to load the script")
        text = text[m.end():]
    if not code_mask(text, "cypher").strip():
        return None, None
    m = _PERIODIC.match(text)
    if m:
        text = text[m.end():]
    for pattern in (_INDEX, _CONSTRAINT):
        m = pattern.match(code_mask(text, "cypher"))
        if m:
            var, label, var2, prop = (text[m.start(i):m.end(i)] for i in range(1, 5))
            if var != var2:
                raise st.error(script, f"the index names variable {var2}, not {var}")
            return f"CREATE INDEX FOR ({var}:{label}) ON ({var}.{prop})", None
    source = _csv_source(text, st, script)
    return (text if source is None else source.query), source


def _csv_source(text: str, st: Statement, script: Path) -> CsvSource | None:
    mask = code_mask(text, "cypher")
    m = _LOAD_CSV.search(mask)
    if m is None:
        if file_or_network_clause(text):
            raise st.error(script, "LOAD CSV in a form this loader does not read")
        return None
    url, end = _string_at(text, m.end(), st, script, "LOAD CSV FROM needs a quoted file name")
    var = _AS_VAR.match(mask, end)
    if var is None:
        raise st.error(script, "LOAD CSV ... FROM '<file>' must be followed by AS <variable>")
    end = var.end()
    delimiter = ","
    term = _TERMINATOR.match(mask, end)
    if term:
        delimiter, end = _string_at(text, term.end(), st, script, "FIELDTERMINATOR needs a quoted character")
        if len(delimiter) != 1:
            raise st.error(script, f"FIELDTERMINATOR must be one character, got {delimiter!r}")
    query = f"{text[:m.start()]}UNWIND ${ROWS_PARAM} AS {var.group(1)}{text[end:]}"
    if file_or_network_clause(query):
        raise st.error(script, "a statement may read one CSV file")
    return CsvSource(resolve_csv(url, st, script), bool(m.group(1)), delimiter, query)


def _string_at(text: str, i: int, st: Statement, script: Path, why: str) -> tuple[str, int]:
    """The string literal starting at ``text[i]`` (after spaces), unescaped, and the offset after it."""
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text) or text[i] not in "'\"":
        raise st.error(script, why)
    quote, j, out = text[i], i + 1, []
    while j < len(text) and text[j] != quote:
        if text[j] == "\\" and j + 1 < len(text):
            j += 1
            out.append({"t": "\t", "n": "\n", "r": "\r"}.get(text[j], text[j]))
        else:
            out.append(text[j])
        j += 1
    return "".join(out), j + 1


def resolve_csv(url: str, st: Statement, script: Path) -> Path:
    """The file a LOAD CSV URL names inside the script's folder; ScriptError for anything else."""
    folder = script.resolve().parent
    rel = url
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", url):
        if not url.lower().startswith("file://"):
            raise st.error(script, f"LOAD CSV from {url!r}: only files beside the script are read, never URLs")
        rel = url[len("file://"):].lstrip("/")  # Neo4j reads file:///x.csv from its import folder: ours is the script's
    candidate = Path(rel)
    target = (candidate if candidate.is_absolute() else folder / candidate).resolve()
    if not target.is_relative_to(folder):
        raise st.error(script, f"LOAD CSV from {url!r}: only files inside {folder} are read")
    if not target.is_file():
        raise st.error(script, f"LOAD CSV from {url!r}: no file {target}")
    return target


def read_csv_batches(source: CsvSource, st: Statement, script: Path):
    """Batches of rows as Neo4j's LOAD CSV gives them: strings, NULL for an empty field, maps with headers."""
    try:
        with source.path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh, delimiter=source.delimiter)
            header = next(reader, None) if source.headers else None
            batch: list[Any] = []
            for row in reader:
                values = [v if v != "" else None for v in row]
                if header is not None:
                    batch.append({h: (values[k] if k < len(values) else None) for k, h in enumerate(header)})
                else:
                    batch.append(values)
                if len(batch) == CSV_BATCH:
                    yield batch
                    batch = []
            if batch:
                yield batch
    except (UnicodeDecodeError, csv.Error) as exc:
        raise st.error(script, f"cannot read {source.path.name}: {exc}") from exc


__all__ = ["CSV_BATCH", "LoadReport", "load_cypher_script", "prepare", "resolve_csv"]
