"""The execution-accuracy comparator: value normalisation, tolerant multiset/ordered comparison, reasons."""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

import pytest

from momq.engines.base import (
    EngineError,
    EngineUnavailable,
    GraphEdge,
    GraphNode,
    GraphPath,
    QueryFailed,
    QueryResult,
    QueryTimeout,
    UnknownDatabase,
    UnsafeQueryError,
)
from momq.evaluate import (
    Comparison,
    ExecutionAccuracy,
    Tolerance,
    compare_results,
    execution_match,
    normalize_value,
    values_equal,
)

# ----------------------------------------------------------------------------------------------- values
ALICE = GraphNode(("Person",), {"name": "Alice", "age": 30, "_vid": "p1"})
ALICE_OTHER_VID = GraphNode(("Person",), {"age": 30, "name": "Alice", "_vid": "p9"})
ALICE_TWO_LABELS = GraphNode(("Person", "Employee"), {"name": "Alice", "age": 30})
ALICE_TWO_LABELS_SWAPPED = GraphNode(("Employee", "Person"), {"age": 30, "name": "Alice"})
BOB = GraphNode(("Person",), {"name": "Bob", "age": 30})
KNOWS = GraphEdge("KNOWS", {"since": 2020, "_rank": 0})
KNOWS_FLOAT = GraphEdge("KNOWS", {"since": 2020.0, "_rank": 3})
LIKES = GraphEdge("LIKES", {"since": 2020})


@pytest.mark.parametrize(
    "a, b, equal",
    [
        # numbers across int / float / Decimal
        (3, 3.0, True),  # FalkorDB sum() of integers returns a float
        (Decimal("2.50"), 2.5, True),
        (Decimal("6"), 6, True),  # PostgreSQL/MariaDB SUM(int) returns a Decimal
        (Decimal("0.3333333333333333333"), 1 / 3, True),
        (1_000_000, 1_000_001, False),  # two ints compare exactly: ids must not blur
        (1.0, 1.0 + 1e-7, True),  # relative 1e-7 is within the default tolerance
        (1.0, 1.001, False),  # relative 1e-3 is not
        (1000.0, 1000.0 * (1 + 1e-7), True),
        (1000.0, 1001.0, False),
        (0.0, 5e-7, True),  # absolute tolerance near zero
        (0.0, 1e-4, False),
        (-0.0, 0.0, True),
        (math.nan, math.nan, True),
        (math.inf, math.inf, True),
        (math.inf, -math.inf, False),
        (Decimal("NaN"), math.nan, True),
        # booleans are not numbers by default
        (True, True, True),
        (True, 1, False),
        (False, 0, False),
        (False, 0.0, False),
        # NULL
        (None, None, True),
        (None, 0, False),
        (None, "", False),
        # strings: exact, case- and trailing-space-sensitive
        ("abc", "abc", True),
        ("abc", "ABC", False),
        ("abc", "abc ", False),
        ("1", 1, False),
        # dates become ISO strings, as graph engines store them
        (dt.date(2020, 1, 2), "2020-01-02", True),
        (dt.date(2020, 1, 2), "2020-1-2", False),
        (dt.datetime(2020, 1, 2, 3, 4, 5), "2020-01-02 03:04:05", True),
        (dt.time(3, 4, 5), "03:04:05", True),
        (dt.timedelta(hours=27, minutes=4, seconds=5), "27:04:05", True),  # PyMySQL's TIME
        (b"abc", "abc", True),
        # nested lists and maps
        ([1, [2, 3.0]], (1.0, (2, 3)), True),
        ([1, [2, 3]], [1, [3, 2]], False),  # lists keep their order
        ([1, 2], [1, 2, 3], False),
        ({"b": 1, "a": [True]}, {"a": [True], "b": 1.0}, True),
        ({"a": 1}, {"a": 2}, False),
        ({"a": 1}, {"b": 1}, False),
        # graph values
        (ALICE, ALICE_OTHER_VID, True),  # private _ properties dropped, property order irrelevant
        (ALICE, BOB, False),
        # nGQL identity (VID, edge endpoints and rank) is not content: a Cypher node has none to compare with
        (GraphNode(("Person",), {"name": "Alice", "age": 30}, vid="p1"), ALICE, True),
        (GraphEdge("KNOWS", {"since": 2020}, "p1", "p2", 0), GraphEdge("KNOWS", {"since": 2020}), True),
        (GraphNode(("Person",), {"name": "Alice", "age": 30}, vid="p1"), BOB, False),
        (ALICE, ALICE_TWO_LABELS, False),
        (ALICE_TWO_LABELS, ALICE_TWO_LABELS_SWAPPED, True),  # labels compare as a sorted tuple
        (ALICE, "Alice", False),  # a node never equals a bare value
        (KNOWS, KNOWS_FLOAT, True),
        (KNOWS, LIKES, False),
        (GraphPath((ALICE, BOB), (KNOWS,)), GraphPath((ALICE_OTHER_VID, BOB), (KNOWS_FLOAT,)), True),
        (GraphPath((ALICE, BOB), (KNOWS,)), GraphPath((BOB, ALICE), (KNOWS,)), False),
        (GraphPath((ALICE, BOB), (KNOWS,)), GraphPath((ALICE, BOB), (LIKES,)), False),
        (GraphPath((ALICE,), ()), ALICE, False),
    ],
)
def test_value_equality(a, b, equal):
    na, nb = normalize_value(a), normalize_value(b)
    assert values_equal(na, nb) is equal
    assert values_equal(nb, na) is equal  # symmetric
    hash(na), hash(nb)  # normalised values are hashable


