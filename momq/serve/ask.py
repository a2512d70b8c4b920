"""The ask loop: question -> prompt -> proposed query -> validation -> read-only execution, with self-correction.

Each attempt asks ``propose(parts, attempt)`` for an answer text (the model by default; tests pass a scripted
source, which is a seam for the query source, not a stand-in for any database), extracts the query, validates it
(:mod:`momq.serve.validate`) and runs it read-only within the limits. When a step fails, the failed query and its
error go back into the prompt as a short note inside the suffix (just before the "### <dialect> query" header),
so the prefix (instruction + schema) and its KV cache stay the same, and the next attempt starts; at most
``retries`` retries. A query that already failed is never validated or run again (the attempt is recorded as a
repeat). Every attempt is recorded with its timings. An engine that becomes unavailable stops the loop with
``EngineUnavailable`` (nothing to correct). It does not open connections, load models or print.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

from momq.dialects.prompt import PromptParts, TokenBudget, extract_query, fit_prompt
from momq.engines.base import (
    EngineUnavailable,
    ExecutionLimits,
    QueryFailed,
    QueryResult,
    QueryTimeout,
    UnknownDatabase,
    UnsafeQueryError,
)
from momq.schema import Database
from momq.serve.validate import ValidationError, validate

log = logging.getLogger(__name__)

#: longest error message put back into the prompt
NOTE_MAX_CHARS = 300
DEFAULT_RETRIES = 2

Propose = Callable[[PromptParts, int], str]


@dataclass
class Attempt:
    number: int  # 0 = first try
    text: str  # what the query source answered
    query: str  # the extracted query
    status: str  # ok | invalid | refused | failed | timeout | repeat
    error: str | None = None
    ran: str | None = None  # the query validated / executed (after corrections)
    notes: list[str] = field(default_factory=list)  # corrections made by validation
    seconds: dict[str, float] = field(default_factory=dict)  # generation / validation / execution

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass
class Answer:
    question: str
    dialect: str
    database: str
    attempts: list[Attempt]
    result: QueryResult | None
    timings: dict[str, float]  # totals: introspection, generation, validation, execution

    @property
    def found(self) -> bool:
        return self.result is not None

    @property
    def query(self) -> str | None:
        return next((a.ran for a in self.attempts if a.ok), None)

    def to_dict(self) -> dict[str, Any]:
        from momq.serve.render import jsonable

        result = None
        if self.result is not None:
            result = {"columns": list(self.result.columns),
                      "rows": [[jsonable(v) for v in row] for row in self.result.rows],
                      "truncated": self.result.truncated}
        return {"question": self.question, "dialect": self.dialect, "database": self.database,
                "found": self.found, "query": self.query, "result": result,
                "attempts": [asdict(a) for a in self.attempts],
                "timings": {k: round(v, 4) for k, v in self.timings.items()}}


def with_feedback(parts: PromptParts, failures: list[tuple[str, str]]) -> PromptParts:
    """``parts`` with a note on each failed (query, error) inserted into the suffix before its last header."""
    if not failures:
        return parts
    lines = []
    for query, error in failures:
        error = " ".join(error.split())
        if len(error) > NOTE_MAX_CHARS:
            error = error[:NOTE_MAX_CHARS - 3] + "..."
        lines += [f"previous attempt failed: {' '.join(query.split()) or '(no query)'}", f"error: {error}"]
    note = "\n".join(lines) + "\n\n"
    cut = parts.suffix.rfind("### ")
    if cut < 0:
        return PromptParts(parts.prefix, parts.suffix + note)
    return PromptParts(parts.prefix, parts.suffix[:cut] + note + parts.suffix[cut:])


def _normal(query: str) -> str:
    return " ".join(query.split()).rstrip(";").strip().lower()


def ask(question: str, *, engine: Any, db: str, dialect: str, schema: Database, propose: Propose,
        retries: int = DEFAULT_RETRIES, limits: ExecutionLimits = ExecutionLimits(), linter: Any = None,
        budget: TokenBudget | None = None, layout: Any = None, evidence: str | None = None,
        introspection_s: float = 0.0) -> Answer:
    if retries < 0:
        raise ValueError(f"retries must be >= 0, got {retries}")
    parts = fit_prompt(question, schema, dialect, evidence, budget, layout=layout)
    failed: set[str] = set()
    failures: list[tuple[str, str]] = []
    attempts: list[Attempt] = []
    totals = {"introspection": introspection_s, "generation": 0.0, "validation": 0.0, "execution": 0.0}
    result: QueryResult | None = None
    for number in range(retries + 1):
        t0 = time.monotonic()
        text = propose(with_feedback(parts, failures), number)
        gen_s = time.monotonic() - t0
        totals["generation"] += gen_s
        query = extract_query(text, dialect) if text.strip() else ""
        attempt = Attempt(number, text, query, "ok", seconds={"generation": round(gen_s, 4)})
        attempts.append(attempt)
        if query and _normal(query) in failed:
            attempt.status, attempt.error = "repeat", "this query already failed; it was not run again"
            failures.append((query, attempt.error))
            continue
        t1 = time.monotonic()
        try:
            checked = validate(query, dialect, schema, engine, db, limits, linter)
            attempt.ran, attempt.notes = checked.query, checked.notes
            if checked.query != query and _normal(checked.query) in failed:
                raise ValidationError("repeat", "the corrected query already failed; it was not run again")
        except ValidationError as exc:
            attempt.status, attempt.error = "invalid", str(exc)
        except (UnsafeQueryError, QueryTimeout, QueryFailed, UnknownDatabase) as exc:
            attempt.status, attempt.error = _status_of(exc, "invalid"), str(exc)
        val_s = time.monotonic() - t1
        attempt.seconds["validation"] = round(val_s, 4)
        totals["validation"] += val_s
        if attempt.status == "ok":
            t2 = time.monotonic()
            try:
                result = engine.execute(db, attempt.ran, limits)
            except EngineUnavailable:
                raise
            except (UnsafeQueryError, QueryTimeout, QueryFailed, UnknownDatabase) as exc:
                attempt.status, attempt.error = _status_of(exc, "failed"), str(exc)
            exe_s = time.monotonic() - t2
            attempt.seconds["execution"] = round(exe_s, 4)
            totals["execution"] += exe_s
        if attempt.status == "ok":
            break
        log.info("attempt %d %s: %s", number + 1, attempt.status, attempt.error)
        for q in {query, attempt.ran or query}:
            if q:
                failed.add(_normal(q))
        failures.append((attempt.ran or query, attempt.error or attempt.status))
        result = None
    return Answer(question, dialect, db, attempts, result, totals)


def _status_of(exc: Exception, otherwise: str) -> str:
    """An attempt's status for a typed engine error: refused (unsafe), timeout, or ``otherwise``."""
    if isinstance(exc, UnsafeQueryError):
        return "refused"
    if isinstance(exc, QueryTimeout):
        return "timeout"
    return otherwise
