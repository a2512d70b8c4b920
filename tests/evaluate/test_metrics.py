"""Metrics arithmetic on hand-made scored predictions: EX, valid rate, EM, macro, intervals, breakdowns, pairs."""

from __future__ import annotations

import math

import pytest

from momq.evaluate.metrics import paired_difference, summarize, wilson_interval
from momq.evaluate.score import ScoredPrediction


def sp(id, dialect, outcome, *, em=False, difficulty="easy", features=(), db="db1", gold_error=None):
    """outcome: "match", "wrong" (valid, no match) or an error kind."""
    valid = outcome in ("match", "wrong")
    return ScoredPrediction(
        id=id, dialect=dialect, db_id=db, question="q", gold="g", output="o", prediction="p", valid=valid,
        match=outcome == "match" and gold_error is None, exact_match=em, error_kind=None if valid else outcome,
        error=None if valid else "e", gold_error=gold_error, difficulty=difficulty, features=list(features))


SCORED = [
    sp("m1", "mysql", "match", em=True, features=["join", "filter"]),
    sp("m2", "mysql", "match", features=["filter"], difficulty="hard"),
    sp("m3", "mysql", "match", db="db2", difficulty="hard"),
    sp("m4", "mysql", "failed", features=["join"], db="db2"),
    sp("p1", "postgresql", "match", em=True, features=["join"]),
    sp("p2", "postgresql", "wrong", difficulty="hard"),
    sp("c1", "cypher", "unsafe", db="g1"),
    sp("n1", "ngql", "match", db="g1", difficulty=None),
    sp("n2", "ngql", "wrong", db="g1", gold_error="gold query failed"),  # left out
    sp("n3", "ngql", "unavailable", db="g1"),  # left out
]


@pytest.fixture(scope="module")
def summary():
    return summarize(SCORED, router_accuracy={"token": 0.9})


def test_overall_per_dialect_and_macro(summary):
    assert summary["n_items"] == 10 and summary["excluded"] == {"gold_error": 1, "unavailable": 1}
    o = summary["overall"]
    assert (o["n"], o["correct"], o["valid"], o["exact"]) == (8, 5, 6, 2)
    assert o["ex"] == pytest.approx(5 / 8) and o["valid_rate"] == pytest.approx(6 / 8) and o["em"] == pytest.approx(2 / 8)
    per = summary["per_dialect"]
    assert list(per) == ["mysql", "postgresql", "cypher", "ngql"]
    expected = {"mysql": (4, 0.75, 0.75, 0.25), "postgresql": (2, 0.5, 1.0, 0.5), "cypher": (1, 0.0, 0.0, 0.0),
                "ngql": (1, 1.0, 1.0, 0.0)}
    for d, (n, ex, valid, em) in expected.items():
        assert (per[d]["n"], per[d]["ex"], per[d]["valid_rate"], per[d]["em"]) == (n, ex, valid, em), d
    assert summary["macro"]["ex"] == pytest.approx((0.75 + 0.5 + 0.0 + 1.0) / 4)
    assert summary["macro"]["valid_rate"] == pytest.approx((0.75 + 1.0 + 0.0 + 1.0) / 4)
    assert summary["router_accuracy"] == {"token": 0.9}


def _wilson_by_bisection(k: int, n: int, upper: bool, z: float = 1.959963984540054) -> float:
    """The p where the score statistic |k/n - p| / sqrt(p(1-p)/n) equals z, found numerically."""
    phat = k / n
    lo, hi = (phat, 1.0) if upper else (0.0, phat)
    for _ in range(200):
        mid = (lo + hi) / 2
        inside = abs(phat - mid) <= z * math.sqrt(mid * (1 - mid) / n) if 0 < mid < 1 else False
        if upper:
            lo, hi = (mid, hi) if inside else (lo, mid)
        else:
            lo, hi = (lo, mid) if inside else (mid, hi)
    return (lo + hi) / 2


@pytest.mark.parametrize("k, n", [(5, 8), (1, 2), (30, 100), (99, 100)])
def test_wilson_interval(k, n):
    lo, hi = wilson_interval(k, n)
    assert lo == pytest.approx(_wilson_by_bisection(k, n, upper=False), abs=1e-9)
    assert hi == pytest.approx(_wilson_by_bisection(k, n, upper=True), abs=1e-9)


