"""Execution-accuracy (EX) comparison: does a predicted query return the same result as the gold query?

What it does:
- :func:`normalize_value` turns every value an engine returns into a plain, hashable form;
- :func:`compare_results` compares two results as multisets of rows (as sequences when the gold query orders
  its output), ignoring column names, with a numeric tolerance, and explains any difference in words;
- :func:`execution_match` decides "ordered" from the gold query (see :mod:`momq.evaluate.ordering`);
- :class:`ExecutionAccuracy` accumulates EX and the valid-query rate per dialect.

Validity travels with the verdict: a :class:`Comparison` says whether the predicted query was *valid* (it
executed) and, when not, which kind of error stopped it (:data:`ERROR_KINDS`, from :func:`error_kind`). The
accumulator reads ``Comparison.valid`` and nothing else, so a failed prediction can never be counted as valid.

Decisions (each one is a choice; change them here and nowhere else):
- Numbers. ``int`` stays ``int``; ``float`` stays ``float``; a ``Decimal`` becomes an ``int`` when its value is
  integral and a ``float`` otherwise. Two ints compare exactly (ids 1000000 and 1000001 must differ, which a
  relative tolerance of 1e-6 would not see); as soon as one side is a float they compare with
  ``math.isclose`` (relative 1e-6, absolute 1e-6 by default). So FalkorDB's ``sum()`` of integers (3.0) equals
  MariaDB's 3, and ``Decimal('2.50')`` equals 2.5. NaN equals NaN; infinities equal only themselves.
- Booleans stay booleans and never equal 0/1 by default. Gold and predicted queries normally run on the same
  engine, where a type difference is a real difference (PostgreSQL ``count(*) > 0`` is not ``count(*)``), and
  on MariaDB both sides already hold TINYINT 0/1, so strictness costs nothing there. Comparing results ACROSS
  dialects (a MariaDB 1 against a PostgreSQL True, e.g. when checking that the gold queries of two dialects
  agree) needs ``lenient_bool=True``, which turns every bool into the int 0/1 before comparing.
- Dates become ISO strings (``date`` → 'YYYY-MM-DD'; ``datetime`` → 'YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]',
  space-separated as SQL prints it; ``time`` → 'HH:MM:SS'; a ``timedelta``, which PyMySQL returns for TIME
  columns, → '[-]H:MM:SS[.ffffff]'), because graph engines store dates as strings.
- Strings compare exactly: case-sensitive, and trailing spaces count (MariaDB's own ``=`` ignores trailing
  pad in VARCHAR; a result comparison does not). ``bytes`` are decoded as UTF-8, or shown as '0x…' hex.
- NULL equals NULL (result comparison, not SQL three-valued logic).
- Lists and tuples become tuples, normalised recursively; sets become sorted tuples; maps become tuples of
  (key, value) pairs sorted by key.
- Graph values (:class:`~momq.engines.base.GraphNode` / ``GraphEdge`` / ``GraphPath``): a node is
  ``(sorted labels, sorted property items)``, an edge is ``(type, sorted property items)``, a path is the
  tuple ``(node, edge, node, ..., node)``. Properties whose name starts with ``_`` are private to an engine or
  emulation (e.g. a stored VID or rank) and are dropped. A node therefore never equals a bare id.
- Column names are ignored; columns are compared positionally as value tuples. ``column_order_insensitive``
  also accepts any permutation of the predicted columns (useful where a graph RETURN lists the same values in
  another order); it is off by default because SQL EX in the field is positional.
- Extra columns. By default the prediction must have exactly the gold's columns. ``extra_columns`` (off by
  default; ``momq eval --extra-columns``) is the other convention in use by public SQL suites: the prediction
  matches when its columns CONTAIN the gold's, i.e. when some choice of distinct predicted columns, one per gold
  column and in any order, gives the gold result (rows still count one for one: extra columns that split a
  gold row into several rows do not match).
- Two empty results match whatever their columns; a truncated result (more rows than the row cap) never
  matches, because the rows that were cut off are unknown.

What it deliberately does not do: execute queries (engines do), decide whether a query orders its output
(``ordering``), or judge ties under ``ORDER BY ... LIMIT`` (a gold query whose LIMIT cuts through tied rows
has several correct answers; only the one the engine returned is accepted).
"""

