"""The learning curve: every checkpoint and the final adapter scored once (cached), examples seen from the
run's config, and the curve plotted through the report."""

from __future__ import annotations

from momq.evaluate.curve import learning_curve, run_points
from momq.evaluate.run import EvalConfig


def test_every_checkpoint_is_scored_once(tiny_bench, tiny_llama_dir, all_engines, tmp_path):
    from momq.train.config import TrainConfig
    from momq.train.trainer import train

    run = tmp_path / "run"
    train(TrainConfig(base_model=str(tiny_llama_dir), build=str(tiny_bench), output_dir=str(run), max_steps=3,
                      batch_size=2, max_examples=6, prompt_tokens=700, max_answer_tokens=200, bf16=False,
                      threads=1, save_steps=2, save_total_limit=5))
    assert [s for s, _ in run_points(run)] == [2, 3]  # checkpoint-2, and checkpoint-3 doubles as the final one
    config = EvalConfig(build=str(tiny_bench), split="dev", max_items=1, max_new_tokens=6, batch_size=4)
    curve = learning_curve(run, config, engines=all_engines)
    assert [p["examples_seen"] for p in curve] == [4, 6]
    assert all(set(p["ex"]) == {"mysql", "postgresql", "cypher", "ngql"} for p in curve)
    cached = run / "checkpoint-2" / "eval-dev-1" / "metrics.json"
    stamp = cached.stat().st_mtime_ns
    assert learning_curve(run, config, engines=all_engines) == curve and cached.stat().st_mtime_ns == stamp
