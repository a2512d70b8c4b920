"""Evaluation of generated queries: scoring, metrics and reports.

- ``compare``: compares two query results (multisets or sequences of rows, numeric tolerance, graph values);
  a :class:`Comparison` carries whether the prediction was valid and, if not, its error kind;
- ``ordering``: whether a gold query orders its output, which decides how rows are compared;
- ``normalize``: query text normal forms for exact match (EM);
- ``score``: one :class:`ScoredPrediction` per (benchmark item, model output): extract, execute read-only,
  compare with the cached gold result;
- ``metrics``: :func:`summarize` (EX / valid rate / EM per dialect, micro and macro, Wilson intervals,
  breakdowns, error kinds) and :func:`paired_difference` (two methods on the same items);
- ``report``: :func:`write_report` (``report.md``, ``report.json`` and PNG plots).

Running the model is not here (the caller passes its outputs), nor are engines started here
(``momq.engines``). Plotting imports matplotlib only when a report is written.
"""

from momq.evaluate.compare import (
    ERROR_KINDS,
    Comparison,
    ExecutionAccuracy,
    Tolerance,
    compare_results,
    error_kind,
    execution_match,
    normalize_row,
    normalize_value,
    values_equal,
)
from momq.evaluate.metrics import paired_difference, summarize, wilson_interval
from momq.evaluate.normalize import exact_match, normalize_query
from momq.evaluate.ordering import OrderingError, query_orders
from momq.evaluate.report import write_report
from momq.evaluate.score import (
    GoldCache,
    ScoredPrediction,
    read_scored,
    score_prediction,
    score_predictions,
    write_scored,
)

__all__ = [
    "ERROR_KINDS",
    "Comparison",
    "ExecutionAccuracy",
    "GoldCache",
    "OrderingError",
    "ScoredPrediction",
    "Tolerance",
    "compare_results",
    "error_kind",
    "exact_match",
    "execution_match",
    "normalize_query",
    "normalize_row",
    "normalize_value",
    "paired_difference",
    "query_orders",
    "read_scored",
    "score_prediction",
    "score_predictions",
    "summarize",
    "values_equal",
    "wilson_interval",
    "write_report",
    "write_scored",
]