from __future__ import annotations

import bisect
import datetime as _dt
import decimal
import math
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from momq.dialects.base import DIALECT_NAMES, check_dialect
from momq.engines.base import (
    EngineError,
    EngineUnavailable,
    GraphEdge,
    GraphNode,
    GraphPath,
    QueryResult,
    QueryTimeout,
    UnknownDatabase,
    UnsafeQueryError,
)

__all__ = [
    "ERROR_KINDS",
    "Comparison",
    "ExecutionAccuracy",
    "Tolerance",
    "compare_results",
    "error_kind",
    "execution_match",
    "normalize_row",
    "normalize_value",
    "values_equal",
]


# ----------------------------------------------------------------------------------------------- options
@dataclass(frozen=True)
class Tolerance:
    """How close two numbers must be to count as equal (``math.isclose`` semantics); ints vs ints are exact."""

    rel: float = 1e-6
    abs: float = 1e-6

    def __post_init__(self) -> None:
        for name, upper in (("rel", 1.0), ("abs", math.inf)):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and not isinstance(value, bool)) or not (0 <= value < upper):
                raise ValueError(f"tolerance {name} must be a number in [0, {upper}), got {value!r}")


DEFAULT_TOLERANCE = Tolerance()


#: Why a predicted query is not valid. ``extract``: no query could be taken from the model's text; ``unsafe``:
#: refused because it could change data or holds several statements; ``timeout``: cancelled at the time limit;
#: ``failed``: the engine rejected it (syntax error, unknown table, type error, ...); ``unavailable``: the engine
#: or the database could not be reached (not the model's fault; see :mod:`momq.evaluate.metrics`).
ERROR_KINDS: tuple[str, ...] = ("extract", "unsafe", "timeout", "failed", "unavailable")


def error_kind(error: EngineError) -> str:
    """The :data:`ERROR_KINDS` entry for an engine error (an unknown ``EngineError`` subclass is ``failed``)."""
    if not isinstance(error, EngineError):
        raise TypeError(f"expected an EngineError, got {type(error).__name__}")
    if isinstance(error, UnsafeQueryError):
        return "unsafe"
    if isinstance(error, QueryTimeout):
        return "timeout"
    if isinstance(error, (EngineUnavailable, UnknownDatabase)):
        return "unavailable"
    return "failed"


@dataclass(frozen=True)
class Comparison:
    """The verdict on one pair of results, with a reason a person can read.

    ``valid`` is False when the predicted query did not execute; ``error_kind`` then says why (one of
    :data:`ERROR_KINDS`). A valid comparison has no error kind, and only a valid one can match.
    """

    match: bool
    reason: str
    #: when the match needed the predicted columns reordered: for each gold column, the predicted column used
    column_permutation: tuple[int, ...] | None = None
    valid: bool = True
    error_kind: str | None = None

    def __post_init__(self) -> None:
        if self.valid:
            if self.error_kind is not None:
                raise ValueError(f"a valid comparison has no error kind, got {self.error_kind!r}")
        else:
            if self.match:
                raise ValueError("a prediction that did not execute cannot match the gold result")
            if self.error_kind not in ERROR_KINDS:
                raise ValueError(f"an invalid comparison needs an error kind in {ERROR_KINDS}, "
                                 f"got {self.error_kind!r}")

    @classmethod
    def invalid(cls, kind: str, reason: str) -> "Comparison":
        """The verdict on a prediction that did not execute (``kind`` from :data:`ERROR_KINDS`)."""
        return cls(False, reason, valid=False, error_kind=kind)


