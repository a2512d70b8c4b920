"""External suites as users have them: items as JSONL, databases as SQL dumps or JSON definitions, checked the
way our gold is.

An external suite is a JSONL file of items plus a folder of database files named after their db id:

- ``<db_id>.mysql.sql`` / ``<db_id>.postgresql.sql``: a SQL dump for that dialect (``<db_id>.sql``: a dump in
  the suite's ``sql_dialect``, MySQL by default). A dump is RUN by the dialect's engine
  (``Engine.load_dump``: screened, executed as a loader account, swapped in atomically), so it loads exactly as
  MariaDB or PostgreSQL loads it; the suite's schema for prompts is then introspected from the loaded database,
  with a few sampled example values (:mod:`momq.serve.live_schema`, bounded in rows and time). A dump serves its
  own dialect only: items of the other SQL dialect need their own dump or a JSON definition.
- ``<db_id>.json``: a ``momq.schema`` definition with its rows (``momq.schema.io``), relational (loaded into
  both SQL engines) or graph (loaded into the graph engines).

An item has ``question``, ``dialect``, ``db_id`` and its gold under ``query``, ``gold`` or ``sql``: one query or a
list of acceptable alternatives (the first is the item's ``query``, the others its ``alternatives``; a
prediction that matches any of them counts); optional ``id``, ``evidence``, ``difficulty``, ``features``.
Nothing in a suite aborts the rest: a line that is not JSON, an item that is not valid, a stray or broken
database file, a dump the engine refuses, an item whose database is missing are each recorded as a
:class:`SuiteProblem` (where, reason, detail) and skipped; :meth:`ExternalSuite.summary` counts what loaded
and what did not, by reason. :func:`check_suite` keeps the items whose gold executes and returns rows. This
module does not build our benchmark and does not read graph scripts.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from momq.bench.records import BenchItem, RecordError
from momq.dialects.base import Family, family_of
from momq.engines.base import Engine, EngineError, ExecutionLimits
from momq.schema import GraphDatabase, RelationalDatabase
from momq.schema.io import SchemaFormatError, read_database

log = logging.getLogger(__name__)

SQL_DIALECTS = ("mysql", "postgresql")
#: the fields an item's gold query may come under, in order of preference
GOLD_FIELDS = ("query", "gold", "sql")
ITEM_FIELDS = ("id", "question", "dialect", "db_id", "evidence", "difficulty", "features")
#: reasons a part of a suite is skipped
PROBLEM_REASONS = ("bad_line", "bad_item", "duplicate_id", "bad_database_file", "unknown_file", "dump_refused",
                   "dump_failed", "load_failed", "no_database")


class ExternalFormatError(SchemaFormatError):
    """A suite that cannot be read at all (no items file, no databases folder)."""


@dataclass(frozen=True)
class SuiteProblem:
    where: str  # "<file>:<line>" or a file
    reason: str  # one of PROBLEM_REASONS
    detail: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}: {self.detail}"


# ----------------------------------------------------------------------------------------------- items
def _gold(obj: Mapping[str, Any]) -> list[str]:
    present = [k for k in GOLD_FIELDS if k in obj and obj[k] is not None]
    if not present:
        raise RecordError(f"no gold query (an external item needs one of {', '.join(GOLD_FIELDS)})")
    if len(present) > 1:
        raise RecordError(f"two gold fields ({', '.join(present)}); give the gold under one of them")
    value = obj[present[0]]
    golds = [value] if isinstance(value, str) else value
    if not isinstance(golds, list) or not golds or not all(isinstance(q, str) and q.strip() for q in golds):
        raise RecordError(f"field {present[0]!r} must be a query or a non-empty list of queries, got {value!r}")
    return list(dict.fromkeys(q.strip() for q in golds))


def read_external_items(path: str | Path, source: str) -> tuple[list[BenchItem], list[SuiteProblem]]:
    """The valid items of an external suite, and a problem for each line that is not one (never raises for a
    bad line: it is reported and skipped)."""
    path = Path(path)
    if not path.is_file():
        raise ExternalFormatError(f"{path}: no such items file")
    items: list[BenchItem] = []
    problems: list[SuiteProblem] = []
    ignored: set[str] = set()
    seen: set[str] = set()
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            where = f"{path}:{lineno}"
            try:
                line = raw.decode("utf-8")
                if not line.strip():
                    continue
                obj = json.loads(line)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                problems.append(SuiteProblem(where, "bad_line", f"not a UTF-8 JSON line ({exc})"))
                continue
            try:
                if not isinstance(obj, dict):
                    raise RecordError(f"a record must be a JSON object, got {type(obj).__name__}")
                missing = [k for k in ("question", "dialect", "db_id") if k not in obj]
                if missing:
                    raise RecordError(f"missing field(s) {', '.join(missing)}")
                golds = _gold(obj)
                ignored |= set(obj) - set(ITEM_FIELDS) - set(GOLD_FIELDS)
                fields_ = {k: obj[k] for k in ITEM_FIELDS if k in obj and obj[k] is not None}
                fields_["id"] = str(fields_.get("id", f"{source}-{lineno}"))
                item = BenchItem(**fields_, query=golds[0], alternatives=golds[1:], source=source, split="test")
            except (RecordError, TypeError) as exc:
                problems.append(SuiteProblem(where, "bad_item", str(exc)))
                continue
            if item.id in seen:
                problems.append(SuiteProblem(where, "duplicate_id", f"item id {item.id!r} appears again"))
                continue
            seen.add(item.id)
            items.append(item)
    if ignored:
        log.info("%s: ignored fields %s", path, ", ".join(sorted(ignored)))
    return items, problems


# ----------------------------------------------------------------------------------------------- suites
@dataclass
class ExternalSuite:
    """External items with the databases they run on.

    ``relational`` / ``graphs``: JSON definitions by db id. ``dumps``: SQL dump files by (db id, dialect);
    ``loaded``: the introspected schema of each dump once :func:`load_databases` has run it.
    """

    name: str
    items: list[BenchItem]
    relational: dict[str, RelationalDatabase] = field(default_factory=dict)
    graphs: dict[str, GraphDatabase] = field(default_factory=dict)
    dumps: dict[tuple[str, str], Path] = field(default_factory=dict)
    loaded: dict[tuple[str, str], RelationalDatabase] = field(default_factory=dict)
    problems: list[SuiteProblem] = field(default_factory=list)
    files_read: int = 0

    def has_database(self, db_id: str, dialect: str) -> bool:
        if family_of(dialect) is Family.GRAPH:
            return db_id in self.graphs
        return (db_id, dialect) in self.dumps or db_id in self.relational

    def database_for(self, item: BenchItem) -> RelationalDatabase | GraphDatabase:
        """The definition prompts use for ``item``: the loaded dump's schema, else the JSON definition."""
        if family_of(item.dialect) is Family.GRAPH:
            if item.db_id in self.graphs:
                return self.graphs[item.db_id]
        else:
            key = (item.db_id, item.dialect)
            if key in self.loaded:
                return self.loaded[key]
            if key in self.dumps:
                raise ExternalFormatError(f"item {item.id}: the {item.dialect} dump of {item.db_id!r} is not "
                                          "loaded yet (load_databases)")
            if item.db_id in self.relational:
                return self.relational[item.db_id]
        raise ExternalFormatError(f"item {item.id} ({item.dialect}) has no database {item.db_id!r}")

    def with_schema_text(self) -> "ExternalSuite":
        """Items with their prompt-ready schema text filled in where their database definition is known."""
        from momq.dialects import get_dialect

        cache: dict[tuple[str, str], str] = {}
        out = []
        for item in self.items:
            key = (item.db_id, item.dialect)
            if key not in cache:
                try:
                    spec = self.database_for(item)
                except ExternalFormatError:
                    out.append(item)
                    continue
                cache[key] = get_dialect(item.dialect).render_schema(spec)
            out.append(item.replace(schema=cache[key]))
        self.items = out
        return self

    def skip_items_without_database(self) -> None:
        kept = []
        for item in self.items:
            if self.has_database(item.db_id, item.dialect):
                kept.append(item)
            else:
                self.problems.append(SuiteProblem(f"item {item.id}", "no_database",
                                                  f"no {item.dialect} database {item.db_id!r} in the suite"))
        self.items = kept

    def summary(self) -> dict[str, Any]:
        """What loaded and what did not: item and database counts, problems counted by reason."""
        return {
            "items": len(self.items),
            "items_by_dialect": dict(Counter(it.dialect for it in self.items)),
            "database_files": self.files_read,
            "relational_definitions": len(self.relational), "graph_definitions": len(self.graphs),
            "dumps": len(self.dumps), "dumps_loaded": len(self.loaded),
            "skipped_by_reason": dict(Counter(p.reason for p in self.problems)),
        }


