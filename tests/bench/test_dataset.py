"""Opening a finished build: items by split / preset / dialect, definitions, prompts, loading into engines."""

from __future__ import annotations

import json

import pytest

from momq.bench.dataset import BuildFormatError, open_build
from momq.dialects import DIALECT_NAMES
from momq.dialects.prompt import TokenBudget, estimate_tokens, render_prompt
from momq.schema import GraphDatabase, RelationalDatabase


def test_items_by_split_preset_and_dialect(tiny_bench):
    build = open_build(tiny_bench)
    every = build.items()
    assert every and {it.split for it in every} == {"train", "dev", "test"}
    for split in ("train", "dev", "test"):
        part = build.items(split)
        assert part and all(it.split == split for it in part)
    assert sum(len(build.items(s)) for s in ("train", "dev", "test")) == len(every)
    paper = build.items("train", preset="paper-like")
    assert all(it.split == "train" for it in paper) and len(paper) <= len(build.items("train"))
    cypher = build.items("test", dialects=["cypher"])
    assert cypher and {it.dialect for it in cypher} == {"cypher"}


@pytest.mark.parametrize("kwargs, message", [
    ({"split": "validation"}, "unknown split"),
    ({"split": "test", "preset": "balanced"}, "train split only"),
    ({"preset": "no-such"}, "unknown preset 'no-such'.*balanced"),
    ({"dialects": ["sqlite"]}, "sqlite"),
])
def test_bad_selections_are_clear_errors(tiny_bench, kwargs, message):
    with pytest.raises(ValueError, match=message):
        open_build(tiny_bench).items(**kwargs)


def test_not_a_build_is_a_clear_error(tmp_path):
    with pytest.raises(BuildFormatError, match="not a folder"):
        open_build(tmp_path / "missing")
    (tmp_path / "items.jsonl").write_text("")
    with pytest.raises(BuildFormatError, match="missing databases"):
        open_build(tmp_path)
    (tmp_path / "databases").mkdir()
    (tmp_path / "manifest.json").write_text("{broken")
    with pytest.raises(BuildFormatError, match="manifest.json: not valid JSON"):
        open_build(tmp_path)


def test_definitions_follow_the_dialect_family(tiny_bench):
    build = open_build(tiny_bench)
    db_id = build.items()[0].db_id
    assert isinstance(build.database(db_id, "mysql"), RelationalDatabase)
    assert build.database(db_id, "postgresql") is build.database(db_id, "mysql")
    assert isinstance(build.database(db_id, "ngql"), GraphDatabase)
    with pytest.raises(BuildFormatError, match="no relational definition of database 'nope'"):
        build.database("nope", "mysql")


def test_prompt_without_budget_is_the_records_schema(tiny_bench):
    build = open_build(tiny_bench)
    for dialect in DIALECT_NAMES:
        item = build.items("test", dialects=[dialect])[0]
        parts = build.prompt(item)
        assert parts.text == render_prompt(item.question, item.schema, dialect)
        assert item.question in parts.suffix and item.question not in parts.prefix


def test_budgeted_prompts_fit_and_share_the_schema_prefix_when_they_can(tiny_bench):
    build = open_build(tiny_bench)
    items = build.items("train", dialects=["mysql"])
    full = max(estimate_tokens(build.prompt(it).text) for it in items)
    roomy = TokenBudget(full + 10)
    assert len({build.prompt(it, roomy).prefix for it in items}) == 1  # everything fits: one prefix
    tight = TokenBudget(int(full * 0.6))
    prompts = [build.prompt(it, tight) for it in items]
    assert all(estimate_tokens(p.text) <= tight.max_tokens for p in prompts)
    assert all(p.text != build.prompt(it).text for p, it in zip(prompts, items))


def test_load_into_the_engines(tiny_bench, all_engines):
    build = open_build(tiny_bench)
    item = build.items("dev", dialects=["postgresql"])[0]
    loaded = build.load_into({"postgresql": all_engines["postgresql"]}, [item.db_id])
    assert loaded == [item.db_id]
    assert all_engines["postgresql"].execute(item.db_id, item.query).rows


def test_manifest_is_read(tiny_bench):
    build = open_build(tiny_bench)
    assert build.manifest == json.loads((tiny_bench / "manifest.json").read_text())
    assert sorted(build.manifest["domains"]) == build.database_ids()