# ----------------------------------------------------------------------------------------------- values
def normalize_value(value: Any, *, lenient_bool: bool = False) -> Any:
    """A plain, hashable form of one result value (see the module docstring for every rule).

    Raises ``TypeError`` for a type no engine of ours returns, rather than guessing how to compare it.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value) if lenient_bool else value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return 0.0 if value == 0 else value  # -0.0 → 0.0 so that hashes agree
    if isinstance(value, decimal.Decimal):
        if value.is_finite() and value == value.to_integral_value():
            return int(value)
        return float(value)
    if isinstance(value, str):
        return value
    if isinstance(value, _dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        return _format_timedelta(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return "0x" + raw.hex()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, GraphNode):
        return (tuple(sorted(value.labels)), _normalize_properties(value.properties, lenient_bool))
    if isinstance(value, GraphEdge):
        return (value.type, _normalize_properties(value.properties, lenient_bool))
    if isinstance(value, GraphPath):
        return _normalize_path(value, lenient_bool)
    if isinstance(value, Mapping):
        return _sorted_items(value.items(), lenient_bool)
    if isinstance(value, (set, frozenset)):
        return tuple(sorted((normalize_value(v, lenient_bool=lenient_bool) for v in value), key=order_key))
    if isinstance(value, (list, tuple)):
        return tuple(normalize_value(v, lenient_bool=lenient_bool) for v in value)
    raise TypeError(
        f"cannot compare a result value of type {type(value).__module__}.{type(value).__qualname__}: {value!r}; "
        "engines must convert it to a plain value (see momq.evaluate.compare)"
    )


def normalize_row(row: Sequence[Any], *, lenient_bool: bool = False) -> tuple:
    """A result row as a tuple of normalised values."""
    if isinstance(row, (str, bytes)) or not isinstance(row, Sequence):
        raise TypeError(f"a result row must be a tuple or list of values, got {type(row).__name__}: {row!r}")
    return tuple(normalize_value(v, lenient_bool=lenient_bool) for v in row)


def _format_timedelta(td: _dt.timedelta) -> str:
    sign = "-" if td < _dt.timedelta(0) else ""
    td = abs(td)
    total_seconds = td.days * 86400 + td.seconds
    hours, rest = divmod(total_seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{sign}{hours}:{minutes:02d}:{seconds:02d}"
    return text + (f".{td.microseconds:06d}" if td.microseconds else "")


def _normalize_properties(properties: Mapping[str, Any], lenient_bool: bool) -> tuple:
    return _sorted_items(((k, v) for k, v in properties.items() if not str(k).startswith("_")), lenient_bool)


def _sorted_items(items: Iterable[tuple[Any, Any]], lenient_bool: bool) -> tuple:
    pairs = [(normalize_value(k, lenient_bool=lenient_bool), normalize_value(v, lenient_bool=lenient_bool))
             for k, v in items]
    return tuple(sorted(pairs, key=lambda kv: order_key(kv[0])))


def _normalize_path(path: GraphPath, lenient_bool: bool) -> tuple:
    if len(path.nodes) != len(path.edges) + 1:
        raise ValueError(f"a path needs one node more than edges, got {len(path.nodes)} nodes and "
                         f"{len(path.edges)} edges")
    out: list[Any] = [normalize_value(path.nodes[0], lenient_bool=lenient_bool)]
    for edge, node in zip(path.edges, path.nodes[1:]):
        out.append(normalize_value(edge, lenient_bool=lenient_bool))
        out.append(normalize_value(node, lenient_bool=lenient_bool))
    return tuple(out)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def order_key(v: Any) -> tuple:
    """A total order over normalised values of mixed types (None < bool < number < str < tuple)."""
    if v is None:
        return (0,)
    if isinstance(v, bool):
        return (1, v)
    if _is_number(v):
        return (2, 1, 0) if isinstance(v, float) and math.isnan(v) else (2, 0, v)
    if isinstance(v, str):
        return (3, v)
    if isinstance(v, tuple):
        return (4, tuple(order_key(x) for x in v))
    raise TypeError(f"not a normalised value: {v!r}")


def values_equal(a: Any, b: Any, tolerance: Tolerance = DEFAULT_TOLERANCE) -> bool:
    """Equality of two NORMALISED values: ints exactly, floats within ``tolerance``, bool only with bool."""
    if a is None or b is None:
        return a is None and b is None
    a_bool, b_bool = isinstance(a, bool), isinstance(b, bool)
    if a_bool or b_bool:
        return a_bool and b_bool and a == b
    if _is_number(a) and _is_number(b):
        return _numbers_equal(a, b, tolerance)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(values_equal(x, y, tolerance) for x, y in zip(a, b))
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    return False


def _numbers_equal(a: int | float, b: int | float, tolerance: Tolerance) -> bool:
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    try:
        fa, fb = float(a), float(b)
    except OverflowError:  # an int beyond the float range: only an equal int can match it
        return a == b
    if math.isnan(fa) or math.isnan(fb):
        return math.isnan(fa) and math.isnan(fb)
    if math.isinf(fa) or math.isinf(fb):
        return fa == fb
    return math.isclose(fa, fb, rel_tol=tolerance.rel, abs_tol=tolerance.abs)


# ----------------------------------------------------------------------------------------------- keys
class _Marker:
    """A hashable stand-in that equals only itself (bools, NaN and "a number goes here" in keys)."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


