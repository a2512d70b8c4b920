"""``momq eval`` end to end on tiny random models and a real build: every item generated, executed and scored,
outputs written, routing restored; and the dev evaluation that training runs every ``eval_steps``."""

from __future__ import annotations

import json

import pytest

from momq.evaluate.run import EvalConfig, evaluate, sample_items
from momq.evaluate.score import read_scored


@pytest.fixture(scope="module")
def tiny_momq(tiny_bench, tiny_qwen_dir):
    from momq.train.config import TrainConfig
    from momq.train.model import build_model

    config = TrainConfig(base_model=str(tiny_qwen_dir), build=str(tiny_bench), r=4, experts_per_dialect=2,
                         routing="soft")
    model, tok, _ = build_model(config)
    return model, tok


def test_eval_scores_every_item_and_writes_its_outputs(tiny_bench, tiny_momq, all_engines, tmp_path):
    model, tok = tiny_momq
    config = EvalConfig(build=str(tiny_bench), split="test", max_items=3, prompt_tokens=700, max_new_tokens=12,
                        batch_size=4, out_dir=str(tmp_path), name="tiny")
    result = evaluate(config, model_bundle=(model, tok), engines=all_engines, progress=False)
    assert len(result.scored) == 12  # 3 per dialect
    assert {s.dialect for s in result.scored} == {"mysql", "postgresql", "cypher", "ngql"}
    assert all(s.generation_seconds is not None and s.new_tokens >= 1 for s in result.scored)
    assert all(not s.match for s in result.scored if not s.valid)  # a random model: whatever it says is scored
    assert result.summary["overall"]["n"] == 12 and result.summary["inference"]["routing"] == "known"
    assert read_scored(tmp_path / "predictions.jsonl") == result.scored
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["config"]["name"] == "tiny" and set(metrics["per_dialect"]) == {"mysql", "postgresql",
                                                                                  "cypher", "ngql"}
    routing = json.loads((tmp_path / "routing.json").read_text())
    assert routing["dialects"] == list(model.momq_config.dialects) and len(routing["layers"]) == 2
    assert sum(sum(v) for v in routing["layers"][0]["expert_tokens"].values()) > 0
    assert (tmp_path / "report.md").is_file() and (tmp_path / "ex_per_dialect.png").stat().st_size > 0
    assert model.momq_config.routing.value == "soft"  # the inference routing is switched back afterwards


def test_known_routing_keeps_each_item_in_its_dialect_group(tiny_bench, tiny_momq, all_engines):
    model, tok = tiny_momq
    config = EvalConfig(build=str(tiny_bench), split="dev", max_items=2, prompt_tokens=700, max_new_tokens=4,
                        routing="known")
    result = evaluate(config, model_bundle=(model, tok), engines=all_engines, progress=False)
    egroup = model.momq_config.experts_per_dialect
    for layer in result.routing["layers"]:
        for di, dialect in enumerate(result.routing["dialects"]):
            counts = layer["expert_tokens"][dialect]
            outside = [c for e, c in enumerate(counts) if e // egroup != di]
            assert sum(counts) > 0 and not any(outside), (dialect, counts)


def test_bad_routing_and_empty_selection_are_clear_errors(tiny_bench, tiny_momq, all_engines):
    with pytest.raises(ValueError, match="routing must be one of"):
        EvalConfig(build=str(tiny_bench), routing="psychic")
    with pytest.raises(ValueError, match="no items to evaluate"):
        evaluate(EvalConfig(build=str(tiny_bench)), model_bundle=tiny_momq, engines=all_engines, items=[])


def test_sample_items_is_seeded_and_per_dialect(tiny_bench):
    from momq.bench.dataset import open_build

    items = open_build(tiny_bench).items("train")
    a, b = sample_items(items, 2, seed=5), sample_items(items, 2, seed=5)
    assert a == b and len(a) == 8
    assert sample_items(items, 2, seed=6) != a or len(items) == 8


def test_training_runs_the_dev_evaluation(tiny_bench, tiny_llama_dir, all_engines, tmp_path):
    from momq.train.config import TrainConfig
    from momq.train.model import load_tokenizer, resolve_base
    from momq.train.trainer import dev_evaluator, train

    config = TrainConfig(base_model=str(tiny_llama_dir), build=str(tiny_bench), output_dir=str(tmp_path / "run"),
                         max_steps=2, batch_size=2, max_examples=4, prompt_tokens=700, max_answer_tokens=200,
                         bf16=False, eval_steps=1, eval_samples=4, save_steps=10, threads=1)
    tok = load_tokenizer(resolve_base(config.base_model))
    result = train(config, dev_eval=dev_evaluator(config, tok, engines=all_engines))
    dev = [h for h in result.log_history if "dev_ex" in h]
    assert [h["step"] for h in dev] == [1, 2]
    assert all(0.0 <= h["dev_ex"] <= h["dev_valid"] <= 1.0 for h in dev)


def test_eval_on_an_external_suite(tiny_momq, all_engines, tmp_path):
    from tests.bench.test_external import GOOD, write_suite

    suite = write_suite(tmp_path, GOOD)
    config = EvalConfig(suite=str(suite), suite_databases=str(tmp_path / "dbs"), prompt_tokens=700,
                        max_new_tokens=6, batch_size=4)
    result = evaluate(config, model_bundle=tiny_momq, engines=all_engines, progress=False)
    assert [s.id for s in result.scored] == ["suite-1", "suite-2", "c1", "n1", "alt"]
    assert all(s.gold_error is None for s in result.scored)  # the suite's databases were loaded for the gold
    with pytest.raises(ValueError, match="needs both"):
        EvalConfig(suite=str(suite))
