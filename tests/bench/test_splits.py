"""Splits by database and imbalance presets applied to train only."""

from __future__ import annotations

from collections import Counter

import pytest

from momq.bench.records import BenchItem
from momq.bench.splits import (
    PRESETS,
    ImbalancePreset,
    SplitPlan,
    apply_preset,
    apply_splits,
    assign_databases,
    get_preset,
)
from momq.dialects import DIALECT_NAMES

DBS = [f"db{i:02d}" for i in range(16)]


def make_items(dbs=DBS, queries=9, paraphrases=2, drop=()):
    """Every question in all four dialects (``drop`` removes some (question_id, dialect) pairs)."""
    out = []
    for db in dbs:
        for q in range(queries):
            for p in range(paraphrases):
                qid = f"{db}-q{q}-p{p}"
                for d in DIALECT_NAMES:
                    if (qid, d) in drop:
                        continue
                    out.append(BenchItem(id=f"{qid}-{d}", db_id=db, dialect=d, question=f"question {qid}",
                                         query=f"query {qid} {d}", query_id=f"{db}-q{q}", question_id=qid))
    return out


def test_assignment_is_by_database_and_deterministic():
    a = assign_databases(DBS, SplitPlan(seed=3))
    assert a == assign_databases(list(reversed(DBS)), SplitPlan(seed=3))
    counts = Counter(a.values())
    assert counts == {"train": 11, "test": 3, "dev": 2}
    assert a != assign_databases(DBS, SplitPlan(seed=4))  # the seed matters


def test_no_test_database_in_train():
    items = apply_splits(make_items(), assign_databases(DBS, SplitPlan(seed=0)))
    by_split = {s: {it.db_id for it in items if it.split == s} for s in ("train", "dev", "test")}
    assert by_split["test"] and by_split["dev"] and by_split["train"]
    assert not by_split["test"] & by_split["train"]
    assert not by_split["dev"] & by_split["train"]
    assert not by_split["dev"] & by_split["test"]
    # all renderings of one database share its split
    assert all(len({it.split for it in items if it.db_id == db}) == 1 for db in DBS)


def test_explicit_databases_and_small_counts():
    a = assign_databases(["a", "b", "c"], SplitPlan(test=("b",)))
    assert a["b"] == "test" and Counter(a.values()) == {"train": 1, "dev": 1, "test": 1}
    assert Counter(assign_databases(["a", "b"]).values()) == {"train": 1, "test": 1}
    with pytest.raises(ValueError, match="cannot give a train split"):
        assign_databases(["a"])
    with pytest.raises(ValueError, match="unknown databases"):
        assign_databases(["a", "b"], SplitPlan(test=("zzz",)))


def split_items(**kw):
    return apply_splits(make_items(**kw), assign_databases(DBS, SplitPlan(seed=0)))


def test_presets_touch_train_only():
    items = split_items()
    for name in PRESETS:
        out = apply_preset(items, name, seed=1)
        for s in ("dev", "test"):
            assert [it.id for it in out if it.split == s] == [it.id for it in items if it.split == s]


def test_paper_like_ratios_within_one_item():
    items = split_items()
    train = Counter(it.dialect for it in items if it.split == "train")
    out = apply_preset(items, "paper-like", seed=1)
    kept = Counter(it.dialect for it in out if it.split == "train")
    assert kept["mysql"] == train["mysql"] and kept["postgresql"] == train["postgresql"]
    assert abs(kept["cypher"] - train["cypher"] / 8) <= 1
    assert abs(kept["ngql"] - train["ngql"] / 16) <= 1
    assert kept["ngql"] > 0


def test_subsample_is_nested_across_dialects_and_deterministic():
    items = split_items()
    out = apply_preset(items, "paper-like", seed=5)
    assert [it.id for it in out] == [it.id for it in apply_preset(items, "paper-like", seed=5)]
    q = {d: {it.question_id for it in out if it.split == "train" and it.dialect == d} for d in DIALECT_NAMES}
    assert q["ngql"] <= q["cypher"] <= q["mysql"]
    # low-resource dialects get distinct IR queries first (one paraphrase each) rather than all paraphrases
    queries = Counter(it.query_id for it in out if it.split == "train" and it.dialect == "cypher")
    assert max(queries.values()) == 1
    assert q["cypher"] != {it.question_id for it in apply_preset(items, "paper-like", seed=6)
                           if it.split == "train" and it.dialect == "cypher"}


def test_balanced_equalises_unequal_dialects():
    items = split_items(drop={("db00-q0-p0", "ngql"), ("db01-q1-p1", "ngql"), ("db02-q2-p0", "ngql"),
                              ("db03-q0-p0", "ngql"), ("db04-q1-p1", "ngql"), ("db05-q2-p0", "ngql"),
                              ("db06-q0-p0", "ngql"), ("db07-q1-p1", "ngql")})
    out = apply_preset(items, "balanced")
    kept = Counter(it.dialect for it in out if it.split == "train")
    assert len(set(kept.values())) == 1
    assert kept["ngql"] == Counter(it.dialect for it in items if it.split == "train")["ngql"]


def test_preset_validation():
    with pytest.raises(ValueError, match="no fraction"):
        ImbalancePreset("x", {"mysql": 1.0})
    with pytest.raises(ValueError, match="fraction"):
        ImbalancePreset("x", {"mysql": 1.0, "postgresql": 1.0, "cypher": 0.0, "ngql": 1.0})
    with pytest.raises(KeyError, match="paper-like"):
        get_preset("paperlike")
