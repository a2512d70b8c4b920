"""Train / dev / test splits by database, and imbalance presets that subsample the train split per dialect.

Splits are by DATABASE: every item of a database lands in the same split, so test (and dev) databases are never
seen in training. Dev is a set of held-out databases too, not held-out questions of train databases: model
selection on dev then measures the same thing as test (unseen schemas), and no train schema leaks into it.
Databases are ordered by a stable hash of (seed, db_id), so a split does not depend on the order items arrive.

Imbalance presets (named, applied to TRAIN only; dev/test stay whole) keep a fraction of each dialect's train
items. The subsample is deterministic and nested across dialects: items are ranked by a key computed from the
question (paraphrase rank within its IR query first, then a hash of the query id), never from the dialect, so a
question kept for nGQL (1/16) is also kept for Cypher (1/8) and for SQL. This module does not read or write
files; ``momq.bench.build`` does.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from momq.bench.records import BenchItem
from momq.dialects.base import DIALECT_NAMES, check_dialect


def _hash(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()[:8], "big")


# ----------------------------------------------------------------------------------------------- splits
@dataclass(frozen=True)
class SplitPlan:
    """How databases are assigned to splits: explicit lists win, the rest follow the fractions."""

    test_fraction: float = 0.2
    dev_fraction: float = 0.1
    seed: int = 0
    test: tuple[str, ...] = ()  # databases forced into test
    dev: tuple[str, ...] = ()  # databases forced into dev

    def __post_init__(self) -> None:
        for name in ("test_fraction", "dev_fraction"):
            value = getattr(self, name)
            if not 0.0 <= value < 1.0:
                raise ValueError(f"{name} must be in [0, 1), got {value}")
        if self.test_fraction + self.dev_fraction >= 1.0:
            raise ValueError("test_fraction + dev_fraction must leave databases for train")
        if set(self.test) & set(self.dev):
            raise ValueError(f"databases in both test and dev: {sorted(set(self.test) & set(self.dev))}")


def assign_databases(db_ids: Iterable[str], plan: SplitPlan = SplitPlan()) -> dict[str, str]:
    """db_id -> "train" | "dev" | "test". Needs at least two databases when a test split is asked for."""
    dbs = sorted(set(db_ids))
    unknown = (set(plan.test) | set(plan.dev)) - set(dbs)
    if unknown:
        raise ValueError(f"split plan names unknown databases: {sorted(unknown)}")
    n = len(dbs)
    n_test = max(len(plan.test), math.floor(n * plan.test_fraction + 0.5))
    if plan.test_fraction > 0:
        n_test = max(n_test, 1)
    n_dev = max(len(plan.dev), math.floor(n * plan.dev_fraction + 0.5))
    if plan.dev_fraction > 0 and n - n_test >= 2:
        n_dev = max(n_dev, 1)
    if n - n_test - n_dev < 1:
        n_dev = max(len(plan.dev), n - n_test - 1)
    if n - n_test - n_dev < 1:
        raise ValueError(f"{n} database(s) cannot give a train split and {n_test} test / {n_dev} dev database(s)")
    out = {db: "test" for db in plan.test}
    out.update({db: "dev" for db in plan.dev})
    rest = sorted((db for db in dbs if db not in out), key=lambda db: (_hash(plan.seed, db), db))
    need_test = n_test - len(plan.test)
    need_dev = n_dev - len(plan.dev)
    for db in rest:
        if need_test > 0:
            out[db], need_test = "test", need_test - 1
        elif need_dev > 0:
            out[db], need_dev = "dev", need_dev - 1
        else:
            out[db] = "train"
    return out


def apply_splits(items: Iterable[BenchItem], assignment: Mapping[str, str]) -> list[BenchItem]:
    """Items with ``split`` set from their database; an item of an unassigned database is an error."""
    out = []
    for item in items:
        if item.db_id not in assignment:
            raise KeyError(f"item {item.id}: database {item.db_id!r} has no split")
        out.append(item.replace(split=assignment[item.db_id]))
    return out


# ----------------------------------------------------------------------------------------------- presets
@dataclass(frozen=True)
class ImbalancePreset:
    """A named share of each dialect's train items to keep.

    ``fractions[d]`` multiplies dialect d's own train count; with ``equalize`` every dialect is first cut to the
    smallest dialect's count (so "balanced" means equal counts even when verification left them unequal).
    """

    name: str
    fractions: Mapping[str, float] = field(default_factory=dict)
    equalize: bool = False
    description: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a preset needs a name")
        fr = {check_dialect(d): float(f) for d, f in self.fractions.items()}
        missing = [d for d in DIALECT_NAMES if d not in fr]
        if missing:
            raise ValueError(f"preset {self.name}: no fraction for {', '.join(missing)}")
        for d, f in fr.items():
            if not 0.0 < f <= 1.0:
                raise ValueError(f"preset {self.name}: fraction for {d} must be in (0, 1], got {f}")
        object.__setattr__(self, "fractions", fr)


PRESETS: dict[str, ImbalancePreset] = {
    p.name: p
    for p in (
        ImbalancePreset("balanced", {d: 1.0 for d in DIALECT_NAMES}, equalize=True,
                        description="every dialect with the same number of train items"),
        ImbalancePreset("paper-like", {"mysql": 1.0, "postgresql": 1.0, "cypher": 1 / 8, "ngql": 1 / 16},
                        description="MySQL and PostgreSQL high-resource; Cypher 1/8 and nGQL 1/16 of their items"),
    )
}


def get_preset(name: str) -> ImbalancePreset:
    if name not in PRESETS:
        raise KeyError(f"unknown imbalance preset {name!r}; known: {', '.join(PRESETS)}")
    return PRESETS[name]


def preset_targets(counts: Mapping[str, int], preset: ImbalancePreset) -> dict[str, int]:
    """How many train items each dialect keeps under ``preset`` (round half up of count x fraction)."""
    base = dict(counts)
    if preset.equalize and base:
        low = min(base.values())
        base = {d: low for d in base}
    return {d: math.floor(n * preset.fractions[d] + 0.5) for d, n in base.items()}


def subsample_key(item: BenchItem, paraphrase_rank: int, seed: int) -> tuple[int, int, str]:
    return (paraphrase_rank, _hash(seed, "query", item.query_id), item.question_id)


def apply_preset(items: Iterable[BenchItem], preset: ImbalancePreset | str, seed: int = 0) -> list[BenchItem]:
    """Train items subsampled per dialect under ``preset``; dev/test items unchanged; input order kept."""
    if isinstance(preset, str):
        preset = get_preset(preset)
    items = list(items)
    train = [it for it in items if it.split == "train"]
    # paraphrase rank: the position of a question among its query's questions, by a stable hash
    questions: dict[str, set[str]] = defaultdict(set)
    for it in train:
        questions[it.query_id].add(it.question_id)
    rank: dict[str, int] = {}
    for qs in questions.values():
        for r, qid in enumerate(sorted(qs, key=lambda q: (_hash(seed, "question", q), q))):
            rank[qid] = r
    by_dialect: dict[str, list[BenchItem]] = defaultdict(list)
    for it in train:
        by_dialect[it.dialect].append(it)
    targets = preset_targets({d: len(v) for d, v in by_dialect.items()}, preset)
    keep: set[str] = set()
    for d, group in by_dialect.items():
        group.sort(key=lambda it: subsample_key(it, rank[it.question_id], seed))
        keep.update(it.id for it in group[: targets[d]])
    return [it for it in items if it.split != "train" or it.id in keep]


__all__ = [
    "ImbalancePreset",
    "PRESETS",
    "SplitPlan",
    "apply_preset",
    "apply_splits",
    "assign_databases",
    "get_preset",
    "preset_targets",
]