@pytest.mark.parametrize(
    "value, expected",
    [
        (Decimal("2.50"), 2.5),
        (Decimal("6.00"), 6),
        (True, True),
        (dt.date(2020, 1, 2), "2020-01-02"),
        ([1, [2]], (1, (2,))),
        ({"b": 2, "a": 1}, (("a", 1), ("b", 2))),
        (ALICE, (("Person",), (("age", 30), ("name", "Alice")))),
        (KNOWS, ("KNOWS", (("since", 2020),))),
        (b"\xff\x00", "0xff00"),
    ],
)
def test_normalize_value_forms(value, expected):
    got = normalize_value(value)
    assert got == expected and type(got) is type(expected)


def test_normalize_decimal_type():
    assert type(normalize_value(Decimal("6.00"))) is int
    assert type(normalize_value(Decimal("6.5"))) is float


def test_lenient_bool_equates_mariadb_and_postgres_booleans():
    mariadb_rows = [(1, "a"), (0, "b")]  # BOOLEAN is TINYINT(1) in MariaDB
    postgres_rows = [(True, "a"), (False, "b")]
    assert not compare_results(mariadb_rows, postgres_rows, ordered=False).match
    assert compare_results(mariadb_rows, postgres_rows, ordered=False, lenient_bool=True).match
    assert normalize_value(True, lenient_bool=True) == 1 and type(normalize_value(True, lenient_bool=True)) is int
    # lenient booleans are still not arbitrary numbers
    assert not compare_results([(2,)], [(True,)], ordered=False, lenient_bool=True).match


def test_unknown_value_type_is_an_error():
    with pytest.raises(TypeError, match="cannot compare a result value of type"):
        normalize_value(object())


def test_tolerance_is_configurable_and_validated():
    assert not compare_results([(1.0,)], [(1.01,)], ordered=False).match
    assert compare_results([(1.0,)], [(1.01,)], ordered=False, tolerance=Tolerance(rel=0.02)).match
    assert not compare_results([(1.0,)], [(1.0 + 1e-9,)], ordered=False, tolerance=Tolerance(rel=0, abs=0)).match
    for bad in ({"rel": -1e-6}, {"rel": 1.0}, {"abs": -1.0}, {"rel": True}):
        with pytest.raises(ValueError, match="tolerance"):
            Tolerance(**bad)


