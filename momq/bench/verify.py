"""Cross-dialect verification of one benchmark item: run every dialect's gold query and demand agreement.

:func:`verify` executes each dialect's gold text on its engine and returns a :class:`Verdict`. An item is kept
only if every query runs, the reference dialect's answer (MySQL by default) is non-empty unless the item is
expected to be empty, and every other dialect's rows equal the reference's under the comparator
(:func:`momq.evaluate.compare.compare_results`, booleans compared leniently since MariaDB returns 1/0).
Order matters exactly when the reference query orders its output. Gold Cypher can also be required to pass
Neo4j's own linter. Failures carry a machine-countable ``reason`` (see :data:`REASONS`) and a ``detail`` for
people; an engine that cannot be reached raises ``EngineUnavailable`` rather than failing the item. It does not
load databases, compile IR or decide which items to write; it never drops silently.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from momq.engines.base import Engine, EngineError, EngineUnavailable, ExecutionLimits, QueryResult, QueryTimeout

log = logging.getLogger(__name__)

#: Every failure category :func:`verify` reports.
REASONS: tuple[str, ...] = (
    "missing_engine",  # no engine for a dialect that has a query
    "cypher_lint",  # Neo4j's linter rejects the gold Cypher
    "engine_error",  # an engine rejected or failed a query
    "timeout",  # a query ran past the time limit
    "truncated",  # more rows than the row cap: the answer cannot be compared
    "empty_result",  # the reference answer is empty but the question expects rows
    "unexpected_rows",  # the question expects no rows but the reference has some
    "disagreement",  # a dialect's rows differ from the reference's
)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str | None = None  # one of REASONS when not ok
    failed_dialect: str | None = None
    rows: int = 0  # rows in the reference answer
    detail: str = ""

    def __post_init__(self) -> None:
        if self.ok != (self.reason is None):
            raise ValueError("a verdict has a reason exactly when it is not ok")
        if self.reason is not None and self.reason not in REASONS:
            raise ValueError(f"unknown verification reason {self.reason!r}")


OrderedBy = Callable[[str, str], bool] | bool | None


def _lint_ok(linter: Any, query: str) -> tuple[bool, str]:
    """Ask a linter about one query. Accepted: an object with ``errors(query)`` (``CypherLinter``: error
    diagnostics only, warnings pass), a callable, or an object with ``check(query)``; the answer may be a bool,
    a list of problems (empty = valid) or an object with ``ok``/``valid``."""
    if hasattr(linter, "errors"):
        fn = linter.errors
    elif callable(linter):
        fn = linter
    else:
        fn = linter.check
    result = fn(query)
    if isinstance(result, bool):
        return result, "" if result else "rejected"
    if isinstance(result, (list, tuple)):
        return not result, "; ".join(getattr(r, "message", None) or str(r) for r in result)
    for attr in ("ok", "valid", "is_valid"):
        if hasattr(result, attr):
            ok = bool(getattr(result, attr))
            return ok, "" if ok else str(result)
    raise TypeError(f"cannot read a linter answer of type {type(result).__name__}")


def verify(
    query_texts: Mapping[str, str],
    db: str,
    engines: Mapping[str, Engine],
    ordered_by: OrderedBy = None,
    limits: ExecutionLimits = ExecutionLimits(),
    *,
    reference: str = "mysql",
    expect_empty: bool = False,
    linter: Any = None,
) -> Verdict:
    """Run ``query_texts[dialect]`` on ``engines[dialect]`` (database ``db``) and compare with the reference.

    ``ordered_by``: a function ``(query, dialect) -> bool`` saying whether a query orders its output (default:
    :func:`momq.evaluate.ordering.query_orders`), or a fixed bool. ``linter``: optional Neo4j Cypher linter
    applied to the ``cypher`` text before anything runs.
    """
    from momq.evaluate.compare import compare_results

    if reference not in query_texts:
        raise ValueError(f"the reference dialect {reference!r} has no query")
    for dialect in query_texts:
        if dialect not in engines:
            return Verdict(False, "missing_engine", dialect, 0, f"{dialect}: no engine")
    if linter is not None and "cypher" in query_texts:
        ok, why = _lint_ok(linter, query_texts["cypher"])
        if not ok:
            return Verdict(False, "cypher_lint", "cypher", 0, f"cypher: {why}")
    results: dict[str, QueryResult] = {}
    order = [reference] + [d for d in query_texts if d != reference]
    for dialect in order:
        try:
            results[dialect] = engines[dialect].execute(db, query_texts[dialect], limits)
        except EngineUnavailable:
            raise  # a server that cannot be reached says nothing about the query: stop instead of rejecting it
        except QueryTimeout as exc:
            return Verdict(False, "timeout", dialect, 0, f"{dialect}: {exc}")
        except EngineError as exc:
            return Verdict(False, "engine_error", dialect, 0, f"{dialect}: {type(exc).__name__}: {exc}")
        if results[dialect].truncated:
            return Verdict(False, "truncated", dialect, len(results[dialect].rows),
                           f"{dialect}: more than {limits.max_rows} rows")
    ref = results[reference]
    n = len(ref.rows)
    if n == 0 and not expect_empty:
        return Verdict(False, "empty_result", reference, 0, f"{reference}: no rows")
    if n and expect_empty:
        return Verdict(False, "unexpected_rows", reference, n, f"{reference}: {n} rows, expected none")
    if ordered_by is None:
        from momq.evaluate.ordering import query_orders
        ordered_by = query_orders
    ordered = ordered_by if isinstance(ordered_by, bool) else ordered_by(query_texts[reference], reference)
    for dialect in order[1:]:
        cmp = compare_results(ref, results[dialect], ordered, lenient_bool=True)
        if not cmp.match:
            return Verdict(False, "disagreement", dialect, n, f"{dialect} vs {reference}: {cmp.reason}")
    return Verdict(True, None, None, n)


def summarize(verdicts: Iterable[Verdict]) -> dict[str, Any]:
    """Agreement rate and failures by reason and by dialect, for reports."""
    verdicts = list(verdicts)
    ok = sum(v.ok for v in verdicts)
    return {
        "items": len(verdicts),
        "ok": ok,
        "agreement": ok / len(verdicts) if verdicts else 0.0,
        "by_reason": dict(Counter(v.reason for v in verdicts if not v.ok)),
        "by_dialect": dict(Counter(v.failed_dialect for v in verdicts if not v.ok)),
    }
