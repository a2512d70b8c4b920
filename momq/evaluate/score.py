"""Scoring a model's outputs against a benchmark: one :class:`ScoredPrediction` per item.

For each item (a :class:`~momq.bench.records.BenchItem`) and the model's raw text:

1. extract the query (:func:`momq.dialects.prompt.extract_query`); nothing extracted → invalid, ``extract``;
2. execute it read-only on the item's engine within the limits. The engine's own pre-check refuses anything but
   one read statement (``unsafe``), and the engines run every query in a read-only session, so scoring never
   changes a database; a syntax or semantic error is ``failed``, the time limit ``timeout``, an engine or
   database that cannot be reached ``unavailable`` (see :data:`momq.evaluate.compare.ERROR_KINDS`). The kinds are
   the engines' own: a SQL text that does not start like a read (even a misspelt ``SELEC``) is refused by the
   pre-check and so counts as ``unsafe``, not ``failed``;
3. compare the result with the gold result (:func:`momq.evaluate.compare.execution_match`). Gold results are
   computed once per distinct (db_id, dialect, gold query) by a :class:`GoldCache`. A gold query that fails, is
   truncated by the row cap or cannot be read for its ORDER BY is a *gold error*: recorded in ``gold_error``,
   never charged to the model (``match`` is False and the metrics leave the item out);
4. exact match (EM) of the extracted query with the gold after normalisation (:mod:`momq.evaluate.normalize`).

Scored predictions are plain dataclasses with a JSON round trip and a JSONL writer/reader.

What it deliberately does not do: generate text (the caller passes the outputs and may fill
``generation_seconds``/``new_tokens``), start engines or load databases (the caller passes connected engines
with the build's databases loaded, e.g. :func:`momq.bench.build.load_databases`), or aggregate
(:mod:`momq.evaluate.metrics`).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from momq.bench.records import BenchItem
from momq.dialects.prompt import extract_query
from momq.engines.base import Engine, EngineError, ExecutionLimits, QueryResult
from momq.evaluate.compare import ERROR_KINDS, Comparison, execution_match
from momq.evaluate.normalize import exact_match
from momq.evaluate.ordering import OrderingError, query_orders

log = logging.getLogger(__name__)

__all__ = [
    "GoldCache",
    "ScoredPrediction",
    "read_scored",
    "score_prediction",
    "score_predictions",
    "write_scored",
]


@dataclass
class ScoredPrediction:
    """The verdict on one model output for one benchmark item.

    ``valid``: the extracted query executed; ``match``: its result equals the gold result (execution accuracy);
    ``exact_match``: its normalised text equals the gold's. When not valid, ``error_kind`` is one of
    :data:`~momq.evaluate.compare.ERROR_KINDS` and ``error`` the message. ``gold_error`` is set when the gold
    query itself could not be scored against (the item then counts for neither side).
    """

    id: str
    dialect: str
    db_id: str
    question: str
    gold: str  # the gold query
    output: str  # the model's raw text
    prediction: str  # the query extracted from it ("" when none)
    valid: bool
    match: bool
    exact_match: bool
    error_kind: str | None = None
    error: str | None = None
    gold_error: str | None = None
    exec_seconds: float | None = None  # wall time of the predicted query's execution (None when not run)
    reason: str = ""  # the comparator's explanation of match / mismatch
    difficulty: str | None = None
    features: list[str] = field(default_factory=list)
    generation_seconds: float | None = None  # filled by the caller that generated ``output``
    new_tokens: int | None = None  # filled by the caller that generated ``output``

    def __post_init__(self) -> None:
        if self.valid and self.error_kind is not None:
            raise ValueError(f"{self.id}: a valid prediction has no error kind, got {self.error_kind!r}")
        if not self.valid and self.error_kind not in ERROR_KINDS:
            raise ValueError(f"{self.id}: an invalid prediction needs an error kind in {ERROR_KINDS}, "
                             f"got {self.error_kind!r}")
        if self.match and (not self.valid or self.gold_error is not None):
            raise ValueError(f"{self.id}: only a valid prediction scored against a working gold can match")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, obj: Mapping[str, Any]) -> "ScoredPrediction":
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(obj) - known)
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(unknown)} in a scored prediction")
        return cls(**obj)


# ----------------------------------------------------------------------------------------------- gold
@dataclass
class _Gold:
    result: QueryResult | None
    error: str | None


class GoldCache:
    """Gold results, executed once per distinct (db_id, dialect, gold query) and kept for later items."""

    def __init__(self) -> None:
        self._results: dict[tuple[str, str, str], _Gold] = {}

    def __len__(self) -> int:
        return len(self._results)

    def get(self, item: BenchItem, engine: Engine, limits: ExecutionLimits, query: str | None = None) -> _Gold:
        """The result of ``query`` (default: the item's gold query) on the item's database."""
        query = item.query if query is None else query
        key = (item.db_id, item.dialect, query)
        if key not in self._results:
            self._results[key] = _run_gold(item, query, engine, limits)
        return self._results[key]


def _run_gold(item: BenchItem, query: str, engine: Engine, limits: ExecutionLimits) -> _Gold:
    try:
        query_orders(query, item.dialect)
    except OrderingError as exc:
        return _gold_failure(item, f"cannot tell whether the gold query orders its rows: {exc}")
    try:
        result = engine.execute(item.db_id, query, limits)
    except EngineError as exc:
        return _gold_failure(item, f"gold query failed ({type(exc).__name__}): {exc}")
    if result.truncated:
        return _gold_failure(item, f"gold result truncated at {len(result.rows)} rows by the row cap")
    return _Gold(result, None)


def _gold_failure(item: BenchItem, message: str) -> _Gold:
    log.warning("%s (%s on %s): %s", item.id, item.dialect, item.db_id, message)
    return _Gold(None, message)


# ----------------------------------------------------------------------------------------------- scoring
def score_prediction(
    item: BenchItem,
    output: str,
    engine: Engine,
    limits: ExecutionLimits,
    *,
    gold_cache: GoldCache | None = None,
    extra_columns: bool = False,
) -> ScoredPrediction:
    """Score one raw model ``output`` for ``item`` on ``engine`` (which must run ``item.dialect``).

    ``gold_cache`` shares gold results between calls; without one the gold query runs on every call. An item
    with ``alternatives`` matches when the prediction matches ANY of its gold queries (execution and exact
    match alike); gold queries that fail are left out, and only when all fail is the item a gold error.
    ``extra_columns`` selects the comparator's "extra columns allowed" mode (see
    :func:`momq.evaluate.compare.compare_results`).
    """
    if not isinstance(output, str):
        raise TypeError(f"{item.id}: expected the model's text, got {type(output).__name__}")
    engine_dialect = getattr(engine, "dialect", item.dialect)
    if engine_dialect != item.dialect:
        raise ValueError(f"{item.id}: a {item.dialect} item cannot run on the {engine_dialect} engine {engine.name}")
    cache = gold_cache if gold_cache is not None else GoldCache()  # an empty cache is falsy: test for None
    golds = [(query, cache.get(item, engine, limits, query)) for query in item.golds]
    working = [(query, gold) for query, gold in golds if gold.result is not None]
    gold_error = None if working else golds[0][1].error
    if gold_error is not None and len(golds) > 1:
        gold_error = f"all {len(golds)} gold alternatives fail; the first: {gold_error}"
    base = dict(id=item.id, dialect=item.dialect, db_id=item.db_id, question=item.question, gold=item.query,
                output=output, difficulty=item.difficulty, features=list(item.features), gold_error=gold_error)

    prediction = extract_query(output, item.dialect)
    em = any(exact_match(prediction, query, item.dialect) for query in item.golds)
    if not prediction:
        return ScoredPrediction(**base, prediction="", valid=False, match=False, exact_match=False,
                                error_kind="extract", error="no query found in the model's output")

    t0 = time.monotonic()
    try:
        outcome: QueryResult | EngineError = engine.execute(item.db_id, prediction, limits)
    except EngineError as exc:
        outcome = exc
    seconds = round(time.monotonic() - t0, 6)

    if not working:  # the model's query is still judged valid or not; it cannot match
        if isinstance(outcome, EngineError):
            verdict = execution_match([], outcome, item.query, item.dialect)
        else:
            verdict = Comparison(False, "not compared: the gold query has an error")
    else:
        verdicts = [execution_match(gold.result, outcome, query, item.dialect, extra_columns=extra_columns)
                    for query, gold in working]
        hit = next((k for k, v in enumerate(verdicts) if v.match), None)
        verdict = verdicts[0] if hit is None else verdicts[hit]
        if hit is not None and len(golds) > 1:
            which = item.golds.index(working[hit][0]) + 1
            verdict = dataclasses.replace(verdict, reason=f"{verdict.reason} (gold alternative {which} of "
                                                          f"{len(golds)})")
    return ScoredPrediction(
        **base, prediction=prediction, valid=verdict.valid, match=verdict.match, exact_match=em,
        error_kind=verdict.error_kind, error=None if verdict.valid else str(outcome), exec_seconds=seconds,
        reason=verdict.reason)


def score_predictions(
    items: Sequence[BenchItem],
    outputs: Sequence[str],
    engines: Mapping[str, Engine],
    limits: ExecutionLimits,
    *,
    extra_columns: bool = False,
) -> list[ScoredPrediction]:
    """Score ``outputs[i]`` for ``items[i]`` on ``engines[item.dialect]``, sharing gold results between items
    (``extra_columns``: see :func:`score_prediction`)."""
    if len(items) != len(outputs):
        raise ValueError(f"{len(items)} items but {len(outputs)} outputs")
    missing = sorted({it.dialect for it in items} - set(engines))
    if missing:
        raise ValueError(f"no engine for dialect(s) {', '.join(missing)}")
    cache = GoldCache()
    scored = []
    t0 = time.monotonic()
    for item, output in zip(items, outputs):
        scored.append(score_prediction(item, output, engines[item.dialect], limits, gold_cache=cache,
                                       extra_columns=extra_columns))
    log.info("scored %d predictions (%d distinct gold queries) in %.1f s", len(scored), len(cache),
             time.monotonic() - t0)
    return scored


# ----------------------------------------------------------------------------------------------- JSONL
def write_scored(path: str | Path, scored: Iterable[ScoredPrediction]) -> int:
    """Write scored predictions as JSONL (UTF-8, one object per line); return how many were written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for s in scored:
            fh.write(json.dumps(s.to_dict(), ensure_ascii=False) + "\n")
            n += 1
    return n


def read_scored(path: str | Path) -> list[ScoredPrediction]:
    """Read a JSONL file written by :func:`write_scored`; errors name the line."""
    out = []
    with Path(path).open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                out.append(ScoredPrediction.from_dict(json.loads(line)))
            except (ValueError, TypeError) as exc:
                raise ValueError(f"{path}:{line_no}: {exc}") from exc
    return out