# ----------------------------------------------------------------------------------------------- rows
@pytest.mark.parametrize(
    "gold, pred, ordered, match, reason_part",
    [
        # multiset vs order
        ([(1,), (2,), (3,)], [(3,), (1,), (2,)], False, True, "match (as multisets): 3 rows"),
        ([(1,), (2,), (3,)], [(3,), (1,), (2,)], True, False, "row 1 of 3 differs"),
        ([(1,), (2,), (3,)], [(1,), (2,), (3,)], True, True, "match (ordered)"),
        ([(1, "a"), (2, "b")], [(1, "a"), (2, "c")], True, False, "row 2 of 2 differs"),
        # duplicates matter: a multiset, not a set
        ([(1,), (1,), (2,)], [(1,), (2,), (2,)], False, False, "1 gold row missing from the prediction, e.g. (1,)"),
        ([(1,), (1,), (2,)], [(1,), (2,), (2,)], False, False, "1 predicted row not in gold, e.g. (2,)"),
        ([(1,), (1,)], [(1,)], False, False, "row count differs: 2 (gold) vs 1 (predicted)"),
        ([(1,), (1,), (2,)], [(2,), (1,), (1,)], False, True, "3 rows"),
        # numbers across types and tolerance, inside rows
        ([(3, "x")], [(3.0, "x")], False, True, "match"),
        ([(Decimal("2.50"), 1)], [(2.5, 1.0)], True, True, "match"),
        ([(1.0,), (2.0,)], [(2.0000001,), (1.0000001,)], False, True, "match"),
        ([(1.0,), (2.0,)], [(2.001,), (1.0,)], False, False, "e.g. (2.0,)"),
        # NULL handling
        ([(None, 1), (None, None)], [(None, None), (None, 1)], False, True, "match"),
        ([(None,)], [(0,)], False, False, "multiset differs"),
        # dates vs ISO strings
        ([(dt.date(2020, 1, 2), 5)], [("2020-01-02", 5.0)], True, True, "match"),
        # nested lists (e.g. collect())
        ([(["a", "b"], 2)], [(("a", "b"), 2.0)], False, True, "match"),
        ([(["a", "b"],)], [(["b", "a"],)], False, False, "multiset differs"),
        # empty results
        ([], [], False, True, "both results are empty"),
        ([], [], True, True, "both results are empty"),
        ([], [(1,)], False, False, "row count differs: 0 (gold) vs 1 (predicted)"),
        ([(1,)], [], False, False, "row count differs: 1 (gold) vs 0 (predicted)"),
        # columns
        ([(1, 2)], [(1, 2, 3)], False, False, "column count differs: 2 (gold) vs 3 (predicted)"),
        ([(1, "a")], [("a", 1)], False, False, "multiset differs"),
        # booleans strictly
        ([(True,)], [(1,)], False, False, "e.g. (True,)"),
    ],
)
def test_compare_rows(gold, pred, ordered, match, reason_part):
    result = compare_results(gold, pred, ordered)
    assert isinstance(result, Comparison)
    assert result.match is match, result.reason
    assert reason_part in result.reason


def test_column_names_are_ignored():
    gold = QueryResult(columns=("name", "n"), rows=[("a", 1), ("b", 2)])
    pred = QueryResult(columns=("x", "count(*)"), rows=[("b", 2), ("a", 1)])
    assert compare_results(gold, pred, ordered=False).match


def test_truncated_results_never_match():
    rows = [(1,), (2,)]
    for gold_truncated, pred_truncated, side in ((True, False, "gold"), (False, True, "predicted")):
        gold = QueryResult(("a",), list(rows), truncated=gold_truncated)
        pred = QueryResult(("a",), list(rows), truncated=pred_truncated)
        result = compare_results(gold, pred, ordered=False)
        assert not result.match
        assert f"{side} result was truncated at 2 rows" in result.reason