def test_wilson_edges(summary):
    assert wilson_interval(0, 0) is None
    lo, hi = wilson_interval(0, 10)
    assert lo == 0.0 and 0.2 < hi < 0.35
    lo, hi = wilson_interval(10, 10)
    assert hi == 1.0 and 0.65 < lo < 0.8
    with pytest.raises(ValueError):
        wilson_interval(3, 2)
    assert summary["overall"]["ex_ci95"] == pytest.approx(list(wilson_interval(5, 8)))
    assert summary["per_dialect"]["cypher"]["ex_ci95"][0] == 0.0


def test_breakdowns(summary):
    d = summary["by_difficulty"]
    assert set(d) == {"easy", "hard", "unlabelled"}
    assert (d["easy"]["n"], d["easy"]["correct"]) == (4, 2)  # m1, m4, p1, c1
    assert (d["hard"]["n"], d["hard"]["correct"]) == (3, 2)  # m2, m3, p2
    assert d["hard"]["ex_per_dialect"] == {"mysql": 1.0, "postgresql": 0.0}
    f = summary["by_feature"]
    assert (f["join"]["n"], f["join"]["correct"]) == (3, 2)  # m1, m4, p1
    assert (f["filter"]["n"], f["filter"]["correct"]) == (2, 2)
    db = summary["by_database"]
    assert {k: (v["n"], v["correct"]) for k, v in db.items()} == {"db1": (4, 3), "db2": (2, 1), "g1": (2, 1)}


def test_error_kinds_and_empty_input(summary):
    assert summary["error_kinds"]["overall"] == {"unsafe": 1, "failed": 1, "unavailable": 1}
    assert summary["error_kinds"]["per_dialect"]["cypher"] == {"unsafe": 1}
    empty = summarize([])
    assert empty["overall"]["n"] == 0 and empty["overall"]["ex"] == 0.0 and empty["overall"]["ex_ci95"] is None
    assert empty["per_dialect"] == {} and empty["macro"]["ex"] == 0.0


def _pair_sets():
    # 10 mysql items: a right on 7, b right on 4; a only on 4, b only on 1, both on 3, neither on 2
    a_out = ["match"] * 7 + ["wrong"] * 3
    b_out = ["match"] * 3 + ["wrong"] * 4 + ["match"] + ["failed"] * 2
    a = [sp(f"i{k}", "mysql", o) for k, o in enumerate(a_out)]
    b = [sp(f"i{k}", "mysql", o) for k, o in enumerate(b_out)]
    return a, b


def test_paired_difference_counts_and_mcnemar():
    a, b = _pair_sets()
    r = paired_difference(a, b, seed=1)
    assert (r["n"], r["both"], r["a_only"], r["b_only"], r["neither"]) == (10, 3, 4, 1, 2)
    assert r["ex_a"] == pytest.approx(0.7) and r["ex_b"] == pytest.approx(0.4)
    assert r["difference"] == pytest.approx(0.3)
    assert r["mcnemar_p"] == pytest.approx(2 * (1 + 5) / 32)  # two-sided binomial(5, 1/2), k <= 1
    lo, hi = r["ci95"]
    assert -1.0 <= lo < 0.3 < hi <= 1.0
    assert r == paired_difference(a, b, seed=1)  # seeded: reruns agree
    assert list(r["per_dialect"]) == ["mysql"] and r["per_dialect"]["mysql"]["difference"] == pytest.approx(0.3)


def test_paired_difference_of_identical_methods_is_exactly_zero():
    a, _ = _pair_sets()
    r = paired_difference(a, a)
    assert r["difference"] == 0.0 and r["ci95"] == [0.0, 0.0] and r["mcnemar_p"] == 1.0


def test_paired_difference_pairs_by_id_and_drops_excluded_items():
    a, b = _pair_sets()
    b[0] = sp("i0", "mysql", "unavailable")  # excluded on one side: left out of both
    r = paired_difference(list(reversed(a)), b)
    assert r["n"] == 9 and (r["both"], r["a_only"], r["b_only"]) == (2, 4, 1)
    with pytest.raises(ValueError, match="different items"):
        paired_difference(a[:-1], b)
    with pytest.raises(ValueError, match="twice"):
        paired_difference(a + a[:1], b + b[:1])
