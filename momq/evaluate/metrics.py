"""Aggregate scored predictions into the numbers a report shows, and compare two methods on the same items.

:func:`summarize` turns a list of :class:`~momq.evaluate.score.ScoredPrediction` into one JSON-ready dict:

- ``overall`` (micro average over every counted item) and ``per_dialect``, each a *tally*:
  ``{"n", "correct", "valid", "exact", "ex", "ex_ci95", "valid_rate", "em"}`` where ``ex`` is execution
  accuracy, ``valid_rate`` the share of predictions that executed, ``em`` exact match after normalisation and
  ``ex_ci95`` a 95% Wilson score interval for EX (``None`` when n is 0);
- ``macro``: the unweighted mean of the per-dialect ``ex``/``valid_rate``/``em`` over the dialects present;
- ``by_difficulty``, ``by_feature`` (an item counts once under each of its IR features) and ``by_database``:
  a tally per group with ``ex_per_dialect`` added;
- ``error_kinds``: counts of each invalid-prediction kind, overall and per dialect, over every item given
  (excluded ones too: an ``unavailable`` count is shown there);
- ``n_items`` (everything given), ``excluded`` (items left out of every rate: ``gold_error`` — the gold query
  itself failed — and ``unavailable`` — the engine could not be reached; neither is the model's fault, both
  are logged as warnings), ``timing`` (means of the execution/generation times and new tokens when present)
  and ``router_accuracy`` passed through from the caller.

:func:`paired_difference` compares two methods scored on the same items: the difference in EX with a seeded
95% paired bootstrap interval and an exact McNemar test on the discordant pairs.

What it deliberately does not do: score, draw or format (:mod:`momq.evaluate.score`,
:mod:`momq.evaluate.report`), or correct for multiple comparisons.
"""

from __future__ import annotations

import logging
import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from momq.dialects.base import DIALECT_NAMES
from momq.evaluate.compare import ERROR_KINDS
from momq.evaluate.score import ScoredPrediction

log = logging.getLogger(__name__)

__all__ = ["counted", "paired_difference", "summarize", "wilson_interval"]

_Z95 = 1.959963984540054  # the 97.5% quantile of the standard normal distribution


def wilson_interval(successes: int, n: int, z: float = _Z95) -> tuple[float, float] | None:
    """The Wilson score interval for a proportion (``None`` when ``n`` is 0)."""
    if not (0 <= successes <= n):
        raise ValueError(f"need 0 <= successes <= n, got {successes} of {n}")
    if n == 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    lo = 0.0 if successes == 0 else max(0.0, centre - half)  # exact ends: rounding must not move them
    hi = 1.0 if successes == n else min(1.0, centre + half)
    return (lo, hi)


def counted(s: ScoredPrediction) -> bool:
    """Whether a prediction counts in the rates: its gold worked and its engine could be reached."""
    return s.gold_error is None and s.error_kind != "unavailable"


def _tally(scored: Sequence[ScoredPrediction]) -> dict[str, Any]:
    n = len(scored)
    correct = sum(s.match for s in scored)
    valid = sum(s.valid for s in scored)
    exact = sum(s.exact_match for s in scored)
    ci = wilson_interval(correct, n)
    return {
        "n": n,
        "correct": correct,
        "valid": valid,
        "exact": exact,
        "ex": correct / n if n else 0.0,
        "ex_ci95": list(ci) if ci else None,
        "valid_rate": valid / n if n else 0.0,
        "em": exact / n if n else 0.0,
    }


def _dialect_order(dialects: Iterable[str]) -> list[str]:
    seen = set(dialects)
    return [d for d in DIALECT_NAMES if d in seen] + sorted(seen - set(DIALECT_NAMES))


def _by_dialect(scored: Sequence[ScoredPrediction]) -> dict[str, list[ScoredPrediction]]:
    groups: dict[str, list[ScoredPrediction]] = defaultdict(list)
    for s in scored:
        groups[s.dialect].append(s)
    return {d: groups[d] for d in _dialect_order(groups)}


def _breakdown(groups: Mapping[str, list[ScoredPrediction]]) -> dict[str, dict[str, Any]]:
    out = {}
    for key in sorted(groups):
        members = groups[key]
        out[key] = {**_tally(members),
                    "ex_per_dialect": {d: _tally(g)["ex"] for d, g in _by_dialect(members).items()}}
    return out