@pytest.mark.parametrize(
    "gold, pred, ordered, match, permutation",
    [
        ([(1, "a", 2.5)], [("a", 2.5, 1)], False, True, (2, 0, 1)),
        ([(1, "a"), (2, "b")], [("b", 2), ("a", 1)], False, True, (1, 0)),
        ([(1, "a"), (2, "b")], [("b", 2), ("a", 1)], True, False, None),  # order still checked
        ([(1, "a"), (2, "b")], [("a", 1), ("b", 2)], True, True, (1, 0)),
        ([(1, 1), (2, 3)], [(1, 1), (3, 2)], False, True, (1, 0)),  # needs the full check, columns alike
        ([(1, 2), (3, 4)], [(2, 3), (4, 1)], False, False, None),  # columns alike but rows never match
        ([(1, "a")], [(1, "a")], False, True, None),  # identity: no permutation needed
    ],
)
def test_column_permutation_option(gold, pred, ordered, match, permutation):
    assert not compare_results(gold, pred, ordered).match or permutation is None
    result = compare_results(gold, pred, ordered, column_order_insensitive=True)
    assert result.match is match, result.reason
    assert result.column_permutation == permutation
    if permutation is not None:
        assert str(list(permutation)) in result.reason


def test_column_permutation_gives_up_with_a_reason():
    gold = [tuple(range(8))]
    pred = [tuple(reversed(range(8)))]
    result = compare_results(gold, [(0,) * 8], False, column_order_insensitive=True)
    assert not result.match and "no predicted column holds the values of gold column 2" in result.reason
    assert compare_results(gold, pred, False, column_order_insensitive=True).match
    # columns that all look alike: the permutation search is capped
    gold = [(1,) * 7, (2,) * 7]
    pred = [(1,) * 6 + (2,), (2,) * 6 + (1,)]
    capped = compare_results(gold, pred, False, column_order_insensitive=True, max_column_permutations=10)
    assert not capped.match and "gave up after trying 10 column permutations" in capped.reason


def test_tolerant_matching_is_a_maximum_matching_not_greedy():
    """1.0 ≈ 1.95 and 0.05 ≈ 1.0 under abs 1: pairing the identical 1.0 rows first would leave no match."""
    tol = Tolerance(rel=0, abs=1.0)
    assert compare_results([(1.0,), (0.05,)], [(1.0,), (1.95,)], False, tol).match
    assert not compare_results([(1.0,), (0.05,)], [(1.0,), (2.1,)], False, tol).match
    # with multiplicities
    assert compare_results([(1.0,)] * 3 + [(0.05,)] * 2, [(1.0,)] * 3 + [(1.95,)] * 2, False, tol).match


def test_large_noisy_multiset_matches_and_a_single_change_is_found():
    rng = random.Random(0)
    gold = [(rng.random() * 1000, i % 50, "x") for i in range(5000)]
    pred = [(v * (1 + 1e-9), k, s) for v, k, s in gold]  # float noise of another engine
    rng.shuffle(pred)
    assert compare_results(gold, pred, ordered=False).match
    pred[17] = (pred[17][0] * 1.01, pred[17][1], "x")
    result = compare_results(gold, pred, ordered=False)
    assert not result.match
    assert "1 gold row missing" in result.reason and "1 predicted row not in gold" in result.reason


def test_graph_results():
    gold = [(ALICE, KNOWS, BOB), (BOB, LIKES, ALICE)]
    pred = [(BOB, LIKES, ALICE_OTHER_VID), (ALICE_OTHER_VID, KNOWS_FLOAT, BOB)]
    assert compare_results(gold, pred, ordered=False).match
    paths = [(GraphPath((ALICE, BOB), (KNOWS,)),)]
    assert compare_results(paths, [(GraphPath((ALICE_OTHER_VID, BOB), (KNOWS_FLOAT,)),)], ordered=True).match
    assert not compare_results(paths, [(GraphPath((BOB, ALICE), (KNOWS,)),)], ordered=True).match


