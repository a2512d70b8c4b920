"""The experiment on tiny random models over a real build: runs cached and resumable across sittings, matched
parameter budgets, ablations that reuse a training run, and the aggregate written from whatever finished."""

from __future__ import annotations

import json

import pytest

from momq.experiment.config import ExperimentConfig
from momq.experiment.runner import aggregate, experiment_home, run_experiment, run_status


def tiny_experiment(tiny_bench, model_dir, **changes) -> ExperimentConfig:
    data = dict(
        name="tiny", methods=["lora", "momq"], profiles=["balanced", "paper-like"],
        train=dict(base_model=str(model_dir), build=str(tiny_bench), max_examples=8, max_steps=2, batch_size=4,
                   prompt_tokens=700, max_answer_tokens=200, bf16=False, threads=1, r=4, alpha=8.0,
                   experts_per_dialect=2, save_steps=10, logging_steps=1),
        eval_items=1, eval_batch_size=4,
        ablations=[{"name": "no-shared", "profile": "paper-like", "train": {"shared_experts": 0}},
                   {"name": "soft-inference", "profile": "paper-like", "reuse": "momq.paper-like",
                    "inference_routing": "soft"}],
    )
    data.update(changes)
    return ExperimentConfig.from_dict(data)


def test_grid_sittings_cache_and_aggregate(tiny_bench, tiny_llama_dir, all_engines, tmp_path):
    config = tiny_experiment(tiny_bench, tiny_llama_dir)
    names = [r.name for r in config.runs()]
    assert names == ["lora.balanced", "momq.balanced", "lora.paper-like", "momq.paper-like",
                     "no-shared.paper-like", "soft-inference.paper-like"]
    home, results = tmp_path / "home", tmp_path / "results"
    first = run_experiment(config, home, results, max_runs=2, engines=all_engines)  # first sitting
    assert [r["run"] for r in first["runs"]] == ["lora.balanced", "momq.balanced"]
    assert first["missing"] == names[2:] and (results / "runs.md").is_file()
    assert "Not finished yet" in (results / "runs.md").read_text()
    metrics = experiment_home(home, config) / "lora.balanced" / "eval" / "metrics.json"
    stamp = metrics.stat().st_mtime_ns
    final = run_experiment(config, home, results, engines=all_engines)  # second sitting finishes the grid
    assert final["missing"] == [] and metrics.stat().st_mtime_ns == stamp  # finished runs are not redone
    assert all(s["evaluated"] for s in run_status(config, home).values())
    root = experiment_home(home, config)
    assert not (root / "soft-inference.paper-like" / "train").exists()  # it evaluated momq.paper-like's adapter
    runs = {r["run"]: r for r in final["runs"]}
    assert runs["soft-inference.paper-like"]["inference_routing"] == "soft"
    # LoRA sized to MoMQ's budget (its rank raised from 4): within half a rank step of it
    lora, momq = runs["lora.paper-like"]["trainable_params"], runs["momq.paper-like"]["trainable_params"]
    assert abs(lora - momq) / momq < 0.05, (lora, momq)
    assert runs["no-shared.paper-like"]["trainable_params"] < momq
    assert set(final["comparisons"]) == {"momq.balanced - lora.balanced", "momq.paper-like - lora.paper-like"}
    assert final["claim"] is not None and "low_resource_ex_gain_points" in final["claim"]
    report = json.loads((results / "report.json").read_text())
    assert all(n in json.dumps(report) for n in names)
    for png in ("ex_per_dialect.png", "routing_momq.paper-like.png"):
        assert (results / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", png


@pytest.mark.parametrize("changes, message", [
    ({"methods": ["gpt"]}, "methods must be some of"),
    ({"name": "Bad Name"}, "experiment name"),
    ({"train": {"variant": "lora"}}, "set per run"),
    ({"ablations": [{"name": "x", "profile": "paper-like", "reuse": "nope.paper-like"}]}, "not a training run"),
    ({"ablations": [{"name": "x", "profile": "tiny"}]}, "not one of"),
])
def test_bad_experiment_configs_are_clear_errors(tiny_bench, tiny_llama_dir, changes, message):
    with pytest.raises(ValueError, match=message):
        tiny_experiment(tiny_bench, tiny_llama_dir, **changes)


def test_aggregate_of_nothing_lists_every_run_as_missing(tiny_bench, tiny_llama_dir, tmp_path):
    config = tiny_experiment(tiny_bench, tiny_llama_dir)
    out = aggregate(config, tmp_path, tmp_path / "results")
    assert out["missing"] == [r.name for r in config.runs()] and out["results"] == {}
