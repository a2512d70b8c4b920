"""The speed benchmark's plumbing on a tiny base (no timing is asserted) and its command-line registration."""

from __future__ import annotations

from typer.testing import CliRunner

from momq.adapter.perf import PerfSettings, run, variants
from momq.cli import app


def test_perf_run_reports_every_variant_and_both_ratios():
    settings = PerfSettings(steps=1, warmup=0, decode_steps=2, batch=2, seq_len=8, r=2, dialects=2,
                           expert_counts=(2, 3))
    tiny = dict(hidden_size=32, intermediate_size=48, num_hidden_layers=1, num_attention_heads=2,
                num_key_value_heads=1, vocab_size=64, max_position_embeddings=16)
    result = run(settings, memory=False, base_shape=tiny)
    assert list(result["variants"]) == [v.name for v in variants(settings)]
    assert [v["num_experts"] for v in result["variants"].values()] == [0, 4, 4, 6, 6]
    assert set(result["ratios"]) == {"E=4", "E=6"}
    assert all(r["b_over_a"] > 0 and r["c_over_b"] > 0 for r in result["ratios"].values())
    assert all(r["decode_b_over_a"] > 0 and r["decode_c_over_b"] > 0 for r in result["ratios"].values())
    assert all(len(v["steps_s"]) == 1 and v["median_decode_step_s"] > 0 for v in result["variants"].values())
    assert result["base"] == tiny


def test_perf_adapter_command_is_registered():
    out = CliRunner().invoke(app, ["perf", "adapter", "--help"])
    assert out.exit_code == 0 and "--json" in out.output and "--steps" in out.output