_TRUE, _FALSE, _NAN, _NUM = _Marker("TRUE"), _Marker("FALSE"), _Marker("NAN"), _Marker("NUM")


def _exact_key(v: Any) -> Any:
    """A key whose Python equality is "equal with zero tolerance" (bool ≠ 1, NaN = NaN, 3 = 3.0)."""
    if isinstance(v, bool):
        return _TRUE if v else _FALSE
    if isinstance(v, float) and math.isnan(v):
        return _NAN
    if isinstance(v, tuple):
        return tuple(_exact_key(x) for x in v)
    return v


def _shape_and_numbers(v: Any, numbers: list) -> Any:
    """The value with every number replaced by a marker; the numbers are appended to ``numbers`` in order."""
    if isinstance(v, bool):
        return _TRUE if v else _FALSE
    if _is_number(v):
        numbers.append(v)
        return _NUM
    if isinstance(v, tuple):
        return tuple(_shape_and_numbers(x, numbers) for x in v)
    return v


def _first_float(numbers: list) -> float:
    """The sort coordinate of a row inside its shape group (NaN sorts last, huge ints clamp to ±inf)."""
    try:
        x = float(numbers[0])
    except OverflowError:
        x = math.inf if numbers[0] > 0 else -math.inf
    return math.inf if math.isnan(x) else x


# ----------------------------------------------------------------------------------------------- compare
def compare_results(
    gold: QueryResult | Sequence[Sequence[Any]],
    pred: QueryResult | Sequence[Sequence[Any]],
    ordered: bool,
    tolerance: Tolerance = DEFAULT_TOLERANCE,
    *,
    lenient_bool: bool = False,
    column_order_insensitive: bool = False,
    extra_columns: bool = False,
    max_column_permutations: int = 1000,
) -> Comparison:
    """Compare a predicted result with the gold one.

    ``ordered``: compare rows position by position (the gold query orders its output); otherwise as multisets
    (duplicates count). Columns are compared positionally, names ignored, unless ``column_order_insensitive``
    lets any permutation of the predicted columns match (at most ``max_column_permutations`` candidates are
    tried). ``extra_columns`` lets the prediction carry more columns than the gold as long as the gold's are
    among them (see the module notes). ``gold``/``pred`` are :class:`QueryResult` objects or plain sequences of
    rows.
    """
    if not isinstance(tolerance, Tolerance):
        raise TypeError(f"tolerance must be a Tolerance, got {type(tolerance).__name__}")
    if max_column_permutations < 1:
        raise ValueError(f"max_column_permutations must be at least 1, got {max_column_permutations}")
    for side, result in (("gold", gold), ("predicted", pred)):
        if isinstance(result, QueryResult) and result.truncated:
            return Comparison(False, f"{side} result was truncated at {len(result.rows)} rows by the row cap; "
                                     "a truncated result never counts as a match")
    gold_rows = [normalize_row(r, lenient_bool=lenient_bool) for r in _rows_of(gold)]
    pred_rows = [normalize_row(r, lenient_bool=lenient_bool) for r in _rows_of(pred)]

    if not gold_rows and not pred_rows:
        return Comparison(True, "match: both results are empty")
    if gold_rows and pred_rows:
        gw, pw = _width(gold_rows, "gold"), _width(pred_rows, "predicted")
        if isinstance(gw, str):
            return Comparison(False, gw)
        if isinstance(pw, str):
            return Comparison(False, pw)
        if gw != pw and not (extra_columns and pw > gw):
            return Comparison(False, f"column count differs: {gw} (gold) vs {pw} (predicted)")
    if len(gold_rows) != len(pred_rows):
        return Comparison(False, f"row count differs: {len(gold_rows)} (gold) vs {len(pred_rows)} (predicted)")
    if extra_columns and gold_rows and len(pred_rows[0]) > len(gold_rows[0]):
        found = _find_column_permutation(gold_rows, pred_rows, ordered, tolerance, max_column_permutations)
        if isinstance(found, tuple):
            return Comparison(True, f"{_match_word(ordered)} on predicted columns {[j + 1 for j in found]} of "
                                    f"{len(pred_rows[0])} (extra columns allowed)", column_permutation=found)
        return Comparison(False, f"the gold's {len(gold_rows[0])} columns are not among the prediction's "
                                 f"{len(pred_rows[0])}: {found}")

    first = _compare_rows(gold_rows, pred_rows, ordered, tolerance)
    if first.match or not column_order_insensitive:
        return first
    found = _find_column_permutation(gold_rows, pred_rows, ordered, tolerance, max_column_permutations)
    if isinstance(found, tuple):
        return Comparison(True, f"{_match_word(ordered)} with the predicted columns reordered as {list(found)}",
                          column_permutation=found)
    return Comparison(False, f"{first.reason}; {found}")