def _mean(values: Iterable[float | int | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def summarize(scored: Sequence[ScoredPrediction], router_accuracy: dict | None = None) -> dict[str, Any]:
    """The summary of one method's scored predictions (see the module docstring for every key)."""
    kept = [s for s in scored if counted(s)]
    gold_errors = sum(s.gold_error is not None for s in scored)
    unavailable = sum(s.gold_error is None and s.error_kind == "unavailable" for s in scored)
    if gold_errors:
        log.warning("%d of %d items left out: their gold query failed", gold_errors, len(scored))
    if unavailable:
        log.warning("%d of %d items left out: the engine or database was unavailable", unavailable, len(scored))

    per_dialect_items = _by_dialect(kept)
    per_dialect = {d: _tally(g) for d, g in per_dialect_items.items()}
    macro = {key: (_mean(t[key] for t in per_dialect.values()) if per_dialect else 0.0)
             for key in ("ex", "valid_rate", "em")}

    by_difficulty: dict[str, list[ScoredPrediction]] = defaultdict(list)
    by_feature: dict[str, list[ScoredPrediction]] = defaultdict(list)
    by_database: dict[str, list[ScoredPrediction]] = defaultdict(list)
    for s in kept:
        by_difficulty[s.difficulty or "unlabelled"].append(s)
        for feature in dict.fromkeys(s.features):
            by_feature[feature].append(s)
        by_database[s.db_id].append(s)

    def kinds(group: Sequence[ScoredPrediction]) -> dict[str, int]:
        c = Counter(s.error_kind for s in group if s.error_kind is not None)
        return {k: c[k] for k in ERROR_KINDS if c[k]}

    return {
        "n_items": len(scored),
        "excluded": {"gold_error": gold_errors, "unavailable": unavailable},
        "overall": _tally(kept),
        "per_dialect": per_dialect,
        "macro": macro,
        "by_difficulty": _breakdown(by_difficulty),
        "by_feature": _breakdown(by_feature),
        "by_database": _breakdown(by_database),
        "error_kinds": {"overall": kinds(scored), "per_dialect": {d: kinds(g) for d, g in _by_dialect(scored).items()}},
        "timing": {
            "exec_seconds_mean": _mean(s.exec_seconds for s in kept),
            "generation_seconds_mean": _mean(s.generation_seconds for s in scored),
            "new_tokens_mean": _mean(s.new_tokens for s in scored),
        },
        "router_accuracy": router_accuracy,
    }


# ----------------------------------------------------------------------------------------------- paired
def _mcnemar_exact(a_only: int, b_only: int) -> float:
    """Two-sided exact McNemar p-value: a binomial(a_only + b_only, 1/2) test on the discordant pairs."""
    n = a_only + b_only
    if n == 0:
        return 1.0
    k = min(a_only, b_only)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def _paired(pairs: Sequence[tuple[bool, bool]], resamples: int, rng: random.Random) -> dict[str, Any]:
    n = len(pairs)
    diffs = [int(a) - int(b) for a, b in pairs]
    a_only = sum(d == 1 for d in diffs)
    b_only = sum(d == -1 for d in diffs)
    both = sum(a and b for a, b in pairs)
    out: dict[str, Any] = {
        "n": n,
        "ex_a": sum(a for a, _ in pairs) / n if n else 0.0,
        "ex_b": sum(b for _, b in pairs) / n if n else 0.0,
        "difference": sum(diffs) / n if n else 0.0,
        "ci95": None,
        "both": both,
        "a_only": a_only,
        "b_only": b_only,
        "neither": n - both - a_only - b_only,
        "mcnemar_p": _mcnemar_exact(a_only, b_only),
    }
    if n:
        stats = sorted(sum(rng.choices(diffs, k=n)) / n for _ in range(resamples))
        lo = stats[int(math.floor(0.025 * (resamples - 1)))]
        hi = stats[int(math.ceil(0.975 * (resamples - 1)))]
        out["ci95"] = [lo, hi]
    return out


def paired_difference(
    a: Sequence[ScoredPrediction],
    b: Sequence[ScoredPrediction],
    *,
    resamples: int = 2000,
    seed: int = 0,
) -> dict[str, Any]:
    """EX of method ``a`` minus EX of method ``b`` on the items both scored, overall and per dialect.

    Items are paired by ``id``; an item left out of either side (see :func:`counted`) is left out of both,
    and an id present on one side only is an error (the methods were not run on the same items). Returns
    ``{"n", "ex_a", "ex_b", "difference", "ci95", "both", "a_only", "b_only", "neither", "mcnemar_p",
    "per_dialect": {dialect: the same keys}}``: ``ci95`` is the 2.5/97.5 percentile interval of the difference
    over ``resamples`` paired bootstrap resamples (seeded, so reruns agree), ``mcnemar_p`` the exact two-sided
    McNemar p-value.
    """
    if resamples < 100:
        raise ValueError(f"resamples must be at least 100, got {resamples}")
    index_a = _index(a, "a")
    index_b = _index(b, "b")
    if set(index_a) != set(index_b):
        only_a = sorted(set(index_a) - set(index_b))
        only_b = sorted(set(index_b) - set(index_a))
        raise ValueError(f"the two methods were scored on different items: {len(only_a)} only in a "
                         f"(e.g. {only_a[:3]}), {len(only_b)} only in b (e.g. {only_b[:3]})")
    for key in index_a:
        if index_a[key].dialect != index_b[key].dialect:
            raise ValueError(f"item {key}: dialect {index_a[key].dialect} in a but {index_b[key].dialect} in b")
    ids = [k for k in index_a if counted(index_a[k]) and counted(index_b[k])]
    rng = random.Random(seed)
    result = _paired([(index_a[k].match, index_b[k].match) for k in ids], resamples, rng)
    per_dialect: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for k in ids:
        per_dialect[index_a[k].dialect].append((index_a[k].match, index_b[k].match))
    result["per_dialect"] = {d: _paired(per_dialect[d], resamples, rng) for d in _dialect_order(per_dialect)}
    return result


def _index(scored: Sequence[ScoredPrediction], side: str) -> dict[str, ScoredPrediction]:
    out: dict[str, ScoredPrediction] = {}
    for s in scored:
        if s.id in out:
            raise ValueError(f"item {s.id} appears twice in {side}")
        out[s.id] = s
    return out
