"""A tiny end-to-end build on the real engines: every output written, items verified, splits by database."""

from __future__ import annotations

import json
from collections import Counter, defaultdict

import pytest

from momq.bench.build import BuildConfig, build, load_databases, reverify
from momq.bench.card import read_card
from momq.bench.domains import domain_names
from momq.schema.io import read_database
from momq.bench.records import read_items
from momq.dialects import DIALECT_NAMES


@pytest.fixture(scope="module")
def engines(mariadb_engine, postgres_engine, falkordb_engine, ngql_engine):
    return {"mysql": mariadb_engine, "postgresql": postgres_engine, "cypher": falkordb_engine, "ngql": ngql_engine}


@pytest.fixture(scope="module")
def tiny_build(tmp_path_factory, engines, cypher_linter):
    out = tmp_path_factory.mktemp("bench")
    names = tuple(domain_names()[:2])
    config = BuildConfig(size="small", seed=7, domains=names, queries_per_domain=6, data_scale=0.3, progress=False)
    seen = []
    result = build(out, engines=engines, linter=cypher_linter, config=config,
                   on_domain=lambda name, kept, n: seen.append((name, kept, n)))
    return out, result, names, seen


def test_all_outputs_are_written(tiny_build):
    out, result, names, seen = tiny_build
    for rel in ("items.jsonl", "failures.jsonl", "card.json", "CARD.md", "manifest.json", "splits/train.jsonl",
                "splits/dev.jsonl", "splits/test.jsonl", "presets/balanced.train.jsonl",
                "presets/paper-like.train.jsonl"):
        assert (out / rel).exists(), rel
    for name in names:
        assert read_database(out / "databases" / f"{name}.relational.json").name == name
        assert read_database(out / "databases" / f"{name}.graph.json").nodes
    assert [s[0] for s in seen] == list(names)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["domains"] == list(names) and manifest["build"]["cypher_lint"] is True


def test_items_are_complete_and_consistent(tiny_build):
    out, result, names, _ = tiny_build
    items = read_items(out / "items.jsonl")
    assert items == result.items and items
    by_question = defaultdict(dict)
    for it in items:
        by_question[it.question_id][it.dialect] = it
        assert it.split in ("train", "dev", "test") and it.difficulty and it.features and it.ir
        assert it.schema and it.query.strip()
    for question_id, group in by_question.items():
        assert sorted(group) == sorted(DIALECT_NAMES), question_id  # one record per (question, dialect)
        assert len({it.question for it in group.values()}) == 1
    per_query = Counter(q.rsplit("-p", 1)[0] for q in by_question)
    assert max(per_query.values()) <= 3
    assert "Table " in next(it.schema for it in items if it.dialect == "mysql")
    assert "Tag " in next(it.schema for it in items if it.dialect == "ngql")


def test_failures_are_recorded_with_reasons(tiny_build):
    out, result, _, _ = tiny_build
    lines = [json.loads(line) for line in (out / "failures.jsonl").read_text().splitlines()]
    assert len(lines) == len(result.failures)
    kept = len({it.query_id for it in result.items})
    assert kept + len(lines) == result.candidates
    assert all(f["reason"] and f["query_id"] and "ir" in f for f in lines)


def test_splits_are_by_database_and_presets_touch_train_only(tiny_build):
    out, result, names, _ = tiny_build
    splits = {s: read_items(out / "splits" / f"{s}.jsonl") for s in ("train", "dev", "test")}
    assert sum(len(v) for v in splits.values()) == len(result.items)
    train_dbs = {it.db_id for it in splits["train"]}
    test_dbs = {it.db_id for it in splits["test"]}
    assert train_dbs and test_dbs and not train_dbs & test_dbs
    paper = read_items(out / "presets" / "paper-like.train.jsonl")
    counts = Counter(it.dialect for it in paper)
    train_counts = Counter(it.dialect for it in splits["train"])
    assert counts["mysql"] == train_counts["mysql"]
    assert abs(counts["cypher"] - train_counts["cypher"] / 8) <= 1
    assert all(it.split == "train" for it in paper)


def test_card_matches_items(tiny_build):
    out, result, _, _ = tiny_build
    card = read_card(out)
    assert card.per_dialect == {d: n for d, n in result.per_dialect().items()}
    assert card.filtered["failed"] == len(result.failures)
    assert card.build["seed"] == 7
    assert "## Per IR feature" in (out / "CARD.md").read_text()
    assert isinstance(json.loads((out / "card.json").read_text())["not_sampled"], dict)


def test_gold_reverifies_from_the_written_databases(tiny_build, engines, cypher_linter):
    out, result, names, _ = tiny_build
    for engine in engines.values():  # wipe what the build loaded; rebuild from the JSON definitions
        for name in names:
            engine.drop(name)
    load_databases(out, engines)
    check = reverify(read_items(out / "items.jsonl"), engines, linter=cypher_linter)
    assert check.all_agree, check.failures[:3]
    assert set(check.per_dialect) == set(DIALECT_NAMES)
    assert all(c["items"] > 0 for c in check.per_dialect.values())
    # a wrong gold query is caught and charged to its dialect
    items = read_items(out / "items.jsonl")
    victim = next(it for it in items if it.dialect == "postgresql")
    broken = [it.replace(query=it.query + " LIMIT 0") if it.query_id == victim.query_id and it.dialect == "postgresql"
              else it for it in items if it.query_id == victim.query_id]
    check = reverify(broken, engines)
    assert check.rate("postgresql") == 0.0 and check.rate("cypher") == 1.0
    assert not check.all_agree and check.failures[0]["dialect"] == "postgresql"