def _match_word(ordered: bool) -> str:
    return "match (ordered)" if ordered else "match (as multisets)"


def _rows_of(result: QueryResult | Sequence[Sequence[Any]]) -> Sequence[Sequence[Any]]:
    if isinstance(result, QueryResult):
        return result.rows
    if isinstance(result, (str, bytes)) or not isinstance(result, (Sequence, Iterable)):
        raise TypeError(f"a result must be a QueryResult or a sequence of rows, got {type(result).__name__}")
    return list(result)


def _width(rows: list[tuple], side: str) -> int | str:
    widths = {len(r) for r in rows}
    if len(widths) != 1:
        return f"{side} rows have different numbers of columns: {sorted(widths)}"
    return widths.pop()


def _compare_rows(gold: list[tuple], pred: list[tuple], ordered: bool, tol: Tolerance) -> Comparison:
    n = len(gold)
    if ordered:
        for i, (g, p) in enumerate(zip(gold, pred)):
            if not values_equal(g, p, tol):
                return Comparison(False, f"row {i + 1} of {n} differs (rows compared in order): "
                                         f"gold {_show(g)} vs predicted {_show(p)}")
        return Comparison(True, f"{_match_word(True)}: {_rows(n)}")
    missing, extra = _multiset_difference(gold, pred, tol)
    if not missing and not extra:
        return Comparison(True, f"{_match_word(False)}: {_rows(n)}")
    parts = []
    if missing:
        parts.append(f"{len(missing)} gold row{'s' if len(missing) != 1 else ''} missing from the prediction, "
                     f"e.g. {_show(missing[0])}")
    if extra:
        parts.append(f"{len(extra)} predicted row{'s' if len(extra) != 1 else ''} not in gold, "
                     f"e.g. {_show(extra[0])}")
    return Comparison(False, "multiset differs: " + "; ".join(parts))