def test_bad_inputs_are_rejected_clearly():
    with pytest.raises(TypeError, match="a result row must be a tuple or list"):
        compare_results(["ab"], [("a",)], False)
    with pytest.raises(TypeError, match="tolerance must be a Tolerance"):
        compare_results([], [], False, 1e-6)
    ragged = compare_results([(1,), (1, 2)], [(1,), (1,)], False)
    assert not ragged.match and "gold rows have different numbers of columns" in ragged.reason


# ----------------------------------------------------------------------------------------------- EX
@pytest.mark.parametrize(
    "gold_query, dialect, pred_rows, match",
    [
        ("SELECT name FROM t ORDER BY name", "mysql", [("b",), ("a",)], False),
        ("SELECT name FROM t", "mysql", [("b",), ("a",)], True),
        ("SELECT name FROM (SELECT name FROM t ORDER BY name) s", "postgresql", [("b",), ("a",)], True),
        ("MATCH (n) RETURN n.name ORDER BY n.name", "cypher", [("b",), ("a",)], False),
        ("MATCH (n) RETURN n.name", "cypher", [("b",), ("a",)], True),
        ("LOOKUP ON t YIELD t.name AS name | ORDER BY $-.name", "ngql", [("b",), ("a",)], False),
        ("LOOKUP ON t YIELD t.name AS name", "ngql", [("b",), ("a",)], True),
    ],
)
def test_execution_match_uses_the_gold_ordering(gold_query, dialect, pred_rows, match):
    gold = QueryResult(("name",), [("a",), ("b",)])
    assert execution_match(gold, QueryResult(("x",), pred_rows), gold_query, dialect).match is match


def test_execution_match_reports_a_failed_prediction():
    result = execution_match([(1,)], QueryFailed("Unknown column 'x'"), "SELECT 1", "mysql")
    assert not result.match and "predicted query failed (QueryFailed): Unknown column 'x'" in result.reason


@pytest.mark.parametrize(
    "error, kind",
    [
        (QueryFailed("Unknown column 'x'"), "failed"),
        (QueryTimeout("cancelled after 1 s"), "timeout"),
        (UnsafeQueryError("refused: DROP"), "unsafe"),
        (EngineUnavailable("server down"), "unavailable"),
        (UnknownDatabase("no database 'x'"), "unavailable"),
        (EngineError("something else"), "failed"),
    ],
)
def test_an_erroring_prediction_is_counted_invalid(error, kind):
    """Regression: execution_match used to return a plain non-match that add_comparison counted as valid."""
    verdict = execution_match([(1,)], error, "SELECT 1", "mysql")
    assert (verdict.match, verdict.valid, verdict.error_kind) == (False, False, kind)
    acc = ExecutionAccuracy()
    acc.add_comparison("mysql", verdict)
    acc.add_comparison("mysql", execution_match([(1,)], QueryResult(("x",), [(1,)]), "SELECT 1", "mysql"))
    assert acc.valid_rate("mysql") == 0.5 and acc.ex("mysql") == 0.5


@pytest.mark.parametrize(
    "kwargs",
    [
        {"match": True, "reason": "", "valid": False, "error_kind": "failed"},  # invalid cannot match
        {"match": False, "reason": "", "valid": False},  # invalid needs a kind
        {"match": False, "reason": "", "valid": False, "error_kind": "oops"},  # unknown kind
        {"match": False, "reason": "", "valid": True, "error_kind": "failed"},  # valid has no kind
    ],
)
def test_comparison_refuses_inconsistent_validity(kwargs):
    with pytest.raises(ValueError):
        Comparison(**kwargs)


