"""``momq perf eval``'s plumbing on a tiny model and a two-schema toy build (no timing is asserted)."""

from __future__ import annotations

from typer.testing import CliRunner

from momq.bench.records import BenchItem, write_items
from momq.cli import app
from momq.infer.perf import CallTimer, EvalPerfSettings, run

from .conftest import QUESTIONS, SCHEMAS, tiny_base, tiny_tokenizer


def _toy_build(tmp_path):
    items = [BenchItem(id=f"q{k}", db_id=db, dialect=dialect, question=q, query="SELECT 1", schema=SCHEMAS[db],
                       split="test")
             for k, (db, dialect, q) in enumerate(
                 [("music", "mysql", QUESTIONS[0]), ("music", "mysql", QUESTIONS[1]),
                  ("shop", "cypher", QUESTIONS[4]), ("music", "mysql", QUESTIONS[2]),
                  ("shop", "cypher", QUESTIONS[5])])]
    (tmp_path / "splits").mkdir()
    write_items(tmp_path / "splits" / "test.jsonl", items)
    return tmp_path


def test_eval_perf_runs_every_mode_and_compares_outputs(tmp_path):
    bench = _toy_build(tmp_path)
    settings = EvalPerfSettings(bench=bench, items=4, batch_size=2, max_new_tokens=3, threads=1, decode_steps=3)
    result = run(settings, load=lambda: (tiny_tokenizer(), tiny_base("llama")))
    assert list(result["modes"]) == ["naive", "batched", "generator", "decode_momq", "decode_base"]
    assert result["data"]["items"] == 4 and result["data"]["distinct_prefixes"] == 2
    # a fresh adapter is the identity and every mode is greedy with the same stops: all outputs agree
    assert set(result["identical_outputs"].values()) == {"4/4"}
    assert set(result["ratios"]) == {"generator_over_batched", "generator_over_naive", "momq_decode_over_base",
                                    "momq_decode_over_base_step_median"}
    assert all(v > 0 for v in result["ratios"].values())
    assert result["modes"]["generator"]["prefill_calls"] == 2 + 2  # two prefixes, two batch prefills
    assert result["modes"]["naive"]["prefill_calls"] == 4


def test_call_timer_splits_prefill_and_decode():
    import torch

    model = tiny_base("qwen2")
    with CallTimer(model) as timer, torch.no_grad():
        model.generate(input_ids=torch.tensor([[5, 6, 7], [8, 9, 10]]), max_new_tokens=4, do_sample=False,
                       pad_token_id=0, eos_token_id=None)
    assert (timer.prefill_calls, timer.decode_calls, timer.decode_rows) == (1, 3, 6)
    assert timer.to_dict()["decode_tokens_per_s"] > 0


def test_perf_eval_command_is_registered():
    out = CliRunner().invoke(app, ["perf", "eval", "--help"])
    assert out.exit_code == 0 and "--bench" in out.output and "--json" in out.output


def test_eval_perf_measures_a_trained_adapter_on_prompts_fitted_to_its_budget(tiny_bench, tiny_llama_dir, tmp_path):
    """``--adapter``: the saved adapter is loaded (not a fresh one) and the build's prompts are fitted to the budget
    in the adapter's run config, so the measurement is of what ``momq eval`` generates."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from momq.adapter.config import MoMQConfig
    from momq.adapter.model import MoMQModel

    def load():
        return AutoTokenizer.from_pretrained(tiny_llama_dir), AutoModelForCausalLM.from_pretrained(tiny_llama_dir)

    torch.manual_seed(1)
    trained = MoMQModel(load()[1], MoMQConfig(r=4, alpha=8.0, experts_per_dialect=2, routing="known"))
    with torch.no_grad():
        for p in trained.trainable_state_dict().values():
            p.normal_(0, 0.5)  # not the identity: its outputs differ from the bare base's
    run_dir = tmp_path / "run"
    trained.save_adapter(run_dir / "adapter")
    (run_dir / "train_config.yaml").write_text("prompt_tokens: 700\n")
    settings = EvalPerfSettings(bench=tiny_bench, items=4, batch_size=2, max_new_tokens=4, threads=1,
                                decode_steps=2, naive=False, adapter=run_dir / "adapter")
    result = run(settings, load=load)
    assert "run/adapter" in result["model"]
    assert result["data"]["prompt_tokens_max"] <= 700
    assert result["identical_outputs"]["batched_vs_generator"] == "4/4"
    # the adapter really is in the model: the bare base's greedy answers differ somewhere
    assert result["identical_outputs"]["momq_vs_base"] != "4/4"
