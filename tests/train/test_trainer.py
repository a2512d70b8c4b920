"""Training on tiny random models over a real benchmark build: the loss falls, resume equals an uninterrupted
run (steps, data order, weights), the efficient recipe computes the same loss, run folders are protected."""

from __future__ import annotations

import json

import pytest
import torch

from momq.train.config import TrainConfig
from momq.train.data import Collator, encode_items
from momq.train.trainer import ORDER_FILE, RunFolderError, train


def config_for(tiny_bench, model_dir, out, **overrides) -> TrainConfig:
    base = dict(base_model=str(model_dir), build=str(tiny_bench), output_dir=str(out), preset="balanced",
                prompt_tokens=700, max_answer_tokens=200, max_examples=24, batch_size=4, learning_rate=5e-3,
                warmup_ratio=0.0, bf16=False, dropout=0.0, r=4, alpha=8.0, experts_per_dialect=2, top_k=2,
                logging_steps=1, save_steps=2, max_steps=6, threads=1)
    base.update(overrides)
    return TrainConfig(**base)


def _adapter_state(folder):
    from safetensors.torch import load_file

    return load_file(str(folder / "adapter" / "adapter.safetensors"))


def test_a_few_steps_lower_the_loss(tiny_bench, tiny_llama_dir, tmp_path):
    result = train(config_for(tiny_bench, tiny_llama_dir, tmp_path / "run", max_steps=16, max_examples=4,
                              learning_rate=5e-2))
    losses = [h["loss"] for h in result.log_history if "loss" in h]
    assert len(losses) == 16 and result.steps == 16
    # batch 4 over 4 examples: every step sees the same batch, so without learning the loss would not move
    assert sum(losses[-3:]) / 3 < sum(losses[:3]) / 3 - 0.1, losses
    parts = [h for h in result.log_history if "lm_loss" in h]
    assert parts and all("drl_loss" in h and "balance_loss" in h for h in parts)
    assert (tmp_path / "run" / "adapter" / "adapter_config.json").is_file()
    summary = json.loads((tmp_path / "run" / "train_summary.json").read_text())
    assert summary["trainable_params"] > 0 and summary["tokens_per_second"] > 0


@pytest.mark.parametrize("variant", ["momq", "lora"])
def test_resume_after_a_kill_equals_an_uninterrupted_run(tiny_bench, tiny_llama_dir, tmp_path, variant):
    whole = train(config_for(tiny_bench, tiny_llama_dir, tmp_path / "whole", variant=variant))
    cut = config_for(tiny_bench, tiny_llama_dir, tmp_path / "cut", variant=variant)
    first = train(cut, stop_after_steps=3)
    assert first.steps == 3 and not (tmp_path / "cut" / "adapter").exists()
    resumed = train(cut)
    assert whole.steps == resumed.steps == 6

    def order(folder):
        return [json.loads(line) for line in (folder / ORDER_FILE).read_text().splitlines()]

    assert order(tmp_path / "cut") == order(tmp_path / "whole")
    assert [o["step"] for o in order(tmp_path / "whole")] == list(range(6))
    a, b = _adapter_state(tmp_path / "whole"), _adapter_state(tmp_path / "cut")
    assert a.keys() == b.keys()
    for name in a:
        torch.testing.assert_close(a[name], b[name], rtol=1e-4, atol=1e-6, msg=name)


def test_logits_only_at_labels_give_the_same_loss(tiny_bench, tiny_qwen_dir):
    from momq.bench.dataset import open_build
    from momq.train.model import build_model

    config = config_for(tiny_bench, tiny_qwen_dir, "unused")
    model, tok, _ = build_model(config)
    build = open_build(tiny_bench)
    data = encode_items(build, build.items("train")[:6], tok, model.momq_config.dialects, 700, 200)
    batch = [data[i] for i in range(len(data))]
    lengths = {len(ex["input_ids"]) for ex in batch}
    assert len(lengths) > 1  # padding is really exercised
    efficient, naive = Collator(tok.pad_token_id, True)(batch), Collator(tok.pad_token_id, False)(batch)
    assert efficient["logits_to_keep"] < efficient["input_ids"].shape[1]
    with torch.no_grad():
        a = model(**{k: v for k, v in efficient.items() if k != "example_index"})
        b = model(**{k: v for k, v in naive.items() if k != "example_index"})
    assert a.logits.shape[1] == efficient["logits_to_keep"] and b.logits.shape[1] == naive["input_ids"].shape[1]
    torch.testing.assert_close(a.lm_loss, b.lm_loss, rtol=1e-4, atol=1e-5)


def test_a_folder_with_a_users_files_is_refused(tiny_bench, tiny_llama_dir, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(RunFolderError, match="not a momq training run"):
        train(config_for(tiny_bench, tiny_llama_dir, out))
    assert (out / "notes.txt").read_text() == "keep me" and sorted(p.name for p in out.iterdir()) == ["notes.txt"]