def _dump_dialect(path: Path, sql_dialect: str) -> tuple[str, str] | None:
    """(db id, dialect) of a dump file name, None when the name is not a dump's."""
    if path.suffix != ".sql":
        return None
    stem = path.stem
    for dialect in SQL_DIALECTS:
        if stem.endswith(f".{dialect}"):
            return stem[: -len(dialect) - 1], dialect
    return stem, sql_dialect


def load_suite(items_path: str | Path, databases_dir: str | Path, name: str | None = None,
               sql_dialect: str = "mysql", engines: Mapping[str, Engine] | None = None) -> ExternalSuite:
    """Read a suite (see the module notes). With ``engines`` (dialect -> engine), its SQL dumps are loaded right
    away (:func:`load_databases`), so that every item gets its schema text."""
    if sql_dialect not in SQL_DIALECTS:
        raise ValueError(f"sql_dialect must be one of {', '.join(SQL_DIALECTS)}, got {sql_dialect!r}")
    items_path, databases_dir = Path(items_path), Path(databases_dir)
    name = name or items_path.stem
    items, problems = read_external_items(items_path, source=name)
    if not databases_dir.is_dir():
        raise ExternalFormatError(f"{databases_dir}: not a folder of database files")
    suite = ExternalSuite(name, items, problems=problems)
    for path in sorted(databases_dir.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        dump = _dump_dialect(path, sql_dialect)
        if dump is not None:
            if dump in suite.dumps:
                suite.problems.append(SuiteProblem(str(path), "bad_database_file",
                                                   f"a second {dump[1]} dump of {dump[0]!r}"))
                continue
            suite.dumps[dump] = path
            suite.files_read += 1
            continue
        if path.suffix != ".json":
            suite.problems.append(SuiteProblem(str(path), "unknown_file", "neither <db_id>[.<dialect>].sql nor "
                                                                          "<db_id>.json"))
            continue
        try:
            db = read_database(path)
        except SchemaFormatError as exc:
            suite.problems.append(SuiteProblem(str(path), "bad_database_file", str(exc)))
            continue
        table: dict = suite.relational if isinstance(db, RelationalDatabase) else suite.graphs
        if db.name in table:
            suite.problems.append(SuiteProblem(str(path), "bad_database_file",
                                               f"a second definition of database {db.name!r}"))
            continue
        table[db.name] = db
        suite.files_read += 1
    suite.skip_items_without_database()
    if engines is not None:
        load_databases(suite, engines)
    return suite.with_schema_text()


def load_databases(suite: ExternalSuite, engines: Mapping[str, Engine],
                   limits: ExecutionLimits = ExecutionLimits(timeout_s=5.0, max_rows=50)) -> None:
    """Run the suite's SQL dumps that its items need on ``engines`` and introspect them (with sampled values,
    each sample query bounded by ``limits``); a dump that is refused or fails is recorded and its items are
    skipped. JSON definitions are loaded by :meth:`momq.bench.dataset.SuiteSource.load_into` or
    :func:`check_suite`."""
    from momq.engines.sql_dump import DumpRefused
    from momq.serve.live_schema import sample_relational

    needed = {(it.db_id, it.dialect) for it in suite.items}
    failed: set[tuple[str, str]] = set()
    for key, path in sorted(suite.dumps.items()):
        db_id, dialect = key
        if key not in needed or key in suite.loaded or dialect not in engines:
            continue
        engine = engines[dialect]
        try:
            text = path.read_text(encoding="utf-8")
            engine.load_dump(db_id, text, source=path.name)
            spec = engine.schema(db_id)
            suite.loaded[key] = sample_relational(engine, spec, dialect, limits)
        except DumpRefused as exc:
            suite.problems.append(SuiteProblem(str(path), "dump_refused", str(exc)))
            failed.add(key)
        except (EngineError, UnicodeDecodeError, ValueError) as exc:
            suite.problems.append(SuiteProblem(str(path), "dump_failed", f"{type(exc).__name__}: {exc}"))
            failed.add(key)
    if failed:
        kept = []
        for item in suite.items:
            if (item.db_id, item.dialect) in failed and item.db_id not in suite.relational:
                suite.problems.append(SuiteProblem(f"item {item.id}", "no_database",
                                                   f"the {item.dialect} dump of {item.db_id!r} did not load"))
            else:
                kept.append(item)
        suite.items = kept
    suite.with_schema_text()


@dataclass(frozen=True)
class GoldCheck:
    item_id: str
    dialect: str
    ok: bool
    reason: str  # "ok", "gold_error", "empty_result", "lint_error"
    detail: str = ""
    rows: int = 0


def check_suite(suite: ExternalSuite, engines: Mapping[str, Engine],
                limits: ExecutionLimits = ExecutionLimits(),
                linter: Any = None) -> list[GoldCheck]:
    """Load the suite's databases into ``engines`` (dialect -> engine) and execute every gold query.

    An item passes when one of its gold queries runs and returns at least one row (and, for Cypher with a
    ``linter``, when the linter reports no error; see :func:`momq.bench.build.lint_function`). Items of a
    dialect without an engine are recorded as ``no_database`` problems and skipped.
    """
    from momq.bench.build import lint_function

    lint = lint_function(linter)
    missing = {it.dialect for it in suite.items} - set(engines)
    for item in [it for it in suite.items if it.dialect in missing]:
        suite.problems.append(SuiteProblem(f"item {item.id}", "no_database", f"no {item.dialect} engine"))
    suite.items = [it for it in suite.items if it.dialect not in missing]
    load_databases(suite, engines)
    loaded: set[tuple[str, str]] = set(suite.loaded)  # (db id, dialect)
    results = []
    for item in suite.items:
        engine = engines[item.dialect]
        key = (item.db_id, item.dialect)
        if key not in loaded:
            try:
                engine.load(suite.database_for(item))
            except EngineError as exc:
                suite.problems.append(SuiteProblem(f"database {item.db_id}", "load_failed", str(exc)))
                results.append(GoldCheck(item.id, item.dialect, False, "gold_error", f"database did not load: {exc}"))
                continue
            loaded.add(key)
        if lint is not None and item.dialect == "cypher":
            try:
                problems = lint(item.query)
            except Exception as exc:  # the linter's own error type is not known here
                problems = [str(exc)]
            if problems:
                results.append(GoldCheck(item.id, item.dialect, False, "lint_error", str(problems)[:500]))
                continue
        outcomes = []
        for query in item.golds:
            try:
                outcomes.append(len(engine.execute(item.db_id, query, limits).rows))
            except EngineError as exc:
                outcomes.append(f"{type(exc).__name__}: {exc}")
        rows = [n for n in outcomes if isinstance(n, int) and n > 0]
        note = "" if len(outcomes) == 1 else f"{len(rows)} of {len(outcomes)} gold alternatives return rows"
        if rows:
            results.append(GoldCheck(item.id, item.dialect, True, "ok", note, rows=rows[0]))
        elif any(isinstance(n, int) for n in outcomes):
            results.append(GoldCheck(item.id, item.dialect, False, "empty_result", note))
        else:
            results.append(GoldCheck(item.id, item.dialect, False, "gold_error", str(outcomes[0])))
    return results


__all__ = [
    "ExternalFormatError",
    "ExternalSuite",
    "GOLD_FIELDS",
    "GoldCheck",
    "SuiteProblem",
    "check_suite",
    "load_databases",
    "load_suite",
    "read_external_items",
]