def _multiset_difference(gold: list[tuple], pred: list[tuple], tol: Tolerance) -> tuple[list[tuple], list[tuple]]:
    """Rows of gold and of pred left unpaired by a maximum tolerant pairing of the two multisets.

    Equality with a tolerance is not transitive (a ≈ b ≈ c with a ≉ c), so "equal as multisets" means: a
    one-to-one pairing of all rows into equal pairs exists. It is found as a maximum flow, exactly:
    1. identical multisets (zero tolerance) are accepted at once (one Counter, linear time);
    2. rows are grouped by shape (the row with its numbers blanked out); only rows of one shape can be equal;
    3. inside a group, distinct rows become nodes with their multiplicities; a gold node's neighbours are
       the predicted nodes whose first number lies in the tolerance window (bisection on a sorted list) and
       that are fully equal; flow starts on identical pairs, then greedily, then along augmenting paths
       that may undo earlier choices. Typically each row has one neighbour, so the cost is O(n log n).
    """
    gold_count = Counter(_exact_key(r) for r in gold)
    pred_count = Counter(_exact_key(r) for r in pred)
    if gold_count == pred_count:
        return [], []

    groups: dict[Any, tuple[dict, dict]] = defaultdict(lambda: ({}, {}))
    for side, rows in ((0, gold), (1, pred)):
        for row in rows:
            numbers: list = []
            shape = _shape_and_numbers(row, numbers)
            nodes = groups[shape][side]
            key = _exact_key(row)
            if key in nodes:
                nodes[key][2] += 1
            else:
                nodes[key] = [row, numbers, 1]

    missing: list[tuple] = []
    extra: list[tuple] = []
    for g_nodes, p_nodes in groups.values():
        g_items, p_items = list(g_nodes.values()), list(p_nodes.values())
        if not g_items or not p_items or not g_items[0][1]:
            # one side only, or no numbers (then equal means identical and the counts say it all)
            for mine, theirs, out in ((g_nodes, p_nodes, missing), (p_nodes, g_nodes, extra)):
                for key, (row, _, count) in mine.items():
                    other = theirs.get(key)
                    out.extend([row] * max(count - (other[2] if other else 0), 0))
            continue
        m, e = _match_group(g_items, p_items, tol)
        missing.extend(m)
        extra.extend(e)
    return missing, extra


def _match_group(g_items: list, p_items: list, tol: Tolerance) -> tuple[list[tuple], list[tuple]]:
    """Maximum flow from gold nodes (capacity = multiplicity) to predicted nodes (same) over equal pairs."""
    p_items = sorted(p_items, key=lambda item: _first_float(item[1]))
    coords = [_first_float(item[1]) for item in p_items]
    p_index = {_exact_key(item[0]): j for j, item in enumerate(p_items)}
    supply = [item[2] for item in g_items]  # gold rows not yet paired
    room = [item[2] for item in p_items]  # predicted rows not yet paired
    flow: list[dict[int, int]] = [dict() for _ in g_items]  # flow[i][j]: pairs of gold node i with pred node j
    holders: list[dict[int, int]] = [dict() for _ in p_items]  # holders[j][i] == flow[i][j]
    cand_cache: dict[int, list[int]] = {}

    def cands(i: int) -> list[int]:
        if i not in cand_cache:
            row, nums, _ = g_items[i]
            x = _first_float(nums)
            if math.isinf(x):  # infinities, NaN and huge ints: only equal coordinates
                lo, hi = bisect.bisect_left(coords, x), bisect.bisect_right(coords, x)
            else:
                width = (tol.rel * abs(x) + tol.abs) / (1 - tol.rel) * (1 + 1e-9) + 1e-300
                lo, hi = bisect.bisect_left(coords, x - width), bisect.bisect_right(coords, x + width)
            cand_cache[i] = [j for j in range(lo, hi) if values_equal(row, p_items[j][0], tol)]
        return cand_cache[i]

    def push(i: int, j: int, amount: int) -> None:
        flow[i][j] = flow[i].get(j, 0) + amount
        holders[j][i] = flow[i][j]
        if flow[i][j] == 0:
            del flow[i][j], holders[j][i]

    # 1. identical rows first, 2. any free equal partner
    for i, item in enumerate(g_items):
        j = p_index.get(_exact_key(item[0]))
        if j is not None and room[j]:
            amount = min(supply[i], room[j])
            push(i, j, amount)
            supply[i] -= amount
            room[j] -= amount
    for i in range(len(g_items)):
        for j in cands(i):
            if not supply[i]:
                break
            if room[j]:
                amount = min(supply[i], room[j])
                push(i, j, amount)
                supply[i] -= amount
                room[j] -= amount
    # 3. augmenting paths: gold i -> pred j (equal) -> gold i2 holding j -> pred j2 ... -> pred with room
    for i in range(len(g_items)):
        while supply[i]:
            path = _augmenting_path(i, cands, holders, room)
            if path is None:
                break
            amount = min([supply[i], room[path[-1][1]]] + [flow[gi][pj] for gi, pj in path[1::2]])
            for step, (gi, pj) in enumerate(path):
                push(gi, pj, amount if step % 2 == 0 else -amount)
            supply[i] -= amount
            room[path[-1][1]] -= amount

    missing = [row for (row, _, _), left in zip(g_items, supply) for _ in range(left)]
    extra = [row for (row, _, _), left in zip(p_items, room) for _ in range(left)]
    return missing, extra