def test_execution_accuracy_accumulates_per_dialect():
    acc = ExecutionAccuracy()
    acc.add("mysql", valid=True, match=True)
    acc.add("mysql", valid=True, match=False)
    acc.add("MySQL", valid=False, match=False)
    acc.add_comparison("cypher", Comparison(True, "match"))
    acc.add_comparison("cypher", None)
    assert acc.ex("mysql") == pytest.approx(1 / 3)
    assert acc.valid_rate("mysql") == pytest.approx(2 / 3)
    assert acc.ex("cypher") == 0.5 and acc.valid_rate("cypher") == 0.5
    assert acc.ex("ngql") == 0.0 and acc.count("ngql") == 0
    assert acc.ex() == pytest.approx(2 / 5) and acc.count() == 5
    d = acc.to_dict()
    assert list(d["per_dialect"]) == ["mysql", "cypher"]
    assert d["per_dialect"]["mysql"] == {"n": 3, "valid": 2, "correct": 1, "ex": pytest.approx(1 / 3),
                                         "valid_rate": pytest.approx(2 / 3)}
    assert d["overall"]["n"] == 5 and d["overall"]["correct"] == 2
    assert d["macro_ex"] == pytest.approx((1 / 3 + 0.5) / 2)
    with pytest.raises(ValueError, match="cannot match"):
        acc.add("mysql", valid=False, match=True)
    with pytest.raises(ValueError, match="unknown dialect"):
        acc.add("sqlite", valid=True, match=True)


def test_multiset_verdict_agrees_with_brute_force_on_random_small_cases():
    """Against trying every pairing: catches a matching that is greedy or drops multiplicities."""
    import itertools

    rng = random.Random(1)
    tol = Tolerance(rel=0, abs=0.15)
    values = [0.0, 0.1, 0.2, 0.25, 0.3, 1, 1.1]
    disagreements, matches = [], 0
    for case in range(400):
        n = rng.randint(1, 6)
        gold = [(rng.choice(values), rng.choice("ab")) for _ in range(n)]
        if case % 2:  # a shuffled copy with values nudged to a neighbour: near misses and near matches
            pred = [(values[max(0, min(len(values) - 1, values.index(v) + rng.choice((-1, 0, 0, 1))))], s)
                    for v, s in gold]
            rng.shuffle(pred)
        else:
            pred = [(rng.choice(values), rng.choice("ab")) for _ in range(n)]
        brute = any(all(values_equal(normalize_value(g), normalize_value(p), tol) for g, p in zip(gold, perm))
                    for perm in itertools.permutations(pred))
        matches += brute
        if compare_results(gold, pred, ordered=False, tolerance=tol).match is not brute:
            disagreements.append((gold, pred, brute))
    assert not disagreements, disagreements[:3]
    assert 50 < matches < 350  # both verdicts are exercised


@pytest.mark.parametrize("gold,pred,extra,match,reason_part", [
    ([(1, "a"), (2, "b")], [(1, "x", "a"), (2, "y", "b")], True, True, "predicted columns [1, 3] of 3"),
    ([(1, "a"), (2, "b")], [("a", 9, 1), ("b", 9, 2)], True, True, "predicted columns [3, 1] of 3"),
    ([(1, "a"), (2, "b")], [(1, "x", "a"), (2, "y", "b")], False, False, "column count differs: 2 (gold) vs 3"),
    ([(1, "a")], [(1,)], True, False, "column count differs: 2 (gold) vs 1"),
    ([("a",)], [("a", 1), ("a", 2)], True, False, "row count differs"),
    ([(1, "a"), (2, "b")], [(1, "x", "c"), (2, "y", "b")], True, False, "not among the prediction's 3"),
    ([(1, "a"), (2, "b")], [(1, "a"), (2, "b")], True, True, "match (as multisets)"),
])
def test_extra_columns_mode_accepts_a_prediction_whose_columns_contain_the_golds(gold, pred, extra, match,
                                                                                 reason_part):
    verdict = compare_results(gold, pred, ordered=False, extra_columns=extra)
    assert verdict.match is match and reason_part in verdict.reason


def test_extra_columns_mode_keeps_row_order_when_the_gold_orders():
    gold = [(1,), (2,)]
    assert compare_results(gold, [(1, "x"), (2, "y")], ordered=True, extra_columns=True).match
    assert not compare_results(gold, [(2, "y"), (1, "x")], ordered=True, extra_columns=True).match
