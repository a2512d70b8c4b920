"""``momq perf train`` plumbing on a tiny model: both recipes train the same data in their own processes and
report tokens/s and peak memory; the naive recipe really computes full logits (more memory per token)."""

from __future__ import annotations

from momq.train.config import TrainConfig
from momq.train.perf import compare


def test_both_recipes_run_and_report(tiny_bench, tiny_llama_dir):
    config = TrainConfig(base_model=str(tiny_llama_dir), build=str(tiny_bench), max_steps=2, batch_size=2,
                         max_examples=4, prompt_tokens=700, max_answer_tokens=200, threads=1, warmup_ratio=0.0)
    result = compare(config, rounds=1)
    assert set(result["tokens_per_second"]) == {"naive", "ours"}
    assert all(v > 0 for v in result["tokens_per_second"].values())
    assert all(r[0]["steps"] == 2 for r in result["runs"].values())
    assert result["ratio"] > 0 and all(v > 0 for v in result["peak_rss_mib"].values())