def _augmenting_path(start: int, cands, holders: list[dict[int, int]], room: list[int]) -> list | None:
    """Edges (gold, pred) of an augmenting path from gold node ``start``: forward, backward, forward, ...

    Even positions are forward edges (add flow), odd positions backward ones (the gold node that held the
    predicted node gives it up). Breadth-first, so paths are shortest; each node is visited once.
    """
    parent: dict[int, tuple[int, int | None]] = {}  # pred node -> (gold node reached from, pred node before)
    came_to_gold: dict[int, int | None] = {start: None}  # gold node -> pred node it was reached through
    frontier = [start]
    while frontier:
        next_frontier = []
        for gi in frontier:
            for pj in cands(gi):
                if pj in parent:
                    continue
                parent[pj] = (gi, came_to_gold[gi])
                if room[pj]:
                    edges: list[tuple[int, int]] = []
                    node = pj
                    while True:
                        g, before = parent[node]
                        edges.append((g, node))
                        if before is None:
                            break
                        edges.append((g, before))
                        node = before
                    edges.reverse()
                    return edges
                for holder in holders[pj]:
                    if holder not in came_to_gold:
                        came_to_gold[holder] = pj
                        next_frontier.append(holder)
        frontier = next_frontier
    return None


def _find_column_permutation(gold: list[tuple], pred: list[tuple], ordered: bool, tol: Tolerance,
                             limit: int) -> tuple[int, ...] | str:
    """A permutation ``perm`` (gold column i ↔ predicted column perm[i]) under which the results match.

    Candidates per gold column are the predicted columns that hold the same values (the same sequence when
    ordered, the same multiset otherwise; a necessary condition checked with a doubled tolerance so that it
    never rejects a true match); permutations built from candidates are verified in full.
    """
    width, p_width = len(gold[0]), len(pred[0])  # p_width > width: extra predicted columns are left out
    loose = Tolerance(rel=min(2 * tol.rel, 0.5), abs=min(2 * tol.abs, 0.5))
    g_cols = [[r[i] for r in gold] for i in range(width)]
    p_cols = [[r[j] for r in pred] for j in range(p_width)]
    options = [[j for j in range(p_width) if _columns_compatible(g_cols[i], p_cols[j], ordered, loose)]
               for i in range(width)]
    empty = [i for i, opts in enumerate(options) if not opts]
    if empty:
        return (f"no predicted column holds the values of gold column {empty[0] + 1} "
                "(column permutations considered)")
    identity = tuple(range(width)) if p_width == width else None  # the identity was compared already
    tried = 0
    perm: list[int] = []
    used: set[int] = set()

    def search(i: int) -> tuple[int, ...] | None:
        nonlocal tried
        if i == width:
            candidate = tuple(perm)
            if candidate == identity:
                return None  # already compared
            tried += 1
            reordered = [tuple(row[j] for j in candidate) for row in pred]
            if _compare_rows(gold, reordered, ordered, tol).match:
                return candidate
            return None
        for j in options[i]:
            if j in used or tried >= limit:
                continue
            used.add(j)
            perm.append(j)
            found = search(i + 1)
            perm.pop()
            used.discard(j)
            if found is not None:
                return found
        return None

    found = search(0)
    if found is not None:
        return found
    if tried >= limit:
        return f"gave up after trying {tried} column permutations"
    return f"no permutation of the predicted columns matches ({tried} tried)"


def _columns_compatible(g: list, p: list, ordered: bool, tol: Tolerance) -> bool:
    if ordered:
        return all(values_equal(a, b, tol) for a, b in zip(g, p))
    g_num = sorted(_first_float([v]) for v in g if _is_number(v))
    p_num = sorted(_first_float([v]) for v in p if _is_number(v))
    if len(g_num) != len(p_num):
        return False
    if any(not _numbers_equal(a, b, tol) for a, b in zip(g_num, p_num)):
        return False
    # non-scalar-number values: compare by shape (numbers inside lists/maps/nodes are left to the full check)
    g_rest = Counter(_shape_and_numbers(v, []) for v in g if not _is_number(v))
    p_rest = Counter(_shape_and_numbers(v, []) for v in p if not _is_number(v))
    return g_rest == p_rest


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def _show(row: tuple, limit: int = 160) -> str:
    text = repr(row)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ----------------------------------------------------------------------------------------------- EX
