"""Evaluation of generated queries: execution accuracy (EX) and the valid-query rate.

``compare`` compares two query results (multisets or sequences of rows, numeric tolerance, graph values);
``ordering`` says whether a gold query orders its output, which decides how rows are compared. Running the
queries is the engines' job (``momq.engines``); reports and plots come later and live in their own modules.
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
from momq.evaluate.ordering import OrderingError, query_orders

__all__ = [
    "ERROR_KINDS",
    "Comparison",
    "ExecutionAccuracy",
    "OrderingError",
    "Tolerance",
    "compare_results",
    "error_kind",
    "execution_match",
    "normalize_row",
    "normalize_value",
    "query_orders",
    "values_equal",
]