def execution_match(
    gold_result: QueryResult | Sequence[Sequence[Any]],
    pred_result: QueryResult | Sequence[Sequence[Any]] | EngineError,
    gold_query: str,
    dialect: str,
    tolerance: Tolerance = DEFAULT_TOLERANCE,
    **options: Any,
) -> Comparison:
    """EX for one example: order-sensitive exactly when ``gold_query`` orders its output in ``dialect``.

    ``pred_result`` may be the :class:`EngineError` the predicted query raised; that is an *invalid* non-match
    (``valid=False``, ``error_kind`` from :func:`error_kind`) whose reason names the error. ``options`` are
    passed on to :func:`compare_results`.
    """
    from momq.evaluate.ordering import query_orders  # local: keeps sqlglot out of plain comparisons

    if isinstance(pred_result, EngineError):
        return Comparison.invalid(error_kind(pred_result),
                                  f"predicted query failed ({type(pred_result).__name__}): {pred_result}")
    ordered = query_orders(gold_query, dialect)
    return compare_results(gold_result, pred_result, ordered, tolerance, **options)


@dataclass
class _Tally:
    total: int = 0
    valid: int = 0
    correct: int = 0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "n": self.total,
            "valid": self.valid,
            "correct": self.correct,
            "ex": self.correct / self.total if self.total else 0.0,
            "valid_rate": self.valid / self.total if self.total else 0.0,
        }


@dataclass
class ExecutionAccuracy:
    """Accumulates execution accuracy (EX) and the valid-query rate, per dialect and overall.

    A prediction is *valid* when it parsed and executed without error; it is *correct* when its result
    matches the gold one (so correct implies valid). ``overall`` pools every example (micro average);
    ``macro_ex`` is the unweighted mean of the per-dialect EX over the dialects seen.
    """

    dialects: tuple[str, ...] = DIALECT_NAMES
    _tallies: dict[str, _Tally] = field(default_factory=dict, init=False, repr=False)

    def add(self, dialect: str, *, valid: bool, match: bool) -> None:
        dialect = check_dialect(dialect, self.dialects)
        if match and not valid:
            raise ValueError("a prediction that did not execute cannot match the gold result")
        tally = self._tallies.setdefault(dialect, _Tally())
        tally.total += 1
        tally.valid += bool(valid)
        tally.correct += bool(match)

    def add_comparison(self, dialect: str, comparison: Comparison | None) -> None:
        """Record a comparison (its ``valid`` flag decides validity), or ``None`` when no query was compared."""
        if comparison is None:
            self.add(dialect, valid=False, match=False)
        else:
            self.add(dialect, valid=comparison.valid, match=comparison.match)

    def ex(self, dialect: str | None = None) -> float:
        return self._tally(dialect).as_dict()["ex"]

    def valid_rate(self, dialect: str | None = None) -> float:
        return self._tally(dialect).as_dict()["valid_rate"]

    def count(self, dialect: str | None = None) -> int:
        return self._tally(dialect).total

    def _tally(self, dialect: str | None) -> _Tally:
        if dialect is None:
            pooled = _Tally()
            for t in self._tallies.values():
                pooled.total += t.total
                pooled.valid += t.valid
                pooled.correct += t.correct
            return pooled
        return self._tallies.get(check_dialect(dialect, self.dialects), _Tally())

    def to_dict(self) -> dict[str, Any]:
        per_dialect = {d: self._tallies[d].as_dict() for d in self.dialects if d in self._tallies}
        seen = [v["ex"] for v in per_dialect.values()]
        return {
            "per_dialect": per_dialect,
            "overall": self._tally(None).as_dict(),
            "macro_ex": sum(seen) / len(seen) if seen else 0.0,
        }
